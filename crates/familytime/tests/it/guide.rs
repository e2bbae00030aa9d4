//! The public information pages: each answers signed out with its heading, the "which service do I
//! need?" checklist gives its three answers with the reasons, missing or junk answers bring the form
//! back with an error summary (never a 5xx), and the prices are shown in pounds.

use crate::harness::TestApp;
use familytime_domain::checklist::QUESTIONS;
use familytime_domain::people::Role;
use reqwest::StatusCode;

/// A checklist query answering every question `rest`, except the fields given.
fn answered(rest: &str, given: &[(&str, &str)]) -> String {
    let mut query = form_query(&[("answered", "yes")]);
    for q in &QUESTIONS {
        let value = given
            .iter()
            .find(|(field, _)| *field == q.field)
            .map(|(_, v)| *v)
            .unwrap_or(rest);
        query.push_str(&format!("&{}={}", q.field, value));
    }
    format!("/which-service?{query}")
}

fn form_query(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

async fn get(app: &TestApp, path: &str) -> (StatusCode, String) {
    let r = reqwest::get(app.url(path)).await.expect("request");
    let status = r.status();
    (status, r.text().await.expect("body"))
}

const PAGES: [(&str, &str); 5] = [
    ("/services", "Our services"),
    ("/which-service", "Which service do I need?"),
    ("/refer", "How to be referred"),
    ("/prices", "Prices"),
    ("/jargon-buster", "Jargon buster"),
];

#[tokio::test(flavor = "multi_thread")]
async fn every_guide_page_answers_signed_out_with_its_heading() {
    let app = TestApp::spawn().await;
    for (path, heading) in PAGES {
        let r = reqwest::get(app.url(path)).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers().get("cache-control").unwrap(), "no-store", "{path}");
        let body = r.text().await.unwrap();
        assert!(
            body.contains(&format!("<h1 class=\"heading-l\">{heading}</h1>")),
            "{path} lacks its heading"
        );
        assert!(!body.contains("<script"), "{path}: no JavaScript");
        assert!(!body.contains("style=\""), "{path}: no inline styles (CSP)");
        // The footer links every guide page from every page.
        for (other, _) in PAGES {
            assert!(
                body.contains(&format!("href=\"{other}\"")),
                "{path} does not link {other}"
            );
        }
    }
    // The referral page points to the online self-referral form, which answers.
    let (_, refer) = get(&app, "/refer").await;
    assert!(refer.contains("href=\"/self-referral\""));
    assert!(refer.contains("contact the centre"));
    assert_eq!(get(&app, "/self-referral").await.0, StatusCode::OK);
    let (status, index) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    for (path, _) in PAGES {
        assert!(
            index.contains(&format!("<a href=\"{path}\">")),
            "the start page links {path}"
        );
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn guide_pages_keep_a_signed_in_visitors_menu() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Parent, "parent@riverside.example").await;
    let client = app.client();
    app.page_login(&client, "parent@riverside.example").await;
    for (path, heading) in PAGES {
        let r = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let body = r.text().await.unwrap();
        assert!(body.contains(heading), "{path}");
        assert!(body.contains("Sign out"), "{path}: signed in, the menu stays");
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_services_and_jargon_pages_cover_the_domain() {
    let app = TestApp::spawn().await;
    let (_, services) = get(&app, "/services").await;
    for name in [
        "Supported contact",
        "Supervised contact",
        "Handover",
        "Virtual contact",
        "Indirect contact (letterbox)",
        "Community contact",
        "Preparatory sessions",
        "Life story work",
        "Who it suits",
    ] {
        assert!(services.contains(name), "/services lacks {name}");
    }
    let (_, jargon) = get(&app, "/jargon-buster").await;
    let mut last = 0;
    for term in [
        "C8",
        "Cafcass",
        "CAO (child arrangements order)",
        "DSL (Designated Safeguarding Lead)",
        "Handover",
        "Non-resident parent (NRP)",
        "Pre-visit",
        "Resident parent (RP)",
        "Supervised contact",
        "Supported contact",
    ] {
        let at = jargon
            .find(&format!(">{term}</dt>"))
            .unwrap_or_else(|| panic!("jargon buster lacks {term}"));
        assert!(at > last, "{term} is out of alphabetical order");
        last = at;
    }
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checklist_form_has_a_legend_and_labelled_radios_for_every_question() {
    let app = TestApp::spawn().await;
    let (status, body) = get(&app, "/which-service").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("method=\"get\""), "a GET form: nothing is stored");
    assert!(!body.contains("csrf_token"), "a GET form carries no token");
    assert!(!body.contains("error-summary"), "no errors before the form is sent");
    assert_eq!(body.matches("<legend").count(), QUESTIONS.len());
    for q in &QUESTIONS {
        assert!(
            body.contains(&format!("id=\"{}\" name=\"{}\"", q.field, q.field)),
            "{}",
            q.field
        );
        assert!(body.contains(&format!("for=\"{}\"", q.field)), "{}", q.field);
    }
    assert_eq!(body.matches("type=\"radio\"").count(), QUESTIONS.len() * 3);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_checklist_suggests_supported_supervised_or_talk_to_us_and_says_why() {
    let app = TestApp::spawn().await;

    let (status, body) = get(&app, &answered("no", &[])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Supported contact may suit your family"), "{body}");
    assert!(body.contains("You answered no to every question"));

    let (status, body) = get(&app, &answered("no", &[("court-order", "yes")])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Supervised contact is likely to be needed"));
    assert!(body.contains("A court order says contact must be supervised"));

    let (_, body) = get(&app, &answered("no", &[("abduction", "yes")])).await;
    assert!(body.contains("Supervised contact is likely to be needed"));
    assert!(body.contains("Supported centres cannot take families"));

    let (_, body) = get(&app, &answered("no", &[("drugs-alcohol", "yes"), ("conflict", "yes")])).await;
    assert!(body.contains("Supervised contact is likely to be needed"));
    assert!(body.contains("You answered yes to 2 questions"));

    let (status, body) = get(&app, &answered("no", &[("abuse", "not-sure")])).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Talk to us before you choose"));
    assert!(body.contains("You did not know whether there has been domestic abuse"));

    // A definite reason outweighs "I do not know".
    let (_, body) = get(&app, &answered("not-sure", &[("long-gap", "yes")])).await;
    assert!(body.contains("Supervised contact is likely to be needed"));

    // "Change your answers" reopens the form with the answers ticked.
    let (_, body) = get(&app, &answered("no", &[("harm", "yes")])).await;
    let change = body
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with("/which-service?change"))
        .expect("a change link")
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    let (status, form) = get(&app, &change).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("<form method=\"get\""));
    assert!(form.contains("id=\"harm\" name=\"harm\" type=\"radio\" value=\"yes\" checked"));
    assert!(form.contains("id=\"abuse-no\" name=\"abuse\" type=\"radio\" value=\"no\" checked"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn unanswered_questions_show_the_error_summary_with_links() {
    let app = TestApp::spawn().await;
    // Sent with nothing ticked.
    let (status, body) = get(&app, "/which-service?answered=yes").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("<title>Error: "));
    assert!(body.contains("There is a problem"));
    assert!(body.contains("Answer every question"));
    for q in &QUESTIONS {
        assert!(
            body.contains(&format!("<a href=\"#{}\">{}</a>", q.field, q.missing)),
            "{}",
            q.field
        );
        assert!(body.contains(&format!("id=\"{}-error\"", q.field)));
    }
    // Some answered: only the rest are asked for, and the answers given stay ticked.
    let (status, body) = get(&app, "/which-service?court-order=yes&abuse=no").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(!body.contains("href=\"#court-order\""));
    assert!(!body.contains("href=\"#abuse\""));
    assert!(body.contains("href=\"#harm\""));
    assert!(body.contains("value=\"yes\" checked"));
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn junk_checklist_answers_never_cause_an_error_page() {
    let app = TestApp::spawn().await;
    let everything_else = answered("no", &[]);
    let rest = everything_else.trim_start_matches("/which-service?");
    for query in [
        "court-order=maybe".to_owned(),
        "court-order=%FF%FE%00".to_owned(),
        "court-order=yes&court-order=no".to_owned(),
        "%3Cscript%3E=%3Cscript%3Ealert(1)%3C/script%3E&answered=1".to_owned(),
        "court-order".to_owned(),
        "=&&&=&".to_owned(),
        "answered=yes&court-order=%E2%80%AEyes".to_owned(),
        format!("{rest}&court-order=YES"),
        format!("court-order={}", "y".repeat(5000)),
        "change".to_owned(),
        "utm_source=leaflet".to_owned(),
    ] {
        let r = reqwest::get(app.url(&format!("/which-service?{query}"))).await.unwrap();
        let status = r.status();
        assert!(
            status == StatusCode::OK || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{query}: {status}"
        );
        let body = r.text().await.unwrap();
        assert!(!body.contains("<script>"), "{query}: input is never echoed as markup");
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(body.contains("Answer every question"), "{query}");
        } else {
            assert!(!body.contains("error-summary"), "{query}");
        }
    }
    // A junk answer to one question, with the rest answered: only that one is asked for again.
    let (status, body) = get(&app, &format!("{everything_else}&court-order=maybe")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("href=\"#court-order\""));
    assert_eq!(body.matches("class=\"error-message\"").count(), 1);
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_prices_page_shows_the_centres_prices_in_pounds() {
    let app = TestApp::spawn().await;
    let (status, body) = get(&app, "/prices").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("ask the centre"), "no prices set yet: {body}");
    // The administrator sets the seed centre's prices and policy; the public page shows them.
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(
        &org,
        familytime_domain::people::Role::OrganisationAdmin,
        "ade@riverside.example",
    )
    .await;
    let admin = app.client();
    app.api_login(&admin, "ade@riverside.example").await;
    for (item, amount) in [
        ("pre_visit", "61"),
        ("supervised_session", "147"),
        ("deposit", "100"),
        ("written_report", "51"),
    ] {
        let answer = admin
            .post(app.url(&format!("/api/v1/centres/{}/prices", org.centre)))
            .json(&serde_json::json!({"item": item, "amount": amount, "applies_from": app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string()}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    }
    let answer = admin
        .put(app.url(&format!("/api/v1/centres/{}/cancellation-policy", org.centre)))
        .json(&serde_json::json!({"tiers": [
            {"under_hours": 48, "canceller": "visiting", "forfeit": "session_fee", "percent": 100},
            {"under_hours": 48, "canceller": "resident", "forfeit": "deposit", "percent": null}
        ], "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    let (status, body) = get(&app, "/prices").await;
    assert_eq!(status, StatusCode::OK);
    for amount in ["£61.00", "£147.00", "£100.00", "£51.00"] {
        assert!(body.contains(amount), "/prices lacks {amount}");
    }
    assert!(body.contains("no charge to either parent"));
    assert!(body.contains("six sessions"));
    let words = body.replace("&#39;", "'");
    assert!(
        words.contains(
            "less than 48 hours' notice, if the other parent cancels, they lose the payment for that session"
        ),
        "{body}"
    );
    assert!(body.contains("they lose their deposit"), "{body}");
    assert!(body.contains("only confirmed once it has been paid"));
    app.finish().await;
}
