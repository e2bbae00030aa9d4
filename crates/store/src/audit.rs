//! Writing and reading the audit log. An entry is queued inside the same transaction as the change
//! it records, so a change without its entry (or an entry without its change) cannot be committed;
//! sealing then numbers the queued entries and hash-chains them into `audit_log` (decision 0016).

use crate::audit_keying::{AuditKeying, CheckpointSettings, SealedHead};
use crate::{Arg, Batch, Result, Store, StoreError, Tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::audit::{AuditEntry, ChainBreak, ChainVerifier};
use familytime_domain::ids::{OrganisationId, UserId};

/// Who is acting, when, and in which request: the same for every entry a request writes.
#[derive(Debug, Clone)]
pub struct AuditScope {
    pub at: Timestamp,
    pub request_id: String,
    pub actor_user_id: Option<UserId>,
    pub organisation_id: Option<OrganisationId>,
}

/// What happened. Actions and object types are fixed words chosen in code (`&'static str`), and the
/// object is named by its identifier, so no personal data can reach the log through an entry.
#[derive(Debug, Clone)]
pub struct AuditEvent {
    pub action: &'static str,
    pub object_type: &'static str,
    pub object_id: Option<String>,
    pub outcome: &'static str,
}

impl AuditEvent {
    pub fn ok(action: &'static str, object_type: &'static str, object_id: impl ToString) -> Self {
        AuditEvent {
            action,
            object_type,
            object_id: Some(object_id.to_string()),
            outcome: "ok",
        }
    }
    pub fn denied(action: &'static str, object_type: &'static str, object_id: Option<String>) -> Self {
        AuditEvent {
            action,
            object_type,
            object_id,
            outcome: "denied",
        }
    }
}

#[derive(sqlx::FromRow)]
struct Head {
    seq: i64,
    hash: String,
    /// The first entry hashed with the audit key, once the chain is keyed (decision 0053).
    keyed_from: Option<i64>,
}

/// The head as a verifier reads it, with the highest entry the log holds.
#[derive(sqlx::FromRow)]
struct HeadAndLast {
    seq: i64,
    hash: String,
    keyed_from: Option<i64>,
    last: Option<i64>,
}

/// What `audit verify` found on an intact chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: i64,
    /// The first entry signed with the audit key, if the chain is keyed.
    pub keyed_from: Option<i64>,
    /// Whether the key was given (without it only an unkeyed chain can be verified).
    pub key_given: bool,
    /// How many signed checkpoints were read, and the newest entry they name; `None` when no
    /// checkpoint directory was given.
    pub checkpoints: Option<(usize, Option<i64>)>,
}

/// What an entry records, as the queue and the log both store it.
#[derive(sqlx::FromRow)]
struct EventColumns {
    at: i64,
    request_id: String,
    actor_user_id: Option<String>,
    organisation_id: Option<String>,
    action: String,
    object_type: String,
    object_id: Option<String>,
    outcome: String,
}

impl EventColumns {
    fn entry(self, seq: i64, prev_hash: String, hash: String) -> AuditEntry {
        AuditEntry {
            seq,
            at_ms: self.at,
            request_id: self.request_id,
            actor_user_id: self.actor_user_id,
            organisation_id: self.organisation_id,
            action: self.action,
            object_type: self.object_type,
            object_id: self.object_id,
            outcome: self.outcome,
            prev_hash,
            hash,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EntryRow {
    seq: i64,
    #[sqlx(flatten)]
    event: EventColumns,
    prev_hash: String,
    hash: String,
}

impl From<EntryRow> for AuditEntry {
    fn from(r: EntryRow) -> Self {
        r.event.entry(r.seq, r.prev_hash, r.hash)
    }
}

impl Tx {
    /// Queues one entry, in this transaction: it commits with the change it records or not at all.
    /// It takes no lock, so concurrent writers do not wait for each other here; `Store::seal_audit`
    /// numbers and chains it later (decision 0016).
    pub async fn audit(&mut self, scope: &AuditScope, event: AuditEvent) -> Result<()> {
        let mut w = Batch::default();
        w.audit(scope, event);
        w.execute(self).await?;
        Ok(())
    }
}

impl Batch {
    /// Queues one entry along with the batch's other writes (as `Tx::audit`, without a round trip
    /// of its own).
    pub(crate) fn audit(&mut self, scope: &AuditScope, event: AuditEvent) {
        let values = [
            self.int(ms(scope.at)),
            self.text(scope.request_id.clone()),
            self.text(scope.actor_user_id.map(|u| u.to_string())),
            self.text(scope.organisation_id.map(|o| o.to_string())),
            self.text(event.action.to_owned()),
            self.text(event.object_type.to_owned()),
            self.text(event.object_id),
            self.text(event.outcome.to_owned()),
        ];
        self.push(format!(
            "INSERT INTO audit_queue (at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome)
             VALUES ({})",
            values.join(", ")
        ));
    }
}

/// How many queued entries one sealing transaction takes.
const SEAL_BATCH: usize = 500;

/// How many entries one statement adds to the chain: the largest that fits what is left.
const CHAIN_ROWS: [usize; 6] = [32, 16, 8, 4, 2, 1];

#[derive(sqlx::FromRow)]
struct QueuedRow {
    id: i64,
    #[sqlx(flatten)]
    event: EventColumns,
}

impl Store {
    /// This store seals with `key` (and, once it does, the chain is keyed for good) and writes
    /// checkpoints into `checkpoints`' directory, which is created if missing (decision 0053).
    pub fn with_audit_key(
        mut self,
        key: familytime_domain::audit::AuditKey,
        checkpoints: Option<CheckpointSettings>,
    ) -> Result<Store> {
        self.audit_keying = Some(std::sync::Arc::new(AuditKeying::new(key, checkpoints)?));
        Ok(self)
    }

    /// Whether this store seals with an audit key.
    pub fn audit_keyed(&self) -> bool {
        self.audit_keying.is_some()
    }

    fn audit_key(&self) -> Option<&familytime_domain::audit::AuditKey> {
        self.audit_keying.as_ref().map(|k| &k.key)
    }

    /// The checkpoint directory, when one is configured.
    pub fn audit_checkpoint_dir(&self) -> Option<&std::path::Path> {
        self.audit_keying.as_ref().and_then(|k| k.checkpoint_dir())
    }

    fn checkpoint_after_seal(&self, head: &SealedHead, sealed: usize, force: bool) -> Result<()> {
        match &self.audit_keying {
            Some(k) => k.checkpoint_after_seal(head, sealed, force),
            None => Ok(()),
        }
    }

    fn read_checkpoints(&self) -> Result<std::result::Result<Vec<familytime_domain::audit::Checkpoint>, ChainBreak>> {
        match &self.audit_keying {
            Some(k) => k.read_checkpoints(),
            None => Ok(Ok(Vec::new())),
        }
    }

    fn confirm_audit_key(&self) {
        if let Some(k) = &self.audit_keying {
            k.confirm_key();
        }
    }

    fn audit_key_confirmed(&self) -> bool {
        self.audit_keying.as_ref().is_some_and(|k| k.key_is_confirmed())
    }

    /// Seals every committed entry waiting in the queue into the chain, oldest first: numbers each,
    /// hashes it onto the one before, and moves the head, in transactions of up to `SEAL_BATCH`.
    /// Sealers serialise on the head's lock, so two servers sharing a database cannot fork the chain.
    /// Returns how many entries it sealed.
    pub async fn seal_audit(&self) -> Result<usize> {
        // Looking first keeps an idle server from writing a transaction every time it checks.
        let waiting: bool = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT EXISTS (SELECT 1 FROM audit_queue)"
        )
        .fetch_one(p)
        .await)?;
        let mut sealed = 0;
        let mut newest = None;
        let mut keyed_now = false;
        if waiting {
            // A short batch means the queue was empty when it was read: everything committed before
            // this call is sealed, even while new entries keep arriving.
            loop {
                let (n, head, keyed) = self.seal_audit_batch().await?;
                sealed += n;
                keyed_now |= keyed;
                newest = head.or(newest);
                if n < SEAL_BATCH {
                    break;
                }
            }
        }
        if let Some(head) = newest {
            // The moment the chain became keyed is always checkpointed: it is what stops the
            // keyed entries being passed off as unkeyed later.
            self.checkpoint_after_seal(&head, sealed, keyed_now)?;
        }
        Ok(sealed)
    }

    /// Seals one batch; returns how many it sealed, the head it left (when keyed) and whether
    /// this batch was the first keyed one.
    async fn seal_audit_batch(&self) -> Result<(usize, Option<SealedHead>, bool)> {
        let mut tx = self.begin().await?;
        let head: Head = with_tx!(tx, |c| sqlx::query_as(
            "UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq, hash, keyed_from"
        )
        .fetch_one(c)
        .await)?;
        let key = self.audit_key();
        if let Some(from) = head.keyed_from {
            let Some(key) = key else {
                return Err(StoreError::Config(format!(
                    "the audit log is signed with a key from entry {from} on, and this process has no audit key \
                     (--audit-key-file or FAMILYTIME_AUDIT_KEY_FILE): entries wait in the queue until a process with the key seals them"
                )));
            };
            // Once per process: the newest keyed entry must carry this key's signature, or a wrong
            // key file would go on chaining entries no verifier can check.
            if head.seq >= from && !self.audit_key_confirmed() {
                let newest: EntryRow = with_tx!(tx, |c| {
                    sqlx::query_as(
                    "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
                     FROM audit_log WHERE seq = $1"
                )
                .bind(head.seq)
                .fetch_one(c)
                .await
                })?;
                let newest = AuditEntry::from(newest);
                if newest.hash != newest.expected_keyed_hash(key) {
                    return Err(StoreError::Config(format!(
                        "the audit key given is not the one the log's entry {} was signed with: nothing was sealed",
                        head.seq
                    )));
                }
                self.confirm_audit_key();
            }
        }
        // The first seal with a key keys the chain from its first entry on, for good.
        let keyed_from = head.keyed_from.or(key.map(|_| head.seq + 1));
        let keyed_now = key.is_some() && head.keyed_from.is_none();
        // Read after taking the lock, so entries another sealer has just sealed are gone.
        let queued: Vec<QueuedRow> = with_tx!(tx, |c| sqlx::query_as(
            "SELECT id, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome
             FROM audit_queue ORDER BY id LIMIT $1"
        )
        .bind(SEAL_BATCH as i64)
        .fetch_all(c)
        .await)?;
        if queued.is_empty() {
            tx.commit().await?;
            return Ok((0, None, false));
        }
        let mut rows = Vec::new();
        let (mut seq, mut hash) = (head.seq, head.hash);
        for q in queued {
            let mut entry = q.event.entry(seq + 1, hash, String::new());
            entry.hash = entry.hash_with(keyed_from.and(key));
            (seq, hash) = (entry.seq, entry.hash.clone());
            rows.push(vec![
                Arg::Int(entry.seq),
                Arg::Int(entry.at_ms),
                Arg::Text(Some(entry.request_id)),
                Arg::Text(entry.actor_user_id),
                Arg::Text(entry.organisation_id),
                Arg::Text(Some(entry.action)),
                Arg::Text(Some(entry.object_type)),
                Arg::Text(entry.object_id),
                Arg::Text(Some(entry.outcome)),
                Arg::Text(Some(entry.prev_hash)),
                Arg::Text(Some(entry.hash)),
                Arg::Int(q.id),
            ]);
        }
        let sealed = rows.len();
        // In a few fixed shapes (`CHAIN_ROWS`), so each statement is prepared once and cached: one
        // statement of every row would be new text each time, parsed afresh, and SQLite's parsing
        // and binding of a statement grow with the square of its placeholders.
        while !rows.is_empty() {
            let size = CHAIN_ROWS.into_iter().find(|n| *n <= rows.len()).unwrap_or(1);
            let mut chain = Batch::default();
            chain.insert_rows(
                "audit_log (seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash, queue_id)",
                rows.drain(..size).collect(),
            );
            chain.execute(&mut tx).await?;
        }
        // A separate statement: the queue's trigger must see the entries in the chain before they
        // leave the queue. The entries sealed here are those chained after the old head.
        // Bounded on both sides, so the planner reads just those through the log's key: with only
        // `seq > old` and the log's statistics it may judge a quarter of the log a match and read it
        // all (decision 0033).
        let mut release = Batch::default();
        let (old_seq, new_seq) = (release.int(head.seq), release.int(seq));
        release.push(format!(
            "DELETE FROM audit_queue WHERE id IN (SELECT queue_id FROM audit_log WHERE seq > {old_seq} AND seq <= {new_seq})"
        ));
        let new_hash = release.text(hash.clone());
        let keyed = match keyed_from {
            Some(k) => release.int(k),
            None => "NULL".to_owned(),
        };
        release.push(format!(
            "UPDATE audit_head SET seq = {new_seq}, hash = {new_hash}, keyed_from = {keyed} WHERE id = 1"
        ));
        release.execute(&mut tx).await?;
        tx.commit().await?;
        if keyed_now {
            self.confirm_audit_key();
        }
        let sealed_head = keyed_from
            .filter(|_| key.is_some())
            .map(|keyed_from| SealedHead { seq, hash, keyed_from });
        Ok((sealed, sealed_head, keyed_now))
    }

    /// Seals the queue every `period` until `stop` completes (the server runs it in the background;
    /// readers of the log also seal first, so what they see is never behind what was committed).
    /// It stops only between rounds, never in the middle of one.
    pub async fn seal_audit_every(&self, period: std::time::Duration, stop: impl std::future::Future<Output = ()>) {
        let mut every = tokio::time::interval(period);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = &mut stop => return,
                _ = every.tick() => {}
            }
            if let Err(e) = self.seal_audit().await {
                tracing::warn!(error = %e, "sealing the audit queue failed; will try again");
            }
        }
    }

    /// Records an event that changes nothing else (a read of personal data, a refused sign-in).
    pub async fn audit(&self, scope: &AuditScope, event: AuditEvent) -> Result<()> {
        let mut tx = self.begin().await?;
        tx.audit(scope, event).await?;
        tx.commit().await
    }

    /// The organisation's entries, newest first, before `before_seq` (for paging).
    pub async fn audit_entries(
        &self,
        organisation: OrganisationId,
        before_seq: Option<i64>,
        limit: i64,
    ) -> Result<Vec<AuditEntry>> {
        self.seal_audit().await?;
        let rows: Vec<EntryRow> = with_pool!(self, |p| {
            sqlx::query_as(
            "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
             FROM audit_log WHERE organisation_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3"
        )
        .bind(organisation.to_string())
        .bind(before_seq.unwrap_or(i64::MAX))
        .bind(limit.clamp(1, 500))
        .fetch_all(p)
        .await
        })?;
        Ok(rows.into_iter().map(AuditEntry::from).collect())
    }

    /// Seals the queue, then walks the whole chain, a page at a time, up to the head as it was when
    /// the walk began (entries appended meanwhile are left for the next run). Rows numbered outside
    /// the chain are reported too. `Ok(Ok(n))`: intact with n entries; `Ok(Err(break))`: the first
    /// place it is broken. See `verify_audit` for what it checks.
    pub async fn verify_audit_chain(&self) -> Result<Result<i64, ChainBreak>> {
        Ok(self.verify_audit().await?.map(|report| report.entries))
    }

    /// Verifies the chain as `verify_audit_chain` says, with this store's audit key and signed
    /// checkpoints when it has them (decision 0053): entries from the keyed point on must carry the
    /// key's HMAC, the keyed point must be the one the checkpoints record, the chain must pass
    /// through every checkpoint's entry with its hash and reach the newest, and the log may hold no
    /// entry after its head.
    pub async fn verify_audit(&self) -> Result<Result<ChainReport, ChainBreak>> {
        self.seal_audit().await?;
        // The checkpoints before the head: a sealer writes one only after its seal commits, so
        // none read now can name an entry past the head read next.
        let checkpoints = match self.read_checkpoints()? {
            Ok(c) => c,
            Err(broken) => return Ok(Err(broken)),
        };
        // One statement, so the head and the log's last entry are read from the same moment.
        let head: HeadAndLast = with_pool!(self, |p| sqlx::query_as(
            "SELECT seq, hash, keyed_from, (SELECT MAX(seq) FROM audit_log) AS last FROM audit_head WHERE id = 1"
        )
        .fetch_one(p)
        .await)?;
        let stray: Option<i64> = with_pool!(self, |p| sqlx::query_scalar(
            "SELECT MIN(seq) FROM audit_log WHERE seq < 1"
        )
        .fetch_one(p)
        .await)?;
        if let Some(seq) = stray {
            return Ok(Err(ChainBreak::Gap { seq, previous: 0 }));
        }
        if let Some(last) = head.last
            && last > head.seq
        {
            return Ok(Err(ChainBreak::BeyondHead {
                seq: last,
                head: head.seq,
            }));
        }
        let keyed_from = match familytime_domain::audit::keyed_from(&checkpoints, head.keyed_from) {
            Ok(k) => k,
            Err(broken) => return Ok(Err(broken)),
        };
        let mut verifier = ChainVerifier::keyed(self.audit_key().cloned(), keyed_from, &checkpoints);
        let mut after = 0_i64;
        loop {
            let rows: Vec<EntryRow> = with_pool!(self, |p| {
                sqlx::query_as(
                "SELECT seq, at, request_id, actor_user_id, organisation_id, action, object_type, object_id, outcome, prev_hash, hash
                 FROM audit_log WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT 1000"
            )
            .bind(after)
            .bind(head.seq)
            .fetch_all(p)
            .await
            })?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            for row in rows {
                if let Err(broken) = verifier.check(&AuditEntry::from(row)) {
                    return Ok(Err(broken));
                }
            }
        }
        Ok(verifier.finish(head.seq, &head.hash).map(|entries| ChainReport {
            entries,
            keyed_from,
            key_given: self.audit_keyed(),
            checkpoints: self
                .audit_checkpoint_dir()
                .map(|_| (checkpoints.len(), checkpoints.last().map(|c| c.seq))),
        }))
    }
}
