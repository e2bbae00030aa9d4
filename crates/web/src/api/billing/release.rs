//! API: releasing now the provisional bookings still unpaid.

use crate::api::ApiResult;
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::State;
use familytime_app::billing as app;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Released {
    pub released: usize,
}

/// Releases now the provisional bookings still unpaid after the organisation's set time (the
/// server also does this every ten minutes): each is cancelled by the centre, forfeiting nothing.
#[utoipa::path(post, path = "/api/v1/billing/release-unpaid", operation_id = "release_unpaid_bookings", tag = "billing", responses((status = 200, body = Released)))]
pub async fn release_unpaid(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Released>> {
    let released = app::release_unpaid_now(&state, &caller).await?;
    Ok(Json(Released { released }))
}
