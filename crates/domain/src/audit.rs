//! The audit log's hash chain. Each entry's hash covers its own fields and the previous entry's hash,
//! so changing, removing or reordering any entry breaks the chain from that entry on; the chain's
//! head (the last sequence number and hash) catches removal of the newest entries.
//! Entries name who did what to which object, never the personal data itself.

use sha2::{Digest, Sha256};

/// The hash "before" the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// One entry as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    /// Milliseconds since the Unix epoch, UTC.
    pub at_ms: i64,
    pub request_id: String,
    pub actor_user_id: Option<String>,
    pub organisation_id: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<String>,
    pub outcome: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEntry {
    /// The hash this entry should carry, from its fields and its `prev_hash`.
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        let fields: [&str; 9] = [
            &self.seq.to_string(),
            &self.at_ms.to_string(),
            &self.request_id,
            self.actor_user_id.as_deref().unwrap_or("\u{0}"),
            self.organisation_id.as_deref().unwrap_or("\u{0}"),
            &self.action,
            &self.object_type,
            self.object_id.as_deref().unwrap_or("\u{0}"),
            &self.outcome,
        ];
        h.update(self.prev_hash.as_bytes());
        for field in fields {
            // Length-prefixed, so moving text from one field to the next changes the hash.
            h.update((field.len() as u64).to_be_bytes());
            h.update(field.as_bytes());
        }
        hex::encode(h.finalize())
    }
}

/// Where and why the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ChainBreak {
    #[error("entry {seq}: its contents do not match its hash (changed)")]
    Altered { seq: i64 },
    #[error("entry {seq}: does not follow entry {previous} (an entry was removed or moved)")]
    Gap { seq: i64, previous: i64 },
    #[error("entry {seq}: its link to the previous entry is wrong (an entry before it was changed or removed)")]
    BadLink { seq: i64 },
    #[error("entry {expected_last}: missing (the log ends at entry {found_last})")]
    Truncated { expected_last: i64, found_last: i64 },
    #[error("the chain's head does not match its last entry {seq} (the head was changed)")]
    HeadMismatch { seq: i64 },
}

/// Walks the chain in sequence order, one entry at a time, so a large log needs little memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
        }
    }
}

impl ChainVerifier {
    pub fn check(&mut self, entry: &AuditEntry) -> Result<(), ChainBreak> {
        if entry.seq != self.last_seq + 1 {
            return Err(ChainBreak::Gap {
                seq: entry.seq,
                previous: self.last_seq,
            });
        }
        if entry.prev_hash != self.last_hash {
            return Err(ChainBreak::BadLink { seq: entry.seq });
        }
        if entry.hash != entry.expected_hash() {
            return Err(ChainBreak::Altered { seq: entry.seq });
        }
        self.last_seq = entry.seq;
        self.last_hash = entry.hash.clone();
        Ok(())
    }

    /// Compares the end of the walk with the recorded head; returns the number of entries.
    pub fn finish(self, head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        if head_seq > self.last_seq {
            return Err(ChainBreak::Truncated {
                expected_last: self.last_seq + 1,
                found_last: self.last_seq,
            });
        }
        if head_seq != self.last_seq || head_hash != self.last_hash {
            return Err(ChainBreak::HeadMismatch { seq: self.last_seq });
        }
        Ok(self.last_seq)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<AuditEntry> {
        let mut prev = GENESIS_HASH.to_owned();
        (1..=n)
            .map(|seq| {
                let mut e = AuditEntry {
                    seq,
                    at_ms: 1_790_000_000_000 + seq,
                    request_id: format!("req-{seq}"),
                    actor_user_id: Some("u1".into()),
                    organisation_id: Some("o1".into()),
                    action: "centre.create".into(),
                    object_type: "centre".into(),
                    object_id: Some(format!("c{seq}")),
                    outcome: "ok".into(),
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                e.hash = e.expected_hash();
                prev = e.hash.clone();
                e
            })
            .collect()
    }

    fn verify(entries: &[AuditEntry], head_seq: i64, head_hash: &str) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::default();
        for e in entries {
            v.check(e)?;
        }
        v.finish(head_seq, head_hash)
    }

    #[test]
    fn an_intact_chain_verifies() {
        let c = chain(5);
        assert_eq!(verify(&c, 5, &c[4].hash), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS_HASH), Ok(0));
    }

    #[test]
    fn a_changed_entry_is_named() {
        let mut c = chain(5);
        c[2].outcome = "denied".into();
        assert_eq!(verify(&c, 5, &c[4].hash.clone()), Err(ChainBreak::Altered { seq: 3 }));
    }

    #[test]
    fn a_changed_entry_with_a_recomputed_hash_breaks_the_next_link() {
        let mut c = chain(5);
        c[2].action = "centre.delete".into();
        c[2].hash = c[2].expected_hash();
        assert_eq!(verify(&c, 5, &c[4].hash.clone()), Err(ChainBreak::BadLink { seq: 4 }));
    }

    #[test]
    fn a_removed_entry_is_named() {
        let mut c = chain(5);
        c.remove(1);
        assert_eq!(
            verify(&c, 5, &c[3].hash.clone()),
            Err(ChainBreak::Gap { seq: 3, previous: 1 })
        );
    }

    #[test]
    fn removing_the_newest_entries_is_caught_by_the_head() {
        let c = chain(5);
        let head = c[4].hash.clone();
        assert_eq!(
            verify(&c[..3], 5, &head),
            Err(ChainBreak::Truncated {
                expected_last: 4,
                found_last: 3
            })
        );
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let c = chain(1);
        let mut moved = c[0].clone();
        moved.action = "centre.createcentre".into();
        moved.object_type = String::new();
        assert_ne!(moved.expected_hash(), c[0].hash);
    }
}
