//! The demo's organisation: Riverside, its two centres and their rooms.

use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_domain::ids::{CentreId, OrganisationId};
use familytime_domain::tenancy::{CentreDetails, RoomDetails};
use familytime_store::{AuditScope, Store};

/// The organisation, its two centres (Riverside first) and their rooms; returns them with the
/// scope every later write of the seed is audited under.
pub(super) async fn seed_organisation(
    store: &Store,
    now: Timestamp,
) -> Result<(OrganisationId, AuditScope, [CentreId; 2])> {
    let scope = AuditScope {
        at: now,
        request_id: "demo-seed".into(),
        actor_user_id: None,
        organisation_id: None,
    };
    let mut tx = store.begin().await?;
    let org = tx
        .insert_organisation(&scope, "Riverside Family Contact Service")
        .await?;
    let scope = AuditScope {
        organisation_id: Some(org),
        ..scope
    };
    // Phone numbers from Ofcom's range kept for drama, so nobody real is called.
    let riverside = CentreDetails::parse_with_phone(
        "Riverside Child Contact Centre",
        "Riverside Community Hub\n14 Mill Lane\nLeeds LS2 7QP",
        "0113 496 0123",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let northgate = CentreDetails::parse_with_phone(
        "Northgate Family Centre",
        "Northgate Church Hall\n3 Station Road\nWakefield WF1 1AB",
        "01632 960 456",
        "",
    )
    .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let centres = [
        tx.insert_centre(&scope, org, &riverside).await?,
        tx.insert_centre(&scope, org, &northgate).await?,
    ];
    tx.commit().await?;

    let rooms: [&[(&str, &str, &str)]; 2] = [
        &[
            ("Blue Room", "family_room", ""),
            ("Garden Room", "family_room", ""),
            ("Sunflower Room", "family_room", ""),
            ("Main Hall", "hall", "12"),
            ("Front Waiting Room", "waiting_room", "1"),
            ("Side Entrance Waiting Room", "waiting_room", "1"),
        ],
        &[
            ("Playroom", "family_room", ""),
            ("Church Hall", "hall", "8"),
            ("Vestry (waiting)", "waiting_room", "1"),
        ],
    ];
    for (centre, list) in centres.iter().zip(rooms) {
        for (name, kind, capacity) in list {
            let details = RoomDetails::parse(name, kind, capacity).map_err(|e| anyhow::anyhow!("{e:?}"))?;
            store.create_room(&scope, org, *centre, &details).await?;
        }
    }
    Ok((org, scope, centres))
}
