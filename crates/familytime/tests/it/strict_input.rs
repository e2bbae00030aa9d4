//! Issue 16, findings 1 and 5: every write says exactly what it changes. A table over every write
//! operation with a JSON body in the OpenAPI document (a new one without a row fails the test): a
//! valid body plus one unknown field, and an empty body, are each refused with 422 naming the field
//! and change nothing; a resource with a version refuses an old one with 409 and changes nothing
//! (after a valid write from the current version, which shows the body is a real one). Dates accept
//! only YYYY-MM-DD, through the API and the forms.

use crate::harness::{TestApp, csrf_in, json_of};
use crate::schedule::{Fixture, accepted_case, fixture, get, supervisor};
use familytime_domain::people::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use std::collections::BTreeMap;

const PROBE: &str = "zz_strict_probe";

/// The roles tried for an operation, in this order: the first the access matrix lets in is used.
const PREFERENCE: [Role; 7] = [
    Role::Coordinator,
    Role::OrganisationAdmin,
    Role::Supervisor,
    Role::SafeguardingLead,
    Role::Volunteer,
    Role::Referrer,
    Role::Parent,
];

/// (method, path) → the roles that may use it, from docs/access-matrix.md (read as the access-matrix
/// test reads it).
fn matrix() -> BTreeMap<(String, String), Vec<String>> {
    let (columns, rows) = crate::access_matrix::read_matrix();
    rows.into_iter()
        .map(|(route, answers)| {
            let allowed = columns
                .iter()
                .zip(answers)
                .filter(|(_, yes)| *yes)
                .map(|(role, _)| role.clone())
                .collect();
            (route, allowed)
        })
        .collect()
}

/// How to read a row's resource back, and its version in what is read.
struct Read {
    path: String,
    version: fn(&Value, &str) -> i64,
    /// What `version` is given to find the resource (an id in a list), or "".
    key: String,
}

struct Row {
    method: &'static str,
    /// The path as the OpenAPI document names it.
    doc_path: &'static str,
    path: String,
    /// A valid body; a "version" in it is replaced by the one read.
    body: Value,
    read: Option<Read>,
    /// Whether `body` is sent once for real (after the refusals) to show it is valid, then again
    /// from the old version, which must be refused as stale.
    control: bool,
}

fn row(method: &'static str, doc_path: &'static str, path: String, body: Value) -> Row {
    Row {
        method,
        doc_path,
        path,
        body,
        read: None,
        control: false,
    }
}

impl Row {
    fn read(mut self, path: String, key: &str, version: fn(&Value, &str) -> i64) -> Row {
        self.read = Some(Read {
            path,
            version,
            key: key.to_owned(),
        });
        self
    }
    fn control(mut self) -> Row {
        self.control = true;
        self
    }
}

fn top(v: &Value, _: &str) -> i64 {
    v["version"].as_i64().expect("a version")
}

fn in_list(field: &'static str) -> impl Fn(&Value, &str) -> i64 {
    move |v, key| {
        v.as_array()
            .expect("a list")
            .iter()
            .find(|x| x[field] == key)
            .expect("the item in the list")["version"]
            .as_i64()
            .expect("a version")
    }
}

/// The signed-in clients, one a role, and the ids the table's bodies use.
struct World {
    f: Fixture,
    clients: BTreeMap<&'static str, reqwest::Client>,
    sam: String,
    vic: String,
    case: String,
    resident: String,
    visiting: String,
    /// The case's first court order (a contact pattern is recorded on it).
    order: String,
}

async fn world() -> World {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (case, resident, visiting) = accepted_case(&f, "Strict").await;
    let mut clients = BTreeMap::new();
    clients.insert("coordinator", f.jo.clone());
    clients.insert("organisation_admin", f.admin.clone());
    let sam_client = f.app.client();
    f.app.api_login(&sam_client, "sam@riverside.example").await;
    clients.insert("supervisor", sam_client);
    let vic = f
        .app
        .seed_user(&f.org, Role::Volunteer, "vic@riverside.example")
        .await
        .to_string();
    for (role, email) in [
        (Role::Volunteer, "vic@riverside.example"),
        (Role::SafeguardingLead, "lee@riverside.example"),
        (Role::Referrer, "rita@riverside.example"),
        (Role::Parent, "pat@riverside.example"),
    ] {
        if role != Role::Volunteer {
            f.app.seed_user(&f.org, role, email).await;
        }
        let client = f.app.client();
        f.app.api_login(&client, email).await;
        clients.insert(role.as_str(), client);
    }
    let (_, pattern) = get(&f.app, &f.jo, &format!("/api/v1/cases/{case}/order-pattern")).await;
    let order = pattern["orders"][0]["id"].as_str().expect("a court order").to_owned();
    World {
        order,
        f,
        clients,
        sam,
        vic,
        case,
        resident,
        visiting,
    }
}

/// A made-up id: the body is refused before anything is looked up, so it need not exist.
const NOBODY: &str = "01900000-0000-7000-8000-000000000000";

#[rustfmt::skip] // a table reads best one row to a line
fn table(w: &World) -> Vec<Row> {
    let centre = w.f.org.centre.to_string();
    let room = w.f.org.room.to_string();
    let (case, sam, vic, resident, visiting) = (&w.case, &w.sam, &w.vic, &w.resident, &w.visiting);
    let today = crate::schedule::ahead(&w.f.app, 0);
    let soon = crate::schedule::ahead(&w.f.app, 2);
    vec![
        row("POST", "/api/v1/login", "/api/v1/login".into(), json!({"email": "jo@riverside.example", "password": "not it"})),
        row("POST", "/api/v1/tokens", "/api/v1/tokens".into(), json!({"name": "laptop"})),
        row("POST", "/api/v1/centres", "/api/v1/centres".into(), json!({"name": "Hillside", "address": "2 Hill Road", "public_phone": "0161 496 0001", "time_zone": "Europe/London"})),
        row("PUT", "/api/v1/centres/{id}", format!("/api/v1/centres/{centre}"), json!({"name": "Riverside Centre", "address": "1 Canary Street", "public_phone": "0161 496 0000", "time_zone": "Europe/London", "version": 0}))
            .read(format!("/api/v1/centres/{centre}"), "", top).control(),
        row("POST", "/api/v1/centres/{id}/rooms", format!("/api/v1/centres/{centre}/rooms"), json!({"name": "Hall", "kind": "hall", "capacity_families": 4, "active": true})),
        row("PUT", "/api/v1/rooms/{id}", format!("/api/v1/rooms/{room}"), json!({"name": "Blue Room", "kind": "family_room", "capacity_families": 1, "active": true, "version": 0}))
            .read(format!("/api/v1/centres/{centre}/rooms"), &room, |v, k| in_list("id")(v, k)).control(),
        row("POST", "/api/v1/users", "/api/v1/users".into(), json!({"email": "new@riverside.example", "name": "New Person", "role": "volunteer", "password": "a long enough passphrase 1", "centre_ids": []})),
        row("PUT", "/api/v1/users/{id}", format!("/api/v1/users/{vic}"), json!({"name": "Vic Strict", "role": "volunteer", "centre_ids": [], "version": 0}))
            .read(format!("/api/v1/users/{vic}"), "", top).control(),
        row("POST", "/api/v1/users/{id}/password", format!("/api/v1/users/{vic}/password"), json!({"password": "another long passphrase 2"})),
        // Accounts by e-mail and preferences (decision 0051).
        row("POST", "/api/v1/users/invitations", "/api/v1/users/invitations".into(), json!({"email": "invited@riverside.example", "name": "Invited Person", "role": "volunteer", "centre_ids": []})),
        row("POST", "/api/v1/password-reset", "/api/v1/password-reset".into(), json!({"email": "nobody@riverside.example"})),
        row("POST", "/api/v1/password-reset/complete", "/api/v1/password-reset/complete".into(), json!({"token": "not-a-link", "password": "a long enough passphrase 3", "password_confirmation": "a long enough passphrase 3"})),
        row("PUT", "/api/v1/me/reminders", "/api/v1/me/reminders".into(), json!({"reminders": "on"})),
        row("PUT", "/api/v1/cases/{id}/parties/{party}/reminders", format!("/api/v1/cases/{case}/parties/{resident}/reminders"), json!({"reminders": "on"})),
        row("PUT", "/api/v1/centres/{id}/reminder-times", format!("/api/v1/centres/{centre}/reminder-times"), json!({"first_hours": 48, "second_hours": 24, "version": 0}))
            .read(format!("/api/v1/centres/{centre}/reminder-times"), "", top).control(),
        row("POST", "/api/v1/referrals", "/api/v1/referrals".into(), crate::referrals::referral(&centre)),
        row("POST", "/api/v1/cases/{id}/transitions", format!("/api/v1/cases/{case}/transitions"), json!({"to": "closed", "reason": "r", "service": null, "outcome": "moved_to_handover", "missing": null, "version": 0}))
            .read(format!("/api/v1/cases/{case}"), "", |v, _| v["case"]["version"].as_i64().expect("a version")),
        row("POST", "/api/v1/cases/{id}/risk-assessments", format!("/api/v1/cases/{case}/risk-assessments"), json!({"concerns": [], "notes": "", "decision": "proceed", "decision_reason": "r"})),
        row("PUT", "/api/v1/cases/{id}/parties/{party}/account", format!("/api/v1/cases/{case}/parties/{resident}/account"), json!({"user_id": null, "version": 0}))
            .read(format!("/api/v1/cases/{case}"), resident, |v, k| {
                v["adults"].as_array().expect("adults").iter().find(|a| a["id"] == k).expect("the adult")["account_version"].as_i64().expect("a version")
            }).control(),
        row("PUT", "/api/v1/cases/{id}/named-staff", format!("/api/v1/cases/{case}/named-staff"), json!({"key_worker": null, "named": [], "version": 0}))
            .read(format!("/api/v1/cases/{case}/named-staff"), "", top).control(),
        row("PUT", "/api/v1/cases/{id}/order-pattern", format!("/api/v1/cases/{case}/order-pattern"), json!({"order_id": w.order, "every": "weeks", "interval": 2, "weekdays": ["saturday"], "minutes": 120, "from": null, "until": null, "version": 0}))
            .read(format!("/api/v1/cases/{case}/order-pattern"), "", top).control(),
        row("POST", "/api/v1/cases/{id}/rules-agreements", format!("/api/v1/cases/{case}/rules-agreements"), json!({"parent_id": visiting, "how": "paper", "agreed_on": today})),
        row("POST", "/api/v1/rules-versions", "/api/v1/rules-versions".into(), json!({"label": "9", "issued_on": today, "summary": ""})),
        row("POST", "/api/v1/cases/{id}/break-glass", format!("/api/v1/cases/{case}/break-glass"), json!({"reason": "A letter must go to the right address"})),
        row("POST", "/api/v1/cases/{id}/pre-visits", format!("/api/v1/cases/{case}/pre-visits"), json!({"party_id": visiting, "date": soon, "time": "10:00", "room_id": room, "staff": [sam]})),
        row("POST", "/api/v1/pre-visits/{id}", format!("/api/v1/pre-visits/{NOBODY}"), json!({"status": "done", "rules_agreed": true, "checklist": [], "notes": "", "version": 1})),
        row("PUT", "/api/v1/centres/{id}/schedule-settings", format!("/api/v1/centres/{centre}/schedule-settings"), Value::Null)
            .read(format!("/api/v1/centres/{centre}/schedule-settings"), "", top).control(),
        row("POST", "/api/v1/centres/{id}/opening-hours", format!("/api/v1/centres/{centre}/opening-hours"), json!({"weekday": 1, "opens": "08:00", "closes": "09:00", "alternate_from": null})),
        row("POST", "/api/v1/centres/{id}/closures", format!("/api/v1/centres/{centre}/closures"), json!({"first_day": soon, "last_day": null, "reason": "Training"})),
        row("POST", "/api/v1/centres/{id}/entrances", format!("/api/v1/centres/{centre}/entrances"), json!({"name": "Side door"})),
        row("POST", "/api/v1/rooms/{id}/approval", format!("/api/v1/rooms/{room}/approval"), json!({"venue_kind": "community", "notes": "n"})),
        row("PUT", "/api/v1/staff/{id}", format!("/api/v1/staff/{sam}"), json!({"qualified_supervised": true, "qualifications": "Level 3", "dbs_checked_on": today, "hours": ["1 09:00-17:00"], "version": 0}))
            .read("/api/v1/staff".into(), sam, |v, k| in_list("user_id")(v, k)).control(),
        row("POST", "/api/v1/staff/{id}/leave", format!("/api/v1/staff/{sam}/leave"), json!({"first_day": soon, "last_day": soon})),
        row("PUT", "/api/v1/cases/{id}/workers", format!("/api/v1/cases/{case}/workers"), json!({"workers": [sam], "version": 0}))
            .read(format!("/api/v1/cases/{case}"), "", |v, _| v["workers_version"].as_i64().expect("a version")).control(),
        row("POST", "/api/v1/cases/{id}/never-meet", format!("/api/v1/cases/{case}/never-meet"), json!({"party_id": resident, "other_party_id": visiting, "reason": "order"})),
        row("POST", "/api/v1/cases/{id}/bookings", format!("/api/v1/cases/{case}/bookings"), json!({"kind": "supervised", "date": soon, "time": "10:00", "minutes": 60, "room_id": room, "staff": [sam]})),
        row("POST", "/api/v1/bookings/{id}/status", format!("/api/v1/bookings/{NOBODY}/status"), json!({"status": "confirmed", "version": 1})),
        row("POST", "/api/v1/bookings/{id}/arrival", format!("/api/v1/bookings/{NOBODY}/arrival"), json!({"party_id": resident, "entrance_id": null, "waits_in": null, "version": 1})),
        row("POST", "/api/v1/interpreters", "/api/v1/interpreters".into(), json!({"name": "Anna Kowalska", "languages": "Polish"})),
        row("POST", "/api/v1/bookings/{id}/interpreter", format!("/api/v1/bookings/{NOBODY}/interpreter"), json!({"party_id": visiting, "interpreter_id": null, "version": 1})),
        row("POST", "/api/v1/bookings/{id}/move", format!("/api/v1/bookings/{NOBODY}/move"), json!({"date": soon, "time": "11:00", "asked_by": "centre", "version": 1})),
        row("POST", "/api/v1/calendar-feeds", "/api/v1/calendar-feeds".into(), json!({"user_id": sam, "case_id": null, "party_id": null})),
        row("POST", "/api/v1/bookings/{id}/register", format!("/api/v1/bookings/{NOBODY}/register"), json!({"who": resident, "attendance": "arrived", "arrived": "10:00", "version": 0})),
        row("POST", "/api/v1/bookings/{id}/breaches", format!("/api/v1/bookings/{NOBODY}/breaches"), json!({"kind": "other", "detail": "d"})),
        row("POST", "/api/v1/bookings/{id}/observation", format!("/api/v1/bookings/{NOBODY}/observation"), json!({"sections": {"arrival": "a"}, "checklist": [], "version": 0})),
        row("POST", "/api/v1/bookings/{id}/stop", format!("/api/v1/bookings/{NOBODY}/stop"), json!({"reason": "child_distressed", "detail": "d", "version": 1})),
        row("POST", "/api/v1/observations/{id}/sign", format!("/api/v1/observations/{NOBODY}/sign"), json!({"version": 1})),
        row("POST", "/api/v1/observations/{id}/addenda", format!("/api/v1/observations/{NOBODY}/addenda"), json!({"text": "t", "reason": "r"})),
        row("PUT", "/api/v1/observation-checklist", "/api/v1/observation-checklist".into(), json!({"items": ["The child was greeted"], "version": 0}))
            .read("/api/v1/observation-checklist".into(), "", top).control(),
        row("POST", "/api/v1/cases/{id}/reports", format!("/api/v1/cases/{case}/reports"), json!({"kind": "summary", "title": "t", "summary": "", "records": []})),
        row("PUT", "/api/v1/cases/{id}/distribution", format!("/api/v1/cases/{case}/distribution"), json!({"recipients": ["referrer"], "version": 0}))
            .read(format!("/api/v1/cases/{case}/reports"), "", |v, _| v["distribution_version"].as_i64().expect("a version")).control(),
        row("PUT", "/api/v1/reports/{id}", format!("/api/v1/reports/{NOBODY}"), json!({"title": "t", "summary": "s", "version": 1})),
        row("POST", "/api/v1/reports/{id}/check", format!("/api/v1/reports/{NOBODY}/check"), json!({"step": "send_for_check", "notes": "", "version": 1})),
        row("POST", "/api/v1/reports/{id}/release", format!("/api/v1/reports/{NOBODY}/release"), json!({"recipients": ["referrer"], "version": 1})),
        row("POST", "/api/v1/concerns", "/api/v1/concerns".into(), json!({"centre_id": centre, "kind": "other", "about": "a", "exact_words": "w", "date": today, "time": "09:00", "action_taken": "a", "carers_told": true})),
        row("POST", "/api/v1/concerns/{id}/decision", format!("/api/v1/concerns/{NOBODY}/decision"), json!({"decision": "d", "referred_to": "none", "version": 1})),
        row("POST", "/api/v1/centres/{id}/prices", format!("/api/v1/centres/{centre}/prices"), json!({"item": "supervised_session", "amount": "50", "applies_from": soon})),
        row("PUT", "/api/v1/centres/{id}/cancellation-policy", format!("/api/v1/centres/{centre}/cancellation-policy"), json!({"tiers": [{"under_hours": 48, "canceller": "visiting", "forfeit": "session_fee", "percent": 100}], "version": 0}))
            .read(format!("/api/v1/centres/{centre}/cancellation-policy"), "", top).control(),
        row("PUT", "/api/v1/settings/billing", "/api/v1/settings/billing".into(), json!({"charity_name": "Riverside Contact", "charity_number": "1234567", "postal_address": "1 Canary Street", "payment_details": "Sort code 00-00-00", "payment_terms_days": 14, "release_unpaid_hours": null, "version": 0}))
            .read("/api/v1/settings/billing".into(), "", top).control(),
        row("PUT", "/api/v1/settings/booking-rules", "/api/v1/settings/booking-rules".into(), json!({"previsits_before_contact": false, "version": 0}))
            .read("/api/v1/settings/booking-rules".into(), "", top).control(),
        row("PUT", "/api/v1/settings/sign-in", "/api/v1/settings/sign-in".into(), json!({"two_factor_required": false, "version": 0}))
            .read("/api/v1/settings/sign-in".into(), "", top).control(),
        row("PUT", "/api/v1/cases/{id}/funding", format!("/api/v1/cases/{case}/funding"), json!({"payer": "private", "funder_name": "", "funded_sessions": null, "funded_hours": null, "visiting_percent": 100, "version": 0}))
            .read(format!("/api/v1/cases/{case}/account"), "", |v, _| v["funding"]["version"].as_i64().expect("a version")).control(),
        row("POST", "/api/v1/cases/{id}/ledger", format!("/api/v1/cases/{case}/ledger"), json!({"kind": "payment", "account": "visiting", "amount": "10", "method": "cash"})),
        row("POST", "/api/v1/cases/{id}/invoices", format!("/api/v1/cases/{case}/invoices"), json!({"account": "visiting", "entries": []})),
        row("POST", "/api/v1/bookings/{id}/cancellation-outcome", format!("/api/v1/bookings/{NOBODY}/cancellation-outcome"), json!({"cancelled_by": "resident"})),
        row("POST", "/api/v1/billing/bursary", "/api/v1/billing/bursary".into(), json!({"amount": "100", "source": "Grant", "received_on": today})),
        row("POST", "/api/v1/cases/{id}/notices", format!("/api/v1/cases/{case}/notices"), json!({"kind": "suspension", "reason": "r", "effective_on": soon})),
        row("POST", "/api/v1/notices/{id}/letters", format!("/api/v1/notices/{NOBODY}/letters"), json!({"recipient": "resident", "delivery": "post"})),
        row("POST", "/api/v1/cases/{id}/reviews", format!("/api/v1/cases/{case}/reviews"), json!({"held_on": today, "attendees": "a", "resident_view": "r", "visiting_view": "v", "child_view": null, "outcome": "continue", "risk_notes": "n"})),
    ]
}

/// Sends `body` as `method` to `path`.
async fn send(app: &TestApp, client: &reqwest::Client, method: &str, path: &str, body: &Value) -> (StatusCode, Value) {
    let method = Method::from_bytes(method.as_bytes()).expect("a method");
    json_of(
        client
            .request(method, app.url(path))
            .json(body)
            .send()
            .await
            .expect("answer"),
    )
    .await
}

fn client_for<'a>(w: &'a World, method: &str, path: &str) -> (&'a str, &'a reqwest::Client) {
    let matrix = matrix();
    let allowed = matrix
        .get(&(method.to_owned(), path.to_owned()))
        .unwrap_or_else(|| panic!("{method} {path} is not in the access matrix"));
    let role = PREFERENCE
        .iter()
        .map(|r| r.as_str())
        .find(|r| allowed.iter().any(|a| a == r))
        .unwrap_or("coordinator");
    let (name, client) = w.clients.get_key_value(role).expect("a client for every role");
    (name, client)
}

/// The fields a 422 names.
fn named(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .map(|f| {
            f.iter()
                .filter_map(|x| x["field"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

async fn read_back(w: &World, read: &Read) -> Value {
    let (_, client) = client_for(w, "GET", &doc_path_of(&read.path, w));
    let (status, body) = get(&w.f.app, client, &read.path).await;
    assert_eq!(status, StatusCode::OK, "reading back {}: {body}", read.path);
    body
}

/// The document's name for a concrete path (ids back to their placeholders), for the matrix.
fn doc_path_of(path: &str, w: &World) -> String {
    let mut out = path.to_owned();
    for (id, name) in [
        (w.f.org.centre.to_string(), "{id}"),
        (w.case.clone(), "{id}"),
        (w.vic.clone(), "{id}"),
        (w.sam.clone(), "{id}"),
    ] {
        out = out.replace(&id, name);
    }
    out
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_input_every_write_in_the_openapi_document_refuses_unknown_missing_and_stale() {
    let w = world().await;
    let rows = table(&w);

    // Every write with a JSON body in the document has a row, and every row is such a write.
    let (status, doc) = json_of(reqwest::get(w.f.app.url("/api/v1/openapi.json")).await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let mut documented = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if ["post", "put", "patch"].contains(&method.as_str())
                && op["requestBody"]["content"].get("application/json").is_some()
            {
                documented.push(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let mut tabled: Vec<String> = rows.iter().map(|r| format!("{} {}", r.method, r.doc_path)).collect();
    documented.sort();
    tabled.sort();
    assert_eq!(
        tabled, documented,
        "the table has one row for every JSON write in the OpenAPI document"
    );

    let mut failures = Vec::new();
    for r in &rows {
        let what = format!("{} {}", r.method, r.doc_path);
        let (role, client) = client_for(&w, r.method, r.doc_path);
        let before = match &r.read {
            Some(read) => Some(read_back(&w, read).await),
            None => None,
        };
        // The valid body at the version read now (for settings-like resources, the body read).
        let mut body = match (&r.body, &before) {
            (Value::Null, Some(current)) => current.clone(),
            (body, _) => body.clone(),
        };
        let version = match (&r.read, &before) {
            (Some(read), Some(current)) => Some((read.version)(current, &read.key)),
            _ => None,
        };
        if let (Some(v), Some(obj)) = (version, body.as_object_mut()) {
            obj.insert("version".into(), json!(v));
        }

        // (a) one unknown field: 422 naming it.
        let mut probed = body.clone();
        probed[PROBE] = json!(1);
        let (status, answer) = send(&w.f.app, client, r.method, &r.path, &probed).await;
        if status != StatusCode::UNPROCESSABLE_ENTITY
            || answer["error"]["code"] != "invalid"
            || !named(&answer).iter().any(|f| f == PROBE)
        {
            failures.push(format!("{what} as {role}: an unknown field answered {status} {answer}"));
        }

        // (b) an empty body: 422 naming a missing field.
        let (status, answer) = send(&w.f.app, client, r.method, &r.path, &json!({})).await;
        if status != StatusCode::UNPROCESSABLE_ENTITY || named(&answer).is_empty() {
            failures.push(format!("{what} as {role}: an empty body answered {status} {answer}"));
        }

        // Nothing changed.
        if let (Some(read), Some(before)) = (&r.read, &before) {
            let after = read_back(&w, read).await;
            if &after != before {
                failures.push(format!(
                    "{what}: refused writes changed the record: {before} then {after}"
                ));
            }
        }

        // (c) a stale version: a version that is not the current one is refused and changes nothing.
        if let (Some(read), Some(v)) = (&r.read, version) {
            let old = if r.control {
                // The valid body is a real one: it is taken at the current version...
                let (status, answer) = send(&w.f.app, client, r.method, &r.path, &body).await;
                if !status.is_success() {
                    failures.push(format!(
                        "{what} as {role}: the valid body was refused: {status} {answer}"
                    ));
                    continue;
                }
                v
            } else {
                v + 1
            };
            let current = read_back(&w, read).await;
            if r.control && (read.version)(&current, &read.key) <= v {
                failures.push(format!("{what}: a write did not move the version on from {v}"));
            }
            // ...and once more from the version it was read at, now old.
            let mut stale = body.clone();
            stale["version"] = json!(old);
            let (status, answer) = send(&w.f.app, client, r.method, &r.path, &stale).await;
            if status != StatusCode::CONFLICT {
                failures.push(format!("{what} as {role}: version {old} answered {status} {answer}"));
            } else if r.control && answer["error"]["code"] != "stale" {
                failures.push(format!("{what}: a stale write is not coded stale: {answer}"));
            }
            let after = read_back(&w, read).await;
            if after != current {
                failures.push(format!(
                    "{what}: a stale write changed the record: {current} then {after}"
                ));
            }
        } else if r.body.get("version").is_some() {
            // No object to read back: a wrong version must still be refused, never taken.
            let mut stale = body.clone();
            stale["version"] = json!(987_654);
            let (status, answer) = send(&w.f.app, client, r.method, &r.path, &stale).await;
            if !status.is_client_error() {
                failures.push(format!("{what} as {role}: a wrong version answered {status} {answer}"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    w.f.app.finish().await;
}

/// The attack from the issue: `{"nonsense":1}` used to answer 204 and wipe the person's DBS date,
/// qualifications and "qualified to supervise".
#[tokio::test(flavor = "multi_thread")]
async fn strict_input_the_nonsense_put_no_longer_wipes_a_staff_members_checks() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let dbs = crate::schedule::ahead(&f.app, 0);
    let staff_of = |list: &Value| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|s| s["user_id"] == sam.as_str())
            .unwrap()
            .clone()
    };
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let version = staff_of(&list)["version"].clone();
    let (status, body) = send(
        &f.app,
        &f.jo,
        "PUT",
        &format!("/api/v1/staff/{sam}"),
        &json!({"qualified_supervised": true, "qualifications": "Level 3 supervised contact",
                "dbs_checked_on": dbs, "hours": [], "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let before = staff_of(&list);
    assert_eq!(before["dbs_checked_on"], json!(dbs));

    let (status, body) = send(
        &f.app,
        &f.jo,
        "PUT",
        &format!("/api/v1/staff/{sam}"),
        &json!({"nonsense": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert_eq!(body["error"]["code"], "invalid");
    assert!(named(&body).contains(&"nonsense".to_owned()), "{body}");

    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let after = staff_of(&list);
    assert_eq!(after, before, "nothing about the person changed");
    assert_eq!(after["qualified_supervised"], true);
    assert_eq!(after["qualifications"], "Level 3 supervised contact");
    assert_eq!(after["dbs_checked_on"], json!(dbs));
    f.app.finish().await;
}

/// A stale staff form is refused with the profile as it is now, never overwritten.
#[tokio::test(flavor = "multi_thread")]
async fn strict_input_a_stale_staff_form_is_refused_and_shows_the_current_details() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let browser = f.app.client();
    let csrf = f.app.page_login(&browser, "jo@riverside.example").await;
    let page = browser
        .get(f.app.url(&format!("/staff/{sam}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let opened_at = hidden_version(&page);
    // Someone else changes the profile meanwhile.
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let version = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == sam.as_str())
        .unwrap()["version"]
        .clone();
    assert_eq!(json!(opened_at), version, "the form carries the version it shows");
    let (status, body) = send(
        &f.app,
        &f.admin,
        "PUT",
        &format!("/api/v1/staff/{sam}"),
        &json!({"qualified_supervised": true, "qualifications": "Changed meanwhile", "dbs_checked_on": null, "hours": [], "version": version}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    // The form from before is sent.
    let answer = browser
        .post(f.app.url(&format!("/staff/{sam}")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("version", &opened_at.to_string()),
            ("qualifications", "Overwrite attempt"),
            ("dbs_checked_on", ""),
            ("hours", ""),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::CONFLICT);
    let page = answer.text().await.unwrap();
    assert!(page.contains("changed by someone else"), "the page says why");
    assert!(
        page.contains("Changed meanwhile"),
        "the page shows the details as they are now"
    );
    assert!(hidden_version(&page) > opened_at, "and offers the new version");
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let now = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == sam.as_str())
        .unwrap()
        .clone();
    assert_eq!(now["qualifications"], "Changed meanwhile", "nothing was overwritten");
    assert_eq!(now["qualified_supervised"], true);
    f.app.finish().await;
}

fn hidden_version(page: &str) -> i64 {
    let marker = "name=\"version\" value=\"";
    let start = page.find(marker).expect("a version field") + marker.len();
    page[start..].split('"').next().unwrap().parse().expect("a number")
}

/// jiff reads these as dates; only YYYY-MM-DD is one.
const LENIENT_DATES: [&str; 8] = [
    "+002026-01-01",
    "2026-1-1",
    "20260101",
    "2026-01-01T00:00",
    "2026-W01-1",
    "2026-001",
    " 2026-01-01",
    "2026-01-01 ",
];

#[tokio::test(flavor = "multi_thread")]
async fn strict_input_dates_in_other_forms_are_refused_by_the_api_naming_the_field() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let staff_version = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == sam.as_str())
        .unwrap()["version"]
        .clone();
    let centre = f.org.centre.to_string();
    for lenient in LENIENT_DATES {
        // A date inside a whole PUT.
        let (status, body) = send(
            &f.app,
            &f.jo,
            "PUT",
            &format!("/api/v1/staff/{sam}"),
            &json!({"qualified_supervised": true, "qualifications": "", "dbs_checked_on": lenient, "hours": [], "version": staff_version}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lenient:?}: {body}");
        assert!(
            named(&body).contains(&"dbs_checked_on".to_owned()),
            "{lenient:?}: {body}"
        );
        // Dates of a POST.
        let (status, body) = send(
            &f.app,
            &f.jo,
            "POST",
            &format!("/api/v1/centres/{centre}/closures"),
            &json!({"first_day": lenient, "last_day": null, "reason": "Training"}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lenient:?}: {body}");
        assert!(named(&body).contains(&"first_day".to_owned()), "{lenient:?}: {body}");
        let (status, body) = send(
            &f.app,
            &f.jo,
            "POST",
            &format!("/api/v1/staff/{sam}/leave"),
            &json!({"first_day": crate::schedule::ahead(&f.app, 1), "last_day": lenient}),
        )
        .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{lenient:?}: {body}");
        assert!(named(&body).contains(&"last_day".to_owned()), "{lenient:?}: {body}");
    }
    // Nothing was taken: no leave, no closure, no DBS date.
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let sam_now = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == sam.as_str())
        .unwrap()
        .clone();
    assert_eq!(sam_now["leave"], json!([]));
    assert_eq!(sam_now["dbs_checked_on"], Value::Null);
    assert_eq!(sam_now["version"], staff_version);
    // The control: the same request with a plain date is taken.
    let (status, body) = send(
        &f.app,
        &f.jo,
        "POST",
        &format!("/api/v1/staff/{sam}/leave"),
        &json!({"first_day": crate::schedule::ahead(&f.app, 1), "last_day": crate::schedule::ahead(&f.app, 1)}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    f.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn strict_input_dates_in_other_forms_are_refused_by_the_page_forms() {
    let f = fixture().await;
    let sam = supervisor(&f, "sam@riverside.example").await;
    let browser = f.app.client();
    let csrf = f.app.page_login(&browser, "jo@riverside.example").await;
    for lenient in LENIENT_DATES {
        let answer = browser
            .post(f.app.url(&format!("/staff/{sam}/leave")))
            .form(&[
                ("csrf_token", csrf.as_str()),
                ("first_day", lenient),
                ("last_day", &crate::schedule::ahead(&f.app, 1)),
            ])
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::UNPROCESSABLE_ENTITY, "{lenient:?}");
        let page = answer.text().await.unwrap();
        assert!(
            page.contains("href=\"#first_day\""),
            "{lenient:?}: the error summary names the field"
        );
        assert!(page.contains("YYYY-MM-DD"), "{lenient:?}: and says what is wanted");
        assert!(csrf_in(&page).is_some(), "{lenient:?}: the form is shown again");
    }
    let (_, list) = get(&f.app, &f.jo, "/api/v1/staff").await;
    let sam_now = list
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["user_id"] == sam.as_str())
        .unwrap()
        .clone();
    assert_eq!(sam_now["leave"], json!([]), "no leave was recorded");
    // The control: a plain date through the same form is taken.
    let answer = browser
        .post(f.app.url(&format!("/staff/{sam}/leave")))
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("first_day", &crate::schedule::ahead(&f.app, 1)),
            ("last_day", &crate::schedule::ahead(&f.app, 1)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    f.app.finish().await;
}
