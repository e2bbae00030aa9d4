//! Self-referral: a parent refers themself on the public form; the other parent gives their own part
//! through a one-time link the centre sends; neither ever sees what the other wrote.

use crate::harness::{TestApp, csrf_in, json_of};
use familytime_domain::people::Role;
use reqwest::StatusCode;

const FIRST_SECRET: &str = "4 Secret Lane, SELFREF-CANARY-1";
const FIRST_SAFETY: &str = "He followed me home in June (SAFETY-NOTE-1)";
const SECOND_SECRET: &str = "77 Other Road, SELFREF-CANARY-2";

async fn public_form(app: &TestApp, client: &reqwest::Client, path: &str) -> String {
    let page = client.get(app.url(path)).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK, "{path}");
    csrf_in(&page.text().await.unwrap()).expect("the form carries a CSRF token")
}

fn first_part(csrf: &str, centre: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf_token", csrf.to_owned()),
        ("centre_id", centre.to_owned()),
        ("your_role", "resident".into()),
        ("your_name", "Laura Price".into()),
        ("your_relationship", "Mother".into()),
        ("your_address", FIRST_SECRET.into()),
        ("your_phone", "07700 900555".into()),
        ("keep_hidden", "yes".into()),
        ("child1_name", "Mia Price".into()),
        ("child1_dob", "2019-03-27".into()),
        ("other_name", "Daniel Price".into()),
        ("other_relationship", "Father".into()),
        ("safety", FIRST_SAFETY.into()),
        ("consent", "yes".into()),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn each_parent_gives_their_own_part_and_never_sees_the_others() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let jo_id = app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let laura = app.client();
    let csrf = public_form(&app, &laura, "/self-referral").await;

    let incomplete = laura
        .post(app.url("/self-referral"))
        .form(&[("csrf_token", csrf.as_str()), ("centre_id", &org.centre.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(incomplete.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(incomplete.text().await.unwrap().contains("There is a problem"));
    assert!(
        app.store.cases(org.id, None, None).await.unwrap().is_empty(),
        "nothing stored"
    );

    let sent = laura
        .post(app.url("/self-referral"))
        .form(&first_part(&csrf, &org.centre.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    let thanks = sent.text().await.unwrap();
    assert!(thanks.contains("Your reference is"), "{thanks}");
    let cases = app.store.cases(org.id, None, None).await.unwrap();
    assert_eq!(cases.len(), 1);
    assert_eq!(cases[0].source.as_str(), "self_referral");
    let case = cases[0].id.to_string();

    // The coordinator makes Daniel's one-time link.
    let jo = app.client();
    let staff_csrf = app.page_login(&jo, "jo@riverside.example").await;
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{case}"))).send().await.unwrap()).await;
    let daniel = file["adults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "Daniel Price")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let page = jo
        .post(app.url(&format!("/cases/{case}/invites")))
        .form(&[("csrf_token", staff_csrf.as_str()), ("invite_party", daniel.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page.find("/self-referral/").expect("the link is shown once");
    let path: String = page[at..].chars().take_while(|c| *c != '<' && *c != '"').collect();

    // Daniel opens it: nothing of Laura's part is there.
    let dan = app.client();
    let form = dan.get(app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("Daniel Price"));
    for secret in ["SELFREF-CANARY-1", "SAFETY-NOTE-1", "07700 900555"] {
        assert!(!form.contains(secret), "Daniel's form shows {secret}");
    }
    let csrf = csrf_in(&form).unwrap();
    let no_consent = dan
        .post(app.url(&path))
        .form(&[("csrf_token", csrf.as_str()), ("address", SECOND_SECRET)])
        .send()
        .await
        .unwrap();
    assert_eq!(no_consent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let given = dan
        .post(app.url(&path))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("address", SECOND_SECRET),
            ("keep_hidden", "yes"),
            ("availability", "Saturdays"),
            ("safety", "I want to see my daughter"),
            ("consent", "yes"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(given.status(), StatusCode::OK);
    let thanks = given.text().await.unwrap();
    assert!(!thanks.contains("SELFREF-CANARY-1") && !thanks.contains("SAFETY-NOTE-1"));
    assert_eq!(
        dan.get(app.url(&path)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND,
        "the link works once"
    );

    // The staff named for the case see both parts, each hidden from the other parent.
    app.name_for_case(&org, &case, jo_id, false).await;
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{case}"))).send().await.unwrap()).await;
    let contacts = file["contacts"].as_array().unwrap();
    let hidden_from = |value: &str| {
        contacts
            .iter()
            .find(|c| c["value"].as_str().is_some_and(|v| v.contains(value)))
            .unwrap()["hidden_from"]
            .clone()
    };
    assert_eq!(hidden_from("SELFREF-CANARY-1"), serde_json::json!(["Daniel Price"]));
    assert_eq!(hidden_from("SELFREF-CANARY-2"), serde_json::json!(["Laura Price"]));
    let page = jo
        .get(app.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("I want to see my daughter") && page.contains("Their own part"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_public_form_is_limited_per_address() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let client = app.client();
    let csrf = public_form(&app, &client, "/self-referral").await;
    for _ in 0..5 {
        let r = client
            .post(app.url("/self-referral"))
            .form(&first_part(&csrf, &org.centre.to_string()))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
    }
    let r = client
        .post(app.url("/self-referral"))
        .form(&first_part(&csrf, &org.centre.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.store.cases(org.id, None, None).await.unwrap().len(), 5);
    app.clock.advance(jiff::SignedDuration::from_mins(61));
    let r = client
        .post(app.url("/self-referral"))
        .form(&first_part(&csrf, &org.centre.to_string()))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK, "an hour later it works again");
    app.finish().await;
}

/// The other parent's phone and address, as the parent who refers themself gives them, are
/// confidential contact details (issue 30): kept through the confidential type, so never in the audit
/// log; shown on the case to the centre's staff; on no page anyone else can reach, signed in or not.
#[tokio::test(flavor = "multi_thread")]
async fn canary_the_other_parents_details_from_a_self_referral_reach_only_the_centre() {
    const OTHER: &str = "OTHER-CANARY-5";
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    app.seed_user(&org, Role::Volunteer, "val@riverside.example").await;
    let parent = app.seed_user(&org, Role::Parent, "laura@example.org").await;
    let laura = app.client();
    let csrf = public_form(&app, &laura, "/self-referral").await;
    let mut form = first_part(&csrf, &org.centre.to_string());
    form.push(("other_phone", format!("07700 {OTHER}")));
    form.push(("other_address", format!("5 {OTHER} Road")));
    let sent = laura.post(app.url("/self-referral")).form(&form).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(
        !sent.text().await.unwrap().contains(OTHER),
        "not echoed on the thanks page"
    );
    let cases = app.store.cases(org.id, None, None).await.unwrap();
    let case = cases[0].id.to_string();
    let file = app.store.case(org.id, cases[0].id).await.unwrap();
    let daniel = file.parties.iter().find(|p| p.name == "Daniel Price").unwrap();
    let theirs: Vec<_> = file.contacts.iter().filter(|c| c.party_id == Some(daniel.id)).collect();
    assert_eq!(theirs.len(), 2, "a phone and an address, as Daniel's own details");
    assert!(
        theirs.iter().all(|c| !format!("{c:?}").contains(OTHER)),
        "held as confidential: never in debug output"
    );

    // The control: the coordinator sees them on the case, as Daniel's.
    let jo = app.client();
    app.page_login(&jo, "jo@riverside.example").await;
    let page = jo
        .get(app.url(&format!("/cases/{case}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("07700 {OTHER}")), "the canary is really there");
    let (_, api) = json_of(jo.get(app.url(&format!("/api/v1/cases/{case}"))).send().await.unwrap()).await;
    assert!(
        api["contacts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["owner"] == "Daniel Price" && c["value"].as_str().is_some_and(|v| v.contains(OTHER)))
    );

    let paths = crate::referrals::reachable_paths(&org, &case, &parent.to_string(), &daniel.id.to_string());
    let anonymous = app.client();
    let mut clients = vec![("a visitor", anonymous)];
    for who in ["fca@cafcass.example", "val@riverside.example", "laura@example.org"] {
        let client = app.client();
        app.api_login(&client, who).await;
        clients.push((who, client));
    }
    for (who, client) in &clients {
        for path in &paths {
            let body = client.get(app.url(path)).send().await.unwrap().text().await.unwrap();
            assert!(!body.contains(OTHER), "{who} saw the other parent's details at {path}");
        }
    }
    let entries = app.store.audit_entries(org.id, None, 500).await.unwrap();
    assert!(entries.iter().all(|e| !format!("{e:?}").contains(OTHER)));
    app.finish().await;
}
