-- The language each person reads (issue 22, decision 0039): their own choice for accounts and for
-- the adults of a case (NULL: the organisation's default), and how the organisation writes to
-- families: its default language, and whether its letters are bilingual (Welsh first).
-- `case_parties.language` stays what it was: the language a person speaks, for an interpreter.
ALTER TABLE users ADD COLUMN preferred_language TEXT CHECK (preferred_language IN ('en', 'cy'));
ALTER TABLE case_parties ADD COLUMN preferred_language TEXT CHECK (preferred_language IN ('en', 'cy'));
ALTER TABLE organisations ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en' CHECK (default_language IN ('en', 'cy'));
ALTER TABLE organisations ADD COLUMN bilingual_letters BOOLEAN NOT NULL DEFAULT FALSE;
