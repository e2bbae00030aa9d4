//! Referrals and cases: referrers send referrals and follow their status; coordinators enter
//! referrals received by e-mail or phone, read case files, move cases through their statuses and
//! assess risk. Confidential contact details are disclosed here, and only here, per viewer.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::case_files::{case_file, centre_zone, file_org};
use super::{authorize, found, parse_id};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::CentreScope;
use familytime_domain::authz::{Action, Object};
use familytime_domain::confidential::{Viewer, Withheld, may_disclose};
use familytime_domain::ids::{CaseId, CentreId};
use familytime_domain::intake::ReferralInput;
use familytime_domain::people::Role;
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, ReferralSource, Service, Transition};
use familytime_domain::text::{self, FieldErrors};
use familytime_domain::triage::{self, Advice, Concern};
use familytime_store::case_list::CaseListFilter;
use familytime_store::paging::{PAGE_SIZE, Page, PageRequest, UNKNOWN_CURSOR};
use familytime_store::referrals::{CaseFile, CaseSummary, NewAssessment, StatusChange};
use familytime_store::{AuditEvent, StoreError};

/// A contact detail as one viewer may see it: the value, or `None` where it is hidden from them.
#[derive(Debug, Clone)]
pub struct ShownContact {
    pub owner: String,
    pub kind: &'static str,
    pub value: Option<String>,
    /// Why the value is not shown: a reason would let this viewer see it, or nothing would.
    pub withheld: Option<Withheld>,
    /// The adults it is hidden from (names), so staff see the restriction beside the value.
    pub hidden_from: Vec<String>,
}

impl ShownContact {
    /// Whether giving a reason would show this viewer the value (the page offers the reason step).
    pub fn reason_would_show(&self) -> bool {
        self.withheld == Some(Withheld::ReasonNeeded)
    }
}

/// A case file prepared for a member of staff.
pub struct CaseView {
    pub file: CaseFile,
    pub contacts: Vec<ShownContact>,
    /// The staff named for the case (its key worker first).
    pub named: Vec<familytime_store::confidential::NamedStaff>,
    pub advice: Option<Advice>,
    /// When an incident (or allegation, or disclosure) was raised that the latest risk assessment
    /// has not yet taken into account.
    pub reassessment_due: Option<familytime_domain::Timestamp>,
    /// Cafcass-funded hours used and whether a review is due (see app::reviews).
    pub service: super::reviews::CaseFacts,
}

/// What a referrer sees of a referral they made: where it stands, never the file.
pub struct ReferralStatus {
    pub summary: CaseSummary,
    pub history: Vec<(CaseStatus, familytime_domain::Timestamp)>,
}

/// The centre's calendar date now (a child's date of birth cannot be after it).
async fn centre_today(state: &AppState, caller: &Caller, centre: CentreId) -> Result<jiff::civil::Date, AppError> {
    let org = caller.user()?.organisation_id;
    let centre = found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    let zone = jiff::tz::TimeZone::get(&centre.time_zone).unwrap_or(jiff::tz::TimeZone::UTC);
    Ok(state.clock.now().to_zoned(zone).date())
}

/// Sends a referral in. A referrer's referral is theirs (they follow its status); staff enter
/// referrals received by e-mail or phone, with the source as given.
pub async fn submit(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    input: &ReferralInput,
) -> Result<CaseSummary, AppError> {
    let user = caller.user()?;
    // Without a centre, the rest is still checked, so the form shows every problem at once.
    let not_a_centre = |state: &AppState| {
        let mut errors = FieldErrors::single("centre_id", "Choose a centre from the list");
        if let Err(more) = input.parse(state.clock.now().to_zoned(jiff::tz::TimeZone::UTC).date()) {
            errors.extend(more);
        }
        AppError::Invalid(errors)
    };
    let centre = CentreId::parse(centre).map_err(|_| not_a_centre(state))?;
    let actor = authorize(
        state,
        caller,
        Action::SubmitReferral,
        Object::Centre {
            organisation: user.organisation_id,
            centre,
        },
    )
    .await?;
    let today = match centre_today(state, caller, centre).await {
        Err(AppError::NotFound) => return Err(not_a_centre(state)),
        other => other?,
    };
    let mut referral = input.parse(today).map_err(AppError::Invalid)?;
    let referrer = (actor.role == Role::Referrer).then_some(actor.user_id);
    if referrer.is_some() && referral.source == ReferralSource::SelfReferral {
        return Err(AppError::Invalid(FieldErrors::single(
            "source",
            "Choose the kind of professional you are",
        )));
    }
    if referrer.is_some() && referral.referrer_name.is_none() {
        referral.referrer_name = Some(user.name.clone());
    }
    let scope = caller.scope(state.clock.now());
    let id = state
        .store
        .create_case(&scope, actor.organisation_id, centre, referrer, &referral)
        .await?;
    Ok(state.store.case(actor.organisation_id, id).await?.summary)
}

/// The referrer's own referrals, newest first.
pub async fn own_referrals(state: &AppState, caller: &Caller) -> Result<Vec<CaseSummary>, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewOwnReferrals, Object::Organisation(org)).await?;
    Ok(state.store.cases(org, None, Some(actor.user_id)).await?)
}

/// Where one of the referrer's own referrals stands.
pub async fn own_referral(state: &AppState, caller: &Caller, id: &str) -> Result<ReferralStatus, AppError> {
    let id = parse_id(id, CaseId::parse)?;
    let org = caller.user()?.organisation_id;
    let file = found(state, caller, state.store.case(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: file.summary.centre_id,
        referred_by: file.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ViewOwnReferrals, object).await?;
    let history = file.history.iter().map(|h: &StatusChange| (h.to, h.at)).collect();
    Ok(ReferralStatus {
        summary: file.summary,
        history,
    })
}

/// What a case list is narrowed to, as typed (each part may be blank), and which page of it.
#[derive(Debug, Default, Clone, Copy)]
pub struct CaseFilter<'a> {
    pub status: Option<&'a str>,
    pub search: Option<&'a str>,
    pub centre: Option<&'a str>,
    /// The page after (or before) this case, as the list's links give it.
    pub after: Option<&'a str>,
    pub before: Option<&'a str>,
}

/// A page of the cases at the caller's centres, newest first (the waiting list: longest wait
/// first), optionally of one status or centre, or found by a search (a read of personal data:
/// audited). The filters and the caller's centres narrow the read itself, so every page is full.
pub async fn list_cases(
    state: &AppState,
    caller: &Caller,
    filter: CaseFilter<'_>,
) -> Result<Page<CaseSummary>, AppError> {
    let CaseFilter {
        status,
        search,
        centre,
        after,
        before,
    } = filter;
    let centre = match centre.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(CentreId::parse(c).map_err(|_| AppError::BadRequest("Choose a centre from the list".into()))?),
        None => None,
    };
    let request = PageRequest::from_query(after, before, PAGE_SIZE).map_err(|m| AppError::BadRequest(m.into()))?;
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewCases, Object::Organisation(org)).await?;
    let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => {
            Some(CaseStatus::parse(s).ok_or_else(|| AppError::BadRequest("Choose a status from the list".into()))?)
        }
        None => None,
    };
    // The centres read: the one asked for (if the caller works there), else all of the caller's.
    let centres = match (&actor.centres, centre) {
        (_, Some(wanted)) => Some(std::iter::once(wanted).filter(|c| actor.centres.includes(*c)).collect()),
        (CentreScope::All, None) => None,
        (CentreScope::Only(only), None) => Some(only.clone()),
    };
    let list = CaseListFilter {
        status,
        centres,
        search: search.map(|s| s.trim().to_lowercase()).filter(|s| !s.is_empty()),
    };
    let cases = match state.store.case_page(org, &list, &request).await {
        Err(StoreError::NotFound) => return Err(AppError::BadRequest(UNKNOWN_CURSOR.into())),
        other => other?,
    };
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("case.list", "organisation", org),
        )
        .await?;
    Ok(cases)
}

/// A case file for staff. The read is audited before the answer leaves, and so is each
/// disclosure of a detail hidden from a party. Whether the caller sees such a detail is the domain's
/// decision, from their relation to the case (named for it, supervising its session today, a reason
/// given) gathered here.
pub async fn get_case(state: &AppState, caller: &Caller, id: &str) -> Result<CaseView, AppError> {
    let file = case_file(state, caller, id, Action::ViewCases).await?;
    let role = caller.user()?.role;
    let now = state.clock.now();
    let scope = caller.scope(now);
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let relation = super::confidential::relation(state, caller, &file).await?;
    state
        .store
        .audit(&scope, AuditEvent::ok("case.read", "case", file.summary.id))
        .await?;
    let name_of_party = |p| {
        file.parties
            .iter()
            .find(|x| x.id == p)
            .map(|x| x.name.clone())
            .unwrap_or_default()
    };
    let mut contacts = Vec::new();
    for c in &file.contacts {
        let owner = match (c.party_id, c.child_id) {
            (Some(p), _) => name_of_party(p),
            (_, Some(child)) => file
                .children
                .iter()
                .find(|x| x.id == child)
                .map(|x| x.name.clone())
                .unwrap_or_default(),
            _ => String::new(),
        };
        let viewer = Viewer::Staff {
            role,
            relation: &relation,
        };
        let (value, withheld) = match may_disclose(viewer, &c.hidden_from, now, &zone) {
            Ok(disclosure) => {
                if !c.hidden_from.is_empty() {
                    state
                        .store
                        .audit(&scope, AuditEvent::ok("contact.disclose", "contact", &c.id))
                        .await?;
                }
                (Some(c.value.reveal(&disclosure).clone()), None)
            }
            Err(why) => (None, Some(why)),
        };
        contacts.push(ShownContact {
            owner,
            kind: c.kind.label(),
            value,
            withheld,
            hidden_from: c.hidden_from.iter().map(|p| name_of_party(*p)).collect(),
        });
    }
    let advice = file.assessments.first().map(|a| triage::advise(&a.concerns));
    let reassessment_due = state
        .store
        .risk_reassessment_due(file_org(caller)?, file.summary.id)
        .await?;
    let service = super::reviews::case_facts(state, file_org(caller)?, &file, &zone).await?;
    let named = state.store.named_staff(file_org(caller)?, file.summary.id).await?;
    Ok(CaseView {
        file,
        contacts,
        named,
        advice,
        reassessment_due,
        service,
    })
}

/// Trimmed text, or `None` when blank.
fn optional(v: &str) -> Option<&str> {
    Some(v.trim()).filter(|v| !v.is_empty())
}

/// A status change as a form or the API sends it.
#[derive(Debug, Default, Clone)]
pub struct TransitionInput {
    pub to: String,
    pub reason: String,
    pub service: String,
    pub outcome: String,
    pub missing: String,
    pub version: i64,
}

/// Moves a case on; illegal moves and stale versions are refused with the reason.
pub async fn transition(state: &AppState, caller: &Caller, id: &str, input: &TransitionInput) -> Result<(), AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let mut errors = FieldErrors::new();
    let to = CaseStatus::parse(&input.to);
    if to.is_none() {
        errors.add("to", "Choose what happens next");
    }
    let service = optional(&input.service).map(|s| Service::parse(s).ok_or("Choose a service from the list"));
    let outcome = optional(&input.outcome).map(|o| ClosureOutcome::parse(o).ok_or("Choose an outcome from the list"));
    if let Some(Err(m)) = service {
        errors.add("service", m);
    }
    if let Some(Err(m)) = outcome {
        errors.add("outcome", m);
    }
    let Some(to) = to else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    // Accepting takes the service the latest risk assessment decided, unless another is chosen
    // (with the reason every move needs, which the history keeps).
    let service = service
        .and_then(Result::ok)
        .or_else(|| (to == CaseStatus::Accepted).then(|| assessed_service(&file)).flatten());
    let t = Transition {
        to,
        reason: input.reason.trim().to_owned(),
        service,
        outcome: outcome.and_then(Result::ok),
        missing: optional(&input.missing).map(str::to_owned),
    };
    // The domain's checks first, each message on its own field, all at once.
    let problems = familytime_domain::referrals::transition_problems(file.summary.status, &t);
    if !problems.is_empty() {
        use familytime_domain::referrals::TransitionError as E;
        let mut errors = FieldErrors::new();
        for e in problems {
            let field = match e {
                E::NotAllowed { .. } => "to",
                E::ServiceRequired => "service",
                E::OutcomeRequired => "outcome",
                E::MissingRequired => "missing",
                E::ReasonRequired | E::TooLong(_) => "reason",
            };
            errors.add(field, e.to_string());
        }
        return Err(AppError::Invalid(errors));
    }
    let org = file_org(caller)?;
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .transition_case(&scope, org, file.summary.id, input.version, &t)
        .await?)
}

/// The service the case's latest risk assessment decided, if it has one.
pub fn assessed_service(file: &CaseFile) -> Option<Service> {
    file.assessments.first().and_then(|a| Service::parse(&a.decision))
}

/// A risk assessment as a form or the API sends it.
#[derive(Debug, Default, Clone)]
pub struct AssessmentInput {
    pub concerns: Vec<String>,
    pub notes: String,
    pub decision: String,
    pub decision_reason: String,
}

/// Records a risk assessment: the rules suggest, the coordinator decides and says why.
pub async fn assess(state: &AppState, caller: &Caller, id: &str, input: &AssessmentInput) -> Result<Advice, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let mut errors = FieldErrors::new();
    let mut concerns = Vec::new();
    for c in &input.concerns {
        match Concern::parse(c) {
            Some(concern) => concerns.push(concern),
            None => errors.add("concerns", "Choose concerns from the list"),
        }
    }
    let notes = errors
        .take("notes", text::optional("the notes", &input.notes, 10000))
        .flatten();
    let decision = Service::parse(&input.decision);
    if decision.is_none() {
        errors.add("decision", "Choose the service you decide on");
    }
    let reason = errors.take(
        "decision_reason",
        text::required("why you decided this", &input.decision_reason, 4000),
    );
    let (Some(decision), Some(reason)) = (decision, reason) else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let advice = triage::advise(&concerns);
    let assessment = NewAssessment {
        concerns: &concerns,
        notes: notes.as_deref(),
        suggestion: advice.suggestion.as_str(),
        decision,
        decision_reason: &reason,
    };
    let scope = caller.scope(state.clock.now());
    state
        .store
        .add_risk_assessment(&scope, file_org(caller)?, file.summary.id, &assessment)
        .await?;
    Ok(advice)
}

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
) -> Result<super::schedule::BookingOutcome, AppError> {
    let booking = super::schedule::BookingInput {
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
    };
    super::schedule::book(state, caller, id, &booking).await
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

/// How many self-referrals one client address may send in an hour (the form is public).
const SELF_REFERRALS_PER_HOUR: u32 = 5;

/// The centres a parent can refer themself to.
pub async fn public_centres(state: &AppState) -> Result<Vec<familytime_store::tenancy::Centre>, AppError> {
    Ok(state.store.all_centres().await?)
}

/// A parent refers themself (no account). Limited per client address; the other adult is named only,
/// and gives their own part later through a link the centre sends them.
pub async fn self_refer(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    input: &familytime_domain::intake::SelfReferralInput,
) -> Result<CaseSummary, AppError> {
    // Every problem is reported at once: the centre, this form's own checks, then the general
    // referral checks (under this form's field names, without repeating what was already said).
    let mut errors = FieldErrors::new();
    let chosen = match CentreId::parse(centre) {
        Ok(id) => state.store.all_centres().await?.into_iter().find(|c| c.id == id),
        Err(_) => None,
    };
    if chosen.is_none() {
        errors.add("centre_id", "Choose the centre you want to use");
    }
    let zone = chosen
        .as_ref()
        .and_then(|c| jiff::tz::TimeZone::get(&c.time_zone).ok())
        .unwrap_or(jiff::tz::TimeZone::UTC);
    let now = state.clock.now();
    let today = now.to_zoned(zone).date();
    let (referral, own) = input.to_referral(today);
    errors.extend(own);
    let parsed = referral.parse(today);
    if let Err(general) = &parsed {
        for e in self_referral_fields(general.clone()).0 {
            if !errors.0.iter().any(|k| k.field == e.field) {
                errors.add(e.field, e.message);
            }
        }
    }
    let (Some(centre), Ok(referral), true) = (chosen, parsed, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let centre_id = centre.id;
    let key = crate::secrets::token_hash(&format!(
        "self-referral:{}",
        familytime_domain::ratelimit::ThrottleKey::client_address(&caller.client_addr).material()
    ));
    let since = now.checked_sub(jiff::SignedDuration::from_hours(1)).unwrap_or(now);
    if state
        .store
        .reserve_login_attempt(&[key], now, since, SELF_REFERRALS_PER_HOUR)
        .await?
        .is_none()
    {
        return Err(AppError::TooManyRequests(
            "Too many referrals have been sent from here. Wait an hour, or contact the centre.".into(),
        ));
    }
    let scope = familytime_store::AuditScope {
        organisation_id: Some(centre.organisation_id),
        ..caller.scope(now)
    };
    let id = state
        .store
        .create_case(&scope, centre.organisation_id, centre_id, None, &referral)
        .await?;
    Ok(state.store.case(centre.organisation_id, id).await?.summary)
}

/// The general referral checks name fields of the general form; on the self-referral form they are
/// the applicant's ("adults" is about them and the other parent; "children" stays).
fn self_referral_fields(errors: FieldErrors) -> FieldErrors {
    FieldErrors(
        errors
            .0
            .into_iter()
            .map(|mut e| {
                e.field = match e.field {
                    "adults" => "your_name",
                    "children" => "child1_name",
                    "risk_background" => "safety",
                    "orders_described" => "order_details",
                    "service_asked" => "service",
                    other => other,
                };
                e
            })
            // The adults' and children's details are all checked by the form's own checks, under
            // its own names.
            .filter(|e| e.field != "your_name" && e.field != "child1_name")
            .collect(),
    )
}

/// How long an invitation link works.
const INVITE_DAYS: i64 = 28;

/// Makes a one-time link for one adult of the case to give their own part; returns the secret
/// token (shown once to the member of staff, who sends it).
pub async fn create_invite(state: &AppState, caller: &Caller, id: &str, party: &str) -> Result<String, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    let party = familytime_domain::ids::PartyId::parse(party)
        .ok()
        .filter(|p| file.parties.iter().any(|x| x.id == *p))
        .ok_or_else(|| {
            AppError::Invalid(FieldErrors::single(
                "invite_party",
                "Choose one of the adults on this case",
            ))
        })?;
    let token = crate::secrets::random_token();
    let now = state.clock.now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(24 * INVITE_DAYS))
        .unwrap_or(now);
    state
        .store
        .create_party_invite(
            &caller.scope(now),
            file_org(caller)?,
            file.summary.id,
            party,
            &crate::secrets::token_hash(&token),
            expires,
        )
        .await?;
    Ok(token)
}

/// The invitation behind a link, if it still works.
pub async fn invite(state: &AppState, token: &str) -> Result<familytime_store::referrals::Invite, AppError> {
    state
        .store
        .party_invite(&crate::secrets::token_hash(token), state.clock.now())
        .await?
        .ok_or(AppError::NotFound)
}

/// The invited adult gives their own part; their details are hidden from the other adults if they
/// ask (the safe default). Returns the case reference.
pub async fn give_own_part(
    state: &AppState,
    caller: &Caller,
    token: &str,
    input: &familytime_domain::intake::OwnPartInput,
) -> Result<String, AppError> {
    let invite = invite(state, token).await?;
    let file = state.store.case(invite.organisation_id, invite.case_id).await?;
    let others: Vec<familytime_domain::ids::PartyId> = file
        .parties
        .iter()
        .map(|p| p.id)
        .filter(|p| *p != invite.party_id)
        .collect();
    let part = input.parse(others.len()).map_err(AppError::Invalid)?;
    let scope = caller.scope(state.clock.now());
    if !state
        .store
        .give_own_part(&scope, &crate::secrets::token_hash(token), &part, &others)
        .await?
    {
        return Err(AppError::NotFound);
    }
    Ok(invite.reference)
}

/// Keeps a document on a case: its kind is decided by its content, images lose their metadata, and
/// it is stored under a name the server makes.
pub async fn upload_document(
    state: &AppState,
    caller: &Caller,
    id: &str,
    file_name: &str,
    bytes: &[u8],
    description: &str,
) -> Result<String, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    // Parsing a PDF or inflating a Word document can take a while: not on the request threads.
    let owned = bytes.to_vec();
    let checked = tokio::task::spawn_blocking(move || familytime_domain::documents::accept(&owned))
        .await
        .map_err(|_| AppError::Internal("document check"))?;
    let (kind, kept) = checked.map_err(|refusal| match refusal {
        familytime_domain::documents::Refusal::TooLarge => AppError::PayloadTooLarge,
        other => AppError::Invalid(FieldErrors::single("document", other.to_string())),
    })?;
    let description = text::optional("the description", description, 500)
        .map_err(|m| AppError::Invalid(FieldErrors::single("description", m)))?;
    let name = familytime_domain::documents::display_name(file_name, kind);
    let doc = familytime_store::documents::NewDocument {
        kind,
        name: &name,
        description: description.as_deref(),
        bytes: &kept,
    };
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .add_document(
            &scope,
            file_org(caller)?,
            file.summary.id,
            &state.config.documents_dir,
            &doc,
        )
        .await?)
}

/// The documents on a case (for people who may read the case file).
pub async fn documents(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Vec<familytime_store::documents::Document>, AppError> {
    let file = case_file(state, caller, id, Action::ViewCases).await?;
    Ok(state.store.documents(file_org(caller)?, file.summary.id).await?)
}

/// A document's bytes, for someone who may read its case file; the download is audited.
pub async fn download_document(
    state: &AppState,
    caller: &Caller,
    document: &str,
) -> Result<(familytime_store::documents::Document, Vec<u8>), AppError> {
    let org = file_org(caller)?;
    let doc = found(
        state,
        caller,
        state.store.document(org, document).await,
        "document",
        document,
    )
    .await?;
    case_file(state, caller, &doc.case_id.to_string(), Action::ViewCases).await?;
    let bytes = state
        .store
        .read_document(&caller.scope(state.clock.now()), &state.config.documents_dir, &doc)
        .await?;
    Ok((doc, bytes))
}

/// Links a parent's account to their place on the case (or unlinks it, with an empty `user`), so the
/// reports released to them appear in their portal.
pub async fn link_party_account(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    user: &str,
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let party = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .ok_or(AppError::NotFound)?
        .id;
    let user = match user.trim() {
        "" => None,
        id => Some(
            familytime_domain::ids::UserId::parse(id)
                .map_err(|_| AppError::Invalid(FieldErrors::single("account", "Choose a parent's account")))?,
        ),
    };
    match state
        .store
        .link_party_account(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            party,
            user,
            version,
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("account", m))),
        other => Ok(other?),
    }
}

/// The organisation's parent accounts (id, name and e-mail), for linking them to a case.
pub async fn parent_accounts(state: &AppState, caller: &Caller) -> Result<Vec<(String, String)>, AppError> {
    let org = file_org(caller)?;
    Ok(state
        .store
        .users_in_roles(org, &[familytime_domain::people::Role::Parent])
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
        .collect())
}

/// An adult's details as the edit form sends them.
#[derive(Debug, Default, Clone)]
pub struct PartyEditInput {
    pub name: String,
    pub relationship: String,
    /// "yes", "no" or "not_known".
    pub parental_responsibility: String,
    pub language: String,
    pub interpreter: bool,
    pub access: String,
    pub availability: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// Keep the address, phone and e-mail hidden from the case's other adults.
    pub keep_hidden: bool,
    pub version: i64,
}

/// One adult of a case as its edit form shows them.
pub struct PartyEditView {
    pub case: CaseSummary,
    pub party: familytime_store::referrals::Party,
    /// Their address, phone and e-mail, when the editor may see every one of them (else `None`:
    /// the form then leaves them alone, and says why).
    pub contacts: Option<[String; 3]>,
    /// Whether their details are hidden from another adult now.
    pub hidden: bool,
    /// The case's other adults (those "hidden from the other adults" hides them from).
    pub others: Vec<familytime_domain::ids::PartyId>,
}

const EDITABLE_KINDS: [familytime_domain::intake::ContactKind; 3] = [
    familytime_domain::intake::ContactKind::Address,
    familytime_domain::intake::ContactKind::Phone,
    familytime_domain::intake::ContactKind::Email,
];

/// An adult of a case, for editing (for people who manage cases). Reading it is audited like the case
/// file, and so is each hidden detail shown; a detail hidden from the editor is never shown.
pub async fn party_for_edit(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
) -> Result<PartyEditView, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let p = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let role = caller.user()?.role;
    let now = state.clock.now();
    let scope = caller.scope(now);
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let relation = super::confidential::relation(state, caller, &file).await?;
    state
        .store
        .audit(&scope, AuditEvent::ok("case.read", "case", file.summary.id))
        .await?;
    let theirs: Vec<_> = file
        .contacts
        .iter()
        .filter(|c| c.party_id == Some(p.id) && EDITABLE_KINDS.contains(&c.kind))
        .collect();
    let mut values = [String::new(), String::new(), String::new()];
    let mut all_shown = true;
    for c in &theirs {
        let viewer = Viewer::Staff {
            role,
            relation: &relation,
        };
        match may_disclose(viewer, &c.hidden_from, now, &zone) {
            Ok(disclosure) => {
                if !c.hidden_from.is_empty() {
                    state
                        .store
                        .audit(&scope, AuditEvent::ok("contact.disclose", "contact", &c.id))
                        .await?;
                }
                if let Some(i) = EDITABLE_KINDS.iter().position(|k| *k == c.kind)
                    && values[i].is_empty()
                {
                    values[i] = c.value.reveal(&disclosure).clone();
                }
            }
            Err(_) => all_shown = false,
        }
    }
    Ok(PartyEditView {
        hidden: theirs.iter().any(|c| !c.hidden_from.is_empty()),
        contacts: all_shown.then_some(values),
        others: file.parties.iter().map(|x| x.id).filter(|x| *x != p.id).collect(),
        case: file.summary,
        party: p,
    })
}

/// Changes an adult's details: every problem reported at once; a write from an older version is
/// refused (`Stale`) and changes nothing. Their address, phone and e-mail are replaced only when the
/// editor may see all of them (they are hidden from the other adults when asked).
pub async fn update_party(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    input: &PartyEditInput,
) -> Result<(), AppError> {
    use familytime_domain::confidential::Confidential;
    use familytime_domain::intake::NewContact;
    let view = party_for_edit(state, caller, case, party).await?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", text::required("their full name", &input.name, 200));
    let relationship = errors
        .take(
            "relationship",
            text::optional("who they are to the children", &input.relationship, 200),
        )
        .flatten();
    let responsibility = familytime_domain::intake::parse_responsibility(&input.parental_responsibility)
        .unwrap_or_else(|| {
            errors.add(
                "parental_responsibility",
                "Say whether they have parental responsibility",
            );
            None
        });
    let language = errors
        .take("language", text::optional("the language", &input.language, 100))
        .flatten();
    let access = errors
        .take("access", text::optional("the accessibility needs", &input.access, 4000))
        .flatten();
    let availability = errors
        .take(
            "availability",
            text::optional("when they can come", &input.availability, 4000),
        )
        .flatten();
    let others = &view.others;
    let hidden_from: Vec<usize> = if input.keep_hidden {
        (0..others.len()).collect()
    } else {
        Vec::new()
    };
    let mut contacts = Vec::new();
    if view.contacts.is_some() {
        for ((field, label), (kind, value)) in [
            ("address", "the address"),
            ("phone", "the phone number"),
            ("email", "the email address"),
        ]
        .into_iter()
        .zip(
            EDITABLE_KINDS
                .into_iter()
                .zip([&input.address, &input.phone, &input.email]),
        ) {
            if let Some(Some(value)) = errors.take(field, text::optional(label, value, 500)) {
                contacts.push(NewContact {
                    kind,
                    value: Confidential::new(value),
                    hidden_from: hidden_from.clone(),
                });
            }
        }
    }
    let Some(name) = name else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let update = familytime_store::referrals::PartyUpdate {
        name: &name,
        relationship: relationship.as_deref(),
        parental_responsibility: responsibility,
        language: language.as_deref(),
        interpreter: input.interpreter,
        accessibility_needs: access.as_deref(),
        availability: availability.as_deref(),
        contacts: view.contacts.is_some().then_some(contacts.as_slice()),
        hidden_from: others,
    };
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .update_party(
            &scope,
            file_org(caller)?,
            view.case.id,
            view.party.id,
            input.version,
            &update,
        )
        .await?)
}
