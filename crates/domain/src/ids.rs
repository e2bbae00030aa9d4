//! Identifiers. Every identifier shown outside is a UUIDv7 (unguessable, sortable), never a counter,
//! and each kind of thing has its own type so a room id can never be passed where a user id belongs.

use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A new identifier; its random bits come from the caller's entropy (the uuid crate's v7).
            pub fn new_v7(at: jiff::Timestamp) -> Self {
                let ms = u64::try_from(at.as_millisecond()).unwrap_or(0);
                let ts = uuid::Timestamp::from_unix(uuid::NoContext, ms / 1000, ((ms % 1000) * 1_000_000) as u32);
                Self(Uuid::new_v7(ts))
            }
            /// Parses an identifier from text (a path segment, a form field, a database column).
            pub fn parse(text: &str) -> Result<Self, InvalidId> {
                Uuid::try_parse(text.trim()).map(Self).map_err(|_| InvalidId)
            }
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

/// Text that is not an identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not a valid identifier")]
pub struct InvalidId;

id_type!(
    /// An organisation: a charity or company that runs one or more centres or services.
    OrganisationId
);
id_type!(
    /// A centre (or a contact service with no fixed venue) of an organisation.
    CentreId
);
id_type!(
    /// A room or space in a centre.
    RoomId
);
id_type!(
    /// A person who signs in: staff, volunteer, referrer or parent.
    UserId
);
id_type!(
    /// A personal API token (the id, not the secret).
    ApiTokenId
);
id_type!(
    /// A referral and, once accepted, the family's case: the same record throughout.
    CaseId
);
id_type!(
    /// An adult named on a case.
    PartyId
);
id_type!(
    /// A child on a case.
    ChildId
);
id_type!(
    /// A booked session (a contact session, pre-visit or review meeting).
    BookingId
);
id_type!(
    /// One of the backups `serve` makes on its schedule.
    BackupRunId
);
id_type!(
    /// A series of sessions booked together.
    SeriesId
);
id_type!(
    /// A pair of people who must never be on site at the same time.
    NeverMeetId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reject_junk() {
        let now = jiff::Timestamp::from_second(1_790_000_000).unwrap();
        let id = UserId::new_v7(now);
        assert_eq!(UserId::parse(&id.to_string()), Ok(id));
        assert_eq!(UserId::parse("42"), Err(InvalidId));
        assert_eq!(UserId::parse("../etc/passwd"), Err(InvalidId));
        assert_ne!(UserId::new_v7(now), UserId::new_v7(now), "two ids made at once differ");
    }
}
