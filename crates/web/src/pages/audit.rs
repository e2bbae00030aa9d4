//! The audit log page (administrators).

use super::{PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use familytime_app as app;

pub struct EntryRow {
    pub seq: i64,
    pub when: String,
    pub who: String,
    pub action: String,
    pub object: String,
    pub outcome: String,
}

#[derive(askama::Template)]
#[template(path = "audit.html")]
struct AuditPage {
    shell: Shell,
    entries: Vec<EntryRow>,
    older: Option<i64>,
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let before = app::audit::before_param(query.as_deref())?;
    let entries = app::audit::list_entries(&state, &caller, before).await?;
    // The names of the people on this page of the log only.
    let mut ids: Vec<String> = entries.iter().filter_map(|e| e.actor_user_id.clone()).collect();
    ids.sort();
    ids.dedup();
    let names = state.store.user_names(caller.user()?.organisation_id, &ids).await?;
    let name_of = |id: &Option<String>| match id {
        Some(id) => names.get(id).cloned().unwrap_or_else(|| id.clone()),
        None => "—".to_owned(),
    };
    let older = if entries.len() == 100 {
        entries.last().map(|e| e.seq)
    } else {
        None
    };
    let rows = entries
        .into_iter()
        .map(|e| EntryRow {
            seq: e.seq,
            when: familytime_domain::Timestamp::from_millisecond(e.at_ms)
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            who: name_of(&e.actor_user_id),
            action: e.action,
            object: match e.object_id {
                Some(id) => format!("{} {}", e.object_type, id),
                None => e.object_type,
            },
            outcome: e.outcome,
        })
        .collect();
    Ok(render(&AuditPage {
        shell: Shell::for_caller(&state, &caller, "/audit").await?,
        entries: rows,
        older,
    }))
}

/// One line of "who viewed this family".
pub struct AccessRow {
    pub when: String,
    pub who: String,
    pub action: String,
    pub outcome: String,
    pub address: String,
}

#[derive(askama::Template)]
#[template(path = "case_viewers.html")]
struct CaseViewersPage {
    shell: Shell,
    case_id: String,
    reference: String,
    entries: Vec<AccessRow>,
    older: Option<i64>,
}

/// GET /cases/{id}/viewers: who read or changed this family's records, newest first, a page at a
/// time (the safeguarding lead and administrators, decision 0053).
pub async fn case_viewers(
    State(state): State<AppState>,
    caller: Caller,
    axum::extract::Path(id): axum::extract::Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let before = app::audit::before_param(query.as_deref())?;
    let page = app::audit::case_access(&state, &caller, &id, before).await?;
    let entries = page
        .entries
        .into_iter()
        .map(|e| AccessRow {
            when: familytime_domain::Timestamp::from_millisecond(e.at)
                .map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
                .unwrap_or_default(),
            who: match (e.actor_name, e.actor_user_id) {
                (Some(name), _) => name,
                (None, Some(id)) => id,
                (None, None) => "the system or a calendar feed".to_owned(),
            },
            action: e.action,
            outcome: e.outcome,
            address: e.address.unwrap_or_else(|| "—".to_owned()),
        })
        .collect();
    Ok(render(&CaseViewersPage {
        shell: Shell::for_caller(&state, &caller, "/cases").await?,
        case_id: page.case_id.to_string(),
        reference: page.reference,
        entries,
        older: page.older,
    }))
}
