//! Referrals and cases: where a referral came from, the services a centre can accept it for, and the
//! status machine a case moves through from first contact to closure. Illegal moves are refused here,
//! so no page, API call or script can make them.

use serde::Serialize;

/// Who referred the family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReferralSource {
    Cafcass,
    Court,
    Solicitor,
    SocialWorker,
    Mediator,
    OtherCentre,
    SelfReferral,
    Other,
}

/// A kind of service a case can be accepted for (each is a kind of booking with its own rules).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Service {
    Supported,
    Supervised,
    Handover,
    VirtualSupported,
    VirtualSupervised,
    Indirect,
    Community,
    Preparatory,
    Hospital,
    WelfareCheck,
    LifeStory,
}

/// Why a case was closed (reported in the statistics returns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosureOutcome {
    MovedToHandover,
    SteppedDownToSupported,
    ArrangingContactThemselves,
    CourtDecision,
    Disengaged,
    ChildDeclined,
    ServiceEnded,
    Other,
}

/// Where a referral or case stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    Received,
    Incomplete,
    AwaitingFee,
    WaitingList,
    Assessment,
    PreVisits,
    Accepted,
    Signposted,
    Declined,
    Active,
    UnderReview,
    Closed,
}

macro_rules! named {
    ($ty:ty, $($variant:ident => $name:literal, $label:literal;)*) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),*];
            /// The stable name used in the database and the API.
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $name),* }
            }
            /// The words a person reads.
            pub fn label(self) -> &'static str {
                match self { $(<$ty>::$variant => $label),* }
            }
            pub fn parse(value: &str) -> Option<$ty> {
                Self::ALL.iter().copied().find(|v| v.as_str() == value.trim())
            }
        }
        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}
pub(crate) use named;

named!(ReferralSource,
    Cafcass => "cafcass", "Cafcass or Cafcass Cymru";
    Court => "court", "A court";
    Solicitor => "solicitor", "A solicitor";
    SocialWorker => "social_worker", "A social worker";
    Mediator => "mediator", "A mediator";
    OtherCentre => "other_centre", "Another contact centre";
    SelfReferral => "self_referral", "The parent (self-referral)";
    Other => "other", "Someone else";
);

named!(Service,
    Supported => "supported", "Supported contact";
    Supervised => "supervised", "Supervised contact";
    Handover => "handover", "Handover";
    VirtualSupported => "virtual_supported", "Virtual contact (supported)";
    VirtualSupervised => "virtual_supervised", "Virtual contact (supervised)";
    Indirect => "indirect", "Indirect (letterbox) contact";
    Community => "community", "Community contact";
    Preparatory => "preparatory", "Preparatory sessions";
    Hospital => "hospital", "Hospital contact";
    WelfareCheck => "welfare_check", "Welfare check";
    LifeStory => "life_story", "Life story work";
);

named!(ClosureOutcome,
    MovedToHandover => "moved_to_handover", "Moved to handover";
    SteppedDownToSupported => "stepped_down_to_supported", "Stepped down to supported contact";
    ArrangingContactThemselves => "arranging_contact_themselves", "Arranging contact themselves";
    CourtDecision => "court_decision", "Court decision";
    Disengaged => "disengaged", "Family disengaged";
    ChildDeclined => "child_declined", "Child persistently declined";
    ServiceEnded => "service_ended", "Service ended by the centre";
    Other => "other", "Other";
);

named!(CaseStatus,
    Received => "received", "Received";
    Incomplete => "incomplete", "Incomplete";
    AwaitingFee => "awaiting_fee", "Awaiting referral fee";
    WaitingList => "waiting_list", "On the waiting list";
    Assessment => "assessment", "Assessment";
    PreVisits => "pre_visits", "Pre-visits";
    Accepted => "accepted", "Accepted";
    Signposted => "signposted", "Signposted elsewhere";
    Declined => "declined", "Declined";
    Active => "active", "Active";
    UnderReview => "under_review", "Under review";
    Closed => "closed", "Closed";
);

impl CaseStatus {
    /// The statuses a case may move to from this one.
    pub fn next(self) -> &'static [CaseStatus] {
        use CaseStatus::*;
        match self {
            Received => &[Incomplete, AwaitingFee, WaitingList, Assessment, Signposted, Declined],
            Incomplete => &[AwaitingFee, WaitingList, Assessment, Signposted, Declined],
            AwaitingFee => &[Incomplete, WaitingList, Assessment, Signposted, Declined],
            WaitingList => &[Incomplete, Assessment, Signposted, Declined],
            Assessment => &[Incomplete, PreVisits, Accepted, Signposted, Declined],
            PreVisits => &[Assessment, Accepted, Signposted, Declined],
            Accepted => &[Active, Closed],
            Active => &[UnderReview, Closed],
            UnderReview => &[Active, Closed],
            Signposted | Declined | Closed => &[],
        }
    }

    /// Whether the case is still being decided on (counts on the waiting list and the intake board).
    pub fn is_open_referral(self) -> bool {
        matches!(
            self,
            CaseStatus::Received
                | CaseStatus::Incomplete
                | CaseStatus::AwaitingFee
                | CaseStatus::WaitingList
                | CaseStatus::Assessment
                | CaseStatus::PreVisits
        )
    }

    /// Whether nothing more can happen to the case.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

/// A requested move, with what each kind of move must say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transition {
    pub to: CaseStatus,
    /// Why: required for every move (it is what the audit trail and the family's file show).
    pub reason: String,
    /// For `Accepted`: which service.
    pub service: Option<Service>,
    /// For `Closed`: the outcome.
    pub outcome: Option<ClosureOutcome>,
    /// For `Incomplete`: what is missing.
    pub missing: Option<String>,
}

/// Why a move was refused, in words a coordinator can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("A case that is {from} cannot move to {to}")]
    NotAllowed { from: &'static str, to: &'static str },
    #[error("Say why")]
    ReasonRequired,
    #[error("Choose the service the case is accepted for")]
    ServiceRequired,
    #[error("Choose the outcome the case closed with")]
    OutcomeRequired,
    #[error("List what is missing from the referral")]
    MissingRequired,
    #[error("{0}")]
    TooLong(&'static str),
}

/// Checks a move; on success the caller records it (with who and when) and sets the new status.
pub fn check_transition(from: CaseStatus, t: &Transition) -> Result<(), TransitionError> {
    match transition_problems(from, t).into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(()),
    }
}

/// Everything wrong with a move, in the order of the form's fields (a form shows them all at once).
pub fn transition_problems(from: CaseStatus, t: &Transition) -> Vec<TransitionError> {
    let mut problems = Vec::new();
    if !from.next().contains(&t.to) {
        problems.push(TransitionError::NotAllowed {
            from: from.label(),
            to: t.to.label(),
        });
    }
    match t.to {
        CaseStatus::Accepted if t.service.is_none() => problems.push(TransitionError::ServiceRequired),
        CaseStatus::Closed if t.outcome.is_none() => problems.push(TransitionError::OutcomeRequired),
        CaseStatus::Incomplete if t.missing.as_deref().is_none_or(|m| m.trim().is_empty()) => {
            problems.push(TransitionError::MissingRequired)
        }
        _ => {}
    }
    if t.reason.trim().is_empty() {
        problems.push(TransitionError::ReasonRequired);
    } else if t.reason.chars().count() > 4000 {
        problems.push(TransitionError::TooLong("The reason must be 4000 characters or fewer"));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    fn to(status: CaseStatus) -> Transition {
        Transition {
            to: status,
            reason: "checked".into(),
            service: None,
            outcome: None,
            missing: None,
        }
    }

    #[test]
    fn names_round_trip() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::parse(s.as_str()), Some(*s));
        }
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Some(*s));
        }
        for s in ReferralSource::ALL {
            assert_eq!(ReferralSource::parse(s.as_str()), Some(*s));
        }
        for s in ClosureOutcome::ALL {
            assert_eq!(ClosureOutcome::parse(s.as_str()), Some(*s));
        }
        assert_eq!(CaseStatus::parse("deleted"), None);
    }

    #[test]
    fn a_case_goes_from_referral_to_closure() {
        use CaseStatus::*;
        let path = [
            Received,
            WaitingList,
            Assessment,
            PreVisits,
            Accepted,
            Active,
            UnderReview,
            Active,
            Closed,
        ];
        for pair in path.windows(2) {
            let mut t = to(pair[1]);
            t.service = Some(Service::Supervised);
            t.outcome = Some(ClosureOutcome::MovedToHandover);
            assert_eq!(check_transition(pair[0], &t), Ok(()), "{:?} -> {:?}", pair[0], pair[1]);
        }
    }

    #[test]
    fn illegal_moves_are_refused() {
        use CaseStatus::*;
        for (from, target) in [
            (Received, Active),
            (Declined, Assessment),
            (Closed, Active),
            (Signposted, Accepted),
            (WaitingList, Closed),
        ] {
            assert!(
                matches!(
                    check_transition(from, &to(target)),
                    Err(TransitionError::NotAllowed { .. })
                ),
                "{from:?} -> {target:?}"
            );
        }
    }

    #[test]
    fn every_status_can_reach_a_final_one_and_final_ones_stay_put() {
        for s in CaseStatus::ALL {
            let mut seen = vec![*s];
            let mut frontier = vec![*s];
            while let Some(x) = frontier.pop() {
                for n in x.next() {
                    if !seen.contains(n) {
                        seen.push(*n);
                        frontier.push(*n);
                    }
                }
            }
            assert!(seen.iter().any(|x| x.is_final()), "{s:?} can end");
        }
        assert!(CaseStatus::Closed.is_final() && CaseStatus::Declined.is_final() && CaseStatus::Signposted.is_final());
    }

    #[test]
    fn moves_say_what_they_must() {
        use CaseStatus::*;
        assert_eq!(
            check_transition(
                Received,
                &Transition {
                    reason: " ".into(),
                    ..to(Declined)
                }
            ),
            Err(TransitionError::ReasonRequired)
        );
        assert_eq!(
            check_transition(Assessment, &to(Accepted)),
            Err(TransitionError::ServiceRequired)
        );
        assert_eq!(
            check_transition(Active, &to(Closed)),
            Err(TransitionError::OutcomeRequired)
        );
        assert_eq!(
            check_transition(Received, &to(Incomplete)),
            Err(TransitionError::MissingRequired)
        );
        let incomplete = Transition {
            missing: Some("The court order".into()),
            ..to(Incomplete)
        };
        assert_eq!(check_transition(Received, &incomplete), Ok(()));
    }
}
