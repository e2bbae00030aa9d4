//! Confidential contact details. An address, phone number, e-mail address or school can be hidden from
//! named parties of a case (as the family court does with its form C8). The value lives inside
//! `Confidential`, which cannot be displayed, serialised or logged: the only way to the text is
//! `reveal`, which needs a `Disclosure` — and a `Disclosure` is only made by `may_disclose`, after the
//! caller has been checked against the parties it is hidden from. The store audits every disclosure.

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

/// Who is looking: a staff role, or a party to the case (a parent who signed in, say).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewer<P: Copy + PartialEq> {
    Staff(Role),
    Party(P),
    /// A referrer, a party of another case, an anonymous visitor: never shown hidden details.
    Other,
}

/// Whether this viewer may see a detail hidden from `hidden_from`. Staff who run cases (coordinators,
/// supervisors, safeguarding leads, administrators) may; volunteers see only what a session needs, never
/// a hidden detail; a party may unless they are one it is hidden from; anyone else may not.
pub fn may_disclose<P: Copy + PartialEq>(viewer: Viewer<P>, hidden_from: &[P]) -> Option<Disclosure> {
    let allowed = match viewer {
        Viewer::Staff(role) => matches!(
            role,
            Role::OrganisationAdmin | Role::Coordinator | Role::Supervisor | Role::SafeguardingLead
        ),
        Viewer::Party(p) => !hidden_from.contains(&p),
        Viewer::Other => false,
    };
    allowed.then_some(Disclosure { _private: () })
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(may_disclose(Viewer::Party(visiting), &hidden_from).is_none());
        let ok = may_disclose(Viewer::Party(resident), &hidden_from).expect("the resident parent sees their own");
        assert_eq!(Confidential::new("x").reveal(&ok), &"x");
    }

    #[test]
    fn volunteers_referrers_and_strangers_never_see_hidden_details() {
        let hidden_from = [2];
        assert!(may_disclose(Viewer::Staff(Role::Volunteer), &hidden_from).is_none());
        assert!(may_disclose(Viewer::Staff(Role::Referrer), &hidden_from).is_none());
        assert!(may_disclose(Viewer::<i32>::Other, &hidden_from).is_none());
        assert!(may_disclose(Viewer::Staff(Role::Coordinator), &hidden_from).is_some());
    }
}
