//! Documents on a case: papers uploaded (accepted by their content), listed and downloaded.

use crate::case_files::{case_file, file_org};
use crate::{AppError, AppState, Caller, found};
use familytime_domain::authz::Action;
use familytime_domain::text::{self, FieldErrors};

/// Keeps a document on a case: its kind is decided by its content, images lose their metadata, and
/// it is stored under a name the server makes.
pub async fn upload_document(
    state: &AppState,
    caller: &Caller,
    id: &str,
    file_name: &str,
    bytes: &[u8],
    description: &str,
) -> Result<String, AppError> {
    let file = case_file(state, caller, id, Action::ManageCases).await?;
    // Parsing a PDF or inflating a Word document can take a while: not on the request threads.
    let owned = bytes.to_vec();
    let checked = tokio::task::spawn_blocking(move || familytime_domain::documents::accept(&owned))
        .await
        .map_err(|_| AppError::Internal("document check"))?;
    let (kind, kept) = checked.map_err(|refusal| match refusal {
        familytime_domain::documents::Refusal::TooLarge => AppError::PayloadTooLarge,
        other => AppError::Invalid(FieldErrors::single("document", other.to_string())),
    })?;
    let description = text::optional("the description", description, 500)
        .map_err(|m| AppError::Invalid(FieldErrors::single("description", m)))?;
    let name = familytime_domain::documents::display_name(file_name, kind);
    let doc = familytime_store::documents::NewDocument {
        kind,
        name: &name,
        description: description.as_deref(),
        bytes: &kept,
    };
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .add_document(
            &scope,
            file_org(caller)?,
            file.summary.id,
            &state.config.documents_dir,
            &doc,
        )
        .await?)
}

/// The documents on a case (for people who may read the case file).
pub async fn documents(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> Result<Vec<familytime_store::documents::Document>, AppError> {
    let file = case_file(state, caller, id, Action::ViewCases).await?;
    Ok(state.store.documents(file_org(caller)?, file.summary.id).await?)
}

/// A document's bytes, for someone who may read its case file; the download is audited.
pub async fn download_document(
    state: &AppState,
    caller: &Caller,
    document: &str,
) -> Result<(familytime_store::documents::Document, Vec<u8>), AppError> {
    let org = file_org(caller)?;
    let doc = found(
        state,
        caller,
        state.store.document(org, document).await,
        "document",
        document,
    )
    .await?;
    case_file(state, caller, &doc.case_id.to_string(), Action::ViewCases).await?;
    let bytes = state
        .store
        .read_document(&caller.scope(state.clock.now()), &state.config.documents_dir, &doc)
        .await?;
    Ok((doc, bytes))
}
