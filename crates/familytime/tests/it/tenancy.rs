//! Centres and rooms: managed by administrators, seen by staff, invisible to other organisations,
//! and never overwritten by a stale change.

use crate::harness::{TestApp, json_of};
use familytime_domain::people::Role;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_manages_centres_and_rooms_through_the_api() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    app.api_login(&client, "admin@riverside.example").await;

    let (status, centre) = json_of(
        client
            .post(app.url("/api/v1/centres"))
            .json(&json!({"name": "Northgate", "address": "3 Station Road"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{centre}");
    assert_eq!(centre["time_zone"], "Europe/London", "the default zone");
    let id = centre["id"].as_str().unwrap().to_owned();

    let (status, dup) = json_of(
        client
            .post(app.url("/api/v1/centres"))
            .json(&json!({"name": "Northgate"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, dup["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("conflict"))
    );

    let (status, room) = json_of(
        client
            .post(app.url(&format!("/api/v1/centres/{id}/rooms")))
            .json(&json!({"name": "Hall", "kind": "hall", "capacity_families": 10}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{room}");
    let (status, bad) = json_of(
        client
            .post(app.url(&format!("/api/v1/centres/{id}/rooms")))
            .json(&json!({"name": "Tiny", "kind": "family_room", "capacity_families": 3}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad["error"]["fields"][0]["field"], "capacity_families");

    let (_, rooms) = json_of(
        client
            .get(app.url(&format!("/api/v1/centres/{id}/rooms")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(rooms.as_array().unwrap().len(), 1);

    // A change made from the current version lands; the same stale version again is refused.
    let change = json!({"name": "Northgate Family Centre", "address": "3 Station Road", "public_phone": null, "time_zone": "Europe/London", "version": centre["version"]});
    let (status, updated) = json_of(
        client
            .put(app.url(&format!("/api/v1/centres/{id}")))
            .json(&change)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(updated["version"], 2);
    let stale = json!({"name": "Overwritten", "address": null, "public_phone": null, "time_zone": "Europe/London", "version": 1});
    let (status, body) = json_of(
        client
            .put(app.url(&format!("/api/v1/centres/{id}")))
            .json(&stale)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (StatusCode::CONFLICT, Some("stale"))
    );
    let (_, now) = json_of(
        client
            .get(app.url(&format!("/api/v1/centres/{id}")))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(
        now["name"], "Northgate Family Centre",
        "the stale write changed nothing"
    );

    let room_id = room["id"].as_str().unwrap();
    let (status, room2) = json_of(
        client
            .put(app.url(&format!("/api/v1/rooms/{room_id}")))
            .json(&json!({"name": "Main Hall", "kind": "hall", "capacity_families": 12, "active": false, "version": 1}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{room2}");
    assert_eq!(
        (room2["capacity_families"].as_i64(), room2["active"].as_bool()),
        (Some(12), Some(false))
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_organisations_data_is_invisible() {
    let app = TestApp::spawn().await;
    let mine = app.seed_organisation("Riverside").await;
    let theirs = app.seed_organisation("Hillside").await;
    app.seed_user(&mine, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let their_user = app
        .seed_user(&theirs, Role::Coordinator, "coord@hillside.example")
        .await;
    let client = app.client();
    let csrf = app.page_login(&client, "admin@riverside.example").await;

    let (_, centres) = json_of(client.get(app.url("/api/v1/centres")).send().await.unwrap()).await;
    let names: Vec<&str> = centres
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    assert_eq!(names, ["Riverside Centre"]);
    let (_, users) = json_of(client.get(app.url("/api/v1/users")).send().await.unwrap()).await;
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["email"] != "coord@hillside.example")
    );

    let theirs_paths = [
        format!("/api/v1/centres/{}", theirs.centre),
        format!("/api/v1/centres/{}/rooms", theirs.centre),
        format!("/api/v1/users/{their_user}"),
        format!("/centres/{}", theirs.centre),
        format!("/centres/{}/edit", theirs.centre),
        format!("/rooms/{}", theirs.room),
        format!("/users/{their_user}"),
    ];
    for path in &theirs_paths {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::NOT_FOUND, "GET {path}");
        assert!(!r.text().await.unwrap().contains("Hillside"), "GET {path} leaks a name");
    }
    let writes = [
        client.put(app.url(&format!("/api/v1/centres/{}", theirs.centre))).json(&json!({"name": "Taken", "address": null, "public_phone": null, "time_zone": "Europe/London", "version": 1})),
        client.post(app.url(&format!("/api/v1/centres/{}/rooms", theirs.centre))).json(&json!({"name": "Mine", "kind": "hall"})),
        client.put(app.url(&format!("/api/v1/rooms/{}", theirs.room))).json(&json!({"name": "Mine", "kind": "hall", "capacity_families": 4, "active": true, "version": 1})),
        client.post(app.url(&format!("/api/v1/users/{their_user}/disable"))).json(&json!({})),
        client.put(app.url(&format!("/api/v1/users/{their_user}"))).json(&json!({"name": "X", "role": "parent", "centre_ids": [], "version": 1})),
        client.post(app.url(&format!("/centres/{}", theirs.centre))).form(&[("csrf_token", csrf.as_str()), ("name", "Taken"), ("version", "1")]),
        client.post(app.url(&format!("/users/{their_user}/disable"))).form(&[("csrf_token", csrf.as_str())]),
        client.post(app.url("/api/v1/users")).json(&json!({"email": "new@x.example", "name": "New", "role": "volunteer", "password": "lantern orchard pebble", "centre_ids": [theirs.centre.to_string()]})),
    ];
    for request in writes {
        let r = request.send().await.unwrap();
        assert!(
            matches!(r.status(), StatusCode::NOT_FOUND | StatusCode::UNPROCESSABLE_ENTITY),
            "write to another organisation: {}",
            r.status()
        );
    }
    let their_centre = app.store.centre(theirs.id, theirs.centre).await.unwrap();
    assert_eq!(
        (their_centre.name.as_str(), their_centre.version),
        ("Hillside Centre", 1)
    );
    assert!(!app.store.user(theirs.id, their_user).await.unwrap().disabled);
    assert_eq!(app.store.rooms(theirs.id, theirs.centre).await.unwrap().len(), 1);
    // Refusals are audited for the organisation that tried.
    let entries = app.store.audit_entries(mine.id, None, 200).await.unwrap();
    assert!(entries.iter().any(|e| e.outcome == "denied"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn staff_limited_to_a_centre_see_only_that_centre() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let admin = app.client();
    app.api_login(&admin, "admin@riverside.example").await;
    let (_, other) = json_of(
        admin
            .post(app.url("/api/v1/centres"))
            .json(&json!({"name": "Northgate"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let (status, vol) = json_of(
        admin
            .post(app.url("/api/v1/users"))
            .json(&json!({"email": "val@riverside.example", "name": "Val", "role": "volunteer", "password": "lantern orchard pebble", "centre_ids": [org.centre.to_string()]}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{vol}");
    let val = app.client();
    app.api_login(&val, "val@riverside.example").await;
    let (_, centres) = json_of(val.get(app.url("/api/v1/centres")).send().await.unwrap()).await;
    assert_eq!(centres.as_array().unwrap().len(), 1);
    let other_id = other["id"].as_str().unwrap();
    assert_eq!(
        val.get(app.url(&format!("/api/v1/centres/{other_id}")))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        val.get(app.url(&format!("/api/v1/centres/{}", org.centre)))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_centre_pages_show_errors_and_keep_what_was_typed() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let csrf = app.page_login(&client, "admin@riverside.example").await;
    let r = client
        .post(app.url("/centres"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", ""),
            ("address", "12 Kept Road"),
            ("time_zone", "Nowhere"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = r.text().await.unwrap();
    assert!(
        html.contains("There is a problem") && html.contains("Enter the centre&#39;s name")
            || html.contains("Enter the centre's name"),
        "{html}"
    );
    assert!(html.contains("12 Kept Road"), "what was typed is kept");
    assert!(html.contains("href=\"#time_zone\""), "the summary links to the field");

    // A stale edit from a second tab is refused and shown, and the first change stays.
    let edit_url = app.url(&format!("/centres/{}", org.centre));
    let first = client
        .post(&edit_url)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "First Change"),
            ("version", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::SEE_OTHER);
    let second = client
        .post(&edit_url)
        .form(&[("csrf_token", csrf.as_str()), ("name", "Second Tab"), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(second.status(), StatusCode::CONFLICT);
    let html = second.text().await.unwrap();
    assert!(
        html.contains("changed by someone else") && html.contains("Second Tab"),
        "refused, shown, and the typing kept"
    );
    assert_eq!(app.store.centre(org.id, org.centre).await.unwrap().name, "First Change");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_admin_adds_a_person_limited_to_a_centre_through_the_pages() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::OrganisationAdmin, "admin@riverside.example")
        .await;
    let client = app.client();
    let csrf = app.page_login(&client, "admin@riverside.example").await;
    let form = client
        .get(app.url("/users/new"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains(&org.centre.to_string()), "the centres are offered");

    let centre = org.centre.to_string();
    let bad = client
        .post(app.url("/users"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Maureen Doyle"),
            ("email", "not an email"),
            ("role", "volunteer"),
            ("how", "password"),
            ("password", "short"),
            ("centre_ids", centre.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    assert!(html.contains("Maureen Doyle") && html.contains("href=\"#email\"") && html.contains("href=\"#password\""));
    assert!(
        html.contains(&format!("value=\"{centre}\" checked")),
        "the ticked centre stays ticked"
    );

    let good = client
        .post(app.url("/users"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Maureen Doyle"),
            ("email", "maureen@riverside.example"),
            ("role", "volunteer"),
            ("how", "password"),
            ("password", "violet harbour compass"),
            ("centre_ids", centre.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(good.status(), StatusCode::SEE_OTHER);
    let (_, users) = json_of(client.get(app.url("/api/v1/users")).send().await.unwrap()).await;
    let maureen = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "maureen@riverside.example")
        .expect("added");
    assert_eq!(maureen["centre_ids"], json!([centre]));
    assert_eq!(maureen["role"], "volunteer");
    let dup = client
        .post(app.url("/users"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("name", "Someone Else"),
            ("email", "MAUREEN@riverside.example"),
            ("role", "parent"),
            ("password", "violet harbour compass"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        dup.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "one account per e-mail address, whatever its case"
    );
    app.finish().await;
}
