//! Ending or suspending a service, the letters about it, and review meetings: parsing what a
//! coordinator types, and the arithmetic shown on a case (Cafcass-funded hours used against the
//! allowance, and whether a review is due). Pure: dates and "now" are always passed in.

use crate::referrals::{ReferralSource, named};
use crate::schedule::BookingKind;
use crate::text::{self, FieldErrors};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};

/// The longest reason, view or note (a page or two).
pub const MAX_TEXT: usize = 10_000;

/// Cafcass Child Contact Interventions fund up to 12 hours per family.
pub const FUNDED_MINUTES: i64 = 12 * 60;

/// About three months after the first session, a review is due.
pub const REVIEW_AFTER_DAYS: i64 = 90;

/// Whether the centre ends the service or suspends it (a suspension keeps the case open).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    Ended,
    Suspended,
}

named!(NoticeKind,
    Ended => "ended", "The service is ended";
    Suspended => "suspended", "The service is suspended";
);

/// Who a letter about a notice goes to: both parents and the referrer, always all three.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterRecipient {
    Resident,
    Visiting,
    Referrer,
}

named!(LetterRecipient,
    Resident => "resident", "The resident parent or carer";
    Visiting => "visiting", "The visiting parent or relative";
    Referrer => "referrer", "The referrer";
);

/// How a letter left the centre.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    Post,
    Email,
    ByHand,
    Printed,
}

named!(Delivery,
    Post => "post", "Sent by post";
    Email => "email", "Sent by e-mail";
    ByHand => "by_hand", "Handed over in person";
    Printed => "printed", "Printed (to be handed over or posted)";
);

/// What a review meeting decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReviewOutcome {
    Continue,
    StepDownSupported,
    StepDownHandover,
    StepUpSupervised,
    SelfArranged,
    End,
}

named!(ReviewOutcome,
    Continue => "continue", "Continue as now";
    StepDownSupported => "step_down_supported", "Step down to supported contact";
    StepDownHandover => "step_down_handover", "Step down to handover";
    StepUpSupervised => "step_up_supervised", "Step up to supervised contact";
    SelfArranged => "self_arranged", "The parents arrange contact themselves";
    End => "end", "End the service";
);

impl ReviewOutcome {
    /// The change of service a review's decision makes, from the day the review was held: a
    /// step-down to supported contact or to handover, or a step back up to supervised contact when
    /// supported contact has not gone well (issue 19).
    pub fn service_change(self, held_on: Date) -> Option<crate::booking_rules::ServiceChange> {
        let service = match self {
            ReviewOutcome::StepDownSupported => crate::referrals::Service::Supported,
            ReviewOutcome::StepDownHandover => crate::referrals::Service::Handover,
            ReviewOutcome::StepUpSupervised => crate::referrals::Service::Supervised,
            _ => return None,
        };
        Some(crate::booking_rules::ServiceChange { service, from: held_on })
    }
}

/// Reads a calendar date typed as 2026-11-25; `field` names the form field for the message.
fn date(errors: &mut FieldErrors, field: &'static str, label: &str, value: &str) -> Option<Date> {
    if value.trim().is_empty() {
        errors.add(field, format!("Enter {label}"));
        return None;
    }
    match crate::dates::parse_date(value) {
        Ok(d) => Some(d),
        Err(_) => {
            errors.add(field, format!("Enter {label} as a date, like 2026-11-25"));
            None
        }
    }
}

/// A notice ending or suspending a service, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub reason: String,
    pub effective_on: Date,
}

impl Notice {
    /// The effective date may be a little in the past (the decision is often written up after the
    /// last session) but not absurdly far either way: a year is a typing mistake.
    pub fn parse(kind: &str, reason: &str, effective_on: &str, today: Date) -> Result<Notice, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = NoticeKind::parse(kind);
        if kind.is_none() {
            errors.add("kind", "Choose whether the service is ended or suspended");
        }
        let reason = errors.take("reason", text::required("the reason", reason, MAX_TEXT));
        let effective_on = date(&mut errors, "effective_on", "the date it takes effect", effective_on);
        if let Some(d) = effective_on
            && (d < today.saturating_sub(1.year()) || d > today.saturating_add(1.year()))
        {
            errors.add(
                "effective_on",
                "The date it takes effect must be within a year of today",
            );
        }
        match (kind, reason, effective_on) {
            (Some(kind), Some(reason), Some(effective_on)) if errors.is_empty() => Ok(Notice {
                kind,
                reason,
                effective_on,
            }),
            _ => Err(errors),
        }
    }
}

impl NoticeKind {
    /// What happens next, in the words of the letter to a parent.
    pub fn next_steps(self) -> &'static str {
        match self {
            NoticeKind::Ended => {
                "No further sessions will take place at the centre for this family after that date. Any sessions booked after it will be cancelled, and the centre will confirm this to you. If you wish to discuss this decision, please contact the centre; if there are court proceedings, you may want to tell your solicitor or the court."
            }
            NoticeKind::Suspended => {
                "No sessions will take place while the service is suspended. The centre will review the suspension and write to you again before any session is arranged. If you wish to discuss this decision, please contact the centre."
            }
        }
    }
}

/// Reads the record of a letter sent or printed.
pub fn parse_letter(recipient: &str, delivery: &str) -> Result<(LetterRecipient, Delivery), FieldErrors> {
    let mut errors = FieldErrors::new();
    let recipient = LetterRecipient::parse(recipient);
    if recipient.is_none() {
        errors.add(
            "recipient",
            "Choose who the letter went to: the resident parent, the visiting parent or the referrer",
        );
    }
    let delivery = Delivery::parse(delivery);
    if delivery.is_none() {
        errors.add(
            "delivery",
            "Choose how the letter was sent: post, e-mail, by hand, or printed",
        );
    }
    match (recipient, delivery) {
        (Some(r), Some(d)) => Ok((r, d)),
        _ => Err(errors),
    }
}

/// A review meeting, already checked. Each party's view is kept separately, as they gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review {
    pub held_on: Date,
    pub attendees: String,
    pub resident_view: String,
    pub visiting_view: String,
    pub child_view: Option<String>,
    pub outcome: ReviewOutcome,
    pub risk_notes: String,
}

/// A review meeting as typed.
#[derive(Debug, Clone, Default)]
pub struct ReviewInput<'a> {
    pub held_on: &'a str,
    pub attendees: &'a str,
    pub resident_view: &'a str,
    pub visiting_view: &'a str,
    pub child_view: &'a str,
    pub outcome: &'a str,
    pub risk_notes: &'a str,
}

impl Review {
    /// A review is recorded after it is held: never for a date after today.
    pub fn parse(input: &ReviewInput<'_>, today: Date) -> Result<Review, FieldErrors> {
        let mut errors = FieldErrors::new();
        let held_on = date(&mut errors, "held_on", "the date the review was held", input.held_on);
        if held_on.is_some_and(|d| d > today) {
            errors.add("held_on", "The date the review was held must be today or in the past");
        }
        let attendees = errors.take("attendees", text::required("who attended", input.attendees, 2000));
        let resident_view = errors.take(
            "resident_view",
            text::required("the resident parent's view", input.resident_view, MAX_TEXT),
        );
        let visiting_view = errors.take(
            "visiting_view",
            text::required("the visiting parent's view", input.visiting_view, MAX_TEXT),
        );
        let child_view = errors
            .take(
                "child_view",
                text::optional("the child's view", input.child_view, MAX_TEXT),
            )
            .flatten();
        let outcome = ReviewOutcome::parse(input.outcome);
        if outcome.is_none() {
            errors.add("outcome", "Choose the outcome of the review");
        }
        let risk_notes = errors.take(
            "risk_notes",
            text::required("the risk reassessment", input.risk_notes, MAX_TEXT),
        );
        match (held_on, attendees, resident_view, visiting_view, outcome, risk_notes) {
            (
                Some(held_on),
                Some(attendees),
                Some(resident_view),
                Some(visiting_view),
                Some(outcome),
                Some(risk_notes),
            ) if errors.is_empty() => Ok(Review {
                held_on,
                attendees,
                resident_view,
                visiting_view,
                child_view,
                outcome,
                risk_notes,
            }),
            _ => Err(errors),
        }
    }
}

/// A session that took place (completed or stopped early), as the funded-hours sum sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeldSession {
    pub kind: BookingKind,
    pub starts_at: Timestamp,
    /// The booked length. A session stopped early still used its booked slot of the funding.
    pub minutes: i64,
}

/// Cafcass-funded time used against the allowance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FundedHours {
    pub used_minutes: i64,
    pub allowance_minutes: i64,
}

fn hours(minutes: i64) -> String {
    if minutes % 60 == 0 {
        (minutes / 60).to_string()
    } else {
        format!("{:.1}", minutes as f64 / 60.0)
    }
}

impl FundedHours {
    /// Whether the whole allowance is used (or more).
    pub fn reached(&self) -> bool {
        self.used_minutes >= self.allowance_minutes
    }
    pub fn used_hours(&self) -> String {
        hours(self.used_minutes)
    }
    pub fn allowance_hours(&self) -> String {
        hours(self.allowance_minutes)
    }
    /// "8 of 12 funded hours used".
    pub fn describe(&self) -> String {
        format!("{} of {} funded hours used", self.used_hours(), self.allowance_hours())
    }
}

/// The funded hours a case has used: only for Cafcass-referred cases, and only contact sessions
/// count (pre-visits and review meetings are not contact).
pub fn funded_hours(source: ReferralSource, held: &[HeldSession], allowance_minutes: i64) -> Option<FundedHours> {
    if source != ReferralSource::Cafcass {
        return None;
    }
    let used_minutes = held
        .iter()
        .filter(|s| matches!(s.kind, BookingKind::Contact(_)))
        .map(|s| s.minutes.max(0))
        .sum();
    Some(FundedHours {
        used_minutes,
        allowance_minutes,
    })
}

/// Whether a review is due: about three months have passed since the first contact session and no
/// review meeting has been held since it. Returns the first session's start when due.
pub fn review_due(
    held: &[HeldSession],
    reviews_held: &[Date],
    first_day: impl Fn(Timestamp) -> Date,
    now: Timestamp,
) -> Option<Timestamp> {
    let first = held
        .iter()
        .filter(|s| matches!(s.kind, BookingKind::Contact(_)))
        .map(|s| s.starts_at)
        .min()?;
    let since = first_day(first);
    if reviews_held.iter().any(|d| *d >= since) {
        return None;
    }
    (now.duration_since(first) >= SignedDuration::from_hours(24 * REVIEW_AFTER_DAYS)).then_some(first)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::referrals::Service;
    use jiff::civil::date;

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn session(kind: BookingKind, starts: &str, minutes: i64) -> HeldSession {
        HeldSession {
            kind,
            starts_at: at(starts),
            minutes,
        }
    }

    #[test]
    fn names_round_trip() {
        for k in NoticeKind::ALL {
            assert_eq!(NoticeKind::parse(k.as_str()), Some(*k));
        }
        for o in ReviewOutcome::ALL {
            assert_eq!(ReviewOutcome::parse(o.as_str()), Some(*o));
        }
        for r in LetterRecipient::ALL {
            assert_eq!(LetterRecipient::parse(r.as_str()), Some(*r));
        }
        for d in Delivery::ALL {
            assert_eq!(Delivery::parse(d.as_str()), Some(*d));
        }
    }

    #[test]
    fn a_notice_needs_a_kind_a_reason_and_a_date() {
        let today = date(2026, 11, 25);
        let n = Notice::parse("ended", " Repeated breaches ", "2026-12-01", today).unwrap();
        assert_eq!(n.kind, NoticeKind::Ended);
        assert_eq!(n.reason, "Repeated breaches");
        assert_eq!(n.effective_on, date(2026, 12, 1));
        let e = Notice::parse("closed", "", "next week", today).unwrap_err();
        let fields: Vec<_> = e.0.iter().map(|f| f.field).collect();
        assert_eq!(fields, ["kind", "reason", "effective_on"]);
        assert!(Notice::parse("suspended", "x", "2029-01-01", today).is_err());
    }

    #[test]
    fn letters_go_to_known_recipients_by_known_means() {
        assert_eq!(
            parse_letter("referrer", "printed").unwrap(),
            (LetterRecipient::Referrer, Delivery::Printed)
        );
        assert!(parse_letter("grandmother", "printed").is_err());
        assert!(parse_letter("resident", "pigeon").is_err());
    }

    #[test]
    fn a_review_keeps_each_view_and_is_not_in_the_future() {
        let today = date(2026, 11, 25);
        let input = ReviewInput {
            held_on: "2026-11-20",
            attendees: "Jo (coordinator), Laura, Daniel",
            resident_view: "Going well",
            visiting_view: "Wants longer sessions",
            child_view: "",
            outcome: "step_down_supported",
            risk_notes: "No incidents in six sessions",
        };
        let r = Review::parse(&input, today).unwrap();
        assert_eq!(r.child_view, None);
        assert_eq!(r.outcome, ReviewOutcome::StepDownSupported);
        let future = ReviewInput {
            held_on: "2026-12-20",
            ..input.clone()
        };
        assert!(Review::parse(&future, today).is_err());
        let no_view = ReviewInput {
            visiting_view: " ",
            outcome: "whatever",
            ..input
        };
        let e = Review::parse(&no_view, today).unwrap_err();
        assert!(e.message_for("visiting_view").is_some() && e.message_for("outcome").is_some());
    }

    #[test]
    fn funded_hours_count_contact_sessions_of_cafcass_cases_only() {
        let held = [
            session(BookingKind::Contact(Service::Supervised), "2026-09-05T10:00:00Z", 120),
            session(BookingKind::Contact(Service::Supervised), "2026-09-12T10:00:00Z", 90),
            session(BookingKind::PreVisit, "2026-09-01T10:00:00Z", 60),
            session(BookingKind::Review, "2026-10-01T10:00:00Z", 60),
        ];
        let f = funded_hours(ReferralSource::Cafcass, &held, FUNDED_MINUTES).unwrap();
        assert_eq!(f.used_minutes, 210);
        assert_eq!(f.describe(), "3.5 of 12 funded hours used");
        assert!(!f.reached());
        assert_eq!(funded_hours(ReferralSource::Solicitor, &held, FUNDED_MINUTES), None);
        let many: Vec<_> = (0..6)
            .map(|_| session(BookingKind::Contact(Service::Supervised), "2026-09-05T10:00:00Z", 120))
            .collect();
        let f = funded_hours(ReferralSource::Cafcass, &many, FUNDED_MINUTES).unwrap();
        assert_eq!(f.describe(), "12 of 12 funded hours used");
        assert!(f.reached());
        assert_eq!(
            funded_hours(ReferralSource::Cafcass, &[], FUNDED_MINUTES)
                .unwrap()
                .describe(),
            "0 of 12 funded hours used"
        );
    }

    #[test]
    fn a_review_is_due_three_months_after_the_first_session_until_one_is_held() {
        let day = |t: Timestamp| t.to_zoned(jiff::tz::TimeZone::UTC).date();
        let held = [
            session(BookingKind::Contact(Service::Supervised), "2026-09-12T10:00:00Z", 120),
            session(BookingKind::Contact(Service::Supervised), "2026-09-05T10:00:00Z", 120),
        ];
        assert_eq!(review_due(&held, &[], day, at("2026-11-25T10:00:00Z")), None);
        assert_eq!(
            review_due(&held, &[], day, at("2026-12-04T10:00:00Z")),
            Some(at("2026-09-05T10:00:00Z"))
        );
        assert_eq!(
            review_due(&held, &[date(2026, 11, 30)], day, at("2026-12-04T10:00:00Z")),
            None
        );
        // A review before contact began (an assessment) does not count.
        assert!(review_due(&held, &[date(2026, 8, 1)], day, at("2026-12-04T10:00:00Z")).is_some());
        assert_eq!(review_due(&[], &[], day, at("2026-12-04T10:00:00Z")), None);
    }
}
