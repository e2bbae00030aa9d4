//! The public self-referral: the form (a parent refers themself, no account), the thanks page that
//! says what happens next, the one-time link staff make for the other adult, and that adult's own
//! part given through it.

use super::case_file::{Done, case_page_kept, case_page_with};
use super::{Fields, query_param};
use crate::i18n;
use crate::pages::{FormData, PageResult, Shell, render, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use familytime_app::referrals;
use familytime_domain::referrals::Service;
use familytime_domain::text::FieldErrors;
use familytime_store::tenancy::Centre;

pub async fn create_invite(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(id): Path<String>,
    form: FormData,
) -> PageResult {
    let party = form.get("invite_party");
    match referrals::create_invite(&state, &caller, &id, &party).await {
        Ok(token) => {
            // The link is for the member of staff to send: the address they reached us at will do.
            let host = headers
                .get(axum::http::header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or("localhost");
            let scheme = if state.config.behind_tls_proxy { "https" } else { "http" };
            let name = referrals::get_case(&state, &caller, &id)
                .await?
                .file
                .parties
                .iter()
                .find(|p| p.id.to_string() == party)
                .map(|p| p.name.clone())
                .unwrap_or_default();
            let link = format!("{scheme}://{host}/self-referral/{token}");
            let notice = format!("One-time link made for {name}");
            case_page_with(
                &state,
                &caller,
                &id,
                FieldErrors::new(),
                Some(Done::Text(notice)),
                Some((link, name)),
                FormData::empty(),
            )
            .await
        }
        Err(AppError::Invalid(errors)) => case_page_kept(&state, &caller, &id, errors, form).await,
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "self_referral.html")]
struct SelfReferralPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    f: Fields,
    centres: Vec<Centre>,
    child_slots: [u8; 3],
    keep_hidden: bool,
    /// The kinds of court order a parent can say there are (key, words).
    order_kinds: &'static [(&'static str, &'static str)],
}

impl SelfReferralPage {
    /// The message for child `i`'s name or date of birth (`part` is "_name" or "_dob").
    fn child_error(&self, i: &u8, part: &str) -> Option<&str> {
        self.errors.message_for(&format!("child{i}{part}"))
    }
    fn order_ticked(&self, kind: &str) -> bool {
        self.f.0.all("order_kinds").iter().any(|k| k == kind)
    }
}

async fn self_referral_page(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    errors: FieldErrors,
    f: FormData,
    keep_hidden: bool,
) -> PageResult {
    let (csrf, cookie) = crate::pages::anonymous_csrf(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = SelfReferralPage {
        shell: Shell::anonymous(),
        errors,
        csrf,
        f: Fields(f),
        centres: referrals::public_centres(state).await?,
        child_slots: [1, 2, 3],
        keep_hidden,
        order_kinds: &familytime_domain::intake::ORDER_KINDS,
    };
    Ok(crate::pages::with_cookie(render_with(status, &page), cookie))
}

/// `GET /self-referral`, or `/self-referral?service=supervised` from the answer of "Which service do
/// I need?": that service is then chosen on the form (an unknown one is ignored).
pub async fn self_referral_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    RawQuery(query): RawQuery,
) -> PageResult {
    let service = query_param(query.as_deref(), "service");
    let form = match Service::parse(&service) {
        Some(s @ (Service::Supported | Service::Supervised)) => {
            FormData::from_pairs(vec![("service", s.as_str().into())])
        }
        _ => FormData::empty(),
    };
    self_referral_page(&state, &headers, FieldErrors::new(), form, true).await
}

/// What happens next, from what the person gave: the centre can only call someone who gave a
/// phone number, and cannot reach someone who gave nothing. In the page's language.
fn next_after_self_referral(form: &FormData, centre: Option<&Centre>) -> String {
    let given = |name: &str| !form.get(name).trim().is_empty();
    let how = if given("your_phone") {
        i18n::t("next-call")
    } else if given("your_email") {
        i18n::t("next-email")
    } else if given("your_address") {
        i18n::t("next-write")
    } else {
        // The centre's public phone number only (its address is for staff).
        match centre {
            Some(c) => {
                let mut args = vec![("centre", i18n::FluentValue::from(c.name.as_str()))];
                let key = match &c.public_phone {
                    Some(phone) => {
                        args.push(("phone", i18n::FluentValue::from(phone.as_str())));
                        "next-contact-centre-phone"
                    }
                    None => "next-contact-centre",
                };
                i18n::t_args(key, &i18n::args(args))
            }
            None => i18n::t("next-contact-the-centre"),
        }
    };
    let other = if given("other_phone") || given("other_email") || given("other_address") {
        i18n::t("next-other-given")
    } else {
        i18n::t("next-other-ask")
    };
    format!("{how} {other}")
}

#[derive(askama::Template)]
#[template(path = "thanks.html")]
struct ThanksPage {
    shell: Shell,
    reference: String,
    next: String,
}

pub async fn self_referral(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    form: FormData,
) -> PageResult {
    let input = familytime_domain::intake::SelfReferralInput {
        your_role: form.get("your_role"),
        your_name: form.get("your_name"),
        your_relationship: form.get("your_relationship"),
        your_address: form.get("your_address"),
        your_phone: form.get("your_phone"),
        your_email: form.get("your_email"),
        keep_hidden: form.checked("keep_hidden"),
        your_language: form.get("your_language"),
        your_access: form.get("your_access"),
        your_availability: form.get("your_availability"),
        your_pr: form.get("your_pr"),
        children: (1..=3)
            .map(|i| (form.get(&format!("child{i}_name")), form.get(&format!("child{i}_dob"))))
            .collect(),
        other_name: form.get("other_name"),
        other_relationship: form.get("other_relationship"),
        other_address: form.get("other_address"),
        other_phone: form.get("other_phone"),
        other_email: form.get("other_email"),
        order_kinds: form.all("order_kinds"),
        order_details: form.get("order_details"),
        service: form.get("service"),
        safety: form.get("safety"),
        consent: form.checked("consent"),
    };
    match referrals::self_refer(&state, &caller, &form.get("centre_id"), &input).await {
        Ok(summary) => {
            let centre = referrals::public_centres(&state)
                .await?
                .into_iter()
                .find(|c| c.id == summary.centre_id);
            Ok(render(&ThanksPage {
                shell: Shell::anonymous(),
                reference: summary.reference,
                next: next_after_self_referral(&form, centre.as_ref()),
            }))
        }
        Err(AppError::Invalid(errors)) => {
            let errors = crate::pages::messages::in_language(errors);
            self_referral_page(&state, &headers, errors, form, input.keep_hidden).await
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(askama::Template)]
#[template(path = "own_part.html")]
struct OwnPartPage {
    shell: Shell,
    errors: FieldErrors,
    csrf: String,
    token: String,
    name: String,
    reference: String,
    f: Fields,
    keep_hidden: bool,
}

async fn own_part_page(
    state: &AppState,
    headers: &axum::http::HeaderMap,
    token: String,
    errors: FieldErrors,
    f: FormData,
    keep_hidden: bool,
) -> PageResult {
    let invite = referrals::invite(state, &token).await?;
    let (csrf, cookie) = crate::pages::anonymous_csrf(state, headers);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let page = OwnPartPage {
        shell: Shell::anonymous(),
        errors,
        csrf,
        token,
        name: invite.party_name,
        reference: invite.reference,
        f: Fields(f),
        keep_hidden,
    };
    Ok(crate::pages::with_cookie(render_with(status, &page), cookie))
}

pub async fn own_part_form(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
) -> PageResult {
    own_part_page(&state, &headers, token, FieldErrors::new(), FormData::empty(), true).await
}

pub async fn own_part(
    State(state): State<AppState>,
    caller: Caller,
    headers: axum::http::HeaderMap,
    Path(token): Path<String>,
    form: FormData,
) -> PageResult {
    let input = familytime_domain::intake::OwnPartInput {
        address: form.get("address"),
        phone: form.get("phone"),
        email: form.get("email"),
        keep_hidden: form.checked("keep_hidden"),
        language: form.get("language"),
        access: form.get("access"),
        availability: form.get("availability"),
        safety: form.get("safety"),
        consent: form.checked("consent"),
    };
    match referrals::give_own_part(&state, &caller, &token, &input).await {
        Ok(reference) => Ok(render(&ThanksPage {
            shell: Shell::anonymous(),
            reference,
            next: i18n::t("next-own-part"),
        })),
        Err(AppError::Invalid(errors)) => {
            let errors = crate::pages::messages::in_language(errors);
            own_part_page(&state, &headers, token, errors, form, input.keep_hidden).await
        }
        Err(other) => Err(other.into()),
    }
}
