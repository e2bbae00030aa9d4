//! Two-factor sign-in's rules (issue 18 item 4, decision 0052): the TOTP parameters (RFC 6238:
//! SHA-1, six digits, 30-second steps, one step of skew either way), what a typed second factor
//! is, and who the organisation's policy binds. The codes themselves are computed in the
//! application layer with the `totp-rs` crate, at the injected clock's time.

use crate::people::Role;
use jiff::SignedDuration;

/// Seconds in one TOTP time step.
pub const STEP_SECONDS: u64 = 30;
/// Digits in a code.
pub const DIGITS: usize = 6;
/// Steps either side of the current one that are still accepted (a slow typist, a clock a little off).
pub const SKEW: u16 = 1;
/// Recovery codes made at enrolment.
pub const RECOVERY_CODES: usize = 10;
/// Characters in a recovery code (base32, 80 random bits), shown in groups of four.
pub const RECOVERY_CODE_CHARS: usize = 16;
/// How long a right password waits for its second step before the person must start again.
pub const PENDING_FOR: SignedDuration = SignedDuration::from_mins(5);

/// A second factor as typed, checked for its form (never for whether it is right).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecondFactor {
    /// Six digits from an authenticator app.
    Code(String),
    /// A recovery code, lower case, without its dashes.
    Recovery(String),
}

impl SecondFactor {
    /// Reads what was typed: spaces and dashes are ignored (apps show `123 456`; recovery codes are
    /// printed `abcd-efgh-…`), and recovery codes are read in either case.
    pub fn parse(typed: &str) -> Result<SecondFactor, String> {
        let plain: String = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect::<String>()
            .to_ascii_lowercase();
        if plain.is_empty() {
            return Err("Enter the 6-digit code from your authenticator app".into());
        }
        if plain.len() == DIGITS && plain.bytes().all(|b| b.is_ascii_digit()) {
            return Ok(SecondFactor::Code(plain));
        }
        let base32 = |b: u8| b.is_ascii_lowercase() || (b'2'..=b'7').contains(&b);
        if plain.len() == RECOVERY_CODE_CHARS && plain.bytes().all(base32) {
            return Ok(SecondFactor::Recovery(plain));
        }
        Err("Enter the 6 digits from your authenticator app, or one of your recovery codes".into())
    }
}

/// A code typed to confirm enrolment: six digits only (a recovery code does not exist yet).
pub fn parse_enrolment_code(typed: &str) -> Result<String, String> {
    match SecondFactor::parse(typed) {
        Ok(SecondFactor::Code(code)) => Ok(code),
        Ok(SecondFactor::Recovery(_)) | Err(_) if typed.trim().is_empty() => {
            Err("Enter the 6-digit code from your authenticator app".into())
        }
        _ => Err("Enter the 6 digits your authenticator app shows for familytime".into()),
    }
}

/// Whether the organisation's policy makes this role use a second factor: the roles that see case
/// data, as the one authorisation rule says (`ViewCases`).
pub fn required_for(policy_on: bool, role: Role) -> bool {
    policy_on && crate::authz::sees_case_data(role)
}

/// A recovery code as shown: four groups of four, joined by dashes.
pub fn show_recovery_code(code: &str) -> String {
    code.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_factor_is_six_digits_or_a_recovery_code_whatever_the_spacing() {
        assert_eq!(
            SecondFactor::parse(" 123 456 "),
            Ok(SecondFactor::Code("123456".into()))
        );
        assert_eq!(
            SecondFactor::parse("ABCD-efgh-2345-6777"),
            Ok(SecondFactor::Recovery("abcdefgh23456777".into()))
        );
        for wrong in [
            "",
            "  ",
            "12345",
            "1234567",
            "12345a",
            "abcd-efgh-2345-6781",
            "abcdefgh",
        ] {
            assert!(SecondFactor::parse(wrong).is_err(), "{wrong:?}");
        }
        assert_eq!(parse_enrolment_code("654 321"), Ok("654321".into()));
        assert!(parse_enrolment_code("abcd-efgh-2345-6777").is_err());
        assert!(parse_enrolment_code("").is_err());
    }

    #[test]
    fn the_policy_binds_the_roles_that_see_case_data_only_when_on() {
        for role in Role::ALL {
            assert!(!required_for(false, role), "{role}");
        }
        assert!(required_for(true, Role::Coordinator));
        assert!(required_for(true, Role::OrganisationAdmin));
        assert!(required_for(true, Role::SafeguardingLead));
        assert!(!required_for(true, Role::Parent));
        assert!(!required_for(true, Role::Referrer));
    }

    #[test]
    fn recovery_codes_are_shown_in_groups_of_four() {
        assert_eq!(show_recovery_code("abcdefgh23456777"), "abcd-efgh-2345-6777");
    }
}
