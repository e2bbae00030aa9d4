//! What a case may book, decided from what was decided about it (issue 19, decision 0043): the
//! accepted service (and any step-down or step-up from a date) decides the kind of contact; a
//! contact's venue must be of the service's kind; before the first contact each adult's pre-visit is
//! done and the rules agreed (where the organisation asks for it); a suspended or ended service
//! takes no contact. Pure: the facts and the session's local date are passed in.
//!
//! Pre-visits and review meetings are not contact and are never refused here.

use crate::referrals::{Service, named};
use crate::schedule::BookingKind;
use jiff::civil::Date;

/// Whether the case's service is running, suspended or ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceState {
    Running,
    Suspended,
    Ended,
}

named!(ServiceState,
    Running => "running", "Running";
    Suspended => "suspended", "Suspended";
    Ended => "ended", "Ended";
);

/// A change of the accepted service from a date (a review's step-down or step-up).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceChange {
    pub service: Service,
    pub from: Date,
}

/// What the rules need to know about a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseRules {
    /// The service the case was accepted for.
    pub accepted: Option<Service>,
    /// Changes of service, in any order.
    pub changes: Vec<ServiceChange>,
    pub state: ServiceState,
    /// Whether the organisation asks for every adult's pre-visit and the rules agreed first.
    pub previsits_required: bool,
    /// What is still needed before contact (from `previsits::visits_still_needed`).
    pub previsits_missing: Vec<&'static str>,
    /// The parents (by name) who have not agreed to the current version of the centre's rules
    /// (decision 0046), and that version's label.
    pub agreements_missing: Vec<String>,
    pub rules_version: String,
}

/// One thing that stands between the case and the session asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    /// The case has no accepted service.
    NoService,
    /// The session is not of the service in effect on its day.
    OtherService {
        service: Service,
        asked: Service,
    },
    /// Something still needed before the first contact.
    BeforeFirstContact(&'static str),
    /// A parent's agreement to the current version of the centre's rules (decision 0046).
    Agreement {
        who: String,
        version: String,
    },
    Suspended,
    Ended,
    /// The venue is not of the kind the service needs.
    VenueKind {
        service: Service,
        needs: &'static str,
    },
}

impl Missing {
    /// What is missing, in words a coordinator reads.
    pub fn message(&self) -> String {
        match self {
            Missing::NoService => "The case has no accepted service: record the service it was accepted for".into(),
            Missing::OtherService { service, asked } => format!(
                "The case is for {} on that day, not {}: record a change of service first",
                service.label().to_lowercase(),
                asked.label().to_lowercase()
            ),
            Missing::BeforeFirstContact(what) => format!("Before contact: {what}"),
            Missing::Agreement { who, version } => {
                format!("Before contact: {who}'s agreement to the centre's rules (version {version})")
            }
            Missing::Suspended => "The service is suspended: no contact can be booked until it resumes".into(),
            Missing::Ended => "The service has ended: no contact can be booked".into(),
            Missing::VenueKind { service, needs } => {
                format!("{} takes place only at an approved {needs} venue", service.label())
            }
        }
    }
}

/// The service in effect on a day: the latest change from on or before it, else the accepted one.
/// Of two changes from the same day, the one later in `changes` (recorded later) stands.
pub fn service_on(rules: &CaseRules, on: Date) -> Option<Service> {
    rules
        .changes
        .iter()
        .filter(|c| c.from <= on)
        .max_by_key(|c| c.from)
        .map(|c| c.service)
        .or(rules.accepted)
}

/// Whether a contact of kind `asked` is within `service`: the same service, or its virtual form at
/// the same level (a video call is supported or supervised like the service it belongs to).
pub fn within(service: Service, asked: Service) -> bool {
    use Service::*;
    service == asked
        || matches!(
            (service, asked),
            (Supported, VirtualSupported) | (Supervised, VirtualSupervised)
        )
}

/// Whether the case may have a session of `kind` on the local day `on`: every reason it may not.
pub fn check(rules: &CaseRules, kind: BookingKind, on: Date) -> Result<(), Vec<Missing>> {
    let BookingKind::Contact(asked) = kind else {
        return Ok(());
    };
    let mut missing = Vec::new();
    match rules.state {
        ServiceState::Suspended => missing.push(Missing::Suspended),
        ServiceState::Ended => missing.push(Missing::Ended),
        ServiceState::Running => {}
    }
    match service_on(rules, on) {
        None => missing.push(Missing::NoService),
        Some(service) if !within(service, asked) => missing.push(Missing::OtherService { service, asked }),
        Some(_) => {}
    }
    if rules.previsits_required {
        missing.extend(rules.previsits_missing.iter().map(|m| Missing::BeforeFirstContact(m)));
        missing.extend(rules.agreements_missing.iter().map(|who| Missing::Agreement {
            who: who.clone(),
            version: rules.rules_version.clone(),
        }));
    }
    if missing.is_empty() { Ok(()) } else { Err(missing) }
}

/// Whether an approved venue of `venue_kind` (community, hospital, home) suits a contact of
/// `service`: hospital contact only at a hospital, community contact only at a community venue, a
/// welfare check only at a home.
pub fn venue_fits(service: Service, venue_kind: Option<&str>) -> Result<(), Missing> {
    let needs = match service {
        Service::Hospital => "hospital",
        Service::Community => "community",
        Service::WelfareCheck => "home",
        _ => return Ok(()),
    };
    if venue_kind == Some(needs) {
        Ok(())
    } else {
        Err(Missing::VenueKind { service, needs })
    }
}

/// The messages of a refusal, one line each.
pub fn messages(missing: &[Missing]) -> Vec<String> {
    missing.iter().map(Missing::message).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn running(accepted: Service) -> CaseRules {
        CaseRules {
            accepted: Some(accepted),
            changes: Vec::new(),
            state: ServiceState::Running,
            previsits_required: true,
            previsits_missing: Vec::new(),
            agreements_missing: Vec::new(),
            rules_version: "1".into(),
        }
    }

    const DAY: Date = date(2026, 3, 10);

    #[test]
    fn booking_rules_the_service_decides_the_kind() {
        let rules = running(Service::Supervised);
        assert_eq!(check(&rules, BookingKind::Contact(Service::Supervised), DAY), Ok(()));
        assert_eq!(
            check(&rules, BookingKind::Contact(Service::VirtualSupervised), DAY),
            Ok(())
        );
        let refused = check(&rules, BookingKind::Contact(Service::Supported), DAY).unwrap_err();
        assert_eq!(
            refused,
            vec![Missing::OtherService {
                service: Service::Supervised,
                asked: Service::Supported
            }]
        );
        assert!(
            refused[0].message().contains("supervised contact"),
            "{}",
            refused[0].message()
        );
        assert!(check(&rules, BookingKind::Contact(Service::Handover), DAY).is_err());
    }

    #[test]
    fn booking_rules_a_case_with_no_service_books_no_contact_but_pre_visits() {
        let mut rules = running(Service::Supported);
        rules.accepted = None;
        assert_eq!(
            check(&rules, BookingKind::Contact(Service::Supported), DAY),
            Err(vec![Missing::NoService])
        );
        assert_eq!(check(&rules, BookingKind::PreVisit, DAY), Ok(()));
        assert_eq!(check(&rules, BookingKind::Review, DAY), Ok(()));
    }

    #[test]
    fn booking_rules_a_step_down_changes_the_kind_from_its_date() {
        let mut rules = running(Service::Supervised);
        rules.changes.push(ServiceChange {
            service: Service::Supported,
            from: DAY,
        });
        let before = DAY.yesterday().unwrap();
        assert_eq!(service_on(&rules, before), Some(Service::Supervised));
        assert_eq!(service_on(&rules, DAY), Some(Service::Supported));
        assert!(check(&rules, BookingKind::Contact(Service::Supervised), before).is_ok());
        assert!(check(&rules, BookingKind::Contact(Service::Supervised), DAY).is_err());
        assert!(check(&rules, BookingKind::Contact(Service::Supported), DAY).is_ok());
        // A later step back up wins from its own date.
        let later = date(2026, 4, 1);
        rules.changes.push(ServiceChange {
            service: Service::Supervised,
            from: later,
        });
        assert_eq!(service_on(&rules, later), Some(Service::Supervised));
        assert_eq!(service_on(&rules, later.yesterday().unwrap()), Some(Service::Supported));
        // Stepped down and back up on one day: the decision recorded last stands.
        rules.changes.push(ServiceChange {
            service: Service::Supported,
            from: later,
        });
        assert_eq!(service_on(&rules, later), Some(Service::Supported));
    }

    #[test]
    fn booking_rules_a_reviews_step_up_returns_to_supervised_contact() {
        use crate::reviews::ReviewOutcome;
        let change = ReviewOutcome::StepUpSupervised.service_change(DAY).unwrap();
        assert_eq!(change.service, Service::Supervised);
        assert_eq!(change.from, DAY);
        assert_eq!(ReviewOutcome::Continue.service_change(DAY), None);
        assert_eq!(
            ReviewOutcome::parse("step_up_supervised"),
            Some(ReviewOutcome::StepUpSupervised)
        );
    }

    #[test]
    fn booking_rules_before_the_first_contact_lists_what_is_missing() {
        let mut rules = running(Service::Supervised);
        rules.previsits_missing = vec!["the resident parent's pre-visit", "the visiting adult's pre-visit"];
        let refused = check(&rules, BookingKind::Contact(Service::Supervised), DAY).unwrap_err();
        assert_eq!(refused.len(), 2);
        assert!(messages(&refused)[1].contains("visiting adult"));
        assert_eq!(check(&rules, BookingKind::PreVisit, DAY), Ok(()));
        rules.previsits_required = false;
        assert_eq!(check(&rules, BookingKind::Contact(Service::Supervised), DAY), Ok(()));
    }

    #[test]
    fn booking_rules_a_suspended_or_ended_service_takes_no_contact() {
        let mut rules = running(Service::Supervised);
        rules.state = ServiceState::Suspended;
        assert_eq!(
            check(&rules, BookingKind::Contact(Service::Supervised), DAY),
            Err(vec![Missing::Suspended])
        );
        assert_eq!(check(&rules, BookingKind::Review, DAY), Ok(()));
        rules.state = ServiceState::Ended;
        assert_eq!(
            check(&rules, BookingKind::Contact(Service::Supervised), DAY),
            Err(vec![Missing::Ended])
        );
    }

    #[test]
    fn booking_rules_venue_kinds_match_the_service() {
        assert!(venue_fits(Service::Hospital, Some("hospital")).is_ok());
        assert!(venue_fits(Service::Hospital, Some("community")).is_err());
        assert!(venue_fits(Service::Community, Some("community")).is_ok());
        assert!(venue_fits(Service::Community, None).is_err());
        assert!(venue_fits(Service::WelfareCheck, Some("home")).is_ok());
        assert!(venue_fits(Service::Supervised, None).is_ok());
        assert!(
            venue_fits(Service::Hospital, Some("home"))
                .unwrap_err()
                .message()
                .contains("hospital venue")
        );
    }

    #[test]
    fn booking_rules_each_parents_agreement_to_the_current_rules_is_named() {
        let mut rules = running(Service::Supervised);
        rules.rules_version = "2".into();
        rules.agreements_missing = vec!["Alex Smith".into()];
        let refused = check(&rules, BookingKind::Contact(Service::Supervised), DAY).unwrap_err();
        assert_eq!(
            messages(&refused),
            vec!["Before contact: Alex Smith's agreement to the centre's rules (version 2)".to_owned()]
        );
        rules.agreements_missing.clear();
        assert_eq!(check(&rules, BookingKind::Contact(Service::Supervised), DAY), Ok(()));
        rules.agreements_missing = vec!["Alex Smith".into()];
        rules.previsits_required = false;
        assert_eq!(check(&rules, BookingKind::Contact(Service::Supervised), DAY), Ok(()));
    }
}
