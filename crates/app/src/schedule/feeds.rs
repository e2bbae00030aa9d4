//! iCalendar feeds: making and revoking a feed address for a staff member or an adult of a case,
//! and the RFC 5545 text behind it.

use crate::case_files::case_file;
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::Timestamp;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::UserId;
use familytime_domain::schedule::{self as rules, BookingKind};
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::BookingStatus;
use jiff::tz::TimeZone;

/// Makes a feed address for a staff member (themself, or anyone when the caller manages the
/// schedule) or for an adult of a case. The token is shown once; only its hash is kept.
pub async fn create_feed(
    state: &AppState,
    caller: &Caller,
    user: Option<&str>,
    case_party: Option<(&str, &str)>,
) -> Result<String, AppError> {
    let me = caller.user()?;
    let org = me.organisation_id;
    let token = crate::secrets::random_token();
    let hash = crate::secrets::token_hash(&token);
    let scope = caller.scope(state.clock.now());
    match (user, case_party) {
        (Some(user), None) => {
            let user_id = parse_id(user, UserId::parse)?;
            let action = if user_id == me.id {
                Action::ViewSchedule
            } else {
                Action::ManageSchedule
            };
            found(state, caller, state.store.user(org, user_id).await, "user", user_id).await?;
            authorize(state, caller, action, Object::Organisation(org)).await?;
            state.store.create_feed(&scope, org, Some(user_id), None, &hash).await?;
        }
        (None, Some((case, party))) => {
            let file = case_file(state, caller, case, Action::ManageSchedule).await?;
            let party = file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party.trim())
                .ok_or_else(|| {
                    AppError::Invalid(FieldErrors::single("party_id", "Choose one of the adults on this case"))
                })?;
            state
                .store
                .create_feed(&scope, org, None, Some(&party.id.to_string()), &hash)
                .await?;
        }
        _ => return Err(AppError::BadRequest("Choose a person for the calendar feed".into())),
    }
    Ok(token)
}

pub async fn revoke_feed(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let answer = state.store.revoke_feed(&caller.scope(state.clock.now()), org, id).await;
    found(state, caller, answer, "calendar_feed", id).await
}

/// The iCalendar text behind a feed token. A party's feed holds only their own sessions, with the
/// times they arrive and leave, the centre's name and the kind of session: never another party's
/// name or any contact detail. Unknown and revoked tokens are simply not found.
pub async fn feed(state: &AppState, token: &str) -> Result<String, AppError> {
    let token = token.trim_end_matches(".ics");
    if token.len() < 32 || token.len() > 128 {
        return Err(AppError::NotFound);
    }
    let (org, _, user, party) = match state.store.feed_by_hash(&crate::secrets::token_hash(token)).await {
        Err(familytime_store::StoreError::NotFound) => return Err(AppError::NotFound),
        other => other?,
    };
    let now = state.clock.now();
    let from = rules::add_minutes(now, -31 * 24 * 60);
    let to = rules::add_minutes(now, 366 * 24 * 60);
    let mut events = Vec::new();
    if let Some(party) = party {
        for (booking, plan) in state.store.party_bookings(org, &party).await? {
            if booking.span.start < from || booking.span.start > to {
                continue;
            }
            let centre = state.store.centre(org, booking.centre_id).await?;
            let zone = TimeZone::get(&centre.time_zone).unwrap_or(TimeZone::UTC);
            let hhmm = |ms: i64| {
                familytime_store::schedule::ts_of(ms)
                    .to_zoned(zone.clone())
                    .strftime("%H:%M")
                    .to_string()
            };
            events.push(IcsEvent {
                uid: format!("{}-{}", booking.id, plan.party_id),
                start: familytime_store::schedule::ts_of(plan.arrives_at),
                end: familytime_store::schedule::ts_of(plan.leaves_at),
                summary: format!(
                    "{} at {}",
                    BookingKind::parse(&booking.kind).map_or("Session", |k| k.label()),
                    booking.centre_name
                ),
                description: format!(
                    "Arrive at {} and leave at {}. The session runs {}–{}.",
                    hhmm(plan.arrives_at),
                    hhmm(plan.leaves_at),
                    hhmm(booking.span.start.as_millisecond()),
                    hhmm(booking.span.end.as_millisecond())
                ),
                cancelled: !booking.status.is_live() && booking.status == BookingStatus::Cancelled,
            });
        }
    } else if let Some(user) = user.as_deref().and_then(|u| UserId::parse(u).ok()) {
        let bookings = state
            .store
            .bookings_between(org, None, from, to, None, Some(user))
            .await?;
        for booking in bookings {
            events.push(IcsEvent {
                uid: booking.id.to_string(),
                start: booking.span.start,
                end: booking.span.end,
                summary: format!(
                    "{} {} ({})",
                    BookingKind::parse(&booking.kind).map_or("Session", |k| k.label()),
                    booking.case_reference.clone().unwrap_or_default(),
                    booking.room_name.clone().unwrap_or_else(|| booking.centre_name.clone())
                ),
                description: format!("Status: {}", booking.status.label()),
                cancelled: booking.status == BookingStatus::Cancelled,
            });
        }
    }
    Ok(ics(&events, now))
}

struct IcsEvent {
    uid: String,
    start: Timestamp,
    end: Timestamp,
    summary: String,
    description: String,
    cancelled: bool,
}

/// RFC 5545 text: CRLF line ends, escaped text, UTC times, lines folded at 75 octets.
fn ics(events: &[IcsEvent], now: Timestamp) -> String {
    let stamp = |t: Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let mut lines = vec![
        "BEGIN:VCALENDAR".to_string(),
        "VERSION:2.0".to_string(),
        "PRODID:-//familytime//schedule//EN".to_string(),
        "CALSCALE:GREGORIAN".to_string(),
        "METHOD:PUBLISH".to_string(),
    ];
    for e in events {
        lines.push("BEGIN:VEVENT".into());
        lines.push(format!("UID:{}@familytime", e.uid));
        lines.push(format!("DTSTAMP:{}", stamp(now)));
        lines.push(format!("DTSTART:{}", stamp(e.start)));
        lines.push(format!("DTEND:{}", stamp(e.end)));
        lines.push(format!("SUMMARY:{}", escape(&e.summary)));
        lines.push(format!("DESCRIPTION:{}", escape(&e.description)));
        lines.push(format!(
            "STATUS:{}",
            if e.cancelled { "CANCELLED" } else { "CONFIRMED" }
        ));
        lines.push("END:VEVENT".into());
    }
    lines.push("END:VCALENDAR".into());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold(&line));
        out.push_str("\r\n");
    }
    out
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace(';', "\\;")
        .replace(',', "\\,")
        .replace('\n', "\\n")
}

fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for ch in line.chars() {
        let len = ch.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(ch);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ics_lines_are_folded_and_text_escaped() {
        let now = Timestamp::from_second(1_790_000_000).unwrap();
        let text = ics(
            &[IcsEvent {
                uid: "x".into(),
                start: now,
                end: now,
                summary: "Supervised contact, Riverside; room 1".into(),
                description: "a".repeat(200),
                cancelled: false,
            }],
            now,
        );
        assert!(text.contains("SUMMARY:Supervised contact\\, Riverside\\; room 1\r\n"));
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
    }
}
