//! The store's errors, without the personal data a database message can carry; every module of the
//! store answers with them (their own module, so none needs the crate root for them).

/// What went wrong, without the personal data a database message can carry (PostgreSQL repeats the
/// offending values in its error details, so those are never kept).
/// (`Clone`: a group commit's outcome is given to each of its members.)
#[derive(Debug, Clone, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// A uniqueness rule was broken; the message says which, in plain words.
    #[error("{0}")]
    Conflict(String),
    /// The row changed since the caller read it (optimistic concurrency).
    #[error("this record was changed by someone else since it was opened")]
    Stale,
    /// Another transaction got in the way (a deadlock or serialization failure on PostgreSQL);
    /// nothing was written and the same request may simply be tried again.
    #[error("someone else changed the same records at the same moment")]
    Contended,
    #[error("configuration: {0}")]
    Config(String),
    #[error("the database is unavailable ({0})")]
    Unavailable(String),
    #[error("database error ({0})")]
    Database(String),
}

impl StoreError {
    /// Turns a uniqueness violation into `Conflict(message)`; anything else as `from`.
    pub(crate) fn unique(err: sqlx::Error, message: &str) -> StoreError {
        match &err {
            sqlx::Error::Database(db) if db.is_unique_violation() => StoreError::Conflict(message.to_owned()),
            _ => StoreError::from(err),
        }
    }
}

impl From<sqlx::Error> for StoreError {
    fn from(err: sqlx::Error) -> Self {
        match err {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            // 40001 serialization failure, 40P01 deadlock: PostgreSQL rolled the transaction back.
            sqlx::Error::Database(db) if matches!(db.code().as_deref(), Some("40001" | "40P01")) => {
                StoreError::Contended
            }
            sqlx::Error::Database(db) => StoreError::Database(format!(
                "code {}, constraint {}",
                db.code().as_deref().unwrap_or("-"),
                db.constraint().unwrap_or("-")
            )),
            sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => {
                StoreError::Unavailable(kind_of(&err))
            }
            other => StoreError::Database(kind_of(&other)),
        }
    }
}

fn kind_of(err: &sqlx::Error) -> String {
    match err {
        sqlx::Error::PoolTimedOut => "pool timed out".into(),
        sqlx::Error::PoolClosed => "pool closed".into(),
        sqlx::Error::Io(e) => format!("io: {}", e.kind()),
        sqlx::Error::ColumnDecode { index, .. } => format!("cannot decode column {index}"),
        sqlx::Error::Migrate(_) => "migration failed".into(),
        _ => "unexpected".into(),
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;
