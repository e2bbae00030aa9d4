//! Backup and restore (issue 18, decision 0049). A backup is one file: an age-encrypted tar of a
//! consistent copy of the database (SQLite's `VACUUM INTO`, or `pg_dump` of an exported snapshot),
//! the uploaded documents, and a manifest written last with the schema version, the audit head,
//! every table's rows and every file's SHA-256. A restore decrypts and unpacks into a staging
//! directory, checks everything against the manifest, and only then writes into an empty database,
//! compares the rows and the audit head with the manifest and verifies the audit chain.

use age::secrecy::{ExposeSecret, SecretString};
use familytime_domain::Timestamp;
use familytime_domain::backup::{self as rules, AuditHead, MANIFEST, Manifest};
use familytime_store::backup::DatabaseFacts;
use familytime_store::{Location, SQLITE_FILE, Store, StoreError};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Component, Path, PathBuf};

/// The database's file inside a backup, by the kind of database.
const SQLITE_MEMBER: &str = "database.sqlite";
const PG_MEMBER: &str = "database.pgdump";
/// Uploaded documents keep their paths under this folder.
const DOCUMENTS: &str = "documents";

/// What encrypts and decrypts a backup: an age key file (made by `familytime backup key`), or a
/// passphrase (for a person typing it; scrypt makes each try slow).
pub enum BackupKey {
    File(PathBuf),
    Passphrase(SecretString),
}

/// Why a backup or a restore stopped; each message says what to do. Nothing personal is in them.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0}")]
    Key(String),
    #[error("the backup cannot be read with this key or passphrase, or is not a familytime backup: {0}")]
    Decrypt(String),
    #[error("the backup is damaged or cut short: {0}")]
    Damaged(String),
    #[error("{0}")]
    Refused(String),
    #[error("the restored database does not match the backup's manifest: {0}")]
    Mismatch(String),
    #[error("{0}")]
    Tool(String),
    #[error("{context}: {source}")]
    Io { context: String, source: std::io::Error },
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn io(context: impl Into<String>) -> impl FnOnce(std::io::Error) -> BackupError {
    let context = context.into();
    move |source| BackupError::Io { context, source }
}

impl BackupKey {
    fn native(path: &Path) -> Result<age::pq::Identity, BackupError> {
        let text = std::fs::read_to_string(path).map_err(io(format!("cannot read the key file {}", path.display())))?;
        text.lines()
            .map(str::trim)
            .find(|line| line.starts_with("AGE-SECRET-KEY-"))
            .and_then(|line| line.parse().ok())
            .ok_or_else(|| {
                BackupError::Key(format!(
                    "{} holds no age secret key (make one with `familytime backup key --to FILE`)",
                    path.display()
                ))
            })
    }

    fn encryptor(&self) -> Result<age::Encryptor, BackupError> {
        match self {
            BackupKey::File(path) => {
                let recipient = Self::native(path)?.to_public();
                age::Encryptor::with_recipients(std::iter::once(&recipient as &dyn age::Recipient))
                    .map_err(|e| BackupError::Key(e.to_string()))
            }
            BackupKey::Passphrase(secret) => Ok(age::Encryptor::with_user_passphrase(secret.clone())),
        }
    }

    /// Whether the key can be used (the file holds an age key; a passphrase always can).
    pub fn check(&self) -> Result<(), BackupError> {
        self.encryptor().map(|_| ())
    }

    fn identity(&self) -> Result<Box<dyn age::Identity + Send>, BackupError> {
        Ok(match self {
            BackupKey::File(path) => Box::new(Self::native(path)?),
            BackupKey::Passphrase(secret) => Box::new(age::scrypt::Identity::new(secret.clone())),
        })
    }
}

/// Makes a new age key file at `to` (readable by its owner only; never overwritten) and returns its
/// public key. Keep a copy away from the server: without it no backup can be restored.
pub fn make_key(to: &Path) -> Result<String, BackupError> {
    let identity = age::pq::Identity::generate();
    let public = identity.to_public().to_string();
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(to).map_err(io(format!(
        "cannot create the key file {} (it must not exist yet)",
        to.display()
    )))?;
    writeln!(
        file,
        "# familytime backup key: keep a copy somewhere other than the server"
    )
    .and_then(|()| writeln!(file, "# public key: {public}"))
    .and_then(|()| writeln!(file, "{}", identity.to_string().expose_secret()))
    .and_then(|()| file.sync_all())
    .map_err(io("cannot write the key file"))?;
    Ok(public)
}

fn sha256_of(path: &Path) -> Result<String, BackupError> {
    let mut file = File::open(path).map_err(io(format!("cannot read {}", path.display())))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(io(format!("cannot read {}", path.display())))?;
    Ok(hex::encode(hasher.finalize()))
}

/// Every file under `dir` (none when it does not exist), with its path relative to `dir`, in a
/// stable order.
fn files_under(dir: &Path) -> Result<Vec<PathBuf>, BackupError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(at) = pending.pop() {
        let entries = match std::fs::read_dir(&at) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(io(format!("cannot list {}", at.display()))(e)),
        };
        for entry in entries {
            let path = entry.map_err(io(format!("cannot list {}", at.display())))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if let Ok(relative) = path.strip_prefix(dir) {
                found.push(relative.to_path_buf());
            }
        }
    }
    found.sort();
    Ok(found)
}

fn manifest_of(facts: DatabaseFacts, backend: &str, now: Timestamp) -> Manifest {
    Manifest {
        format: rules::FORMAT,
        backend: backend.to_owned(),
        schema_version: facts.schema_version,
        made_at: now.to_string(),
        audit_head: AuditHead {
            seq: facts.audit_seq,
            hash: facts.audit_hash,
        },
        tables: facts.tables,
        files: BTreeMap::new(),
    }
}

/// Runs a PostgreSQL client tool, saying what it answered when it fails (its own words: they name
/// the database object, never a row's content).
async fn run_tool(program: &str, args: &[&str]) -> Result<(), BackupError> {
    let out = tokio::process::Command::new(program)
        .args(args)
        .stdin(std::process::Stdio::null())
        .output()
        .await
        .map_err(|e| BackupError::Tool(format!("cannot run {program} (install PostgreSQL's client tools): {e}")))?;
    if out.status.success() {
        Ok(())
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(BackupError::Tool(format!("{program} failed: {}", said.trim())))
    }
}

/// Where the database of `location` is, for a backup or a restore.
pub struct Target<'a> {
    pub location: &'a Location,
    /// The uploaded documents' folder.
    pub documents: &'a Path,
    /// The audit key, when the log is signed: the restored log is verified with it (decision 0053).
    pub audit_key: Option<&'a familytime_domain::audit::AuditKey>,
}

/// Writes a backup of the running database and its documents to `to` (through a temporary file
/// beside it, renamed when whole, so a failed backup never looks like a backup). Returns its
/// manifest.
pub async fn backup(
    store: &Store,
    target: Target<'_>,
    to: &Path,
    key: &BackupKey,
    now: Timestamp,
) -> Result<Manifest, BackupError> {
    let encryptor = key.encryptor()?;
    // Entries still queued for the chain are sealed first, so the head covers them.
    store.seal_audit().await?;
    let beside = to
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let staging = tempfile::Builder::new()
        .prefix(".familytime-backup-")
        .tempdir_in(beside)
        .map_err(io(format!("cannot write beside {}", to.display())))?;
    let (member, copy, manifest) = match target.location {
        Location::DataDir(_) => {
            let dir = staging.path().join("db");
            std::fs::create_dir(&dir).map_err(io("cannot make the staging folder"))?;
            let copy = dir.join(SQLITE_FILE);
            store.copy_sqlite_into(&copy).await?;
            // Counted on the copy itself: what the backup holds, whatever the server wrote since.
            let copied = Store::connect(&Location::DataDir(dir.clone())).await?;
            let facts = copied.database_facts().await?;
            copied.close().await;
            (SQLITE_MEMBER, copy, manifest_of(facts, "sqlite", now))
        }
        Location::Postgres(url) => {
            let copy = staging.path().join(PG_MEMBER);
            let mut snapshot = store.pg_snapshot().await?;
            let facts = snapshot.facts().await?;
            let file = copy.to_string_lossy().into_owned();
            let dumped = run_tool(
                "pg_dump",
                &[
                    "--format=custom",
                    "--no-owner",
                    "--no-privileges",
                    "--snapshot",
                    &snapshot.id,
                    "--file",
                    &file,
                    "--dbname",
                    url,
                ],
            )
            .await;
            snapshot.release().await?;
            dumped?;
            (PG_MEMBER, copy, manifest_of(facts, "postgres", now))
        }
    };
    let documents = target.documents.to_path_buf();
    let partial = staging.path().join("backup.partial");
    let written = partial.clone();
    let manifest =
        tokio::task::spawn_blocking(move || write_archive(&written, encryptor, member, &copy, &documents, manifest))
            .await
            .map_err(|e| BackupError::Tool(format!("the backup stopped: {e}")))??;
    std::fs::rename(&partial, to).map_err(io(format!("cannot write {}", to.display())))?;
    Ok(manifest)
}

/// The tar inside the encryption: the database, the documents, then the manifest with every file's
/// checksum.
fn write_archive(
    to: &Path,
    encryptor: age::Encryptor,
    member: &str,
    database: &Path,
    documents: &Path,
    mut manifest: Manifest,
) -> Result<Manifest, BackupError> {
    let file = File::create(to).map_err(io("cannot write the backup"))?;
    let encrypted = encryptor
        .wrap_output(BufWriter::new(file))
        .map_err(io("cannot write the backup"))?;
    let mut tar = tar::Builder::new(encrypted);
    let mut add = |name: String, path: &Path| -> Result<(), BackupError> {
        manifest.files.insert(name.clone(), sha256_of(path)?);
        tar.append_path_with_name(path, &name)
            .map_err(io("cannot write the backup"))
    };
    add(member.to_owned(), database)?;
    for relative in files_under(documents)? {
        let name = format!("{DOCUMENTS}/{}", relative.to_string_lossy());
        add(name, &documents.join(&relative))?;
    }
    let json = serde_json::to_vec_pretty(&manifest).map_err(|e| BackupError::Tool(e.to_string()))?;
    let mut header = tar::Header::new_gnu();
    header.set_size(json.len() as u64);
    header.set_mode(0o600);
    header.set_cksum();
    tar.append_data(&mut header, MANIFEST, json.as_slice())
        .map_err(io("cannot write the backup"))?;
    let encrypted = tar.into_inner().map_err(io("cannot write the backup"))?;
    let buffered = encrypted.finish().map_err(io("cannot write the backup"))?;
    let file = buffered.into_inner().map_err(|e| BackupError::Io {
        context: "cannot write the backup".into(),
        source: e.into_error(),
    })?;
    file.sync_all().map_err(io("cannot write the backup"))?;
    Ok(manifest)
}

/// What a restore found and did.
#[derive(Debug)]
pub struct Restored {
    pub manifest: Manifest,
    /// The audit chain's entries, verified.
    pub audit_entries: i64,
}

/// A backup decrypted and unpacked into `staging`: its manifest and each file's checksum.
struct Unpacked {
    manifest: Manifest,
    found: BTreeMap<String, String>,
}

/// Only plain relative names are unpacked (never `..`, an absolute path or a link).
fn safe_name(path: &Path) -> bool {
    !path.as_os_str().is_empty() && path.components().all(|c| matches!(c, Component::Normal(_)))
}

/// Decrypts and reads the backup at `from`, checksumming every file; into `staging` when given, or
/// only read (a scheduled backup's read-back, which needs no second copy on disk).
fn unpack(
    from: &Path,
    identity: Box<dyn age::Identity + Send>,
    staging: Option<&Path>,
) -> Result<Unpacked, BackupError> {
    let file = File::open(from).map_err(io(format!("cannot read {}", from.display())))?;
    let decryptor = age::Decryptor::new(BufReader::new(file)).map_err(|e| BackupError::Decrypt(e.to_string()))?;
    let reader = decryptor
        .decrypt(std::iter::once(identity.as_ref() as &dyn age::Identity))
        .map_err(|e| BackupError::Decrypt(e.to_string()))?;
    let mut archive = tar::Archive::new(reader);
    let mut found = BTreeMap::new();
    let mut manifest = None;
    let damaged = |e: std::io::Error| BackupError::Damaged(e.to_string());
    for entry in archive.entries().map_err(damaged)? {
        let mut entry = entry.map_err(damaged)?;
        let name = entry.path().map_err(damaged)?.into_owned();
        if !entry.header().entry_type().is_file() || !safe_name(&name) {
            return Err(BackupError::Damaged(format!(
                "it holds {}, which is not a plain file",
                name.display()
            )));
        }
        let text = name.to_string_lossy().into_owned();
        if text == MANIFEST {
            let mut json = Vec::new();
            entry.read_to_end(&mut json).map_err(damaged)?;
            let read: Manifest = serde_json::from_slice(&json)
                .map_err(|e| BackupError::Damaged(format!("its manifest cannot be read: {e}")))?;
            manifest = Some(read);
            continue;
        }
        let mut out: Box<dyn Write> = match staging {
            Some(staging) => {
                let path = staging.join(&name);
                if let Some(parent) = path.parent() {
                    std::fs::create_dir_all(parent).map_err(io("cannot unpack the backup"))?;
                }
                Box::new(File::create(&path).map_err(io("cannot unpack the backup"))?)
            }
            None => Box::new(std::io::sink()),
        };
        let mut hasher = Sha256::new();
        let mut buffer = vec![0; 64 * 1024];
        loop {
            let n = entry.read(&mut buffer).map_err(damaged)?;
            if n == 0 {
                break;
            }
            hasher.update(&buffer[..n]);
            out.write_all(&buffer[..n]).map_err(io("cannot unpack the backup"))?;
        }
        out.flush().map_err(io("cannot unpack the backup"))?;
        found.insert(text, hex::encode(hasher.finalize()));
    }
    let manifest = manifest.ok_or_else(|| BackupError::Damaged("its manifest is missing".into()))?;
    Ok(Unpacked { manifest, found })
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), BackupError> {
    for relative in files_under(from)? {
        let into = to.join(&relative);
        if let Some(parent) = into.parent() {
            std::fs::create_dir_all(parent).map_err(io(format!("cannot write {}", parent.display())))?;
        }
        std::fs::copy(from.join(&relative), &into).map_err(io(format!("cannot write {}", into.display())))?;
    }
    Ok(())
}

fn backend_of(location: &Location) -> &'static str {
    match location {
        Location::DataDir(_) => "sqlite",
        Location::Postgres(_) => "postgres",
    }
}

/// Decrypts and reads the whole backup (into `staging` when given) and checks it against its
/// manifest and this program: what a restore does before it writes anything, and how a scheduled
/// backup is verified.
async fn read_back(
    from: &Path,
    identity: Box<dyn age::Identity + Send>,
    staging: Option<&Path>,
    location: &Location,
) -> Result<Unpacked, BackupError> {
    let (source, into) = (from.to_path_buf(), staging.map(Path::to_path_buf));
    let unpacked = tokio::task::spawn_blocking(move || unpack(&source, identity, into.as_deref()))
        .await
        .map_err(|e| BackupError::Tool(format!("reading the backup stopped: {e}")))??;
    rules::check_restorable(
        &unpacked.manifest,
        &unpacked.found,
        backend_of(location),
        familytime_store::newest_schema_version(),
    )
    .map_err(|refusal| BackupError::Refused(refusal.to_string()))?;
    Ok(unpacked)
}

/// Reads the backup at `from` back without restoring it: it decrypts with `key`, every file matches
/// the manifest's checksum, and it could be restored into a database like `location`'s. Returns its
/// manifest. Writes nothing.
pub async fn verify(from: &Path, key: &BackupKey, location: &Location) -> Result<Manifest, BackupError> {
    Ok(read_back(from, key.identity()?, None, location).await?.manifest)
}

/// Restores the backup at `from` into the empty database and documents folder of `target`:
/// nothing is written until the backup has been decrypted, unpacked and checked against its
/// manifest, and the target found empty. Ends by comparing the restored database with the manifest
/// and verifying the audit chain.
pub async fn restore(from: &Path, key: &BackupKey, target: Target<'_>) -> Result<Restored, BackupError> {
    let identity = key.identity()?;
    let staging = tempfile::Builder::new()
        .prefix(".familytime-restore-")
        .tempdir()
        .map_err(io("cannot make a staging folder"))?;
    let unpacked = read_back(from, identity, Some(staging.path()), target.location).await?;
    if !files_under(target.documents)?.is_empty() {
        return Err(BackupError::Refused(format!(
            "{} already holds documents: restore into an empty data folder",
            target.documents.display()
        )));
    }
    match target.location {
        Location::DataDir(dir) => {
            let file = dir.join(SQLITE_FILE);
            if file.exists() {
                return Err(BackupError::Refused(format!(
                    "{} already holds a database: restore into an empty data folder",
                    dir.display()
                )));
            }
            std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))?;
            std::fs::copy(staging.path().join(SQLITE_MEMBER), &file)
                .map_err(io(format!("cannot write {}", file.display())))?;
        }
        Location::Postgres(url) => {
            let store = Store::connect(target.location).await?;
            let holds = store.holds_tables().await?;
            store.close().await;
            if holds {
                return Err(BackupError::Refused(
                    "the database already holds tables: restore into a new, empty database".into(),
                ));
            }
            let dump = staging.path().join(PG_MEMBER).to_string_lossy().into_owned();
            run_tool(
                "pg_restore",
                &[
                    "--no-owner",
                    "--no-privileges",
                    "--exit-on-error",
                    "--single-transaction",
                    "--dbname",
                    url,
                    &dump,
                ],
            )
            .await?;
        }
    }
    copy_tree(&staging.path().join(DOCUMENTS), target.documents)?;
    let mut store = Store::connect(target.location).await?;
    if let Some(key) = target.audit_key {
        // Without the checkpoints: a restore moves the log back to when the backup was made, which
        // the checkpoints written since would rightly call truncation (decision 0053).
        store = store.with_audit_key(key.clone(), None)?;
    }
    let checked = check_restored(&store, &unpacked.manifest).await;
    store.close().await;
    let audit_entries = checked?;
    Ok(Restored {
        manifest: unpacked.manifest,
        audit_entries,
    })
}

/// The restored database against the manifest: every table's rows, the audit head, then the
/// audit chain walked end to end. Returns the chain's entries.
async fn check_restored(store: &Store, manifest: &Manifest) -> Result<i64, BackupError> {
    let facts = store.database_facts().await?;
    let differences = rules::count_differences(&manifest.tables, &facts.tables);
    if !differences.is_empty() {
        return Err(BackupError::Mismatch(differences.join("; ")));
    }
    if facts.audit_seq != manifest.audit_head.seq || facts.audit_hash != manifest.audit_head.hash {
        return Err(BackupError::Mismatch(
            "the audit log's head is not the one backed up".into(),
        ));
    }
    match store.verify_audit_chain().await? {
        Ok(entries) => Ok(entries),
        Err(broken) => Err(BackupError::Mismatch(format!("the audit log is broken at {broken}"))),
    }
}
