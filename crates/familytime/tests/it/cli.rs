//! The command line, run as a real process: the one-time setup link printed by `serve`, `users add /
//! disable / token`, and `audit verify` catching a changed or removed entry.

use crate::harness::{
    PASSWORD, TestApp, check_and_drop, csrf_in, fresh_location, json_of, run_sql, set_cookie, sql_refusal,
};
use familytime_domain::people::Role;
use familytime_store::{Location, Store};
use reqwest::StatusCode;
use std::process::Stdio;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_familytime");

fn db_args(location: &Location) -> Vec<String> {
    match location {
        Location::DataDir(dir) => vec!["--data-dir".into(), dir.display().to_string()],
        Location::Postgres(url) => vec!["--database-url".into(), url.clone()],
    }
}

/// Runs `familytime ARGS` with `stdin` as its input; returns (success, stdout, stderr).
async fn familytime(location: &Location, args: &[&str], stdin: &str) -> (bool, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .args(db_args(location))
        .env_remove("DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run familytime");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin.as_bytes()).await.expect("write stdin");
    drop(input);
    let out = tokio::time::timeout(Duration::from_secs(60), child.wait_with_output())
        .await
        .expect("finishes")
        .expect("output");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[tokio::test(flavor = "multi_thread")]
async fn serve_prints_a_setup_link_that_works_once() {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let mut child = Command::new(BIN)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .args(db_args(&location))
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start familytime serve");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let link = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            if let Some(at) = line.find("http://")
                && line.contains("/setup/")
            {
                return line[at..].trim().to_owned();
            }
        }
        panic!("serve ended without printing a setup link");
    })
    .await
    .expect("setup link printed");
    let base = link.split("/setup/").next().unwrap().to_owned();
    // The listener is bound before the link is printed, so the server answers now.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client.get(&link).send().await.expect("the server answers");
    assert_eq!(form.status(), StatusCode::OK);
    let csrf = csrf_in(&form.text().await.unwrap()).unwrap();
    let setup_path = link.trim_start_matches(&base).to_owned();

    let weak = client
        .post(&link)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("organisation_name", "Riverside"),
            ("name", "Amira Hassan"),
            ("email", "amira@riverside.example"),
            ("password", "password1234"),
            ("password_confirmation", "password1234"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        weak.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "a common password is refused"
    );

    let done = client
        .post(&link)
        .form(&[
            ("csrf_token", csrf.as_str()),
            ("organisation_name", "Riverside"),
            ("name", "Amira Hassan"),
            ("email", "amira@riverside.example"),
            ("password", PASSWORD),
            ("password_confirmation", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert!(
        set_cookie(done.headers(), "ft_session").is_some(),
        "the new admin is signed in"
    );
    let (status, me) = json_of(client.get(format!("{base}/api/v1/me")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (me["user"]["role"].as_str(), me["organisation"]["name"].as_str()),
        (Some("organisation_admin"), Some("Riverside"))
    );

    let again = reqwest::Client::new()
        .get(format!("{base}{setup_path}"))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND, "the link works once");
    child.kill().await.ok();
    let store = Store::open(&location).await.expect("open the database serve left");
    check_and_drop(&store, postgres, &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn users_add_disable_and_token_from_the_shell() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    let loc = app.location.clone();

    let (ok, _, err) = familytime(
        &loc,
        &[
            "users",
            "add",
            "--email",
            "weak@riverside.example",
            "--name",
            "Weak",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        "password1234\n",
    )
    .await;
    assert!(!ok, "a common password is refused");
    assert!(err.contains("--password"), "{err}");
    let (ok, _, err) = familytime(
        &loc,
        &[
            "users",
            "add",
            "--email",
            "jo@riverside.example",
            "--name",
            "Jo",
            "--role",
            "emperor",
            "--password-stdin",
        ],
        "lantern orchard pebble\n",
    )
    .await;
    assert!(!ok && err.contains("role"), "{err}");
    assert_eq!(app.store.users(org.id).await.unwrap().len(), 0, "nothing added");

    let (ok, out, err) = familytime(
        &loc,
        &[
            "users",
            "add",
            "--email",
            "jo@riverside.example",
            "--name",
            "Jo Whitfield",
            "--role",
            "coordinator",
            "--password-stdin",
        ],
        &format!("{PASSWORD}\n"),
    )
    .await;
    assert!(ok, "{out}{err}");
    let client = app.client();
    app.api_login(&client, "jo@riverside.example").await;

    let (ok, out, _) = familytime(&loc, &["users", "token", "--email", "jo@riverside.example"], "").await;
    assert!(ok);
    let token = out.trim().to_owned();
    let bearer = reqwest::Client::new();
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::OK
    );

    let (ok, _, _) = familytime(&loc, &["users", "disable", "--email", "jo@riverside.example"], "").await;
    assert!(ok);
    assert_eq!(
        client.get(app.url("/api/v1/me")).send().await.unwrap().status(),
        StatusCode::UNAUTHORIZED,
        "sessions end at once"
    );
    assert_eq!(
        bearer
            .get(app.url("/api/v1/me"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::UNAUTHORIZED
    );

    // A second organisation's admin can be created from the shell; then --organisation is needed.
    let (ok, out, err) = familytime(
        &loc,
        &[
            "users",
            "add",
            "--email",
            "boss@hillside.example",
            "--name",
            "Boss",
            "--role",
            "organisation-admin",
            "--organisation",
            "Hillside",
            "--password-stdin",
        ],
        PASSWORD,
    )
    .await;
    assert!(ok, "{out}{err}");
    let (ok, _, err) = familytime(
        &loc,
        &[
            "users",
            "add",
            "--email",
            "x@riverside.example",
            "--name",
            "X",
            "--role",
            "volunteer",
            "--password-stdin",
        ],
        PASSWORD,
    )
    .await;
    assert!(!ok && err.contains("--organisation"), "{err}");
    app.finish().await;
}

/// Changes the audit log directly, with its guarding triggers out of the way, as someone with
/// full access to the file or server could.
async fn tamper(location: &Location, sql: &str) {
    let sql = match location {
        Location::DataDir(_) => {
            format!("DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; {sql}")
        }
        Location::Postgres(_) => {
            format!("ALTER TABLE audit_log DISABLE TRIGGER USER; {sql}; ALTER TABLE audit_log ENABLE TRIGGER USER")
        }
    };
    assert!(run_sql(location, &sql).await, "tampering ran");
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_names_a_changed_entry() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let loc = app.location.clone();
    let (ok, out, _) = familytime(&loc, &["audit", "verify"], "").await;
    assert!(ok && out.contains("intact"), "{out}");
    tamper(&loc, "UPDATE audit_log SET outcome = 'denied' WHERE seq = 3").await;
    let (ok, out, _) = familytime(&loc, &["audit", "verify"], "").await;
    assert!(!ok, "a changed entry fails verification");
    assert!(out.contains("entry 3"), "names the entry: {out}");
    // The harness's own check finds the same break, and nothing else.
    app.finish_with_problems(&["audit chain: entry 3: its contents do not match"])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_names_a_removed_entry() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let loc = app.location.clone();
    app.store.seal_audit().await.unwrap();
    tamper(&loc, "DELETE FROM audit_log WHERE seq = 2").await;
    let (ok, out, _) = familytime(&loc, &["audit", "verify"], "").await;
    assert!(!ok);
    assert!(out.contains("entry 3") && out.contains("removed"), "{out}");
    assert!(
        app.store.verify_audit_chain().await.unwrap().is_err(),
        "the store's own check agrees"
    );
    app.finish_with_problems(&["audit chain: entry 3: does not follow entry 1"])
        .await;
}

#[tokio::test(flavor = "multi_thread")]
async fn audit_verify_notices_the_newest_entries_removed() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    let loc = app.location.clone();
    app.store.seal_audit().await.unwrap();
    tamper(
        &loc,
        "DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)",
    )
    .await;
    let (ok, out, _) = familytime(&loc, &["audit", "verify"], "").await;
    assert!(!ok && out.contains("missing"), "{out}");
    app.finish_with_problems(&["audit chain: entry "]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_audit_log_refuses_updates_and_deletes() {
    let app = TestApp::spawn().await;
    app.seed_organisation("Riverside").await;
    app.store.seal_audit().await.unwrap();
    // Each refused by the guarding trigger itself (its message), not by some other error such as a
    // constraint or a typo, which would refuse the statement just as well.
    let postgres = matches!(app.location, Location::Postgres(_));
    let attempts = [
        (
            "UPDATE audit_log SET outcome = 'x' WHERE seq = 1",
            "audit_log is append-only",
        ),
        ("DELETE FROM audit_log WHERE seq = 1", "audit_log is append-only"),
        (
            "DELETE FROM audit_head",
            if postgres {
                "audit_head only moves forward"
            } else {
                "audit_head cannot be deleted"
            },
        ),
        ("UPDATE audit_head SET seq = 0", "audit_head only moves forward"),
    ];
    for (sql, trigger) in attempts {
        let refusal = sql_refusal(&app.location, sql).await;
        assert!(
            refusal.as_deref().is_some_and(|m| m.contains(trigger)),
            "{sql} must be refused by the trigger (“{trigger}”), was: {refusal:?}"
        );
    }
    // The control: the same connection can change the database, so the refusals above are the
    // triggers' and not a read-only or broken connection's.
    assert_eq!(
        sql_refusal(&app.location, "CREATE TABLE probe (x INTEGER); DROP TABLE probe").await,
        None
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_demo_prints_its_accounts_and_has_referrals_at_every_status() {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let args = match &location {
        Location::DataDir(d) => vec!["--data-dir".to_owned(), d.join("demo").display().to_string()],
        Location::Postgres(url) => vec!["--database-url".to_owned(), url.clone()],
    };
    let mut child = Command::new(BIN)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .args(&args)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start the demo");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let (mut admin_password, mut base) = (String::new(), String::new());
    let mut officer_password = String::new();
    let mut parent_password = String::new();
    tokio::time::timeout(Duration::from_secs(120), async {
        while let Some(line) = lines.next_line().await.expect("read stdout") {
            let words: Vec<&str> = line.split_whitespace().collect();
            if words.first() == Some(&"organisation_admin") {
                admin_password = words[2].to_owned();
            }
            if words.get(1) == Some(&"fca.officer@cafcass.example") {
                officer_password = words[2].to_owned();
            }
            if words.get(1) == Some(&"parent.visiting@example.com") {
                parent_password = words[2].to_owned();
            }
            if let Some(at) = line.find("is serving at http://") {
                base = line[at + "is serving at ".len()..]
                    .split_whitespace()
                    .next()
                    .unwrap_or_default()
                    .to_owned();
                return;
            }
        }
    })
    .await
    .expect("the demo starts");
    assert!(!admin_password.is_empty(), "the admin's password is printed");
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = client
        .post(format!("{base}/api/v1/login"))
        .json(&serde_json::json!({"email": "admin@riverside.example", "password": admin_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let (_, cases) = json_of(client.get(format!("{base}/api/v1/cases")).send().await.unwrap()).await;
    let statuses: std::collections::BTreeSet<String> = cases
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["status"].as_str().map(str::to_owned))
        .collect();
    for status in familytime_domain::referrals::CaseStatus::ALL {
        assert!(
            statuses.contains(status.as_str()),
            "the demo has a referral that is {status}"
        );
    }
    let (_, centres) = json_of(client.get(format!("{base}/api/v1/centres")).send().await.unwrap()).await;
    assert_eq!(centres.as_array().unwrap().len(), 2);
    // A working month ahead at each centre: a dozen sessions or more, none cancelled.
    for centre in centres.as_array().unwrap() {
        let id = centre["id"].as_str().unwrap();
        let (status, month) = json_of(
            client
                .get(format!("{base}/api/v1/centres/{id}/calendar?days=35"))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{month}");
        let sessions = month.as_array().unwrap();
        assert!(
            sessions.len() >= 12,
            "{} has {} sessions in the month ahead",
            centre["name"],
            sessions.len()
        );
        assert!(
            sessions
                .iter()
                .all(|b| b["status"] == "provisional" || b["status"] == "confirmed")
        );
    }
    // Sessions already run: an open safeguarding concern, and a report from signed records released
    // to the Cafcass officer.
    let (status, concerns) = json_of(client.get(format!("{base}/api/v1/concerns")).send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{concerns}");
    assert!(
        concerns.as_array().unwrap().iter().any(|c| c["status"] == "open"),
        "the demo has an open safeguarding concern: {concerns}"
    );
    let officer = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = officer
        .post(format!("{base}/api/v1/login"))
        .json(&serde_json::json!({"email": "fca.officer@cafcass.example", "password": officer_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let (_, reports) = json_of(officer.get(format!("{base}/api/v1/my-reports")).send().await.unwrap()).await;
    let report = &reports[0];
    assert_eq!(report["status"], "released", "{reports}");
    assert_eq!(
        report["record_ids"].as_array().unwrap().len(),
        2,
        "composed from two signed records"
    );
    // Its words match the case's own child: a one-child family is never "the children" or "the
    // elder child" (issue 30), and the child is named.
    let (_, file) = json_of(
        client
            .get(format!("{base}/api/v1/cases/{}", report["case_id"].as_str().unwrap()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let children = file["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "{file}");
    let first_name = children[0]["name"]
        .as_str()
        .unwrap()
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    let pdf = officer
        .get(format!(
            "{base}/api/v1/my-reports/{}/pdf",
            report["id"].as_str().unwrap()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let text = crate::records::pdf_text(&pdf.bytes().await.unwrap());
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
    for wrong in ["the children", "elder child", "younger child"] {
        assert!(!flat.contains(wrong), "the released report speaks of {wrong:?}: {text}");
    }
    assert!(
        flat.contains(&first_name.to_lowercase()),
        "{first_name} is named: {text}"
    );
    // Money: the seed centre's prices charged, one family's payments and invoice, and the demo's
    // visiting parent sees his own bookings, payment and invoice.
    let (_, owed) = json_of(
        client
            .get(format!("{base}/api/v1/billing/outstanding"))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(owed.as_array().is_some_and(|o| !o.is_empty()), "{owed}");
    // The court orders' patterns (decision 0046): the Prices are booked as their order asks, and one
    // family's series runs out before its order does, so it is on the coordinator's list, under.
    let (_, off) = json_of(client.get(format!("{base}/api/v1/orders")).send().await.unwrap()).await;
    let off = off["cases"].as_array().cloned().unwrap_or_default();
    assert_eq!(off.len(), 1, "one family booked under its order: {off:?}");
    assert_eq!(off[0]["overall"], "under", "{off:?}");
    let parent = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login = parent
        .post(format!("{base}/api/v1/login"))
        .json(&serde_json::json!({"email": "parent.visiting@example.com", "password": parent_password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), StatusCode::OK);
    let (_, mine) = json_of(parent.get(format!("{base}/api/v1/my-account")).send().await.unwrap()).await;
    assert!(mine[0]["bookings"].as_array().is_some_and(|b| b.len() >= 3), "{mine}");
    // Each demo parent's account opens their own case: the adult it is linked to carries the
    // account's name (issue 30: it opened another family's).
    let (_, me) = json_of(parent.get(format!("{base}/api/v1/me")).send().await.unwrap()).await;
    let (me_id, me_name) = (me["user"]["id"].clone(), me["user"]["name"].clone());
    // Their account page lists exactly the cases their account is linked to.
    assert_eq!(mine.as_array().map(Vec::len), Some(1), "{mine}");
    let reference = mine[0]["case_reference"].as_str().unwrap();
    let own = cases
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reference"] == reference)
        .expect("the parent's case is in the list");
    let (_, own_file) = json_of(
        client
            .get(format!("{base}/api/v1/cases/{}", own["id"].as_str().unwrap()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert!(
        own_file["adults"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["account"] == me_id && a["name"] == me_name),
        "{me_name}'s account is linked to the adult of that name on the case it opens: {own_file}"
    );
    assert_eq!(mine[0]["invoices"].as_array().map(Vec::len), Some(1), "{mine}");
    assert!(
        mine[0]["entries"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["kind"] == "payment"),
        "{mine}"
    );
    // The demo's interpreter (decision 0047), booked for the father who needs one.
    let (_, interpreters) = json_of(client.get(format!("{base}/api/v1/interpreters")).send().await.unwrap()).await;
    assert!(
        interpreters
            .as_array()
            .is_some_and(|i| i.iter().any(|i| i["name"] == "Meera Shah")),
        "{interpreters}"
    );
    child.kill().await.ok();
    let demo = match &location {
        Location::DataDir(d) => Location::DataDir(d.join("demo")),
        postgres => postgres.clone(),
    };
    let store = Store::open(&demo).await.expect("open the demo's database");
    check_and_drop(&store, postgres, &[]).await;
}
