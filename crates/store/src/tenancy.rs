//! Organisations, centres and rooms.

use crate::{AuditEvent, AuditScope, Result, Store, StoreError, Tx, exec_tx, ms, ts, with_pool};
use familytime_domain::Timestamp;
use familytime_domain::ids::{CentreId, OrganisationId, RoomId};
use familytime_domain::tenancy::{CentreDetails, RoomDetails, RoomKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Organisation {
    pub id: OrganisationId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Centre {
    pub id: CentreId,
    pub organisation_id: OrganisationId,
    pub name: String,
    pub address: Option<String>,
    /// The phone number families may call (public).
    pub public_phone: Option<String>,
    pub time_zone: String,
    pub version: i64,
    pub updated_at: Timestamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Room {
    pub id: RoomId,
    pub organisation_id: OrganisationId,
    pub centre_id: CentreId,
    pub name: String,
    pub kind: RoomKind,
    pub capacity_families: i32,
    pub active: bool,
    pub version: i64,
}

#[derive(sqlx::FromRow)]
struct OrganisationRow {
    id: String,
    name: String,
}

#[derive(sqlx::FromRow)]
struct CentreRow {
    id: String,
    organisation_id: String,
    name: String,
    address: Option<String>,
    public_phone: Option<String>,
    time_zone: String,
    version: i64,
    updated_at: i64,
}

#[derive(sqlx::FromRow)]
pub(crate) struct RoomRow {
    id: String,
    organisation_id: String,
    centre_id: String,
    name: String,
    kind: String,
    capacity_families: i32,
    active: bool,
    version: i64,
}

impl RoomRow {
    /// A room's row from its columns read some other way (`Store::planning`).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn from_parts(
        id: String,
        organisation_id: String,
        centre_id: String,
        name: String,
        kind: String,
        capacity: i64,
        active: bool,
        version: i64,
    ) -> Result<RoomRow> {
        Ok(RoomRow {
            id,
            organisation_id,
            centre_id,
            name,
            kind,
            capacity_families: i32::try_from(capacity).map_err(|_| bad_row("room"))?,
            active,
            version,
        })
    }
}

/// A stored identifier that does not parse means the database was edited by hand.
fn bad_row(what: &str) -> StoreError {
    StoreError::Database(format!("unreadable {what} row"))
}

impl TryFrom<OrganisationRow> for Organisation {
    type Error = StoreError;
    fn try_from(r: OrganisationRow) -> Result<Self> {
        Ok(Organisation {
            id: OrganisationId::parse(&r.id).map_err(|_| bad_row("organisation"))?,
            name: r.name,
        })
    }
}

impl TryFrom<CentreRow> for Centre {
    type Error = StoreError;
    fn try_from(r: CentreRow) -> Result<Self> {
        Ok(Centre {
            id: CentreId::parse(&r.id).map_err(|_| bad_row("centre"))?,
            organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad_row("centre"))?,
            name: r.name,
            address: r.address,
            public_phone: r.public_phone,
            time_zone: r.time_zone,
            version: r.version,
            updated_at: ts(r.updated_at),
        })
    }
}

impl TryFrom<RoomRow> for Room {
    type Error = StoreError;
    fn try_from(r: RoomRow) -> Result<Self> {
        Ok(Room {
            id: RoomId::parse(&r.id).map_err(|_| bad_row("room"))?,
            organisation_id: OrganisationId::parse(&r.organisation_id).map_err(|_| bad_row("room"))?,
            centre_id: CentreId::parse(&r.centre_id).map_err(|_| bad_row("room"))?,
            name: r.name,
            kind: RoomKind::parse(&r.kind).map_err(|_| bad_row("room"))?,
            capacity_families: r.capacity_families,
            active: r.active,
            version: r.version,
        })
    }
}

pub(crate) fn convert<R, T: TryFrom<R, Error = StoreError>>(rows: Vec<R>) -> Result<Vec<T>> {
    rows.into_iter().map(T::try_from).collect()
}

impl Store {
    /// Whether any organisation exists (an empty database offers the first-run setup link).
    pub async fn has_organisations(&self) -> Result<bool> {
        let n: i64 = with_pool!(self, |p| sqlx::query_scalar("SELECT COUNT(*) FROM organisations")
            .fetch_one(p)
            .await)?;
        Ok(n > 0)
    }

    pub async fn organisation(&self, id: OrganisationId) -> Result<Organisation> {
        let row: OrganisationRow = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM organisations WHERE id = $1"
        )
        .bind(id.to_string())
        .fetch_one(p)
        .await)?;
        row.try_into()
    }

    pub async fn organisations(&self) -> Result<Vec<Organisation>> {
        let rows: Vec<OrganisationRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM organisations ORDER BY name"
        )
        .fetch_all(p)
        .await)?;
        convert(rows)
    }

    /// Finds an organisation by its exact name or its identifier (for the command line).
    pub async fn find_organisation(&self, name_or_id: &str) -> Result<Option<Organisation>> {
        let row: Option<OrganisationRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, name FROM organisations WHERE name = $1 OR id = $1"
        )
        .bind(name_or_id.trim())
        .fetch_optional(p)
        .await)?;
        row.map(Organisation::try_from).transpose()
    }

    /// Every centre of every organisation (for the public self-referral form), by organisation and name.
    pub async fn all_centres(&self) -> Result<Vec<Centre>> {
        let rows: Vec<CentreRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT c.id, c.organisation_id, c.name, c.address, c.public_phone, c.time_zone, c.version, c.updated_at FROM centres c
             JOIN organisations o ON o.id = c.organisation_id ORDER BY o.name, c.name"
        )
        .fetch_all(p)
        .await
        })?;
        convert(rows)
    }

    /// The organisation's centres, by name.
    pub async fn centres(&self, organisation: OrganisationId) -> Result<Vec<Centre>> {
        let rows: Vec<CentreRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, organisation_id, name, address, public_phone, time_zone, version, updated_at FROM centres
             WHERE organisation_id = $1 ORDER BY name"
        )
        .bind(organisation.to_string())
        .fetch_all(p)
        .await)?;
        convert(rows)
    }

    /// One centre of the organisation; another organisation's centre is `NotFound`.
    pub async fn centre(&self, organisation: OrganisationId, id: CentreId) -> Result<Centre> {
        let row: CentreRow = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, organisation_id, name, address, public_phone, time_zone, version, updated_at FROM centres
             WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_one(p)
        .await)?;
        row.try_into()
    }

    pub async fn create_centre(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        details: &CentreDetails,
    ) -> Result<Centre> {
        let mut tx = self.begin().await?;
        let id = tx.insert_centre(scope, organisation, details).await?;
        tx.commit().await?;
        self.centre(organisation, id).await
    }

    /// Changes a centre if nobody else has since `version`; otherwise `Stale`, and nothing changes.
    pub async fn update_centre(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: CentreId,
        details: &CentreDetails,
        version: i64,
    ) -> Result<Centre> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE centres SET name = $1, address = $2, time_zone = $3, updated_at = $4, version = version + 1, public_phone = $8
             WHERE organisation_id = $5 AND id = $6 AND version = $7"
        )
        .bind(&details.name)
        .bind(&details.address)
        .bind(details.time_zone.as_str())
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(version)
        .bind(&details.public_phone)
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "Another centre already has this name"))?;
        if changed == 0 {
            drop(tx);
            self.centre(organisation, id).await?;
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("centre.update", "centre", id)).await?;
        tx.commit().await?;
        self.centre(organisation, id).await
    }

    /// The rooms of one centre, by name.
    pub async fn rooms(&self, organisation: OrganisationId, centre: CentreId) -> Result<Vec<Room>> {
        let rows: Vec<RoomRow> = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, organisation_id, centre_id, name, kind, capacity_families, active, version FROM rooms
             WHERE organisation_id = $1 AND centre_id = $2 ORDER BY name"
        )
        .bind(organisation.to_string())
        .bind(centre.to_string())
        .fetch_all(p)
        .await)?;
        convert(rows)
    }

    pub async fn room(&self, organisation: OrganisationId, id: RoomId) -> Result<Room> {
        let row: RoomRow = with_pool!(self, |p| sqlx::query_as(
            "SELECT id, organisation_id, centre_id, name, kind, capacity_families, active, version FROM rooms
             WHERE organisation_id = $1 AND id = $2"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .fetch_one(p)
        .await)?;
        row.try_into()
    }

    pub async fn create_room(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        centre: CentreId,
        details: &RoomDetails,
    ) -> Result<Room> {
        let id = RoomId::new_v7(scope.at);
        let mut tx = self.begin().await?;
        exec_tx!(tx, |c| sqlx::query(
            "INSERT INTO rooms (organisation_id, id, centre_id, name, kind, capacity_families, active, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(centre.to_string())
        .bind(&details.name)
        .bind(details.kind.as_str())
        .bind(details.capacity_families)
        .bind(true)
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "This centre already has a room with this name"))?;
        tx.audit(scope, AuditEvent::ok("room.create", "room", id)).await?;
        tx.commit().await?;
        self.room(organisation, id).await
    }

    pub async fn update_room(
        &self,
        scope: &AuditScope,
        organisation: OrganisationId,
        id: RoomId,
        details: &RoomDetails,
        active: bool,
        version: i64,
    ) -> Result<Room> {
        let mut tx = self.begin().await?;
        let changed = exec_tx!(tx, |c| sqlx::query(
            "UPDATE rooms SET name = $1, kind = $2, capacity_families = $3, active = $4, updated_at = $5, version = version + 1
             WHERE organisation_id = $6 AND id = $7 AND version = $8"
        )
        .bind(&details.name)
        .bind(details.kind.as_str())
        .bind(details.capacity_families)
        .bind(active)
        .bind(ms(scope.at))
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(version)
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "This centre already has a room with this name"))?;
        if changed == 0 {
            drop(tx);
            self.room(organisation, id).await?;
            return Err(StoreError::Stale);
        }
        tx.audit(scope, AuditEvent::ok("room.update", "room", id)).await?;
        tx.commit().await?;
        self.room(organisation, id).await
    }
}

impl Tx {
    pub async fn insert_organisation(&mut self, scope: &AuditScope, name: &str) -> Result<OrganisationId> {
        let id = OrganisationId::new_v7(scope.at);
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO organisations (id, name, created_at) VALUES ($1, $2, $3)"
        )
        .bind(id.to_string())
        .bind(name)
        .bind(ms(scope.at))
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "An organisation with this name already exists"))?;
        let scope = AuditScope {
            organisation_id: Some(id),
            ..scope.clone()
        };
        self.audit(&scope, AuditEvent::ok("organisation.create", "organisation", id))
            .await?;
        Ok(id)
    }

    pub async fn insert_centre(
        &mut self,
        scope: &AuditScope,
        organisation: OrganisationId,
        details: &CentreDetails,
    ) -> Result<CentreId> {
        let id = CentreId::new_v7(scope.at);
        exec_tx!(self, |c| sqlx::query(
            "INSERT INTO centres (organisation_id, id, name, address, time_zone, created_at, updated_at, public_phone)
             VALUES ($1, $2, $3, $4, $5, $6, $6, $7)"
        )
        .bind(organisation.to_string())
        .bind(id.to_string())
        .bind(&details.name)
        .bind(&details.address)
        .bind(details.time_zone.as_str())
        .bind(ms(scope.at))
        .bind(&details.public_phone)
        .execute(c)
        .await)
        .map_err(|e| StoreError::unique(e, "Another centre already has this name"))?;
        self.audit(scope, AuditEvent::ok("centre.create", "centre", id)).await?;
        Ok(id)
    }
}
