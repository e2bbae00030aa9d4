//! A case's adults: a parent's account linked to their place, and the form that edits an adult's
//! details.

use super::Fields;
use super::case_file::{case_page, done};
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppState, Caller};
use axum::extract::{Path, RawQuery, State};
use axum::response::{IntoResponse, Redirect};
use familytime_app::referrals;
use familytime_domain::text::FieldErrors;

/// POST /cases/{id}/parties/{party}/account: links a parent's account to their place on the case.
pub async fn link_account(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    match referrals::link_party_account(&state, &caller, &id, &party, &form.get("account"), form.version()).await {
        Ok(()) if form.get("account").trim().is_empty() => Ok(done(&id, "unlinked")),
        Ok(()) => Ok(done(&id, "linked")),
        // A stale link is refused by `refusal` with "changed by someone else"; the page then shows
        // the accounts as they are now, with their new versions.
        Err(err) => {
            let (errors, _, _) = crate::pages::refusal(err, "account")?;
            case_page(&state, &caller, &id, errors, None).await
        }
    }
}

#[derive(askama::Template)]
#[template(path = "party_edit.html")]
struct PartyEditPage {
    shell: Shell,
    errors: FieldErrors,
    case_id: String,
    reference: String,
    party_id: String,
    /// The adult's name as saved (the heading), and the form's values.
    saved_name: String,
    role: &'static str,
    f: Fields,
    version: i64,
    /// Whether the address, phone and e-mail are offered (the editor may see all of them).
    contacts_editable: bool,
    keep_hidden: bool,
    /// Opted out of reminders at the parent's request (decision 0051), and what was just saved.
    reminders_off: bool,
    reminders_notice: Option<&'static str>,
}

/// The edit form: the adult's details as saved, or as typed when a save was refused (with the
/// saved version, so a stale save is not repeated blindly).
async fn party_page(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    errors: FieldErrors,
    typed: Option<FormData>,
    reminders_notice: Option<&'static str>,
) -> PageResult {
    let view = referrals::party_for_edit(state, caller, case, party).await?;
    let p = &view.party;
    let reads_in = match &typed {
        Some(_) => None,
        None => familytime_app::languages::party_language(state, caller, case, party).await?,
    };
    let status = form_status(&errors);
    let keep_hidden = typed.as_ref().map_or(view.hidden, |t| t.checked("keep_hidden"));
    let f = typed.unwrap_or_else(|| {
        let [address, phone, email] = view.contacts.clone().unwrap_or_default();
        FormData::from_pairs(vec![
            ("name", p.name.clone()),
            ("relationship", p.relationship.clone().unwrap_or_default()),
            (
                "parental_responsibility",
                match p.parental_responsibility {
                    Some(true) => "yes",
                    Some(false) => "no",
                    None => "not_known",
                }
                .into(),
            ),
            ("language", p.language.clone().unwrap_or_default()),
            ("interpreter", if p.interpreter { "yes".into() } else { String::new() }),
            ("access", p.accessibility_needs.clone().unwrap_or_default()),
            ("availability", p.availability.clone().unwrap_or_default()),
            ("address", address),
            ("phone", phone),
            ("email", email),
            ("reads_in", reads_in.map_or("default", |l| l.code()).to_owned()),
        ])
    });
    let page = PartyEditPage {
        shell: Shell::for_caller(state, caller, "/cases").await?,
        errors,
        case_id: view.case.id.to_string(),
        reference: view.case.reference.clone(),
        party_id: p.id.to_string(),
        saved_name: p.name.clone(),
        role: p.role.label(),
        f: Fields(f),
        version: p.version,
        contacts_editable: view.contacts.is_some(),
        keep_hidden,
        reminders_off: familytime_app::mail_prefs::party_reminders_off(state, caller, case, party).await?,
        reminders_notice,
    };
    Ok(render_with(status, &page))
}

/// GET /cases/{id}/parties/{party}: the form to change an adult's details.
pub async fn party_form(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    RawQuery(query): RawQuery,
) -> PageResult {
    let done = query.as_deref().and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "done")
            .map(|(_, v)| v.into_owned())
    });
    let notice = match done.as_deref() {
        Some("reminders-off") => {
            Some("Saved: they will not get reminders before a session. They still get every other message.")
        }
        Some("reminders-on") => Some("Saved: they will get reminders before each session."),
        _ => None,
    };
    party_page(&state, &caller, &id, &party, FieldErrors::new(), None, notice).await
}

/// POST /cases/{id}/parties/{party}: saves an adult's details, then the case page says so.
pub async fn save_party(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, party)): Path<(String, String)>,
    form: FormData,
) -> PageResult {
    let input = referrals::PartyEditInput {
        name: form.get("name"),
        relationship: form.get("relationship"),
        parental_responsibility: form.get("parental_responsibility"),
        language: form.get("language"),
        interpreter: form.checked("interpreter"),
        access: form.get("access"),
        availability: form.get("availability"),
        address: form.get("address"),
        phone: form.get("phone"),
        email: form.get("email"),
        keep_hidden: form.checked("keep_hidden"),
        version: form.version(),
    };
    match referrals::update_party(&state, &caller, &id, &party, &input).await {
        Ok(()) => {
            // The language they read in is a preference beside the versioned details.
            familytime_app::languages::set_party_language(&state, &caller, &id, &party, &form.get("reads_in")).await?;
            Ok(Redirect::to(&format!("/cases/{id}?done=saved&party={party}")).into_response())
        }
        Err(err) => {
            let (errors, status, _) = crate::pages::refusal(err, "name")?;
            let mut page = party_page(&state, &caller, &id, &party, errors, Some(form), None).await?;
            *page.status_mut() = status;
            Ok(page)
        }
    }
}
