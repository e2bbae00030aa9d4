//! A parent's own account page: their bookings with their own times, their money and invoices.

use super::rows::{InvoiceLine, LedgerLine};
use super::when;
use crate::AppState;
use crate::context::Caller;
use crate::pages::{PageResult, Shell, render_with};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::billing as app;
use familytime_domain::billing::{Entry, describe_balance};
use familytime_domain::schedule::BookingKind;
use jiff::tz::TimeZone;

pub struct OwnBooking {
    pub label: String,
    pub arrive: String,
    pub leave: String,
    pub status: String,
}

pub struct OwnCaseView {
    pub case_id: String,
    pub account: String,
    pub reference: String,
    pub centre: String,
    pub standing: String,
    pub deposit: String,
    pub bookings: Vec<OwnBooking>,
    /// Whether any of them is provisional (then what that means is explained).
    pub any_provisional: bool,
    pub rows: Vec<LedgerLine>,
    pub invoices: Vec<InvoiceLine>,
}

#[derive(Template)]
#[template(path = "my_account.html")]
struct OwnPage {
    shell: Shell,
    cases: Vec<OwnCaseView>,
}

/// A parent's booking's status, saying where a moved session went (or came from) and who asked.
fn own_status(
    all: &[(
        familytime_store::schedule::Booking,
        familytime_store::schedule::BookedParty,
    )],
    b: &familytime_store::schedule::Booking,
    zone: &TimeZone,
) -> String {
    let at = |x: &familytime_store::schedule::Booking| {
        x.span
            .start
            .to_zoned(zone.clone())
            .strftime("%A %-d %B %Y, %H:%M")
            .to_string()
    };
    let id = b.id.to_string();
    let mut others = all.iter().map(|(x, _)| x);
    if let Some(new) = others
        .clone()
        .find(|x| x.rescheduled_from.as_deref() == Some(id.as_str()))
    {
        return format!(
            "Moved to {}, {}",
            at(new),
            crate::pages::schedule::move_asked_by(b.cancelled_by.as_deref())
        );
    }
    if let Some(old) = b
        .rescheduled_from
        .as_deref()
        .and_then(|from| others.find(|x| x.id.to_string() == from))
    {
        return format!(
            "{}, moved from {}, {}",
            b.status.label(),
            at(old),
            crate::pages::schedule::move_asked_by(old.cancelled_by.as_deref())
        );
    }
    b.status.label().to_owned()
}

/// GET /my-account
pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let cases = app::own_account(&state, &caller).await?;
    let hm = |zone: &TimeZone, ms: i64| {
        familytime_store::schedule::ts_of(ms)
            .to_zoned(zone.clone())
            .strftime("%H:%M")
            .to_string()
    };
    let template = OwnPage {
        shell: Shell::for_caller(&state, &caller, "/my-account").await?,
        cases: cases
            .iter()
            .map(|c| OwnCaseView {
                case_id: c.case_id.to_string(),
                account: c.account.clone(),
                reference: c.case_reference.clone(),
                centre: c.centre_name.clone(),
                standing: describe_balance(c.owed),
                deposit: if c.deposit_held.0 > 0 {
                    c.deposit_held.display()
                } else {
                    String::new()
                },
                any_provisional: c
                    .bookings
                    .iter()
                    .any(|(b, _)| b.status == familytime_store::schedule::BookingStatus::Provisional),
                bookings: c
                    .bookings
                    .iter()
                    .map(|(b, plan)| OwnBooking {
                        label: format!(
                            "{}, {}",
                            BookingKind::parse(&b.kind).map(|k| k.label()).unwrap_or("Booking"),
                            b.span.start.to_zoned(c.zone.clone()).strftime("%A %-d %B %Y")
                        ),
                        arrive: hm(&c.zone, plan.arrives_at),
                        leave: hm(&c.zone, plan.leaves_at),
                        status: own_status(&c.bookings, b, &c.zone),
                    })
                    .collect(),
                rows: c
                    .rows
                    .iter()
                    .rev()
                    .map(|r| LedgerLine {
                        id: r.id.clone(),
                        when: when(&c.zone, r.recorded_at),
                        account: String::new(),
                        kind: app::entry_words(&r.entry).to_owned(),
                        detail: r.item.map(|i| i.label().to_owned()).unwrap_or_default(),
                        amount: r.entry.amount().display(),
                        left: String::new(),
                        invoice: r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
                        receipt: matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }),
                    })
                    .collect(),
                invoices: c.invoices.iter().map(|i| InvoiceLine::of(&c.zone, i)).collect(),
            })
            .collect(),
    };
    Ok(render_with(StatusCode::OK, &template))
}
