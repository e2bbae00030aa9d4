//! A centre's prices in the database: read as a list, added from a date, never changed.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Item, Pence, Price, PriceList};
use familytime_domain::ids::{CentreId, OrganisationId};

/// A price as stored.
#[derive(Debug, Clone)]
pub struct StoredPrice {
    pub id: String,
    pub price: Price,
    pub created_at: Timestamp,
}

#[derive(sqlx::FromRow)]
struct PriceRow {
    id: String,
    item: String,
    amount_pence: i64,
    applies_from: String,
    created_at: i64,
}

impl PriceRow {
    fn stored(self) -> Result<StoredPrice> {
        let bad = || StoreError::Database("unreadable price row".into());
        Ok(StoredPrice {
            price: Price {
                item: Item::parse(&self.item).ok_or_else(bad)?,
                amount: Pence(self.amount_pence),
                from: self.applies_from.parse().map_err(|_| bad())?,
            },
            id: self.id,
            created_at: ts(self.created_at),
        })
    }
}

/// A price read from its columns some other way (`Store::planning`).
pub(crate) fn price_of(
    id: String,
    item: String,
    amount_pence: i64,
    applies_from: String,
    created_at: i64,
) -> Result<Price> {
    let row = PriceRow {
        id,
        item,
        amount_pence,
        applies_from,
        created_at,
    };
    Ok(row.stored()?.price)
}

impl Store {
    pub async fn prices(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<StoredPrice>> {
        let rows: Vec<PriceRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, item, amount_pence, applies_from, created_at FROM prices
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY item, applies_from"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        rows.into_iter().map(PriceRow::stored).collect()
    }

    pub async fn price_list(&self, organisation: OrganisationId, centre: CentreId) -> Result<PriceList> {
        Ok(PriceList::new(
            self.prices(organisation, centre)
                .await?
                .into_iter()
                .map(|p| p.price)
                .collect(),
        ))
    }

    /// Adds a price from a date. Prices are never changed: a new price from a later date replaces it.
    pub async fn add_price(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        price: &Price,
    ) -> Result<String> {
        let id = uuid::Uuid::now_v7().to_string();
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO prices (organisation_id, id, centre_id, item, amount_pence, applies_from, created_by, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
        )
        .bind(organisation.to_string())
        .bind(&id)
        .bind(centre.to_string())
        .bind(price.item.as_str())
        .bind(price.amount.0)
        .bind(price.from.to_string())
        .bind(scope.actor_user_id.map(|u| u.to_string()))
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| {
            StoreError::unique(
                e,
                &format!("{} already has a price from that day", price.item.label()),
            )
        })?;
        tx.audit(scope, AuditEvent::ok("billing.price", "centre", centre))
            .await?;
        tx.commit().await?;
        Ok(id)
    }
}
