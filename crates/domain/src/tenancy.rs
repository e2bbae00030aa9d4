//! Organisations, their centres and the rooms in them: the tenancy every other record belongs to.

use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};

/// The time zone a centre works in, an IANA name known to the bundled time-zone database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct TimeZoneName(String);

impl TimeZoneName {
    pub const DEFAULT: &'static str = "Europe/London";

    pub fn parse(value: &str) -> Result<TimeZoneName, String> {
        let value = value.trim();
        let value = if value.is_empty() { Self::DEFAULT } else { value };
        match jiff::tz::TimeZone::get(value) {
            Ok(_) => Ok(TimeZoneName(value.to_owned())),
            Err(_) => Err("Enter a time zone from the list, like Europe/London".into()),
        }
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The kinds of space a centre has; scheduling treats each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoomKind {
    /// One family at a time (supervised contact, pre-visits, meetings).
    FamilyRoom,
    /// Shared by several families at supported contact, up to its capacity.
    Hall,
    /// Where one party waits apart from the other.
    WaitingRoom,
    /// Somewhere that is not a centre room: community, hospital or home, approved per visit.
    OffSiteVenue,
}

impl RoomKind {
    pub const ALL: [RoomKind; 4] = [
        RoomKind::FamilyRoom,
        RoomKind::Hall,
        RoomKind::WaitingRoom,
        RoomKind::OffSiteVenue,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RoomKind::FamilyRoom => "family_room",
            RoomKind::Hall => "hall",
            RoomKind::WaitingRoom => "waiting_room",
            RoomKind::OffSiteVenue => "off_site_venue",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            RoomKind::FamilyRoom => "Family room",
            RoomKind::Hall => "Shared hall",
            RoomKind::WaitingRoom => "Waiting room",
            RoomKind::OffSiteVenue => "Off-site venue",
        }
    }
    pub fn parse(value: &str) -> Result<RoomKind, String> {
        RoomKind::ALL
            .into_iter()
            .find(|k| k.as_str() == value.trim())
            .ok_or_else(|| "Choose what kind of room this is".into())
    }
}

/// A new or changed centre, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentreDetails {
    pub name: String,
    pub address: Option<String>,
    /// The phone number families may call (shown on the public pages).
    pub public_phone: Option<String>,
    pub time_zone: TimeZoneName,
}

impl CentreDetails {
    pub fn parse(name: &str, address: &str, time_zone: &str) -> Result<CentreDetails, FieldErrors> {
        Self::parse_with_phone(name, address, "", time_zone)
    }

    /// With the phone number families may call (optional).
    pub fn parse_with_phone(
        name: &str,
        address: &str,
        public_phone: &str,
        time_zone: &str,
    ) -> Result<CentreDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take("name", text::required("the centre's name", name, 120));
        let address = errors.take("address", text::optional("the address", address, 500));
        let public_phone = errors.take(
            "public_phone",
            text::optional("the phone number for families", public_phone, 40),
        );
        let time_zone = errors.take("time_zone", TimeZoneName::parse(time_zone));
        match (name, address, public_phone, time_zone) {
            (Some(name), Some(address), Some(public_phone), Some(time_zone)) if errors.is_empty() => {
                Ok(CentreDetails {
                    name,
                    address,
                    public_phone,
                    time_zone,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A new or changed room, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoomDetails {
    pub name: String,
    pub kind: RoomKind,
    /// How many families the space takes at once: always 1 for a family room.
    pub capacity_families: i32,
}

impl RoomDetails {
    pub fn parse(name: &str, kind: &str, capacity: &str) -> Result<RoomDetails, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.take("name", text::required("the room's name", name, 120));
        let kind = errors.take("kind", RoomKind::parse(kind));
        let capacity = errors.take("capacity_families", parse_capacity(kind, capacity));
        match (name, kind, capacity) {
            (Some(name), Some(kind), Some(capacity_families)) if errors.is_empty() => Ok(RoomDetails {
                name,
                kind,
                capacity_families,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_capacity(kind: Option<RoomKind>, value: &str) -> Result<i32, String> {
    let value = value.trim();
    if kind == Some(RoomKind::FamilyRoom) && (value.is_empty() || value == "1") {
        return Ok(1);
    }
    if value.is_empty() {
        return Ok(1);
    }
    let n: i32 = value
        .parse()
        .map_err(|_| "Capacity must be a whole number of families, like 6".to_string())?;
    if !(1..=100).contains(&n) {
        return Err("Capacity must be between 1 and 100 families".into());
    }
    if kind == Some(RoomKind::FamilyRoom) && n != 1 {
        return Err("A family room takes one family at a time: use a shared hall for more".into());
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_zones_default_to_london_and_must_exist() {
        assert_eq!(TimeZoneName::parse("").unwrap().as_str(), "Europe/London");
        assert_eq!(
            TimeZoneName::parse("America/New_York").unwrap().as_str(),
            "America/New_York"
        );
        assert!(TimeZoneName::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn centre_details_report_every_problem() {
        let errors = CentreDetails::parse("", &"x".repeat(501), "Nowhere/Else").unwrap_err();
        let fields: Vec<_> = errors.0.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "address", "time_zone"]);
        assert!(CentreDetails::parse("Riverside", "", "").is_ok());
    }

    #[test]
    fn family_rooms_take_one_family_and_halls_many() {
        assert_eq!(
            RoomDetails::parse("Blue room", "family_room", "")
                .unwrap()
                .capacity_families,
            1
        );
        assert!(RoomDetails::parse("Blue room", "family_room", "4").is_err());
        assert_eq!(RoomDetails::parse("Hall", "hall", "12").unwrap().capacity_families, 12);
        assert!(RoomDetails::parse("Hall", "hall", "0").is_err());
        assert!(RoomDetails::parse("Hall", "hall", "many").is_err());
        assert!(RoomDetails::parse("Hall", "ballroom", "2").is_err());
    }
}
