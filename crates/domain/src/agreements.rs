//! The centre's rules agreed as a record of its own (issue 19 item 2, decision 0046): which version
//! of the rules, on what day, how it was recorded. What a form or the API sends, checked once here.

use crate::dates::parse_date;
use crate::text::{self, FieldErrors};
use jiff::civil::Date;
use serde::Deserialize;

/// How an agreement was recorded: signed on paper, in person (at the pre-visit, say), or by the
/// parent in the portal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum How {
    Paper,
    InPerson,
    Portal,
}

impl How {
    /// The ways staff record an agreement (the portal is the parent's own).
    pub const STAFF: [How; 2] = [How::Paper, How::InPerson];
    pub fn as_str(self) -> &'static str {
        match self {
            How::Paper => "paper",
            How::InPerson => "in_person",
            How::Portal => "portal",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            How::Paper => "Signed on paper",
            How::InPerson => "In person",
            How::Portal => "In the parent portal",
        }
    }
    pub fn parse(value: &str) -> Option<How> {
        [How::Paper, How::InPerson, How::Portal]
            .into_iter()
            .find(|h| h.as_str() == value.trim())
    }
}

/// A parent's agreement as staff record it (unknown fields refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgreementInput {
    /// The parent (their id on the case).
    pub parent_id: String,
    /// "paper" or "in_person"
    pub how: String,
    /// YYYY-MM-DD, on or before today
    pub agreed_on: String,
}

/// An agreement checked: the parent (an id the store checks is a parent of the case), the day, how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAgreement {
    pub party_id: String,
    pub agreed_on: Date,
    pub how: How,
}

impl AgreementInput {
    /// Every problem at once; `today` is the centre's.
    pub fn parse(&self, today: Date) -> Result<NewAgreement, FieldErrors> {
        let mut errors = FieldErrors::new();
        let party = self.parent_id.trim();
        if party.is_empty() || party.len() > 64 {
            errors.add("parent_id", "Choose the parent who agreed to the rules");
        }
        let how = How::parse(&self.how).filter(|h| How::STAFF.contains(h));
        if how.is_none() {
            errors.add(
                "how",
                "Choose how the agreement was recorded: signed on paper or in person",
            );
        }
        let on = errors.take("agreed_on", parse_date(self.agreed_on.trim()));
        if on.is_some_and(|d| d > today) {
            errors.add("agreed_on", "The day the parent agreed cannot be in the future");
        }
        match (how, on) {
            (Some(how), Some(agreed_on)) if errors.is_empty() => Ok(NewAgreement {
                party_id: party.to_owned(),
                agreed_on,
                how,
            }),
            _ => Err(errors),
        }
    }
}

/// A new version of the centre's rules (unknown fields refused).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionInput {
    /// "2", "2027-1" …
    pub label: String,
    /// YYYY-MM-DD
    pub issued_on: String,
    #[serde(default)]
    pub summary: String,
}

/// A version checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewVersion {
    pub label: String,
    pub issued_on: Date,
    pub summary: Option<String>,
}

impl VersionInput {
    /// Every problem at once; a version is issued on or before `today` (the latest issued is the
    /// current one, so one dated ahead would be asked for at once).
    pub fn parse(&self, today: Date) -> Result<NewVersion, FieldErrors> {
        let mut errors = FieldErrors::new();
        let label = errors.take("label", text::required("the version's label", &self.label, 40));
        let issued_on = errors.take("issued_on", parse_date(self.issued_on.trim()));
        if issued_on.is_some_and(|d| d > today) {
            errors.add(
                "issued_on",
                "Issue the version on or before today: the latest issued is the one parents are asked to agree to",
            );
        }
        let summary = errors
            .take("summary", text::optional("what changed", &self.summary, 2000))
            .flatten();
        match (label, issued_on) {
            (Some(label), Some(issued_on)) if errors.is_empty() => Ok(NewVersion {
                label,
                issued_on,
                summary,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn booking_rules_an_agreement_is_checked_once_with_every_problem_at_once() {
        let today = date(2027, 3, 10);
        let ok = AgreementInput {
            parent_id: "p1".into(),
            how: "paper".into(),
            agreed_on: "2027-03-10".into(),
        };
        assert_eq!(ok.parse(today).unwrap().how, How::Paper);
        let bad = AgreementInput {
            parent_id: " ".into(),
            how: "portal".into(),
            agreed_on: "2027-03-11".into(),
        };
        let fields: Vec<&str> = bad.parse(today).unwrap_err().0.iter().map(|e| e.field).collect();
        assert_eq!(fields, vec!["parent_id", "how", "agreed_on"]);
        let version = VersionInput {
            label: "".into(),
            issued_on: "10/03/2027".into(),
            summary: String::new(),
        };
        assert_eq!(version.parse(today).unwrap_err().0.len(), 2);
        let ahead = VersionInput {
            label: "2".into(),
            issued_on: "2027-03-11".into(),
            summary: String::new(),
        };
        assert_eq!(ahead.parse(today).unwrap_err().0[0].field, "issued_on");
        assert!(ahead.parse(date(2027, 3, 11)).is_ok());
    }
}
