//! The court order's contact pattern (issue 19 item 5, decision 0046): recorded and changed on the
//! case (the page and the API), compared with the case's bookings for the coming weeks, listed for
//! the coordinator (cases booked under or over their order), and proposed to the series form.

use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, CentreScope, Object};
use familytime_domain::ids::{CaseId, CentreId, OrganisationId};
use familytime_domain::orders::{self, Comparison, Pattern, PatternInput};
use familytime_domain::text::FieldErrors;
use familytime_store::orders::StoredPattern;
use familytime_store::referrals::CaseFile;
use familytime_store::{AuditEvent, StoreError};
use jiff::civil::Date;
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// What the case page and the case's API show of its order's pattern.
#[derive(Debug, Clone)]
pub struct OrderView {
    /// The case's court orders a pattern may be recorded on: (id, "Child arrangements order, made 3 March 2026").
    pub orders: Vec<(String, String, Date)>,
    pub pattern: Option<StoredPattern>,
    pub comparison: Option<Comparison>,
    pub today: Date,
}

/// The first instant of a local day at the centre.
fn start_of(day: Date, zone: &TimeZone) -> Result<Timestamp, AppError> {
    day.to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .map_err(|_| AppError::Internal("a day that does not start"))
}

/// Compares one case's pattern with its sessions in the pattern's window.
async fn compare_one(
    state: &AppState,
    org: OrganisationId,
    stored: &StoredPattern,
    zone: &TimeZone,
    today: Date,
    sessions: Option<&[(String, Timestamp)]>,
) -> Result<Comparison, AppError> {
    let (first, last) = orders::window(&stored.pattern, today, stored.made_on);
    let read;
    let sessions = match sessions {
        Some(s) => s,
        None => {
            let end = last.tomorrow().map_err(|_| AppError::Internal("a day with no next"))?;
            read = state
                .store
                .counted_sessions(
                    org,
                    std::slice::from_ref(&stored.case_id),
                    start_of(first, zone)?,
                    start_of(end, zone)?,
                )
                .await?;
            &read
        }
    };
    let days: Vec<Date> = sessions
        .iter()
        .filter(|(case, _)| *case == stored.case_id)
        .map(|(_, at)| at.to_zoned(zone.clone()).date())
        .collect();
    Ok(orders::compare(&stored.pattern, today, stored.made_on, &days))
}

/// The pattern of the case of an already authorised `file` and how its bookings compare.
pub async fn order_view(state: &AppState, caller: &Caller, file: &CaseFile) -> Result<OrderView, AppError> {
    let org = file_org(caller)?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let today = state.clock.now().to_zoned(zone.clone()).date();
    let mut listed = state.store.case_orders(org, file.summary.id).await?;
    // The child arrangements order (the one that sets contact) is offered first.
    listed.sort_by_key(|(_, kind, _)| kind != "child_arrangements");
    let orders = listed
        .into_iter()
        .filter_map(|(id, kind, made_on)| {
            let made_on: Date = made_on.parse().ok()?;
            let kind = familytime_domain::intake::ORDER_KINDS
                .iter()
                .find(|(k, _)| *k == kind)
                .map_or("Court order", |(_, label)| *label);
            Some((id, kind.to_owned(), made_on))
        })
        .collect();
    let pattern = state.store.order_pattern(org, file.summary.id).await?;
    let comparison = match &pattern {
        Some(stored) => Some(compare_one(state, org, stored, &zone, today, None).await?),
        None => None,
    };
    Ok(OrderView {
        orders,
        pattern,
        comparison,
        today,
    })
}

/// The case's pattern and comparison, for the API (a read of the case: audited as the case page's
/// read is).
pub async fn case_order(state: &AppState, caller: &Caller, case: &str) -> Result<OrderView, AppError> {
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("order.read", "case", file.summary.id),
        )
        .await?;
    order_view(state, caller, &file).await
}

/// Records or changes the case's pattern on one of its orders, at the version the form or the
/// request was opened at (0: the case had none). Every problem with the pattern at once (422),
/// nothing changed; an order not of this case is a problem with `order_id`.
pub async fn save_pattern(
    state: &AppState,
    caller: &Caller,
    case: &str,
    order: &str,
    input: &PatternInput,
    version: i64,
) -> Result<Pattern, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let mut errors = FieldErrors::new();
    if order.trim().is_empty() {
        errors.add("order_id", "Choose the court order the pattern is from");
    }
    let pattern = match input.parse() {
        Ok(p) => Some(p),
        Err(e) => {
            errors.extend(e);
            None
        }
    };
    let Some(pattern) = pattern.filter(|_| errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    match state
        .store
        .save_order_pattern(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            order.trim(),
            &pattern,
            version,
        )
        .await
    {
        Ok(_) => Ok(pattern),
        Err(StoreError::NotFound) => Err(AppError::Invalid(FieldErrors::single(
            "order_id",
            "Choose one of the case's court orders",
        ))),
        Err(e) => Err(e.into()),
    }
}

/// One case on the coordinator's list.
#[derive(Debug, Clone)]
pub struct Listed {
    pub case_id: String,
    pub reference: String,
    pub pattern: Pattern,
    pub comparison: Comparison,
}

/// A page of the list, and where the next one starts (if there is more).
#[derive(Debug, Clone)]
pub struct ListPage {
    pub rows: Vec<Listed>,
    pub next: Option<String>,
}

/// How many cases with a pattern are read at a time, and how many reads one page may take: a page
/// shows the cases under or over among at most `CHUNK * CHUNKS` cases with a pattern, and says
/// where to go on from.
const CHUNK: i64 = 50;
const CHUNKS: usize = 4;

/// The cases at the caller's centres booked under or over their order in the coming weeks, a page
/// at a time (after the case `after`). A read that names families: audited.
pub async fn under_or_over(state: &AppState, caller: &Caller, after: Option<&str>) -> Result<ListPage, AppError> {
    let org = file_org(caller)?;
    let actor = authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let after = match after.map(str::trim).filter(|a| !a.is_empty()) {
        Some(a) => Some(
            CaseId::parse(a)
                .map_err(|_| AppError::BadRequest("This page's address is not one the list gave out".into()))?
                .to_string(),
        ),
        None => None,
    };
    let centres: Option<Vec<CentreId>> = match &actor.centres {
        CentreScope::All => None,
        CentreScope::Only(only) => Some(only.clone()),
    };
    let now = state.clock.now();
    let mut zones: HashMap<String, TimeZone> = HashMap::new();
    let mut rows = Vec::new();
    let mut cursor = after;
    let mut next = None;
    for _ in 0..CHUNKS {
        let chunk = state
            .store
            .patterned_cases(org, centres.as_deref(), cursor.as_deref(), CHUNK)
            .await?;
        let full = i64::try_from(chunk.len()).unwrap_or(i64::MAX) == CHUNK;
        let Some(last) = chunk.last() else {
            next = None;
            break;
        };
        cursor = Some(last.stored.case_id.clone());
        // One read of the sessions for the whole chunk, from the earliest window's start.
        let mut span: Option<(Timestamp, Timestamp)> = None;
        let mut todays = Vec::new();
        for case in &chunk {
            let zone = match zones.get(&case.centre_id) {
                Some(z) => z.clone(),
                None => {
                    let centre = CentreId::parse(&case.centre_id).map_err(|_| AppError::Internal("a centre id"))?;
                    let z = centre_zone(state, caller, centre).await?;
                    zones.insert(case.centre_id.clone(), z.clone());
                    z
                }
            };
            let today = now.to_zoned(zone.clone()).date();
            let (first, last) = orders::window(&case.stored.pattern, today, case.stored.made_on);
            let end = last.tomorrow().map_err(|_| AppError::Internal("a day with no next"))?;
            let (from, until) = (start_of(first, &zone)?, start_of(end, &zone)?);
            span = Some(match span {
                Some((a, b)) => (a.min(from), b.max(until)),
                None => (from, until),
            });
            todays.push((zone, today));
        }
        let (from, until) = span.unwrap_or((now, now));
        let ids: Vec<String> = chunk.iter().map(|c| c.stored.case_id.clone()).collect();
        let sessions = state.store.counted_sessions(org, &ids, from, until).await?;
        for (case, (zone, today)) in chunk.into_iter().zip(todays) {
            let comparison = compare_one(state, org, &case.stored, &zone, today, Some(&sessions)).await?;
            if comparison.under() || comparison.over() {
                rows.push(Listed {
                    case_id: case.stored.case_id,
                    reference: case.reference,
                    pattern: case.stored.pattern,
                    comparison,
                });
            }
        }
        next = if full { cursor.clone() } else { None };
        if !full || rows.len() >= familytime_store::paging::PAGE_SIZE {
            break;
        }
    }
    state
        .store
        .audit(&caller.scope(now), AuditEvent::ok("order.list", "organisation", org))
        .await?;
    Ok(ListPage { rows, next })
}

/// What the series form proposes from the case's pattern: the repeat, the length and the next day
/// on the pattern (each only where the pattern says it).
#[derive(Debug, Clone, Default)]
pub struct Proposal {
    pub repeat: Option<&'static str>,
    pub minutes: Option<i32>,
    pub date: Option<Date>,
    /// The pattern in words, to say where the proposal comes from.
    pub described: String,
}

/// The series form's proposal for the case of an already authorised `file` (none without a pattern).
pub async fn proposal(
    state: &AppState,
    caller: &Caller,
    file: &CaseFile,
    today: Date,
) -> Result<Option<Proposal>, AppError> {
    let Some(stored) = state.store.order_pattern(file_org(caller)?, file.summary.id).await? else {
        return Ok(None);
    };
    let p = &stored.pattern;
    Ok(Some(Proposal {
        repeat: p.series_repeat(),
        minutes: Some(p.minutes()),
        date: p.next_day(today, stored.made_on),
        described: p.describe(),
    }))
}
