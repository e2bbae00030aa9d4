//! A half-open span of time and the arithmetic on instants every scheduling rule shares.

use jiff::{Timestamp, ToSpan};

/// A half-open span of time `[start, end)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Interval {
    pub start: Timestamp,
    pub end: Timestamp,
}

impl Interval {
    /// An interval that ends after it starts, or `None`.
    pub fn new(start: Timestamp, end: Timestamp) -> Option<Interval> {
        (end > start).then_some(Interval { start, end })
    }
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.start < other.end && other.start < self.end
    }
    pub fn contains(&self, other: &Interval) -> bool {
        self.start <= other.start && other.end <= self.end
    }
    pub fn minutes(&self) -> i64 {
        (self.end.as_second() - self.start.as_second()) / 60
    }
    /// The interval moved by a number of minutes (negative moves earlier).
    pub fn shifted(&self, minutes: i64) -> Interval {
        Interval {
            start: add_minutes(self.start, minutes),
            end: add_minutes(self.end, minutes),
        }
    }
}

/// `at` plus some minutes (saturating at the ends of time, which no booking comes near).
pub fn add_minutes(at: Timestamp, minutes: i64) -> Timestamp {
    at.checked_add(minutes.minutes()).unwrap_or(at)
}

/// Whether any interval of `a` overlaps any of `b`.
pub fn any_overlap(a: &[Interval], b: &[Interval]) -> bool {
    a.iter().any(|x| b.iter().any(|y| x.overlaps(y)))
}
