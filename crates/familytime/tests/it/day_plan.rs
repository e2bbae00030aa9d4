//! The day plan (issue 19 items 6 and 8, decision 0047), on the real database: the resident parent
//! drops the child off and comes back for the pick-up (unless the booking lets them stay), staff
//! talk with each parent alone, the day sheet shows who is on the premises at each moment, the
//! register records the departure and return, an interpreter is booked like a room (a clash is
//! refused by name and changes nothing), and the parent's own booking shows their entrance. The
//! rules' tests are named `booking_rules_…`, so `cargo test booking_rules` runs them with the rest.

use crate::harness::TestApp;
use crate::pages::Walk;
use crate::records::{after_the_session, ran_session};
use crate::schedule::{
    Fixture, accept_referral, ahead, booking, family_room, fixture, get, party_id, post, supervisor,
};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A page as `client` sees it.
async fn page(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, String) {
    let r = client.get(app.url(path)).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

/// An accepted case whose visiting parent speaks Polish and needs an interpreter.
async fn polish_case(f: &Fixture, surname: &str) -> (String, String, String) {
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["children"][0]["name"] = json!(format!("Mia {surname}"));
    referral["adults"][0]["name"] = json!(format!("Laura {surname}"));
    referral["adults"][1]["name"] = json!(format!("Tomasz {surname}"));
    referral["adults"][1]["language"] = json!("Polish");
    referral["adults"][1]["interpreter"] = json!(true);
    let (id, file) = accept_referral(f, &f.jo, referral).await;
    (id, party_id(&file, "resident"), party_id(&file, "visiting"))
}

async fn book(f: &Fixture, case: &str, body: Value) -> (String, i64) {
    let (status, booked) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), body).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    (
        booked[0]["id"].as_str().unwrap().to_owned(),
        booked[0]["version"].as_i64().unwrap(),
    )
}

async fn version_of(f: &Fixture, id: &str) -> i64 {
    let (status, b) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
    assert_eq!(status, StatusCode::OK, "{b}");
    b["version"]
        .as_i64()
        .or_else(|| b["booking"]["version"].as_i64())
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_day_plan_the_resident_parent_drops_off_and_an_interpreter_is_held_like_a_room() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let kim = supervisor(&f, "kim@riverside.example").await;
    let (first, first_resident, first_visiting) = polish_case(&f, "Nowak").await;
    let (second, _, second_visiting) = polish_case(&f, "Wojcik").await;
    let date = ahead(&f.app, 1);
    let (one, _) = book(
        &f,
        &first,
        booking("supervised", &date, "10:00", &f.org.room.to_string(), &[&sam]),
    )
    .await;
    let blue = family_room(&f, "Rose Room").await;
    // The second family's resident parent is let stay (the order allows it).
    let mut stays = booking("supervised", &date, "11:00", &blue, &[&kim]);
    stays["resident_stays"] = json!(true);
    let (two, _) = book(&f, &second, stays).await;

    // The organisation's interpreter, booked for the first family's visiting parent.
    let (status, bad) = post(
        &f.app,
        &f.jo,
        "/api/v1/interpreters",
        json!({"name": "", "languages": " , "}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let (status, anna) = post(
        &f.app,
        &f.jo,
        "/api/v1/interpreters",
        json!({"name": "Anna Kowalska", "languages": "Polish, Russian"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{anna}");
    let anna = anna["id"].as_str().unwrap().to_owned();
    let (status, list) = get(&f.app, &f.jo, "/api/v1/interpreters").await;
    assert_eq!(
        (status, list[0]["name"].clone()),
        (StatusCode::OK, json!("Anna Kowalska"))
    );
    // Not for an adult whose record does not say they need one.
    let v = version_of(&f, &one).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{one}/interpreter"),
        json!({"party_id": first_resident, "interpreter_id": anna, "version": v}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("does not say they need"), "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{one}/interpreter"),
        json!({"party_id": first_visiting, "interpreter_id": anna, "version": v}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The second session overlaps the first's time on site: she is not free, and nothing changes.
    let v2 = version_of(&f, &two).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{two}/interpreter"),
        json!({"party_id": second_visiting, "interpreter_id": anna, "version": v2}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(
        body.to_string().contains("Anna Kowalska is already booked then"),
        "{body}"
    );
    assert_eq!(version_of(&f, &two).await, v2, "nothing changed");
    // Moving the first session clear of the second frees her for it.
    let (status, moved) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{one}/move"),
        json!({"date": date, "time": "15:00", "asked_by": "centre", "version": version_of(&f, &one).await}),
    )
    .await;
    assert!(status.is_success(), "{moved}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{two}/interpreter"),
        json!({"party_id": second_visiting, "interpreter_id": anna, "version": v2}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // The day sheet: the first family's resident parent is off the premises during the session,
    // the second family's stays; each parent's talks with staff; the interpreters.
    let coordinator = f.app.client();
    f.app.page_login(&coordinator, "jo@riverside.example").await;
    let (status, sheet) = page(
        &f.app,
        &coordinator,
        &format!("/centres/{}/day-sheet?date={date}", f.org.centre),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A session's part of the sheet: from its heading to the end of its section.
    let section = |time: &str| {
        let from = sheet.find(&format!("{time}: ")).expect("the session is on the sheet");
        let rest = &sheet[from..];
        rest[..rest.find("</section>").unwrap_or(rest.len())].to_owned()
    };
    let first_session = section("15:00–17:00");
    assert!(
        first_session.contains("Off the premises: 15:10 to 17:00"),
        "{first_session}"
    );
    assert!(
        first_session.contains("Laura Nowak: leaves the premises"),
        "{first_session}"
    );
    assert!(first_session.contains("Laura Nowak: comes back for the pick-up"));
    assert!(first_session.contains("talks with staff, alone, before the session"));
    assert!(
        first_session.contains("Needs an interpreter: Polish. Booked: Anna Kowalska"),
        "the interpreter moved with it"
    );
    let second_session = section("11:00–13:00");
    assert!(
        !second_session.contains("leaves the premises"),
        "the resident parent stays"
    );
    assert!(second_session.contains("Booked: Anna Kowalska"));
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_day_plan_the_register_records_the_departure_and_return_and_the_parent_sees_their_entrance() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    // The resident parent's entrance, set by the coordinator.
    let (status, side) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/centres/{}/entrances", f.org.centre),
        json!({"name": "Side door"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{side}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{}/arrival", ran.booking),
        json!({"party_id": ran.resident, "entrance_id": side["id"], "waits_in": null,
               "version": version_of(&f, &ran.booking).await}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let parent = f.app.seed_user(&f.org, Role::Parent, "laura@example.com").await;
    let response =
        f.jo.put(
            f.app
                .url(&format!("/api/v1/cases/{}/parties/{}/account", ran.case, ran.resident)),
        )
        .json(&json!({"user_id": parent, "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    let laura = f.app.client();
    f.app.page_login(&laura, "laura@example.com").await;
    let (status, mine) = page(&f.app, &laura, "/my-account").await;
    assert_eq!(status, StatusCode::OK);
    assert!(mine.contains("Your entrance: Side door"), "{mine}");
    assert!(
        mine.contains("Please leave after the drop-off and come back for the pick-up: 10:10 – 12:00"),
        "{mine}"
    );
    let api = f.app.client();
    f.app.api_login(&api, "laura@example.com").await;
    let (status, own) = get(&f.app, &api, "/api/v1/my-account").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(own[0]["bookings"][0]["entrance"], json!("Side door"), "{own}");
    // Their calendar feed tells them too.
    let (status, feed) = post(
        &f.app,
        &f.jo,
        "/api/v1/calendar-feeds",
        json!({"user_id": null, "case_id": ran.case, "party_id": ran.resident}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    let ics = f
        .app
        .client()
        .get(feed["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
        .replace("\r\n ", "");
    assert!(ics.contains("Use the Side door."), "{ics}");
    assert!(
        ics.contains("Please leave after the drop-off at 10:10 and come back for the pick-up at 12:00."),
        "{ics}"
    );

    after_the_session(&f, &ran).await;
    let path = format!("/api/v1/bookings/{}/register", ran.booking);
    let register = |body: Value| post(&f.app, &ran.sam, &path, body);
    // A return before the departure, and a time that is not one: refused together, nothing kept.
    let (status, body) = register(json!({"who": format!("party:{}", ran.resident), "attendance": "left",
        "arrived": "10:00", "left": "12:10", "departed": "11:58", "returned": "10:08", "version": 0}))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("came back after they left"), "{body}");
    let (status, body) = register(json!({"who": format!("party:{}", ran.resident), "attendance": "left",
        "arrived": "10:00", "left": "12:10", "departed": "10:08", "returned": "11:58", "version": 0}))
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, record) = page(&f.app, &ran.sam, &format!("/bookings/{}/record", ran.booking)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        record.contains(r#"name="departed" type="time" value="10:08""#)
            && record.contains(r#"name="returned" type="time" value="11:58""#),
        "the register keeps the departure and the return: {record}"
    );
    f.app.finish().await;
}

/// In a real browser: the day sheet shows the resident parent leaving after the drop-off and
/// coming back for the pick-up (and passes axe); after the session the supervisor records both
/// times on the register, a return before the departure is refused with the form kept, and the
/// register keeps the times.
#[tokio::test(flavor = "multi_thread")]
async fn journey_day_plan_on_the_day_sheet_and_the_register() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let date = ahead(&f.app, 1);
    let mut w = Walk::start(&f.app).await;
    w.sign_in("jo@riverside.example").await;
    w.goto(&format!("/centres/{}/day-sheet?date={date}", f.org.centre))
        .await;
    w.sees("leaves the premises").await;
    w.sees("comes back for the pick-up").await;
    w.sees("Off the premises: 10:10 to 12:00").await;
    w.axe("/centres/ID/day-sheet with the day plan").await;
    w.sign_out().await;

    after_the_session(&f, &ran).await;
    let record = format!("/bookings/{}/record", ran.booking);
    w.sign_in("sam@riverside.example").await;
    w.goto(&record).await;
    let row = format!(
        "form[action='/bookings/{}/register']:has(input[value='party:{}'])",
        ran.booking, ran.resident
    );
    w.set(&format!("{row} select[name=attendance]"), "left").await;
    w.set(&format!("{row} input[name=arrived]"), "10:00").await;
    w.set(&format!("{row} input[name=left]"), "12:08").await;
    w.set(&format!("{row} input[name=departed]"), "11:58").await;
    w.set(&format!("{row} input[name=returned]"), "10:08").await;
    w.submit(&format!("{row} button[type=submit]")).await;
    w.sees("They came back after they left").await;
    w.axe("/bookings/ID/record with a refused departure").await;
    let value = |name: &'static str| {
        let css = format!("{row} input[name={name}]");
        let client = w.browser.client.clone();
        async move {
            client
                .find(fantoccini::Locator::Css(&css))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
        }
    };
    assert_eq!(
        value("departed").await.as_deref(),
        Some("11:58"),
        "the form keeps what was typed"
    );
    w.set(&format!("{row} input[name=departed]"), "10:08").await;
    w.set(&format!("{row} input[name=returned]"), "11:58").await;
    w.submit(&format!("{row} button[type=submit]")).await;
    assert!(!w.present(".error-summary").await, "{}", w.text().await);
    assert_eq!(
        value("departed").await.as_deref(),
        Some("10:08"),
        "the register keeps the departure"
    );
    assert_eq!(value("returned").await.as_deref(), Some("11:58"), "and the return");
    w.finish().await;
    f.app.finish().await;
}

/// In a real browser: the coordinator books the interpreter for the father who needs one on the
/// booking page (it confirms itself), and the same interpreter for an overlapping session is
/// refused by name with the choice kept; the day sheet shows who is booked and who is not yet.
#[tokio::test(flavor = "multi_thread")]
async fn journey_day_plan_an_interpreter_is_booked_on_the_booking_page() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let kim = supervisor(&f, "kim@riverside.example").await;
    let (first, _, first_visiting) = polish_case(&f, "Nowak").await;
    let (second, _, second_visiting) = polish_case(&f, "Wojcik").await;
    let date = ahead(&f.app, 1);
    let (one, _) = book(
        &f,
        &first,
        booking("supervised", &date, "10:00", &f.org.room.to_string(), &[&sam]),
    )
    .await;
    let rose = family_room(&f, "Rose Room").await;
    let (two, _) = book(&f, &second, booking("supervised", &date, "11:00", &rose, &[&kim])).await;

    // The organisation's interpreter, added on its page (a missing language refused first).
    let mut w = Walk::start(&f.app).await;
    w.sign_in("jo@riverside.example").await;
    w.goto("/interpreters").await;
    w.sees("No interpreters yet.").await;
    w.fill("name", "Anna Kowalska").await;
    w.submit("form[action='/interpreters'] button[type=submit]").await;
    w.sees("Enter the languages they interpret").await;
    w.axe("/interpreters with a refused interpreter").await;
    w.fill("languages", "Polish").await;
    w.submit("form[action='/interpreters'] button[type=submit]").await;
    w.sees("The interpreter is added.").await;
    w.sees("Anna Kowalska").await;
    w.axe("/interpreters").await;
    let (_, list) = get(&f.app, &f.jo, "/api/v1/interpreters").await;
    let anna = list[0]["id"].as_str().unwrap().to_owned();
    w.goto(&format!("/bookings/{one}")).await;
    w.sees("Needs an interpreter: Polish. None booked yet.").await;
    w.choose(&format!("interpreter-{first_visiting}"), &anna).await;
    w.submit(&format!(
        "form[action='/bookings/{one}/interpreter'] button[type=submit]"
    ))
    .await;
    w.sees("The interpreter is saved for this session.").await;
    w.sees("Booked: Anna Kowalska").await;
    w.axe("/bookings/ID with an interpreter booked").await;

    w.goto(&format!("/bookings/{two}")).await;
    w.choose(&format!("interpreter-{second_visiting}"), &anna).await;
    w.submit(&format!(
        "form[action='/bookings/{two}/interpreter'] button[type=submit]"
    ))
    .await;
    w.sees("Anna Kowalska is already booked then").await;
    assert!(w.present(".error-summary").await, "the refusal is summarised");
    w.axe("/bookings/ID with a refused interpreter").await;
    let kept = w
        .browser
        .client
        .execute("return document.getElementById('interpreter').value", vec![])
        .await
        .unwrap();
    assert_eq!(kept, json!(anna), "the choice is kept");
    w.goto(&format!("/centres/{}/day-sheet?date={date}", f.org.centre))
        .await;
    w.sees("Booked: Anna Kowalska").await;
    w.sees("None booked yet.").await;
    w.finish().await;
    f.app.finish().await;
}

/// Four coordinators book the same interpreter for four overlapping sessions at the same moment:
/// exactly one wins, the others are refused by name (422), never a 5xx, on either database.
#[tokio::test(flavor = "multi_thread")]
async fn booking_rules_day_plan_racing_for_one_interpreter_exactly_one_wins() {
    let f = fixture().await;
    let date = ahead(&f.app, 1);
    let (status, anna) = post(
        &f.app,
        &f.jo,
        "/api/v1/interpreters",
        json!({"name": "Anna Kowalska", "languages": "Polish"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{anna}");
    let anna = anna["id"].as_str().unwrap().to_owned();
    let mut asks = Vec::new();
    for (n, (surname, time)) in [
        ("Nowak", "10:00"),
        ("Wojcik", "10:30"),
        ("Lewandowski", "11:00"),
        ("Zielinski", "11:30"),
    ]
    .into_iter()
    .enumerate()
    {
        let staff = supervisor(&f, &format!("s{n}@riverside.example")).await;
        let room = if n == 0 {
            f.org.room.to_string()
        } else {
            family_room(&f, &format!("Room {n}")).await
        };
        let (case, _, visiting) = polish_case(&f, surname).await;
        let (id, version) = book(&f, &case, booking("supervised", &date, time, &room, &[&staff])).await;
        asks.push((
            id,
            json!({"party_id": visiting, "interpreter_id": anna, "version": version}),
        ));
    }
    let tasks: Vec<_> = asks
        .into_iter()
        .map(|(id, body)| {
            let client = f.jo.clone();
            let url = f.app.url(&format!("/api/v1/bookings/{id}/interpreter"));
            tokio::spawn(
                async move { crate::harness::json_of(client.post(url).json(&body).send().await.unwrap()).await },
            )
        })
        .collect();
    let mut answers = Vec::new();
    for task in tasks {
        answers.push(task.await.unwrap());
    }
    let won = answers.iter().filter(|(s, _)| *s == StatusCode::NO_CONTENT).count();
    let refused: Vec<_> = answers
        .iter()
        .filter(|(s, b)| *s == StatusCode::UNPROCESSABLE_ENTITY && b.to_string().contains("is already booked then"))
        .collect();
    assert_eq!((won, refused.len()), (1, 3), "{answers:?}");
    f.app.finish().await;
}
