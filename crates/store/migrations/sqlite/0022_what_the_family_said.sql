-- What a family tells the centre is kept as they said it (issue 30): whether an adult has parental
-- responsibility may be not known (responsibility_known false; parental_responsibility is then
-- meaningless), the court orders a parent described before the centre has seen them, the service a
-- parent asked for after "Which service do I need?", and the centre's own public phone number (for families; never a family's).
-- An adult's details are edited from the case page, so each adult's row carries a version.
ALTER TABLE case_parties ADD COLUMN responsibility_known BOOLEAN NOT NULL DEFAULT 1;
ALTER TABLE case_parties ADD COLUMN version BIGINT NOT NULL DEFAULT 1;
ALTER TABLE cases ADD COLUMN orders_described TEXT;
ALTER TABLE cases ADD COLUMN service_asked TEXT;
ALTER TABLE centres ADD COLUMN public_phone TEXT;
