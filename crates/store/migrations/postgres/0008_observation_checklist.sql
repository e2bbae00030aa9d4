-- Each organisation's observation checklist (the statements in order, one a line). No row means
-- the default list. Records keep the words they ticked, so changing this never changes a record.
CREATE TABLE observation_checklists (
    organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
    items TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1
);
