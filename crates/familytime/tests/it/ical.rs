//! Calendar feeds as calendar programs read them (issue 28, decision 0042). The feed is fetched from
//! the real server and read with Python's icalendar (PyPI, pinned, in a virtual environment under
//! ~/.cache/familytime made on first use) and with the Rust icalendar crate's parser: each session's
//! status (tentative, confirmed, cancelled and still there), its wall-clock time on each side of the
//! centre's next clock change (jiff says when) with the instant worked out from the feed's own
//! VTIMEZONE, and after a move the same UID with a higher SEQUENCE. The feed's address is absolute,
//! built from the configured public address, with a webcal twin; unknown fields are refused.

use crate::harness::{Org, TestApp, json_of};
use crate::schedule::{Fixture, accepted_case, booking, fixture, post, supervisor};
use familytime_app::Config;
use familytime_app::clock::Clock;
use familytime_domain::people::Role;
use icalendar::Component;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ToSpan};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The version of Python's icalendar the feeds are read with.
const PYTHON_ICALENDAR: &str = "7.3.2";

/// A virtual environment with Python's icalendar, made once (by one test at a time) and kept.
fn python() -> PathBuf {
    static MAKING: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one_at_a_time = MAKING.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let home = std::env::var("HOME").expect("HOME is set");
    let venv = PathBuf::from(home)
        .join(".cache/familytime")
        .join(format!("icalendar-{PYTHON_ICALENDAR}-venv"));
    let python = venv.join("bin/python");
    if python.exists() {
        return python;
    }
    // Made beside it and renamed into place, so a half-made one is never taken for a whole one.
    let making = venv.with_extension(format!("making-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&making);
    let made = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&making)
        .status()
        .expect("python3 (with venv) is installed");
    assert!(made.success(), "python3 -m venv failed");
    let installed = Command::new(making.join("bin/pip"))
        .args(["install", "-q", &format!("icalendar=={PYTHON_ICALENDAR}")])
        .status()
        .expect("pip runs");
    assert!(installed.success(), "pip install icalendar=={PYTHON_ICALENDAR} failed");
    if std::fs::rename(&making, &venv).is_err() {
        let _ = std::fs::remove_dir_all(&making);
    }
    python
}

/// What Python's icalendar reads from a feed (see ical_read.py): the zones it defines and its events.
fn read_with_python(feed: &str) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/it/ical_read.py");
    let mut child = Command::new(python())
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run ical_read.py");
    std::io::Write::write_all(&mut child.stdin.take().expect("stdin"), feed.as_bytes()).expect("write the feed");
    let out = child.wait_with_output().expect("ical_read.py ends");
    assert!(
        out.status.success(),
        "Python's icalendar refuses the feed: {}\n{feed}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("ical_read.py prints JSON")
}

/// The feed's events by UID, as Python read them.
fn events_by_uid(read: &Value) -> BTreeMap<String, Value> {
    read["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| (e["uid"].as_str().expect("uid").to_owned(), e.clone()))
        .collect()
}

/// The feed's text, fetched with no sign-in (the address is the key).
async fn fetch(app: &TestApp, url: &str) -> String {
    let response = app.client().get(url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/calendar; charset=utf-8");
    response.text().await.unwrap()
}

/// The date of the centres' next clock change, far enough ahead of the server's today for a session
/// the day before it to be booked (jiff's time zone database says when).
fn next_clock_change(app: &TestApp) -> jiff::civil::Date {
    let london = TimeZone::get("Europe/London").unwrap();
    let soon = app.clock.now() + SignedDuration::from_hours(72);
    let change = london.following(soon).next().expect("London changes its clocks");
    change.timestamp().to_zoned(london).date()
}

async fn book_one(f: &Fixture, case: &str, date: jiff::civil::Date, sam: &str) -> Value {
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &date.to_string(),
            "10:00",
            &f.org.room.to_string(),
            &[sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    booked[0].clone()
}

async fn set_status(f: &Fixture, booked: &Value, body: Value) {
    let mut body = body;
    body["version"] = booked["version"].clone();
    let id = booked["id"].as_str().unwrap();
    let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/bookings/{id}/status"), body).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
}

async fn new_feed(f: &Fixture, body: Value) -> Value {
    let (status, feed) = post(&f.app, &f.jo, "/api/v1/calendar-feeds", body).await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    feed
}

fn instant(text: &Value) -> Timestamp {
    text.as_str()
        .and_then(|t| t.parse().ok())
        .unwrap_or_else(|| panic!("an instant: {text}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn ical_feeds_tell_status_local_time_across_the_clock_change_and_sequence_after_a_move() {
    let f = fixture().await;
    let (case, _, visiting) = accepted_case(&f, "Ical").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let change = next_clock_change(&f.app);
    let day_before = change.checked_sub(1.day()).unwrap();
    let day_after = change.checked_add(1.day()).unwrap();
    // Provisional (not paid or confirmed yet), confirmed, cancelled, and one to move.
    let provisional = book_one(&f, &case, day_before, &sam).await;
    let confirmed = book_one(&f, &case, day_after, &sam).await;
    set_status(&f, &confirmed, json!({"status": "confirmed"})).await;
    let cancelled = book_one(&f, &case, change.checked_add(2.days()).unwrap(), &sam).await;
    set_status(
        &f,
        &cancelled,
        json!({"status": "cancelled", "cancelled_by": "visiting", "reason": "Unwell"}),
    )
    .await;
    let to_move = book_one(&f, &case, change.checked_add(3.days()).unwrap(), &sam).await;

    let staff = new_feed(&f, json!({"user_id": sam, "case_id": null, "party_id": null})).await;
    let url = staff["url"].as_str().unwrap();
    assert!(
        url.starts_with(&f.app.url("/calendar/")) && url.ends_with(".ics"),
        "{staff}"
    );
    assert_eq!(
        staff["webcal_url"].as_str().unwrap(),
        url.replacen("http://", "webcal://", 1),
        "{staff}"
    );
    let text = fetch(&f.app, url).await;
    let read = read_with_python(&text);
    assert_eq!(read["zones"], json!(["Europe/London"]), "{text}");
    let events = events_by_uid(&read);
    assert_eq!(events.len(), 4, "{text}");
    let event = |booked: &Value| events[&format!("{}@familytime", booked["id"].as_str().unwrap())].clone();
    let (tentative, definite, gone, before_move) = (
        event(&provisional),
        event(&confirmed),
        event(&cancelled),
        event(&to_move),
    );
    assert_eq!(tentative["status"], "TENTATIVE", "{text}");
    assert_eq!(definite["status"], "CONFIRMED", "{text}");
    assert_eq!(
        gone["status"], "CANCELLED",
        "a cancelled session stays, for calendars to remove"
    );
    assert!(
        gone["sequence"].as_i64() > Some(0),
        "cancelling raised the sequence: {gone}"
    );
    // Both sides of the clock change at 10:00 on the wall, in the centre's zone; the instants the
    // feed's own VTIMEZONE gives are the bookings' own, an hour apart in UTC.
    for (e, booked, day) in [
        (&tentative, &provisional, day_before),
        (&definite, &confirmed, day_after),
    ] {
        assert_eq!(e["tzid"], "Europe/London", "{e}");
        assert_eq!(e["local_start"], format!("{day}T10:00"), "{e}");
        assert_eq!(instant(&e["utc_start"]), instant(&booked["starts_at"]), "{e} {booked}");
    }
    let utc_hour = |e: &Value| instant(&e["utc_start"]).to_zoned(TimeZone::UTC).hour();
    assert_ne!(
        utc_hour(&tentative),
        utc_hour(&definite),
        "the clocks changed between them"
    );

    // A move: the same event (UID) at its new time, with a higher SEQUENCE, and no other.
    let id = to_move["id"].as_str().unwrap();
    let (status, moved) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"date": change.checked_add(3.days()).unwrap().to_string(), "time": "15:00",
               "asked_by": "centre", "version": to_move["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let text = fetch(&f.app, url).await;
    let after = events_by_uid(&read_with_python(&text));
    assert_eq!(after.len(), 4, "the move replaced the event: {text}");
    let moved_event = &after[&format!("{id}@familytime")];
    assert!(
        moved_event["sequence"].as_i64() > before_move["sequence"].as_i64(),
        "{before_move} then {moved_event}"
    );
    assert!(
        moved_event["local_start"].as_str().unwrap().ends_with("T15:00"),
        "{moved_event}"
    );
    assert_eq!(instant(&moved_event["utc_start"]), instant(&moved["starts_at"]));
    assert!(
        !text.contains(moved["id"].as_str().unwrap()),
        "the new booking keeps the old UID"
    );

    // The Rust crate's parser reads the same events and statuses.
    let parsed: icalendar::Calendar = text.parse().expect("the icalendar crate parses the feed");
    let statuses: BTreeMap<String, String> = parsed
        .events()
        .map(|e| {
            let status = e.property_value("STATUS").unwrap_or_default().to_owned();
            (e.get_uid().unwrap_or_default().to_owned(), status)
        })
        .collect();
    let python: BTreeMap<String, String> = after
        .iter()
        .map(|(uid, e)| (uid.clone(), e["status"].as_str().unwrap().to_owned()))
        .collect();
    assert_eq!(statuses, python);

    // The visiting parent's own feed: their arrival times (a quarter of an hour early), the same
    // statuses, in the centre's zone.
    let parent = new_feed(&f, json!({"user_id": null, "case_id": case, "party_id": visiting})).await;
    let text = fetch(&f.app, parent["url"].as_str().unwrap()).await;
    let theirs = read_with_python(&text);
    let mut seen: Vec<&str> = theirs["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["status"].as_str().unwrap())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, ["CANCELLED", "CONFIRMED", "TENTATIVE", "TENTATIVE"], "{text}");
    assert!(
        theirs["events"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["local_start"] == format!("{day_before}T09:45") && e["tzid"] == "Europe/London"),
        "{text}"
    );
    f.app.finish().await;
}

/// An organisation with a coordinator signed in (API), on a server whose public address is given.
async fn served_at(public_url: &str) -> (TestApp, Org, reqwest::Client, String, String) {
    let app = TestApp::spawn_with(Config {
        public_url: public_url.into(),
        ..Config::default()
    })
    .await;
    let org = app.seed_organisation("Riverside").await;
    let jo = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let client = app.client();
    let csrf = app.page_login(&client, "jo@riverside.example").await;
    (app, org, client, jo.to_string(), csrf)
}

#[tokio::test(flavor = "multi_thread")]
async fn ical_feed_addresses_are_the_public_address_with_webcal_and_unknown_fields_are_refused() {
    let (app, org, jo, me, csrf) = served_at("https://contact.example.org").await;

    let refused = jo
        .post(app.url("/api/v1/calendar-feeds"))
        .json(&json!({"user_id": me, "case_id": null, "party_id": null, "scope": "everything"}))
        .send()
        .await
        .unwrap();
    let (status, body) = json_of(refused).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("scope"), "the unknown field is named: {body}");
    assert!(app.store.feeds(org.id).await.unwrap().is_empty(), "nothing was made");

    let (status, feed) = json_of(
        jo.post(app.url("/api/v1/calendar-feeds"))
            .json(&json!({"user_id": me, "case_id": null, "party_id": null}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    let url = feed["url"].as_str().unwrap();
    let path = url
        .strip_prefix("https://contact.example.org")
        .unwrap_or_else(|| panic!("the configured public address: {feed}"));
    assert!(path.starts_with("/calendar/") && path.ends_with(".ics"), "{feed}");
    assert_eq!(feed["webcal_url"], format!("webcal://contact.example.org{path}"));
    // The address works (here, at the test server's own address), and an empty feed is still a
    // calendar Python's icalendar reads.
    let read = read_with_python(&fetch(&app, &app.url(path)).await);
    assert_eq!(read["events"], json!([]));

    // The page shows both, whatever Host the request came with.
    let page = jo
        .post(app.url("/account/calendar-feed"))
        .header("host", "attacker.example")
        .form(&[("csrf_token", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(
        html.contains("<code class=\"token\">https://contact.example.org/calendar/"),
        "{html}"
    );
    assert!(html.contains("href=\"webcal://contact.example.org/calendar/"), "{html}");
    assert!(!html.contains("attacker.example"));
    assert_eq!(app.store.feeds(org.id).await.unwrap().len(), 2);
    app.finish().await;
}
