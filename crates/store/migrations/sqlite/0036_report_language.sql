-- The language a report was written in (issue 22): a report to a court stays in the language it was
-- written in, whoever downloads it, and its cover page and headings are printed in that language.
-- Set when the report is created; reports written before this were written in English.
ALTER TABLE reports ADD COLUMN language TEXT NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'cy'));
