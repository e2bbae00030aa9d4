//! The case page, where a coordinator works a case: the file (each contact detail as this viewer
//! may see it), its history, assessments, pre-visits, documents and the forms that act on it; and
//! the way back to it after an action (`done`), or with a refused form's errors and what was typed.

use super::{Fields, date, may, query_param};
use crate::pages::{FormData, PageResult, Shell, render_with};
use crate::{AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::referrals::{self, ShownContact};
use familytime_domain::authz::Action;
use familytime_domain::referrals::{CaseStatus, ClosureOutcome, Service};
use familytime_domain::text::FieldErrors;
use familytime_domain::triage::Concern;
use familytime_store::referrals::{CaseFile, CaseSummary};

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
    /// The safeguarding lead and administrators see who viewed this family (decision 0053).
    can_see_access: bool,
    /// Parent accounts that can be linked to an adult on the case (for those who manage cases).
    parent_accounts: Vec<(String, String)>,
    /// Safeguarding: the case's concerns (for people who may read them), and the banner shown while
    /// an incident is newer than the latest risk assessment.
    safeguarding: Vec<crate::pages::incidents::ConcernLine>,
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
    /// The court order's contact pattern and how the coming weeks compare (decision 0046).
    order: OrderSection,
    /// Each parent's agreement to the current version of the centre's rules (decision 0046).
    agreements: AgreementSection,
}

/// One period of the order's pattern as the case page lists it.
pub struct PeriodRow {
    pub dates: String,
    pub expected: u32,
    pub booked: u32,
    /// "under", "as_ordered" or "over".
    pub standing: &'static str,
}

/// The case page's section on the order's pattern, with its form's values.
pub struct OrderSection {
    pub described: Option<String>,
    pub periods: Vec<PeriodRow>,
    pub orders: Vec<Choice>,
    pub every: String,
    pub interval: String,
    pub weekdays: Vec<Choice>,
    pub minutes: String,
    pub from: String,
    pub until: String,
    pub version: i64,
}

/// The case page's section on the rules agreed.
pub struct AgreementSection {
    pub current: String,
    /// (name, agreed to the current version)
    pub parents: Vec<(String, bool)>,
    /// (name, version, agreed on, how, recorded by)
    pub history: Vec<(String, String, String, &'static str, String)>,
    pub parent_choices: Vec<Choice>,
    pub how: Vec<Choice>,
    pub agreed_on: String,
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
pub(super) enum Done {
    Text(String),
    /// The case was moved: to where it is now.
    Moved,
    /// An adult's details were saved (their party id).
    Saved(String),
}

pub(super) async fn case_page(
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
pub(crate) async fn case_page_kept(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    typed: FormData,
) -> PageResult {
    case_page_with(state, caller, id, errors, None, None, typed).await
}

pub(super) async fn case_page_with(
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
    let order_view = familytime_app::orders::order_view(state, caller, &view.file).await?;
    let today = order_view.today;
    let agreements_view = familytime_app::agreements::agreements_view(state, caller, &view.file).await?;
    let can_report = familytime_app::reports::may_read_reports(caller, &view.file);
    let can_see_access = familytime_app::audit::may_see_case_access(caller);
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
        .map(|c| crate::pages::incidents::line(&pre.zone, c))
        .collect();
    let reassessment_due = view.reassessment_due.map(date);
    let shell = Shell::for_caller(state, caller, "/cases").await?;
    let order = order_section(&shell, &kept, &order_view);
    let agreements = agreement_section(&shell, &kept, agreements_view, today);
    let page = CasePage {
        order,
        agreements,
        can_report,
        can_see_access,
        account_versions: familytime_app::schedule::case_lists(state, caller, id)
            .await?
            .party_account_versions,
        parent_accounts: if may(caller, Action::ManageCases) {
            referrals::parent_accounts(state, caller).await?
        } else {
            Vec::new()
        },
        shell,
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
        can_decide_service: crate::pages::may(caller, familytime_domain::authz::Action::CheckReports),
        can_bill: crate::pages::may(caller, familytime_domain::authz::Action::ManageBilling),
        funded_hours: view.service.funded.map(|f| f.describe()),
        funded_reached: view.service.funded.is_some_and(|f| f.reached()),
        review_due: view.service.review_due.map(date),
    };
    Ok(render_with(status, &page))
}

/// After an action on a case: back to the case page (so reloading it repeats nothing), which then
/// says what was done (`?done=…`, one of a fixed set: nothing typed is echoed from the address).
pub(crate) fn done(case: &str, what: &str) -> axum::response::Response {
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
        "pattern" => Some(Done::Text(crate::i18n::t("orders-saved"))),
        "agreement" => Some(Done::Text(crate::i18n::t("rules-agreements-saved"))),
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

/// The order's section: the pattern in words, each period of the coming weeks, and the form (what
/// was typed into a refused one, else the pattern as saved).
fn order_section(shell: &Shell, kept: &FormData, view: &familytime_app::orders::OrderView) -> OrderSection {
    use familytime_domain::orders::{Every, WEEKDAYS};
    let lang = shell.lang;
    // What was typed is shown only when this form was the one refused.
    let refused = kept.get("pattern_form") == "1";
    let saved = view.pattern.as_ref();
    let value = |name: &str, saved_value: Option<String>| {
        if refused {
            kept.get(name)
        } else {
            saved_value.unwrap_or_default()
        }
    };
    let chosen_order = value("order_id", saved.map(|s| s.order_id.clone()));
    let chosen_days: Vec<String> = if refused {
        kept.all("weekdays")
    } else {
        saved.map_or_else(Vec::new, |s| {
            s.pattern
                .weekdays()
                .iter()
                .map(|d| familytime_domain::orders::weekday_code(*d).to_owned())
                .collect()
        })
    };
    let periods = view
        .comparison
        .as_ref()
        .map(|c| {
            c.periods
                .iter()
                .map(|p| PeriodRow {
                    dates: format!(
                        "{} – {}",
                        familytime_i18n::dates::date(lang, p.first),
                        familytime_i18n::dates::date(lang, p.last)
                    ),
                    expected: p.expected,
                    booked: p.booked,
                    standing: p.standing().as_str(),
                })
                .collect()
        })
        .unwrap_or_default();
    OrderSection {
        described: saved.map(|s| s.pattern.describe()),
        periods,
        orders: view
            .orders
            .iter()
            .map(|(id, kind, made_on)| Choice {
                selected: *id == chosen_order,
                value: id.clone(),
                label: format!("{kind}, made {}", familytime_i18n::dates::date(lang, *made_on)),
            })
            .collect(),
        every: value(
            "every",
            Some(saved.map_or("weeks", |s| s.pattern.every_code()).to_owned()),
        ),
        interval: value(
            "interval",
            Some(saved.map_or(1, |s| match s.pattern.every() {
                Every::Weeks(n) => i64::from(n),
                Every::Month => 1,
            }))
            .map(|n| n.to_string()),
        ),
        weekdays: WEEKDAYS
            .iter()
            .map(|(_, code, label)| Choice {
                value: (*code).to_owned(),
                label: (*label).to_owned(),
                selected: chosen_days.iter().any(|d| d == code),
            })
            .collect(),
        minutes: value("minutes", Some(saved.map_or(120, |s| s.pattern.minutes()).to_string())),
        from: value("from", saved.and_then(|s| s.pattern.from()).map(|d| d.to_string())),
        until: value("until", saved.and_then(|s| s.pattern.until()).map(|d| d.to_string())),
        version: saved.map_or(0, |s| s.version),
    }
}

/// The rules agreed: each parent and whether they agreed to the current version, every agreement
/// recorded, and the form to record one (typed values kept when refused).
fn agreement_section(
    shell: &Shell,
    kept: &FormData,
    view: familytime_app::agreements::AgreementsView,
    today: jiff::civil::Date,
) -> AgreementSection {
    use familytime_domain::agreements::How;
    let lang = shell.lang;
    let chosen_parent = kept.get("parent_id");
    let chosen_how = kept.get("how");
    let typed_on = kept.get("agreed_on");
    AgreementSection {
        current: view.current,
        parent_choices: view
            .parents
            .iter()
            .map(|(id, name, _)| Choice {
                selected: *id == chosen_parent,
                value: id.clone(),
                label: name.clone(),
            })
            .collect(),
        parents: view
            .parents
            .into_iter()
            .map(|(_, name, agreed)| (name, agreed))
            .collect(),
        history: view
            .agreements
            .into_iter()
            .map(|a| {
                (
                    a.party_name,
                    a.version,
                    familytime_i18n::dates::date(lang, a.agreed_on),
                    a.how.label(),
                    a.recorded_by.unwrap_or_default(),
                )
            })
            .collect(),
        how: How::STAFF
            .iter()
            .map(|h| Choice {
                value: h.as_str().to_owned(),
                label: h.label().to_owned(),
                selected: h.as_str() == chosen_how,
            })
            .collect(),
        agreed_on: if typed_on.is_empty() && chosen_parent.is_empty() {
            today.to_string()
        } else {
            typed_on
        },
    }
}
