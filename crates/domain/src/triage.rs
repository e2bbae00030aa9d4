//! The staff risk assessment: the concerns a coordinator weighs, and the rules that suggest supported
//! or supervised contact. The rules only suggest; the coordinator decides and records why.

use serde::Serialize;

/// The concerns from NACCC practice that push a family towards supervised contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Concern {
    DomesticAbuse,
    RiskOfHarm,
    Substances,
    MentalHealth,
    Abduction,
    PendingAllegations,
    LongGap,
    ParentingCapacity,
    Hostility,
    CourtRequiresSupervision,
}

impl Concern {
    pub const ALL: [Concern; 10] = [
        Concern::DomesticAbuse,
        Concern::RiskOfHarm,
        Concern::Substances,
        Concern::MentalHealth,
        Concern::Abduction,
        Concern::PendingAllegations,
        Concern::LongGap,
        Concern::ParentingCapacity,
        Concern::Hostility,
        Concern::CourtRequiresSupervision,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Concern::DomesticAbuse => "domestic_abuse",
            Concern::RiskOfHarm => "risk_of_harm",
            Concern::Substances => "substances",
            Concern::MentalHealth => "mental_health",
            Concern::Abduction => "abduction",
            Concern::PendingAllegations => "pending_allegations",
            Concern::LongGap => "long_gap",
            Concern::ParentingCapacity => "parenting_capacity",
            Concern::Hostility => "hostility",
            Concern::CourtRequiresSupervision => "court_requires_supervision",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Concern::DomesticAbuse => "Domestic abuse, injunctions or non-molestation orders",
            Concern::RiskOfHarm => "Risk of harm, a child protection plan or current social care involvement",
            Concern::Substances => "Drug or alcohol misuse",
            Concern::MentalHealth => "Mental-health concerns affecting parenting",
            Concern::Abduction => "Risk of abduction",
            Concern::PendingAllegations => "Allegations still being investigated",
            Concern::LongGap => "A long gap, or a child who does not know the parent",
            Concern::ParentingCapacity => "Concerns about parenting capacity",
            Concern::Hostility => "High hostility between the adults",
            Concern::CourtRequiresSupervision => "A court order that requires supervision",
        }
    }

    pub fn parse(value: &str) -> Option<Concern> {
        Concern::ALL.into_iter().find(|c| c.as_str() == value.trim())
    }
}

/// What the rules suggest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Suggestion {
    Supported,
    Supervised,
}

impl Suggestion {
    pub fn as_str(self) -> &'static str {
        match self {
            Suggestion::Supported => "supported",
            Suggestion::Supervised => "supervised",
        }
    }
}

/// The suggestion and the reasons for it, in the order a coordinator reads them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Advice {
    pub suggestion: Suggestion,
    pub reasons: Vec<String>,
}

/// The triage rules:
/// - a court order requiring supervision → supervised;
/// - a risk of abduction → not supported (supported centres do not take it) → supervised;
/// - more than one concern → supervised, at least for the first sessions;
/// - one other concern → supervised is suggested where it is a safety concern (abuse, harm,
///   allegations), otherwise supported may do with the concern noted;
/// - no concern → supported.
pub fn advise(concerns: &[Concern]) -> Advice {
    let mut concerns: Vec<Concern> = concerns.to_vec();
    concerns.sort();
    concerns.dedup();
    let mut reasons = Vec::new();
    if concerns.contains(&Concern::CourtRequiresSupervision) {
        reasons.push("The court order requires supervision.".to_owned());
    }
    if concerns.contains(&Concern::Abduction) {
        reasons.push("There is a risk of abduction, which supported contact cannot manage.".to_owned());
    }
    if concerns.len() > 1 {
        reasons.push(format!(
            "There are {} concerns: supervised contact, at least for the first sessions.",
            concerns.len()
        ));
    }
    let safety = [Concern::DomesticAbuse, Concern::RiskOfHarm, Concern::PendingAllegations];
    if concerns.len() == 1 && safety.contains(&concerns[0]) {
        reasons.push(format!("{}: a safety concern.", concerns[0].label()));
    }
    if !reasons.is_empty() {
        return Advice {
            suggestion: Suggestion::Supervised,
            reasons,
        };
    }
    match concerns.first() {
        Some(only) => Advice {
            suggestion: Suggestion::Supported,
            reasons: vec![format!(
                "One concern ({}), not a safety concern: supported contact, with it noted.",
                only.label().to_lowercase()
            )],
        },
        None => Advice {
            suggestion: Suggestion::Supported,
            reasons: vec!["No concerns were identified.".to_owned()],
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Concern::*;

    #[test]
    fn no_concern_suggests_supported() {
        assert_eq!(advise(&[]).suggestion, Suggestion::Supported);
    }

    #[test]
    fn more_than_one_concern_suggests_supervised() {
        let a = advise(&[LongGap, Hostility]);
        assert_eq!(a.suggestion, Suggestion::Supervised);
        assert!(a.reasons.iter().any(|r| r.contains("2 concerns")));
    }

    #[test]
    fn abduction_risk_is_never_supported() {
        assert_eq!(advise(&[Abduction]).suggestion, Suggestion::Supervised);
    }

    #[test]
    fn a_court_order_requiring_supervision_means_supervised() {
        let a = advise(&[CourtRequiresSupervision]);
        assert_eq!(a.suggestion, Suggestion::Supervised);
        assert!(a.reasons[0].contains("court order"));
    }

    #[test]
    fn one_safety_concern_suggests_supervised_one_other_supported() {
        assert_eq!(advise(&[DomesticAbuse]).suggestion, Suggestion::Supervised);
        assert_eq!(advise(&[LongGap]).suggestion, Suggestion::Supported);
        assert_eq!(
            advise(&[Hostility, Hostility]).suggestion,
            Suggestion::Supported,
            "a repeated concern counts once"
        );
    }

    #[test]
    fn concern_names_round_trip() {
        for c in Concern::ALL {
            assert_eq!(Concern::parse(c.as_str()), Some(c));
        }
    }
}
