//! Who sees each case's hidden contact details without giving a reason (decision 0022).

use anyhow::Result;
use familytime_store::{AuditScope, Store};

/// Who sees each case's hidden contact details without giving a reason: a supervisor as its key
/// worker and the centre's coordinator, named by the administrator (decision 0022). Anyone else —
/// the administrator and the safeguarding lead included — gives a reason first.
pub(super) async fn seed_named_staff(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    ids: &std::collections::HashMap<&str, familytime_domain::ids::UserId>,
) -> Result<()> {
    let scope = AuditScope {
        actor_user_id: ids.get("admin@riverside.example").copied(),
        ..scope.clone()
    };
    let id = |email: &str| ids.get(email).copied();
    for (n, case) in store.cases(org, None, None).await?.iter().enumerate() {
        let (key_worker, coordinator) = if case.centre_id == centres[0] {
            let key = ["supervisor@riverside.example", "supervisor2@riverside.example"][n % 2];
            (id(key), id("coordinator@riverside.example"))
        } else {
            (
                id("supervisor@riverside.example"),
                id("coordinator.northgate@riverside.example"),
            )
        };
        let named: Vec<_> = coordinator.into_iter().collect();
        store
            .set_named_staff(&scope, org, case.id, 0, key_worker, &named)
            .await?;
    }
    Ok(())
}
