//! The demo's people: an account for every role, with a new random password at every start, and the
//! administrator as a caller of the application.

use anyhow::Result;
use familytime_app::people::{NewUserInput, add_user};
use familytime_app::secrets::random_token;
use familytime_domain::ids::{CentreId, OrganisationId, UserId};
use familytime_store::{AuditScope, Store};
use std::collections::HashMap;

/// A demo account as printed.
pub struct DemoAccount {
    pub email: &'static str,
    pub role: &'static str,
    pub password: String,
}

const PEOPLE: &[(&str, &str, &str, Option<usize>)] = &[
    ("admin@riverside.example", "Amira Hassan", "organisation_admin", None),
    (
        "coordinator@riverside.example",
        "Joanne Whitfield",
        "coordinator",
        Some(0),
    ),
    (
        "coordinator.northgate@riverside.example",
        "Peter Okafor",
        "coordinator",
        Some(1),
    ),
    // A second coordinator at Riverside: a report one coordinator writes is checked by the other
    // (the author never checks their own, decision 0029).
    ("coordinator2@riverside.example", "Ruth Adeyemi", "coordinator", Some(0)),
    ("supervisor@riverside.example", "Grace Lindqvist", "supervisor", None),
    ("supervisor2@riverside.example", "Tom Ashworth", "supervisor", Some(0)),
    ("volunteer@riverside.example", "Maureen Doyle", "volunteer", Some(0)),
    (
        "volunteer.northgate@riverside.example",
        "Sanjay Patel",
        "volunteer",
        Some(1),
    ),
    (
        "safeguarding@riverside.example",
        "Helen Marsh",
        "safeguarding_lead",
        None,
    ),
    (
        "fca.officer@cafcass.example",
        "Rebecca Stone (Cafcass)",
        "referrer",
        None,
    ),
    (
        "solicitor@lawfirm.example",
        "David Chen (Chen & Co Solicitors)",
        "referrer",
        None,
    ),
    // The parents of the family whose money the demo shows (see `seed_payments`): each account is
    // linked to the adult of the same name on their own case.
    ("parent.visiting@example.com", "Ryan Ward", "parent", None),
    ("parent.resident@example.com", "Jade Ward", "parent", None),
];

/// An account for each of `PEOPLE`; returns the accounts to print, and each one's id by e-mail.
pub(super) async fn seed_accounts(
    store: &Store,
    scope: &AuditScope,
    org: OrganisationId,
    centres: [CentreId; 2],
) -> Result<(Vec<DemoAccount>, HashMap<&'static str, UserId>)> {
    let mut accounts = Vec::new();
    let mut ids: HashMap<&'static str, UserId> = HashMap::new();
    for (email, name, role, centre) in PEOPLE {
        let password = random_token()[..16].to_owned();
        let input = NewUserInput {
            email: (*email).into(),
            name: (*name).into(),
            role: (*role).into(),
            password: password.clone(),
            centre_ids: centre.map(|i| vec![centres[i].to_string()]).unwrap_or_default(),
        };
        let user = add_user(store, scope, org, &input)
            .await
            .map_err(|e| anyhow::anyhow!("demo account {email}: {}", e.message()))?;
        ids.insert(*email, user.id);
        accounts.push(DemoAccount { email, role, password });
    }
    Ok((accounts, ids))
}

/// The demo's administrator as a caller of the application, with the real clock.
pub(super) async fn demo_admin(store: &Store) -> Result<(familytime_app::AppState, familytime_app::context::Caller)> {
    let admin = store
        .user_by_email(
            &familytime_domain::people::Email::parse("admin@riverside.example").map_err(|e| anyhow::anyhow!(e))?,
        )
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo administrator is missing"))?;
    let state = familytime_app::AppState::new(
        store.clone(),
        std::sync::Arc::new(familytime_app::clock::SystemClock),
        familytime_app::Config::default(),
    )
    .map_err(|e| anyhow::anyhow!(e.message()))?;
    let caller = familytime_app::context::Caller {
        user: Some(admin),
        credential: familytime_app::context::Credential::Anonymous,
        request_id: "demo-seed".into(),
        client_addr: "127.0.0.1".into(),
        asked: Default::default(),
    };
    Ok((state, caller))
}
