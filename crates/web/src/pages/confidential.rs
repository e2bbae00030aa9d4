//! Pages for hidden contact details: naming a case's key worker and the coordinators and managers
//! named for it, the reason step ("break glass") for anyone else, and the list of reasons given that
//! the safeguarding lead reads.

use super::{FormData, PageResult, Shell, form_status, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::confidential as app;
use familytime_domain::text::FieldErrors;

#[derive(askama::Template)]
#[template(path = "break_glass_form.html")]
struct ReasonPage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    reason: String,
}

async fn reason_page(state: &AppState, caller: &Caller, id: &str, errors: FieldErrors, reason: String) -> PageResult {
    let case = app::break_glass_case(state, caller, id).await?;
    let page = ReasonPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        case_id: case.id.to_string(),
        reference: case.reference,
        reason,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

/// GET /cases/{id}/break-glass: the form asking why.
pub async fn reason_form(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    reason_page(&state, &caller, &id, FieldErrors::new(), String::new()).await
}

/// POST /cases/{id}/break-glass: keeps the reason and goes back to the case, now showing the details.
pub async fn give_reason(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let reason = form.get("reason");
    match app::break_glass(&state, &caller, &id, &reason).await {
        Ok(_) => Ok(Redirect::to(&format!("/cases/{id}#contact-details")).into_response()),
        Err(AppError::Invalid(errors)) => reason_page(&state, &caller, &id, errors, reason).await,
        Err(other) => Err(other.into()),
    }
}

/// One person offered in the form.
struct Choice {
    id: String,
    label: String,
    selected: bool,
}

#[derive(askama::Template)]
#[template(path = "named_staff.html")]
struct NamedPage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    keys: Vec<Choice>,
    nameable: Vec<Choice>,
    version: i64,
}

/// The form, with what is named now, or what was sent when it was refused.
async fn named_page(
    state: &AppState,
    caller: &Caller,
    id: &str,
    errors: FieldErrors,
    sent: Option<&FormData>,
) -> PageResult {
    let view = app::named_staff(state, caller, id).await?;
    let key_now = |u: &familytime_domain::ids::UserId| match sent {
        Some(f) => f.get("key_worker") == u.to_string(),
        None => view.named.iter().any(|n| n.user_id == *u && n.key_worker),
    };
    let named_now = |u: &familytime_domain::ids::UserId| match sent {
        Some(f) => f.all("named").contains(&u.to_string()),
        None => view.named.iter().any(|n| n.user_id == *u && !n.key_worker),
    };
    let choice = |c: &app::Candidate, selected: bool| Choice {
        id: c.user_id.to_string(),
        label: format!("{} ({})", c.name, c.role.label()),
        selected,
    };
    let page = NamedPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        case_id: view.case.id.to_string(),
        reference: view.case.reference.clone(),
        keys: view.candidates.iter().map(|c| choice(c, key_now(&c.user_id))).collect(),
        nameable: view
            .candidates
            .iter()
            .filter(|c| c.may_be_named)
            .map(|c| choice(c, named_now(&c.user_id)))
            .collect(),
        version: view.version,
        errors,
    };
    Ok(render_with(form_status(&page.errors), &page))
}

/// GET /cases/{id}/named-staff
pub async fn named_form(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    named_page(&state, &caller, &id, FieldErrors::new(), None).await
}

/// POST /cases/{id}/named-staff
pub async fn save_named(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let saved = app::set_named_staff(
        &state,
        &caller,
        &id,
        &form.get("key_worker"),
        &form.all("named"),
        form.version(),
    )
    .await;
    match saved {
        Ok(()) => Ok(Redirect::to(&format!("/cases/{id}")).into_response()),
        Err(err) => {
            // A stale form is shown again as the list is now, with what changed said at the top.
            let (errors, status, keep) = super::refusal(err, "key_worker")?;
            let sent = (keep && status != axum::http::StatusCode::CONFLICT).then_some(&form);
            let mut page = named_page(&state, &caller, &id, errors, sent).await?;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}

/// A reason as a line in the list.
struct Line {
    when: String,
    who: String,
    case_id: String,
    reference: String,
    reason: String,
}

#[derive(askama::Template)]
#[template(path = "break_glass_list.html")]
struct ListPage {
    shell: Shell,
    entries: Vec<Line>,
}

/// GET /break-glass: the reasons given, newest first (the safeguarding lead and administrators).
pub async fn list(State(state): State<AppState>, caller: Caller) -> PageResult {
    let entries = app::break_glass_list(&state, &caller).await?;
    let org = caller.user()?.organisation_id;
    let centres = state.store.centres(org).await?;
    let zone_of = |centre| {
        centres
            .iter()
            .find(|c| c.id == centre)
            .and_then(|c| jiff::tz::TimeZone::get(&c.time_zone).ok())
            .unwrap_or(jiff::tz::TimeZone::UTC)
    };
    let page = ListPage {
        shell: Shell::for_caller(&state, &caller, "/break-glass").await?,
        entries: entries
            .into_iter()
            .map(|g| Line {
                when: g
                    .given_at
                    .to_zoned(zone_of(g.centre_id))
                    .strftime("%a %-d %b %Y %H:%M")
                    .to_string(),
                who: g.user_name,
                case_id: g.case_id.to_string(),
                reference: g.case_reference,
                reason: g.reason,
            })
            .collect(),
    };
    Ok(render(&page))
}
