//! The languages people read familytime in (issue 22, decision 0039): each person's own choice,
//! the language staff record for an adult of a case, and the organisation's policy (its default
//! language and whether its letters are bilingual). Every change is audited by the store.

use super::authorize;
use crate::case_files::case_file;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::{Action, Object};
use familytime_domain::language::{self, Lang, LanguagePolicy};

/// Records the language the caller reads familytime in: `cy`, `en`, or anything else for the
/// organisation's default. Returns what was saved (`None`: the default).
pub async fn choose_own_language(state: &AppState, caller: &Caller, choice: &str) -> Result<Option<Lang>, AppError> {
    let user = caller.user()?;
    authorize(
        state,
        caller,
        Action::UseOwnAccount,
        Object::User {
            organisation: user.organisation_id,
            user: user.id,
        },
    )
    .await?;
    let chosen = language::choice(choice);
    state
        .store
        .set_user_language(&caller.scope(state.clock.now()), user.organisation_id, user.id, chosen)
        .await?;
    Ok(chosen)
}

/// The caller's organisation's language policy, for anyone signed in to it (their account page
/// names the default; the language of their pages follows from it).
pub async fn own_policy(state: &AppState, caller: &Caller) -> Result<LanguagePolicy, AppError> {
    Ok(state.store.language_policy(caller.user()?.organisation_id).await?)
}

/// The organisation's language policy, for the administrator who sets it.
pub async fn policy(state: &AppState, caller: &Caller) -> Result<LanguagePolicy, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ManageLanguages, Object::Organisation(org)).await?;
    Ok(state.store.language_policy(org).await?)
}

/// Sets the organisation's language policy. An unknown default language keeps the current one.
pub async fn set_policy(
    state: &AppState,
    caller: &Caller,
    default: &str,
    bilingual_letters: bool,
) -> Result<LanguagePolicy, AppError> {
    let current = policy(state, caller).await?;
    let org = caller.user()?.organisation_id;
    let policy = LanguagePolicy {
        default: Lang::parse(default).unwrap_or(current.default),
        bilingual_letters,
    };
    state
        .store
        .set_language_policy(&caller.scope(state.clock.now()), org, policy)
        .await?;
    Ok(policy)
}

/// The language recorded for an adult of a case, for the staff who edit the adult's details.
pub async fn party_language(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
) -> Result<Option<Lang>, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let party = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .ok_or(AppError::NotFound)?;
    Ok(state
        .store
        .party_language(caller.user()?.organisation_id, &party.id.to_string())
        .await?)
}

/// Records the language an adult of a case reads letters and messages in (`cy`, `en`, or anything
/// else for the organisation's default).
pub async fn set_party_language(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    choice: &str,
) -> Result<Option<Lang>, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let party = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .ok_or(AppError::NotFound)?;
    let chosen = language::choice(choice);
    state
        .store
        .set_party_language(
            &caller.scope(state.clock.now()),
            caller.user()?.organisation_id,
            &party.id.to_string(),
            chosen,
        )
        .await?;
    Ok(chosen)
}
