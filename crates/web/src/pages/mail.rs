//! The outbox page (administrators; issue 17): every e-mail queued, being sent, sent and failed,
//! newest first a page at a time, failed ones marked, with why. No addresses: the person's own record
//! has them.

use super::paging::Pager;
use super::{PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use familytime_app::mail::outbox::{self, OutboxItem};

pub struct OutboxRow {
    pub when: String,
    pub kind: &'static str,
    pub subject: String,
    pub state: String,
    pub failed: bool,
    pub attempts: i64,
    pub why: String,
    pub case_id: Option<String>,
    /// When it must be sent by (decision 0050), and whether that has passed unsent.
    pub due_by: Option<String>,
    pub overdue: bool,
}

#[derive(askama::Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    shell: Shell,
    rows: Vec<OutboxRow>,
    only: String,
    states: [&'static str; 4],
    pager: Pager,
}

fn row(m: &OutboxItem, now: familytime_domain::Timestamp) -> OutboxRow {
    OutboxRow {
        when: m.created_at.strftime("%Y-%m-%d %H:%M").to_string(),
        kind: m.kind,
        subject: m.subject.clone(),
        state: m.state.clone(),
        failed: m.state == "failed",
        attempts: m.attempts,
        why: m
            .last_error
            .clone()
            .or_else(|| m.server_reply.clone())
            .unwrap_or_default(),
        case_id: m.case_id.clone(),
        due_by: m.due_by.map(|t| t.strftime("%Y-%m-%d %H:%M").to_string()),
        overdue: m.overdue(now),
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let only = get("state").unwrap_or_default().trim().to_owned();
    let request = familytime_app::paging::page_request(get("after"), get("before"))?;
    let page = outbox::outbox(&state, &caller, Some(only.as_str()), &request).await?;
    let pager = Pager::new("outbox", "/outbox", &[("state", only.as_str())], &page, |m| {
        m.id.clone()
    });
    let now = state.clock.now();
    Ok(render(&OutboxPage {
        shell: Shell::for_caller(&state, &caller, "/outbox").await?,
        rows: page.items.iter().map(|m| row(m, now)).collect(),
        only,
        states: outbox::STATES,
        pager,
    }))
}
