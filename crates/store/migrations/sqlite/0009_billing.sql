-- Money: prices that apply from a date, the cancellation policy as data, who funds each case, the
-- ledger (never edited: corrections are new entries), invoices numbered without gaps per
-- organisation, and the organisation's details printed on invoices.

CREATE TABLE prices (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    item TEXT NOT NULL CHECK (item IN ('referral_fee', 'pre_visit', 'supervised_session', 'supported_session',
        'handover_session', 'deposit', 'written_report', 'incident_report', 'mileage', 'supported_donation')),
    amount_pence BIGINT NOT NULL CHECK (amount_pence >= 0),
    applies_from TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, centre_id, item, applies_from),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id),
    FOREIGN KEY (organisation_id, created_by) REFERENCES users (organisation_id, id)
);

CREATE TABLE cancellation_tiers (
    organisation_id TEXT NOT NULL,
    centre_id TEXT NOT NULL,
    position BIGINT NOT NULL,
    under_hours BIGINT NOT NULL CHECK (under_hours > 0 AND under_hours <= 720),
    canceller TEXT NOT NULL CHECK (canceller IN ('resident', 'visiting')),
    forfeit TEXT NOT NULL CHECK (forfeit IN ('session_fee', 'deposit')),
    basis_points BIGINT NOT NULL CHECK (basis_points > 0 AND basis_points <= 10000),
    PRIMARY KEY (organisation_id, centre_id, position),
    FOREIGN KEY (organisation_id, centre_id) REFERENCES centres (organisation_id, id)
);

CREATE TABLE billing_settings (
    organisation_id TEXT NOT NULL PRIMARY KEY,
    charity_name TEXT NOT NULL DEFAULT '',
    charity_number TEXT NOT NULL DEFAULT '',
    postal_address TEXT NOT NULL DEFAULT '',
    payment_details TEXT NOT NULL DEFAULT '',
    payment_terms_days BIGINT NOT NULL DEFAULT 14 CHECK (payment_terms_days >= 0 AND payment_terms_days <= 365),
    release_unpaid_hours BIGINT CHECK (release_unpaid_hours > 0 AND release_unpaid_hours <= 2160),
    version BIGINT NOT NULL DEFAULT 1,
    FOREIGN KEY (organisation_id) REFERENCES organisations (id)
);

CREATE TABLE case_funding (
    organisation_id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    payer TEXT NOT NULL CHECK (payer IN ('private', 'cafcass', 'local_authority', 'legal_aid', 'charity_grant', 'bursary')),
    funder_name TEXT NOT NULL DEFAULT '',
    funded_sessions BIGINT CHECK (funded_sessions >= 0),
    funded_minutes BIGINT CHECK (funded_minutes >= 0),
    visiting_share BIGINT NOT NULL CHECK (visiting_share >= 0 AND visiting_share <= 10000),
    updated_by TEXT,
    updated_at BIGINT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (organisation_id, case_id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, updated_by) REFERENCES users (organisation_id, id),
    CHECK (payer = 'private' OR funder_name <> '')
);

CREATE TABLE ledger_entries (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('charge', 'payment', 'refund', 'waiver', 'credit', 'deposit_held',
        'deposit_returned', 'deposit_forfeited')),
    party_id TEXT,
    funder_name TEXT,
    item TEXT,
    booking_id TEXT,
    against TEXT,
    minutes BIGINT,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    method TEXT CHECK (method IN ('cash', 'card', 'bank_transfer', 'cheque')),
    reference TEXT,
    reason TEXT,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, booking_id) REFERENCES bookings (organisation_id, id),
    FOREIGN KEY (organisation_id, against) REFERENCES ledger_entries (organisation_id, id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id),
    CHECK ((party_id IS NULL) <> (funder_name IS NULL)),
    CHECK (kind <> 'charge' OR item IS NOT NULL),
    CHECK (kind NOT IN ('payment', 'refund', 'deposit_held', 'deposit_returned') OR method IS NOT NULL),
    CHECK (kind NOT IN ('waiver', 'refund', 'deposit_returned') OR length(trim(reason)) > 0)
);
-- The sweep that releases unpaid provisional bookings reads them by status and age.
CREATE INDEX bookings_by_status ON bookings (organisation_id, status, created_at);
CREATE INDEX ledger_entries_by_case ON ledger_entries (organisation_id, case_id, recorded_at);
CREATE INDEX ledger_entries_by_booking ON ledger_entries (organisation_id, booking_id);

-- Money given to the centre's bursary fund; what it has paid is the ledger's charges to the fund.
CREATE TABLE bursary_grants (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    amount_pence BIGINT NOT NULL CHECK (amount_pence > 0),
    source TEXT NOT NULL CHECK (length(trim(source)) > 0),
    received_on TEXT NOT NULL,
    recorded_by TEXT,
    recorded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id) REFERENCES organisations (id),
    FOREIGN KEY (organisation_id, recorded_by) REFERENCES users (organisation_id, id)
);

CREATE TABLE invoice_numbers (
    organisation_id TEXT NOT NULL PRIMARY KEY,
    last_number BIGINT NOT NULL,
    FOREIGN KEY (organisation_id) REFERENCES organisations (id)
);

CREATE TABLE invoices (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    number BIGINT NOT NULL,
    case_id TEXT NOT NULL,
    party_id TEXT,
    funder_name TEXT,
    issued_to TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    due_on TEXT NOT NULL,
    total_pence BIGINT NOT NULL CHECK (total_pence > 0),
    issued_by TEXT,
    PRIMARY KEY (organisation_id, id),
    UNIQUE (organisation_id, number),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id),
    FOREIGN KEY (organisation_id, party_id) REFERENCES case_parties (organisation_id, id),
    FOREIGN KEY (organisation_id, issued_by) REFERENCES users (organisation_id, id),
    CHECK ((party_id IS NULL) <> (funder_name IS NULL))
);

-- A charge goes on one invoice only.
CREATE TABLE invoice_lines (
    organisation_id TEXT NOT NULL,
    invoice_id TEXT NOT NULL,
    entry_id TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_pence BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, entry_id),
    FOREIGN KEY (organisation_id, invoice_id) REFERENCES invoices (organisation_id, id),
    FOREIGN KEY (organisation_id, entry_id) REFERENCES ledger_entries (organisation_id, id)
);
CREATE INDEX invoice_lines_by_invoice ON invoice_lines (organisation_id, invoice_id);

CREATE TRIGGER prices_no_update BEFORE UPDATE ON prices
BEGIN
    SELECT RAISE(ABORT, 'prices rows are never changed: record a new one');
END;
CREATE TRIGGER prices_no_delete BEFORE DELETE ON prices
BEGIN
    SELECT RAISE(ABORT, 'prices rows are never deleted');
END;

CREATE TRIGGER ledger_entries_no_update BEFORE UPDATE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries rows are never changed: record a new one');
END;
CREATE TRIGGER ledger_entries_no_delete BEFORE DELETE ON ledger_entries
BEGIN
    SELECT RAISE(ABORT, 'ledger_entries rows are never deleted');
END;

CREATE TRIGGER invoices_no_update BEFORE UPDATE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices rows are never changed: record a new one');
END;
CREATE TRIGGER invoices_no_delete BEFORE DELETE ON invoices
BEGIN
    SELECT RAISE(ABORT, 'invoices rows are never deleted');
END;

CREATE TRIGGER invoice_lines_no_update BEFORE UPDATE ON invoice_lines
BEGIN
    SELECT RAISE(ABORT, 'invoice_lines rows are never changed: record a new one');
END;
CREATE TRIGGER invoice_lines_no_delete BEFORE DELETE ON invoice_lines
BEGIN
    SELECT RAISE(ABORT, 'invoice_lines rows are never deleted');
END;

CREATE TRIGGER bursary_grants_no_update BEFORE UPDATE ON bursary_grants
BEGIN
    SELECT RAISE(ABORT, 'bursary_grants rows are never changed: record a new one');
END;
CREATE TRIGGER bursary_grants_no_delete BEFORE DELETE ON bursary_grants
BEGIN
    SELECT RAISE(ABORT, 'bursary_grants rows are never deleted');
END;
