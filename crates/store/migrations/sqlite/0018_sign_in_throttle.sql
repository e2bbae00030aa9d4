-- The sign-in throttle of decision 0023. Failures are counted per account, per source (the account
-- from one address or one device) and per address; every key is a SHA-256 hash, so neither e-mail
-- addresses nor IP addresses are stored. The old per-key table stays for the self-referral limit.
CREATE TABLE sign_in_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at BIGINT NOT NULL,
    account_hash TEXT NOT NULL,
    source_hash TEXT NOT NULL,
    address_hash TEXT NOT NULL
);
CREATE INDEX sign_in_failures_by_account ON sign_in_failures (account_hash, at);
CREATE INDEX sign_in_failures_by_source ON sign_in_failures (source_hash, at);
CREATE INDEX sign_in_failures_by_address ON sign_in_failures (address_hash, at, account_hash);
CREATE INDEX sign_in_failures_by_time ON sign_in_failures (at);

-- The (account, address) pairs that signed in successfully, hashed: an account is not slowed down
-- by failures elsewhere when it signs in from an address it has used before.
CREATE TABLE sign_in_known_addresses (
    key_hash TEXT PRIMARY KEY,
    last_at BIGINT NOT NULL
);

-- The server's own secret keys (the device cookies' signing key), made on first use.
CREATE TABLE server_keys (
    name TEXT PRIMARY KEY,
    secret TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
