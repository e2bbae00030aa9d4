//! Running sessions through the API, on the real database: the register, observation records (drafts,
//! stale saves refused, sign-off, addenda), signed records that no route and no SQL can change,
//! volunteers and supported sessions that keep no notes, and reports composed from signed records
//! through the quality check to release, read back from the PDF with pdftotext.

use crate::harness::json_of;
use crate::referrals::CANARY;
use crate::schedule::{Fixture, accept_referral, ahead, booking, fixture, get, party_id, post, supervisor};
use familytime_domain::people::Role;
use familytime_store::Location;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A supervised case referred by a referrer with an account, accepted, with a confirmed session that
/// has happened (the clock is moved past it and everyone signs in again).
pub(crate) struct Ran {
    pub(crate) case: String,
    pub(crate) resident: String,
    pub(crate) visiting: String,
    pub(crate) child: String,
    pub(crate) booking: String,
    pub(crate) sam_id: String,
    pub(crate) sam: reqwest::Client,
    pub(crate) ria: reqwest::Client,
}

pub(crate) async fn ran_session(f: &Fixture, kind: &str) -> Ran {
    f.app.seed_user(&f.org, Role::Referrer, "ria@cafcass.example").await;
    let ria = f.app.client();
    f.app.api_login(&ria, "ria@cafcass.example").await;
    let (case, file) = accept_referral(f, &ria, crate::referrals::referral(&f.org.centre.to_string())).await;
    let child = file["children"][0]["id"].as_str().unwrap().to_owned();
    let sam_id = supervisor(f, "sam@riverside.example").await;
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(kind, &ahead(&f.app, 1), "10:00", &f.org.room.to_string(), &[&sam_id]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let id = booked[0]["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/status"),
        json!({"status": "confirmed", "version": booked[0]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let sam = f.app.client();
    f.app.api_login(&sam, "sam@riverside.example").await;
    Ran {
        case,
        resident: party_id(&file, "resident"),
        visiting: party_id(&file, "visiting"),
        child,
        booking: id,
        sam_id,
        sam,
        ria,
    }
}

/// Moves the clock past the session (eight days on) and signs everyone in again.
pub(crate) async fn after_the_session(f: &Fixture, ran: &Ran) {
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    for (client, email) in [
        (&f.jo, "jo@riverside.example"),
        (&f.admin, "ade@riverside.example"),
        (&ran.sam, "sam@riverside.example"),
        (&ran.ria, "ria@cafcass.example"),
    ] {
        f.app.api_login(client, email).await;
    }
}

pub(crate) fn observation(version: i64) -> Value {
    json!({
        "sections": {
            "arrival": "Daniel arrived at 09:45 and waited in the Green Room. Mia arrived at 10:00 with Laura.",
            "interaction": "They built a tower. Mia said \"Daddy, look how tall!\" OBSERVED-TOWER-42.",
            "ending": "At 11:55 Daniel said goodbye; Mia hugged him and left with Laura at 12:00."
        },
        "checklist": ["No photographs or recordings were taken", "Phones were put away"],
        "version": version
    })
}

/// Runs SQL straight against the test database (to show the database itself refuses a change).
pub(crate) async fn raw_sql(location: &Location, sql: &str) -> Result<(), String> {
    match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&pool).await;
            pool.close().await;
            result.map(|_| ()).map_err(|e| e.to_string())
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let result = sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_owned())).execute(&pool).await;
            pool.close().await;
            result.map(|_| ()).map_err(|e| e.to_string())
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn signed_record_cannot_be_changed_through_any_route_and_addenda_are_shown() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let b = &ran.booking;
    // Before the session has happened, nothing is recorded.
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("not started"),
        "{body}"
    );
    after_the_session(&f, &ran).await;

    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    assert_eq!(saved["version"], 1);
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(1),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    // A save from a stale tab is refused and changes nothing.
    let mut stale = observation(1);
    stale["sections"]["arrival"] = json!("OVERWRITTEN");
    let (status, body) = post(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/observation"), stale).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["error"]["code"], "stale");
    // Another supervisor may neither change nor sign someone else's draft.
    supervisor(&f, "tom@riverside.example").await;
    let tom = f.app.client();
    f.app.api_login(&tom, "tom@riverside.example").await;
    let (status, _) = post(
        &f.app,
        &tom,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(2),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = post(
        &f.app,
        &tom,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let (status, signed) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 2}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let hash = signed["content_hash"].as_str().unwrap().to_owned();
    assert_eq!(hash.len(), 64);
    let audit = f.app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "observation.sign" && e.object_id.as_deref().is_some_and(|o| o.contains(&hash))),
        "the signed record's hash is in the audit chain"
    );

    // Every route that writes a record refuses a signed one.
    for version in [0, 3, 4] {
        let (status, body) = post(
            &f.app,
            &ran.sam,
            &format!("/api/v1/bookings/{b}/observation"),
            observation(version),
        )
        .await;
        assert_eq!(status, StatusCode::CONFLICT, "{body}");
        assert!(body["error"]["message"].as_str().unwrap().contains("signed"), "{body}");
    }
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let csrf = f.app.page_login(&ran.sam, "sam@riverside.example").await;
    let page = ran
        .sam
        .post(f.app.url(&format!("/bookings/{b}/observation")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", "3"),
            ("arrival", "PAGE-OVERWRITE"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::CONFLICT);
    // Nor can the database be told to change it.
    for sql in [
        format!("UPDATE observation_records SET content = '{{}}' WHERE id = '{record}'"),
        format!("DELETE FROM observation_records WHERE id = '{record}'"),
    ] {
        assert!(raw_sql(&f.app.location, &sql).await.is_err(), "{sql} must be refused");
    }

    // Corrections are addenda: a reason is required; then it is shown with the record.
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/addenda"),
        json!({"text": "Mia also said she wanted to come again.", "reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, added) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/addenda"),
        json!({"text": "Mia also said she wanted to come again.", "reason": "Left out by mistake"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    let (status, view) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(status, StatusCode::OK, "{view}");
    let obs = &view["observation"];
    assert_eq!(obs["signed"], true);
    assert_eq!(obs["content_hash"], hash.as_str());
    assert!(
        obs["sections"]["arrival"]
            .as_str()
            .unwrap()
            .starts_with("Daniel arrived")
    );
    assert_eq!(obs["addenda"][0]["reason"], "Left out by mistake");
    let html = ran
        .sam
        .get(f.app.url(&format!("/bookings/{b}/record")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Signed off") && html.contains("Left out by mistake") && !html.contains("PAGE-OVERWRITE"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_register_admits_only_named_adults_and_refuses_stale_changes() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let b = &ran.booking;
    let line = |who: String, version: i64| json!({"who": who, "attendance": "arrived", "arrived": "09:45", "late_minutes": 0, "version": version});
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/register"),
        line(format!("party:{}", ran.visiting), 0),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "the register opens an hour before: {body}"
    );
    after_the_session(&f, &ran).await;
    let url = format!("/api/v1/bookings/{b}/register");
    let (status, body) = post(&f.app, &ran.sam, &url, line(format!("party:{}", ran.visiting), 0)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let mut child = line(format!("child:{}", ran.child), 0);
    child["brought_by"] = json!("Laura (mother)");
    let (status, body) = post(&f.app, &ran.sam, &url, child).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // Someone not named on the case needs a recorded reason to be admitted.
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &url,
        json!({"who": "visitor", "visitor_name": "Uncle Joe", "attendance": "arrived", "arrived": "10:00", "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("written agreement"), "{body}");
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &url,
        json!({"who": "party:00000000-0000-7000-8000-000000000000", "attendance": "arrived", "arrived": "10:00", "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &url,
        json!({"who": format!("party:{}", ran.resident), "attendance": "arrived", "arrived": "25:99", "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(&f.app, &ran.sam, &url, json!({"who": format!("party:{}", ran.resident), "attendance": "arrived", "arrived": "10:05", "late_minutes": 5, "version": 0})).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "lateness needs the reason given"
    );
    let (status, body) = post(&f.app, &ran.sam, &url, json!({"who": "visitor", "visitor_name": "Uncle Joe", "admission_reason": "Court order of 1 September allows him", "attendance": "arrived", "arrived": "10:00", "version": 0})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The visiting parent leaves: a change at the version read; a stale change is refused.
    let leave = json!({"who": format!("party:{}", ran.visiting), "attendance": "left", "arrived": "09:45", "left": "12:10", "version": 1});
    let (status, body) = post(&f.app, &ran.sam, &url, leave.clone()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = post(&f.app, &ran.sam, &url, leave).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    // A rule breach is an event on the case.
    let (status, body) = post(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/breaches"), json!({"kind": "photos", "party_id": ran.visiting, "detail": "Took a photo of Mia on his phone at 10:20; deleted it when asked."})).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, record) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(status, StatusCode::OK);
    let register = record["register"].as_array().unwrap();
    assert_eq!(register.len(), 3, "{record}");
    let visiting = register
        .iter()
        .find(|e| e["party_id"] == ran.visiting.as_str())
        .unwrap();
    assert_eq!(visiting["attendance"], "left");
    assert_eq!(visiting["version"], 2);
    assert_eq!(record["breaches"][0]["kind"], "photos");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn volunteers_and_supported_sessions_keep_no_notes() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    f.app.seed_user(&f.org, Role::Volunteer, "val@riverside.example").await;
    let val = f.app.client();
    after_the_session(&f, &ran).await;
    f.app.api_login(&val, "val@riverside.example").await;
    let b = &ran.booking;
    let (status, record) = get(&f.app, &val, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(status, StatusCode::OK, "{record}");
    assert!(record["observation"].is_null() && record["keeps_observations"] == false);
    let (status, _) = post(
        &f.app,
        &val,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a volunteer writes no observation record"
    );
    let (status, _) = post(
        &f.app,
        &val,
        &format!("/api/v1/bookings/{b}/register"),
        json!({"who": format!("party:{}", ran.visiting), "attendance": "arrived", "arrived": "09:45", "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "a volunteer keeps the register");

    // A supported session keeps attendance and safeguarding concerns only.
    let (status, hall) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": "Hall", "kind": "hall", "capacity_families": 8}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hall}");
    let hall = hall["id"].as_str().unwrap().to_owned();
    // The case is stepped down at a review to supported contact (decision 0043).
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/reviews", ran.case),
        json!({"held_on": f.app.today().to_string(), "attendees": "Both parents", "resident_view": "Fine",
               "visiting_view": "Fine", "child_view": null, "outcome": "step_down_supported", "risk_notes": "None"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let sam_id = ran.sam_id.clone();
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/bookings", ran.case),
        booking("supported", &ahead(&f.app, 3), "14:00", &hall, &[&sam_id]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let supported = booked[0]["id"].as_str().unwrap().to_owned();
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 20));
    f.app.api_login(&ran.sam, "sam@riverside.example").await;
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{supported}/observation"),
        observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("attendance and safeguarding concerns only"),
        "{body}"
    );
    let (_, record) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{supported}/record")).await;
    assert!(
        record["observation"].is_null() && record["keeps_observations"] == false,
        "{record}"
    );
    f.app.finish().await;
}

/// The text of a PDF (checked with qpdf first): the harness's, shared by every test that reads one.
pub(crate) use crate::harness::pdf_text;

#[tokio::test(flavor = "multi_thread")]
async fn a_report_is_checked_by_a_second_person_and_released_only_to_the_distribution_list() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;
    let b = &ran.booking;
    let (_, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    let record = saved["id"].as_str().unwrap().to_owned();
    // Only signed records make reports.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "session", "title": "Session report", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let (status, created) = post(&f.app, &f.jo, &format!("/api/v1/cases/{}/reports", ran.case), json!({"kind": "session", "title": "Session report: 10:00", "summary": "Contact went well.", "records": [record]})).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let report = created["id"].as_str().unwrap().to_owned();
    let version = |v: &Value| v["version"].as_i64().unwrap();
    let (_, r) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "send_for_check", "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, r) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    // The author never approves their own report; a supervisor does not approve at all.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "approve", "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("author"), "{body}");
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "approve", "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "approve", "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, r) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    assert_eq!(r["status"], "approved");
    assert_eq!(r["content_hash"].as_str().unwrap().len(), 64);
    // Approved text never changes.
    let (status, _) = json_of(
        f.jo.put(f.app.url(&format!("/api/v1/reports/{report}")))
            .json(&json!({"title": "Changed", "summary": "Changed too", "version": version(&r)}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Releases go only to the distribution list.
    let (status, _) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["referrer"], "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no list yet");
    let (status, _) = json_of(
        f.jo.put(f.app.url(&format!("/api/v1/cases/{}/distribution", ran.case)))
            .json(&json!({"recipients": ["referrer", "court"], "version": 0}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["referrer", "visiting"], "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("not on this case's distribution list"),
        "{body}"
    );
    let (_, mine) = get(&f.app, &ran.ria, "/api/v1/my-reports").await;
    assert_eq!(mine, json!([]), "nothing released yet");
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["referrer"], "version": version(&r)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, r) = get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await;
    assert_eq!(r["status"], "released");
    assert_eq!(r["fee_due"], false, "a Cafcass case is funded: no report fee");

    // The referrer finds it in their portal and downloads the PDF; its text has the observations and
    // the caveat, and never the hidden address.
    let (_, mine) = get(&f.app, &ran.ria, "/api/v1/my-reports").await;
    assert_eq!(mine[0]["id"], report.as_str(), "{mine}");
    let pdf = ran
        .ria
        .get(f.app.url(&format!("/api/v1/my-reports/{report}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let text = pdf_text(&pdf.bytes().await.unwrap());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("OBSERVED-TOWER-42"), "{text}");
    assert!(flat.contains("may only be used"), "{text}");
    assert!(
        !flat.contains(CANARY) && !flat.contains("CANARY-7f3a9"),
        "no confidential address in a report"
    );
    let (status, _) = get(&f.app, &f.jo, &format!("/api/v1/cases/{}/reports", ran.case)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(status, StatusCode::OK);
    let audit = f.app.store.audit_entries(f.org.id, None, 1000).await.unwrap();
    for action in [
        "report.download",
        "report.read",
        "case.reports.read",
        "session_record.read",
    ] {
        assert!(audit.iter().any(|e| e.action == action), "{action} is audited");
    }
    // A referrer sees only reports released to them, and parents (no release) see nothing.
    let (status, _) = get(&f.app, &ran.ria, &format!("/api/v1/reports/{report}")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_supervisor_stops_a_session_early_without_ending_the_service() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;
    let b = &ran.booking;
    let (_, record) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    let version = record["booking_version"].clone();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/stop"),
        json!({"reason": "", "detail": "", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let (status, body) = post(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/stop"), json!({"reason": "child_distressed", "detail": "Mia cried for ten minutes and asked to go home.", "version": version})).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, booking) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{b}")).await;
    assert_eq!(booking["booking"]["status"], "stopped_early", "{booking}");
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{}", ran.case)).await;
    assert_eq!(
        file["case"]["status"], "accepted",
        "stopping a visit does not end the service"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_organisation_sets_its_own_observation_checklist_and_records_keep_what_they_ticked() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;
    let put = |client: &reqwest::Client, body: Value| {
        client
            .put(f.app.url("/api/v1/observation-checklist"))
            .json(&body)
            .send()
    };
    let (_, list) = get(&f.app, &ran.sam, "/api/v1/observation-checklist").await;
    assert_eq!(list["version"], 0, "the default list to start with: {list}");
    assert_eq!(list["items"].as_array().unwrap().len(), 6);
    let (status, _) = json_of(
        put(&ran.sam, json!({"items": ["Anything"], "version": 0}))
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only administrators set it");
    for bad in [json!([]), json!(["Twice", "twice"]), json!(["two\nlines"])] {
        let (status, body) = json_of(put(&f.admin, json!({"items": bad, "version": 0})).await.unwrap()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    }
    let mine = json!({"items": ["Hand washing before food", "Toilet visits accompanied by staff"], "version": 0});
    let (status, body) = json_of(put(&f.admin, mine.clone()).await.unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = json_of(put(&f.admin, mine).await.unwrap()).await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale change is refused");

    let b = &ran.booking;
    let mut record = observation(0);
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        record.clone(),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "the old items are no longer offered: {body}"
    );
    record["checklist"] = json!(["Hand washing before food"]);
    let (status, saved) = post(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/observation"), record).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{}/sign", saved["id"].as_str().unwrap()),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (_, list) = get(&f.app, &ran.sam, "/api/v1/observation-checklist").await;
    let (status, _) = json_of(
        put(
            &f.admin,
            json!({"items": ["Something new"], "version": list["version"]}),
        )
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, view) = get(&f.app, &ran.sam, &format!("/api/v1/bookings/{b}/record")).await;
    assert_eq!(
        view["observation"]["checklist"],
        json!(["Hand washing before food"]),
        "the signed record keeps its words"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_report_released_to_one_parent_reaches_only_that_parents_portal() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let laura_id = f
        .app
        .seed_user(&f.org, Role::Parent, "laura@example.com")
        .await
        .to_string();
    let daniel_id = f
        .app
        .seed_user(&f.org, Role::Parent, "daniel@example.com")
        .await
        .to_string();
    after_the_session(&f, &ran).await;
    let link = |party: &str, user: Value| {
        f.jo.put(
            f.app
                .url(&format!("/api/v1/cases/{}/parties/{party}/account", ran.case)),
        )
        .json(&json!({ "user_id": user, "version": 0 }))
        .send()
    };
    let (status, _) = json_of(link(&ran.resident, json!(laura_id)).await.unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = json_of(link(&ran.visiting, json!(laura_id)).await.unwrap()).await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "one account, one adult on a case: {body}"
    );
    let (status, _) = json_of(link(&ran.visiting, json!(ran.sam_id)).await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "only a parent's account");
    let (status, _) = json_of(link(&ran.visiting, json!(daniel_id)).await.unwrap()).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let b = &ran.booking;
    let (_, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    let record = saved["id"].as_str().unwrap().to_owned();
    post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    let (_, created) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "session", "title": "For the mother", "records": [record]}),
    )
    .await;
    let report = created["id"].as_str().unwrap().to_owned();
    for (step, version) in [("send_for_check", 1), ("approve", 2)] {
        let (status, body) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/reports/{report}/check"),
            json!({"step": step, "version": version}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{step}: {body}");
    }
    let (status, _) = json_of(
        f.jo.put(f.app.url(&format!("/api/v1/cases/{}/distribution", ran.case)))
            .json(&json!({"recipients": ["resident"], "version": 0}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["resident"], "version": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    let laura = f.app.client();
    f.app.api_login(&laura, "laura@example.com").await;
    let daniel = f.app.client();
    f.app.api_login(&daniel, "daniel@example.com").await;
    let (_, hers) = get(&f.app, &laura, "/api/v1/my-reports").await;
    assert_eq!(hers[0]["id"], report.as_str(), "{hers}");
    let pdf = laura
        .get(f.app.url(&format!("/api/v1/my-reports/{report}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let (_, his) = get(&f.app, &daniel, "/api/v1/my-reports").await;
    assert_eq!(his, json!([]), "the other parent sees nothing");
    let pdf = daniel
        .get(f.app.url(&format!("/api/v1/my-reports/{report}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::NOT_FOUND);
    f.app.finish().await;
}
