//! Confidential contact details. An address, phone number, e-mail address or school can be hidden from
//! named parties of a case (as the family court does with its form C8). The value lives inside
//! `Confidential`, which cannot be displayed, serialised or logged: the only way to the text is
//! `reveal`, which needs a `Disclosure` — and a `Disclosure` is only made by `may_disclose`, after the
//! caller has been checked against the parties it is hidden from. The store audits every disclosure.

use crate::Timestamp;
use crate::people::Role;
use std::fmt;

/// A value that must not reach anyone it is hidden from. No `Display`, no `Serialize`, and `Debug`
/// prints a placeholder, so neither a template, an API body nor a log line can carry it by accident.
#[derive(Clone, PartialEq, Eq)]
pub struct Confidential<T>(T);

impl<T> Confidential<T> {
    pub fn new(value: T) -> Self {
        Confidential(value)
    }

    /// The value, for someone a disclosure was granted to.
    pub fn reveal(&self, _disclosure: &Disclosure) -> &T {
        &self.0
    }

    /// The value, to write to the database: the store is the one place it is kept.
    pub fn for_storage(&self) -> &T {
        &self.0
    }
}

impl<T> fmt::Debug for Confidential<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Confidential(..)")
    }
}

/// Proof that the viewer may see one hidden value. Its field is private: only `may_disclose` makes it.
#[derive(Debug)]
pub struct Disclosure {
    _private: (),
}

/// What the application found out about one member of staff and one case, for `may_disclose`.
/// Gathered from the store; the decision is made here, from these facts and the time.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseRelation {
    /// The case's key worker.
    pub key_worker: bool,
    /// Named for the case (a coordinator or manager named by someone else).
    pub named: bool,
    /// When the (not cancelled) sessions of this case that the person is booked to supervise start.
    pub supervising: Vec<Timestamp>,
    /// Until when the latest reason this person gave to see the case's hidden details counts.
    pub break_glass_until: Option<Timestamp>,
}

/// Who is looking: a member of staff (with their relation to the case), or a party to the case (a
/// parent who signed in, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<'a, P: Copy + PartialEq> {
    Staff {
        role: Role,
        relation: &'a CaseRelation,
    },
    Party(P),
    /// A referrer, a party of another case, an anonymous visitor: never shown hidden details.
    Other,
}

/// Why a hidden detail was not shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Withheld {
    /// The person's role may see hidden details, but not of this case without a reason ("break
    /// glass"): they are not named for it and supervise none of its sessions today.
    ReasonNeeded,
    /// Never, reason or not: a volunteer, a referrer, a party it is hidden from, anyone else.
    Never,
}

impl Withheld {
    /// The word the API uses: `reason_needed` or `never`.
    pub fn as_str(self) -> &'static str {
        match self {
            Withheld::ReasonNeeded => "reason_needed",
            Withheld::Never => "never",
        }
    }
}

/// How long a reason given to see a case's hidden details counts: one hour, so the access stays
/// tied to the need that was written down (a later need is a new reason). See decision 0022.
pub const BREAK_GLASS_FOR: jiff::SignedDuration = jiff::SignedDuration::from_hours(1);

/// Until when a reason given at `given_at` counts.
pub fn break_glass_until(given_at: Timestamp) -> Timestamp {
    given_at.checked_add(BREAK_GLASS_FOR).unwrap_or(given_at)
}

/// Roles that may see a case's hidden details at all: those who run cases. Volunteers see only what
/// a session needs; referrers and parents are not staff of the centre.
pub fn role_may_see_hidden(role: Role) -> bool {
    matches!(
        role,
        Role::OrganisationAdmin | Role::Coordinator | Role::Supervisor | Role::SafeguardingLead
    )
}

/// Whether a person of this role may be named for a case: as its key worker, anyone who may see
/// hidden details; otherwise only coordinators and managers (administrators, the safeguarding lead),
/// since a supervisor's access follows the sessions they run.
pub fn may_be_named(role: Role, key_worker: bool) -> bool {
    role_may_see_hidden(role) && (key_worker || role != Role::Supervisor)
}

/// Whether this viewer may see a detail hidden from `hidden_from`, at `now`, for a case at a centre
/// in `zone`. Staff of a role that runs cases see a detail hidden from nobody (it is part of the case
/// file they may read). A detail hidden from a party is shown to the case's key worker, to the
/// coordinators and managers named for it, to the supervisor of one of its sessions on that
/// session's day (the centre's calendar day), and to anyone else of such a role only for a while after
/// they gave a reason. Volunteers, referrers and strangers never; a party unless it is hidden from them.
pub fn may_disclose<P: Copy + PartialEq>(
    viewer: Viewer<'_, P>,
    hidden_from: &[P],
    now: Timestamp,
    zone: &jiff::tz::TimeZone,
) -> Result<Disclosure, Withheld> {
    let granted = Disclosure { _private: () };
    match viewer {
        Viewer::Staff { role, relation } => {
            if !role_may_see_hidden(role) {
                return Err(Withheld::Never);
            }
            let today = now.to_zoned(zone.clone()).date();
            let allowed = hidden_from.is_empty()
                || relation.key_worker
                || (relation.named && may_be_named(role, false))
                || relation
                    .supervising
                    .iter()
                    .any(|start| start.to_zoned(zone.clone()).date() == today)
                || relation.break_glass_until.is_some_and(|until| now < until);
            if allowed {
                Ok(granted)
            } else {
                Err(Withheld::ReasonNeeded)
            }
        }
        Viewer::Party(p) if !hidden_from.contains(&p) => Ok(granted),
        Viewer::Party(_) | Viewer::Other => Err(Withheld::Never),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::tz::TimeZone;

    fn london() -> TimeZone {
        TimeZone::get("Europe/London").unwrap()
    }

    /// 10:00 at the centre on a summer day (the clocks are an hour ahead of UTC then).
    fn morning() -> Timestamp {
        "2026-07-15T09:00:00Z".parse().unwrap()
    }

    fn staff(role: Role, relation: &CaseRelation) -> Viewer<'_, i32> {
        Viewer::Staff { role, relation }
    }

    #[test]
    fn the_value_never_shows_in_debug_output() {
        let secret = Confidential::new("14 Canary Lane".to_owned());
        assert!(!format!("{secret:?}").contains("Canary"));
        assert!(!format!("{:?}", vec![secret]).contains("Canary"));
    }

    #[test]
    fn a_party_it_is_hidden_from_is_refused_others_are_not() {
        let (resident, visiting) = (1, 2);
        let hidden_from = [visiting];
        assert_eq!(
            may_disclose(Viewer::Party(visiting), &hidden_from, morning(), &london()).err(),
            Some(Withheld::Never)
        );
        let ok = may_disclose(Viewer::Party(resident), &hidden_from, morning(), &london())
            .expect("the resident parent sees their own");
        assert_eq!(Confidential::new("x").reveal(&ok), &"x");
    }

    #[test]
    fn hidden_details_volunteers_referrers_and_strangers_never_see_even_named_or_with_a_reason() {
        let everything = CaseRelation {
            key_worker: true,
            named: true,
            supervising: vec![morning()],
            break_glass_until: Some(break_glass_until(morning())),
        };
        for role in [Role::Volunteer, Role::Referrer, Role::Parent] {
            assert_eq!(
                may_disclose(staff(role, &everything), &[2], morning(), &london()).err(),
                Some(Withheld::Never),
                "{role}"
            );
        }
        assert_eq!(
            may_disclose(Viewer::<i32>::Other, &[2], morning(), &london()).err(),
            Some(Withheld::Never)
        );
    }

    #[test]
    fn hidden_details_staff_with_no_relation_to_the_case_must_give_a_reason() {
        let nothing = CaseRelation::default();
        for role in [
            Role::OrganisationAdmin,
            Role::Coordinator,
            Role::Supervisor,
            Role::SafeguardingLead,
        ] {
            assert_eq!(
                may_disclose(staff(role, &nothing), &[2], morning(), &london()).err(),
                Some(Withheld::ReasonNeeded),
                "{role}"
            );
            assert!(
                may_disclose(staff(role, &nothing), &[], morning(), &london()).is_ok(),
                "a detail hidden from nobody is part of the case file {role} may read"
            );
        }
    }

    #[test]
    fn hidden_details_the_key_worker_and_named_coordinators_see_them() {
        let key = CaseRelation {
            key_worker: true,
            ..CaseRelation::default()
        };
        let named = CaseRelation {
            named: true,
            ..CaseRelation::default()
        };
        assert!(may_disclose(staff(Role::Supervisor, &key), &[2], morning(), &london()).is_ok());
        assert!(may_disclose(staff(Role::Coordinator, &named), &[2], morning(), &london()).is_ok());
        assert!(may_disclose(staff(Role::OrganisationAdmin, &named), &[2], morning(), &london()).is_ok());
        assert!(may_disclose(staff(Role::SafeguardingLead, &named), &[2], morning(), &london()).is_ok());
        assert_eq!(
            may_disclose(staff(Role::Supervisor, &named), &[2], morning(), &london()).err(),
            Some(Withheld::ReasonNeeded),
            "a supervisor is named as the key worker or follows their sessions"
        );
    }

    #[test]
    fn hidden_details_a_sessions_supervisor_sees_them_on_that_day_only_in_the_centres_zone() {
        // The session starts at 10:00 London time; 00:30 London time that day is still 23:30 UTC the
        // day before, and 23:30 London time is 22:30 UTC the same day.
        let session: Timestamp = "2026-07-15T09:00:00Z".parse().unwrap();
        let relation = CaseRelation {
            supervising: vec![session],
            ..CaseRelation::default()
        };
        let at = |s: &str| -> Timestamp { s.parse().unwrap() };
        for (now, shown) in [
            ("2026-07-14T23:30:00Z", true),
            ("2026-07-15T22:30:00Z", true),
            ("2026-07-14T22:30:00Z", false),
            ("2026-07-15T23:30:00Z", false),
            ("2026-07-22T09:00:00Z", false),
        ] {
            let answer = may_disclose(staff(Role::Supervisor, &relation), &[2], at(now), &london());
            assert_eq!(answer.is_ok(), shown, "at {now}");
        }
        assert!(
            may_disclose(
                staff(Role::Supervisor, &relation),
                &[2],
                at("2026-07-14T23:30:00Z"),
                &TimeZone::UTC
            )
            .is_err(),
            "in UTC that instant is the day before"
        );
    }

    #[test]
    fn hidden_details_a_reason_counts_for_an_hour() {
        let given = morning();
        let relation = CaseRelation {
            break_glass_until: Some(break_glass_until(given)),
            ..CaseRelation::default()
        };
        let later = |minutes: i64| given.checked_add(jiff::SignedDuration::from_mins(minutes)).unwrap();
        assert!(may_disclose(staff(Role::Supervisor, &relation), &[2], later(0), &london()).is_ok());
        assert!(may_disclose(staff(Role::SafeguardingLead, &relation), &[2], later(59), &london()).is_ok());
        assert_eq!(
            may_disclose(staff(Role::Supervisor, &relation), &[2], later(60), &london()).err(),
            Some(Withheld::ReasonNeeded)
        );
    }

    #[test]
    fn hidden_details_who_may_be_named() {
        assert!(may_be_named(Role::Supervisor, true));
        assert!(!may_be_named(Role::Supervisor, false));
        assert!(may_be_named(Role::Coordinator, false));
        assert!(may_be_named(Role::OrganisationAdmin, false));
        assert!(may_be_named(Role::SafeguardingLead, true));
        assert!(!may_be_named(Role::Volunteer, true));
        assert!(!may_be_named(Role::Parent, true));
        assert!(!may_be_named(Role::Referrer, false));
    }
}
