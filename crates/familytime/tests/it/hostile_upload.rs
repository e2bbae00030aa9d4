//! Hostile uploads (issue 16, finding 6): each file that was accepted and should not have been (a PDF
//! that is an HTML page, a .docx that inflates to a gibibyte, a 30,000 × 30,000 PNG) and each that
//! could hurt whoever opens it is refused through the API and through the case page's form, with
//! nothing stored; valid files of every kind are still accepted and come back, from both download
//! routes, as attachments with `nosniff` and the type decided at upload.

/// The test files, made in memory: the same file the domain's unit tests use.
#[path = "../../../domain/src/documents_test_files.rs"]
pub mod files;

use crate::harness::{Org, TestApp, json_of};
use crate::referrals::referral;
use familytime_domain::ids::CaseId;
use familytime_domain::people::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

fn upload(name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .part("document", Part::bytes(bytes).file_name(name.to_owned()))
        .text("description", "From the court")
}

/// A case, a coordinator signed in to the pages (with the form's token) and the same coordinator's
/// API token.
struct Office {
    app: TestApp,
    org: Org,
    case: String,
    page: reqwest::Client,
    csrf: String,
    bearer: reqwest::Client,
    token: String,
}

/// The page takes an upload by going back to the case page, which says it was uploaded.
fn assert_uploaded(page: &reqwest::Response) {
    assert_eq!(page.status(), StatusCode::SEE_OTHER, "{}", page.url());
    let to = page.headers()["location"].to_str().unwrap();
    assert!(to.ends_with("?done=uploaded"), "{to}");
}

impl Office {
    async fn open() -> Office {
        let app = TestApp::spawn().await;
        let org = app.seed_organisation("Riverside").await;
        app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
        let page = app.client();
        let csrf = app.page_login(&page, "jo@riverside.example").await;
        let (status, created) = json_of(
            page.post(app.url("/api/v1/referrals"))
                .json(&referral(&org.centre.to_string()))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let case = created["id"].as_str().unwrap().to_owned();
        let (status, token) = json_of(
            page.post(app.url("/api/v1/tokens"))
                .json(&serde_json::json!({"name": "scanner"}))
                .send()
                .await
                .unwrap(),
        )
        .await;
        assert_eq!(status, StatusCode::CREATED, "{token}");
        let token = token["token"].as_str().unwrap().to_owned();
        Office {
            app,
            org,
            case,
            page,
            csrf,
            bearer: reqwest::Client::new(),
            token,
        }
    }

    async fn api_upload(&self, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.bearer
            .post(self.app.url(&format!("/api/v1/cases/{}/documents", self.case)))
            .bearer_auth(&self.token)
            .multipart(upload(name, bytes))
            .send()
            .await
            .unwrap()
    }

    async fn page_upload(&self, name: &str, bytes: Vec<u8>) -> reqwest::Response {
        self.page
            .post(
                self.app
                    .url(&format!("/cases/{}/documents?csrf_token={}", self.case, self.csrf)),
            )
            .multipart(upload(name, bytes))
            .send()
            .await
            .unwrap()
    }

    /// The case's documents as the store has them, and the files in the documents directory.
    async fn stored(&self) -> (Vec<familytime_store::documents::Document>, Vec<String>) {
        let case = CaseId::parse(&self.case).unwrap();
        let rows = self.app.store.documents(self.org.id, case).await.unwrap();
        let files = match std::fs::read_dir(self.app.documents_dir()) {
            Ok(entries) => entries
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect(),
            Err(_) => Vec::new(),
        };
        (rows, files)
    }
}

/// The document links on a case page.
fn links(page: &str) -> Vec<String> {
    page.match_indices("href=\"/documents/")
        .map(|(at, _)| page[at + "href=\"".len()..].chars().take_while(|c| *c != '"').collect())
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_upload_files_are_refused_by_the_api_and_the_form_and_nothing_is_stored() {
    let office = Office::open().await;
    let hostile: [(&str, Vec<u8>, &str); 11] = [
        ("order.pdf", files::pdf_html_polyglot(), "The PDF cannot be read"),
        ("order.pdf", files::pdf_with_html_inside(), "web page code"),
        ("order.pdf", files::pdf_with_javascript(), "contains scripts"),
        ("order.pdf", files::pdf_with_launch(), "start programs"),
        ("order.pdf", files::pdf_with_attachment(), "attached files"),
        ("statement.docx", files::docx_bomb(), "too large when unpacked"),
        ("statement.docx", files::docx_with_many_parts(), "too many parts"),
        ("statement.docx", files::docx_with_macros(), "macros"),
        ("photo.png", files::png_huge(), "at most 64 megapixels"),
        ("photo.jpg", files::jpeg_huge(), "at most 64 megapixels"),
        ("drawing.svg", files::svg_with_script(), "must be a PDF"),
    ];
    // Every file is tried both ways before anything is asserted, so a failure lists them all.
    let mut wrong = Vec::new();
    for (name, bytes, message) in hostile {
        let (status, body) = json_of(office.api_upload(name, bytes.clone()).await).await;
        let field = &body["error"]["fields"][0];
        if status != StatusCode::UNPROCESSABLE_ENTITY
            || field["field"] != "document"
            || !field["message"].as_str().unwrap_or("").contains(message)
        {
            wrong.push(format!("API, {message}: {status} {body}"));
        }

        let page = office.page_upload(name, bytes).await;
        let status = page.status();
        let page = page.text().await.unwrap();
        let summary = &page[page.find("error-summary").unwrap_or(0)..];
        if status != StatusCode::UNPROCESSABLE_ENTITY
            || !summary.contains("There is a problem")
            || !summary.contains(message)
            || !links(&page).is_empty()
        {
            wrong.push(format!("form, {message}: {status}"));
        }
    }
    assert!(wrong.is_empty(), "not refused as they should be: {wrong:#?}");
    let (rows, written) = office.stored().await;
    assert!(rows.is_empty(), "no document row: {rows:?}");
    assert!(written.is_empty(), "no file written: {written:?}");
    office.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_upload_path_in_a_file_name_goes_nowhere() {
    let office = Office::open().await;
    let r = office.api_upload("../../../../etc/cron.d/evil.pdf", files::pdf()).await;
    let (status, created) = json_of(r).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let page = office
        .page_upload("..\\..\\..\\Windows\\System32\\evil.pdf", files::pdf())
        .await;
    assert_uploaded(&page);

    let (rows, written) = office.stored().await;
    assert_eq!(
        rows.iter().map(|d| d.name.as_str()).collect::<Vec<_>>(),
        ["evil.pdf", "evil.pdf"]
    );
    // Only files named by the server (document ids) are written, in the documents directory.
    let mut ids: Vec<String> = rows.iter().map(|d| d.id.clone()).collect();
    let mut written = written;
    ids.sort();
    written.sort();
    assert_eq!(written, ids);
    let above = office.app.documents_dir().join("..");
    let beside: Vec<String> = std::fs::read_dir(&above)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("evil") || n == "etc" || n == "Windows")
        .collect();
    assert!(beside.is_empty(), "{beside:?}");

    let download = office
        .bearer
        .get(
            office
                .app
                .url(&format!("/api/v1/documents/{}", created["id"].as_str().unwrap())),
        )
        .bearer_auth(&office.token)
        .send()
        .await
        .unwrap();
    assert_eq!(
        download.headers()["content-disposition"],
        "attachment; filename=\"evil.pdf\"; filename*=UTF-8''evil.pdf"
    );
    office.app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_upload_valid_files_are_accepted_and_download_as_attachments() {
    let office = Office::open().await;
    let valid: [(&str, Vec<u8>, &str); 4] = [
        ("Ordonnance été.pdf", files::pdf(), "application/pdf"),
        (
            "statement.docx",
            files::docx(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("photo.png", files::png(), "image/png"),
        ("photo.jpg", files::jpeg(), "image/jpeg"),
    ];
    let mut seen = Vec::new();
    for (name, bytes, content_type) in valid {
        // Through the API.
        let (status, created) = json_of(office.api_upload(name, bytes.clone()).await).await;
        assert_eq!(status, StatusCode::CREATED, "{name}: {created}");
        let api_link = format!("/api/v1/documents/{}", created["id"].as_str().unwrap());
        // Through the case page's form.
        let page = office.page_upload(name, bytes.clone()).await;
        assert_uploaded(&page);
        let page = crate::harness::follow(&office.app, &office.page, page)
            .await
            .text()
            .await
            .unwrap();
        assert!(page.contains("Document uploaded"), "{name}");
        let new: Vec<String> = links(&page).into_iter().filter(|l| !seen.contains(l)).collect();
        seen.extend(links(&page));
        assert_eq!(
            new.len(),
            2,
            "{name}: the API's upload and the form's are listed: {new:?}"
        );
        let page_link = new
            .into_iter()
            .find(|l| !api_link.ends_with(l.trim_start_matches("/documents")))
            .unwrap();

        for download in [
            office
                .bearer
                .get(office.app.url(&api_link))
                .bearer_auth(&office.token)
                .send()
                .await
                .unwrap(),
            office.page.get(office.app.url(&page_link)).send().await.unwrap(),
        ] {
            assert_eq!(download.status(), StatusCode::OK, "{name}");
            let headers = download.headers().clone();
            assert_eq!(headers["content-type"], content_type, "{name}");
            assert_eq!(headers["x-content-type-options"], "nosniff", "{name}");
            let disposition = headers["content-disposition"].to_str().unwrap();
            assert!(disposition.starts_with("attachment; filename=\""), "{disposition}");
            if !name.is_ascii() {
                assert_eq!(
                    disposition,
                    "attachment; filename=\"Ordonnance _t_.pdf\"; filename*=UTF-8''Ordonnance%20%C3%A9t%C3%A9.pdf",
                    "a name that is not plain ASCII is offered exactly (RFC 6266), with a plain fallback"
                );
            }
            let served = download.bytes().await.unwrap();
            if content_type.starts_with("image/") {
                assert!(
                    !served.windows(10).any(|w| w == b"GPS-CANARY"),
                    "{name}: no location in the served copy"
                );
                assert!(
                    served.len() > 20 && served.len() < bytes.len(),
                    "{name}: the image itself is kept"
                );
            } else {
                assert_eq!(served.as_ref(), bytes.as_slice(), "{name}: byte-identical");
            }
        }
    }
    let (rows, written) = office.stored().await;
    assert_eq!((rows.len(), written.len()), (8, 8));
    office.app.finish().await;
}
