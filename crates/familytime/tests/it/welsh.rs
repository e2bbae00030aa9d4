//! Welsh, and the language layer (issue 22, decision 0039): every key a template or the code uses is
//! in every catalogue, and every catalogue has the same keys; no English is left written into a
//! converted template; and the public pages, sign-in and self-referral, served for real, come back
//! in Welsh however Welsh was asked for (`?lang=cy`, the cookie, `Accept-Language`), with
//! `<html lang="cy">` and no English catalogue text left on them.

use crate::harness::TestApp;
use familytime_domain::people::Role;
use familytime_web::i18n::{self, Lang};
use reqwest::StatusCode;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn templates_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../web/templates"))
}

/// The templates whose every word comes from the catalogues. A template is added here when it is
/// converted (issue 22 goes on page by page); the guard below then keeps English out of it.
const CONVERTED: [&str; 24] = [
    "base.html",
    "macros.html",
    "error.html",
    "index.html",
    "services.html",
    "which_service.html",
    "which_service_result.html",
    "refer.html",
    "prices.html",
    "jargon_buster.html",
    "login.html",
    "self_referral.html",
    "thanks.html",
    // The parent's and the referrer's side, and the account pages.
    "home.html",
    "account.html",
    "my_account.html",
    "provisional_details.html",
    "my_reports.html",
    "referrals_list.html",
    "referral_status.html",
    "referral_form.html",
    "own_part.html",
    "pagination.html",
    "settings_languages.html",
];

// ---------------------------------------------------------------------------------------------
// (a) Keys

/// The keys a template names literally: `shell.t("…")`, `shell.t_n("…", …)`, `shell.t_s("…", …)`.
fn keys_in(template: &str) -> Vec<String> {
    let mut keys = Vec::new();
    for call in [".t(\"", ".t_n(\"", ".t_s(\""] {
        let mut rest = template;
        while let Some(at) = rest.find(call) {
            rest = &rest[at + call.len()..];
            if let Some(end) = rest.find('"') {
                keys.push(rest[..end].to_owned());
            }
        }
    }
    keys
}

/// The keys missing from a language's catalogues.
fn missing(keys: &BTreeSet<String>, lang: Lang) -> Vec<String> {
    let known = i18n::keys(lang);
    keys.iter().filter(|k| !known.contains(*k)).cloned().collect()
}

fn every_template() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(templates_dir()).expect("templates folder") {
        let path = entry.expect("entry").path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        out.push((name, std::fs::read_to_string(&path).expect("template")));
    }
    out
}

#[test]
fn welsh_every_key_used_is_in_every_catalogue_and_the_catalogues_agree() {
    assert_eq!(
        i18n::check(),
        Vec::<String>::new(),
        "the catalogues parse, no message twice"
    );
    let mut used: BTreeSet<String> = every_template().iter().flat_map(|(_, text)| keys_in(text)).collect();
    assert!(used.len() > 100, "the templates name their keys ({} found)", used.len());
    used.extend(familytime_web::pages::catalogue_keys());
    used.extend(familytime_web::pages::guide::catalogue_keys());
    used.extend(familytime_web::pages::signin::catalogue_keys());
    used.extend(familytime_web::pages::words::catalogue_keys());
    used.extend(familytime_web::pages::referrals::refer::catalogue_keys());
    used.extend(familytime_web::pages::paging::catalogue_keys());
    for lang in Lang::ALL {
        assert_eq!(missing(&used, lang), Vec::<String>::new(), "missing from {lang:?}");
    }
    let (en, cy) = (i18n::keys(Lang::En), i18n::keys(Lang::Cy));
    assert_eq!(
        en.difference(&cy).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in English only"
    );
    assert_eq!(
        cy.difference(&en).collect::<Vec<_>>(),
        Vec::<&String>::new(),
        "in Welsh only"
    );
    // Every message is written in every language with no variable left unfilled by the page.
    for key in &en {
        assert!(i18n::has(Lang::Cy, key) && i18n::has(Lang::En, key), "{key}");
    }

    // Negative control: a key no catalogue has is reported.
    let made_up: BTreeSet<String> = keys_in(r#"<p>{{ shell.t("no-such-message") }}</p>"#)
        .into_iter()
        .collect();
    assert_eq!(missing(&made_up, Lang::Cy), vec!["no-such-message".to_owned()]);
}

// ---------------------------------------------------------------------------------------------
// (b) No English written into a converted template

/// Drops `{# … #}`, `{{ … }}` and `{% … %}`, reporting any string literal inside a tag or an
/// expression that reads as words (a space or a capital letter), such as a label passed to a macro.
fn strip_template(text: &str, problems: &mut Vec<String>) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let (open, close) = match rest[start..].get(..2) {
            Some("{{") => ("{{", "}}"),
            Some("{%") => ("{%", "%}"),
            Some("{#") => ("{#", "#}"),
            _ => {
                out.push_str(&rest[..=start]);
                rest = &rest[start + 1..];
                continue;
            }
        };
        out.push_str(&rest[..start]);
        let inner_start = start + open.len();
        let Some(end) = rest[inner_start..].find(close) else {
            problems.push(format!("unclosed {open}"));
            return out;
        };
        let inner = &rest[inner_start..inner_start + end];
        if open != "{#" {
            for (i, literal) in inner.split('"').enumerate() {
                let words = literal.chars().any(|c| c.is_ascii_alphabetic())
                    && (literal.contains(' ') || literal.chars().any(|c| c.is_ascii_uppercase()));
                if i % 2 == 1 && words {
                    problems.push(format!("words in template code: \"{literal}\""));
                }
            }
        }
        rest = &rest[inner_start + end + close.len()..];
    }
    out.push_str(rest);
    out
}

/// English left in a template: text between tags, and the words of `alt`, `aria-label`,
/// `placeholder`, `title`, and the `value` of a button.
fn english_in(template: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let html = strip_template(template, &mut problems);
    let has_words = |s: &str| s.chars().any(|c| c.is_alphabetic());
    let mut rest = html.as_str();
    loop {
        let (text, tag) = match rest.find('<') {
            Some(at) => {
                let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
                let pair = (&rest[..at], &rest[at..end]);
                rest = &rest[end..];
                pair
            }
            None => (rest, ""),
        };
        if has_words(text) {
            problems.push(format!("text: {:?}", text.trim()));
        }
        if tag.is_empty() {
            break;
        }
        if tag.starts_with("<!DOCTYPE") {
            continue;
        }
        let button = tag.starts_with("<button")
            || (tag.starts_with("<input") && (tag.contains("type=\"submit\"") || tag.contains("type=\"button\"")));
        let mut attributes = vec!["alt", "aria-label", "placeholder", "title"];
        if button {
            attributes.push("value");
        }
        for name in attributes {
            let needle = format!(" {name}=\"");
            if let Some(at) = tag.find(&needle) {
                let value = &tag[at + needle.len()..];
                let value = &value[..value.find('"').unwrap_or(value.len())];
                if has_words(value) {
                    problems.push(format!("{name}: {value:?}"));
                }
            }
        }
    }
    problems
}

#[test]
fn welsh_no_english_is_left_in_a_converted_template() {
    let templates = every_template();
    for name in CONVERTED {
        let (_, text) = templates
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("{name} is listed as converted but does not exist"));
        assert_eq!(
            english_in(text),
            Vec::<String>::new(),
            "{name} has English written into it"
        );
    }

    // Negative controls: each kind of English left behind is caught, and words from the catalogue
    // are not.
    let left = english_in(
        r#"<h1>Hello</h1><button aria-label="Close">x</button><input type="submit" value="Send">
           {% call m::text_input(errors, "email", "Email address", email) %}{% endcall %}"#,
    );
    assert_eq!(left.len(), 5, "{left:?}");
    assert_eq!(
        english_in(
            r#"<h1>{{ shell.t("login-title") }}</h1> · <input type="submit" value="{{ shell.t("self-send") }}">
               {% if kind == "supported" %}{% call m::text_input(errors, "email", shell.t("login-email"), email) %}{% endcall %}{% endif %}"#
        ),
        Vec::<String>::new()
    );
}

// ---------------------------------------------------------------------------------------------
// (c) The pages in Welsh, served for real

/// The text between the tags of a page, entities decoded, and the words of its `aria-label`s.
fn text_nodes(html: &str) -> Vec<String> {
    let decode = |s: &str| {
        s.replace("&#39;", "'")
            .replace("&#x27;", "'")
            .replace("&quot;", "\"")
            .replace("&#34;", "\"")
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&#38;", "&")
            .replace("&amp;", "&")
    };
    let mut nodes = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        let end = rest[at..].find('>').map_or(rest.len(), |e| at + e + 1);
        nodes.push(decode(rest[..at].trim()));
        let tag = &rest[at..end];
        if let Some(label) = tag.find(" aria-label=\"") {
            let value = &tag[label + 13..];
            nodes.push(decode(&value[..value.find('"').unwrap_or(value.len())]));
        }
        rest = &rest[end..];
    }
    nodes.push(decode(rest.trim()));
    nodes.retain(|n| !n.is_empty());
    nodes
}

/// The English catalogue's words that Welsh says differently (a name like "Cafcass" or "C8" is
/// the same in both, and is no sign of English left).
pub(crate) fn english_only_values() -> BTreeSet<String> {
    i18n::keys(Lang::En)
        .iter()
        .filter_map(|key| {
            let en = i18n::plain(Lang::En, key)?;
            (i18n::plain(Lang::Cy, key).as_deref() != Some(en.as_str())).then_some(en)
        })
        .collect()
}

/// The English catalogue values found on a page as whole text nodes.
pub(crate) fn english_on(html: &str, english: &BTreeSet<String>) -> Vec<String> {
    text_nodes(html).into_iter().filter(|n| english.contains(n)).collect()
}

/// The public pages, sign-in and self-referral, with a query of their own or none.
fn pages() -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/services",
        "/which-service",
        "/refer",
        "/prices",
        "/jargon-buster",
        "/login",
        "/self-referral",
        "/self-referral?service=supervised",
        "/no-such-page",
    ]
    .map(str::to_owned)
    .to_vec();
    let questions = familytime_domain::checklist::QUESTIONS;
    let answered = |f: &dyn Fn(&str) -> &'static str| {
        let pairs: Vec<String> = questions
            .iter()
            .map(|q| format!("{}={}", q.field, f(q.field)))
            .collect();
        format!("/which-service?answered=yes&{}", pairs.join("&"))
    };
    pages.push(answered(&|_| "no"));
    pages.push(answered(&|f| {
        if f == "abuse" || f == "care" { "yes" } else { "not-sure" }
    }));
    pages.push(answered(&|f| if f == "harm" { "not-sure" } else { "no" }));
    pages.push(answered(&|f| if f == "court-order" { "yes" } else { "no" }));
    // Missing answers: the form again, with its error summary.
    pages.push("/which-service?answered=yes&abuse=no".to_owned());
    pages
}

/// A centre with prices and a cancellation policy, so the prices page has everything to say.
async fn seed_prices(app: &TestApp) {
    let org = app.seed_organisation("Canolfan Glan-yr-Afon").await;
    app.seed_user(&org, Role::OrganisationAdmin, "ade@glan.example").await;
    let admin = app.client();
    app.api_login(&admin, "ade@glan.example").await;
    let from = app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string();
    for (item, amount) in [("pre_visit", "61"), ("supervised_session", "147"), ("deposit", "100")] {
        let answer = admin
            .post(app.url(&format!("/api/v1/centres/{}/prices", org.centre)))
            .json(&serde_json::json!({"item": item, "amount": amount, "applies_from": from}))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::NO_CONTENT);
    }
    let answer = admin
        .put(app.url(&format!("/api/v1/centres/{}/cancellation-policy", org.centre)))
        .json(&serde_json::json!({"tiers": [
            {"under_hours": 48, "canceller": "visiting", "forfeit": "session_fee", "percent": 50},
            {"under_hours": 24, "canceller": "resident", "forfeit": "deposit", "percent": null}
        ], "version": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::NO_CONTENT);
}

pub(crate) fn with_lang(path: &str, lang: &str) -> String {
    let joiner = if path.contains('?') { '&' } else { '?' };
    format!("{path}{joiner}lang={lang}")
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_public_pages_sign_in_and_self_referral_have_no_english_left() {
    let app = TestApp::spawn().await;
    seed_prices(&app).await;
    let english = english_only_values();
    assert!(
        english.len() > 200,
        "the English catalogue is read ({} values)",
        english.len()
    );
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();

    for path in pages() {
        let expected = if path == "/no-such-page" {
            StatusCode::NOT_FOUND
        } else if path == "/which-service?answered=yes&abuse=no" {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        // In English by default: the check below can fail, since English pages are full of it.
        let r = plain.get(app.url(&path)).send().await.unwrap();
        assert_eq!(r.status(), expected, "{path}");
        let body = r.text().await.unwrap();
        assert!(body.contains("<html lang=\"en-GB\">"), "{path}");
        assert!(
            !english_on(&body, &english).is_empty(),
            "{path} in English shows English"
        );
        assert!(body.contains(">Cymraeg</a>"), "{path} offers Welsh");

        // Welsh three ways: asked for in the address, remembered in the cookie, preferred by the browser.
        let asked = plain.get(app.url(&with_lang(&path, "cy"))).send().await.unwrap();
        assert!(
            crate::harness::set_cookie(asked.headers(), "ft_lang").is_some_and(|c| c.starts_with("ft_lang=cy;")),
            "{path}: ?lang=cy is remembered"
        );
        let by_cookie = plain
            .get(app.url(&path))
            .header("cookie", "ft_lang=cy")
            .send()
            .await
            .unwrap();
        let by_browser = plain
            .get(app.url(&path))
            .header("accept-language", "cy-GB,cy;q=0.9,en;q=0.5")
            .send()
            .await
            .unwrap();
        for (how, r) in [
            ("?lang=cy", asked),
            ("cookie", by_cookie),
            ("Accept-Language", by_browser),
        ] {
            assert_eq!(r.status(), expected, "{path} by {how}");
            let body = r.text().await.unwrap();
            assert!(body.contains("<html lang=\"cy\">"), "{path} by {how}");
            assert_eq!(
                english_on(&body, &english),
                Vec::<String>::new(),
                "{path} by {how}: English left"
            );
            assert!(body.contains("Neidio i&#39;r prif gynnwys") || body.contains("Neidio i'r prif gynnwys"));
            assert!(body.contains(">English</a>"), "{path} by {how} offers English");
        }
    }

    // The language link reopens the same page, with its answers, in the other language.
    let body = plain
        .get(app.url("/which-service?abuse=no&lang=cy"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let body = body.replace("&#38;", "&amp;");
    assert!(body.contains("href=\"/which-service?abuse=no&amp;lang=en\""), "{body}");

    // Names are never translated: the centre's name stands as it was typed, in Welsh or English.
    let body = plain
        .get(app.url("/prices?lang=cy"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(body.contains("Canolfan Glan-yr-Afon Centre"));
    assert!(body.contains("50% o&#39;r taliad am y sesiwn honno") || body.contains("50% o'r taliad am y sesiwn honno"));

    // A wrong password is answered in Welsh, beside the field, after the Welsh error summary.
    let client = app.client();
    let html = client
        .get(app.url("/login?lang=cy"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = crate::harness::csrf_in(&html).expect("the form's token");
    let r = client
        .post(app.url("/login"))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("next", "/home"),
            ("email", "ade@glan.example"),
            ("password", "not it"),
        ])
        .send()
        .await
        .unwrap();
    let body = r.text().await.unwrap().replace("&#39;", "'");
    assert!(body.contains("<html lang=\"cy\">"));
    assert!(body.contains("Mae problem wedi codi"), "{body}");
    assert!(
        body.contains("Nid yw'r cyfeiriad e-bost neu'r cyfrinair yn gywir."),
        "{body}"
    );
    assert_eq!(english_on(&body, &english), Vec::<String>::new());

    // An unknown language is no error: the page in English, and nothing remembered.
    for code in ["xx", "", "en-US", "<script>"] {
        let r = plain
            .get(app.url(&format!("/services?lang={}", urlencode(code))))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "lang={code}");
        let remembered = crate::harness::set_cookie(r.headers(), "ft_lang").map(str::to_owned);
        let body = r.text().await.unwrap();
        assert!(body.contains("<html lang=\"en-GB\">"), "lang={code}");
        assert!(remembered.is_none() || code == "en-US", "lang={code} sets no cookie");
    }
    // The address wins over the cookie, and switching back to English is remembered too.
    let r = plain
        .get(app.url("/refer?lang=en"))
        .header("cookie", "ft_lang=cy")
        .send()
        .await
        .unwrap();
    assert!(crate::harness::set_cookie(r.headers(), "ft_lang").is_some_and(|c| c.starts_with("ft_lang=en;")));
    assert!(r.text().await.unwrap().contains("<html lang=\"en-GB\">"));

    app.finish().await;
}

/// Percent-encodes every byte but letters, digits and hyphens.
fn urlencode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'-' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
