//! When a signed-in session ends: after a spell of idleness, or a fixed time after sign-in,
//! whichever comes first. The clock is the caller's, so tests can move it.

use jiff::{SignedDuration, Timestamp};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    /// Ends a session nobody has used for this long (a tablet left on a table).
    pub idle: SignedDuration,
    /// Ends every session this long after sign-in, however busy.
    pub absolute: SignedDuration,
}

impl Default for SessionPolicy {
    /// An hour idle suits a supervisor writing during a two-hour session (drafts are saved as they
    /// type); twelve hours covers the longest working day.
    fn default() -> Self {
        SessionPolicy {
            idle: SignedDuration::from_mins(60),
            absolute: SignedDuration::from_hours(12),
        }
    }
}

/// Whether a session is still live, given when it started and was last used.
pub fn is_live(policy: SessionPolicy, signed_in_at: Timestamp, last_seen_at: Timestamp, now: Timestamp) -> bool {
    now.duration_since(last_seen_at) < policy.idle && now.duration_since(signed_in_at) < policy.absolute
}

/// Whether to write a new last-seen time: not on every request, to spare the database, but often
/// enough that the idle timeout stays accurate to the minute.
pub fn needs_touch(last_seen_at: Timestamp, now: Timestamp) -> bool {
    now.duration_since(last_seen_at) >= SignedDuration::from_secs(60)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(minutes: i64) -> Timestamp {
        Timestamp::from_second(1_790_000_000 + minutes * 60).unwrap()
    }

    #[test]
    fn idle_sessions_end() {
        let p = SessionPolicy::default();
        assert!(is_live(p, at(0), at(0), at(59)));
        assert!(!is_live(p, at(0), at(0), at(60)));
        assert!(is_live(p, at(0), at(100), at(150)));
    }

    #[test]
    fn busy_sessions_still_end_at_the_absolute_limit() {
        let p = SessionPolicy::default();
        assert!(is_live(p, at(0), at(12 * 60 - 2), at(12 * 60 - 1)));
        assert!(!is_live(p, at(0), at(12 * 60 - 1), at(12 * 60)));
    }

    #[test]
    fn last_seen_is_written_at_most_once_a_minute() {
        assert!(!needs_touch(at(0), at(0)));
        assert!(needs_touch(at(0), at(1)));
    }
}
