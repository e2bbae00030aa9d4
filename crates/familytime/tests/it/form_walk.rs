//! The form walk (issue 30's guard): real Chromium, pages only, submits every form of every role
//! once with valid values and ONE field wrong, and checks that an error summary is shown, that
//! nothing in the database changed, and that every other field still holds what it held when sent.
//! The forms are found systematically: every page route that accepts a POST (from the route table)
//! must have a row here (a form walked, or a form with nothing a person can type wrong, and why),
//! so a new form without a row fails the test, as `strict_input` does for the API's writes.

use crate::browser::Browser;
use crate::end_to_end::sign_in;
use crate::harness::{PASSWORD, TestApp};
use crate::records::{Ran, after_the_session, ran_session};
use crate::schedule::{Fixture, ahead, booking, fixture, post};
use familytime_domain::people::Role;
use familytime_store::Location;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// One form walked: who signs in, the page that shows it, the form, the valid values to type, the
/// one field made wrong, and fields a page must never send back (passwords).
struct Walk {
    route: &'static str,
    who: &'static str,
    page: String,
    form: String,
    fields: Vec<(&'static str, String)>,
    wrong: (&'static str, String),
    secret: &'static [&'static str],
}

/// A page route's row: walked, or why there is nothing to walk.
enum Row {
    Walk(Box<Walk>),
    /// A button with no field a person types or chooses (sign out, revoke, remove, sign off).
    Button {
        route: &'static str,
    },
    /// Not walked here, with the reason (and the test that covers it instead).
    Elsewhere {
        route: &'static str,
        why: &'static str,
    },
}

impl Row {
    fn route(&self) -> &'static str {
        match self {
            Row::Walk(w) => w.route,
            Row::Button { route } | Row::Elsewhere { route, .. } => route,
        }
    }
}

fn walk(
    route: &'static str,
    who: &'static str,
    page: String,
    form: String,
    fields: Vec<(&'static str, String)>,
    wrong: (&'static str, &str),
) -> Row {
    Row::Walk(Box::new(Walk {
        route,
        who,
        page,
        form,
        fields,
        wrong: (wrong.0, wrong.1.to_owned()),
        secret: &[],
    }))
}

fn with_secret(row: Row, secret: &'static [&'static str]) -> Row {
    match row {
        Row::Walk(mut w) => {
            w.secret = secret;
            Row::Walk(w)
        }
        other => other,
    }
}

/// A form by its action.
fn action(path: &str) -> String {
    format!("form[action='{path}'][method='post']")
}

/// A form by the start of its action (the documents form carries its token after its path).
fn action_starting(path: &str) -> String {
    format!("form[action^='{path}'][method='post']")
}

fn v(s: &str) -> String {
    s.to_owned()
}

/// Sets a form's fields as a person would leave them: text typed, an option chosen, boxes ticked
/// (several values of one checkbox name are separated by `|`). Says which names were missing.
const SET: &str = r#"
const [formCss, values] = arguments;
const form = document.querySelector(formCss);
if (!form) { return ['no form ' + formCss]; }
const missing = [];
for (const [name, value] of values) {
  const els = form.querySelectorAll(`[name="${name}"]`);
  if (!els.length) { missing.push(name); continue; }
  const wanted = value.split('|');
  for (const el of els) {
    if (el.type === 'checkbox') { el.checked = wanted.includes(el.value); }
    else if (el.type === 'radio') { el.checked = el.value === value; }
    else { el.value = value; }
  }
}
return missing;
"#;

/// Every field of the form as it stands: name → value (checked boxes joined by `|`), leaving out
/// hidden fields (the CSRF token, versions) and file inputs.
const READ: &str = r#"
const form = document.querySelector(arguments[0]);
if (!form) { return null; }
const out = {};
for (const el of form.elements) {
  if (!el.name || el.type === 'hidden' || el.type === 'file' || el.type === 'submit' || el.tagName === 'BUTTON') { continue; }
  if (el.type === 'checkbox') { if (!(el.name in out)) { out[el.name] = ''; } if (el.checked) { out[el.name] = out[el.name] ? out[el.name] + '|' + el.value : el.value; } }
  else if (el.type === 'radio') { if (!(el.name in out)) { out[el.name] = ''; } if (el.checked) { out[el.name] = el.value; } }
  else { out[el.name] = el.value; }
}
return out;
"#;

/// What the database holds, table by table, leaving out what changes on every request (sessions,
/// sign-in records and the audit log, which records reads too).
async fn fingerprint(location: &Location) -> BTreeMap<String, String> {
    const SKIP: &[&str] = &[
        "sessions",
        "login_failures",
        "login_throttle_keys",
        "sign_in_failures",
        "sign_in_known_addresses",
        "audit_log",
        "audit_head",
        "audit_queue",
        // The address each audited read came from (decision 0053): written on every read, as the
        // log is.
        "audit_addresses",
        "server_keys",
        "_sqlx_migrations",
        "schema_migrations",
    ];
    let mut out = BTreeMap::new();
    match location {
        Location::DataDir(dir) => {
            let url = format!("sqlite://{}", dir.join(familytime_store::SQLITE_FILE).display());
            let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            for table in tables.into_iter().filter(|t| !SKIP.contains(&t.as_str())) {
                let columns: Vec<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT name FROM pragma_table_info('{table}')"
                )))
                .fetch_all(&pool)
                .await
                .unwrap();
                let row = columns
                    .iter()
                    .map(|c| format!("quote(\"{c}\")"))
                    .collect::<Vec<_>>()
                    .join(" || '|' || ");
                let dump: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT group_concat(r, char(10)) FROM (SELECT {row} AS r FROM \"{table}\" ORDER BY 1)"
                )))
                .fetch_one(&pool)
                .await
                .unwrap();
                out.insert(table, dump.unwrap_or_default());
            }
            pool.close().await;
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' \
                 AND table_type = 'BASE TABLE' ORDER BY 1",
            )
            .fetch_all(&pool)
            .await
            .unwrap();
            for table in tables.into_iter().filter(|t| !SKIP.contains(&t.as_str())) {
                let dump: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                    "SELECT string_agg(t::text, E'\\n' ORDER BY t::text) FROM \"{table}\" t"
                )))
                .fetch_one(&pool)
                .await
                .unwrap();
                out.insert(table, dump.unwrap_or_default());
            }
            pool.close().await;
        }
    }
    out
}

/// Opens what holds the form (a `<details>` a person would open first), clicks its first submit
/// button as a person would, and waits, on the condition, for the next page.
async fn send(browser: &Browser, form: &str) -> Result<(), String> {
    browser
        .client
        .execute(
            "let d = document.querySelector(arguments[0]).closest('details'); \
             while (d) { d.open = true; d = d.parentElement.closest('details'); } \
             document.querySelector(arguments[0]).scrollIntoView();",
            vec![json!(form)],
        )
        .await
        .map_err(|e| format!("cannot open {form}: {e}"))?;
    let button = format!("{form} button[type=submit]");
    let old = browser.client.find(fantoccini::Locator::Css("html")).await.unwrap();
    let element = browser
        .client
        .find(fantoccini::Locator::Css(&button))
        .await
        .map_err(|_| format!("no submit button in {form}"))?;
    element
        .click()
        .await
        .map_err(|e| format!("cannot click {button}: {e}"))?;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while old.tag_name().await.is_ok() {
        if std::time::Instant::now() > deadline {
            return Err(format!("no new page after sending {form}"));
        }
    }
    browser.wait_for("footer").await;
    Ok(())
}

/// What went wrong with one walked form (empty: it passed).
async fn walk_one(browser: &Browser, app: &TestApp, w: &Walk) -> Vec<String> {
    let mut problems = Vec::new();
    browser.client.goto(&app.url(&w.page)).await.unwrap();
    let mut values = w.fields.clone();
    values.push((w.wrong.0, w.wrong.1.clone()));
    let values: Vec<Value> = values.iter().map(|(n, v)| json!([n, v])).collect();
    let missing = browser
        .client
        .execute(SET, vec![json!(w.form), json!(values)])
        .await
        .unwrap();
    if missing != json!([]) {
        return vec![format!("on {} the form or fields are missing: {missing}", w.page)];
    }
    let typed = browser.client.execute(READ, vec![json!(w.form)]).await.unwrap();
    let before = fingerprint(&app.location).await;
    if let Err(e) = send(browser, &w.form).await {
        return vec![e];
    }
    if browser
        .client
        .find_all(fantoccini::Locator::Css(".error-summary"))
        .await
        .unwrap()
        .is_empty()
    {
        let text = browser.text().await;
        problems.push(format!(
            "no error summary after {} was sent wrong (now at {}): {}",
            w.wrong.0,
            browser.path().await,
            text.chars().take(300).collect::<String>()
        ));
    }
    let after = fingerprint(&app.location).await;
    for (table, rows) in &before {
        if after.get(table) != Some(rows) {
            problems.push(format!("table {table} changed although a field was wrong"));
        }
    }
    let kept = browser.client.execute(READ, vec![json!(w.form)]).await.unwrap();
    match (typed.as_object(), kept.as_object()) {
        (Some(typed), Some(kept)) => {
            for (name, value) in typed {
                if name == w.wrong.0 || w.secret.contains(&name.as_str()) {
                    continue;
                }
                let now = kept.get(name).cloned().unwrap_or(Value::Null);
                if &now != value {
                    problems.push(format!("{name} was {value} when sent, {now} after"));
                }
            }
        }
        (_, None) => problems.push("the form is not shown again with the error".to_owned()),
        _ => problems.push("the form could not be read".to_owned()),
    }
    problems
}

/// Everything the forms need: the schedule fixture with a case that had a session (the record's
/// forms), a second past session signed off (the addenda), a future session (moving, cancelling),
/// an off-site venue, a safeguarding lead and a referrer.
struct World {
    f: Fixture,
    ran: Ran,
    own_part: String,
    signed: String,
    record: String,
    future: String,
    venue: String,
    report: String,
    draft: String,
    concern: String,
    pre_visit: String,
}

async fn world() -> World {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    f.app
        .seed_user(&f.org, Role::SafeguardingLead, "lee@riverside.example")
        .await;
    let room = f.org.room.to_string();
    let (status, second) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/bookings", ran.case),
        booking("supervised", &ahead(&f.app, 1), "15:00", &room, &[&ran.sam_id]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{second}");
    let signed = second[0]["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/bookings/{signed}/status"),
        json!({"status": "confirmed", "version": second[0]["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, venue) = post(
        &f.app,
        &f.admin,
        &format!("/api/v1/centres/{}/rooms", f.org.centre),
        json!({"name": "Riverside Park", "kind": "off_site_venue", "capacity_families": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{venue}");
    let venue = venue["id"].as_str().unwrap().to_owned();
    // A pre-visit two days ahead: the clock passes it below, so its outcome can be recorded.
    let (status, pre_visit) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/pre-visits", ran.case),
        json!({"party_id": ran.resident, "date": f.app.today().checked_add(jiff::ToSpan::days(2)).unwrap().to_string(), "time": "11:00",
               "room_id": f.org.room.to_string(), "staff": [ran.sam_id]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{pre_visit}");
    // The pre-visit's id is in the case file (its booking answers 201 with no body).
    let (_, file) = crate::schedule::get(&f.app, &f.jo, &format!("/api/v1/cases/{}", ran.case)).await;
    let pre_visit = file["pre_visits"][0]["id"].as_str().unwrap().to_owned();
    after_the_session(&f, &ran).await;
    // The second session: a record written and signed, so its addenda form shows.
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{signed}/observation"),
        json!({"sections": {"arrival": "A", "interaction": "B", "ending": "C"}, "checklist": [], "version": 0}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": saved["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, later) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/bookings", ran.case),
        booking("supervised", &ahead(&f.app, 2), "10:00", &room, &[&ran.sam_id]),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{later}");
    let future = later[0]["id"].as_str().unwrap().to_owned();
    let (status, report) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "summary", "title": "Sessions so far", "summary": "Went well.", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let report = report["id"].as_str().unwrap().to_owned();
    // A second report stays a draft (its edit form); the first is sent for its quality check, so a
    // second person is offered the check form.
    let (status, draft) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "summary", "title": "A draft", "summary": "Not finished.", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{draft}");
    let draft = draft["id"].as_str().unwrap().to_owned();
    let (_, shown) = crate::schedule::get(&f.app, &ran.sam, &format!("/api/v1/reports/{report}")).await;
    let (status, body) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/reports/{report}/check"),
        json!({"step": "send_for_check", "version": shown["version"]}),
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, concern) = post(
        &f.app,
        &ran.sam,
        "/api/v1/concerns",
        json!({"kind": "concern", "case_id": ran.case, "centre_id": f.org.centre.to_string(), "about": "Mia",
               "date": f.app.today().checked_sub(jiff::ToSpan::days(1)).unwrap().to_string(), "time": "10:00", "exact_words": "I am scared",
               "action_taken": "Told the lead", "carers_told": true}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{concern}");
    let concern = concern["id"].as_str().unwrap().to_owned();
    // The visiting parent's own part of a self-referral: the link the case page shows once.
    let staff = f.app.client();
    let csrf = f.app.page_login(&staff, JO).await;
    let page = staff
        .post(f.app.url(&format!("/cases/{}/invites", ran.case)))
        .form(&[("csrf_token", csrf.as_str()), ("invite_party", ran.visiting.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let at = page.find("/self-referral/").expect("the invitation link is shown");
    let own_part: String = page[at..].chars().take_while(|c| *c != '<' && *c != '"').collect();
    World {
        f,
        ran,
        own_part,
        signed,
        record,
        future,
        venue,
        report,
        draft,
        concern,
        pre_visit,
    }
}

const ADMIN: &str = "ade@riverside.example";
const JO: &str = "jo@riverside.example";
const SAM: &str = "sam@riverside.example";
const RIA: &str = "ria@cafcass.example";
const LEE: &str = "lee@riverside.example";
const ANYONE: &str = "";

/// The table: one row for every page route that accepts a POST.
fn rows(w: &World) -> Vec<Row> {
    let f = &w.f;
    let centre = f.org.centre.to_string();
    let room = f.org.room.to_string();
    let case = w.ran.case.clone();
    let booking = w.ran.booking.clone();
    let sam = w.ran.sam_id.clone();
    let soon = ahead(&f.app, 3);
    let later = ahead(&f.app, 4);
    vec![
        // Signing in, one's own account
        with_secret(
            walk(
                "/login",
                ANYONE,
                v("/login"),
                action("/login"),
                vec![("email", v(JO))],
                ("password", "not the password"),
            ),
            &["password"],
        ),
        Row::Button { route: "/logout" },
        Row::Elsewhere {
            route: "/setup/{token}",
            why: "it exists only while the database is empty: journey_form_walk_first_run_setup_keeps_input walks it",
        },
        with_secret(
            walk(
                "/account/password",
                JO,
                v("/account"),
                action("/account/password"),
                vec![
                    ("current_password", v(PASSWORD)),
                    ("new_password", v("a much longer new passphrase")),
                ],
                ("password_confirmation", "something else entirely"),
            ),
            &["current_password", "new_password", "password_confirmation"],
        ),
        walk(
            "/account/tokens",
            JO,
            v("/account"),
            action("/account/tokens"),
            vec![],
            ("name", ""),
        ),
        Row::Button {
            route: "/account/tokens/{id}/revoke",
        },
        Row::Elsewhere {
            route: "/account/language",
            why: "a choice of language only, an unknown one the organisation's default: welsh_portal",
        },
        // Accounts by e-mail and the preferences (decision 0051).
        Row::Elsewhere {
            route: "/forgot-password",
            why: "one e-mail field answered alike whether or not it has an account: email_accounts",
        },
        Row::Elsewhere {
            route: "/set-password/{token}",
            why: "two password fields behind a single-use link from an e-mail, both problems shown at once: email_accounts",
        },
        Row::Elsewhere {
            route: "/account/reminders",
            why: "a tick box only: email_prefs",
        },
        Row::Elsewhere {
            route: "/cases/{id}/parties/{party}/reminders",
            why: "a tick box only: email_prefs",
        },
        Row::Elsewhere {
            route: "/centres/{id}/reminder-times",
            why: "two numbers of hours, each one's problem shown with the other kept: email_prefs",
        },
        Row::Button {
            route: "/users/{id}/invitation",
        },
        Row::Button {
            route: "/print-queue/{id}/posted",
        },
        // Two-factor sign-in (decision 0052): one code field each, computed from the clock.
        Row::Elsewhere {
            route: "/login/two-factor",
            why: "one code field, whose right value comes from the server's clock: totp (wrong, reused, out of window, throttled)",
        },
        Row::Elsewhere {
            route: "/login/two-factor/enrol",
            why: "one code field, whose right value comes from the server's clock: totp (policy forces enrolment)",
        },
        Row::Elsewhere {
            route: "/account/two-factor",
            why: "one code field, whose right value comes from the server's clock: totp (empty, not digits, wrong)",
        },
        Row::Elsewhere {
            route: "/account/two-factor/off",
            why: "one code field, refused while the policy requires it: totp",
        },
        Row::Button {
            route: "/users/{id}/two-factor/reset",
        },
        Row::Elsewhere {
            route: "/settings/sign-in",
            why: "a tick box and the version it was read at, a stale one refused and shown: totp",
        },
        Row::Elsewhere {
            route: "/settings/booking-rules",
            why: "a tick box and the version it was read at, a stale one refused and shown: booking_rules",
        },
        Row::Elsewhere {
            route: "/settings/languages",
            why: "a choice of language and a tick box, an unknown language kept as it was: welsh_portal",
        },
        // Centres and rooms
        walk(
            "/centres",
            ADMIN,
            v("/centres/new"),
            action("/centres"),
            vec![("name", v("Hillside Centre")), ("address", v("2 Hill Road"))],
            ("time_zone", "Mars/Olympus"),
        ),
        walk(
            "/centres/{id}",
            ADMIN,
            format!("/centres/{centre}/edit"),
            action(&format!("/centres/{centre}")),
            vec![("name", v("Riverside Centre renamed")), ("address", v("3 River Lane"))],
            ("time_zone", "Nowhere/Else"),
        ),
        walk(
            "/centres/{id}/rooms",
            ADMIN,
            format!("/centres/{centre}"),
            action(&format!("/centres/{centre}/rooms")),
            vec![],
            ("name", ""),
        ),
        walk(
            "/rooms/{id}",
            ADMIN,
            format!("/rooms/{room}"),
            action(&format!("/rooms/{room}")),
            vec![],
            ("name", ""),
        ),
        // People
        with_secret(
            walk(
                "/users",
                ADMIN,
                v("/users/new"),
                action("/users"),
                vec![("name", v("Pat New")), ("password", v("a long enough passphrase"))],
                ("email", "not-an-email"),
            ),
            &["password"],
        ),
        walk(
            "/users/{id}",
            ADMIN,
            format!("/users/{sam}"),
            action(&format!("/users/{sam}")),
            vec![],
            ("name", ""),
        ),
        Row::Button {
            route: "/users/{id}/disable",
        },
        Row::Button {
            route: "/users/{id}/enable",
        },
        with_secret(
            walk(
                "/users/{id}/password",
                ADMIN,
                format!("/users/{sam}"),
                action(&format!("/users/{sam}/password")),
                vec![],
                ("password", "short"),
            ),
            &["password"],
        ),
        // Referrals and cases
        walk(
            "/self-referral",
            ANYONE,
            v("/self-referral"),
            action("/self-referral"),
            vec![
                ("centre_id", centre.clone()),
                ("your_name", v("Laura Walk")),
                ("your_relationship", v("Mother")),
                ("your_role", v("resident")),
                ("your_phone", v("07700 900123")),
                ("other_name", v("Daniel Walk")),
                ("other_relationship", v("Father")),
                ("child1_name", v("Mia Walk")),
                ("child1_dob", v("2019-04-02")),
                ("your_email", v("laura@example.org")),
                ("consent", v("yes")),
            ],
            ("your_name", ""),
        ),
        walk(
            "/self-referral/{token}",
            ANYONE,
            w.own_part.clone(),
            action(&w.own_part),
            vec![
                ("phone", v("07700 900456")),
                ("email", v("daniel@example.org")),
                ("availability", v("Saturdays")),
            ],
            ("consent", ""),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/invites",
            why: "a choice of adult only: nothing can be typed wrong",
        },
        walk(
            "/cases/{id}/documents",
            JO,
            format!("/cases/{case}"),
            action_starting(&format!("/cases/{case}/documents")),
            vec![("description", v("Court order scan"))],
            ("document", ""),
        ),
        walk(
            "/referrals",
            RIA,
            v("/referrals/new"),
            action("/referrals"),
            vec![
                ("centre_id", centre.clone()),
                ("referrer_name", v("Ria Officer")),
                ("child1_name", v("Zoe Walk")),
                ("child1_dob", v("2018-03-04")),
                ("resident_name", v("Anna Walk")),
                ("visiting_name", v("Ben Walk")),
                ("consent_to_share", v("yes")),
            ],
            ("child1_dob", "2999-01-01"),
        ),
        walk(
            "/cases/{id}/status",
            JO,
            format!("/cases/{case}"),
            action(&format!("/cases/{case}/status")),
            vec![("to", v("closed")), ("outcome", v("court_decision"))],
            ("reason", ""),
        ),
        walk(
            "/cases/{id}/risk",
            JO,
            format!("/cases/{case}"),
            action(&format!("/cases/{case}/risk")),
            vec![
                ("concerns", v("domestic_abuse")),
                ("decision", v("supervised")),
                ("notes", v("Assessed at the pre-visit")),
            ],
            ("decision_reason", ""),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/parties/{party}/account",
            why: "a choice of account only: nothing can be typed wrong",
        },
        walk(
            "/cases/{id}/pre-visits",
            JO,
            format!("/cases/{case}"),
            action(&format!("/cases/{case}/pre-visits")),
            vec![
                ("party_id", w.ran.visiting.clone()),
                ("time", v("11:00")),
                ("room_id", w.f.org.room.to_string()),
                ("staff", sam.clone()),
            ],
            ("date", ""),
        ),
        walk(
            "/cases/{id}/parties/{party}",
            JO,
            format!("/cases/{case}/parties/{}", w.ran.visiting),
            action(&format!("/cases/{case}/parties/{}", w.ran.visiting)),
            vec![
                ("relationship", v("Father")),
                ("language", v("Polish")),
                ("availability", v("Weekday afternoons")),
            ],
            ("name", ""),
        ),
        walk(
            "/pre-visits/{id}",
            JO,
            format!("/pre-visits/{}", w.pre_visit),
            action(&format!("/pre-visits/{}", w.pre_visit)),
            vec![("notes", v("Shown the rooms")), ("rules_agreed", v("yes"))],
            ("status", ""),
        ),
        // The court order's contact pattern and the rules agreed (decision 0046)
        walk(
            "/cases/{id}/order-pattern",
            JO,
            format!("/cases/{case}"),
            action(&format!("/cases/{case}/order-pattern")),
            vec![
                ("every", v("weeks")),
                ("interval", v("2")),
                ("weekdays", v("saturday")),
                ("from", f.app.today().to_string()),
            ],
            ("minutes", "ninety"),
        ),
        walk(
            "/cases/{id}/rules-agreements",
            JO,
            format!("/cases/{case}"),
            action(&format!("/cases/{case}/rules-agreements")),
            vec![("how", v("paper"))],
            ("agreed_on", "yesterday"),
        ),
        Row::Button { route: "/my-rules" },
        walk(
            "/settings/rules",
            ADMIN,
            v("/settings/rules"),
            action("/settings/rules"),
            vec![("label", v("2")), ("summary", v("Phones stay in the lockers"))],
            ("issued_on", "soon"),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/named-staff",
            why: "choices from the staff list only: nothing can be typed wrong",
        },
        walk(
            "/cases/{id}/break-glass",
            SAM,
            format!("/cases/{case}/break-glass"),
            action(&format!("/cases/{case}/break-glass")),
            vec![],
            ("reason", ""),
        ),
        // Scheduling
        walk(
            "/centres/{id}/schedule/settings",
            JO,
            format!("/centres/{centre}/schedule"),
            action(&format!("/centres/{centre}/schedule/settings")),
            vec![],
            ("arrival_lead_minutes", "soon"),
        ),
        walk(
            "/centres/{id}/opening-hours",
            JO,
            format!("/centres/{centre}/schedule"),
            action(&format!("/centres/{centre}/opening-hours")),
            vec![("weekday", v("6")), ("opens", v("10:00"))],
            ("closes", "09:00"),
        ),
        Row::Button {
            route: "/centres/{id}/opening-hours/{opening}/remove",
        },
        walk(
            "/centres/{id}/closures",
            JO,
            format!("/centres/{centre}/schedule"),
            action(&format!("/centres/{centre}/closures")),
            vec![("first_day", soon.clone()), ("last_day", later.clone())],
            ("reason", ""),
        ),
        Row::Button {
            route: "/centres/{id}/closures/{closure}/remove",
        },
        walk(
            "/centres/{id}/entrances",
            JO,
            format!("/centres/{centre}/schedule"),
            action(&format!("/centres/{centre}/entrances")),
            vec![],
            ("name", ""),
        ),
        walk(
            "/rooms/{id}/approval",
            JO,
            format!("/centres/{centre}/schedule"),
            action(&format!("/rooms/{}/approval", w.venue)),
            vec![("venue_kind", v("community"))],
            ("notes", ""),
        ),
        walk(
            "/staff/{id}",
            JO,
            format!("/staff/{sam}"),
            action(&format!("/staff/{sam}")),
            vec![
                ("qualifications", v("Level 3 supervised contact")),
                ("dbs_checked_on", soon.clone()),
            ],
            ("hours", "Mondays all day"),
        ),
        walk(
            "/staff/{id}/leave",
            JO,
            format!("/staff/{sam}"),
            action(&format!("/staff/{sam}/leave")),
            vec![("first_day", later.clone())],
            ("last_day", &soon),
        ),
        walk(
            "/cases/{id}/sessions",
            JO,
            format!("/cases/{case}/sessions"),
            action(&format!("/cases/{case}/sessions")),
            vec![
                ("date", later.clone()),
                ("time", v("10:00")),
                ("room_id", room.clone()),
                ("staff", sam.clone()),
            ],
            ("minutes", "two hours"),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/workers",
            why: "choices from the staff list only: nothing can be typed wrong (a stale list is strict_input's)",
        },
        walk(
            "/cases/{id}/never-meet",
            JO,
            format!("/cases/{case}/sessions"),
            action(&format!("/cases/{case}/never-meet")),
            vec![
                ("party_id", w.ran.visiting.clone()),
                ("other_party_id", w.ran.resident.clone()),
            ],
            ("reason", ""),
        ),
        walk(
            "/cases/{id}/availability",
            JO,
            format!("/cases/{case}/sessions"),
            action(&format!("/cases/{case}/availability")),
            vec![
                ("party_id", w.ran.visiting.clone()),
                ("days", v("1|2|3|4|5")),
                ("from", v("15:00")),
            ],
            ("to", "14:00"),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/calendar-feeds",
            why: "a choice of adult only: nothing can be typed wrong",
        },
        walk(
            "/interpreters",
            JO,
            "/interpreters".into(),
            action("/interpreters"),
            vec![("name", v("Anna Kowalska"))],
            ("languages", " , "),
        ),
        Row::Elsewhere {
            route: "/bookings/{id}/interpreter",
            why: "a choice of the organisation's interpreters only; a refused choice (already booked, another language) is journey_day_plan_an_interpreter_is_booked_on_the_booking_page",
        },
        Row::Elsewhere {
            route: "/bookings/{id}/arrival",
            why: "choices of the centre's entrances and waiting rooms only; a refused choice is arrival_choices_clear_the_warning_and_refuse_another_centres",
        },
        walk(
            "/bookings/{id}/status",
            JO,
            format!("/bookings/{}", w.future),
            action(&format!("/bookings/{}/status", w.future)),
            vec![("status", v("cancelled")), ("cancelled_by", v("centre"))],
            ("reason", ""),
        ),
        walk(
            "/bookings/{id}/move",
            JO,
            format!("/bookings/{}", w.future),
            action(&format!("/bookings/{}/move", w.future)),
            vec![("date", later.clone()), ("time", v("14:00"))],
            ("asked_by", ""),
        ),
        Row::Button {
            route: "/account/calendar-feed",
        },
        // Session records
        walk(
            "/bookings/{id}/register",
            SAM,
            format!("/bookings/{booking}/record"),
            format!(
                "{}:not(:has([name=visitor_name]))",
                action(&format!("/bookings/{booking}/register"))
            ),
            vec![("arrived", v("09:45"))],
            ("late_minutes", "late"),
        ),
        walk(
            "/bookings/{id}/breaches",
            SAM,
            format!("/bookings/{booking}/record"),
            action(&format!("/bookings/{booking}/breaches")),
            vec![
                ("party", w.ran.visiting.clone()),
                ("detail", v("Took a photo of the room")),
            ],
            ("kind", ""),
        ),
        Row::Elsewhere {
            route: "/bookings/{id}/observation",
            why: "a draft may be saved with any text; what signing needs is checked at sign-off (records.rs)",
        },
        walk(
            "/bookings/{id}/stop",
            SAM,
            format!("/bookings/{booking}/record"),
            action(&format!("/bookings/{booking}/stop")),
            vec![("detail", v("Mia cried and asked to go home"))],
            ("reason", ""),
        ),
        Row::Button {
            route: "/observations/{id}/sign",
        },
        walk(
            "/observations/{id}/addenda",
            SAM,
            format!("/bookings/{}/record", w.signed),
            action(&format!("/observations/{}/addenda", w.record)),
            vec![("addendum_text", v("Mia also drew a picture."))],
            ("addendum_reason", ""),
        ),
        walk(
            "/settings/observation-checklist",
            ADMIN,
            v("/settings/observation-checklist"),
            action("/settings/observation-checklist"),
            vec![],
            ("checklist", ""),
        ),
        // Reports
        walk(
            "/cases/{id}/reports",
            SAM,
            format!("/cases/{case}/reports"),
            action(&format!("/cases/{case}/reports")),
            vec![
                ("summary", v("A summary of the sessions")),
                ("records", w.record.clone()),
            ],
            ("title", ""),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/distribution",
            why: "choices of recipients only: nothing can be typed wrong",
        },
        walk(
            "/reports/{id}",
            SAM,
            format!("/reports/{}", w.draft),
            format!("form[action='/reports/{}'][method='post']", w.draft),
            vec![("summary", v("A longer summary"))],
            ("title", ""),
        ),
        walk(
            "/reports/{id}/check",
            ADMIN,
            format!("/reports/{}", w.report),
            format!("{}:has([name=notes])", action(&format!("/reports/{}/check", w.report))),
            vec![("notes", v("Please add the dates of the sessions"))],
            ("step", ""),
        ),
        Row::Elsewhere {
            route: "/reports/{id}/release",
            why: "choices of recipients only: nothing can be typed wrong",
        },
        // Money
        walk(
            "/cases/{id}/funding",
            JO,
            format!("/cases/{case}/money"),
            action(&format!("/cases/{case}/funding")),
            vec![("funder_name", v("Cafcass"))],
            ("funded_sessions", "six"),
        ),
        walk(
            "/cases/{id}/money",
            JO,
            format!("/cases/{case}/money"),
            action(&format!("/cases/{case}/money")),
            vec![("kind", v("payment")), ("reference", v("BACS 123"))],
            ("amount", "lots"),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/invoices",
            why: "a choice of account only: nothing can be typed wrong",
        },
        walk(
            "/billing/bursary",
            JO,
            v("/billing"),
            action("/billing/bursary"),
            vec![
                ("grant_source", v("Local trust")),
                ("grant_received_on", f.app.today().to_string()),
            ],
            ("grant_amount", "plenty"),
        ),
        walk(
            "/centres/{id}/prices",
            ADMIN,
            format!("/centres/{centre}/money"),
            action(&format!("/centres/{centre}/prices")),
            vec![("applies_from", soon.clone())],
            ("amount", "dear"),
        ),
        Row::Elsewhere {
            route: "/centres/{id}/cancellation-policy",
            why: "a choice of preset only: nothing can be typed wrong",
        },
        walk(
            "/settings/billing",
            ADMIN,
            v("/settings/billing"),
            action("/settings/billing"),
            vec![("charity_name", v("Riverside Trust"))],
            ("payment_terms_days", "a fortnight"),
        ),
        // Service notices, letters, reviews
        walk(
            "/cases/{id}/notices",
            JO,
            format!("/cases/{case}/service"),
            action(&format!("/cases/{case}/notices")),
            vec![("reason", v("The child has refused three times"))],
            ("effective_on", ""),
        ),
        Row::Elsewhere {
            route: "/cases/{id}/service/resume",
            why: "a button with nothing typed: booking_rules.rs resumes a suspended service",
        },
        Row::Elsewhere {
            route: "/notices/{id}/letters",
            why: "choices of recipient and delivery only: nothing can be typed wrong",
        },
        walk(
            "/cases/{id}/reviews",
            JO,
            format!("/cases/{case}/service"),
            action(&format!("/cases/{case}/reviews")),
            vec![("attendees", v("Jo, Laura")), ("resident_view", v("Going well"))],
            ("held_on", ""),
        ),
        // Safeguarding concerns
        walk(
            "/concerns",
            SAM,
            format!("/concerns/new?case={case}"),
            action("/concerns"),
            vec![
                ("about", v("Mia")),
                ("time", v("10:00")),
                ("exact_words", v("I do not want to go")),
                ("action_taken", v("Told the lead")),
            ],
            ("date", ""),
        ),
        walk(
            "/concerns/{id}/decision",
            LEE,
            format!("/concerns/{}", w.concern),
            action(&format!("/concerns/{}/decision", w.concern)),
            vec![
                ("decision", v("Referred to children's social care")),
                ("referred_to", v("childrens_social_care")),
            ],
            ("agency_reference", ""),
        ),
    ]
}

#[tokio::test(flavor = "multi_thread")]
async fn journey_form_walk_keeps_input() {
    let w = world().await;
    let app = &w.f.app;
    let table = rows(&w);

    // Systematic: every page route that accepts a POST has its row, and every row its route.
    let page_posts: Vec<&'static str> = familytime_web::routes::route_table()
        .into_iter()
        .filter(|r| r.method == reqwest::Method::POST && !r.path.starts_with("/api/"))
        .map(|r| r.path)
        .collect();
    let rowed: Vec<&'static str> = table.iter().map(Row::route).collect();
    let unwalked: Vec<_> = page_posts.iter().filter(|p| !rowed.contains(p)).collect();
    assert!(
        unwalked.is_empty(),
        "page forms without a row in the form walk: {unwalked:?}"
    );
    let stale: Vec<_> = rowed.iter().filter(|r| !page_posts.contains(r)).collect();
    assert!(stale.is_empty(), "rows for routes that no longer exist: {stale:?}");

    for row in &table {
        if let Row::Elsewhere { route, why } = row {
            eprintln!("form walk: {route} not walked here: {why}");
        }
    }
    let browser = Browser::start().await;
    let mut signed_in_as: Option<&str> = None;
    let mut failures: Vec<(String, Vec<String>)> = Vec::new();
    let mut walked = 0;
    for row in &table {
        let Row::Walk(walk) = row else { continue };
        if signed_in_as != Some(walk.who) {
            browser.client.delete_all_cookies().await.unwrap();
            if !walk.who.is_empty() {
                sign_in(&browser, app, walk.who).await;
            }
            signed_in_as = Some(walk.who);
        }
        let problems = walk_one(&browser, app, walk).await;
        walked += 1;
        if !problems.is_empty() {
            failures.push((walk.route.to_owned(), problems));
            // A failed sign-in form or password change may have ended the session.
            signed_in_as = None;
        }
    }
    // Sent right, the record page's forms confirm what they did.
    browser.client.delete_all_cookies().await.unwrap();
    sign_in(&browser, app, SAM).await;
    let record_page = format!("/bookings/{}/record", w.ran.booking);
    let breaches = action(&format!("/bookings/{}/breaches", w.ran.booking));
    let register = format!(
        "{}:not(:has([name=visitor_name]))",
        action(&format!("/bookings/{}/register", w.ran.booking))
    );
    let stop = action(&format!("/bookings/{}/stop", w.ran.booking));
    for (form, values, banner) in [
        (
            &register,
            vec![json!(["attendance", "arrived"]), json!(["arrived", "09:45"])],
            "Register saved.",
        ),
        (
            &breaches,
            vec![json!(["kind", "photos"]), json!(["detail", "Took a photo of the room"])],
            "Rule breach recorded.",
        ),
        (
            &stop,
            vec![json!(["reason", "child_distressed"]), json!(["detail", "Mia cried"])],
            "The session is recorded as stopped early.",
        ),
    ] {
        browser.client.goto(&app.url(&record_page)).await.unwrap();
        let missing = browser
            .client
            .execute(SET, vec![json!(form), json!(values)])
            .await
            .unwrap();
        assert_eq!(missing, json!([]), "{form}");
        send(&browser, form).await.unwrap();
        let text = browser.text().await;
        assert!(text.contains(banner), "{form} confirms itself: {text}");
    }
    browser.close().await;

    let report: Vec<String> = failures
        .iter()
        .map(|(route, problems)| format!("{route}:\n  {}", problems.join("\n  ")))
        .collect();
    assert!(
        report.is_empty(),
        "{} of {walked} forms lose input or change something when one field is wrong:\n{}",
        report.len(),
        report.join("\n")
    );
    app_finish(w).await;
}

async fn app_finish(w: World) {
    w.f.app.finish().await;
}

/// The first-run form, walked on an empty database (the only time it exists).
#[tokio::test(flavor = "multi_thread")]
async fn journey_form_walk_first_run_setup_keeps_input() {
    let app = TestApp::spawn().await;
    let token = familytime_app::accounts::issue_setup_token(&app.store, familytime_domain::Timestamp::now())
        .await
        .map_err(|e| e.message())
        .unwrap()
        .expect("an empty database offers setup");
    let path = format!("/setup/{token}");
    let walk = Walk {
        route: "/setup/{token}",
        who: ANYONE,
        page: path.clone(),
        form: action(&path),
        fields: vec![
            ("organisation_name", v("Hillside Families")),
            ("name", v("Ada Admin")),
            ("password", v(PASSWORD)),
            ("password_confirmation", v(PASSWORD)),
        ],
        wrong: ("email", v("not-an-email")),
        secret: &["password", "password_confirmation"],
    };
    let browser = Browser::start().await;
    let problems = walk_one(&browser, &app, &walk).await;
    browser.close().await;
    assert!(problems.is_empty(), "the first-run form:\n{}", problems.join("\n"));
    app.finish().await;
}
