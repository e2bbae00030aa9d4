//! A parent's own account page: their bookings with their own times, their money and invoices.

use super::rows::{InvoiceLine, LedgerLine};
use crate::AppState;
use crate::context::Caller;
use crate::i18n::{self, dates};
use crate::pages::words;
use crate::pages::{PageResult, Shell, render_with};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use familytime_app::billing as app;
use familytime_domain::billing::Entry;
use familytime_domain::schedule::BookingKind;
use jiff::tz::TimeZone;

pub struct OwnBooking {
    pub label: String,
    pub arrive: String,
    pub leave: String,
    pub status: String,
    /// The entrance they use, when the centre has chosen one for them (decision 0047).
    pub entrance: String,
    /// "10:10 to 12:00": off the premises between the drop-off and the pick-up (empty: none).
    pub away: String,
    /// The interpreter booked for them, if one is.
    pub interpreter: String,
}

pub struct OwnCaseView {
    pub case_id: String,
    pub account: String,
    /// "Riverside Centre, reference CC-2026-0001", in the page's language.
    pub heading: String,
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

/// When a session starts, in the page's language.
fn starts(zone: &TimeZone, b: &familytime_store::schedule::Booking) -> String {
    dates::weekday_date_time(i18n::current(), b.span.start.to_zoned(zone.clone()).datetime())
}

fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, String)>) -> i18n::FluentArgs<'a> {
    i18n::args(pairs.into_iter().map(|(k, v)| (k, i18n::FluentValue::from(v))))
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
    let id = b.id.to_string();
    let mut others = all.iter().map(|(x, _)| x);
    if let Some(new) = others
        .clone()
        .find(|x| x.rescheduled_from.as_deref() == Some(id.as_str()))
    {
        return i18n::t_args(
            "mine-moved-to",
            &args([
                ("when", starts(zone, new)),
                ("asked", words::asked_by(b.cancelled_by.as_deref())),
            ]),
        );
    }
    if let Some(old) = b
        .rescheduled_from
        .as_deref()
        .and_then(|from| others.find(|x| x.id.to_string() == from))
    {
        return i18n::t_args(
            "mine-moved-from",
            &args([
                ("status", words::booking_status(b.status)),
                ("when", starts(zone, old)),
                ("asked", words::asked_by(old.cancelled_by.as_deref())),
            ]),
        );
    }
    words::booking_status(b.status)
}

/// GET /my-account
pub async fn own(State(state): State<AppState>, caller: Caller) -> PageResult {
    let cases = app::own_account(&state, &caller).await?;
    let lang = i18n::current();
    let hm = |zone: &TimeZone, ms: i64| {
        dates::time(
            lang,
            familytime_store::schedule::ts_of(ms).to_zoned(zone.clone()).time(),
        )
    };
    let at =
        |zone: &TimeZone, t: familytime_domain::Timestamp| dates::date_time(lang, t.to_zoned(zone.clone()).datetime());
    let template = OwnPage {
        shell: Shell::for_caller(&state, &caller, "/my-account").await?,
        cases: cases
            .iter()
            .map(|c| OwnCaseView {
                case_id: c.case_id.to_string(),
                account: c.account.clone(),
                heading: i18n::t_args(
                    "mine-case",
                    &args([
                        ("centre", c.centre_name.clone()),
                        ("reference", c.case_reference.clone()),
                    ]),
                ),
                standing: words::balance(c.owed),
                deposit: if c.deposit_held.0 > 0 {
                    i18n::t_args("mine-deposit-held", &args([("amount", c.deposit_held.display())]))
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
                        label: i18n::t_args(
                            "mine-booking-label",
                            &args([
                                (
                                    "kind",
                                    BookingKind::parse(&b.kind)
                                        .map_or_else(|| i18n::t("mine-booking"), words::booking_kind),
                                ),
                                (
                                    "date",
                                    dates::weekday_date(lang, b.span.start.to_zoned(c.zone.clone()).date()),
                                ),
                            ]),
                        ),
                        arrive: hm(&c.zone, plan.arrives_at),
                        leave: hm(&c.zone, plan.leaves_at),
                        status: own_status(&c.bookings, b, &c.zone),
                        entrance: plan.entrance.clone().unwrap_or_default(),
                        away: match (plan.departs_at, plan.returns_at) {
                            (Some(d), Some(r)) => format!("{} – {}", hm(&c.zone, d), hm(&c.zone, r)),
                            _ => String::new(),
                        },
                        interpreter: plan.interpreter.clone().unwrap_or_default(),
                    })
                    .collect(),
                rows: c
                    .rows
                    .iter()
                    .rev()
                    .map(|r| LedgerLine {
                        id: r.id.clone(),
                        when: at(&c.zone, r.recorded_at),
                        account: String::new(),
                        kind: words::entry(&r.entry),
                        detail: r
                            .item
                            .map(|i| i18n::t(&format!("price-{}", i.as_str())))
                            .unwrap_or_default(),
                        amount: r.entry.amount().display(),
                        left: String::new(),
                        invoice: r.invoice_number.map(|n| n.to_string()).unwrap_or_default(),
                        receipt: matches!(r.entry, Entry::Payment { .. } | Entry::DepositHeld { .. }),
                    })
                    .collect(),
                invoices: c
                    .invoices
                    .iter()
                    .map(|i| InvoiceLine {
                        due: dates::date(lang, i.record.due_on),
                        ..InvoiceLine::of(&c.zone, i)
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok(render_with(StatusCode::OK, &template))
}
