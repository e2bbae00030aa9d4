//! The audit log's hash chain. Each entry's hash covers its own fields and the previous entry's hash,
//! so changing, removing or reordering any entry breaks the chain from that entry on; the chain's
//! head (the last sequence number and hash) catches removal of the newest entries.
//! Entries name who did what to which object, never the personal data itself.
//!
//! From the point an audit key is configured (`keyed_from`), each hash is an HMAC-SHA-256 under a
//! key kept outside the database, so someone who can write to the database alone cannot recompute
//! the chain after changing an entry; signed checkpoints kept outside the database (`Checkpoint`)
//! catch the newest entries being removed and the head moved back (decision 0053).

use hmac::{KeyInit, Mac};
use sha2::{Digest, Sha256};

/// HMAC-SHA-256 (the `hmac` crate's current release is built on `sha2` 0.11, hence the second name).
type HmacSha256 = hmac::Hmac<sha2_hmac::Sha256>;

/// The secret key of the chain's HMAC: 32 random bytes, kept in a file outside the database.
#[derive(Clone)]
pub struct AuditKey([u8; 32]);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey(…)")
    }
}

impl AuditKey {
    pub fn from_bytes(bytes: [u8; 32]) -> AuditKey {
        AuditKey(bytes)
    }

    /// Reads a key file's text: 64 hexadecimal digits (surrounding space and a comment line
    /// starting with `#` allowed).
    pub fn parse(text: &str) -> Result<AuditKey, String> {
        let digits: String = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .collect();
        let bytes =
            hex::decode(&digits).map_err(|_| "the audit key file must hold 64 hexadecimal digits".to_owned())?;
        let bytes: [u8; 32] = bytes
            .try_into()
            .map_err(|_| "the audit key file must hold 64 hexadecimal digits (32 bytes)".to_owned())?;
        Ok(AuditKey(bytes))
    }

    /// The text of a key file for this key.
    pub fn to_file_text(&self) -> String {
        format!(
            "# familytime audit key: keep a copy away from the server and the database\n{}\n",
            hex::encode(self.0)
        )
    }

    fn mac(&self) -> HmacSha256 {
        // HMAC accepts a key of any length, so this cannot fail.
        match <HmacSha256 as KeyInit>::new_from_slice(&self.0) {
            Ok(m) => m,
            Err(_) => unreachable!("HMAC takes keys of any length"),
        }
    }

    /// HMAC-SHA-256 of `parts` (each length-prefixed), as hexadecimal.
    pub fn sign(&self, parts: &[&[u8]]) -> String {
        let mut m = self.mac();
        for part in parts {
            m.update(&(part.len() as u64).to_be_bytes());
            m.update(part);
        }
        hex::encode(m.finalize().into_bytes())
    }
}

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
    /// The hash this entry should carry, from its fields and its `prev_hash`: plain SHA-256 (an
    /// entry sealed before the chain was keyed).
    pub fn expected_hash(&self) -> String {
        let mut h = Sha256::new();
        self.feed(|bytes| h.update(bytes));
        hex::encode(h.finalize())
    }

    /// The hash this entry should carry once the chain is keyed: HMAC-SHA-256 under `key` of the
    /// same bytes `expected_hash` hashes.
    pub fn expected_keyed_hash(&self, key: &AuditKey) -> String {
        let mut m = key.mac();
        self.feed(|bytes| m.update(bytes));
        hex::encode(m.finalize().into_bytes())
    }

    /// The hash for this entry: keyed when `key` is given.
    pub fn hash_with(&self, key: Option<&AuditKey>) -> String {
        match key {
            Some(key) => self.expected_keyed_hash(key),
            None => self.expected_hash(),
        }
    }

    /// The bytes an entry's hash covers, in order.
    fn feed(&self, mut update: impl FnMut(&[u8])) {
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
        update(self.prev_hash.as_bytes());
        for field in fields {
            // Length-prefixed, so moving text from one field to the next changes the hash.
            update(&(field.len() as u64).to_be_bytes());
            update(field.as_bytes());
        }
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
    #[error(
        "entry {seq}: its hash is plain SHA-256, not signed with the audit key (changed, and the hashes recomputed by someone without the key)"
    )]
    NotKeyed { seq: i64 },
    #[error(
        "entries from {keyed_from} on are signed with the audit key: give the key (--audit-key-file or FAMILYTIME_AUDIT_KEY_FILE) to verify them"
    )]
    KeyNeeded { keyed_from: i64 },
    #[error(
        "entry {seq}: differs from the signed checkpoint kept outside the database (the log was rewritten from there on)"
    )]
    CheckpointMismatch { seq: i64 },
    #[error(
        "the log ends at entry {found_last} but a signed checkpoint records entry {checkpoint_seq} (the newest entries were removed and the head moved back)"
    )]
    BehindCheckpoint { checkpoint_seq: i64, found_last: i64 },
    #[error("the log holds entry {seq} after its head, entry {head} (the head was moved back)")]
    BeyondHead { seq: i64, head: i64 },
    #[error("checkpoint {file}: unreadable or its signature does not match (forged, damaged or made with another key)")]
    BadCheckpoint { file: String },
    #[error(
        "the signed checkpoints say the chain is keyed from entry {recorded}, the database says {found} (the database's record was changed)"
    )]
    KeyedFromChanged { recorded: i64, found: String },
}

/// A signed record, kept outside the database, that the chain reached entry `seq` with `hash` at
/// `at_ms`, keyed from entry `keyed_from`. Written as a new file each time and never rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
    pub at_ms: i64,
    pub keyed_from: i64,
    pub mac: String,
}

const CHECKPOINT_HEADER: &str = "familytime audit checkpoint v1";

impl Checkpoint {
    /// A checkpoint signed with `key`.
    pub fn signed(key: &AuditKey, seq: i64, hash: &str, at_ms: i64, keyed_from: i64) -> Checkpoint {
        let mut c = Checkpoint {
            seq,
            hash: hash.to_owned(),
            at_ms,
            keyed_from,
            mac: String::new(),
        };
        c.mac = c.expected_mac(key);
        c
    }

    fn expected_mac(&self, key: &AuditKey) -> String {
        key.sign(&[
            CHECKPOINT_HEADER.as_bytes(),
            self.seq.to_string().as_bytes(),
            self.hash.as_bytes(),
            self.at_ms.to_string().as_bytes(),
            self.keyed_from.to_string().as_bytes(),
        ])
    }

    /// Whether `key` made this checkpoint's signature.
    pub fn is_signed_by(&self, key: &AuditKey) -> bool {
        // Compared through the MAC's own check, which takes the same time whatever differs.
        let Ok(given) = hex::decode(&self.mac) else {
            return false;
        };
        let mut m = key.mac();
        for part in [
            CHECKPOINT_HEADER.as_bytes(),
            self.seq.to_string().as_bytes(),
            self.hash.as_bytes(),
            self.at_ms.to_string().as_bytes(),
            self.keyed_from.to_string().as_bytes(),
        ] {
            m.update(&(part.len() as u64).to_be_bytes());
            m.update(part);
        }
        m.verify_slice(&given).is_ok()
    }

    /// The file's name: sorts by sequence, and names the time so two writers never collide.
    pub fn file_name(&self) -> String {
        format!("checkpoint-{:020}-{}.txt", self.seq, self.at_ms)
    }

    pub fn to_text(&self) -> String {
        format!(
            "{CHECKPOINT_HEADER}\nseq={}\nhash={}\nat_ms={}\nkeyed_from={}\nmac={}\n",
            self.seq, self.hash, self.at_ms, self.keyed_from, self.mac
        )
    }

    /// Reads a checkpoint file's text (its signature is checked separately, with the key).
    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        let mut lines = text.lines();
        if lines.next() != Some(CHECKPOINT_HEADER) {
            return Err("not a familytime audit checkpoint".into());
        }
        let mut field = |name: &str| -> Result<String, String> {
            lines
                .next()
                .and_then(|l| l.strip_prefix(name))
                .and_then(|l| l.strip_prefix('='))
                .map(str::to_owned)
                .ok_or_else(|| format!("the checkpoint has no {name}"))
        };
        let number = |v: String, name: &str| {
            v.parse::<i64>()
                .map_err(|_| format!("the checkpoint's {name} is not a number"))
        };
        let seq = number(field("seq")?, "seq")?;
        let hash = field("hash")?;
        let at_ms = number(field("at_ms")?, "at_ms")?;
        let keyed_from = number(field("keyed_from")?, "keyed_from")?;
        let mac = field("mac")?;
        Ok(Checkpoint {
            seq,
            hash,
            at_ms,
            keyed_from,
            mac,
        })
    }
}

/// Where the chain's keyed part starts, by the signed checkpoints when there are any (the
/// database's own record could have been changed by someone without the key), else by the
/// database. The checkpoints must agree with each other and with the database.
pub fn keyed_from(checkpoints: &[Checkpoint], in_database: Option<i64>) -> Result<Option<i64>, ChainBreak> {
    let Some(first) = checkpoints.first() else {
        return Ok(in_database);
    };
    for c in checkpoints {
        if c.keyed_from != first.keyed_from {
            return Err(ChainBreak::KeyedFromChanged {
                recorded: first.keyed_from,
                found: format!("entry {} in another checkpoint", c.keyed_from),
            });
        }
    }
    if in_database != Some(first.keyed_from) {
        return Err(ChainBreak::KeyedFromChanged {
            recorded: first.keyed_from,
            found: in_database.map_or_else(|| "it is not keyed".to_owned(), |k| format!("entry {k}")),
        });
    }
    Ok(Some(first.keyed_from))
}

/// Walks the chain in sequence order, one entry at a time, so a large log needs little memory.
#[derive(Debug, Clone)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: String,
    key: Option<AuditKey>,
    keyed_from: Option<i64>,
    /// The checkpoints' (sequence, hash), ascending.
    checkpoints: std::collections::BTreeMap<i64, String>,
}

impl Default for ChainVerifier {
    fn default() -> Self {
        ChainVerifier {
            last_seq: 0,
            last_hash: GENESIS_HASH.to_owned(),
            key: None,
            keyed_from: None,
            checkpoints: Default::default(),
        }
    }
}

impl ChainVerifier {
    /// A verifier for a chain keyed from `keyed_from` (checked with `key`), that must pass through
    /// every checkpoint (their signatures already checked).
    pub fn keyed(key: Option<AuditKey>, keyed_from: Option<i64>, checkpoints: &[Checkpoint]) -> ChainVerifier {
        ChainVerifier {
            key,
            keyed_from,
            checkpoints: checkpoints.iter().map(|c| (c.seq, c.hash.clone())).collect(),
            ..ChainVerifier::default()
        }
    }

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
        match self.keyed_from {
            Some(from) if entry.seq >= from => {
                let Some(key) = &self.key else {
                    return Err(ChainBreak::KeyNeeded { keyed_from: from });
                };
                if entry.hash != entry.expected_keyed_hash(key) {
                    return Err(if entry.hash == entry.expected_hash() {
                        ChainBreak::NotKeyed { seq: entry.seq }
                    } else {
                        ChainBreak::Altered { seq: entry.seq }
                    });
                }
            }
            _ => {
                if entry.hash != entry.expected_hash() {
                    return Err(ChainBreak::Altered { seq: entry.seq });
                }
            }
        }
        if self.checkpoints.get(&entry.seq).is_some_and(|h| *h != entry.hash) {
            return Err(ChainBreak::CheckpointMismatch { seq: entry.seq });
        }
        self.last_seq = entry.seq;
        self.last_hash = entry.hash.clone();
        Ok(())
    }

    /// Compares the end of the walk with the recorded head and the newest checkpoint; returns the
    /// number of entries.
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
        if let Some((&checkpoint_seq, _)) = self.checkpoints.last_key_value()
            && checkpoint_seq > self.last_seq
        {
            return Err(ChainBreak::BehindCheckpoint {
                checkpoint_seq,
                found_last: self.last_seq,
            });
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

    /// A chain whose entries from `keyed_from` on are signed with `key`.
    fn keyed_chain(n: i64, key: &AuditKey, keyed_from: i64) -> Vec<AuditEntry> {
        let mut c = chain(n);
        let mut prev = GENESIS_HASH.to_owned();
        for e in &mut c {
            e.prev_hash = prev.clone();
            e.hash = e.hash_with((e.seq >= keyed_from).then_some(key));
            prev = e.hash.clone();
        }
        c
    }

    fn verify_keyed(
        entries: &[AuditEntry],
        key: Option<&AuditKey>,
        keyed_from: Option<i64>,
        checkpoints: &[Checkpoint],
    ) -> Result<i64, ChainBreak> {
        let mut v = ChainVerifier::keyed(key.cloned(), keyed_from, checkpoints);
        for e in entries {
            v.check(e)?;
        }
        let last = entries
            .last()
            .map_or((0, GENESIS_HASH.to_owned()), |e| (e.seq, e.hash.clone()));
        v.finish(last.0, &last.1)
    }

    #[test]
    fn a_keyed_chain_verifies_with_its_key_only() {
        let key = AuditKey::from_bytes([1; 32]);
        let c = keyed_chain(6, &key, 3);
        assert_eq!(verify_keyed(&c, Some(&key), Some(3), &[]), Ok(6));
        assert_eq!(
            verify_keyed(&c, None, Some(3), &[]),
            Err(ChainBreak::KeyNeeded { keyed_from: 3 })
        );
        let other = AuditKey::from_bytes([2; 32]);
        assert_eq!(
            verify_keyed(&c, Some(&other), Some(3), &[]),
            Err(ChainBreak::Altered { seq: 3 })
        );
    }

    #[test]
    fn a_keyed_entry_recomputed_without_the_key_is_named() {
        let key = AuditKey::from_bytes([1; 32]);
        let mut c = keyed_chain(5, &key, 1);
        c[2].outcome = "denied".into();
        let mut prev = c[1].hash.clone();
        for e in &mut c[2..] {
            e.prev_hash = prev.clone();
            e.hash = e.expected_hash();
            prev = e.hash.clone();
        }
        assert_eq!(
            verify_keyed(&c, Some(&key), Some(1), &[]),
            Err(ChainBreak::NotKeyed { seq: 3 })
        );
    }

    #[test]
    fn checkpoints_catch_truncation_and_rewriting() {
        let key = AuditKey::from_bytes([1; 32]);
        let c = keyed_chain(5, &key, 1);
        let at_5 = Checkpoint::signed(&key, 5, &c[4].hash, 1, 1);
        assert_eq!(
            verify_keyed(&c[..3], Some(&key), Some(1), std::slice::from_ref(&at_5)),
            Err(ChainBreak::BehindCheckpoint {
                checkpoint_seq: 5,
                found_last: 3
            })
        );
        let wrong = Checkpoint::signed(&key, 4, &c[2].hash, 1, 1);
        assert_eq!(
            verify_keyed(&c, Some(&key), Some(1), &[wrong]),
            Err(ChainBreak::CheckpointMismatch { seq: 4 })
        );
        assert_eq!(verify_keyed(&c, Some(&key), Some(1), &[at_5]), Ok(5));
    }

    #[test]
    fn a_checkpoint_reads_back_and_its_signature_covers_every_field() {
        let key = AuditKey::from_bytes([9; 32]);
        let c = Checkpoint::signed(&key, 42, "abc", 1_790_000_000_000, 7);
        let back = Checkpoint::parse(&c.to_text()).unwrap();
        assert_eq!(back, c);
        assert!(back.is_signed_by(&key));
        assert!(!back.is_signed_by(&AuditKey::from_bytes([8; 32])));
        for changed in [
            Checkpoint { seq: 43, ..c.clone() },
            Checkpoint {
                hash: "abd".into(),
                ..c.clone()
            },
            Checkpoint { at_ms: 1, ..c.clone() },
            Checkpoint {
                keyed_from: 1,
                ..c.clone()
            },
        ] {
            assert!(!changed.is_signed_by(&key), "{changed:?}");
        }
        assert!(Checkpoint::parse("seq=1").is_err());
    }

    #[test]
    fn the_keyed_point_comes_from_the_checkpoints_and_must_match_the_database() {
        let key = AuditKey::from_bytes([1; 32]);
        let cp = Checkpoint::signed(&key, 5, "h", 1, 3);
        assert_eq!(keyed_from(&[], Some(4)), Ok(Some(4)));
        assert_eq!(keyed_from(std::slice::from_ref(&cp), Some(3)), Ok(Some(3)));
        assert!(matches!(
            keyed_from(std::slice::from_ref(&cp), None),
            Err(ChainBreak::KeyedFromChanged { recorded: 3, .. })
        ));
        assert!(matches!(
            keyed_from(&[cp], Some(9)),
            Err(ChainBreak::KeyedFromChanged { recorded: 3, .. })
        ));
    }

    #[test]
    fn a_key_file_reads_back_and_wrong_ones_are_refused() {
        let key = AuditKey::from_bytes([5; 32]);
        let back = AuditKey::parse(&key.to_file_text()).unwrap();
        assert_eq!(back.sign(&[b"x"]), key.sign(&[b"x"]));
        assert!(AuditKey::parse("abcd").is_err());
        assert!(AuditKey::parse("not hex at all").is_err());
        assert!(AuditKey::parse("").is_err());
    }
}
