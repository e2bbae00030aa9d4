-- Documents uploaded to a case (court orders and other papers). The bytes are files in the data
-- directory under the document's id; only the row says what they are.
CREATE TABLE documents (
    organisation_id TEXT NOT NULL,
    id TEXT NOT NULL,
    case_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('pdf', 'png', 'jpeg', 'docx')),
    name TEXT NOT NULL,
    description TEXT,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    uploaded_by TEXT,
    uploaded_at BIGINT NOT NULL,
    PRIMARY KEY (organisation_id, id),
    FOREIGN KEY (organisation_id, case_id) REFERENCES cases (organisation_id, id)
);
CREATE INDEX documents_by_case ON documents (organisation_id, case_id, uploaded_at);
