//! The audit trail against an insider who can write to the database but has neither the audit key
//! nor the checkpoint directory (issue 18 item 5, decision 0053). Real activity goes through the
//! server, whose store signs the chain and writes checkpoints; then raw SQL against the database
//! alone (the append-only triggers dropped first, as such an insider could) deletes the newest
//! entries and moves the head back, edits an entry and recomputes every later hash, edits one entry,
//! or deletes one. `familytime audit verify`, run as a real process with the key and the checkpoint
//! directory, must fail naming each; the untouched database must verify.

use crate::harness::{TestApp, run_sql};
use crate::schedule::{get, post};
use familytime_domain::audit::{AuditEntry, AuditKey};
use familytime_domain::people::Role;
use familytime_store::{CheckpointSettings, Location};
use reqwest::StatusCode;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_familytime");

/// What lives outside the database: the key file and the checkpoint directory.
struct Outside {
    _dir: tempfile::TempDir,
    key_file: PathBuf,
    checkpoints: PathBuf,
}

/// Runs `familytime ARGS` against the app's database; returns (success, stdout + stderr).
async fn familytime(location: &Location, args: &[&str]) -> (bool, String) {
    let db: Vec<String> = match location {
        Location::DataDir(dir) => vec!["--data-dir".into(), dir.display().to_string()],
        Location::Postgres(url) => vec!["--database-url".into(), url.clone()],
    };
    let out = Command::new(BIN)
        .args(args)
        .args(db)
        .env_remove("DATABASE_URL")
        .env_remove("FAMILYTIME_AUDIT_KEY_FILE")
        .env_remove("FAMILYTIME_AUDIT_CHECKPOINT_DIR")
        .output();
    let out = tokio::time::timeout(Duration::from_secs(120), out)
        .await
        .expect("familytime finishes")
        .expect("run familytime");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

/// `familytime audit verify` with the key and the checkpoint directory.
async fn verify(app: &TestApp, outside: &Outside) -> (bool, String) {
    let key = outside.key_file.display().to_string();
    let checkpoints = outside.checkpoints.display().to_string();
    familytime(
        &app.location,
        &[
            "audit",
            "verify",
            "--audit-key-file",
            &key,
            "--audit-checkpoint-dir",
            &checkpoints,
        ],
    )
    .await
}

/// A server signing its audit log, after real activity through it: a coordinator signs in, sends
/// a referral in and reads the case, a few times. Every seal writes a checkpoint.
async fn signed_app_with_activity() -> (TestApp, Outside) {
    let dir = tempfile::tempdir().unwrap();
    let key_file = dir.path().join("audit.key");
    let checkpoints = dir.path().join("checkpoints");
    // The key is made by the command an operator would use.
    let (made, out) = familytime(
        &Location::DataDir(dir.path().join("unused")),
        &["audit-key", "--to", &key_file.display().to_string()],
    )
    .await;
    assert!(made, "audit-key failed: {out}");
    let key = AuditKey::parse(&std::fs::read_to_string(&key_file).unwrap()).expect("a key file it can read back");
    let settings = CheckpointSettings {
        dir: checkpoints.clone(),
        every_entries: 1,
        every: Duration::from_secs(3600),
    };
    let app = TestApp::spawn_audit_keyed(key, settings).await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    for surname in ["Ash", "Birch", "Cedar"] {
        let mut referral = crate::referrals::referral(&org.centre.to_string());
        referral["children"][0]["name"] = serde_json::json!(format!("Mia {surname}"));
        let (status, case) = post(&app, &jo, "/api/v1/referrals", referral).await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        let id = case["id"].as_str().unwrap().to_owned();
        let (status, _) = get(&app, &jo, &format!("/api/v1/cases/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        // Sealed (and checkpointed) between rounds, as the running server does every 200 ms.
        app.store.seal_audit().await.unwrap();
    }
    (
        app,
        Outside {
            _dir: dir,
            key_file,
            checkpoints,
        },
    )
}

/// The checkpoint files written so far.
fn checkpoint_files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// The insider's first step: the triggers that keep the log append-only and the head forward-only.
async fn drop_the_guards(location: &Location) {
    let sql = match location {
        Location::DataDir(_) => {
            "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;
             DROP TRIGGER audit_head_forward_only; DROP TRIGGER audit_head_keyed_once;"
        }
        Location::Postgres(_) => {
            "DROP TRIGGER audit_log_no_update_or_delete ON audit_log;
             DROP TRIGGER audit_head_forward_only ON audit_head;"
        }
    };
    assert!(run_sql(location, sql).await, "the insider could drop the triggers");
}

type Row = (
    i64,
    i64,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
);

/// The whole chain as the database holds it, read with raw SQL.
async fn chain(location: &Location) -> Vec<AuditEntry> {
    const SQL: &str = "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash FROM audit_log ORDER BY seq";
    let rows: Vec<Row> = match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let rows = sqlx::query_as(SQL).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let rows = sqlx::query_as(SQL).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows
        }
    };
    rows.into_iter()
        .map(|r| AuditEntry {
            seq: r.0,
            at_ms: r.1,
            request_id: r.2,
            actor_user_id: r.3,
            organisation_id: r.4,
            action: r.5,
            object_type: r.6,
            object_id: r.7,
            outcome: r.8,
            prev_hash: r.9,
            hash: r.10,
        })
        .collect()
}

/// Changes entry `seq`'s outcome to "denied" and recomputes its hash and every later one, and the
/// head, as an insider who has the source code but not the key would: with plain SHA-256, or with
/// a key of their own guessing.
async fn edit_and_recompute(location: &Location, seq: i64, guessed_key: Option<&AuditKey>) {
    let entries = chain(location).await;
    let mut sql = String::new();
    let mut prev = entries
        .iter()
        .find(|e| e.seq == seq - 1)
        .map(|e| e.hash.clone())
        .unwrap();
    let mut last = (0, String::new());
    for mut e in entries.into_iter().filter(|e| e.seq >= seq) {
        if e.seq == seq {
            e.outcome = "denied".into();
        }
        e.prev_hash = prev;
        e.hash = e.hash_with(guessed_key);
        sql.push_str(&format!(
            "UPDATE audit_log SET outcome = '{}', prev_hash = '{}', hash = '{}' WHERE seq = {};\n",
            e.outcome, e.prev_hash, e.hash, e.seq
        ));
        prev = e.hash.clone();
        last = (e.seq, e.hash);
    }
    sql.push_str(&format!(
        "UPDATE audit_head SET seq = {}, hash = '{}' WHERE id = 1;",
        last.0, last.1
    ));
    assert!(run_sql(location, &sql).await, "the rewrite was accepted");
}

/// The entry in the middle of the chain, from the database.
async fn middle(location: &Location) -> i64 {
    let entries = chain(location).await;
    entries[entries.len() / 2].seq
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_an_untouched_signed_log_verifies_and_needs_its_key() {
    let (app, outside) = signed_app_with_activity().await;
    let files = checkpoint_files(&outside.checkpoints);
    assert!(files.len() >= 3, "a checkpoint per seal: {files:?}");
    let (ok, out) = verify(&app, &outside).await;
    assert!(ok, "{out}");
    let entries = chain(&app.location).await.len();
    assert!(out.contains(&format!("audit log intact: {entries} entries")), "{out}");
    assert!(out.contains("signed with the audit key from entry 1 on"), "{out}");
    assert!(out.contains("signed checkpoints checked"), "{out}");
    assert!(!out.contains("WARNING"), "{out}");

    // Without the key the signed entries cannot be checked: a failure, not a pass.
    let (ok, out) = familytime(&app.location, &["audit", "verify"]).await;
    assert!(!ok && out.contains("give the key"), "{out}");

    // Another key: the checkpoints are not its signatures, nor are the entries.
    let other = outside.key_file.with_file_name("other.key");
    let (made, _) = familytime(
        &Location::DataDir(outside.checkpoints.join("unused")),
        &["audit-key", "--to", &other.display().to_string()],
    )
    .await;
    assert!(made);
    let (ok, out) = familytime(
        &app.location,
        &[
            "audit",
            "verify",
            "--audit-key-file",
            &other.display().to_string(),
            "--audit-checkpoint-dir",
            &outside.checkpoints.display().to_string(),
        ],
    )
    .await;
    assert!(
        !ok && out.contains("checkpoint") && out.contains("signature does not match"),
        "{out}"
    );
    let (ok, out) = familytime(
        &app.location,
        &["audit", "verify", "--audit-key-file", &other.display().to_string()],
    )
    .await;
    assert!(!ok && out.contains("entry 1: its contents do not match"), "{out}");
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_removing_the_newest_entries_and_moving_the_head_back_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let (ok, out) = verify(&app, &outside).await;
    assert!(ok, "{out}");
    let newest = chain(&app.location).await.last().unwrap().seq;
    drop_the_guards(&app.location).await;
    let kept = newest - 3;
    assert!(
        run_sql(
            &app.location,
            &format!(
                "DELETE FROM audit_log WHERE seq > {kept};
                 UPDATE audit_head SET seq = {kept}, hash = (SELECT hash FROM audit_log WHERE seq = {kept}) WHERE id = 1;"
            )
        )
        .await
    );
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "truncation must fail verification: {out}");
    assert!(
        out.contains(&format!(
            "the log ends at entry {kept} but a signed checkpoint records entry {newest}"
        )),
        "{out}"
    );
    app.finish_with_problems(&["audit chain: the log ends at entry"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_moving_the_head_back_alone_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let newest = chain(&app.location).await.last().unwrap().seq;
    drop_the_guards(&app.location).await;
    let back = newest - 2;
    assert!(
        run_sql(
            &app.location,
            &format!("UPDATE audit_head SET seq = {back}, hash = (SELECT hash FROM audit_log WHERE seq = {back}) WHERE id = 1")
        )
        .await
    );
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "a rewound head must fail verification: {out}");
    assert!(
        out.contains(&format!("holds entry {newest} after its head, entry {back}")),
        "{out}"
    );
    app.finish_with_problems(&["audit chain: the log holds entry"]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_an_edited_entry_with_every_later_hash_recomputed_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let seq = middle(&app.location).await;
    drop_the_guards(&app.location).await;
    edit_and_recompute(&app.location, seq, None).await;
    // The rewrite is self-consistent as a plain chain: the link and head checks alone would pass.
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!(
            "entry {seq}: its hash is plain SHA-256, not signed with the audit key"
        )),
        "{out}"
    );
    app.finish_with_problems(&[&format!("audit chain: entry {seq}: its hash is plain SHA-256")])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_a_rewrite_under_a_guessed_key_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let seq = middle(&app.location).await;
    drop_the_guards(&app.location).await;
    edit_and_recompute(&app.location, seq, Some(&AuditKey::from_bytes([7; 32]))).await;
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("entry {seq}: its contents do not match its hash")),
        "{out}"
    );
    app.finish_with_problems(&[&format!("audit chain: entry {seq}: its contents do not match")])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_unkeying_the_whole_chain_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    drop_the_guards(&app.location).await;
    // The insider passes the whole log off as unkeyed: the keyed point removed, every hash plain.
    assert!(run_sql(&app.location, "UPDATE audit_head SET keyed_from = NULL WHERE id = 1").await);
    edit_and_recompute(&app.location, 2, None).await;
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains("the signed checkpoints say the chain is keyed from entry 1, the database says it is not keyed"),
        "{out}"
    );
    app.finish_with_problems(&["audit chain: the signed checkpoints say"])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_one_edited_entry_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let seq = middle(&app.location).await;
    drop_the_guards(&app.location).await;
    assert!(
        run_sql(
            &app.location,
            &format!("UPDATE audit_log SET outcome = 'denied' WHERE seq = {seq}")
        )
        .await
    );
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("entry {seq}: its contents do not match its hash")),
        "{out}"
    );
    app.finish_with_problems(&[&format!("audit chain: entry {seq}: its contents do not match")])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_tamper_a_deleted_middle_entry_is_caught() {
    let (app, outside) = signed_app_with_activity().await;
    let seq = middle(&app.location).await;
    drop_the_guards(&app.location).await;
    assert!(run_sql(&app.location, &format!("DELETE FROM audit_log WHERE seq = {seq}")).await);
    let (ok, out) = verify(&app, &outside).await;
    assert!(!ok, "{out}");
    assert!(
        out.contains(&format!("entry {}: does not follow entry {}", seq + 1, seq - 1)),
        "{out}"
    );
    app.finish_with_problems(&[&format!("audit chain: entry {}: does not follow", seq + 1)])
        .await;
}
