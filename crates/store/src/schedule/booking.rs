//! Booking one session or a series: the claims and never-meet windows a session holds, the locks
//! taken before writing them, the check for clashes, and the rows written, all or none.

use super::rows::{Booking, BookingStatus, LONGEST_CLAIM_MS};
use crate::{Arg, AuditEvent, AuditScope, Batch, Pool, Result, Store, StoreError, Tx, TxInner, exec_tx, ms, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::billing::Account;
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::schedule::{BookingKind, Interval};

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
    /// Off the premises between the drop-off and the pick-up (the resident parent who does not
    /// stay: decision 0047), inside `arrives..leaves`.
    pub away: Option<Interval>,
    /// Minutes staff talk with them on arriving and on leaving.
    pub talk_minutes: i64,
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
    /// The session's day in the centre's time zone: the day the booking rules decide for (a change
    /// of service applies from a day).
    pub local_day: jiff::civil::Date,
}

impl NewBooking {
    /// Whether the booking rules hold this session back: a contact session of a case (pre-visits
    /// and review meetings are not contact).
    pub fn ruled(&self) -> bool {
        self.case_id.is_some() && matches!(BookingKind::parse(&self.kind), Some(BookingKind::Contact(_)))
    }
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
    /// The case may not have these sessions: what is missing, in words (nothing was written).
    Rules(Vec<String>),
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
pub(super) fn claim_locks(organisation: OrganisationId, sessions: &[NewBooking]) -> Vec<(i64, bool)> {
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

/// The locks a claim on one resource over `span` takes (as one session's), for a write that adds a
/// claim to a booking already made (an interpreter, decision 0047).
pub(crate) fn resource_locks(organisation: OrganisationId, resource: &str, span: &Interval) -> Vec<(i64, bool)> {
    let org = organisation.to_string();
    locks_for(true, std::iter::once((vec![org.as_str(), "claim", resource], span)))
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
pub(crate) async fn lock_claims(tx: &mut Tx, locks: &[(i64, bool)]) -> Result<()> {
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

pub(crate) fn is_exclusion_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(db) if db.code().as_deref() == Some("23P01"))
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
            // As a new booking is written; a move sets both from the booking it replaces.
            calendar_uid: new.id.to_string(),
            sequence: 0,
        }
    }
}

impl Store {
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
            && !session.ruled()
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
        let refused = Self::rules_refuse(&mut tx, organisation, sessions).await?;
        if !refused.is_empty() {
            return Err(BookingError::Rules(refused));
        }
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

    /// What the booking rules refuse about these sessions, in words (empty: none), read inside the
    /// booking's transaction with each case's row locked first (decision 0043), so nothing that
    /// changes what a case may book can slip in between the check and the write.
    pub(super) async fn rules_refuse(
        tx: &mut Tx,
        organisation: OrganisationId,
        sessions: &[NewBooking],
    ) -> Result<Vec<String>> {
        let mut cases: Vec<CaseId> = sessions
            .iter()
            .filter(|s| s.ruled())
            .filter_map(|s| s.case_id)
            .collect();
        cases.sort_unstable_by_key(|c| c.to_string());
        cases.dedup();
        let mut refused: Vec<String> = Vec::new();
        for case in cases {
            let rules = Self::case_rules_in(tx, organisation, case).await?;
            for session in sessions.iter().filter(|s| s.ruled() && s.case_id == Some(case)) {
                let Some(kind) = BookingKind::parse(&session.kind) else {
                    continue;
                };
                if let Err(missing) = familytime_domain::booking_rules::check(&rules, kind, session.local_day) {
                    for message in familytime_domain::booking_rules::messages(&missing) {
                        if !refused.contains(&message) {
                            refused.push(message);
                        }
                    }
                }
            }
        }
        Ok(refused)
    }

    /// What already holds the session's claims, in words. Shared halls are locked first; then one
    /// statement counts, for each claim and each never-meet window, what already overlaps it.
    pub(super) async fn clashes_for(
        tx: &mut Tx,
        organisation: OrganisationId,
        session: &NewBooking,
    ) -> Result<Vec<String>> {
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
    pub(super) fn booking_rows(w: &mut Batch, scope: &AuditScope, organisation: OrganisationId, s: &NewBooking) {
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
            "booking_parties (organisation_id, booking_id, party_id, attendance, arrives_at, leaves_at, entrance_id, waits_in,
                departs_at, returns_at, talk_minutes)",
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
                        Arg::MaybeInt(p.away.map(|a| ms(a.start))),
                        Arg::MaybeInt(p.away.map(|a| ms(a.end))),
                        Arg::Int(p.talk_minutes),
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
