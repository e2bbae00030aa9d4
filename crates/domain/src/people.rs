//! People who sign in: their roles, e-mail addresses, names and the password policy.

use crate::text;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a person does for an organisation; it decides what they may see and do (see `authz`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    OrganisationAdmin,
    Coordinator,
    Supervisor,
    Volunteer,
    SafeguardingLead,
    Referrer,
    Parent,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::OrganisationAdmin,
        Role::Coordinator,
        Role::Supervisor,
        Role::Volunteer,
        Role::SafeguardingLead,
        Role::Referrer,
        Role::Parent,
    ];

    /// The roles of people who work inside the organisation (`is_staff`).
    pub const STAFF: [Role; 5] = [
        Role::OrganisationAdmin,
        Role::Coordinator,
        Role::Supervisor,
        Role::Volunteer,
        Role::SafeguardingLead,
    ];

    /// The stable name used in the database, the API and on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::OrganisationAdmin => "organisation_admin",
            Role::Coordinator => "coordinator",
            Role::Supervisor => "supervisor",
            Role::Volunteer => "volunteer",
            Role::SafeguardingLead => "safeguarding_lead",
            Role::Referrer => "referrer",
            Role::Parent => "parent",
        }
    }

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            Role::OrganisationAdmin => "Organisation administrator",
            Role::Coordinator => "Coordinator",
            Role::Supervisor => "Supervisor",
            Role::Volunteer => "Volunteer",
            Role::SafeguardingLead => "Safeguarding lead",
            Role::Referrer => "Referrer",
            Role::Parent => "Parent",
        }
    }

    /// Parses a role name; hyphens and spaces are accepted for the command line.
    pub fn parse(value: &str) -> Result<Role, String> {
        let wanted = value.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Role::ALL.into_iter().find(|r| r.as_str() == wanted).ok_or_else(|| {
            let names: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
            format!("Choose a role: one of {}", names.join(", "))
        })
    }

    /// Staff and volunteers work inside the organisation; referrers and parents only see their own.
    pub fn is_staff(self) -> bool {
        !matches!(self, Role::Referrer | Role::Parent)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An e-mail address, trimmed and lower-cased so that one person has one account.
#[derive(Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(value: &str) -> Result<Email, String> {
        let value = value.trim().to_lowercase();
        if value.is_empty() {
            return Err("Enter an email address".into());
        }
        if value.len() > 254 {
            return Err("Email address must be 254 characters or fewer".into());
        }
        let valid = match value.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !value
                        .chars()
                        .any(|c| c.is_whitespace() || c.is_control() || "<>()[]\\,;:\"".contains(c))
            }
            None => false,
        };
        if !valid || check_mail_address(&value).is_err() {
            return Err("Enter an email address in the correct format, like name@example.com".into());
        }
        Ok(Email(value))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Whether `value` is an address the sender can send to: the same parser lettre uses when it sends
/// (`lettre::Address`), so an address refused here would have failed later, out of sight; checked
/// where an address is typed (an account, a party's e-mail on a case or referral, a self-referral).
pub fn check_mail_address(value: &str) -> Result<(), String> {
    match value.trim().parse::<lettre::Address>() {
        Ok(_) => Ok(()),
        Err(_) => Err("Enter an email address in the correct format, like name@example.com".into()),
    }
}

/// Never printed in debug output: an e-mail address is personal data and must not reach a log.
impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Email(..)")
    }
}

/// A person's full name as they want it shown.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(value: &str) -> Result<PersonName, String> {
        text::required("a full name", value, 200).map(PersonName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("PersonName(..)")
    }
}

/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// The longest password accepted (hashing is costly; a megabyte password is an attack, not a password).
pub const MAX_PASSWORD_CHARS: usize = 256;

/// A password that meets the policy: long enough, not absurdly long, and not a common password or a
/// small variation of one or of the person's own name or e-mail (checked with zxcvbn's lists).
pub struct NewPassword(String);

impl NewPassword {
    pub fn parse(value: &str, about_the_person: &[&str]) -> Result<NewPassword, String> {
        let length = value.chars().count();
        if length == 0 {
            return Err("Enter a password".into());
        }
        if length < MIN_PASSWORD_CHARS {
            return Err(format!("Password must be {MIN_PASSWORD_CHARS} characters or more"));
        }
        if length > MAX_PASSWORD_CHARS {
            return Err(format!("Password must be {MAX_PASSWORD_CHARS} characters or fewer"));
        }
        let strength = zxcvbn::zxcvbn(value, about_the_person);
        if u8::from(strength.score()) < 3 {
            return Err("Password is too easy to guess: it is a common password, or close to one or to your name. Try three or four unrelated words".into());
        }
        Ok(NewPassword(value.to_owned()))
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("NewPassword(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names_and_cli_spellings() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert_eq!(Role::parse("Organisation-Admin"), Ok(Role::OrganisationAdmin));
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(Email::parse(" Ann@Example.ORG ").unwrap().as_str(), "ann@example.org");
        for bad in [
            "",
            "ann",
            "ann@",
            "@example.org",
            "ann@example",
            "a b@example.org",
            "a@b@c.org",
            "ann@.org",
            "ann..smith@example.org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn addresses_are_checked_by_the_senders_rule() {
        assert!(check_mail_address("ann@example.org").is_ok());
        assert!(check_mail_address(" ann.smith+contact@example.org ").is_ok());
        for bad in [
            "ann",
            "ann@",
            "ann@@example.org",
            "ann..smith@example.org",
            "ann smith@example.org",
        ] {
            assert!(check_mail_address(bad).is_err(), "{bad:?} should be refused");
        }
    }

    #[test]
    fn personal_data_never_shows_in_debug_output() {
        let email = Email::parse("ann@example.org").unwrap();
        assert!(!format!("{email:?}").contains("ann"));
        let name = PersonName::parse("Ann Smith").unwrap();
        assert!(!format!("{name:?}").contains("Ann"));
    }

    #[test]
    fn password_policy_refuses_short_common_and_personal_passwords() {
        assert!(NewPassword::parse("short", &[]).is_err());
        assert!(NewPassword::parse("password1234", &[]).is_err());
        assert!(NewPassword::parse("qwertyuiop123", &[]).is_err());
        assert!(NewPassword::parse("annsmith1980!", &["annsmith", "ann@example.org"]).is_err());
        assert!(NewPassword::parse(&"x".repeat(300), &[]).is_err());
        assert!(NewPassword::parse("lantern orchard pebble", &[]).is_ok());
    }
}
