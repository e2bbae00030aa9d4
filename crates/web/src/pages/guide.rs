//! The public information pages for families (no sign-in): the services, the "which service do I
//! need?" checklist, how to be referred, the prices, and the jargon buster. Written in plain words
//! for a parent on a phone, in English and Welsh: every word is in the catalogues
//! (`crates/i18n/locales/`), and this module names the keys. Nothing a visitor does here is stored.

use super::{Count, Shell, render, render_with};
use crate::i18n;
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use familytime_domain::billing::Item;
use familytime_domain::checklist::{self, Answer, Answers, Outcome, QUESTIONS, Question, Recommendation};
use familytime_domain::intake::ORDER_KINDS;
use familytime_domain::text::FieldErrors;
use familytime_domain::triage::Concern;

/// The menu for a signed-in visitor, or none. A public page must never fail because the database
/// is slow or down, so any problem here falls back to the signed-out shell.
async fn shell(state: &AppState, caller: &Caller) -> Shell {
    Shell::for_caller(state, caller, "")
        .await
        .unwrap_or_else(|_| Shell::anonymous())
}

// ---------------------------------------------------------------------------------------------
// Services

/// One service, as a family would want it explained. Its words are in the catalogues, under
/// `service-{id}-name`, `service-{id}-what-1` … and `service-{id}-suits`.
pub struct Service {
    /// The anchor on the page, so other pages can link to one service; also its catalogue keys.
    pub id: &'static str,
    /// How many paragraphs say what it is.
    pub paragraphs: usize,
    /// Not every centre offers it.
    pub not_everywhere: bool,
}

impl Service {
    /// The catalogue key of one part of the service's words (`name`, `suits`).
    pub fn key(&self, part: &str) -> String {
        format!("service-{}-{part}", self.id)
    }

    /// The catalogue keys of the paragraphs saying what it is.
    pub fn what(&self) -> Vec<String> {
        (1..=self.paragraphs).map(|n| self.key(&format!("what-{n}"))).collect()
    }
}

const fn service(id: &'static str, paragraphs: usize, not_everywhere: bool) -> Service {
    Service {
        id,
        paragraphs,
        not_everywhere,
    }
}

const SERVICES: &[Service] = &[
    service("supported", 2, false),
    service("supervised", 2, false),
    service("handover", 1, false),
    service("virtual", 2, true),
    service("indirect", 2, true),
    service("community", 1, true),
    service("preparatory", 2, true),
    service("life-story", 1, true),
    service("hospital", 1, true),
    service("welfare-check", 1, true),
    service("outreach", 1, true),
];

/// The catalogue keys this module makes (the services, the terms, the questions, the answers, the
/// results and the prices), for the test that every one is in every catalogue.
pub fn catalogue_keys() -> Vec<String> {
    let mut keys = Vec::new();
    for s in SERVICES {
        keys.push(s.key("name"));
        keys.push(s.key("suits"));
        keys.extend(s.what());
    }
    for t in TERMS {
        keys.push(t.key("term"));
        keys.push(t.key("meaning"));
    }
    for q in &QUESTIONS {
        keys.extend(["text", "yes", "unsure", "missing"].map(|part| question_key(q, part)));
        if !q.hint.is_empty() {
            keys.push(question_key(q, "hint"));
        }
    }
    keys.extend(Answer::ALL.map(|a| answer_key(Some(a)).to_owned()));
    keys.push(answer_key(None).to_owned());
    keys.extend(
        [
            Recommendation::Supported,
            Recommendation::Supervised,
            Recommendation::TalkToUs,
        ]
        .map(|r| format!("checklist-heading-{}", r.as_str())),
    );
    keys.extend(
        [
            "checklist-reason-all-no",
            "checklist-reason-low-risk",
            "checklist-reason-talk",
            "checklist-reason-several",
            "checklist-reason-one",
            "checklist-reason-unsure-count",
            "prices-tier",
            "index-title",
        ]
        .map(str::to_owned),
    );
    keys.extend(Item::ALL.iter().map(|item| format!("price-{}", item.as_str())));
    keys.extend(ORDER_KINDS.iter().map(|(kind, _)| format!("order-{kind}")));
    keys
}

#[derive(askama::Template)]
#[template(path = "services.html")]
struct ServicesPage {
    shell: Shell,
    services: &'static [Service],
}

pub async fn services(State(state): State<AppState>, caller: Caller) -> Response {
    render(&ServicesPage {
        shell: shell(&state, &caller).await,
        services: SERVICES,
    })
}

// ---------------------------------------------------------------------------------------------
// Which service do I need?

#[derive(askama::Template)]
#[template(path = "which_service.html")]
struct ChecklistForm {
    shell: Shell,
    questions: &'static [Question],
    answers: Answers,
    choices: [Answer; 3],
    errors: FieldErrors,
}

impl ChecklistForm {
    /// One part of a question's words (`text`, `hint`) in the page's language.
    fn q(&self, q: &Question, part: &str) -> String {
        self.shell.t(question_key(q, part))
    }
    fn answer(&self, a: &Answer) -> String {
        self.shell.t(answer_key(Some(*a)))
    }
    /// "Question 2 of 10".
    fn question_of(&self, number: impl Count, count: usize) -> String {
        let args = i18n::args([("number", number.count().into()), ("count", count.into())]);
        i18n::message(self.shell.lang, "checklist-question-of", Some(&args))
    }
    fn new(shell: Shell, answers: Answers, errors: FieldErrors) -> ChecklistForm {
        ChecklistForm {
            shell,
            questions: &QUESTIONS,
            answers,
            choices: Answer::ALL,
            errors,
        }
    }
}

/// The catalogue key of one part of a question's words: `text`, `hint`, `yes` (the reason a "yes"
/// gives), `unsure` (said back when it was not known), `missing` (when it was not answered).
fn question_key(q: &Question, part: &str) -> String {
    format!("checklist-{}-{part}", q.field)
}

fn answer_key(answer: Option<Answer>) -> &'static str {
    match answer {
        Some(Answer::Yes) => "answer-yes",
        Some(Answer::No) => "answer-no",
        Some(Answer::NotSure) => "answer-not-sure",
        None => "answer-none",
    }
}

/// The reasons for the suggestion, in the request's language, in the order and under the rules that
/// `checklist::recommend` words them in English (a test keeps the two the same in English).
fn reasons(outcome: &Outcome) -> Vec<String> {
    let said = |concern: Concern, part: &str| i18n::t(&question_key(checklist::question_for(concern), part));
    let count = |key: &str, n: usize| i18n::t_args(key, &i18n::args([("count", n.into())]));
    match outcome.recommendation {
        Recommendation::Supported => vec![i18n::t("checklist-reason-all-no"), i18n::t("checklist-reason-low-risk")],
        Recommendation::TalkToUs => {
            let mut reasons: Vec<String> = outcome.unsure.iter().map(|c| said(*c, "unsure")).collect();
            reasons.push(i18n::t("checklist-reason-talk"));
            reasons
        }
        Recommendation::Supervised => {
            let mut ordered = outcome.concerns.clone();
            ordered.sort_by_key(|c| match c {
                Concern::CourtRequiresSupervision => 0,
                Concern::Abduction => 1,
                _ => 2,
            });
            let mut reasons: Vec<String> = ordered.iter().map(|c| said(*c, "yes")).collect();
            let decides_alone = matches!(
                outcome.concerns.first(),
                Some(Concern::CourtRequiresSupervision | Concern::Abduction)
            );
            if outcome.concerns.len() > 1 {
                reasons.push(count("checklist-reason-several", outcome.concerns.len()));
            } else if !decides_alone {
                reasons.push(i18n::t("checklist-reason-one"));
            }
            if !outcome.unsure.is_empty() {
                reasons.push(count("checklist-reason-unsure-count", outcome.unsure.len()));
            }
            reasons
        }
    }
}

/// One answer given, as the answer page repeats it.
struct AnswerRow {
    question: String,
    answer: String,
}

#[derive(askama::Template)]
#[template(path = "which_service_result.html")]
struct ChecklistResult {
    shell: Shell,
    reasons: Vec<String>,
    heading: String,
    kind: &'static str,
    rows: Vec<AnswerRow>,
    change_href: String,
}

/// The form field sent with every submission, so that submitting with nothing ticked is told apart
/// from arriving at the page.
const SUBMITTED: &str = "answered";
/// Reopens the form with the answers given, from the answer page's "Change your answers" link.
const CHANGE: &str = "change";

/// `GET /which-service`: the questions; with answers in the query, the suggestion. The form is sent
/// with GET so that nothing is stored and no sign-in or CSRF token is needed. Any query at all is
/// read leniently: junk never causes an error page, only the form again with what is missing.
pub async fn which_service(State(state): State<AppState>, caller: Caller, RawQuery(query): RawQuery) -> Response {
    let pairs: Vec<(String, String)> = form_urlencoded::parse(query.unwrap_or_default().as_bytes())
        .into_owned()
        .collect();
    let answers = Answers::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let has = |name: &str| pairs.iter().any(|(k, _)| k == name);
    let submitted = has(SUBMITTED) || QUESTIONS.iter().any(|q| has(q.field));
    let shell = shell(&state, &caller).await;

    if has(CHANGE) || !submitted {
        return render(&ChecklistForm::new(shell, answers, FieldErrors::new()));
    }
    let unanswered = answers.unanswered();
    if !unanswered.is_empty() {
        let mut errors = FieldErrors::new();
        for q in unanswered {
            errors.add(q.field, shell.t(question_key(q, "missing")));
        }
        return render_with(
            StatusCode::UNPROCESSABLE_ENTITY,
            &ChecklistForm::new(shell, answers, errors),
        );
    }

    let outcome = checklist::recommend(&answers);
    let rows = QUESTIONS
        .iter()
        .map(|q| AnswerRow {
            question: shell.t(question_key(q, "text")),
            answer: shell.t(answer_key(answers.get(q.concern))),
        })
        .collect();
    let mut change = form_urlencoded::Serializer::new(String::new());
    change.append_pair(CHANGE, "yes");
    for (field, value) in answers.pairs() {
        change.append_pair(field, value);
    }
    render(&ChecklistResult {
        heading: shell.t(format!("checklist-heading-{}", outcome.recommendation.as_str())),
        shell,
        kind: outcome.recommendation.as_str(),
        reasons: reasons(&outcome),
        rows,
        change_href: format!("/which-service?{}", change.finish()),
    })
}

// ---------------------------------------------------------------------------------------------
// How to be referred

#[derive(askama::Template)]
#[template(path = "refer.html")]
struct ReferPage {
    shell: Shell,
    /// Each centre's name and the phone number it gives families: the centre's public details
    /// only (its address is for staff, and nothing of a family's is here).
    centres: Vec<(String, Option<String>)>,
}

pub async fn refer(State(state): State<AppState>, caller: Caller) -> Response {
    let centres = match familytime_app::referrals::public_centres(&state).await {
        Ok(centres) => centres,
        Err(err) => return super::error_page(err),
    };
    let centres = centres.into_iter().map(|c| (c.name, c.public_phone)).collect();
    render(&ReferPage {
        shell: shell(&state, &caller).await,
        centres,
    })
}

// ---------------------------------------------------------------------------------------------
// Prices

/// Pence as pounds: 14700 → "£147.00", 123456 → "£1,234.56".
pub fn format_pence(pence: i64) -> String {
    let sign = if pence < 0 { "-" } else { "" };
    let pence = pence.unsigned_abs();
    let pounds = (pence / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in pounds.chars().enumerate() {
        if i > 0 && (pounds.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    format!("{sign}£{grouped}.{:02}", pence % 100)
}

struct PriceRow {
    item: String,
    amount: String,
}

struct CentrePrices {
    name: String,
    prices: Vec<PriceRow>,
    /// The policy's tiers in words; empty when late cancellation costs nothing.
    cancellation: Vec<String>,
}

#[derive(askama::Template)]
#[template(path = "prices.html")]
struct PricesPage {
    shell: Shell,
    centres: Vec<CentrePrices>,
}

/// The policy's tiers as a parent reads them, in the request's language.
fn tier_words(tier: &familytime_domain::billing::Tier) -> String {
    use familytime_domain::billing::{Canceller, Forfeit};
    let who = match tier.by {
        Canceller::Resident => "resident",
        _ => "other",
    };
    let (loses, percent) = match tier.forfeit {
        Forfeit::Deposit => ("deposit", 0),
        Forfeit::SessionFee { basis_points: 10_000 } => ("session", 100),
        Forfeit::SessionFee { basis_points } => ("part", basis_points / 100),
        Forfeit::Nothing => ("nothing", 0),
    };
    i18n::t_args(
        "prices-tier",
        &i18n::args([
            ("hours", tier.under_hours.into()),
            ("who", who.into()),
            ("loses", loses.into()),
            ("percent", percent.into()),
        ]),
    )
}

/// GET /prices: each centre's prices as they stand today, from its price list.
pub async fn prices(State(state): State<AppState>, caller: Caller) -> super::PageResult {
    let centres = familytime_app::billing::public_prices(&state)
        .await?
        .into_iter()
        .map(|c| CentrePrices {
            name: c.centre_name,
            prices: c
                .prices
                .iter()
                .map(|(item, amount)| PriceRow {
                    item: i18n::t(&format!("price-{}", item.as_str())),
                    amount: format_pence(amount.0),
                })
                .collect(),
            cancellation: c.policy.tiers().iter().map(tier_words).collect(),
        })
        .collect();
    Ok(render(&PricesPage {
        shell: shell(&state, &caller).await,
        centres,
    }))
}

// ---------------------------------------------------------------------------------------------
// Jargon buster

/// A term and what it means, in the catalogues as `term-{id}-term` and `term-{id}-meaning`. `id` is
/// its anchor, so other pages can link to one term.
pub struct Term {
    pub id: &'static str,
}

impl Term {
    /// The catalogue key of the term (`term`) or of what it means (`meaning`).
    pub fn key(&self, part: &str) -> String {
        format!("term-{}-{part}", self.id)
    }
}

/// In the English alphabetical order, ignoring case (a test keeps it so).
pub const TERMS: &[Term] = &[
    Term { id: "c8" },
    Term { id: "cafcass" },
    Term { id: "cao" },
    Term { id: "cci" },
    Term { id: "dbs" },
    Term { id: "dsl" },
    Term { id: "handover" },
    Term { id: "injunction" },
    Term { id: "lado" },
    Term { id: "mash" },
    Term { id: "naccc" },
    Term {
        id: "non-molestation-order",
    },
    Term { id: "nrp" },
    Term { id: "pr" },
    Term { id: "pre-visit" },
    Term { id: "rp" },
    Term { id: "supervised" },
    Term { id: "supported" },
];

#[derive(askama::Template)]
#[template(path = "jargon_buster.html")]
struct JargonPage {
    shell: Shell,
    terms: &'static [Term],
}

pub async fn jargon_buster(State(state): State<AppState>, caller: Caller) -> Response {
    render(&JargonPage {
        shell: shell(&state, &caller).await,
        terms: TERMS,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pence_are_shown_as_pounds() {
        assert_eq!(format_pence(0), "£0.00");
        assert_eq!(format_pence(5), "£0.05");
        assert_eq!(format_pence(6_100), "£61.00");
        assert_eq!(format_pence(14_700), "£147.00");
        assert_eq!(format_pence(123_456), "£1,234.56");
        assert_eq!(format_pence(100_000_000), "£1,000,000.00");
        assert_eq!(format_pence(-5_100), "-£51.00");
    }

    #[test]
    fn the_jargon_buster_is_alphabetical_with_distinct_anchors() {
        let term = |t: &Term| i18n::message(i18n::Lang::En, &t.key("term"), None).to_lowercase();
        for pair in TERMS.windows(2) {
            assert!(
                term(&pair[0]) < term(&pair[1]),
                "{} should come after {}",
                term(&pair[0]),
                term(&pair[1])
            );
        }
        for (i, t) in TERMS.iter().enumerate() {
            assert!(TERMS[i + 1..].iter().all(|o| o.id != t.id), "{}", t.id);
        }
    }

    #[test]
    fn the_reasons_in_english_are_the_domains_own() {
        use Answer::*;
        let cases: [&[(&str, Answer)]; 6] = [
            &[],
            &[("harm", Yes)],
            &[("court-order", Yes)],
            &[("abuse", Yes), ("conflict", Yes), ("care", NotSure)],
            &[("abduction", Yes), ("long-gap", NotSure), ("care", NotSure)],
            &[("mental-health", NotSure)],
        ];
        for given in cases {
            let pairs = QUESTIONS.iter().map(|q| {
                let answer = given.iter().find(|(f, _)| *f == q.field).map_or(No, |(_, a)| *a);
                (q.field, answer.as_str())
            });
            let outcome = checklist::recommend(&Answers::from_pairs(pairs));
            assert_eq!(reasons(&outcome), outcome.reasons, "{given:?}");
        }
    }

    #[test]
    fn the_english_catalogue_says_what_the_domain_says() {
        let en = |key: &str| i18n::message(i18n::Lang::En, key, None);
        for q in &QUESTIONS {
            assert_eq!(en(&question_key(q, "text")), q.text);
            assert_eq!(en(&question_key(q, "yes")), q.yes_reason);
            assert_eq!(en(&question_key(q, "missing")), q.missing);
            if !q.hint.is_empty() {
                assert_eq!(en(&question_key(q, "hint")), q.hint);
            }
        }
        for a in Answer::ALL {
            assert_eq!(en(answer_key(Some(a))), a.label());
        }
        for r in [
            Recommendation::Supported,
            Recommendation::Supervised,
            Recommendation::TalkToUs,
        ] {
            assert_eq!(en(&format!("checklist-heading-{}", r.as_str())), r.heading());
        }
        for item in Item::ALL {
            assert_eq!(en(&format!("price-{}", item.as_str())), item.label());
        }
        for (kind, label) in ORDER_KINDS {
            assert_eq!(en(&format!("order-{kind}")), label);
        }
    }

    #[test]
    fn service_anchors_are_distinct() {
        for (i, s) in SERVICES.iter().enumerate() {
            assert!(SERVICES[i + 1..].iter().all(|o| o.id != s.id), "{}", s.id);
        }
    }
}
