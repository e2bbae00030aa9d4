//! A referral as received: the children, the adults, their contact details (some hidden from named
//! adults), the court orders and the background. `ReferralInput` is what a form or the API sends;
//! `parse` checks all of it at once and yields a `NewReferral` that is known to be acceptable.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use crate::confidential::Confidential;
use crate::referrals::ReferralSource;
use crate::text::{self, FieldErrors};
use jiff::civil::Date;
use serde::Deserialize;

/// An adult's part in the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartyRole {
    /// Lives with the child and brings them.
    Resident,
    /// The parent or relative having contact.
    Visiting,
    /// Another adult named on the referral (a grandparent, a new partner, …).
    OtherAdult,
}

impl PartyRole {
    pub const ALL: [PartyRole; 3] = [PartyRole::Resident, PartyRole::Visiting, PartyRole::OtherAdult];
    pub fn as_str(self) -> &'static str {
        match self {
            PartyRole::Resident => "resident",
            PartyRole::Visiting => "visiting",
            PartyRole::OtherAdult => "other_adult",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            PartyRole::Resident => "Resident parent or carer",
            PartyRole::Visiting => "Visiting parent or relative",
            PartyRole::OtherAdult => "Other named adult",
        }
    }
    pub fn parse(value: &str) -> Option<PartyRole> {
        PartyRole::ALL.into_iter().find(|r| r.as_str() == value.trim())
    }
}

/// What kind of contact detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContactKind {
    Address,
    Phone,
    Email,
    School,
}

impl ContactKind {
    pub const ALL: [ContactKind; 4] = [
        ContactKind::Address,
        ContactKind::Phone,
        ContactKind::Email,
        ContactKind::School,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ContactKind::Address => "address",
            ContactKind::Phone => "phone",
            ContactKind::Email => "email",
            ContactKind::School => "school",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ContactKind::Address => "Address",
            ContactKind::Phone => "Phone",
            ContactKind::Email => "Email",
            ContactKind::School => "School",
        }
    }
    pub fn parse(value: &str) -> Option<ContactKind> {
        ContactKind::ALL.into_iter().find(|k| k.as_str() == value.trim())
    }
}

/// Kinds of court order.
pub const ORDER_KINDS: [(&str, &str); 6] = [
    ("child_arrangements", "Child arrangements order"),
    ("non_molestation", "Non-molestation order"),
    ("injunction", "Injunction"),
    ("prohibited_steps", "Prohibited steps order"),
    ("specific_issue", "Specific issue order"),
    ("other", "Other order"),
];

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

fn parse_date(label: &str, value: &str, today: Date) -> Result<Date, String> {
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

fn parse_contacts(
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

/// The public self-referral: one adult tells us about themself, the children and the other adult.
/// The other adult gives their own part later, through a one-time link; neither sees the other's.
#[derive(Debug, Clone, Default)]
pub struct SelfReferralInput {
    pub your_role: String,
    pub your_name: String,
    pub your_relationship: String,
    /// Whether they have parental responsibility: "yes", "no", or "not_known" (or nothing).
    pub your_pr: String,
    pub your_address: String,
    pub your_phone: String,
    pub your_email: String,
    /// Keep the address, phone and e-mail hidden from the other adult (the safe default).
    pub keep_hidden: bool,
    pub your_language: String,
    pub your_access: String,
    pub your_availability: String,
    pub children: Vec<(String, String)>,
    pub other_name: String,
    pub other_relationship: String,
    /// How the centre can reach the other adult, as far as this adult knows it.
    pub other_address: String,
    pub other_phone: String,
    pub other_email: String,
    /// The kinds of court order the adult says there are (keys of `ORDER_KINDS`), and what they said.
    pub order_kinds: Vec<String>,
    pub order_details: String,
    /// The service they think they need (from "Which service do I need?"), if any.
    pub service: String,
    pub safety: String,
    pub consent: bool,
}

/// Parental responsibility as a form gives it: yes, no, or not known (`Some(None)`); `None` for
/// anything else.
pub fn parse_responsibility(value: &str) -> Option<Option<bool>> {
    match value.trim() {
        "yes" => Some(Some(true)),
        "no" => Some(Some(false)),
        "" | "not_known" => Some(None),
        _ => None,
    }
}

impl SelfReferralInput {
    /// The referral this makes, and every problem found in what was typed, under the self-referral
    /// form's own field names (all at once: the general checks of `ReferralInput::parse` then find
    /// nothing new about the adults). The other adult is named so the centre can invite them, and
    /// holds nothing of what this adult wrote.
    pub fn to_referral(&self, today: Date) -> (ReferralInput, FieldErrors) {
        let mut errors = FieldErrors::new();
        // Each child's name and date of birth, beside its own field (the first child is required;
        // another only when something of it was typed).
        const CHILD_FIELDS: [(&str, &str); 3] = [
            ("child1_name", "child1_dob"),
            ("child2_name", "child2_dob"),
            ("child3_name", "child3_dob"),
        ];
        for (i, ((name, dob), (name_field, dob_field))) in self.children.iter().zip(CHILD_FIELDS).enumerate() {
            if i > 0 && name.trim().is_empty() && dob.trim().is_empty() {
                continue;
            }
            errors.take(name_field, text::required("the child's full name", name, 200));
            errors.take(dob_field, parse_date("the child's date of birth", dob, today));
        }
        let role = PartyRole::parse(&self.your_role).filter(|r| *r != PartyRole::OtherAdult);
        if role.is_none() {
            errors.add("your_role", "Say whether the children live with you");
        }
        errors.take("your_name", text::required("your full name", &self.your_name, 200));
        errors.take(
            "your_relationship",
            text::optional("who you are to the children", &self.your_relationship, 200),
        );
        let your_pr = parse_responsibility(&self.your_pr).unwrap_or_else(|| {
            errors.add(
                "your_pr",
                "Say whether you have parental responsibility, or that you do not know",
            );
            None
        });
        if self.other_name.trim().is_empty() {
            errors.add(
                "other_name",
                "Enter the other parent's or relative's name, so we can ask them separately",
            );
        }
        errors.take("other_name", text::optional("their name", &self.other_name, 200));
        errors.take(
            "other_relationship",
            text::optional("who they are to the children", &self.other_relationship, 200),
        );
        for (field, label, value) in [
            ("your_address", "your address", &self.your_address),
            ("your_phone", "your phone number", &self.your_phone),
            ("your_email", "your email address", &self.your_email),
            ("other_address", "their address", &self.other_address),
            ("other_phone", "their phone number", &self.other_phone),
            ("other_email", "their email address", &self.other_email),
        ] {
            errors.take(field, text::optional(label, value, 500));
        }
        errors.take(
            "your_language",
            text::optional("the language", &self.your_language, 100),
        );
        errors.take(
            "your_access",
            text::optional("what would make visiting easier", &self.your_access, 4000),
        );
        errors.take(
            "your_availability",
            text::optional("when you can come", &self.your_availability, 4000),
        );
        let kinds: Vec<&str> = ORDER_KINDS
            .iter()
            .filter(|(k, _)| self.order_kinds.iter().any(|o| o.trim() == *k))
            .map(|(_, label)| *label)
            .collect();
        if kinds.len() != self.order_kinds.len() {
            errors.add("order_kinds", "Choose court orders from the list");
        }
        let details = errors
            .take(
                "order_details",
                text::optional("what the order says", &self.order_details, 3000),
            )
            .flatten();
        let orders_described = match (kinds.is_empty(), details) {
            (true, None) => String::new(),
            (true, Some(d)) => d,
            (false, None) => format!("{}.", kinds.join("; ")),
            (false, Some(d)) => format!("{}. {d}", kinds.join("; ")),
        };
        let service = self.service.trim();
        if !service.is_empty() && crate::referrals::Service::parse(service).is_none() {
            errors.add("service", "Choose a service from the list");
        }
        errors.take(
            "safety",
            text::optional("what you tell us about safety", &self.safety, 10000),
        );
        if !self.consent {
            errors.add(
                "consent",
                "Confirm that we may use what you tell us to decide how to help",
            );
        }
        let role = role.unwrap_or(PartyRole::Resident);
        let other_role = if role == PartyRole::Resident {
            PartyRole::Visiting
        } else {
            PartyRole::Resident
        };
        let hidden_from = if self.keep_hidden { vec![1] } else { Vec::new() };
        let contacts = |details: [(&str, &String); 3], hidden_from: &Vec<usize>| {
            details
                .into_iter()
                .map(|(kind, value)| ContactInput {
                    kind: kind.into(),
                    value: value.clone(),
                    hidden_from: hidden_from.clone(),
                })
                .collect::<Vec<_>>()
        };
        let yours = contacts(
            [
                ("address", &self.your_address),
                ("phone", &self.your_phone),
                ("email", &self.your_email),
            ],
            &hidden_from,
        );
        // The other adult's details, as given: they are that adult's own, so hidden from nobody
        // (the one who gave them knows them), and still confidential contact details.
        let theirs = contacts(
            [
                ("address", &self.other_address),
                ("phone", &self.other_phone),
                ("email", &self.other_email),
            ],
            &Vec::new(),
        );
        let described = |name: &str, relationship: &str| match relationship.trim() {
            "" => name.trim().to_owned(),
            r => format!("{} ({r})", name.trim()),
        };
        let child_lives_with = if role == PartyRole::Resident {
            described(&self.your_name, &self.your_relationship)
        } else {
            described(&self.other_name, &self.other_relationship)
        };
        let referral = ReferralInput {
            source: "self_referral".into(),
            referrer_name: String::new(),
            referrer_organisation: String::new(),
            children: self
                .children
                .iter()
                .enumerate()
                .filter(|(i, (name, dob))| *i == 0 || !name.trim().is_empty() || !dob.trim().is_empty())
                .map(|(_, (name, dob))| ChildInput {
                    name: name.clone(),
                    date_of_birth: dob.clone(),
                    ..Default::default()
                })
                .collect(),
            adults: vec![
                AdultInput {
                    role: role.as_str().into(),
                    name: self.your_name.clone(),
                    relationship: self.your_relationship.clone(),
                    parental_responsibility: your_pr,
                    may_attend: true,
                    interpreter: self.your_language.to_lowercase().contains("interpreter"),
                    language: self.your_language.clone(),
                    accessibility_needs: self.your_access.clone(),
                    availability: self.your_availability.clone(),
                    contacts: yours,
                },
                AdultInput {
                    role: other_role.as_str().into(),
                    name: self.other_name.clone(),
                    relationship: self.other_relationship.clone(),
                    parental_responsibility: None,
                    may_attend: true,
                    contacts: theirs,
                    ..Default::default()
                },
            ],
            court_orders: Vec::new(),
            child_lives_with,
            risk_background: self.safety.clone(),
            consent_to_share: self.consent,
            orders_described,
            service_asked: service.to_owned(),
        };
        (referral, errors)
    }
}

/// The other adult's own part, given through their one-time link.
#[derive(Debug, Clone, Default)]
pub struct OwnPartInput {
    pub address: String,
    pub phone: String,
    pub email: String,
    pub keep_hidden: bool,
    pub language: String,
    pub access: String,
    pub availability: String,
    pub safety: String,
    pub consent: bool,
}

/// The other adult's part, checked.
#[derive(Debug, Clone)]
pub struct OwnPart {
    pub contacts: Vec<NewContact>,
    pub language: Option<String>,
    pub accessibility_needs: Option<String>,
    pub availability: Option<String>,
    pub safety: Option<String>,
}

impl OwnPartInput {
    /// `others` is how many other adults the case has; with `keep_hidden`, the details are hidden from
    /// all of them (positions `0..others` in the list the store is given).
    pub fn parse(&self, others: usize) -> Result<OwnPart, FieldErrors> {
        let mut errors = FieldErrors::new();
        if !self.consent {
            errors.add(
                "consent",
                "Confirm that we may use what you tell us to decide how to help",
            );
        }
        let hidden_from: Vec<usize> = if self.keep_hidden {
            (0..others).collect()
        } else {
            Vec::new()
        };
        let inputs: Vec<ContactInput> = [
            ("address", &self.address),
            ("phone", &self.phone),
            ("email", &self.email),
        ]
        .into_iter()
        .map(|(kind, value)| ContactInput {
            kind: kind.into(),
            value: value.clone(),
            hidden_from: hidden_from.clone(),
        })
        .collect();
        let contacts = parse_contacts(&mut errors, "address", &inputs, others);
        let language = errors
            .take("language", text::optional("the language", &self.language, 100))
            .flatten();
        let accessibility_needs = errors
            .take("access", text::optional("the accessibility needs", &self.access, 4000))
            .flatten();
        let availability = errors
            .take(
                "availability",
                text::optional("when you can come", &self.availability, 4000),
            )
            .flatten();
        let safety = errors
            .take(
                "safety",
                text::optional("what you tell us about safety", &self.safety, 10000),
            )
            .flatten();
        if errors.is_empty() {
            Ok(OwnPart {
                contacts,
                language,
                accessibility_needs,
                availability,
                safety,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod self_referral_tests {
    use super::*;

    fn today() -> Date {
        jiff::civil::date(2026, 11, 23)
    }

    fn daniel() -> SelfReferralInput {
        SelfReferralInput {
            your_role: "visiting".into(),
            your_name: "Daniel Price".into(),
            your_relationship: "Father".into(),
            your_pr: "not_known".into(),
            children: vec![("Mia Price".into(), "2019-03-27".into())],
            other_name: "Laura Price".into(),
            other_relationship: "Mother".into(),
            other_phone: "07700 900123".into(),
            order_kinds: vec!["non_molestation".into()],
            order_details: "He must not come to her home".into(),
            service: "supervised".into(),
            consent: true,
            ..Default::default()
        }
    }

    #[test]
    fn what_the_family_said_is_carried_into_the_referral() {
        let (referral, errors) = daniel().to_referral(today());
        assert!(errors.is_empty(), "{errors:?}");
        let r = referral.parse(today()).unwrap();
        assert_eq!(r.child_lives_with.as_deref(), Some("Laura Price (Mother)"));
        assert_eq!(r.adults[0].parental_responsibility, None, "not known is not no");
        assert_eq!(r.adults[1].parental_responsibility, None);
        assert_eq!(
            r.orders_described.as_deref(),
            Some("Non-molestation order. He must not come to her home")
        );
        assert_eq!(r.service_asked, Some(crate::referrals::Service::Supervised));
        let phone = &r.adults[1].contacts[0];
        assert_eq!(phone.kind, ContactKind::Phone);
        assert!(
            phone.hidden_from.is_empty(),
            "hidden from nobody: they are the other adult's own"
        );
        assert!(!format!("{phone:?}").contains("900123"), "confidential");
    }

    #[test]
    fn every_problem_is_found_at_once_under_the_forms_own_fields() {
        let mut input = daniel();
        input.your_name.clear();
        input.your_pr = "perhaps".into();
        input.children = vec![("".into(), "2027-01-01".into()), ("Leo".into(), "".into())];
        input.other_name.clear();
        input.order_kinds.push("made_up".into());
        input.consent = false;
        let (_, errors) = input.to_referral(today());
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        for field in [
            "child1_name",
            "child1_dob",
            "child2_dob",
            "your_name",
            "your_pr",
            "other_name",
            "order_kinds",
            "consent",
        ] {
            assert!(fields.contains(&field), "{field} in {fields:?}");
        }
    }
}
