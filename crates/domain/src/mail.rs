//! The rules of e-mail (issue 17, decision 0044), with no IO: which messages there are, when a
//! reminder is due, how long to wait before trying a message again, and when to give up.

use crate::Timestamp;

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
    /// A new account's link to set a password (decision 0051).
    AccountInvitation,
    /// A "forgot password" link (decision 0051).
    PasswordReset,
    // Decision 0050: the messages to referrers, the report's link, the self-referral's
    // acknowledgement.
    ReferralReceived,
    ReferralAccepted,
    ReferralDeclined,
    /// Someone did not attend, as the register records: to the referrer, by 10:00 the next
    /// working day.
    SessionMissed,
    /// The session was stopped early: to the referrer, by 10:00 the next working day.
    SessionStopped,
    ReportReleased,
    SelfReferralReceived,
}

impl MailKind {
    pub const ALL: [MailKind; 15] = [
        MailKind::BookingConfirmed,
        MailKind::BookingMoved,
        MailKind::BookingCancelled,
        MailKind::Reminder48h,
        MailKind::Reminder24h,
        MailKind::Test,
        MailKind::AccountInvitation,
        MailKind::PasswordReset,
        MailKind::ReferralReceived,
        MailKind::ReferralAccepted,
        MailKind::ReferralDeclined,
        MailKind::SessionMissed,
        MailKind::SessionStopped,
        MailKind::ReportReleased,
        MailKind::SelfReferralReceived,
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
            MailKind::AccountInvitation => "account_invitation",
            MailKind::PasswordReset => "password_reset",
            MailKind::ReferralReceived => "referral_received",
            MailKind::ReferralAccepted => "referral_accepted",
            MailKind::ReferralDeclined => "referral_declined",
            MailKind::SessionMissed => "session_missed",
            MailKind::SessionStopped => "session_stopped",
            MailKind::ReportReleased => "report_released",
            MailKind::SelfReferralReceived => "self_referral_received",
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
            MailKind::AccountInvitation => "invitation",
            MailKind::PasswordReset => "password-reset",
            MailKind::ReferralReceived => "referral-received",
            MailKind::ReferralAccepted => "referral-accepted",
            MailKind::ReferralDeclined => "referral-declined",
            MailKind::SessionMissed => "session-missed",
            MailKind::SessionStopped => "session-stopped",
            MailKind::ReportReleased => "report-released",
            MailKind::SelfReferralReceived => "self-referral-received",
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
            MailKind::AccountInvitation => "Account invitation",
            MailKind::PasswordReset => "Password reset link",
            MailKind::ReferralReceived => "Referral received",
            MailKind::ReferralAccepted => "Referral accepted",
            MailKind::ReferralDeclined => "Referral declined",
            MailKind::SessionMissed => "Missed session (to the referrer)",
            MailKind::SessionStopped => "Session stopped (to the referrer)",
            MailKind::ReportReleased => "Report released",
            MailKind::SelfReferralReceived => "Self-referral received",
        }
    }

    /// Whether a person may opt out of it: reminders only, never a change to a session (a
    /// cancellation), money owed, safety, or their own account's links (decision 0051).
    pub fn may_opt_out(self) -> bool {
        matches!(self, MailKind::Reminder48h | MailKind::Reminder24h)
    }
}

/// The hour of the next working day by which the referrer's notice of a missed or stopped session
/// must be sent (local authority contracts: 10:00 the next working day).
pub const NOTICE_DUE_HOUR: i8 = 10;

/// When the referrer's notice of a missed or stopped session is due: 10:00, in the centre's zone, on
/// the first working day after the session's day. A working day is Monday to Friday and not a day
/// `closed` says the centre is closed (its closures, such as Christmas). At most a year ahead is
/// looked at (a centre closed for longer than that gets the day after the year).
pub fn notice_due_by(
    session_start: Timestamp,
    zone: &jiff::tz::TimeZone,
    closed: impl Fn(jiff::civil::Date) -> bool,
) -> Timestamp {
    use jiff::civil::Weekday;
    let session_day = session_start.to_zoned(zone.clone()).date();
    let mut day = session_day;
    for _ in 0..366 {
        day = match day.tomorrow() {
            Ok(next) => next,
            Err(_) => break,
        };
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        if !weekend && !closed(day) {
            break;
        }
    }
    day.to_datetime(jiff::civil::Time::constant(NOTICE_DUE_HOUR, 0, 0, 0))
        .to_zoned(zone.clone())
        .map(|z| z.timestamp())
        .unwrap_or(session_start)
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

/// A centre's reminder times, in whole hours before a session starts: the first reminder and the
/// second, nearer one (48 and 24 unless an administrator sets them, decision 0051).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReminderHours {
    first: i64,
    second: i64,
}

impl Default for ReminderHours {
    fn default() -> Self {
        ReminderHours::DEFAULT
    }
}

impl ReminderHours {
    pub const DEFAULT: ReminderHours = ReminderHours { first: 48, second: 24 };
    /// The earliest a first reminder may be: two weeks before (the job's read looks no further).
    pub const MAX_HOURS: i64 = 336;

    /// Checks the two times: whole hours, the second between 1 and the first (exclusive), the
    /// first at most two weeks. Each problem is `(field, message)`, every one at once.
    pub fn new(first: i64, second: i64) -> Result<ReminderHours, Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        if !(2..=Self::MAX_HOURS).contains(&first) {
            problems.push((
                "reminder_first_hours",
                format!(
                    "The first reminder must be between 2 and {} hours before",
                    Self::MAX_HOURS
                ),
            ));
        }
        if second < 1 {
            problems.push((
                "reminder_second_hours",
                "The second reminder must be at least 1 hour before".to_owned(),
            ));
        } else if second >= first && problems.is_empty() {
            problems.push((
                "reminder_second_hours",
                "The second reminder must be nearer the session than the first".to_owned(),
            ));
        }
        if problems.is_empty() {
            Ok(ReminderHours { first, second })
        } else {
            Err(problems)
        }
    }

    /// As typed into a form: whole numbers of hours.
    pub fn parse(first: &str, second: &str) -> Result<ReminderHours, Vec<(&'static str, String)>> {
        let number = |field: &'static str, which: &str, value: &str| {
            value.trim().parse::<i64>().map_err(|_| {
                (
                    field,
                    format!("Enter the {which} reminder's time as a whole number of hours, like 24"),
                )
            })
        };
        match (
            number("reminder_first_hours", "first", first),
            number("reminder_second_hours", "second", second),
        ) {
            (Ok(first), Ok(second)) => ReminderHours::new(first, second),
            // One did not parse: its problem, and the other's own range problem, all at once.
            (first, second) => {
                let mut problems = Vec::new();
                match first {
                    Err(problem) => problems.push(problem),
                    Ok(first) => problems.extend(
                        ReminderHours::new(first, first.saturating_sub(1).max(1))
                            .err()
                            .into_iter()
                            .flatten()
                            .filter(|(field, _)| *field == "reminder_first_hours"),
                    ),
                }
                match second {
                    Err(problem) => problems.push(problem),
                    Ok(second) => problems.extend(
                        ReminderHours::new(Self::MAX_HOURS, second)
                            .err()
                            .into_iter()
                            .flatten()
                            .filter(|(field, _)| *field == "reminder_second_hours"),
                    ),
                }
                Err(problems)
            }
        }
    }

    pub fn first(self) -> i64 {
        self.first
    }

    pub fn second(self) -> i64 {
        self.second
    }

    /// The reminders and the window of start times each is due for, in minutes from now: a session
    /// starting within `second` hours gets the second reminder, one starting `second` to `first`
    /// hours away the first. Each is sent once, so a session booked between the two gets the first
    /// at once and the second later; one booked inside the second gets only the second.
    pub fn windows(self) -> [(MailKind, i64, i64); 2] {
        [
            (MailKind::Reminder48h, self.second * 60, self.first * 60),
            (MailKind::Reminder24h, 0, self.second * 60),
        ]
    }

    /// The reminder due for a session starting `until_start` from now, if any.
    pub fn due(self, until_start: jiff::SignedDuration) -> Option<MailKind> {
        let mins = jiff::SignedDuration::from_mins;
        self.windows()
            .into_iter()
            .find(|(_, from, to)| until_start > mins(*from) && until_start <= mins(*to))
            .map(|(kind, _, _)| kind)
    }
}

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

    fn due(session: jiff::civil::DateTime, closures: &[(jiff::civil::Date, jiff::civil::Date)]) -> jiff::Zoned {
        let zone = jiff::tz::TimeZone::get("Europe/London").expect("zone");
        let start = session.to_zoned(zone.clone()).expect("a local time").timestamp();
        notice_due_by(start, &zone, |d| closures.iter().any(|(a, b)| *a <= d && d <= *b)).to_zoned(zone)
    }

    #[test]
    fn the_referrers_notice_is_due_at_ten_on_the_next_working_day() {
        use jiff::civil::date;
        // A Tuesday's session: Wednesday 10:00 (in summer time: 09:00 UTC).
        let wednesday = due(date(2026, 6, 2).at(14, 0, 0, 0), &[]);
        assert_eq!(wednesday.date(), date(2026, 6, 3));
        assert_eq!((wednesday.hour(), wednesday.minute()), (10, 0));
        assert_eq!(wednesday.timestamp().as_second() % 3600, 0);
        // A Friday's, or a Saturday's: Monday.
        assert_eq!(due(date(2026, 6, 5).at(16, 0, 0, 0), &[]).date(), date(2026, 6, 8));
        assert_eq!(due(date(2026, 6, 6).at(10, 0, 0, 0), &[]).date(), date(2026, 6, 8));
        // Over Christmas, closed 24 to 27 December: the 23rd's session is told on the 28th (a Monday).
        let christmas = [(date(2026, 12, 24), date(2026, 12, 27))];
        let after = due(date(2026, 12, 23).at(10, 0, 0, 0), &christmas);
        assert_eq!(after.date(), date(2026, 12, 28));
        assert_eq!(after.hour(), 10, "10:00 in winter time too");
        // A closure on a weekday after a weekend: the day after it.
        let friday_closed = [(date(2026, 6, 8), date(2026, 6, 8))];
        assert_eq!(
            due(date(2026, 6, 5).at(16, 0, 0, 0), &friday_closed).date(),
            date(2026, 6, 9)
        );
    }

    #[test]
    fn the_reminder_windows_meet_without_overlapping() {
        assert_eq!(REMINDERS[0].1, REMINDERS[1].2);
        assert_eq!(REMINDERS[1].1, 0);
        assert_eq!(ReminderHours::DEFAULT.windows(), REMINDERS);
    }

    #[test]
    fn a_centres_reminder_times_set_the_windows() {
        let mins = jiff::SignedDuration::from_mins;
        let hours = ReminderHours::new(72, 6).unwrap();
        assert_eq!(hours.due(mins(72 * 60 + 1)), None);
        assert_eq!(hours.due(mins(72 * 60)), Some(MailKind::Reminder48h));
        assert_eq!(hours.due(mins(6 * 60 + 1)), Some(MailKind::Reminder48h));
        assert_eq!(hours.due(mins(6 * 60)), Some(MailKind::Reminder24h));
        assert_eq!(hours.due(mins(1)), Some(MailKind::Reminder24h));
        assert_eq!(hours.due(mins(0)), None);
        assert_eq!(hours.due(mins(-30)), None);
        let defaults = ReminderHours::default();
        assert_eq!(defaults.due(mins(47 * 60)), Some(MailKind::Reminder48h));
        assert_eq!(defaults.due(mins(23 * 60)), Some(MailKind::Reminder24h));
        assert_eq!(defaults.due(mins(49 * 60)), None);
    }

    #[test]
    fn reminder_times_are_checked_all_at_once() {
        assert!(ReminderHours::new(48, 24).is_ok());
        assert_eq!(ReminderHours::new(24, 24).unwrap_err()[0].0, "reminder_second_hours");
        assert_eq!(ReminderHours::new(24, 30).unwrap_err()[0].0, "reminder_second_hours");
        assert_eq!(ReminderHours::new(1, 0).unwrap_err().len(), 2);
        assert_eq!(
            ReminderHours::new(ReminderHours::MAX_HOURS + 1, 24).unwrap_err()[0].0,
            "reminder_first_hours"
        );
        assert_eq!(ReminderHours::parse("two days", "").unwrap_err().len(), 2);
        assert_eq!(ReminderHours::parse("two days", "0").unwrap_err().len(), 2);
        assert_eq!(ReminderHours::parse("1", "x").unwrap_err().len(), 2);
        assert_eq!(
            ReminderHours::parse(" 36 ", "12").unwrap(),
            ReminderHours::new(36, 12).unwrap()
        );
    }

    #[test]
    fn only_reminders_may_be_opted_out_of() {
        let optional: Vec<_> = MailKind::ALL.into_iter().filter(|k| k.may_opt_out()).collect();
        assert_eq!(optional, [MailKind::Reminder48h, MailKind::Reminder24h]);
    }
}
