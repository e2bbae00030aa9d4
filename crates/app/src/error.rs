//! What can go wrong in a use case, whoever called it. How it is answered (an HTTP status, JSON
//! `{"error": {"code", "message"}}` for the API, an HTML page for people) is the web crate's business
//! (decision 0037). Internal details are logged (without personal data), never sent.

use familytime_domain::authz::Decision;
use familytime_domain::text::FieldErrors;
use familytime_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("sign in to continue")]
    SignInRequired,
    #[error("you do not have permission to do this")]
    Forbidden,
    /// Sign-in refused: the same answer whether or not the account exists.
    #[error("email address or password not right")]
    BadCredentials,
    #[error("not found")]
    NotFound,
    #[error("some answers need correcting")]
    Invalid(FieldErrors),
    /// A JSON body that does not fit its request: the field (a dotted path, so not a `&'static str`
    /// as a form's fields are) and why. Answered exactly as `Invalid`.
    #[error("the request body does not fit")]
    InvalidBody { field: String, message: String },
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("this record was changed by someone else since you opened it")]
    Stale,
    #[error("{0}")]
    TooManyRequests(String),
    #[error("the request is too large")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("the service is temporarily unavailable")]
    Unavailable,
    #[error("internal error: {0}")]
    Internal(&'static str),
}

impl AppError {
    pub fn code(&self) -> &'static str {
        match self {
            AppError::SignInRequired => "unauthenticated",
            AppError::Forbidden => "forbidden",
            AppError::BadCredentials => "bad_credentials",
            AppError::NotFound => "not_found",
            AppError::Invalid(_) | AppError::InvalidBody { .. } => "invalid",
            AppError::BadRequest(_) => "bad_request",
            AppError::Conflict(_) => "conflict",
            AppError::Stale => "stale",
            AppError::TooManyRequests(_) => "too_many_requests",
            AppError::PayloadTooLarge => "payload_too_large",
            AppError::UnsupportedMediaType(_) => "unsupported_media_type",
            AppError::Unavailable => "unavailable",
            AppError::Internal(_) => "internal",
        }
    }

    /// The sentence a person reads.
    pub fn message(&self) -> String {
        match self {
            AppError::SignInRequired => "Sign in to continue.".into(),
            AppError::Forbidden => "You do not have permission to do this.".into(),
            AppError::BadCredentials => {
                "The email address or password is not right. Check them and try again.".into()
            }
            AppError::NotFound => "Page not found. Check the address, or go back to your home page.".into(),
            AppError::Invalid(errors) => {
                let parts: Vec<&str> = errors.0.iter().map(|e| e.message.as_str()).collect();
                format!("Some answers need correcting: {}.", parts.join("; "))
            }
            AppError::InvalidBody { field, message } => format!("Some answers need correcting: {field}: {message}."),
            AppError::Stale => {
                "This record was changed by someone else since you opened it. Your change was not saved: reload it, check the other change and make yours again.".into()
            }
            AppError::PayloadTooLarge => "The request is too large.".into(),
            AppError::Unavailable => "The service is temporarily unavailable. Try again in a minute.".into(),
            AppError::Internal(_) => "Something went wrong on our side and nothing was changed. Try again; if it keeps happening, tell your administrator the request id shown with this message.".into(),
            AppError::BadRequest(m) | AppError::Conflict(m) | AppError::TooManyRequests(m) | AppError::UnsupportedMediaType(m) => m.clone(),
        }
    }

    /// Logs what an operator needs (never personal data: store errors carry codes, not values).
    pub fn log(&self) {
        match self {
            AppError::Internal(what) => tracing::error!(error = *what, "internal error"),
            AppError::Unavailable => tracing::warn!("database unavailable"),
            _ => {}
        }
    }

    /// The error for a refused authorisation decision.
    pub fn from_decision(decision: Decision) -> Option<AppError> {
        match decision {
            Decision::Allow => None,
            Decision::SignInRequired => Some(AppError::SignInRequired),
            Decision::Forbidden => Some(AppError::Forbidden),
            Decision::NotFound => Some(AppError::NotFound),
        }
    }
}

impl From<StoreError> for AppError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict(message) => AppError::Conflict(message),
            StoreError::Stale => AppError::Stale,
            StoreError::Contended => {
                AppError::Conflict("Someone else changed the same records at the same moment. Please try again.".into())
            }
            StoreError::Unavailable(reason) => {
                tracing::warn!(%reason, "database unavailable");
                AppError::Unavailable
            }
            StoreError::Database(detail) | StoreError::Config(detail) => {
                tracing::error!(%detail, "database error");
                AppError::Internal("database error")
            }
        }
    }
}
