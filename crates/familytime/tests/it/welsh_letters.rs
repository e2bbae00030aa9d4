//! Every PDF a parent receives, in their language (issue 22), through the real server and read back
//! with pdftotext: the receipt, the invoice and the statement a parent downloads from their portal
//! (in the language of the page), the letters ending and suspending the service and the statement
//! staff print for them (in the parent's recorded language), and a report released to them (in the language it was written in) — in
//! Welsh with no English catalogue text left, and in English with no Welsh left. A bilingual
//! organisation's letter is Welsh first, then English, each complete; a report written in English
//! stays English for a Welsh reader; names in other scripts and with accents read back as typed.

use crate::billing::seed_centre_money;
use crate::harness::json_of;
use crate::records::{after_the_session, observation, pdf_text, ran_session};
use crate::schedule::{Fixture, accept_referral, ahead, booking, fixture, get, party_id, post, supervisor};
use familytime_domain::language::{Lang, LanguagePolicy};
use familytime_domain::people::Role;
use familytime_i18n as i18n;
use reqwest::StatusCode;
use serde_json::json;

/// Real-world names: Welsh and Irish accents, Vietnamese, Arabic and Hebrew (right to left).
const RESIDENT: &str = "Siân Llŷr";
const VISITING: &str = "ليلى حداد";
const CHILDREN: [&str; 3] = ["Zoë Ó Briain", "Nguyễn Thị Ánh", "נועה כהן"];
/// Free text typed by a coordinator: never translated.
const REASON: &str = "FREE-TEXT-REASON-7";

/// The words of a catalogue's PDF messages (and the price items they name), split at their
/// variables: what a document in that language prints itself. A fragment the other language also
/// writes (a number, "£") tells nothing and is left out.
fn printed_words(lang: Lang) -> Vec<String> {
    let other: Vec<String> = i18n::keys(lang.other())
        .into_iter()
        .map(|k| i18n::message(lang.other(), &k, None))
        .collect();
    let mut words: Vec<String> = i18n::keys(lang)
        .into_iter()
        .filter(|k| k.starts_with("pdf-") || k.starts_with("price-"))
        .flat_map(|k| {
            // A variable left out is written `{$name}`: split there.
            let text = i18n::message(lang, &k, None);
            text.split(['{', '}'])
                .filter(|part| !part.starts_with('$'))
                .map(|part| part.trim().trim_end_matches([',', ':']).trim().to_owned())
                .collect::<Vec<_>>()
        })
        .filter(|f| f.chars().filter(|c| c.is_alphabetic()).count() >= 2)
        .filter(|f| !other.iter().any(|o| contains_word(o, f)))
        .collect();
    words.sort();
    words.dedup();
    words
}

/// Whether `needle` is in `hay` as whole words (not inside a longer word), case as written.
fn contains_word(hay: &str, needle: &str) -> bool {
    hay.match_indices(needle).any(|(at, _)| {
        let before = hay[..at].chars().next_back();
        let after = hay[at + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// A PDF's text with every run of white space one space (pdftotext breaks lines where the page did).
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The other language's words found in a document meant to be in `lang`, and whether any of its
/// own language's words are there (the control: the check would see them). What people typed
/// (`typed`: names, observations) is taken out first: it is never translated.
fn words_left_but(text: &str, lang: Lang, typed: &[String]) -> (Vec<String>, bool) {
    let mut text = flat(text);
    for typed in typed {
        text = text.replace(&flat(typed), " ");
    }
    let foreign = printed_words(lang.other())
        .into_iter()
        .filter(|w| contains_word(&text, w))
        .collect();
    let own = printed_words(lang).iter().any(|w| contains_word(&text, w));
    (foreign, own)
}

fn words_left(text: &str, lang: Lang) -> (Vec<String>, bool) {
    words_left_but(text, lang, &[])
}

/// What the people of a test typed that reaches a report: the observation's sections, and the
/// names of the staff who wrote and checked it.
async fn typed(f: &Fixture, staff: &[&reqwest::Client]) -> Vec<String> {
    let mut typed: Vec<String> = observation(0)["sections"]
        .as_object()
        .map(|sections| {
            sections
                .values()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    for client in staff {
        let (_, me) = get(&f.app, client, "/api/v1/me").await;
        typed.extend(me["user"]["name"].as_str().map(str::to_owned));
    }
    typed
}

async fn pdf(f: &Fixture, client: &reqwest::Client, path: &str) -> String {
    let response = client.get(f.app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    assert_eq!(response.headers()["content-type"], "application/pdf", "{path}");
    pdf_text(&response.bytes().await.unwrap())
}

/// The family with the names above, privately paid (the visiting parent pays), accepted, with one
/// supervised session booked and paid for by card (which confirms it). Returns (case, resident,
/// visiting, booking).
async fn family(f: &Fixture) -> (String, String, String, String) {
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["source"] = json!("solicitor");
    referral["children"] = json!(
        CHILDREN
            .iter()
            .map(|name| json!({"name": name, "date_of_birth": "2019-03-27"}))
            .collect::<Vec<_>>()
    );
    referral["adults"][0]["name"] = json!(RESIDENT);
    referral["adults"][1]["name"] = json!(VISITING);
    let (case, file) = accept_referral(f, &f.jo, referral).await;
    let (resident, visiting) = (party_id(&file, "resident"), party_id(&file, "visiting"));
    let sam = supervisor(f, "sam@riverside.example").await;
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &ahead(&f.app, 1),
            "10:00",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let booking_id = booked[0]["id"].as_str().unwrap().to_owned();
    (case, resident, visiting, booking_id)
}

/// Walks every PDF the visiting parent receives, in `lang`, and checks no word of the other
/// language is left and every name reads back as typed.
async fn every_pdf_a_parent_receives(lang: Lang) {
    let f = fixture().await;
    seed_centre_money(&f).await;
    let (status, body) = json_of(
        f.admin
            .put(f.app.url("/api/v1/settings/billing"))
            .json(
                &json!({"charity_name": "Riverside", "charity_number": "1100123", "postal_address": "",
                   "payment_details": "", "payment_terms_days": 14, "release_unpaid_hours": null, "version": 0}),
            )
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (case, resident, visiting, booking_id) = family(&f).await;
    // The parents' own language, recorded on the case; the organisation's default is the other.
    let scope = f.app.seed_scope(Some(f.org.id));
    for party in [&resident, &visiting] {
        f.app
            .store
            .set_party_language(&scope, f.org.id, party, Some(lang))
            .await
            .unwrap();
    }
    f.app
        .store
        .set_language_policy(
            &scope,
            f.org.id,
            LanguagePolicy {
                default: lang.other(),
                bilingual_letters: false,
            },
        )
        .await
        .unwrap();
    let parent_id = f.app.seed_user(&f.org, Role::Parent, "leila@example.org").await;
    let (status, body) = json_of(
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/parties/{visiting}/account")))
            .json(&json!({"user_id": parent_id, "version": 0}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, paid) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/ledger"),
        json!({"kind": "payment", "account": format!("party:{visiting}"), "amount": "147", "method": "card"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let payment = paid["ids"][0].as_str().unwrap().to_owned();
    let (status, invoice) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/invoices"),
        json!({"account": format!("party:{visiting}")}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");
    let invoice = invoice["id"].as_str().unwrap().to_owned();

    // The session happens; its record is signed; a report on it is written in the parents' language
    // and released to the visiting parent.
    f.app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    for (client, email) in [(&f.jo, "jo@riverside.example"), (&f.admin, "ade@riverside.example")] {
        f.app.api_login(client, email).await;
    }
    let sam = f.app.client();
    f.app.api_login(&sam, "sam@riverside.example").await;
    let (status, saved) = post(
        &f.app,
        &sam,
        &format!("/api/v1/bookings/{booking_id}/observation"),
        observation(0),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let report = released_report(&f, &sam, &case, &record, lang, "visiting").await;

    // Two notices: a suspension, then the end of the service.
    let mut notices = Vec::new();
    for kind in ["suspended", "ended"] {
        let (status, body) = post(
            &f.app,
            &f.jo,
            &format!("/api/v1/cases/{case}/notices"),
            json!({"kind": kind, "reason": REASON, "effective_on": ahead(&f.app, 2)}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{kind}: {body}");
        notices.push(body["id"].as_str().unwrap().to_owned());
    }

    let parent = f.app.client();
    f.app.page_login(&parent, "leila@example.org").await;
    let q = format!("?lang={}", lang.code());
    let mut papers = vec![
        (
            "receipt",
            pdf(&f, &parent, &format!("/my-account/receipts/{case}/{payment}{q}")).await,
        ),
        (
            "invoice",
            pdf(&f, &parent, &format!("/my-account/invoices/{invoice}/pdf{q}")).await,
        ),
        (
            "statement",
            pdf(
                &f,
                &parent,
                &format!("/my-account/statements/{case}/party:{visiting}{q}"),
            )
            .await,
        ),
        (
            "report",
            pdf(&f, &parent, &format!("/my-reports/{report}/pdf{q}")).await,
        ),
    ];
    // The letters, and the statement staff print for her, are downloaded by the coordinator, whose
    // page is in the other language: each is in its reader's language whatever the page.
    let other = format!("?lang={}", lang.other().code());
    papers.push((
        "statement printed by staff",
        pdf(&f, &f.jo, &format!("/cases/{case}/statements/party:{visiting}{other}")).await,
    ));
    for (notice, kind) in notices.iter().zip(["suspended letter", "ended letter"]) {
        papers.push((
            kind,
            pdf(&f, &f.jo, &format!("/notices/{notice}/letters/visiting{other}")).await,
        ));
    }
    let typed = typed(&f, &[&sam, &f.jo]).await;
    for (what, text) in &papers {
        let (foreign, own) = words_left_but(text, lang, &typed);
        assert!(foreign.is_empty(), "{lang:?} {what} has {foreign:?}:\n{text}");
        assert!(own, "{lang:?} {what} has none of its own language's words:\n{text}");
    }
    // The names read back as typed, in the papers that carry them.
    let flat_of = |what: &str| flat(&papers.iter().find(|(w, _)| *w == what).unwrap().1);
    for what in ["receipt", "invoice", "statement", "ended letter"] {
        assert!(flat_of(what).contains(VISITING), "{what}: {VISITING} missing");
    }
    for what in ["report", "ended letter", "suspended letter"] {
        for child in CHILDREN {
            assert!(flat_of(what).contains(child), "{what}: {child} missing");
        }
    }
    assert!(flat_of("ended letter").contains(REASON));
    // The resident parent's letter names her as typed.
    let hers = pdf(&f, &f.jo, &format!("/notices/{}/letters/resident", notices[1])).await;
    assert!(flat(&hers).contains(RESIDENT), "{hers}");
    assert!(words_left(&hers, lang).0.is_empty(), "{hers}");
    f.app.finish().await;
}

/// A report on `record` written in `lang`, checked, approved and released to `to`.
async fn released_report(
    f: &Fixture,
    writer: &reqwest::Client,
    case: &str,
    record: &str,
    lang: Lang,
    to: &str,
) -> String {
    let (status, created) = post(
        &f.app,
        writer,
        &format!("/api/v1/cases/{case}/reports"),
        json!({"kind": "session", "title": "REPORT-TITLE-3", "summary": "FREE-SUMMARY-9", "records": [record],
               "language": lang.code()}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
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
    let (status, body) = json_of(
        f.jo.put(f.app.url(&format!("/api/v1/cases/{case}/distribution")))
            .json(&json!({"recipients": [to], "version": 0}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": [to], "version": 3}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    report
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_every_pdf_a_parent_receives_is_in_welsh_with_no_english_left() {
    every_pdf_a_parent_receives(Lang::Cy).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_every_pdf_a_parent_receives_is_in_english_with_no_welsh_left() {
    every_pdf_a_parent_receives(Lang::En).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn welsh_bilingual_letters_are_welsh_first_and_an_english_report_stays_english() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    let parent_id = f.app.seed_user(&f.org, Role::Parent, "daniel@example.com").await;
    after_the_session(&f, &ran).await;
    let (status, _) = json_of(
        f.jo.put(
            f.app
                .url(&format!("/api/v1/cases/{}/parties/{}/account", ran.case, ran.visiting)),
        )
        .json(&json!({"user_id": parent_id, "version": 0}))
        .send()
        .await
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let b = &ran.booking;
    let (_, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        observation(0),
    )
    .await;
    let record = saved["id"].as_str().unwrap().to_owned();
    post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    let report = released_report(&f, &ran.sam, &ran.case, &record, Lang::En, "visiting").await;

    // A report written in English, downloaded by a parent reading Welsh: English, headings and all.
    let parent = f.app.client();
    f.app.page_login(&parent, "daniel@example.com").await;
    let text = pdf(&f, &parent, &format!("/my-reports/{report}/pdf?lang=cy")).await;
    let typed = typed(&f, &[&ran.sam, &f.jo]).await;
    let (welsh, english) = words_left_but(&text, Lang::En, &typed);
    assert!(welsh.is_empty(), "Welsh in an English report: {welsh:?}\n{text}");
    assert!(english, "{text}");
    for heading in ["pdf-report-summary", "pdf-report-caveat", "pdf-report-kind-session"] {
        let words = i18n::message(Lang::En, heading, None);
        assert!(flat(&text).contains(&words), "{heading}: {text}");
    }
    // The report's language is part of it: the API shows nothing else, and an unknown code is refused.
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "session", "title": "T", "records": [record], "language": "fr"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("language"), "{body}");

    // The organisation writes bilingually: a letter is its Welsh part, then its English part.
    let scope = f.app.seed_scope(Some(f.org.id));
    f.app
        .store
        .set_language_policy(
            &scope,
            f.org.id,
            LanguagePolicy {
                default: Lang::En,
                bilingual_letters: true,
            },
        )
        .await
        .unwrap();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/notices", ran.case),
        json!({"kind": "ended", "reason": REASON, "effective_on": ahead(&f.app, 2)}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let notice = body["id"].as_str().unwrap().to_owned();
    for recipient in ["visiting", "resident", "referrer"] {
        let text = flat(&pdf(&f, &f.jo, &format!("/api/v1/notices/{notice}/letters/{recipient}")).await);
        let mut at = Vec::new();
        for lang in [Lang::Cy, Lang::En] {
            // Each part complete: its title, its greeting, its headings and its sign-off.
            let parts: Vec<usize> = [
                "pdf-letter-ended-title",
                "pdf-letter-why",
                "pdf-letter-next",
                "pdf-letter-sign-off",
            ]
            .iter()
            .map(|k| {
                let words = i18n::message(lang, k, None);
                text.find(&words)
                    .unwrap_or_else(|| panic!("{recipient}: {lang:?} {k} missing: {text}"))
            })
            .collect();
            assert!(
                parts.windows(2).all(|w| w[0] < w[1]),
                "{recipient} {lang:?} in order: {text}"
            );
            at.push(parts);
        }
        assert!(
            at[0].last() < at[1].first(),
            "{recipient}: the Welsh letter ends before the English begins: {text}"
        );
        assert_eq!(text.matches(REASON).count(), 2, "the reason in both parts: {text}");
    }

    // Not bilingual: the referrer's letter is in the referrer account's own language.
    f.app
        .store
        .set_language_policy(&scope, f.org.id, LanguagePolicy::default())
        .await
        .unwrap();
    let (_, me) = get(&f.app, &ran.ria, "/api/v1/me").await;
    let ria_id = me["user"]["id"].as_str().map(str::to_owned);
    let referrer = ria_id.and_then(|id| familytime_domain::ids::UserId::parse(&id).ok());
    if let Some(ria) = referrer {
        f.app
            .store
            .set_user_language(&scope, f.org.id, ria, Some(Lang::Cy))
            .await
            .unwrap();
    } else {
        panic!("the referrer's own id from /api/v1/me: {me}");
    }
    let text = pdf(&f, &f.jo, &format!("/api/v1/notices/{notice}/letters/referrer")).await;
    let (english, welsh) = words_left(&text, Lang::Cy);
    assert!(english.is_empty() && welsh, "{english:?}: {text}");
    let text = pdf(&f, &f.jo, &format!("/api/v1/notices/{notice}/letters/visiting")).await;
    let (welsh, english) = words_left(&text, Lang::En);
    assert!(
        welsh.is_empty() && english,
        "the parent chose nothing: the default, English: {text}"
    );
    f.app.finish().await;
}

#[test]
fn welsh_the_leftover_check_finds_words_of_the_other_language() {
    // Negative controls: the check sees an English heading in Welsh text, and not inside a word.
    let english = i18n::message(Lang::En, "pdf-letter-next", None);
    let (found, own) = words_left(&format!("Annwyl Siân,\n{english}"), Lang::Cy);
    assert_eq!(found, vec![english]);
    assert!(own, "Annwyl is Welsh");
    assert!(!contains_word("Totally", "Total"));
    assert!(contains_word("Total £5", "Total"));
    assert!(printed_words(Lang::Cy).iter().any(|w| w == "Derbynneb"));
}
