//! The audit queue and its sealing (decision 0016), on the store itself with no server running, so
//! nothing seals behind the test's back: an entry is queued with its change, cannot be changed or
//! dropped while it waits, and is sealed into the chain exactly once, in order, even when many
//! writers and several sealers run at once.

use crate::harness::{check_and_drop, fresh_location, sql_refusal};
use familytime_domain::Timestamp;
use familytime_domain::ids::OrganisationId;
use familytime_store::{AuditEvent, AuditScope, Store};

fn scope(org: OrganisationId, request: usize) -> AuditScope {
    AuditScope {
        at: Timestamp::now(),
        request_id: format!("request-{request}"),
        actor_user_id: None,
        organisation_id: Some(org),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_queued_audit_entry_cannot_be_changed_or_dropped_and_is_sealed_once() {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let store = Store::open(&location).await.unwrap();
    let org = OrganisationId::new_v7(Timestamp::now());
    for (n, object) in ["first", "second", "third"].into_iter().enumerate() {
        store
            .audit(&scope(org, n), AuditEvent::ok("probe.view", "probe", object))
            .await
            .unwrap();
    }
    // Refused by the queue's own trigger (its message), not by any error that refuses it as well.
    let postgres_backend = postgres.is_some();
    for (sql, trigger) in [
        (
            "UPDATE audit_queue SET outcome = 'denied'",
            if postgres_backend {
                "audit_queue entries leave only when sealed into audit_log"
            } else {
                "audit_queue entries cannot be changed"
            },
        ),
        (
            "DELETE FROM audit_queue",
            "audit_queue entries leave only when sealed into audit_log",
        ),
    ] {
        let refusal = sql_refusal(&location, sql).await;
        assert!(
            refusal.as_deref().is_some_and(|m| m.contains(trigger)),
            "{sql} must be refused by the trigger (“{trigger}”), was: {refusal:?}"
        );
    }
    assert_eq!(store.seal_audit().await.unwrap(), 3);
    assert_eq!(store.seal_audit().await.unwrap(), 0, "nothing is sealed twice");
    let entries = store.audit_entries(org, None, 10).await.unwrap();
    let objects: Vec<_> = entries
        .iter()
        .rev()
        .map(|e| e.object_id.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        objects,
        ["first", "second", "third"],
        "sealed in the order they were queued"
    );
    assert_eq!(store.verify_audit_chain().await.unwrap(), Ok(3));
    check_and_drop(&store, postgres, &[]).await;
}

/// A seal adds to the chain in pieces of a few fixed sizes (75 = 32 + 32 + 8 + 2 + 1); the pieces
/// must join into one chain in queue order, and every sealed entry leave the queue.
#[tokio::test(flavor = "multi_thread")]
async fn a_long_queue_is_sealed_in_pieces_into_one_chain_in_order() {
    const ENTRIES: usize = 75;
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let store = Store::open(&location).await.unwrap();
    let org = OrganisationId::new_v7(Timestamp::now());
    for n in 0..ENTRIES {
        let event = AuditEvent::ok("probe.view", "probe", format!("{n:03}"));
        store.audit(&scope(org, n), event).await.unwrap();
    }
    assert_eq!(store.seal_audit().await.unwrap(), ENTRIES);
    assert_eq!(store.seal_audit().await.unwrap(), 0, "the queue is empty");
    assert_eq!(store.verify_audit_chain().await.unwrap(), Ok(ENTRIES as i64));
    let objects: Vec<String> = store
        .audit_entries(org, None, 500)
        .await
        .unwrap()
        .into_iter()
        .rev()
        .filter_map(|e| e.object_id)
        .collect();
    let queued: Vec<String> = (0..ENTRIES).map(|n| format!("{n:03}")).collect();
    assert_eq!(objects, queued, "chained in the order they were queued");
    check_and_drop(&store, postgres, &[]).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn many_writers_and_several_sealers_make_one_unbroken_chain() {
    const WRITERS: usize = 20;
    const EACH: usize = 15;
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let store = Store::open(&location).await.unwrap();
    let org = OrganisationId::new_v7(Timestamp::now());
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let store = store.clone();
            tokio::spawn(async move {
                for n in 0..EACH {
                    let mut tx = store.begin().await.unwrap();
                    let event = AuditEvent::ok("probe.change", "probe", format!("{w}-{n}"));
                    tx.audit(&scope(org, w * EACH + n), event).await.unwrap();
                    tx.commit().await.unwrap();
                }
            })
        })
        .collect();
    let sealers: Vec<_> = (0..3)
        .map(|_| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut sealed = 0;
                for _ in 0..20 {
                    sealed += store.seal_audit().await.unwrap();
                    tokio::task::yield_now().await;
                }
                sealed
            })
        })
        .collect();
    for w in writers {
        w.await.unwrap();
    }
    let mut sealed = 0;
    for s in sealers {
        sealed += s.await.unwrap();
    }
    sealed += store.seal_audit().await.unwrap();
    assert_eq!(sealed, WRITERS * EACH, "each entry sealed exactly once");
    assert_eq!(store.verify_audit_chain().await.unwrap(), Ok((WRITERS * EACH) as i64));
    let mut objects: Vec<String> = store
        .audit_entries(org, None, 500)
        .await
        .unwrap()
        .into_iter()
        .filter_map(|e| e.object_id)
        .collect();
    objects.sort();
    objects.dedup();
    assert_eq!(objects.len(), WRITERS * EACH, "every entry is in the chain once");
    check_and_drop(&store, postgres, &[]).await;
}
