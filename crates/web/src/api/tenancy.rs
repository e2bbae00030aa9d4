//! API: centres and rooms.

use super::{ApiJson, ApiResult, ErrorBody};
use crate::{AppState, Caller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use familytime_app::tenancy::{self, CentreInput, RoomInput};
use familytime_store::tenancy::{Centre, Room};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct CentreView {
    pub id: String,
    pub name: String,
    pub address: Option<String>,
    /// The phone number families may call (shown on the public pages), or null.
    pub public_phone: Option<String>,
    /// IANA time zone, e.g. Europe/London.
    pub time_zone: String,
    pub version: i64,
}

impl From<Centre> for CentreView {
    fn from(c: Centre) -> Self {
        CentreView {
            id: c.id.to_string(),
            name: c.name,
            address: c.address,
            public_phone: c.public_phone,
            time_zone: c.time_zone,
            version: c.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CentreRequest {
    pub name: String,
    pub address: Option<String>,
    /// The phone number families may call (shown on the public pages); none when left out.
    pub public_phone: Option<String>,
    /// IANA time zone; Europe/London when left out.
    pub time_zone: Option<String>,
}

/// A whole centre as it should be: every field, and the version you read (a PUT never resets what it
/// leaves out; it refuses it).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CentreUpdateRequest {
    pub name: String,
    /// null when the centre has no address to show.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub address: Option<String>,
    /// The phone number families may call, or null for none.
    #[serde(deserialize_with = "super::present")]
    #[schema(required = true)]
    pub public_phone: Option<String>,
    /// IANA time zone.
    pub time_zone: String,
    /// The version you read.
    pub version: i64,
}

/// A whole room as it should be, with the version you read.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomUpdateRequest {
    pub name: String,
    pub kind: String,
    pub capacity_families: i32,
    /// Whether it can still be booked.
    pub active: bool,
    /// The version you read.
    pub version: i64,
}

impl CentreRequest {
    fn input(&self) -> CentreInput {
        CentreInput {
            name: self.name.clone(),
            address: self.address.clone().unwrap_or_default(),
            public_phone: self.public_phone.clone(),
            time_zone: self.time_zone.clone().unwrap_or_default(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RoomView {
    pub id: String,
    pub centre_id: String,
    pub name: String,
    /// family_room, hall, waiting_room or off_site_venue.
    pub kind: String,
    pub capacity_families: i32,
    pub active: bool,
    pub version: i64,
}

impl From<Room> for RoomView {
    fn from(r: Room) -> Self {
        RoomView {
            id: r.id.to_string(),
            centre_id: r.centre_id.to_string(),
            name: r.name,
            kind: r.kind.as_str().into(),
            capacity_families: r.capacity_families,
            active: r.active,
            version: r.version,
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoomRequest {
    pub name: String,
    pub kind: String,
    /// Families at once; 1 when left out.
    pub capacity_families: Option<i32>,
    /// Whether it can be booked (default true).
    pub active: Option<bool>,
}

impl RoomRequest {
    fn input(&self) -> RoomInput {
        RoomInput {
            name: self.name.clone(),
            kind: self.kind.clone(),
            capacity_families: self.capacity_families.map(|c| c.to_string()).unwrap_or_default(),
            active: self.active.unwrap_or(true),
        }
    }
}

/// The centres you work at.
#[utoipa::path(get, path = "/api/v1/centres", operation_id = "list_centres", tag = "centres", responses((status = 200, body = [CentreView]), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list_centres(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<CentreView>>> {
    Ok(Json(
        tenancy::list_centres(&state, &caller)
            .await?
            .into_iter()
            .map(CentreView::from)
            .collect(),
    ))
}

/// Adds a centre (organisation administrators).
#[utoipa::path(post, path = "/api/v1/centres", operation_id = "create_centre", tag = "centres", request_body = CentreRequest,
    responses((status = 201, body = CentreView), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_centre(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<CentreRequest>,
) -> ApiResult<(StatusCode, Json<CentreView>)> {
    let centre = tenancy::create_centre(&state, &caller, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(centre.into())))
}

/// One centre.
#[utoipa::path(get, path = "/api/v1/centres/{id}", operation_id = "get_centre", tag = "centres", params(("id" = String, Path)),
    responses((status = 200, body = CentreView), (status = 404, body = ErrorBody)))]
pub async fn get_centre(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<CentreView>> {
    Ok(Json(tenancy::get_centre(&state, &caller, &id).await?.0.into()))
}

/// Changes a centre; send the version you read (a stale version is refused with 409).
#[utoipa::path(put, path = "/api/v1/centres/{id}", operation_id = "update_centre", tag = "centres", params(("id" = String, Path)), request_body = CentreUpdateRequest,
    responses((status = 200, body = CentreView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_centre(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<CentreUpdateRequest>,
) -> ApiResult<Json<CentreView>> {
    let input = CentreInput {
        name: body.name,
        address: body.address.unwrap_or_default(),
        // Sent in full, as every field of a PUT is: null clears the number.
        public_phone: Some(body.public_phone.unwrap_or_default()),
        time_zone: body.time_zone,
    };
    Ok(Json(
        tenancy::update_centre(&state, &caller, &id, &input, body.version)
            .await?
            .into(),
    ))
}

/// The rooms of a centre.
#[utoipa::path(get, path = "/api/v1/centres/{id}/rooms", operation_id = "list_rooms", tag = "centres", params(("id" = String, Path)),
    responses((status = 200, body = [RoomView]), (status = 404, body = ErrorBody)))]
pub async fn list_rooms(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<RoomView>>> {
    Ok(Json(
        tenancy::get_centre(&state, &caller, &id)
            .await?
            .1
            .into_iter()
            .map(RoomView::from)
            .collect(),
    ))
}

/// Adds a room to a centre.
#[utoipa::path(post, path = "/api/v1/centres/{id}/rooms", operation_id = "create_room", tag = "centres", params(("id" = String, Path)), request_body = RoomRequest,
    responses((status = 201, body = RoomView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_room(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoomRequest>,
) -> ApiResult<(StatusCode, Json<RoomView>)> {
    let room = tenancy::create_room(&state, &caller, &id, &body.input()).await?;
    Ok((StatusCode::CREATED, Json(room.into())))
}

/// Changes a room; send the version you read.
#[utoipa::path(put, path = "/api/v1/rooms/{id}", operation_id = "update_room", tag = "centres", params(("id" = String, Path)), request_body = RoomUpdateRequest,
    responses((status = 200, body = RoomView), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update_room(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RoomUpdateRequest>,
) -> ApiResult<Json<RoomView>> {
    let input = RoomInput {
        name: body.name,
        kind: body.kind,
        capacity_families: body.capacity_families.to_string(),
        active: body.active,
    };
    Ok(Json(
        tenancy::update_room(&state, &caller, &id, &input, body.version)
            .await?
            .into(),
    ))
}
