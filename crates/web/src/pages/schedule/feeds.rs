//! Calendar feeds: an address for an adult of a case or for the signed-in member of staff, shown
//! once, as the server's public address (never the request's Host header) and as a webcal link.

use super::case_sessions::{Posted, case_sessions_page, failed};
use super::renamed;
use crate::pages::{FormData, PageResult, Shell, render};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::schedule as app;
use familytime_domain::authz::Action;

#[derive(askama::Template)]
#[template(path = "schedule_feed.html")]
struct FeedPage {
    shell: Shell,
    heading: String,
    url: String,
    webcal: String,
    back: String,
    back_label: String,
}

/// POST /cases/{id}/calendar-feeds: a calendar feed for an adult of the case, shown once.
pub async fn case_feed(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let party = form.get("party_id");
    match app::create_feed(&state, &caller, None, Some((&id, &party))).await {
        Ok(address) => {
            let file = familytime_app::case_files::case_file(&state, &caller, &id, Action::ViewSchedule).await?;
            let name = file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party.trim())
                .map(|p| p.name.clone())
                .unwrap_or_default();
            Ok(render(&FeedPage {
                shell: Shell::for_caller(&state, &caller, "/cases").await?,
                heading: format!("Calendar feed for {name}"),
                url: address.url,
                webcal: address.webcal,
                back: format!("/cases/{id}/sessions"),
                back_label: format!("Back to the sessions for case {}", file.summary.reference),
            }))
        }
        Err(AppError::Invalid(errors)) => {
            let extras = failed(
                renamed(errors, &[("party_id", "feed-party")]),
                StatusCode::UNPROCESSABLE_ENTITY,
                Posted::Nothing,
                FormData::empty(),
            );
            case_sessions_page(&state, &caller, &id, &FormData::empty(), extras).await
        }
        Err(other) => Err(other.into()),
    }
}

/// POST /account/calendar-feed: the signed-in member of staff's own feed, shown once.
pub async fn own_feed(State(state): State<AppState>, caller: Caller) -> PageResult {
    let me = caller.user()?.id.to_string();
    let address = app::create_feed(&state, &caller, Some(&me), None).await?;
    Ok(render(&FeedPage {
        shell: Shell::for_caller(&state, &caller, "/today").await?,
        heading: "Your calendar feed".into(),
        url: address.url,
        webcal: address.webcal,
        back: "/today".into(),
        back_label: "Back to today's sessions".into(),
    }))
}
