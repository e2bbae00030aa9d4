//! The court order's contact pattern (decision 0046): the case page's form that records or changes
//! it, and the coordinator's list of cases booked under or over their order for the coming weeks.

use super::referrals::case_file::{case_page_kept, done};
use super::{FormData, PageResult, Shell, render};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use familytime_app::orders;
use familytime_domain::orders::PatternInput;

/// A number typed into a form: blank is none; anything else that is not a whole number is a
/// number out of range (so the domain's message for the field is shown).
fn number(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        None
    } else {
        Some(text.parse().unwrap_or(i64::MIN))
    }
}

/// POST /cases/{id}/order-pattern
pub async fn save_pattern(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let input = PatternInput {
        every: form.get("every"),
        interval: number(&form.get("interval")),
        weekdays: form.all("weekdays"),
        minutes: number(&form.get("minutes")),
        from: form.get("from"),
        until: form.get("until"),
    };
    match orders::save_pattern(&state, &caller, &id, &form.get("order_id"), &input, form.version()).await {
        Ok(_) => Ok(done(&id, "pattern")),
        Err(err @ (AppError::Invalid(_) | AppError::Stale | AppError::Conflict(_))) => {
            let (errors, _, _) = crate::pages::refusal(err, "order_id")?;
            // The form shows the pattern as it is now after a stale save: what was typed is kept
            // only when the input itself was refused.
            let kept = if errors
                .message_for("order_id")
                .is_some_and(|m| m.contains("Nothing was saved"))
            {
                FormData::empty()
            } else {
                form
            };
            case_page_kept(&state, &caller, &id, errors, kept).await
        }
        Err(other) => Err(other.into()),
    }
}

/// One case on the list, in the page's words.
pub struct ListRow {
    pub case_id: String,
    pub reference: String,
    pub pattern: String,
    /// Each period that differs: (dates, booked, ordered, "under" or "over").
    pub differs: Vec<(String, u32, u32, &'static str)>,
}

#[derive(askama::Template)]
#[template(path = "orders_list.html")]
struct ListPage {
    shell: Shell,
    rows: Vec<ListRow>,
    next: Option<String>,
}

/// GET /orders (`?after=` a case id, as the list's link gives it)
pub async fn list(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> PageResult {
    let after = query.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "after")
            .map(|(_, v)| v.into_owned())
    });
    let page = orders::under_or_over(&state, &caller, after.as_deref()).await?;
    let shell = Shell::for_caller(&state, &caller, "/orders").await?;
    let lang = shell.lang;
    let rows = page
        .rows
        .into_iter()
        .map(|r| ListRow {
            case_id: r.case_id,
            reference: r.reference,
            pattern: r.pattern.describe(),
            differs: r
                .comparison
                .periods
                .iter()
                .filter(|p| p.booked != p.expected)
                .map(|p| {
                    (
                        format!(
                            "{} – {}",
                            familytime_i18n::dates::date(lang, p.first),
                            familytime_i18n::dates::date(lang, p.last)
                        ),
                        p.booked,
                        p.expected,
                        p.standing().as_str(),
                    )
                })
                .collect(),
        })
        .collect();
    Ok(render(&ListPage {
        shell,
        rows,
        next: page.next,
    }))
}
