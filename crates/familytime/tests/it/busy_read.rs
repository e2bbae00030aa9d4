//! The free-time search's read of what is busy (`Store::claims_between`, decision 0038): each
//! resource's claims come back as one row, their instants joined into one text. Over a randomised
//! set of bookings (seeded from the injected clock, the seed printed so a failure can be replayed)
//! the read must give exactly the claims a plain filter of everything booked gives, for random
//! windows and random sets of resources.

use crate::harness::TestApp;
use familytime_app::clock::Clock;
use familytime_domain::Timestamp;
use familytime_domain::ids::BookingId;
use familytime_domain::schedule::{Interval, LONGEST_MARGIN_MINUTES, LONGEST_SESSION_MINUTES, add_minutes};
use familytime_store::schedule::{BookingError, Claim, NewBooking};
use std::collections::BTreeMap;

/// A small generator (64-bit LCG, the high bits), enough to spread bookings and windows.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: i64) -> i64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n.max(1) as u64) as i64
    }
}

fn booking(centre: familytime_domain::ids::CentreId, now: Timestamp, claims: Vec<Claim>) -> NewBooking {
    let span = claims[0].span;
    NewBooking {
        id: BookingId::new_v7(now),
        centre_id: centre,
        case_id: None,
        kind: "review".into(),
        room_id: None,
        hall_capacity: None,
        span,
        series_id: None,
        video_token: None,
        staff: Vec::new(),
        parties: Vec::new(),
        children: Vec::new(),
        claims,
        pair_windows: Vec::new(),
        rescheduled_from: None,
        charges: Vec::new(),
        pre_visit: None,
        local_day: span.start.to_zoned(jiff::tz::TimeZone::UTC).date(),
    }
}

#[tokio::test]
async fn the_busy_read_gives_every_claim_in_the_window_and_no_other() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Busy read").await;
    let scope = app.seed_scope(Some(org.id));
    // Whole seconds: the store keeps milliseconds, and the reference compares what was sent.
    let now = Timestamp::from_second(app.clock.now().as_second()).expect("now");
    let seed = now.as_millisecond().unsigned_abs();
    println!("seed {seed}");
    let mut rng = Lcg(seed);
    let resources: Vec<String> = (0..8).map(|n| format!("staff:busy-read-{n}")).collect();
    let longest = LONGEST_SESSION_MINUTES + 2 * LONGEST_MARGIN_MINUTES;

    // What was booked, by resource: the reference the read is checked against.
    let mut booked: BTreeMap<String, Vec<Interval>> = BTreeMap::new();
    for _ in 0..150 {
        let start = add_minutes(now, (rng.below(20 * 24 * 12) - 5 * 24 * 12) * 5);
        // Mostly sessions of up to four hours, now and then one as long as a claim can be.
        let minutes = 15
            + if rng.below(10) == 0 {
                rng.below(longest - 14)
            } else {
                rng.below(240)
            };
        let span = Interval::new(start, add_minutes(start, minutes)).expect("a span");
        let mut held: Vec<&String> = vec![&resources[rng.below(8) as usize]];
        let other = &resources[rng.below(8) as usize];
        if rng.below(2) == 0 && !held.contains(&other) {
            held.push(other);
        }
        let claims = held
            .iter()
            .map(|r| Claim {
                resource: (*r).clone(),
                exclusive: true,
                span,
                label: "staff".into(),
            })
            .collect();
        match app
            .store
            .book(&scope, org.id, &[booking(org.centre, now, claims)])
            .await
        {
            Ok(()) => {
                for r in held {
                    booked.entry(r.clone()).or_default().push(span);
                }
            }
            Err(BookingError::Clashes(_)) => {}
            Err(BookingError::Rules(why)) => panic!("a review meeting is not held back by the rules: {why:?}"),
            Err(BookingError::Store(e)) => panic!("booking failed: {e:?}"),
        }
    }
    let total: usize = booked.values().map(Vec::len).sum();
    assert!(
        total >= 60,
        "seed {seed}: only {total} claims were written; the check would prove little"
    );

    let mut nonempty = 0;
    for round in 0..60 {
        let from = add_minutes(now, (rng.below(22 * 24 * 4) - 6 * 24 * 4) * 15);
        let to = add_minutes(from, 60 + rng.below(10 * 24 * 60));
        // Some of the resources, and one nothing ever claimed.
        let mut asked: Vec<String> = resources.iter().filter(|_| rng.below(3) > 0).cloned().collect();
        asked.push("staff:never-claimed".into());
        let read = app
            .store
            .claims_between(org.id, &asked, from, to)
            .await
            .expect("the busy read");
        for resource in &asked {
            let mut expected: Vec<Interval> = booked
                .get(resource)
                .map(|spans| spans.iter().filter(|s| s.start < to && s.end > from).copied().collect())
                .unwrap_or_default();
            let mut got = read.get(resource).cloned().unwrap_or_default();
            expected.sort();
            got.sort();
            assert_eq!(
                got, expected,
                "seed {seed}, round {round}: {resource} between {from} and {to}"
            );
            nonempty += usize::from(!expected.is_empty());
        }
        assert!(
            read.keys().all(|r| asked.contains(r)),
            "seed {seed}: a resource not asked for came back"
        );
    }
    assert!(
        nonempty >= 20,
        "seed {seed}: too few windows held anything ({nonempty})"
    );
    app.finish().await;
}
