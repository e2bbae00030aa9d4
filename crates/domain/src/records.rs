//! What is recorded at a session: the register (who came, when, who brought and collected the
//! child), rule breaches, and the observation record a supervisor writes. What a volunteer or a
//! supported session may *not* record is decided here too: attendance and safeguarding concerns
//! only, never narrative notes. A signed record is hashed so a printed report can be checked later.

use crate::referrals::{Service, named};
use crate::schedule::BookingKind;
use crate::text::{self, FieldErrors};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// The longest a section of an observation record may be (a long session, typed in full).
pub const MAX_SECTION: usize = 20_000;

/// Whether a kind of session keeps an observation record. Supported, handover and virtual-supported
/// sessions keep attendance and safeguarding concerns only.
pub fn keeps_observations(kind: BookingKind) -> bool {
    matches!(
        kind,
        BookingKind::Contact(Service::Supervised | Service::Community | Service::Hospital | Service::VirtualSupervised)
    )
}

/// Why a session cannot have an observation record, in words for the person trying.
pub fn no_observations_reason(kind: BookingKind) -> Option<&'static str> {
    if keeps_observations(kind) {
        None
    } else {
        Some(
            "This kind of session keeps attendance and safeguarding concerns only: no observation notes are written for it",
        )
    }
}

/// Why a session can no longer change, if so. Signing the observation record off closes the session:
/// the register, and whether it ran to the end, are part of what was signed and a court may read, so
/// from then on they are final; corrections are addenda to the record.
pub fn closed_reason(record_signed: bool) -> Option<&'static str> {
    record_signed.then_some(
        "This session's record is signed off, so the session is closed: its register and its ending can no longer change. Add an addendum to the record instead",
    )
}

/// The structured observation form. Facts and direct quotes, no opinions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Observation {
    pub arrival: String,
    pub mood: String,
    pub interaction: String,
    pub care: String,
    pub boundaries: String,
    pub language: String,
    pub interventions: String,
    pub ending: String,
    pub concerns: String,
    pub notes: String,
    /// The organisation's checklist items that were ticked.
    #[serde(default)]
    pub checklist: Vec<String>,
}

/// One section of the form: its field name, its heading and the prompt shown under it.
pub struct Section {
    pub field: &'static str,
    pub heading: &'static str,
    pub hint: &'static str,
}

pub const SECTIONS: [Section; 10] = [
    Section {
        field: "arrival",
        heading: "Arrival and greeting",
        hint: "Who arrived when, and how the child and the parent greeted each other.",
    },
    Section {
        field: "mood",
        heading: "The child's mood at handover",
        hint: "What you saw and heard as the child was handed over.",
    },
    Section {
        field: "interaction",
        heading: "The interaction",
        hint: "What they did together; what was said, in the words used.",
    },
    Section {
        field: "care",
        heading: "Care",
        hint: "Food, drink, toileting, comfort: what the parent did.",
    },
    Section {
        field: "boundaries",
        heading: "Boundaries",
        hint: "Whether the ground rules were kept (gifts, photos, phones, whispering, promises).",
    },
    Section {
        field: "language",
        heading: "Language",
        hint: "The language used, and anything said about the other parent.",
    },
    Section {
        field: "interventions",
        heading: "Interventions",
        hint: "Each time you stepped in: the time, what happened, what you said.",
    },
    Section {
        field: "ending",
        heading: "The ending and goodbye",
        hint: "How the session ended and how the child and parent said goodbye.",
    },
    Section {
        field: "concerns",
        heading: "Concerns",
        hint: "Anything that worried you. Raise a safeguarding concern as well if a child may be at risk.",
    },
    Section {
        field: "notes",
        heading: "Anything else",
        hint: "Other facts worth recording.",
    },
];

/// The checklist an organisation starts with; each organisation can change its own.
pub const DEFAULT_CHECKLIST: [&str; 6] = [
    "Ground rules reminded before the session",
    "The child was in sight and sound of the supervisor throughout",
    "No photographs or recordings were taken",
    "Gifts and food were checked as agreed",
    "Phones were put away",
    "The parents left separately, as planned",
];

/// The most items an organisation's checklist may have.
pub const MAX_CHECKLIST_ITEMS: usize = 30;

/// An organisation's observation checklist: the statements a supervisor ticks, in order. A record
/// keeps the words it ticked, so changing the checklist later never changes a signed record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checklist(Vec<String>);

impl Default for Checklist {
    fn default() -> Self {
        Checklist(DEFAULT_CHECKLIST.iter().map(|s| (*s).to_owned()).collect())
    }
}

impl Checklist {
    /// One item a line; blank lines are ignored.
    pub fn parse(text: &str) -> Result<Checklist, FieldErrors> {
        let mut items: Vec<String> = Vec::new();
        for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let item =
                text::required("a checklist item", line, 200).map_err(|m| FieldErrors::single("checklist", m))?;
            if items.iter().any(|i| i.eq_ignore_ascii_case(&item)) {
                return Err(FieldErrors::single(
                    "checklist",
                    format!("\"{item}\" is in the list twice"),
                ));
            }
            items.push(item);
        }
        if items.is_empty() {
            return Err(FieldErrors::single(
                "checklist",
                "Enter at least one checklist item, one a line",
            ));
        }
        if items.len() > MAX_CHECKLIST_ITEMS {
            return Err(FieldErrors::single(
                "checklist",
                format!("A checklist has at most {MAX_CHECKLIST_ITEMS} items"),
            ));
        }
        Ok(Checklist(items))
    }

    /// As stored: the items, one a line.
    pub fn from_stored(items: Vec<String>) -> Checklist {
        if items.is_empty() {
            Checklist::default()
        } else {
            Checklist(items)
        }
    }

    pub fn items(&self) -> &[String] {
        &self.0
    }
}

impl Observation {
    /// The text of one section by its field name.
    pub fn section(&self, field: &str) -> &str {
        match field {
            "arrival" => &self.arrival,
            "mood" => &self.mood,
            "interaction" => &self.interaction,
            "care" => &self.care,
            "boundaries" => &self.boundaries,
            "language" => &self.language,
            "interventions" => &self.interventions,
            "ending" => &self.ending,
            "concerns" => &self.concerns,
            "notes" => &self.notes,
            _ => "",
        }
    }

    fn section_mut(&mut self, field: &str) -> Option<&mut String> {
        Some(match field {
            "arrival" => &mut self.arrival,
            "mood" => &mut self.mood,
            "interaction" => &mut self.interaction,
            "care" => &mut self.care,
            "boundaries" => &mut self.boundaries,
            "language" => &mut self.language,
            "interventions" => &mut self.interventions,
            "ending" => &mut self.ending,
            "concerns" => &mut self.concerns,
            "notes" => &mut self.notes,
            _ => return None,
        })
    }

    /// Reads the form from (field, text) pairs and the checklist items ticked. A draft may be
    /// incomplete; the text is kept as typed (only bounded and free of control characters) so
    /// nothing a supervisor wrote is lost.
    pub fn parse(
        fields: &[(&str, &str)],
        ticked: &[String],
        checklist: &Checklist,
    ) -> Result<Observation, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut observation = Observation::default();
        for section in &SECTIONS {
            let given = fields
                .iter()
                .find(|(f, _)| *f == section.field)
                .map(|(_, v)| *v)
                .unwrap_or("");
            let label = section.heading.to_lowercase();
            if let Some(text) = errors.take(section.field, text::optional(&label, given, MAX_SECTION))
                && let Some(slot) = observation.section_mut(section.field)
            {
                *slot = text.unwrap_or_default();
            }
        }
        for tick in ticked {
            match checklist.items().iter().find(|item| *item == tick) {
                Some(item) if !observation.checklist.contains(item) => observation.checklist.push(item.clone()),
                Some(_) => {}
                None => errors.add("checklist", "Choose items from the checklist only"),
            }
        }
        if errors.is_empty() {
            Ok(observation)
        } else {
            Err(errors)
        }
    }

    /// Whether anything at all has been written.
    pub fn is_blank(&self) -> bool {
        SECTIONS.iter().all(|s| self.section(s.field).is_empty())
    }

    /// What must hold before the author signs the record off.
    pub fn ready_to_sign(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        for field in ["arrival", "interaction", "ending"] {
            if self.section(field).is_empty()
                && let Some(section) = SECTIONS.iter().find(|s| s.field == field)
            {
                errors.add(
                    section.field,
                    format!("Write about {} before signing off", section.heading.to_lowercase()),
                );
            }
        }
        if errors.is_empty() { Ok(()) } else { Err(errors) }
    }

    /// The stored form (JSON); the same bytes are hashed at sign-off.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn from_json(text: &str) -> Option<Observation> {
        serde_json::from_str(text).ok()
    }
}

/// The content hash of a signed record: SHA-256 over the record's identity, its author, the time it
/// was signed and its content, so a printed copy can be checked against the audit log.
pub fn record_hash(record_id: &str, author: &str, signed_at_ms: i64, content_json: &str) -> String {
    hash_parts(&[record_id, author, &signed_at_ms.to_string(), content_json])
}

/// The hash of an addendum: chained to the record's hash, so addenda cannot be reordered unnoticed.
pub fn addendum_hash(record_hash: &str, author: &str, at_ms: i64, reason: &str, text: &str) -> String {
    hash_parts(&[record_hash, author, &at_ms.to_string(), reason, text])
}

/// SHA-256 over length-prefixed parts, so text cannot move from one part to the next unnoticed.
pub fn hash_parts(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(hasher.finalize())
}

/// An addendum to a signed record, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Addendum {
    pub text: String,
    pub reason: String,
}

impl Addendum {
    pub fn parse(text: &str, reason: &str) -> Result<Addendum, FieldErrors> {
        let mut errors = FieldErrors::new();
        let text = errors.take("addendum_text", text::required("the addendum", text, MAX_SECTION));
        let reason = errors.take("addendum_reason", text::required("why it is added", reason, 1000));
        match (text, reason) {
            (Some(text), Some(reason)) if errors.is_empty() => Ok(Addendum { text, reason }),
            _ => Err(errors),
        }
    }
}

/// How a person is on the register.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Attendance {
    Arrived,
    Left,
    NoShow,
}

named!(Attendance,
    Arrived => "arrived", "Arrived";
    Left => "left", "Left";
    NoShow => "no_show", "Did not come";
);

/// A rule broken at a session, recorded as an event on the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Breach {
    UnderInfluence,
    Photos,
    TriedToLeaveWithChild,
    AbusiveToStaff,
    UnnamedAdult,
    OtherRule,
}

named!(Breach,
    UnderInfluence => "under_influence", "Arrived under the influence of alcohol or drugs";
    Photos => "photos", "Took photographs or recordings";
    TriedToLeaveWithChild => "tried_to_leave_with_child", "Tried to leave with the child";
    AbusiveToStaff => "abusive_to_staff", "Abusive or threatening to staff";
    UnnamedAdult => "unnamed_adult", "Brought an adult not named on the referral";
    OtherRule => "other_rule", "Broke another ground rule";
);

/// Why a session was stopped early (stopping a visit is not ending the service).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StopReason {
    ChildDistressed,
    RuleBroken,
    RiskOfHarm,
    ParentUnwell,
    Other,
}

named!(StopReason,
    ChildDistressed => "child_distressed", "The child was distressed";
    RuleBroken => "rule_broken", "A ground rule was broken";
    RiskOfHarm => "risk_of_harm", "Risk of harm";
    ParentUnwell => "parent_unwell", "The parent was unwell or unfit";
    Other => "other", "Another reason";
);

/// One line of the register, as typed, already checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterLine {
    pub attendance: Attendance,
    /// Minutes after midnight, centre time, for arrival and leaving.
    pub arrived: Option<jiff::civil::Time>,
    pub left: Option<jiff::civil::Time>,
    pub brought_by: Option<String>,
    pub collected_by: Option<String>,
    pub late_minutes: Option<i64>,
    pub late_reason: Option<String>,
}

impl RegisterLine {
    /// Reads one person's line. Times are the centre's clock ("14:05").
    pub fn parse(
        attendance: &str,
        arrived: &str,
        left: &str,
        brought_by: &str,
        collected_by: &str,
        late_minutes: &str,
        late_reason: &str,
    ) -> Result<RegisterLine, FieldErrors> {
        let mut errors = FieldErrors::new();
        let attendance = Attendance::parse(attendance);
        if attendance.is_none() {
            errors.add("attendance", "Choose whether they arrived, left or did not come");
        }
        let time = |errors: &mut FieldErrors, field: &'static str, text: &str| -> Option<jiff::civil::Time> {
            let text = text.trim();
            if text.is_empty() {
                return None;
            }
            match crate::dates::parse_time(text) {
                Ok(t) => Some(t),
                Err(_) => {
                    errors.add(field, "Enter a time like 14:05");
                    None
                }
            }
        };
        let arrived = time(&mut errors, "arrived", arrived);
        let left = time(&mut errors, "left", left);
        let brought_by = errors
            .take("brought_by", text::optional("who brought the child", brought_by, 200))
            .flatten();
        let collected_by = errors
            .take(
                "collected_by",
                text::optional("who collected the child", collected_by, 200),
            )
            .flatten();
        let late_minutes = match late_minutes.trim() {
            "" => None,
            m => match m.parse::<i64>() {
                Ok(n) if (0..=1440).contains(&n) => Some(n),
                _ => {
                    errors.add("late_minutes", "Enter how many minutes late, as a whole number");
                    None
                }
            },
        };
        let late_reason = errors
            .take(
                "late_reason",
                text::optional("the reason given for lateness", late_reason, 1000),
            )
            .flatten();
        match attendance {
            Some(Attendance::Arrived | Attendance::Left)
                if arrived.is_none() && errors.message_for("arrived").is_none() =>
            {
                errors.add("arrived", "Enter the time they arrived")
            }
            Some(Attendance::Left) if left.is_none() && errors.message_for("left").is_none() => {
                errors.add("left", "Enter the time they left")
            }
            Some(Attendance::NoShow) if arrived.is_some() || left.is_some() => {
                errors.add("attendance", "Someone who did not come has no arrival or leaving time")
            }
            _ => {}
        }
        if let (Some(a), Some(l)) = (arrived, left)
            && l < a
        {
            errors.add("left", "The time they left must be after the time they arrived");
        }
        if late_minutes.is_some_and(|m| m > 0) && late_reason.is_none() {
            errors.add(
                "late_reason",
                "Enter the reason they gave for being late (or \"none given\")",
            );
        }
        match attendance {
            Some(attendance) if errors.is_empty() => Ok(RegisterLine {
                attendance,
                arrived,
                left: if attendance == Attendance::Left { left } else { None },
                brought_by,
                collected_by,
                late_minutes,
                late_reason,
            }),
            _ => Err(errors),
        }
    }
}

impl fmt::Display for Observation {
    /// The record as plain text, section by section (for reports and exports).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for section in &SECTIONS {
            let text = self.section(section.field);
            if !text.is_empty() {
                writeln!(f, "{}\n{}\n", section.heading, text)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signed_record_closes_its_session() {
        assert!(closed_reason(true).is_some());
        assert_eq!(closed_reason(false), None);
    }

    #[test]
    fn only_supervised_kinds_of_session_keep_observation_records() {
        assert!(keeps_observations(BookingKind::Contact(Service::Supervised)));
        assert!(keeps_observations(BookingKind::Contact(Service::Hospital)));
        assert!(keeps_observations(BookingKind::Contact(Service::VirtualSupervised)));
        for kind in [
            BookingKind::Contact(Service::Supported),
            BookingKind::Contact(Service::VirtualSupported),
            BookingKind::Contact(Service::Handover),
            BookingKind::PreVisit,
        ] {
            assert!(!keeps_observations(kind), "{kind:?}");
            assert!(no_observations_reason(kind).is_some());
        }
    }

    #[test]
    fn a_draft_keeps_text_as_typed_and_refuses_unknown_checklist_items() {
        let list = Checklist::default();
        let photos = DEFAULT_CHECKLIST[2].to_owned();
        let o = Observation::parse(
            &[
                ("arrival", "  Dad arrived 13:45.  "),
                ("interaction", "They played \"snap\"."),
            ],
            &[photos.clone(), photos.clone()],
            &list,
        )
        .unwrap();
        assert_eq!(o.arrival, "Dad arrived 13:45.");
        assert_eq!(o.checklist, vec![photos]);
        assert!(Observation::parse(&[], &["made_up".into()], &list).is_err());
        assert!(Observation::parse(&[("care", "bad\u{7}")], &[], &list).is_err());
    }

    #[test]
    fn an_organisation_sets_its_own_checklist_one_item_a_line() {
        let list = Checklist::parse("  Hand washing before food \n\nToilet visits accompanied\n").unwrap();
        assert_eq!(list.items(), ["Hand washing before food", "Toilet visits accompanied"]);
        assert!(Checklist::parse("   \n ").is_err());
        assert!(Checklist::parse("Same\nsame").is_err());
        assert!(Checklist::parse(&(1..=31).map(|n| format!("item {n}\n")).collect::<String>()).is_err());
        assert_eq!(Checklist::from_stored(Vec::new()), Checklist::default());
    }

    #[test]
    fn signing_off_needs_the_arrival_interaction_and_ending() {
        let mut o = Observation::default();
        assert_eq!(o.ready_to_sign().unwrap_err().0.len(), 3);
        o.arrival = "On time".into();
        o.interaction = "Played".into();
        o.ending = "Hugged goodbye".into();
        assert!(o.ready_to_sign().is_ok());
        assert_eq!(Observation::from_json(&o.to_json()), Some(o));
    }

    #[test]
    fn the_record_hash_changes_with_any_part() {
        let base = record_hash("r1", "u1", 1000, "{}");
        assert_eq!(base.len(), 64);
        assert_ne!(base, record_hash("r2", "u1", 1000, "{}"));
        assert_ne!(base, record_hash("r1", "u1", 1001, "{}"));
        assert_ne!(base, record_hash("r1", "u1", 1000, "{ }"));
        // Length-prefixed parts: moving text between parts changes the hash.
        assert_ne!(record_hash("ab", "c", 1, ""), record_hash("a", "bc", 1, ""));
        assert_ne!(
            addendum_hash(&base, "u", 1, "why", "text"),
            addendum_hash(&base, "u", 1, "whyt", "ext")
        );
    }

    #[test]
    fn register_lines_need_times_that_make_sense() {
        let ok = RegisterLine::parse("left", "13:50", "16:05", "Mum", "Mum", "5", "bus late").unwrap();
        assert_eq!(ok.attendance, Attendance::Left);
        assert!(RegisterLine::parse("arrived", "", "", "", "", "", "").is_err());
        assert!(RegisterLine::parse("left", "14:00", "13:00", "", "", "", "").is_err());
        assert!(RegisterLine::parse("no_show", "14:00", "", "", "", "", "").is_err());
        assert!(RegisterLine::parse("arrived", "25:00", "", "", "", "", "").is_err());
        assert!(RegisterLine::parse("arrived", "14:00", "", "", "", "12", "").is_err());
        assert!(RegisterLine::parse("maybe", "", "", "", "", "", "").is_err());
        let no_show = RegisterLine::parse("no_show", "", "", "", "", "", "").unwrap();
        assert_eq!(no_show.arrived, None);
    }
}
