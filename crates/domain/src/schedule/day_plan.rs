//! The day plan of a session (issue 19 item 6, decision 0047): from each adult's stored plan (when
//! they arrive and leave, when the resident parent leaves after the drop-off and comes back for the
//! pick-up, and how long staff talk with them on arriving and on leaving) the moments of the
//! session in order, and who is on the premises after each one.

use super::interval::{Interval, add_minutes};
use jiff::Timestamp;

/// One adult's stored plan for a session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdultPlan<P> {
    pub party: P,
    pub arrives: Timestamp,
    pub leaves: Timestamp,
    /// Off the premises between the drop-off and the pick-up (`None`: on the premises throughout).
    pub away: Option<Interval>,
    /// Minutes staff talk with them when they arrive and when they leave (0: no talk planned).
    pub talk_minutes: i64,
    /// Whether they bring and collect the child.
    pub brings_child: bool,
}

/// What happens at a moment of the session.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Moment {
    /// Arrives (the resident parent: with the child, for the drop-off).
    Arrives,
    /// Staff talk with them, alone, before the session (until `until`).
    TalkBefore,
    /// Leaves the premises after the drop-off.
    Departs,
    /// Comes back to pick the child up.
    Returns,
    /// Staff talk with them, alone, after the session.
    TalkAfter,
    /// Leaves (the resident parent: with the child).
    Leaves,
    /// The session (the child's time with the visiting parent) starts.
    SessionStarts,
    /// The session ends.
    SessionEnds,
}

impl Moment {
    /// The key of the moment's words in the `dayplan` catalogue.
    pub fn key(self, brings_child: bool) -> &'static str {
        match (self, brings_child) {
            (Moment::Arrives, true) => "dayplan-moment-drop-off",
            (Moment::Arrives, false) => "dayplan-moment-arrives",
            (Moment::TalkBefore, _) => "dayplan-moment-talk-before",
            (Moment::Departs, _) => "dayplan-moment-departs",
            (Moment::Returns, _) => "dayplan-moment-returns",
            (Moment::TalkAfter, _) => "dayplan-moment-talk-after",
            (Moment::Leaves, true) => "dayplan-moment-pick-up",
            (Moment::Leaves, false) => "dayplan-moment-leaves",
            (Moment::SessionStarts, _) => "dayplan-moment-session-starts",
            (Moment::SessionEnds, _) => "dayplan-moment-session-ends",
        }
    }
}

/// One line of a session's timeline: at `at` (until `until`, for a talk), `party` (none: the
/// session itself) does `moment`; `on_premises` are the adults on the premises just after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineLine<P> {
    pub at: Timestamp,
    pub until: Option<Timestamp>,
    pub party: Option<P>,
    pub brings_child: bool,
    pub moment: Moment,
    pub on_premises: Vec<P>,
}

/// Whether the adult is on the premises at `at`.
pub fn on_premises_at<P>(plan: &AdultPlan<P>, at: Timestamp) -> bool {
    plan.arrives <= at && at < plan.leaves && !plan.away.is_some_and(|a| a.start <= at && at < a.end)
}

/// The session's moments in order (ties: arrivals before talks before departures, so the list
/// reads as it happens), each with who is on the premises just after it.
pub fn timeline<P: Clone>(session: &Interval, plans: &[AdultPlan<P>]) -> Vec<TimelineLine<P>> {
    // (at, until, whose, what)
    type Line<'a, P> = (Timestamp, Option<Timestamp>, Option<&'a AdultPlan<P>>, Moment);
    let mut lines: Vec<Line<'_, P>> = vec![
        (session.start, None, None, Moment::SessionStarts),
        (session.end, None, None, Moment::SessionEnds),
    ];
    for plan in plans {
        lines.push((plan.arrives, None, Some(plan), Moment::Arrives));
        if plan.talk_minutes > 0 {
            lines.push((
                plan.arrives,
                Some(add_minutes(plan.arrives, plan.talk_minutes)),
                Some(plan),
                Moment::TalkBefore,
            ));
            lines.push((
                add_minutes(plan.leaves, -plan.talk_minutes),
                Some(plan.leaves),
                Some(plan),
                Moment::TalkAfter,
            ));
        }
        if let Some(away) = plan.away {
            lines.push((away.start, None, Some(plan), Moment::Departs));
            lines.push((away.end, None, Some(plan), Moment::Returns));
        }
        lines.push((plan.leaves, None, Some(plan), Moment::Leaves));
    }
    let order = |m: Moment| match m {
        Moment::Returns | Moment::Arrives => 0,
        Moment::TalkBefore | Moment::TalkAfter => 1,
        Moment::SessionStarts | Moment::SessionEnds => 2,
        Moment::Departs | Moment::Leaves => 3,
    };
    lines.sort_by_key(|(at, _, _, moment)| (*at, order(*moment)));
    lines
        .into_iter()
        .map(|(at, until, plan, moment)| TimelineLine {
            at,
            until,
            party: plan.map(|p| p.party.clone()),
            brings_child: plan.is_some_and(|p| p.brings_child),
            moment,
            // Just after the moment: someone leaving at `at` is gone, someone arriving is there.
            on_premises: plans
                .iter()
                .filter(|p| on_premises_at(p, at))
                .map(|p| p.party.clone())
                .collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{london, span};
    use super::super::kinds::Arrivals;
    use super::super::presence::{Attendance, on_site_windows};
    use super::super::settings::Settings;
    use super::*;
    use jiff::civil::date;

    fn plans(attendance: Attendance) -> (Interval, Vec<AdultPlan<&'static str>>) {
        let session = span(&london(), date(2026, 11, 23), 10, 120);
        let settings = Settings::default();
        let w = on_site_windows(
            Arrivals::Staggered,
            &session,
            &settings,
            &[("resident", attendance), ("visiting", Attendance::HasContact)],
        );
        let plans = w
            .iter()
            .map(|p| AdultPlan {
                party: p.party,
                arrives: p.arrives,
                leaves: p.leaves,
                away: p.away,
                talk_minutes: settings.handover_minutes,
                brings_child: p.attendance != Attendance::HasContact,
            })
            .collect();
        (session, plans)
    }

    #[test]
    fn the_resident_parent_is_off_the_premises_during_the_session_and_the_parents_talk_alone() {
        let (session, plans) = plans(Attendance::BringsChild);
        let lines = timeline(&session, &plans);
        let during = add_minutes(session.start, 60);
        assert!(!on_premises_at(&plans[0], during), "the resident parent has gone");
        assert!(on_premises_at(&plans[1], during), "the visiting parent is there");
        let moments: Vec<(Option<&str>, Moment)> = lines.iter().map(|l| (l.party, l.moment)).collect();
        assert_eq!(
            moments,
            vec![
                (Some("visiting"), Moment::Arrives),
                (Some("visiting"), Moment::TalkBefore),
                (Some("resident"), Moment::Arrives),
                (Some("resident"), Moment::TalkBefore),
                (None, Moment::SessionStarts),
                (Some("resident"), Moment::Departs),
                (Some("resident"), Moment::Returns),
                (Some("resident"), Moment::TalkAfter),
                (None, Moment::SessionEnds),
                (Some("resident"), Moment::Leaves),
                (Some("visiting"), Moment::TalkAfter),
                (Some("visiting"), Moment::Leaves),
            ]
        );
        // Each parent's talks with staff are theirs alone: never both parents in a talk at once.
        let talks = |p: &AdultPlan<&str>| {
            vec![
                Interval::new(p.arrives, add_minutes(p.arrives, p.talk_minutes)),
                Interval::new(add_minutes(p.leaves, -p.talk_minutes), p.leaves),
            ]
        };
        for a in talks(&plans[0]).into_iter().flatten() {
            for b in talks(&plans[1]).into_iter().flatten() {
                assert!(!a.overlaps(&b), "the talks are apart: {a:?} {b:?}");
            }
        }
        let after_departure = lines
            .iter()
            .find(|l| l.moment == Moment::Departs)
            .map(|l| l.on_premises.clone());
        assert_eq!(after_departure, Some(vec!["visiting"]));
    }

    #[test]
    fn a_resident_parent_allowed_to_stay_is_on_the_premises_throughout() {
        let (session, plans) = plans(Attendance::StaysWithChild);
        let lines = timeline(&session, &plans);
        assert!(lines.iter().all(|l| l.moment != Moment::Departs));
        assert!(on_premises_at(&plans[0], add_minutes(session.start, 60)));
    }
}
