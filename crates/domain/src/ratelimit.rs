//! Sign-in throttling, after OWASP's guidance (decision 0023): failures are counted per account, per
//! (account, address) and per (account, device); an account is slowed down progressively from
//! addresses it has never signed in from, a device that has signed in before is only held to its own
//! failures, and one address trying many accounts (password spraying) is stopped by a separate limit.
//! Nothing here locks an account for good, and nothing depends on whether the account exists: an
//! unknown account is counted by the name typed exactly like a real one. Counting happens in the
//! store; the rule lives here, with the time passed in.

use jiff::{SignedDuration, Timestamp};

/// The limits. The defaults are what a centre runs with; tests read them rather than copy numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SignInThrottle {
    /// Failures one source (an address, or a known device) may have against one account in
    /// `source_window` before that source must wait.
    pub per_source: u32,
    pub source_window: SignedDuration,
    /// Failures an account may have from anywhere in `account_window` before attempts from
    /// addresses it has not signed in from are slowed down.
    pub free_account_failures: u32,
    pub account_window: SignedDuration,
    /// The wait after the first failure past `free_account_failures`; it doubles with each further
    /// failure, up to `max_delay`.
    pub first_delay: SignedDuration,
    pub max_delay: SignedDuration,
    /// Different accounts one address may fail to sign in to in `address_window` (spraying).
    pub accounts_per_address: u32,
    pub address_window: SignedDuration,
    /// How long an address stays known to an account after a good sign-in from it.
    pub known_address_for: SignedDuration,
}

impl Default for SignInThrottle {
    fn default() -> Self {
        SignInThrottle {
            per_source: 10,
            source_window: SignedDuration::from_mins(15),
            free_account_failures: 5,
            account_window: SignedDuration::from_hours(24),
            first_delay: SignedDuration::from_secs(30),
            max_delay: SignedDuration::from_mins(15),
            accounts_per_address: 20,
            address_window: SignedDuration::from_hours(1),
            known_address_for: SignedDuration::from_hours(24 * 90),
        }
    }
}

/// Where an attempt comes from, as far as this account is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The browser shows a valid device cookie for this account (it signed in here before).
    KnownDevice,
    /// The account has signed in from this address before (within `known_address_for`).
    KnownAddress,
    UnknownAddress,
}

/// What the store counted for one attempt, each over its own window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// Failures of this account from this source (the device, or the address) in `source_window`.
    pub source_failures: u32,
    /// Failures of this account from anywhere in `account_window`, and when the latest was.
    pub account_failures: u32,
    pub account_latest: Option<Timestamp>,
    /// Different accounts that failed from this address in `address_window`.
    pub address_accounts: u32,
}

/// Whether the password may be checked, or how long the caller must wait first (an upper bound).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Check,
    Wait(SignedDuration),
}

impl SignInThrottle {
    /// Failures at or after these instants are counted for each limit.
    pub fn source_since(&self, now: Timestamp) -> Timestamp {
        before(now, self.source_window)
    }
    pub fn account_since(&self, now: Timestamp) -> Timestamp {
        before(now, self.account_window)
    }
    pub fn address_since(&self, now: Timestamp) -> Timestamp {
        before(now, self.address_window)
    }
    pub fn known_since(&self, now: Timestamp) -> Timestamp {
        before(now, self.known_address_for)
    }
    /// Failures older than this count for nothing and may be deleted.
    pub fn forget_before(&self, now: Timestamp) -> Timestamp {
        let longest = self.source_window.max(self.account_window).max(self.address_window);
        before(now, longest)
    }

    /// The wait before the next attempt from an unknown address, once the account has `failures`
    /// failures in its window: none up to `free_account_failures`, then `first_delay`, doubling.
    pub fn delay_after(&self, failures: u32) -> SignedDuration {
        let Some(past) = failures.checked_sub(self.free_account_failures) else {
            return SignedDuration::ZERO;
        };
        let factor = 1i32.checked_shl(past.min(30)).unwrap_or(i32::MAX);
        self.first_delay
            .checked_mul(factor)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }

    /// The rule. A known device answers only for its own failures; any other source is held to its
    /// own failures and the address's spraying limit, and an unknown address also waits out the
    /// account's growing delay.
    pub fn decide(&self, source: Source, counts: &Counts, now: Timestamp) -> Verdict {
        if counts.source_failures >= self.per_source {
            return Verdict::Wait(self.source_window);
        }
        if source == Source::KnownDevice {
            return Verdict::Check;
        }
        if counts.address_accounts >= self.accounts_per_address {
            return Verdict::Wait(self.address_window);
        }
        if source == Source::UnknownAddress
            && let Some(latest) = counts.account_latest
        {
            let delay = self.delay_after(counts.account_failures);
            let allowed_at = latest.checked_add(delay).unwrap_or(Timestamp::MAX);
            if now < allowed_at {
                return Verdict::Wait(allowed_at.duration_since(now));
            }
        }
        Verdict::Check
    }
}

fn before(now: Timestamp, span: SignedDuration) -> Timestamp {
    now.checked_sub(span).unwrap_or(Timestamp::MIN)
}

/// What sign-in failures are counted against. All are hashed before storage (see the store), so
/// the tables hold neither e-mail addresses nor IP addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThrottleKey {
    Account(String),
    ClientAddress(String),
    /// One account from one address (grouped as `client_address` groups it).
    AccountAddress {
        account: String,
        address: String,
    },
    /// One account from one device (the random id in its device cookie).
    AccountDevice {
        account: String,
        device: String,
    },
}

/// The form of a client address that is counted: IPv6 addresses per /64 network, because one
/// household or attacker is normally given a whole /64 and could otherwise use a fresh address per
/// attempt; IPv4-mapped IPv6 as the IPv4 address.
fn grouped_address(addr: &str) -> String {
    match addr.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
            let s = v6.segments();
            format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
        }
        Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
        Ok(ip) => ip.to_string(),
        Err(_) => addr.to_owned(),
    }
}

impl ThrottleKey {
    /// The key for a client address.
    pub fn client_address(addr: &str) -> ThrottleKey {
        ThrottleKey::ClientAddress(grouped_address(addr))
    }

    /// The key for an account from a client address.
    pub fn account_address(account: &str, addr: &str) -> ThrottleKey {
        ThrottleKey::AccountAddress {
            account: account.to_owned(),
            address: grouped_address(addr),
        }
    }

    /// The text that is hashed and stored. Each kind has its own prefix and the parts are joined by
    /// a character neither an e-mail address nor an IP address contains, so no two keys collide.
    pub fn material(&self) -> String {
        match self {
            ThrottleKey::Account(email) => format!("account:{email}"),
            ThrottleKey::ClientAddress(addr) => format!("address:{addr}"),
            ThrottleKey::AccountAddress { account, address } => format!("account-address:{account}\n{address}"),
            ThrottleKey::AccountDevice { account, device } => format!("account-device:{account}\n{device}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + secs).unwrap()
    }

    #[test]
    fn sign_in_throttle_holds_one_source_to_its_own_failures_for_a_window() {
        let rule = SignInThrottle::default();
        let counts = |n| Counts {
            source_failures: n,
            ..Counts::default()
        };
        for source in [Source::KnownDevice, Source::KnownAddress, Source::UnknownAddress] {
            assert_eq!(rule.decide(source, &counts(rule.per_source - 1), at(0)), Verdict::Check);
            assert_eq!(
                rule.decide(source, &counts(rule.per_source), at(0)),
                Verdict::Wait(rule.source_window)
            );
        }
        assert_eq!(
            at(0).duration_since(rule.source_since(at(0))),
            SignedDuration::from_mins(15)
        );
    }

    #[test]
    fn sign_in_throttle_slows_unknown_addresses_progressively_and_never_for_good() {
        let rule = SignInThrottle::default();
        assert_eq!(rule.delay_after(rule.free_account_failures - 1), SignedDuration::ZERO);
        assert_eq!(rule.delay_after(rule.free_account_failures), rule.first_delay);
        assert_eq!(rule.delay_after(rule.free_account_failures + 1), rule.first_delay * 2);
        assert_eq!(rule.delay_after(rule.free_account_failures + 2), rule.first_delay * 4);
        assert_eq!(rule.delay_after(100), rule.max_delay, "capped");
        assert_eq!(rule.delay_after(u32::MAX), rule.max_delay, "no overflow");

        let attacked = Counts {
            account_failures: 100,
            account_latest: Some(at(0)),
            ..Counts::default()
        };
        assert_eq!(
            rule.decide(Source::UnknownAddress, &attacked, at(60)),
            Verdict::Wait(rule.max_delay - SignedDuration::from_secs(60))
        );
        let after_the_delay = at(0) + rule.max_delay;
        assert_eq!(
            rule.decide(Source::UnknownAddress, &attacked, after_the_delay),
            Verdict::Check,
            "the real user gets in once the delay has passed"
        );
        // Where the account has signed in before, failures from elsewhere do not slow it down.
        assert_eq!(rule.decide(Source::KnownAddress, &attacked, at(1)), Verdict::Check);
        assert_eq!(rule.decide(Source::KnownDevice, &attacked, at(1)), Verdict::Check);
        // A few failures are free (someone mistyping).
        let mistyped = Counts {
            account_failures: rule.free_account_failures - 1,
            account_latest: Some(at(0)),
            ..Counts::default()
        };
        assert_eq!(rule.decide(Source::UnknownAddress, &mistyped, at(0)), Verdict::Check);
    }

    #[test]
    fn sign_in_throttle_stops_spraying_from_one_address_but_not_known_devices() {
        let rule = SignInThrottle::default();
        let sprayed = Counts {
            address_accounts: rule.accounts_per_address,
            ..Counts::default()
        };
        assert_eq!(
            rule.decide(Source::UnknownAddress, &sprayed, at(0)),
            Verdict::Wait(rule.address_window)
        );
        assert_eq!(
            rule.decide(Source::KnownAddress, &sprayed, at(0)),
            Verdict::Wait(rule.address_window)
        );
        assert_eq!(rule.decide(Source::KnownDevice, &sprayed, at(0)), Verdict::Check);
        let below = Counts {
            address_accounts: rule.accounts_per_address - 1,
            ..Counts::default()
        };
        assert_eq!(rule.decide(Source::UnknownAddress, &below, at(0)), Verdict::Check);
        assert!(
            rule.accounts_per_address > rule.free_account_failures,
            "the spraying limit is well above one person's mistakes"
        );
    }

    #[test]
    fn sign_in_throttle_forgets_failures_only_after_every_window() {
        let rule = SignInThrottle::default();
        let now = at(0);
        assert!(rule.forget_before(now) <= rule.account_since(now));
        assert!(rule.forget_before(now) <= rule.source_since(now));
        assert!(rule.forget_before(now) <= rule.address_since(now));
    }

    #[test]
    fn ipv6_addresses_count_per_64_network() {
        let a = ThrottleKey::client_address("2001:db8:1:2:aaaa::1");
        let b = ThrottleKey::client_address("2001:db8:1:2:bbbb::9");
        let c = ThrottleKey::client_address("2001:db8:1:3::1");
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_eq!(
            ThrottleKey::client_address("::ffff:192.0.2.1"),
            ThrottleKey::client_address("192.0.2.1")
        );
        assert_ne!(
            ThrottleKey::client_address("192.0.2.1"),
            ThrottleKey::client_address("192.0.2.2")
        );
        assert_eq!(
            ThrottleKey::account_address("a@b.example", "2001:db8:1:2:aaaa::1"),
            ThrottleKey::account_address("a@b.example", "2001:db8:1:2:bbbb::9")
        );
    }

    #[test]
    fn sign_in_throttle_keys_never_collide() {
        let keys = [
            ThrottleKey::Account("x".into()).material(),
            ThrottleKey::ClientAddress("x".into()).material(),
            ThrottleKey::account_address("x", "x").material(),
            ThrottleKey::AccountDevice {
                account: "x".into(),
                device: "x".into(),
            }
            .material(),
        ];
        for (i, a) in keys.iter().enumerate() {
            for b in &keys[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }
}
