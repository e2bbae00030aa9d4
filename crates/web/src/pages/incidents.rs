//! Safeguarding concern pages: the form anyone on duty uses to raise one (from a session's page, a
//! case, or on its own), the confirmation they see (a volunteer cannot open the concern afterwards),
//! the list of concerns, and one concern with the safeguarding lead's decision form.

use super::paging::Pager;
use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::incidents::{self as app, RaiseInput};
use familytime_app::tenancy::list_centres;
use familytime_domain::Timestamp;
use familytime_domain::authz::Action;
use familytime_domain::ids::CentreId;
use familytime_domain::incidents::{Agency, ConcernInput, ConcernKind, ConcernStatus, DecisionInput};
use familytime_domain::text::FieldErrors;
use familytime_store::incidents::Concern;
use familytime_store::tenancy::Centre;
use jiff::tz::TimeZone;

/// "Mon 23 Nov 2026 14:05" in the centre's zone.
fn when(zone: &TimeZone, at: Timestamp) -> String {
    at.to_zoned(zone.clone()).strftime("%a %-d %b %Y %H:%M").to_string()
}

fn zone_named(name: &str) -> TimeZone {
    TimeZone::get(name).unwrap_or(TimeZone::UTC)
}

/// The centre's zone, from centres already read (UTC if it is not among them).
fn zone_in(centres: &[Centre], id: CentreId) -> TimeZone {
    centres
        .iter()
        .find(|c| c.id == id)
        .map(|c| zone_named(&c.time_zone))
        .unwrap_or(TimeZone::UTC)
}

/// A concern as a line in a list.
pub struct ConcernLine {
    pub id: String,
    pub kind: &'static str,
    pub about: String,
    pub raised: String,
    pub case_reference: String,
    pub centre: String,
    pub open: bool,
    pub status: &'static str,
}

pub fn line(zone: &TimeZone, c: &Concern) -> ConcernLine {
    ConcernLine {
        id: c.id.clone(),
        kind: c.kind.label(),
        about: c.about.clone(),
        raised: when(zone, c.raised_at),
        case_reference: c.case_reference.clone().unwrap_or_default(),
        centre: c.centre_name.clone(),
        open: c.status == ConcernStatus::Open,
        status: c.status.label(),
    }
}

/// Lines for concerns at the caller's centres, each in its centre's time.
pub async fn lines(state: &AppState, caller: &Caller, concerns: &[Concern]) -> Result<Vec<ConcernLine>, AppError> {
    let centres = if concerns.is_empty() {
        Vec::new()
    } else {
        list_centres(state, caller).await?
    };
    Ok(concerns
        .iter()
        .map(|c| line(&zone_in(&centres, c.centre_id), c))
        .collect())
}

// ---- the list -----------------------------------------------------------------------------------

#[derive(askama::Template)]
#[template(path = "concerns.html")]
struct ListPage {
    shell: Shell,
    /// Every open concern, on the first page only (they are the work in hand, not the history).
    open: Option<Vec<ConcernLine>>,
    closed: Vec<ConcernLine>,
    /// How many are closed, when they are all on this page.
    closed_count: Option<usize>,
    pager: Pager,
}

/// GET /concerns: the open concerns, then the closed ones, newest first, a page at a time.
pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let param = |name: &str| {
        form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    let (after, before) = (param("after"), param("before"));
    let closed = Some(ConcernStatus::Closed.as_str());
    // A page that is not known (an old link, a hand-typed address) shows the first page instead.
    let closed = match app::page(&state, &caller, closed, None, after.as_deref(), before.as_deref()).await {
        Err(AppError::BadRequest(_)) => app::page(&state, &caller, closed, None, None, None).await?,
        other => other?,
    };
    let open = if closed.more_before {
        None
    } else {
        let open = app::list(&state, &caller, true).await?;
        Some(lines(&state, &caller, &open).await?)
    };
    let pager = Pager::new("closed-concerns", "/concerns", &[], &closed, |c| c.id.clone());
    let closed_count = (!closed.more_before && !closed.more_after).then_some(closed.items.len());
    let page = ListPage {
        shell: Shell::for_caller(&state, &caller, "/home").await?,
        open,
        closed: lines(&state, &caller, &closed.items).await?,
        closed_count,
        pager,
    };
    Ok(render(&page))
}

// ---- raising one ----------------------------------------------------------------------------------

/// A choice on the form.
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

#[derive(askama::Template)]
#[template(path = "concern_form.html")]
struct FormPage {
    shell: Shell,
    errors: FieldErrors,
    f: FormData,
    /// Where it is raised, in words ("Case RF-…, Riverside Centre"); empty when a centre is chosen.
    place: String,
    booking_id: String,
    case_id: String,
    centres: Vec<Centre>,
    kinds: Vec<Choice>,
}

fn kinds() -> Vec<Choice> {
    ConcernKind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str(),
            label: k.label(),
        })
        .collect()
}

async fn form_page(state: &AppState, caller: &Caller, errors: FieldErrors, f: FormData) -> PageResult {
    let booking_id = f.get("booking_id").trim().to_owned();
    let case_id = f.get("case_id").trim().to_owned();
    let (place, centres) = if booking_id.is_empty() && case_id.is_empty() {
        (String::new(), list_centres(state, caller).await?)
    } else {
        (
            app::describe_place(state, caller, &booking_id, &case_id).await?,
            Vec::new(),
        )
    };
    let page = FormPage {
        shell: Shell::for_caller(state, caller, "/home").await?,
        place,
        booking_id,
        case_id,
        centres,
        kinds: kinds(),
        f,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

/// GET /concerns/new?booking=…|case=…
pub async fn new_form(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let mut given = Vec::new();
    for (key, value) in form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes()) {
        match key.as_ref() {
            "booking" => given.push(("booking_id".to_owned(), value.into_owned())),
            "case" => given.push(("case_id".to_owned(), value.into_owned())),
            _ => {}
        }
    }
    form_page(&state, &caller, FieldErrors::new(), FormData(given)).await
}

#[derive(askama::Template)]
#[template(path = "concern_raised.html")]
struct RaisedPage {
    shell: Shell,
    id: String,
    can_view: bool,
    reassess: bool,
    case_reference: String,
    back: String,
}

/// GET /concerns/{id}/raised: what the person who raised it is told.
pub async fn raised(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let concern = app::raised(&state, &caller, &id).await?;
    let page = RaisedPage {
        shell: Shell::for_caller(&state, &caller, "/home").await?,
        can_view: app::may(&caller, Action::ViewConcerns, None),
        reassess: concern.case_id.is_some() && concern.kind.prompts_reassessment(),
        case_reference: concern.case_reference.unwrap_or_default(),
        back: match concern.booking_id {
            Some(booking) => format!("/bookings/{booking}"),
            None => "/home".into(),
        },
        id: concern.id,
    };
    Ok(render_with(StatusCode::OK, &page))
}

/// POST /concerns
pub async fn raise(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let carers_told = match form.get("carers_told").trim() {
        "yes" => Some(true),
        "no" => Some(false),
        _ => None,
    };
    let input = RaiseInput {
        booking_id: form.get("booking_id"),
        case_id: form.get("case_id"),
        centre_id: form.get("centre_id"),
        date: form.get("date"),
        time: form.get("time"),
        concern: ConcernInput {
            kind: form.get("kind"),
            about: form.get("about"),
            exact_words: form.get("exact_words"),
            action_taken: form.get("action_taken"),
            carers_told,
            carers_not_told_reason: form.get("carers_not_told_reason"),
        },
    };
    match app::raise(&state, &caller, &input).await {
        // Redirect after the POST, so refreshing the confirmation never raises the concern twice.
        Ok(raised) => Ok(Redirect::to(&format!("/concerns/{}/raised", raised.id)).into_response()),
        Err(AppError::Invalid(errors)) => form_page(&state, &caller, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

// ---- one concern and the decision ---------------------------------------------------------------

/// A decision in the concern's history, as the page shows it.
struct DecisionLine {
    when: String,
    who: String,
    decision: String,
    outcome: String,
}

#[derive(askama::Template)]
#[template(path = "concern.html")]
struct ConcernPage {
    shell: Shell,
    errors: FieldErrors,
    c: Concern,
    /// Every decision, oldest first; shown when there has been more than one.
    history: Vec<DecisionLine>,
    occurred: String,
    raised: String,
    decided: String,
    can_decide: bool,
    agencies: Vec<Choice>,
    f: FormData,
    version: i64,
}

async fn concern_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    status: StatusCode,
    typed: Option<FormData>,
    version: Option<i64>,
) -> PageResult {
    let c = app::get(state, caller, id, Action::ViewConcerns).await?;
    let zone = familytime_app::case_files::centre_zone(state, caller, c.centre_id).await?;
    let history = app::decisions(state, caller, &c)
        .await?
        .into_iter()
        .map(|d| DecisionLine {
            when: when(&zone, familytime_store::schedule::ts_of(d.decided_at)),
            who: d.decided_by_name.unwrap_or_default(),
            outcome: format!(
                "{}{}",
                Agency::parse(&d.referred_to).map_or("Not referred", |a| a.label()),
                if d.closed { "; closed" } else { "; kept open" }
            ),
            decision: d.decision,
        })
        .collect();
    let page = ConcernPage {
        shell: Shell::for_caller(state, caller, "/home").await?,
        history,
        errors,
        occurred: when(&zone, c.occurred_at),
        raised: when(&zone, c.raised_at),
        decided: c.decided_at.map(|t| when(&zone, t)).unwrap_or_default(),
        can_decide: c.status == ConcernStatus::Open && app::may(caller, Action::DecideConcerns, Some(c.centre_id)),
        agencies: Agency::ALL
            .iter()
            .map(|a| Choice {
                value: a.as_str(),
                label: a.label(),
            })
            .collect(),
        // The version the form was opened at is kept through corrections, so a change made by someone
        // else meanwhile is still caught; after a stale refusal the page is the concern as it is now.
        version: version.unwrap_or(c.version),
        f: typed.unwrap_or_else(FormData::empty),
        c,
    };
    Ok(render_with(status, &page))
}

/// GET /concerns/{id}
pub async fn show(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    concern_page(&state, &caller, &id, FieldErrors::new(), StatusCode::OK, None, None).await
}

/// POST /concerns/{id}/decision
pub async fn decide(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = DecisionInput {
        decision: form.get("decision"),
        referred_to: form.get("referred_to"),
        agency_reference: form.get("agency_reference"),
        agency_contact: form.get("agency_contact"),
        close: form.checked("close"),
    };
    match app::decide(&state, &caller, &id, &input, form.version()).await {
        Ok(c) => Ok(Redirect::to(&format!("/concerns/{}", c.id)).into_response()),
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            let version = Some(form.version());
            concern_page(&state, &caller, &id, errors, status, Some(form), version).await
        }
        Err(err @ (AppError::Stale | AppError::Conflict(_))) => {
            let message = format!("{} The concern below is as it is now.", err.message());
            concern_page(
                &state,
                &caller,
                &id,
                FieldErrors::single("decision", message),
                StatusCode::CONFLICT,
                Some(form),
                None,
            )
            .await
        }
        Err(other) => Err(other.into()),
    }
}
