//! Referring a family: the referral as a form or the API sends it, and the checks that make it a
//! `NewReferral` (every problem found at once).

use super::{ContactKind, ORDER_KINDS, PartyRole};
use crate::confidential::Confidential;
use crate::referrals::ReferralSource;
use crate::text::{self, FieldErrors};
use jiff::civil::Date;
use serde::Deserialize;

// ---- What a form or the API sends ----

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferralInput {
    pub source: String,
    #[serde(default)]
    pub referrer_name: String,
    #[serde(default)]
    pub referrer_organisation: String,
    #[serde(default)]
    pub children: Vec<ChildInput>,
    #[serde(default)]
    pub adults: Vec<AdultInput>,
    #[serde(default)]
    pub court_orders: Vec<OrderInput>,
    /// Who the child lives with, in words.
    #[serde(default)]
    pub child_lives_with: String,
    #[serde(default)]
    pub risk_background: String,
    #[serde(default)]
    pub consent_to_share: bool,
    /// Court orders as a parent described them, before the centre has seen a copy (in words).
    #[serde(default)]
    pub orders_described: String,
    /// The service the family asked for, if any (what "Which service do I need?" suggested).
    #[serde(default)]
    pub service_asked: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChildInput {
    pub name: String,
    /// YYYY-MM-DD
    pub date_of_birth: String,
    #[serde(default)]
    pub needs: String,
    /// Contact details of the child (a school, say).
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AdultInput {
    /// resident, visiting or other_adult
    pub role: String,
    pub name: String,
    #[serde(default)]
    pub relationship: String,
    /// Whether they have parental responsibility: true, false, or null (absent) for not known.
    #[serde(default)]
    pub parental_responsibility: Option<bool>,
    #[serde(default = "yes")]
    pub may_attend: bool,
    #[serde(default)]
    pub language: String,
    #[serde(default)]
    pub interpreter: bool,
    #[serde(default)]
    pub accessibility_needs: String,
    #[serde(default)]
    pub availability: String,
    #[serde(default)]
    pub contacts: Vec<ContactInput>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactInput {
    /// address, phone, email or school
    pub kind: String,
    pub value: String,
    /// Positions (from 0) in `adults` of the adults this detail must never reach.
    #[serde(default)]
    pub hidden_from: Vec<usize>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrderInput {
    pub kind: String,
    /// YYYY-MM-DD
    pub made_on: String,
    #[serde(default)]
    pub court: String,
    #[serde(default)]
    pub terms: String,
    #[serde(default)]
    pub sessions: Option<i32>,
    #[serde(default)]
    pub reports_ordered: bool,
    #[serde(default)]
    pub report_recipients: String,
}

// ---- What has been checked ----

#[derive(Debug, Clone)]
pub struct NewReferral {
    pub source: ReferralSource,
    pub referrer_name: Option<String>,
    pub referrer_organisation: Option<String>,
    pub children: Vec<NewChild>,
    pub adults: Vec<NewAdult>,
    pub court_orders: Vec<NewOrder>,
    pub child_lives_with: Option<String>,
    pub risk_background: Option<String>,
    pub consent_to_share: bool,
    pub orders_described: Option<String>,
    pub service_asked: Option<crate::referrals::Service>,
}

#[derive(Debug, Clone)]
pub struct NewChild {
    pub name: String,
    pub date_of_birth: Date,
    pub needs: Option<String>,
    pub contacts: Vec<NewContact>,
}

#[derive(Debug, Clone)]
pub struct NewAdult {
    pub role: PartyRole,
    pub name: String,
    pub relationship: Option<String>,
    /// `None`: not known.
    pub parental_responsibility: Option<bool>,
    pub may_attend: bool,
    pub language: Option<String>,
    pub interpreter: bool,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
    pub contacts: Vec<NewContact>,
}

#[derive(Debug, Clone)]
pub struct NewContact {
    pub kind: ContactKind,
    pub value: Confidential<String>,
    /// Positions in `NewReferral::adults`.
    pub hidden_from: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct NewOrder {
    pub kind: &'static str,
    pub made_on: Date,
    pub court: Option<String>,
    pub terms: Option<String>,
    pub sessions: Option<i32>,
    pub reports_ordered: bool,
    pub report_recipients: Option<String>,
}

const MAX_CHILDREN: usize = 10;
const MAX_ADULTS: usize = 10;

pub(super) fn parse_date(label: &str, value: &str, today: Date) -> Result<Date, String> {
    let date: Date = crate::dates::parse_date(value)
        .map_err(|_| format!("Enter {label} as a real date, as YYYY-MM-DD, like 2019-03-27"))?;
    if date > today {
        return Err(format!("{} must be today or in the past", capitalised(label)));
    }
    if date.year() < 1900 {
        return Err(format!("Enter {label} as a real date, like 2019-03-27"));
    }
    Ok(date)
}

fn capitalised(label: &str) -> String {
    let label = label.strip_prefix("the ").unwrap_or(label);
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

pub(super) fn parse_contacts(
    errors: &mut FieldErrors,
    field: &'static str,
    contacts: &[ContactInput],
    adult_count: usize,
) -> Vec<NewContact> {
    let mut out = Vec::new();
    for c in contacts {
        if c.value.trim().is_empty() {
            continue;
        }
        let Some(kind) = ContactKind::parse(&c.kind) else {
            errors.add(
                field,
                "Choose whether each contact detail is an address, phone, email or school",
            );
            continue;
        };
        let Some(value) = errors.take(field, text::required("the contact detail", &c.value, 500)) else {
            continue;
        };
        if kind == ContactKind::Email && errors.take(field, crate::people::check_mail_address(&value)).is_none() {
            continue;
        }
        if c.hidden_from.iter().any(|i| *i >= adult_count) {
            errors.add(
                field,
                "A contact detail is hidden from someone who is not on the referral",
            );
            continue;
        }
        out.push(NewContact {
            kind,
            value: Confidential::new(value),
            hidden_from: c.hidden_from.clone(),
        });
    }
    out
}

impl ReferralInput {
    /// Checks everything at once; `today` is the centre's date (a child cannot be born tomorrow).
    pub fn parse(&self, today: Date) -> Result<NewReferral, FieldErrors> {
        let mut errors = FieldErrors::new();
        let source = ReferralSource::parse(&self.source);
        if source.is_none() {
            errors.add("source", "Choose who made the referral");
        }
        let referrer_name = errors
            .take(
                "referrer_name",
                text::optional("the referrer's name", &self.referrer_name, 200),
            )
            .flatten();
        let referrer_organisation = errors
            .take(
                "referrer_organisation",
                text::optional("the referrer's organisation", &self.referrer_organisation, 200),
            )
            .flatten();
        if self.children.is_empty() {
            errors.add("children", "Add at least one child");
        }
        if self.children.len() > MAX_CHILDREN || self.adults.len() > MAX_ADULTS {
            errors.add("children", "A referral can name at most 10 children and 10 adults");
        }
        let adult_count = self.adults.len();
        let mut children = Vec::new();
        for child in self.children.iter().take(MAX_CHILDREN) {
            let name = errors.take("children", text::required("each child's name", &child.name, 200));
            let dob = errors.take(
                "children",
                parse_date("each child's date of birth", &child.date_of_birth, today),
            );
            let needs = errors
                .take("children", text::optional("the child's needs", &child.needs, 4000))
                .flatten();
            let contacts = parse_contacts(&mut errors, "children", &child.contacts, adult_count);
            if let (Some(name), Some(date_of_birth)) = (name, dob) {
                children.push(NewChild {
                    name,
                    date_of_birth,
                    needs,
                    contacts,
                });
            }
        }
        let mut adults = Vec::new();
        for adult in self.adults.iter().take(MAX_ADULTS) {
            let role = PartyRole::parse(&adult.role);
            if role.is_none() {
                errors.add("adults", "Say whether each adult is the resident parent or carer, the visiting parent or relative, or another adult");
            }
            let name = errors.take("adults", text::required("each adult's name", &adult.name, 200));
            let optional = |errors: &mut FieldErrors, label, value: &str, max| {
                errors.take("adults", text::optional(label, value, max)).flatten()
            };
            let relationship = optional(&mut errors, "the relationship", &adult.relationship, 200);
            let language = optional(&mut errors, "the language", &adult.language, 100);
            let accessibility_needs =
                optional(&mut errors, "the accessibility needs", &adult.accessibility_needs, 4000);
            let availability = optional(&mut errors, "the availability", &adult.availability, 4000);
            let contacts = parse_contacts(&mut errors, "adults", &adult.contacts, adult_count);
            if let (Some(role), Some(name)) = (role, name) {
                adults.push(NewAdult {
                    role,
                    name,
                    relationship,
                    parental_responsibility: adult.parental_responsibility,
                    may_attend: adult.may_attend,
                    language,
                    interpreter: adult.interpreter,
                    accessibility_needs,
                    availability,
                    contacts,
                });
            }
        }
        if !self
            .adults
            .iter()
            .any(|a| PartyRole::parse(&a.role) == Some(PartyRole::Resident))
        {
            errors.add("adults", "Name the resident parent or carer the child lives with");
        }
        let mut court_orders = Vec::new();
        for order in &self.court_orders {
            let kind = ORDER_KINDS
                .iter()
                .find(|(k, _)| *k == order.kind.trim())
                .map(|(k, _)| *k);
            if kind.is_none() {
                errors.add("court_orders", "Choose the kind of each court order");
            }
            let made_on = errors.take(
                "court_orders",
                parse_date("the date each order or injunction was made", &order.made_on, today),
            );
            let court = errors
                .take("court_orders", text::optional("the court", &order.court, 200))
                .flatten();
            let terms = errors
                .take("court_orders", text::optional("the order's terms", &order.terms, 4000))
                .flatten();
            let recipients = errors
                .take(
                    "court_orders",
                    text::optional("who may receive reports", &order.report_recipients, 1000),
                )
                .flatten();
            if order.sessions.is_some_and(|n| !(1..=500).contains(&n)) {
                errors.add(
                    "court_orders",
                    "The number of sessions ordered must be between 1 and 500",
                );
            }
            if let (Some(kind), Some(made_on)) = (kind, made_on) {
                court_orders.push(NewOrder {
                    kind,
                    made_on,
                    court,
                    terms,
                    sessions: order.sessions,
                    reports_ordered: order.reports_ordered,
                    report_recipients: recipients,
                });
            }
        }
        let child_lives_with = errors
            .take(
                "child_lives_with",
                text::optional("who the child lives with", &self.child_lives_with, 500),
            )
            .flatten();
        let risk_background = errors
            .take(
                "risk_background",
                text::optional("the risk background", &self.risk_background, 10000),
            )
            .flatten();
        let orders_described = errors
            .take(
                "orders_described",
                text::optional("the court orders described", &self.orders_described, 4000),
            )
            .flatten();
        let service_asked = match self.service_asked.trim() {
            "" => None,
            s => {
                let service = crate::referrals::Service::parse(s);
                if service.is_none() {
                    errors.add("service_asked", "Choose a service from the list");
                }
                service
            }
        };
        match source {
            Some(source) if errors.is_empty() => Ok(NewReferral {
                orders_described,
                service_asked,
                source,
                referrer_name,
                referrer_organisation,
                children,
                adults,
                court_orders,
                child_lives_with,
                risk_background,
                consent_to_share: self.consent_to_share,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 23)
    }

    fn valid() -> ReferralInput {
        ReferralInput {
            source: "cafcass".into(),
            children: vec![ChildInput {
                name: "Mia".into(),
                date_of_birth: "2019-03-27".into(),
                ..Default::default()
            }],
            adults: vec![
                AdultInput {
                    role: "resident".into(),
                    name: "Laura".into(),
                    contacts: vec![ContactInput {
                        kind: "address".into(),
                        value: "1 Safe Street".into(),
                        hidden_from: vec![1],
                    }],
                    ..Default::default()
                },
                AdultInput {
                    role: "visiting".into(),
                    name: "Daniel".into(),
                    ..Default::default()
                },
            ],
            court_orders: vec![OrderInput {
                kind: "non_molestation".into(),
                made_on: "2026-01-10".into(),
                ..Default::default()
            }],
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_referral_parses_with_its_hidden_address() {
        let r = valid().parse(today()).unwrap();
        assert_eq!(r.adults[0].contacts[0].hidden_from, vec![1]);
        assert!(
            !format!("{r:?}").contains("Safe Street"),
            "hidden details never show in debug output"
        );
    }

    #[test]
    fn a_child_born_in_the_future_is_refused() {
        let mut input = valid();
        input.children[0].date_of_birth = "2027-01-01".into();
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.0.iter().any(|e| e.message.contains("today or in the past")));
    }

    #[test]
    fn a_referral_needs_a_resident_carer_and_a_child() {
        let mut input = valid();
        input.adults.remove(0);
        input.children.clear();
        let errors = input.parse(today()).unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert!(fields.contains(&"children") && fields.contains(&"adults"), "{fields:?}");
    }

    #[test]
    fn an_injunction_needs_its_date_and_hidden_from_must_name_an_adult() {
        let mut input = valid();
        input.court_orders[0].made_on = String::new();
        input.adults[0].contacts[0].hidden_from = vec![7];
        let errors = input.parse(today()).unwrap_err();
        assert!(errors.0.iter().any(|e| e.field == "court_orders"));
        assert!(errors.0.iter().any(|e| e.message.contains("not on the referral")));
    }

    #[test]
    fn an_unknown_source_is_refused() {
        let mut input = valid();
        input.source = "the neighbour".into();
        assert!(input.parse(today()).is_err());
    }
}
