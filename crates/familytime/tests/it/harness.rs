//! The test harness: each test gets the real server on a random port, against a fresh SQLite file,
//! or, when `TEST_DATABASE_URL` names a PostgreSQL server, a fresh PostgreSQL database. Tests end with
//! `finish`, which checks the database's consistency (integrity, foreign keys, the audit chain).

use familytime_app::clock::{Clock, ShiftedClock};
use familytime_app::people::{NewUserInput, add_user};
use familytime_app::{AppState, Config};
use familytime_domain::ids::{CentreId, OrganisationId, RoomId, UserId};
use familytime_domain::people::Role;
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::{AuditScope, Location, Store};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use std::sync::Arc;

/// The password every seeded test account has.
pub const PASSWORD: &str = "lantern orchard pebble";

pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub clock: Arc<ShiftedClock>,
    pub location: Location,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<()>>,
    _dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

/// Where a fresh test database lives: a new SQLite file, or a new PostgreSQL database.
pub async fn fresh_location(dir: &tempfile::TempDir) -> (Location, Option<(String, String)>) {
    match std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty()) {
        Some(admin_url) => {
            let name = format!("ft_test_{}", uuid::Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(&admin_url)
                .await
                .expect("TEST_DATABASE_URL must point at a PostgreSQL server");
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&admin)
                .await
                .expect("create test database");
            admin.close().await;
            let url = with_database(&admin_url, &name);
            (Location::Postgres(url), Some((admin_url, name)))
        }
        None => (Location::DataDir(dir.path().to_path_buf()), None),
    }
}

/// The URL with its database name replaced.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Runs SQL directly on the database, as someone with access to the file or server could, and
/// says whether the database accepted it.
pub async fn run_sql(location: &Location, sql: &str) -> bool {
    sql_refusal(location, sql).await.is_none()
}

/// Runs SQL directly on the database, as `run_sql` does, and returns the database's own message
/// when it refuses it (a trigger's text, a constraint's name), or None when it was accepted: a test
/// that means "the trigger refused it" can then tell that refusal from any other error.
pub async fn sql_refusal(location: &Location, sql: &str) -> Option<String> {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    let outcome = match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.expect("open the SQLite file");
            let outcome = sqlx::raw_sql(sql).execute(&pool).await.map(|_| ());
            pool.close().await;
            outcome
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.expect("connect to PostgreSQL");
            let outcome = sqlx::raw_sql(sql).execute(&pool).await.map(|_| ());
            pool.close().await;
            outcome
        }
    };
    outcome.err().map(|e| match e.as_database_error() {
        Some(db) => db.message().to_owned(),
        None => e.to_string(),
    })
}

/// How many deadlocks PostgreSQL detected (and broke, after a second's wait each) in database
/// `name`, once its connections have ended: a backend reports its count as it exits.
async fn deadlocks_in(admin_url: &str, name: &str) -> i64 {
    let admin = sqlx::PgPool::connect(admin_url).await.expect("connect to PostgreSQL");
    // PostgreSQL says nothing when a backend exits, so this asks until none is left (they end within
    // milliseconds of the pool closing); a count read before then could miss a deadlock.
    let mut ended = false;
    for _ in 0..500 {
        let connected: i64 = sqlx::query_scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = $1")
            .bind(name)
            .fetch_one(&admin)
            .await
            .expect("count connections");
        if connected == 0 {
            ended = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    assert!(
        ended,
        "the test database's connections were still open 5 s after the test closed its pool"
    );
    let deadlocks =
        sqlx::query_scalar("SELECT coalesce(sum(deadlocks), 0)::bigint FROM pg_stat_database WHERE datname = $1")
            .bind(name)
            .fetch_one(&admin)
            .await
            .expect("read the database's statistics");
    admin.close().await;
    deadlocks
}

pub async fn drop_postgres(postgres: Option<(String, String)>) {
    if let Some((admin_url, name)) = postgres
        && let Ok(admin) = sqlx::PgPool::connect(&admin_url).await
    {
        let _ = sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
        )))
        .execute(&admin)
        .await;
        admin.close().await;
    }
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(Config::default()).await
    }

    pub async fn spawn_with(config: Config) -> TestApp {
        Self::spawn_setup(config, Ok).await
    }

    /// A server whose store signs the audit log with `key` and writes checkpoints (decision 0053).
    pub async fn spawn_audit_keyed(
        key: familytime_domain::audit::AuditKey,
        checkpoints: familytime_store::CheckpointSettings,
    ) -> TestApp {
        Self::spawn_setup(Config::default(), |s| s.with_audit_key(key, Some(checkpoints))).await
    }

    async fn spawn_setup(config: Config, setup: impl FnOnce(Store) -> familytime_store::Result<Store>) -> TestApp {
        let dir = tempfile::tempdir().expect("temp dir");
        let (location, postgres) = fresh_location(&dir).await;
        let store = setup(Store::open(&location).await.expect("open store")).expect("set up the store");
        let clock = Arc::new(ShiftedClock::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        // The server's public address is where it listens, as `serve` does, unless a test gave one.
        let public_url = if config.public_url == Config::default().public_url {
            base.clone()
        } else {
            config.public_url.clone()
        };
        let config = Config {
            documents_dir: dir.path().join("documents"),
            public_url,
            ..config
        };
        let state = AppState::new(store.clone(), clock.clone(), config).expect("state");
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(async move {
            familytime_web::serve(listener, state, async {
                let _ = rx.await;
            })
            .await
            .expect("server");
        });
        TestApp {
            base,
            store,
            clock,
            location,
            shutdown: Some(tx),
            server: Some(server),
            _dir: dir,
            postgres,
        }
    }

    /// Now at the seeded centres (Europe/London) by the server's clock, which a test may have moved:
    /// every date a test books or records is reckoned from this, never from a fixed calendar date
    /// (which goes stale) nor from the machine's clock (which the server does not read).
    pub fn local_now(&self) -> jiff::Zoned {
        self.clock
            .now()
            .to_zoned(jiff::tz::TimeZone::get("Europe/London").expect("the Europe/London zone"))
    }

    /// Today's date at the seeded centres, by the server's clock.
    pub fn today(&self) -> jiff::civil::Date {
        self.local_now().date()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Where the server keeps uploaded documents' bytes (so a test can see nothing else was written).
    pub fn documents_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("documents")
    }

    /// A browser-like client: keeps cookies, does not follow redirects (tests look at them).
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("client")
    }

    pub fn seed_scope(&self, org: Option<OrganisationId>) -> AuditScope {
        AuditScope {
            at: familytime_domain::Timestamp::now(),
            request_id: "test-seed".into(),
            actor_user_id: None,
            organisation_id: org,
        }
    }

    /// Creates an organisation with a centre and two rooms.
    pub async fn seed_organisation(&self, name: &str) -> Org {
        let mut tx = self.store.begin().await.expect("begin");
        let org = tx
            .insert_organisation(&self.seed_scope(None), name)
            .await
            .expect("organisation");
        let scope = self.seed_scope(Some(org));
        let details =
            CentreDetails::parse(&format!("{name} Centre"), "1 Canary Street", "Europe/London").expect("centre");
        let centre = tx.insert_centre(&scope, org, &details).await.expect("centre");
        tx.commit().await.expect("commit");
        // The tests of other features book contact without walking every adult through a
        // pre-visit first, as an organisation that allows it does (the switch is audited); the
        // booking rules' own tests switch it back on (`booking_rules.rs`).
        self.store
            .set_previsits_before_contact(&scope, org, false, None)
            .await
            .expect("pre-visit rule");
        let room = self
            .store
            .create_room(
                &scope,
                org,
                centre,
                &RoomDetails::parse("Blue Room", "family_room", "").expect("room"),
            )
            .await
            .expect("room");
        Org {
            id: org,
            centre,
            room: room.id,
        }
    }

    /// Adds an account with `PASSWORD`.
    pub async fn seed_user(&self, org: &Org, role: Role, email: &str) -> UserId {
        let input = NewUserInput {
            email: email.into(),
            name: format!("Test {}", role.label()),
            role: role.as_str().into(),
            password: PASSWORD.into(),
            centre_ids: Vec::new(),
        };
        add_user(&self.store, &self.seed_scope(Some(org.id)), org.id, &input)
            .await
            .map_err(|e| e.message())
            .expect("user")
            .id
    }

    /// Names a member of staff for a case, as a coordinator or administrator would (the key worker,
    /// or one of the coordinators and managers named for it), so they see its hidden details
    /// without giving a reason. Whoever was named before stays named.
    pub async fn name_for_case(&self, org: &Org, case: &str, user: UserId, key_worker: bool) {
        let case = familytime_domain::ids::CaseId::parse(case).expect("a case id");
        let before = self.store.named_staff(org.id, case).await.expect("named staff");
        let key = if key_worker {
            Some(user)
        } else {
            before.iter().find(|n| n.key_worker).map(|n| n.user_id)
        };
        let mut named: Vec<UserId> = before.iter().filter(|n| !n.key_worker).map(|n| n.user_id).collect();
        if !key_worker {
            named.push(user);
        }
        let version = self.store.named_staff_version(org.id, case).await.expect("version");
        self.store
            .set_named_staff(&self.seed_scope(Some(org.id)), org.id, case, version, key, &named)
            .await
            .expect("name for the case");
    }

    /// Signs in through the API; the client keeps the session cookie.
    pub async fn api_login(&self, client: &reqwest::Client, email: &str) {
        let response = client
            .post(self.url("/api/v1/login"))
            .json(&json!({"email": email, "password": PASSWORD}))
            .send()
            .await
            .expect("login");
        assert_eq!(response.status(), StatusCode::OK, "sign in as {email}");
    }

    /// Signs in and returns the CSRF token the signed-in pages carry.
    pub async fn page_login(&self, client: &reqwest::Client, email: &str) -> String {
        self.api_login(client, email).await;
        let home = client
            .get(self.url("/account"))
            .send()
            .await
            .expect("account page")
            .text()
            .await
            .expect("body");
        csrf_in(&home).expect("signed-in pages carry a CSRF token")
    }

    /// Stops the server and checks the database is consistent; call at the end of every test.
    pub async fn finish(self) {
        self.finish_with_problems(&[]).await;
    }

    /// Stops the server and checks the database, expecting exactly these problems (the start of
    /// each message, in order): for tests that break the database on purpose, such as the
    /// audit-tampering tests, so that the rest of the check still runs and the harness is seen to
    /// catch what the test broke.
    pub async fn finish_with_problems(mut self, expected: &[&str]) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(server) = self.server.take() {
            let _ = server.await;
        }
        check_and_drop(&self.store, self.postgres.take(), expected).await;
    }
}

/// The end of every test's database: its consistency (SQLite's integrity and foreign keys, the
/// audit chain) must show exactly the `expected` problems (usually none), PostgreSQL must have
/// broken no deadlock, and then the database is removed. For tests that open a store without a
/// server (`fresh_location`), as `TestApp::finish` does for those that start one.
pub async fn check_and_drop(store: &Store, postgres: Option<(String, String)>, expected: &[&str]) {
    let problems = store.check_consistency().await.expect("consistency check runs");
    store.close().await;
    let as_expected = problems.len() == expected.len()
        && problems
            .iter()
            .zip(expected)
            .all(|(problem, start)| problem.starts_with(start));
    if !as_expected {
        drop_postgres(postgres).await;
        panic!("database inconsistent after test: {problems:?} (expected {expected:?})");
    }
    if let Some((admin_url, name)) = &postgres {
        let deadlocks = deadlocks_in(admin_url, name).await;
        if deadlocks != 0 {
            drop_postgres(postgres).await;
            panic!("PostgreSQL broke {deadlocks} deadlocks in this test");
        }
    }
    drop_postgres(postgres).await;
}

/// One seeded organisation.
#[derive(Clone, Debug)]
pub struct Org {
    pub id: OrganisationId,
    pub centre: CentreId,
    pub room: RoomId,
}

/// The CSRF token in a page's forms.
/// The page a form's post-redirect-get goes back to: the 303's location, fetched.
pub async fn follow(app: &TestApp, client: &reqwest::Client, response: reqwest::Response) -> reqwest::Response {
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "{}", response.url());
    let to = response.headers()["location"].to_str().unwrap().to_owned();
    client.get(app.url(&to)).send().await.unwrap()
}

pub fn csrf_in(html: &str) -> Option<String> {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_owned())
}

pub async fn json_of(response: reqwest::Response) -> (StatusCode, Value) {
    let status = response.status();
    let body = response.json::<Value>().await.unwrap_or(Value::Null);
    (status, body)
}

/// The `Set-Cookie` header for a cookie, if the response sets it.
pub fn set_cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
}

/// The text of a PDF the product made, read back with pdftotext (`-layout`), after `qpdf --check`
/// has found the same bytes a sound PDF: no errors and no warnings. Both are Debian packages
/// (poppler-utils, qpdf) that `scripts/test` installs.
pub fn pdf_text(bytes: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("made.pdf");
    std::fs::write(&path, bytes).unwrap();
    let check = std::process::Command::new("qpdf")
        .arg("--check")
        .arg(&path)
        .output()
        .expect("qpdf is installed by scripts/test");
    assert!(
        check.status.success() && check.stderr.is_empty(),
        "qpdf --check finds fault with the PDF ({}): {}{}",
        check.status,
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed by scripts/test");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}
