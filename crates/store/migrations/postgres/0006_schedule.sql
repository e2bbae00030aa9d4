-- Scheduling: each centre's settings and calendar, staff availability, the people who must never
-- meet, and bookings. A booking's claims on rooms, staff, children and parties, and the never-meet
-- pairs' windows, are rows that the database itself keeps from overlapping (see below).
-- Local times are 'HH:MM' text in the centre's zone; dates are ISO text; instants BIGINT ms UTC.

CREATE TABLE schedule_settings (
    organisation_id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('visiting_first', 'resident_first')),
    arrival_lead_minutes BIGINT NOT NULL,
    handover_minutes BIGINT NOT NULL,
    departure_delay_minutes BIGINT NOT NULL,
    room_buffer_minutes BIGINT NOT NULL,
    supervisors_required BIGINT NOT NULL CHECK (supervisors_required BETWEEN 1 AND 2),
    families_per_worker BIGINT NOT NULL,
    community_staff_required BIGINT NOT NULL,
    travel_minutes BIGINT NOT NULL,
    longest_session_minutes BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, centre_id),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    CHECK (arrival_lead_minutes >= handover_minutes AND departure_delay_minutes >= handover_minutes)
);

-- Weekday 1 = Monday … 7 = Sunday. alternate_from: every other week, counting from that date's week.
CREATE TABLE opening_hours (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens TEXT NOT NULL,
    closes TEXT NOT NULL,
    alternate_from TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    CHECK (opens < closes)
);
CREATE INDEX opening_hours_by_centre ON opening_hours (organisation_id, centre_id);

CREATE TABLE closures (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    CHECK (first_day <= last_day)
);
CREATE INDEX closures_by_centre ON closures (organisation_id, centre_id, first_day);

CREATE TABLE entrances (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, centre_id, name),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id)
);

-- An off-site venue may be used only once someone has approved it (and said why it is suitable).
CREATE TABLE venue_approvals (
    organisation_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    venue_kind TEXT NOT NULL CHECK (venue_kind IN ('community', 'hospital', 'home')),
    approved_by TEXT NOT NULL,
    approved_at BIGINT NOT NULL,
    notes TEXT NOT NULL,
    PRIMARY KEY (organisation_id, room_id),
    FOREIGN KEY (organisation_id, room_id) REFERENCES rooms (organisation_id, id),
    FOREIGN KEY (organisation_id, approved_by) REFERENCES users (organisation_id, id)
);

CREATE TABLE staff_profiles (
    organisation_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    qualified_supervised BOOLEAN NOT NULL DEFAULT FALSE,
    qualifications TEXT NOT NULL DEFAULT '',
    dbs_checked_on TEXT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, user_id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

CREATE TABLE staff_availability (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    CHECK (starts < ends)
);
CREATE INDEX staff_availability_by_user ON staff_availability (organisation_id, user_id);

CREATE TABLE staff_leave (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    first_day TEXT NOT NULL,
    last_day TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    CHECK (first_day <= last_day)
);
CREATE INDEX staff_leave_by_user ON staff_leave (organisation_id, user_id, first_day);

-- The one or two workers a family keeps.
CREATE TABLE case_workers (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, case_id, user_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);

-- A case's own stagger, where it differs from the centre's.
CREATE TABLE case_stagger (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    direction TEXT NOT NULL CHECK (direction IN ('visiting_first', 'resident_first')),
    arrival_lead_minutes BIGINT NOT NULL,
    departure_delay_minutes BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);

-- When a party can come (none: any time the centre is open).
CREATE TABLE party_availability (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    weekday BIGINT NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    starts TEXT NOT NULL,
    ends TEXT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    CHECK (starts < ends)
);
CREATE INDEX party_availability_by_party ON party_availability (organisation_id, party_id);

-- Two people who must never be on site together. party_a < party_b, so a pair is stored once.
CREATE TABLE never_meet (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    party_a TEXT NOT NULL,
    party_b TEXT NOT NULL,
    separation TEXT NOT NULL CHECK (separation IN ('same_case', 'added')),
    reason TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, party_a, party_b),
    FOREIGN KEY (organisation_id, party_a) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, party_b) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
    CHECK (party_a < party_b)
);
CREATE INDEX never_meet_by_b ON never_meet (organisation_id, party_b);

CREATE TABLE bookings (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    case_id TEXT,
    kind TEXT NOT NULL,
    room_id TEXT,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('provisional', 'confirmed', 'completed', 'cancelled', 'no_show',
                                           'stopped_early')),
    series_id TEXT,
    video_token TEXT UNIQUE,
    cancelled_by TEXT CHECK (cancelled_by IN ('centre', 'resident', 'visiting', 'other')),
    cancelled_at BIGINT,
    notice_minutes BIGINT,
    status_reason TEXT,
    rescheduled_from TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, room_id) REFERENCES rooms (organisation_id, id),
    FOREIGN KEY (organisation_id, rescheduled_from) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id),
    CHECK (ends_at > starts_at),
    CHECK (status <> 'cancelled' OR (cancelled_by IS NOT NULL AND cancelled_at IS NOT NULL AND status_reason IS NOT NULL))
);
CREATE INDEX bookings_by_centre ON bookings (organisation_id, centre_id, starts_at);
CREATE INDEX bookings_by_case ON bookings (organisation_id, case_id, starts_at);
CREATE INDEX bookings_by_series ON bookings (organisation_id, series_id);

CREATE TABLE booking_staff (
    organisation_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    user_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, booking_id, user_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id)
);
CREATE INDEX booking_staff_by_user ON booking_staff (organisation_id, user_id);

-- Each party's plan for the session: when they arrive and leave, by which door, where they wait.
CREATE TABLE booking_parties (
    organisation_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    attendance TEXT NOT NULL CHECK (attendance IN ('brings_child', 'has_contact', 'alone')),
    arrives_at BIGINT NOT NULL,
    leaves_at BIGINT NOT NULL,
    entrance_id TEXT,
    waits_in TEXT,
    PRIMARY KEY (organisation_id, booking_id, party_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, entrance_id) REFERENCES entrances (organisation_id, id),
    FOREIGN KEY (organisation_id, waits_in) REFERENCES rooms (organisation_id, id)
);
CREATE INDEX booking_parties_by_party ON booking_parties (organisation_id, party_id);

CREATE TABLE booking_children (
    organisation_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    child_id TEXT NOT NULL,
    PRIMARY KEY (organisation_id, booking_id, child_id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, child_id) REFERENCES case_children (organisation_id, id)
);

-- What happened to a booking, in order: booked, confirmed, moved, cancelled… Never changed.
CREATE TABLE booking_events (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    at BIGINT NOT NULL,
    actor_id TEXT,
    event TEXT NOT NULL,
    from_status TEXT,
    to_status TEXT,
    detail TEXT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id)
);
CREATE INDEX booking_events_by_booking ON booking_events (organisation_id, booking_id, at);

-- Calendar feeds behind unguessable, revocable addresses: for a staff member or a party.
CREATE TABLE calendar_feeds (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    user_id TEXT,
    party_id TEXT,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, user_id) REFERENCES users (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    CHECK ((user_id IS NULL) <> (party_id IS NULL))
);

-- The claims. A booking claims each room, staff member, child and party for a span of time; a
-- family room, a person or a child can be claimed once at a time (the hall, which holds several
-- families, is counted under a lock on its row instead). The exclusion constraint makes the
-- database refuse an overlap even when two requests arrive at the same moment.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE booking_claims (
    organisation_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    resource TEXT NOT NULL,
    exclusive BOOLEAN NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    span INT8RANGE GENERATED ALWAYS AS (int8range(starts_at, ends_at)) STORED,
    PRIMARY KEY (organisation_id, booking_id, resource),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    CHECK (ends_at > starts_at),
    -- The most selective column first: GiST splits its pages on it, and with the organisation first
    -- (the same in every row of a centre) the index degrades and each insert checks most of it.
    CONSTRAINT booking_claims_no_overlap EXCLUDE USING gist (resource WITH =, span WITH &&, organisation_id WITH =)
        WHERE (exclusive)
);
CREATE INDEX booking_claims_by_resource ON booking_claims (organisation_id, resource, starts_at);

-- The windows of people in a never-meet pair: within one pair and one site, two different people's
-- windows may never overlap.
CREATE TABLE pair_claims (
    organisation_id TEXT NOT NULL,
    pair_id TEXT NOT NULL,
    booking_id TEXT NOT NULL,
    party_id TEXT NOT NULL,
    site TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    ends_at BIGINT NOT NULL,
    span INT8RANGE GENERATED ALWAYS AS (int8range(starts_at, ends_at)) STORED,
    FOREIGN KEY (organisation_id, pair_id) REFERENCES never_meet (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    CHECK (ends_at > starts_at),
    CONSTRAINT pair_claims_never_meet EXCLUDE USING gist (pair_id WITH =, span WITH &&, site WITH =,
        party_id WITH <>, organisation_id WITH =)
);
CREATE INDEX pair_claims_by_pair ON pair_claims (organisation_id, pair_id, site, starts_at);
CREATE INDEX pair_claims_by_booking ON pair_claims (organisation_id, booking_id);

CREATE FUNCTION booking_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'booking_events is append-only';
END;
$$;
CREATE TRIGGER booking_events_no_update_or_delete BEFORE UPDATE OR DELETE ON booking_events
    FOR EACH ROW EXECUTE FUNCTION booking_events_append_only();
