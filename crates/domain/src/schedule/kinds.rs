//! What is being booked (`BookingKind`) and what each kind of session needs under the centre's
//! settings: the space, how many staff and whether qualified, how people arrive, travel, a video
//! link.

use super::settings::Settings;
use crate::referrals::Service;
use serde::Serialize;
use std::fmt;

/// What is being booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingKind {
    /// A contact session of one of the services.
    Contact(Service),
    /// A pre-visit: one adult, a staff member, a room.
    PreVisit,
    /// A review meeting: one adult or a professional, a staff member, a room.
    Review,
}

impl BookingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BookingKind::Contact(s) => s.as_str(),
            BookingKind::PreVisit => "pre_visit",
            BookingKind::Review => "review",
        }
    }
    pub fn parse(text: &str) -> Option<BookingKind> {
        match text {
            "pre_visit" => Some(BookingKind::PreVisit),
            "review" => Some(BookingKind::Review),
            other => Service::parse(other).map(BookingKind::Contact),
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BookingKind::Contact(s) => s.label(),
            BookingKind::PreVisit => "Pre-visit",
            BookingKind::Review => "Review meeting",
        }
    }
    /// The kinds a coordinator can book (letterbox contact has no sessions).
    pub fn bookable() -> Vec<BookingKind> {
        let mut kinds: Vec<BookingKind> = Service::ALL
            .iter()
            .copied()
            .filter(|s| *s != Service::Indirect)
            .map(BookingKind::Contact)
            .collect();
        kinds.push(BookingKind::PreVisit);
        kinds.push(BookingKind::Review);
        kinds
    }

    /// The rules for this kind of session under the centre's settings.
    pub fn needs(self, settings: &Settings) -> Needs {
        use Service::*;
        let (space, staff, qualified, arrivals) = match self {
            BookingKind::Contact(Supervised | Preparatory | LifeStory) => (
                SpaceNeed::FamilyRoom,
                settings.supervisors_required,
                true,
                Arrivals::Staggered,
            ),
            BookingKind::Contact(Supported) => (SpaceNeed::Hall, 1, false, Arrivals::Staggered),
            BookingKind::Contact(Handover) => (SpaceNeed::FamilyRoom, 1, false, Arrivals::Staggered),
            BookingKind::Contact(VirtualSupported) => (SpaceNeed::None, 1, false, Arrivals::OffSite),
            BookingKind::Contact(VirtualSupervised) => (SpaceNeed::None, 1, true, Arrivals::OffSite),
            BookingKind::Contact(Community | Hospital | WelfareCheck) => (
                SpaceNeed::Venue,
                settings.community_staff_required,
                true,
                Arrivals::Staggered,
            ),
            BookingKind::Contact(Indirect) => (SpaceNeed::None, 0, false, Arrivals::OffSite),
            BookingKind::PreVisit | BookingKind::Review => (SpaceNeed::FamilyRoom, 1, false, Arrivals::OneAdult),
        };
        Needs {
            space,
            staff,
            qualified,
            arrivals,
            travel_minutes: if space == SpaceNeed::Venue {
                settings.travel_minutes
            } else {
                0
            },
            video_link: matches!(self, BookingKind::Contact(VirtualSupported | VirtualSupervised)),
        }
    }
}

impl fmt::Display for BookingKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The kind of space a session takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpaceNeed {
    None,
    /// A family room to itself.
    FamilyRoom,
    /// A place in the shared hall, up to its capacity in families.
    Hall,
    /// An approved off-site venue.
    Venue,
}

/// How people come and go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrivals {
    /// The parents arrive and leave at different times (see `on_site_windows`).
    Staggered,
    /// One adult, there for the whole meeting.
    OneAdult,
    /// Nobody comes to the centre (virtual, letterbox).
    OffSite,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Needs {
    pub space: SpaceNeed,
    /// How many staff members (at supported sessions: at least this many, more by the ratio).
    pub staff: u8,
    /// Whether the staff must be qualified to supervise contact.
    pub qualified: bool,
    pub arrivals: Arrivals,
    /// Minutes staff travel each way to an off-site venue.
    pub travel_minutes: i64,
    /// Whether the centre generates a private video link.
    pub video_link: bool,
}

// Beside `Needs`, which it reads, so that the settings need not know the kinds of session.
impl Settings {
    /// Staff needed for a session (a supported session in a hall is counted by the hall's families).
    pub fn staff_for(&self, needs: &Needs, families_in_hall: u32) -> u32 {
        match needs.space {
            SpaceNeed::Hall => families_in_hall.div_ceil(u32::from(self.families_per_worker)).max(1),
            _ => u32::from(needs.staff),
        }
    }
}
