//! The query-plan guard (decision 0033): every SQL statement the store runs while the real server
//! answers every GET route for every role (and the main writes) is captured from sqlx's own
//! statement log, then shown to the planner of the database under test: `EXPLAIN QUERY PLAN` on
//! SQLite, and on PostgreSQL `EXPLAIN (FORMAT JSON) EXECUTE` of the prepared statement with
//! `plan_cache_mode = force_generic_plan` (what a pool that reuses prepared statements runs). A
//! table that grows with use, which is every table not named as reference data below, must be read
//! through an index bounded by more than the organisation (or centre): a read of the whole table, or
//! of everything an organisation ever had, fails; a page (decision 0036), which reads in the order
//! of an index and stops at its LIMIT, may be bounded by the organisation alone. Three deliberately
//! bad statements are run through the same capture and must be caught (the negative control). A GET route the workload did not answer
//! fails too, so a new route cannot land without being driven here.
//!
//! The capture hears every statement in the process, so the guard runs in a process of its own: the
//! test starts this test binary again, filtered to itself, and the child does the work.
//! Long because: one guard read best whole: its driver, which must reach every statement the store
//! runs, and the planner checks and negative controls that judge what the driver captured.

use crate::harness::{TestApp, json_of};
use crate::schedule::{
    Fixture, accept_referral, accepted_case, ahead, booking, fixture, get, party_id, post, supervisor,
};
use familytime_domain::people::Role;
use familytime_store::Location;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Set in the child process that runs the guard.
const CHILD: &str = "FAMILYTIME_QUERY_PLANS_CHILD";
const THIS_TEST: &str = "query_plans::every_statement_the_store_runs_is_bounded_by_an_index";

/// Tables that do not grow with use: configuration and reference data, a handful of rows per centre
/// or organisation. Every other table (and every table added later) is treated as growing.
const REFERENCE_TABLES: &[&str] = &[
    "organisations",
    "centres",
    "rooms",
    "entrances",
    "opening_hours",
    "closures",
    "schedule_settings",
    "billing_settings",
    "cancellation_tiers",
    "prices",
    "observation_checklists",
    "server_keys",
    "audit_head",
    "invoice_numbers",
    "case_counters",
    "list_versions",
    "venue_approvals",
    // The organisation's interpreters (decision 0047): a list kept like its rooms, a handful of
    // people; what grows, the sessions they interpret at, is read by booking.
    "interpreters",
    "schema_migrations",
    // A queue emptied as its entries are sealed into the audit log.
    "audit_queue",
];

/// Index columns that do not bound a read of a growing table: an organisation's or a centre's
/// whole history, or all of it in one state (or all its accounts of one role), grows with every
/// week of use.
const UNBOUNDING_COLUMNS: &[&str] = &["organisation_id", "centre_id", "status", "kind", "role"];

/// GET routes the workload cannot answer yet, each with the reason. The guard fails when a GET
/// route is neither answered nor listed here, and when a listed route was answered after all.
const NOT_DRIVEN: &[(&str, &str)] = &[
    (
        "/setup/{token}",
        "a setup link is issued only while the database has no organisation",
    ),
    (
        "/set-password/{token}",
        "a link's secret exists only in the message it is sent in (its read by hash runs, and is checked, on every visit)",
    ),
];

/// Whole-organisation reads that are known and accepted for now (issue 27, item 2; the growing lists
/// are paged, decision 0036). Each entry is a fragment of the statement (on one line); one that matches no
/// statement the store ran fails the guard, so the list cannot outlive its statement.
const KNOWN_WHOLE_READS: &[(&str, &str)] = &[
    (
        "FROM case_parties p JOIN cases c ON c.organisation_id = p.organisation_id AND c.id = p.case_id WHERE p.organisation_id = $1 AND c.centre_id = $2 AND c.status NOT IN",
        "the never-meet form's choice of adults: everyone on the centre's open cases (closed cases drop \
         out, so it grows with the open caseload, not with history); to become a search by name if a \
         centre's list grows too long to choose from",
    ),
    (
        "FROM users WHERE organisation_id = $1 AND role IN ($2, $3, $4, $5, $6) ORDER BY name, id",
        "the staff, for the lists to choose from (a report's checkers, the staff named for a case): \
         bounded by the staff, not by the families (the people list itself is paged, 0036)",
    ),
    (
        "FROM users WHERE organisation_id = $1 AND role IN ($2) ORDER BY name, id",
        "the parents' accounts, to link one to an adult of a case: grows with the families who have \
         an account; to become a search by e-mail address",
    ),
    (
        "SELECT 'a_centre' AS k",
        "the planning read (0019): the staff who may work at the case's centre (found among the \
         organisation's staff, which grows with the staff, not with history), their hours, leave and \
         centres, and the never-meet pairs of the parties asked about through an OR the planner does \
         not split",
    ),
    (
        "SELECT 'd_person' AS k",
        "the staff roster read: every member of staff with their hours and leave; leave grows with use",
    ),
    (
        "SELECT 'i_pair' AS k",
        "the never-meet pairs of two parties through an OR the planner does not split",
    ),
    (
        "WHERE s.organisation_id = $1 AND s.status = $2 ORDER BY CASE WHEN",
        "the open concerns: bounded by the concerns still open, not by history (the closed ones are paged, 0036)",
    ),
    (
        "WHERE r.organisation_id = $1 AND r.status = 'in_check'",
        "reports waiting for their check: bounded by the work in hand, not by history",
    ),
    (
        "FROM ledger_entries e JOIN cases k ON k.organisation_id = e.organisation_id AND k.id = e.case_id LEFT JOIN case_parties p ON p.organisation_id = e.organisation_id AND p.id = e.party_id LEFT JOIN users u ON u.organisation_id = e.organisation_id AND u.id = e.recorded_by LEFT JOIN invoice_lines l ON l.organisation_id = e.organisation_id AND l.entry_id = e.id LEFT JOIN invoices i ON i.organisation_id = l.organisation_id AND i.id = l.invoice_id WHERE e.organisation_id = $1 ORDER BY",
        "the ledger export (CSV) and overview: the whole ledger by design; money is being scoped to a centre (helper money)",
    ),
    (
        "FROM invoices i JOIN cases k ON k.organisation_id = i.organisation_id AND k.id = i.case_id WHERE i.organisation_id = $1 ORDER BY",
        "the outstanding list's invoices: every invoice, read with the whole ledger it is worked out from (above)",
    ),
    (
        "FROM bursary_grants WHERE organisation_id = $1",
        "the bursary fund: every grant, a few a year",
    ),
];

/// Statements captured while `RECORDING` is set.
static RECORDED: Mutex<BTreeSet<String>> = Mutex::new(BTreeSet::new());
static RECORDING: AtomicBool = AtomicBool::new(false);

/// Hears sqlx's `sqlx::query` events (one per statement run) and keeps each statement's text.
struct Capture;

#[derive(Default)]
struct StatementText {
    summary: String,
    statement: String,
}

impl tracing::field::Visit for StatementText {
    fn record_str(&mut self, field: &tracing::field::Field, value: &str) {
        match field.name() {
            "summary" => self.summary = value.to_owned(),
            "db.statement" => self.statement = value.to_owned(),
            _ => {}
        }
    }

    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        match field.name() {
            "summary" => self.summary = format!("{value:?}"),
            "db.statement" => self.statement = format!("{value:?}"),
            _ => {}
        }
    }
}

impl<S: tracing::Subscriber> tracing_subscriber::Layer<S> for Capture {
    fn on_event(&self, event: &tracing::Event<'_>, _: tracing_subscriber::layer::Context<'_, S>) {
        if event.metadata().target() != "sqlx::query" || !RECORDING.load(Ordering::SeqCst) {
            return;
        }
        let mut text = StatementText::default();
        event.record(&mut text);
        // sqlx puts a statement of up to four words in the summary and leaves the statement empty.
        let sql = if text.statement.trim().is_empty() {
            text.summary
        } else {
            text.statement
        };
        RECORDED.lock().unwrap().insert(sql.trim().to_owned());
    }
}

#[test]
fn every_statement_the_store_runs_is_bounded_by_an_index() {
    if std::env::var_os(CHILD).is_none() {
        let exe = std::env::current_exe().unwrap();
        let output = std::process::Command::new(exe)
            .args([THIS_TEST, "--exact", "--nocapture", "--test-threads=1"])
            .env(CHILD, "1")
            .env("RUST_BACKTRACE", "0")
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && stdout.contains("1 passed"),
            "the guard failed in its own process:\n{stdout}\n{stderr}"
        );
        return;
    }
    use tracing_subscriber::layer::SubscriberExt;
    let filter = tracing_subscriber::filter::filter_fn(|m| m.target() == "sqlx::query");
    let subscriber = tracing_subscriber::registry().with(tracing_subscriber::Layer::with_filter(Capture, filter));
    tracing::subscriber::set_global_default(subscriber).expect("the guard's process has no other subscriber");
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(guard());
}

async fn guard() {
    let f = fixture().await;
    RECORDING.store(true, Ordering::SeqCst);
    let answered = workload(&f).await;
    let controls = negative_controls(&f.app.location).await;
    RECORDING.store(false, Ordering::SeqCst);

    // Every GET route was answered, or is listed with its reason.
    let listed: BTreeSet<&str> = NOT_DRIVEN.iter().map(|(path, _)| *path).collect();
    let mut undriven = Vec::new();
    for route in familytime_web::routes::route_table() {
        if route.method != reqwest::Method::GET {
            continue;
        }
        let done = answered.contains(route.path);
        if done && listed.contains(route.path) {
            undriven.push(format!("{} is answered now: take it out of NOT_DRIVEN", route.path));
        } else if !done && !listed.contains(route.path) {
            undriven.push(format!(
                "GET {} was not answered by the workload: drive it in query_plans.rs",
                route.path
            ));
        }
    }

    let statements: Vec<String> = RECORDED.lock().unwrap().iter().cloned().collect();
    let planner = Planner::open(&f.app.location).await;
    let mut problems: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut explained = 0;
    for statement in &statements {
        for part in statements_in(statement) {
            if !explainable(&part) {
                continue;
            }
            explained += 1;
            let found = planner.whole_reads(&part).await;
            if !found.is_empty() {
                problems.entry(part).or_default().extend(found);
            }
        }
    }
    planner.close().await;
    println!(
        "query_plans: {} distinct statements captured, {explained} explained, {} GET routes answered",
        statements.len(),
        answered.len()
    );

    // The negative control: the bad statements went through the capture and were caught.
    for control in &controls {
        assert!(
            problems.keys().any(|p| p.contains(control.as_str())),
            "the deliberately bad statement was not caught: {control}"
        );
    }
    problems.retain(|sql, _| !controls.iter().any(|c| sql.contains(c.as_str())));
    // Known, accepted whole-organisation reads; each must still match something.
    for (fragment, _) in KNOWN_WHOLE_READS {
        assert!(
            statements.iter().any(|sql| one_line(sql).contains(fragment)),
            "KNOWN_WHOLE_READS lists a statement the store no longer runs: {fragment}"
        );
    }
    problems.retain(|sql, _| {
        !KNOWN_WHOLE_READS
            .iter()
            .any(|(fragment, _)| one_line(sql).contains(fragment))
    });

    let report: Vec<String> = problems
        .iter()
        .map(|(sql, found)| format!("{}\n  {}", one_line(sql), found.join("\n  ")))
        .collect();
    assert!(
        report.is_empty() && undriven.is_empty(),
        "{} statements read a growing table whole:\n\n{}\n\n{}",
        report.len(),
        report.join("\n\n"),
        undriven.join("\n")
    );
    f.app.finish().await;
}

fn one_line(sql: &str) -> String {
    sql.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Runs three statements a careless change could add, through the same capture: a filter on a column
/// no index leads with, the optional-filter shape `($n = '' OR column = $n)` that keeps the
/// planner from the index on that column (issue 27: the calendar's, on the centre), and a page
/// (`ORDER BY … LIMIT`) no index serves in its order (decision 0036). Returns them,
/// as captured, to be found among the problems.
async fn negative_controls(location: &Location) -> Vec<String> {
    let unindexed = "SELECT id FROM bookings WHERE ends_at > $1 ORDER BY ends_at";
    let optional = "SELECT b.id FROM bookings b WHERE b.organisation_id = $1 AND ($2 = '' OR b.case_id = $2) \
                    ORDER BY b.starts_at";
    // A "page" that no index serves in its order: it sorts everything the organisation has first.
    let sorted_page = "SELECT id FROM bookings WHERE organisation_id = $1 ORDER BY ends_at DESC, id DESC LIMIT 51";
    match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            sqlx::query(unindexed).bind(0_i64).fetch_all(&pool).await.unwrap();
            sqlx::query(optional).bind("x").bind("").fetch_all(&pool).await.unwrap();
            sqlx::query(sorted_page).bind("x").fetch_all(&pool).await.unwrap();
            pool.close().await;
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query(unindexed).bind(0_i64).fetch_all(&pool).await.unwrap();
            sqlx::query(optional).bind("x").bind("").fetch_all(&pool).await.unwrap();
            sqlx::query(sorted_page).bind("x").fetch_all(&pool).await.unwrap();
            pool.close().await;
        }
    }
    vec![unindexed.to_owned(), optional.to_owned(), sorted_page.to_owned()]
}

/// The statements in one captured text (a batch on SQLite is several, joined by `;`).
fn statements_in(sql: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let (mut current, mut quoted) = (String::new(), false);
    for c in sql.chars() {
        if c == '\'' {
            quoted = !quoted;
        }
        if c == ';' && !quoted {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
        .into_iter()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect()
}

/// Whether the planner has anything to say about the statement (not a transaction's edges, a
/// setting, or a statement about the schema).
fn explainable(sql: &str) -> bool {
    let first = sql.split_whitespace().next().unwrap_or("").to_ascii_uppercase();
    matches!(first.as_str(), "SELECT" | "WITH" | "INSERT" | "UPDATE" | "DELETE")
        && !sql.eq_ignore_ascii_case("SELECT 1")
}

/// A connection to the test database for explaining statements, with statistics gathered.
enum Planner {
    Sqlite(sqlx::SqlitePool, BTreeSet<String>, BTreeMap<String, String>),
    Postgres(sqlx::PgPool, BTreeSet<String>, BTreeMap<String, (String, Vec<String>)>),
}

impl Planner {
    async fn open(location: &Location) -> Planner {
        match location {
            Location::DataDir(dir) => {
                let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
                let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
                grown_statistics(&pool).await;
                pool.close().await;
                // New connections read the statistics as they open.
                let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
                let tables: Vec<String> = sqlx::query_scalar(
                    "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                )
                .fetch_all(&pool)
                .await
                .unwrap();
                let indexes: Vec<(String, String)> =
                    sqlx::query_as("SELECT name, tbl_name FROM sqlite_schema WHERE type = 'index'")
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                Planner::Sqlite(pool, tables.into_iter().collect(), indexes.into_iter().collect())
            }
            Location::Postgres(url) => {
                let pool = sqlx::postgres::PgPoolOptions::new()
                    .max_connections(1)
                    .connect(url)
                    .await
                    .unwrap();
                sqlx::raw_sql("ANALYZE").execute(&pool).await.unwrap();
                let tables: Vec<String> =
                    sqlx::query_scalar("SELECT tablename::text FROM pg_tables WHERE schemaname = 'public'")
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                let indexes: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT indexname::text, tablename::text, indexdef FROM pg_indexes WHERE schemaname = 'public'",
                )
                .fetch_all(&pool)
                .await
                .unwrap();
                // Each index's table and its columns in order, from `… USING btree (a, b, c)` (the
                // first parenthesis after USING: a partial index's `WHERE (…)` follows it).
                let indexes = indexes
                    .into_iter()
                    .map(|(name, table, def)| {
                        let using = def.find(" USING ").map_or(def.as_str(), |at| &def[at..]);
                        let inside = using.split_once('(').map(|(_, c)| c).unwrap_or("");
                        let inside = inside.split(')').next().unwrap_or("");
                        let columns = inside
                            .split(',')
                            .map(|c| c.split_whitespace().next().unwrap_or("").trim_matches('"').to_owned())
                            .collect();
                        (name, (table, columns))
                    })
                    .collect();
                Planner::Postgres(pool, tables.into_iter().collect(), indexes)
            }
        }
    }

    async fn close(self) {
        match self {
            Planner::Sqlite(pool, ..) => pool.close().await,
            Planner::Postgres(pool, ..) => pool.close().await,
        }
    }

    /// What the plan reads of growing tables without an index bounding it (empty: nothing).
    async fn whole_reads(&self, sql: &str) -> Vec<String> {
        match self {
            Planner::Sqlite(pool, tables, indexes) => {
                let rows: Vec<(i64, i64, i64, String)> =
                    sqlx::query_as(sqlx::AssertSqlSafe(format!("EXPLAIN QUERY PLAN {sql}")))
                        .fetch_all(pool)
                        .await
                        .unwrap_or_else(|e| panic!("cannot explain {}: {e}", one_line(sql)));
                let names = table_names(sql, tables);
                // A page (decision 0036): a statement that stops at its LIMIT, with no sort of its
                // own, reads its outer table in the order of an index and stops after a page; that
                // table may be bounded by the organisation alone (the inner ones may not).
                let paged = order_then_limit(sql).is_some() && !rows.iter().any(|(.., d)| d.contains("TEMP B-TREE"));
                let outer = rows
                    .iter()
                    .position(|(.., d)| d.starts_with("SCAN ") || d.starts_with("SEARCH "));
                rows.iter()
                    .enumerate()
                    .filter_map(|(i, (_, _, _, detail))| {
                        let found = sqlite_whole_read(detail, &names, indexes)?;
                        let stops =
                            paged && Some(i) == outer && found.starts_with("reads everything the organisation has");
                        (!stops).then_some(found)
                    })
                    .collect()
            }
            Planner::Postgres(pool, tables, indexes) => {
                let mut c = pool.acquire().await.unwrap();
                sqlx::raw_sql("SET plan_cache_mode = force_generic_plan; SET enable_seqscan = off")
                    .execute(&mut *c)
                    .await
                    .unwrap();
                // sqlx tells the server the types of the values it binds; PREPARE has none, so a
                // parameter only ever compared with NULL (`$2 IS NULL OR …`) is declared as text and
                // the rest left for the server to infer (`unknown`).
                let mut declared: Vec<&str> = Vec::new();
                loop {
                    let types = if declared.is_empty() {
                        String::new()
                    } else {
                        format!("({})", declared.join(", "))
                    };
                    let prepared =
                        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("PREPARE guard_statement{types} AS {sql}")))
                            .execute(&mut *c)
                            .await;
                    let Err(e) = prepared else { break };
                    let message = e.to_string();
                    let unknown = message
                        .split("could not determine data type of parameter $")
                        .nth(1)
                        .and_then(|n| n.split(|c: char| !c.is_ascii_digit()).next())
                        .and_then(|n| n.parse::<usize>().ok())
                        .filter(|n| *n <= 100);
                    match unknown {
                        Some(n) => {
                            if declared.len() < n {
                                declared.resize(n, "unknown");
                            }
                            declared[n - 1] = "text";
                        }
                        // The one-statement booking (0017) inserts its rows from `VALUES` of bound
                        // values, which only sqlx's declared types make valid; its plan is inserts
                        // and the lock, nothing read, so it is left out rather than guessed at.
                        None if message.contains("but expression is of type") && is_insert(sql) => {
                            return Vec::new();
                        }
                        None => panic!("cannot prepare {}: {message}", one_line(sql)),
                    }
                }
                let count: i32 = sqlx::query_scalar(
                    "SELECT coalesce(cardinality(parameter_types), 0) FROM pg_prepared_statements WHERE name = 'guard_statement'",
                )
                .fetch_one(&mut *c)
                .await
                .unwrap();
                let nulls = vec!["NULL"; count as usize].join(", ");
                let execute = if count == 0 {
                    "EXECUTE guard_statement".to_owned()
                } else {
                    format!("EXECUTE guard_statement({nulls})")
                };
                // The plan comes back as `json`, whose binary form is its text.
                let row = sqlx::query(sqlx::AssertSqlSafe(format!("EXPLAIN (FORMAT JSON) {execute}")))
                    .fetch_one(&mut *c)
                    .await
                    .unwrap_or_else(|e| panic!("cannot explain {}: {e}", one_line(sql)));
                let text: String = sqlx::Row::try_get_unchecked(&row, 0).unwrap();
                let plan: Value = serde_json::from_str(&text).unwrap();
                sqlx::raw_sql("DEALLOCATE guard_statement")
                    .execute(&mut *c)
                    .await
                    .unwrap();
                let mut conditions = Vec::new();
                all_conditions(&plan[0]["Plan"], &mut conditions);
                let mut found = Vec::new();
                let order = order_then_limit(sql);
                postgres_whole_reads(
                    &plan[0]["Plan"],
                    None,
                    None,
                    tables,
                    indexes,
                    &conditions,
                    order.as_deref(),
                    &mut found,
                );
                found
            }
        }
    }
}

/// How many times over the fixture's history the guard plans for.
const GROWTH: i64 = 10_000;

/// Gathers SQLite's statistics (`ANALYZE`, which `PRAGMA optimize` runs in production), then makes
/// them describe the same organisation after `GROWTH` times the history: each growing table's rows,
/// and the rows per organisation, centre, status or kind, are multiplied; the rows per case, booking
/// or any other key stay as they are. Without this the planner, seeing a few rows, rightly reads
/// small tables whole, which says nothing about the plans at size.
async fn grown_statistics(pool: &sqlx::SqlitePool) {
    sqlx::raw_sql("ANALYZE").execute(pool).await.unwrap();
    // SQLite is built with STAT4: samples of the fixture's few rows, which would outweigh the grown
    // counts below. They are dropped; the counts alone describe the grown history.
    let stat4: i64 = sqlx::query_scalar("SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_stat4'")
        .fetch_one(pool)
        .await
        .unwrap();
    if stat4 > 0 {
        sqlx::raw_sql("DELETE FROM sqlite_stat4").execute(pool).await.unwrap();
    }
    // A table the fixture left empty has no statistics, and SQLite would guess ten rows per
    // organisation; it is given the grown shape with one row per key instead.
    let unmeasured: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.tbl_name, i.name FROM sqlite_schema i WHERE i.type = 'index'
           AND NOT EXISTS (SELECT 1 FROM sqlite_stat1 s WHERE s.tbl = i.tbl_name)",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    for (table, index) in unmeasured {
        let columns: i64 = sqlx::query_scalar("SELECT count(*) FROM pragma_index_info($1)")
            .bind(&index)
            .fetch_one(pool)
            .await
            .unwrap();
        let stat = std::iter::once("1".to_owned())
            .chain((0..columns).map(|_| "1".to_owned()))
            .collect::<Vec<_>>()
            .join(" ");
        sqlx::query("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ($1, $2, $3)")
            .bind(&table)
            .bind(&index)
            .bind(stat)
            .execute(pool)
            .await
            .unwrap();
    }
    let stats: Vec<(String, Option<String>, String)> = sqlx::query_as("SELECT tbl, idx, stat FROM sqlite_stat1")
        .fetch_all(pool)
        .await
        .unwrap();
    for (table, index, stat) in stats {
        if !growing(&table) {
            continue;
        }
        let columns: Vec<String> = match &index {
            Some(index) => sqlx::query_scalar("SELECT name FROM pragma_index_info($1) ORDER BY seqno")
                .bind(index)
                .fetch_all(pool)
                .await
                .unwrap(),
            None => Vec::new(),
        };
        let mut numbers = stat.split_whitespace();
        let mut grown = Vec::new();
        if let Some(rows) = numbers.next().and_then(|n| n.parse::<i64>().ok()) {
            grown.push((rows.max(1) * GROWTH).to_string());
        }
        let mut unbounded = true;
        for (i, n) in numbers.enumerate() {
            match n.parse::<i64>() {
                Ok(n) => {
                    unbounded &= columns.get(i).is_some_and(|c| UNBOUNDING_COLUMNS.contains(&c.as_str()));
                    grown.push(if unbounded {
                        (n * GROWTH).to_string()
                    } else {
                        n.to_string()
                    });
                }
                // Flags such as `unordered` or `sz=` are kept as they are.
                Err(_) => grown.push(n.to_owned()),
            }
        }
        sqlx::query("UPDATE sqlite_stat1 SET stat = $1 WHERE tbl = $2 AND idx IS $3")
            .bind(grown.join(" "))
            .bind(&table)
            .bind(&index)
            .execute(pool)
            .await
            .unwrap();
    }
}

/// Whether a statement only inserts (possibly after taking its locks in a `WITH`).
fn is_insert(sql: &str) -> bool {
    let upper = one_line(sql)
        .to_ascii_uppercase()
        .replace(" WHERE (SELECT N FROM LK) IS NOT NULL", "");
    let reads = ["UPDATE ", "DELETE ", " JOIN ", " WHERE "];
    (upper.starts_with("INSERT ") || upper.starts_with("WITH LK AS")) && !reads.iter().any(|r| upper.contains(r))
}

fn growing(table: &str) -> bool {
    !REFERENCE_TABLES.contains(&table)
}

/// The tables a statement names, by the names the plan calls them (a table's own name or its alias
/// in `FROM table alias` / `JOIN table AS alias`).
fn table_names(sql: &str, tables: &BTreeSet<String>) -> BTreeMap<String, BTreeSet<String>> {
    let words: Vec<String> = sql
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    const NOT_ALIASES: &[&str] = &[
        "where",
        "join",
        "left",
        "inner",
        "cross",
        "on",
        "using",
        "group",
        "order",
        "limit",
        "set",
        "values",
        "select",
        "union",
        "natural",
        "as",
        "and",
        "or",
        "not",
        "returning",
        "having",
        "window",
        "except",
        "intersect",
        "default",
        "do",
        "from",
    ];
    let mut names: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (i, word) in words.iter().enumerate() {
        if !tables.contains(word) {
            continue;
        }
        names.entry(word.clone()).or_default().insert(word.clone());
        let mut next = words.get(i + 1);
        if next.is_some_and(|n| n == "as") {
            next = words.get(i + 2);
        }
        if let Some(alias) = next
            && !NOT_ALIASES.contains(&alias.as_str())
            && !tables.contains(alias)
        {
            names.entry(alias.clone()).or_default().insert(word.clone());
        }
    }
    names
}

/// One line of SQLite's plan, judged: `SCAN t` of a growing table, a temporary index built over it,
/// or a `SEARCH` bounded only by the organisation or centre.
fn sqlite_whole_read(
    detail: &str,
    names: &BTreeMap<String, BTreeSet<String>>,
    indexes: &BTreeMap<String, String>,
) -> Option<String> {
    let (verb, rest) = detail.split_once(' ')?;
    if verb != "SCAN" && verb != "SEARCH" {
        return None;
    }
    let name = rest.split_whitespace().next()?.to_ascii_lowercase();
    // An alias used for two tables in one statement is told apart by the index the line names.
    let by_index = rest
        .split_once("INDEX ")
        .and_then(|(_, after)| after.split_whitespace().next())
        .and_then(|index| indexes.get(index));
    let growing_tables: Vec<&String> = names
        .get(&name)?
        .iter()
        .filter(|t| growing(t) && by_index.is_none_or(|owner| owner == *t))
        .collect();
    if growing_tables.is_empty() {
        return None;
    }
    let what = format!(
        "{} ({detail})",
        growing_tables.iter().map(|t| t.as_str()).collect::<Vec<_>>().join("/")
    );
    if verb == "SCAN" {
        return Some(format!("reads all of {what}"));
    }
    if rest.contains("AUTOMATIC") {
        return Some(format!("builds a temporary index over all of {what}"));
    }
    let bounds = rest
        .rsplit_once('(')
        .map(|(_, b)| b.trim_end_matches(')'))
        .unwrap_or("");
    let columns: Vec<&str> = bounds
        .split(" AND ")
        .map(|c| {
            c.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .next()
                .unwrap_or("")
        })
        .filter(|c| !c.is_empty())
        .collect();
    if columns.iter().all(|c| UNBOUNDING_COLUMNS.contains(c)) {
        return Some(format!("reads everything the organisation has in {what}"));
    }
    None
}

/// PostgreSQL's plan, judged node by node: a `Seq Scan` of a growing table, an index scan of one
/// with no condition, or one whose condition is only the organisation or centre.
/// `heap_alias`: a bitmap index scan names no alias of its own; the bitmap heap scan above it
/// does, and the join conditions name the table by that alias. `heap_filter`: that heap scan's
/// filter, the rest of the statement's conditions on the same table.
#[allow(clippy::too_many_arguments)]
fn postgres_whole_reads(
    node: &Value,
    heap_alias: Option<&str>,
    heap_filter: Option<&str>,
    tables: &BTreeSet<String>,
    indexes: &BTreeMap<String, (String, Vec<String>)>,
    conditions: &[String],
    order: Option<&[String]>,
    found: &mut Vec<String>,
) {
    let kind = node["Node Type"].as_str().unwrap_or("");
    let on = node["Index Name"].as_str().and_then(|i| indexes.get(i));
    let table = node["Relation Name"]
        .as_str()
        .map(str::to_owned)
        .or_else(|| on.map(|(table, _)| table.clone()));
    if let Some(table) = table.filter(|t| tables.contains(t) && growing(t)) {
        let index = node["Index Name"].as_str().unwrap_or("");
        match kind {
            "Seq Scan" => found.push(format!("reads all of {table} (Seq Scan)")),
            "Index Scan" | "Index Only Scan" | "Bitmap Index Scan" => match node["Index Cond"].as_str() {
                None if !bounding_index_exists(
                    &table,
                    node["Alias"].as_str().or(heap_alias).unwrap_or(&table),
                    node,
                    heap_filter,
                    conditions,
                    indexes,
                ) =>
                {
                    found.push(format!("reads all of {table} ({kind} on {index}, no condition)"))
                }
                None => {}
                Some(cond) => {
                    // Only the leading columns the condition fixes narrow the scan: a condition on
                    // a later column after a skipped one is checked entry by entry.
                    let compared = condition_columns(cond);
                    let leading: Vec<&String> = on
                        .map(|(_, columns)| columns.iter().take_while(|c| compared.contains(c)).collect())
                        .unwrap_or_default();
                    let alias = node["Alias"].as_str().or(heap_alias).unwrap_or(&table);
                    if leading.iter().all(|c| UNBOUNDING_COLUMNS.contains(&c.as_str()))
                        && !bounding_index_exists(&table, alias, node, heap_filter, conditions, indexes)
                        && !ordered_index_exists(&table, alias, node, order, indexes)
                    {
                        found.push(format!(
                            "reads everything the organisation has in {table} ({kind} on {index}: {cond})"
                        ));
                    }
                }
            },
            _ => {}
        }
    }
    let (below, below_filter) = match kind {
        "Bitmap Heap Scan" => (node["Alias"].as_str(), node["Filter"].as_str()),
        "BitmapAnd" | "BitmapOr" => (heap_alias, heap_filter),
        _ => (None, None),
    };
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            postgres_whole_reads(child, below, below_filter, tables, indexes, conditions, order, found);
        }
    }
}

/// Every join and index condition in the plan (`Hash Cond`, `Index Cond`, …), for
/// `bounding_index_exists`.
fn all_conditions(node: &Value, out: &mut Vec<String>) {
    for key in ["Index Cond", "Hash Cond", "Merge Cond", "Join Filter", "Recheck Cond"] {
        if let Some(cond) = node[key].as_str() {
            out.push(cond.to_owned());
        }
    }
    if let Some(children) = node["Plans"].as_array() {
        for child in children {
            all_conditions(child, out);
        }
    }
}

/// Whether the table has an index whose leading columns the statement fixes by equality, outside
/// any OR, and one of them more than the organisation or centre: the node's own filter (`(id = $2)`),
/// for a bitmap index scan its heap scan's filter, or a join's condition naming the node's alias
/// (`(u.id = s.user_id)`). The fixture's tables are a few pages, and on them
/// PostgreSQL may rightly prefer any index of the organisation's (or a hash join over all its
/// rows) to the one that bounds the read; at size it takes that one. An optional filter,
/// `(($2 = '') OR (case_id = $2))`, fixes nothing, so it is still caught.
fn bounding_index_exists(
    table: &str,
    alias: &str,
    node: &Value,
    heap_filter: Option<&str>,
    conditions: &[String],
    indexes: &BTreeMap<String, (String, Vec<String>)>,
) -> bool {
    let mut fixed: BTreeSet<String> = BTreeSet::new();
    let own = node["Filter"]
        .as_str()
        .into_iter()
        .chain(node["Index Cond"].as_str())
        .chain(heap_filter);
    for condition in own {
        for conjunct in condition.split(" AND ").filter(|c| !c.contains(" OR ")) {
            let conjunct = conjunct.trim_start_matches('(');
            if let Some((left, _)) = conjunct.split_once(" = ") {
                fixed.insert(left.rsplit('.').next().unwrap_or(left).to_owned());
            }
        }
    }
    let prefix = format!("{alias}.");
    for condition in conditions {
        for conjunct in condition.split(" AND ").filter(|c| !c.contains(" OR ")) {
            if let Some((left, right)) = conjunct.split_once(" = ") {
                for side in [left, right] {
                    let side = side.trim_matches(|c| c == '(' || c == ')');
                    if let Some(column) = side.strip_prefix(&prefix) {
                        fixed.insert(column.to_owned());
                    }
                }
            }
        }
    }
    indexes.values().any(|(on, columns)| {
        on == table
            && columns
                .iter()
                .take_while(|c| fixed.contains(*c))
                .any(|c| !UNBOUNDING_COLUMNS.contains(&c.as_str()))
    })
}

/// The columns (with their alias, `s.raised_at`) a statement is ordered by, when it ends
/// `ORDER BY … LIMIT n`: a page (decision 0036) or a newest-first read that stops at its limit.
fn order_then_limit(sql: &str) -> Option<Vec<String>> {
    let line = one_line(sql);
    let upper = line.to_ascii_uppercase();
    let limit = upper.rfind(" LIMIT ")?;
    let tail = upper[limit + 7..].trim();
    let bound = tail.strip_prefix('$').unwrap_or(tail);
    if bound.is_empty() || !bound.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let order = upper[..limit].rfind(" ORDER BY ")?;
    // Not an ORDER BY inside a subquery that has closed since.
    if line[order..limit].contains(')') {
        return None;
    }
    Some(
        line[order + 10..limit]
            .split(',')
            .map(|c| c.split_whitespace().next().unwrap_or("").to_owned())
            .collect(),
    )
}

/// Whether a statement that stops at its LIMIT can read this table in its order: an index whose
/// leading columns the node fixes by equality (the organisation, a status) and whose next columns
/// are the ORDER BY's, all of them this table's. Such a read stops after a page, however much the
/// organisation has; on the fixture's few pages PostgreSQL may rightly sort instead.
fn ordered_index_exists(
    table: &str,
    alias: &str,
    node: &Value,
    order: Option<&[String]>,
    indexes: &BTreeMap<String, (String, Vec<String>)>,
) -> bool {
    let Some(order) = order else { return false };
    let mut columns = Vec::new();
    for column in order {
        match column.split_once('.') {
            Some((a, c)) if a == alias => columns.push(c.to_owned()),
            None if alias == table => columns.push(column.clone()),
            _ => return false,
        }
    }
    let mut fixed: BTreeSet<String> = BTreeSet::new();
    let own = node["Filter"].as_str().into_iter().chain(node["Index Cond"].as_str());
    for condition in own {
        for conjunct in condition.split(" AND ").filter(|c| !c.contains(" OR ")) {
            let conjunct = conjunct.trim_start_matches('(');
            if let Some((left, _)) = conjunct.split_once(" = ") {
                fixed.insert(left.rsplit('.').next().unwrap_or(left).to_owned());
            }
        }
    }
    indexes.values().any(|(on, index)| {
        let lead = index.iter().take_while(|c| fixed.contains(*c)).count();
        on == table && index.len() >= lead + columns.len() && index[lead..lead + columns.len()] == columns[..]
    })
}

/// The columns an index condition compares: `((organisation_id = $1) AND (starts_at < $2))`.
fn condition_columns(cond: &str) -> Vec<String> {
    cond.split(" AND ")
        .filter_map(|part| {
            part.trim_start_matches('(')
                .split_whitespace()
                .next()
                .map(|c| c.rsplit('.').next().unwrap_or(c).trim_matches('"').to_owned())
        })
        .collect()
}

/// Drives the real server: the main writes, then every GET route as every role with real ids.
/// Returns the GET routes (as in the route table) that some role was answered 2xx on.
async fn workload(f: &Fixture) -> BTreeSet<&'static str> {
    let app = &f.app;
    let centre = f.org.centre.to_string();
    // Money: prices, a cancellation policy and the charity's details, so money pages and PDFs answer.
    let from = app.today().checked_sub(jiff::ToSpan::days(30)).unwrap().to_string();
    for (item, amount) in [
        ("supervised_session", "147"),
        ("deposit", "100"),
        ("written_report", "51"),
    ] {
        let (status, body) = post(
            app,
            &f.admin,
            &format!("/api/v1/centres/{centre}/prices"),
            json!({"item": item, "amount": amount, "applies_from": from}),
        )
        .await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let put = async |client: &reqwest::Client, path: &str, body: Value| {
        json_of(client.put(app.url(path)).json(&body).send().await.unwrap()).await
    };
    let (status, body) = put(
        &f.admin,
        "/api/v1/settings/billing",
        json!({"charity_name": "Riverside Family Contact", "charity_number": "1100123", "postal_address": "1 High Street, Leeds",
               "payment_details": "Sort code 00-00-00", "payment_terms_days": 14, "release_unpaid_hours": null, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");

    // People: a referrer whose case this is, a supervisor, a volunteer, a lead, a parent.
    app.seed_user(&f.org, Role::Referrer, "ria@cafcass.example").await;
    let ria = app.client();
    app.api_login(&ria, "ria@cafcass.example").await;
    let sam = supervisor(f, "sam@riverside.example").await;
    app.seed_user(&f.org, Role::Volunteer, "val@riverside.example").await;
    app.seed_user(&f.org, Role::SafeguardingLead, "dee@riverside.example")
        .await;
    let dad = app.seed_user(&f.org, Role::Parent, "daniel@example.org").await;
    // A solicitor's referral is charged for (a Cafcass one is not), so the case has money to show.
    let mut referral = crate::referrals::referral(&centre);
    referral["source"] = json!("solicitor");
    let (case, file) = accept_referral(f, &ria, referral).await;
    let (resident, visiting) = (party_id(&file, "resident"), party_id(&file, "visiting"));
    let (status, _) = put(
        &f.jo,
        &format!("/api/v1/cases/{case}/parties/{visiting}/account"),
        json!({"user_id": dad, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    // A history: other cases with sessions in the weeks ahead, in rooms of their own.
    let room = f.org.room.to_string();
    let mut rooms = vec![room.clone()];
    for n in 0..3 {
        rooms.push(crate::schedule::family_room(f, &format!("Room {n}")).await);
    }
    for (n, surname) in ["Ash", "Birch", "Cedar"].iter().enumerate() {
        let (other, _, _) = accepted_case(f, surname).await;
        for week in 2..6 {
            let (status, body) = post(
                app,
                &f.jo,
                &format!("/api/v1/cases/{other}/bookings"),
                booking(
                    "supervised",
                    &ahead(app, week),
                    ["09:00", "12:00", "16:00"][n],
                    &rooms[n + 1],
                    &[&sam],
                ),
            )
            .await;
            assert_eq!(status, StatusCode::CREATED, "{body}");
        }
    }

    // The case's session, confirmed; money on its account; an invoice; a calendar feed.
    let (status, booked) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking("supervised", &ahead(app, 1), "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let session = booked[0]["id"].as_str().unwrap().to_owned();
    let (status, deposit) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/ledger"),
        json!({"kind": "deposit", "account": format!("party:{resident}"), "amount": "100", "method": "cash"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{deposit}");
    let (status, invoice) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/invoices"),
        json!({"account": format!("party:{visiting}")}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");
    let (status, paid) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/ledger"),
        json!({"kind": "payment", "account": format!("party:{visiting}"), "amount": "147", "method": "card"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{paid}");
    let (_, now) = get(app, &f.jo, &format!("/api/v1/bookings/{session}")).await;
    assert_eq!(
        now["booking"]["status"], "confirmed",
        "paid in full, the session is confirmed"
    );
    let (status, feed) = post(
        app,
        &f.jo,
        "/api/v1/calendar-feeds",
        json!({"user_id": null, "case_id": case, "party_id": visiting}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");

    // A case at the pre-visit stage with a pre-visit booked; a document on the case.
    let (status, early) = post(app, &f.jo, "/api/v1/referrals", crate::referrals::referral(&centre)).await;
    assert_eq!(status, StatusCode::CREATED, "{early}");
    let early = early["id"].as_str().unwrap().to_owned();
    for step in [
        json!({"to": "waiting_list", "reason": "complete"}),
        json!({"to": "assessment", "reason": "top of the list"}),
        json!({"to": "pre_visits", "reason": "assessed"}),
    ] {
        let (_, file) = get(app, &f.jo, &format!("/api/v1/cases/{early}")).await;
        let mut step = step;
        step["version"] = file["case"]["version"].clone();
        let (status, body) = post(app, &f.jo, &format!("/api/v1/cases/{early}/transitions"), step).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let (_, early_file) = get(app, &f.jo, &format!("/api/v1/cases/{early}")).await;
    let (status, body) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{early}/pre-visits"),
        json!({"party_id": party_id(&early_file, "resident"), "date": ahead(app, 1), "time": "16:00",
               "room_id": room, "staff": [sam]}),
    )
    .await;
    assert!(status.is_success(), "{body}");

    // A link for the visiting parent's own part (shown once, on the page).
    let page_jo = app.client();
    let csrf = app.page_login(&page_jo, "jo@riverside.example").await;
    let upload = reqwest::multipart::Form::new()
        .part(
            "document",
            reqwest::multipart::Part::bytes(crate::hostile_upload::files::pdf()).file_name("order.pdf"),
        )
        .text("description", "Court order");
    let uploaded = page_jo
        .post(app.url(&format!("/cases/{case}/documents?csrf_token={csrf}")))
        .multipart(upload)
        .send()
        .await
        .unwrap();
    assert!(!uploaded.status().is_client_error() && !uploaded.status().is_server_error());
    let invited = page_jo
        .post(app.url(&format!("/cases/{early}/invites")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("invite_party", party_id(&early_file, "visiting").as_str()),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let invite: Option<String> = invited.find("/self-referral/").map(|at| {
        invited[at + "/self-referral/".len()..]
            .chars()
            .take_while(|c| *c != '<' && *c != '"')
            .collect()
    });

    // After the session: its record written and signed, a report checked and released to the
    // referrer, a concern raised, a notice ending the service of another case.
    app.clock.advance(jiff::SignedDuration::from_hours(24 * 8));
    let sam_client = app.client();
    app.api_login(&sam_client, "sam@riverside.example").await;
    for (client, email) in [
        (&f.jo, "jo@riverside.example"),
        (&f.admin, "ade@riverside.example"),
        (&ria, "ria@cafcass.example"),
    ] {
        app.api_login(client, email).await;
    }
    let (status, saved) = post(
        app,
        &sam_client,
        &format!("/api/v1/bookings/{session}/observation"),
        json!({"sections": {"arrival": "Arrived on time.", "interaction": "Played together.", "ending": "Left calmly."},
               "checklist": ["No photographs or recordings were taken"], "version": 0}),
    )
    .await;
    assert!(status.is_success(), "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        app,
        &sam_client,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, created) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/reports"),
        json!({"kind": "session", "title": "Session report", "summary": "Went well.", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let report = created["id"].as_str().unwrap().to_owned();
    let version = async || get(app, &f.jo, &format!("/api/v1/reports/{report}")).await.1["version"].clone();
    let (status, body) = post(
        app,
        &f.jo,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "send_for_check", "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = post(
        app,
        &f.admin,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "approve", "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = put(
        &f.jo,
        &format!("/api/v1/cases/{case}/distribution"),
        json!({"recipients": ["referrer"], "version": 0}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let (status, body) = post(
        app,
        &f.admin,
        &format!("/api/v1/reports/{report}/release"),
        json!({"recipients": ["referrer"], "version": version().await}),
    )
    .await;
    assert!(status.is_success(), "{body}");
    let now = app.local_now().checked_sub(jiff::ToSpan::hours(1)).unwrap();
    let (status, concern) = post(
        app,
        &sam_client,
        "/api/v1/concerns",
        json!({"kind": "disclosure", "about": "A child", "exact_words": "Words.", "booking_id": session,
               "date": now.date().to_string(), "time": now.time().strftime("%H:%M").to_string(),
               "action_taken": "Told the lead.", "carers_told": true, "carers_not_told_reason": ""}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{concern}");
    let (status, notice) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{early}/notices"),
        json!({"kind": "ended", "reason": "The family moved away.", "effective_on": ahead(app, 2)}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{notice}");

    // The court order's pattern on the case (the coordinator's list reads its sessions), a parent's
    // agreement to the rules and a new version of them (decision 0046).
    let (_, order) = get(app, &f.jo, &format!("/api/v1/cases/{case}/order-pattern")).await;
    let (status, body) = put(
        &f.jo,
        &format!("/api/v1/cases/{case}/order-pattern"),
        json!({"order_id": order["orders"][0]["id"], "every": "weeks", "interval": 1, "weekdays": ["saturday"], "minutes": 120, "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, body) = post(
        app,
        &f.jo,
        &format!("/api/v1/cases/{case}/rules-agreements"),
        json!({"parent_id": visiting, "how": "paper", "agreed_on": app.today().to_string()}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let (status, body) = post(
        app,
        &f.admin,
        "/api/v1/rules-versions",
        json!({"label": "2", "issued_on": app.today().to_string()}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");

    // Real ids for every placeholder.
    let ids: BTreeMap<&str, String> = [
        ("centre", centre.clone()),
        ("room", room.clone()),
        ("user", sam.clone()),
        ("case", case.clone()),
        ("early", early.clone()),
        ("booking", session.clone()),
        ("report", report.clone()),
        ("invoice", invoice["id"].as_str().unwrap().to_owned()),
        ("entry", paid["ids"][0].as_str().unwrap_or_default().to_owned()),
        ("concern", concern["id"].as_str().unwrap().to_owned()),
        ("notice", notice["id"].as_str().unwrap().to_owned()),
        (
            "feed",
            feed["url"]
                .as_str()
                .unwrap()
                .trim_start_matches(&app.url("/calendar/"))
                .to_owned(),
        ),
        ("invite", invite.unwrap_or_default()),
        ("document", first_id(app, "documents").await),
        ("pre_visit", first_id(app, "pre_visits").await),
        // A letter in the print queue (decision 0051): a parent with no e-mail address.
        ("letter", first_id(app, "letters").await),
    ]
    .into_iter()
    .collect();
    let fill = |path: &str| -> String {
        let id = |k: &str| ids[k].clone();
        let (first, second) = match path {
            p if p.starts_with("/static/") => ("app.css".to_owned(), String::new()),
            p if p.starts_with("/calendar/") => (id("feed"), String::new()),
            p if p.starts_with("/self-referral/") => (id("invite"), String::new()),
            p if p.starts_with("/print-queue/") => (id("letter"), String::new()),
            p if p.contains("/centres/{id}") => (id("centre"), String::new()),
            p if p.contains("/rooms/{id}") => (id("room"), String::new()),
            p if p.contains("/users/{id}") || p.starts_with("/staff/") => (id("user"), String::new()),
            p if p.contains("/documents/{id}") => (id("document"), String::new()),
            p if p.contains("/pre-visits/{id}") => (id("pre_visit"), String::new()),
            p if p.contains("/bookings/{id}") => (id("booking"), String::new()),
            p if p.contains("reports/{id}") => (id("report"), String::new()),
            p if p.contains("/invoices/{id}") => (id("invoice"), String::new()),
            p if p.contains("/concerns/{id}") => (id("concern"), String::new()),
            p if p.contains("/notices/{id}") => (id("notice"), "resident".to_owned()),
            p if p.contains("/cases/{id}/service") || p.contains("/notices") => (id("early"), String::new()),
            p if p.contains("/receipts/") => (id("case"), id("entry")),
            p if p.contains("/statements/") => (id("case"), format!("party:{visiting}")),
            _ => (id("case"), String::new()),
        };
        path.replace("{id}", &first)
            .replace("{token}", &first)
            .replace("{file}", &first)
            .replace("{entry}", &second)
            .replace("{account}", &second)
            .replace("{recipient}", &second)
            .replace("{party}", &visiting)
    };
    // Extra queries some routes read (a week's calendar, a search for free times).
    let extra = |path: &str| -> Vec<String> {
        match path {
            "/centres/{id}/calendar" => vec!["?view=week".into(), format!("?date={}", ahead(app, 1))],
            "/api/v1/centres/{id}/calendar" => vec![format!("?from={}&days=7", ahead(app, 1))],
            // The pages after and before an item (decision 0036), with and without a filter.
            "/cases" | "/api/v1/cases" => vec![
                format!("?status=accepted&centre={centre}&q=Mia"),
                format!("?after={}", ids["case"]),
                format!("?status=accepted&before={}", ids["case"]),
            ],
            "/concerns" | "/api/v1/concerns" => vec![
                "?status=open".into(),
                format!("?centre={centre}"),
                format!("?after={}", ids["concern"]),
                format!("?status=closed&before={}", ids["concern"]),
            ],
            "/users" | "/api/v1/users" => vec![format!("?after={sam}"), format!("?before={sam}")],
            "/api/v1/cases/{id}/availability" => vec![format!("?kind=supervised&minutes=120&from={}", ahead(app, 1))],
            _ => Vec::new(),
        }
    };

    // Every GET route, as every role and signed out.
    let mut clients = vec![app.client()];
    for email in [
        "jo@riverside.example",
        "ade@riverside.example",
        "sam@riverside.example",
        "val@riverside.example",
        "dee@riverside.example",
        "ria@cafcass.example",
        "daniel@example.org",
    ] {
        let client = app.client();
        app.api_login(&client, email).await;
        clients.push(client);
    }
    let mut answered = BTreeSet::new();
    for route in familytime_web::routes::route_table() {
        if route.method != reqwest::Method::GET {
            continue;
        }
        let path = fill(route.path);
        let mut urls = vec![path.clone()];
        urls.extend(extra(route.path).into_iter().map(|q| format!("{path}{q}")));
        for client in &clients {
            for url in &urls {
                let status = client.get(app.url(url)).send().await.unwrap().status();
                assert!(!status.is_server_error(), "GET {url}: {status}");
                if status.is_success() {
                    answered.insert(route.path);
                }
            }
        }
    }
    // Two-factor sign-in (decision 0052): an enrolment, the second step with a code and with a
    // recovery code (the pending sign-in's reads and the once-only writes), and a reset.
    let tia = app.seed_user(&f.org, Role::Coordinator, "tia@riverside.example").await;
    let (_, secret, codes) = crate::totp::enrol_from_account(app, "tia@riverside.example").await;
    for code in [crate::totp::code_at(app, &secret, 1), codes[0].clone()] {
        let browser = app.client();
        crate::totp::password_step(app, &browser, "tia@riverside.example").await;
        let response = crate::totp::code_step(app, &browser, &code).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "the second step");
    }
    let (status, body) = post(
        app,
        &f.admin,
        &format!("/api/v1/users/{tia}/two-factor/reset"),
        json!({}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // The e-mail jobs (decision 0044): the reminder job's read of the sessions due a reminder, and
    // the sender's claim of what is due and its marks (a server that is down: each is retried).
    let config = familytime_app::Config {
        mail: familytime_app::mail::MailSettings {
            smtp_url: Some(format!("smtp://127.0.0.1:{}?tls=none", {
                let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                listener.local_addr().unwrap().port()
            })),
            from: "contact@riverside.example".into(),
        },
        ..familytime_app::Config::default()
    };
    let clock: std::sync::Arc<dyn familytime_app::clock::Clock> = app.clock.clone();
    let state = familytime_app::AppState::new(app.store.clone(), clock, config.clone()).unwrap();
    familytime_app::mail::reminders::enqueue_due(&state).await.unwrap();
    let mailer = familytime_app::mail::sender::Mailer::from_settings(&config.mail)
        .unwrap()
        .unwrap();
    familytime_app::mail::sender::send_due(&state, &mailer).await.unwrap();
    answered
}

/// The id of some row of `table`, read straight from the test database (outside the capture).
async fn first_id(app: &TestApp, table: &str) -> String {
    RECORDING.store(false, Ordering::SeqCst);
    let sql = format!("SELECT id FROM {table} LIMIT 1");
    let id = match &app.location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let id: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
                .fetch_optional(&pool)
                .await
                .unwrap();
            pool.close().await;
            id
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let id: Option<String> =
                sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT id::text FROM {table} LIMIT 1")))
                    .fetch_optional(&pool)
                    .await
                    .unwrap();
            pool.close().await;
            id
        }
    };
    RECORDING.store(true, Ordering::SeqCst);
    id.unwrap_or_default()
}

/// The guard's judgement of PostgreSQL plans, on plans written out by hand: it must still catch a
/// whole read (so a passing guard means something), and a bitmap index scan is judged with its
/// heap scan's filter.
#[test]
fn the_guard_catches_a_whole_read_and_judges_a_bitmap_scan_with_its_heap_filter() {
    let tables: BTreeSet<String> = ["pair_claims".to_owned()].into();
    let indexes: BTreeMap<String, (String, Vec<String>)> = [
        (
            "pair_claims_by_pair".to_owned(),
            (
                "pair_claims".to_owned(),
                ["organisation_id", "pair_id", "site", "starts_at"]
                    .map(str::to_owned)
                    .to_vec(),
            ),
        ),
        (
            "pair_claims_never_meet_by_key".to_owned(),
            (
                "pair_claims".to_owned(),
                ["pair_key", "span", "party_id"].map(str::to_owned).to_vec(),
            ),
        ),
    ]
    .into();
    let judge = |plan: Value| {
        let mut conditions = Vec::new();
        all_conditions(&plan, &mut conditions);
        let mut found = Vec::new();
        postgres_whole_reads(&plan, None, None, &tables, &indexes, &conditions, None, &mut found);
        found
    };
    let seq = json!({"Node Type": "Seq Scan", "Relation Name": "pair_claims", "Alias": "pair_claims",
                     "Filter": "(organisation_id = $1)"});
    assert_eq!(judge(seq).len(), 1, "a sequential scan of a growing table is caught");
    let bitmap = |filter: Option<&str>| {
        json!({"Node Type": "Bitmap Heap Scan", "Relation Name": "pair_claims", "Alias": "pair_claims",
               "Filter": filter, "Plans": [{"Node Type": "Bitmap Index Scan",
               "Index Name": "pair_claims_never_meet_by_key", "Index Cond": "(party_id <> $3)"}]})
    };
    assert_eq!(
        judge(bitmap(Some("(organisation_id = $1)"))).len(),
        1,
        "bounded by the organisation alone: caught"
    );
    assert!(
        judge(bitmap(Some(
            "((organisation_id = $1) AND (pair_id = $2) AND (site = $4))"
        )))
        .is_empty(),
        "the heap filter fixes pair_claims_by_pair's leading columns: the read is bounded at size"
    );
}
