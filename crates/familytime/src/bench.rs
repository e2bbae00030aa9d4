//! `familytime bench schedule --sessions N [--centres K]`: builds a scheduling dataset in a fresh
//! database (the demo organisation; K centres open every day, each with forty rooms and forty
//! supervisors who work only there; N past and future sessions shared between the centres, the month
//! ahead of each centre half booked), then measures the free-time search for one case over a day and
//! over a month, booking throughput through the HTTP API on distinct slots, and the server's memory.
//! Prints one `name=value` line per figure.

use super::demo;
use crate::database::{DatabaseArgs, open};
use anyhow::{Context, Result, anyhow, bail};
use familytime_app::clock::{Clock, SystemClock};
use familytime_app::context::{Caller, Credential};
use familytime_app::{AppState, Config};
use familytime_domain::ids::{BookingId, CaseId, CentreId, OrganisationId, UserId};
use familytime_domain::referrals::CaseStatus;
use familytime_domain::schedule::{Interval, OpeningRule, WeekRepeat, add_minutes};
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::schedule::{Claim, NewBooking};
use familytime_store::{AuditScope, Store};
use jiff::ToSpan;
use jiff::civil::{Time, Weekday};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

pub mod mail;
pub mod pages;

const ROOMS: usize = 40;
/// In the month ahead, rooms (and their supervisors) from this index on are booked at every slot;
/// the ones below are left for the measured searches and the booking load.
const BUSY_AHEAD_FROM: usize = 20;
/// Days ahead booked as they would be in a working centre.
const DAYS_AHEAD: i64 = 31;
/// How many booking requests the load keeps in flight at once.
const IN_FLIGHT: usize = 32;
/// Two-hour sessions at these local times, every day.
const SLOTS: [(i8, i8); 3] = [(9, 0), (11, 30), (14, 0)];

pub async fn schedule(db: &DatabaseArgs, sessions: usize, centres: usize, requests: usize, keep: bool) -> Result<()> {
    if sessions == 0 {
        bail!("--sessions must be at least 1");
    }
    if centres == 0 || centres > 50 {
        bail!("--centres must be from 1 to 50");
    }
    // With --keep the dataset stays in --data-dir (or the PostgreSQL database) for later runs.
    let dir = match (&db.data_dir, keep) {
        (Some(dir), true) => dir.clone(),
        (None, true) if db.database_url.is_none() => bail!("--keep needs --data-dir or --database-url"),
        _ => tempdir()?,
    };
    let store = match &db.database_url {
        Some(_) => open(db, "unused").await?,
        None => {
            let args = DatabaseArgs {
                data_dir: Some(dir.clone()),
                database_url: None,
                ..db.clone()
            };
            open(&args, "unused").await?
        }
    };
    let reuse = store.has_organisations().await?;
    if reuse && !keep {
        bail!("the benchmark needs an empty PostgreSQL database");
    }
    println!("backend={}", store.backend());
    println!("reused={reuse}");
    let accounts = if reuse {
        Vec::new()
    } else {
        println!("sessions={sessions}");
        build(&store, sessions, centres).await?.accounts
    };
    let coordinator_email = accounts
        .iter()
        .find(|a| a.role == "coordinator")
        .map_or(demo::FIRST_COORDINATOR, |a| a.email);
    let organisation = store
        .organisations()
        .await?
        .first()
        .map(|o| o.id)
        .ok_or_else(|| anyhow!("the demo made an organisation"))?;
    let email = familytime_domain::people::Email::parse(coordinator_email).map_err(|_| anyhow!("email"))?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| anyhow!("the coordinator"))?;
    // The measured case: an accepted family the coordinator works with (the one `build` put first).
    let (case, home) = store
        .cases(organisation, None, None)
        .await?
        .into_iter()
        .find(|c| {
            (c.status == CaseStatus::Accepted || c.status == CaseStatus::Active)
                && (user.centres.is_empty() || user.centres.contains(&c.centre_id))
        })
        .map(|c| (c.id, c.centre_id))
        .ok_or_else(|| anyhow!("the demo has an accepted case"))?;
    let state = AppState::new(store.clone(), Arc::new(SystemClock), Config::default())
        .map_err(|e| anyhow!("state: {}", e.message()))?;
    let caller = Caller {
        user: Some(user),
        credential: Credential::Anonymous,
        request_id: "bench".into(),
        client_addr: "127.0.0.1".into(),
        asked: Default::default(),
    };
    let from = jiff::Zoned::now().date().checked_add(1.days())?.to_string();
    for (name, days) in [("day_availability_ms", "1"), ("month_availability_ms", "30")] {
        let mut times = Vec::new();
        for _ in 0..15 {
            let t = Instant::now();
            let (found, _) = familytime_app::schedule::find_times(
                &state,
                &caller,
                &case.to_string(),
                "supervised",
                "120",
                &from,
                days,
                "",
                "",
                "",
                if days == "1" { 20 } else { 500 },
            )
            .await
            .map_err(|e| anyhow!("search: {}", e.message()))?;
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            if found.is_empty() {
                bail!("the search found no free time; the dataset is too full");
            }
        }
        println!("{name}={:.2}", median(&mut times));
    }
    let before_load = memory_mb("VmRSS:");
    let Some(coordinator) = accounts.iter().find(|a| a.role == "coordinator") else {
        // A kept dataset's passwords were never shown: the searches were what it was kept for.
        println!("rss_after_searches_mb={before_load:.1}");
        store.close().await;
        return Ok(());
    };
    // Bookings as a centre makes them, for the families it works with, then all for one family
    // (the measured case): one family's bookings wait for each other where their days' and hours'
    // locks meet (decision 0017), so that load is the harder one.
    let families: Vec<CaseId> = store
        .cases(organisation, None, None)
        .await?
        .into_iter()
        .filter(|c| {
            c.centre_id == home
                && !matches!(
                    c.status,
                    CaseStatus::Closed | CaseStatus::Declined | CaseStatus::Signposted
                )
        })
        .map(|c| c.id)
        .collect();
    let login = (coordinator.email, coordinator.password.as_str());
    let first_day = DAYS_AHEAD + 10;
    println!("families={}", families.len());
    let rate = http_load(&state, &families, requests, first_day, login).await?;
    println!("bookings_per_second={rate:.0}");
    let after = first_day + (requests / SLOTS_A_DAY) as i64 + 1;
    let rate = http_load(&state, &[case], requests, after, login).await?;
    println!("one_family_bookings_per_second={rate:.0}");
    // The server runs in this process, so its memory is the process's: after building the dataset
    // and searching, at the end of the load, and the peak over the whole run.
    println!("rss_before_load_mb={before_load:.1}");
    println!("rss_after_load_mb={:.1}", memory_mb("VmRSS:"));
    println!("peak_rss_mb={:.1}", memory_mb("VmHWM:"));
    store.close().await;
    if !keep {
        let _ = std::fs::remove_dir_all(&dir);
    }
    Ok(())
}

/// The bench's dataset, as built.
pub(crate) struct Built {
    pub accounts: Vec<demo::DemoAccount>,
    pub organisation: OrganisationId,
    pub centres: Vec<CentreId>,
}

/// The demo organisation, then `centres` centres open every day, each with forty rooms and forty
/// supervisors, sharing `sessions` past and future sessions; prints how long it took.
pub(crate) async fn build(store: &Store, sessions: usize, centres: usize) -> Result<Built> {
    let accounts = demo::seed(store).await?;
    let coordinator = accounts
        .iter()
        .find(|a| a.role == "coordinator")
        .ok_or_else(|| anyhow!("the demo has a coordinator"))?;
    let organisation = store
        .organisations()
        .await?
        .first()
        .map(|o| o.id)
        .ok_or_else(|| anyhow!("the demo made an organisation"))?;
    let now = SystemClock.now();
    let scope = AuditScope {
        at: now,
        request_id: "bench".into(),
        actor_user_id: None,
        organisation_id: Some(organisation),
    };
    let email = familytime_domain::people::Email::parse(coordinator.email).map_err(|_| anyhow!("email"))?;
    let user = store
        .user_by_email(&email)
        .await?
        .ok_or_else(|| anyhow!("the coordinator"))?;
    // The measured case: an accepted family the coordinator works with; its centre is the first.
    let home = store
        .cases(organisation, None, None)
        .await?
        .into_iter()
        .find(|c| {
            (c.status == CaseStatus::Accepted || c.status == CaseStatus::Active)
                && (user.centres.is_empty() || user.centres.contains(&c.centre_id))
        })
        .map(|c| c.centre_id)
        .ok_or_else(|| anyhow!("the demo has an accepted case"))?;
    let mut centre_ids: Vec<CentreId> = store.centres(organisation).await?.iter().map(|c| c.id).collect();
    centre_ids.sort_by_key(|c| *c != home);
    centre_ids.truncate(centres);
    while centre_ids.len() < centres {
        let details = CentreDetails::parse(
            &format!("Bench centre {}", centre_ids.len() + 1),
            "1 Bench Street",
            "Europe/London",
        )
        .map_err(|_| anyhow!("centre details"))?;
        centre_ids.push(store.create_centre(&scope, organisation, &details).await?.id);
    }
    println!("centres={centres}");
    let started = Instant::now();
    for (n, centre) in centre_ids.iter().enumerate() {
        open_every_day(store, &scope, organisation, *centre).await?;
        let (rooms, staff) = rooms_and_staff(store, &scope, organisation, *centre, n).await?;
        // The sessions are shared out; the first centre takes what does not divide.
        let share = sessions / centres + if n == 0 { sessions % centres } else { 0 };
        build_history(store, &scope, organisation, *centre, &rooms, &staff, share, now).await?;
    }
    println!("build_seconds={:.1}", started.elapsed().as_secs_f64());
    // As pgbench does after loading: a live database's statistics would be current (autovacuum
    // analyses a table within a minute of this much change), and the load should meet those.
    store.analyze().await?;
    Ok(Built {
        accounts,
        organisation,
        centres: centre_ids,
    })
}

fn tempdir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("familytime-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(|a, b| a.total_cmp(b));
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

/// Opening hours every day, so the figures do not depend on the weekday the bench runs.
async fn open_every_day(
    store: &Store,
    scope: &AuditScope,
    organisation: OrganisationId,
    centre: CentreId,
) -> Result<()> {
    for weekday in [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ] {
        let rule = OpeningRule {
            weekday,
            opens: Time::constant(9, 0, 0, 0),
            closes: Time::constant(17, 0, 0, 0),
            repeat: WeekRepeat::Every,
        };
        store.add_opening(scope, organisation, centre, &rule).await?;
    }
    Ok(())
}

/// Forty family rooms at the centre, each with its own qualified supervisor who works only there.
async fn rooms_and_staff(
    store: &Store,
    scope: &AuditScope,
    organisation: OrganisationId,
    centre: CentreId,
    centre_number: usize,
) -> Result<(Vec<String>, Vec<UserId>)> {
    let mut rooms = Vec::new();
    let mut staff = Vec::new();
    for n in 0..ROOMS {
        let details =
            RoomDetails::parse(&format!("Bench room {n}"), "family_room", "").map_err(|_| anyhow!("room details"))?;
        rooms.push(
            store
                .create_room(scope, organisation, centre, &details)
                .await?
                .id
                .to_string(),
        );
        let input = familytime_app::people::NewUserInput {
            email: format!("bench-supervisor-{centre_number}-{n}@demo.example"),
            name: format!("Bench Supervisor {n}"),
            role: "supervisor".into(),
            password: familytime_app::secrets::random_token(),
            centre_ids: vec![centre.to_string()],
        };
        let user = familytime_app::people::add_user(store, scope, organisation, &input)
            .await
            .map_err(|e| anyhow!("user: {}", e.message()))?;
        store
            .save_staff_profile(scope, organisation, user.id, true, "Bench", None, &[], 0)
            .await?;
        staff.push(user.id);
    }
    Ok((rooms, staff))
}

/// `count` sessions at the centre, written in batches through the same store code as the API (each
/// holding its room and its supervisor): first the month ahead, with rooms from `BUSY_AHEAD_FROM` on
/// taken at every slot, then history going back from yesterday, every room at every slot.
#[allow(clippy::too_many_arguments)]
async fn build_history(
    store: &Store,
    scope: &AuditScope,
    organisation: OrganisationId,
    centre: CentreId,
    rooms: &[String],
    staff: &[UserId],
    count: usize,
    now: familytime_domain::Timestamp,
) -> Result<()> {
    let zone = jiff::tz::TimeZone::get("Europe/London").context("zone")?;
    let today = now.to_zoned(zone.clone()).date();
    let mut planned = Vec::new();
    'ahead: for d in 1..=DAYS_AHEAD {
        let date = today.checked_add(d.days())?;
        for (slot, _) in SLOTS.iter().enumerate() {
            for r in BUSY_AHEAD_FROM..rooms.len() {
                if planned.len() >= count {
                    break 'ahead;
                }
                planned.push((date, slot, r, r));
            }
        }
    }
    let mut back = 1;
    while planned.len() < count {
        let date = today.checked_sub(back.days())?;
        back += 1;
        for (slot, _) in SLOTS.iter().enumerate() {
            for r in 0..rooms.len() {
                if planned.len() < count {
                    planned.push((date, slot, r, (r + slot) % staff.len()));
                }
            }
        }
    }
    for (n, chunk) in planned.chunks(1000).enumerate() {
        // Fresh planner statistics as the tables grow (after 1, 2, 4, 8… thousand), as autovacuum
        // would keep them on a live database: foreign-key checks planned for near-empty tables
        // read every booking, and the build would slow down as it goes.
        if n.is_power_of_two() {
            store.analyze().await?;
        }
        let mut batch = Vec::with_capacity(chunk.len());
        for (date, slot, r, s) in chunk {
            let (h, m) = SLOTS[*slot];
            let start = zone.to_ambiguous_timestamp(date.at(h, m, 0, 0)).compatible()?;
            let span = Interval::new(start, add_minutes(start, 120)).ok_or_else(|| anyhow!("span"))?;
            let padded = |before: i64, after: i64| {
                Interval::new(add_minutes(span.start, -before), add_minutes(span.end, after)).unwrap_or(span)
            };
            let (room, worker) = (&rooms[*r], staff[*s]);
            batch.push(NewBooking {
                id: BookingId::new_v7(now),
                centre_id: centre,
                case_id: None,
                kind: "review".into(),
                room_id: Some(room.clone()),
                hall_capacity: None,
                span,
                series_id: None,
                video_token: None,
                staff: vec![worker],
                parties: Vec::new(),
                children: Vec::new(),
                claims: vec![
                    Claim {
                        resource: format!("room:{room}"),
                        exclusive: true,
                        span: padded(0, 15),
                        label: "room".into(),
                    },
                    // Setting up and writing up; the slots are 150 minutes apart, so a supervisor
                    // can take consecutive sessions.
                    Claim {
                        resource: format!("staff:{worker}"),
                        exclusive: true,
                        span: padded(15, 15),
                        label: "staff".into(),
                    },
                ],
                pair_windows: Vec::new(),
                rescheduled_from: None,
                charges: Vec::new(),
                pre_visit: None,
                local_day: *date,
            });
        }
        store
            .book(scope, organisation, &batch)
            .await
            .map_err(|e| anyhow!("building the history: {e:?}"))?;
    }
    Ok(())
}

/// Books `requests` sessions for the case through the HTTP API, 32 in flight, each on its own slot
/// (a distinct room and supervisor, in the free weeks ahead), and prints bookings per second.
/// How many of the load's requests share a day (forty minutes apart from 09:00).
const SLOTS_A_DAY: usize = 12;

/// Books `requests` distinct slots through the HTTP API, from `first_day` days ahead, the families
/// taking turns; returns the bookings made a second. Each request is a review meeting for a family's
/// first adult, in the next free room with the next free supervisor (a one-adult session, as a
/// pre-visit is; but an adult has one pre-visit booked at a time, so the load cannot repeat those).
async fn http_load(
    state: &AppState,
    families: &[CaseId],
    requests: usize,
    first_day: i64,
    (email, password): (&str, &str),
) -> Result<f64> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server_state = state.clone();
    let server = tokio::spawn(async move {
        familytime_web::serve(listener, server_state, async {
            let _ = stopped.await;
        })
        .await
    });
    let client = reqwest::Client::builder().cookie_store(true).build()?;
    let login = client
        .post(format!("{base}/api/v1/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await?;
    if !login.status().is_success() {
        bail!("signing in for the load failed: {}", login.status());
    }
    let org = state
        .store
        .organisations()
        .await?
        .first()
        .map(|o| o.id)
        .ok_or_else(|| anyhow!("organisation"))?;
    let first = families.first().ok_or_else(|| anyhow!("no family to book for"))?;
    let centre = state.store.case(org, *first).await?.summary.centre_id;
    // The rooms and supervisors left free ahead (numbered below BUSY_AHEAD_FROM) at the centre.
    let free = |name: &str, prefix: &str| {
        name.strip_prefix(prefix)
            .and_then(|n| n.parse::<usize>().ok())
            .is_some_and(|n| n < BUSY_AHEAD_FROM)
    };
    let rooms: Vec<String> = state
        .store
        .rooms(org, centre)
        .await?
        .into_iter()
        .filter(|r| free(&r.name, "Bench room "))
        .map(|r| r.id.to_string())
        .collect();
    let staff: Vec<String> = state
        .store
        .staff_profiles(org)
        .await?
        .into_iter()
        .filter(|s| s.works_at(centre) && free(&s.name, "Bench Supervisor "))
        .map(|s| s.user_id.to_string())
        .collect();
    if rooms.is_empty() || staff.is_empty() {
        bail!("no free rooms or supervisors for the load");
    }
    // Each family's first adult: one person cannot be in two places at once, so the slots step
    // through the days, forty minutes apart.
    let mut adults = Vec::new();
    for case in families {
        let file = state.store.case(org, *case).await?;
        if let Some(party) = file.parties.first() {
            adults.push((format!("{base}/api/v1/cases/{case}/bookings"), party.id.to_string()));
        }
    }
    if adults.is_empty() {
        bail!("no family with an adult to book for");
    }
    let today = jiff::Zoned::now().date();
    let mut bodies = Vec::new();
    for n in 0..requests {
        let day = today.checked_add((first_day + (n / SLOTS_A_DAY) as i64).days())?;
        let minute = 9 * 60 + 40 * (n % SLOTS_A_DAY) as i64;
        let (url, party) = &adults[n % adults.len()];
        let body = serde_json::json!({
            "kind": "review", "date": day.to_string(),
            "time": format!("{:02}:{:02}", minute / 60, minute % 60), "minutes": 15,
            "room_id": rooms[n % rooms.len()], "staff": [staff[n % staff.len()]], "party_id": party,
        });
        bodies.push((url.clone(), body));
    }
    let cpu_before = cpu_seconds();
    let started = Instant::now();
    // Thirty-two clients, each sending its next request as soon as the last is answered, so the
    // server always has thirty-two in hand (no pauses waiting for the slowest of a round).
    let bodies = Arc::new(bodies);
    let next = Arc::new(AtomicUsize::new(0));
    let clients: Vec<_> = (0..IN_FLIGHT)
        .map(|_| {
            let (client, bodies, next) = (client.clone(), bodies.clone(), next.clone());
            tokio::spawn(async move {
                let mut created = 0usize;
                while let Some((url, body)) = bodies.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let sent = client.post(url).json(body).send().await;
                    if sent.is_ok_and(|r| r.status().as_u16() == 201) {
                        created += 1;
                    }
                }
                created
            })
        })
        .collect();
    let mut ok = 0usize;
    for c in clients {
        ok += c.await?;
    }
    let seconds = started.elapsed().as_secs_f64();
    let rate = ok as f64 / seconds;
    let prefix = if families.len() == 1 { "one_family_" } else { "" };
    println!("{prefix}bookings_attempted={requests}");
    println!("{prefix}bookings_created={ok}");
    // The CPU the whole process (server and client) spent per booking: steadier than the rate on
    // a machine shared with other work.
    if let (Some(before), Some(after)) = (cpu_before, cpu_seconds()) {
        println!(
            "{prefix}cpu_ms_per_booking={:.2}",
            (after - before) * 1000.0 / ok.max(1) as f64
        );
    }
    let _ = stop.send(());
    let _ = server.await;
    Ok(rate)
}

/// The CPU time this process has used (user and system, every thread), from /proc, in seconds.
fn cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which is in parentheses and may hold spaces).
    let rest = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = rest.split_whitespace().collect();
    // utime and stime are fields 14 and 15 of the line, 12 and 13 after the name.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    // Linux reports them in clock ticks of 1/100 s (USER_HZ).
    Some(ticks / 100.0)
}

/// A memory figure of this process from /proc (VmRSS: now; VmHWM: the peak), in MiB.
fn memory_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
