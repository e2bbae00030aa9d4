//! Money through the API, on the real database (SQLite, or PostgreSQL with TEST_DATABASE_URL): the
//! seed centre's rules end to end (pre-visits and a deposit paid, sessions confirmed on payment, a
//! cancellation 47 hours ahead by each parent forfeiting exactly what the rules say and 49 hours
//! forfeiting nothing), a Cafcass case never charged to a parent and unfunded past its allowance,
//! invoice numbers without gaps under concurrent issue, the append-only ledger, bad input, and a
//! parent's own account showing nothing of the other party.

use crate::harness::json_of;
use crate::records::{pdf_text, raw_sql};
use crate::referrals::CANARY;
use crate::schedule::{Fixture, accept_referral, ahead, booking, fixture, get, party_id, post, supervisor};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

pub(crate) async fn put(f: &Fixture, client: &reqwest::Client, path: &str, body: Value) -> (StatusCode, Value) {
    json_of(client.put(f.app.url(path)).json(&body).send().await.unwrap()).await
}

/// The day the seeded prices apply from: a while before the server's today.
fn prices_from(f: &Fixture) -> String {
    f.app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string()
}

/// The seed centre's prices and cancellation policy, set by the administrator.
pub(crate) async fn seed_centre_money(f: &Fixture) {
    let centre = f.org.centre;
    for (item, amount) in [
        ("pre_visit", "61"),
        ("supervised_session", "147"),
        ("deposit", "100"),
        ("written_report", "51"),
    ] {
        let (status, body) = post(
            &f.app,
            &f.admin,
            &format!("/api/v1/centres/{centre}/prices"),
            json!({"item": item, "amount": amount, "applies_from": prices_from(f)}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let (status, body) = put(
        f,
        &f.admin,
        &format!("/api/v1/centres/{centre}/cancellation-policy"),
        json!({"tiers": [
            {"under_hours": 48, "canceller": "visiting", "forfeit": "session_fee", "percent": 100},
            {"under_hours": 48, "canceller": "resident", "forfeit": "deposit", "percent": null}
        ], "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// An accepted supervised case referred by `source`; returns (case, resident, visiting).
async fn case_from(f: &Fixture, source: &str, surname: &str) -> (String, String, String) {
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["source"] = json!(source);
    referral["children"][0]["name"] = json!(format!("Mia {surname}"));
    referral["adults"][0]["name"] = json!(format!("Laura {surname}"));
    referral["adults"][1]["name"] = json!(format!("Daniel {surname}"));
    let (id, file) = accept_referral(f, &f.jo, referral).await;
    (id, party_id(&file, "resident"), party_id(&file, "visiting"))
}

async fn account(f: &Fixture, case: &str) -> Value {
    let (status, body) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/account")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// What an account owes (negative: in credit), and the deposit held for it, in pence.
fn standing(account: &Value, key: &str) -> (i64, i64) {
    let a = account["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["account"] == key)
        .unwrap_or_else(|| panic!("no account {key} in {account}"));
    (
        a["owed"]["pence"].as_i64().unwrap(),
        a["deposit_held"]["pence"].as_i64().unwrap(),
    )
}

async fn record(f: &Fixture, case: &str, body: Value) -> (StatusCode, Value) {
    post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/ledger"), body).await
}

async fn book(f: &Fixture, case: &str, body: Value) -> Vec<Value> {
    let (status, booked) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    booked.as_array().unwrap().clone()
}

async fn booking_status(f: &Fixture, id: &str) -> Value {
    get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await.1["booking"].clone()
}

/// Moves the server's clock so that it is `hours` and a half before the booking starts, and signs
/// the coordinator in again (the jump outlasts the session). The clock keeps running while the test
/// works: the half hour keeps the notice at `hours` whole hours however slowly a loaded machine
/// answers, where an exact `hours` became `hours - 1` between showing the outcome and cancelling.
async fn set_notice(f: &Fixture, booking: &Value, hours: i64) {
    let starts: jiff::Timestamp = booking["starts_at"].as_str().unwrap().parse().unwrap();
    let target = starts - jiff::SignedDuration::from_hours(hours) - jiff::SignedDuration::from_mins(30);
    let now = familytime_app::clock::Clock::now(f.app.clock.as_ref());
    f.app.clock.advance(now.duration_until(target));
    f.app.api_login(&f.jo, "jo@riverside.example").await;
}

async fn cancel(f: &Fixture, id: &str, by: &str) -> String {
    let (status, outcome) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/cancellation-outcome"),
        json!({"cancelled_by": by}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let version = booking_status(f, id).await["version"].clone();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "cancelled", "cancelled_by": by, "reason": "Cannot come", "version": version,
               "expected_outcome": outcome["description"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    outcome["description"].as_str().unwrap().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn cancellation_and_confirmation_follow_the_seed_centre_rules_end_to_end() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    let (case, resident, visiting) = case_from(&f, "solicitor", "Hart").await;
    let (mum, dad) = (format!("party:{resident}"), format!("party:{visiting}"));

    // Pre-visits: £61 each, charged to the person who comes; not confirmed until paid.
    let mut visit = booking("pre_visit", &ahead(&f.app, 1), "10:00", &room, &[&sam]);
    visit["minutes"] = json!(60);
    visit["party_id"] = json!(resident);
    let mum_visit = book(&f, &case, visit.clone()).await.remove(0);
    visit["time"] = json!("14:00");
    visit["party_id"] = json!(visiting);
    let dad_visit = book(&f, &case, visit).await.remove(0);
    let money = account(&f, &case).await;
    assert_eq!(standing(&money, &mum), (6_100, 0));
    assert_eq!(standing(&money, &dad), (6_100, 0));
    let id = mum_visit["id"].as_str().unwrap();
    let (status, refused) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "confirmed", "version": mum_visit["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert!(refused.to_string().contains("owes £61.00"), "{refused}");
    let (status, body) = record(
        &f,
        &case,
        json!({"kind": "payment", "account": mum, "amount": "61", "method": "card", "reference": "Receipt 4411"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(
        booking_status(&f, id).await["status"],
        "confirmed",
        "paid, so confirmed"
    );
    assert_eq!(
        booking_status(&f, dad_visit["id"].as_str().unwrap()).await["status"],
        "provisional",
        "the other parent's pre-visit is still unpaid"
    );

    // Four supervised sessions: £147 each to the visiting parent, and the resident parent's deposit.
    let sessions: Vec<Value> = {
        let mut all = Vec::new();
        for week in 3..=6 {
            all.extend(
                book(
                    &f,
                    &case,
                    booking("supervised", &ahead(&f.app, week), "10:00", &room, &[&sam]),
                )
                .await,
            );
        }
        all
    };
    assert_eq!(standing(&account(&f, &case).await, &dad), (6_100 + 4 * 14_700, 0));
    record(
        &f,
        &case,
        json!({"kind": "payment", "account": dad, "amount": "649", "method": "bank_transfer"}),
    )
    .await;
    let waiting = account(&f, &case).await;
    let first = waiting["bookings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["booking_id"] == sessions[0]["id"])
        .unwrap()
        .clone();
    assert_eq!(first["status"], "provisional", "{waiting}");
    assert!(
        first["owing"].as_str().unwrap().contains("deposit of £100.00"),
        "{first}"
    );
    let (status, body) = record(
        &f,
        &case,
        json!({"kind": "deposit", "account": mum, "amount": "100", "method": "cash"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    for s in &sessions {
        assert_eq!(
            booking_status(&f, s["id"].as_str().unwrap()).await["status"],
            "confirmed"
        );
    }
    assert_eq!(standing(&account(&f, &case).await, &dad), (0, 0));
    assert_eq!(standing(&account(&f, &case).await, &mum), (0, 10_000));

    // 47 hours ahead, the visiting parent cancels: the session fee is kept, nothing taken back.
    set_notice(&f, &sessions[0], 47).await;
    let said = cancel(&f, sessions[0]["id"].as_str().unwrap(), "visiting").await;
    assert!(said.contains("forfeits £147.00 (the session fee)"), "{said}");
    assert_eq!(standing(&account(&f, &case).await, &dad), (0, 0));
    assert_eq!(standing(&account(&f, &case).await, &mum), (0, 10_000));

    // 47 hours ahead, the resident parent cancels: the deposit is forfeited, the fee taken back.
    set_notice(&f, &sessions[1], 47).await;
    let said = cancel(&f, sessions[1]["id"].as_str().unwrap(), "resident").await;
    assert!(said.contains("forfeits £100.00 (the deposit)"), "{said}");
    assert_eq!(standing(&account(&f, &case).await, &mum), (0, 0));
    assert_eq!(
        standing(&account(&f, &case).await, &dad),
        (-14_700, 0),
        "in credit, not refunded"
    );

    // 49 hours ahead, either parent: nothing is forfeited; the fee is taken back.
    set_notice(&f, &sessions[2], 49).await;
    let said = cancel(&f, sessions[2]["id"].as_str().unwrap(), "visiting").await;
    assert!(said.contains("nothing is forfeited"), "{said}");
    set_notice(&f, &sessions[3], 49).await;
    cancel(&f, sessions[3]["id"].as_str().unwrap(), "resident").await;
    let end = account(&f, &case).await;
    assert_eq!(standing(&end, &dad), (-3 * 14_700, 0));
    assert_eq!(standing(&end, &mum), (0, 0));
    let kinds: Vec<&str> = end["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "deposit_forfeited").count(), 1);
    assert_eq!(kinds.iter().filter(|k| **k == "credit").count(), 3);
    assert!(!kinds.contains(&"refund"), "nothing is refunded automatically");

    // The dad's credit can be refunded by a person, with a reason, but never more than was paid.
    let (status, _) = record(
        &f,
        &case,
        json!({"kind": "refund", "account": dad, "amount": "1000", "method": "card", "reason": "Credit"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = record(
        &f,
        &case,
        json!({"kind": "refund", "account": dad, "amount": "441", "method": "card"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a refund needs a reason");
    let (status, body) = record(&f, &case, json!({"kind": "refund", "account": dad, "amount": "441", "method": "card", "reason": "Sessions cancelled in time"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(standing(&account(&f, &case).await, &dad), (0, 0));
    let audit = f.app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    for action in [
        "billing.payment",
        "billing.refund",
        "billing.read",
        "booking.confirm_paid",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action} is audited");
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancellation_waived_keeps_the_money_with_the_parent_and_needs_a_reason() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, visiting) = case_from(&f, "self_referral", "Cole").await;
    let session = book(
        &f,
        &case,
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await
    .remove(0);
    set_notice(&f, &session, 20).await;
    let id = session["id"].as_str().unwrap();
    let (_, outcome) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/cancellation-outcome"),
        json!({"cancelled_by": "visiting"}),
    )
    .await;
    let cancel = |waiver: &str| {
        json!({"status": "cancelled", "cancelled_by": "visiting", "reason": "Hospital appointment", "version": session["version"],
               "waive": true, "waiver_reason": waiver, "expected_outcome": outcome["description"]})
    };
    let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/bookings/{id}/status"), cancel("")).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a waiver needs a reason: {body}"
    );
    assert_eq!(booking_status(&f, id).await["status"], "provisional", "nothing changed");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "cancelled", "cancelled_by": "visiting", "reason": "x", "version": session["version"],
               "expected_outcome": "something else was shown"}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an outcome that no longer holds is refused: {body}"
    );
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        cancel("Letter from the hospital"),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let money = account(&f, &case).await;
    assert_eq!(
        standing(&money, &format!("party:{visiting}")),
        (0, 0),
        "waived: nothing owed"
    );
    let waiver = money["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "waiver")
        .unwrap()
        .clone();
    assert_eq!(waiver["reason"], "Letter from the hospital");
    let audit = f.app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "billing.waive"), "waivers are audited");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cafcass_case_is_never_charged_to_a_parent_and_stops_being_funded_after_its_allowance() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let room = f.org.room.to_string();
    let (case, resident, visiting) = case_from(&f, "cafcass", "Price").await;
    let money = account(&f, &case).await;
    assert_eq!(money["funding"]["payer"], "cafcass");
    assert_eq!(money["funding"]["used"], "0 of 6 sessions, 0 of 12 hours used");

    // Seven weekly sessions are more than the six funded: the series is refused whole, naming the date.
    let mut series = booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&sam]);
    series["repeat"] = json!("weekly");
    series["count"] = json!(7);
    let (status, refused) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), series.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let failures = refused["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{refused}");
    assert!(
        failures[0]["reason"].as_str().unwrap().contains("Cafcass funding"),
        "{refused}"
    );
    assert_eq!(
        get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await.1,
        json!([])
    );

    series["count"] = json!(6);
    let booked = book(&f, &case, series).await;
    assert_eq!(booked.len(), 6);
    let money = account(&f, &case).await;
    assert_eq!(standing(&money, "funder"), (6 * 14_700, 0), "billed to Cafcass");
    assert_eq!(standing(&money, &format!("party:{resident}")), (0, 0));
    assert_eq!(standing(&money, &format!("party:{visiting}")), (0, 0));
    assert_eq!(money["funding"]["used"], "6 of 6 sessions, 12 of 12 hours used");
    // Funded means confirmable: no deposit, nothing owed by a parent.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{}/status", booked[0]["id"].as_str().unwrap()),
        json!({"status": "confirmed", "version": booked[0]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // The seventh session is not funded, and is never charged to a parent instead.
    let (status, refused) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking("supervised", &ahead(&f.app, 9), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    assert!(refused.to_string().contains("used up"), "{refused}");
    // A report is charged to the funder too.
    let (status, body) = record(&f, &case, json!({"kind": "charge", "item": "written_report"})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let money = account(&f, &case).await;
    assert_eq!(standing(&money, "funder"), (6 * 14_700 + 5_100, 0));
    let parents_charged = money["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["account"].as_str().unwrap().starts_with("party:"))
        .count();
    assert_eq!(parents_charged, 0, "nothing on either parent's account: {money}");
    // A cancellation in time gives the funded session back to the allowance.
    set_notice(&f, &booked[5], 100).await;
    cancel(&f, booked[5]["id"].as_str().unwrap(), "centre").await;
    assert_eq!(
        account(&f, &case).await["funding"]["used"],
        "5 of 6 sessions, 10 of 12 hours used"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_invoice_numbers_have_no_gaps_under_concurrent_issue() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let (case, _, visiting) = case_from(&f, "solicitor", "Shaw").await;
    let dad = format!("party:{visiting}");
    let mut charges = Vec::new();
    for _ in 0..20 {
        let (status, body) = record(
            &f,
            &case,
            json!({"kind": "charge", "item": "written_report", "account": dad}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        charges.push(body["ids"][0].as_str().unwrap().to_owned());
    }
    // Twenty invoices at once, one charge each, plus five more asking for charges already asked for.
    let mut asks: Vec<String> = charges.clone();
    asks.extend(charges.iter().take(5).cloned());
    let tasks: Vec<_> = asks
        .into_iter()
        .map(|charge| {
            let client = f.jo.clone();
            let url = f.app.url(&format!("/api/v1/cases/{case}/invoices"));
            let body = json!({"account": dad, "entries": [charge]});
            tokio::spawn(async move { json_of(client.post(url).json(&body).send().await.unwrap()).await })
        })
        .collect();
    let mut numbers = Vec::new();
    let mut refused = 0;
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => numbers.push(body["number"].as_i64().unwrap()),
            StatusCode::CONFLICT => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    numbers.sort();
    assert_eq!(
        numbers,
        (1..=20).collect::<Vec<i64>>(),
        "numbered 1 to 20, no gaps, no repeats"
    );
    assert_eq!(refused, 5, "a charge goes on one invoice only");

    // The ledger and invoices cannot be changed or deleted, even by the database's own users.
    let entry = &charges[0];
    for sql in [
        format!("UPDATE ledger_entries SET amount_pence = 1 WHERE id = '{entry}'"),
        format!("DELETE FROM ledger_entries WHERE id = '{entry}'"),
        "UPDATE invoices SET total_pence = 1".to_owned(),
        "DELETE FROM invoice_lines".to_owned(),
    ] {
        assert!(raw_sql(&f.app.location, &sql).await.is_err(), "{sql} must be refused");
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_refuses_bad_input_and_keeps_an_overpayment_as_credit() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let centre = f.org.centre;
    let (case, resident, visiting) = case_from(&f, "solicitor", "Reed").await;
    let (mum, dad) = (format!("party:{resident}"), format!("party:{visiting}"));
    let before = account(&f, &case).await["entries"].clone();
    for (path, body) in [
        (
            format!("/api/v1/centres/{centre}/prices"),
            json!({"item": "deposit", "amount": "-5", "applies_from": ahead(&f.app, 4)}),
        ),
        (
            format!("/api/v1/centres/{centre}/prices"),
            json!({"item": "deposit", "amount": "90", "applies_from": prices_from(&f)}),
        ),
    ] {
        let (status, body) = post(&f.app, &f.admin, &path, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let (status, body) = put(
        &f,
        &f.jo,
        &format!("/api/v1/cases/{case}/funding"),
        json!({"payer": "private", "funder_name": "", "funded_sessions": null, "funded_hours": null, "visiting_percent": 120, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a split over 100%: {body}");
    for bad in [
        json!({"kind": "payment", "account": dad, "amount": "-10", "method": "card"}),
        json!({"kind": "payment", "account": dad, "amount": "10"}),
        json!({"kind": "payment", "account": "party:not-a-party", "amount": "10", "method": "card"}),
        json!({"kind": "waiver", "account": dad, "amount": "10"}),
        json!({"kind": "waiver", "account": dad, "amount": "10", "reason": "Goodwill", "against": "not-a-charge"}),
        json!({"kind": "deposit_return", "account": mum, "amount": "100", "method": "card", "reason": "End"}),
        json!({"kind": "gift", "account": dad, "amount": "10"}),
    ] {
        let (status, body) = record(&f, &case, bad.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
    }
    assert_eq!(account(&f, &case).await["entries"], before, "nothing was written");

    // A second return of the same deposit is refused; a payment over what is owed is credit.
    record(
        &f,
        &case,
        json!({"kind": "deposit", "account": mum, "amount": "100", "method": "cash"}),
    )
    .await;
    let back =
        json!({"kind": "deposit_return", "account": mum, "amount": "100", "method": "cash", "reason": "Service ended"});
    assert_eq!(record(&f, &case, back.clone()).await.0, StatusCode::CREATED);
    let (status, body) = record(&f, &case, back).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("no longer held"), "{body}");
    let (_, charged) = record(
        &f,
        &case,
        json!({"kind": "charge", "item": "written_report", "account": dad}),
    )
    .await;
    let (status, body) = record(
        &f,
        &case,
        json!({"kind": "waiver", "account": mum, "amount": "10", "reason": "Goodwill", "against": charged["ids"][0]}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a waiver on another account's charge: {body}"
    );
    record(
        &f,
        &case,
        json!({"kind": "payment", "account": dad, "amount": "80", "method": "card", "reference": "=HYPERLINK(\"x\")"}),
    )
    .await;
    assert_eq!(
        standing(&account(&f, &case).await, &dad),
        (-2_900, 0),
        "£29 in credit, not lost"
    );

    // The accounts' export: every entry, and nothing a spreadsheet would run as a formula.
    let csv =
        f.jo.get(f.app.url("/api/v1/billing/ledger.csv"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("\u{feff}date,case,account,entry,item,amount"),
        "a byte order mark, then the header: {csv}"
    );
    assert_eq!(lines.len(), 1 + 4, "a header and the four entries: {csv}");
    assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
    assert!(csv.contains(",80.00,card,"), "{csv}");
    // Nobody owes anything here now, so the outstanding list is empty; a charge puts the mother on it.
    assert_eq!(get(&f.app, &f.jo, "/api/v1/billing/outstanding").await.1, json!([]));
    record(
        &f,
        &case,
        json!({"kind": "charge", "item": "written_report", "account": mum}),
    )
    .await;
    let (_, owed) = get(&f.app, &f.jo, "/api/v1/billing/outstanding").await;
    assert_eq!(owed.as_array().unwrap().len(), 1, "{owed}");
    assert_eq!(owed[0]["owed"]["pence"], 5_100);

    // Another organisation cannot invoice, read or pay into this case.
    let other = f.app.seed_organisation("Hillside").await;
    f.app.seed_user(&other, Role::Coordinator, "kim@hillside.example").await;
    let kim = f.app.client();
    f.app.api_login(&kim, "kim@hillside.example").await;
    let (status, _) = post(
        &f.app,
        &kim,
        &format!("/api/v1/cases/{case}/invoices"),
        json!({"account": dad}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = get(&f.app, &kim, &format!("/api/v1/cases/{case}/account")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_parent_sees_only_their_own_bookings_money_and_invoices() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let (status, _) = put(
        &f,
        &f.admin,
        "/api/v1/settings/billing",
        json!({"charity_name": "Riverside Family Contact", "charity_number": "1100123", "postal_address": "1 High Street, Leeds",
               "payment_details": "Sort code 00-00-00", "payment_terms_days": 14, "release_unpaid_hours": null, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, visiting) = case_from(&f, "solicitor", "Price").await;
    let dad_id = f.app.seed_user(&f.org, Role::Parent, "daniel@example.org").await;
    let link =
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/parties/{visiting}/account")))
            .json(&json!({"user_id": dad_id, "version": 0}))
            .send()
            .await
            .unwrap();
    assert_eq!(link.status(), StatusCode::NO_CONTENT);
    book(
        &f,
        &case,
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    record(
        &f,
        &case,
        json!({"kind": "deposit", "account": format!("party:{resident}"), "amount": "100", "method": "cash"}),
    )
    .await;
    let (status, invoice) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/invoices"),
        json!({"account": format!("party:{visiting}")}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");

    let dad = f.app.client();
    f.app.api_login(&dad, "daniel@example.org").await;
    let (status, mine) = get(&f.app, &dad, "/api/v1/my-account").await;
    assert_eq!(status, StatusCode::OK, "{mine}");
    let text = mine.to_string();
    assert_eq!(mine[0]["owed"]["pence"], 14_700);
    assert_eq!(
        mine[0]["deposit_held"]["pence"], 0,
        "the other parent's deposit is not shown"
    );
    assert_eq!(mine[0]["bookings"].as_array().unwrap().len(), 1);
    assert!(
        mine[0]["bookings"][0]["arrive_at"].as_str().unwrap() < mine[0]["bookings"][0]["starts_at"].as_str().unwrap(),
        "his own, earlier arrival"
    );
    for never in [CANARY, "Laura", &resident] {
        assert!(!text.contains(never), "the other party's {never} leaked: {text}");
    }
    // His invoice as PDF: the charity's details, his name, no address of anyone in the family.
    let pdf = dad
        .get(f.app.url(&format!(
            "/api/v1/my-account/invoices/{}/pdf",
            invoice["id"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let words = pdf_text(&pdf.bytes().await.unwrap());
    for expected in [
        "Invoice 1",
        "Daniel Price",
        "£147.00",
        "1100123",
        "Riverside Family Contact",
    ] {
        assert!(words.contains(expected), "{expected} missing from: {words}");
    }
    assert!(!words.contains(CANARY) && !words.contains("Laura"), "{words}");
    // His statement, and never hers.
    let statement = dad
        .get(f.app.url(&format!("/my-account/statements/{case}/party:{visiting}")))
        .send()
        .await
        .unwrap();
    assert_eq!(statement.status(), StatusCode::OK);
    let words = pdf_text(&statement.bytes().await.unwrap());
    assert!(words.contains("Statement") && words.contains("£147.00 owed"), "{words}");
    let hers = dad
        .get(f.app.url(&format!("/my-account/statements/{case}/party:{resident}")))
        .send()
        .await
        .unwrap();
    assert_eq!(
        hers.status(),
        StatusCode::NOT_FOUND,
        "another party's statement does not exist for him"
    );
    // The staff's routes are closed to him.
    let (status, _) = get(&f.app, &dad, &format!("/api/v1/cases/{case}/account")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn billing_pages_in_the_browser_take_money_and_show_a_cancellation_before_it_happens() {
    use crate::browser::Browser;
    use crate::end_to_end::{check_page, click, set, sign_in, sign_out, submit};
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, visiting) = case_from(&f, "solicitor", "Price").await;
    let dad_id = f.app.seed_user(&f.org, Role::Parent, "daniel@example.org").await;
    let link =
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/parties/{visiting}/account")))
            .json(&json!({"user_id": dad_id, "version": 0}))
            .send()
            .await
            .unwrap();
    assert_eq!(link.status(), StatusCode::NO_CONTENT);
    let session = book(
        &f,
        &case,
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await
    .remove(0);
    let id = session["id"].as_str().unwrap().to_owned();
    let browser = Browser::start().await;
    let mut problems = Vec::new();

    // The coordinator takes the session fee and the deposit on the case's money page.
    sign_in(&browser, &f.app, "jo@riverside.example").await;
    let money = f.app.url(&format!("/cases/{case}/money"));
    browser.client.goto(&money).await.unwrap();
    check_page(&browser, &mut problems, "money").await;
    let record = format!("form[action='/cases/{case}/money'] button[type=submit]");
    for (kind, account, amount, method) in [
        ("payment", format!("party:{visiting}"), "147", "card"),
        ("deposit", format!("party:{resident}"), "100", "cash"),
    ] {
        set(&browser, "#kind", kind).await;
        set(&browser, "#account", &account).await;
        set(&browser, "#amount", amount).await;
        set(&browser, "#method", method).await;
        submit(&browser, &record).await;
    }
    let text = browser.text().await;
    assert!(text.contains("Paid or funded"), "{text}");
    assert_eq!(booking_status(&f, &id).await["status"], "confirmed");
    // A waiver without a reason is refused on the page, with the error summary.
    set(&browser, "#kind", "waiver").await;
    set(&browser, "#amount", "5").await;
    submit(&browser, &record).await;
    assert!(browser.text().await.contains("There is a problem"));
    check_page(&browser, &mut problems, "money, with errors").await;
    browser.client.goto(&money).await.unwrap();
    set(&browser, "#invoice_account", &format!("party:{visiting}")).await;
    submit(
        &browser,
        &format!("form[action='/cases/{case}/invoices'] button[type=submit]"),
    )
    .await;
    assert!(browser.text().await.contains("Invoice 1 (PDF)"));

    // Cancelling shows what the policy forfeits first; nothing changes until it is confirmed.
    browser
        .client
        .goto(&f.app.url(&format!("/bookings/{id}")))
        .await
        .unwrap();
    click(&browser, "input[name=status][value=cancelled]").await;
    set(&browser, "#cancelled_by", "visiting").await;
    set(&browser, "#reason", "Working away").await;
    submit(
        &browser,
        &format!("form[action='/bookings/{id}/status'] button[type=submit]"),
    )
    .await;
    let text = browser.text().await;
    assert!(
        text.contains("Cancel this booking?") && text.contains("nothing is forfeited"),
        "{text}"
    );
    assert_eq!(
        booking_status(&f, &id).await["status"],
        "confirmed",
        "not yet cancelled"
    );
    check_page(&browser, &mut problems, "cancellation check").await;
    submit(
        &browser,
        &format!("form[action='/bookings/{id}/status'] button[type=submit]"),
    )
    .await;
    assert_eq!(booking_status(&f, &id).await["status"], "cancelled");
    browser.client.goto(&f.app.url("/billing")).await.unwrap();
    check_page(&browser, &mut problems, "money owed").await;
    sign_out(&browser, &f.app).await;

    // The administrator's prices and invoice details.
    sign_in(&browser, &f.app, "ade@riverside.example").await;
    for path in [
        format!("/centres/{}/money", f.org.centre),
        "/settings/billing".to_owned(),
    ] {
        browser.client.goto(&f.app.url(&path)).await.unwrap();
        check_page(&browser, &mut problems, &path).await;
    }
    sign_out(&browser, &f.app).await;

    // The father sees his own bookings and money, nothing of the mother.
    sign_in(&browser, &f.app, "daniel@example.org").await;
    browser.client.goto(&f.app.url("/my-account")).await.unwrap();
    let text = browser.text().await;
    assert!(
        text.contains("Your bookings") && text.contains("Invoice 1 (PDF)"),
        "{text}"
    );
    assert!(!text.contains("Laura") && !text.contains(CANARY), "{text}");
    check_page(&browser, &mut problems, "my account").await;
    browser.close().await;
    assert!(problems.is_empty(), "accessibility problems: {problems:#?}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_bursary_fund_pays_while_it_has_the_money_then_the_parents_do() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        "/api/v1/billing/bursary",
        json!({"amount": "200", "source": "", "received_on": ahead(&f.app, -1)}),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "where it came from is needed: {body}"
    );
    let (status, body) = post(
        &f.app,
        &f.jo,
        "/api/v1/billing/bursary",
        json!({"amount": "200", "source": "Leeds Community Trust", "received_on": ahead(&f.app, -1)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (case, _, visiting) = case_from(&f, "self_referral", "Ames").await;
    let (status, body) = put(
        &f,
        &f.jo,
        &format!("/api/v1/cases/{case}/funding"),
        json!({"payer": "bursary", "funder_name": "", "funded_sessions": null, "funded_hours": null, "visiting_percent": null, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let mut series = booking(
        "supervised",
        &ahead(&f.app, 2),
        "10:00",
        &f.org.room.to_string(),
        &[&sam],
    );
    series["repeat"] = json!("weekly");
    series["count"] = json!(2);
    book(&f, &case, series).await;
    let money = account(&f, &case).await;
    assert_eq!(
        standing(&money, "funder"),
        (14_700, 0),
        "the first session from the fund"
    );
    assert_eq!(
        standing(&money, &format!("party:{visiting}")),
        (14_700, 0),
        "the fund could not pay the second"
    );
    let (_, fund) = get(&f.app, &f.jo, "/api/v1/billing/bursary").await;
    assert_eq!(fund["left"]["pence"], 5_300, "{fund}");
    assert_eq!(fund["grants"][0]["source"], "Leeds Community Trust");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_unpaid_bookings_are_released_after_the_set_time_and_paid_ones_stay() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let (status, body) = put(
        &f,
        &f.admin,
        "/api/v1/settings/billing",
        json!({"charity_name": "", "charity_number": "", "postal_address": "", "payment_details": "",
               "payment_terms_days": 14, "release_unpaid_hours": 24, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, visiting) = case_from(&f, "solicitor", "Lowe").await;
    let mut series = booking(
        "supervised",
        &ahead(&f.app, 3),
        "10:00",
        &f.org.room.to_string(),
        &[&sam],
    );
    series["repeat"] = json!("weekly");
    series["count"] = json!(2);
    let booked = book(&f, &case, series).await;
    record(
        &f,
        &case,
        json!({"kind": "deposit", "account": format!("party:{resident}"), "amount": "100", "method": "cash"}),
    )
    .await;
    record(
        &f,
        &case,
        json!({"kind": "payment", "account": format!("party:{visiting}"), "amount": "147", "method": "card"}),
    )
    .await;
    let release = || post(&f.app, &f.jo, "/api/v1/billing/release-unpaid", json!({}));
    assert_eq!(release().await.1["released"], 0, "not yet: the set time has not passed");

    let now = familytime_app::clock::Clock::now(f.app.clock.as_ref());
    f.app.clock.advance(jiff::SignedDuration::from_hours(25));
    assert!(familytime_app::clock::Clock::now(f.app.clock.as_ref()) > now);
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    let (status, answer) = release().await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["released"], 1, "{answer}");
    let paid = booking_status(&f, booked[0]["id"].as_str().unwrap()).await;
    assert_eq!(paid["status"], "confirmed");
    let unpaid = booking_status(&f, booked[1]["id"].as_str().unwrap()).await;
    assert_eq!(unpaid["status"], "cancelled");
    assert_eq!(unpaid["cancelled_by"], "centre");
    assert_eq!(
        standing(&account(&f, &case).await, &format!("party:{visiting}")),
        (0, 0),
        "the released session's charge is taken back"
    );
    assert_eq!(release().await.1["released"], 0, "nothing left to release");
    let audit = f.app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "billing.release_unpaid"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn cancellation_check_page_keeps_the_person_there_when_the_confirmation_is_refused() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, _) = case_from(&f, "solicitor", "Nash").await;
    let session = book(
        &f,
        &case,
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await
    .remove(0);
    let id = session["id"].as_str().unwrap();
    let page = f.app.client();
    let csrf = f.app.page_login(&page, "jo@riverside.example").await;
    let version = session["version"].as_i64().unwrap().to_string();
    let send = |extra: Vec<(&'static str, &'static str)>| {
        let mut form: Vec<(&str, String)> = vec![
            ("csrf_token", csrf.clone()),
            ("version", version.clone()),
            ("status", "cancelled".into()),
            ("cancelled_by", "visiting".into()),
            ("reason", "Working away".into()),
        ];
        form.extend(extra.into_iter().map(|(k, v)| (k, v.to_owned())));
        page.post(f.app.url(&format!("/bookings/{id}/status")))
            .form(&form)
            .send()
    };
    // The first step only shows the outcome.
    let shown = send(vec![]).await.unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let html = shown.text().await.unwrap();
    assert!(
        html.contains("Cancel this booking?") && html.contains("nothing is forfeited"),
        "{html}"
    );
    assert_eq!(booking_status(&f, id).await["status"], "provisional");
    // A waiver without its reason, and an outcome that no longer holds: shown again, nothing changed.
    for (extra, expected) in [
        (
            vec![("expected", "x"), ("waive", "yes"), ("waiver_reason", "")],
            "Say why what is forfeited is waived",
        ),
        (
            vec![("expected", "an outcome shown long ago")],
            "has changed since it was shown",
        ),
    ] {
        let again = send(extra).await.unwrap();
        assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
        let html = again.text().await.unwrap();
        assert!(
            html.contains("Cancel this booking?") && html.contains(expected),
            "{html}"
        );
        assert_eq!(booking_status(&f, id).await["status"], "provisional", "nothing changed");
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn ledger_a_moved_session_is_charged_once_at_its_new_time() {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, _, visiting) = case_from(&f, "solicitor", "Moss").await;
    let session = book(
        &f,
        &case,
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await
    .remove(0);
    let id = session["id"].as_str().unwrap();
    let (status, moved) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"date": ahead(&f.app, 2), "time": "14:00", "asked_by": "centre", "version": session["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let money = account(&f, &case).await;
    assert_eq!(
        standing(&money, &format!("party:{visiting}")),
        (14_700, 0),
        "owed once, not twice"
    );
    let entries = money["entries"].as_array().unwrap();
    let charge_for = |booking: &str| {
        entries
            .iter()
            .filter(|e| e["kind"] == "charge" && e["booking_id"] == booking)
            .count()
    };
    assert_eq!(charge_for(id), 1);
    assert_eq!(
        charge_for(moved["id"].as_str().unwrap()),
        1,
        "the new time carries its own charge"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == "credit" && e["reason"] == "Moved to another time"),
        "the old time's charge is taken back: {money}"
    );
    f.app.finish().await;
}
