//! `familytime bench pages`: every GET route of the route table (pages and API), requested with real
//! ids from the bench's dataset through the real server, signed in through the real sign-in as each
//! staff role, a referrer and a parent; one client at a time and then several at once; prints p50 and
//! p99 per route and the server's memory after the load (decision 0035).
//!
//! The server is this binary's own `serve`, started as a child process on a loopback port, so the
//! memory read from /proc is the server's alone. A route that cannot be filled is listed with the
//! reason; a route no allowed role is answered 2xx on, or any non-2xx answer under load, is an error
//! (the command then exits with failure, after printing everything).

mod fill;

use super::super::DatabaseArgs;
use anyhow::{Context, Result, anyhow, bail};
use familytime_domain::authz::{Actor, CentreScope, Decision, Object, authorize};
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use familytime_domain::people::Role;
use familytime_store::Store;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};

/// What the dataset is kept as between runs (`--keep DIR`): its shape, where it is, the accounts.
const MANIFEST: &str = "bench-pages.json";

/// The people the bench signs in as, in the order a route is tried: the first whose role the
/// route's action allows and who is answered 2xx is measured.
const PEOPLE: &[(&str, Role, &str)] = &[
    ("coordinator", Role::Coordinator, "coordinator@riverside.example"),
    ("organisation_admin", Role::OrganisationAdmin, "admin@riverside.example"),
    (
        "safeguarding_lead",
        Role::SafeguardingLead,
        "safeguarding@riverside.example",
    ),
    ("supervisor", Role::Supervisor, "supervisor2@riverside.example"),
    ("volunteer", Role::Volunteer, "volunteer@riverside.example"),
    ("referrer", Role::Referrer, "fca.officer@cafcass.example"),
    ("parent", Role::Parent, "parent.visiting@example.com"),
];

pub struct Options {
    pub sessions: usize,
    pub centres: usize,
    pub keep: Option<PathBuf>,
    pub clients: Vec<usize>,
    pub requests: usize,
    pub json: Option<PathBuf>,
}

/// One address measured: the route as in the table (with the query asked, if any), who asked.
struct Target {
    route: String,
    url: String,
    role: &'static str,
}

#[derive(Default)]
struct Figures {
    p50: f64,
    p99: f64,
    errors: Vec<String>,
}

/// Runs the bench; Ok(false) when some route answered an error.
pub async fn run(db: &DatabaseArgs, o: Options) -> Result<bool> {
    if o.sessions == 0 {
        bail!("--sessions must be at least 1");
    }
    if o.centres == 0 || o.centres > 50 {
        bail!("--centres must be from 1 to 50");
    }
    if o.requests == 0 || o.clients.is_empty() || o.clients.contains(&0) {
        bail!("--requests and --clients must be at least 1");
    }
    println!("load_before={}", loadavg());
    let temp = std::env::temp_dir().join(format!("familytime-bench-pages-{}", std::process::id()));
    let dir = o.keep.clone().unwrap_or_else(|| temp.clone());
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let manifest_path = dir.join(MANIFEST);
    let (database_url, passwords) = if manifest_path.exists() {
        reuse(&manifest_path, db, &o)?
    } else {
        build(&dir, db, &o, &manifest_path).await?
    };
    let result = measure(&dir, database_url.as_deref(), &passwords, &o).await;
    if o.keep.is_none() {
        let _ = std::fs::remove_dir_all(&temp);
    }
    println!("load_after={}", loadavg());
    result
}

fn loadavg() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

/// A kept dataset: checks it has the shape asked for; returns its database and the passwords.
fn reuse(path: &Path, db: &DatabaseArgs, o: &Options) -> Result<(Option<String>, BTreeMap<String, String>)> {
    let manifest: Value = serde_json::from_str(&std::fs::read_to_string(path)?)
        .with_context(|| format!("{} is not a bench manifest", path.display()))?;
    let (sessions, centres) = (manifest["sessions"].as_u64(), manifest["centres"].as_u64());
    if sessions != Some(o.sessions as u64) || centres != Some(o.centres as u64) {
        bail!(
            "{} holds a dataset of {} sessions at {} centres, not the {} at {} asked for: give another --keep",
            path.display(),
            sessions.unwrap_or(0),
            centres.unwrap_or(0),
            o.sessions,
            o.centres
        );
    }
    let url = manifest["database_url"].as_str().map(str::to_owned);
    if db.database_url.is_some() && db.database_url != url {
        bail!("the dataset kept in {} is in another database", path.display());
    }
    let passwords = manifest["passwords"]
        .as_object()
        .map(|p| {
            p.iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect()
        })
        .unwrap_or_default();
    println!("dataset=kept in {}", path.display());
    Ok((url, passwords))
}

/// Builds the dataset in `dir` (SQLite) or the empty PostgreSQL database given; with --keep,
/// writes the manifest.
async fn build(
    dir: &Path,
    db: &DatabaseArgs,
    o: &Options,
    manifest: &Path,
) -> Result<(Option<String>, BTreeMap<String, String>)> {
    let args = DatabaseArgs {
        data_dir: Some(dir.to_path_buf()),
        database_url: db.database_url.clone(),
        ..db.clone()
    };
    let store = super::super::open(&args, "unused").await?;
    if store.has_organisations().await? {
        bail!("the benchmark builds its dataset in an empty database, and this one has an organisation");
    }
    let started = Instant::now();
    let built = super::build(&store, o.sessions, o.centres).await?;
    let families = o.sessions / 100;
    more_families(&store, built.organisation, &built.centres, families).await?;
    store.analyze().await?;
    store.close().await;
    println!("dataset_seconds={:.1}", started.elapsed().as_secs_f64());
    let passwords: BTreeMap<String, String> = built
        .accounts
        .iter()
        .map(|a| (a.email.to_owned(), a.password.clone()))
        .collect();
    if o.keep.is_some() {
        let body = json!({
            "sessions": o.sessions, "centres": o.centres, "database_url": db.database_url,
            "passwords": passwords,
        });
        write_private(manifest, &serde_json::to_string_pretty(&body)?)?;
    }
    Ok((db.database_url.clone(), passwords))
}

/// The manifest holds the bench accounts' passwords: readable by its owner only.
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    #[cfg(unix)]
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    options.mode(0o600);
    let mut file = options.open(path)?;
    file.write_all(text.as_bytes())?;
    Ok(())
}

/// `count` more families (one a hundred sessions), received at the bench's centres in turn, so the
/// case lists grow with the history; one transaction a batch.
async fn more_families(store: &Store, org: OrganisationId, centres: &[CentreId], count: usize) -> Result<()> {
    use familytime_domain::intake::{AdultInput, ChildInput, ReferralInput};
    let now = familytime_domain::Timestamp::now();
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    let scope = familytime_store::AuditScope {
        at: now,
        request_id: "bench".into(),
        actor_user_id: None,
        organisation_id: Some(org),
    };
    let adult = |role: &str, name: String| AdultInput {
        role: role.into(),
        name,
        relationship: "Parent".into(),
        parental_responsibility: Some(true),
        may_attend: true,
        ..Default::default()
    };
    let mut made = 0;
    while made < count {
        let mut tx = store.begin().await?;
        for _ in 0..(count - made).min(250) {
            let input = ReferralInput {
                source: "self_referral".into(),
                children: vec![ChildInput {
                    name: format!("Bench Child {made}"),
                    date_of_birth: "2019-05-01".into(),
                    ..Default::default()
                }],
                adults: vec![
                    adult("resident", format!("Bench Resident {made}")),
                    adult("visiting", format!("Bench Visiting {made}")),
                ],
                child_lives_with: format!("Bench Resident {made}"),
                risk_background: "Parents separated.".into(),
                consent_to_share: true,
                ..Default::default()
            };
            let referral = input.parse(today).map_err(|e| anyhow!("bench referral: {e:?}"))?;
            let centre = centres[made % centres.len()];
            tx.insert_case(&scope, org, centre, None, &referral).await?;
            made += 1;
        }
        tx.commit().await?;
    }
    println!("families_added={count}");
    Ok(())
}

/// The server as a child process of this binary, on a loopback port; its address once it listens.
async fn start_server(dir: &Path, database_url: Option<&str>) -> Result<(tokio::process::Child, String)> {
    let exe = std::env::current_exe().context("this program's path")?;
    let mut command = tokio::process::Command::new(exe);
    // `serve` keeps uploaded documents under ./familytime-data whatever the database, so the
    // server runs in the bench's directory: the documents the bench uploads stay with its dataset.
    let dir = std::fs::canonicalize(dir).with_context(|| format!("{}", dir.display()))?;
    command.current_dir(&dir).arg("--data-dir").arg(&dir);
    if let Some(url) = database_url {
        command.args(["--database-url", url]);
    }
    let mut child = command
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env("FAMILYTIME_LOG", "warn")
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .context("starting the server")?;
    let stdout = child.stdout.take().ok_or_else(|| anyhow!("the server's output"))?;
    let mut lines = BufReader::new(stdout).lines();
    let base = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.strip_prefix("familytime is serving at ") {
                return Ok(rest.split_whitespace().next().unwrap_or_default().to_owned());
            }
        }
        bail!("the server stopped before it was serving")
    })
    .await
    .map_err(|_| anyhow!("the server did not start within two minutes"))??;
    // Keep reading its output so it never blocks on a full pipe.
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    Ok((child, base))
}

/// The roles allowed the route's action, in the bench's order; `public` for public routes.
fn allowed(action: familytime_domain::authz::Action) -> Vec<&'static str> {
    let now = familytime_domain::Timestamp::now();
    if authorize(None, action, &Object::Nothing) == Decision::Allow {
        return vec!["public"];
    }
    PEOPLE
        .iter()
        .filter(|(_, role, _)| {
            let actor = Actor {
                user_id: UserId::new_v7(now),
                organisation_id: OrganisationId::new_v7(now),
                role: *role,
                centres: CentreScope::All,
            };
            authorize(Some(&actor), action, &Object::Nothing) == Decision::Allow
        })
        .map(|(name, _, _)| *name)
        .collect()
}

async fn measure(
    dir: &Path,
    database_url: Option<&str>,
    passwords: &BTreeMap<String, String>,
    o: &Options,
) -> Result<bool> {
    let (mut server, base) = start_server(dir, database_url).await?;
    let pid = server.id().ok_or_else(|| anyhow!("the server's process id"))?;
    println!("server={base} pid={pid}");
    let backend = if database_url.is_some() { "postgres" } else { "sqlite" };
    println!("backend={backend}");
    let outcome = drive(&base, pid, backend, passwords, o).await;
    let _ = server.kill().await;
    outcome
}

async fn drive(base: &str, pid: u32, backend: &str, passwords: &BTreeMap<String, String>, o: &Options) -> Result<bool> {
    let mut clients = fill::Clients::new();
    clients.insert("public", reqwest::Client::builder().build()?);
    for (name, _, email) in PEOPLE {
        let password = passwords
            .get(*email)
            .ok_or_else(|| anyhow!("no password kept for {email}"))?;
        let client = reqwest::Client::builder().cookie_store(true).build()?;
        let signed = client
            .post(format!("{base}/api/v1/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await?;
        if !signed.status().is_success() {
            bail!("signing in as the {name} answered {}", signed.status());
        }
        clients.insert(name, client);
    }
    let today = jiff::Zoned::now().date();
    let ids = fill::find(&clients, base, today).await?;

    // Which address each route is measured at, and as whom: the first allowed role answered 2xx.
    let mut targets = Vec::new();
    let mut not_filled = Vec::new();
    let mut errors = Vec::new();
    let mut refused_first = Vec::new();
    for route in familytime_web::routes::route_table() {
        if route.method != reqwest::Method::GET {
            continue;
        }
        let urls = match fill::fill(route.path, &ids) {
            Ok(urls) => urls,
            Err(reason) => {
                not_filled.push((route.path.to_owned(), reason));
                continue;
            }
        };
        for url in urls {
            let shown = match url.split_once('?') {
                Some((_, query)) => format!("{}?{query}", route.path),
                None => route.path.to_owned(),
            };
            let mut refused = Vec::new();
            let mut found = None;
            for role in allowed(route.action) {
                let status = clients[role].get(format!("{base}{url}")).send().await?.status();
                if status.is_success() {
                    found = Some(role);
                    break;
                }
                refused.push(format!("{role}: {status}"));
            }
            match found {
                Some(role) => {
                    if !refused.is_empty() {
                        refused_first.push(format!("{shown}: {} (measured as {role})", refused.join(", ")));
                    }
                    targets.push(Target {
                        route: shown,
                        url,
                        role,
                    })
                }
                None => errors.push(format!(
                    "{shown} ({url}): no allowed role was answered 2xx: {}",
                    refused.join(", ")
                )),
            }
        }
    }

    let mut figures: Vec<Vec<Figures>> = Vec::new();
    for &k in &o.clients {
        let started = Instant::now();
        let mut row = Vec::new();
        for target in &targets {
            row.push(load(&clients[target.role], base, &target.url, k, o.requests).await);
        }
        println!("clients_{k}_seconds={:.1}", started.elapsed().as_secs_f64());
        figures.push(row);
    }
    let (rss, peak) = (memory_mb(pid, "VmRSS:"), memory_mb(pid, "VmHWM:"));

    // The table.
    let width = targets.iter().map(|t| t.route.len()).max().unwrap_or(5).max(5);
    let mut header = format!("{:<width$}  {:<18}", "route", "role");
    for k in &o.clients {
        header.push_str(&format!("  {:>9}  {:>9}", format!("p50@{k}"), format!("p99@{k}")));
    }
    println!("{header}   (ms)");
    let mut rows = Vec::new();
    for (n, target) in targets.iter().enumerate() {
        let mut line = format!("{:<width$}  {:<18}", target.route, target.role);
        let mut by_clients = serde_json::Map::new();
        for (c, k) in o.clients.iter().enumerate() {
            let f = &figures[c][n];
            line.push_str(&format!("  {:>9.2}  {:>9.2}", f.p50, f.p99));
            by_clients.insert(k.to_string(), json!({"p50_ms": f.p50, "p99_ms": f.p99}));
            errors.extend(
                f.errors
                    .iter()
                    .map(|e| format!("{} as {} with {k} clients: {e}", target.route, target.role)),
            );
        }
        println!("{line}");
        rows.push(json!({"route": target.route, "url": target.url, "role": target.role, "clients": by_clients}));
    }
    println!("routes_measured={}", targets.len());
    println!("not filled: {}", not_filled.len());
    for (route, reason) in &not_filled {
        println!("  {route}: {reason}");
    }
    // Roles the action allows but the object does not (another centre's, not one's own concern):
    // shown, so a role's refusal is never hidden behind the next role's answer.
    println!("refused for an earlier role: {}", refused_first.len());
    for r in &refused_first {
        println!("  {r}");
    }
    println!("errors: {}", errors.len());
    for e in &errors {
        println!("  {e}");
    }
    println!("server_rss_mb={rss:.1}");
    println!("server_peak_rss_mb={peak:.1}");
    if let Some(path) = &o.json {
        let body = json!({
            "sessions": o.sessions, "centres": o.centres, "requests": o.requests,
            "backend": backend,
            "load": loadavg(), "rows": rows,
            "not_filled": not_filled.iter().map(|(r, why)| json!({"route": r, "reason": why})).collect::<Vec<_>>(),
            "errors": errors, "server_rss_mb": rss, "server_peak_rss_mb": peak,
        });
        std::fs::write(path, serde_json::to_string_pretty(&body)?)
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    Ok(errors.is_empty())
}

/// `clients` tasks at once, each sending `requests` requests one after another; the p50 and p99
/// of all the answers' times, and each non-2xx answer.
async fn load(client: &reqwest::Client, base: &str, url: &str, clients: usize, requests: usize) -> Figures {
    let address = format!("{base}{url}");
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let (client, address) = (client.clone(), address.clone());
            tokio::spawn(async move {
                let mut times = Vec::with_capacity(requests);
                let mut errors = Vec::new();
                for _ in 0..requests {
                    let t = Instant::now();
                    match client.get(&address).send().await {
                        Ok(response) => {
                            let status = response.status();
                            // The whole body, as a browser would wait for it.
                            let body = response.bytes().await;
                            times.push(t.elapsed().as_secs_f64() * 1000.0);
                            if !status.is_success() || body.is_err() {
                                errors.push(format!("answered {status}"));
                            }
                        }
                        Err(e) => errors.push(format!("failed: {e}")),
                    }
                }
                (times, errors)
            })
        })
        .collect();
    let mut times = Vec::new();
    let mut errors = Vec::new();
    for task in tasks {
        match task.await {
            Ok((t, e)) => {
                times.extend(t);
                errors.extend(e);
            }
            Err(e) => errors.push(format!("client task: {e}")),
        }
    }
    errors.dedup();
    times.sort_by(|a, b| a.total_cmp(b));
    Figures {
        p50: percentile(&times, 0.50),
        p99: percentile(&times, 0.99),
        errors,
    }
}

/// The nearest-rank percentile of sorted values.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// A memory figure of the server process from /proc (VmRSS: now; VmHWM: its peak), in MiB.
fn memory_mb(pid: u32, field: &str) -> f64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(0.0, |kb| kb / 1024.0)
}
