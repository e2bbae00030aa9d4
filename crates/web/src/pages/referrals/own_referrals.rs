//! A referrer's own referrals: the list, and where one stands (with "Referral sent" after the form).

use super::{CaseRow, query_param, row};
use crate::i18n::{self, dates};
use crate::pages::words;
use crate::pages::{PageResult, Shell, render};
use crate::{AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use familytime_app::referrals;

#[derive(askama::Template)]
#[template(path = "referrals_list.html")]
struct OwnReferralsPage {
    shell: Shell,
    referrals: Vec<CaseRow>,
}

pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let list = referrals::own_referrals(&state, &caller).await?;
    let lang = i18n::current();
    let referrals = list
        .iter()
        .map(|c| CaseRow {
            status: words::case_status(c.status),
            received: dates::date(lang, c.received_at.to_zoned(london()).date()),
            ..row(&state, c)
        })
        .collect();
    Ok(render(&OwnReferralsPage {
        shell: Shell::for_caller(&state, &caller, "/referrals").await?,
        referrals,
    }))
}

#[derive(askama::Template)]
#[template(path = "referral_status.html")]
struct ReferralStatusPage {
    shell: Shell,
    notice: Option<String>,
    reference: String,
    status: String,
    history: Vec<(String, String)>,
}

pub async fn own_one(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
) -> PageResult {
    own_page(&state, &caller, &id, sent_notice(query.as_deref())).await
}

/// "Referral sent", on the page a referral lands on after the form (`?done=sent`).
fn sent_notice(query: Option<&str>) -> Option<String> {
    (query_param(query, "done") == "sent").then(|| i18n::t("referral-sent"))
}

async fn own_page(state: &AppState, caller: &Caller, id: &str, notice: Option<String>) -> PageResult {
    let r = referrals::own_referral(state, caller, id).await?;
    let lang = i18n::current();
    let page = ReferralStatusPage {
        shell: Shell::for_caller(state, caller, "/referrals").await?,
        notice,
        reference: r.summary.reference.clone(),
        status: words::case_status(r.summary.status),
        history: r
            .history
            .iter()
            .map(|(s, at)| (words::case_status(*s), dates::date(lang, at.to_zoned(london()).date())))
            .collect(),
    };
    Ok(render(&page))
}

/// Referrals are dated as the families and referrers they serve read the day: in the UK.
fn london() -> jiff::tz::TimeZone {
    jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC)
}
