//! Scheduling in the database: each centre's settings and calendar, staff availability, never-meet
//! pairs, and bookings with their claims. A booking is checked and written in one transaction; on
//! SQLite that transaction holds the only write lock from its first statement, and on PostgreSQL
//! exclusion constraints refuse overlapping claims even between transactions running at once.
//!
//! Long because: to be split by use case, one module per thing a user does (issue 25).

use crate::{
    Arg, AuditEvent, AuditScope, Batch, Pool, Result, Store, StoreError, Tx, TxInner, exec_tx, ms, ts, with_pool,
    with_tx,
};
use familytime_domain::Timestamp;
use familytime_domain::billing::Account;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::schedule::{
    Calendar, Closure, Interval, LONGEST_MARGIN_MINUTES, LONGEST_SESSION_MINUTES, OpeningRule, Settings,
    StaggerDirection, WeekRepeat,
};
use jiff::civil::{Date, Time, Weekday};
use std::collections::HashMap;

/// How far back a search for overlapping claims must look: nothing claimed longer than this.
const LONGEST_CLAIM_MS: i64 = (LONGEST_SESSION_MINUTES + 2 * LONGEST_MARGIN_MINUTES) * 60_000;

/// Where a booking's status stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BookingStatus {
    Provisional,
    Confirmed,
    Completed,
    Cancelled,
    NoShow,
    StoppedEarly,
}

impl BookingStatus {
    pub const ALL: [BookingStatus; 6] = [
        BookingStatus::Provisional,
        BookingStatus::Confirmed,
        BookingStatus::Completed,
        BookingStatus::Cancelled,
        BookingStatus::NoShow,
        BookingStatus::StoppedEarly,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            BookingStatus::Provisional => "provisional",
            BookingStatus::Confirmed => "confirmed",
            BookingStatus::Completed => "completed",
            BookingStatus::Cancelled => "cancelled",
            BookingStatus::NoShow => "no_show",
            BookingStatus::StoppedEarly => "stopped_early",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            BookingStatus::Provisional => "Provisional",
            BookingStatus::Confirmed => "Confirmed",
            BookingStatus::Completed => "Completed",
            BookingStatus::Cancelled => "Cancelled",
            BookingStatus::NoShow => "No-show",
            BookingStatus::StoppedEarly => "Stopped early",
        }
    }
    pub fn parse(text: &str) -> Option<BookingStatus> {
        Self::ALL.into_iter().find(|s| s.as_str() == text)
    }
    /// Whether a booking still holds its room, staff and people.
    pub fn is_live(self) -> bool {
        matches!(self, BookingStatus::Provisional | BookingStatus::Confirmed)
    }
    /// The moves a booking may make: provisional → confirmed → completed / no-show / stopped early;
    /// either live status → cancelled. Nothing leaves an ending.
    pub fn may_become(self, next: BookingStatus) -> bool {
        use BookingStatus::*;
        matches!(
            (self, next),
            (Provisional, Confirmed)
                | (Provisional | Confirmed, Cancelled)
                | (Confirmed, Completed | NoShow | StoppedEarly)
        )
    }
}

/// One claim a booking makes: a resource key (`room:…`, `staff:…`, `child:…`, `party:…`), whether
/// nobody else may hold it at the same time, the span, and a label for messages.
#[derive(Debug, Clone)]
pub struct Claim {
    pub resource: String,
    pub exclusive: bool,
    pub span: Interval,
    pub label: String,
}

/// A window of a person in a never-meet pair, at a site (`centre:…` or `venue:…`).
#[derive(Debug, Clone)]
pub struct PairWindow {
    pub pair_id: String,
    pub party_id: String,
    pub site: String,
    pub span: Interval,
    /// Who they must not meet, for messages.
    pub label: String,
}

/// A party's plan for one session.
#[derive(Debug, Clone)]
pub struct PartyPlan {
    pub party_id: String,
    pub attendance: &'static str,
    pub arrives: Timestamp,
    pub leaves: Timestamp,
    pub entrance_id: Option<String>,
    pub waits_in: Option<String>,
}

/// One session to write, already checked by the rules; the claims are checked here.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub id: BookingId,
    pub centre_id: CentreId,
    pub case_id: Option<CaseId>,
    pub kind: String,
    pub room_id: Option<String>,
    /// The hall's capacity when the room is shared; its claims are counted, not excluded.
    pub hall_capacity: Option<u32>,
    pub span: Interval,
    pub series_id: Option<String>,
    pub video_token: Option<String>,
    pub staff: Vec<UserId>,
    pub parties: Vec<PartyPlan>,
    pub children: Vec<String>,
    pub claims: Vec<Claim>,
    pub pair_windows: Vec<PairWindow>,
    pub rescheduled_from: Option<BookingId>,
    /// What the session costs and who pays, written with it (charges only).
    pub charges: Vec<crate::ledger::NewEntry>,
    /// For a pre-visit: the id of its record, written with the booking and pointing at it (the
    /// booking's one adult is the visit's). A moved pre-visit keeps its record (see `reschedule`).
    pub pre_visit: Option<String>,
}

/// Why a session could not be written: each clash named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clash {
    pub starts: Timestamp,
    pub what: String,
}

#[derive(Debug)]
pub enum BookingError {
    /// Some sessions clash with what is already booked (nothing was written).
    Clashes(Vec<Clash>),
    Store(StoreError),
}

impl From<StoreError> for BookingError {
    fn from(e: StoreError) -> Self {
        match e {
            // Another request was booking the same things at the same moment; the caller re-checks.
            StoreError::Contended => BookingError::Clashes(Vec::new()),
            other => BookingError::Store(other),
        }
    }
}

impl From<sqlx::Error> for BookingError {
    fn from(e: sqlx::Error) -> Self {
        if is_exclusion_violation(&e) {
            // Another request took the same thing at the same moment; the caller re-checks.
            BookingError::Clashes(Vec::new())
        } else {
            StoreError::from(e).into()
        }
    }
}

/// The advisory locks a booking takes before it writes its claims (on PostgreSQL; SQLite writers
/// take turns anyway), each a key and whether it is taken shared, in the order to take them.
///
/// Why: PostgreSQL's exclusion constraints let two transactions inserting overlapping claims at the
/// same moment each wait for the other, a deadlock it only breaks after `deadlock_timeout` (a
/// second). So claims that could overlap share a lock, and the second waits for the first to commit
/// and is then refused at once. Two levels, so that bookings of one thing at different times of a
/// day do not wait for each other (one family booked at 10:00 and at 14:00, a busy room):
///
/// - one session takes each UTC day its claims touch *shared*, then each hour they touch
///   exclusively: two overlapping sessions share an hour;
/// - a series takes each day exclusively (and no hours), so it waits for, and holds off, every
///   session of those days; a series of a hundred dates takes a few hundred locks, not thousands.
///
/// Every booking takes days before hours, each level in key order, so no two can wait for each
/// other in a circle. Keys are 64-bit FNV-1a hashes, the same in every process; two unrelated
/// claims sharing a key only wait for each other, briefly.
fn claim_locks(organisation: OrganisationId, sessions: &[NewBooking]) -> Vec<(i64, bool)> {
    let org = organisation.to_string();
    let things = sessions.iter().flat_map(|session| {
        let claims = session
            .claims
            .iter()
            .map(|c| (vec![org.as_str(), "claim", c.resource.as_str()], &c.span));
        let windows = session
            .pair_windows
            .iter()
            .map(|w| (vec![org.as_str(), "pair", w.pair_id.as_str(), w.site.as_str()], &w.span));
        claims.chain(windows)
    });
    locks_for(sessions.len() == 1, things)
}

/// The locks for the things named by their key parts over their spans, for one session or a series.
fn locks_for<'a>(one: bool, things: impl Iterator<Item = (Vec<&'a str>, &'a Interval)>) -> Vec<(i64, bool)> {
    const HOUR_MS: i64 = 3_600_000;
    const DAY_MS: i64 = 24 * HOUR_MS;
    let (mut days, mut hours) = (Vec::new(), Vec::new());
    for (parts, span) in things {
        days.extend(bucket_locks(&parts, span, DAY_MS));
        if one {
            hours.extend(bucket_locks(&parts, span, HOUR_MS));
        }
    }
    for level in [&mut days, &mut hours] {
        level.sort_unstable();
        level.dedup();
    }
    days.into_iter()
        .map(|key| (key, one))
        .chain(hours.into_iter().map(|key| (key, false)))
        .collect()
}

/// One lock for each bucket of `size` milliseconds the span touches, for the thing `parts` names.
fn bucket_locks(parts: &[&str], span: &Interval, size: i64) -> impl Iterator<Item = i64> {
    (ms(span.start).div_euclid(size)..=ms(span.end).div_euclid(size)).map(move |n| lock_key(parts, size, n))
}

fn lock_key(parts: &[&str], size: i64, bucket: i64) -> i64 {
    const PRIME: u64 = 0x0000_0100_0000_01b3;
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let numbers = size.to_le_bytes().into_iter().chain(bucket.to_le_bytes());
    for byte in parts.iter().flat_map(|p| p.bytes().chain([0])).chain(numbers) {
        hash = (hash ^ u64::from(byte)).wrapping_mul(PRIME);
    }
    i64::from_ne_bytes(hash.to_ne_bytes())
}

/// Takes `locks` (from `claim_locks`) inside the transaction, until it ends; nothing on SQLite.
async fn lock_claims(tx: &mut Tx, locks: &[(i64, bool)]) -> Result<()> {
    let TxInner::Postgres(c) = &mut tx.inner else {
        return Ok(());
    };
    if locks.is_empty() {
        return Ok(());
    }
    let (keys, shared): (Vec<i64>, Vec<bool>) = locks.iter().copied().unzip();
    sqlx::query(sqlx::AssertSqlSafe(crate::take_locks(1)))
        .bind(keys)
        .bind(shared)
        .execute(&mut **c)
        .await?;
    Ok(())
}

/// The audit entry for booking these sessions.
fn booked(sessions: &[NewBooking]) -> AuditEvent {
    AuditEvent::ok(
        if sessions.len() > 1 {
            "booking.series"
        } else {
            "booking.create"
        },
        "booking",
        sessions.first().map(|s| s.id.to_string()).unwrap_or_default(),
    )
}

fn is_exclusion_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("23P01"))
}

/// A booking as shown in calendars and on the case.
#[derive(Debug, Clone)]
pub struct Booking {
    pub id: BookingId,
    pub centre_id: CentreId,
    pub centre_name: String,
    pub case_id: Option<CaseId>,
    pub case_reference: Option<String>,
    pub kind: String,
    pub room_id: Option<String>,
    pub room_name: Option<String>,
    pub span: Interval,
    pub status: BookingStatus,
    pub series_id: Option<String>,
    pub video_token: Option<String>,
    pub cancelled_by: Option<String>,
    pub notice_minutes: Option<i64>,
    pub status_reason: Option<String>,
    pub rescheduled_from: Option<String>,
    pub version: i64,
}

impl Booking {
    /// A booking as `Store::book` has just written it (provisional, version 1), so the answer to a
    /// booking request needs no read back. The names are the caller's, read for planning it.
    pub fn written(
        new: &NewBooking,
        centre_name: &str,
        case_reference: Option<&str>,
        room_name: Option<&str>,
    ) -> Booking {
        Booking {
            id: new.id,
            centre_id: new.centre_id,
            centre_name: centre_name.to_owned(),
            case_id: new.case_id,
            case_reference: case_reference.map(str::to_owned),
            kind: new.kind.clone(),
            room_id: new.room_id.clone(),
            room_name: room_name.map(str::to_owned),
            span: new.span,
            status: BookingStatus::Provisional,
            series_id: new.series_id.clone(),
            video_token: new.video_token.clone(),
            cancelled_by: None,
            notice_minutes: None,
            status_reason: None,
            rescheduled_from: new.rescheduled_from.map(|r| r.to_string()),
            version: 1,
        }
    }
}

/// A centre's rules for planning sessions (part of `Store::planning`).
#[derive(Debug, Clone)]
pub struct PlanningRules {
    /// The centre's settings with the case's own stagger applied where it has one.
    pub settings: Settings,
    pub calendar: Calendar,
    pub centre_name: String,
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: String,
    centre_id: String,
    centre_name: String,
    case_id: Option<String>,
    reference: Option<String>,
    kind: String,
    room_id: Option<String>,
    room_name: Option<String>,
    starts_at: i64,
    ends_at: i64,
    status: String,
    series_id: Option<String>,
    video_token: Option<String>,
    cancelled_by: Option<String>,
    notice_minutes: Option<i64>,
    status_reason: Option<String>,
    rescheduled_from: Option<String>,
    version: i64,
}

const BOOKING_SELECT: &str =
    "SELECT b.id, b.centre_id, c.name AS centre_name, b.case_id, k.reference, b.kind, b.room_id,
        r.name AS room_name, b.starts_at, b.ends_at, b.status, b.series_id, b.video_token, b.cancelled_by,
        b.notice_minutes, b.status_reason, b.rescheduled_from, b.version
    FROM bookings b
    JOIN centres c ON c.organisation_id = b.organisation_id AND c.id = b.centre_id
    LEFT JOIN cases k ON k.organisation_id = b.organisation_id AND k.id = b.case_id
    LEFT JOIN rooms r ON r.organisation_id = b.organisation_id AND r.id = b.room_id";

impl TryFrom<BookingRow> for Booking {
    type Error = StoreError;
    fn try_from(r: BookingRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable booking row".into());
        Ok(Booking {
            id: BookingId::parse(&r.id).map_err(|_| bad())?,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad())?,
            centre_name: r.centre_name,
            case_id: r.case_id.as_deref().map(CaseId::parse).transpose().map_err(|_| bad())?,
            case_reference: r.reference,
            kind: r.kind,
            room_id: r.room_id,
            room_name: r.room_name,
            span: Interval::new(ts(r.starts_at), ts(r.ends_at)).ok_or_else(bad)?,
            status: BookingStatus::parse(&r.status).ok_or_else(bad)?,
            series_id: r.series_id,
            video_token: r.video_token,
            cancelled_by: r.cancelled_by,
            notice_minutes: r.notice_minutes,
            status_reason: r.status_reason,
            rescheduled_from: r.rescheduled_from,
            version: r.version,
        })
    }
}

/// A party's part in a booking, for plans and feeds.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedParty {
    pub booking_id: String,
    pub party_id: String,
    pub name: String,
    pub role: String,
    pub attendance: String,
    pub arrives_at: i64,
    pub leaves_at: i64,
    pub entrance: Option<String>,
    pub waits_in: Option<String>,
    /// The ids of the entrance and waiting room named above (for a form that changes them).
    pub entrance_id: Option<String>,
    pub waits_in_id: Option<String>,
}

/// A staff member on a booking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookedStaff {
    pub booking_id: String,
    pub user_id: String,
    pub name: String,
}

/// What happened to a booking.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BookingEvent {
    pub at: i64,
    pub actor_name: Option<String>,
    pub event: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub detail: Option<String>,
}

/// A staff member's scheduling profile.
#[derive(Debug, Clone)]
pub struct StaffProfile {
    pub user_id: UserId,
    pub name: String,
    pub role: String,
    pub qualified_supervised: bool,
    pub qualifications: String,
    pub dbs_checked_on: Option<Date>,
    /// Weekly hours: weekday 1–7, start, end.
    pub availability: Vec<(i8, Time, Time)>,
    pub leave: Vec<(Date, Date)>,
    /// The centres they work at; empty when they work at all the organisation's centres.
    pub centres: Vec<CentreId>,
    pub version: i64,
}

impl StaffProfile {
    pub fn works_at(&self, centre: CentreId) -> bool {
        self.centres.is_empty() || self.centres.contains(&centre)
    }
}

/// An adult of an open case at a centre, with the case's reference.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CentreAdult {
    pub party_id: String,
    pub name: String,
    pub role: String,
    pub case_id: String,
    pub reference: String,
}

/// A pair of people who must never meet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NeverMeetPair {
    pub id: String,
    pub party_a: String,
    pub name_a: String,
    pub case_a: String,
    pub party_b: String,
    pub name_b: String,
    pub case_b: String,
    pub separation: String,
    pub reason: String,
}

/// An opening rule as stored, with its id.
#[derive(Debug, Clone)]
pub struct StoredOpening {
    pub id: String,
    pub rule: OpeningRule,
}

#[derive(Debug, Clone)]
pub struct StoredClosure {
    pub id: String,
    pub closure: Closure,
}

pub fn weekday_number(day: Weekday) -> i8 {
    day.to_monday_one_offset()
}

pub fn weekday_from(number: i64) -> Option<Weekday> {
    i8::try_from(number)
        .ok()
        .and_then(|n| Weekday::from_monday_one_offset(n).ok())
}

fn hhmm(t: Time) -> String {
    t.strftime("%H:%M").to_string()
}

pub(crate) fn parse_hhmm(text: &str) -> Option<Time> {
    Time::strptime("%H:%M", text).ok()
}

pub(crate) fn parse_date(text: &str) -> Option<Date> {
    text.parse().ok()
}

/// A row of `schedule_settings`: the settings, then the version.
pub(crate) type SettingsRow = (String, i64, i64, i64, i64, i64, i64, i64, i64, i64, i64);

pub(crate) fn settings_from(r: &SettingsRow) -> Settings {
    let small = |v: i64| u8::try_from(v).unwrap_or(1);
    Settings {
        direction: StaggerDirection::parse(&r.0).unwrap_or(StaggerDirection::VisitingFirst),
        arrival_lead_minutes: r.1,
        handover_minutes: r.2,
        departure_delay_minutes: r.3,
        room_buffer_minutes: r.4,
        supervisors_required: small(r.5),
        families_per_worker: small(r.6),
        community_staff_required: small(r.7),
        travel_minutes: r.8,
        longest_session_minutes: r.9,
    }
}

impl Store {
    // ---- settings and calendar ------------------------------------------------------------------

    /// The centre's scheduling settings, or the defaults when none were saved; with the version.
    pub async fn schedule_settings(&self, organisation: OrganisationId, centre: CentreId) -> Result<(Settings, i64)> {
        let row: Option<SettingsRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT direction, arrival_lead_minutes, handover_minutes, departure_delay_minutes, room_buffer_minutes,
                    supervisors_required, families_per_worker, community_staff_required, travel_minutes,
                    longest_session_minutes, version
             FROM schedule_settings WHERE organisation_id = $1 AND centre_id = $2"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_optional(p)
        .await
        })?;
        Ok(row.map_or((Settings::default(), 0), |r| (settings_from(&r), r.10)))
    }

    /// Saves the centre's settings (already validated); refused as stale unless `version` is the
    /// one read (0 when none were saved yet).
    pub async fn save_schedule_settings(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        s: &Settings,
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = if version == 0 {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO schedule_settings (organisation_id, centre_id, direction, arrival_lead_minutes, handover_minutes,
                    departure_delay_minutes, room_buffer_minutes, supervisors_required, families_per_worker,
                    community_staff_required, travel_minutes, longest_session_minutes, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(s.direction.as_str())
            .bind(s.arrival_lead_minutes)
            .bind(s.handover_minutes)
            .bind(s.departure_delay_minutes)
            .bind(s.room_buffer_minutes)
            .bind(i64::from(s.supervisors_required))
            .bind(i64::from(s.families_per_worker))
            .bind(i64::from(s.community_staff_required))
            .bind(s.travel_minutes)
            .bind(s.longest_session_minutes)
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?
        } else {
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE schedule_settings SET direction = $3, arrival_lead_minutes = $4, handover_minutes = $5,
                    departure_delay_minutes = $6, room_buffer_minutes = $7, supervisors_required = $8,
                    families_per_worker = $9, community_staff_required = $10, travel_minutes = $11,
                    longest_session_minutes = $12, updated_at = $13, version = version + 1
                 WHERE organisation_id = $1 AND centre_id = $2 AND version = $14"
            )
            .bind(organisation.to_string())
            .bind(centre.to_string())
            .bind(s.direction.as_str())
            .bind(s.arrival_lead_minutes)
            .bind(s.handover_minutes)
            .bind(s.departure_delay_minutes)
            .bind(s.room_buffer_minutes)
            .bind(i64::from(s.supervisors_required))
            .bind(i64::from(s.families_per_worker))
            .bind(i64::from(s.community_staff_required))
            .bind(s.travel_minutes)
            .bind(s.longest_session_minutes)
            .bind(ms(scope.at))
            .bind(version)
            .execute(c)
            .await)?
        };
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("schedule.settings", "centre", centre))
            .await?;
        tx.commit().await
    }

    /// The centre's calendar: its zone, opening rules and closures, read in one statement.
    pub async fn calendar(&self, organisation: OrganisationId, centre: CentreId) -> Result<Calendar> {
        Ok(self.centre_rules(organisation, centre, None).await?.calendar)
    }

    pub async fn opening_hours(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredOpening>> {
        let rows: Vec<(String, i64, String, String, Option<String>)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, weekday, opens, closes, alternate_from FROM opening_hours
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY weekday, opens"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, day, opens, closes, alternate)| {
                Some(StoredOpening {
                    id,
                    rule: OpeningRule {
                        weekday: weekday_from(day)?,
                        opens: parse_hhmm(&opens)?,
                        closes: parse_hhmm(&closes)?,
                        repeat: match alternate.as_deref().and_then(parse_date) {
                            Some(from) => WeekRepeat::Alternate { from },
                            None => WeekRepeat::Every,
                        },
                    },
                })
            })
            .collect())
    }

    pub async fn add_opening(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        rule: &OpeningRule,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO opening_hours (organisation_id, id, centre_id, weekday, opens, closes, alternate_from)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(i64::from(weekday_number(rule.weekday)))
        .bind(hhmm(rule.opens))
        .bind(hhmm(rule.closes))
        .bind(match rule.repeat {
            WeekRepeat::Every => None,
            WeekRepeat::Alternate { from } => Some(from.to_string()),
        })
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("schedule.opening.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_opening(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM opening_hours WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("schedule.opening.remove", "opening", id))
            .await?;
        tx.commit().await
    }

    pub async fn closures(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredClosure>> {
        let rows: Vec<(String, String, String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, first_day, last_day, reason FROM closures
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY first_day"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        Ok(rows
            .into_iter()
            .filter_map(|(id, first, last, reason)| {
                Some(StoredClosure {
                    id,
                    closure: Closure {
                        first_day: parse_date(&first)?,
                        last_day: parse_date(&last)?,
                        reason,
                    },
                })
            })
            .collect())
    }

    pub async fn add_closure(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        closure: &Closure,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO closures (organisation_id, id, centre_id, first_day, last_day, reason) VALUES ($1, $2, $3, $4, $5, $6)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(closure.first_day.to_string())
        .bind(closure.last_day.to_string())
        .bind(&closure.reason)
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("schedule.closure.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn remove_closure(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM closures WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await)?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("schedule.closure.remove", "closure", id))
            .await?;
        tx.commit().await
    }

    /// The centre's entrances (id, name).
    pub async fn entrances(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<(String, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM entrances WHERE organisation_id = $1 AND centre_id = $2 ORDER BY name"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?)
    }

    pub async fn add_entrance(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        name: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO entrances (organisation_id, id, centre_id, name) VALUES ($1, $2, $3, $4)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(name)
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "This centre already has an entrance with that name"))?;
        tx.audit(scope, AuditEvent::ok("schedule.entrance.add", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Records that an off-site venue is approved for contact (kind: community, hospital, home).
    pub async fn approve_venue(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        room: &str,
        kind: &str,
        notes: &str,
    ) -> Result<()> {
        let by = scope.actor_user_id.map(|u| u.to_string()).ok_or(StoreError::NotFound)?;
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO venue_approvals (organisation_id, room_id, venue_kind, approved_by, approved_at, notes)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (organisation_id, room_id) DO UPDATE SET venue_kind = $3, approved_by = $4, approved_at = $5, notes = $6"
        )
        .bind(organisation.to_string())
        .bind(room)
        .bind(kind)
        .bind(by)
        .bind(ms(scope.at))
        .bind(notes)
        .execute(c)
        .await
        })?;
        tx.audit(scope, AuditEvent::ok("schedule.venue.approve", "room", room))
            .await?;
        tx.commit().await
    }

    /// Approved venues: room id → (kind, notes).
    pub async fn venue_approvals(&self, organisation: OrganisationId) -> Result<Vec<(String, String, String)>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT room_id, venue_kind, notes FROM venue_approvals WHERE organisation_id = $1"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?)
    }

    // ---- staff --------------------------------------------------------------------------------

    /// Every active staff member's scheduling profile (people without one are not yet rostered).
    pub async fn staff_profiles(&self, organisation: OrganisationId) -> Result<Vec<StaffProfile>> {
        self.load_staff_profiles(organisation, None).await
    }

    /// Saves a staff member's profile and replaces their weekly hours.
    #[allow(clippy::too_many_arguments)]
    pub async fn save_staff_profile(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        qualified: bool,
        qualifications: &str,
        dbs_checked_on: Option<Date>,
        hours: &[(i8, Time, Time)],
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        // The version read is checked in the write itself: 0 means "never saved", so the row must not
        // exist yet; otherwise only the row still at that version is changed. No row written: stale.
        let written = if version == 0 {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO staff_profiles (organisation_id, user_id, qualified_supervised, qualifications, dbs_checked_on, updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (organisation_id, user_id) DO NOTHING"
            )
            .bind(organisation.to_string())
            .bind(user.to_string())
            .bind(qualified)
            .bind(qualifications)
            .bind(dbs_checked_on.map(|d| d.to_string()))
            .bind(ms(scope.at))
            .execute(c)
            .await
            })?
        } else {
            exec_tx!(tx, |c| {
                sqlx::query(
                    "UPDATE staff_profiles SET qualified_supervised = $3, qualifications = $4, dbs_checked_on = $5,
                    updated_at = $6, version = version + 1
                 WHERE organisation_id = $1 AND user_id = $2 AND version = $7",
                )
                .bind(organisation.to_string())
                .bind(user.to_string())
                .bind(qualified)
                .bind(qualifications)
                .bind(dbs_checked_on.map(|d| d.to_string()))
                .bind(ms(scope.at))
                .bind(version)
                .execute(c)
                .await
            })?
        };
        if written != 1 {
            return Err(StoreError::Stale);
        }
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM staff_availability WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .execute(c)
        .await)?;
        for (day, starts, ends) in hours {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO staff_availability (organisation_id, id, user_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(organisation.to_string())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(user.to_string())
            .bind(i64::from(*day))
            .bind(hhmm(*starts))
            .bind(hhmm(*ends))
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.staff.profile", "user", user))
            .await?;
        tx.commit().await
    }

    pub async fn add_staff_leave(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: UserId,
        first: Date,
        last: Date,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO staff_leave (organisation_id, id, user_id, first_day, last_day) VALUES ($1, $2, $3, $4, $5)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(user.to_string())
        .bind(first.to_string())
        .bind(last.to_string())
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("schedule.staff.leave", "user", user))
            .await?;
        tx.commit().await
    }

    /// The family's usual workers.
    pub async fn case_workers(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<UserId>> {
        let ids: Vec<String> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT user_id FROM case_workers WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        Ok(ids.iter().filter_map(|i| UserId::parse(i).ok()).collect())
    }

    pub async fn set_case_workers(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        workers: &[UserId],
        version: i64,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.advance_list_version(
            organisation,
            crate::versions::ListKind::CaseWorkers,
            &case.to_string(),
            version,
        )
        .await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM case_workers WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        for w in workers {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO case_workers (organisation_id, case_id, user_id) VALUES ($1, $2, $3)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(w.to_string())
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.case_workers", "case", case))
            .await?;
        tx.commit().await
    }

    /// A party's weekly availability (weekday, start, end); empty means any time.
    pub async fn party_availability(&self, organisation: OrganisationId, party: &str) -> Result<Vec<(i8, Time, Time)>> {
        let rows: Vec<(i64, String, String)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT weekday, starts, ends FROM party_availability WHERE organisation_id = $1 AND party_id = $2 ORDER BY weekday, starts"
        )
        .bind(organisation.to_string())
        .bind(party)
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(d, s, e)| Some((i8::try_from(d).ok()?, parse_hhmm(&s)?, parse_hhmm(&e)?)))
            .collect())
    }

    pub async fn set_party_availability(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        party: &str,
        hours: &[(i8, Time, Time)],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM party_availability WHERE organisation_id = $1 AND party_id = $2"
        )
        .bind(organisation.to_string())
        .bind(party)
        .execute(c)
        .await)?;
        for (day, starts, ends) in hours {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO party_availability (organisation_id, id, party_id, weekday, starts, ends) VALUES ($1, $2, $3, $4, $5, $6)"
            )
            .bind(organisation.to_string())
            .bind(uuid::Uuid::now_v7().to_string())
            .bind(party)
            .bind(i64::from(*day))
            .bind(hhmm(*starts))
            .bind(hhmm(*ends))
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.party_availability", "party", party))
            .await?;
        tx.commit().await
    }

    // ---- never-meet pairs -----------------------------------------------------------------------

    /// The pairs a case's adults belong to, given those read with the rest of the planning
    /// (`Store::planning`), after making sure the resident adult and each other adult of the case
    /// are a same-case pair (written only when one is missing, so planning a booking usually costs
    /// no write and no further read).
    pub async fn case_pairs(
        &self,
        organisation: OrganisationId,
        case: CaseId,
        parties: &[(String, bool)],
        pairs: Vec<NeverMeetPair>,
        at: Timestamp,
    ) -> Result<Vec<NeverMeetPair>> {
        let missing = parties.iter().filter(|(_, resident)| *resident).any(|(r, _)| {
            parties.iter().filter(|(_, resident)| !*resident).any(|(o, _)| {
                let (a, b) = if r < o { (r, o) } else { (o, r) };
                !pairs.iter().any(|p| &p.party_a == a && &p.party_b == b)
            })
        });
        if !missing {
            return Ok(pairs);
        }
        let mut tx = self.begin().await?;
        Self::insert_case_pairs(&mut tx, organisation, case, at).await?;
        tx.commit().await?;
        let ids: Vec<String> = parties.iter().map(|(id, _)| id.clone()).collect();
        self.never_meet_pairs(organisation, &ids).await
    }

    async fn insert_case_pairs(tx: &mut Tx, organisation: OrganisationId, case: CaseId, at: Timestamp) -> Result<()> {
        let parties: Vec<(String, String)> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, role FROM case_parties WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(c)
        .await)?;
        // The resident parent (or carer) is kept apart from every other adult of the case.
        for (a, role_a) in &parties {
            for (b, role_b) in &parties {
                if a >= b || (role_a == "resident") == (role_b == "resident") {
                    continue;
                }
                exec_tx!(tx, |c| sqlx::query(
                    "INSERT INTO never_meet (organisation_id, id, party_a, party_b, separation, reason, created_at)
                     VALUES ($1, $2, $3, $4, 'same_case', 'Adults of the same case', $5)
                     ON CONFLICT (organisation_id, party_a, party_b) DO NOTHING"
                )
                .bind(organisation.to_string())
                .bind(uuid::Uuid::now_v7().to_string())
                .bind(a)
                .bind(b)
                .bind(ms(at))
                .execute(c)
                .await)?;
            }
        }
        Ok(())
    }

    /// Adds a pair who must never meet (across cases too). Refused, naming the dates, when their
    /// booked sessions already overlap at the same site.
    pub async fn add_never_meet(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        first: &str,
        second: &str,
        reason: &str,
    ) -> Result<String> {
        let (a, b) = if first < second {
            (first, second)
        } else {
            (second, first)
        };
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO never_meet (organisation_id, id, party_a, party_b, separation, reason, created_by, created_at)
             VALUES ($1, $2, $3, $4, 'added', $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(a)
        .bind(b)
        .bind(reason)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "These two people are already kept apart"))?;
        // Their live bookings from now on: the windows are their whole time on site.
        let windows: Vec<(String, String, String, i64, i64)> = with_tx!(tx, |c| {
            sqlx::query_as(
            "SELECT bp.booking_id, bp.party_id, COALESCE('venue:' || v.room_id, 'centre:' || b.centre_id), bp.arrives_at, bp.leaves_at
             FROM booking_parties bp
             JOIN bookings b ON b.organisation_id = bp.organisation_id AND b.id = bp.booking_id
             LEFT JOIN venue_approvals v ON v.organisation_id = b.organisation_id AND v.room_id = b.room_id
             WHERE bp.organisation_id = $1 AND bp.party_id IN ($2, $3) AND b.status IN ('provisional', 'confirmed')
               AND b.ends_at > $4 AND b.kind NOT IN ('virtual_supported', 'virtual_supervised')"
        )
        .bind(organisation.to_string())
        .bind(a)
        .bind(b)
        .bind(ms(scope.at))
        .fetch_all(c)
        .await
        })?;
        for (i, x) in windows.iter().enumerate() {
            for y in &windows[i + 1..] {
                if x.1 != y.1 && x.2 == y.2 && x.3 < y.4 && y.3 < x.4 {
                    return Err(StoreError::Conflict(format!(
                        "They are already booked at the same site at the same time (session starting {}); move one of those sessions first",
                        ts(x.3.min(y.3))
                    )));
                }
            }
        }
        for (booking, party, site, from, to) in &windows {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO pair_claims (organisation_id, pair_id, booking_id, party_id, site, starts_at, ends_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)"
            )
            .bind(organisation.to_string())
            .bind(&id)
            .bind(booking)
            .bind(party)
            .bind(site)
            .bind(from)
            .bind(to)
            .execute(c)
            .await)?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.never_meet.add", "never_meet", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    // ---- booking --------------------------------------------------------------------------------

    /// Writes all the sessions or none. Every claim is checked against what is already held, inside
    /// the transaction; a clash is reported for each session it affects and nothing is written.
    pub async fn book(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        sessions: &[NewBooking],
    ) -> Result<(), BookingError> {
        // On PostgreSQL the exclusion constraints alone refuse an overlap of a session's exclusive
        // claims or never-meet windows, so one session claiming nothing shared (no hall) is written
        // in one statement, without a transaction around a check. Only if it is refused is the
        // check run, in the transaction below, to name what clashed (decision 0017).
        if let ([session], Pool::Postgres(pool)) = (sessions, &self.pool)
            && session.claims.iter().all(|c| c.exclusive)
        {
            let mut w = Batch::default();
            Self::booking_rows(&mut w, scope, organisation, session);
            w.audit(scope, booked(sessions));
            match w
                .execute_alone(pool, &claim_locks(organisation, sessions))
                .await
                .map_err(BookingError::from)
            {
                // Refused by a constraint: the checked way finds and names what clashed.
                Err(BookingError::Clashes(_)) => {}
                written => return written,
            }
        }
        self.book_checked(scope, organisation, sessions).await
    }

    /// Books in one transaction: takes the claims' locks, checks each session for clashes, then
    /// writes it.
    async fn book_checked(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        sessions: &[NewBooking],
    ) -> Result<(), BookingError> {
        let mut tx = self.begin().await?;
        lock_claims(&mut tx, &claim_locks(organisation, sessions)).await?;
        let mut clashes = Vec::new();
        // Each session's writes are sent before the next session's check, so a series is checked
        // against itself too; the last one's go with the audit entry, in one round trip.
        let mut unsent: Option<Batch> = None;
        for session in sessions {
            if let Some(w) = unsent.take() {
                w.execute(&mut tx).await?;
            }
            let found = Self::clashes_for(&mut tx, organisation, session).await?;
            if found.is_empty() {
                let mut w = Batch::default();
                Self::booking_rows(&mut w, scope, organisation, session);
                unsent = Some(w);
            } else {
                clashes.extend(found.into_iter().map(|what| Clash {
                    starts: session.span.start,
                    what,
                }));
            }
        }
        if !clashes.is_empty() {
            return Err(BookingError::Clashes(clashes));
        }
        let mut w = unsent.unwrap_or_default();
        w.audit(scope, booked(sessions));
        w.execute(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// What already holds the session's claims, in words. Shared halls are locked first; then one
    /// statement counts, for each claim and each never-meet window, what already overlaps it.
    async fn clashes_for(tx: &mut Tx, organisation: OrganisationId, session: &NewBooking) -> Result<Vec<String>> {
        let org = organisation.to_string();
        for claim in session.claims.iter().filter(|c| !c.exclusive) {
            // A shared hall: lock its row so hall bookings are counted one at a time.
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE rooms SET version = version WHERE organisation_id = $1 AND id = $2"
            )
            .bind(&org)
            .bind(claim.resource.trim_start_matches("room:"))
            .execute(c)
            .await)?;
        }
        // What overlaps each claim and each window, counted in one statement (in chunks, well under
        // SQLite's limit of 500 terms in a compound SELECT). Only numbered placeholders and row
        // numbers are formatted into the text; the values are bound.
        enum Check<'a> {
            Claim(&'a Claim),
            Window(&'a PairWindow),
        }
        let checks: Vec<Check<'_>> = session
            .claims
            .iter()
            .map(Check::Claim)
            .chain(session.pair_windows.iter().map(Check::Window))
            .collect();
        let mut counts: Vec<(i64, i64)> = Vec::new();
        for (chunk_number, chunk) in checks.chunks(100).enumerate() {
            let mut branches = Vec::new();
            let mut next = 2;
            for (i, check) in chunk.iter().enumerate() {
                let n = chunk_number * 100 + i;
                match check {
                    Check::Claim(_) => {
                        branches.push(format!(
                            "SELECT CAST({n} AS BIGINT) AS n, COUNT(*) AS held FROM booking_claims
                             WHERE organisation_id = $1 AND resource = ${} AND starts_at < ${} AND starts_at > ${}
                               AND ends_at > ${}",
                            next,
                            next + 1,
                            next + 2,
                            next + 3
                        ));
                        next += 4;
                    }
                    Check::Window(_) => {
                        branches.push(format!(
                            "SELECT CAST({n} AS BIGINT) AS n, COUNT(*) AS held FROM pair_claims
                             WHERE organisation_id = $1 AND pair_id = ${} AND site = ${} AND party_id <> ${}
                               AND starts_at < ${} AND starts_at > ${} AND ends_at > ${}",
                            next,
                            next + 1,
                            next + 2,
                            next + 3,
                            next + 4,
                            next + 5
                        ));
                        next += 6;
                    }
                }
            }
            let sql = branches.join(" UNION ALL ");
            let rows: Vec<(i64, i64)> = with_tx!(tx, |c| {
                let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(&org);
                for check in chunk {
                    q = match check {
                        Check::Claim(claim) => q
                            .bind(&claim.resource)
                            .bind(ms(claim.span.end))
                            .bind(ms(claim.span.start) - LONGEST_CLAIM_MS)
                            .bind(ms(claim.span.start)),
                        Check::Window(window) => q
                            .bind(&window.pair_id)
                            .bind(&window.site)
                            .bind(&window.party_id)
                            .bind(ms(window.span.end))
                            .bind(ms(window.span.start) - LONGEST_CLAIM_MS)
                            .bind(ms(window.span.start)),
                    };
                }
                q.fetch_all(c).await
            })?;
            counts.extend(rows);
        }
        let held = |n: usize| {
            counts
                .iter()
                .find(|(k, _)| usize::try_from(*k).ok() == Some(n))
                .map_or(0, |(_, held)| usize::try_from(*held).unwrap_or(usize::MAX))
        };
        let mut found = Vec::new();
        for (n, claim) in session.claims.iter().enumerate() {
            let full = if claim.exclusive {
                held(n) > 0
            } else {
                held(n) >= session.hall_capacity.unwrap_or(1) as usize
            };
            if full {
                found.push(format!("{} is already booked then", claim.label));
            }
        }
        for (n, window) in session.pair_windows.iter().enumerate() {
            let same_session = session.pair_windows.iter().any(|o| {
                o.pair_id == window.pair_id
                    && o.party_id != window.party_id
                    && o.site == window.site
                    && o.span.overlaps(&window.span)
            });
            if held(session.claims.len() + n) > 0 || same_session {
                let message = format!(
                    "{} would be on site at the same time as someone they must not meet",
                    window.label
                );
                if !found.contains(&message) {
                    found.push(message);
                }
            }
        }
        Ok(found)
    }

    /// Adds the statements that write one booking to `w`: a statement per table (its row, staff,
    /// parties, children, claims, never-meet windows, first event and charges; each table's rows
    /// in one statement), to be sent in one round trip.
    fn booking_rows(w: &mut Batch, scope: &AuditScope, organisation: OrganisationId, s: &NewBooking) {
        let org = organisation.to_string();
        let id = s.id.to_string();
        let row = [
            w.text(org.clone()),
            w.text(id.clone()),
            w.text(s.centre_id.to_string()),
            w.text(s.case_id.map(|c| c.to_string())),
            w.text(s.kind.clone()),
            w.text(s.room_id.clone()),
            w.int(ms(s.span.start)),
            w.int(ms(s.span.end)),
            w.text(s.series_id.clone()),
            w.text(s.video_token.clone()),
            w.text(s.rescheduled_from.map(|r| r.to_string())),
            w.text(scope.actor_user_id.map(|u| u.to_string())),
            w.int(ms(scope.at)),
            w.int(ms(scope.at)),
        ];
        w.push(format!(
            "INSERT INTO bookings (organisation_id, id, centre_id, case_id, kind, room_id, starts_at, ends_at, status,
                series_id, video_token, rescheduled_from, created_by, created_at, updated_at)
             VALUES ({}, {}, {}, {}, {}, {}, {}, {}, 'provisional', {}, {}, {}, {}, {}, {})",
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            row[7],
            row[8],
            row[9],
            row[10],
            row[11],
            row[12],
            row[13]
        ));
        let text = |v: &str| Arg::Text(Some(v.to_owned()));
        w.insert_rows(
            "booking_staff (organisation_id, booking_id, user_id)",
            s.staff
                .iter()
                .map(|u| vec![text(&org), text(&id), text(&u.to_string())])
                .collect(),
        );
        w.insert_rows(
            "booking_parties (organisation_id, booking_id, party_id, attendance, arrives_at, leaves_at, entrance_id, waits_in)",
            s.parties
                .iter()
                .map(|p| {
                    vec![
                        text(&org),
                        text(&id),
                        text(&p.party_id),
                        text(p.attendance),
                        Arg::Int(ms(p.arrives)),
                        Arg::Int(ms(p.leaves)),
                        Arg::Text(p.entrance_id.clone()),
                        Arg::Text(p.waits_in.clone()),
                    ]
                })
                .collect(),
        );
        w.insert_rows(
            "booking_children (organisation_id, booking_id, child_id)",
            s.children
                .iter()
                .map(|c| vec![text(&org), text(&id), text(c)])
                .collect(),
        );
        w.insert_rows(
            "booking_claims (organisation_id, booking_id, resource, exclusive, starts_at, ends_at)",
            s.claims
                .iter()
                .map(|c| {
                    vec![
                        text(&org),
                        text(&id),
                        text(&c.resource),
                        Arg::Bool(c.exclusive),
                        Arg::Int(ms(c.span.start)),
                        Arg::Int(ms(c.span.end)),
                    ]
                })
                .collect(),
        );
        w.insert_rows(
            "pair_claims (organisation_id, pair_id, booking_id, party_id, site, starts_at, ends_at)",
            s.pair_windows
                .iter()
                .map(|p| {
                    vec![
                        text(&org),
                        text(&p.pair_id),
                        text(&id),
                        text(&p.party_id),
                        text(&p.site),
                        Arg::Int(ms(p.span.start)),
                        Arg::Int(ms(p.span.end)),
                    ]
                })
                .collect(),
        );
        w.insert_rows(
            "booking_events (organisation_id, id, booking_id, at, actor_id, event, from_status, to_status, detail)",
            vec![vec![
                text(&org),
                text(&uuid::Uuid::now_v7().to_string()),
                text(&id),
                Arg::Int(ms(scope.at)),
                Arg::Text(scope.actor_user_id.map(|u| u.to_string())),
                text("booked"),
                Arg::Text(None),
                text("provisional"),
                Arg::Text(None),
            ]],
        );
        if let (Some(visit), Some(case), Some(party)) = (&s.pre_visit, s.case_id, s.parties.first()) {
            w.insert_rows(
                "pre_visits (organisation_id, id, case_id, party_id, booking_id, scheduled_at, status, created_at)",
                vec![vec![
                    text(&org),
                    text(visit),
                    text(&case.to_string()),
                    text(&party.party_id),
                    text(&id),
                    Arg::Int(ms(s.span.start)),
                    text("scheduled"),
                    Arg::Int(ms(scope.at)),
                ]],
            );
        }
        if let Some(case) = s.case_id {
            w.insert_rows(
                "ledger_entries (organisation_id, id, case_id, kind, party_id, funder_name, item, booking_id, minutes,
                    amount_pence, recorded_by, recorded_at)",
                s.charges
                    .iter()
                    .map(|c| {
                        let (party, funder) = match c.entry.account() {
                            Account::Party(p) => (Some(p.clone()), None),
                            Account::Funder(f) => (None, Some(f.clone())),
                        };
                        vec![
                            text(&org),
                            text(&uuid::Uuid::now_v7().to_string()),
                            text(&case.to_string()),
                            text("charge"),
                            Arg::Text(party),
                            Arg::Text(funder),
                            Arg::Text(c.item.map(|i| i.as_str().to_owned())),
                            text(&id),
                            Arg::MaybeInt(c.minutes),
                            Arg::Int(c.entry.amount().0),
                            Arg::Text(scope.actor_user_id.map(|u| u.to_string())),
                            Arg::Int(ms(scope.at)),
                        ]
                    })
                    .collect(),
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn record_event(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: &str,
        event: &str,
        from: Option<&str>,
        to: Option<&str>,
        detail: Option<&str>,
    ) -> Result<()> {
        exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO booking_events (organisation_id, id, booking_id, at, actor_id, event, from_status, to_status, detail)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
        )
        .bind(organisation.to_string())
        .bind(uuid::Uuid::now_v7().to_string())
        .bind(booking)
        .bind(ms(scope.at))
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(event)
        .bind(from)
        .bind(to)
        .bind(detail)
        .execute(c)
        .await
        })?;
        Ok(())
    }

    /// Moves a booking to a new status. Leaving the live statuses frees its claims. Refused as
    /// stale when it changed since `version`, and when the move is not allowed.
    #[allow(clippy::too_many_arguments)]
    pub async fn set_booking_status(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        next: BookingStatus,
        version: i64,
        reason: Option<&str>,
        cancelled_by: Option<&str>,
    ) -> Result<()> {
        let current = self.booking(organisation, booking).await?;
        if !current.status.may_become(next) {
            return Err(StoreError::Conflict(format!(
                "A {} booking cannot become {}",
                current.status.label().to_lowercase(),
                next.label().to_lowercase()
            )));
        }
        let mut tx = self.begin().await?;
        Self::apply_status(
            &mut tx,
            scope,
            organisation,
            &current,
            next,
            version,
            reason,
            cancelled_by,
        )
        .await?;
        tx.audit(scope, AuditEvent::ok("booking.status", "booking", booking))
            .await?;
        tx.commit().await
    }

    /// The status change itself, inside a transaction: refused as stale when the booking changed
    /// since `version`.
    #[allow(clippy::too_many_arguments)]
    async fn apply_status(
        tx: &mut Tx,
        scope: &AuditScope,
        organisation: OrganisationId,
        current: &Booking,
        next: BookingStatus,
        version: i64,
        reason: Option<&str>,
        cancelled_by: Option<&str>,
    ) -> Result<()> {
        let notice = (next == BookingStatus::Cancelled)
            .then(|| (current.span.start.as_second() - scope.at.as_second()).div_euclid(60));
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET status = $1, status_reason = COALESCE($2, status_reason), cancelled_by = $3,
                cancelled_at = $4, notice_minutes = $5, updated_at = $6, version = version + 1
             WHERE organisation_id = $7 AND id = $8 AND version = $9 AND status = $10"
        )
        .bind(next.as_str())
        .bind(reason)
        .bind(cancelled_by)
        .bind((next == BookingStatus::Cancelled).then(|| ms(scope.at)))
        .bind(notice)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(current.id.to_string())
        .bind(version)
        .bind(current.status.as_str())
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        if !next.is_live() {
            Self::release_claims(tx, organisation, current.id).await?;
        }
        if next == BookingStatus::Cancelled {
            // A cancelled pre-visit booking cancels its record (the adult can be booked again).
            exec_tx!(tx, |c| sqlx::query(
                "UPDATE pre_visits SET status = 'cancelled', version = version + 1
                 WHERE organisation_id = $1 AND booking_id = $2 AND status = 'scheduled'"
            )
            .bind(organisation.to_string())
            .bind(current.id.to_string())
            .execute(c)
            .await)?;
        }
        Self::record_event(
            tx,
            scope,
            organisation,
            &current.id.to_string(),
            "status",
            Some(current.status.as_str()),
            Some(next.as_str()),
            reason,
        )
        .await?;
        Ok(())
    }

    /// Cancels a booking and records what the cancellation does to the money, in one transaction:
    /// `plan` works the entries out from the case's ledger as it stands inside it, the same way the
    /// preview shown to the coordinator did.
    #[allow(clippy::too_many_arguments)]
    pub async fn cancel_booking<F>(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        version: i64,
        reason: &str,
        cancelled_by: &str,
        plan: F,
    ) -> Result<std::result::Result<(), String>>
    where
        F: FnOnce(&[crate::ledger::LedgerRow], &Booking) -> std::result::Result<crate::ledger::LedgerWrite, String>,
    {
        let current = self.booking(organisation, booking).await?;
        if !current.status.may_become(BookingStatus::Cancelled) {
            return Err(StoreError::Conflict(format!(
                "A {} booking cannot be cancelled",
                current.status.label().to_lowercase()
            )));
        }
        let mut tx = self.begin().await?;
        let ledger = match current.case_id {
            Some(case) => {
                Self::lock_case(&mut tx, organisation, case).await?;
                Self::ledger_in(&mut tx, organisation, case).await?
            }
            None => Vec::new(),
        };
        let write = match plan(&ledger, &current) {
            Ok(w) => w,
            Err(m) => return Ok(Err(m)),
        };
        Self::apply_status(
            &mut tx,
            scope,
            organisation,
            &current,
            BookingStatus::Cancelled,
            version,
            Some(reason),
            Some(cancelled_by),
        )
        .await?;
        if let Some(case) = current.case_id {
            Self::insert_entries(&mut tx, scope, organisation, case, &write.entries).await?;
        }
        tx.audit(scope, AuditEvent::ok("booking.status", "booking", booking))
            .await?;
        for event in write.audit {
            tx.audit(scope, event).await?;
        }
        tx.commit().await?;
        Ok(Ok(()))
    }

    async fn release_claims(tx: &mut Tx, organisation: OrganisationId, booking: BookingId) -> Result<()> {
        // Two fixed statements: the table names are not parameters.
        for sql in [
            "DELETE FROM booking_claims WHERE organisation_id = $1 AND booking_id = $2",
            "DELETE FROM pair_claims WHERE organisation_id = $1 AND booking_id = $2",
        ] {
            exec_tx!(tx, |c| sqlx::query(sql)
                .bind(organisation.to_string())
                .bind(booking.to_string())
                .execute(c)
                .await)?;
        }
        Ok(())
    }

    /// Moves a live booking: the old one is cancelled ("moved") by whoever asked for the move and the
    /// new one, which points back to it, is booked in the same transaction, so the history shows both.
    pub async fn reschedule(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        old: BookingId,
        version: i64,
        asked_by: familytime_domain::schedule::MoveAsker,
        replacement: &NewBooking,
    ) -> Result<(), BookingError> {
        let current = self.booking(organisation, old).await?;
        if !current.status.is_live() {
            return Err(StoreError::Conflict("Only a provisional or confirmed booking can be moved".into()).into());
        }
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| {
            sqlx::query(
                "UPDATE bookings SET status = 'cancelled', status_reason = 'Moved to another time', cancelled_by = $6,
                cancelled_at = $1, notice_minutes = $2, updated_at = $1, version = version + 1
             WHERE organisation_id = $3 AND id = $4 AND version = $5 AND status IN ('provisional', 'confirmed')",
            )
            .bind(ms(scope.at))
            .bind((current.span.start.as_second() - scope.at.as_second()).div_euclid(60))
            .bind(organisation.to_string())
            .bind(old.to_string())
            .bind(version)
            .bind(asked_by.as_str())
            .execute(c)
            .await
        })?;
        if changed == 0 {
            return Err(StoreError::Stale.into());
        }
        Self::release_claims(&mut tx, organisation, old).await?;
        if let Some(case) = current.case_id {
            // The old time's charges are taken back; the new booking carries its own.
            Self::lock_case(&mut tx, organisation, case).await?;
            let ledger = Self::ledger_in(&mut tx, organisation, case).await?;
            let credits = crate::ledger::credits_for_booking(&ledger, &old.to_string());
            Self::insert_entries(&mut tx, scope, organisation, case, &credits).await?;
        }
        Self::record_event(
            &mut tx,
            scope,
            organisation,
            &old.to_string(),
            "moved",
            Some(current.status.as_str()),
            Some("cancelled"),
            Some(&replacement.id.to_string()),
        )
        .await?;
        lock_claims(&mut tx, &claim_locks(organisation, std::slice::from_ref(replacement))).await?;
        let found = Self::clashes_for(&mut tx, organisation, replacement).await?;
        if !found.is_empty() {
            return Err(BookingError::Clashes(
                found
                    .into_iter()
                    .map(|what| Clash {
                        starts: replacement.span.start,
                        what,
                    })
                    .collect(),
            ));
        }
        let mut w = Batch::default();
        Self::booking_rows(&mut w, scope, organisation, replacement);
        w.audit(scope, AuditEvent::ok("booking.move", "booking", old));
        w.execute(&mut tx).await?;
        // A moved pre-visit keeps its record, which follows it to the new booking and time.
        exec_tx!(tx, |c| sqlx::query(
            "UPDATE pre_visits SET booking_id = $1, scheduled_at = $2, version = version + 1
             WHERE organisation_id = $3 AND booking_id = $4 AND status = 'scheduled'"
        )
        .bind(replacement.id.to_string())
        .bind(ms(replacement.span.start))
        .bind(organisation.to_string())
        .bind(old.to_string())
        .execute(c)
        .await)?;
        tx.commit().await?;
        Ok(())
    }

    // ---- reading ----------------------------------------------------------------------------------

    /// What a case's arrival plan weighs: the kinds of its restraining orders (non-molestation,
    /// injunction) and the concerns of its latest risk assessment, in one statement.
    pub async fn separation_risk(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<(Vec<String>, Vec<familytime_domain::triage::Concern>)> {
        // Row kinds: 'order' (value: the order's kind), 'concerns' (value: the latest assessment's
        // concerns, comma-separated).
        let rows: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT 'order' AS what, kind AS value FROM court_orders
             WHERE organisation_id = $1 AND case_id = $2 AND kind IN ('non_molestation', 'injunction')
             UNION ALL
             SELECT 'concerns', concerns FROM (SELECT concerns FROM risk_assessments
                WHERE organisation_id = $1 AND case_id = $2 ORDER BY assessed_at DESC LIMIT 1) latest"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        let mut orders = Vec::new();
        let mut concerns = Vec::new();
        for (what, value) in rows {
            if what == "order" {
                orders.push(value);
            } else {
                concerns.extend(value.split(',').filter_map(familytime_domain::triage::Concern::parse));
            }
        }
        Ok((orders, concerns))
    }

    /// A case's provisional bookings made before `made_before`, oldest first: those that may be
    /// released when still unpaid.
    pub async fn provisional_made_before(
        &self,
        organisation: OrganisationId,
        made_before: Timestamp,
    ) -> Result<Vec<Booking>> {
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.status = 'provisional' AND b.case_id IS NOT NULL
               AND b.created_at < $2 ORDER BY b.created_at"
        );
        let rows: Vec<BookingRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(ms(made_before))
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    pub async fn booking(&self, organisation: OrganisationId, id: BookingId) -> Result<Booking> {
        let sql = format!("{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.id = $2");
        let row: BookingRow = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(id.to_string())
            .fetch_one(p)
            .await)?;
        row.try_into()
    }

    /// Bookings at a centre starting in `[from, to)`, optionally one room's or one person's.
    pub async fn bookings_between(
        &self,
        organisation: OrganisationId,
        centre: Option<CentreId>,
        from: Timestamp,
        to: Timestamp,
        room: Option<&str>,
        staff: Option<UserId>,
    ) -> Result<Vec<Booking>> {
        // Each filter asked for is its own bound condition, and one not asked for is left out: an
        // optional filter written `($n = '' OR b.centre_id = $n)` keeps the planner from the
        // (organisation, centre, start) index, and the calendar read every booking the organisation
        // ever had (issue 27, decision 0033).
        let mut filters = Vec::new();
        let mut values = Vec::new();
        for (value, condition) in [
            (centre.map(|c| c.to_string()), "b.centre_id = $"),
            (room.map(str::to_owned), "b.room_id = $"),
            (
                staff.map(|s| s.to_string()),
                "EXISTS (SELECT 1 FROM booking_staff s WHERE s.organisation_id = b.organisation_id AND s.booking_id = b.id AND s.user_id = $",
            ),
        ] {
            if let Some(value) = value {
                values.push(value);
                let close = if condition.starts_with("EXISTS") { ")" } else { "" };
                filters.push(format!(" AND {condition}{}{close}", values.len() + 3));
            }
        }
        let sql = format!(
            "{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.starts_at >= $2 AND b.starts_at < $3{}
             ORDER BY b.starts_at, b.id",
            filters.concat()
        );
        let rows: Vec<BookingRow> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(ms(from))
                .bind(ms(to));
            for value in &values {
                query = query.bind(value.as_str());
            }
            query.fetch_all(p).await
        })?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// A case's bookings, newest last.
    pub async fn case_bookings(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Booking>> {
        let sql =
            format!("{BOOKING_SELECT} WHERE b.organisation_id = $1 AND b.case_id = $2 ORDER BY b.starts_at, b.id");
        let rows: Vec<BookingRow> = with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(case.to_string())
            .fetch_all(p)
            .await)?;
        rows.into_iter().map(Booking::try_from).collect()
    }

    /// A party's bookings (for their calendar feed).
    pub async fn party_bookings(
        &self,
        organisation: OrganisationId,
        party: &str,
    ) -> Result<Vec<(Booking, BookedParty)>> {
        let plans: Vec<BookedParty> = self
            .booked_parties_where(organisation, "bp.party_id = $2", party)
            .await?;
        let mut out = Vec::new();
        for plan in plans {
            let Ok(id) = BookingId::parse(&plan.booking_id) else {
                continue;
            };
            out.push((self.booking(organisation, id).await?, plan));
        }
        Ok(out)
    }

    /// The parties' plans of the given bookings.
    pub async fn booked_parties(
        &self,
        organisation: OrganisationId,
        bookings: &[BookingId],
    ) -> Result<Vec<BookedParty>> {
        let mut out = Vec::new();
        for b in bookings {
            out.extend(
                self.booked_parties_where(organisation, "bp.booking_id = $2", &b.to_string())
                    .await?,
            );
        }
        Ok(out)
    }

    async fn booked_parties_where(
        &self,
        organisation: OrganisationId,
        filter: &str,
        value: &str,
    ) -> Result<Vec<BookedParty>> {
        let sql = format!(
            "SELECT bp.booking_id, bp.party_id, p.name, p.role, bp.attendance, bp.arrives_at, bp.leaves_at,
                    e.name AS entrance, w.name AS waits_in, bp.entrance_id, bp.waits_in AS waits_in_id
             FROM booking_parties bp
             JOIN case_parties p ON p.organisation_id = bp.organisation_id AND p.id = bp.party_id
             LEFT JOIN entrances e ON e.organisation_id = bp.organisation_id AND e.id = bp.entrance_id
             LEFT JOIN rooms w ON w.organisation_id = bp.organisation_id AND w.id = bp.waits_in
             WHERE bp.organisation_id = $1 AND {filter} ORDER BY bp.arrives_at"
        );
        Ok(with_pool!(self, |p| sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation.to_string())
            .bind(value)
            .fetch_all(p)
            .await)?)
    }

    /// The staff on the given bookings.
    pub async fn booked_staff(&self, organisation: OrganisationId, bookings: &[BookingId]) -> Result<Vec<BookedStaff>> {
        let mut out = Vec::new();
        for b in bookings {
            let rows: Vec<BookedStaff> = with_pool!(self, |p| sqlx::query_as(
                "SELECT s.booking_id, s.user_id, u.name FROM booking_staff s
                 JOIN users u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
                 WHERE s.organisation_id = $1 AND s.booking_id = $2 ORDER BY u.name"
            )
            .bind(organisation.to_string())
            .bind(b.to_string())
            .fetch_all(p)
            .await)?;
            out.extend(rows);
        }
        Ok(out)
    }

    pub async fn booking_events(&self, organisation: OrganisationId, booking: BookingId) -> Result<Vec<BookingEvent>> {
        Ok(with_pool!(self, |p| sqlx::query_as(
            "SELECT e.at, u.name AS actor_name, e.event, e.from_status, e.to_status, e.detail FROM booking_events e
             LEFT JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
             WHERE e.organisation_id = $1 AND e.booking_id = $2 ORDER BY e.at, e.id"
        )
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .fetch_all(p)
        .await)?)
    }

    /// The claims held on these resources that overlap `[from, to)`, by resource. The search looks
    /// back only as far as the longest claim, so its cost follows the window, not the history.
    ///
    /// Each resource's claims come back as one row, their instants joined into one text
    /// (`start,end;start,end…`, in no order): a month of a busy centre is thousands of claims, and
    /// a row costs far more to hand from the database to the application than a few bytes of text
    /// do (on SQLite each row is a hand-over between the connection's thread and the request's;
    /// decision 0038). `string_agg` is the same aggregate on both databases.
    pub async fn claims_between(
        &self,
        organisation: OrganisationId,
        resources: &[String],
        from: Timestamp,
        to: Timestamp,
    ) -> Result<HashMap<String, Vec<Interval>>> {
        if resources.is_empty() {
            return Ok(HashMap::new());
        }
        // One round trip for all the resources; each is still an index range scan. Only numbered
        // placeholders are formatted into the text; the values are bound.
        let list: Vec<String> = (0..resources.len()).map(|i| format!("${}", i + 5)).collect();
        let sql = format!(
            "SELECT resource, string_agg(CAST(starts_at AS TEXT) || ',' || CAST(ends_at AS TEXT), ';') AS spans
             FROM booking_claims
             WHERE organisation_id = $1 AND starts_at < $2 AND starts_at > $3 AND ends_at > $4
               AND resource IN ({})
             GROUP BY resource",
            list.join(", ")
        );
        let rows: Vec<(String, String)> = with_pool!(self, |p| {
            let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()))
                .bind(organisation.to_string())
                .bind(ms(to))
                .bind(ms(from) - LONGEST_CLAIM_MS)
                .bind(ms(from));
            for resource in resources {
                query = query.bind(resource);
            }
            query.fetch_all(p).await
        })?;
        Ok(rows
            .into_iter()
            .map(|(resource, spans)| (resource, spans_of(&spans)))
            .collect())
    }

    /// The windows held in a pair by people other than `party`, overlapping `[from, to)`.
    pub async fn pair_windows_between(
        &self,
        organisation: OrganisationId,
        pair: &str,
        party: &str,
        from: Timestamp,
        to: Timestamp,
    ) -> Result<Vec<(String, Interval)>> {
        let rows: Vec<(String, i64, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT site, starts_at, ends_at FROM pair_claims
             WHERE organisation_id = $1 AND pair_id = $2 AND party_id <> $3 AND starts_at < $4 AND starts_at > $5 AND ends_at > $6"
        )
        .bind(organisation.to_string())
        .bind(pair)
        .bind(party)
        .bind(ms(to))
        .bind(ms(from) - LONGEST_CLAIM_MS)
        .bind(ms(from))
        .fetch_all(p)
        .await
        })?;
        Ok(rows
            .into_iter()
            .filter_map(|(site, s, e)| Some((site, Interval::new(ts(s), ts(e))?)))
            .collect())
    }

    // ---- calendar feeds -----------------------------------------------------------------------------

    /// Creates a feed for a staff member or a party; only the token's hash is kept.
    pub async fn create_feed(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: Option<UserId>,
        party: Option<&str>,
        token_hash: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO calendar_feeds (organisation_id, id, token_hash, user_id, party_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(token_hash)
        .bind(user.map(|u| u.to_string()))
        .bind(party)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("calendar_feed.create", "calendar_feed", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn revoke_feed(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $1 WHERE organisation_id = $2 AND id = $3 AND revoked_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("calendar_feed.revoke", "calendar_feed", id))
            .await?;
        tx.commit().await
    }

    /// The live feed with this token hash: (organisation, feed id, user, party).
    pub async fn feed_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<(OrganisationId, String, Option<String>, Option<String>)> {
        let row: (String, String, Option<String>, Option<String>) = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT organisation_id, id, user_id, party_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL"
        )
        .bind(token_hash)
        .fetch_one(p)
        .await
        })?;
        let org = OrganisationId::parse(&row.0).map_err(|_| StoreError::NotFound)?;
        Ok((org, row.1, row.2, row.3))
    }

    /// Feeds made for a case's parties or for a user: (id, user, party, created, revoked).
    pub async fn feeds(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<(String, Option<String>, Option<String>, i64, Option<i64>)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, party_id, created_at, revoked_at FROM calendar_feeds WHERE organisation_id = $1 ORDER BY created_at DESC"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await
        })?)
    }
}

impl Store {
    /// A case's own stagger (direction, arrival lead, departure delay), where it has one.
    pub async fn case_stagger(
        &self,
        organisation: OrganisationId,
        case: CaseId,
    ) -> Result<Option<(StaggerDirection, i64, i64)>> {
        let row: Option<(String, i64, i64)> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT direction, arrival_lead_minutes, departure_delay_minutes FROM case_stagger WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_optional(p)
        .await
        })?;
        Ok(row.and_then(|(d, a, l)| Some((StaggerDirection::parse(&d)?, a, l))))
    }

    /// Sets (or with `None` removes) a case's own stagger.
    pub async fn set_case_stagger(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        stagger: Option<(StaggerDirection, i64, i64)>,
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "DELETE FROM case_stagger WHERE organisation_id = $1 AND case_id = $2"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .execute(c)
        .await)?;
        if let Some((direction, lead, delay)) = stagger {
            exec_tx!(tx, |c| {
                sqlx::query(
                "INSERT INTO case_stagger (organisation_id, case_id, direction, arrival_lead_minutes, departure_delay_minutes) VALUES ($1, $2, $3, $4, $5)"
            )
            .bind(organisation.to_string())
            .bind(case.to_string())
            .bind(direction.as_str())
            .bind(lead)
            .bind(delay)
            .execute(c)
            .await
            })?;
        }
        tx.audit(scope, AuditEvent::ok("schedule.case_stagger", "case", case))
            .await?;
        tx.commit().await
    }
}

/// A stored instant (milliseconds) as a timestamp, for callers that read plan rows.
pub fn ts_of(ms: i64) -> Timestamp {
    ts(ms)
}

impl Store {
    /// The case an adult belongs to.
    /// The adults of the open cases at a centre (not closed, declined or signposted), by case
    /// reference then name: the people a never-meet rule may name. One indexed read.
    pub async fn centre_adults(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<CentreAdult>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT p.id AS party_id, p.name, p.role, c.id AS case_id, c.reference FROM case_parties p \
             JOIN cases c ON c.organisation_id = p.organisation_id AND c.id = p.case_id \
             WHERE p.organisation_id = $1 AND c.centre_id = $2 AND c.status NOT IN ('closed', 'declined', 'signposted') \
             ORDER BY c.reference, p.name"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await
        })?)
    }

    pub async fn party_case(
        &self,
        organisation: OrganisationId,
        party: familytime_domain::ids::PartyId,
    ) -> Result<CaseId> {
        let id: String = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT case_id FROM case_parties WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(party.to_string())
        .fetch_one(p)
        .await)?;
        CaseId::parse(&id).map_err(|_| StoreError::NotFound)
    }
}

/// `start,end;start,end…` (milliseconds) as intervals; a piece that does not read is left out, as
/// a row that did not read always was.
fn spans_of(text: &str) -> Vec<Interval> {
    text.split(';')
        .filter_map(|piece| {
            let (start, end) = piece.split_once(',')?;
            Interval::new(ts(start.parse().ok()?), ts(end.parse().ok()?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::locks_for;
    use familytime_domain::Timestamp;
    use familytime_domain::schedule::Interval;

    fn span(from: &str, to: &str) -> Interval {
        let at = |s: &str| s.parse::<Timestamp>().expect("a timestamp");
        Interval::new(at(from), at(to)).expect("a span")
    }

    /// The locks of one session (`one`) or of a series, each claim a thing's parts and span.
    fn locks(one: bool, claims: &[(&[&str], &Interval)]) -> Vec<(i64, bool)> {
        locks_for(one, claims.iter().map(|(parts, span)| (parts.to_vec(), *span)))
    }

    /// Whether two bookings' locks make one wait for the other: a key both take, not both shared.
    fn wait(a: &[(i64, bool)], b: &[(i64, bool)]) -> bool {
        a.iter()
            .any(|(key, shared)| b.iter().any(|(k, s)| k == key && !(*s && *shared)))
    }

    #[test]
    fn overlapping_claims_share_a_lock_even_across_midnight_and_others_do_not() {
        let room: &[&str] = &["org", "claim", "room:1"];
        let late = span("2026-03-01T23:30:00Z", "2026-03-02T00:30:00Z");
        let early = span("2026-03-02T00:10:00Z", "2026-03-02T01:00:00Z");
        let afternoon = span("2026-03-02T14:00:00Z", "2026-03-02T15:00:00Z");
        let one = |parts, span| locks(true, &[(parts, span)]);
        assert!(wait(&one(room, &late), &one(room, &early)));
        // The same room later that day, another room, another organisation: no waiting.
        assert!(!wait(&one(room, &early), &one(room, &afternoon)));
        assert!(!wait(&one(room, &early), &one(&["org", "claim", "room:2"], &early)));
        assert!(!wait(&one(room, &early), &one(&["other", "claim", "room:1"], &early)));
        let week_later = span("2026-03-09T00:10:00Z", "2026-03-09T01:00:00Z");
        assert!(!wait(&one(room, &early), &one(room, &week_later)));
        // A series holds off every session of its days, and another series of them.
        let series = locks(false, &[(room, &afternoon), (room, &week_later)]);
        assert!(wait(&series, &one(room, &early)));
        assert!(wait(&series, &locks(false, &[(room, &early)])));
        let other_day = span("2026-03-05T10:00:00Z", "2026-03-05T11:00:00Z");
        assert!(!wait(&series, &one(room, &other_day)));
    }

    #[test]
    fn a_booking_takes_its_shared_day_locks_before_its_hours_each_in_key_order() {
        let room: &[&str] = &["org", "claim", "room:1"];
        let staff: &[&str] = &["org", "claim", "staff:1"];
        let long = span("2026-03-01T21:30:00Z", "2026-03-02T02:30:00Z");
        let taken = locks(true, &[(room, &long), (staff, &long)]);
        let days: Vec<i64> = taken.iter().filter(|(_, s)| *s).map(|(k, _)| *k).collect();
        let hours: Vec<i64> = taken.iter().filter(|(_, s)| !*s).map(|(k, _)| *k).collect();
        assert_eq!(
            (days.len(), hours.len()),
            (4, 12),
            "two things, two days and six hours each"
        );
        assert!(
            taken.iter().take(days.len()).all(|(_, shared)| *shared),
            "days come first"
        );
        assert!(days.is_sorted() && hours.is_sorted());
    }
}
