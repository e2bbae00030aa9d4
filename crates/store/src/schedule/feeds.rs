//! iCalendar feeds: creating and revoking a feed for a staff member or a party, finding one by its
//! token, and a party's bookings for theirs.

use super::calendar::BookedParty;
use super::rows::Booking;
use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, with_pool};
use familytime_domain::ids::{BookingId, OrganisationId, UserId};

impl Store {
    /// A party's bookings (for their calendar feed and their own account), or only those they
    /// arrive for within `window` (start and end, milliseconds).
    pub async fn party_bookings(
        &self,
        organisation: OrganisationId,
        party: &str,
        window: Option<(i64, i64)>,
    ) -> Result<Vec<(Booking, BookedParty)>> {
        let plans: Vec<BookedParty> = self
            .booked_parties_where(organisation, "bp.party_id = $2", &[party.to_owned()])
            .await?;
        let mut out = Vec::new();
        let within = |plan: &BookedParty| window.is_none_or(|(from, to)| (from..=to).contains(&plan.arrives_at));
        for plan in plans.into_iter().filter(within) {
            let Ok(id) = BookingId::parse(&plan.booking_id) else {
                continue;
            };
            out.push((self.booking(organisation, id).await?, plan));
        }
        Ok(out)
    }

    /// Creates a feed for a staff member or a party; only the token's hash is kept.
    pub async fn create_feed(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        user: Option<UserId>,
        party: Option<&str>,
        token_hash: &str,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO calendar_feeds (organisation_id, id, token_hash, user_id, party_id, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(token_hash)
        .bind(user.map(|u| u.to_string()))
        .bind(party)
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)?;
        tx.audit(scope, AuditEvent::ok("calendar_feed.create", "calendar_feed", &id))
            .await?;
        tx.commit().await?;
        Ok(id)
    }

    pub async fn revoke_feed(&self, scope: &AuditScope, organisation: OrganisationId, id: &str) -> Result<()> {
        let mut tx = self.begin().await?;
        let n = exec_tx!(tx, |c| {
            sqlx::query(
            "UPDATE calendar_feeds SET revoked_at = $1 WHERE organisation_id = $2 AND id = $3 AND revoked_at IS NULL"
        )
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id)
        .execute(c)
        .await
        })?;
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        tx.audit(scope, AuditEvent::ok("calendar_feed.revoke", "calendar_feed", id))
            .await?;
        tx.commit().await
    }

    /// The live feed with this token hash: (organisation, feed id, user, party).
    pub async fn feed_by_hash(
        &self,
        token_hash: &str,
    ) -> Result<(OrganisationId, String, Option<String>, Option<String>)> {
        let row: (String, String, Option<String>, Option<String>) = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT organisation_id, id, user_id, party_id FROM calendar_feeds WHERE token_hash = $1 AND revoked_at IS NULL"
        )
        .bind(token_hash)
        .fetch_one(p)
        .await
        })?;
        let org = OrganisationId::parse(&row.0).map_err(|_| StoreError::NotFound)?;
        Ok((org, row.1, row.2, row.3))
    }

    /// Feeds made for a case's parties or for a user: (id, user, party, created, revoked).
    pub async fn feeds(
        &self,
        organisation: OrganisationId,
    ) -> Result<Vec<(String, Option<String>, Option<String>, i64, Option<i64>)>> {
        Ok(with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT id, user_id, party_id, created_at, revoked_at FROM calendar_feeds WHERE organisation_id = $1 ORDER BY created_at DESC"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await
        })?)
    }
}
