//! A centre's scheduling settings: the stagger's direction and offsets, room buffers, staffing,
//! travel and the longest session, with the checks that keep the parents out of the entrance
//! together.

use serde::Serialize;

/// Who comes first. UK practice: the visiting parent arrives first and leaves last; US practice is
/// the reverse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StaggerDirection {
    VisitingFirst,
    ResidentFirst,
}

impl StaggerDirection {
    pub fn as_str(self) -> &'static str {
        match self {
            StaggerDirection::VisitingFirst => "visiting_first",
            StaggerDirection::ResidentFirst => "resident_first",
        }
    }
    pub fn parse(text: &str) -> Option<StaggerDirection> {
        match text {
            "visiting_first" => Some(StaggerDirection::VisitingFirst),
            "resident_first" => Some(StaggerDirection::ResidentFirst),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            StaggerDirection::VisitingFirst => "The visiting parent arrives first and leaves last (UK practice)",
            StaggerDirection::ResidentFirst => "The resident parent arrives first and collects last (US practice)",
        }
    }
}

/// A centre's scheduling settings (a case may override the stagger).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Settings {
    pub direction: StaggerDirection,
    /// How long before the start the first parent arrives.
    pub arrival_lead_minutes: i64,
    /// How long a parent spends arriving or leaving (entrance, reception, handing over the child).
    pub handover_minutes: i64,
    /// How long after the end the last parent leaves.
    pub departure_delay_minutes: i64,
    /// Minutes a room is kept free after each session.
    pub room_buffer_minutes: i64,
    /// Qualified supervisors at a supervised session (1, or 2 where a centre requires it).
    pub supervisors_required: u8,
    /// Families per staff member or volunteer at a supported session.
    pub families_per_worker: u8,
    /// Staff at community, hospital and welfare visits.
    pub community_staff_required: u8,
    /// Staff travel each way to an off-site venue.
    pub travel_minutes: i64,
    /// The longest a session may be.
    pub longest_session_minutes: i64,
}

impl Default for Settings {
    /// The defaults DOMAIN.md describes: the visiting parent 15 minutes early, waiting 15 after.
    fn default() -> Self {
        Settings {
            direction: StaggerDirection::VisitingFirst,
            arrival_lead_minutes: 15,
            handover_minutes: 10,
            departure_delay_minutes: 15,
            room_buffer_minutes: 15,
            supervisors_required: 1,
            families_per_worker: 3,
            community_staff_required: 2,
            travel_minutes: 30,
            longest_session_minutes: 240,
        }
    }
}

/// The longest any session can be, whatever the settings (the store's searches rely on it).
pub const LONGEST_SESSION_MINUTES: i64 = 8 * 60;
/// The most that can be added around a session (arrivals, departures, buffers, travel).
pub const LONGEST_MARGIN_MINUTES: i64 = 4 * 60;

impl Settings {
    /// Checks settings before they are saved: the gaps must be long enough that two parents are
    /// never in the entrance together.
    pub fn validate(&self) -> Result<(), Vec<(&'static str, String)>> {
        let mut problems = Vec::new();
        let mut range = |field: &'static str, value: i64, low: i64, high: i64, what: &str| {
            if value < low || value > high {
                problems.push((field, format!("{what} must be between {low} and {high} minutes")));
            }
        };
        range("handover_minutes", self.handover_minutes, 1, 60, "Arriving or leaving");
        range(
            "arrival_lead_minutes",
            self.arrival_lead_minutes,
            1,
            90,
            "The arrival offset",
        );
        range(
            "departure_delay_minutes",
            self.departure_delay_minutes,
            1,
            90,
            "The departure delay",
        );
        range(
            "room_buffer_minutes",
            self.room_buffer_minutes,
            0,
            60,
            "The room buffer",
        );
        range("travel_minutes", self.travel_minutes, 0, 120, "Travel time");
        range(
            "longest_session_minutes",
            self.longest_session_minutes,
            15,
            LONGEST_SESSION_MINUTES,
            "The longest session",
        );
        if self.arrival_lead_minutes < self.handover_minutes {
            problems.push((
                "arrival_lead_minutes",
                "The arrival offset must be at least the time a parent takes to arrive, so the parents are never in the entrance together".into(),
            ));
        }
        if self.departure_delay_minutes < self.handover_minutes {
            problems.push((
                "departure_delay_minutes",
                "The departure delay must be at least the time a parent takes to leave, so the parents are never in the entrance together".into(),
            ));
        }
        if !(1..=2).contains(&self.supervisors_required) {
            problems.push(("supervisors_required", "Supervisors per session must be 1 or 2".into()));
        }
        if !(1..=20).contains(&self.families_per_worker) {
            problems.push((
                "families_per_worker",
                "Families per worker must be between 1 and 20".into(),
            ));
        }
        if !(1..=3).contains(&self.community_staff_required) {
            problems.push((
                "community_staff_required",
                "Staff at off-site visits must be between 1 and 3".into(),
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_must_keep_the_entrance_clear() {
        assert_eq!(Settings::default().validate(), Ok(()));
        let tight = Settings {
            arrival_lead_minutes: 5,
            handover_minutes: 10,
            ..Settings::default()
        };
        let problems = tight.validate().unwrap_err();
        assert!(problems.iter().any(|(f, _)| *f == "arrival_lead_minutes"));
        let three = Settings {
            supervisors_required: 3,
            ..Settings::default()
        };
        assert!(three.validate().is_err());
    }
}
