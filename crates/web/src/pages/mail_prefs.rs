//! The pages of e-mail preferences (decision 0051): one's own reminders (on the account page), a
//! party's reminders (on the adult's page of a case, when the parent asks), and a centre's
//! reminder times.

use super::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect};
use familytime_app::mail_prefs;
use familytime_domain::text::FieldErrors;

/// POST /account/reminders: the account page then says what was saved.
pub async fn own_reminders(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let off = mail_prefs::set_own_reminders(&state, &caller, &form.get("reminders")).await?;
    let done = if off { "reminders-off" } else { "reminders-on" };
    Ok(Redirect::to(&format!("/account?done={done}#reminders")).into_response())
}

/// POST /cases/{id}/parties/{party}/reminders: the adult's page then says what was saved.
pub async fn party_reminders(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    let off = mail_prefs::set_party_reminders(&state, &caller, &id, &party, &form.get("reminders")).await?;
    let done = if off { "reminders-off" } else { "reminders-on" };
    Ok(Redirect::to(&format!("/cases/{id}/parties/{party}?done={done}#reminders")).into_response())
}

#[derive(askama::Template)]
#[template(path = "centre_reminders.html")]
struct ReminderTimesPage {
    shell: Shell,
    errors: FieldErrors,
    notice: bool,
    centre_id: String,
    centre_name: String,
    first: String,
    second: String,
    version: i64,
}

async fn times_page(
    state: &AppState,
    caller: &Caller,
    centre: &str,
    errors: FieldErrors,
    typed: Option<(String, String, i64)>,
    notice: bool,
    status: StatusCode,
) -> PageResult {
    let (id, hours, version) = mail_prefs::centre_reminder_times(state, caller, centre).await?;
    let name = familytime_app::tenancy::get_centre(state, caller, &id.to_string())
        .await?
        .0
        .name;
    let (first, second, version) = typed.unwrap_or((hours.first().to_string(), hours.second().to_string(), version));
    let page = ReminderTimesPage {
        shell: Shell::for_caller(state, caller, "/centres").await?,
        errors,
        notice,
        centre_id: id.to_string(),
        centre_name: name,
        first,
        second,
        version,
    };
    Ok(render_with(status, &page))
}

/// GET /centres/{id}/reminder-times
pub async fn reminder_times(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    times_page(&state, &caller, &id, FieldErrors::new(), None, false, StatusCode::OK).await
}

/// POST /centres/{id}/reminder-times: saved and confirmed, or the form again with every problem
/// and what was typed (a stale save is refused and shown).
pub async fn save_reminder_times(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let (first, second, version) = (
        form.get("reminder_first_hours"),
        form.get("reminder_second_hours"),
        form.version(),
    );
    match mail_prefs::set_centre_reminder_times(&state, &caller, &id, &first, &second, version).await {
        Ok(_) => times_page(&state, &caller, &id, FieldErrors::new(), None, true, StatusCode::OK).await,
        Err(AppError::Invalid(errors)) => {
            let status = form_status(&errors);
            times_page(
                &state,
                &caller,
                &id,
                errors,
                Some((first, second, version)),
                false,
                status,
            )
            .await
        }
        Err(AppError::Stale) => {
            let errors = FieldErrors::single("reminder_first_hours", AppError::Stale.message());
            times_page(&state, &caller, &id, errors, None, false, StatusCode::CONFLICT).await
        }
        Err(other) => Err(other.into()),
    }
}
