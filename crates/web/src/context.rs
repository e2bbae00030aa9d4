//! The `Caller` as a handler's argument: the app crate's `Caller` (who is calling), taken from the
//! request where the sign-in middleware put it. A newtype because the orphan rule keeps axum's
//! extractor trait off the app's type (decision 0037); it dereferences to the app's `Caller`, so a
//! handler passes `&caller` to a use case unchanged.

use crate::error::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use familytime_app::AppError;
pub use familytime_app::context::Credential;

#[derive(Debug, Clone)]
pub struct Caller(pub familytime_app::Caller);

impl std::ops::Deref for Caller {
    type Target = familytime_app::Caller;

    fn deref(&self) -> &familytime_app::Caller {
        &self.0
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<familytime_app::Caller>()
            .cloned()
            .map(Caller)
            .ok_or(ApiError(AppError::Internal("caller missing")))
    }
}
