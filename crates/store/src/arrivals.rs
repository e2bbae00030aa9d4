//! The arrival plan's choices: for each adult on a booking, the entrance they use and the waiting room
//! they wait in, set by the coordinator when the case's risk calls for keeping the adults apart on
//! arrival and leaving. They are held on the booking's own lines (`booking_parties`), and a change
//! counts as a change to the booking (its version moves on, so a stale form is refused).

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms};
use familytime_domain::ids::{BookingId, OrganisationId};

/// One adult's entrance and waiting room (ids; `None` for the usual way in, or no waiting room).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivalChoice {
    pub party_id: String,
    pub entrance_id: Option<String>,
    pub waits_in: Option<String>,
}

impl Store {
    /// Sets where each adult arrives and waits for the booking, all together; refused as stale when
    /// the booking changed since `version`. The caller has checked the entrances and rooms are the
    /// booking's centre's (the database checks they are the organisation's).
    pub async fn set_arrivals(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        booking: BookingId,
        version: i64,
        choices: &[ArrivalChoice],
    ) -> Result<()> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE bookings SET updated_at = $1, version = version + 1
             WHERE organisation_id = $2 AND id = $3 AND version = $4"
        )
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(booking.to_string())
        .bind(version)
        .execute(c)
        .await)?;
        if changed == 0 {
            return Err(StoreError::Stale);
        }
        for choice in choices {
            let changed = exec_tx!(tx, |c| sqlx::query(
                "UPDATE booking_parties SET entrance_id = $1, waits_in = $2
                 WHERE organisation_id = $3 AND booking_id = $4 AND party_id = $5"
            )
            .bind(choice.entrance_id.as_deref())
            .bind(choice.waits_in.as_deref())
            .bind(organisation.to_string())
            .bind(booking.to_string())
            .bind(&choice.party_id)
            .execute(c)
            .await)?;
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
        }
        tx.audit(scope, AuditEvent::ok("booking.arrivals", "booking", booking))
            .await?;
        tx.commit().await
    }
}
