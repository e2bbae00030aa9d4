//! The public information pages for families (no sign-in): the services, the "which service do I
//! need?" checklist, how to be referred, the prices, and the jargon buster. Written in plain English
//! for a parent on a phone. Nothing a visitor does here is stored.

use super::{Shell, render, render_with};
use crate::{AppState, Caller};
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use familytime_domain::checklist::{self, Answer, Answers, Outcome, QUESTIONS, Question};
use familytime_domain::text::FieldErrors;

/// The menu for a signed-in visitor, or none. A public page must never fail because the database
/// is slow or down, so any problem here falls back to the signed-out shell.
async fn shell(state: &AppState, caller: &Caller) -> Shell {
    Shell::for_caller(state, caller, "")
        .await
        .unwrap_or_else(|_| Shell::anonymous())
}

// ---------------------------------------------------------------------------------------------
// Services

/// One service, as a family would want it explained.
pub struct Service {
    /// The anchor on the page, so other pages can link to one service.
    pub id: &'static str,
    pub name: &'static str,
    /// What it is.
    pub what: &'static [&'static str],
    /// Who it suits.
    pub suits: &'static str,
    /// Not every centre offers it.
    pub not_everywhere: bool,
}

const SERVICES: &[Service] = &[
    Service {
        id: "supported",
        name: "Supported contact",
        what: &[
            "Several families use the centre's rooms at the same time. Staff or volunteers are there to help and \
             to keep everyone comfortable, but they do not watch you closely or write notes about the visit.",
            "The parents do not have to meet: arrival and leaving times are planned so that you do not see each \
             other.",
        ],
        suits: "Families where the risk to the child is low, but trust has broken down or the parents find it \
                hard to talk. It is also the next step for families moving on from supervised contact.",
        not_everywhere: false,
    },
    Service {
        id: "supervised",
        name: "Supervised contact",
        what: &[
            "One family at a time. A trained supervisor stays where they can see and hear the child the whole \
             time, and writes down what happens.",
            "Reports can be written for the court, Cafcass, a social worker or whoever referred you. The parent \
             the child lives with does not usually stay at the centre during the visit.",
        ],
        suits: "Families where there may be a risk to the child, or where things are more complicated: for \
                example domestic abuse, worries about drugs or alcohol, or a court order that says contact must be \
                supervised.",
        not_everywhere: false,
    },
    Service {
        id: "handover",
        name: "Handover",
        what: &[
            "The centre is the place where the child is dropped off and picked up. The time together happens \
             somewhere else. The parents do not meet.",
        ],
        suits: "Families who no longer need help during contact, only with passing the child from one parent to \
                the other. It is often a step on from supported or supervised contact.",
        not_everywhere: false,
    },
    Service {
        id: "virtual",
        name: "Virtual contact",
        what: &[
            "Contact by video call. It can be supported or supervised.",
            "The centre sets up the call, so nobody sees anyone else's phone number, account or where they are.",
        ],
        suits: "Families who live far apart, or where meeting in person is not possible yet.",
        not_everywhere: true,
    },
    Service {
        id: "indirect",
        name: "Indirect contact (letterbox)",
        what: &[
            "Letters, cards, photos, videos or presents are sent to the centre. Staff check them and then pass \
             them on to the child. Replies come back the same way.",
            "Nobody's address is shared.",
        ],
        suits: "Families where meeting is not safe or not right for the child at the moment, or where one parent \
                must not know where the child lives.",
        not_everywhere: true,
    },
    Service {
        id: "community",
        name: "Community contact (sometimes called escorted contact)",
        what: &[
            "Supervised contact away from the centre: for example at a park, a soft play centre, a cinema, a café \
             or a family home, with a supervisor there.",
        ],
        suits: "Families where supervised contact is needed but a more everyday place would be better for the \
                child. The place has to be agreed first.",
        not_everywhere: true,
    },
    Service {
        id: "preparatory",
        name: "Preparatory sessions",
        what: &[
            "Sessions with a child or with an adult before contact starts, or before it starts again. They help \
             people know what contact will be like and how they might feel.",
            "They end with recommendations about what should happen next.",
        ],
        suits: "Anyone who is very anxious about contact, and children who have not seen the parent for a long \
                time or do not know them.",
        not_everywhere: true,
    },
    Service {
        id: "life-story",
        name: "Life story work",
        what: &[
            "Helps a child understand what has happened in their life and where they come from. It often ends \
             with something the child can keep, such as a book or a memory box.",
        ],
        suits: "Often children living in care, but it can help other children too.",
        not_everywhere: true,
    },
    Service {
        id: "hospital",
        name: "Hospital contact",
        what: &["Supervised contact in a hospital, for example with a newborn baby on a maternity ward."],
        suits: "Families where contact must be supervised and the child is in hospital.",
        not_everywhere: true,
    },
    Service {
        id: "welfare-check",
        name: "Welfare checks",
        what: &[
            "Staff visit a home to check that a child is well, after a request from social services and only \
             with the family's agreement. Staff cannot go in without permission.",
        ],
        suits: "Families where social services have asked for a check.",
        not_everywhere: true,
    },
    Service {
        id: "outreach",
        name: "Community outreach",
        what: &[
            "One-to-one support for a child or a family, at home or in the community, often alongside other \
             services.",
        ],
        suits: "Children in care, and families who need support that fits around them.",
        not_everywhere: true,
    },
];

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

/// One answer given, as the answer page repeats it.
struct AnswerRow {
    question: &'static str,
    answer: &'static str,
}

#[derive(askama::Template)]
#[template(path = "which_service_result.html")]
struct ChecklistResult {
    shell: Shell,
    outcome: Outcome,
    heading: &'static str,
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
            errors.add(q.field, q.missing);
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
            question: q.text,
            answer: answers.get(q.concern).map(Answer::label).unwrap_or("Not answered"),
        })
        .collect();
    let mut change = form_urlencoded::Serializer::new(String::new());
    change.append_pair(CHANGE, "yes");
    for (field, value) in answers.pairs() {
        change.append_pair(field, value);
    }
    render(&ChecklistResult {
        shell,
        heading: outcome.recommendation.heading(),
        kind: outcome.recommendation.as_str(),
        outcome,
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
    item: &'static str,
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

/// The policy's tiers as a parent reads them.
fn tier_words(tier: &familytime_domain::billing::Tier) -> String {
    use familytime_domain::billing::{Canceller, Forfeit};
    let who = match tier.by {
        Canceller::Resident => "the parent the child lives with",
        _ => "the other parent",
    };
    let loses = match tier.forfeit {
        Forfeit::Deposit => "their deposit".to_owned(),
        Forfeit::SessionFee { basis_points: 10_000 } => "the payment for that session".to_owned(),
        Forfeit::SessionFee { basis_points } => format!("{}% of the payment for that session", basis_points / 100),
        Forfeit::Nothing => "nothing".to_owned(),
    };
    format!(
        "with less than {} hours' notice, if {who} cancels, they lose {loses}",
        tier.under_hours
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
                    item: item.label(),
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

/// A term and what it means. `id` is its anchor, so other pages can link to one term.
pub struct Term {
    pub id: &'static str,
    pub term: &'static str,
    pub meaning: &'static str,
}

/// In alphabetical order, ignoring case (a test keeps it so).
pub const TERMS: &[Term] = &[
    Term {
        id: "c8",
        term: "C8",
        meaning: "The court form used to keep an address or phone number secret from the other people in a \
                  court case.",
    },
    Term {
        id: "cafcass",
        term: "Cafcass",
        meaning: "The Children and Family Court Advisory and Support Service: it advises the family court about \
                  children in England. In Wales it is Cafcass Cymru.",
    },
    Term {
        id: "cao",
        term: "CAO (child arrangements order)",
        meaning: "The court order that says who a child lives with and who they spend time with.",
    },
    Term {
        id: "cci",
        term: "CCI (Child Contact Intervention)",
        meaning: "A short series of supervised contact sessions paid for by Cafcass.",
    },
    Term {
        id: "dbs",
        term: "DBS check",
        meaning: "A criminal records check. Staff and volunteers at a contact centre have one.",
    },
    Term {
        id: "dsl",
        term: "DSL (Designated Safeguarding Lead)",
        meaning: "The person at the centre who decides what to do when someone is worried about a child's or \
                  an adult's safety.",
    },
    Term {
        id: "handover",
        term: "Handover",
        meaning: "When the centre is only the place where the child is dropped off and picked up, so the \
                  parents do not have to meet. The time together happens somewhere else.",
    },
    Term {
        id: "injunction",
        term: "Injunction",
        meaning: "A court order that tells someone to do, or not to do, something: for example not to contact \
                  another adult.",
    },
    Term {
        id: "lado",
        term: "LADO (local authority designated officer)",
        meaning: "The person at the council who deals with worries about adults who work with children, \
                  including staff and volunteers.",
    },
    Term {
        id: "mash",
        term: "MASH (multi-agency safeguarding hub)",
        meaning: "Where the council, police, health services and others share information to keep children safe.",
    },
    Term {
        id: "naccc",
        term: "NACCC",
        meaning: "The National Association of Child Contact Centres. It sets the standards that centres are \
                  accredited against.",
    },
    Term {
        id: "non-molestation-order",
        term: "Non-molestation order",
        meaning: "A court order that stops someone from threatening, harassing or being violent towards another \
                  person.",
    },
    Term {
        id: "nrp",
        term: "Non-resident parent (NRP)",
        meaning: "The parent the child does not live with, who comes to the centre to see the child. It can also \
                  be another relative, such as a grandparent.",
    },
    Term {
        id: "pr",
        term: "PR (parental responsibility)",
        meaning: "The legal rights and responsibilities a parent has for a child, such as agreeing to medical \
                  treatment or choosing a school.",
    },
    Term {
        id: "pre-visit",
        term: "Pre-visit",
        meaning: "A meeting at the centre before contact starts. Each adult has their own, never together. You \
                  see the rooms, meet the staff and agree the ground rules. The resident parent brings the child.",
    },
    Term {
        id: "rp",
        term: "Resident parent (RP)",
        meaning: "The parent or carer the child lives with, who brings the child to the centre.",
    },
    Term {
        id: "supervised",
        term: "Supervised contact",
        meaning: "Contact for one family at a time, with a supervisor who can see and hear the child all the \
                  time and writes down what happens.",
    },
    Term {
        id: "supported",
        term: "Supported contact",
        meaning: "Contact in a room shared by several families, with staff or volunteers there to help. They do \
                  not watch closely or write notes about the visit.",
    },
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
        for pair in TERMS.windows(2) {
            assert!(
                pair[0].term.to_lowercase() < pair[1].term.to_lowercase(),
                "{} should come after {}",
                pair[0].term,
                pair[1].term
            );
        }
        for (i, t) in TERMS.iter().enumerate() {
            assert!(TERMS[i + 1..].iter().all(|o| o.id != t.id), "{}", t.id);
        }
    }

    #[test]
    fn service_anchors_are_distinct() {
        for (i, s) in SERVICES.iter().enumerate() {
            assert!(SERVICES[i + 1..].iter().all(|o| o.id != s.id), "{}", s.id);
        }
    }
}
