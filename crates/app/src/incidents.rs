//! Safeguarding concerns, for the pages and the API alike: anyone on duty raises one (a volunteer
//! too, who cannot read it back afterwards); the lead, coordinators and administrators read them at
//! their centres; only the safeguarding lead decides. Every read of a concern is audited, as reads of
//! case files are.

use super::case_files::{centre_time, centre_zone};
use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, CentreScope, Object};
use familytime_domain::ids::{BookingId, CaseId, CentreId};
use familytime_domain::incidents::{ConcernInput, ConcernStatus, DecisionInput};
use familytime_domain::text::FieldErrors;
use familytime_store::AuditEvent;
use familytime_store::incidents::{Concern, ConcernPlace};
use familytime_store::paging::Page;

/// A concern as a form or the API sends it: where (a session, a case, or just a centre), what, when.
#[derive(Debug, Clone, Default)]
pub struct RaiseInput {
    pub booking_id: String,
    pub case_id: String,
    pub centre_id: String,
    /// The centre's local date and time it happened.
    pub date: String,
    pub time: String,
    pub concern: ConcernInput,
}

/// What the person raising a concern is told afterwards.
pub struct Raised {
    pub id: String,
    /// Whether the kind of concern asks for the case's risk to be assessed again.
    pub prompts_reassessment: bool,
    pub case_reference: Option<String>,
}

fn blank(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|v| !v.is_empty())
}

/// Where the concern belongs, checked: the session or case must be the caller's organisation's (404
/// otherwise, audited) and at a centre they work at.
/// Where a concern is raised, as found: the place, the case's reference and the session's start.
struct Found {
    place: ConcernPlace,
    reference: Option<String>,
    session_start: Option<Timestamp>,
}

async fn place(state: &AppState, caller: &Caller, input: &RaiseInput) -> Result<Found, AppError> {
    let org = caller.user()?.organisation_id;
    let (place, reference, session_start) = if let Some(booking) = blank(&input.booking_id) {
        let id = parse_id(booking, BookingId::parse)?;
        let b = found(state, caller, state.store.booking(org, id).await, "booking", id).await?;
        if let Some(case) = blank(&input.case_id)
            && b.case_id.map(|c| c.to_string()).as_deref() != Some(case)
        {
            return Err(AppError::Invalid(FieldErrors::single(
                "case_id",
                "That session belongs to another case: choose one or the other",
            )));
        }
        (
            ConcernPlace {
                centre: b.centre_id,
                case: b.case_id,
                booking: Some(b.id),
            },
            b.case_reference,
            Some(b.span.start),
        )
    } else if let Some(case) = blank(&input.case_id) {
        let id = parse_id(case, CaseId::parse)?;
        let file = found(state, caller, state.store.case(org, id).await, "case", id).await?;
        (
            ConcernPlace {
                centre: file.summary.centre_id,
                case: Some(id),
                booking: None,
            },
            Some(file.summary.reference),
            None,
        )
    } else {
        let not_a_centre = || AppError::Invalid(FieldErrors::single("centre_id", "Choose the centre it happened at"));
        let centre = CentreId::parse(&input.centre_id).map_err(|_| not_a_centre())?;
        match state.store.centre(org, centre).await {
            Ok(_) => {}
            Err(familytime_store::StoreError::NotFound) => return Err(not_a_centre()),
            Err(other) => return Err(other.into()),
        }
        (
            ConcernPlace {
                centre,
                case: None,
                booking: None,
            },
            None,
            None,
        )
    };
    authorize(
        state,
        caller,
        Action::RaiseConcern,
        Object::Centre {
            organisation: org,
            centre: place.centre,
        },
    )
    .await?;
    Ok(Found {
        place,
        reference,
        session_start,
    })
}

/// Where a concern is about to be raised, in words for the form ("The session on Sat 5 Dec 2026
/// 10:00, case RF-…, Riverside Centre"), checked as raising it would be.
pub async fn describe_place(
    state: &AppState,
    caller: &Caller,
    booking_id: &str,
    case_id: &str,
) -> Result<String, AppError> {
    let input = RaiseInput {
        booking_id: booking_id.to_owned(),
        case_id: case_id.to_owned(),
        ..RaiseInput::default()
    };
    let found = place(state, caller, &input).await?;
    let org = caller.user()?.organisation_id;
    let centre = state.store.centre(org, found.place.centre).await?;
    let zone = jiff::tz::TimeZone::get(&centre.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    let mut words = Vec::new();
    if let Some(start) = found.session_start {
        words.push(format!(
            "The session on {}",
            start.to_zoned(zone).strftime("%a %-d %b %Y %H:%M")
        ));
    }
    if let Some(reference) = found.reference {
        words.push(format!("case {reference}"));
    }
    words.push(centre.name);
    Ok(words.join(", "))
}

/// Raises a concern. Nothing is written unless every field is acceptable.
pub async fn raise(state: &AppState, caller: &Caller, input: &RaiseInput) -> Result<Raised, AppError> {
    let org = caller.user()?.organisation_id;
    let Found { place, reference, .. } = place(state, caller, input).await?;
    let zone = centre_zone(state, caller, place.centre).await?;
    let now = state.clock.now();
    let concern = input
        .concern
        .parse(centre_time(&zone, &input.date, &input.time), now)
        .map_err(AppError::Invalid)?;
    let id = state
        .store
        .raise_concern(&caller.scope(now), org, place, &concern)
        .await?;
    Ok(Raised {
        id,
        prompts_reassessment: concern.kind.prompts_reassessment() && place.case.is_some(),
        case_reference: reference,
    })
}

/// The concerns at the caller's centres (all, or only the open ones): open first, then the newest.
/// A read of personal data: audited.
pub async fn list(state: &AppState, caller: &Caller, open_only: bool) -> Result<Vec<Concern>, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewConcerns, Object::Organisation(org)).await?;
    let concerns = state.store.concerns(org, None, open_only).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("concern.list", "organisation", org),
        )
        .await?;
    Ok(concerns
        .into_iter()
        .filter(|c| actor.centres.includes(c.centre_id))
        .collect())
}

/// A page of the concerns at the caller's centres (of one status, or any; at one centre, or all the
/// caller's), newest first, from the page after (or before) the concern given. A read of personal
/// data: audited.
pub async fn page(
    state: &AppState,
    caller: &Caller,
    status: Option<&str>,
    centre: Option<&str>,
    after: Option<&str>,
    before: Option<&str>,
) -> Result<Page<Concern>, AppError> {
    let request = crate::paging::page_request(after, before)?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(ConcernStatus::parse(s).ok_or_else(|| AppError::BadRequest("The status is open or closed".into()))?)
        }
        None => None,
    };
    let centre = match centre.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(CentreId::parse(c).map_err(|_| AppError::BadRequest("Choose a centre from the list".into()))?),
        None => None,
    };
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewConcerns, Object::Organisation(org)).await?;
    let centres: Option<Vec<CentreId>> = match (&actor.centres, centre) {
        (_, Some(wanted)) => Some(std::iter::once(wanted).filter(|c| actor.centres.includes(*c)).collect()),
        (CentreScope::All, None) => None,
        (CentreScope::Only(only), None) => Some(only.clone()),
    };
    let concerns = crate::paging::page_read(
        state
            .store
            .concern_page(org, status, centres.as_deref(), &request)
            .await,
    )?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("concern.list", "organisation", org),
        )
        .await?;
    Ok(concerns)
}

/// Whether the caller may take `action` on a concern at `centre` (without auditing a refusal: used
/// to decide what a page offers).
pub fn may(caller: &Caller, action: Action, centre: Option<CentreId>) -> bool {
    let Some(user) = &caller.user else {
        return false;
    };
    let object = match centre {
        Some(centre) => Object::Centre {
            organisation: user.organisation_id,
            centre,
        },
        None => Object::Organisation(user.organisation_id),
    };
    super::may(caller, action, &object)
}

/// One concern (another organisation's, or a centre the caller does not work at: 404). The read is
/// audited before the answer leaves.
pub async fn get(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<Concern, AppError> {
    let org = caller.user()?.organisation_id;
    // Junk is simply not found (ids are UUIDs; this keeps it out of the query).
    let id = uuid::Uuid::try_parse(id.trim())
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let concern = found(state, caller, state.store.concern(org, &id).await, "concern", &id).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre: concern.centre_id,
        },
    )
    .await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("concern.read", "concern", &concern.id),
        )
        .await?;
    Ok(concern)
}

/// The confirmation for the person who raised a concern: only its kind, place and reference (they
/// may not be allowed to read concerns). Anyone else is told it does not exist.
/// Every decision on a concern the caller has already been allowed to read (through `get`), oldest
/// first: a later decision never replaces an earlier one's words.
pub async fn decisions(
    state: &AppState,
    caller: &Caller,
    concern: &Concern,
) -> Result<Vec<familytime_store::incidents::DecisionRecord>, AppError> {
    let org = caller.user()?.organisation_id;
    Ok(state.store.concern_decisions(org, &concern.id).await?)
}

pub async fn raised(state: &AppState, caller: &Caller, id: &str) -> Result<Concern, AppError> {
    let org = caller.user()?.organisation_id;
    let id = uuid::Uuid::try_parse(id.trim())
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let concern = found(state, caller, state.store.concern(org, &id).await, "concern", &id).await?;
    if concern.raised_by != caller.user()?.id {
        return Err(AppError::NotFound);
    }
    authorize(
        state,
        caller,
        Action::RaiseConcern,
        Object::Centre {
            organisation: org,
            centre: concern.centre_id,
        },
    )
    .await?;
    Ok(concern)
}

/// The safeguarding lead records a decision (and perhaps closes the concern). A decision made on a
/// version that has since changed is refused, never written over the other.
pub async fn decide(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &DecisionInput,
    version: i64,
) -> Result<Concern, AppError> {
    let concern = get(state, caller, id, Action::DecideConcerns).await?;
    let decision = input.parse().map_err(AppError::Invalid)?;
    let org = caller.user()?.organisation_id;
    state
        .store
        .decide_concern(&caller.scope(state.clock.now()), org, &concern.id, &decision, version)
        .await?;
    Ok(concern)
}

/// The concerns raised on a case, for the case page: only for people who may read concerns at its
/// centre (others get none); the read is audited.
pub async fn for_case(
    state: &AppState,
    caller: &Caller,
    case: CaseId,
    centre: CentreId,
) -> Result<Vec<Concern>, AppError> {
    if !may(caller, Action::ViewConcerns, Some(centre)) {
        return Ok(Vec::new());
    }
    let org = caller.user()?.organisation_id;
    let concerns = state.store.case_concerns(org, case).await?;
    if !concerns.is_empty() {
        state
            .store
            .audit(
                &caller.scope(state.clock.now()),
                AuditEvent::ok("concern.list", "case", case),
            )
            .await?;
    }
    Ok(concerns)
}
