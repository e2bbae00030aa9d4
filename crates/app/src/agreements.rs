//! The centre's rules agreed as a record of its own (issue 19 item 2, decision 0046): each parent's
//! agreement to a version of the rules, recorded by staff from the case (the page and the API), and
//! the organisation's versions of its rules (the latest issued is the one asked for).

use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::agreements::{AgreementInput, VersionInput};
use familytime_domain::authz::{Action, Object};
use familytime_domain::intake::PartyRole;
use familytime_domain::text::FieldErrors;
use familytime_store::StoreError;
use familytime_store::agreements::{Agreement, RulesVersion};
use familytime_store::referrals::CaseFile;

/// What the case page and the API show: the current version, each parent and whether they agreed
/// to it, and every agreement recorded.
#[derive(Debug, Clone)]
pub struct AgreementsView {
    /// The current version's label ("1" when none was issued).
    pub current: String,
    /// Each parent: (party id, name, agreed to the current version).
    pub parents: Vec<(String, String, bool)>,
    pub agreements: Vec<Agreement>,
}

/// The agreements of the case of an already authorised `file`.
pub async fn agreements_view(state: &AppState, caller: &Caller, file: &CaseFile) -> Result<AgreementsView, AppError> {
    let org = file_org(caller)?;
    let versions = state.store.rules_versions(org).await?;
    let current = versions.first().map_or_else(
        || familytime_store::agreements::FIRST_LABEL.to_owned(),
        |v| v.label.clone(),
    );
    let agreements = state.store.case_agreements(org, file.summary.id).await?;
    let parents = file
        .parties
        .iter()
        .filter(|p| matches!(p.role, PartyRole::Resident | PartyRole::Visiting))
        .map(|p| {
            let id = p.id.to_string();
            let agreed = agreements.iter().any(|a| a.party_id == id && a.version == current);
            (id, p.name.clone(), agreed)
        })
        .collect();
    Ok(AgreementsView {
        current,
        parents,
        agreements,
    })
}

/// The case's agreements, for the API.
pub async fn case_agreements(state: &AppState, caller: &Caller, case: &str) -> Result<AgreementsView, AppError> {
    let file = case_file(state, caller, case, Action::ViewCases).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            familytime_store::AuditEvent::ok("rules.agreements.read", "case", file.summary.id),
        )
        .await?;
    agreements_view(state, caller, &file).await
}

/// Records a parent's agreement to the current version of the rules. Every problem at once (422),
/// nothing written; someone who is not a parent of the case is a problem with `party_id`; a parent
/// who agreed to this version already is a conflict.
pub async fn record(state: &AppState, caller: &Caller, case: &str, input: &AgreementInput) -> Result<String, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let today = state.clock.now().to_zoned(zone).date();
    let agreement = input.parse(today).map_err(AppError::Invalid)?;
    match state
        .store
        .record_agreement(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            &agreement.party_id,
            agreement.agreed_on,
            agreement.how,
        )
        .await
    {
        Ok(id) => Ok(id),
        Err(StoreError::NotFound) => Err(AppError::Invalid(FieldErrors::single(
            "parent_id",
            "Choose one of the case's parents",
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The organisation's versions of its rules, newest (the current one) first.
pub async fn versions(state: &AppState, caller: &Caller) -> Result<Vec<RulesVersion>, AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::ManageCentres, Object::Organisation(org)).await?;
    Ok(state.store.rules_versions(org).await?)
}

/// Issues a new version of the rules: from now on every parent is asked to agree to it before
/// contact is booked.
pub async fn add_version(state: &AppState, caller: &Caller, input: &VersionInput) -> Result<String, AppError> {
    let org = file_org(caller)?;
    authorize(state, caller, Action::ManageCentres, Object::Organisation(org)).await?;
    // The organisation's day: its first centre's, else UTC.
    let zone = match state.store.centres(org).await?.first() {
        Some(c) => jiff::tz::TimeZone::get(&c.time_zone).unwrap_or(jiff::tz::TimeZone::UTC),
        None => jiff::tz::TimeZone::UTC,
    };
    let today = state.clock.now().to_zoned(zone).date();
    let version = input.parse(today).map_err(AppError::Invalid)?;
    Ok(state
        .store
        .add_rules_version(
            &caller.scope(state.clock.now()),
            org,
            &version.label,
            version.issued_on,
            version.summary.as_deref(),
        )
        .await?)
}

/// One of a parent's places on a case, and whether they agreed to the current rules there.
#[derive(Debug, Clone)]
pub struct OwnAgreement {
    /// Their party on the case (what the portal's form sends back).
    pub party_id: String,
    pub case_reference: String,
    pub version: String,
    pub summary: Option<String>,
    pub agreed: bool,
}

/// The places of the signed-in parent, each with whether they agreed to the current version of the
/// centre's rules (read by their own parties only).
pub async fn own_agreements(state: &AppState, caller: &Caller) -> Result<Vec<OwnAgreement>, AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?.id;
    authorize(
        state,
        caller,
        Action::ViewOwnAccount,
        Object::OwnedBy {
            organisation: org,
            owners: vec![user],
        },
    )
    .await?;
    let versions = state.store.rules_versions(org).await?;
    let (version, summary) = versions.first().map_or_else(
        || (familytime_store::agreements::FIRST_LABEL.to_owned(), None),
        |v| (v.label.clone(), v.summary.clone()),
    );
    let mut out = Vec::new();
    for (party, case) in state.store.parties_of_user(org, user).await? {
        let people = state.store.case_people(org, case).await?;
        let agreed = state
            .store
            .case_agreements(org, case)
            .await?
            .iter()
            .any(|a| a.party_id == party && a.version == version);
        out.push(OwnAgreement {
            party_id: party,
            case_reference: people.summary.reference.clone(),
            version: version.clone(),
            summary: summary.clone(),
            agreed,
        });
    }
    Ok(out)
}

/// The signed-in parent agrees, in the portal, to the current version of the rules for one of their
/// own places on a case (another's place is not found; someone who is not a parent there is
/// refused by the store as not found too).
pub async fn agree_in_portal(state: &AppState, caller: &Caller, party: &str) -> Result<(), AppError> {
    let org = file_org(caller)?;
    let user = caller.user()?.id;
    authorize(
        state,
        caller,
        Action::ViewOwnAccount,
        Object::OwnedBy {
            organisation: org,
            owners: vec![user],
        },
    )
    .await?;
    let own = state.store.parties_of_user(org, user).await?;
    let Some((party, case)) = own.into_iter().find(|(p, _)| p == party.trim()) else {
        return Err(AppError::NotFound);
    };
    let people = state.store.case_people(org, case).await?;
    let zone = centre_zone(state, caller, people.summary.centre_id).await?;
    let today = state.clock.now().to_zoned(zone).date();
    state
        .store
        .record_agreement(
            &caller.scope(state.clock.now()),
            org,
            case,
            &party,
            today,
            familytime_domain::agreements::How::Portal,
        )
        .await?;
    Ok(())
}
