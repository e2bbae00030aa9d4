//! The referral form: referrers and staff send a referral in (the same checks as the API apply).

use super::Fields;
use super::case_file::done;
use crate::pages::{FormData, PageResult, Shell, form_status, render_with};
use crate::{AppError, AppState, Caller};
use axum::extract::State;
use axum::response::{IntoResponse, Redirect};
use familytime_app::referrals;
use familytime_app::tenancy::list_centres;
use familytime_domain::intake::{AdultInput, ChildInput, ContactInput, OrderInput, ReferralInput};
use familytime_domain::people::Role;
use familytime_domain::referrals::ReferralSource;
use familytime_domain::text::FieldErrors;
use familytime_store::tenancy::Centre;

/// One adult's part of the form; its words are `refform-adult-{key}` and `refform-hide-{key}`.
pub struct AdultSlot {
    pub key: &'static str,
}

const ADULT_SLOTS: [AdultSlot; 2] = [AdultSlot { key: "resident" }, AdultSlot { key: "visiting" }];

/// The catalogue keys the form makes from stable names (checked by the `welsh` tests).
pub fn catalogue_keys() -> Vec<String> {
    ADULT_SLOTS
        .iter()
        .flat_map(|a| [format!("refform-adult-{}", a.key), format!("refform-hide-{}", a.key)])
        .collect()
}

/// Turns the form's flat fields into a referral (the same checks as the API then apply).
fn referral_from_form(f: &FormData) -> ReferralInput {
    let children = (1..=3)
        .map(|i| ChildInput {
            name: f.get(&format!("child{i}_name")),
            date_of_birth: f.get(&format!("child{i}_dob")),
            needs: f.get(&format!("child{i}_needs")),
            contacts: Vec::new(),
        })
        .enumerate()
        .filter(|(i, c)| *i == 0 || !c.name.trim().is_empty() || !c.date_of_birth.trim().is_empty())
        .map(|(_, c)| c)
        .collect();
    let adults = ADULT_SLOTS
        .iter()
        .enumerate()
        .filter(|(_, slot)| slot.key == "resident" || !f.get(&format!("{}_name", slot.key)).trim().is_empty())
        .map(|(i, slot)| {
            let field = |suffix: &str| f.get(&format!("{}{suffix}", slot.key));
            let other = 1 - i;
            let hidden_from = if f.checked(&format!("{}_hidden", slot.key)) {
                vec![other]
            } else {
                Vec::new()
            };
            let contacts = [("address", "_address"), ("phone", "_phone"), ("email", "_email")]
                .into_iter()
                .map(|(kind, suffix)| ContactInput {
                    kind: kind.into(),
                    value: field(suffix),
                    hidden_from: hidden_from.clone(),
                })
                .collect();
            let language = field("_language");
            AdultInput {
                role: slot.key.into(),
                name: field("_name"),
                relationship: field("_relationship"),
                // Yes, no, or not known (nothing chosen is not known, never "no").
                parental_responsibility: familytime_domain::intake::parse_responsibility(&field("_pr")).flatten(),
                may_attend: true,
                interpreter: language.to_lowercase().contains("interpreter"),
                language,
                accessibility_needs: field("_access"),
                availability: field("_availability"),
                contacts,
            }
        })
        .collect::<Vec<_>>();
    // `hidden_from` names positions in `adults`: with no visiting parent given, there is nobody to hide from.
    let adults = if adults.len() < 2 {
        adults
            .into_iter()
            .map(|mut a| {
                a.contacts.iter_mut().for_each(|c| c.hidden_from.clear());
                a
            })
            .collect()
    } else {
        adults
    };
    let mut court_orders = Vec::new();
    if !f.get("order_date").trim().is_empty()
        || !f.get("order_court").trim().is_empty()
        || !f.get("order_terms").trim().is_empty()
    {
        court_orders.push(OrderInput {
            kind: "child_arrangements".into(),
            made_on: f.get("order_date"),
            court: f.get("order_court"),
            terms: f.get("order_terms"),
            sessions: f.get("order_sessions").trim().parse().ok(),
            reports_ordered: f.checked("order_reports"),
            report_recipients: f.get("order_recipients"),
        });
    }
    if !f.get("injunction_kind").trim().is_empty() {
        court_orders.push(OrderInput {
            kind: f.get("injunction_kind"),
            made_on: f.get("injunction_date"),
            terms: f.get("injunction_terms"),
            ..OrderInput::default()
        });
    }
    ReferralInput {
        source: f.get("source"),
        referrer_name: f.get("referrer_name"),
        referrer_organisation: f.get("referrer_organisation"),
        children,
        adults,
        court_orders,
        child_lives_with: f.get("child_lives_with"),
        risk_background: f.get("risk_background"),
        consent_to_share: f.checked("consent_to_share"),
        ..ReferralInput::default()
    }
}

#[derive(askama::Template)]
#[template(path = "referral_form.html")]
struct ReferralFormPage {
    shell: Shell,
    errors: FieldErrors,
    f: Fields,
    centres: Vec<Centre>,
    sources: Vec<ReferralSource>,
    child_slots: [u8; 3],
    adult_slots: &'static [AdultSlot; 2],
}

async fn form_page(state: &AppState, caller: &Caller, errors: FieldErrors, f: FormData) -> PageResult {
    let role = caller.user()?.role;
    // Referrers choose among all the organisation's centres; staff among their own.
    let centres = if role == Role::Referrer {
        state.store.centres(caller.user()?.organisation_id).await?
    } else {
        list_centres(state, caller).await?
    };
    let sources = ReferralSource::ALL
        .iter()
        .copied()
        .filter(|s| role != Role::Referrer || *s != ReferralSource::SelfReferral)
        .collect();
    let status = form_status(&errors);
    let page = ReferralFormPage {
        shell: Shell::for_caller(state, caller, "/referrals").await?,
        errors,
        f: Fields(f),
        centres,
        sources,
        child_slots: [1, 2, 3],
        adult_slots: &ADULT_SLOTS,
    };
    Ok(render_with(status, &page))
}

pub async fn new_form(State(state): State<AppState>, caller: Caller) -> PageResult {
    form_page(&state, &caller, FieldErrors::new(), FormData::empty()).await
}

pub async fn submit(State(state): State<AppState>, caller: Caller, form: FormData) -> PageResult {
    let input = referral_from_form(&form);
    match referrals::submit(&state, &caller, &form.get("centre_id"), &input).await {
        // To the new referral's page, which then says it was sent (so reloading it sends nothing).
        Ok(summary) if caller.user()?.role == Role::Referrer => {
            Ok(Redirect::to(&format!("/referrals/{}?done=sent", summary.id)).into_response())
        }
        Ok(summary) => Ok(done(&summary.id.to_string(), "sent")),
        Err(AppError::Invalid(errors)) => {
            form_page(&state, &caller, crate::pages::messages::in_language(errors), form).await
        }
        Err(other) => Err(other.into()),
    }
}
