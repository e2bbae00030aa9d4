//! The report fee (issue 19 item 7, decision 0048), on the real database: asking for a written
//! report charges its fee in the report's own transaction, to whoever the case's funding says.
//! (Split from `booking_rules.rs`; the `booking_rules_` names keep `cargo test booking_rules`
//! running them all.)

use crate::schedule::{Fixture, fixture, get, post};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A signed observation record of a session that has happened, on a Cafcass-funded case.
async fn signed_record(f: &Fixture) -> crate::records::Ran {
    let ran = crate::records::ran_session(f, "supervised").await;
    crate::records::after_the_session(f, &ran).await;
    let b = &ran.booking;
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        crate::records::observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    ran
}

/// The case's report-fee charges: (account, pence) in the order they were written.
async fn report_charges(f: &Fixture, case: &str) -> Vec<(String, i64)> {
    let (status, money) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/account")).await;
    assert_eq!(status, StatusCode::OK, "{money}");
    money["entries"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "charge" && e["item"] == "written_report")
        .map(|e| {
            let pence = e["amount"]["pence"].as_i64().unwrap_or_else(|| panic!("{e}"));
            (e["account"].as_str().unwrap().to_owned(), pence)
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_asking_for_a_written_report_charges_its_fee_to_whoever_the_funding_says() {
    let f = fixture().await;
    let ran = signed_record(&f).await;
    crate::billing::seed_centre_money(&f).await;
    let case = &ran.case;
    let (_, listed) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/reports")).await;
    let record = listed["signed_records"][0].as_str().map(str::to_owned);
    let record = record.unwrap_or_else(|| panic!("a signed record to compose from: {listed}"));
    let ask = |title: &str, asked_by: &str| json!({"kind": "session", "title": title, "records": [record], "requested_by": asked_by});
    let reports = format!("/api/v1/cases/{case}/reports");
    let start = |body: Value| post(&f.app, &f.jo, &reports, body);

    // Somebody the case does not know: refused, saying what to choose; nothing written.
    let (status, body) = start(ask("Asked by a judge", "judge")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "requested_by", "{body}");
    assert!(report_charges(&f, case).await.is_empty(), "nothing charged");

    // Cafcass funds the case: Cafcass pays the report fee whoever asked.
    let (status, created) = start(ask("For the father", "visiting")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(report_charges(&f, case).await, vec![("funder".to_owned(), 5_100)]);
    let report = created["id"].as_str().unwrap();
    let (_, shown) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    assert_eq!(shown["requested_by"], "visiting", "{shown}");
    assert_eq!(shown["fee_pence"], 5_100, "{shown}");
    assert_eq!(shown["fee_due"], true, "{shown}");

    // The parents pay, the visiting parent 60%: the father asking pays it all; the referrer
    // asking shares it by the parents' shares; the centre's own report charges nobody.
    let (status, body) = crate::billing::put(
        &f,
        &f.jo,
        &format!("/api/v1/cases/{case}/funding"),
        json!({"payer": "private", "funder_name": "", "funded_sessions": null, "funded_hours": null,
               "visiting_percent": 60, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, created) = start(ask("Asked by the father", "visiting")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, created) = start(ask("Asked by the referrer", "referrer")).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, own) = start(json!({"kind": "session", "title": "Our own", "records": [record]})).await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (_, shown) = get(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{}", own["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(shown["requested_by"], Value::Null, "{shown}");
    assert_eq!(shown["fee_pence"], 0, "{shown}");
    let father = format!("party:{}", ran.visiting);
    let mother = format!("party:{}", ran.resident);
    assert_eq!(
        report_charges(&f, case).await,
        vec![
            ("funder".to_owned(), 5_100),
            (father.clone(), 5_100),
            (father, 3_060),
            (mother, 2_040),
        ]
    );
    f.app.finish().await;
}
