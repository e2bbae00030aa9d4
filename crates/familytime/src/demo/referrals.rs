//! The demo's families: one referral for each status, received weeks ago and moved on step by step.

use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_store::{AuditScope, Store};

/// One family a status: a referral received weeks ago and moved on, step by step, as a coordinator
/// would have (the history reads as if it happened).
pub(super) async fn seed_cases(
    store: &Store,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    coordinator: Option<familytime_domain::ids::UserId>,
    cafcass: Option<familytime_domain::ids::UserId>,
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::intake::{AdultInput, ChildInput, ContactInput, OrderInput, ReferralInput};
    use familytime_domain::referrals::{CaseStatus as S, ClosureOutcome, Service, Transition};
    // (child, born, resident parent, visiting parent, source, statuses it went through, weeks ago)
    type Family = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [S],
        i64,
    );
    const ON_TO_ACTIVE: &[S] = &[S::WaitingList, S::Assessment, S::PreVisits, S::Accepted, S::Active];
    let families: [Family; 22] = [
        (
            "Mia Price",
            "2019-03-27",
            "Laura Price",
            "Daniel Price",
            "cafcass",
            ON_TO_ACTIVE,
            14,
        ),
        (
            "Oliver Grant",
            "2017-07-02",
            "Sarah Grant",
            "Mark Grant",
            "solicitor",
            &[],
            0,
        ),
        (
            "Amelia Khan",
            "2020-11-15",
            "Ayesha Khan",
            "Imran Khan",
            "social_worker",
            &[S::Incomplete],
            1,
        ),
        (
            "Noah Evans",
            "2018-01-30",
            "Rachel Evans",
            "Gareth Evans",
            "self_referral",
            &[S::AwaitingFee],
            1,
        ),
        (
            "Isla Murphy",
            "2021-05-09",
            "Ciara Murphy",
            "Sean Murphy",
            "cafcass",
            &[S::WaitingList],
            6,
        ),
        (
            "Leo Robinson",
            "2016-09-21",
            "Emma Robinson",
            "Jack Robinson",
            "court",
            &[S::WaitingList],
            4,
        ),
        (
            "Ava Wright",
            "2019-12-12",
            "Hannah Wright",
            "Tom Wright",
            "mediator",
            &[S::WaitingList, S::Assessment],
            7,
        ),
        (
            "Freddie Hall",
            "2015-04-18",
            "Kelly Hall",
            "Lee Hall",
            "cafcass",
            &[S::WaitingList, S::Assessment, S::PreVisits],
            8,
        ),
        (
            "Poppy Clarke",
            "2020-02-29",
            "Natalie Clarke",
            "Ryan Clarke",
            "solicitor",
            &[S::WaitingList, S::Assessment, S::PreVisits, S::Accepted],
            9,
        ),
        (
            "Harry Lewis",
            "2017-10-05",
            "Megan Lewis",
            "Craig Lewis",
            "other_centre",
            &[S::Signposted],
            3,
        ),
        (
            "Grace Walker",
            "2018-06-23",
            "Jodie Walker",
            "Paul Walker",
            "self_referral",
            &[S::Declined],
            5,
        ),
        (
            "George Young",
            "2016-03-14",
            "Lisa Young",
            "Darren Young",
            "cafcass",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::UnderReview,
            ],
            20,
        ),
        (
            "Lily Turner",
            "2014-08-01",
            "Claire Turner",
            "Steven Turner",
            "court",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::Closed,
            ],
            30,
        ),
        (
            "Jacob Hill",
            "2019-05-27",
            "Gemma Hill",
            "Adam Hill",
            "cafcass",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::Closed,
            ],
            26,
        ),
        // Families in the middle of their sessions, four at each centre, so each centre has a
        // realistic month ahead.
        (
            "Isla Morgan",
            "2018-02-11",
            "Natalie Morgan",
            "Craig Morgan",
            "cafcass",
            ON_TO_ACTIVE,
            12,
        ),
        (
            "Harry Patel",
            "2016-09-30",
            "Priya Patel",
            "Raj Patel",
            "solicitor",
            ON_TO_ACTIVE,
            11,
        ),
        (
            "Ava Wright",
            "2020-04-04",
            "Kelly Wright",
            "Jason Wright",
            "court",
            ON_TO_ACTIVE,
            10,
        ),
        (
            "Noah Clarke",
            "2017-12-19",
            "Rachel Clarke",
            "Liam Clarke",
            "cafcass",
            ON_TO_ACTIVE,
            10,
        ),
        (
            "Freya Scott",
            "2019-07-08",
            "Hannah Scott",
            "Dean Scott",
            "social_worker",
            ON_TO_ACTIVE,
            9,
        ),
        (
            "Leo Bennett",
            "2015-10-23",
            "Amy Bennett",
            "Gary Bennett",
            "cafcass",
            ON_TO_ACTIVE,
            9,
        ),
        (
            "Ella Ward",
            "2021-01-15",
            "Jade Ward",
            "Ryan Ward",
            "self_referral",
            ON_TO_ACTIVE,
            8,
        ),
        (
            "Theo Collins",
            "2018-06-02",
            "Laura Collins",
            "Paul Collins",
            "mediator",
            ON_TO_ACTIVE,
            8,
        ),
    ];
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    for (n, (child, born, resident, visiting, source, path, weeks)) in families.into_iter().enumerate() {
        let received = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * 7 * weeks))
            .unwrap_or(now);
        let hidden = |kind: &str, value: String| ContactInput {
            kind: kind.into(),
            value,
            hidden_from: vec![1],
        };
        let court_ordered = matches!(source, "cafcass" | "court");
        let input = ReferralInput {
            source: source.into(),
            referrer_name: if source == "cafcass" {
                "Rebecca Stone".into()
            } else {
                String::new()
            },
            referrer_organisation: if source == "cafcass" {
                "Cafcass".into()
            } else {
                String::new()
            },
            children: vec![ChildInput {
                name: child.into(),
                date_of_birth: born.into(),
                ..Default::default()
            }],
            adults: vec![
                AdultInput {
                    role: "resident".into(),
                    name: resident.into(),
                    relationship: "Mother".into(),
                    parental_responsibility: Some(true),
                    may_attend: true,
                    contacts: vec![
                        hidden("address", format!("{} Willow Court, Leeds LS{} 4QT", n + 3, n + 6)),
                        hidden("phone", format!("07700 900{:03}", 100 + n)),
                    ],
                    ..Default::default()
                },
                AdultInput {
                    role: "visiting".into(),
                    name: visiting.into(),
                    relationship: "Father".into(),
                    parental_responsibility: Some(true),
                    may_attend: true,
                    availability: "Weekday afternoons, Saturdays".into(),
                    // One father speaks Gujarati and needs an interpreter (decision 0047): the
                    // demo books one for his first session.
                    language: if visiting == "Raj Patel" {
                        "Gujarati".into()
                    } else {
                        String::new()
                    },
                    interpreter: visiting == "Raj Patel",
                    ..Default::default()
                },
            ],
            court_orders: if court_ordered {
                vec![OrderInput {
                    kind: "child_arrangements".into(),
                    made_on: "2026-06-01".into(),
                    court: "Leeds Family Court".into(),
                    sessions: Some(6),
                    reports_ordered: true,
                    report_recipients: "Cafcass and both parties' solicitors".into(),
                    ..Default::default()
                }]
            } else {
                Vec::new()
            },
            child_lives_with: resident.into(),
            risk_background: "Parents separated; communication has broken down.".into(),
            consent_to_share: true,
            ..Default::default()
        };
        let referral = input
            .parse(today)
            .map_err(|e| anyhow::anyhow!("demo referral {child}: {e:?}"))?;
        let referrer = if source == "cafcass" { cafcass } else { None };
        let scope = AuditScope {
            at: received,
            request_id: "demo-seed".into(),
            actor_user_id: coordinator,
            organisation_id: Some(org),
        };
        let id = store
            .create_case(&scope, org, centres[n % 2], referrer, &referral)
            .await?;
        for (step, to) in path.iter().enumerate() {
            let at = received
                .checked_add(jiff::SignedDuration::from_hours(72 * (step as i64 + 1)))
                .unwrap_or(now)
                .min(now);
            let reason = match to {
                S::Incomplete => "The court order has not been sent".to_owned(),
                S::Signposted => "Lives nearer another centre's service; referred on".to_owned(),
                S::Declined => "Abduction risk: the centre cannot manage it safely".to_owned(),
                _ => format!("Moved to {}", to.label().to_lowercase()),
            };
            let transition = Transition {
                to: *to,
                reason,
                service: (*to == S::Accepted).then_some(Service::Supervised),
                outcome: (*to == S::Closed).then_some(if n % 2 == 0 {
                    ClosureOutcome::MovedToHandover
                } else {
                    ClosureOutcome::ArrangingContactThemselves
                }),
                missing: (*to == S::Incomplete).then(|| "The child arrangements order".to_owned()),
            };
            store
                .transition_case(
                    &AuditScope { at, ..scope.clone() },
                    org,
                    id,
                    step as i64 + 1,
                    &transition,
                )
                .await?;
        }
    }
    Ok(())
}
