//! iCalendar feeds: making and revoking a feed address for a staff member or an adult of a case,
//! and the sessions behind it (written out by `feeds_ics`).

use super::feeds_ics::{FALLBACK_ZONE, FeedEvent, FeedStatus, calendar_text};
use crate::case_files::case_file;
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use familytime_domain::schedule::{self as rules, BookingKind};
use familytime_domain::text::FieldErrors;
use familytime_store::schedule::{Booking, BookingStatus, ts_of};
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// A new feed's address, shown once: as a web address and as a `webcal://` link, which calendar
/// apps open as a subscription.
#[derive(Debug, Clone)]
pub struct FeedAddress {
    pub url: String,
    pub webcal: String,
}

impl FeedAddress {
    /// The address of the feed behind `token` on the server whose public address is `public_url`.
    fn new(public_url: &str, token: &str) -> FeedAddress {
        let url = format!("{}/calendar/{token}.ics", public_url.trim_end_matches('/'));
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .unwrap_or(&url);
        FeedAddress {
            webcal: format!("webcal://{rest}"),
            url,
        }
    }
}

/// Makes a feed address for a staff member (themself, or anyone when the caller manages the
/// schedule) or for an adult of a case. The token is shown once; only its hash is kept.
pub async fn create_feed(
    state: &AppState,
    caller: &Caller,
    user: Option<&str>,
    case_party: Option<(&str, &str)>,
) -> Result<FeedAddress, AppError> {
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
    Ok(FeedAddress::new(&state.config.public_url, &token))
}

pub async fn revoke_feed(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageSchedule, Object::Organisation(org)).await?;
    let answer = state.store.revoke_feed(&caller.scope(state.clock.now()), org, id).await;
    found(state, caller, answer, "calendar_feed", id).await
}

/// The iCalendar text behind a feed token. A party's feed holds only their own sessions, with the
/// times they arrive and leave, the centre's name and the kind of session: never another party's
/// name or any contact detail. Sessions from a month back to a year ahead are in it, cancelled
/// ones too (so calendars remove them). Unknown and revoked tokens are simply not found.
pub async fn feed(state: &AppState, caller: &Caller, token: &str) -> Result<String, AppError> {
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
    let mut zones = Zones::default();
    let mut events = Vec::new();
    // Each fetch shows the families whose sessions it lists: audited per case, as the feed's owner.
    let mut cases = Vec::new();
    if let Some(party) = party {
        // A party arrives before the session starts and never a day early.
        let arrivals = (rules::add_minutes(from, -24 * 60).as_millisecond(), to.as_millisecond());
        for (booking, plan) in state.store.party_bookings(org, &party, Some(arrivals)).await? {
            if booking.span.start < from || booking.span.start > to {
                continue;
            }
            cases.extend(booking.case_id);
            let (zone_name, zone) = zones.of(state, org, booking.centre_id).await?;
            let hhmm = |ms: i64| ts_of(ms).to_zoned(zone.clone()).strftime("%H:%M").to_string();
            events.push(FeedEvent {
                uid: format!("{}-{}", booking.calendar_uid, plan.party_id),
                sequence: booking.sequence,
                start: ts_of(plan.arrives_at),
                end: ts_of(plan.leaves_at),
                zone: zone_name,
                summary: format!("{} at {}", kind_label(&booking), booking.centre_name),
                // Their entrance and, for the resident parent, the drop-off and pick-up (decision
                // 0047): what a message about the session tells them.
                description: [
                    format!(
                        "Arrive at {} and leave at {}. The session runs {}–{}.",
                        hhmm(plan.arrives_at),
                        hhmm(plan.leaves_at),
                        hhmm(booking.span.start.as_millisecond()),
                        hhmm(booking.span.end.as_millisecond())
                    ),
                    plan.entrance
                        .as_ref()
                        .map(|e| format!(" Use the {e}."))
                        .unwrap_or_default(),
                    plan.departs_at
                        .zip(plan.returns_at)
                        .map(|(d, r)| {
                            format!(
                                " Please leave after the drop-off at {} and come back for the pick-up at {}.",
                                hhmm(d),
                                hhmm(r)
                            )
                        })
                        .unwrap_or_default(),
                ]
                .concat(),
                status: feed_status(booking.status),
            });
        }
    } else if let Some(user) = user.as_deref().and_then(|u| UserId::parse(u).ok()) {
        let bookings = state
            .store
            .bookings_between(org, None, from, to, None, Some(user))
            .await?;
        for booking in bookings {
            cases.extend(booking.case_id);
            let (zone_name, _) = zones.of(state, org, booking.centre_id).await?;
            events.push(FeedEvent {
                uid: booking.calendar_uid.clone(),
                sequence: booking.sequence,
                start: booking.span.start,
                end: booking.span.end,
                zone: zone_name,
                summary: format!(
                    "{} {} ({})",
                    kind_label(&booking),
                    booking.case_reference.clone().unwrap_or_default(),
                    booking.room_name.clone().unwrap_or_else(|| booking.centre_name.clone())
                ),
                description: format!("Status: {}", booking.status.label()),
                status: feed_status(booking.status),
            });
        }
    }
    let scope = familytime_store::AuditScope {
        at: now,
        request_id: caller.request_id.clone(),
        actor_user_id: user.as_deref().and_then(|u| UserId::parse(u).ok()),
        organisation_id: Some(org),
    };
    state
        .store
        .audit_family_reads(&scope, &caller.client_addr, "feed.read", cases)
        .await?;
    Ok(calendar_text(events, now, from, to))
}

fn kind_label(booking: &Booking) -> &'static str {
    BookingKind::parse(&booking.kind).map_or("Session", |k| k.label())
}

/// A provisional booking may still not happen; a session that took place (or was attended by
/// nobody, or stopped early) was confirmed; a cancelled one is to be removed.
fn feed_status(status: BookingStatus) -> FeedStatus {
    match status {
        BookingStatus::Provisional => FeedStatus::Tentative,
        BookingStatus::Cancelled => FeedStatus::Cancelled,
        BookingStatus::Confirmed | BookingStatus::Completed | BookingStatus::NoShow | BookingStatus::StoppedEarly => {
            FeedStatus::Confirmed
        }
    }
}

/// Each centre's time zone, read once per feed.
#[derive(Default)]
struct Zones(HashMap<CentreId, (String, TimeZone)>);

impl Zones {
    async fn of(
        &mut self,
        state: &AppState,
        organisation: OrganisationId,
        centre: CentreId,
    ) -> Result<(String, TimeZone), AppError> {
        if let Some(known) = self.0.get(&centre) {
            return Ok(known.clone());
        }
        let name = state.store.centre(organisation, centre).await?.time_zone;
        let known = match TimeZone::get(&name) {
            Ok(zone) => (name, zone),
            Err(_) => (
                FALLBACK_ZONE.to_owned(),
                TimeZone::get(FALLBACK_ZONE).unwrap_or(TimeZone::UTC),
            ),
        };
        self.0.insert(centre, known.clone());
        Ok(known)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_feed_address_is_absolute_and_has_a_webcal_twin() {
        let a = FeedAddress::new("https://contact.example.org/", "abc");
        assert_eq!(a.url, "https://contact.example.org/calendar/abc.ics");
        assert_eq!(a.webcal, "webcal://contact.example.org/calendar/abc.ics");
        let local = FeedAddress::new("http://127.0.0.1:8080", "abc");
        assert_eq!(local.webcal, "webcal://127.0.0.1:8080/calendar/abc.ics");
    }

    #[test]
    fn every_status_is_told_to_calendars() {
        assert_eq!(feed_status(BookingStatus::Provisional), FeedStatus::Tentative);
        assert_eq!(feed_status(BookingStatus::Confirmed), FeedStatus::Confirmed);
        assert_eq!(feed_status(BookingStatus::Cancelled), FeedStatus::Cancelled);
        assert_eq!(feed_status(BookingStatus::Completed), FeedStatus::Confirmed);
    }
}
