//! Pre-visits: before contact starts, each adult visits the centre separately — never together — to
//! see the rooms, meet staff and agree the ground rules. The case is ready to book when the resident
//! and the visiting adults have each had theirs and agreed the rules.

use crate::intake::PartyRole;
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

/// How long a pre-visit is taken to last, for keeping two adults' visits apart.
pub const LENGTH: SignedDuration = SignedDuration::from_mins(60);

/// What staff go through at a pre-visit (ticked off on the record).
pub const CHECKLIST: [(&str, &str); 8] = [
    ("rooms_shown", "Rooms, entrances and waiting areas shown"),
    ("exits_toilets", "Fire exits and toilets shown"),
    (
        "staff_met",
        "Met the staff (and the child, at the resident parent's visit)",
    ),
    (
        "times_explained",
        "Arrival and leaving times explained (arrivals are staggered)",
    ),
    ("conduct_rules", "Rules on phones, photos, gifts and food explained"),
    ("confidentiality", "Confidentiality, records and reports explained"),
    ("complaints", "How to raise a concern or complaint explained"),
    ("emergency_contact", "Emergency contact taken"),
];

/// How a pre-visit stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VisitStatus {
    Scheduled,
    Done,
    Missed,
    Cancelled,
}

impl VisitStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            VisitStatus::Scheduled => "scheduled",
            VisitStatus::Done => "done",
            VisitStatus::Missed => "missed",
            VisitStatus::Cancelled => "cancelled",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            VisitStatus::Scheduled => "Booked",
            VisitStatus::Done => "Done",
            VisitStatus::Missed => "Did not come",
            VisitStatus::Cancelled => "Cancelled",
        }
    }
    pub fn parse(value: &str) -> Option<VisitStatus> {
        [
            VisitStatus::Scheduled,
            VisitStatus::Done,
            VisitStatus::Missed,
            VisitStatus::Cancelled,
        ]
        .into_iter()
        .find(|s| s.as_str() == value.trim())
    }
}

/// A pre-visit as the rules need it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit<P: Copy + PartialEq> {
    pub party: P,
    pub role: PartyRole,
    pub at: Timestamp,
    pub status: VisitStatus,
    pub rules_agreed: bool,
}

/// Refuses a pre-visit that would have two different adults of the case at the centre at once, or
/// a second live booking for the same adult.
pub fn check_new_visit<P: Copy + PartialEq>(existing: &[Visit<P>], party: P, at: Timestamp) -> Result<(), String> {
    for v in existing
        .iter()
        .filter(|v| v.status == VisitStatus::Scheduled || v.status == VisitStatus::Done)
    {
        if v.party == party && v.status == VisitStatus::Scheduled {
            return Err("This adult already has a pre-visit booked: record or cancel it first".into());
        }
        let apart = at.duration_since(v.at).abs();
        if v.party != party && apart < LENGTH {
            return Err("Pre-visits are never together: choose a time at least an hour from the other adult's".into());
        }
    }
    Ok(())
}

/// Whether the outcome of a pre-visit starting `at` can be recorded `now`: only once its time has
/// come (a visit cannot be recorded as done, nor as missed, before it could happen). Before then it
/// can be moved or cancelled through its booking.
pub fn may_record(at: Timestamp, now: Timestamp) -> Result<(), String> {
    if now < at {
        Err("This pre-visit has not happened yet: record how it went once its time has come (to call it off, cancel its booking)".into())
    } else {
        Ok(())
    }
}

/// What still stands between the case and booking sessions (empty: ready).
pub fn still_needed<P: Copy + PartialEq>(visits: &[Visit<P>]) -> Vec<&'static str> {
    let done = |role| {
        visits
            .iter()
            .any(|v| v.role == role && v.status == VisitStatus::Done && v.rules_agreed)
    };
    let mut needed = Vec::new();
    if !done(PartyRole::Resident) {
        needed.push("the resident parent's pre-visit, with the ground rules agreed");
    }
    if !done(PartyRole::Visiting) {
        needed.push("the visiting adult's pre-visit, with the ground rules agreed");
    }
    needed
}

/// What the booking rules still need of the pre-visits before contact (decision 0046): each
/// adult's visit done. The rules agreed are their own record now (`rules_agreements`), asked of
/// each parent by name for the current version of the centre's rules.
pub fn visits_still_needed<P: Copy + PartialEq>(visits: &[Visit<P>]) -> Vec<&'static str> {
    let done = |role| visits.iter().any(|v| v.role == role && v.status == VisitStatus::Done);
    let mut needed = Vec::new();
    if !done(PartyRole::Resident) {
        needed.push("the resident parent's pre-visit");
    }
    if !done(PartyRole::Visiting) {
        needed.push("the visiting adult's pre-visit");
    }
    needed
}

/// For supported contact, the first session may not be on the day of the resident parent's
/// pre-visit (where the centre's setting says so): the earliest day it can be.
pub fn earliest_supported_start(resident_visit_day: Date, same_day_allowed: bool) -> Date {
    if same_day_allowed {
        resident_visit_day
    } else {
        resident_visit_day.tomorrow().unwrap_or(resident_visit_day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + minutes * 60).unwrap()
    }

    fn visit(party: u8, role: PartyRole, minutes: i64, status: VisitStatus, rules_agreed: bool) -> Visit<u8> {
        Visit {
            party,
            role,
            at: at(minutes),
            status,
            rules_agreed,
        }
    }

    #[test]
    fn two_adults_are_never_booked_together() {
        let existing = [visit(1, PartyRole::Resident, 0, VisitStatus::Scheduled, false)];
        assert!(check_new_visit(&existing, 2, at(30)).is_err());
        assert!(check_new_visit(&existing, 2, at(-59)).is_err());
        assert!(check_new_visit(&existing, 2, at(60)).is_ok());
        assert!(check_new_visit(&existing, 2, at(24 * 60)).is_ok());
    }

    #[test]
    fn an_adult_has_one_booked_visit_at_a_time_and_cancelled_ones_do_not_count() {
        let existing = [visit(1, PartyRole::Resident, 0, VisitStatus::Scheduled, false)];
        assert!(check_new_visit(&existing, 1, at(24 * 60)).is_err());
        let cancelled = [visit(1, PartyRole::Resident, 0, VisitStatus::Cancelled, false)];
        assert!(check_new_visit(&cancelled, 2, at(10)).is_ok());
    }

    #[test]
    fn ready_to_book_when_both_parents_have_agreed_the_rules() {
        let mut visits = vec![visit(1, PartyRole::Resident, 0, VisitStatus::Done, true)];
        assert_eq!(still_needed(&visits).len(), 1);
        visits.push(visit(2, PartyRole::Visiting, 120, VisitStatus::Done, false));
        assert_eq!(still_needed(&visits).len(), 1, "the rules must be agreed");
        visits.push(visit(2, PartyRole::Visiting, 240, VisitStatus::Done, true));
        assert!(still_needed(&visits).is_empty());
    }

    #[test]
    fn an_outcome_is_recorded_only_once_the_visit_has_started() {
        assert!(
            may_record(at(60), at(0)).is_err(),
            "two days early in the issue; an hour here"
        );
        assert!(may_record(at(60), at(59)).is_err());
        assert!(may_record(at(60), at(60)).is_ok());
        assert!(may_record(at(60), at(24 * 60)).is_ok());
    }

    #[test]
    fn supported_contact_starts_the_day_after_the_resident_parents_visit() {
        let day = jiff::civil::date(2026, 11, 23);
        assert_eq!(earliest_supported_start(day, false), jiff::civil::date(2026, 11, 24));
        assert_eq!(earliest_supported_start(day, true), day);
    }
}
