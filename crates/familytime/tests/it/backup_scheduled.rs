//! The backups `serve` makes on its own (issue 18, decision 0054), on the real database: one backup
//! a period however many servers ask at once, each read back before it counts, the oldest deleted
//! beyond the number kept (and nothing else in the folder), a failure recorded and shown to
//! administrators, and a scheduled backup that restores. Then a real `serve` process with the
//! flags, and the flags that must stop it from starting.

use crate::harness::{check_and_drop, fresh_location};
use crate::referrals::referral;
use crate::schedule::{accept_referral, fixture};
use familytime_app::backup::{BackupKey, make_key};
use familytime_app::clock::Clock;
use familytime_app::scheduled_backups::{BackupPlan, make_due};
use familytime_app::{AppState, Config};
use familytime_domain::scheduled_backups::BackupSchedule;
use familytime_store::scheduled_backups::BackupOutcome;
use familytime_store::{Location, Store};
use reqwest::StatusCode;
use std::path::Path;
use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::AsyncBufReadExt;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_familytime");

/// The scheduled backups' files in `dir`, oldest first, and anything else there.
fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn database_args(location: &Location) -> Vec<String> {
    match location {
        Location::Postgres(url) => vec!["--database-url".into(), url.clone()],
        Location::DataDir(_) => Vec::new(),
    }
}

/// `familytime ARGS` on `location` with its data folder `data_dir`: (success, what it said).
async fn familytime(location: &Location, data_dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(BIN)
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .args(database_args(location))
        .env_remove("DATABASE_URL")
        .env_remove("FAMILYTIME_BACKUP_PASSPHRASE")
        .env_remove("FAMILYTIME_BACKUP_DIR")
        .stdin(Stdio::null())
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), out)
        .await
        .expect("finishes")
        .expect("runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), said)
}

/// One number read with SQL straight from the database.
async fn count(location: &Location, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let n = sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap();
            pool.close().await;
            n
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_scheduled_once_a_period_read_back_kept_to_its_number_and_failures_shown() {
    let f = fixture().await;
    accept_referral(&f, &f.jo, referral(&f.org.centre.to_string())).await;
    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("backup.key");
    make_key(&key).unwrap();
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("notes.txt"), "the operator's own file").unwrap();
    let clock: Arc<dyn Clock> = f.app.clock.clone();
    let config = Config {
        documents_dir: f.app.documents_dir(),
        ..Config::default()
    };
    let state = AppState::new(f.app.store.clone(), clock, config).unwrap();
    let plan = BackupPlan {
        dir: folder.path().to_path_buf(),
        schedule: BackupSchedule::new("24h", 2).unwrap(),
        key: BackupKey::File(key.clone()),
        location: f.app.location.clone(),
    };
    plan.check().unwrap();

    // The period's backup is made, read back and recorded; asked again in the same period, nothing.
    let first = make_due(&state, &plan).await.unwrap();
    let Some(BackupOutcome::Verified {
        file_name, audit_seq, ..
    }) = first
    else {
        panic!("a verified backup, not {first:?}");
    };
    assert!(audit_seq > 0, "the backup holds the audit log");
    assert!(folder.path().join(&file_name).exists());
    assert_eq!(make_due(&state, &plan).await.unwrap(), None, "one backup a period");
    let data_dir = f.app.documents_dir().parent().unwrap().to_path_buf();
    let (ok, said) = familytime(
        &f.app.location,
        &data_dir,
        &[
            "backup-check",
            "--from",
            folder.path().join(&file_name).to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok && said.contains("is whole"), "{said}");

    // Two servers asking at once in the next period: one makes it.
    f.app.clock.advance(jiff::SignedDuration::from_hours(24));
    let (a, b) = tokio::join!(make_due(&state, &plan), make_due(&state, &plan));
    let made: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(
        made.len(),
        1,
        "exactly one of two servers makes the period's backup: {made:?}"
    );
    assert!(matches!(made[0], BackupOutcome::Verified { .. }));

    // A third period: the oldest scheduled backup goes, the operator's own file stays.
    f.app.clock.advance(jiff::SignedDuration::from_hours(24));
    assert!(matches!(
        make_due(&state, &plan).await.unwrap(),
        Some(BackupOutcome::Verified { .. })
    ));
    let names = names_in(folder.path());
    assert_eq!(names.len(), 3, "two backups kept and the other file: {names:?}");
    assert!(names.contains(&"notes.txt".to_owned()));
    assert!(!names.contains(&file_name), "the oldest backup was deleted: {names:?}");
    let newest = names.iter().filter(|n| n.ends_with(".backup")).max().unwrap().clone();

    // The key gone: the next period's backup fails, is recorded with why, and deletes nothing.
    let moved = keys.path().join("elsewhere.key");
    std::fs::rename(&key, &moved).unwrap();
    f.app.clock.advance(jiff::SignedDuration::from_hours(24));
    let failed = make_due(&state, &plan).await.unwrap();
    assert!(
        matches!(&failed, Some(BackupOutcome::Failed(why)) if why.contains("cannot read the key file")),
        "{failed:?}"
    );
    assert_eq!(names_in(folder.path()), names, "a failed night deletes nothing");

    // Administrators are told on their home page and see every run; a coordinator sees neither.
    // (Days have passed on the server's clock: both sign in again.)
    f.app.api_login(&f.admin, "ade@riverside.example").await;
    f.app.api_login(&f.jo, "jo@riverside.example").await;
    let home = f.admin.get(f.app.url("/home")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let home = home.text().await.unwrap();
    assert!(home.contains("The last backup failed"), "{home}");
    assert!(home.contains("cannot read the key file"), "{home}");
    let page = f.admin.get(f.app.url("/backups")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert_eq!(page.matches("Made and checked").count(), 3, "{page}");
    assert_eq!(page.matches("Failed").count(), 1, "{page}");
    assert!(page.contains(&newest), "{page}");
    let refused = f.jo.get(f.app.url("/backups")).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let coordinator_home = f.jo.get(f.app.url("/home")).send().await.unwrap().text().await.unwrap();
    assert!(!coordinator_home.contains("backup"), "{coordinator_home}");
    f.app.store.seal_audit().await.unwrap();
    for (action, expected) in [("backup.verified", 3), ("backup.failed", 1)] {
        let sql = format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND object_type = 'backup_run'");
        assert_eq!(count(&f.app.location, &sql).await, expected, "{action}");
    }

    // The key back: the newest scheduled backup restores into an empty database.
    std::fs::rename(&moved, &key).unwrap();
    let target_dir = tempfile::tempdir().unwrap();
    let (target, postgres) = fresh_location(&target_dir).await;
    let (ok, said) = familytime(
        &target,
        target_dir.path(),
        &[
            "restore",
            "--from",
            folder.path().join(&newest).to_str().unwrap(),
            "--key-file",
            key.to_str().unwrap(),
        ],
    )
    .await;
    assert!(ok && said.contains("audit log intact"), "{said}");
    let restored = Store::open(&target).await.unwrap();
    check_and_drop(&restored, postgres, &[]).await;
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_scheduled_by_a_real_serve_and_wrong_flags_stop_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    // On SQLite the database is in the data folder itself.
    let data_dir = match &location {
        Location::DataDir(dir) => dir.clone(),
        Location::Postgres(_) => dir.path().join("data"),
    };
    let key = dir.path().join("backup.key");
    make_key(&key).unwrap();
    let folder = dir.path().join("backups");
    let (key_arg, folder_arg) = (key.to_str().unwrap(), folder.to_str().unwrap());

    for (flags, expected) in [
        (
            vec!["--backup-dir", folder_arg, "--backup-every", "daily"],
            "--backup-every",
        ),
        (vec!["--backup-dir", folder_arg, "--backup-keep", "0"], "--backup-keep"),
        (vec!["--backup-dir", folder_arg], "--backup-key-file"),
        (
            vec![
                "--backup-dir",
                folder_arg,
                "--backup-key-file",
                dir.path().join("none.key").to_str().unwrap(),
            ],
            "cannot read the key file",
        ),
    ] {
        let mut args = vec!["serve", "--listen", "127.0.0.1:0"];
        args.extend(flags);
        let (ok, said) = familytime(&location, &data_dir, &args).await;
        assert!(!ok && said.contains(expected), "{expected}: {said}");
    }

    let mut serve = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--backup-dir",
            folder_arg,
            "--backup-key-file",
            key_arg,
        ])
        .arg("--data-dir")
        .arg(&data_dir)
        .args(database_args(&location))
        .env_remove("DATABASE_URL")
        .env_remove("FAMILYTIME_BACKUP_PASSPHRASE")
        .env("FAMILYTIME_LOG", "info,sqlx=warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // What it prints and logs (both on standard output): it starts, says where backups go, and its
    // first start makes the period's backup, logged once it has been read back.
    let mut out = tokio::io::BufReader::new(serve.stdout.take().unwrap()).lines();
    let mut said = String::new();
    let verified = tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = out.next_line().await.unwrap() {
            said.push_str(&line);
            said.push('\n');
            if line.contains("scheduled backup made and checked") {
                return true;
            }
        }
        false
    })
    .await;
    assert!(matches!(verified, Ok(true)), "{said}");
    assert!(said.contains("backups are made into"), "{said}");
    let store = Store::connect(&location).await.unwrap();
    let run = store
        .last_backup_run(familytime_domain::Timestamp::now())
        .await
        .unwrap()
        .expect("the run is recorded");
    let BackupOutcome::Verified { file_name, .. } = &run.outcome else {
        panic!("{run:?}");
    };
    let (ok, said) = familytime(
        &location,
        &data_dir,
        &[
            "backup-check",
            "--from",
            folder.join(file_name).to_str().unwrap(),
            "--key-file",
            key_arg,
        ],
    )
    .await;
    assert!(ok && said.contains("is whole"), "{said}");
    serve.kill().await.unwrap();
    store.close().await;
    let store = Store::open(&location).await.unwrap();
    check_and_drop(&store, postgres, &[]).await;
}
