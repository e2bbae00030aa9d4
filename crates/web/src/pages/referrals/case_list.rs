//! The staff case list: filtered by status, centre or a search, a page at a time.

use super::{CaseRow, may, query_param, row};
use crate::pages::paging::Pager;
use crate::pages::{PageResult, Shell, render};
use crate::{AppError, AppState, Caller};
use axum::extract::{RawQuery, State};
use familytime_app::referrals;
use familytime_app::tenancy::list_centres;
use familytime_domain::authz::Action;
use familytime_domain::referrals::CaseStatus;
use familytime_store::tenancy::Centre;

#[derive(askama::Template)]
#[template(path = "cases.html")]
struct CasesPage {
    shell: Shell,
    cases: Vec<CaseRow>,
    pager: Pager,
    statuses: &'static [CaseStatus],
    status: String,
    search: String,
    centres: Vec<Centre>,
    centre: String,
    can_add: bool,
}

pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let mut status = query_param(query.as_deref(), "status");
    let search = query_param(query.as_deref(), "q");
    let mut centre = query_param(query.as_deref(), "centre");
    let after = query_param(query.as_deref(), "after");
    let before = query_param(query.as_deref(), "before");
    let filter = referrals::CaseFilter {
        status: Some(&status),
        search: Some(&search),
        centre: Some(&centre),
        after: Some(&after),
        before: Some(&before),
    };
    // A filter or page that does not parse (an old link, a hand-typed address) shows the first page
    // of everything instead.
    let cases = match referrals::list_cases(&state, &caller, filter).await {
        Err(AppError::BadRequest(_)) => {
            let cases = referrals::list_cases(
                &state,
                &caller,
                referrals::CaseFilter {
                    search: Some(&search),
                    ..Default::default()
                },
            )
            .await?;
            (status, centre) = (String::new(), String::new());
            cases
        }
        other => other?,
    };
    let centres = list_centres(&state, &caller).await?;
    let pager = Pager::new(
        "cases",
        "/cases",
        &[
            ("q", search.as_str()),
            ("status", status.as_str()),
            ("centre", centre.as_str()),
        ],
        &cases,
        |c| c.id.to_string(),
    );
    let page = CasesPage {
        shell: Shell::for_caller(&state, &caller, "/cases").await?,
        cases: cases.items.iter().map(|c| row(&state, c)).collect(),
        pager,
        statuses: CaseStatus::ALL,
        status,
        search,
        centres,
        centre,
        can_add: may(&caller, Action::ManageCases),
    };
    Ok(render(&page))
}
