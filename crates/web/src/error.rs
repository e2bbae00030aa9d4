//! How a use case's error is answered over HTTP: its status, and JSON `{"error": {"code", "message"}}`
//! for the API (pages answer with an HTML page, see `pages`). `AppError` itself lives in the app crate,
//! which knows nothing of HTTP; the orphan rule keeps axum's `IntoResponse` off it, so the API answers
//! through the `ApiError` newtype and the status comes from this trait (decision 0037).

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use familytime_app::AppError;
use serde_json::json;

/// The HTTP status that answers an error.
pub trait HttpStatus {
    fn status(&self) -> StatusCode;
}

impl HttpStatus for AppError {
    fn status(&self) -> StatusCode {
        match self {
            AppError::SignInRequired | AppError::BadCredentials => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Invalid(_) | AppError::InvalidBody { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::Conflict(_) | AppError::Stale => StatusCode::CONFLICT,
            AppError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answered as JSON.
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(err: E) -> Self {
        ApiError(err.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let err = self.0;
        err.log();
        let mut body = json!({ "error": { "code": err.code(), "message": err.message() } });
        if let AppError::Invalid(fields) = &err {
            body["error"]["fields"] = json!(fields.0);
        }
        if let AppError::InvalidBody { field, message } = &err {
            body["error"]["fields"] = json!([{ "field": field, "message": message }]);
        }
        (err.status(), Json(body)).into_response()
    }
}
