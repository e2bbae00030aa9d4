//! Scheduling through the API, on the real database: races for the same room, supervisor and
//! never-meet pair (exactly one wins, the rest get 409), random schedules that never double-book or
//! bring people together, series that book whole or name the failing dates with alternatives, the
//! clock changes, bad input, moves and cancellations, and the calendar feeds.
//! Long because: not one use case; it holds the API scheduling tests of several (races, series,
//! moves, feeds, the planning read) and should be split by use case as the code was (decision 0040).

use crate::harness::{Org, TestApp, json_of};
use crate::referrals::CANARY;
use familytime_domain::people::Role;
use jiff::ToSpan;
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A signed-in coordinator's client and the organisation, with the centre open every day 08:00–20:00.
pub(crate) struct Fixture {
    pub(crate) app: TestApp,
    pub(crate) org: Org,
    pub(crate) jo: reqwest::Client,
    pub(crate) admin: reqwest::Client,
}

pub(crate) async fn fixture() -> Fixture {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    app.seed_user(&org, Role::OrganisationAdmin, "ade@riverside.example")
        .await;
    let admin = app.client();
    app.api_login(&admin, "ade@riverside.example").await;
    for weekday in 1..=7 {
        let (status, body) = post(
            &app,
            &jo,
            &format!("/api/v1/centres/{}/opening-hours", org.centre),
            json!({"weekday": weekday, "opens": "08:00", "closes": "20:00"}),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
    }
    Fixture { app, org, jo, admin }
}

pub(crate) async fn post(app: &TestApp, client: &reqwest::Client, path: &str, body: Value) -> (StatusCode, Value) {
    json_of(client.post(app.url(path)).json(&body).send().await.unwrap()).await
}

pub(crate) async fn get(app: &TestApp, client: &reqwest::Client, path: &str) -> (StatusCode, Value) {
    json_of(client.get(app.url(path)).send().await.unwrap()).await
}

/// An accepted case (Cafcass, supervised); returns its id and (resident, visiting) party ids.
pub(crate) async fn accepted_case(f: &Fixture, surname: &str) -> (String, String, String) {
    accepted_case_for(f, surname, "supervised").await
}

/// An accepted case (Cafcass) for `service` (its sessions must be of that kind, decision 0043).
pub(crate) async fn accepted_case_for(f: &Fixture, surname: &str, service: &str) -> (String, String, String) {
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["children"][0]["name"] = json!(format!("Mia {surname}"));
    referral["adults"][0]["name"] = json!(format!("Laura {surname}"));
    referral["adults"][1]["name"] = json!(format!("Daniel {surname}"));
    let (id, file) = accept_referral_for(f, &f.jo, referral, service).await;
    (id, party_id(&file, "resident"), party_id(&file, "visiting"))
}

/// The id of the case file's adult in `role` (resident or visiting).
pub(crate) fn party_id(file: &Value, role: &str) -> String {
    file["adults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["role"] == role)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Sends the referral in as `client`, then the coordinator takes it through triage to accepted for
/// supervised contact; returns the case id and its file as the API shows it.
pub(crate) async fn accept_referral(f: &Fixture, client: &reqwest::Client, referral: Value) -> (String, Value) {
    accept_referral_for(f, client, referral, "supervised").await
}

/// As `accept_referral`, accepted for `service`.
pub(crate) async fn accept_referral_for(
    f: &Fixture,
    client: &reqwest::Client,
    referral: Value,
    service: &str,
) -> (String, Value) {
    let (status, case) = post(&f.app, client, "/api/v1/referrals", referral).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let id = case["id"].as_str().unwrap().to_owned();
    for step in [
        json!({"to": "waiting_list", "reason": "complete"}),
        json!({"to": "assessment", "reason": "top of the list"}),
        json!({"to": "accepted", "reason": "assessed", "service": service}),
    ] {
        let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{id}")).await;
        let mut step = step;
        step["version"] = file["case"]["version"].clone();
        let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/cases/{id}/transitions"), step).await;
        assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    }
    let (_, file) = get(&f.app, &f.jo, &format!("/api/v1/cases/{id}")).await;
    (id, file)
}

/// A staff member qualified to supervise.
pub(crate) async fn supervisor(f: &Fixture, email: &str) -> String {
    let id = f.app.seed_user(&f.org, Role::Supervisor, email).await.to_string();
    let response =
        f.jo.put(f.app.url(&format!("/api/v1/staff/{id}")))
            .json(
                &json!({"qualified_supervised": true, "qualifications": "Level 3 supervised contact",
                "dbs_checked_on": null, "hours": [], "version": 0}),
            )
            .send()
            .await
            .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    id
}

pub(crate) async fn family_room(f: &Fixture, name: &str) -> String {
    let (status, room) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": name, "kind": "family_room", "capacity_families": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{room}");
    room["id"].as_str().unwrap().to_owned()
}

/// The last Sunday of `month` (1–12; when the UK's clocks change) in the first year where the Saturday
/// eight days before it is still ahead of the server's today.
fn next_clock_change(app: &TestApp, month: i8) -> jiff::civil::Date {
    let today = app.today();
    (today.year()..=today.year() + 1)
        .map(|year| {
            let last = jiff::civil::date(year, month, 1).last_of_month();
            last.checked_sub(i64::from(last.weekday().to_sunday_zero_offset()).days())
                .unwrap()
        })
        .find(|sunday| sunday.checked_sub(8.days()).unwrap() > today)
        .expect("a clock change within a year and a bit")
}

/// A date some weeks ahead of the server's today, as the centre's calendar date.
pub(crate) fn ahead(app: &TestApp, weeks: i64) -> String {
    app.today().checked_add((weeks * 7).days()).unwrap().to_string()
}

pub(crate) fn booking(kind: &str, date: &str, time: &str, room: &str, staff: &[&str]) -> Value {
    json!({"kind": kind, "date": date, "time": time, "minutes": 120, "room_id": room, "staff": staff})
}

/// Fires all the requests at once and counts the answers.
async fn fire(f: &Fixture, requests: Vec<(String, Value)>) -> (usize, usize, Vec<Value>) {
    let tasks: Vec<_> = requests
        .into_iter()
        .map(|(case, body)| {
            let client = f.jo.clone();
            let url = f.app.url(&format!("/api/v1/cases/{case}/bookings"));
            tokio::spawn(async move { json_of(client.post(url).json(&body).send().await.unwrap()).await })
        })
        .collect();
    let (mut created, mut conflicts, mut others) = (0, 0, Vec::new());
    for task in tasks {
        let (status, body) = task.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                assert!(
                    body["failures"].as_array().is_some_and(|f| !f.is_empty()),
                    "a 409 says what clashed: {body}"
                );
                conflicts += 1
            }
            _ => others.push(json!({"status": status.as_u16(), "body": body})),
        }
    }
    (created, conflicts, others)
}

/// Planning reads a case's people in one statement (a row for each child and adult together);
/// what it reads must be the file's own children and adults, in the file's order.
#[tokio::test(flavor = "multi_thread")]
async fn planning_reads_the_same_children_and_adults_as_the_case_file() {
    let f = fixture().await;
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["children"] = json!([
        {"name": "Zoe Lane", "date_of_birth": "2020-05-01"},
        {"name": "Alfie Lane", "date_of_birth": "2018-01-09", "needs": "Wheelchair"},
        {"name": "Mia Lane", "date_of_birth": "2020-05-01"}
    ]);
    let (id, _) = accept_referral(&f, &f.jo, referral).await;
    let case = familytime_domain::ids::CaseId::parse(&id).unwrap();
    let people = f.app.store.case_people(f.org.id, case).await.unwrap();
    let file = f.app.store.case(f.org.id, case).await.unwrap();
    assert_eq!(people.children.len(), 3);
    assert_eq!(people.parties.len(), 2);
    assert_eq!(format!("{:?}", people.children), format!("{:?}", file.children));
    assert_eq!(format!("{:?}", people.parties), format!("{:?}", file.parties));
    assert_eq!(
        people.summary.children,
        vec!["Alfie Lane", "Mia Lane", "Zoe Lane"],
        "children oldest first, then by name"
    );
    f.app.finish().await;
}

/// Booking reads the centre's rules, the case's pairs, the rooms, the staff and the money as parts
/// of one statement. Each part must come back whole and to its own place however the rows
/// interleave (the same as each read on its own), and a booking's roster must hold only the room
/// and staff it names.
#[tokio::test(flavor = "multi_thread")]
async fn planning_in_one_read_matches_each_read_on_its_own() {
    use familytime_domain::billing::{Funding, Item, Payer, Pence, Price};
    use familytime_domain::ids::{CaseId, RoomId, UserId};
    use familytime_domain::schedule::Closure;
    use familytime_store::planning::Roster;
    let f = fixture().await;
    let (store, org, centre) = (&f.app.store, f.org.id, f.org.centre);
    let scope = f.app.seed_scope(Some(org));
    let sam = UserId::parse(&supervisor(&f, "sam@riverside.example").await).unwrap();
    let kim = UserId::parse(&supervisor(&f, "kim@riverside.example").await).unwrap();
    let green = RoomId::parse(&family_room(&f, "Green Room").await).unwrap();
    let (case, resident, visiting) = accepted_case(&f, "Lane").await;
    let (_, other_resident, _) = accepted_case(&f, "Hart").await;
    let case = CaseId::parse(&case).unwrap();
    // Days counted from the server's today, so that the leave and the closure stay ahead of it.
    let day = |days: i64| f.app.today().checked_add(days.days()).unwrap();
    let time = |t: &str| t.parse::<jiff::civil::Time>().unwrap();
    let hours = [(1, time("09:00"), time("17:00")), (3, time("10:00"), time("12:30"))];
    store
        .save_staff_profile(&scope, org, sam, true, "Level 3", Some(day(-330)), &hours, 1)
        .await
        .unwrap();
    store.add_staff_leave(&scope, org, sam, day(60), day(64)).await.unwrap();
    let closure = Closure {
        first_day: day(300),
        last_day: day(303),
        reason: "Christmas".into(),
    };
    store.add_closure(&scope, org, centre, &closure).await.unwrap();
    for (item, pence) in [(Item::PreVisit, 2500), (Item::SupervisedSession, 4000)] {
        let price = Price {
            item,
            amount: Pence(pence),
            from: day(-340),
        };
        store.add_price(&scope, org, centre, &price).await.unwrap();
    }
    let funding = Funding {
        payer: Payer::LocalAuthority,
        funder_name: "Kent County Council".into(),
        funded_sessions: Some(6),
        funded_minutes: None,
        visiting_share: 5_000,
    };
    store.set_case_funding(&scope, org, case, &funding, 0).await.unwrap();
    store
        .add_never_meet(&scope, org, &visiting, &other_resident, "Non-molestation order")
        .await
        .unwrap();

    // One supervisor works only at another centre, one only at this one: the search's read holds
    // those who may work here (this centre's, and those tied to none), never the other centre's.
    let elsewhere = {
        let mut tx = store.begin().await.unwrap();
        let details =
            familytime_domain::tenancy::CentreDetails::parse("Northgate", "3 Station Road", "Europe/London").unwrap();
        let id = tx.insert_centre(&scope, org, &details).await.unwrap();
        tx.commit().await.unwrap();
        id
    };
    let at = |email: &str, centre: familytime_domain::ids::CentreId| familytime_app::people::NewUserInput {
        email: email.into(),
        name: email.into(),
        role: Role::Supervisor.as_str().into(),
        password: crate::harness::PASSWORD.into(),
        centre_ids: vec![centre.to_string()],
    };
    let other = familytime_app::people::add_user(store, &scope, org, &at("olu@riverside.example", elsewhere))
        .await
        .map_err(|e| e.message())
        .unwrap();
    let here = familytime_app::people::add_user(store, &scope, org, &at("hal@riverside.example", centre))
        .await
        .map_err(|e| e.message())
        .unwrap();

    let all = store.planning(org, centre, case, Roster::Everyone).await.unwrap();
    let may_work_here: Vec<_> = store
        .staff_profiles(org)
        .await
        .unwrap()
        .into_iter()
        .filter(|p| p.works_at(centre))
        .collect();
    assert_eq!(debug_of(&all.staff), debug_of(&may_work_here));
    assert!(all.staff.iter().any(|p| p.user_id == here.id) && all.staff.iter().any(|p| p.user_id == sam));
    assert!(
        !all.staff.iter().any(|p| p.user_id == other.id),
        "another centre's supervisor is not read"
    );
    let debug = debug_of;
    assert_eq!(
        debug(&all.rules.calendar),
        debug(&store.calendar(org, centre).await.unwrap())
    );
    assert_eq!(
        all.rules.settings,
        store.schedule_settings(org, centre).await.unwrap().0
    );
    assert_eq!(all.rooms, store.rooms_with_approval(org, centre).await.unwrap());
    let parties = [resident.clone(), visiting.clone()];
    assert_eq!(
        debug(&all.pairs),
        debug(&store.never_meet_pairs(org, &parties).await.unwrap())
    );
    assert_eq!(all.charging, store.charging_rules(org, centre, case).await.unwrap());
    // What was set up is there, each row with its own owner.
    assert_eq!(
        (all.rules.calendar.rules.len(), all.rules.calendar.closures),
        (7, vec![closure])
    );
    let sam_profile = all.staff.iter().find(|s| s.user_id == sam).unwrap();
    assert_eq!(sam_profile.availability, hours.to_vec());
    assert_eq!(sam_profile.leave, vec![(day(60), day(64))]);
    assert!(
        all.staff
            .iter()
            .filter(|s| s.user_id != sam)
            .all(|s| s.availability.is_empty() && s.leave.is_empty())
    );
    assert!(all.rooms.iter().any(|(r, _)| r.id == green) && all.rooms.len() >= 2);
    assert!(all.pairs.iter().any(|p| p.reason == "Non-molestation order"));
    assert_eq!(all.charging.1.clone().map(|f| f.0), Some(funding));
    assert_eq!(all.charging.0.prices().len(), 2);

    let named = store
        .planning(
            org,
            centre,
            case,
            Roster::Only {
                room: Some(green),
                staff: &[kim],
            },
        )
        .await
        .unwrap();
    assert_eq!(named.rooms.iter().map(|(r, _)| r.id).collect::<Vec<_>>(), vec![green]);
    assert_eq!(named.staff.iter().map(|s| s.user_id).collect::<Vec<_>>(), vec![kim]);
    assert_eq!(debug(&named.pairs), debug(&all.pairs));
    let nobody = store
        .planning(org, centre, case, Roster::Only { room: None, staff: &[] })
        .await
        .unwrap();
    assert!(nobody.rooms.is_empty() && nobody.staff.is_empty());
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn race_fifty_requests_for_one_room_and_time_book_it_once() {
    let f = fixture().await;
    let date = ahead(&f.app, 3);
    let mut requests = Vec::new();
    for n in 0..50 {
        let (case, _, _) = accepted_case_for(&f, &format!("Room{n}"), "handover").await;
        // Handovers need no qualified supervisor, so each family brings its own worker: the room
        // is the only thing they share.
        let worker = f
            .app
            .seed_user(&f.org, Role::Volunteer, &format!("v{n}@riverside.example"))
            .await
            .to_string();
        requests.push((
            case,
            booking("handover", &date, "10:00", &f.org.room.to_string(), &[&worker]),
        ));
    }
    let (created, conflicts, others) = fire(&f, requests).await;
    assert_eq!((created, conflicts), (1, 49), "unexpected answers: {others:?}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn race_one_supervisor_asked_for_in_two_rooms_at_once_is_booked_once() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let green = family_room(&f, "Green Room").await;
    let date = ahead(&f.app, 3);
    let mut requests = Vec::new();
    for n in 0..50 {
        let (case, _, _) = accepted_case(&f, &format!("Staff{n}")).await;
        let room = if n % 2 == 0 {
            f.org.room.to_string()
        } else {
            green.clone()
        };
        // Different start times too: the supervisor's arrival and departure margins overlap.
        let time = if n % 3 == 0 { "10:00" } else { "10:30" };
        requests.push((case, booking("supervised", &date, time, &room, &[&sam])));
    }
    let (created, conflicts, others) = fire(&f, requests).await;
    assert_eq!(created, 1, "{others:?}");
    assert_eq!(conflicts, 49, "{others:?}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn race_two_people_who_must_not_meet_are_never_booked_on_site_together() {
    let f = fixture().await;
    let (case_a, _, visiting_a) = accepted_case(&f, "North").await;
    let (case_b, resident_b, _) = accepted_case(&f, "South").await;
    // A non-molestation order between a parent in one family and a parent in another.
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case_a}/never-meet"),
        json!({"party_id": visiting_a, "other_party_id": resident_b, "reason": "Non-molestation order"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let green = family_room(&f, "Green Room").await;
    let mut staff = Vec::new();
    for n in 0..50 {
        staff.push(supervisor(&f, &format!("s{n}@riverside.example")).await);
    }
    let date = ahead(&f.app, 4);
    let mut requests = Vec::new();
    for (n, worker) in staff.iter().enumerate() {
        let (case, room) = if n % 2 == 0 {
            (&case_a, f.org.room.to_string())
        } else {
            (&case_b, green.clone())
        };
        requests.push((case.clone(), booking("supervised", &date, "10:00", &room, &[worker])));
    }
    let (created, conflicts, others) = fire(&f, requests).await;
    assert_eq!((created, conflicts), (1, 49), "{others:?}");
    f.app.finish().await;
}

/// A tiny deterministic generator, so a failing schedule can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % below
    }
}

/// A hall's sessions are shared claims; a family room's are exclusive. A room changed from one to
/// the other keeps its hall sessions, and a family-room booking over one of them must still be
/// refused with the clash named (on PostgreSQL by the database itself, decision 0017), in a race too.
#[tokio::test(flavor = "multi_thread")]
async fn race_a_hall_made_a_family_room_is_not_booked_over_its_hall_sessions() {
    let f = fixture().await;
    let (status, hall) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": "Main Hall", "kind": "hall", "capacity_families": 4}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{hall}");
    let hall = hall["id"].as_str().unwrap().to_owned();
    let date = ahead(&f.app, 3);
    let (first, _, _) = accepted_case_for(&f, "Hall", "supported").await;
    let worker = f
        .app
        .seed_user(&f.org, Role::Volunteer, "h@riverside.example")
        .await
        .to_string();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{first}/bookings"),
        booking("supported", &date, "10:00", &hall, &[&worker]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let changed = f
        .admin
        .put(f.app.url(&format!("/api/v1/rooms/{hall}")))
        .json(
            &json!({"name": "Main Hall", "kind": "family_room", "capacity_families": 1, "active": true, "version": 1}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    let mut requests = Vec::new();
    for n in 0..10 {
        let (case, _, _) = accepted_case_for(&f, &format!("Family{n}"), "handover").await;
        let worker = f
            .app
            .seed_user(&f.org, Role::Volunteer, &format!("w{n}@riverside.example"))
            .await
            .to_string();
        requests.push((case, booking("handover", &date, "11:00", &hall, &[&worker])));
    }
    let (created, conflicts, others) = fire(&f, requests).await;
    assert_eq!(
        (created, conflicts),
        (0, 10),
        "the hall session still holds the room: {others:?}"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn never_meet_random_schedules_never_double_book_or_bring_people_together() {
    let f = fixture().await;
    let mut cases = Vec::new();
    for n in 0..4 {
        cases.push(accepted_case(&f, &format!("Random{n}")).await);
    }
    // Across families: case 0's visiting parent and case 1's resident parent.
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/never-meet", cases[0].0),
        json!({"party_id": cases[0].2, "other_party_id": cases[1].1, "reason": "Non-molestation order"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let rooms = [
        f.org.room.to_string(),
        family_room(&f, "Green Room").await,
        family_room(&f, "Yellow Room").await,
    ];
    let staff = [
        supervisor(&f, "a@riverside.example").await,
        supervisor(&f, "b@riverside.example").await,
        supervisor(&f, "c@riverside.example").await,
    ];
    for seed in [7u64, 42, 2026] {
        let mut rng = Lcg(seed);
        for _ in 0..25 {
            let case = &cases[rng.next(4) as usize].0;
            let date = ahead(&f.app, 5 + rng.next(2) as i64);
            let time = format!("{:02}:{:02}", 9 + rng.next(8), [0, 15, 30, 45][rng.next(4) as usize]);
            let room = &rooms[rng.next(3) as usize];
            let worker = &staff[rng.next(3) as usize];
            let (status, body) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"),
                json!({"kind": "supervised", "date": date, "time": time, "minutes": 60 + 15 * rng.next(5) as i64, "room_id": room, "staff": [worker]})).await;
            assert!(
                matches!(
                    status,
                    StatusCode::CREATED | StatusCode::CONFLICT | StatusCode::UNPROCESSABLE_ENTITY
                ),
                "{status} {body}"
            );
        }
    }
    // Read everything back and check the invariants from the stored plans.
    let mut details = Vec::new();
    for (case, _, _) in &cases {
        let (_, list) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
        for b in list.as_array().unwrap() {
            let (_, d) = get(
                &f.app,
                &f.jo,
                &format!("/api/v1/bookings/{}", b["id"].as_str().unwrap()),
            )
            .await;
            details.push(d);
        }
    }
    assert!(details.len() >= 5, "the random schedule booked something");
    let span = |b: &Value| {
        (
            b["booking"]["starts_at"]
                .as_str()
                .unwrap()
                .parse::<jiff::Timestamp>()
                .unwrap(),
            b["booking"]["ends_at"]
                .as_str()
                .unwrap()
                .parse::<jiff::Timestamp>()
                .unwrap(),
        )
    };
    for (i, x) in details.iter().enumerate() {
        for y in &details[i + 1..] {
            let ((xs, xe), (ys, ye)) = (span(x), span(y));
            if !(xs < ye && ys < xe) {
                continue;
            }
            assert_ne!(
                x["booking"]["room_id"], y["booking"]["room_id"],
                "a room double-booked: {x} {y}"
            );
            assert_ne!(
                x["booking"]["case_id"], y["booking"]["case_id"],
                "a family double-booked"
            );
            for s in x["staff"].as_array().unwrap() {
                let theirs: Vec<&Value> = y["staff"].as_array().unwrap().iter().map(|t| &t["user_id"]).collect();
                assert!(!theirs.contains(&&s["user_id"]), "a supervisor double-booked: {x} {y}");
            }
        }
    }
    // The pair across families: their whole times on site never overlap.
    let on_site = |party: &str| -> Vec<(String, String)> {
        details
            .iter()
            .flat_map(|d| {
                d["parties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .filter(|p| p["party_id"] == party)
                    .map(|p| {
                        (
                            p["arrives"].as_str().unwrap().to_owned(),
                            p["leaves"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    for (a_from, a_to) in on_site(&cases[0].2) {
        for (b_from, b_to) in on_site(&cases[1].1) {
            assert!(
                !(a_from < b_to && b_from < a_to),
                "never-meet pair on site together: {a_from}-{a_to} / {b_from}-{b_to}"
            );
        }
    }
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_series_books_whole_or_names_the_failing_dates_with_alternatives_and_moves_keep_history() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Series").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let first = ahead(&f.app, 2);
    let third: jiff::civil::Date = first
        .parse::<jiff::civil::Date>()
        .unwrap()
        .checked_add(14.days())
        .unwrap();
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/centres/{}/closures", f.org.centre),
        json!({"first_day": third.to_string(), "reason": "Staff training"}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let mut series = booking("supervised", &first, "10:00", &f.org.room.to_string(), &[&sam]);
    series["repeat"] = json!("weekly");
    series["count"] = json!(4);
    let (status, refused) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), series.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");
    let failures = refused["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{refused}");
    assert!(failures[0]["reason"].as_str().unwrap().contains("Staff training"));
    assert!(
        failures[0]["local_start"]
            .as_str()
            .unwrap()
            .starts_with(&third.to_string())
    );
    let offers = refused["alternatives"][0]["times"].as_array().unwrap();
    assert!(!offers.is_empty(), "nearest free times offered: {refused}");
    let (_, none) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(none, json!([]), "nothing booked when a date fails");
    let audit = f.app.store.audit_entries(f.org.id, None, 500).await.unwrap();
    assert!(
        audit.iter().any(|e| e.action == "case.sessions.read"),
        "reading a case's sessions is a read of the case file"
    );

    series["count"] = json!(2);
    let (status, booked) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), series).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert_eq!(booked.as_array().unwrap().len(), 2);
    assert_eq!(booked[0]["series_id"], booked[1]["series_id"]);
    // The answer is made from what was written, not read back: it must say what a read says.
    for answered in booked.as_array().unwrap() {
        let id = answered["id"].as_str().unwrap();
        let (_, read) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
        assert_eq!(
            read["booking"], *answered,
            "the answer differs from the booking as stored"
        );
    }
    // The stagger (UK default): the visiting parent 15 minutes early, the resident parent at the start.
    let id = booked[0]["id"].as_str().unwrap();
    let (_, detail) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
    let plan = |party: &str| {
        detail["parties"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["party_id"] == party)
            .unwrap()
            .clone()
    };
    assert!(
        plan(&visiting)["arrives"].as_str().unwrap().ends_with("09:45"),
        "{detail}"
    );
    assert!(
        plan(&resident)["arrives"].as_str().unwrap().ends_with("10:00"),
        "{detail}"
    );
    assert!(plan(&visiting)["leaves"].as_str().unwrap() > plan(&resident)["leaves"].as_str().unwrap());

    // Moving keeps the history: the old booking is cancelled by the centre and points forward.
    let version = booked[0]["version"].clone();
    let (status, moved) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"date": first, "time": "14:00", "asked_by": "centre", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    assert_eq!(moved["rescheduled_from"], json!(id));
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{id}/move"),
        json!({"date": first, "time": "15:00", "asked_by": "centre", "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT, "a stale move is refused");
    let (_, old) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{id}")).await;
    assert_eq!(old["booking"]["status"], "cancelled");
    assert_eq!(old["booking"]["cancelled_by"], "centre");
    // The freed 10:00 slot can be booked again; cancelling needs a reason and records the notice.
    let new_id = moved["id"].as_str().unwrap();
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{new_id}/status"),
        json!({"status": "cancelled", "cancelled_by": "visiting", "version": moved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{new_id}/status"),
        json!({"status": "cancelled", "cancelled_by": "visiting", "reason": "Unwell", "version": moved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, cancelled) = get(&f.app, &f.jo, &format!("/api/v1/bookings/{new_id}")).await;
    assert!(cancelled["booking"]["notice_minutes"].as_i64().unwrap() > 48 * 60);
    assert_eq!(
        cancelled["history"].as_array().unwrap().len(),
        2,
        "booked, then cancelled"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sessions_keep_their_wall_clock_time_across_the_clock_changes() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Clocks").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    // Saturdays across the next last Sunday of March and of October still ahead of the server's
    // today (the clocks go forward, then back).
    let spring = next_clock_change(&f.app, 3);
    let autumn = next_clock_change(&f.app, 10);
    for (change, count) in [(spring, 3), (autumn, 3)] {
        let first = change.checked_sub(8.days()).unwrap().to_string();
        let mut series = booking("supervised", &first, "10:00", &f.org.room.to_string(), &[&sam]);
        series["repeat"] = json!("weekly");
        series["count"] = json!(count);
        let (status, booked) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), series).await;
        assert_eq!(status, StatusCode::CREATED, "{booked}");
        let utc: Vec<String> = booked
            .as_array()
            .unwrap()
            .iter()
            .map(|b| b["starts_at"].as_str().unwrap().to_owned())
            .collect();
        for b in booked.as_array().unwrap() {
            assert!(b["local_start"].as_str().unwrap().ends_with("10:00"), "{b}");
        }
        assert_ne!(
            &utc[0][11..16],
            &utc[2][11..16],
            "the UTC time moves by an hour: {utc:?}"
        );
    }
    let (status, refused) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &spring.to_string(),
            "01:30",
            &f.org.room.to_string(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.to_string().contains("does not exist"), "{refused}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_bookings_are_refused_with_a_reason_and_change_nothing() {
    let f = fixture().await;
    let (case, _, _) = accepted_case(&f, "Bad").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let volunteer = f
        .app
        .seed_user(&f.org, Role::Volunteer, "vic@riverside.example")
        .await
        .to_string();
    let other = f.app.seed_organisation("Elsewhere").await;
    let room = f.org.room.to_string();
    let date = ahead(&f.app, 2);
    let last_week = ahead(&f.app, -1);
    let no_such_day = format!("{}-02-30", f.app.today().year() + 1);
    let cases = [
        (booking("supervised", &date, "19:00", &room, &[&sam]), "opening hours"),
        (
            booking("supervised", &date, "10:00", &room, &[&volunteer]),
            "not qualified",
        ),
        (booking("supervised", &date, "10:00", &room, &[]), "needs 1 staff"),
        (
            json!({"kind": "supervised", "date": date, "time": "10:00", "minutes": 0, "room_id": room, "staff": [sam]}),
            "end after it starts",
        ),
        (
            json!({"kind": "supervised", "date": date, "time": "10:00", "minutes": -30, "room_id": room, "staff": [sam]}),
            "end after it starts",
        ),
        (
            json!({"kind": "supervised", "date": date, "time": "10:00", "minutes": 120, "repeat": "weekly", "count": 0, "room_id": room, "staff": [sam]}),
            "between 1 and",
        ),
        (
            json!({"kind": "supervised", "date": date, "time": "10:00", "minutes": 120, "repeat": "weekly", "count": 10000, "room_id": room, "staff": [sam]}),
            "between 1 and",
        ),
        (
            booking("supervised", &date, "10:00", &other.room.to_string(), &[&sam]),
            "Choose a room",
        ),
        (
            booking("supervised", &no_such_day, "10:00", &room, &[&sam]),
            "Enter a date",
        ),
        (booking("indirect", &date, "10:00", &room, &[&sam]), "Letterbox"),
        (booking("supervised", &last_week, "10:00", &room, &[&sam]), "future"),
    ];
    for (body, expected) in cases {
        let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings"), body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body} → {answer}");
        assert!(
            answer.to_string().contains(expected),
            "{body}: expected “{expected}” in {answer}"
        );
    }
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/bookings", uuid::Uuid::now_v7()),
        booking("supervised", &date, "10:00", &room, &[&sam]),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/bookings")).await;
    assert_eq!(list, json!([]), "nothing was booked");
    let (status, _) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/centres/{}/opening-hours", f.org.centre),
        json!({"weekday": 8, "opens": "17:00", "closes": "09:00"}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = get(&f.app, &f.jo, &format!("/api/v1/centres/{}/calendar", other.centre)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "another organisation's centre is invisible"
    );
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_free_time_search_and_a_parents_calendar_feed_show_only_what_they_should() {
    let f = fixture().await;
    let (case, resident, visiting) = accepted_case(&f, "Feed").await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let date = ahead(&f.app, 2);
    let (status, times) = get(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/availability?kind=supervised&minutes=120&from={date}&days=2&n=3"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{times}");
    let first = &times[0];
    assert!(first["local_start"].as_str().unwrap().starts_with(&date), "{times}");
    assert_eq!(first["staff"], json!([sam]));
    let (status, booked) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/bookings"),
        booking(
            "supervised",
            &date,
            &first["local_start"].as_str().unwrap()[11..],
            first["room_id"].as_str().unwrap(),
            &[&sam],
        ),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    let (_, again) = get(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{case}/availability?kind=supervised&minutes=120&from={date}&days=2&n=1"),
    )
    .await;
    assert_ne!(
        again[0]["starts_at"], first["starts_at"],
        "a booked time is no longer offered"
    );

    let (status, feed) = post(
        &f.app,
        &f.jo,
        "/api/v1/calendar-feeds",
        json!({"user_id": null, "case_id": case, "party_id": visiting}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{feed}");
    let url = feed["url"].as_str().unwrap();
    let anonymous = f.app.client();
    assert!(url.starts_with(&f.app.url("/calendar/")), "an absolute address: {feed}");
    let ics = anonymous.get(url).send().await.unwrap();
    assert_eq!(ics.status(), StatusCode::OK);
    let text = ics.text().await.unwrap();
    assert!(
        text.starts_with("BEGIN:VCALENDAR\r\n") && text.contains("BEGIN:VEVENT"),
        "{text}"
    );
    assert!(
        !text.contains(CANARY) && !text.contains("Laura"),
        "nothing about the other party: {text}"
    );
    assert!(!text.contains(&resident));
    let guessed = anonymous
        .get(f.app.url("/calendar/0123456789abcdef0123456789abcdef0123.ics"))
        .send()
        .await
        .unwrap();
    assert_eq!(guessed.status(), StatusCode::NOT_FOUND);
    f.app.finish().await;
}

fn debug_of(v: &dyn std::fmt::Debug) -> String {
    format!("{v:?}")
}
