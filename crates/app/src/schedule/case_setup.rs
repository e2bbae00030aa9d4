//! A case's scheduling set-up: the family's usual workers, when each adult can come, the adults
//! who must never meet, and the rooms, staff and places of its pre-visits.

use super::parse_time;
use crate::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{BookingId, CentreId, UserId};
use familytime_domain::tenancy::RoomKind;
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use jiff::civil::Time;

/// The versions of a case's list-shaped records, for its file: the usual workers (with their list's
/// version) and each adult's linked-account version.
pub struct CaseLists {
    pub workers: Vec<UserId>,
    pub workers_version: i64,
    pub party_account_versions: Vec<(String, i64)>,
}

pub async fn case_lists(state: &AppState, caller: &Caller, case: &str) -> Result<CaseLists, AppError> {
    use familytime_store::versions::ListKind;
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    let org = file_org(caller)?;
    let case = file.summary.id.to_string();
    let mut party_account_versions = Vec::new();
    for p in &file.parties {
        let id = p.id.to_string();
        let version = state.store.list_version(org, ListKind::PartyAccount, &id).await?;
        party_account_versions.push((id, version));
    }
    Ok(CaseLists {
        workers: state.store.case_workers(org, file.summary.id).await?,
        workers_version: state.store.list_version(org, ListKind::CaseWorkers, &case).await?,
        party_account_versions,
    })
}

/// Sets the family's usual workers.
pub async fn set_case_workers(
    state: &AppState,
    caller: &Caller,
    case: &str,
    workers: &[String],
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let staff = state.store.staff_profiles(org).await?;
    let mut ids = Vec::new();
    for w in workers.iter().filter(|w| !w.trim().is_empty()) {
        match UserId::parse(w)
            .ok()
            .filter(|id| staff.iter().any(|s| s.user_id == *id))
        {
            Some(id) => ids.push(id),
            None => {
                return Err(AppError::Invalid(FieldErrors::single(
                    "workers",
                    "Choose workers from the list",
                )));
            }
        }
    }
    Ok(state
        .store
        .set_case_workers(&caller.scope(state.clock.now()), org, file.summary.id, &ids, version)
        .await?)
}

/// The days and hours an adult of the case can come, as the case page's form sends them: days of
/// the week (1 Monday – 7 Sunday), and one from/to time for those days. No days: any time the
/// centre is open.
#[derive(Debug, Clone, Default)]
pub struct AvailabilityInput {
    pub days: Vec<String>,
    pub from: String,
    pub to: String,
}

/// Sets when an adult of this case can come; the free-time search keeps to it. Every mistake is
/// reported at once and nothing is changed.
pub async fn set_party_availability(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    input: &AvailabilityInput,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let mut errors = FieldErrors::new();
    let party = familytime_domain::ids::PartyId::parse(party.trim())
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p));
    if party.is_none() {
        errors.add("party_id", "Choose one of the adults on this case");
    }
    let mut days = Vec::new();
    for d in input.days.iter().filter(|d| !d.trim().is_empty()) {
        match d.trim().parse::<i8>() {
            Ok(n) if (1..=7).contains(&n) && !days.contains(&n) => days.push(n),
            _ => {
                errors.add("days", "Choose days of the week from the list");
                break;
            }
        }
    }
    let (from, to) = if days.is_empty() && input.from.trim().is_empty() && input.to.trim().is_empty() {
        (None, None)
    } else {
        if days.is_empty() {
            errors.add("days", "Choose the days they can come");
        }
        (
            parse_time(&mut errors, "from", &input.from),
            parse_time(&mut errors, "to", &input.to),
        )
    };
    if let (Some(f), Some(t)) = (from, to)
        && t <= f
    {
        errors.add("to", "The end time must be after the start time");
    }
    let Some(party) = party.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let hours: Vec<(i8, Time, Time)> = match (from, to) {
        (Some(f), Some(t)) => days.iter().map(|d| (*d, f, t)).collect(),
        _ => Vec::new(),
    };
    Ok(state
        .store
        .set_party_availability(&caller.scope(state.clock.now()), org, &party.to_string(), &hours)
        .await?)
}

/// The people a never-meet rule for this case may name: the adults of the centre's open cases
/// (this case's first), each with their case's reference, so the coordinator chooses a person
/// rather than pasting an identifier. Decided by the same authorisation as adding the rule (managing
/// the schedule of cases at this centre); the read of other families' names is audited.
pub async fn never_meet_candidates(
    state: &AppState,
    caller: &Caller,
    file: &familytime_store::referrals::CaseFile,
) -> Result<Vec<familytime_store::schedule::CentreAdult>, AppError> {
    let org = file_org(caller)?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: None,
    };
    authorize(state, caller, Action::ManageSchedule, object).await?;
    let mut adults = state.store.centre_adults(org, file.summary.centre_id).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("case.adults_listed", "centre", file.summary.centre_id),
        )
        .await?;
    let this = file.summary.id.to_string();
    adults.sort_by_key(|a| a.case_id != this);
    Ok(adults)
}

/// Keeps an adult of this case apart from another adult (of this or another case).
pub async fn add_never_meet(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    other_party: &str,
    reason: &str,
) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::ManageSchedule).await?;
    let org = file_org(caller)?;
    let mut errors = FieldErrors::new();
    let party = familytime_domain::ids::PartyId::parse(party)
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p));
    if party.is_none() {
        errors.add("party_id", "Choose one of the adults on this case");
    }
    if reason.trim().is_empty() {
        errors.add(
            "reason",
            "Say why they must not meet (for example, a non-molestation order)",
        );
    }
    let other = familytime_domain::ids::PartyId::parse(other_party.trim()).ok();
    let other_case = match other {
        Some(o) => state.store.party_case(org, o).await.ok(),
        None => None,
    };
    let Some(other_case) = other_case else {
        errors.add("other_party_id", "Choose the other person from the list");
        return Err(AppError::Invalid(errors));
    };
    // The other person's case must be one the caller may manage too.
    case_file(state, caller, &other_case.to_string(), Action::ManageSchedule).await?;
    let (Some(party), Some(other)) = (party, other) else {
        return Err(AppError::Invalid(errors));
    };
    if party == other {
        errors.add("other_party_id", "Choose someone else");
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    match state
        .store
        .add_never_meet(
            &caller.scope(state.clock.now()),
            org,
            &party.to_string(),
            &other.to_string(),
            reason.trim(),
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        other => Ok(other?),
    }
}

/// The family rooms (open ones) and the staff of a centre a pre-visit there can take, as (id, name),
/// for the case page's form. Read only: nothing is planned or written.
pub async fn pre_visit_choices(
    state: &AppState,
    caller: &Caller,
    centre: CentreId,
) -> Result<(Vec<(String, String)>, Vec<(String, String)>), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(
        state,
        caller,
        Action::ManageSchedule,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    let rooms = state
        .store
        .rooms_with_approval(org, centre)
        .await?
        .into_iter()
        .filter(|(r, _)| r.active && r.kind == RoomKind::FamilyRoom)
        .map(|(r, _)| (r.id.to_string(), r.name))
        .collect();
    let staff = state
        .store
        .staff_profiles(org)
        .await?
        .into_iter()
        .filter(|p| p.works_at(centre))
        .map(|p| (p.user_id.to_string(), p.name))
        .collect();
    Ok((rooms, staff))
}

/// Where each booked pre-visit of a case is held, as (pre-visit id, "Family room 1, with Sam
/// Jones"), for the case page. The caller has opened the case file.
pub async fn pre_visit_places(
    state: &AppState,
    caller: &Caller,
    visits: &[familytime_store::previsits::PreVisit],
) -> Result<Vec<(String, String)>, AppError> {
    let org = caller.user()?.organisation_id;
    let booked: Vec<(String, BookingId)> = visits
        .iter()
        .filter_map(|v| {
            let booking = BookingId::parse(v.booking_id.as_deref()?).ok()?;
            Some((v.id.clone(), booking))
        })
        .collect();
    if booked.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<BookingId> = booked.iter().map(|(_, b)| *b).collect();
    let staff = state.store.booked_staff(org, &ids).await?;
    let mut places = Vec::new();
    for (visit, id) in booked {
        let booking = state.store.booking(org, id).await?;
        let names: Vec<&str> = staff
            .iter()
            .filter(|s| s.booking_id == id.to_string())
            .map(|s| s.name.as_str())
            .collect();
        let room = booking.room_name.unwrap_or_else(|| "No room".into());
        let place = if names.is_empty() {
            room
        } else {
            format!("{room}, with {}", names.join(" and "))
        };
        places.push((visit, place));
    }
    Ok(places)
}
