//! Hidden contact details only for those assigned (issue 16, finding 2): with the canary address
//! hidden from the visiting parent, a supervisor at the same centre who has nothing to do with the
//! case finds it nowhere (case page, case API, day sheet, briefing, booking, calendar feed, every
//! other page they can open) until they give a reason; the reason is audited (naming the case, never
//! the reason text) and listed for the safeguarding lead, and counts for an hour. The key worker and
//! a named coordinator see it without a reason; the supervisor of a session sees it on that day only.

use crate::harness::{TestApp, json_of};
use crate::records::{Ran, ran_session};
use crate::schedule::{Fixture, accepted_case, fixture, get, post, supervisor};
use familytime_app::clock::Clock;
use familytime_domain::people::Role;
use familytime_web::routes::route_table;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

/// The unique part of `crate::referrals::CANARY`, the resident parent's hidden address.
const CANARY: &str = "CANARY-7f3a9";

/// Every GET route with each of `ids` in its `{id}` (the others answer 404, which shows nothing),
/// plus the routes that take no id.
fn every_page(ids: &[&str]) -> Vec<String> {
    let mut paths = Vec::new();
    for r in route_table().into_iter().filter(|r| r.method == Method::GET) {
        if r.path.contains('{') {
            for id in ids {
                paths.push(
                    r.path
                        .replace("{id}", id)
                        .replace("{token}", "x")
                        .replace("{file}", "app.css")
                        .replace("{recipient}", "resident")
                        .replace("{entry}", id)
                        .replace("{account}", id),
                );
            }
        } else {
            paths.push(r.path.to_owned());
        }
    }
    paths
}

async fn text(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    client.get(app.url(path)).send().await.unwrap().text().await.unwrap()
}

/// The case's first contact (the canary address) as the API shows it to this client.
async fn first_contact(f: &Fixture, client: &reqwest::Client, case: &str) -> Value {
    let (status, file) = get(&f.app, client, &format!("/api/v1/cases/{case}")).await;
    assert_eq!(status, StatusCode::OK, "{file}");
    file["contacts"][0].clone()
}

/// Whether this client sees the canary on the case page and in the case API (both, or neither:
/// anything else is a bug of its own).
async fn sees_canary(f: &Fixture, client: &reqwest::Client, case: &str) -> bool {
    let page = text(&f.app, client, &format!("/cases/{case}")).await;
    let api = first_contact(f, client, case).await;
    let in_api = api["value"].as_str().is_some_and(|v| v.contains(CANARY));
    assert_eq!(page.contains(CANARY), in_api, "page and API agree: {api}");
    in_api
}

fn now(app: &TestApp) -> jiff::Timestamp {
    app.clock.as_ref().now()
}

/// Moves the clock on and signs these people in again (their sessions would have ended).
async fn advance(f: &Fixture, by: jiff::SignedDuration, people: &[(&reqwest::Client, &str)]) {
    f.app.clock.advance(by);
    for (client, email) in people {
        f.app.api_login(client, email).await;
    }
}

async fn put(f: &Fixture, client: &reqwest::Client, path: &str, body: Value) -> (StatusCode, Value) {
    json_of(client.put(f.app.url(path)).json(&body).send().await.unwrap()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn hidden_details_an_unassigned_supervisor_sees_no_canary_anywhere_until_they_give_a_reason() {
    let f = fixture().await;
    let ran: Ran = ran_session(&f, "supervised").await;
    let case = ran.case.clone();
    let una_id = supervisor(&f, "una@riverside.example").await;
    let una = f.app.client();
    let csrf = f.app.page_login(&una, "una@riverside.example").await;
    f.app
        .seed_user(&f.org, Role::SafeguardingLead, "dee@riverside.example")
        .await;
    let dee = f.app.client();
    f.app.api_login(&dee, "dee@riverside.example").await;
    f.app.seed_user(&f.org, Role::Volunteer, "val@riverside.example").await;
    let val = f.app.client();
    f.app.api_login(&val, "val@riverside.example").await;

    // Una's own calendar feed, and the session's day for the day sheet and the calendar.
    let (status, feed) = post(
        &f.app,
        &una,
        "/api/v1/calendar-feeds",
        json!({"user_id": una_id, "case_id": null, "party_id": null}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    let (_, booking) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{}", ran.booking)).await;
    let day = booking["booking"]["starts_at"]
        .as_str()
        .and_then(|s| s.parse::<jiff::Timestamp>().ok())
        .map(|t| {
            t.to_zoned(jiff::tz::TimeZone::get("Europe/London").unwrap())
                .date()
                .to_string()
        })
        .unwrap_or_else(|| panic!("the booking's start: {booking}"));
    let centre = f.org.centre.to_string();
    let mut paths = every_page(&[&case, &ran.booking, &centre, &f.org.room.to_string(), &ran.visiting]);
    paths.extend([
        feed["url"].as_str().unwrap().trim_start_matches(&f.app.base).to_owned(),
        format!("/centres/{centre}/day-sheet?date={day}"),
        format!("/centres/{centre}/calendar?date={day}"),
        format!("/api/v1/centres/{centre}/calendar?from={day}&to={day}"),
        format!("/today?date={day}"),
    ]);

    // Nothing anywhere, for una, the volunteer, or the safeguarding lead (who gives reasons too).
    for (who, client) in [("una", &una), ("the volunteer", &val), ("the safeguarding lead", &dee)] {
        for path in &paths {
            let body = text(&f.app, client, path).await;
            assert!(!body.contains(CANARY), "{who} saw the hidden address at {path}");
        }
    }
    let shown = first_contact(&f, &una, &case).await;
    assert_eq!(
        (shown["value"].clone(), shown["withheld"].clone()),
        (Value::Null, json!("reason_needed")),
        "{shown}"
    );
    let page = text(&f.app, &una, &format!("/cases/{case}")).await;
    assert!(
        page.contains(&format!("/cases/{case}/break-glass")),
        "the page offers the reason step"
    );

    // The reason step: an empty reason is refused with an error summary, and nothing is shown.
    let form = text(&f.app, &una, &format!("/cases/{case}/break-glass")).await;
    assert!(
        form.contains("Why do you need to see the hidden contact details?"),
        "{form}"
    );
    let empty = una
        .post(f.app.url(&format!("/cases/{case}/break-glass")))
        .form(&[("csrf_token", csrf.as_str()), ("reason", "  ")])
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = empty.text().await.unwrap();
    assert!(
        body.contains("error-summary") && body.contains("href=\"#reason\""),
        "{body}"
    );
    let (status, refused) = post(
        &f.app,
        &una,
        &format!("/api/v1/cases/{case}/break-glass"),
        json!({"reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{refused}");
    assert_eq!(refused["error"]["fields"][0]["field"], "reason");
    assert!(!sees_canary(&f, &una, &case).await);
    let entries = f.app.store.audit_entries(f.org.id, None, 1000).await.unwrap();
    assert!(!entries.iter().any(|e| e.action == "contact.break_glass"));

    // A volunteer cannot give a reason at all.
    let (status, _) = post(
        &f.app,
        &val,
        &format!("/api/v1/cases/{case}/break-glass"),
        json!({"reason": "curious"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // With a reason, una sees it, on the page and in the API.
    let given = una
        .post(f.app.url(&format!("/cases/{case}/break-glass")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            (
                "reason",
                "Police asked for the address after tonight's call REASON-TEXT-55",
            ),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    assert!(sees_canary(&f, &una, &case).await, "after the reason step");

    // Audited as the case's break glass by una; the reason text and the address never in the log.
    let entries = f.app.store.audit_entries(f.org.id, None, 1000).await.unwrap();
    let broken: Vec<_> = entries.iter().filter(|e| e.action == "contact.break_glass").collect();
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].object_type, "case");
    assert_eq!(broken[0].object_id.as_deref(), Some(case.as_str()));
    assert_eq!(broken[0].actor_user_id.as_deref(), Some(una_id.as_str()));
    assert!(
        entries
            .iter()
            .all(|e| !format!("{e:?}").contains("REASON-TEXT-55") && !format!("{e:?}").contains(CANARY))
    );

    // The safeguarding lead's list shows who, which case, when and why; the volunteer cannot read it.
    let (status, list) = get(&f.app, &dee, "/api/v1/break-glass").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        (list[0]["case_id"].clone(), list[0]["user_id"].clone()),
        (json!(case), json!(una_id))
    );
    assert!(list[0]["reason"].as_str().unwrap().contains("REASON-TEXT-55"));
    let listed = text(&f.app, &dee, "/break-glass").await;
    let reference = booking["booking"]["case_reference"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(
        listed.contains("REASON-TEXT-55") && !reference.is_empty() && listed.contains(&reference),
        "{listed}"
    );
    assert_eq!(
        val.get(f.app.url("/api/v1/break-glass")).send().await.unwrap().status(),
        StatusCode::FORBIDDEN
    );
    // The lead's own view of the case still needs a reason of her own.
    assert!(!sees_canary(&f, &dee, &case).await);

    // An hour later the reason no longer counts.
    advance(
        &f,
        jiff::SignedDuration::from_mins(61),
        &[(&una, "una@riverside.example")],
    )
    .await;
    assert!(!sees_canary(&f, &una, &case).await, "a reason counts for an hour");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hidden_details_the_key_worker_and_a_named_coordinator_see_them_without_a_reason() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Price").await;
    let kay_id = supervisor(&f, "kay@riverside.example").await;
    let kay = f.app.client();
    f.app.api_login(&kay, "kay@riverside.example").await;
    let jo_id = f
        .app
        .store
        .users(f.org.id)
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.email == "jo@riverside.example")
        .unwrap()
        .id
        .to_string();
    f.app
        .seed_user(&f.org, Role::Coordinator, "kim@riverside.example")
        .await;
    let kim = f.app.client();
    f.app.api_login(&kim, "kim@riverside.example").await;
    let val_id = f
        .app
        .seed_user(&f.org, Role::Volunteer, "val@riverside.example")
        .await
        .to_string();
    let named_path = format!("/api/v1/cases/{case}/named-staff");

    // Nobody is named yet: the coordinator who took the referral through triage needs a reason too.
    for client in [&f.jo, &kay, &kim, &f.admin] {
        assert!(!sees_canary(&f, client, &case).await);
    }

    // Nobody names themself, nobody names a volunteer, a supervisor is named only as key worker:
    // each refused with the field, and nothing changes.
    for (client, body, field) in [
        (
            &f.jo,
            json!({"key_worker": null, "named": [jo_id], "version": 0}),
            "named",
        ),
        (
            &f.jo,
            json!({"key_worker": jo_id, "named": [], "version": 0}),
            "key_worker",
        ),
        (
            &f.admin,
            json!({"key_worker": val_id, "named": [], "version": 0}),
            "key_worker",
        ),
        (
            &f.admin,
            json!({"key_worker": null, "named": [kay_id], "version": 0}),
            "named",
        ),
        (
            &f.admin,
            json!({"key_worker": "not-an-id", "named": [], "version": 0}),
            "key_worker",
        ),
    ] {
        let (status, answer) = put(&f, client, &named_path, body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {answer}");
        assert_eq!(answer["error"]["fields"][0]["field"], field, "{body}: {answer}");
    }
    let (_, named) = get(&f.app, &f.jo, &named_path).await;
    assert_eq!(named, json!({"key_worker": null, "named": [], "version": 0}));

    // The administrator names kay as key worker and jo as the coordinator for the case.
    let (status, answer) = put(
        &f,
        &f.admin,
        &named_path,
        json!({"key_worker": kay_id, "named": [jo_id], "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    let (_, named) = get(&f.app, &kim, &named_path).await;
    assert_eq!(named["key_worker"]["user_id"], json!(kay_id), "{named}");
    assert_eq!(named["named"][0]["user_id"], json!(jo_id), "{named}");
    assert_eq!(named["version"], json!(1), "{named}");
    // A change from the old version, or one that leaves the key worker out, changes nothing.
    let stale = json!({"key_worker": null, "named": [], "version": 0});
    let (status, answer) = put(&f, &f.admin, &named_path, stale).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    let (status, answer) = put(&f, &f.admin, &named_path, json!({"named": [], "version": 1})).await;
    assert!(status.is_client_error(), "{status} {answer}");
    let (_, again) = get(&f.app, &kim, &named_path).await;
    assert_eq!(again, named, "nothing changed");

    assert!(sees_canary(&f, &kay, &case).await, "the key worker");
    assert!(sees_canary(&f, &f.jo, &case).await, "the named coordinator");
    assert!(!sees_canary(&f, &kim, &case).await, "another coordinator at the centre");
    assert!(
        !sees_canary(&f, &f.admin, &case).await,
        "the administrator who named them"
    );
    let page = text(&f.app, &f.jo, &format!("/cases/{case}")).await;
    assert!(page.contains("(key worker)"), "the case page says who is named");

    let entries = f.app.store.audit_entries(f.org.id, None, 1000).await.unwrap();
    assert!(!entries.iter().any(|e| e.action == "contact.break_glass"));
    assert!(
        entries
            .iter()
            .any(|e| e.action == "case.named_staff" && e.object_id.as_deref() == Some(case.as_str()))
    );
    assert!(entries.iter().any(|e| e.action == "contact.disclose"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hidden_details_the_sessions_supervisor_sees_them_on_that_day_only() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let una = f.app.client();
    supervisor(&f, "una@riverside.example").await;
    f.app.api_login(&una, "una@riverside.example").await;
    let (_, booking) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{}", ran.booking)).await;
    let starts: jiff::Timestamp = booking["booking"]["starts_at"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("the booking's start: {booking}"));

    // A week before, sam (booked to supervise it) sees nothing.
    assert!(!sees_canary(&f, &ran.sam, &ran.case).await, "before the session's day");

    // Two hours before the session (08:00 at the centre, the same day): sam sees it, una does not.
    let target = starts.checked_sub(jiff::SignedDuration::from_hours(2)).unwrap();
    let people = [(&ran.sam, "sam@riverside.example"), (&una, "una@riverside.example")];
    advance(&f, now(&f.app).duration_until(target), &people).await;
    assert!(sees_canary(&f, &ran.sam, &ran.case).await, "on the session's day");
    assert!(!sees_canary(&f, &una, &ran.case).await, "not their session");

    // The next day, no longer.
    advance(&f, jiff::SignedDuration::from_hours(24), &people).await;
    assert!(!sees_canary(&f, &ran.sam, &ran.case).await, "the day after");
    f.app.finish().await;
}
