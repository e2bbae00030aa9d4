//! Documents on a case: the kind is decided by content, photos lose their location, uploads are
//! size-limited and need the form's token, and downloads are attachments, audited, for staff only.

use crate::harness::{TestApp, json_of};
use crate::referrals::referral;
use familytime_domain::people::Role;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

fn jpeg_with_gps() -> Vec<u8> {
    crate::hostile_upload::files::jpeg()
}

fn upload(name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .part("document", Part::bytes(bytes).file_name(name.to_owned()))
        .text("description", "Court order")
}

#[tokio::test(flavor = "multi_thread")]
async fn documents_are_checked_cleaned_and_downloaded_only_by_staff() {
    let app = TestApp::spawn().await;
    let org = app.seed_organisation("Riverside").await;
    app.seed_user(&org, Role::Coordinator, "jo@riverside.example").await;
    app.seed_user(&org, Role::Volunteer, "val@riverside.example").await;
    app.seed_user(&org, Role::Referrer, "fca@cafcass.example").await;
    let jo = app.client();
    let csrf = app.page_login(&jo, "jo@riverside.example").await;
    let (_, created) = json_of(
        jo.post(app.url("/api/v1/referrals"))
            .json(&referral(&org.centre.to_string()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let case = created["id"].as_str().unwrap().to_owned();
    let upload_url = app.url(&format!("/cases/{case}/documents?csrf_token={csrf}"));

    let no_token = jo
        .post(app.url(&format!("/cases/{case}/documents")))
        .multipart(upload("photo.jpg", jpeg_with_gps()))
        .send()
        .await
        .unwrap();
    assert_eq!(
        no_token.status(),
        StatusCode::FORBIDDEN,
        "an upload needs the form's token"
    );

    let disguised = jo
        .post(&upload_url)
        .multipart(upload("order.pdf", b"MZ\x90\0 not a pdf at all".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(disguised.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(disguised.text().await.unwrap().contains("must be a PDF"));
    let svg = jo
        .post(&upload_url)
        .multipart(upload("x.png", b"<svg onload=alert(1)>".to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(svg.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let huge = jo
        .post(&upload_url)
        .multipart(upload(
            "big.pdf",
            [b"%PDF-1.7 ".to_vec(), vec![b'x'; 11 * 1024 * 1024]].concat(),
        ))
        .send()
        .await;
    if let Ok(r) = huge {
        assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(r.headers()["connection"], "close");
    }
    let (_, file) = json_of(jo.get(app.url(&format!("/api/v1/cases/{case}"))).send().await.unwrap()).await;
    assert!(file.to_string().contains("Mia Price"));

    let ok = jo
        .post(&upload_url)
        .multipart(upload("../../photo of order.jpg", jpeg_with_gps()))
        .send()
        .await
        .unwrap();
    let ok = crate::harness::follow(&app, &jo, ok).await;
    assert_eq!(ok.status(), StatusCode::OK);
    let page = ok.text().await.unwrap();
    assert!(
        page.contains("photo of order.jpg") && page.contains("Document uploaded"),
        "{page}"
    );
    let at = page.find("href=\"/documents/").unwrap() + "href=\"".len();
    let link: String = page[at..].chars().take_while(|c| *c != '"').collect();

    let download = jo.get(app.url(&link)).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.headers()["content-type"], "image/jpeg");
    assert_eq!(download.headers()["x-content-type-options"], "nosniff");
    assert!(
        download.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let bytes = download.bytes().await.unwrap();
    assert!(
        !bytes.windows(10).any(|w| w == b"GPS-CANARY"),
        "no location in the served copy"
    );
    assert!(bytes.ends_with(&[0x3F, 0xFF, 0xD9]), "the picture itself is kept");
    let entries = app.store.audit_entries(org.id, None, 200).await.unwrap();
    assert!(
        entries.iter().any(|e| e.action == "document.download")
            && entries.iter().any(|e| e.action == "document.upload")
    );

    for who in ["val@riverside.example", "fca@cafcass.example"] {
        let client = app.client();
        app.api_login(&client, who).await;
        assert_eq!(
            client.get(app.url(&link)).send().await.unwrap().status(),
            StatusCode::FORBIDDEN,
            "{who}"
        );
    }
    assert_eq!(
        app.client().get(app.url(&link)).send().await.unwrap().status(),
        StatusCode::SEE_OTHER,
        "signed out: sign in first"
    );

    // Through the API, with a bearer token.
    let (_, token) = json_of(
        jo.post(app.url("/api/v1/tokens"))
            .json(&serde_json::json!({"name": "scanner"}))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let bearer = reqwest::Client::new();
    let r = bearer
        .post(app.url(&format!("/api/v1/cases/{case}/documents")))
        .bearer_auth(token["token"].as_str().unwrap())
        .multipart(upload("order.pdf", crate::hostile_upload::files::pdf()))
        .send()
        .await
        .unwrap();
    let (status, doc) = json_of(r).await;
    assert_eq!(status, StatusCode::CREATED, "{doc}");
    let pdf = bearer
        .get(app.url(&format!("/api/v1/documents/{}", doc["id"].as_str().unwrap())))
        .bearer_auth(token["token"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert_eq!(
        pdf.bytes().await.unwrap().as_ref(),
        crate::hostile_upload::files::pdf().as_slice(),
        "the PDF comes back byte for byte"
    );
    app.finish().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn another_organisations_documents_are_not_found() {
    let app = TestApp::spawn().await;
    let mine = app.seed_organisation("Riverside").await;
    let theirs = app.seed_organisation("Hillside").await;
    app.seed_user(&mine, Role::Coordinator, "jo@riverside.example").await;
    app.seed_user(&theirs, Role::Coordinator, "kim@hillside.example").await;
    let kim = app.client();
    let csrf = app.page_login(&kim, "kim@hillside.example").await;
    let (_, created) = json_of(
        kim.post(app.url("/api/v1/referrals"))
            .json(&referral(&theirs.centre.to_string()))
            .send()
            .await
            .unwrap(),
    )
    .await;
    let case = created["id"].as_str().unwrap();
    let sent = kim
        .post(app.url(&format!("/cases/{case}/documents?csrf_token={csrf}")))
        .multipart(upload("o.pdf", crate::hostile_upload::files::pdf()))
        .send()
        .await
        .unwrap();
    let page = crate::harness::follow(&app, &kim, sent).await.text().await.unwrap();
    let at = page.find("href=\"/documents/").unwrap() + "href=\"".len();
    let link: String = page[at..].chars().take_while(|c| *c != '"').collect();
    // The control: the same request from someone who may read the case gets the file, byte for
    // byte, so the 404 below is about whose document it is and not a broken link or upload.
    let own = kim.get(app.url(&link)).send().await.unwrap();
    assert_eq!(own.status(), StatusCode::OK);
    assert_eq!(own.headers()["content-type"], "application/pdf");
    assert_eq!(
        own.bytes().await.unwrap().as_ref(),
        crate::hostile_upload::files::pdf().as_slice()
    );
    let jo = app.client();
    app.api_login(&jo, "jo@riverside.example").await;
    assert_eq!(
        jo.get(app.url(&link)).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
    app.finish().await;
}
