//! The last small items of issue 30: pages link to what their reader may open (the case's reports
//! for the safeguarding lead; a pre-visit's booking back to its pre-visit and case), and the API
//! carries the centre's phone number for families as the page does. The setup goes through the API;
//! what is under test is the page (read as served) or the API itself.

use crate::schedule::{Fixture, accepted_case, ahead, fixture, get, post, supervisor};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::json;

/// A page as served to `client`.
async fn page(f: &Fixture, client: &reqwest::Client, path: &str) -> String {
    let answer = client.get(f.app.url(path)).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "GET {path}");
    answer.text().await.unwrap()
}

/// The safeguarding lead reads a case's reports (the reports page authorises ViewCases on the case),
/// so the case page links to them; a volunteer, who reads neither, is not linked.
#[tokio::test(flavor = "multi_thread")]
async fn case_page_links_the_safeguarding_lead_to_the_reports_she_may_read() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Price").await;
    f.app
        .seed_user(&f.org, Role::SafeguardingLead, "lee@riverside.example")
        .await;
    let lee = f.app.client();
    f.app.page_login(&lee, "lee@riverside.example").await;
    let link = format!("href=\"/cases/{case}/reports\"");
    assert!(
        page(&f, &lee, &format!("/cases/{case}")).await.contains(&link),
        "the lead is linked to the case's reports"
    );
    // The link leads to a page she may open.
    page(&f, &lee, &format!("/cases/{case}/reports")).await;
    assert!(page(&f, &f.jo, &format!("/cases/{case}")).await.contains(&link));
    f.app.finish().await;
}

/// A pre-visit's booking page leads back to the pre-visit's record and its case, for those who keep
/// pre-visit records; a supervisor (who does not) sees the booking without the pre-visit link.
#[tokio::test(flavor = "multi_thread")]
async fn pre_visit_booking_page_links_back_to_its_pre_visit_and_case() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, _) = accepted_case(&f, "Price").await;
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/pre-visits"),
        json!({"party_id": resident, "date": ahead(&f.app, 1), "time": "10:00",
               "room_id": f.org.room.to_string(), "staff": [sam]}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    let visit = &file["pre_visits"][0];
    let (id, booking) = (visit["id"].as_str().unwrap(), visit["booking_id"].as_str().unwrap());

    let html = page(&f, &f.jo, &format!("/bookings/{booking}")).await;
    assert!(
        html.contains(&format!("href=\"/pre-visits/{id}\"")),
        "the booking links to its pre-visit: {html}"
    );
    assert!(html.contains(&format!("href=\"/cases/{case}\"")), "and to its case");
    let sam_client = f.app.client();
    f.app.page_login(&sam_client, "sam@riverside.example").await;
    let html = page(&f, &sam_client, &format!("/bookings/{booking}")).await;
    assert!(
        !html.contains("href=\"/pre-visits/"),
        "no link to a page the supervisor may not open"
    );
    f.app.finish().await;
}

/// The API's centre requests carry the phone number for families: set on create, shown when read,
/// changed and cleared by a PUT (which must send it, as every field of a PUT), and shown on /refer.
#[tokio::test(flavor = "multi_thread")]
async fn api_centre_requests_carry_the_public_phone() {
    let f = fixture().await;
    let (status, centre) = post(
        &f.app,
        &f.admin,
        "/api/v1/centres",
        json!({"name": "Hillside", "address": "2 Hill Road", "public_phone": "0161 496 0123"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{centre}");
    assert_eq!(centre["public_phone"], "0161 496 0123");
    let id = centre["id"].as_str().unwrap().to_owned();
    let public = f.app.client();
    let refer = public
        .get(f.app.url("/refer"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(refer.contains("0161 496 0123"), "/refer gives the number");

    let put = |phone: serde_json::Value, version: &serde_json::Value| {
        json!({"name": "Hillside", "address": "2 Hill Road", "public_phone": phone,
               "time_zone": "Europe/London", "version": version})
    };
    let answer = f
        .admin
        .put(f.app.url(&format!("/api/v1/centres/{id}")))
        .json(&put(json!("0161 496 0999"), &centre["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let (_, now) = get(&f.app, &f.admin, &format!("/api/v1/centres/{id}")).await;
    assert_eq!(now["public_phone"], "0161 496 0999");

    // Left out of a PUT: refused, nothing changed.
    let mut without = put(json!(null), &now["version"]);
    without.as_object_mut().unwrap().remove("public_phone");
    let answer = f
        .admin
        .put(f.app.url(&format!("/api/v1/centres/{id}")))
        .json(&without)
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let answer = f
        .admin
        .put(f.app.url(&format!("/api/v1/centres/{id}")))
        .json(&put(json!(null), &now["version"]))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::OK);
    let (_, cleared) = get(&f.app, &f.admin, &format!("/api/v1/centres/{id}")).await;
    assert!(cleared["public_phone"].is_null(), "{cleared}");
    f.app.finish().await;
}
