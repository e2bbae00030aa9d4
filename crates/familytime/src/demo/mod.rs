//! `familytime serve --demo`: a fresh database with a realistic demo organisation — two centres with
//! their rooms, and a person in every role — whose accounts are printed on the console. Each start
//! makes new random passwords, so a demo left running is not an open door.
//!
//! Long because: the demo's data is one story told in order; to be split by feature (issue 25).

use crate::database::{DatabaseArgs, open};
use anyhow::{Result, bail};
use familytime_app::people::{NewUserInput, add_user};
use familytime_app::secrets::random_token;
use familytime_domain::Timestamp;
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::{AuditScope, SQLITE_FILE, Store};
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

/// The first coordinator's email (the bench finds its account again in a kept dataset).
pub const FIRST_COORDINATOR: &str = "coordinator@riverside.example";

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
    // A second coordinator at Riverside: a report one coordinator writes is checked by the other
    // (the author never checks their own, decision 0029).
    ("coordinator2@riverside.example", "Ruth Adeyemi", "coordinator", Some(0)),
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
    // The parents of the family whose money the demo shows (see `seed_payments`): each account is
    // linked to the adult of the same name on their own case.
    ("parent.visiting@example.com", "Ryan Ward", "parent", None),
    ("parent.resident@example.com", "Jade Ward", "parent", None),
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
    // Phone numbers from Ofcom's range kept for drama, so nobody real is called.
    let riverside = CentreDetails::parse_with_phone(
        "Riverside Child Contact Centre",
        "Riverside Community Hub\n14 Mill Lane\nLeeds LS2 7QP",
        "0113 496 0123",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let northgate = CentreDetails::parse_with_phone(
        "Northgate Family Centre",
        "Northgate Church Hall\n3 Station Road\nWakefield WF1 1AB",
        "01632 960 456",
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
    let mut ids: std::collections::HashMap<&str, familytime_domain::ids::UserId> = std::collections::HashMap::new();
    for (email, name, role, centre) in PEOPLE {
        let password = random_token()[..16].to_owned();
        let input = NewUserInput {
            email: (*email).into(),
            name: (*name).into(),
            role: (*role).into(),
            password: password.clone(),
            centre_ids: centre.map(|i| vec![centres[i].to_string()]).unwrap_or_default(),
        };
        let user = add_user(store, &scope, org, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {email}: {}", e.message()))?;
        ids.insert(*email, user.id);
        accounts.push(DemoAccount { email, role, password });
    }
    let coordinator = ids.get("coordinator@riverside.example").copied();
    let cafcass = ids.get("fca.officer@cafcass.example").copied();
    seed_cases(store, org, centres, coordinator, cafcass, now).await?;
    seed_named_staff(store, &scope, org, centres, &ids).await?;
    seed_prices(store, &scope, org, centres, now).await?;
    seed_schedule(store, &scope, org, centres, now).await?;
    seed_records(store, org, centres[0], cafcass, now).await?;
    seed_payments(store, org, now).await?;
    Ok(accounts)
}

/// Who sees each case's hidden contact details without giving a reason: a supervisor as its key
/// worker and the centre's coordinator, named by the administrator (decision 0022). Anyone else —
/// the administrator and the safeguarding lead included — gives a reason first.
async fn seed_named_staff(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    ids: &std::collections::HashMap<&str, familytime_domain::ids::UserId>,
) -> Result<()> {
    let scope = AuditScope {
        actor_user_id: ids.get("admin@riverside.example").copied(),
        ..scope.clone()
    };
    let id = |email: &str| ids.get(email).copied();
    for (n, case) in store.cases(org, None, None).await?.iter().enumerate() {
        let (key_worker, coordinator) = if case.centre_id == centres[0] {
            let key = ["supervisor@riverside.example", "supervisor2@riverside.example"][n % 2];
            (id(key), id("coordinator@riverside.example"))
        } else {
            (
                id("supervisor@riverside.example"),
                id("coordinator.northgate@riverside.example"),
            )
        };
        let named: Vec<_> = coordinator.into_iter().collect();
        store
            .set_named_staff(&scope, org, case.id, 0, key_worker, &named)
            .await?;
    }
    Ok(())
}

/// The seed centre's prices (both centres charge them), its cancellation policy and the details
/// printed on invoices, set before the month is booked so every session carries its charge.
async fn seed_prices(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::billing::{CancellationPolicy, PriceList};
    let from = now.to_zoned(jiff::tz::TimeZone::UTC).date().first_of_year();
    for centre in centres {
        for price in PriceList::seed_centre(from).prices() {
            store.add_price(scope, org, centre, price).await?;
        }
        store
            .set_cancellation_policy(scope, org, centre, &CancellationPolicy::seed_centre(), 0)
            .await?;
    }
    let details = familytime_store::billing::BillingSettings {
        charity_name: "Riverside Family Contact Service".into(),
        charity_number: "1100123".into(),
        postal_address: "Riverside Community Hub, 14 Mill Lane, Leeds LS2 7QP".into(),
        payment_details: "Bank transfer to Riverside Family Contact Service, sort code 00-00-00, account 00000000, quoting the invoice number.".into(),
        payment_terms_days: 14,
        release_unpaid_hours: None,
        version: 0,
    };
    store.save_billing_settings(scope, org, &details).await?;
    Ok(())
}

/// Money on the family the demo's parent accounts belong to (privately paying, sessions booked):
/// both pre-visit fees and the deposit paid, the first two sessions paid (so they are confirmed), and
/// an invoice for the rest.
async fn seed_payments(store: &Store, org: familytime_domain::ids::OrganisationId, now: Timestamp) -> Result<()> {
    use familytime_app::billing::{self, MoneyInput};
    let (state, caller) = demo_admin(store).await?;
    let mut parents = Vec::new();
    for email in ["parent.visiting@example.com", "parent.resident@example.com"] {
        let email = familytime_domain::people::Email::parse(email).map_err(|e| anyhow::anyhow!(e))?;
        if let Some(user) = store.user_by_email(&email).await? {
            parents.push(user);
        }
    }
    for case in store.cases(org, None, None).await? {
        if case.source == familytime_domain::referrals::ReferralSource::Cafcass {
            continue;
        }
        // Only the parents' own case: the one whose adults carry their names.
        let file = store.case(org, case.id).await?;
        let own = |name: &str| file.parties.iter().find(|p| p.name == name).map(|p| p.id);
        if parents.is_empty() || parents.iter().any(|u| own(&u.name).is_none()) {
            continue;
        }
        let Ok(view) = billing::account(&state, &caller, &case.id.to_string()).await else {
            continue;
        };
        let sessions: Vec<_> = view.bookings.iter().filter(|b| b.booking.status.is_live()).collect();
        let (Some(resident), Some(visiting)) =
            (view.money.parents.resident.clone(), view.money.parents.visiting.clone())
        else {
            continue;
        };
        if sessions.len() < 3 {
            continue;
        }
        let pay = |kind: &str, account: &str, amount: &str, method: &str| MoneyInput {
            kind: kind.into(),
            account: account.into(),
            amount: amount.into(),
            method: method.into(),
            reference: format!("Demo {}", now.strftime("%Y%m%d")),
            ..MoneyInput::default()
        };
        let steps = [
            pay("deposit", &format!("party:{resident}"), "100", "cash"),
            pay("payment", &format!("party:{visiting}"), "294", "card"),
        ];
        for step in steps {
            billing::record(&state, &caller, &case.id.to_string(), &step)
                .await
                .map_err(|e| anyhow::anyhow!("demo payment: {}", e.message()))?;
        }
        billing::issue_invoice(&state, &caller, &case.id.to_string(), &format!("party:{visiting}"), &[])
            .await
            .map_err(|e| anyhow::anyhow!("demo invoice: {}", e.message()))?;
        // Each parent account is linked to its own adult on this case, so their portal has something
        // to show.
        let scope = caller.scope(now);
        for user in &parents {
            if let Some(party) = own(&user.name) {
                store
                    .link_party_account(&scope, org, case.id, party, Some(user.id), 0)
                    .await?;
            }
        }
        break;
    }
    Ok(())
}

/// The demo's administrator as a caller of the application, with the real clock.
async fn demo_admin(store: &Store) -> Result<(familytime_app::AppState, familytime_app::context::Caller)> {
    let admin = store
        .user_by_email(
            &familytime_domain::people::Email::parse("admin@riverside.example").map_err(|e| anyhow::anyhow!(e))?,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo administrator is missing"))?;
    let state = familytime_app::AppState::new(
        store.clone(),
        std::sync::Arc::new(familytime_app::clock::SystemClock),
        familytime_app::Config::default(),
    )
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    let caller = familytime_app::context::Caller {
        user: Some(admin),
        credential: familytime_app::context::Credential::Anonymous,
        request_id: "demo-seed".into(),
        client_addr: "127.0.0.1".into(),
        asked: Default::default(),
    };
    Ok((state, caller))
}

/// A realistic month at both centres: weekday and alternate-Saturday opening, Christmas closed,
/// supervisors qualified, and a weekly series of four sessions for every accepted or active family,
/// booked through the same use case as the pages (so every rule and claim applies).
async fn seed_schedule(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::schedule::{Closure, OpeningRule, WeekRepeat};
    use jiff::ToSpan;
    use jiff::civil::{Time, Weekday};
    let today = now.to_zoned(jiff::tz::TimeZone::get("Europe/London")?).date();
    for centre in centres {
        for weekday in [
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ] {
            let rule = OpeningRule {
                weekday,
                opens: Time::constant(9, 0, 0, 0),
                closes: Time::constant(17, 0, 0, 0),
                repeat: WeekRepeat::Every,
            };
            store.add_opening(scope, org, centre, &rule).await?;
        }
        for (opens, closes) in [(10, 13), (14, 17)] {
            let rule = OpeningRule {
                weekday: Weekday::Saturday,
                opens: Time::constant(opens, 0, 0, 0),
                closes: Time::constant(closes, 0, 0, 0),
                repeat: WeekRepeat::Alternate { from: today },
            };
            store.add_opening(scope, org, centre, &rule).await?;
        }
        let christmas = Closure {
            first_day: jiff::civil::date(today.year(), 12, 24),
            last_day: jiff::civil::date(today.year(), 12, 27),
            reason: "Christmas".into(),
        };
        store.add_closure(scope, org, centre, &christmas).await?;
    }
    let staff = store.staff_profiles(org).await?;
    for person in &staff {
        let qualified = person.role == "supervisor" || person.role == "coordinator";
        store
            .save_staff_profile(
                scope,
                org,
                person.user_id,
                qualified,
                if qualified { "Supervised contact (Level 3)" } else { "" },
                Some(today.checked_sub(200.days())?),
                &[],
                person.version,
            )
            .await?;
    }
    // The administrator books the month (the coordinator works at one centre only).
    let (state, caller) = demo_admin(store).await?;
    let cases = store.cases(org, None, None).await?;
    let profiles = store.staff_profiles(org).await?;
    let mut monday = today.checked_add(1.days())?;
    while monday.weekday() != Weekday::Monday {
        monday = monday.checked_add(1.days())?;
    }
    for (n, case) in (0i64..).zip(cases.iter().filter(|c| {
        matches!(
            c.status,
            familytime_domain::referrals::CaseStatus::Accepted
                | familytime_domain::referrals::CaseStatus::Active
                | familytime_domain::referrals::CaseStatus::UnderReview
        )
    })) {
        let rooms: Vec<String> = store
            .rooms(org, case.centre_id)
            .await?
            .into_iter()
            .filter(|r| r.kind == familytime_domain::tenancy::RoomKind::FamilyRoom)
            .map(|r| r.id.to_string())
            .collect();
        let qualified: Vec<String> = profiles
            .iter()
            .filter(|s| s.qualified_supervised && s.works_at(case.centre_id))
            .map(|s| s.user_id.to_string())
            .collect();
        for attempt in 0..6i64 {
            let slot = n + attempt;
            let day = monday.checked_add((slot % 5).days())?;
            let time = ["10:00", "13:30"][(slot / 5 % 2) as usize];
            let input = familytime_app::schedule::BookingInput {
                kind: "supervised".into(),
                date: day.to_string(),
                time: time.into(),
                minutes: "120".into(),
                repeat: "weekly".into(),
                count: "4".into(),
                until: String::new(),
                room_id: rooms
                    .get((slot as usize) % rooms.len().max(1))
                    .cloned()
                    .unwrap_or_default(),
                staff: vec![
                    qualified
                        .get((slot as usize) % qualified.len().max(1))
                        .cloned()
                        .unwrap_or_default(),
                ],
                party_id: String::new(),
            };
            if let Ok(familytime_app::schedule::BookingOutcome::Booked(..)) =
                familytime_app::schedule::book(&state, &caller, &case.id.to_string(), &input).await
            {
                break;
            }
        }
    }
    Ok(())
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

/// One family a status: a referral received weeks ago and moved on, step by step, as a coordinator
/// would have (the history reads as if it happened).
async fn seed_cases(
    store: &Store,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    coordinator: Option<familytime_domain::ids::UserId>,
    cafcass: Option<familytime_domain::ids::UserId>,
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::intake::{AdultInput, ChildInput, ContactInput, OrderInput, ReferralInput};
    use familytime_domain::referrals::{CaseStatus as S, ClosureOutcome, Service, Transition};
    // (child, born, resident parent, visiting parent, source, statuses it went through, weeks ago)
    type Family = (
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static [S],
        i64,
    );
    const ON_TO_ACTIVE: &[S] = &[S::WaitingList, S::Assessment, S::PreVisits, S::Accepted, S::Active];
    let families: [Family; 22] = [
        (
            "Mia Price",
            "2019-03-27",
            "Laura Price",
            "Daniel Price",
            "cafcass",
            ON_TO_ACTIVE,
            14,
        ),
        (
            "Oliver Grant",
            "2017-07-02",
            "Sarah Grant",
            "Mark Grant",
            "solicitor",
            &[],
            0,
        ),
        (
            "Amelia Khan",
            "2020-11-15",
            "Ayesha Khan",
            "Imran Khan",
            "social_worker",
            &[S::Incomplete],
            1,
        ),
        (
            "Noah Evans",
            "2018-01-30",
            "Rachel Evans",
            "Gareth Evans",
            "self_referral",
            &[S::AwaitingFee],
            1,
        ),
        (
            "Isla Murphy",
            "2021-05-09",
            "Ciara Murphy",
            "Sean Murphy",
            "cafcass",
            &[S::WaitingList],
            6,
        ),
        (
            "Leo Robinson",
            "2016-09-21",
            "Emma Robinson",
            "Jack Robinson",
            "court",
            &[S::WaitingList],
            4,
        ),
        (
            "Ava Wright",
            "2019-12-12",
            "Hannah Wright",
            "Tom Wright",
            "mediator",
            &[S::WaitingList, S::Assessment],
            7,
        ),
        (
            "Freddie Hall",
            "2015-04-18",
            "Kelly Hall",
            "Lee Hall",
            "cafcass",
            &[S::WaitingList, S::Assessment, S::PreVisits],
            8,
        ),
        (
            "Poppy Clarke",
            "2020-02-29",
            "Natalie Clarke",
            "Ryan Clarke",
            "solicitor",
            &[S::WaitingList, S::Assessment, S::PreVisits, S::Accepted],
            9,
        ),
        (
            "Harry Lewis",
            "2017-10-05",
            "Megan Lewis",
            "Craig Lewis",
            "other_centre",
            &[S::Signposted],
            3,
        ),
        (
            "Grace Walker",
            "2018-06-23",
            "Jodie Walker",
            "Paul Walker",
            "self_referral",
            &[S::Declined],
            5,
        ),
        (
            "George Young",
            "2016-03-14",
            "Lisa Young",
            "Darren Young",
            "cafcass",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::UnderReview,
            ],
            20,
        ),
        (
            "Lily Turner",
            "2014-08-01",
            "Claire Turner",
            "Steven Turner",
            "court",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::Closed,
            ],
            30,
        ),
        (
            "Jacob Hill",
            "2019-05-27",
            "Gemma Hill",
            "Adam Hill",
            "cafcass",
            &[
                S::WaitingList,
                S::Assessment,
                S::PreVisits,
                S::Accepted,
                S::Active,
                S::Closed,
            ],
            26,
        ),
        // Families in the middle of their sessions, four at each centre, so each centre has a
        // realistic month ahead.
        (
            "Isla Morgan",
            "2018-02-11",
            "Natalie Morgan",
            "Craig Morgan",
            "cafcass",
            ON_TO_ACTIVE,
            12,
        ),
        (
            "Harry Patel",
            "2016-09-30",
            "Priya Patel",
            "Raj Patel",
            "solicitor",
            ON_TO_ACTIVE,
            11,
        ),
        (
            "Ava Wright",
            "2020-04-04",
            "Kelly Wright",
            "Jason Wright",
            "court",
            ON_TO_ACTIVE,
            10,
        ),
        (
            "Noah Clarke",
            "2017-12-19",
            "Rachel Clarke",
            "Liam Clarke",
            "cafcass",
            ON_TO_ACTIVE,
            10,
        ),
        (
            "Freya Scott",
            "2019-07-08",
            "Hannah Scott",
            "Dean Scott",
            "social_worker",
            ON_TO_ACTIVE,
            9,
        ),
        (
            "Leo Bennett",
            "2015-10-23",
            "Amy Bennett",
            "Gary Bennett",
            "cafcass",
            ON_TO_ACTIVE,
            9,
        ),
        (
            "Ella Ward",
            "2021-01-15",
            "Jade Ward",
            "Ryan Ward",
            "self_referral",
            ON_TO_ACTIVE,
            8,
        ),
        (
            "Theo Collins",
            "2018-06-02",
            "Laura Collins",
            "Paul Collins",
            "mediator",
            ON_TO_ACTIVE,
            8,
        ),
    ];
    let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
    for (n, (child, born, resident, visiting, source, path, weeks)) in families.into_iter().enumerate() {
        let received = now
            .checked_sub(jiff::SignedDuration::from_hours(24 * 7 * weeks))
            .unwrap_or(now);
        let hidden = |kind: &str, value: String| ContactInput {
            kind: kind.into(),
            value,
            hidden_from: vec![1],
        };
        let court_ordered = matches!(source, "cafcass" | "court");
        let input = ReferralInput {
            source: source.into(),
            referrer_name: if source == "cafcass" {
                "Rebecca Stone".into()
            } else {
                String::new()
            },
            referrer_organisation: if source == "cafcass" {
                "Cafcass".into()
            } else {
                String::new()
            },
            children: vec![ChildInput {
                name: child.into(),
                date_of_birth: born.into(),
                ..Default::default()
            }],
            adults: vec![
                AdultInput {
                    role: "resident".into(),
                    name: resident.into(),
                    relationship: "Mother".into(),
                    parental_responsibility: Some(true),
                    may_attend: true,
                    contacts: vec![
                        hidden("address", format!("{} Willow Court, Leeds LS{} 4QT", n + 3, n + 6)),
                        hidden("phone", format!("07700 900{:03}", 100 + n)),
                    ],
                    ..Default::default()
                },
                AdultInput {
                    role: "visiting".into(),
                    name: visiting.into(),
                    relationship: "Father".into(),
                    parental_responsibility: Some(true),
                    may_attend: true,
                    availability: "Weekday afternoons, Saturdays".into(),
                    ..Default::default()
                },
            ],
            court_orders: if court_ordered {
                vec![OrderInput {
                    kind: "child_arrangements".into(),
                    made_on: "2026-06-01".into(),
                    court: "Leeds Family Court".into(),
                    sessions: Some(6),
                    reports_ordered: true,
                    report_recipients: "Cafcass and both parties' solicitors".into(),
                    ..Default::default()
                }]
            } else {
                Vec::new()
            },
            child_lives_with: resident.into(),
            risk_background: "Parents separated; communication has broken down.".into(),
            consent_to_share: true,
            ..Default::default()
        };
        let referral = input
            .parse(today)
            .map_err(|e| anyhow::anyhow!("demo referral {child}: {e:?}"))?;
        let referrer = if source == "cafcass" { cafcass } else { None };
        let scope = AuditScope {
            at: received,
            request_id: "demo-seed".into(),
            actor_user_id: coordinator,
            organisation_id: Some(org),
        };
        let id = store
            .create_case(&scope, org, centres[n % 2], referrer, &referral)
            .await?;
        for (step, to) in path.iter().enumerate() {
            let at = received
                .checked_add(jiff::SignedDuration::from_hours(72 * (step as i64 + 1)))
                .unwrap_or(now)
                .min(now);
            let reason = match to {
                S::Incomplete => "The court order has not been sent".to_owned(),
                S::Signposted => "Lives nearer another centre's service; referred on".to_owned(),
                S::Declined => "Abduction risk: the centre cannot manage it safely".to_owned(),
                _ => format!("Moved to {}", to.label().to_lowercase()),
            };
            let transition = Transition {
                to: *to,
                reason,
                service: (*to == S::Accepted).then_some(Service::Supervised),
                outcome: (*to == S::Closed).then_some(if n % 2 == 0 {
                    ClosureOutcome::MovedToHandover
                } else {
                    ClosureOutcome::ArrangingContactThemselves
                }),
                missing: (*to == S::Incomplete).then(|| "The child arrangements order".to_owned()),
            };
            store
                .transition_case(
                    &AuditScope { at, ..scope.clone() },
                    org,
                    id,
                    step as i64 + 1,
                    &transition,
                )
                .await?;
        }
    }
    Ok(())
}

/// A case's last two sessions as they were run: the register, signed observation records (one with
/// an addendum), a summary report checked by a second person and released to the Cafcass officer,
/// and an open safeguarding concern raised by the volunteer. Everything goes through the same use
/// cases as the pages; the sessions are booked by a clock set ten days back, as they were.
async fn seed_records(
    store: &Store,
    org: familytime_domain::ids::OrganisationId,
    centre: familytime_domain::ids::CentreId,
    cafcass: Option<familytime_domain::ids::UserId>,
    now: Timestamp,
) -> Result<()> {
    use familytime_app::clock::{ShiftedClock, SystemClock};
    use familytime_app::{incidents, records, reports, schedule};
    use jiff::ToSpan;
    let state_with = |clock: std::sync::Arc<dyn familytime_app::clock::Clock>| {
        familytime_app::AppState::new(store.clone(), clock, familytime_app::Config::default())
            .map_err(|e| anyhow::anyhow!(e.message()))
    };
    let back = ShiftedClock::default();
    back.advance(jiff::SignedDuration::from_hours(-24 * 10));
    let then = state_with(std::sync::Arc::new(back))?;
    let state = state_with(std::sync::Arc::new(SystemClock))?;
    let mut callers = std::collections::HashMap::new();
    for email in [
        "admin@riverside.example",
        "coordinator@riverside.example",
        "supervisor@riverside.example",
        "volunteer@riverside.example",
    ] {
        let user = store
            .user_by_email(&familytime_domain::people::Email::parse(email).map_err(|e| anyhow::anyhow!(e))?)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account {email}"))?;
        callers.insert(
            email,
            familytime_app::context::Caller {
                user: Some(user),
                credential: familytime_app::context::Credential::Anonymous,
                request_id: "demo-seed".into(),
                client_addr: "127.0.0.1".into(),
                asked: Default::default(),
            },
        );
    }
    let who = |email: &str| {
        callers
            .get(email)
            .ok_or_else(|| anyhow::anyhow!("demo account {email}"))
    };
    let fail = |what: &str, e: familytime_app::AppError| anyhow::anyhow!("demo {what}: {}", e.message());
    let Some(case) = store
        .cases(org, Some(familytime_domain::referrals::CaseStatus::Active), cafcass)
        .await?
        .into_iter()
        .find(|c| c.centre_id == centre)
    else {
        return Ok(());
    };
    let file = store.case(org, case.id).await?;
    let party = |role: familytime_domain::intake::PartyRole| {
        file.parties
            .iter()
            .find(|p| p.role == role)
            .map(|p| p.id.to_string())
            .unwrap_or_default()
    };
    let (resident, visiting) = (
        party(familytime_domain::intake::PartyRole::Resident),
        party(familytime_domain::intake::PartyRole::Visiting),
    );
    let room = store
        .rooms(org, centre)
        .await?
        .into_iter()
        .find(|r| r.kind == familytime_domain::tenancy::RoomKind::FamilyRoom)
        .map(|r| r.id.to_string())
        .unwrap_or_default();
    let grace = who("supervisor@riverside.example")?;
    let grace_id = grace.user()?.id.to_string();
    let today = now.to_zoned(jiff::tz::TimeZone::get("Europe/London")?).date();
    // Two weekdays of the last eight days, at least three days apart (stepping three days at a time
    // found only one on a Monday, when two of the steps fell on the weekend).
    let mut weekdays: Vec<jiff::civil::Date> = Vec::new();
    let mut day = today.checked_sub(8.days())?;
    while weekdays.len() < 2 && day < today {
        let apart = weekdays.last().is_none_or(|last| day >= last.saturating_add(3.days()));
        if day.weekday().to_monday_one_offset() <= 5 && apart {
            weekdays.push(day);
        }
        day = day.checked_add(1.days())?;
    }
    // The records speak of this case's own children, by first name (the demo's families have one
    // child each; the words follow the case, not a template family).
    let first_names: Vec<&str> = file
        .children
        .iter()
        .filter_map(|c| c.name.split_whitespace().next())
        .collect();
    let (kids, was) = match first_names.as_slice() {
        [] => ("the child".to_owned(), "was"),
        [one] => ((*one).to_owned(), "was"),
        [init @ .., last] => (format!("{} and {last}", init.join(", ")), "were"),
    };
    let mut signed = Vec::new();
    for (n, day) in weekdays.iter().enumerate() {
        let input = schedule::BookingInput {
            kind: "supervised".into(),
            date: day.to_string(),
            time: "10:00".into(),
            minutes: "120".into(),
            repeat: String::new(),
            count: String::new(),
            until: String::new(),
            room_id: room.clone(),
            staff: vec![grace_id.clone()],
            party_id: String::new(),
        };
        let admin = who("admin@riverside.example")?;
        let booked = match schedule::book(&then, admin, &case.id.to_string(), &input).await {
            Ok(schedule::BookingOutcome::Booked(b, _)) => b,
            _ => continue,
        };
        let Some(booking) = booked.first() else { continue };
        let id = booking.id.to_string();
        let status = schedule::StatusInput {
            status: "confirmed".into(),
            version: booking.version,
            ..Default::default()
        };
        schedule::set_status(&then, admin, &id, &status)
            .await
            .map_err(|e| fail("confirm", e))?;
        for (who_, arrived, left) in [
            (format!("party:{visiting}"), "09:45", "12:12"),
            (format!("party:{resident}"), "10:00", "10:05"),
        ] {
            let line = records::RegisterInput {
                who: who_,
                attendance: "left".into(),
                arrived: arrived.into(),
                left: left.into(),
                ..Default::default()
            };
            records::write_register(&state, grace, &id, &line)
                .await
                .map_err(|e| fail("register", e))?;
        }
        for child in &file.children {
            let line = records::RegisterInput {
                who: format!("child:{}", child.id),
                attendance: "left".into(),
                arrived: "10:00".into(),
                left: "12:00".into(),
                brought_by: "Resident parent".into(),
                collected_by: "Resident parent".into(),
                ..Default::default()
            };
            records::write_register(&state, grace, &id, &line)
                .await
                .map_err(|e| fail("register", e))?;
        }
        let sections = [
            (
                "arrival",
                format!(
                    "The father arrived at 09:45 and waited in the Front Waiting Room. The mother brought {kids} at 10:00 and left by the side entrance."
                ),
            ),
            (
                "mood",
                format!("{kids} held the mother's hand at the door, then walked into the Blue Room."),
            ),
            (
                "interaction",
                if n == 0 {
                    format!(
                        "They played a board game. {kids} laughed and said \"You always win, Dad!\" The father praised {kids} for taking turns."
                    )
                } else {
                    format!("The father read two books aloud. {kids} sat beside him for the second one.")
                },
            ),
            (
                "care",
                "The father offered the snack agreed with the centre (fruit and water).".to_owned(),
            ),
            (
                "boundaries",
                "Phones stayed in the locker. No gifts were brought.".to_owned(),
            ),
            (
                "interventions",
                if n == 0 {
                    format!(
                        "10:40 The father began to ask about {kids}'s new school. I reminded him of the ground rules and he changed the subject."
                    )
                } else {
                    "None.".to_owned()
                },
            ),
            (
                "ending",
                format!(
                    "At 11:55 the father said goodbye with a hug. {kids} left with the mother at 12:00; the father left at 12:12."
                ),
            ),
        ];
        let observation = records::ObservationInput {
            sections: sections.iter().map(|(k, v)| ((*k).to_owned(), v.clone())).collect(),
            checklist: familytime_domain::records::DEFAULT_CHECKLIST
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            version: 0,
        };
        let (record, version) = records::save_observation(&state, grace, &id, &observation)
            .await
            .map_err(|e| fail("observation", e))?;
        records::sign_observation(&state, grace, &record, version)
            .await
            .map_err(|e| fail("sign-off", e))?;
        if n == 0 {
            records::add_addendum(
                &state,
                grace,
                &record,
                &format!(
                    "{kids} also asked whether Dad could come to sports day; the father said that was for the grown-ups to sort out."
                ),
                "Remembered when writing up the second session",
            )
            .await
            .map_err(|e| fail("addendum", e))?;
        }
        signed.push(record);
    }
    if signed.is_empty() {
        return Ok(());
    }
    let jo = who("coordinator@riverside.example")?;
    reports::set_distribution(
        &state,
        jo,
        &case.id.to_string(),
        &["referrer".into(), "court".into()],
        0,
    )
    .await
    .map_err(|e| fail("distribution", e))?;
    let report = reports::create_report(
        &state,
        grace,
        &case.id.to_string(),
        &reports::NewReportInput {
            kind: "summary".into(),
            title: "Summary of supervised contact".into(),
            summary: format!(
                "The father attended both sessions on time. {kids} {was} relaxed with him and the sessions ended calmly."
            ),
            records: signed,
        },
    )
    .await
    .map_err(|e| fail("report", e))?;
    let step = |step: &str, version: i64| reports::CheckInput {
        step: step.into(),
        notes: String::new(),
        version,
    };
    reports::check(&state, grace, &report, &step("send_for_check", 1))
        .await
        .map_err(|e| fail("check", e))?;
    reports::check(&state, jo, &report, &step("approve", 2))
        .await
        .map_err(|e| fail("approve", e))?;
    reports::release(&state, jo, &report, &["referrer".into()], 3)
        .await
        .map_err(|e| fail("release", e))?;

    let maureen = who("volunteer@riverside.example")?;
    let raised = incidents::RaiseInput {
        case_id: case.id.to_string(),
        date: today.checked_sub(1.days())?.to_string(),
        time: "14:20".into(),
        concern: familytime_domain::incidents::ConcernInput {
            kind: "disclosure".into(),
            about: file
                .children
                .first()
                .map_or_else(|| "The child".to_owned(), |c| c.name.clone()),
            exact_words: "\"Mummy's friend shouts at me when she's out.\"".into(),
            action_taken: "Listened, did not ask leading questions, told the safeguarding lead straight away.".into(),
            carers_told: Some(false),
            carers_not_told_reason: "Telling the mother could put the child at risk before the lead decides.".into(),
        },
        ..Default::default()
    };
    incidents::raise(&state, maureen, &raised)
        .await
        .map_err(|e| fail("concern", e))?;
    Ok(())
}
