-- The scheduled backups `serve` makes (issue 18, decision 0054): one row per period of the schedule,
-- claimed by the first server to insert it (the unique period), so two servers sharing a database
-- make one backup between them. A run is `running` until its file has been written and read back
-- (`verified`) or it stopped (`failed`, with the reason in words: never personal data). Staff see
-- the runs on the backups page; administrators are told on their home page when the last one failed.
CREATE TABLE backup_runs (
    id TEXT PRIMARY KEY,
    every_seconds BIGINT NOT NULL CHECK (every_seconds > 0),
    period BIGINT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'verified', 'failed')),
    file_name TEXT,
    bytes BIGINT,
    audit_seq BIGINT,
    error TEXT,
    UNIQUE (every_seconds, period)
);
-- The page's newest-first read and the home page's "the last run".
CREATE INDEX backup_runs_newest ON backup_runs (started_at, id);
