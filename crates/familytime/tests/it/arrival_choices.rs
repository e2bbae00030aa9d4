//! Arrival plans (issue 30): a coordinator sets each adult's entrance and waiting room for a
//! booking on its page, the plan and day sheet show them and the warning for a case whose risk calls
//! for keeping the adults apart is gone; another centre's room is refused (nothing changes), and
//! someone who may not set them is not offered the form. The case, its session and the centre's
//! entrance and rooms are set up through the API; the choice itself is made on the page.

use crate::pages::Walk;
use crate::schedule::{accepted_case, ahead, booking, family_room, fixture, get, post, supervisor};
use familytime_domain::tenancy::CentreDetails;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn journey_arrival_choices_clear_the_warning_and_refuse_another_centres() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    // The test referral's case has a non-molestation order: its plan warns.
    let (case, _, visiting) = accepted_case(&f, "Price").await;
    let date = ahead(&f.app, 1);
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking("supervised", &date, "10:00", &f.org.room.to_string(), &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let id = booked[0]["id"].as_str().unwrap().to_owned();
    let centre = f.org.centre;
    let (status, side) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/centres/{centre}/entrances"),
        json!({"name": "Side door"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{side}");
    let side = side["id"].as_str().unwrap().to_owned();
    let (status, green) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{centre}/rooms"),
        json!({"name": "Green Room", "kind": "waiting_room"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{green}");
    let green = green["id"].as_str().unwrap().to_owned();
    // A family room is not a waiting room, and another centre's waiting room is not this one's.
    let family = family_room(&f, "Red Room").await;
    let mut tx = f.app.store.begin().await.unwrap();
    let details = CentreDetails::parse("Northgate Centre", "3 Station Road", "Europe/London").unwrap();
    let north = tx
        .insert_centre(&f.app.seed_scope(Some(f.org.id)), f.org.id, &details)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let (status, elsewhere) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{north}/rooms"),
        json!({"name": "Far Room", "kind": "waiting_room"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{elsewhere}");
    let elsewhere = elsewhere["id"].as_str().unwrap().to_owned();

    let mut w = Walk::start(&f.app).await;
    w.sign_in("sam@riverside.example").await;
    w.goto(&format!("/bookings/{id}")).await;
    assert!(
        !w.present(&format!("form[action='/bookings/{id}/arrival']")).await,
        "a supervisor is not offered the choice"
    );
    w.sign_out().await;

    w.sign_in("jo@riverside.example").await;
    w.goto(&format!("/bookings/{id}")).await;
    assert!(
        w.present(&format!("#arrival-warning-{id}")).await,
        "the plan warns first"
    );
    w.axe("booking with its arrival choices").await;
    // A room not offered (a family room, as a stale or altered page might send): refused, named,
    // nothing set.
    w.set(&format!("#waits_in-{visiting} option[value='']"), &family).await;
    w.choose(&format!("entrance-{visiting}"), &side).await;
    w.choose(&format!("waits_in-{visiting}"), &family).await;
    w.submit(&format!(
        "form:has(input[name=party][value='{visiting}']) button[type=submit]"
    ))
    .await;
    w.sees("Choose one of the centre's waiting rooms").await;
    w.axe("booking with a refused arrival choice").await;
    assert!(w.present(&format!("#arrival-warning-{id}")).await, "nothing was set");
    // The refused form keeps the entrance chosen (its fields now carry the plain ids the error
    // summary links to).
    let kept = w
        .browser
        .client
        .execute("return document.getElementById('entrance').value", vec![])
        .await
        .unwrap();
    assert_eq!(kept, json!(side), "the entrance chosen is kept");
    // The side door and the waiting room: the plan shows them and no longer warns.
    w.choose("waits_in", &green).await;
    w.submit(&format!(
        "form:has(input[name=party][value='{visiting}']) button[type=submit]"
    ))
    .await;
    assert!(!w.present(".error-summary").await, "{}", w.text().await);
    let plan = w.text_of("main table").await;
    assert!(plan.contains("Side door") && plan.contains("Green Room"), "{plan}");
    assert!(
        !w.present(&format!("#arrival-warning-{id}")).await,
        "the warning is gone"
    );
    w.goto(&format!("/centres/{centre}/day-sheet?date={date}")).await;
    let sheet = w.text().await;
    assert!(sheet.contains("Side door") && sheet.contains("Green Room"), "{sheet}");
    assert!(!w.present(&format!("#arrival-warning-{id}")).await);
    w.sign_out().await;
    w.finish().await;

    // Through the API: another centre's room is refused and nothing changes.
    let (_, before) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/arrival"),
        json!({"party_id": visiting, "entrance_id": null, "waits_in": elsewhere, "version": before["booking"]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["fields"][0]["field"], "waits_in", "{body}");
    let (_, after) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
    assert_eq!(before, after, "nothing changed");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/arrival"),
        json!({"party_id": visiting, "entrance_id": null, "waits_in": null, "version": before["booking"]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    f.app.finish().await;
}
