//! Counting for the sign-in throttle (decision 0023): one row per failed attempt holding hashes of
//! the account, the source (the account from an address, or from a device) and the address; the
//! (account, address) pairs that have signed in; and the server's keys (the device cookies' signing
//! key). The rule itself is `familytime_domain::ratelimit`; no e-mail or IP address is stored.

use crate::{Result, Store, exec_pool, exec_tx, ms, with_pool, with_tx};
use familytime_domain::Timestamp;
use familytime_domain::ratelimit::{Counts, SignInThrottle, Source, Verdict};
use jiff::SignedDuration;

/// The hashed keys one sign-in attempt is counted under.
#[derive(Debug, Clone)]
pub struct AttemptKeys {
    pub account: String,
    pub address: String,
    /// The account from this address: counted as the source unless a device is shown, and
    /// remembered as a known address after a good sign-in.
    pub account_address: String,
    /// The account from this device, when the attempt shows a valid device cookie for it.
    pub account_device: Option<String>,
}

/// The answer to a reservation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reservation {
    /// The attempt may check the password; it counts as a failure (this row) unless released.
    Reserved(i64),
    /// Refused without checking: wait at most this long.
    Refused(SignedDuration),
}

impl Store {
    /// Counts what the rule needs and, when it allows the attempt, records it as a failure, all in
    /// one transaction that holds the account's and the address's lock rows, so concurrent
    /// attempts are counted one after another and none slips past a limit.
    pub async fn reserve_sign_in_attempt(
        &self,
        keys: &AttemptKeys,
        rule: &SignInThrottle,
        now: Timestamp,
    ) -> Result<Reservation> {
        let mut tx = self.begin().await?;
        // Always in one order, so two attempts that share a key never wait for each other in turn.
        let mut locks = [keys.account.as_str(), keys.address.as_str()];
        locks.sort_unstable();
        for key in locks {
            exec_tx!(tx, |c| sqlx::query(
                "INSERT INTO login_throttle_keys (key_hash) VALUES ($1)
                 ON CONFLICT (key_hash) DO UPDATE SET key_hash = excluded.key_hash"
            )
            .bind(key)
            .execute(c)
            .await)?;
        }
        let (source, source_key) = match &keys.account_device {
            Some(device) => (Source::KnownDevice, device.as_str()),
            None => {
                let known: i64 = with_tx!(tx, |c| sqlx::query_scalar(
                    "SELECT COUNT(*) FROM sign_in_known_addresses WHERE key_hash = $1 AND last_at >= $2"
                )
                .bind(&keys.account_address)
                .bind(ms(rule.known_since(now)))
                .fetch_one(c)
                .await)?;
                let source = if known > 0 {
                    Source::KnownAddress
                } else {
                    Source::UnknownAddress
                };
                (source, keys.account_address.as_str())
            }
        };
        let source_failures: i64 = with_tx!(tx, |c| sqlx::query_scalar(
            "SELECT COUNT(*) FROM sign_in_failures WHERE source_hash = $1 AND at >= $2"
        )
        .bind(source_key)
        .bind(ms(rule.source_since(now)))
        .fetch_one(c)
        .await)?;
        let (account_failures, account_latest): (i64, Option<i64>) = with_tx!(tx, |c| sqlx::query_as(
            "SELECT COUNT(*), MAX(at) FROM sign_in_failures WHERE account_hash = $1 AND at >= $2"
        )
        .bind(&keys.account)
        .bind(ms(rule.account_since(now)))
        .fetch_one(c)
        .await)?;
        let address_accounts: i64 = with_tx!(tx, |c| sqlx::query_scalar(
            "SELECT COUNT(DISTINCT account_hash) FROM sign_in_failures WHERE address_hash = $1 AND at >= $2"
        )
        .bind(&keys.address)
        .bind(ms(rule.address_since(now)))
        .fetch_one(c)
        .await)?;
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        let counts = Counts {
            source_failures: count(source_failures),
            account_failures: count(account_failures),
            account_latest: account_latest.and_then(|at| Timestamp::from_millisecond(at).ok()),
            address_accounts: count(address_accounts),
        };
        if let Verdict::Wait(wait) = rule.decide(source, &counts, now) {
            return Ok(Reservation::Refused(wait));
        }
        let id: i64 = with_tx!(tx, |c| sqlx::query_scalar(
            "INSERT INTO sign_in_failures (at, account_hash, source_hash, address_hash)
             VALUES ($1, $2, $3, $4) RETURNING id"
        )
        .bind(ms(now))
        .bind(&keys.account)
        .bind(source_key)
        .bind(&keys.address)
        .fetch_one(c)
        .await)?;
        tx.commit().await?;
        // Failures past every window count for nothing; dropping them keeps the table small.
        exec_pool!(self, |p| sqlx::query("DELETE FROM sign_in_failures WHERE at < $1")
            .bind(ms(rule.forget_before(now)))
            .execute(p)
            .await)?;
        Ok(Reservation::Reserved(id))
    }

    /// Withdraws a reserved attempt that turned out to succeed.
    pub async fn release_sign_in_attempt(&self, id: i64) -> Result<()> {
        exec_pool!(self, |p| sqlx::query("DELETE FROM sign_in_failures WHERE id = $1")
            .bind(id)
            .execute(p)
            .await)?;
        Ok(())
    }

    /// Remembers that the account signed in from this address (its hashed pair), and forgets pairs
    /// not seen within the rule's time.
    pub async fn remember_sign_in_address(
        &self,
        account_address: &str,
        rule: &SignInThrottle,
        now: Timestamp,
    ) -> Result<()> {
        exec_pool!(self, |p| sqlx::query(
            "INSERT INTO sign_in_known_addresses (key_hash, last_at) VALUES ($1, $2)
             ON CONFLICT (key_hash) DO UPDATE SET last_at = excluded.last_at"
        )
        .bind(account_address)
        .bind(ms(now))
        .execute(p)
        .await)?;
        exec_pool!(self, |p| sqlx::query(
            "DELETE FROM sign_in_known_addresses WHERE last_at < $1"
        )
        .bind(ms(rule.known_since(now)))
        .execute(p)
        .await)?;
        Ok(())
    }

    /// The server's secret key of this name, made from `fresh` the first time it is asked for (the
    /// first of two racing servers wins, and both then use its key).
    pub async fn server_key(&self, name: &str, fresh: &str, now: Timestamp) -> Result<String> {
        exec_pool!(self, |p| sqlx::query(
            "INSERT INTO server_keys (name, secret, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (name) DO NOTHING"
        )
        .bind(name)
        .bind(fresh)
        .bind(ms(now))
        .execute(p)
        .await)?;
        Ok(with_pool!(self, |p| sqlx::query_scalar(
            "SELECT secret FROM server_keys WHERE name = $1"
        )
        .bind(name)
        .fetch_one(p)
        .await)?)
    }
}
