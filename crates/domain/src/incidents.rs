//! Safeguarding concerns and incidents: anyone on duty raises one (also at supported sessions, where
//! it is the only record besides attendance); the designated safeguarding lead records the decision
//! and any onward referral. What must be written down is decided here, so the form and the API refuse
//! the same things: the exact words, when it happened (never in the future), what was done, and why
//! the carers were not told when they were not.

use crate::referrals::named;
use crate::text::{self, FieldErrors};
use jiff::Timestamp;

/// The longest "exact words" or action text: a disclosure is written down in full, as said.
pub const MAX_LONG: usize = 10_000;
/// The longest reason, reference or name.
pub const MAX_SHORT: usize = 300;

/// What kind of concern it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConcernKind {
    Concern,
    Disclosure,
    Allegation,
    Incident,
    StaffIncident,
}

named!(ConcernKind,
    Concern => "concern", "A concern about a child's welfare";
    Disclosure => "disclosure", "A disclosure (someone told us about harm)";
    Allegation => "allegation", "An allegation against a parent or another adult";
    Incident => "incident", "An incident at a session";
    StaffIncident => "staff_incident", "An incident or allegation involving staff or a volunteer";
);

impl ConcernKind {
    /// Whether this kind of concern calls for the case's risk to be assessed again (risk is
    /// reassessed after incidents; a general welfare concern goes to the lead without that prompt).
    pub fn prompts_reassessment(self) -> bool {
        matches!(
            self,
            ConcernKind::Incident | ConcernKind::StaffIncident | ConcernKind::Allegation | ConcernKind::Disclosure
        )
    }
}

/// Who a concern was referred on to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Agency {
    None,
    ChildrensSocialCare,
    Police,
    Lado,
    Mash,
}

named!(Agency,
    None => "none", "Not referred to another agency";
    ChildrensSocialCare => "childrens_social_care", "Children's social care";
    Police => "police", "The police";
    Lado => "lado", "The LADO (allegations against staff)";
    Mash => "mash", "The MASH (multi-agency safeguarding hub)";
);

/// Whether the lead still has something to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ConcernStatus {
    Open,
    Closed,
}

named!(ConcernStatus,
    Open => "open", "Open";
    Closed => "closed", "Closed";
);

/// A concern as typed on the form or sent to the API; when it happened is read separately (it is
/// the centre's wall-clock time, which only the caller can turn into an instant).
#[derive(Debug, Clone, Default)]
pub struct ConcernInput {
    pub kind: String,
    pub about: String,
    pub exact_words: String,
    pub action_taken: String,
    /// `None` when the question was not answered.
    pub carers_told: Option<bool>,
    pub carers_not_told_reason: String,
}

/// A concern that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewConcern {
    pub kind: ConcernKind,
    pub about: String,
    pub exact_words: String,
    pub occurred_at: Timestamp,
    pub action_taken: String,
    pub carers_told: bool,
    /// Present exactly when the carers were not told.
    pub carers_not_told_reason: Option<String>,
}

impl ConcernInput {
    /// Checks every field, reporting all problems in the form's order. `occurred` is the parsed
    /// date and time (or its errors); `now` is the present, which it may not be after.
    pub fn parse(&self, occurred: Result<Timestamp, FieldErrors>, now: Timestamp) -> Result<NewConcern, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = ConcernKind::parse(&self.kind);
        if kind.is_none() {
            errors.add("kind", "Choose what kind of concern this is");
        }
        let about = errors.take(
            "about",
            text::required("who the concern is about", &self.about, MAX_SHORT),
        );
        let exact_words = errors.take(
            "exact_words",
            text::required("the exact words used, or what you saw", &self.exact_words, MAX_LONG),
        );
        let occurred_at = match occurred {
            Ok(at) if at > now => {
                errors.add("date", "The date and time it happened cannot be in the future");
                None
            }
            Ok(at) => Some(at),
            Err(e) => {
                errors.extend(e);
                None
            }
        };
        let action_taken = errors.take(
            "action_taken",
            text::required("the action you took", &self.action_taken, MAX_LONG),
        );
        let reason = errors
            .take(
                "carers_not_told_reason",
                text::optional("why the carers were not told", &self.carers_not_told_reason, MAX_SHORT),
            )
            .flatten();
        match self.carers_told {
            None => errors.add("carers_told", "Say whether the child's parents or carers were told"),
            Some(false) if reason.is_none() && errors.message_for("carers_not_told_reason").is_none() => errors.add(
                "carers_not_told_reason",
                "Enter why the parents or carers were not told",
            ),
            _ => {}
        }
        match (kind, about, exact_words, occurred_at, action_taken, self.carers_told) {
            (Some(kind), Some(about), Some(exact_words), Some(occurred_at), Some(action_taken), Some(told))
                if errors.is_empty() =>
            {
                Ok(NewConcern {
                    kind,
                    about,
                    exact_words,
                    occurred_at,
                    action_taken,
                    carers_told: told,
                    // A reason typed and then "yes, told" chosen is not kept: it would contradict.
                    carers_not_told_reason: if told { None } else { reason },
                })
            }
            _ => Err(errors),
        }
    }
}

/// The lead's decision as typed.
#[derive(Debug, Clone, Default)]
pub struct DecisionInput {
    pub decision: String,
    pub referred_to: String,
    pub agency_reference: String,
    pub agency_contact: String,
    /// Whether the concern is closed with this decision (nothing more for the lead to do).
    pub close: bool,
}

/// A decision that may be recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcernDecision {
    pub decision: String,
    pub referred_to: Agency,
    /// Present exactly when referred to an agency.
    pub agency_reference: Option<String>,
    pub agency_contact: Option<String>,
    pub close: bool,
}

impl DecisionInput {
    pub fn parse(&self) -> Result<ConcernDecision, FieldErrors> {
        let mut errors = FieldErrors::new();
        let decision = errors.take(
            "decision",
            text::required("your decision and the reasons for it", &self.decision, MAX_LONG),
        );
        let referred_to = Agency::parse(&self.referred_to);
        if referred_to.is_none() {
            errors.add(
                "referred_to",
                "Choose who it was referred to, or that it was not referred",
            );
        }
        let reference = errors
            .take(
                "agency_reference",
                text::optional("the agency's reference number", &self.agency_reference, MAX_SHORT),
            )
            .flatten();
        let contact = errors
            .take(
                "agency_contact",
                text::optional("the name of the person you spoke to", &self.agency_contact, MAX_SHORT),
            )
            .flatten();
        let referred = referred_to.is_some_and(|a| a != Agency::None);
        if referred && reference.is_none() && errors.message_for("agency_reference").is_none() {
            errors.add("agency_reference", "Enter the reference number the agency gave");
        }
        if referred && contact.is_none() && errors.message_for("agency_contact").is_none() {
            errors.add(
                "agency_contact",
                "Enter the name of the person you spoke to at the agency",
            );
        }
        match (decision, referred_to) {
            (Some(decision), Some(referred_to)) if errors.is_empty() => Ok(ConcernDecision {
                decision,
                referred_to,
                // Without a referral there is no agency reference to keep.
                agency_reference: if referred { reference } else { None },
                agency_contact: if referred { contact } else { None },
                close: self.close,
            }),
            _ => Err(errors),
        }
    }
}

/// Whether a concern on a case goes into the briefing the staff read before each of its sessions:
/// while it is open, and after it is closed when it was referred on to another agency (their
/// involvement is part of the family's risk until a reassessment says otherwise).
pub fn in_briefing(status: ConcernStatus, referred_to: Option<Agency>) -> bool {
    status == ConcernStatus::Open || referred_to.is_some_and(|a| a != Agency::None)
}

/// What the briefing says of such a concern: its kind, when it happened, whether it is open, and
/// the lead's decision with where it was referred — what supervising the session safely needs. The
/// exact words, who raised it, why the carers were not told and the agency's reference and contact
/// stay with those who read concerns (`authz::Action::ViewConcerns`).
pub fn briefing_line(
    kind: ConcernKind,
    happened_on: &str,
    status: ConcernStatus,
    decision: Option<&str>,
    referred_to: Option<Agency>,
) -> String {
    let mut line = format!("{} on {happened_on} ({})", kind.label(), status.label().to_lowercase());
    match decision {
        None => line.push_str(": waiting for the safeguarding lead's decision"),
        Some(decision) => {
            line.push_str(&format!(". The safeguarding lead decided: {decision}"));
            if let Some(agency) = referred_to.filter(|a| *a != Agency::None) {
                line.push_str(&format!(" Referred to {}.", lower_first(agency.label())));
            }
        }
    }
    line
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // "The police" reads "the police" mid-sentence; names ("Children's…") keep their capital.
        Some('T') if text.starts_with("The ") => format!("t{}", chars.as_str()),
        _ => text.to_owned(),
    }
}

/// When a case's risk should be reassessed: the latest concern that prompts reassessment, if it was
/// raised after the latest risk assessment (or there has been none). Returns when it was raised.
pub fn reassessment_due(
    concerns: &[(ConcernKind, Timestamp)],
    latest_assessment: Option<Timestamp>,
) -> Option<Timestamp> {
    concerns
        .iter()
        .filter(|(kind, _)| kind.prompts_reassessment())
        .map(|(_, raised)| *raised)
        .filter(|raised| latest_assessment.is_none_or(|assessed| *raised > assessed))
        .max()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + minutes * 60).unwrap()
    }

    fn input() -> ConcernInput {
        ConcernInput {
            kind: "disclosure".into(),
            about: "Mia (aged 7)".into(),
            exact_words: "\"Daddy said not to tell Mummy where we went\"".into(),
            action_taken: "Listened, did not question; told the DSL by phone at 15:10".into(),
            carers_told: Some(false),
            carers_not_told_reason: "Telling the father could put Mia at risk".into(),
        }
    }

    #[test]
    fn a_complete_concern_is_accepted_as_typed() {
        let c = input().parse(Ok(at(-30)), at(0)).unwrap();
        assert_eq!(c.kind, ConcernKind::Disclosure);
        assert_eq!(c.occurred_at, at(-30));
        assert!(!c.carers_told);
        assert_eq!(
            c.carers_not_told_reason.as_deref(),
            Some("Telling the father could put Mia at risk")
        );
        let told = ConcernInput {
            carers_told: Some(true),
            ..input()
        };
        assert_eq!(told.parse(Ok(at(0)), at(0)).unwrap().carers_not_told_reason, None);
    }

    #[test]
    fn every_missing_field_is_named_in_order() {
        let blank = ConcernInput::default();
        let errors = blank
            .parse(Err(FieldErrors::single("date", "Enter the date")), at(0))
            .unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(
            fields,
            ["kind", "about", "exact_words", "date", "action_taken", "carers_told"]
        );
    }

    #[test]
    fn carers_not_told_needs_a_reason_and_the_future_is_refused() {
        let no_reason = ConcernInput {
            carers_not_told_reason: "  ".into(),
            ..input()
        };
        let e = no_reason.parse(Ok(at(-1)), at(0)).unwrap_err();
        assert_eq!(e.0[0].field, "carers_not_told_reason");
        let e = input().parse(Ok(at(1)), at(0)).unwrap_err();
        assert!(e.message_for("date").unwrap().contains("future"));
        let long = ConcernInput {
            exact_words: "x".repeat(MAX_LONG + 1),
            ..input()
        };
        assert!(long.parse(Ok(at(-1)), at(0)).is_err());
        let junk = ConcernInput {
            kind: "rumour".into(),
            ..input()
        };
        assert!(junk.parse(Ok(at(-1)), at(0)).is_err());
    }

    #[test]
    fn a_referral_needs_the_reference_and_the_person_contacted() {
        let d = DecisionInput {
            decision: "Refer to police: disclosure of harm".into(),
            referred_to: "police".into(),
            agency_reference: "".into(),
            agency_contact: "".into(),
            close: true,
        };
        let e = d.parse().unwrap_err();
        assert_eq!(
            e.0.iter().map(|e| e.field).collect::<Vec<_>>(),
            ["agency_reference", "agency_contact"]
        );
        let ok = DecisionInput {
            agency_reference: "CRN 4471/26".into(),
            agency_contact: "PC Amir Shah".into(),
            ..d.clone()
        }
        .parse()
        .unwrap();
        assert_eq!(ok.referred_to, Agency::Police);
        assert_eq!(ok.agency_reference.as_deref(), Some("CRN 4471/26"));
        let none = DecisionInput {
            referred_to: "none".into(),
            agency_reference: "ignored".into(),
            ..d.clone()
        }
        .parse()
        .unwrap();
        assert_eq!((none.agency_reference, none.agency_contact), (None, None));
        assert!(
            DecisionInput {
                decision: " ".into(),
                referred_to: "none".into(),
                ..d.clone()
            }
            .parse()
            .is_err()
        );
        assert!(
            DecisionInput {
                referred_to: "neighbour".into(),
                ..d
            }
            .parse()
            .is_err()
        );
    }

    #[test]
    fn the_briefing_shows_open_and_referred_concerns_without_the_words() {
        assert!(in_briefing(ConcernStatus::Open, None));
        assert!(in_briefing(ConcernStatus::Closed, Some(Agency::ChildrensSocialCare)));
        assert!(!in_briefing(ConcernStatus::Closed, Some(Agency::None)));
        assert!(!in_briefing(ConcernStatus::Closed, None));
        let line = briefing_line(
            ConcernKind::Disclosure,
            "3 December 2026",
            ConcernStatus::Open,
            Some("Refer on; keep the partner away from sessions."),
            Some(Agency::ChildrensSocialCare),
        );
        assert!(line.starts_with("A disclosure"), "{line}");
        assert!(line.contains("(open)"), "{line}");
        assert!(line.contains("keep the partner away"), "{line}");
        assert!(line.contains("Referred to Children's social care."), "{line}");
        let police = briefing_line(
            ConcernKind::Incident,
            "1 May",
            ConcernStatus::Open,
            Some("Called."),
            Some(Agency::Police),
        );
        assert!(police.contains("Referred to the police."), "{police}");
        let waiting = briefing_line(ConcernKind::Concern, "1 May", ConcernStatus::Open, None, None);
        assert!(waiting.contains("waiting for the safeguarding lead"), "{waiting}");
    }

    #[test]
    fn incidents_prompt_a_reassessment_until_risk_is_assessed_again() {
        assert!(ConcernKind::Incident.prompts_reassessment());
        assert!(ConcernKind::StaffIncident.prompts_reassessment());
        assert!(ConcernKind::Allegation.prompts_reassessment());
        assert!(ConcernKind::Disclosure.prompts_reassessment());
        assert!(!ConcernKind::Concern.prompts_reassessment());
        let concerns = [(ConcernKind::Concern, at(50)), (ConcernKind::Incident, at(10))];
        assert_eq!(reassessment_due(&concerns, None), Some(at(10)));
        assert_eq!(reassessment_due(&concerns, Some(at(5))), Some(at(10)));
        assert_eq!(reassessment_due(&concerns, Some(at(20))), None, "assessed since");
        assert_eq!(reassessment_due(&[(ConcernKind::Concern, at(50))], None), None);
    }
}
