//! What planning a case's sessions reads, in one statement: the centre's calendar and settings,
//! the never-meet pairs of the case's adults, the rooms and staff (all, or only those a booking
//! names), and the prices and the case's funding.
//!
//! Each kind of row is one part of a `UNION ALL` in the same columns: a tag `k` (which also sorts
//! the parts), a number `n`, texts `t1`–`t9` and numbers `i1`–`i11`, each part saying what its
//! columns hold. The smaller reads (a centre's calendar, the staff, the prices) run the same parts
//! on their own, so each is written once (decision 0019).

use crate::billing::{funding_of, price_of};
use crate::paging::placeholders;
use crate::schedule::{
    NeverMeetPair, PlanningRules, StaffProfile, parse_date, parse_hhmm, settings_from, weekday_from,
};
use crate::tenancy::{Room, RoomRow};
use crate::{Result, Store, StoreError, with_pool};
use familytime_domain::billing::{Funding, PriceList};
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, RoomId, UserId};
use familytime_domain::schedule::{Calendar, Closure, OpeningRule, Settings, StaggerDirection, WeekRepeat};
use jiff::tz::TimeZone;
use std::collections::HashMap;

/// A case's funding (with its version) and the centre's prices.
pub type Charging = (PriceList, Option<(Funding, i64)>);

/// Which rooms and staff a planning read includes: all of the centre's (to search for free times),
/// or only those a booking names, so booking costs the same however large the centre is.
#[derive(Clone, Copy)]
pub enum Roster<'a> {
    /// Every room of the case's centre, and every member of staff who may work there (those who
    /// work at it, and those not tied to any centre).
    Everyone,
    Only {
        room: Option<RoomId>,
        staff: &'a [UserId],
    },
}

/// Everything planning a case's sessions at its centre goes by (`Store::planning`).
pub struct Planning {
    pub rules: PlanningRules,
    /// The pairs any adult of the case belongs to.
    pub pairs: Vec<NeverMeetPair>,
    /// The rooms, each with its venue approval's kind where it has one.
    pub rooms: Vec<(Room, Option<String>)>,
    pub staff: Vec<StaffProfile>,
    pub charging: Charging,
}

/// One row of any part.
#[derive(sqlx::FromRow)]
struct Tagged {
    k: String,
    n: i64,
    t1: Option<String>,
    t2: Option<String>,
    t3: Option<String>,
    t4: Option<String>,
    t5: Option<String>,
    t6: Option<String>,
    t7: Option<String>,
    t8: Option<String>,
    t9: Option<String>,
    i1: Option<i64>,
    i2: Option<i64>,
    i3: Option<i64>,
    i4: Option<i64>,
    i5: Option<i64>,
    i6: Option<i64>,
    i7: Option<i64>,
    i8: Option<i64>,
    i9: Option<i64>,
    i10: Option<i64>,
    i11: Option<i64>,
}

const TEXTS: usize = 9;
const NUMBERS: usize = 11;

// The parts' tags, in the order their rows come.
const CENTRE: &str = "a_centre";
const OPENING: &str = "b_opening";
const CLOSURE: &str = "c_closure";
const PERSON: &str = "d_person";
const HOURS: &str = "e_hours";
const LEAVE: &str = "f_leave";
const WORKS_AT: &str = "g_works_at";
const ROOM: &str = "h_room";
const PAIR: &str = "i_pair";
const FUNDING: &str = "j_funding";
const PRICE: &str = "k_price";

/// One part: `SELECT` of its tag, `n`, its texts and numbers (padded with typed NULLs, so the
/// union's columns have one type on PostgreSQL) and the rest of the query (`FROM …`).
fn part(tag: &str, n: &str, texts: &[&str], numbers: &[&str], rest: &str) -> String {
    let texts = (0..TEXTS).map(|i| {
        texts
            .get(i)
            .map_or("CAST(NULL AS TEXT)".to_owned(), |t| (*t).to_owned())
    });
    let numbers = (0..NUMBERS).map(|i| numbers.get(i).map_or("NULL".to_owned(), |x| (*x).to_owned()));
    let columns: Vec<String> = texts
        .enumerate()
        .map(|(i, t)| format!("{t} AS t{}", i + 1))
        .chain(
            numbers
                .enumerate()
                .map(|(i, x)| format!("CAST({x} AS BIGINT) AS i{}", i + 1)),
        )
        .collect();
    format!(
        "SELECT '{tag}' AS k, CAST({n} AS BIGINT) AS n, {} {rest}",
        columns.join(", ")
    )
}

/// The parts joined, in tag order; within a part by `n`, `t1`, `t2` (each part puts its order there).
fn union(parts: &[String]) -> String {
    format!("{} ORDER BY k, n, t1, t2", parts.join(" UNION ALL "))
}

/// The centre (time zone, name, settings and the case's own stagger), its opening rules and its
/// closures. Binds $1 organisation, $2 centre, $3 case ('' for none).
fn rules_parts() -> [String; 3] {
    [
        part(
            CENTRE,
            "0",
            &["c.time_zone", "c.name", "s.direction", "x.direction"],
            &[
                "s.arrival_lead_minutes",
                "s.handover_minutes",
                "s.departure_delay_minutes",
                "s.room_buffer_minutes",
                "s.supervisors_required",
                "s.families_per_worker",
                "s.community_staff_required",
                "s.travel_minutes",
                "s.longest_session_minutes",
                "x.arrival_lead_minutes",
                "x.departure_delay_minutes",
            ],
            "FROM centres c
             LEFT JOIN schedule_settings s ON s.organisation_id = c.organisation_id AND s.centre_id = c.id
             LEFT JOIN case_stagger x ON x.organisation_id = c.organisation_id AND x.case_id = $3
             WHERE c.organisation_id = $1 AND c.id = $2",
        ),
        part(
            OPENING,
            "weekday",
            &["opens", "closes", "alternate_from"],
            &[],
            "FROM opening_hours WHERE organisation_id = $1 AND centre_id = $2",
        ),
        part(
            CLOSURE,
            "0",
            &["first_day", "last_day", "reason"],
            &[],
            "FROM closures WHERE organisation_id = $1 AND centre_id = $2",
        ),
    ]
}

/// The staff who may work at the centre bound at $2: those who work there, and those tied to no
/// centre (`StaffProfile::works_at`). The search reads only them, not every member of staff of the
/// organisation: a charity with many centres has many times more (issue 27).
const STAFF_OF_THE_CENTRE: &str = "SELECT u.id FROM users u WHERE u.organisation_id = $1
     AND (EXISTS (SELECT 1 FROM user_centres w WHERE w.organisation_id = u.organisation_id AND w.user_id = u.id AND w.centre_id = $2)
          OR NOT EXISTS (SELECT 1 FROM user_centres w WHERE w.organisation_id = u.organisation_id AND w.user_id = u.id))";

/// The staff able to work sessions (all, or those whose ids are `among`: a list of placeholders or a subquery),
/// their weekly hours, leave and the centres they work at. Binds $1 organisation.
fn staff_parts(among: Option<&str>) -> [String; 4] {
    let only = |column: &str| among.map_or(String::new(), |list| format!(" AND {column} IN ({list})"));
    let person = part(
        PERSON,
        "0",
        &["u.name", "u.id", "u.role", "s.qualifications", "s.dbs_checked_on"],
        &["CASE WHEN s.qualified_supervised THEN 1 ELSE 0 END", "s.version"],
        &format!(
            "FROM users u LEFT JOIN staff_profiles s ON s.organisation_id = u.organisation_id AND s.user_id = u.id
             WHERE u.organisation_id = $1 AND u.disabled_at IS NULL
               AND u.role IN ('organisation_admin', 'coordinator', 'supervisor', 'volunteer', 'safeguarding_lead'){}",
            only("u.id")
        ),
    );
    // A person's weekly hours, leave and centres: each keyed by the person's id in t2.
    let theirs = [
        (HOURS, "weekday", ["starts", "user_id", "ends"], "staff_availability"),
        (LEAVE, "0", ["first_day", "user_id", "last_day"], "staff_leave"),
        (
            WORKS_AT,
            "0",
            ["centre_id", "user_id", "CAST(NULL AS TEXT)"],
            "user_centres",
        ),
    ]
    .map(|(tag, n, texts, table)| {
        let rest = format!("FROM {table} WHERE organisation_id = $1{}", only("user_id"));
        part(tag, n, &texts, &[], &rest)
    });
    let [hours, leave, works_at] = theirs;
    [person, hours, leave, works_at]
}

/// The centre's rooms (or only the one whose id is bound at `only`) with their venue approvals.
/// Binds $1 organisation, $2 centre.
fn room_part(only: Option<&str>) -> String {
    part(
        ROOM,
        "0",
        &[
            "r.name",
            "r.id",
            "r.centre_id",
            "r.kind",
            "v.venue_kind",
            "r.organisation_id",
        ],
        &[
            "r.capacity_families",
            "CASE WHEN r.active THEN 1 ELSE 0 END",
            "r.version",
        ],
        &format!(
            "FROM rooms r
             LEFT JOIN venue_approvals v ON v.organisation_id = r.organisation_id AND v.room_id = r.id
             WHERE r.organisation_id = $1 AND r.centre_id = $2{}",
            only.map_or(String::new(), |id| format!(" AND r.id = {id}"))
        ),
    )
}

/// The never-meet pairs either of whose people is in `parties` (a list of placeholders or a
/// subquery), with both people's names and cases. Binds $1 organisation.
fn pair_part(parties: &str) -> String {
    part(
        PAIR,
        "0",
        &[
            "n.id",
            "n.party_a",
            "a.name",
            "a.case_id",
            "n.party_b",
            "b.name",
            "b.case_id",
            "n.separation",
            "n.reason",
        ],
        &[],
        &format!(
            "FROM never_meet n
             JOIN case_parties a ON a.organisation_id = n.organisation_id AND a.id = n.party_a
             JOIN case_parties b ON b.organisation_id = n.organisation_id AND b.id = n.party_b
             WHERE n.organisation_id = $1 AND (n.party_a IN ({parties}) OR n.party_b IN ({parties}))"
        ),
    )
}

/// The case's funding and the centre's prices. Binds $1 organisation, $2 centre, $3 case.
fn charging_parts() -> [String; 2] {
    [
        part(
            FUNDING,
            "0",
            &["payer", "funder_name"],
            &["funded_sessions", "funded_minutes", "visiting_share", "version"],
            "FROM case_funding WHERE organisation_id = $1 AND case_id = $3",
        ),
        part(
            PRICE,
            "0",
            &["item", "applies_from", "id"],
            &["amount_pence", "created_at"],
            "FROM prices WHERE organisation_id = $1 AND centre_id = $2",
        ),
    ]
}

/// Rows read back into what they stand for; a part's rows that do not read are left out, as the
/// single reads always did, except a missing centre (`NotFound`) and unreadable money rows.
#[derive(Default)]
struct Read {
    centre: Option<(Settings, TimeZone, String)>,
    openings: Vec<OpeningRule>,
    closures: Vec<Closure>,
    staff: Vec<StaffProfile>,
    rooms: Vec<(Room, Option<String>)>,
    pairs: Vec<NeverMeetPair>,
    funding: Option<(Funding, i64)>,
    prices: Vec<familytime_domain::billing::Price>,
}

impl Read {
    fn from_rows(rows: Vec<Tagged>) -> Result<Read> {
        let mut read = Read::default();
        let mut staff_index: HashMap<String, usize> = HashMap::new();
        for r in rows {
            match r.k.as_str() {
                CENTRE => read.centre = Some(centre_of(&r)),
                OPENING => read.openings.extend(opening_of(&r)),
                CLOSURE => read.closures.extend(closure_of(&r)),
                PERSON => {
                    if let Some(person) = person_of(&r) {
                        staff_index.insert(person.user_id.to_string(), read.staff.len());
                        read.staff.push(person);
                    }
                }
                HOURS | LEAVE | WORKS_AT => {
                    let person =
                        r.t2.as_ref()
                            .and_then(|user| staff_index.get(user))
                            .and_then(|i| read.staff.get_mut(*i));
                    if let Some(person) = person {
                        add_to_person(person, &r);
                    }
                }
                ROOM => read.rooms.extend(room_of(r)?),
                PAIR => read.pairs.extend(pair_of(r)),
                FUNDING => read.funding = funding_row(r)?,
                PRICE => read.prices.extend(price_row(r)?),
                _ => {}
            }
        }
        Ok(read)
    }

    fn rules(&mut self) -> Result<PlanningRules> {
        let (settings, zone, centre_name) = self.centre.take().ok_or(StoreError::NotFound)?;
        Ok(PlanningRules {
            settings,
            calendar: Calendar {
                zone,
                rules: std::mem::take(&mut self.openings),
                closures: std::mem::take(&mut self.closures),
            },
            centre_name,
        })
    }

    fn charging(&mut self) -> Charging {
        (PriceList::new(std::mem::take(&mut self.prices)), self.funding.take())
    }
}

/// The centre's settings (the defaults where it has none saved) with the case's stagger applied,
/// its zone and its name.
fn centre_of(r: &Tagged) -> (Settings, TimeZone, String) {
    let zone =
        r.t1.as_deref()
            .and_then(|z| TimeZone::get(z).ok())
            .unwrap_or(TimeZone::UTC);
    let mut settings = match (r.t3.clone(), r.i1, r.i2, r.i3, r.i4, r.i5, r.i6, r.i7, r.i8, r.i9) {
        (Some(d), Some(a), Some(h), Some(dd), Some(rb), Some(s), Some(f), Some(cs), Some(t), Some(l)) => {
            settings_from(&(d, a, h, dd, rb, s, f, cs, t, l, 0))
        }
        _ => Settings::default(),
    };
    if let (Some(direction), Some(lead), Some(delay)) =
        (r.t4.as_deref().and_then(StaggerDirection::parse), r.i10, r.i11)
    {
        settings.direction = direction;
        settings.arrival_lead_minutes = lead;
        settings.departure_delay_minutes = delay;
    }
    (settings, zone, r.t2.clone().unwrap_or_default())
}

fn opening_of(r: &Tagged) -> Option<OpeningRule> {
    Some(OpeningRule {
        weekday: weekday_from(r.n)?,
        opens: parse_hhmm(r.t1.as_deref()?)?,
        closes: parse_hhmm(r.t2.as_deref()?)?,
        repeat: match r.t3.as_deref().and_then(parse_date) {
            Some(from) => WeekRepeat::Alternate { from },
            None => WeekRepeat::Every,
        },
    })
}

fn closure_of(r: &Tagged) -> Option<Closure> {
    Some(Closure {
        first_day: parse_date(r.t1.as_deref()?)?,
        last_day: parse_date(r.t2.as_deref()?)?,
        reason: r.t3.clone()?,
    })
}

fn person_of(r: &Tagged) -> Option<StaffProfile> {
    Some(StaffProfile {
        user_id: UserId::parse(r.t2.as_deref()?).ok()?,
        name: r.t1.clone().unwrap_or_default(),
        role: r.t3.clone().unwrap_or_default(),
        qualified_supervised: r.i1 == Some(1),
        qualifications: r.t4.clone().unwrap_or_default(),
        dbs_checked_on: r.t5.as_deref().and_then(parse_date),
        availability: Vec::new(),
        leave: Vec::new(),
        centres: Vec::new(),
        version: r.i2.unwrap_or(0),
    })
}

/// A person's weekly hours, leave or a centre they work at.
fn add_to_person(person: &mut StaffProfile, r: &Tagged) {
    match r.k.as_str() {
        HOURS => person.availability.extend((|| {
            Some((
                i8::try_from(r.n).ok()?,
                parse_hhmm(r.t1.as_deref()?)?,
                parse_hhmm(r.t3.as_deref()?)?,
            ))
        })()),
        LEAVE => person.leave.extend((|| {
            Some((parse_date(r.t1.as_deref()?)?, parse_date(r.t3.as_deref()?)?))
        })()),
        _ => person
            .centres
            .extend(r.t1.as_deref().and_then(|c| CentreId::parse(c).ok())),
    }
}

fn room_of(r: Tagged) -> Result<Option<(Room, Option<String>)>> {
    let (Some(name), Some(id), Some(centre_id), Some(kind), Some(org), Some(capacity), Some(active), Some(version)) =
        (r.t1, r.t2, r.t3, r.t4, r.t6, r.i1, r.i2, r.i3)
    else {
        return Ok(None);
    };
    let row = RoomRow::from_parts(id, org, centre_id, name, kind, capacity, active == 1, version)?;
    Ok(Some((row.try_into()?, r.t5)))
}

fn pair_of(r: Tagged) -> Option<NeverMeetPair> {
    Some(NeverMeetPair {
        id: r.t1?,
        party_a: r.t2?,
        name_a: r.t3?,
        case_a: r.t4?,
        party_b: r.t5?,
        name_b: r.t6?,
        case_b: r.t7?,
        separation: r.t8?,
        reason: r.t9?,
    })
}

fn funding_row(r: Tagged) -> Result<Option<(Funding, i64)>> {
    match (r.t1, r.t2, r.i3, r.i4) {
        (Some(payer), Some(funder), Some(share), Some(version)) => {
            Ok(Some(funding_of((payer, funder, r.i1, r.i2, share, version))?))
        }
        _ => Ok(None),
    }
}

fn price_row(r: Tagged) -> Result<Option<familytime_domain::billing::Price>> {
    match (r.t3, r.t1, r.i1, r.t2, r.i2) {
        (Some(id), Some(item), Some(amount), Some(from), Some(created)) => {
            Ok(Some(price_of(id, item, amount, from, created)?))
        }
        _ => Ok(None),
    }
}

impl Store {
    /// Everything planning a case's sessions at its centre goes by, read in one statement (four
    /// reads of their own before; booking is most of the server's work and each read a round
    /// trip). The pairs are those of `parties` as stored; see `Store::case_pairs` for making sure
    /// a case's own pairs exist.
    pub async fn planning(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
        case: CaseId,
        roster: Roster<'_>,
    ) -> Result<Planning> {
        // $1 organisation, $2 centre, $3 case, then the room and staff a booking names.
        let mut binds = vec![organisation.to_string(), centre.to_string(), case.to_string()];
        let mut parts = rules_parts().to_vec();
        match roster {
            Roster::Everyone => {
                parts.extend(staff_parts(Some(STAFF_OF_THE_CENTRE)));
                parts.push(room_part(None));
            }
            Roster::Only { room, staff } => {
                // `IN (NULL)` matches nobody: a booking naming no staff reads none.
                let among = match staff.len() {
                    0 => "NULL".to_owned(),
                    n => placeholders(binds.len() + 1, n),
                };
                binds.extend(staff.iter().map(ToString::to_string));
                parts.extend(staff_parts(Some(&among)));
                if let Some(id) = room {
                    binds.push(id.to_string());
                    parts.push(room_part(Some(&format!("${}", binds.len()))));
                }
            }
        }
        let case_parties = "SELECT id FROM case_parties WHERE organisation_id = $1 AND case_id = $3";
        parts.push(pair_part(case_parties));
        parts.extend(charging_parts());
        let mut read = self.read_parts(&parts, &binds).await?;
        Ok(Planning {
            rules: read.rules()?,
            pairs: std::mem::take(&mut read.pairs),
            rooms: std::mem::take(&mut read.rooms),
            staff: std::mem::take(&mut read.staff),
            charging: read.charging(),
        })
    }

    async fn read_parts(&self, parts: &[String], binds: &[String]) -> Result<Read> {
        let sql = union(parts);
        let rows: Vec<Tagged> = with_pool!(self, |p| {
            // Only placeholders and fixed text are formatted into the statement; values are bound.
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str()));
            for value in binds {
                q = q.bind(value);
            }
            q.fetch_all(p).await
        })?;
        Read::from_rows(rows)
    }

    /// The centre's settings (with the case's stagger where `case` is given), calendar and name.
    pub(crate) async fn centre_rules(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
        case: Option<CaseId>,
    ) -> Result<PlanningRules> {
        let binds = [
            organisation.to_string(),
            centre.to_string(),
            case.map(|c| c.to_string()).unwrap_or_default(),
        ];
        self.read_parts(&rules_parts(), &binds).await?.rules()
    }

    /// The staff's profiles: everyone able to work sessions, or only `people` (unknown or disabled
    /// ones left out).
    pub(crate) async fn load_staff_profiles(
        &self,
        organisation: OrganisationId,
        people: Option<&[UserId]>,
    ) -> Result<Vec<StaffProfile>> {
        let mut binds = vec![organisation.to_string()];
        let among = people.map(|ids| {
            binds.extend(ids.iter().map(ToString::to_string));
            placeholders(2, ids.len())
        });
        Ok(self.read_parts(&staff_parts(among.as_deref()), &binds).await?.staff)
    }

    /// The centre's rooms, each with its venue approval's kind where it has one.
    pub async fn rooms_with_approval(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
    ) -> Result<Vec<(Room, Option<String>)>> {
        let binds = [organisation.to_string(), centre.to_string()];
        Ok(self.read_parts(&[room_part(None)], &binds).await?.rooms)
    }

    /// The never-meet pairs any of `parties` belongs to.
    pub async fn never_meet_pairs(
        &self,
        organisation: OrganisationId,
        parties: &[String],
    ) -> Result<Vec<NeverMeetPair>> {
        if parties.is_empty() {
            return Ok(Vec::new());
        }
        let mut binds = vec![organisation.to_string()];
        binds.extend(parties.iter().cloned());
        let part = pair_part(&placeholders(2, parties.len()));
        Ok(self.read_parts(&[part], &binds).await?.pairs)
    }

    /// What a booking of the case is charged by: the centre's prices and the case's funding (with
    /// its version; `None` if never set).
    pub async fn charging_rules(
        &self,
        organisation: OrganisationId,
        centre: CentreId,
        case: CaseId,
    ) -> Result<Charging> {
        let binds = [organisation.to_string(), centre.to_string(), case.to_string()];
        Ok(self.read_parts(&charging_parts(), &binds).await?.charging())
    }
}
