//! `familytime serve --demo`: a fresh database with a realistic demo organisation — two centres with
//! their rooms, and a person in every role — whose accounts are printed on the console. Each start
//! makes new random passwords, so a demo left running is not an open door.

use super::{DatabaseArgs, open};
use anyhow::{Result, bail};
use familytime_domain::Timestamp;
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::{AuditScope, SQLITE_FILE, Store};
use familytime_web::app::people::{NewUserInput, add_user};
use familytime_web::secrets::random_token;
use std::path::PathBuf;

const DEMO_DIR: &str = "familytime-demo";
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
        };
        return open(&db, DEMO_DIR).await;
    }
    let store = open(db, DEMO_DIR).await?;
    if store.has_organisations().await? {
        bail!("--demo needs an empty database, and this one already has an organisation");
    }
    Ok(store)
}

/// A demo account as printed.
pub struct DemoAccount {
    pub email: &'static str,
    pub role: &'static str,
    pub password: String,
}

const PEOPLE: &[(&str, &str, &str, Option<usize>)] = &[
    ("admin@riverside.example", "Amira Hassan", "organisation_admin", None),
    (
        "coordinator@riverside.example",
        "Joanne Whitfield",
        "coordinator",
        Some(0),
    ),
    (
        "coordinator.northgate@riverside.example",
        "Peter Okafor",
        "coordinator",
        Some(1),
    ),
    ("supervisor@riverside.example", "Grace Lindqvist", "supervisor", None),
    ("supervisor2@riverside.example", "Tom Ashworth", "supervisor", Some(0)),
    ("volunteer@riverside.example", "Maureen Doyle", "volunteer", Some(0)),
    (
        "volunteer.northgate@riverside.example",
        "Sanjay Patel",
        "volunteer",
        Some(1),
    ),
    (
        "safeguarding@riverside.example",
        "Helen Marsh",
        "safeguarding_lead",
        None,
    ),
    (
        "fca.officer@cafcass.example",
        "Rebecca Stone (Cafcass)",
        "referrer",
        None,
    ),
    (
        "solicitor@lawfirm.example",
        "David Chen (Chen & Co Solicitors)",
        "referrer",
        None,
    ),
    ("parent.visiting@example.com", "Daniel Price", "parent", None),
    ("parent.resident@example.com", "Laura Price", "parent", None),
];

/// Fills an empty database with the demo organisation; returns the accounts to print.
pub async fn seed(store: &Store) -> Result<Vec<DemoAccount>> {
    let now = Timestamp::now();
    let scope = AuditScope {
        at: now,
        request_id: "demo-seed".into(),
        actor_user_id: None,
        organisation_id: None,
    };
    let mut tx = store.begin().await?;
    let org = tx
        .insert_organisation(&scope, "Riverside Family Contact Service")
        .await?;
    let scope = AuditScope {
        organisation_id: Some(org),
        ..scope
    };
    let riverside = CentreDetails::parse(
        "Riverside Child Contact Centre",
        "Riverside Community Hub\n14 Mill Lane\nLeeds LS2 7QP",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let northgate = CentreDetails::parse(
        "Northgate Family Centre",
        "Northgate Church Hall\n3 Station Road\nWakefield WF1 1AB",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let centres = [
        tx.insert_centre(&scope, org, &riverside).await?,
        tx.insert_centre(&scope, org, &northgate).await?,
    ];
    tx.commit().await?;

    let rooms: [&[(&str, &str, &str)]; 2] = [
        &[
            ("Blue Room", "family_room", ""),
            ("Garden Room", "family_room", ""),
            ("Sunflower Room", "family_room", ""),
            ("Main Hall", "hall", "12"),
            ("Front Waiting Room", "waiting_room", "1"),
            ("Side Entrance Waiting Room", "waiting_room", "1"),
        ],
        &[
            ("Playroom", "family_room", ""),
            ("Church Hall", "hall", "8"),
            ("Vestry (waiting)", "waiting_room", "1"),
        ],
    ];
    for (centre, list) in centres.iter().zip(rooms) {
        for (name, kind, capacity) in list {
            let details = RoomDetails::parse(name, kind, capacity).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            store.create_room(&scope, org, *centre, &details).await?;
        }
    }

    let mut accounts = Vec::new();
    for (email, name, role, centre) in PEOPLE {
        let password = random_token()[..16].to_owned();
        let input = NewUserInput {
            email: (*email).into(),
            name: (*name).into(),
            role: (*role).into(),
            password: password.clone(),
            centre_ids: centre.map(|i| vec![centres[i].to_string()]).unwrap_or_default(),
        };
        add_user(store, &scope, org, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {email}: {}", e.message()))?;
        accounts.push(DemoAccount { email, role, password });
    }
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
