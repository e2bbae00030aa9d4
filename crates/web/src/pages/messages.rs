//! The messages of validation errors in the page's language (decision 0039): the domain and the
//! application write them in English, the source; each has a stable key in the catalogues
//! (`invalid-…`, in `portal.ftl`) whose English words are exactly the domain's, and the page shows
//! the message of that key in its own language. A message with no key (a name typed into it, or
//! one not yet in the catalogue) is shown as the domain wrote it.

use crate::i18n::{self, Lang};
use familytime_domain::text::FieldErrors;
use std::collections::HashMap;
use std::sync::LazyLock;

/// The English words of every `invalid-…` message, to their key.
static BY_ENGLISH: LazyLock<HashMap<String, String>> = LazyLock::new(|| {
    i18n::keys(Lang::En)
        .into_iter()
        .filter(|key| key.starts_with("invalid-"))
        .filter_map(|key| i18n::plain(Lang::En, &key).map(|english| (english, key)))
        .collect()
});

/// The key of a message the domain or the application wrote, when the catalogue has it.
pub fn key_of(english: &str) -> Option<&'static str> {
    BY_ENGLISH.get(english).map(String::as_str)
}

/// One message in a language: the catalogue's words for it, or the message as written.
pub fn message_in(lang: Lang, english: &str) -> String {
    key_of(english).map_or_else(|| english.to_owned(), |key| i18n::message(lang, key, None))
}

/// A form's problems in the current request's language.
pub fn in_language(mut errors: FieldErrors) -> FieldErrors {
    let lang = i18n::current();
    if lang != Lang::En {
        for error in &mut errors.0 {
            error.message = message_in(lang, &error.message);
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;
    use familytime_domain::intake::{AdultInput, ChildInput, OwnPartInput, ReferralInput, SelfReferralInput};
    use familytime_domain::people::NewPassword;

    /// Every message the domain writes for the forms a parent or a referrer fills in, from input
    /// wrong in every way the forms allow: nothing at all, too long, a date that is not one.
    pub(super) fn domain_messages() -> Vec<String> {
        let today = jiff::civil::date(2030, 1, 7);
        let long = "x".repeat(5000);
        let mut messages = Vec::new();
        let mut add = |errors: FieldErrors| messages.extend(errors.messages());

        let (_, errors) = SelfReferralInput::default().to_referral(today);
        add(errors);
        let wrong = SelfReferralInput {
            your_role: "someone".into(),
            your_name: long.clone(),
            your_relationship: long.clone(),
            your_address: long.clone(),
            your_phone: "not a phone".into(),
            your_email: "not an email".into(),
            your_language: long.clone(),
            your_access: long.clone(),
            your_availability: long.clone(),
            your_pr: "maybe".into(),
            children: vec![("".into(), "2030-01-08".into()), ("A child".into(), "soon".into())],
            other_name: long.clone(),
            other_relationship: long.clone(),
            other_address: long.clone(),
            other_phone: "not a phone".into(),
            other_email: "not an email".into(),
            order_kinds: vec!["nonsense".into()],
            order_details: long.clone(),
            service: "nonsense".into(),
            safety: long.clone(),
            ..SelfReferralInput::default()
        };
        let (_, errors) = wrong.to_referral(today);
        add(errors);
        for input in [
            OwnPartInput::default(),
            OwnPartInput {
                address: long.clone(),
                phone: "not a phone".into(),
                email: "not an email".into(),
                language: long.clone(),
                access: long.clone(),
                availability: long.clone(),
                safety: long.clone(),
                ..OwnPartInput::default()
            },
        ] {
            if let Err(errors) = input.parse(1) {
                add(errors);
            }
        }
        for input in [
            ReferralInput::default(),
            ReferralInput {
                source: "nonsense".into(),
                referrer_name: long.clone(),
                children: vec![ChildInput {
                    name: String::new(),
                    date_of_birth: "soon".into(),
                    ..ChildInput::default()
                }],
                adults: vec![AdultInput {
                    role: "resident".into(),
                    ..AdultInput::default()
                }],
                child_lives_with: long.clone(),
                ..ReferralInput::default()
            },
        ] {
            if let Err(errors) = input.parse(today) {
                add(errors);
            }
        }
        for password in ["", "short", "password123456", &long] {
            if let Err(message) = NewPassword::parse(password, &["ade@example.org", "Ade"]) {
                messages.push(message);
            }
        }
        messages.sort();
        messages.dedup();
        messages
    }

    #[test]
    fn welsh_every_message_a_parent_or_referrer_can_get_has_its_words_in_the_catalogue() {
        let messages = domain_messages();
        assert!(
            messages.len() > 20,
            "the domain's messages are collected ({})",
            messages.len()
        );
        let missing: Vec<&String> = messages.iter().filter(|m| key_of(m).is_none()).collect();
        assert!(
            missing.is_empty(),
            "messages with no key in en/portal.ftl:\n{missing:#?}"
        );
        // The app's own messages on these forms, and the sign-in's.
        for english in [
            "Your current password is not right",
            "The new passwords do not match",
            "Enter your email address",
            "Enter your password",
        ] {
            assert!(key_of(english).is_some(), "{english}");
        }
        // In Welsh each is Welsh; an unknown message is shown as written.
        for m in &messages {
            assert_ne!(&message_in(Lang::Cy, m), m, "{m} is not in Welsh");
        }
        assert_eq!(message_in(Lang::Cy, "Something new"), "Something new");
    }
}
