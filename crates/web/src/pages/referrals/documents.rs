//! A case's documents: the upload form read (from the case page and the API), and a download sent
//! as an attachment.

use super::case_file::{case_page_kept, done};
use crate::pages::{FormData, PageResult};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use familytime_app::referrals;
use familytime_domain::text::FieldErrors;

/// Reads an upload form: the file (its name and bytes) and its description.
pub async fn read_upload(multipart: axum::extract::Multipart) -> Result<(String, Vec<u8>, String), AppError> {
    let (name, bytes, description) = read_upload_parts(multipart).await?;
    let bytes = chosen_file(bytes)?;
    Ok((name, bytes, description))
}

/// The file an upload chose, or the error that asks for one.
fn chosen_file(bytes: Option<Vec<u8>>) -> Result<Vec<u8>, AppError> {
    bytes
        .filter(|b| !b.is_empty())
        .ok_or_else(|| AppError::Invalid(FieldErrors::single("document", "Choose a file to upload")))
}

/// Every part of an upload form, the file not yet checked (so a refused upload can keep what was
/// typed beside it).
async fn read_upload_parts(
    mut multipart: axum::extract::Multipart,
) -> Result<(String, Option<Vec<u8>>, String), AppError> {
    let (mut name, mut bytes, mut description) = (String::new(), None, String::new());
    loop {
        let field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => return Err(AppError::PayloadTooLarge),
            Err(_) => return Err(AppError::BadRequest("The upload could not be read. Try again.".into())),
        };
        match field.name() {
            Some("document") => {
                name = field.file_name().unwrap_or("document").to_owned();
                bytes = Some(field.bytes().await.map_err(|e| {
                    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                        AppError::PayloadTooLarge
                    } else {
                        AppError::BadRequest("The upload could not be read. Try again.".into())
                    }
                })?);
            }
            Some("description") => description = field.text().await.unwrap_or_default(),
            _ => {}
        }
    }
    Ok((name, bytes.map(|b| b.to_vec()), description))
}

pub async fn upload_document(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    multipart: axum::extract::Multipart,
) -> PageResult {
    let (name, bytes, description) = read_upload_parts(multipart).await?;
    let result = match chosen_file(bytes) {
        Ok(bytes) => referrals::upload_document(&state, &caller, &id, &name, &bytes, &description)
            .await
            .map(|_| ()),
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(done(&id, "uploaded")),
        Err(AppError::Invalid(errors)) => {
            let kept = FormData::from_pairs(vec![("description", description)]);
            case_page_kept(&state, &caller, &id, errors, kept).await
        }
        Err(other) => Err(other.into()),
    }
}

/// A download: always as an attachment (under the name the server made at upload), with the type
/// decided from the content at upload and `nosniff` (set here too, so a download never depends on
/// the general headers layer to stop a browser guessing).
pub fn document_response(doc: &familytime_store::documents::Document, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::{HeaderValue, header};
    let disposition =
        HeaderValue::from_str(&attachment(&doc.name)).unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(doc.kind.content_type())),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff")),
        ],
        bytes,
    )
        .into_response()
}

/// `attachment` with the name twice (RFC 6266): plain ASCII for old clients (anything else, and
/// quotes, backslashes and percent signs, become `_`), and the exact name percent-encoded as UTF-8.
fn attachment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if (c.is_ascii_graphic() || c == ' ') && !matches!(c, '"' | '\\' | '%') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for byte in name.bytes() {
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

pub async fn download_document(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> PageResult {
    let (doc, bytes) = referrals::download_document(&state, &caller, &id).await?;
    Ok(document_response(&doc, bytes))
}
