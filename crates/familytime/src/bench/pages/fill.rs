//! Real ids for `familytime bench pages`: found through the running server's own API, signed in as
//! the people who may see them (as a user of the API would find them), plus the few things the
//! dataset does not hold and that are shown only once when made (a calendar feed's address, a
//! parent's invitation link) or not made by the demo (a pre-visit, a document, a notice ending a
//! service), made through the server too. Then `fill` turns each route of the route table into
//! the addresses to request, or the reason it cannot be filled.

use anyhow::{Context, Result, anyhow, bail};
use jiff::ToSpan;
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The signed-in clients, one a role, by the role's name (`public` is signed out).
pub type Clients = BTreeMap<&'static str, reqwest::Client>;

/// The ids a route's placeholders are filled with.
#[derive(Default, Debug)]
pub struct Ids {
    pub centre: String,
    pub room: String,
    pub user: String,
    /// The Cafcass officer's family: records signed, a report released to the officer.
    pub case: String,
    pub party: String,
    pub booking: String,
    pub report: String,
    /// The parents' own family: payments, a deposit and an invoice.
    pub money_case: String,
    pub money_account: String,
    pub invoice: String,
    pub entry: String,
    /// A family at the pre-visit stage: a pre-visit booked, its service ended by a notice.
    pub early: String,
    pub pre_visit: String,
    pub notice: String,
    pub concern: String,
    pub document: String,
    pub feed: Option<String>,
    pub invite: Option<String>,
    pub today: String,
}

async fn get(client: &reqwest::Client, base: &str, path: &str) -> Result<Value> {
    let response = client.get(format!("{base}{path}")).send().await?;
    let status = response.status();
    if !status.is_success() {
        bail!("GET {path} answered {status} while finding ids");
    }
    Ok(response.json().await?)
}

async fn post(client: &reqwest::Client, base: &str, path: &str, body: &Value) -> Result<(u16, Value)> {
    let response = client.post(format!("{base}{path}")).json(body).send().await?;
    let status = response.status().as_u16();
    Ok((status, response.json().await.unwrap_or(Value::Null)))
}

fn text(value: &Value) -> Result<String> {
    value
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("expected a string, found {value}"))
}

fn role<'a>(clients: &'a Clients, name: &str) -> Result<&'a reqwest::Client> {
    clients
        .get(name)
        .ok_or_else(|| anyhow!("no client signed in as {name}"))
}

/// The adult of `role` (resident or visiting) on a case file.
fn adult(file: &Value, role: &str) -> Result<String> {
    file["adults"]
        .as_array()
        .and_then(|adults| adults.iter().find(|a| a["role"] == role))
        .map(|a| a["id"].clone())
        .ok_or_else(|| anyhow!("the case has no {role} adult"))
        .and_then(|v| text(&v))
}

pub async fn find(clients: &Clients, base: &str, today: jiff::civil::Date) -> Result<Ids> {
    let admin = role(clients, "organisation_admin")?;
    let coordinator = role(clients, "coordinator")?;
    let mut ids = Ids {
        today: today.to_string(),
        ..Ids::default()
    };
    let centres = get(admin, base, "/api/v1/centres").await?;
    ids.centre = centres
        .as_array()
        .and_then(|c| c.iter().find(|c| c["name"] == "Riverside Child Contact Centre"))
        .map(|c| c["id"].clone())
        .ok_or_else(|| anyhow!("the demo's first centre is missing"))
        .and_then(|v| text(&v))?;
    let rooms = get(admin, base, &format!("/api/v1/centres/{}/rooms", ids.centre)).await?;
    ids.room = rooms
        .as_array()
        .and_then(|r| r.iter().find(|r| r["kind"] == "family_room"))
        .map(|r| r["id"].clone())
        .ok_or_else(|| anyhow!("no family room"))
        .and_then(|v| text(&v))?;
    // The list is paged (decision 0036): read every page, each after the last one's final account.
    let mut users = Vec::new();
    loop {
        let path = match users.last().and_then(|u: &Value| u["id"].as_str()) {
            Some(last) => format!("/api/v1/users?after={last}"),
            None => "/api/v1/users".to_owned(),
        };
        let page = get(admin, base, &path).await?;
        let page = page.as_array().cloned().unwrap_or_default();
        if page.is_empty() {
            break;
        }
        if users.iter().any(|u| u["id"] == page[0]["id"]) {
            bail!("the users list gave the same page twice");
        }
        users.extend(page);
    }
    let users = Value::Array(users);
    let user = |email: &str| {
        users
            .as_array()
            .and_then(|u| u.iter().find(|u| u["email"] == email))
            .map(|u| u["id"].clone())
            .ok_or_else(|| anyhow!("no account {email}"))
            .and_then(|v| text(&v))
    };
    ids.user = user("supervisor2@riverside.example")?;
    let meets = user("supervisor@riverside.example")?;

    // The report released to the Cafcass officer, its family and one of its sessions.
    let released = get(role(clients, "referrer")?, base, "/api/v1/my-reports").await?;
    let report = released
        .as_array()
        .and_then(|r| r.first())
        .ok_or_else(|| anyhow!("no report released to the referrer"))?;
    ids.report = text(&report["id"])?;
    ids.case = text(&report["case_id"])?;
    let file = get(admin, base, &format!("/api/v1/cases/{}", ids.case)).await?;
    ids.party = adult(&file, "visiting")?;
    let bookings = get(admin, base, &format!("/api/v1/cases/{}/bookings", ids.case)).await?;
    ids.booking = bookings
        .as_array()
        .and_then(|b| b.first())
        .map(|b| b["id"].clone())
        .ok_or_else(|| anyhow!("the released report's family has no sessions"))
        .and_then(|v| text(&v))?;

    // The parents' own family, from the parent's own account.
    let own = get(role(clients, "parent")?, base, "/api/v1/my-account").await?;
    let own = own
        .as_array()
        .and_then(|o| o.first())
        .ok_or_else(|| anyhow!("the parent has no account to show"))?;
    ids.invoice = text(&own["invoices"][0]["id"]).context("the parent's invoice")?;
    let paid = own["entries"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["kind"] == "payment"))
        .ok_or_else(|| anyhow!("the parent has no payment"))?;
    ids.entry = text(&paid["id"])?;
    ids.money_account = text(&paid["account"])?;
    let their_booking = text(&own["bookings"][0]["booking_id"]).context("the parent's sessions")?;
    let booking = get(admin, base, &format!("/api/v1/bookings/{their_booking}")).await?;
    ids.money_case = text(&booking["booking"]["case_id"]).context("the parent's case")?;

    let concerns = get(coordinator, base, "/api/v1/concerns").await?;
    ids.concern = text(&concerns[0]["id"]).context("no concern")?;

    // A family at the pre-visit stage: a pre-visit booked (or the one booked by an earlier run on a
    // kept dataset), then a notice ending its service.
    let early = get(admin, base, "/api/v1/cases?status=pre_visits").await?;
    // At the coordinator's centre where there is one, so the coordinator is the one measured.
    let early = early
        .as_array()
        .and_then(|c| c.iter().find(|c| c["centre_id"] == ids.centre.as_str()).or(c.first()))
        .ok_or_else(|| anyhow!("no family at the pre-visit stage"))?;
    ids.early = text(&early["id"])?;
    let early_centre = text(&early["centre_id"])?;
    let file = get(admin, base, &format!("/api/v1/cases/{}", ids.early)).await?;
    ids.pre_visit = match file["pre_visits"].as_array().and_then(|v| v.first()) {
        Some(visit) => text(&visit["id"])?,
        None => {
            book_pre_visit(
                admin,
                base,
                &ids.early,
                &early_centre,
                &adult(&file, "resident")?,
                &meets,
                today,
            )
            .await?
        }
    };
    let notices = get(admin, base, &format!("/api/v1/cases/{}/notices", ids.early)).await?;
    ids.notice = match notices["notices"].as_array().and_then(|n| n.first()) {
        Some(notice) => text(&notice["id"])?,
        None => {
            let effective = today.checked_add(2.days())?.to_string();
            let body = json!({"kind": "ended", "reason": "The family moved away.", "effective_on": effective});
            let (status, made) = post(admin, base, &format!("/api/v1/cases/{}/notices", ids.early), &body).await?;
            if status != 201 {
                bail!("ending the pre-visit family's service answered {status}: {made}");
            }
            text(&made["id"])?
        }
    };

    // Shown once when made: a calendar feed's address and a parent's invitation link.
    let body = json!({"user_id": null, "case_id": ids.case, "party_id": ids.party});
    let (status, feed) = post(coordinator, base, "/api/v1/calendar-feeds", &body).await?;
    if status == 201 {
        ids.feed = feed["url"]
            .as_str()
            .and_then(|u| u.split("/calendar/").nth(1))
            .map(str::to_owned);
    }
    let csrf = csrf(admin, base).await?;
    let visiting = adult(
        &get(admin, base, &format!("/api/v1/cases/{}", ids.early)).await?,
        "visiting",
    )?;
    let page = admin
        .post(format!("{base}/cases/{}/invites", ids.early))
        .form(&[("csrf_token", csrf.as_str()), ("invite_party", visiting.as_str())])
        .send()
        .await?
        .text()
        .await?;
    ids.invite = page.find("/self-referral/").map(|at| {
        page[at + "/self-referral/".len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    });

    // A document on the family's case: the released report's own PDF, uploaded through the page.
    let pdf = admin
        .get(format!("{base}/api/v1/reports/{}/pdf", ids.report))
        .send()
        .await?
        .bytes()
        .await?;
    ids.document = upload(admin, base, &ids.case, &csrf, &pdf).await?;
    Ok(ids)
}

/// The CSRF token the signed-in pages carry.
async fn csrf(client: &reqwest::Client, base: &str) -> Result<String> {
    let html = client.get(format!("{base}/account")).send().await?.text().await?;
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).ok_or_else(|| anyhow!("no CSRF token on /account"))? + marker.len();
    let end = html[start..].find('"').ok_or_else(|| anyhow!("CSRF token"))? + start;
    Ok(html[start..end].to_owned())
}

/// A pre-visit for the adult at the first free time tried in the coming weeks.
async fn book_pre_visit(
    admin: &reqwest::Client,
    base: &str,
    case: &str,
    centre: &str,
    party: &str,
    staff: &str,
    today: jiff::civil::Date,
) -> Result<String> {
    let rooms = get(admin, base, &format!("/api/v1/centres/{centre}/rooms")).await?;
    let room = rooms
        .as_array()
        .and_then(|r| r.iter().find(|r| r["kind"] == "family_room"))
        .map(|r| r["id"].clone())
        .ok_or_else(|| anyhow!("no family room at the pre-visit family's centre"))
        .and_then(|v| text(&v))?;
    let mut last = Value::Null;
    for (day, time) in (2..30).flat_map(|d| ["15:00", "12:30", "10:00"].map(|t| (d, t))) {
        let date = today.checked_add(day.days())?.to_string();
        let body = json!({"party_id": party, "date": date, "time": time, "room_id": room, "staff": [staff]});
        let (status, made) = post(admin, base, &format!("/api/v1/cases/{case}/pre-visits"), &body).await?;
        if (200..300).contains(&status) {
            let file = get(admin, base, &format!("/api/v1/cases/{case}")).await?;
            return text(&file["pre_visits"][0]["id"]).context("the pre-visit just booked");
        }
        last = made;
    }
    bail!("no pre-visit could be booked in the coming weeks: {last}")
}

/// Uploads `pdf` to the case through the page form (the API takes uploads only with a bearer
/// token); returns the new document's id, read from the case's documents afterwards.
async fn upload(admin: &reqwest::Client, base: &str, case: &str, csrf: &str, pdf: &[u8]) -> Result<String> {
    let boundary = "familytime-bench-boundary";
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"description\"\r\n\r\nCourt order\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"document\"; filename=\"order.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(pdf);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let page = admin
        .post(format!("{base}/cases/{case}/documents?csrf_token={csrf}"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await?;
    if !page.status().is_success() {
        bail!("uploading a document answered {}", page.status());
    }
    let html = page.text().await?;
    // The case page links each document as /documents/{id}.
    html.find("/documents/")
        .map(|at| {
            html[at + "/documents/".len()..]
                .chars()
                .take_while(|c| c.is_ascii_hexdigit() || *c == '-')
                .collect::<String>()
        })
        .filter(|id| !id.is_empty())
        .ok_or_else(|| anyhow!("the case page shows no document after the upload"))
}

/// The addresses to request for a route of the route table (a row each: the route itself, and
/// some with a query a page is often asked with), or why it cannot be filled.
pub fn fill(path: &str, ids: &Ids) -> Result<Vec<String>, String> {
    let (first, second): (&str, &str) = match path {
        "/setup/{token}" => {
            return Err("a setup link exists only while the database has no organisation".into());
        }
        "/set-password/{token}" => {
            return Err("a password link's secret is only in the message it was sent in".into());
        }
        "/print-queue/{id}/pdf" => {
            return Err("the dataset's adults all have e-mail addresses, so no letter waits to print".into());
        }
        p if p.starts_with("/static/") => ("app.css", ""),
        p if p.starts_with("/calendar/") => (
            ids.feed
                .as_deref()
                .ok_or("no calendar feed could be made to find its address")?,
            "",
        ),
        p if p.starts_with("/self-referral/") => (
            ids.invite
                .as_deref()
                .ok_or("the invitation link was not shown on the case page")?,
            "",
        ),
        p if p.contains("/centres/{id}") => (ids.centre.as_str(), ""),
        p if p.contains("/rooms/{id}") => (ids.room.as_str(), ""),
        p if p.contains("/users/{id}") || p.starts_with("/staff/") || p.starts_with("/api/v1/staff/") => {
            (ids.user.as_str(), "")
        }
        p if p.contains("/documents/{id}") => (ids.document.as_str(), ""),
        p if p.contains("/pre-visits/{id}") => (ids.pre_visit.as_str(), ""),
        p if p.contains("/bookings/{id}") => (ids.booking.as_str(), ""),
        p if p.contains("reports/{id}") => (ids.report.as_str(), ""),
        p if p.contains("/invoices/{id}") => (ids.invoice.as_str(), ""),
        p if p.contains("/concerns/{id}") => (ids.concern.as_str(), ""),
        p if p.contains("/notices/{id}") => (ids.notice.as_str(), "resident"),
        p if p.contains("/cases/{id}/service") || p.contains("/notices") => (ids.early.as_str(), ""),
        p if p.contains("/receipts/") => (ids.money_case.as_str(), ids.entry.as_str()),
        p if p.contains("/statements/") => (ids.money_case.as_str(), ids.money_account.as_str()),
        p if p.ends_with("/money") || p.ends_with("/account") => (ids.money_case.as_str(), ""),
        _ => (ids.case.as_str(), ""),
    };
    let filled = path
        .replace("{id}", first)
        .replace("{token}", first)
        .replace("{file}", first)
        .replace("{entry}", second)
        .replace("{account}", second)
        .replace("{recipient}", second)
        .replace("{party}", &ids.party);
    if filled.contains('{') {
        return Err(format!("no id for a placeholder in {filled}"));
    }
    let week_ahead = format!("from={}&days=7", ids.today);
    let queries: Vec<String> = match path {
        "/centres/{id}/calendar" => vec![String::new(), "?view=week".into()],
        "/api/v1/centres/{id}/calendar" => vec![format!("?{week_ahead}")],
        "/api/v1/cases/{id}/availability" => vec![
            format!("?kind=supervised&minutes=120&from={}&days=1", ids.today),
            format!("?kind=supervised&minutes=120&from={}&days=30", ids.today),
        ],
        "/cases" | "/api/v1/cases" => vec![String::new(), "?status=accepted".into()],
        "/concerns" | "/api/v1/concerns" => vec![String::new(), "?status=open".into()],
        _ => vec![String::new()],
    };
    Ok(queries.into_iter().map(|q| format!("{filled}{q}")).collect())
}
