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
