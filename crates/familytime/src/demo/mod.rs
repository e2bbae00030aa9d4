//! `familytime serve --demo`: a fresh database with a realistic demo organisation — two centres with
//! their rooms, and a person in every role — whose accounts are printed on the console. Each start
//! makes new random passwords, so a demo left running is not an open door.
//!
//! The demo's data is one story told in order, one submodule per feature, each chapter called in
//! turn by `seed`:
//! - `tenancy`: the organisation, its two centres and their rooms;
//! - `people`: an account for every role (and the administrator as a caller of the application);
//! - `referrals`: families referred weeks ago and moved on, step by step;
//! - `confidential`: the staff named for each case, who see its hidden details;
//! - `billing`: the prices, and money on one family;
//! - `schedule`: opening hours, qualified supervisors and a month of sessions;
//! - `records`: one case's last two sessions as they were run, reported and a concern raised.

mod billing;
mod confidential;
mod mail;
mod orders;
mod people;
mod records;
mod referrals;
mod rules;
mod schedule;
mod tenancy;

pub use people::DemoAccount;

use crate::database::{DatabaseArgs, open};
use anyhow::{Result, bail};
use familytime_domain::Timestamp;
use familytime_store::{SQLITE_FILE, Store};
use std::path::PathBuf;

pub const DEMO_DIR: &str = "familytime-demo";
/// Marks a data directory as the demo's own, so `--demo` never wipes real data.
const MARKER: &str = "DEMO-DATA-IS-DELETED-AT-EVERY-START";

/// Opens a fresh, empty database for the demo. With SQLite the demo's own directory is emptied
/// first; a directory holding real data (no marker) or a non-empty PostgreSQL database is refused.
pub async fn fresh_store(db: &DatabaseArgs) -> Result<Store> {
    if db.database_url.is_none() {
        let dir = db.data_dir.clone().unwrap_or_else(|| PathBuf::from(DEMO_DIR));
        let database = dir.join(SQLITE_FILE);
        if database.exists() {
            if !dir.join(MARKER).exists() {
                bail!(
                    "{} holds a familytime database that is not demo data: give --demo its own --data-dir",
                    dir.display()
                );
            }
            for suffix in ["", "-wal", "-shm"] {
                let path = PathBuf::from(format!("{}{suffix}", database.display()));
                if path.exists() {
                    std::fs::remove_file(&path)?;
                }
            }
        }
        std::fs::create_dir_all(&dir)?;
        std::fs::write(
            dir.join(MARKER),
            "familytime serve --demo deletes and recreates this directory's database.\n",
        )?;
        let db = DatabaseArgs {
            data_dir: Some(dir),
            database_url: None,
            ..db.clone()
        };
        return open(&db, DEMO_DIR).await;
    }
    let store = open(db, DEMO_DIR).await?;
    if store.has_organisations().await? {
        bail!("--demo needs an empty database, and this one already has an organisation");
    }
    Ok(store)
}

/// The first coordinator's email (the bench finds its account again in a kept dataset).
pub const FIRST_COORDINATOR: &str = "coordinator@riverside.example";

/// Fills an empty database with the demo organisation; returns the accounts to print.
pub async fn seed(store: &Store) -> Result<Vec<DemoAccount>> {
    let now = Timestamp::now();
    let (org, scope, centres) = tenancy::seed_organisation(store, now).await?;
    let (accounts, ids) = people::seed_accounts(store, &scope, org, centres).await?;
    let coordinator = ids.get("coordinator@riverside.example").copied();
    let cafcass = ids.get("fca.officer@cafcass.example").copied();
    referrals::seed_cases(store, org, centres, coordinator, cafcass, now).await?;
    rules::seed_rules(store, &scope, org, coordinator, now).await?;
    confidential::seed_named_staff(store, &scope, org, centres, &ids).await?;
    billing::seed_prices(store, &scope, org, centres, now).await?;
    schedule::seed_schedule(store, &scope, org, centres, now).await?;
    mail::seed_reminders(store, org, now).await?;
    records::seed_records(store, org, centres[0], cafcass, now).await?;
    billing::seed_payments(store, org, now).await?;
    // Last: every session the others book ahead (tomorrow's for the reminders, today's still to run
    // for the register) is one a family's order then counts from, whatever weekday today is.
    orders::seed_patterns(store, &scope, org, coordinator, now).await?;
    Ok(accounts)
}

pub fn print(base: &str, accounts: &[DemoAccount]) {
    println!();
    println!("familytime demo: Riverside Family Contact Service, two centres, one account per role.");
    println!("Sign in at {base}/login with any of these (new passwords at every start):");
    println!();
    for a in accounts {
        println!("    {:<22} {:<42} {}", a.role, a.email, a.password);
    }
    println!();
}
