//! Sign-in throttling: how many failed attempts an account or a client address may make in a window
//! before further attempts are refused. Counting happens in the store; the rule lives here.

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginLimit {
    pub max_failures: u32,
    pub window: SignedDuration,
}

impl Default for LoginLimit {
    fn default() -> Self {
        LoginLimit {
            max_failures: 10,
            window: SignedDuration::from_mins(15),
        }
    }
}

impl LoginLimit {
    /// Failures at or after this instant count against the limit.
    pub fn window_start(&self, now: Timestamp) -> Timestamp {
        now.checked_sub(self.window).unwrap_or(Timestamp::MIN)
    }
    /// Whether another attempt may be tried, given the failures counted in the window.
    pub fn allows(&self, failures_in_window: u32) -> bool {
        failures_in_window < self.max_failures
    }
}

/// What sign-in failures are counted against. Both are hashed before storage (see the store), so
/// the table of failures holds neither e-mail addresses nor IP addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ThrottleKey {
    Account(String),
    ClientAddress(String),
}

impl ThrottleKey {
    /// The key for a client address. IPv6 addresses count per /64 network, because one household or
    /// attacker is normally given a whole /64 and could otherwise use a fresh address per attempt.
    pub fn client_address(addr: &str) -> ThrottleKey {
        let grouped = match addr.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) if v6.to_ipv4_mapped().is_none() => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Ok(std::net::IpAddr::V6(v6)) => v6.to_ipv4_mapped().map(|v4| v4.to_string()).unwrap_or_default(),
            Ok(ip) => ip.to_string(),
            Err(_) => addr.to_owned(),
        };
        ThrottleKey::ClientAddress(grouped)
    }

    /// The text that is hashed and stored.
    pub fn material(&self) -> String {
        match self {
            ThrottleKey::Account(email) => format!("account:{email}"),
            ThrottleKey::ClientAddress(addr) => format!("address:{addr}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_failures_in_fifteen_minutes_stop_further_attempts() {
        let limit = LoginLimit::default();
        assert!(limit.allows(9));
        assert!(!limit.allows(10));
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        assert_eq!(
            now.duration_since(limit.window_start(now)),
            SignedDuration::from_mins(15)
        );
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
    }

    #[test]
    fn account_and_address_keys_never_collide() {
        assert_ne!(
            ThrottleKey::Account("x".into()).material(),
            ThrottleKey::ClientAddress("x".into()).material()
        );
    }
}
