//! Running a session: the briefing a supervisor reads before it, the register, rule breaches, the
//! observation record (drafts saved as they go, signed off, then only addenda), and stopping a
//! session early. Called by both the pages and the API.

use super::case_files::file_org;
use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::BookingId;
use familytime_domain::records::{
    self, Addendum, Attendance, Breach, Checklist, Observation, RegisterLine, StopReason,
};
use familytime_domain::schedule::BookingKind;
use familytime_domain::text::{self, FieldErrors};
use familytime_store::StoreError;
use familytime_store::records::{AddendumRow, Attendee, CaseEvent, ObservationRecord, RegisterEntry, RegisterWrite};
use familytime_store::referrals::CaseFile;
use familytime_store::schedule::{BookedParty, BookedStaff, Booking, BookingStatus};
use jiff::tz::TimeZone;

/// How early before the start people may be signed in (visiting parents arrive early to wait).
const REGISTER_OPENS_MINUTES: i64 = 60;

/// A session with its case, for every use case here: found in the caller's organisation and
/// authorised for `action` on the case (at the booking's centre).
pub struct Session {
    pub booking: Booking,
    pub file: CaseFile,
    pub kind: BookingKind,
    pub zone: TimeZone,
}

async fn session_for(state: &AppState, caller: &Caller, id: &str, action: Action) -> Result<Session, AppError> {
    let id = parse_id(id, BookingId::parse)?;
    let org = file_org(caller)?;
    let booking = found(state, caller, state.store.booking(org, id).await, "booking", id).await?;
    let Some(case) = booking.case_id else {
        return Err(AppError::BadRequest(
            "This booking is not for a family, so it keeps no session record".into(),
        ));
    };
    let file = found(state, caller, state.store.case(org, case).await, "case", case).await?;
    authorize(
        state,
        caller,
        action,
        Object::Case {
            organisation: org,
            centre: booking.centre_id,
            referred_by: file.summary.referrer_user_id,
        },
    )
    .await?;
    let kind = BookingKind::parse(&booking.kind).ok_or(AppError::Internal("booking kind"))?;
    let zone = super::case_files::centre_zone(state, caller, booking.centre_id).await?;
    Ok(Session {
        booking,
        file,
        kind,
        zone,
    })
}

fn may(caller: &Caller, action: Action, session: &Session) -> bool {
    let Some(user) = &caller.user else {
        return false;
    };
    let object = Object::Case {
        organisation: user.organisation_id,
        centre: session.booking.centre_id,
        referred_by: session.file.summary.referrer_user_id,
    };
    super::may(caller, action, &object)
}

/// Everything the session's page shows. The briefing and the observation record are left out for
/// those who may not write observations (volunteers): they keep the register only.
pub struct SessionRecordView {
    pub session: Session,
    pub register: Vec<RegisterEntry>,
    pub parties: Vec<BookedParty>,
    pub staff: Vec<BookedStaff>,
    pub events: Vec<CaseEvent>,
    /// `None` when the caller may not see observations or the session keeps none.
    pub observation: Option<ObservationPart>,
    pub briefing: Option<Briefing>,
    pub may_observe: bool,
    pub register_open: bool,
    /// Why the session is closed (its record is signed off), if it is: nothing but addenda is offered.
    pub closed: Option<&'static str>,
    /// The organisation's observation checklist, as it is now.
    pub checklist: Checklist,
}

pub struct ObservationPart {
    pub record: Option<ObservationRecord>,
    pub addenda: Vec<AddendumRow>,
    /// Why no record may be written yet (the session has not started), if so.
    pub not_yet: Option<String>,
}

/// What a supervisor reads before the session: only what their role may see.
pub struct Briefing {
    pub reasons: Option<String>,
    /// The concerns the latest risk assessment found.
    pub risks: Vec<String>,
    pub latest_assessment: Option<String>,
    /// The case's open safeguarding concerns (and those referred on), as `incidents::briefing_line`
    /// words them, each with a link for those who may read concerns at the centre.
    pub concerns: Vec<(String, Option<String>)>,
    pub orders: Vec<String>,
    pub conditions: Vec<&'static str>,
}

/// The ground rules every family agreed to at their pre-visit (shown in every briefing).
pub const CONDITIONS: [&str; 5] = [
    "Gifts and food only as agreed with the centre, checked by staff before the session",
    "No photographs, video or audio recordings unless agreed in writing",
    "Phones away for the whole session",
    "No whispering, secrets or promises; nothing said about the other parent or the court case",
    "The child stays in sight and sound of the supervisor at all times",
];

pub async fn session_record(state: &AppState, caller: &Caller, id: &str) -> Result<SessionRecordView, AppError> {
    let session = session_for(state, caller, id, Action::KeepRegister).await?;
    let org = file_org(caller)?;
    let now = state.clock.now();
    let may_observe = may(caller, Action::WriteObservations, &session);
    state
        .store
        .audit(
            &caller.scope(now),
            familytime_store::AuditEvent::ok("session_record.read", "booking", session.booking.id),
        )
        .await?;
    let ids = [session.booking.id];
    let closed = closed(state, caller, &session).await?.err();
    let observation = if may_observe && records::keeps_observations(session.kind) {
        let record = state.store.observation_for_booking(org, session.booking.id).await?;
        let addenda = match &record {
            Some(r) => state
                .store
                .case_addenda(org, session.file.summary.id)
                .await?
                .into_iter()
                .filter(|a| a.record_id == r.id)
                .collect(),
            None => Vec::new(),
        };
        Some(ObservationPart {
            record,
            addenda,
            not_yet: not_started(&session, now).err().map(|e| e.message()),
        })
    } else {
        None
    };
    let briefing = if may_observe {
        Some(briefing(state, caller, &session).await?)
    } else {
        None
    };
    Ok(SessionRecordView {
        register: state.store.register(org, session.booking.id).await?,
        parties: state.store.booked_parties(org, &ids).await?,
        staff: state.store.booked_staff(org, &ids).await?,
        events: state
            .store
            .case_events(org, session.file.summary.id)
            .await?
            .into_iter()
            .filter(|e| e.booking_id.as_deref() == Some(&session.booking.id.to_string()))
            .collect(),
        register_open: register_open(&session, now).is_ok() && closed.is_none(),
        closed,
        checklist: state.store.observation_checklist(org).await?.0,
        observation,
        briefing,
        may_observe,
        session,
    })
}

/// The briefing for a session of the case. The case file lists its assessments newest first.
async fn briefing(state: &AppState, caller: &Caller, session: &Session) -> Result<Briefing, AppError> {
    use familytime_domain::incidents::{briefing_line, in_briefing};
    let file = &session.file;
    let org = file_org(caller)?;
    let latest = file.assessments.first();
    let may_read_concerns = may(caller, Action::ViewConcerns, session);
    let concerns: Vec<(String, Option<String>)> = state
        .store
        .case_concerns(org, file.summary.id)
        .await?
        .into_iter()
        .filter(|c| in_briefing(c.status, c.referred_to))
        .map(|c| {
            let happened_on = c
                .occurred_at
                .to_zoned(session.zone.clone())
                .strftime("%-d %B %Y")
                .to_string();
            (
                briefing_line(c.kind, &happened_on, c.status, c.decision.as_deref(), c.referred_to),
                may_read_concerns.then(|| format!("/concerns/{}", c.id)),
            )
        })
        .collect();
    if !concerns.is_empty() {
        state
            .store
            .audit(
                &caller.scope(state.clock.now()),
                familytime_store::AuditEvent::ok("concern.briefing", "case", file.summary.id),
            )
            .await?;
    }
    Ok(Briefing {
        reasons: file.risk_background.clone(),
        risks: latest
            .map(|a| a.concerns.iter().map(|c| c.label().to_owned()).collect())
            .unwrap_or_default(),
        latest_assessment: latest.map(|a| format!("{}: {}", a.decision, a.decision_reason)),
        concerns,
        orders: file
            .orders
            .iter()
            .map(|o| match &o.terms {
                Some(terms) => format!("{} ({}): {}", o.kind.replace('_', " "), o.made_on, terms),
                None => format!("{} ({})", o.kind.replace('_', " "), o.made_on),
            })
            .collect(),
        conditions: CONDITIONS.to_vec(),
    })
}

fn live(session: &Session) -> Result<(), AppError> {
    match session.booking.status {
        BookingStatus::Cancelled => Err(AppError::Conflict(
            "This session was cancelled, so nothing is recorded for it".into(),
        )),
        _ => Ok(()),
    }
}

/// Refuses a change to a session whose record is signed off (see `records::closed_reason`). Checked
/// for everyone, volunteers included, whether or not they may read the record itself.
async fn closed(state: &AppState, caller: &Caller, session: &Session) -> Result<Result<(), &'static str>, AppError> {
    let org = file_org(caller)?;
    let signed = state
        .store
        .observation_for_booking(org, session.booking.id)
        .await?
        .is_some_and(|r| r.signed);
    Ok(match records::closed_reason(signed) {
        Some(reason) => Err(reason),
        None => Ok(()),
    })
}

async fn still_open(state: &AppState, caller: &Caller, session: &Session) -> Result<(), AppError> {
    closed(state, caller, session)
        .await?
        .map_err(|reason| AppError::Conflict(reason.into()))
}

fn register_open(session: &Session, now: Timestamp) -> Result<(), AppError> {
    live(session)?;
    let opens = familytime_domain::schedule::add_minutes(session.booking.span.start, -REGISTER_OPENS_MINUTES);
    if now < opens {
        return Err(AppError::Conflict(
            "The register opens an hour before the session starts: this session has not happened yet".into(),
        ));
    }
    Ok(())
}

fn not_started(session: &Session, now: Timestamp) -> Result<(), AppError> {
    live(session)?;
    if now < session.booking.span.start {
        return Err(AppError::Conflict(
            "This session has not started yet: an observation record is written during or after it".into(),
        ));
    }
    Ok(())
}

/// One register line as a form or the API sends it. `who` is `party:ID`, `child:ID` or `visitor`.
#[derive(Debug, Clone, Default)]
pub struct RegisterInput {
    pub who: String,
    pub visitor_name: String,
    pub admission_reason: String,
    pub attendance: String,
    pub arrived: String,
    pub left: String,
    pub brought_by: String,
    pub collected_by: String,
    pub late_minutes: String,
    pub late_reason: String,
    /// When the resident parent left the premises after the drop-off, and came back for the
    /// pick-up (decision 0047); empty when they stayed, or have not yet.
    pub departed: String,
    pub returned: String,
    /// The version the line was opened at; empty or 0 for a person not yet on the register.
    pub version: i64,
}

/// The instant of a centre-clock time on the session's day.
fn on_session_day(session: &Session, time: jiff::civil::Time) -> Result<Timestamp, AppError> {
    let day = session.booking.span.start.to_zoned(session.zone.clone()).date();
    day.to_datetime(time)
        .to_zoned(session.zone.clone())
        .map(|z| z.timestamp())
        .map_err(|_| {
            AppError::Invalid(FieldErrors::single(
                "arrived",
                "That time does not exist on the session's day",
            ))
        })
}

pub async fn write_register(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &RegisterInput,
) -> Result<(), AppError> {
    let session = session_for(state, caller, id, Action::KeepRegister).await?;
    let org = file_org(caller)?;
    register_open(&session, state.clock.now())?;
    still_open(state, caller, &session).await?;
    let line = RegisterLine::parse(
        &input.attendance,
        &input.arrived,
        &input.left,
        &input.brought_by,
        &input.collected_by,
        &input.late_minutes,
        &input.late_reason,
    );
    let mut errors = FieldErrors::new();
    let attendee = attendee(&session.file, input, &mut errors);
    let (departed, returned) = away_times(input, &mut errors);
    let line = match line {
        Ok(line) if errors.is_empty() => line,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(more) => {
            errors.extend(more);
            return Err(AppError::Invalid(errors));
        }
    };
    let Some(attendee) = attendee else {
        return Err(AppError::Invalid(errors));
    };
    let arrived_at = line.arrived.map(|t| on_session_day(&session, t)).transpose()?;
    let left_at = line.left.map(|t| on_session_day(&session, t)).transpose()?;
    let departed_at = departed.map(|t| on_session_day(&session, t)).transpose()?;
    let returned_at = returned.map(|t| on_session_day(&session, t)).transpose()?;
    // An adult of the case recorded as not having come: the referrer is told, by 10:00 the next
    // working day, in the register's own transaction (decision 0050).
    let (messages, messages_due_by) = match (&attendee, line.attendance) {
        (Attendee::Party(party), Attendance::NoShow) => {
            match session.file.parties.iter().find(|p| p.id.to_string() == *party) {
                Some(p) => {
                    let (messages, due) = crate::mail::notices::missed_session(
                        state,
                        org,
                        &session.file.summary,
                        session.booking.id,
                        session.booking.centre_id,
                        session.booking.span.start,
                        crate::mail::notices::Missed::DidNotAttend(p.role),
                    )
                    .await?;
                    (messages, Some(due))
                }
                None => (Vec::new(), None),
            }
        }
        _ => (Vec::new(), None),
    };
    // A line corrected to say the adult came takes back the notice while it still waits.
    let withdraw = match (&attendee, line.attendance) {
        (Attendee::Party(party), Attendance::Arrived | Attendance::Left) => session
            .file
            .parties
            .iter()
            .find(|p| p.id.to_string() == *party)
            .map(|p| crate::mail::notices::missed_key(session.booking.id, p.role)),
        _ => None,
    };
    let write = RegisterWrite {
        attendee: &attendee,
        attendance: line.attendance,
        arrived_at,
        left_at,
        brought_by: line.brought_by.as_deref(),
        collected_by: line.collected_by.as_deref(),
        late_minutes: line.late_minutes,
        late_reason: line.late_reason.as_deref(),
        departed_at,
        returned_at,
        version: (input.version > 0).then_some(input.version),
        messages: &messages,
        messages_due_by,
        withdraw,
    };
    state
        .store
        .write_register(
            &caller.scope(state.clock.now()),
            org,
            session.booking.id,
            session.file.summary.id,
            &write,
        )
        .await?;
    Ok(())
}

/// The resident parent's departure after the drop-off and return for the pick-up, as centre-clock
/// times: each optional, a return only after a departure, and not before it.
fn away_times(
    input: &RegisterInput,
    errors: &mut FieldErrors,
) -> (Option<jiff::civil::Time>, Option<jiff::civil::Time>) {
    let mut time = |field: &'static str, text: &str| match text.trim() {
        "" => None,
        text => match familytime_domain::dates::parse_time(text) {
            Ok(t) => Some(t),
            Err(_) => {
                errors.add(field, "Enter a time like 14:05");
                None
            }
        },
    };
    let departed = time("departed", &input.departed);
    let returned = time("returned", &input.returned);
    let any = !input.departed.trim().is_empty() || !input.returned.trim().is_empty();
    if any && !input.who.trim().starts_with("party:") {
        errors.add("departed", "Only an adult named on the case leaves and comes back");
    }
    match (departed, returned) {
        (None, Some(_)) if input.departed.trim().is_empty() => errors.add(
            "departed",
            "Enter when they left the premises before when they came back",
        ),
        (Some(d), Some(r)) if r < d => errors.add("returned", "They came back after they left: check the times"),
        _ => {}
    }
    (departed, returned)
}

/// Who a register line is for: an adult or child named on the case, or another adult admitted for
/// a recorded reason (the written agreement of both parties, or a court order).
fn attendee(file: &CaseFile, input: &RegisterInput, errors: &mut FieldErrors) -> Option<Attendee> {
    let who = input.who.trim();
    if let Some(party) = who.strip_prefix("party:") {
        return match file.parties.iter().find(|p| p.id.to_string() == party) {
            Some(p) if p.may_attend => Some(Attendee::Party(p.id.to_string())),
            Some(_) => {
                errors.add(
                    "who",
                    "This adult is not allowed to attend. Admitting them needs a recorded reason: add them as another adult",
                );
                None
            }
            None => {
                errors.add("who", "Choose someone named on the case");
                None
            }
        };
    }
    if let Some(child) = who.strip_prefix("child:") {
        return match file.children.iter().find(|c| c.id.to_string() == child) {
            Some(c) => Some(Attendee::Child(c.id.to_string())),
            None => {
                errors.add("who", "Choose someone named on the case");
                None
            }
        };
    }
    if who == "visitor" {
        let name = errors.take(
            "visitor_name",
            text::required("the adult's name", &input.visitor_name, 200),
        );
        if input.version > 0 {
            // A change to someone already admitted: the reason was recorded when they were.
            return name.map(|name| Attendee::Visitor {
                name,
                reason: String::new(),
            });
        }
        let reason = errors.take(
            "admission_reason",
            text::required(
                "why they may attend (the written agreement of both parties, or a court order)",
                &input.admission_reason,
                1000,
            ),
        );
        return match (name, reason) {
            (Some(name), Some(reason)) => Some(Attendee::Visitor { name, reason }),
            _ => None,
        };
    }
    errors.add("who", "Choose who this line is for");
    None
}

/// A rule breach as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct BreachInput {
    pub kind: String,
    pub party: String,
    pub detail: String,
}

pub async fn record_breach(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &BreachInput,
) -> Result<String, AppError> {
    let session = session_for(state, caller, id, Action::KeepRegister).await?;
    register_open(&session, state.clock.now())?;
    still_open(state, caller, &session).await?;
    let mut errors = FieldErrors::new();
    let kind = Breach::parse(&input.kind);
    if kind.is_none() {
        errors.add("breach_kind", "Choose which rule was broken");
    }
    let party = match input.party.trim() {
        "" => None,
        p => match session.file.parties.iter().find(|x| x.id.to_string() == p) {
            Some(x) => Some(x.id.to_string()),
            None => {
                errors.add("breach_party", "Choose an adult named on the case");
                None
            }
        },
    };
    let detail = errors.take(
        "breach_detail",
        text::required("what happened, in facts", &input.detail, 5000),
    );
    let (Some(kind), Some(detail)) = (kind, detail) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    Ok(state
        .store
        .record_case_event(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            session.file.summary.id,
            Some(session.booking.id),
            party.as_deref(),
            kind,
            &detail,
        )
        .await?)
}

/// A draft observation as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct ObservationInput {
    pub sections: Vec<(String, String)>,
    pub checklist: Vec<String>,
    /// The version the draft was opened at: 0 for a new record.
    pub version: i64,
}

/// Refuses observation notes where they are not kept: volunteers, and sessions that keep attendance
/// and safeguarding concerns only.
async fn observable(state: &AppState, caller: &Caller, id: &str) -> Result<Session, AppError> {
    let session = session_for(state, caller, id, Action::KeepRegister).await?;
    if !may(caller, Action::WriteObservations, &session) {
        return Err(AppError::Forbidden);
    }
    if let Some(reason) = records::no_observations_reason(session.kind) {
        return Err(AppError::Conflict(reason.into()));
    }
    Ok(session)
}

/// Saves a draft; returns the record's id and its new version (for the next save).
pub async fn save_observation(
    state: &AppState,
    caller: &Caller,
    id: &str,
    input: &ObservationInput,
) -> Result<(String, i64), AppError> {
    let session = observable(state, caller, id).await?;
    not_started(&session, state.clock.now())?;
    let org = file_org(caller)?;
    let fields: Vec<(&str, &str)> = input.sections.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let checklist = state.store.observation_checklist(org).await?.0;
    let content = Observation::parse(&fields, &input.checklist, &checklist).map_err(AppError::Invalid)?;
    if let Some(existing) = state.store.observation_for_booking(org, session.booking.id).await?
        && existing.author_id != caller.user()?.id
        && !existing.signed
    {
        return Err(AppError::Conflict(format!(
            "{} is writing this record. Only its author changes the draft; others add an addendum once it is signed",
            existing.author_name
        )));
    }
    match state
        .store
        .save_observation(
            &caller.scope(state.clock.now()),
            org,
            session.booking.id,
            session.file.summary.id,
            &content,
            input.version,
        )
        .await
    {
        Err(StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        other => Ok(other?),
    }
}

async fn record_for(state: &AppState, caller: &Caller, record: &str) -> Result<(ObservationRecord, Session), AppError> {
    let org = file_org(caller)?;
    let found_record = found(
        state,
        caller,
        state.store.observation(org, record).await,
        "observation_record",
        record,
    )
    .await?;
    let session = observable(state, caller, &found_record.booking_id.to_string()).await?;
    Ok((found_record, session))
}

/// The author signs the record off at `version`: from then on it never changes.
pub async fn sign_observation(
    state: &AppState,
    caller: &Caller,
    record: &str,
    version: i64,
) -> Result<String, AppError> {
    let (record, _) = record_for(state, caller, record).await?;
    let me = caller.user()?.id;
    if record.signed {
        return Err(AppError::Conflict("This record is already signed off".into()));
    }
    if record.author_id != me {
        return Err(AppError::Conflict("Only the record's author can sign it off".into()));
    }
    if record.version != version {
        return Err(AppError::Stale);
    }
    record.content.ready_to_sign().map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let hash = records::record_hash(
        &record.id,
        &me.to_string(),
        now.as_millisecond(),
        &record.content.to_json(),
    );
    state
        .store
        .sign_observation(&caller.scope(now), file_org(caller)?, &record.id, version, &hash)
        .await?;
    Ok(hash)
}

/// Adds an addendum (who, when, why) to a signed record.
pub async fn add_addendum(
    state: &AppState,
    caller: &Caller,
    record: &str,
    text: &str,
    reason: &str,
) -> Result<String, AppError> {
    let (record, _) = record_for(state, caller, record).await?;
    let Some(record_hash) = record.content_hash.as_deref().filter(|_| record.signed) else {
        return Err(AppError::Conflict(
            "Addenda are added to signed records; change the draft itself until it is signed".into(),
        ));
    };
    let addendum = Addendum::parse(text, reason).map_err(AppError::Invalid)?;
    let now = state.clock.now();
    let me = caller.user()?.id.to_string();
    let hash = records::addendum_hash(record_hash, &me, now.as_millisecond(), &addendum.reason, &addendum.text);
    state
        .store
        .add_addendum(
            &caller.scope(now),
            file_org(caller)?,
            &record.id,
            &addendum.text,
            &addendum.reason,
            &hash,
        )
        .await?;
    Ok(hash)
}

/// Stopping a session early, as a form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct StopInput {
    pub reason: String,
    pub detail: String,
    pub version: i64,
}

/// A supervisor stops a session early. That is not ending the service (a coordinator's decision).
pub async fn stop_session(state: &AppState, caller: &Caller, id: &str, input: &StopInput) -> Result<(), AppError> {
    let session = session_for(state, caller, id, Action::WriteObservations).await?;
    not_started(&session, state.clock.now())?;
    still_open(state, caller, &session).await?;
    let mut errors = FieldErrors::new();
    let reason = StopReason::parse(&input.reason);
    if reason.is_none() {
        errors.add("stop_reason", "Choose why the session was stopped");
    }
    let detail = errors.take("stop_detail", text::required("what happened", &input.detail, 2000));
    let (Some(reason), Some(detail)) = (reason, detail) else {
        return Err(AppError::Invalid(errors));
    };
    if session.booking.status != BookingStatus::Confirmed {
        return Err(AppError::Conflict(format!(
            "Only a confirmed session can be stopped; this one is {}",
            session.booking.status.label().to_lowercase()
        )));
    }
    let why = format!("{}: {detail}", reason.label());
    // The referrer is told the session was stopped, by 10:00 the next working day, with the change
    // (decision 0050); not why: that is the session's record, read in the report.
    let org = file_org(caller)?;
    let (messages, due) = crate::mail::notices::missed_session(
        state,
        org,
        &session.file.summary,
        session.booking.id,
        session.booking.centre_id,
        session.booking.span.start,
        crate::mail::notices::Missed::Stopped,
    )
    .await?;
    match state
        .store
        .set_booking_status_due_by(
            &caller.scope(state.clock.now()),
            org,
            session.booking.id,
            BookingStatus::StoppedEarly,
            input.version,
            Some(&why),
            None,
            &messages,
            Some(due),
        )
        .await
    {
        Err(StoreError::Conflict(m)) => Err(AppError::Conflict(m)),
        other => Ok(other?),
    }
}

/// The organisation's observation checklist and its version (0 while it is the default), for those
/// who write records.
pub async fn checklist(state: &AppState, caller: &Caller) -> Result<(Checklist, i64), AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::WriteObservations, Object::Organisation(org)).await?;
    Ok(state.store.observation_checklist(org).await?)
}

/// An administrator sets the organisation's checklist, one item a line; a stale change is refused.
pub async fn set_checklist(state: &AppState, caller: &Caller, text: &str, version: i64) -> Result<(), AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::ManageCentres, Object::Organisation(org)).await?;
    let checklist = Checklist::parse(text).map_err(AppError::Invalid)?;
    state
        .store
        .set_observation_checklist(&caller.scope(state.clock.now()), org, &checklist, version)
        .await?;
    Ok(())
}
