//! Every read that shows a family is in the audit log (issue 18 item 6, decision 0053): a booking's
//! page, the calendar, the day sheet, /today, a calendar feed fetch and a recipient's list of
//! reports each write one entry per case shown, with the request's address kept beside the chain;
//! "who viewed this family" shows a coordinator's view to the safeguarding lead and refuses everyone
//! else; and `familytime audit export` writes the log as JSON lines a JSON parser reads back whole.

use crate::records::{after_the_session, ran_session};
use crate::schedule::{Fixture, accepted_case, ahead, fixture, get, post};
use familytime_domain::ids::CaseId;
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

/// The actions of the entries naming `case`, as "who viewed" reads them.
async fn case_actions(f: &Fixture, case: &str) -> Vec<(String, Option<String>)> {
    let case = CaseId::parse(case).unwrap();
    f.app
        .store
        .case_access(f.org.id, case, None, 500)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.action, e.address))
        .collect()
}

/// How many entries with `action` name the case.
async fn count(f: &Fixture, case: &str, action: &str) -> usize {
    case_actions(f, case).await.iter().filter(|(a, _)| a == action).count()
}

/// GETs `path` with `client`, expects 200, and returns how many `action` entries naming the case
/// the request added.
async fn entries_added(f: &Fixture, client: &reqwest::Client, path: &str, case: &str, action: &str) -> usize {
    let before = count(f, case, action).await;
    let response = client.get(f.app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    let _ = response.bytes().await.unwrap();
    count(f, case, action).await - before
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_reads_each_page_feed_and_list_that_shows_a_family_writes_an_entry_per_case() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let (case, booking, centre) = (&ran.case, &ran.booking, f.org.centre.to_string());
    let day = ahead(&f.app, 1);

    // A booking's page and its API answer.
    assert_eq!(
        entries_added(&f, &f.jo, &format!("/bookings/{booking}"), case, "booking.read").await,
        1
    );
    assert_eq!(
        entries_added(&f, &f.jo, &format!("/api/v1/bookings/{booking}"), case, "booking.read").await,
        1
    );
    // The calendar (day and week) and the day sheet name the family booked that day: once each.
    for path in [
        format!("/centres/{centre}/calendar?date={day}"),
        format!("/centres/{centre}/calendar?date={day}&view=week"),
        format!("/centres/{centre}/day-sheet?date={day}"),
        format!("/api/v1/centres/{centre}/calendar?from={day}&days=7"),
    ] {
        assert_eq!(
            entries_added(&f, &f.jo, &path, case, "schedule.read").await,
            1,
            "{path}"
        );
    }
    // A day with nothing booked shows no family and writes nothing.
    let empty_day = ahead(&f.app, 3);
    assert_eq!(
        entries_added(
            &f,
            &f.jo,
            &format!("/centres/{centre}/day-sheet?date={empty_day}"),
            case,
            "schedule.read"
        )
        .await,
        0
    );

    // A calendar feed fetched by a calendar program (no sign-in): the visiting parent's.
    let (status, feed) = post(
        &f.app,
        &f.jo,
        "/api/v1/calendar-feeds",
        json!({"user_id": null, "case_id": case, "party_id": ran.visiting}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    let url = feed["url"].as_str().unwrap().to_owned();
    let before = count(&f, case, "feed.read").await;
    let fetched = reqwest::get(&url).await.unwrap();
    assert_eq!(fetched.status(), StatusCode::OK);
    assert!(fetched.text().await.unwrap().contains("BEGIN:VEVENT"));
    assert_eq!(count(&f, case, "feed.read").await - before, 1);

    // /today on the day of the session.
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 7));
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    assert_eq!(entries_added(&f, &f.jo, "/today", case, "schedule.read").await, 1);

    // Every one of those entries kept the address the request came from.
    let reads = case_actions(&f, case).await;
    for (action, address) in reads
        .iter()
        .filter(|(a, _)| ["booking.read", "schedule.read", "feed.read"].contains(&a.as_str()))
    {
        assert_eq!(address.as_deref(), Some("127.0.0.1"), "{action}");
    }

    // A referrer's list of the reports released to them: the session recorded, a report checked
    // and released, then the list read.
    after_the_session(&f, &ran).await;
    let report = released_report(&f, &ran).await;
    let before = count(&f, case, "report.list").await;
    let list = ran.ria.get(f.app.url("/my-reports")).send().await.unwrap();
    assert_eq!(list.status(), StatusCode::OK);
    assert!(
        list.text().await.unwrap().contains(&report),
        "the released report is listed"
    );
    assert_eq!(count(&f, case, "report.list").await - before, 1);
    f.app.finish().await;
}

/// Records the session, writes a report of it, has it checked and releases it to the referrer.
async fn released_report(f: &Fixture, ran: &crate::records::Ran) -> String {
    let booking = &ran.booking;
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{booking}/observation"),
        crate::records::observation(0),
    )
    .await;
    assert!(status.is_success(), "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": saved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let case = &ran.case;
    let (status, created) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/reports"),
        json!({"kind": "session", "title": "Session report", "summary": "Went well.", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let report = created["id"].as_str().unwrap().to_owned();
    let version = async || get(&f.app, &f.jo, &format!("/api/v1/reports/{report}")).await.1["version"].clone();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "send_for_check", "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "approve", "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let response =
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/distribution")))
            .json(&json!({"recipients": ["referrer"], "version": 0}))
            .send()
            .await
            .unwrap();
    assert!(response.status().is_success(), "{}", response.text().await.unwrap());
    let (status, body) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["referrer"], "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_reads_who_viewed_shows_a_coordinators_view_to_the_safeguarding_lead_only() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Ash").await;
    // The coordinator opens the case page.
    let page = f.jo.get(f.app.url(&format!("/cases/{case}"))).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(
        !page.contains("Who viewed this family"),
        "the coordinator is not offered the page"
    );

    f.app
        .seed_user(&f.org, Role::SafeguardingLead, "dee@riverside.example")
        .await;
    let dee = f.app.client();
    f.app.api_login(&dee, "dee@riverside.example").await;
    let page = dee.get(f.app.url(&format!("/cases/{case}"))).send().await.unwrap();
    assert!(
        page.text().await.unwrap().contains(&format!("/cases/{case}/viewers")),
        "the safeguarding lead's case page links to who viewed"
    );
    let viewers = dee
        .get(f.app.url(&format!("/cases/{case}/viewers")))
        .send()
        .await
        .unwrap();
    assert_eq!(viewers.status(), StatusCode::OK);
    let viewers = viewers.text().await.unwrap();
    let coordinator_row = viewers
        .split("<tr>")
        .find(|row| row.contains("Test Coordinator") && row.contains("<td>case.read</td>"))
        .unwrap_or_else(|| panic!("the coordinator's read is listed: {viewers}"));
    assert!(coordinator_row.contains("127.0.0.1"), "{coordinator_row}");
    assert!(
        !viewers.contains(crate::referrals::CANARY),
        "no contact detail on the page"
    );

    // Refused to the other staff (403, as the access matrix says) and to a parent and the referrer.
    let sam = f.app.client();
    f.app.seed_user(&f.org, Role::Supervisor, "sam@riverside.example").await;
    f.app.api_login(&sam, "sam@riverside.example").await;
    for client in [&f.jo, &sam] {
        let refused = client
            .get(f.app.url(&format!("/cases/{case}/viewers")))
            .send()
            .await
            .unwrap();
        assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    }
    // Another organisation's administrator does not learn the case exists.
    let other = f.app.seed_organisation("Hillside").await;
    f.app
        .seed_user(&other, Role::OrganisationAdmin, "ola@hillside.example")
        .await;
    let ola = f.app.client();
    f.app.api_login(&ola, "ola@hillside.example").await;
    let hidden = ola
        .get(f.app.url(&format!("/cases/{case}/viewers")))
        .send()
        .await
        .unwrap();
    assert_eq!(hidden.status(), StatusCode::NOT_FOUND);
    // A page number that is not a number is refused in words.
    let bad = dee
        .get(f.app.url(&format!("/cases/{case}/viewers?before=soon")))
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::BAD_REQUEST);
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_reads_export_writes_every_entry_as_a_json_line() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Birch").await;
    let (status, _) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK);
    f.app.store.seal_audit().await.unwrap();
    let head = f.app.store.verify_audit_chain().await.unwrap().unwrap();
    let db: Vec<String> = match &f.app.location {
        familytime_store::Location::DataDir(dir) => vec!["--data-dir".into(), dir.display().to_string()],
        familytime_store::Location::Postgres(url) => vec!["--database-url".into(), url.clone()],
    };
    let export = |since: i64| {
        let db = db.clone();
        async move {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_familytime"))
                .args(["audit", "export", "--since", &since.to_string()])
                .args(db)
                .env_remove("DATABASE_URL")
                .output();
            let out = tokio::time::timeout(Duration::from_secs(60), out)
                .await
                .unwrap()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        }
    };
    let all = export(0).await;
    let lines: Vec<Value> = all
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is one JSON object"))
        .collect();
    assert_eq!(lines.len() as i64, head, "every sealed entry, once");
    let mut previous = familytime_domain::audit::GENESIS_HASH.to_owned();
    for (n, line) in lines.iter().enumerate() {
        assert_eq!(line["seq"].as_i64(), Some(n as i64 + 1), "in order");
        assert_eq!(line["prev_hash"].as_str(), Some(previous.as_str()), "chained");
        let hash = line["hash"].as_str().unwrap();
        assert_eq!(hash.len(), 64);
        previous = hash.to_owned();
    }
    assert!(
        lines
            .iter()
            .any(|l| l["action"] == "case.read" && l["object_id"] == case.as_str()),
        "the case read is exported"
    );
    assert!(
        !all.contains(crate::referrals::CANARY) && !all.contains("127.0.0.1"),
        "no contact detail and no address in the export"
    );
    // Continuing from an entry gives exactly the rest.
    let rest = export(head - 2).await;
    let rest: Vec<Value> = rest.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(rest, lines[lines.len() - 2..].to_vec());
    f.app.finish().await;
}
