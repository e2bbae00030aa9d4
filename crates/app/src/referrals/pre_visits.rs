//! Pre-visits: a case's pre-visits and what still stands before booking, a pre-visit booked for one
//! adult, and how it went recorded.

use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller, found};
use familytime_domain::authz::Action;
use familytime_domain::text::{self, FieldErrors};
use familytime_store::referrals::CaseSummary;

/// The case's pre-visits and what still stands between it and booking sessions.
pub struct PreVisitsView {
    pub visits: Vec<familytime_store::previsits::PreVisit>,
    pub still_needed: Vec<&'static str>,
    pub zone: jiff::tz::TimeZone,
}

pub async fn pre_visits(state: &AppState, caller: &Caller, id: &str) -> Result<PreVisitsView, AppError> {
    let file = case_file(state, caller, id, Action::ViewCases).await?;
    let visits = state.store.pre_visits(file_org(caller)?, file.summary.id).await?;
    let still_needed =
        familytime_domain::previsits::still_needed(&visits.iter().map(|v| v.as_visit()).collect::<Vec<_>>());
    Ok(PreVisitsView {
        visits,
        still_needed,
        zone: centre_zone(state, caller, file.summary.centre_id).await?,
    })
}

/// A pre-visit as the case page or the API asks for it: the adult, when, the room and the member
/// of staff. It lasts `previsits::LENGTH`.
#[derive(Debug, Clone, Default)]
pub struct PreVisitInput {
    pub party_id: String,
    pub date: String,
    pub time: String,
    pub room_id: String,
    pub staff: Vec<String>,
}

/// Books a pre-visit for one adult: a booking of kind pre-visit like any other session (a room, a
/// member of staff, the opening hours, the never-meet rules, the calendar and day sheet), written
/// with the pre-visit's record that points at it; never at the same time as another adult's.
pub async fn schedule_pre_visit(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &PreVisitInput,
) -> Result<crate::schedule::BookingOutcome, AppError> {
    let booking = crate::schedule::BookingInput {
        kind: familytime_domain::schedule::BookingKind::PreVisit.as_str().into(),
        date: input.date.clone(),
        time: input.time.clone(),
        minutes: familytime_domain::previsits::LENGTH.as_mins().to_string(),
        repeat: "once".into(),
        count: String::new(),
        until: String::new(),
        room_id: input.room_id.clone(),
        staff: input.staff.clone(),
        party_id: input.party_id.clone(),
        resident_stays: false,
    };
    crate::schedule::book(state, caller, id, &booking).await
}

/// A pre-visit record as a form or the API sends it.
#[derive(Debug, Default, Clone)]
pub struct VisitRecordInput {
    pub status: String,
    pub rules_agreed: bool,
    pub checklist: Vec<String>,
    pub notes: String,
    pub version: i64,
}

/// One pre-visit, with its case's reference, for the record page.
pub async fn pre_visit(
    state: &AppState,
    caller: &Caller,
    visit: &str,
) -> Result<(familytime_store::previsits::PreVisit, CaseSummary, jiff::tz::TimeZone), AppError> {
    let org = caller.user()?.organisation_id;
    let v = found(
        state,
        caller,
        state.store.pre_visit(org, visit).await,
        "pre_visit",
        visit,
    )
    .await?;
    let file = case_file(state, caller, &v.case_id.to_string(), Action::ManageCases).await?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    Ok((v, file.summary, zone))
}

/// Records how a pre-visit went: done, missed or cancelled; the rules agreed; the checklist; notes.
pub async fn record_pre_visit(
    state: &AppState,
    caller: &Caller,
    visit: &str,
    input: &VisitRecordInput,
) -> Result<familytime_domain::ids::CaseId, AppError> {
    use familytime_domain::previsits::{CHECKLIST, VisitStatus};
    let (v, summary, _) = pre_visit(state, caller, visit).await?;
    let mut errors = FieldErrors::new();
    let status = VisitStatus::parse(&input.status).filter(|s| *s != VisitStatus::Scheduled);
    if status.is_none() {
        errors.add("status", "Say whether the pre-visit happened");
    }
    let checklist: Vec<&str> = CHECKLIST
        .iter()
        .map(|(k, _)| *k)
        .filter(|k| input.checklist.iter().any(|c| c == k))
        .collect();
    if input.checklist.len() != checklist.len() {
        errors.add("checklist", "Choose items from the checklist");
    }
    // Only once the visit's time has come (an old pre-visit with no booking can be called off
    // before then; a booked one is called off by cancelling its booking).
    if !(status == Some(VisitStatus::Cancelled) && v.booking_id.is_none())
        && let Err(message) = familytime_domain::previsits::may_record(v.at, state.clock.now())
    {
        errors.add("status", message);
    }
    if input.rules_agreed && status != Some(VisitStatus::Done) {
        errors.add(
            "rules_agreed",
            "Ground rules can only be agreed at a pre-visit that happened",
        );
    }
    let notes = errors
        .take("notes", text::optional("the notes", &input.notes, 10000))
        .flatten();
    let Some(status) = status else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let record = familytime_store::previsits::VisitRecord {
        status,
        rules_agreed: input.rules_agreed,
        checklist: &checklist,
        notes: notes.as_deref(),
        version: input.version,
    };
    state
        .store
        .record_pre_visit(&caller.scope(state.clock.now()), file_org(caller)?, &v.id, &record)
        .await?;
    Ok(summary.id)
}
