//! Backup and restore (issue 18, decision 0049), run as real processes on the real database: a
//! backup of a live case (with a hidden address and a document) restores into an empty database
//! and data folder, the rows and the audit head match its manifest and the audit chain verifies;
//! the file itself never shows the hidden address; and a restore over data, a cut-short file, the
//! wrong key and a backup from a newer schema are each refused with nothing written.

use crate::harness::{check_and_drop, fresh_location};
use crate::referrals::{CANARY, referral};
use crate::schedule::{accept_referral, fixture};
use familytime_store::{Location, Store};
use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_familytime");

/// Runs `familytime ARGS` on the database at `location` with its documents in `data_dir`;
/// returns (success, stdout and stderr together).
async fn familytime(location: &Location, data_dir: &Path, args: &[&str]) -> (bool, String) {
    let mut command = Command::new(BIN);
    command.args(args).arg("--data-dir").arg(data_dir);
    if let Location::Postgres(url) = location {
        command.args(["--database-url", url]);
    }
    let out = command
        .env_remove("DATABASE_URL")
        .env_remove("FAMILYTIME_BACKUP_PASSPHRASE")
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

/// An empty database and data folder to restore into.
struct Empty {
    _dir: tempfile::TempDir,
    location: Location,
    data_dir: std::path::PathBuf,
    postgres: Option<(String, String)>,
}

async fn empty() -> Empty {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let data_dir = dir.path().to_path_buf();
    Empty {
        _dir: dir,
        location,
        data_dir,
        postgres,
    }
}

impl Empty {
    /// Whether anything was written: a database file or tables, or documents.
    async fn written(&self) -> bool {
        let documents = self.data_dir.join("documents").exists();
        match &self.location {
            Location::DataDir(dir) => documents || dir.join(familytime_store::SQLITE_FILE).exists(),
            Location::Postgres(_) => {
                let store = Store::connect(&self.location).await.unwrap();
                let holds = store.holds_tables().await.unwrap();
                store.close().await;
                documents || holds
            }
        }
    }

    async fn drop_database(self) {
        if let Some((admin, name)) = self.postgres {
            let admin = sqlx::PgPool::connect(&admin).await.unwrap();
            sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
            )))
            .execute(&admin)
            .await
            .unwrap();
            admin.close().await;
        }
    }
}

/// The backup's manifest with the schema version replaced, written back encrypted to the same
/// key: what a newer familytime's backup looks like to this one.
fn as_if_newer(backup: &Path, key: &Path, into: &Path) {
    let text = std::fs::read_to_string(key).unwrap();
    let identity: age::pq::Identity = text
        .lines()
        .find(|l| l.starts_with("AGE-SECRET-KEY-"))
        .unwrap()
        .parse()
        .unwrap();
    let file = std::io::BufReader::new(std::fs::File::open(backup).unwrap());
    let reader = age::Decryptor::new(file)
        .unwrap()
        .decrypt(std::iter::once(&identity as &dyn age::Identity))
        .unwrap();
    let mut members: Vec<(String, Vec<u8>)> = Vec::new();
    for entry in tar::Archive::new(reader).entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        if name == "manifest.json" {
            let mut manifest: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            manifest["schema_version"] = serde_json::json!(9_999);
            bytes = serde_json::to_vec(&manifest).unwrap();
        }
        members.push((name, bytes));
    }
    let recipient = identity.to_public();
    let encryptor = age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient)).unwrap();
    let out = encryptor.wrap_output(std::fs::File::create(into).unwrap()).unwrap();
    let mut tar = tar::Builder::new(out);
    for (name, bytes) in members {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o600);
        header.set_cksum();
        tar.append_data(&mut header, name, bytes.as_slice()).unwrap();
    }
    tar.into_inner().unwrap().finish().unwrap().flush().unwrap();
}

async fn case_count(location: &Location) -> i64 {
    let store = Store::connect(location).await.unwrap();
    let facts = store.database_facts().await.unwrap();
    store.close().await;
    facts.tables["cases"]
}

#[tokio::test(flavor = "multi_thread")]
async fn backup_restores_into_an_empty_database_and_refuses_what_it_cannot() {
    let f = fixture().await;
    let (case, _) = accept_referral(&f, &f.jo, referral(&f.org.centre.to_string())).await;
    let csrf = f.app.page_login(&f.jo, "jo@riverside.example").await;
    let form = reqwest::multipart::Form::new()
        .part(
            "document",
            reqwest::multipart::Part::bytes(crate::hostile_upload::files::pdf()).file_name("order.pdf"),
        )
        .text("description", "Court order");
    let uploaded =
        f.jo.post(f.app.url(&format!("/cases/{case}/documents?csrf_token={csrf}")))
            .multipart(form)
            .send()
            .await
            .unwrap();
    assert!(uploaded.status().is_redirection() || uploaded.status().is_success());
    let source_dir = f.app.documents_dir().parent().unwrap().to_path_buf();
    let stored: BTreeMap<String, Vec<u8>> = walk(&f.app.documents_dir());
    assert_eq!(stored.len(), 1, "the uploaded document is kept on disk");

    let keys = tempfile::tempdir().unwrap();
    let key = keys.path().join("backup.key");
    let key_arg = key.to_str().unwrap();
    let (ok, said) = familytime(&f.app.location, &source_dir, &["backup-key", "--to", key_arg]).await;
    assert!(ok, "{said}");
    let backup = keys.path().join("riverside.backup");
    let backup_arg = backup.to_str().unwrap();
    // While the server is running.
    let (ok, said) = familytime(
        &f.app.location,
        &source_dir,
        &["backup", "--to", backup_arg, "--key-file", key_arg],
    )
    .await;
    assert!(ok, "{said}");
    assert!(said.contains("backup written"), "{said}");
    let bytes = std::fs::read(&backup).unwrap();
    let canary = CANARY.as_bytes();
    assert!(
        !bytes.windows(canary.len()).any(|w| w == canary),
        "the backup is encrypted: no hidden address can be read from it"
    );

    // Restored into an empty database and data folder: the rows and the audit head match the
    // manifest, the chain verifies, the document is back.
    let target = empty().await;
    let (ok, said) = familytime(
        &target.location,
        &target.data_dir,
        &["restore", "--from", backup_arg, "--key-file", key_arg],
    )
    .await;
    assert!(ok, "{said}");
    assert!(
        said.contains("match the manifest") && said.contains("audit log intact"),
        "{said}"
    );
    assert_eq!(case_count(&target.location).await, 1);
    assert_eq!(
        walk(&target.data_dir.join("documents")),
        stored,
        "the documents come back as they were"
    );
    let (ok, said) = familytime(&target.location, &target.data_dir, &["audit", "verify"]).await;
    assert!(ok && said.contains("intact"), "{said}");

    // Over a database that holds data: refused, nothing changed.
    let (ok, said) = familytime(
        &target.location,
        &target.data_dir,
        &["restore", "--from", backup_arg, "--key-file", key_arg],
    )
    .await;
    assert!(!ok && said.contains("already holds"), "{said}");
    assert_eq!(case_count(&target.location).await, 1);

    // A cut-short file, the wrong key, a newer schema: refused before anything is written.
    let cut = keys.path().join("cut.backup");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let other_key = keys.path().join("other.key");
    let (ok, said) = familytime(
        &f.app.location,
        &source_dir,
        &["backup-key", "--to", other_key.to_str().unwrap()],
    )
    .await;
    assert!(ok, "{said}");
    let newer = keys.path().join("newer.backup");
    as_if_newer(&backup, &key, &newer);
    let untouched = empty().await;
    for (file, key_file, expected) in [
        (&cut, &key, "damaged or cut short"),
        (&backup, &other_key, "cannot be read with this key"),
        (&newer, &key, "made by a newer familytime"),
    ] {
        let (ok, said) = familytime(
            &untouched.location,
            &untouched.data_dir,
            &[
                "restore",
                "--from",
                file.to_str().unwrap(),
                "--key-file",
                key_file.to_str().unwrap(),
            ],
        )
        .await;
        assert!(!ok && said.contains(expected), "{expected}: {said}");
        assert!(!untouched.written().await, "{expected}: nothing written");
    }
    untouched.drop_database().await;
    let restored = Store::open(&target.location).await.unwrap();
    check_and_drop(&restored, target.postgres.clone(), &[]).await;
    f.app.finish().await;
}

/// Every file under `dir` with its bytes, by its path relative to `dir`.
fn walk(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut found = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&at) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_string_lossy().into_owned();
                found.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    found
}
