//! The layers every request passes through, outermost first: request id and logging, security
//! headers, the page's language, sign-in (who is calling), CSRF; then, per route, the
//! authorisation gate.

use crate::cookies::{CSRF_COOKIE, LANGUAGE_COOKIE, SESSION_COOKIE, cookie, set_cookie};
use crate::error::ApiError;
use crate::i18n::{self, Lang};
use crate::{AppError, AppState, pages};
use axum::body::Body;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::http::{Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use familytime_app::Caller;
use familytime_app::asked::{self, Asked, AskedObject};
use familytime_app::context::Credential;
use familytime_app::secrets::{same_secret, token_hash};
use familytime_domain::authz::{self, Action, Decision, Object};
use familytime_domain::sessions;
use familytime_store::AuditEvent;
use std::net::SocketAddr;
use std::time::Instant;
use tracing::Instrument;

pub const CSRF_FIELD: &str = "csrf_token";

/// The request id, available to handlers and written on every log line of the request.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Answers an error as JSON on the API and as a page elsewhere.
pub fn respond(api: bool, err: AppError) -> Response {
    if api {
        ApiError(err).into_response()
    } else {
        pages::error_page(err)
    }
}

pub fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Gives each request an id, logs one line when it is answered (the route's pattern, never the raw
/// path or query, which can hold secrets or names), and returns the id in `X-Request-Id`.
pub async fn request_context(mut req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::now_v7().to_string();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_else(|| "unmatched".into());
    let span = tracing::info_span!("request", id = %request_id, method = %req.method(), route = %route);
    req.extensions_mut().insert(RequestId(request_id.clone()));
    let started = Instant::now();
    let mut response = next.run(req).instrument(span.clone()).await;
    let status = response.status().as_u16();
    span.in_scope(|| tracing::info!(status, elapsed_ms = started.elapsed().as_millis() as u64, "answered"));
    if let Ok(value) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", value);
    }
    response
}

/// Gives each request one database connection for all its statements (PostgreSQL; see
/// `Store::pinned`), from its first statement until the answer is made.
pub async fn one_connection(State(state): State<AppState>, req: Request, next: Next) -> Response {
    state.store.pinned(next.run(req)).await
}

/// Security headers on every answer. Nothing is cached except the static files, because almost
/// every page carries personal data.
pub async fn security_headers(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let is_static = req.uri().path().starts_with("/static/");
    let mut response = next.run(req).await;
    let body_refused_for_size = response.status() == StatusCode::PAYLOAD_TOO_LARGE;
    let h = response.headers_mut();
    let set = |h: &mut HeaderMap, name: &'static str, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "no-referrer");
    set(
        h,
        "permissions-policy",
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    set(h, "cross-origin-opener-policy", "same-origin");
    set(h, "cross-origin-resource-policy", "same-origin");
    if is_static {
        set(h, "cache-control", "public, max-age=3600");
    } else {
        set(h, "cache-control", "no-store");
    }
    if state.config.behind_tls_proxy {
        set(h, "strict-transport-security", "max-age=63072000; includeSubDomains");
    }
    // A body refused for its size was not read to the end, so the connection cannot carry
    // another request: say so, or a client reusing it sees its next request cut off.
    if body_refused_for_size {
        set(h, "connection", "close");
    }
    response
}

/// How long the language cookie is kept: a year, so a family who chose Welsh keeps it.
const LANGUAGE_COOKIE_SECS: i64 = 60 * 60 * 24 * 365;

/// Decides which language the request is answered in, for everything under it (pages, error
/// pages, the shell): `?lang=` first (remembered in a cookie), then the cookie, then the browser's
/// `Accept-Language`, then English. Once sign-in knows the reader, `reader_language` puts their own
/// choice before the browser's and the organisation's default after it. An unknown code is passed
/// over, never an error.
pub async fn language(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let query = req.uri().query().map(str::to_owned);
    let asked = query.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::parse(&v))
    });
    let remembered = cookie(req.headers(), LANGUAGE_COOKIE).and_then(Lang::parse);
    let browser = req
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Lang::from_accept_language);
    let chosen = i18n::Chosen::new(asked, remembered, browser, req.uri().path(), query.as_deref());
    let mut response = i18n::scope(chosen, next.run(req)).await;
    if let Some(asked) = asked
        && remembered != Some(asked)
    {
        response.headers_mut().append(
            header::SET_COOKIE,
            set_cookie(&state, LANGUAGE_COOKIE, asked.code(), LANGUAGE_COOKIE_SECS),
        );
    }
    response
}

/// The client's address: the socket's peer, or, behind a TLS proxy, the address the proxy added last
/// to `X-Forwarded-For` (earlier entries are whatever the client claimed, so they are ignored).
fn client_addr(state: &AppState, req: &Request) -> String {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string());
    if state.config.behind_tls_proxy {
        let forwarded = req
            .headers()
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .rfind(|v| !v.is_empty())
            .map(str::to_owned);
        if let Some(addr) = forwarded {
            return addr;
        }
    }
    peer.unwrap_or_else(|| "unknown".into())
}

/// Works out who is calling, from an `Authorization: Bearer` API token or the session cookie, and
/// puts a `Caller` on the request. A session that has timed out is ended here.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_owned();
    let api = is_api(&path);
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let mut caller = Caller {
        user: None,
        credential: Credential::Anonymous,
        request_id,
        client_addr: client_addr(&state, &req),
        asked: Default::default(),
    };
    let mut clear_session_cookie = false;
    let now = state.clock.now();

    if path.starts_with("/static/") || path == "/healthz" {
        req.extensions_mut().insert(caller);
        return next.run(req).await;
    }

    if let Some(authorization) = req.headers().get(header::AUTHORIZATION) {
        let token = authorization
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return respond(true, AppError::SignInRequired);
        };
        match state.store.api_token_user(&token_hash(token), now).await {
            Ok(Some((_, user))) => {
                caller.user = Some(user);
                caller.credential = Credential::ApiToken;
            }
            Ok(None) => return respond(true, AppError::SignInRequired),
            Err(e) => return respond(api, e.into()),
        }
    } else if let Some(token) = cookie(req.headers(), SESSION_COOKIE) {
        match state.store.session(&token_hash(token)).await {
            Ok(Some(session)) => {
                let policy = state.config.session_policy;
                if sessions::is_live(policy, session.created_at, session.last_seen_at, now) {
                    if sessions::needs_touch(session.last_seen_at, now)
                        && let Err(e) = state
                            .store
                            .touch_session(session.user.organisation_id, &session.id, now)
                            .await
                    {
                        return respond(api, e.into());
                    }
                    caller.credential = Credential::Session {
                        id: session.id,
                        csrf_token: session.csrf_token,
                    };
                    caller.user = Some(session.user);
                } else {
                    if let Err(e) = state
                        .store
                        .end_session(now, session.user.organisation_id, &session.id, None)
                        .await
                    {
                        return respond(api, e.into());
                    }
                    clear_session_cookie = true;
                }
            }
            Ok(None) => clear_session_cookie = true,
            Err(e) => return respond(api, e.into()),
        }
    }

    // The API answers in JSON, with no words to choose a language for.
    let chosen = if api {
        None
    } else {
        reader_language(&state, &caller).await
    };
    req.extensions_mut().insert(caller);
    let mut response = match chosen {
        Some(chosen) => i18n::scope(chosen, next.run(req)).await,
        None => next.run(req).await,
    };
    if clear_session_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        response
            .headers_mut()
            .append(header::SET_COOKIE, set_cookie(&state, SESSION_COOKIE, "", 0));
    }
    response
}

/// The language of a signed-in reader's pages, when it differs from what `language` decided
/// without knowing them: their own choice before the browser's, and their organisation's default
/// when nothing else decides (the only case that costs a read; the session is read anyway).
async fn reader_language(state: &AppState, caller: &Caller) -> Option<i18n::Chosen> {
    let user = caller.user.as_ref()?;
    let chosen = i18n::chosen();
    let (asked, remembered, own, browser) = (chosen.asked, chosen.remembered, user.preferred_language, chosen.browser);
    let organisation_default = if asked.or(remembered).or(own).or(browser).is_none() {
        state
            .store
            .language_policy(user.organisation_id)
            .await
            .ok()
            .map(|p| p.default)
    } else {
        None
    };
    let lang = familytime_domain::language::page_language(asked, remembered, own, browser, || organisation_default);
    (lang != chosen.lang).then(|| chosen.in_lang(lang))
}

trait WithStatus {
    fn into_response_with(self, status: StatusCode) -> Response;
}

impl WithStatus for Response {
    fn into_response_with(mut self, status: StatusCode) -> Response {
        *self.status_mut() = status;
        self
    }
}

/// Cross-site request forgery protection for every state change.
/// - HTML forms carry a token: the session's own, or before sign-in the one in the `ft_csrf` cookie
///   (double submit). The form body is read here, so no handler can forget the check.
/// - The API, when called with the session cookie, only takes POSTs with `application/json` bodies,
///   which a page on another site cannot send without the browser asking first (and we never say yes).
pub async fn csrf(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let api = is_api(req.uri().path());
    let caller = req.extensions().get::<Caller>().cloned();
    if api {
        // Only POST can come from a form on another site; PUT and DELETE need the browser to ask first.
        let by_cookie = matches!(caller.as_ref().map(|c| &c.credential), Some(Credential::Session { .. }));
        if by_cookie && req.method() == Method::POST && !is_json(req.headers()) {
            return respond(
                true,
                AppError::UnsupportedMediaType("Send JSON, with Content-Type: application/json".into()),
            );
        }
        return next.run(req).await;
    }
    let expected = caller
        .as_ref()
        .and_then(|c| c.csrf_token().map(str::to_owned))
        .or_else(|| cookie(req.headers(), CSRF_COOKIE).map(str::to_owned));
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    // An upload form's body is read by its handler; its token travels in the form's address.
    if content_type.starts_with("multipart/form-data") {
        let submitted = req.uri().query().and_then(|q| {
            form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == CSRF_FIELD)
                .map(|(_, v)| v.into_owned())
        });
        let valid = matches!((&expected, &submitted), (Some(e), Some(s)) if same_secret(e, s));
        if !valid {
            return respond(
                false,
                AppError::BadRequest(
                    "This form has expired or did not come from this site. Go back, reload the page and try again."
                        .into(),
                ),
            )
            .into_response_with(StatusCode::FORBIDDEN);
        }
        return next.run(req).await;
    }
    let form = content_type.starts_with("application/x-www-form-urlencoded");
    if !form {
        return respond(
            false,
            AppError::UnsupportedMediaType("This page only accepts its own form.".into()),
        );
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, state.config.max_body_bytes).await {
        Ok(bytes) => bytes,
        Err(_) => return respond(false, AppError::PayloadTooLarge),
    };
    let submitted = form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == CSRF_FIELD)
        .map(|(_, v)| v.into_owned());
    let valid = matches!((&expected, &submitted), (Some(e), Some(s)) if same_secret(e, s));
    if !valid {
        return respond(
            false,
            AppError::BadRequest(
                "This form has expired or did not come from this site. Go back, reload the page and try again.".into(),
            ),
        )
        .into_response_with(StatusCode::FORBIDDEN);
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

fn is_json(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        })
}

/// The authorisation gate on each route: may this caller take this route's action at all, in their
/// own organisation? (The application function then asks again about the actual object.) Refusals
/// to signed-in people are audited naming the object the path asks for (see `asked`), and so is a
/// 403 or 404 that leaves the route unaudited, so that every denied attempt on an object is in the
/// log exactly once.
pub async fn gate(state: AppState, action: Action, route: &'static str, mut req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    let asked = asked::from_route(route, req.uri().path());
    let Some(caller) = req.extensions_mut().get_mut::<Caller>() else {
        return respond(api, AppError::Internal("caller missing"));
    };
    caller.asked = Asked::new(asked);
    let caller = caller.clone();
    let object = match &caller.user {
        Some(user) => Object::Organisation(user.organisation_id),
        None => Object::Nothing,
    };
    let decision = authz::authorize(caller.actor().as_ref(), action, &object);
    match decision {
        Decision::Allow => {
            let response = next.run(req).await;
            let status = response.status();
            let refused = match status {
                StatusCode::FORBIDDEN => Some("access.denied"),
                StatusCode::NOT_FOUND => Some("access.not_found"),
                _ => None,
            };
            if let (Some(refusal), Some(object), Some(_)) = (refused, &caller.asked.object, &caller.user)
                && !caller.asked.is_audited()
                && let Err(e) = audit_refusal(&state, &caller, refusal, route, Some(object)).await
            {
                return respond(api, e);
            }
            response
        }
        Decision::SignInRequired if !api && req.method() == Method::GET => {
            let target = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/home");
            let encoded: String = form_urlencoded::byte_serialize(target.as_bytes()).collect();
            Redirect::to(&format!("/login?next={encoded}")).into_response()
        }
        refused => {
            if caller.user.is_some()
                && let Err(e) =
                    audit_refusal(&state, &caller, "access.denied", route, caller.asked.object.as_ref()).await
            {
                return respond(api, e);
            }
            respond(api, AppError::from_decision(refused).unwrap_or(AppError::Forbidden))
        }
    }
}

/// Audits a refusal of the caller's request, naming the object asked for, or the route when the
/// path names none.
async fn audit_refusal(
    state: &AppState,
    caller: &Caller,
    action: &'static str,
    route: &'static str,
    object: Option<&AskedObject>,
) -> Result<(), AppError> {
    let event = match object {
        Some(o) => AuditEvent::denied(action, o.object_type, o.object_id.clone()),
        None => AuditEvent::denied(action, route, None),
    };
    state.store.audit(&caller.scope(state.clock.now()), event).await?;
    caller.asked.mark_audited();
    Ok(())
}
