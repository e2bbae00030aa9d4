//! The public self-referral: one adult's form made into a referral, and the other adult's own part,
//! given later through a one-time link.

use super::refer::{AdultInput, ChildInput, ContactInput, ReferralInput, parse_contacts, parse_date};
use super::{NewContact, ORDER_KINDS, PartyRole};
use crate::text::{self, FieldErrors};
use jiff::civil::Date;

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
            let value = errors.take(field, text::optional(label, value, 500));
            if field.ends_with("_email")
                && let Some(Some(address)) = value
            {
                errors.take(field, crate::people::check_mail_address(&address));
            }
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
mod tests {
    use super::*;
    use crate::intake::ContactKind;

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
