//! The backups page (administrators; issue 18, decision 0054): the backups `serve` made on its
//! schedule, newest first a page at a time, each made and checked, failed (with why) or still being
//! made. The files themselves stay on the server: this page only says how the backups stand.

use super::paging::Pager;
use super::{PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use familytime_app::scheduled_backups;
use familytime_store::scheduled_backups::{BackupOutcome, BackupRun};

pub struct RunRow {
    pub started: String,
    /// `verified`, `failed` or `running`, for its words.
    pub outcome: &'static str,
    pub failed: bool,
    pub file: String,
    pub size: String,
    pub audit_seq: Option<String>,
    pub why: String,
}

#[derive(askama::Template)]
#[template(path = "backups.html")]
struct BackupsPage {
    shell: Shell,
    rows: Vec<RunRow>,
    pager: Pager,
}

/// A file's size in the unit people read.
fn size(bytes: i64) -> String {
    const MB: i64 = 1024 * 1024;
    if bytes >= MB {
        format!("{:.1} MB", bytes as f64 / MB as f64)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn row(run: &BackupRun) -> RunRow {
    let started = run.started_at.strftime("%Y-%m-%d %H:%M UTC").to_string();
    match &run.outcome {
        BackupOutcome::Verified {
            file_name,
            bytes,
            audit_seq,
        } => RunRow {
            started,
            outcome: "verified",
            failed: false,
            file: file_name.clone(),
            size: size(*bytes),
            audit_seq: Some(audit_seq.to_string()),
            why: String::new(),
        },
        BackupOutcome::Failed(why) => RunRow {
            started,
            outcome: "failed",
            failed: true,
            file: String::new(),
            size: String::new(),
            audit_seq: None,
            why: why.clone(),
        },
        BackupOutcome::Running => RunRow {
            started,
            outcome: "running",
            failed: false,
            file: String::new(),
            size: String::new(),
            audit_seq: None,
            why: String::new(),
        },
    }
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let get = |name: &str| params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str());
    let request = familytime_app::paging::page_request(get("after"), get("before"))?;
    let page = scheduled_backups::runs(&state, &caller, &request).await?;
    let pager = Pager::new("backups", "/backups", &[], &page, |r| r.id.to_string());
    Ok(render(&BackupsPage {
        shell: Shell::for_caller(&state, &caller, "/backups").await?,
        rows: page.items.iter().map(row).collect(),
        pager,
    }))
}
