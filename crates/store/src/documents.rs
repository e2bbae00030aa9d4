//! Documents: their rows in the database and their bytes in the data directory, under names the
//! server makes (the document's id), never the uploader's file name.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::documents::DocumentKind;
use familytime_domain::ids::{CaseId, OrganisationId};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub case_id: CaseId,
    pub kind: DocumentKind,
    pub name: String,
    pub description: Option<String>,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: Timestamp,
}

/// A document to keep, already checked (and cleaned) by the domain's rules.
pub struct NewDocument<'a> {
    pub kind: DocumentKind,
    pub name: &'a str,
    pub description: Option<&'a str>,
    pub bytes: &'a [u8],
}

#[derive(sqlx::FromRow)]
struct DocumentRow {
    id: String,
    case_id: String,
    kind: String,
    name: String,
    description: Option<String>,
    size_bytes: i64,
    sha256: String,
    uploaded_at: i64,
}

impl TryFrom<DocumentRow> for Document {
    type Error = StoreError;
    fn try_from(r: DocumentRow) -> Result<Self> {
        let bad = || StoreError::Database("unreadable document row".into());
        Ok(Document {
            case_id: CaseId::parse(&r.case_id).map_err(|_| bad())?,
            kind: DocumentKind::parse(&r.kind).ok_or_else(bad)?,
            id: r.id,
            name: r.name,
            description: r.description,
            size_bytes: r.size_bytes,
            sha256: r.sha256,
            uploaded_at: ts(r.uploaded_at),
        })
    }
}

fn io(err: std::io::Error) -> StoreError {
    StoreError::Unavailable(format!("document storage: {}", err.kind()))
}

/// The file for a document id (ids are UUIDs the server made, so they are safe as file names).
fn file_for(dir: &Path, id: &str) -> Result<PathBuf> {
    if id.is_empty() || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-') {
        return Err(StoreError::NotFound);
    }
    Ok(dir.join(id))
}

impl Store {
    /// Writes the file (to a temporary name, synced, then renamed) and then its row; if the row
    /// cannot be written, the file is removed again.
    pub async fn add_document(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        case: CaseId,
        dir: &Path,
        doc: &NewDocument<'_>,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let path = file_for(dir, &id)?;
        let bytes = doc.bytes.to_vec();
        let (dir_owned, path_owned) = (dir.to_path_buf(), path.clone());
        tokio::task::spawn_blocking(move || -> std::io::Result<()> {
            std::fs::create_dir_all(&dir_owned)?;
            let temp = path_owned.with_extension("partial");
            let mut file = std::fs::File::create(&temp)?;
            file.write_all(&bytes)?;
            file.sync_all()?;
            std::fs::rename(&temp, &path_owned)
        })
        .await
        .map_err(|_| StoreError::Unavailable("document storage".into()))?
        .map_err(io)?;
        let sha = hex::encode(Sha256::digest(doc.bytes));
        let mut tx = self.begin().await?;
        let inserted = crate::exec_tx!(tx, |c| {
            sqlx::query(
            "INSERT INTO documents (organisation_id, id, case_id, kind, name, description, size_bytes, sha256, uploaded_by, uploaded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(case.to_string())
        .bind(doc.kind.as_str())
        .bind(doc.name)
        .bind(doc.description)
        .bind(doc.bytes.len() as i64)
        .bind(&sha)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await
        });
        let result = match inserted {
            Ok(_) => match tx
                .audit(scope, AuditEvent::ok("document.upload", "document", &id))
                .await
            {
                Ok(()) => tx.commit().await,
                Err(e) => Err(e),
            },
            Err(e) => Err(StoreError::from(e)),
        };
        if result.is_err() {
            let _ = std::fs::remove_file(&path);
        }
        result.map(|()| id)
    }

    /// The case's documents, newest first.
    pub async fn documents(&self, organisation: OrganisationId, case: CaseId) -> Result<Vec<Document>> {
        let rows: Vec<DocumentRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, case_id, kind, name, description, size_bytes, sha256, uploaded_at FROM documents
             WHERE organisation_id = $1 AND case_id = $2 ORDER BY uploaded_at DESC, id DESC"
        )
        .bind(organisation.to_string())
        .bind(case.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(Document::try_from).collect()
    }

    pub async fn document(&self, organisation: OrganisationId, id: &str) -> Result<Document> {
        let row: DocumentRow = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, case_id, kind, name, description, size_bytes, sha256, uploaded_at FROM documents
             WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id)
        .fetch_one(p)
        .await)?;
        row.try_into()
    }

    /// A document's bytes, checked against the hash recorded when it was uploaded; the download is
    /// audited before the bytes are returned.
    pub async fn read_document(&self, scope: &AuditScope, dir: &Path, doc: &Document) -> Result<Vec<u8>> {
        let path = file_for(dir, &doc.id)?;
        let bytes = tokio::task::spawn_blocking(move || std::fs::read(path))
            .await
            .map_err(|_| StoreError::Unavailable("document storage".into()))?
            .map_err(io)?;
        if hex::encode(Sha256::digest(&bytes)) != doc.sha256 {
            return Err(StoreError::Database(format!(
                "document {} does not match its recorded hash",
                doc.id
            )));
        }
        self.audit(scope, AuditEvent::ok("document.download", "document", &doc.id))
            .await?;
        Ok(bytes)
    }
}
