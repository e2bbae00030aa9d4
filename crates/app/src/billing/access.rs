//! Who may reach which money: a case's account (staff who manage billing at its centre), a parent's
//! own papers, a centre's prices, and the organisation's lists (only the cases at the reader's
//! centres).

use crate::case_files::file_org;
use crate::{AppError, AppState, Caller, authorize, found, parse_id};
use familytime_domain::authz::{self, Action, Actor, Object};
use familytime_domain::billing::Account;
use familytime_domain::ids::{CaseId, CentreId, OrganisationId, UserId};
use familytime_store::billing::LedgerRow;
use familytime_store::referrals::CasePeople;

pub(super) async fn billing_case(state: &AppState, caller: &Caller, id: &str) -> Result<CasePeople, AppError> {
    let id = parse_id(id, CaseId::parse)?;
    let org = file_org(caller)?;
    let people = found(state, caller, state.store.case_people(org, id).await, "case", id).await?;
    let object = Object::Case {
        organisation: org,
        centre: people.summary.centre_id,
        referred_by: people.summary.referrer_user_id,
    };
    authorize(state, caller, Action::ManageBilling, object).await?;
    Ok(people)
}

/// Staff who manage billing reach everything on their centres' cases; a parent reaches only their
/// own account's papers.
pub(super) async fn authorize_own_or_staff(
    state: &AppState,
    caller: &Caller,
    people: &CasePeople,
    account: &Account,
) -> Result<(), AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?;
    if user.role == familytime_domain::people::Role::Parent {
        let owners: Vec<UserId> = match account {
            Account::Party(id) => people
                .parties
                .iter()
                .filter(|p| p.id.to_string() == *id)
                .filter_map(|p| p.user_id)
                .collect(),
            Account::Funder(_) => Vec::new(),
        };
        authorize(
            state,
            caller,
            Action::ViewOwnAccount,
            Object::OwnedBy {
                organisation: org,
                owners,
            },
        )
        .await?;
    } else {
        let object = Object::Case {
            organisation: org,
            centre: people.summary.centre_id,
            referred_by: people.summary.referrer_user_id,
        };
        authorize(state, caller, Action::ManageBilling, object).await?;
    }
    Ok(())
}

pub(super) async fn organisation_scope(state: &AppState, caller: &Caller) -> Result<OrganisationId, AppError> {
    Ok(money_reader(state, caller).await?.0)
}

/// The organisation and the person reading its money lists, who see only the cases at their centres.
pub(super) async fn money_reader(state: &AppState, caller: &Caller) -> Result<(OrganisationId, Actor), AppError> {
    let org = file_org(caller)?;
    let actor = authorize(state, caller, Action::ManageBilling, Object::Organisation(org)).await?;
    Ok((org, actor))
}

/// Whether a money list may name a case at `centre` to `actor`: the same rule as the case list and
/// opening the case's money page, decided in the authorisation module.
pub(super) fn reaches(actor: &Actor, centre: CentreId) -> bool {
    authz::listed(
        actor,
        Action::ManageBilling,
        &Object::Case {
            organisation: actor.organisation_id,
            centre,
            referred_by: None,
        },
    )
}

/// The organisation's ledger, only the cases the reader's case list shows.
pub(super) async fn ledger_in_reach(
    state: &AppState,
    org: OrganisationId,
    actor: &Actor,
) -> Result<Vec<LedgerRow>, AppError> {
    Ok(state
        .store
        .organisation_ledger(org)
        .await?
        .into_iter()
        .filter(|r| reaches(actor, r.centre_id))
        .collect())
}

pub(super) async fn centre_for(
    state: &AppState,
    caller: &Caller,
    id: &str,
    action: Action,
) -> Result<CentreId, AppError> {
    let centre = parse_id(id, CentreId::parse)?;
    let org = file_org(caller)?;
    found(state, caller, state.store.centre(org, centre).await, "centre", centre).await?;
    authorize(
        state,
        caller,
        action,
        Object::Centre {
            organisation: org,
            centre,
        },
    )
    .await?;
    Ok(centre)
}
