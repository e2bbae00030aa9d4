//! `familytime audit verify`, `audit export` and `audit-key` (decision 0053): checking the signed
//! chain against its checkpoints, writing it out for an off-server store, and making its key.

use crate::database::{DatabaseArgs, open};
use anyhow::{Context, Result, bail};
use familytime_store::Store;
use std::path::Path;
use std::process::ExitCode;

/// Makes a new audit key file.
pub fn make_key(to: &Path) -> Result<()> {
    familytime_app::audit::make_audit_key(to).with_context(|| {
        format!(
            "cannot create the audit key file {} (it must not exist yet)",
            to.display()
        )
    })?;
    println!("audit key written to {}", to.display());
    println!(
        "Keep a copy away from the server and the database: without it the signed audit log cannot be verified or added to."
    );
    Ok(())
}

/// Verifies the chain with the key and checkpoints given; exits 1 naming the first break.
pub async fn verify(db: &DatabaseArgs) -> Result<ExitCode> {
    let store = open(db, "familytime-data").await?;
    let verified = store.verify_audit().await;
    store.close().await;
    match verified? {
        Ok(report) => {
            println!("audit log intact: {} entries", report.entries);
            for line in verify_notes(&report) {
                println!("{line}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(broken) => {
            println!("audit log BROKEN at {broken}");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// Writes the entries after `since` to standard output as JSON lines.
pub async fn export(db: &DatabaseArgs, since: i64) -> Result<()> {
    if since < 0 {
        bail!("--since must be an entry number (0 or more)");
    }
    let store = open(db, "familytime-data").await?;
    let exported = export_audit(&store, since).await;
    store.close().await;
    let (count, last) = exported?;
    eprintln!("exported {count} entries; continue with --since {last}");
    Ok(())
}

/// Writes the entries after `since` as JSON lines, a page at a time (memory stays flat); returns how
/// many and the last one's number.
async fn export_audit(store: &Store, since: i64) -> Result<(u64, i64)> {
    use std::io::Write;
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let (mut count, mut last) = (0_u64, since);
    loop {
        let page = store.audit_entries_since(last, 5_000).await?;
        let Some(end) = page.last() else { break };
        last = end.seq;
        for e in page {
            let line = serde_json::json!({
                "seq": e.seq,
                "at_ms": e.at_ms,
                "request_id": e.request_id,
                "actor_user_id": e.actor_user_id,
                "organisation_id": e.organisation_id,
                "action": e.action,
                "object_type": e.object_type,
                "object_id": e.object_id,
                "outcome": e.outcome,
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            });
            writeln!(out, "{line}").context("cannot write the export")?;
            count += 1;
        }
    }
    out.flush().context("cannot write the export")?;
    Ok((count, last))
}

/// What an intact verification did and did not cover, loudly where it is weaker than it could be.
fn verify_notes(report: &familytime_store::ChainReport) -> Vec<String> {
    let mut notes = Vec::new();
    match report.keyed_from {
        Some(from) => notes.push(format!(
            "signed with the audit key from entry {from} on (entries before it are plain SHA-256, sealed before the key was configured)"
        )),
        None => notes.push(
            "WARNING: the audit log is NOT KEYED: it is a plain SHA-256 chain, which someone able to write to the database \
             could rewrite and recompute undetected. Make a key with `familytime audit-key --to FILE` and give it to \
             every command as --audit-key-file FILE."
                .to_owned(),
        ),
    }
    match report.checkpoints {
        Some((count, newest)) => notes.push(format!(
            "{count} signed checkpoints checked{}",
            newest.map(|n| format!(", the newest at entry {n}")).unwrap_or_default()
        )),
        None if report.key_given => notes.push(
            "WARNING: no --audit-checkpoint-dir: removal of the newest entries with the head moved back cannot be detected"
                .to_owned(),
        ),
        None => {}
    }
    notes
}
