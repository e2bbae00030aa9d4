//! The free-time search on a case's sessions page, and free times as rows whose links fill in the
//! booking form (a refused booking's nearest free times are shown the same way).

use super::{clock, renamed, when};
use crate::pages::FormData;
use crate::{AppError, AppState, Caller};
use familytime_app::schedule::{self as app, Alternative};
use familytime_store::schedule::StaffProfile;
use jiff::tz::TimeZone;

/// A free time, offered with a link that fills in the booking form.
pub struct AltRow {
    pub when: String,
    pub room: String,
    pub staff: String,
    pub link: String,
}

/// Names for offered times: the rooms and staff of the centre.
pub(super) struct Names<'a> {
    pub(super) rooms: &'a [(familytime_store::tenancy::Room, Option<String>)],
    pub(super) staff: &'a [StaffProfile],
}

impl Names<'_> {
    fn room(&self, id: Option<&str>) -> String {
        id.and_then(|id| self.rooms.iter().find(|(r, _)| r.id.to_string() == id))
            .map_or_else(|| "No room needed".into(), |(r, _)| r.name.clone())
    }
    fn staff(&self, ids: &[familytime_domain::ids::UserId]) -> String {
        let names: Vec<String> = ids
            .iter()
            .map(|id| {
                self.staff
                    .iter()
                    .find(|p| p.user_id == *id)
                    .map_or_else(|| "a member of staff".into(), |p| p.name.clone())
            })
            .collect();
        if names.is_empty() {
            "Nobody needed".into()
        } else {
            names.join(", ")
        }
    }
}

/// A free time as a row, with a link that fills in the booking form for it.
pub(super) fn alt_row(
    case: &str,
    kind: &str,
    party: &str,
    zone: &TimeZone,
    names: &Names,
    alt: &Alternative,
) -> AltRow {
    series_row(case, kind, party, zone, names, alt, None)
}

/// A free time; for a series (how often and how many sessions) it reads as the weekly time it
/// repeats at, and its link fills in the whole series.
fn series_row(
    case: &str,
    kind: &str,
    party: &str,
    zone: &TimeZone,
    names: &Names,
    alt: &Alternative,
    series: Option<(&str, &str, u32)>,
) -> AltRow {
    let local = alt.span.start.to_zoned(zone.clone());
    let mut q = form_urlencoded::Serializer::new(String::new());
    q.append_pair("kind", kind)
        .append_pair("date", &local.date().to_string())
        .append_pair("time", &local.strftime("%H:%M").to_string())
        .append_pair("minutes", &alt.span.minutes().to_string());
    match series {
        Some((repeat, _, count)) => {
            q.append_pair("repeat", repeat).append_pair("count", &count.to_string());
        }
        None => {
            q.append_pair("repeat", "once");
        }
    }
    if let Some(room) = &alt.room_id {
        q.append_pair("room_id", room);
    }
    for s in &alt.staff {
        q.append_pair("staff", &s.to_string());
    }
    if !party.is_empty() {
        q.append_pair("party_id", party);
    }
    let when = match series {
        Some((_, how_often, count)) => format!(
            "{} {} to {}, {count} sessions from {}",
            how_often,
            local.strftime("%H:%M"),
            clock(zone, alt.span.end),
            local.strftime("%A %-d %B %Y"),
        ),
        None => format!("{} to {}", when(zone, alt.span.start), clock(zone, alt.span.end)),
    };
    AltRow {
        when,
        room: names.room(alt.room_id.as_deref()),
        staff: names.staff(&alt.staff),
        link: format!("/cases/{case}/sessions?{}#book", q.finish()),
    }
}

const FIND_FIELDS: [(&str, &str); 7] = [
    ("repeat", "find-repeat"),
    ("count", "find-count"),
    ("kind", "find-kind"),
    ("minutes", "find-minutes"),
    ("from", "find-from"),
    ("days", "find-days"),
    ("party_id", "find-party"),
];

/// The free times the page's search asks for (`find=1` with the search form's fields), each as a
/// row that fills in the booking form; a refused search names the search form's own fields.
#[allow(clippy::too_many_arguments)]
pub(super) async fn found(
    state: &AppState,
    caller: &Caller,
    id: &str,
    query: &FormData,
    find_kind: &str,
    find_party: &str,
    find_repeat: &str,
    case_id: &str,
    names: &Names<'_>,
) -> Result<Vec<AltRow>, AppError> {
    let (alternatives, zone) = app::find_times(
        state,
        caller,
        id,
        find_kind,
        &query.get("minutes"),
        &query.get("from"),
        &query.get("days"),
        find_party,
        find_repeat,
        &query.get("count"),
        10,
    )
    .await
    .map_err(|e| match e {
        AppError::Invalid(e) => AppError::Invalid(renamed(e, &FIND_FIELDS)),
        other => other,
    })?;
    let count = query.get("count").trim().parse::<u32>().unwrap_or(1);
    Ok(alternatives
        .iter()
        .map(|a| {
            let weekday = a.span.start.to_zoned(zone.clone()).strftime("%A").to_string();
            let how_often = match find_repeat {
                "weekly" => format!("Every {weekday} at"),
                "fortnightly" => format!("Every other {weekday} at"),
                "four_weekly" => format!("Every fourth {weekday} at"),
                _ => String::new(),
            };
            let series = (!how_often.is_empty()).then_some((find_repeat, how_often.as_str(), count));
            series_row(case_id, find_kind, find_party, &zone, names, a, series)
        })
        .collect())
}
