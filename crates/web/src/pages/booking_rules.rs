//! The organisation's booking rules (issue 19, decision 0043), set by its administrator: whether
//! contact waits for every adult's pre-visit and the rules agreed. Some centres allow a first
//! supported visit straight away; switching is audited either way.

use super::{FormData, PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::booking_rules::{self, RulesSettings};

#[derive(askama::Template)]
#[template(path = "settings_booking_rules.html")]
struct BookingRulesPage {
    shell: Shell,
    saved: bool,
    stale: bool,
    previsits_before_contact: bool,
    version: i64,
}

/// GET /settings/booking-rules (`?done=saved` after a change, `?done=stale` when refused).
pub async fn show(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let settings = booking_rules::settings(&state, &caller).await?;
    let done = query
        .as_deref()
        .and_then(|q| form_urlencoded::parse(q.as_bytes()).find(|(k, _)| k == "done"))
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    Ok(render(&BookingRulesPage {
        shell: Shell::for_caller(&state, &caller, "/settings/booking-rules").await?,
        saved: done == "saved",
        stale: done == "stale",
        previsits_before_contact: settings.previsits_before_contact,
        version: settings.version,
    }))
}

/// POST /settings/booking-rules. A change made by someone else since the page was opened is not
/// overwritten: the page shows the setting as it now is and says so.
pub async fn save(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let wanted = RulesSettings {
        previsits_before_contact: form.checked("previsits_before_contact"),
        version: form.version(),
    };
    match booking_rules::set_settings(&state, &caller, wanted).await {
        Ok(()) => Ok(Redirect::to("/settings/booking-rules?done=saved").into_response()),
        Err(familytime_app::AppError::Stale) => Ok(Redirect::to("/settings/booking-rules?done=stale").into_response()),
        Err(other) => Err(other.into()),
    }
}
