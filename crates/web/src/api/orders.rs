//! API: the court order's contact pattern on a case, how the coming weeks' bookings compare with it,
//! and the cases booked under or over their order (decision 0046).

use super::paging::query_params;
use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use familytime_app::orders;
use familytime_domain::orders::{Comparison, Pattern, PatternInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A contact pattern as the order sets it.
#[derive(Serialize, ToSchema)]
pub struct PatternView {
    /// "weeks" or "month"
    pub every: String,
    /// Weeks between sessions (1 for a monthly pattern).
    pub interval: i64,
    /// "monday" … "sunday"
    pub weekdays: Vec<String>,
    pub minutes: i32,
    pub from: Option<String>,
    pub until: Option<String>,
    /// The pattern in words ("Every other week on Saturday, 2 hours").
    pub described: String,
}

fn pattern_view(p: &Pattern) -> PatternView {
    PatternView {
        every: p.every_code().into(),
        interval: p.interval(),
        weekdays: p
            .weekdays()
            .iter()
            .map(|d| familytime_domain::orders::weekday_code(*d).to_owned())
            .collect(),
        minutes: p.minutes(),
        from: p.from().map(|d| d.to_string()),
        until: p.until().map(|d| d.to_string()),
        described: p.describe(),
    }
}

/// One period of the pattern: its first and last day, the sessions ordered and booked in it.
#[derive(Serialize, ToSchema)]
pub struct PeriodView {
    pub first: String,
    pub last: String,
    pub expected: u32,
    pub booked: u32,
    /// "under", "as_ordered" or "over"
    pub standing: String,
}

fn periods(c: &Comparison) -> Vec<PeriodView> {
    c.periods
        .iter()
        .map(|p| PeriodView {
            first: p.first.to_string(),
            last: p.last.to_string(),
            expected: p.expected,
            booked: p.booked,
            standing: p.standing().as_str().into(),
        })
        .collect()
}

/// A court order of the case a pattern may be recorded on.
#[derive(Serialize, ToSchema)]
pub struct OrderChoice {
    pub id: String,
    /// The kind of order, in words.
    pub kind: String,
    pub made_on: String,
}

/// The case's pattern (null: none recorded) and the coming eight weeks against it.
#[derive(Serialize, ToSchema)]
pub struct OrderPatternView {
    /// The case's court orders (a pattern is recorded on one of them).
    pub orders: Vec<OrderChoice>,
    /// The court order the pattern is read from (null: none recorded).
    pub order_id: Option<String>,
    pub pattern: Option<PatternView>,
    /// "under", "over", "under_and_over" or "as_ordered" (null: no pattern).
    pub overall: Option<String>,
    pub periods: Vec<PeriodView>,
    /// Send this back when changing the pattern (0: none recorded yet).
    pub version: i64,
}

/// The case's contact pattern, on one of its court orders.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OrderPatternBody {
    /// One of the case's court orders (the `court_orders` of the case).
    pub order_id: String,
    /// "weeks" or "month"
    pub every: String,
    /// With "weeks": 1 every week, 2 every other week, up to 12.
    #[serde(default)]
    pub interval: Option<i64>,
    /// "monday" … "sunday", at least one: one session on each per period.
    pub weekdays: Vec<String>,
    /// How long each session lasts, 15 to 720.
    pub minutes: i64,
    /// YYYY-MM-DD (optional)
    #[serde(default)]
    pub from: Option<String>,
    /// YYYY-MM-DD (optional)
    #[serde(default)]
    pub until: Option<String>,
    /// The `version` as you read it (0 when the case has no pattern yet); an older one is refused
    /// (409), nothing changed.
    pub version: i64,
}

/// The case's contact pattern and how the coming eight weeks' bookings compare with it (a read of
/// the case: audited).
#[utoipa::path(get, path = "/api/v1/cases/{id}/order-pattern", operation_id = "get_order_pattern", tag = "referrals", params(("id" = String, Path)),
    responses((status = 200, body = OrderPatternView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_pattern(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderPatternView>> {
    let view = orders::case_order(&state, &caller, &id).await?;
    Ok(Json(OrderPatternView {
        orders: view
            .orders
            .iter()
            .map(|(id, kind, made_on)| OrderChoice {
                id: id.clone(),
                kind: kind.clone(),
                made_on: made_on.to_string(),
            })
            .collect(),
        order_id: view.pattern.as_ref().map(|p| p.order_id.clone()),
        pattern: view.pattern.as_ref().map(|p| pattern_view(&p.pattern)),
        overall: view.comparison.as_ref().map(|c| c.overall().to_owned()),
        periods: view.comparison.as_ref().map(periods).unwrap_or_default(),
        version: view.pattern.as_ref().map_or(0, |p| p.version),
    }))
}

/// Records or changes the case's contact pattern (audited). Every problem at once (422), nothing
/// changed.
#[utoipa::path(put, path = "/api/v1/cases/{id}/order-pattern", operation_id = "set_order_pattern", tag = "referrals", params(("id" = String, Path)),
    request_body = OrderPatternBody,
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn put_pattern(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(b): ApiJson<OrderPatternBody>,
) -> ApiResult<StatusCode> {
    let input = PatternInput {
        every: b.every,
        interval: b.interval,
        weekdays: b.weekdays,
        minutes: Some(b.minutes),
        from: b.from.unwrap_or_default(),
        until: b.until.unwrap_or_default(),
    };
    orders::save_pattern(&state, &caller, &id, &b.order_id, &input, b.version).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A case booked under or over its order.
#[derive(Serialize, ToSchema)]
pub struct OffPatternCase {
    pub case_id: String,
    pub reference: String,
    pub pattern: PatternView,
    /// "under", "over" or "under_and_over"
    pub overall: String,
    pub periods: Vec<PeriodView>,
}

/// A page of the cases booked under or over their order.
#[derive(Serialize, ToSchema)]
pub struct OffPatternPage {
    pub cases: Vec<OffPatternCase>,
    /// Ask again with `?after=` this to read on (null: the end of the list).
    pub next: Option<String>,
}

/// The cases at your centres booked under or over their court order's pattern in the coming eight
/// weeks, a page at a time (audited).
#[utoipa::path(get, path = "/api/v1/orders", operation_id = "list_cases_off_their_order", tag = "schedule",
    params(("after" = Option<String>, Query, description = "Read on after this case (the `next` of the page before)")),
    responses((status = 200, body = OffPatternPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<OffPatternPage>> {
    let params = query_params(query.as_deref(), &["after"])?;
    let page = orders::under_or_over(&state, &caller, params.get("after").map(String::as_str)).await?;
    Ok(Json(OffPatternPage {
        cases: page
            .rows
            .iter()
            .map(|r| OffPatternCase {
                case_id: r.case_id.clone(),
                reference: r.reference.clone(),
                pattern: pattern_view(&r.pattern),
                overall: r.comparison.overall().to_owned(),
                periods: periods(&r.comparison),
            })
            .collect(),
        next: page.next,
    }))
}
