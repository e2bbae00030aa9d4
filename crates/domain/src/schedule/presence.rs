//! Who is on site when: each party's staggered windows for a session, the never-meet check's
//! choice of windows, and when a case's risk calls for separate entrances.

use super::interval::{Interval, add_minutes};
use super::kinds::Arrivals;
use super::settings::{Settings, StaggerDirection};
use jiff::Timestamp;
use serde::Serialize;

/// How a party takes part in a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Attendance {
    /// Brings the child and collects them (the resident parent or carer), leaving the premises in
    /// between: at the seed centre the resident parent is not generally permitted to remain.
    BringsChild,
    /// Brings the child and stays on the premises (in their own waiting room) through the session,
    /// where the order or the case allows it: a booking's exception (decision 0047).
    StaysWithChild,
    /// Has the contact (the visiting parent or relative).
    HasContact,
    /// Comes to a pre-visit or review alone.
    Alone,
}

/// One party's time on site for a session: the stretches they spend in shared spaces (arriving,
/// leaving, handing over) and the whole span from first arrival to last departure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Presence<P> {
    pub party: P,
    pub attendance: Attendance,
    /// When they are in the entrance, reception or car park.
    pub moving: Vec<Interval>,
    /// From arrival to departure (for the resident parent: drop-off and collection apart).
    pub on_site: Vec<Interval>,
    /// When they arrive and leave, for the plan.
    pub arrives: Timestamp,
    pub leaves: Timestamp,
    /// When they are off the premises between dropping the child off and picking them up (the
    /// resident parent who does not stay), for the plan and the register.
    pub away: Option<Interval>,
}

/// Each party's windows for a session `[start, end)`. Parents of the same case are kept apart by
/// the stretches they spend arriving and leaving (each waits in their own room in between); the
/// settings guarantee those stretches never overlap (see `Settings::validate`).
pub fn on_site_windows<P: Clone>(
    arrivals: Arrivals,
    session: &Interval,
    settings: &Settings,
    parties: &[(P, Attendance)],
) -> Vec<Presence<P>> {
    if arrivals == Arrivals::OffSite {
        return Vec::new();
    }
    let h = settings.handover_minutes;
    let (s, e) = (session.start, session.end);
    let stretch = |at: Timestamp| Interval {
        start: at,
        end: add_minutes(at, h),
    };
    parties
        .iter()
        .map(|(party, attendance)| {
            let attendance = if arrivals == Arrivals::OneAdult {
                Attendance::Alone
            } else {
                *attendance
            };
            let (moving, on_site) = match (attendance, settings.direction) {
                (Attendance::Alone, _) => (
                    vec![stretch(add_minutes(s, -h)), stretch(e)],
                    vec![Interval {
                        start: add_minutes(s, -h),
                        end: add_minutes(e, h),
                    }],
                ),
                // UK: the visitor comes in early and waits; the child is brought at the start,
                // taken home at the end, and the visitor leaves after the delay.
                (Attendance::HasContact, StaggerDirection::VisitingFirst) => {
                    let arrive = add_minutes(s, -settings.arrival_lead_minutes);
                    let leave = add_minutes(e, settings.departure_delay_minutes);
                    (
                        vec![stretch(arrive), stretch(leave)],
                        vec![Interval {
                            start: arrive,
                            end: add_minutes(leave, h),
                        }],
                    )
                }
                (Attendance::BringsChild, StaggerDirection::VisitingFirst) => {
                    (vec![stretch(s), stretch(e)], vec![stretch(s), stretch(e)])
                }
                // Staying: the same stretches in the entrance, on the premises in between.
                (Attendance::StaysWithChild, StaggerDirection::VisitingFirst) => (
                    vec![stretch(s), stretch(e)],
                    vec![Interval {
                        start: s,
                        end: add_minutes(e, h),
                    }],
                ),
                // US: the child is dropped off early and the resident parent leaves before the
                // visitor arrives; at the end the visitor leaves first.
                (Attendance::BringsChild, StaggerDirection::ResidentFirst) => {
                    let drop = add_minutes(s, -settings.arrival_lead_minutes);
                    let collect = add_minutes(e, settings.departure_delay_minutes);
                    (
                        vec![stretch(drop), stretch(collect)],
                        vec![stretch(drop), stretch(collect)],
                    )
                }
                (Attendance::StaysWithChild, StaggerDirection::ResidentFirst) => {
                    let drop = add_minutes(s, -settings.arrival_lead_minutes);
                    let collect = add_minutes(e, settings.departure_delay_minutes);
                    (
                        vec![stretch(drop), stretch(collect)],
                        vec![Interval {
                            start: drop,
                            end: add_minutes(collect, h),
                        }],
                    )
                }
                (Attendance::HasContact, StaggerDirection::ResidentFirst) => (
                    vec![stretch(s), stretch(e)],
                    vec![Interval {
                        start: s,
                        end: add_minutes(e, h),
                    }],
                ),
            };
            let arrives = on_site.iter().map(|i| i.start).min().unwrap_or(s);
            let leaves = on_site.iter().map(|i| i.end).max().unwrap_or(e);
            // Two stretches on site: away between them.
            let away = match on_site.as_slice() {
                [first, second] => Interval::new(first.end, second.start),
                _ => None,
            };
            Presence {
                party: party.clone(),
                attendance,
                moving,
                on_site,
                arrives,
                leaves,
                away,
            }
        })
        .collect()
}

/// Why a case's risk calls for the adults to use separate entrances or waiting rooms, if it does:
/// a non-molestation order or an injunction on the case (`order_kinds` are court-order kinds), or
/// domestic abuse or high hostility in its latest risk assessment. The arrival plan warns when such
/// a case's session has none set.
pub fn separation_advised(order_kinds: &[&str], latest_concerns: &[crate::triage::Concern]) -> Option<&'static str> {
    use crate::triage::Concern;
    if order_kinds.contains(&"non_molestation") {
        Some("the case has a non-molestation order")
    } else if order_kinds.contains(&"injunction") {
        Some("the case has an injunction")
    } else if latest_concerns.contains(&Concern::DomesticAbuse) {
        Some("its risk assessment records domestic abuse")
    } else if latest_concerns.contains(&Concern::Hostility) {
        Some("its risk assessment records high hostility between the adults")
    } else {
        None
    }
}

/// Which windows a never-meet pair compares: the two parents of one case are kept apart where
/// they could meet (entrance, reception); a pair a coordinator adds (a non-molestation order
/// against someone in another family) must not be on site at the same time at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Separation {
    SameCase,
    Added,
}

impl Separation {
    pub fn windows<P>(self, presence: &Presence<P>) -> &[Interval] {
        match self {
            Separation::SameCase => &presence.moving,
            Separation::Added => &presence.on_site,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{london, span};
    use super::super::interval::any_overlap;
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    #[test]
    fn separate_entrances_are_advised_for_orders_and_abuse_not_for_every_case() {
        use crate::triage::Concern;
        assert!(separation_advised(&["non_molestation"], &[]).is_some_and(|w| w.contains("non-molestation")));
        assert!(separation_advised(&["child_arrangements", "injunction"], &[]).is_some());
        assert!(separation_advised(&[], &[Concern::DomesticAbuse]).is_some());
        assert!(separation_advised(&[], &[Concern::Hostility]).is_some());
        assert_eq!(separation_advised(&["child_arrangements"], &[Concern::LongGap]), None);
    }

    #[test]
    fn uk_and_us_staggers_run_in_opposite_directions() {
        let z = london();
        let session = span(&z, date(2026, 11, 23), 10, 120);
        let parties = [
            ("resident", Attendance::BringsChild),
            ("visiting", Attendance::HasContact),
        ];
        let uk = on_site_windows(Arrivals::Staggered, &session, &Settings::default(), &parties);
        assert!(uk[1].arrives < uk[0].arrives, "UK: the visiting parent arrives first");
        assert!(uk[1].leaves > uk[0].leaves, "UK: and leaves last");
        let us_settings = Settings {
            direction: StaggerDirection::ResidentFirst,
            ..Settings::default()
        };
        let us = on_site_windows(Arrivals::Staggered, &session, &us_settings, &parties);
        assert!(us[0].arrives < us[1].arrives, "US: the resident parent arrives first");
        assert!(us[0].leaves > us[1].leaves, "US: and collects last");
        assert!(on_site_windows(Arrivals::OffSite, &session, &us_settings, &parties).is_empty());
    }

    #[test]
    fn the_resident_parent_drops_off_and_leaves_unless_the_booking_lets_them_stay() {
        let z = london();
        let session = span(&z, date(2026, 11, 23), 10, 120);
        for direction in [StaggerDirection::VisitingFirst, StaggerDirection::ResidentFirst] {
            let settings = Settings {
                direction,
                ..Settings::default()
            };
            let w = on_site_windows(
                Arrivals::Staggered,
                &session,
                &settings,
                &[
                    ("resident", Attendance::BringsChild),
                    ("visiting", Attendance::HasContact),
                ],
            );
            let away = w[0].away.expect("the resident parent is away during the session");
            assert!(
                away.start <= add_minutes(session.start, settings.handover_minutes) && away.end >= session.end,
                "away from the drop-off to the pick-up: {away:?}"
            );
            assert!(w[1].away.is_none(), "the visiting parent stays through");
            let stays = on_site_windows(
                Arrivals::Staggered,
                &session,
                &settings,
                &[
                    ("resident", Attendance::StaysWithChild),
                    ("visiting", Attendance::HasContact),
                ],
            );
            assert!(stays[0].away.is_none());
            assert_eq!(stays[0].moving, w[0].moving, "the same stretches in the entrance");
            assert_eq!((stays[0].arrives, stays[0].leaves), (w[0].arrives, w[0].leaves));
            assert!(!any_overlap(&stays[0].moving, &stays[1].moving));
        }
    }

    fn settings_strategy() -> impl Strategy<Value = Settings> {
        (1i64..30, 0i64..40, 0i64..40, any::<bool>()).prop_map(|(h, lead_extra, delay_extra, uk)| Settings {
            direction: if uk {
                StaggerDirection::VisitingFirst
            } else {
                StaggerDirection::ResidentFirst
            },
            handover_minutes: h,
            arrival_lead_minutes: h + lead_extra,
            departure_delay_minutes: h + delay_extra,
            ..Settings::default()
        })
    }

    proptest! {
        /// For any settings that validate, the two parents of a case are never in the shared
        /// spaces at the same time.
        #[test]
        fn never_meet_parents_of_a_case_never_share_the_entrance(
            settings in settings_strategy(),
            start_minute in 0i64..(60 * 24 * 400),
            minutes in 15i64..240,
        ) {
            prop_assume!(settings.validate().is_ok());
            let start = add_minutes(Timestamp::from_second(1_790_000_000).unwrap(), start_minute);
            let session = Interval::new(start, add_minutes(start, minutes)).unwrap();
            let w = on_site_windows(
                Arrivals::Staggered,
                &session,
                &settings,
                &[("r", Attendance::BringsChild), ("v", Attendance::HasContact)],
            );
            prop_assert!(!any_overlap(&w[0].moving, &w[1].moving));
            // The resident parent's time away is inside their claimed span and outside the
            // stretches they spend in the entrance.
            if let Some(away) = w[0].away {
                prop_assert!(w[0].arrives <= away.start && away.end <= w[0].leaves);
                prop_assert!(!any_overlap(&[away], &w[0].moving));
            }
        }
    }
}
