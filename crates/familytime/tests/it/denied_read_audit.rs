//! Refused reads are audited naming what was asked for (issue 16, finding 4): people who may not see
//! a family's case, document, session or report (a parent, the referrer, a supervisor at another
//! centre, another organisation's coordinator) ask for each, get 403 or 404, and the audit log holds
//! a denied entry with that object's id, so "who tried to see this family" can be answered.

use crate::harness::{PASSWORD, csrf_in};
use crate::records::{after_the_session, ran_session};
use crate::schedule::{fixture, get, post};
use familytime_app::people::{NewUserInput, add_user};
use familytime_domain::people::Role;
use familytime_domain::tenancy::CentreDetails;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use serde_json::json;

/// A small PDF that any PDF reader accepts (its cross-reference table is computed, not guessed).
fn small_pdf() -> Vec<u8> {
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ];
    let mut pdf = String::from("%PDF-1.4\n");
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(pdf.len());
        pdf.push_str(&format!("{} 0 obj\n{body}\nendobj\n", i + 1));
    }
    let xref = pdf.len();
    pdf.push_str(&format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1));
    for offset in offsets {
        pdf.push_str(&format!("{offset:010} 00000 n \n"));
    }
    pdf.push_str(&format!(
        "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
        objects.len() + 1
    ));
    pdf.into_bytes()
}

#[tokio::test(flavor = "multi_thread")]
async fn denied_read_audit_names_the_case_document_booking_and_report_asked_for() {
    let f = fixture().await;
    let ran = ran_session(&f, "supervised").await;
    after_the_session(&f, &ran).await;

    // The family's objects: the case, a document on it, its session and a report of the session.
    let upload = Form::new().part(
        "document",
        Part::bytes(small_pdf())
            .file_name("court order.pdf")
            .mime_str("application/pdf")
            .unwrap(),
    );
    // Uploaded through the page (the API takes uploads with a bearer token only).
    let account =
        f.jo.get(f.app.url("/account"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
    let csrf = csrf_in(&account).expect("the signed-in page carries a CSRF token");
    let sent =
        f.jo.post(f.app.url(&format!("/cases/{}/documents?csrf_token={csrf}", ran.case)))
            .multipart(upload)
            .send()
            .await
            .unwrap();
    let page = crate::harness::follow(&f.app, &f.jo, sent).await.text().await.unwrap();
    let at = page
        .find("href=\"/documents/")
        .expect("the uploaded document is listed")
        + "href=\"/documents/".len();
    let document: String = page[at..].chars().take_while(|c| *c != '"' && *c != '/').collect();
    let b = &ran.booking;
    let (status, saved) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/bookings/{b}/observation"),
        json!({
            "sections": {
                "arrival": "Both arrived on time.",
                "interaction": "They played a board game together.",
                "ending": "A warm goodbye."
            },
            "checklist": ["No photographs or recordings were taken", "Phones were put away"],
            "version": 0
        }),
    )
    .await;
    assert!(status.is_success(), "{saved}");
    let record = saved["id"].as_str().unwrap().to_owned();
    let (status, signed) = post(
        &f.app,
        &ran.sam,
        &format!("/api/v1/observations/{record}/sign"),
        json!({"version": 1}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{signed}");
    let (status, report) = post(
        &f.app,
        &f.jo,
        &format!("/api/v1/cases/{}/reports", ran.case),
        json!({"kind": "session", "title": "Session report", "summary": "Contact went well.", "records": [record]}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{report}");
    let report = report["id"].as_str().unwrap().to_owned();

    let asks = [
        ("case", format!("/api/v1/cases/{}", ran.case), ran.case.clone()),
        ("document", format!("/api/v1/documents/{document}"), document.clone()),
        ("booking", format!("/api/v1/bookings/{b}"), b.clone()),
        ("report", format!("/api/v1/reports/{report}"), report.clone()),
    ];
    // The positive control: the coordinator sees each of them, so the ids and routes are real.
    for (kind, path, _) in &asks {
        let response = f.jo.get(f.app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "the coordinator reads the {kind}");
    }

    // Those who may not see them: a parent with an account, the referrer (who may follow the
    // referral, not read the file), a supervisor at another centre, another organisation's coordinator.
    f.app.seed_user(&f.org, Role::Parent, "pat@riverside.example").await;
    let elsewhere = {
        let scope = f.app.seed_scope(Some(f.org.id));
        let mut tx = f.app.store.begin().await.unwrap();
        let details = CentreDetails::parse("Hilltop Centre", "2 Canary Street", "Europe/London").unwrap();
        let centre = tx.insert_centre(&scope, f.org.id, &details).await.unwrap();
        tx.commit().await.unwrap();
        centre
    };
    let input = NewUserInput {
        email: "hal@riverside.example".into(),
        name: "Hal Hilltop".into(),
        role: Role::Supervisor.as_str().into(),
        password: PASSWORD.into(),
        centre_ids: vec![elsewhere.to_string()],
    };
    add_user(&f.app.store, &f.app.seed_scope(Some(f.org.id)), f.org.id, &input)
        .await
        .map_err(|e| e.message())
        .unwrap();
    let hillside = f.app.seed_organisation("Hillside").await;
    f.app
        .seed_user(&hillside, Role::Coordinator, "kim@hillside.example")
        .await;

    let people = [
        ("pat@riverside.example", f.org.id),
        ("ria@cafcass.example", f.org.id),
        ("hal@riverside.example", f.org.id),
        ("kim@hillside.example", hillside.id),
    ];
    let mut missing = Vec::new();
    for (email, org) in people {
        let client = f.app.client();
        f.app.api_login(&client, email).await;
        let (_, me) = get(&f.app, &client, "/api/v1/me").await;
        let actor = me["user"]["id"].as_str().unwrap().to_owned();
        for (kind, path, id) in &asks {
            let status = client.get(f.app.url(path)).send().await.unwrap().status();
            assert!(
                status == StatusCode::FORBIDDEN || status == StatusCode::NOT_FOUND,
                "{email} asking for the {kind} got {status}"
            );
            let entries = f.app.store.audit_entries(org, None, 500).await.unwrap();
            let named = entries.iter().any(|e| {
                e.outcome == "denied"
                    && e.actor_user_id.as_deref() == Some(actor.as_str())
                    && e.object_id.as_deref() == Some(id.as_str())
            });
            if !named {
                missing.push(format!(
                    "{email} refused the {kind} ({status}): no denied entry naming it"
                ));
            }
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
    f.app.finish().await;
}
