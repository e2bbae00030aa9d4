//! The parent's and the referrer's side in Welsh (issue 22, decision 0039): every page either can
//! reach, found from the route table (every GET route whose action the role holds, with real ids
//! from a fixture), in Welsh by `?lang=cy` and by the person's own choice, with no English
//! catalogue text left; the language chosen on the account page (saved, audited, used on the next
//! page); the organisation's languages, which a parent cannot reach; an adult's language on the
//! party form.

use crate::harness::{TestApp, csrf_in, follow};
use crate::records::{after_the_session, observation, ran_session};
use crate::schedule::{Fixture, ahead, booking, fixture, get, post};
use crate::welsh::{english_on, english_only_values, with_lang};
use familytime_domain::authz::{self, Actor, CentreScope, Object};
use familytime_domain::language::Lang;
use familytime_domain::people::Role;
use familytime_web::routes::route_table;
use reqwest::StatusCode;
use serde_json::json;
use std::collections::BTreeSet;

pub(crate) const PARENT: &str = "laura@example.com";
const REFERRER: &str = "ria@cafcass.example";

/// A case referred by a referrer, with a session run and another booked, money on the parent's
/// account (a charge, a deposit, a payment, an invoice) and a report released to both: everything
/// the parent's and the referrer's pages can show.
pub(crate) async fn world() -> Fixture {
    let f = fixture().await;
    for (item, amount) in [
        ("supervised_session", "147"),
        ("deposit", "100"),
        ("written_report", "51"),
    ] {
        let from = f.app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string();
        let (status, body) = post(
            &f.app,
            &f.admin,
            &format!("/api/v1/centres/{}/prices", f.org.centre),
            json!({"item": item, "amount": amount, "applies_from": from}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let ran = ran_session(&f, "supervised").await;
    let parent = f.app.seed_user(&f.org, Role::Parent, PARENT).await;
    after_the_session(&f, &ran).await;
    let (status, body) = json_put(
        &f,
        &format!("/api/v1/cases/{}/parties/{}/account", ran.case, ran.resident),
        json!({"user_id": parent, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/bookings", ran.case),
        booking(
            "supervised",
            &ahead(&f.app, 2),
            "10:00",
            &f.org.room.to_string(),
            &[&ran.sam_id],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let account = format!("party:{}", ran.resident);
    for entry in [
        json!({"kind": "charge", "item": "written_report", "account": account}),
        json!({"kind": "deposit", "account": account, "amount": "100", "method": "cash"}),
        json!({"kind": "payment", "account": account, "amount": "20", "method": "card"}),
    ] {
        let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/cases/{}/ledger", ran.case), entry).await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/invoices", ran.case),
        json!({"account": account}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    release_a_report(&f, &ran).await;
    f
}

async fn json_put(f: &Fixture, path: &str, body: serde_json::Value) -> (StatusCode, serde_json::Value) {
    crate::harness::json_of(f.jo.put(f.app.url(path)).json(&body).send().await.unwrap()).await
}

/// A signed session record, reported on, checked and released to the resident parent and the
/// referrer.
async fn release_a_report(f: &Fixture, ran: &crate::records::Ran) {
    let (_, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{}/observation", ran.booking),
        observation(0),
    )
    .await;
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, _) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert!(status.is_success(), "{status}");
    let (_, created) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "session", "title": "Adroddiad Mai", "records": [record]}),
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
    let (status, body) = json_put(
        f,
        &format!("/api/v1/cases/{}/distribution", ran.case),
        json!({"recipients": ["resident", "referrer"], "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["resident", "referrer"], "version": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
}

/// Every signed-in page route (GET, not the API, not the public site that `welsh.rs` walks) whose
/// action `role` holds.
fn routes_for(role: Role, f: &Fixture) -> Vec<&'static str> {
    let actor = Actor {
        user_id: familytime_domain::ids::UserId::new_v7(jiff::Timestamp::UNIX_EPOCH),
        organisation_id: f.org.id,
        role,
        centres: CentreScope::All,
    };
    route_table()
        .into_iter()
        .filter(|r| r.method == reqwest::Method::GET && !r.path.starts_with("/api/"))
        .filter(|r| !matches!(r.action, authz::Action::ViewPublic | authz::Action::SignIn))
        .filter(|r| authz::authorize(Some(&actor), r.action, &Object::Organisation(f.org.id)) == authz::Decision::Allow)
        .map(|r| r.path)
        .collect()
}

/// Whether a link on a page is an address of the route `pattern` (`/referrals/{id}`).
fn matches(pattern: &str, href: &str) -> bool {
    let (p, h): (Vec<&str>, Vec<&str>) = (pattern.split('/').collect(), href.split('/').collect());
    p.len() == h.len()
        && p.iter()
            .zip(&h)
            .all(|(p, h)| (p.starts_with('{') && !h.is_empty()) || p == h)
}

/// The links on a page (their paths, without query or fragment).
fn hrefs(html: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .map(|h| h.split(['?', '#']).next().unwrap_or_default().to_owned())
        .filter(|h| h.starts_with('/'))
        .collect()
}

/// The addresses of every page a role reaches: routes without ids first, then each route with ids
/// at an address one of those pages links to (a route no page links to fails: give the fixture one).
async fn addresses(f: &Fixture, client: &reqwest::Client, role: Role) -> Vec<String> {
    let routes = routes_for(role, f);
    let (plain, with_ids): (Vec<&str>, Vec<&str>) = routes.iter().partition(|p| !p.contains('{'));
    let mut seen = BTreeSet::new();
    for path in &plain {
        let html = client.get(f.app.url(path)).send().await.unwrap().text().await.unwrap();
        seen.extend(hrefs(&html));
    }
    let mut out: Vec<String> = plain.iter().map(|p| (*p).to_owned()).collect();
    for pattern in with_ids {
        let found = seen.iter().find(|h| matches(pattern, h));
        out.push(
            found
                .unwrap_or_else(|| panic!("no page of the {role:?} links to {pattern}: give the fixture one"))
                .clone(),
        );
    }
    out
}

/// Fetches every page and checks it is in Welsh: `<html lang="cy">`, no English catalogue text.
/// PDFs (receipts, statements, reports) are the letters' own tests' business; here they must open.
async fn all_welsh(f: &Fixture, client: &reqwest::Client, pages: &[String], how: &str, ask: bool) -> usize {
    let english = english_only_values();
    let mut html_pages = 0;
    for page in pages {
        let url = if ask { with_lang(page, "cy") } else { page.clone() };
        let r = client.get(f.app.url(&url)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{page} by {how}");
        let html = r
            .headers()
            .get("content-type")
            .is_some_and(|c| c.to_str().unwrap_or_default().starts_with("text/html"));
        let body = r.text().await.unwrap();
        if !html {
            continue;
        }
        html_pages += 1;
        assert!(
            body.contains("<html lang=\"cy\">"),
            "{page} by {how} is not marked Welsh"
        );
        assert_eq!(
            english_on(&body, &english),
            Vec::<String>::new(),
            "{page} by {how}: English left"
        );
    }
    html_pages
}

async fn signed_in(app: &TestApp, email: &str) -> reqwest::Client {
    let client = app.client();
    app.api_login(&client, email).await;
    client
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_every_page_a_parent_or_a_referrer_reaches_is_in_welsh_by_address_and_by_their_choice() {
    let f = world().await;
    let english = english_only_values();
    for (role, email, must_reach) in [
        (
            Role::Parent,
            PARENT,
            &["/my-account", "/my-reports", "/account", "/home"][..],
        ),
        (
            Role::Referrer,
            REFERRER,
            &["/referrals", "/referrals/new", "/my-reports", "/account"][..],
        ),
    ] {
        let client = signed_in(&f.app, email).await;
        let pages = addresses(&f, &client, role).await;
        for page in must_reach {
            assert!(pages.iter().any(|p| p == page), "the walk reaches {page}: {pages:?}");
        }
        assert!(
            pages.iter().any(|p| p.matches('/').count() > 1),
            "pages with ids too: {pages:?}"
        );

        // In English first (no choice yet): the check below can fail.
        for page in &pages {
            let r = client.get(f.app.url(page)).send().await.unwrap();
            if r.headers()
                .get("content-type")
                .is_some_and(|c| c.as_bytes().starts_with(b"text/html"))
            {
                let body = r.text().await.unwrap();
                assert!(body.contains("<html lang=\"en-GB\">"), "{page}");
                assert!(
                    !english_on(&body, &english).is_empty(),
                    "{page} in English shows English"
                );
            }
        }
        let walked = all_welsh(&f, &client, &pages, "?lang=cy", true).await;
        assert!(walked >= 4, "{role:?}: {walked} pages");

        // By their own choice: saved on the account page, then a new browser (no cookie) signed in.
        let csrf = f.app.page_login(&client, email).await;
        let r = client
            .post(f.app.url("/account/language"))
            .form(&[("csrf_token", csrf.as_str()), ("language", "cy")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::SEE_OTHER);
        let fresh = signed_in(&f.app, email).await;
        all_welsh(&f, &fresh, &pages, "their own choice", false).await;
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_the_language_chosen_on_the_account_page_is_saved_audited_and_used_next() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Canolfan Glan-yr-Afon").await;
    let parent = app.seed_user(&org, Role::Parent, PARENT).await;
    let client = app.client();
    let csrf = app.page_login(&client, PARENT).await;
    let account = client
        .get(app.url("/account"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(account.contains("<html lang=\"en-GB\">"));
    assert!(account.contains("value=\"default\" checked"), "nothing chosen yet");

    let choose = |language: &'static str| {
        client
            .post(app.url("/account/language"))
            .form(&[("csrf_token", csrf.as_str()), ("language", language)])
            .send()
    };
    // Cymraeg: the next page (the account page, where the browser lands) is Welsh and says so.
    let r = follow(&app, &client, choose("cy").await.unwrap()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.url().as_str().contains("done=language"));
    let body = r.text().await.unwrap().replace("&#39;", "'");
    assert!(body.contains("<html lang=\"cy\">"), "{body}");
    assert!(body.contains("Mae eich iaith wedi'i chadw."), "confirmed on the page");
    assert!(body.contains("value=\"cy\" checked"));
    let user = app.store.user(org.id, parent).await.unwrap();
    assert_eq!(user.preferred_language, Some(Lang::Cy));
    let audit = app.store.audit_entries(org.id, None, 100).await.unwrap();
    assert!(
        audit
            .iter()
            .any(|e| e.action == "user.language" && e.object_id.as_deref() == Some(parent.to_string().as_str())),
        "the choice is audited"
    );
    // The choice beats the browser's English, on every page, in a new browser too.
    let other = app.client();
    app.api_login(&other, PARENT).await;
    let r = other
        .get(app.url("/home"))
        .header("accept-language", "en-GB,en")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"cy\">"));

    // An unknown code is no error: the organisation's default (English here) is saved.
    let r = follow(&app, &client, choose("fr").await.unwrap()).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.store.user(org.id, parent).await.unwrap().preferred_language, None);
    let body = r.text().await.unwrap();
    assert!(body.contains("<html lang=\"en-GB\">"));
    assert!(body.contains("value=\"default\" checked"));

    // With no choice and a browser asking for neither language, the organisation's default decides.
    let admin_scope = app.seed_scope(Some(org.id));
    app.store
        .set_language_policy(
            &admin_scope,
            org.id,
            familytime_domain::language::LanguagePolicy {
                default: Lang::Cy,
                bilingual_letters: false,
            },
        )
        .await
        .unwrap();
    let fresh = app.client();
    app.api_login(&fresh, PARENT).await;
    let r = fresh
        .get(app.url("/home"))
        .header("accept-language", "fr")
        .send()
        .await
        .unwrap();
    assert!(r.text().await.unwrap().contains("<html lang=\"cy\">"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_an_administrator_sets_the_organisations_languages_and_a_parent_cannot() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Canolfan Glan-yr-Afon").await;
    app.seed_user(&org, Role::OrganisationAdmin, "ade@glan.example").await;
    app.seed_user(&org, Role::Parent, PARENT).await;
    let admin = app.client();
    let csrf = app.page_login(&admin, "ade@glan.example").await;
    let page = admin.get(app.url("/settings/languages")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("value=\"en\" checked"));
    let home = admin.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
    assert!(
        home.contains("href=\"/settings/languages\""),
        "offered to the administrator"
    );

    let r = admin
        .post(app.url("/settings/languages"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("default", "cy"),
            ("bilingual_letters", "yes"),
        ])
        .send()
        .await
        .unwrap();
    let r = follow(&app, &admin, r).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body = r.text().await.unwrap();
    assert!(
        body.contains("value=\"cy\" checked")
            && body.contains(
                "id=\"bilingual_letters\" name=\"bilingual_letters\" type=\"checkbox\" value=\"yes\" checked"
            )
    );
    let policy = app.store.language_policy(org.id).await.unwrap();
    assert_eq!((policy.default, policy.bilingual_letters), (Lang::Cy, true));
    let audit = app.store.audit_entries(org.id, None, 100).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "organisation.languages"));

    // An unknown default keeps the one there is; nothing fails.
    let r = admin
        .post(app.url("/settings/languages"))
        .form(&[("csrf_token", csrf.as_str()), ("default", "xx")])
        .send()
        .await
        .unwrap();
    let r = follow(&app, &admin, r).await;
    assert_eq!(r.status(), StatusCode::OK);
    let policy = app.store.language_policy(org.id).await.unwrap();
    assert_eq!((policy.default, policy.bilingual_letters), (Lang::Cy, false));

    // A parent is refused the page and the change, and is not offered it.
    let parent = app.client();
    let csrf = app.page_login(&parent, PARENT).await;
    let r = parent.get(app.url("/settings/languages")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = parent
        .post(app.url("/settings/languages"))
        .form(&[("csrf_token", csrf.as_str()), ("default", "en")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.store.language_policy(org.id).await.unwrap().default, Lang::Cy);
    let home = parent.get(app.url("/home")).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains("/settings/languages"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_staff_record_the_language_an_adult_reads_on_the_party_form() {
    let f = fixture().await;
    let (case, resident, _) = crate::schedule::accepted_case(&f, "Price").await;
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let path = format!("/cases/{case}/parties/{resident}");
    let form = f.jo.get(f.app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("name=\"reads_in\" type=\"radio\" value=\"default\" checked"));
    let version = form
        .split("name=\"version\" value=\"")
        .nth(1)
        .and_then(|v| v.split('"').next())
        .unwrap()
        .to_owned();
    let r =
        f.jo.post(f.app.url(&path))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("version", version.as_str()),
                ("name", "Laura Price"),
                ("parental_responsibility", "yes"),
                ("reads_in", "cy"),
            ])
            .send()
            .await
            .unwrap();
    let r = follow(&f.app, &f.jo, r).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        f.app.store.party_language(f.org.id, &resident).await.unwrap(),
        Some(Lang::Cy)
    );
    let form = f.jo.get(f.app.url(&path)).send().await.unwrap().text().await.unwrap();
    assert!(form.contains("name=\"reads_in\" type=\"radio\" value=\"cy\" checked"));
    let audit = f.app.store.audit_entries(f.org.id, None, 200).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "party.language"));
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}")).await;
    assert!(file.to_string().contains(&resident));
    assert!(csrf_in(&form).is_some());
    f.app.finish().await;
}

/// Posts a form from a page opened in Welsh (the cookie then keeps the language).
async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    path: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let r = client.post(app.url(path)).form(fields).send().await.unwrap();
    (r.status(), r.text().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_self_referral_and_own_part_errors_and_what_happens_next_are_in_welsh() {
    let f = fixture().await;
    let english = english_only_values();
    let centre = f.org.centre.to_string();

    // Refer yourself, in Welsh: the errors, then what happens next.
    let laura = f.app.client();
    let form = laura
        .get(f.app.url("/self-referral?lang=cy"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = csrf_in(&form).unwrap();
    let (status, body) = post_form(
        &f.app,
        &laura,
        "/self-referral",
        &[("csrf_token", &csrf), ("centre_id", &centre)],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let body = body.replace("&#39;", "'");
    assert!(body.contains("Rhowch eich enw llawn"), "{body}");
    assert!(body.contains("Dywedwch a yw'r plant yn byw gyda chi"));
    assert_eq!(english_on(&body, &english), Vec::<String>::new());
    let (status, body) = post_form(
        &f.app,
        &laura,
        "/self-referral",
        &[
            ("csrf_token", &csrf),
            ("centre_id", &centre),
            ("your_role", "resident"),
            ("your_name", "Laura Price"),
            ("your_email", "laura@example.com"),
            ("child1_name", "Mia Price"),
            ("child1_dob", "2019-03-27"),
            ("other_name", "Daniel Price"),
            ("consent", "yes"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let body = body.replace("&#39;", "'");
    assert!(body.contains("<html lang=\"cy\">"));
    assert!(body.contains("Bydd y ganolfan yn anfon e-bost atoch"), "{body}");
    assert!(body.contains("Byddant yn gofyn i chi sut i gysylltu â'r rhiant arall"));
    assert_eq!(english_on(&body, &english), Vec::<String>::new());

    // The other parent's own part, through the link staff make, in Welsh.
    let (case, _, visiting) = crate::schedule::accepted_case(&f, "Price").await;
    let staff_csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let page =
        f.jo.post(f.app.url(&format!("/cases/{case}/invites")))
            .form(&[("csrf_token", staff_csrf.as_str()), ("invite_party", visiting.as_str())])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    let at = page.find("/self-referral/").expect("the link is shown once");
    let path: String = page[at..].chars().take_while(|c| *c != '<' && *c != '"').collect();
    let dan = f.app.client();
    let form = dan
        .get(f.app.url(&with_lang(&path, "cy")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("<html lang=\"cy\">") && form.contains("Daniel Price, rhowch eich ochr chi"));
    assert_eq!(english_on(&form, &english), Vec::<String>::new());
    let csrf = csrf_in(&form).unwrap();
    let (status, body) = post_form(&f.app, &dan, &path, &[("csrf_token", &csrf)]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.replace("&#39;", "'")
            .contains("Cadarnhewch y cawn ddefnyddio'r hyn a ddywedwch wrthym")
    );
    assert_eq!(english_on(&body, &english), Vec::<String>::new());
    let (status, body) = post_form(&f.app, &dan, &path, &[("csrf_token", &csrf), ("consent", "yes")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Bydd y ganolfan yn cysylltu â chi i siarad am y peth"));
    assert_eq!(english_on(&body, &english), Vec::<String>::new());
    f.app.finish().await;
}
