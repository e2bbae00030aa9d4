//! The JSON API under `/api/v1`, and its OpenAPI 3 description generated from the handlers' own
//! annotations (`GET /api/v1/openapi.json`). A test checks that every API route is described.

pub mod account_links;
pub mod accounts;
pub mod agreements;
pub mod arrivals;
pub mod audit;
pub mod billing;
pub mod booking_rules;
pub mod confidential;
pub mod incidents;
pub mod interpreters;
pub mod mail;
pub mod orders;
pub mod paging;
pub mod people;
pub mod records;
pub mod referrals;
pub mod reports;
pub mod reviews;
pub mod schedule;
pub mod tenancy;
pub mod two_factor;

use crate::AppError;
use crate::error::ApiError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, Request};
use serde::Serialize;
use serde::de::DeserializeOwned;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi, ToSchema};

pub type ApiResult<T> = Result<T, ApiError>;

/// A JSON body whose problems are answered in the API's own error format. A body that is JSON but
/// does not fit (an unknown field, a missing one, a wrong type or a malformed date) is 422 naming
/// the field, so a write never quietly drops or resets what was not said (issue 16, finding 1).
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|v| {
                let v = v.trim().to_ascii_lowercase();
                v == "application/json" || (v.starts_with("application/") && v.ends_with("+json"))
            })
            .unwrap_or(false);
        if !is_json {
            return Err(ApiError(AppError::UnsupportedMediaType(
                "Send JSON, with Content-Type: application/json".into(),
            )));
        }
        let bytes = match Bytes::from_request(req, state).await {
            Ok(bytes) => bytes,
            Err(BytesRejection::FailedToBufferBody(_)) => return Err(ApiError(AppError::PayloadTooLarge)),
            Err(_) => {
                return Err(ApiError(AppError::BadRequest(
                    "The request body could not be read".into(),
                )));
            }
        };
        parse_body(&bytes).map(ApiJson).map_err(ApiError)
    }
}

/// A query string whose problems are answered in the API's own error format (axum's own `Query`
/// answers in plain text, which is not what the document promises).
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> axum::extract::FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(value)) => Ok(ApiQuery(value)),
            Err(e) => Err(ApiError(AppError::BadRequest(format!(
                "The query does not fit: {}",
                e.body_text()
            )))),
        }
    }
}

/// Reads a JSON body strictly: syntax errors are 400, anything that is JSON but does not fit is 422
/// naming the field (the path to it, dotted).
pub fn parse_body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(value) => value,
        Err(e) => return Err(body_error(&e)),
    };
    if de.end().is_err() {
        return Err(AppError::BadRequest("The body is not valid JSON".into()));
    }
    Ok(value)
}

fn body_error(e: &serde_path_to_error::Error<serde_json::Error>) -> AppError {
    use serde_json::error::Category;
    let inner = e.inner();
    if !matches!(inner.classify(), Category::Data) {
        return AppError::BadRequest("The body is not valid JSON".into());
    }
    let path = e.path().to_string();
    let message = inner.to_string();
    // serde's messages read "unknown field `x`, expected ..." and "missing field `x`"; the field
    // they name sits inside the path serde_path_to_error reports.
    let named = |prefix: &str| {
        message.strip_prefix(prefix).and_then(|rest| {
            let rest = rest.strip_prefix('`')?;
            rest.split('`').next().map(str::to_owned)
        })
    };
    let join = |field: &str| {
        if path.is_empty() || path == "." {
            field.to_owned()
        } else if path == field || path.ends_with(&format!(".{field}")) {
            path.clone()
        } else {
            format!("{path}.{field}")
        }
    };
    let (field, sentence) = if let Some(field) = named("unknown field ") {
        (
            join(&field),
            "This field is not part of this request: remove it".to_owned(),
        )
    } else if let Some(field) = named("missing field ") {
        (
            join(&field),
            "This field is required: send every field of the record".to_owned(),
        )
    } else {
        let field = if path.is_empty() || path == "." {
            "body".to_owned()
        } else {
            path.clone()
        };
        // The message names a type or a value's kind, never the value a person typed.
        let why = message.split(" at line ").next().unwrap_or_default().to_owned();
        (field, format!("This value does not fit: {why}"))
    };
    AppError::InvalidBody {
        field,
        message: sentence,
    }
}

/// For a PUT's nullable field: it must be sent (`null` says "none"), never left out, so leaving a
/// field out cannot reset it. (A field with `deserialize_with` is not defaulted by serde.)
pub fn present<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(deserializer)
}

/// The error answer: `{"error": {"code", "message", "fields"?}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable word: unauthenticated, bad_credentials, forbidden, not_found, invalid, bad_request,
    /// conflict, stale, too_many_requests, payload_too_large, unsupported_media_type, unavailable, internal.
    pub code: String,
    /// A sentence for a person.
    pub message: String,
    /// For `invalid`: each field's problem.
    pub fields: Option<Vec<FieldProblem>>,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

/// The two ways in, as the middleware reads them (`middleware::authenticate`): a personal API token
/// sent as `Authorization: Bearer TOKEN`, or the session cookie that `POST /api/v1/login` sets. Every
/// operation takes either (the document's global `security`); the public ones say `security: []`.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "A personal API token (POST /api/v1/tokens, the account page, or `familytime users token`), \
                         sent as `Authorization: Bearer TOKEN`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                crate::cookies::SESSION_COOKIE,
                "The session cookie POST /api/v1/login sets. With it, every POST must be sent with \
                 Content-Type: application/json, even one without a body (otherwise 415), so a page \
                 on another site cannot forge one.",
            ))),
        );
        // utoipa writes an operation's `security(())` as `[{}]` ("no scheme is one of the choices");
        // a public operation needs none at all, which OpenAPI says with an empty list.
        let anyone = vec![utoipa::openapi::security::SecurityRequirement::default()];
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                if operation.security.as_ref() == Some(&anyone) {
                    operation.security = Some(Vec::new());
                }
            }
        }
    }
}

/// A file an operation answers with (a PDF, a CSV, a document, a calendar) is described as bytes, so
/// that a client generated from the document downloads it as bytes instead of guessing: every
/// non-JSON answer that names no schema gets `type: string, format: binary`.
struct FileAnswers;

impl Modify for FileAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        use utoipa::openapi::{RefOr, Schema};
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                for response in operation.responses.responses.values_mut() {
                    let RefOr::T(response) = response else { continue };
                    for (media_type, content) in response.content.iter_mut() {
                        if media_type.contains("json") || content.schema.is_some() {
                            continue;
                        }
                        let bytes = ObjectBuilder::new()
                            .schema_type(Type::String)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
                            .build();
                        content.schema = Some(RefOr::T(Schema::Object(bytes)));
                    }
                }
            }
        }
    }
}

/// The error answers any operation can give, added to every operation so that the document says
/// what the server really answers (checked by schemathesis in CI): 401 and 403 wherever an account
/// is needed, 404 wherever the path names an object, 400/413/415/422 wherever a body or a query is
/// read, 415 on every POST made with the session cookie without a JSON content type, 429 for sign-in throttling and 503 when the database does not answer. An operation's own
/// annotation wins where it documents the same status.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::ParameterIn;
        for (path, item) in openapi.paths.paths.iter_mut() {
            let public = path == "/api/v1/openapi.json";
            // (operation, whether it changes something, whether it is a POST)
            let operations = [
                (item.get.as_mut(), false, false),
                (item.put.as_mut(), true, false),
                (item.post.as_mut(), true, true),
                (item.delete.as_mut(), true, false),
                (item.patch.as_mut(), true, false),
            ];
            for (operation, writes, post) in operations {
                let Some(operation) = operation else { continue };
                let params = operation.parameters.as_deref().unwrap_or_default();
                let has_path = params.iter().any(|p| p.parameter_in == ParameterIn::Path);
                let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
                let has_body = operation.request_body.is_some();
                let mut statuses: Vec<(&str, &str)> = Vec::new();
                if !public {
                    statuses.push(("401", "Not signed in, or the session or token has ended"));
                    statuses.push(("403", "This account may not do this"));
                    statuses.push(("503", "The database is not answering; nothing was changed"));
                }
                if has_path || has_body {
                    statuses.push(("404", "There is no such object, or it is not yours to see"));
                }
                if writes && !public && path != "/api/v1/login" {
                    statuses.push((
                        "409",
                        "The object's state does not allow this now, or it was changed meanwhile",
                    ));
                }
                if has_body || has_query {
                    statuses.push(("400", "The request could not be read"));
                    statuses.push(("422", "The request was read but is not valid; `fields` says why"));
                }
                if has_body {
                    statuses.push(("413", "The body is too large"));
                    statuses.push(("415", "The body is not of the type this operation takes"));
                }
                // With the session cookie every POST must say it sends JSON, even one without a
                // body (the CSRF rule in `middleware::csrf`); a generated client met this on logout.
                if post && !public && path != "/api/v1/login" {
                    statuses.push((
                        "415",
                        "With the session cookie, a POST must be sent with Content-Type: application/json",
                    ));
                }
                if path == "/api/v1/login" {
                    statuses.push(("429", "Too many attempts; try again later"));
                }
                for (status, description) in statuses {
                    operation
                        .responses
                        .responses
                        .entry(status.to_owned())
                        .or_insert_with(|| error_response(description));
                }
            }
        }
    }
}

fn error_response(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

#[derive(OpenApi)]
#[openapi(
    info(title = "familytime API", version = "1", description = "The JSON API of familytime. Sign in with POST /api/v1/login (a session cookie) or send a personal API token as `Authorization: Bearer TOKEN`."),
    paths(
        openapi_json,
        accounts::login, accounts::logout, accounts::me, accounts::list_tokens, accounts::create_token, accounts::revoke_token,
        tenancy::list_centres, tenancy::create_centre, tenancy::get_centre, tenancy::update_centre,
        tenancy::list_rooms, tenancy::create_room, tenancy::update_room,
        people::list_users, people::create_user, people::get_user, people::update_user, people::disable_user, people::enable_user, people::reset_password,
        audit::list_entries,
        referrals::submit, referrals::own, referrals::own_one, referrals::list, referrals::get, referrals::transition, referrals::assess, referrals::schedule_pre_visit, referrals::record_pre_visit, referrals::upload_document, referrals::download_document, referrals::link_account,
        schedule::get_settings, schedule::put_settings, schedule::add_opening, schedule::remove_opening, schedule::add_closure, schedule::remove_closure,
        schedule::add_entrance, schedule::approve_venue, schedule::list_staff, schedule::put_staff, schedule::add_leave, schedule::put_workers,
        schedule::add_never_meet, schedule::book, schedule::case_bookings, schedule::availability, schedule::get_booking, schedule::set_status, arrivals::set_arrival,
        interpreters::list, interpreters::add, interpreters::set_for_booking,
        schedule::move_booking, schedule::centre_calendar, schedule::create_feed, schedule::revoke_feed,
        records::get_record, records::register, records::breach, records::save_observation, records::sign, records::addendum, records::stop, records::get_checklist, records::put_checklist,
        reports::case_reports, reports::create, reports::put_distribution, reports::get, reports::edit, reports::check,
        reports::release, reports::pdf, reports::mine, reports::my_pdf,
        incidents::raise, incidents::list, incidents::get, incidents::decide,
        mail::list_outbox, mail::case_messages,
        account_links::invite_user, account_links::resend_invitation, account_links::request_password_reset, account_links::complete_password_reset,
        account_links::get_my_reminders, account_links::set_my_reminders, account_links::set_party_reminders, account_links::get_reminder_times, account_links::set_reminder_times,
        billing::prices, billing::add_price, billing::policy, billing::set_policy, billing::settings, billing::save_settings,
        billing::account, billing::set_funding, billing::record, billing::issue_invoice, billing::invoice, billing::invoice_pdf,
        billing::own_invoice_pdf, billing::statement_pdf, billing::cancellation_outcome, billing::outstanding, billing::ledger_csv, billing::own, billing::bursary, billing::add_grant, billing::release_unpaid,
        confidential::get_named_staff, confidential::put_named_staff, confidential::break_glass, confidential::list,
        reviews::issue_notice, reviews::notices, reviews::resume_service, reviews::letter, reviews::record_letter, reviews::list_reviews, reviews::record_review,
        booking_rules::get_rules, booking_rules::set_rules,
        two_factor::get_policy, two_factor::set_policy, two_factor::reset,
        orders::get_pattern, orders::put_pattern, orders::list,
        agreements::list, agreements::record, agreements::versions, agreements::add_version,
    ),
    components(schemas(ErrorBody, ErrorDetail, FieldProblem)),
    modifiers(&SecuritySchemes, &CommonErrors, &FileAnswers),
    security(("bearer" = []), ("session" = [])),
    tags(
        (name = "accounts", description = "Signing in, your account and API tokens"),
        (name = "centres", description = "Centres and their rooms"),
        (name = "people", description = "The organisation's accounts"),
        (name = "audit", description = "The audit log"),
        (name = "referrals", description = "Referrals and case files"),
        (name = "schedule", description = "Opening times, rosters, never-meet pairs, bookings and calendars"),
        (name = "records", description = "Session registers, rule breaches, observation records and addenda"),
        (name = "reports", description = "Reports to referrers: quality check, release and PDFs"),
        (name = "safeguarding", description = "Safeguarding concerns and incidents, and the safeguarding lead's decisions"),
        (name = "reviews", description = "Ending or suspending a service, the letters about it, review meetings and funded hours"),
        (name = "mail", description = "The e-mail outbox: messages queued, sent and failed, and a case's messages"),
        (name = "billing", description = "Prices, the cancellation policy, funding, the ledger, invoices and a parent's own account"),
    )
)]
pub struct ApiDoc;

/// The OpenAPI 3 description of this API.
#[utoipa::path(get, path = "/api/v1/openapi.json", operation_id = "get_openapi_document", tag = "accounts", security(()), responses((status = 200, description = "The OpenAPI document")))]
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
