//! A case's adults: a parent's account linked to their place, and an adult's details edited (each
//! hidden detail shown to the editor only as the domain decides, and audited).

use crate::case_files::{case_file, centre_zone, file_org};
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::confidential::{Viewer, may_disclose};
use familytime_domain::text::{self, FieldErrors};
use familytime_store::AuditEvent;
use familytime_store::referrals::CaseSummary;

/// Links a parent's account to their place on the case (or unlinks it, with an empty `user`), so the
/// reports released to them appear in their portal.
pub async fn link_party_account(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    user: &str,
    version: i64,
) -> Result<(), AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let party = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .ok_or(AppError::NotFound)?
        .id;
    let user = match user.trim() {
        "" => None,
        id => Some(
            familytime_domain::ids::UserId::parse(id)
                .map_err(|_| AppError::Invalid(FieldErrors::single("account", "Choose a parent's account")))?,
        ),
    };
    match state
        .store
        .link_party_account(
            &caller.scope(state.clock.now()),
            file_org(caller)?,
            file.summary.id,
            party,
            user,
            version,
        )
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => Err(AppError::Invalid(FieldErrors::single("account", m))),
        other => Ok(other?),
    }
}

/// The organisation's parent accounts (id, name and e-mail), for linking them to a case.
pub async fn parent_accounts(state: &AppState, caller: &Caller) -> Result<Vec<(String, String)>, AppError> {
    let org = file_org(caller)?;
    Ok(state
        .store
        .users_in_roles(org, &[familytime_domain::people::Role::Parent])
        .await?
        .into_iter()
        .filter(|u| !u.disabled)
        .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
        .collect())
}

/// An adult's details as the edit form sends them.
#[derive(Debug, Default, Clone)]
pub struct PartyEditInput {
    pub name: String,
    pub relationship: String,
    /// "yes", "no" or "not_known".
    pub parental_responsibility: String,
    pub language: String,
    pub interpreter: bool,
    pub access: String,
    pub availability: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    /// Keep the address, phone and e-mail hidden from the case's other adults.
    pub keep_hidden: bool,
    pub version: i64,
}

/// One adult of a case as its edit form shows them.
pub struct PartyEditView {
    pub case: CaseSummary,
    pub party: familytime_store::referrals::Party,
    /// Their address, phone and e-mail, when the editor may see every one of them (else `None`:
    /// the form then leaves them alone, and says why).
    pub contacts: Option<[String; 3]>,
    /// Whether their details are hidden from another adult now.
    pub hidden: bool,
    /// The case's other adults (those "hidden from the other adults" hides them from).
    pub others: Vec<familytime_domain::ids::PartyId>,
}

const EDITABLE_KINDS: [familytime_domain::intake::ContactKind; 3] = [
    familytime_domain::intake::ContactKind::Address,
    familytime_domain::intake::ContactKind::Phone,
    familytime_domain::intake::ContactKind::Email,
];

/// An adult of a case, for editing (for people who manage cases). Reading it is audited like the case
/// file, and so is each hidden detail shown; a detail hidden from the editor is never shown.
pub async fn party_for_edit(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
) -> Result<PartyEditView, AppError> {
    let file = case_file(state, caller, case, Action::ManageCases).await?;
    let p = file
        .parties
        .iter()
        .find(|p| p.id.to_string() == party.trim())
        .cloned()
        .ok_or(AppError::NotFound)?;
    let role = caller.user()?.role;
    let now = state.clock.now();
    let scope = caller.scope(now);
    let zone = centre_zone(state, caller, file.summary.centre_id).await?;
    let relation = crate::confidential::relation(state, caller, &file).await?;
    state
        .store
        .audit(&scope, AuditEvent::ok("case.read", "case", file.summary.id))
        .await?;
    let theirs: Vec<_> = file
        .contacts
        .iter()
        .filter(|c| c.party_id == Some(p.id) && EDITABLE_KINDS.contains(&c.kind))
        .collect();
    let mut values = [String::new(), String::new(), String::new()];
    let mut all_shown = true;
    for c in &theirs {
        let viewer = Viewer::Staff {
            role,
            relation: &relation,
        };
        match may_disclose(viewer, &c.hidden_from, now, &zone) {
            Ok(disclosure) => {
                if !c.hidden_from.is_empty() {
                    state
                        .store
                        .audit(&scope, AuditEvent::ok("contact.disclose", "contact", &c.id))
                        .await?;
                }
                if let Some(i) = EDITABLE_KINDS.iter().position(|k| *k == c.kind)
                    && values[i].is_empty()
                {
                    values[i] = c.value.reveal(&disclosure).clone();
                }
            }
            Err(_) => all_shown = false,
        }
    }
    Ok(PartyEditView {
        hidden: theirs.iter().any(|c| !c.hidden_from.is_empty()),
        contacts: all_shown.then_some(values),
        others: file.parties.iter().map(|x| x.id).filter(|x| *x != p.id).collect(),
        case: file.summary,
        party: p,
    })
}

/// Changes an adult's details: every problem reported at once; a write from an older version is
/// refused (`Stale`) and changes nothing. Their address, phone and e-mail are replaced only when the
/// editor may see all of them (they are hidden from the other adults when asked).
pub async fn update_party(
    state: &AppState,
    caller: &Caller,
    case: &str,
    party: &str,
    input: &PartyEditInput,
) -> Result<(), AppError> {
    use familytime_domain::confidential::Confidential;
    use familytime_domain::intake::NewContact;
    let view = party_for_edit(state, caller, case, party).await?;
    let mut errors = FieldErrors::new();
    let name = errors.take("name", text::required("their full name", &input.name, 200));
    let relationship = errors
        .take(
            "relationship",
            text::optional("who they are to the children", &input.relationship, 200),
        )
        .flatten();
    let responsibility = familytime_domain::intake::parse_responsibility(&input.parental_responsibility)
        .unwrap_or_else(|| {
            errors.add(
                "parental_responsibility",
                "Say whether they have parental responsibility",
            );
            None
        });
    let language = errors
        .take("language", text::optional("the language", &input.language, 100))
        .flatten();
    let access = errors
        .take("access", text::optional("the accessibility needs", &input.access, 4000))
        .flatten();
    let availability = errors
        .take(
            "availability",
            text::optional("when they can come", &input.availability, 4000),
        )
        .flatten();
    let others = &view.others;
    let hidden_from: Vec<usize> = if input.keep_hidden {
        (0..others.len()).collect()
    } else {
        Vec::new()
    };
    let mut contacts = Vec::new();
    if view.contacts.is_some() {
        for ((field, label), (kind, value)) in [
            ("address", "the address"),
            ("phone", "the phone number"),
            ("email", "the email address"),
        ]
        .into_iter()
        .zip(
            EDITABLE_KINDS
                .into_iter()
                .zip([&input.address, &input.phone, &input.email]),
        ) {
            if let Some(Some(value)) = errors.take(field, text::optional(label, value, 500)) {
                if kind == familytime_domain::intake::ContactKind::Email
                    && errors
                        .take(field, familytime_domain::people::check_mail_address(&value))
                        .is_none()
                {
                    continue;
                }
                contacts.push(NewContact {
                    kind,
                    value: Confidential::new(value),
                    hidden_from: hidden_from.clone(),
                });
            }
        }
    }
    let Some(name) = name else {
        return Err(AppError::Invalid(errors));
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let update = familytime_store::referrals::PartyUpdate {
        name: &name,
        relationship: relationship.as_deref(),
        parental_responsibility: responsibility,
        language: language.as_deref(),
        interpreter: input.interpreter,
        accessibility_needs: access.as_deref(),
        availability: availability.as_deref(),
        contacts: view.contacts.is_some().then_some(contacts.as_slice()),
        hidden_from: others,
    };
    let scope = caller.scope(state.clock.now());
    Ok(state
        .store
        .update_party(
            &scope,
            file_org(caller)?,
            view.case.id,
            view.party.id,
            input.version,
            &update,
        )
        .await?)
}
