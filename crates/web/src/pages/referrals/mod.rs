//! Referral and case pages: the referral form (referrers and staff), a referrer's own referrals, the
//! staff case list and the case page where a coordinator works a case.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use super::paging::Pager;
use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::referrals::{self, AssessmentInput, ShownContact, TransitionInput};
use familytime_app::tenancy::list_centres;
use familytime_domain::Timestamp;
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_domain::intake::{AdultInput, ChildInput, ContactInput, OrderInput, ReferralInput};
use familytime_domain::people::Role;
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, ReferralSource, Service};
use familytime_domain::text::FieldErrors;
use familytime_domain::triage::Concern;
use familytime_store::referrals::{CaseFile, CaseSummary};
use familytime_store::tenancy::Centre;

fn date(at: Timestamp) -> String {
    at.strftime("%-d %b %Y").to_string()
}

fn may(caller: &Caller, action: Action) -> bool {
    caller.user.as_ref().is_some_and(|u| {
        authz::authorize(Some(&u.actor()), action, &Object::Organisation(u.organisation_id)) == Decision::Allow
    })
}

/// The referral form's fields, read back for showing again.
pub struct Fields(FormData);

impl Fields {
    pub fn get(&self, name: &str) -> String {
        self.0.get(name)
    }
    pub fn get_n(&self, prefix: &str, n: &u8, suffix: &str) -> String {
        self.0.get(&format!("{prefix}{n}{suffix}"))
    }
    pub fn get2(&self, prefix: &str, suffix: &str) -> String {
        self.0.get(&format!("{prefix}{suffix}"))
    }
    pub fn checked(&self, name: &str) -> bool {
        self.0.checked(name)
    }
    pub fn checked2(&self, prefix: &str, suffix: &str) -> bool {
        self.0.checked(&format!("{prefix}{suffix}"))
    }
}

/// One adult's part of the form.
pub struct AdultSlot {
    pub key: &'static str,
    pub legend: &'static str,
    pub hide_label: &'static str,
}

const ADULT_SLOTS: [AdultSlot; 2] = [
    AdultSlot {
        key: "resident",
        legend: "Resident parent or carer (the child lives with them)",
        hide_label: "Keep this address, phone and email hidden from the visiting parent",
    },
    AdultSlot {
        key: "visiting",
        legend: "Visiting parent or relative",
        hide_label: "Keep this address, phone and email hidden from the resident parent",
    },
];

/// Turns the form's flat fields into a referral (the same checks as the API then apply).
fn referral_from_form(f: &FormData) -> ReferralInput {
    let children = (1..=3)
        .map(|i| ChildInput {
            name: f.get(&format!("child{i}_name")),
            date_of_birth: f.get(&format!("child{i}_dob")),
            needs: f.get(&format!("child{i}_needs")),
            contacts: Vec::new(),
        })
        .enumerate()
        .filter(|(i, c)| *i == 0 || !c.name.trim().is_empty() || !c.date_of_birth.trim().is_empty())
        .map(|(_, c)| c)
        .collect();
    let adults = ADULT_SLOTS
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.key == "resident" || !f.get(&format!("{}_name", slot.key)).trim().is_empty())
        .map(|(i, slot)| {
            let field = |suffix: &str| f.get(&format!("{}{suffix}", slot.key));
            let other = 1 - i;
            let hidden_from = if f.checked(&format!("{}_hidden", slot.key)) {
                vec![other]
            } else {
                Vec::new()
            };
            let contacts = [("address", "_address"), ("phone", "_phone"), ("email", "_email")]
                .into_iter()
                .map(|(kind, suffix)| ContactInput {
                    kind: kind.into(),
                    value: field(suffix),
                    hidden_from: hidden_from.clone(),
                })
                .collect();
            let language = field("_language");
            AdultInput {
                role: slot.key.into(),
                name: field("_name"),
                relationship: field("_relationship"),
                // Yes, no, or not known (nothing chosen is not known, never "no").
                parental_responsibility: familytime_domain::intake::parse_responsibility(&field("_pr")).flatten(),
                may_attend: true,
                interpreter: language.to_lowercase().contains("interpreter"),
                language,
                accessibility_needs: field("_access"),
                availability: field("_availability"),
                contacts,
            }
        })
        .collect::<Vec<_>>();
    // `hidden_from` names positions in `adults`: with no visiting parent given, there is nobody to hide from.
    let adults = if adults.len() < 2 {
        adults
            .into_iter()
            .map(|mut a| {
                a.contacts.iter_mut().for_each(|c| c.hidden_from.clear());
                a
            })
            .collect()
    } else {
        adults
    };
    let mut court_orders = Vec::new();
    if !f.get("order_date").trim().is_empty()
        || !f.get("order_court").trim().is_empty()
        || !f.get("order_terms").trim().is_empty()
    {
        court_orders.push(OrderInput {
            kind: "child_arrangements".into(),
            made_on: f.get("order_date"),
            court: f.get("order_court"),
            terms: f.get("order_terms"),
            sessions: f.get("order_sessions").trim().parse().ok(),
            reports_ordered: f.checked("order_reports"),
            report_recipients: f.get("order_recipients"),
        });
    }
    if !f.get("injunction_kind").trim().is_empty() {
        court_orders.push(OrderInput {
            kind: f.get("injunction_kind"),
            made_on: f.get("injunction_date"),
            terms: f.get("injunction_terms"),
            ..OrderInput::default()
        });
    }
    ReferralInput {
        source: f.get("source"),
        referrer_name: f.get("referrer_name"),
        referrer_organisation: f.get("referrer_organisation"),
        children,
        adults,
        court_orders,
        child_lives_with: f.get("child_lives_with"),
        risk_background: f.get("risk_background"),
        consent_to_share: f.checked("consent_to_share"),
        ..ReferralInput::default()
    }
}

#[derive(askama::Template)]
#[template(path = "referral_form.html")]
struct ReferralFormPage {
    shell: Shell,
    errors: FieldErrors,
    f: Fields,
    centres: Vec<Centre>,
    sources: Vec<ReferralSource>,
    child_slots: [u8; 3],
    adult_slots: &'static [AdultSlot; 2],
}

async fn form_page(state: &AppState, caller: &Caller, errors: FieldErrors, f: FormData) -> PageResult {
    let role = caller.user()?.role;
    // Referrers choose among all the organisation's centres; staff among their own.
    let centres = if role == Role::Referrer {
        state.store.centres(caller.user()?.organisation_id).await?
    } else {
        list_centres(state, caller).await?
    };
    let sources = ReferralSource::ALL
        .iter()
        .copied()
        .filter(|s| role != Role::Referrer || *s != ReferralSource::SelfReferral)
        .collect();
    let status = form_status(&errors);
    let page = ReferralFormPage {
        shell: Shell::for_caller(state, caller, "/referrals").await?,
        errors,
        f: Fields(f),
        centres,
        sources,
        child_slots: [1, 2, 3],
        adult_slots: &ADULT_SLOTS,
    };
    Ok(render_with(status, &page))
}

pub async fn new_form(State(state): State<AppState>, caller: Caller) -> PageResult {
    form_page(&state, &caller, FieldErrors::new(), FormData::empty()).await
}

pub async fn submit(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let input = referral_from_form(&form);
    match referrals::submit(&state, &caller, &form.get("centre_id"), &input).await {
        // To the new referral's page, which then says it was sent (so reloading it sends nothing).
        Ok(summary) if caller.user()?.role == Role::Referrer => {
            Ok(Redirect::to(&format!("/referrals/{}?done=sent", summary.id)).into_response())
        }
        Ok(summary) => Ok(done(&summary.id.to_string(), "sent")),
        Err(AppError::Invalid(errors)) => form_page(&state, &caller, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

/// A line of a list of referrals or cases.
pub struct CaseRow {
    pub id: String,
    pub reference: String,
    pub children: String,
    pub status: &'static str,
    pub service: Option<&'static str>,
    pub received: String,
    pub waiting: String,
}

fn row(state: &AppState, c: &CaseSummary) -> CaseRow {
    let days = state.clock.now().duration_since(c.received_at).as_hours() / 24;
    CaseRow {
        id: c.id.to_string(),
        reference: c.reference.clone(),
        children: c.children.join(", "),
        status: c.status.label(),
        service: c.service.map(|s| s.label()),
        received: date(c.received_at),
        waiting: if c.status.is_open_referral() {
            format!("{days} days")
        } else {
            "—".into()
        },
    }
}

#[derive(askama::Template)]
#[template(path = "referrals_list.html")]
struct OwnReferralsPage {
    shell: Shell,
    referrals: Vec<CaseRow>,
}

pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let list = referrals::own_referrals(&state, &caller).await?;
    let referrals = list.iter().map(|c| row(&state, c)).collect();
    Ok(render(&OwnReferralsPage {
        shell: Shell::for_caller(&state, &caller, "/referrals").await?,
        referrals,
    }))
}

#[derive(askama::Template)]
#[template(path = "referral_status.html")]
struct ReferralStatusPage {
    shell: Shell,
    notice: Option<String>,
    reference: String,
    status: &'static str,
    history: Vec<(&'static str, String)>,
}

pub async fn own_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    own_page(&state, &caller, &id, sent_notice(query.as_deref())).await
}

/// "Referral sent", on the page a referral lands on after the form (`?done=sent`).
fn sent_notice(query: Option<&str>) -> Option<String> {
    (query_param(query, "done") == "sent").then(|| "Referral sent".to_owned())
}

async fn own_page(state: &AppState, caller: &Caller, id: &str, notice: Option<String>) -> PageResult {
    let r = referrals::own_referral(state, caller, id).await?;
    let page = ReferralStatusPage {
        shell: Shell::for_caller(state, caller, "/referrals").await?,
        notice,
        reference: r.summary.reference.clone(),
        status: r.summary.status.label(),
        history: r.history.iter().map(|(s, at)| (s.label(), date(*at))).collect(),
    };
    Ok(render(&page))
}

#[derive(askama::Template)]
#[template(path = "cases.html")]
struct CasesPage {
    shell: Shell,
    cases: Vec<CaseRow>,
    pager: Pager,
    statuses: &'static [CaseStatus],
    status: String,
    search: String,
    centres: Vec<Centre>,
    centre: String,
    can_add: bool,
}

fn query_param(query: Option<&str>, name: &str) -> String {
    query
        .and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
        })
        .unwrap_or_default()
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let mut status = query_param(query.as_deref(), "status");
    let search = query_param(query.as_deref(), "q");
    let mut centre = query_param(query.as_deref(), "centre");
    let after = query_param(query.as_deref(), "after");
    let before = query_param(query.as_deref(), "before");
    let filter = referrals::CaseFilter {
        status: Some(&status),
        search: Some(&search),
        centre: Some(&centre),
        after: Some(&after),
        before: Some(&before),
    };
    // A filter or page that does not parse (an old link, a hand-typed address) shows the first page
    // of everything instead.
    let cases = match referrals::list_cases(&state, &caller, filter).await {
        Err(AppError::BadRequest(_)) => {
            let cases = referrals::list_cases(
                &state,
                &caller,
                referrals::CaseFilter {
                    search: Some(&search),
                    ..Default::default()
                },
            )
            .await?;
            (status, centre) = (String::new(), String::new());
            cases
        }
        other => other?,
    };
    let centres = list_centres(&state, &caller).await?;
    let pager = Pager::new(
        "cases",
        "/cases",
        &[
            ("q", search.as_str()),
            ("status", status.as_str()),
            ("centre", centre.as_str()),
        ],
        &cases,
        |c| c.id.to_string(),
    );
    let page = CasesPage {
        shell: Shell::for_caller(&state, &caller, "/cases").await?,
        cases: cases.items.iter().map(|c| row(&state, c)).collect(),
        pager,
        statuses: CaseStatus::ALL,
        status,
        search,
        centres,
        centre,
        can_add: may(&caller, Action::ManageCases),
    };
    Ok(render(&page))
}

pub struct AssessmentRow {
    pub when: String,
    pub suggestion: String,
    pub decision: String,
    pub reason: String,
    pub concerns: Vec<&'static str>,
    pub notes: Option<String>,
}

pub struct HistoryRow {
    pub to: &'static str,
    pub when: String,
    pub by: String,
    pub reason: String,
}

#[derive(askama::Template)]
#[template(path = "case.html")]
struct CasePage {
    shell: Shell,
    errors: FieldErrors,
    notice: Option<String>,
    /// What was typed into the form that was refused, shown again in it.
    kept: Fields,
    /// The service the latest risk assessment decided (accepting takes it unless another is chosen).
    assessed: Option<Service>,
    s: CaseSummary,
    file: CaseFileForPage,
    children_names: String,
    status_since: String,
    received: String,
    days_waiting: i64,
    contacts: Vec<ShownContact>,
    /// The staff named for the case ("Name (key worker)"), who see its hidden details.
    named_staff: Vec<String>,
    history: Vec<HistoryRow>,
    can_manage: bool,
    next: &'static [CaseStatus],
    services: &'static [Service],
    outcomes: &'static [ClosureOutcome],
    concerns: [Concern; 10],
    visits: Vec<VisitLine>,
    still_needed: Vec<&'static str>,
    /// The form to book a pre-visit: what was typed, and the rooms and staff to choose from.
    visit_form: VisitForm,
    invite_link: Option<String>,
    invite_for: String,
    documents: Vec<DocumentLine>,
    /// Whether the caller may open the case's reports (the link to them), asked as that page asks.
    can_report: bool,
    /// Parent accounts that can be linked to an adult on the case (for those who manage cases).
    parent_accounts: Vec<(String, String)>,
    /// Safeguarding: the case's concerns (for people who may read them), and the banner shown while
    /// an incident is newer than the latest risk assessment.
    safeguarding: Vec<super::incidents::ConcernLine>,
    reassessment_due: Option<String>,
    /// Whether the caller decides on the service (the link to reviews, ending or suspending it),
    /// the funded hours used ("8 of 12 funded hours used", and whether all are used) and when the
    /// first session was, if a review is due.
    can_decide_service: bool,
    /// Whether to offer the case's money page.
    can_bill: bool,
    funded_hours: Option<String>,
    funded_reached: bool,
    review_due: Option<String>,
    /// Each adult's linked-account version (party id, version), for the hidden field of its form.
    account_versions: Vec<(String, i64)>,
}

impl CasePage {
    /// Whether the refused form had `value` among the values of `name` (a ticked checkbox).
    fn kept_has(&self, name: &str, value: &str) -> bool {
        self.kept.0.all(name).iter().any(|v| v == value)
    }
    fn account_version(&self, party: &familytime_domain::ids::PartyId) -> i64 {
        let party = party.to_string();
        self.account_versions
            .iter()
            .find(|(p, _)| *p == party)
            .map_or(0, |(_, v)| *v)
    }
}

/// A document as listed on the case page.
pub struct DocumentLine {
    pub id: String,
    pub name: String,
    pub description: String,
    pub uploaded: String,
    pub size: String,
}

/// A pre-visit as listed on the case page.
pub struct VisitLine {
    pub id: String,
    pub adult: String,
    pub role: &'static str,
    pub when: String,
    pub status: &'static str,
    pub rules_agreed: bool,
    pub open: bool,
    /// Whether its time has come, so its outcome can be recorded.
    pub due: bool,
    /// Its booking (empty for one booked before pre-visits were bookings).
    pub booking_id: String,
    /// Its room and member of staff, as the booking holds them ("Family room 1 with Sam").
    pub place: String,
}

/// One option of a select, and whether it was chosen.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// The case page's form to book a pre-visit, with what was typed kept.
#[derive(Default)]
pub struct VisitForm {
    pub parties: Vec<Choice>,
    pub date: String,
    pub time: String,
    pub rooms: Vec<Choice>,
    pub staff: Vec<Choice>,
}

/// The parts of a case file the page shows directly (contacts go through `ShownContact`).
pub struct CaseFileForPage {
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub outcome: Option<ClosureOutcome>,
    pub missing: Option<String>,
    pub child_lives_with: Option<String>,
    pub risk_background: Option<String>,
    pub consent_to_share: bool,
    pub children: Vec<familytime_store::referrals::Child>,
    pub parties: Vec<familytime_store::referrals::Party>,
    pub orders: Vec<familytime_store::referrals::CourtOrder>,
    pub orders_described: Option<String>,
    pub service_asked: Option<Service>,
    pub assessments: Vec<AssessmentRow>,
}

/// A one-time link just made for an adult: (the link, their name).
type NewInvite = Option<(String, String)>;

/// What the case page's banner says was just done.
enum Done {
    Text(String),
    /// The case was moved: to where it is now.
    Moved,
    /// An adult's details were saved (their party id).
    Saved(String),
}

async fn case_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    notice: Option<String>,
) -> PageResult {
    case_page_with(
        state,
        caller,
        id,
        errors,
        notice.map(Done::Text),
        None,
        FormData::empty(),
    )
    .await
}

/// The case page again after a refused form: its errors, and what was typed kept in the form.
async fn case_page_kept(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    typed: FormData,
) -> PageResult {
    case_page_with(state, caller, id, errors, None, None, typed).await
}

async fn case_page_with(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    notice: Option<Done>,
    invite: NewInvite,
    kept: FormData,
) -> PageResult {
    let view = referrals::get_case(state, caller, id).await?;
    let notice = notice.map(|done| match done {
        Done::Text(text) => text,
        Done::Moved => format!("Moved to {}", view.file.summary.status.label()),
        Done::Saved(party) => view
            .file
            .parties
            .iter()
            .find(|p| p.id.to_string() == party)
            .map_or_else(|| "Details saved".to_owned(), |p| format!("{}'s details saved", p.name)),
    });
    let pre = referrals::pre_visits(state, caller, id).await?;
    let now = state.clock.now();
    let visit_bookings = familytime_app::schedule::pre_visit_places(state, caller, &pre.visits).await?;
    let visits = pre
        .visits
        .iter()
        .map(|v| VisitLine {
            id: v.id.clone(),
            adult: v.party_name.clone(),
            role: v.role.label(),
            when: v
                .at
                .to_zoned(pre.zone.clone())
                .strftime("%a %-d %b %Y, %H:%M")
                .to_string(),
            status: v.status.label(),
            rules_agreed: v.rules_agreed,
            open: v.status == familytime_domain::previsits::VisitStatus::Scheduled,
            due: familytime_domain::previsits::may_record(v.at, now).is_ok(),
            booking_id: v.booking_id.clone().unwrap_or_default(),
            place: visit_bookings
                .iter()
                .find(|(visit, _)| *visit == v.id)
                .map(|(_, place)| place.clone())
                .unwrap_or_else(|| "No room or staff (booked before pre-visits held them)".into()),
        })
        .collect();
    let visit_form = if may(caller, Action::ManageCases) {
        let typed = |name: &str| kept.get(name);
        let (rooms, staff) =
            familytime_app::schedule::pre_visit_choices(state, caller, view.file.summary.centre_id).await?;
        let choices = |options: Vec<(String, String)>, chosen: &str| {
            options
                .into_iter()
                .map(|(value, label)| Choice {
                    selected: value == chosen,
                    value,
                    label,
                })
                .collect()
        };
        VisitForm {
            parties: choices(
                view.file
                    .parties
                    .iter()
                    .map(|p| (p.id.to_string(), p.name.clone()))
                    .collect(),
                &typed("party_id"),
            ),
            date: typed("date"),
            time: typed("time"),
            rooms: choices(rooms, &typed("room_id")),
            staff: choices(staff, &typed("staff")),
        }
    } else {
        VisitForm::default()
    };
    let assessed = referrals::assessed_service(&view.file);
    let can_report = familytime_app::reports::may_read_reports(caller, &view.file);
    let CaseFile {
        summary,
        referrer_name,
        referrer_organisation,
        outcome,
        missing,
        child_lives_with,
        risk_background,
        consent_to_share,
        children,
        parties,
        orders,
        history,
        assessments,
        orders_described,
        service_asked,
        ..
    } = view.file;
    let history = history
        .iter()
        .map(|h| HistoryRow {
            to: h.to.label(),
            when: date(h.at),
            // The person's name, as the form promised ("recorded with your name").
            by: match (&h.actor_name, &h.actor_user_id) {
                (Some(name), _) => name.clone(),
                (None, Some(_)) => "a member of staff".into(),
                (None, None) => String::new(),
            },
            reason: h.reason.clone(),
        })
        .collect();
    let assessments = assessments
        .iter()
        .map(|a| AssessmentRow {
            when: date(a.assessed_at),
            suggestion: a.suggestion.clone(),
            decision: Service::parse(&a.decision)
                .map(|s| s.label().to_owned())
                .unwrap_or_else(|| a.decision.clone()),
            reason: a.decision_reason.clone(),
            concerns: a.concerns.iter().map(|c| c.label()).collect(),
            notes: a.notes.clone(),
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let safeguarding = familytime_app::incidents::for_case(state, caller, summary.id, summary.centre_id)
        .await?
        .iter()
        .map(|c| super::incidents::line(&pre.zone, c))
        .collect();
    let reassessment_due = view.reassessment_due.map(date);
    let page = CasePage {
        can_report,
        account_versions: familytime_app::schedule::case_lists(state, caller, id)
            .await?
            .party_account_versions,
        parent_accounts: if may(caller, Action::ManageCases) {
            referrals::parent_accounts(state, caller).await?
        } else {
            Vec::new()
        },
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        notice,
        kept: Fields(kept),
        assessed,
        children_names: summary.children.join(" and "),
        status_since: date(summary.status_since),
        received: date(summary.received_at),
        days_waiting: state.clock.now().duration_since(summary.received_at).as_hours() / 24,
        next: summary.status.next(),
        s: summary,
        file: CaseFileForPage {
            referrer_name,
            referrer_organisation,
            outcome,
            missing,
            child_lives_with,
            risk_background,
            consent_to_share,
            children,
            parties,
            orders,
            orders_described,
            service_asked,
            assessments,
        },
        contacts: view.contacts,
        named_staff: view
            .named
            .iter()
            .map(|n| {
                if n.key_worker {
                    format!("{} (key worker)", n.name)
                } else {
                    n.name.clone()
                }
            })
            .collect(),
        history,
        can_manage: may(caller, Action::ManageCases),
        services: Service::ALL,
        outcomes: ClosureOutcome::ALL,
        concerns: Concern::ALL,
        visits,
        still_needed: pre.still_needed,
        visit_form,
        invite_for: invite.as_ref().map(|(_, name)| name.clone()).unwrap_or_default(),
        invite_link: invite.map(|(link, _)| link),
        documents: referrals::documents(state, caller, id)
            .await?
            .into_iter()
            .map(|d| DocumentLine {
                id: d.id,
                name: d.name,
                description: d.description.unwrap_or_default(),
                uploaded: date(d.uploaded_at),
                size: format!("{:.1} KB", d.size_bytes as f64 / 1024.0),
            })
            .collect(),
        safeguarding,
        reassessment_due,
        can_decide_service: super::may(caller, familytime_domain::authz::Action::CheckReports),
        can_bill: super::may(caller, familytime_domain::authz::Action::ManageBilling),
        funded_hours: view.service.funded.map(|f| f.describe()),
        funded_reached: view.service.funded.is_some_and(|f| f.reached()),
        review_due: view.service.review_due.map(date),
    };
    Ok(render_with(status, &page))
}

/// After an action on a case: back to the case page (so reloading it repeats nothing), which then
/// says what was done (`?done=…`, one of a fixed set: nothing typed is echoed from the address).
fn done(case: &str, what: &str) -> axum::response::Response {
    Redirect::to(&format!("/cases/{case}?done={what}")).into_response()
}

pub async fn show(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let query = query.as_deref();
    let text = |t: &str| Some(Done::Text(t.to_owned()));
    let notice = match query_param(query, "done").as_str() {
        "sent" => text("Referral sent"),
        "moved" => Some(Done::Moved),
        "assessed" => text("Risk assessment recorded"),
        "pre_visit" => text("Pre-visit booked"),
        "uploaded" => text("Document uploaded"),
        "linked" => text("Account linked"),
        "unlinked" => text("Account unlinked"),
        "saved" => Some(Done::Saved(query_param(query, "party"))),
        _ => None,
    };
    case_page_with(
        &state,
        &caller,
        &id,
        FieldErrors::new(),
        notice,
        None,
        FormData::empty(),
    )
    .await
}

pub async fn transition(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = TransitionInput {
        to: form.get("to"),
        reason: form.get("reason"),
        service: form.get("service"),
        outcome: form.get("outcome"),
        missing: form.get("missing"),
        version: form.version(),
    };
    match referrals::transition(&state, &caller, &id, &input).await {
        Ok(()) => Ok(done(&id, "moved")),
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(err) => {
            // A stale move: nothing changed; the page shows the case as it is now, the move kept.
            let (errors, _, _) = super::refusal(err, "to")?;
            case_page_kept(&state, &caller, &id, errors, form).await
        }
    }
}

pub async fn assess(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = AssessmentInput {
        concerns: form.all("concerns"),
        notes: form.get("notes"),
        decision: form.get("decision"),
        decision_reason: form.get("decision_reason"),
    };
    match referrals::assess(&state, &caller, &id, &input).await {
        Ok(_) => Ok(done(&id, "assessed")),
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

pub async fn schedule_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = referrals::PreVisitInput {
        party_id: form.get("party_id"),
        date: form.get("date"),
        time: form.get("time"),
        room_id: form.get("room_id"),
        staff: form.all("staff"),
    };
    match referrals::schedule_pre_visit(&state, &caller, &id, &input).await {
        Ok(familytime_app::schedule::BookingOutcome::Booked(..)) => Ok(done(&id, "pre_visit")),
        Ok(familytime_app::schedule::BookingOutcome::Refused(r)) => {
            case_page_kept(&state, &caller, &id, FieldErrors::single("time", r.message()), form).await
        }
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "pre_visit.html")]
struct PreVisitPage {
    shell: Shell,
    errors: FieldErrors,
    id: String,
    case_id: String,
    reference: String,
    adult: String,
    role: &'static str,
    when: String,
    version: i64,
    checklist: &'static [(&'static str, &'static str)],
    ticked: super::people::Chosen,
    notes: String,
    rules_agreed: bool,
    /// Whether its time has come, so how it went can be recorded.
    due: bool,
    /// Its booking (empty for one booked before pre-visits were bookings).
    booking_id: String,
}

async fn visit_page(
    state: &AppState,
    caller: &Caller,
    visit: &str,
    errors: FieldErrors,
    typed: Option<&FormData>,
) -> PageResult {
    let (v, summary, zone) = referrals::pre_visit(state, caller, visit).await?;
    let status = form_status(&errors);
    let page = PreVisitPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        id: v.id.clone(),
        case_id: summary.id.to_string(),
        reference: summary.reference,
        adult: v.party_name.clone(),
        role: v.role.label(),
        when: v.at.to_zoned(zone).strftime("%A %-d %B %Y at %H:%M").to_string(),
        version: typed.map(FormData::version).unwrap_or(v.version),
        checklist: &familytime_domain::previsits::CHECKLIST,
        ticked: super::people::Chosen(typed.map(|f| f.all("checklist")).unwrap_or(v.checklist.clone())),
        notes: typed
            .map(|f| f.get("notes"))
            .unwrap_or_else(|| v.notes.clone().unwrap_or_default()),
        rules_agreed: typed.map(|f| f.checked("rules_agreed")).unwrap_or(v.rules_agreed),
        due: familytime_domain::previsits::may_record(v.at, state.clock.now()).is_ok(),
        booking_id: v.booking_id.clone().unwrap_or_default(),
    };
    Ok(render_with(status, &page))
}

pub async fn pre_visit(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    visit_page(&state, &caller, &id, FieldErrors::new(), None).await
}

pub async fn record_pre_visit(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = referrals::VisitRecordInput {
        status: form.get("status"),
        rules_agreed: form.checked("rules_agreed"),
        checklist: form.all("checklist"),
        notes: form.get("notes"),
        version: form.version(),
    };
    match referrals::record_pre_visit(&state, &caller, &id, &input).await {
        Ok(case) => Ok(Redirect::to(&format!("/cases/{case}")).into_response()),
        Err(AppError::Invalid(errors)) => visit_page(&state, &caller, &id, errors, Some(&form)).await,
        Err(err @ AppError::Stale) => {
            visit_page(
                &state,
                &caller,
                &id,
                FieldErrors::single("status", err.message()),
                Some(&form),
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn create_invite(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let party = form.get("invite_party");
    match referrals::create_invite(&state, &caller, &id, &party).await {
        Ok(token) => {
            // The link is for the member of staff to send: the address they reached us at will do.
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if state.config.behind_tls_proxy { "https" } else { "http" };
            let name = referrals::get_case(&state, &caller, &id)
                .await?
                .file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let link = format!("{scheme}://{host}/self-referral/{token}");
            let notice = format!("One-time link made for {name}");
            case_page_with(
                &state,
                &caller,
                &id,
                FieldErrors::new(),
                Some(Done::Text(notice)),
                Some((link, name)),
                FormData::empty(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "self_referral.html")]
struct SelfReferralPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    f: Fields,
    centres: Vec<Centre>,
    child_slots: [u8; 3],
    keep_hidden: bool,
    /// The kinds of court order a parent can say there are (key, words).
    order_kinds: &'static [(&'static str, &'static str)],
}

impl SelfReferralPage {
    /// The message for child `i`'s name or date of birth (`part` is "_name" or "_dob").
    fn child_error(&self, i: &u8, part: &str) -> Option<&str> {
        self.errors.message_for(&format!("child{i}{part}"))
    }
    fn order_ticked(&self, kind: &str) -> bool {
        self.f.0.all("order_kinds").iter().any(|k| k == kind)
    }
}

async fn self_referral_page(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    errors: FieldErrors,
    f: FormData,
    keep_hidden: bool,
) -> PageResult {
    let (csrf, cookie) = super::anonymous_csrf(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SelfReferralPage {
        shell: Shell::anonymous(),
        errors,
        csrf,
        f: Fields(f),
        centres: referrals::public_centres(state).await?,
        child_slots: [1, 2, 3],
        keep_hidden,
        order_kinds: &familytime_domain::intake::ORDER_KINDS,
    };
    Ok(super::with_cookie(render_with(status, &page), cookie))
}

/// `GET /self-referral`, or `/self-referral?service=supervised` from the answer of "Which service do
/// I need?": that service is then chosen on the form (an unknown one is ignored).
pub async fn self_referral_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(query): RawQuery,
) -> PageResult {
    let service = query_param(query.as_deref(), "service");
    let form = match Service::parse(&service) {
        Some(s @ (Service::Supported | Service::Supervised)) => {
            FormData::from_pairs(vec![("service", s.as_str().into())])
        }
        _ => FormData::empty(),
    };
    self_referral_page(&state, &headers, FieldErrors::new(), form, true).await
}

/// What happens next, from what the person gave: the centre can only call someone who gave a
/// phone number, and cannot reach someone who gave nothing.
fn next_after_self_referral(form: &FormData, centre: Option<&Centre>) -> String {
    let given = |name: &str| !form.get(name).trim().is_empty();
    let visit = "to talk it through and to arrange a visit for you on your own.";
    let how = if given("your_phone") {
        format!("The centre will call you on the number you gave, {visit}")
    } else if given("your_email") {
        format!("The centre will email you, {visit}")
    } else if given("your_address") {
        format!("The centre will write to you at the address you gave, {visit}")
    } else {
        // The centre's public phone number only (its address is for staff).
        let whom = match centre {
            Some(c) => match &c.public_phone {
                Some(phone) => format!("{} on {phone}", c.name),
                None => c.name.clone(),
            },
            None => "the centre".into(),
        };
        format!(
            "You did not give a phone number, email or address, so the centre cannot contact you. Contact {whom}, giving your reference, {visit}"
        )
    };
    let other = if given("other_phone") || given("other_email") || given("other_address") {
        "They will contact the other parent separately, using the details you gave."
    } else {
        "They will ask you how to reach the other parent, and contact them separately."
    };
    format!("{how} {other}")
}

#[derive(askama::Template)]
#[template(path = "thanks.html")]
struct ThanksPage {
    shell: Shell,
    reference: String,
    next: String,
}

pub async fn self_referral(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    form: FormData,
) -> PageResult {
    let input = familytime_domain::intake::SelfReferralInput {
        your_role: form.get("your_role"),
        your_name: form.get("your_name"),
        your_relationship: form.get("your_relationship"),
        your_address: form.get("your_address"),
        your_phone: form.get("your_phone"),
        your_email: form.get("your_email"),
        keep_hidden: form.checked("keep_hidden"),
        your_language: form.get("your_language"),
        your_access: form.get("your_access"),
        your_availability: form.get("your_availability"),
        your_pr: form.get("your_pr"),
        children: (1..=3)
            .map(|i| (form.get(&format!("child{i}_name")), form.get(&format!("child{i}_dob"))))
            .collect(),
        other_name: form.get("other_name"),
        other_relationship: form.get("other_relationship"),
        other_address: form.get("other_address"),
        other_phone: form.get("other_phone"),
        other_email: form.get("other_email"),
        order_kinds: form.all("order_kinds"),
        order_details: form.get("order_details"),
        service: form.get("service"),
        safety: form.get("safety"),
        consent: form.checked("consent"),
    };
    match referrals::self_refer(&state, &caller, &form.get("centre_id"), &input).await {
        Ok(summary) => {
            let centre = referrals::public_centres(&state)
                .await?
                .into_iter()
                .find(|c| c.id == summary.centre_id);
            Ok(render(&ThanksPage {
                shell: Shell::anonymous(),
                reference: summary.reference,
                next: next_after_self_referral(&form, centre.as_ref()),
            }))
        }
        Err(AppError::Invalid(errors)) => self_referral_page(&state, &headers, errors, form, input.keep_hidden).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "own_part.html")]
struct OwnPartPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    token: String,
    name: String,
    reference: String,
    f: Fields,
    keep_hidden: bool,
}

async fn own_part_page(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    token: String,
    errors: FieldErrors,
    f: FormData,
    keep_hidden: bool,
) -> PageResult {
    let invite = referrals::invite(state, &token).await?;
    let (csrf, cookie) = super::anonymous_csrf(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OwnPartPage {
        shell: Shell::anonymous(),
        errors,
        csrf,
        token,
        name: invite.party_name,
        reference: invite.reference,
        f: Fields(f),
        keep_hidden,
    };
    Ok(super::with_cookie(render_with(status, &page), cookie))
}

pub async fn own_part_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    own_part_page(&state, &headers, token, FieldErrors::new(), FormData::empty(), true).await
}

pub async fn own_part(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    form: FormData,
) -> PageResult {
    let input = familytime_domain::intake::OwnPartInput {
        address: form.get("address"),
        phone: form.get("phone"),
        email: form.get("email"),
        keep_hidden: form.checked("keep_hidden"),
        language: form.get("language"),
        access: form.get("access"),
        availability: form.get("availability"),
        safety: form.get("safety"),
        consent: form.checked("consent"),
    };
    match referrals::give_own_part(&state, &caller, &token, &input).await {
        Ok(reference) => Ok(render(&ThanksPage {
            shell: Shell::anonymous(),
            reference,
            next: "The centre will contact you to talk it through and to arrange a visit for you on your own.".into(),
        })),
        Err(AppError::Invalid(errors)) => own_part_page(&state, &headers, token, errors, form, input.keep_hidden).await,
        Err(other) => Err(other.into()),
    }
}

/// Reads an upload form: the file (its name and bytes) and its description.
pub async fn read_upload(multipart: axum::extract::Multipart) -> Result<(String, Vec<u8>, String), AppError> {
    let (name, bytes, description) = read_upload_parts(multipart).await?;
    let bytes = chosen_file(bytes)?;
    Ok((name, bytes, description))
}

/// The file an upload chose, or the error that asks for one.
fn chosen_file(bytes: Option<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("document", "Choose a file to upload")))
}

/// Every part of an upload form, the file not yet checked (so a refused upload can keep what was
/// typed beside it).
async fn read_upload_parts(
    mut multipart: axum::extract::Multipart,
) -> Result<(String, Option<Vec<u8>>, String), AppError> {
    let (mut name, mut bytes, mut description) = (String::new(), None, String::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("The upload could not be read. Try again.".into())),
        };
        match field.name() {
            Some("document") => {
                name = field.file_name().unwrap_or("document").to_owned();
                bytes = Some(field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::PayloadTooLarge
                    } else {
                        AppError::BadRequest("The upload could not be read. Try again.".into())
                    }
                })?);
            }
            Some("description") => description = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    Ok((name, bytes.map(|b| b.to_vec()), description))
}

pub async fn upload_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let (name, bytes, description) = read_upload_parts(multipart).await?;
    let result = match chosen_file(bytes) {
        Ok(bytes) => referrals::upload_document(&state, &caller, &id, &name, &bytes, &description)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&id, "uploaded")),
        Err(AppError::Invalid(errors)) => {
            let kept = FormData::from_pairs(vec![("description", description)]);
            case_page_kept(&state, &caller, &id, errors, kept).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A download: always as an attachment (under the name the server made at upload), with the type
/// decided from the content at upload and `nosniff` (set here too, so a download never depends on
/// the general headers layer to stop a browser guessing).
pub fn document_response(doc: &familytime_store::documents::Document, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let disposition =
        HeaderValue::from_str(&attachment(&doc.name)).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(doc.kind.content_type())),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        bytes,
    )
        .into_response()
}

/// `attachment` with the name twice (RFC 6266): plain ASCII for old clients (anything else, and
/// quotes, backslashes and percent signs, become `_`), and the exact name percent-encoded as UTF-8.
fn attachment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '%') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

pub async fn download_document(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (doc, bytes) = referrals::download_document(&state, &caller, &id).await?;
    Ok(document_response(&doc, bytes))
}

/// POST /cases/{id}/parties/{party}/account: links a parent's account to their place on the case.
pub async fn link_account(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    match referrals::link_party_account(&state, &caller, &id, &party, &form.get("account"), form.version()).await {
        Ok(()) if form.get("account").trim().is_empty() => Ok(done(&id, "unlinked")),
        Ok(()) => Ok(done(&id, "linked")),
        // A stale link is refused by `refusal` with "changed by someone else"; the page then shows
        // the accounts as they are now, with their new versions.
        Err(err) => {
            let (errors, _, _) = super::refusal(err, "account")?;
            case_page(&state, &caller, &id, errors, None).await
        }
    }
}

#[derive(askama::Template)]
#[template(path = "party_edit.html")]
struct PartyEditPage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    party_id: String,
    /// The adult's name as saved (the heading), and the form's values.
    saved_name: String,
    role: &'static str,
    f: Fields,
    version: i64,
    /// Whether the address, phone and e-mail are offered (the editor may see all of them).
    contacts_editable: bool,
    keep_hidden: bool,
}

/// The edit form: the adult's details as saved, or as typed when a save was refused (with the
/// saved version, so a stale save is not repeated blindly).
async fn party_page(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    errors: FieldErrors,
    typed: Option<FormData>,
) -> PageResult {
    let view = referrals::party_for_edit(state, caller, case, party).await?;
    let p = &view.party;
    let status = form_status(&errors);
    let keep_hidden = typed.as_ref().map_or(view.hidden, |t| t.checked("keep_hidden"));
    let f = typed.unwrap_or_else(|| {
        let [address, phone, email] = view.contacts.clone().unwrap_or_default();
        FormData::from_pairs(vec![
            ("name", p.name.clone()),
            ("relationship", p.relationship.clone().unwrap_or_default()),
            (
                "parental_responsibility",
                match p.parental_responsibility {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "not_known",
                }
                .into(),
            ),
            ("language", p.language.clone().unwrap_or_default()),
            ("interpreter", if p.interpreter { "yes".into() } else { String::new() }),
            ("access", p.accessibility_needs.clone().unwrap_or_default()),
            ("availability", p.availability.clone().unwrap_or_default()),
            ("address", address),
            ("phone", phone),
            ("email", email),
        ])
    });
    let page = PartyEditPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        case_id: view.case.id.to_string(),
        reference: view.case.reference.clone(),
        party_id: p.id.to_string(),
        saved_name: p.name.clone(),
        role: p.role.label(),
        f: Fields(f),
        version: p.version,
        contacts_editable: view.contacts.is_some(),
        keep_hidden,
    };
    Ok(render_with(status, &page))
}

/// GET /cases/{id}/parties/{party}: the form to change an adult's details.
pub async fn party_form(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
) -> PageResult {
    party_page(&state, &caller, &id, &party, FieldErrors::new(), None).await
}

/// POST /cases/{id}/parties/{party}: saves an adult's details, then the case page says so.
pub async fn save_party(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    let input = referrals::PartyEditInput {
        name: form.get("name"),
        relationship: form.get("relationship"),
        parental_responsibility: form.get("parental_responsibility"),
        language: form.get("language"),
        interpreter: form.checked("interpreter"),
        access: form.get("access"),
        availability: form.get("availability"),
        address: form.get("address"),
        phone: form.get("phone"),
        email: form.get("email"),
        keep_hidden: form.checked("keep_hidden"),
        version: form.version(),
    };
    match referrals::update_party(&state, &caller, &id, &party, &input).await {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}?done=saved&party={party}")).into_response()),
        Err(err) => {
            let (errors, status, _) = super::refusal(err, "name")?;
            let mut page = party_page(&state, &caller, &id, &party, errors, Some(form)).await?;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}
