-- Interpreters (issue 19 item 8, decision 0047): an organisation's interpreters, each with the
-- languages they interpret, booked for a session as a resource that must be free like a room. The
-- booking's claim on `interpreter:<id>` in booking_claims holds that (SQLite: checked in the one
-- writer's transaction); this table says who interprets at which booking, and for whom.
CREATE TABLE interpreters (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    name TEXT NOT NULL,
    languages TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id) REFERENCES organisations (id)
);
CREATE INDEX interpreters_by_name ON interpreters (organisation_id, name);

CREATE TABLE booking_interpreters (
    organisation_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    interpreter_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    language TEXT NOT NULL,
    PRIMARY KEY (organisation_id, booking_id, party_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, interpreter_id) REFERENCES interpreters (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id)
);
CREATE INDEX booking_interpreters_by_interpreter ON booking_interpreters (organisation_id, interpreter_id);
