-- Indexes for the paged lists and the bounded money reads (issue 27, decision 0036). Each list that
-- grows is read a page at a time in the order of its index, from where the last page ended:
-- (received_at, id) for the case list, (raised_at, id) for the concerns, (name, id) for the people.
-- The id ends each index so that rows with the same time or name have one order, which the keyset
-- comparison `(key, id) < (…, …)` follows.
CREATE INDEX cases_by_received ON cases (organisation_id, received_at, id);
DROP INDEX cases_by_status;
CREATE INDEX cases_by_status ON cases (organisation_id, status, received_at, id);
CREATE INDEX users_by_name ON users (organisation_id, name, id);
-- The staff (to choose from) without the families' accounts, and the parents' accounts alone.
CREATE INDEX users_by_role ON users (organisation_id, role, name, id);
CREATE INDEX safeguarding_by_time ON safeguarding_concerns (organisation_id, raised_at, id);
DROP INDEX safeguarding_by_status;
CREATE INDEX safeguarding_by_status ON safeguarding_concerns (organisation_id, status, raised_at, id);
-- A case's invoices, newest first.
CREATE INDEX invoices_by_case ON invoices (organisation_id, case_id, number);
-- A funder's entries (the bursary fund's balance), with what the sum needs, so only the index is read.
CREATE INDEX ledger_entries_by_funder ON ledger_entries (organisation_id, funder_name, kind, amount_pence);
-- The reasons given to see hidden details, newest first, stopping at the list's limit: the id breaks
-- ties in the index, so nothing is sorted.
DROP INDEX break_glass_by_time;
CREATE INDEX break_glass_by_time ON break_glass (organisation_id, given_at, id);
