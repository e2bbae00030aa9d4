//! A parent's own account in the database: which party accounts a signed-in parent holds.

use crate::{Result, Store, StoreError, with_pool};
use familytime_domain::ids::{CaseId, OrganisationId};

impl Store {
    /// Which party accounts a signed-in parent holds (their places on cases).
    pub async fn parties_of_user(
        &self,
        organisation: OrganisationId,
        user: familytime_domain::ids::UserId,
    ) -> Result<Vec<(String, CaseId)>> {
        let rows: Vec<(String, String)> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, case_id FROM case_parties WHERE organisation_id = $1 AND user_id = $2"
        )
        .bind(organisation.to_string())
        .bind(user.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter()
            .map(|(party, case)| {
                Ok((
                    party,
                    CaseId::parse(&case).map_err(|_| StoreError::Database("unreadable party row".into()))?,
                ))
            })
            .collect()
    }
}
