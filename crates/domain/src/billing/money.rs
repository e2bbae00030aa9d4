//! Amounts of money as the rules see them: whole pence, read from and shown as pounds, and split
//! between payers so that the parts always add up.

/// An amount of money in pence. Negative amounts exist only as ledger movements (a refund, a credit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pence(pub i64);

impl Pence {
    /// Reads "147", "147.00", "£147.5" or "0.99" as pounds; refuses negatives, more than two decimal
    /// places, junk and anything over £100,000.
    pub fn parse_pounds(text: &str) -> Result<Pence, String> {
        let t = text.trim().trim_start_matches('£').replace(',', "");
        let bad = || "Enter an amount in pounds, like 61 or 61.50".to_string();
        if t.is_empty() || t.starts_with('-') || t.starts_with('+') {
            return Err(bad());
        }
        let (whole, frac) = match t.split_once('.') {
            Some((w, f)) => (w, f),
            None => (t.as_str(), ""),
        };
        if whole.is_empty() || !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        if frac.len() > 2 {
            return Err("Enter pounds and pence, with at most two decimal places".into());
        }
        let pounds: i64 = whole.parse().map_err(|_| bad())?;
        let pence: i64 = format!("{frac:0<2}").parse().map_err(|_| bad())?;
        let total = pounds
            .checked_mul(100)
            .and_then(|p| p.checked_add(pence))
            .ok_or_else(bad)?;
        if total > 10_000_000 {
            return Err("That is more than £100,000: check the amount".into());
        }
        Ok(Pence(total))
    }

    /// "£147.00", "-£5.50".
    pub fn display(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        format!("{sign}£{}.{:02}", abs / 100, abs % 100)
    }

    /// A share of this amount in basis points (1/100 of a per cent), rounded down; the remainder is
    /// given by `split` to the last payer so the parts always add up.
    pub(super) fn share(self, basis_points: i64) -> Pence {
        Pence(self.0 * basis_points / 10_000)
    }
}

/// What an account's balance means to a person: "£12.00 owed", "£5.00 in credit", "Nothing owed".
pub fn describe_balance(owed: Pence) -> String {
    match owed.0 {
        0 => "Nothing owed".into(),
        n if n > 0 => format!("{} owed", owed.display()),
        n => format!("{} in credit", Pence(-n).display()),
    }
}

/// Splits an amount between payers by shares in basis points that add up to 10,000 (100%). The
/// parts add up to the amount exactly: what rounding leaves over goes to the last payer.
pub fn split(amount: Pence, shares: &[i64]) -> Result<Vec<Pence>, String> {
    if shares.is_empty() || shares.iter().any(|s| *s < 0) || shares.iter().sum::<i64>() != 10_000 {
        return Err("The shares must add up to 100%".into());
    }
    let mut parts: Vec<Pence> = shares.iter().map(|s| amount.share(*s)).collect();
    let given: i64 = parts.iter().map(|p| p.0).sum();
    if let Some(last) = parts.last_mut() {
        last.0 += amount.0 - given;
    }
    Ok(parts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn pounds_are_read_and_shown_in_pence() {
        assert_eq!(Pence::parse_pounds("147"), Ok(Pence(14_700)));
        assert_eq!(Pence::parse_pounds("£61.5"), Ok(Pence(6_150)));
        assert_eq!(Pence::parse_pounds("0.99"), Ok(Pence(99)));
        for bad in ["-5", "", "1.234", "abc", "1.2.3", "£", "200000"] {
            assert!(Pence::parse_pounds(bad).is_err(), "{bad}");
        }
        assert_eq!(Pence(14_700).display(), "£147.00");
        assert_eq!(Pence(-550).display(), "-£5.50");
    }

    proptest! {
        #[test]
        fn ledger_splits_always_add_up(amount in 0i64..10_000_000, first in 0i64..=10_000) {
            let parts = split(Pence(amount), &[first, 10_000 - first]).unwrap();
            prop_assert_eq!(parts.iter().map(|p| p.0).sum::<i64>(), amount);
        }
    }

    #[test]
    fn ledger_split_refuses_shares_that_do_not_add_up() {
        assert!(split(Pence(100), &[6_000, 3_000]).is_err());
        assert!(split(Pence(100), &[]).is_err());
        assert_eq!(split(Pence(101), &[5_000, 5_000]).unwrap(), vec![Pence(50), Pence(51)]);
    }
}
