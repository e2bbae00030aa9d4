//! The rules of e-mail (issue 17, decision 0044), with no IO: which messages there are, when a
//! reminder is due, how long to wait before trying a message again, and when to give up.

/// A message familytime sends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MailKind {
    BookingConfirmed,
    BookingMoved,
    BookingCancelled,
    Reminder48h,
    Reminder24h,
    /// `familytime mail send-test`.
    Test,
}

impl MailKind {
    pub const ALL: [MailKind; 6] = [
        MailKind::BookingConfirmed,
        MailKind::BookingMoved,
        MailKind::BookingCancelled,
        MailKind::Reminder48h,
        MailKind::Reminder24h,
        MailKind::Test,
    ];

    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::BookingConfirmed => "booking_confirmed",
            MailKind::BookingMoved => "booking_moved",
            MailKind::BookingCancelled => "booking_cancelled",
            MailKind::Reminder48h => "reminder_48h",
            MailKind::Reminder24h => "reminder_24h",
            MailKind::Test => "test",
        }
    }

    pub fn parse(text: &str) -> Option<MailKind> {
        MailKind::ALL.into_iter().find(|k| k.as_str() == text)
    }

    /// The words' key part in the catalogue (`mail-subject-{key}`).
    pub fn key(self) -> &'static str {
        match self {
            MailKind::BookingConfirmed => "confirmed",
            MailKind::BookingMoved => "moved",
            MailKind::BookingCancelled => "cancelled",
            MailKind::Reminder48h => "reminder-48h",
            MailKind::Reminder24h => "reminder-24h",
            MailKind::Test => "test",
        }
    }

    /// In words, for staff.
    pub fn label(self) -> &'static str {
        match self {
            MailKind::BookingConfirmed => "Booking confirmed",
            MailKind::BookingMoved => "Booking moved",
            MailKind::BookingCancelled => "Booking cancelled",
            MailKind::Reminder48h => "Reminder (2 days before)",
            MailKind::Reminder24h => "Reminder (the day before)",
            MailKind::Test => "Test message",
        }
    }
}

/// The reminders before a session, and the window of start times each is due for, in minutes from
/// now: a session starting within 24 hours gets the day-before reminder, one starting 24 to 48
/// hours away the two-day one. Each is sent once (the outbox holds one per booking, person and
/// kind), so a session booked 30 hours ahead gets the two-day reminder at once and the day-before
/// one later.
pub const REMINDERS: [(MailKind, i64, i64); 2] = [
    (MailKind::Reminder48h, 24 * 60, 48 * 60),
    (MailKind::Reminder24h, 0, 24 * 60),
];

/// How long a message is held by the sender that claimed it; a sender that dies while sending
/// leaves it to be claimed again after this (and sent again, with the same Message-ID).
pub const LEASE_SECONDS: i64 = 120;

/// Tries before a message that keeps failing for a temporary reason is marked failed.
pub const MAX_ATTEMPTS: i64 = 12;

/// Seconds to wait before the next try after `attempts` tries that failed for a temporary reason
/// (server down, 4xx): doubling from 30 seconds, at most an hour.
pub fn retry_delay_seconds(attempts: i64) -> i64 {
    let doublings = attempts.clamp(1, 8) - 1;
    (30_i64 << doublings).min(3600)
}

/// What an SMTP server's answer, or no answer, means for a message.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// Try again later (4xx, no connection, a timeout).
    Retry,
    /// Never try again (5xx, an address that cannot be an address).
    Failed,
}

/// The outcome of an SMTP reply code (`None`: no reply at all, as when the server is down).
pub fn outcome_of(code: Option<u16>) -> Outcome {
    match code {
        Some(200..=399) => Outcome::Sent,
        Some(500..=599) => Outcome::Failed,
        _ => Outcome::Retry,
    }
}

/// Whether a message failing for a temporary reason after `attempts` tries is given up on.
pub fn gives_up(attempts: i64) -> bool {
    attempts >= MAX_ATTEMPTS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in MailKind::ALL {
            assert_eq!(MailKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(MailKind::parse("spam"), None);
    }

    #[test]
    fn retries_back_off_to_an_hour() {
        assert_eq!(retry_delay_seconds(1), 30);
        assert_eq!(retry_delay_seconds(2), 60);
        assert_eq!(retry_delay_seconds(3), 120);
        assert_eq!(retry_delay_seconds(8), 3600);
        assert_eq!(retry_delay_seconds(100), 3600);
        assert!(!gives_up(MAX_ATTEMPTS - 1));
        assert!(gives_up(MAX_ATTEMPTS));
    }

    #[test]
    fn a_permanent_refusal_fails_and_a_temporary_one_is_retried() {
        assert_eq!(outcome_of(Some(250)), Outcome::Sent);
        assert_eq!(outcome_of(Some(421)), Outcome::Retry);
        assert_eq!(outcome_of(Some(451)), Outcome::Retry);
        assert_eq!(outcome_of(Some(550)), Outcome::Failed);
        assert_eq!(outcome_of(Some(554)), Outcome::Failed);
        assert_eq!(outcome_of(None), Outcome::Retry);
    }

    #[test]
    fn the_reminder_windows_meet_without_overlapping() {
        assert_eq!(REMINDERS[0].1, REMINDERS[1].2);
        assert_eq!(REMINDERS[1].1, 0);
    }
}
