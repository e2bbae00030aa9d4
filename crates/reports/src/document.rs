//! The document model: what a report, letter or invoice says, as plain data with no layout.

use familytime_i18n::Lang;

/// What sort of document this is; it sets the style of the title block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentKind {
    /// An observation report or end-of-series summary: large title, rule, then the meta lines.
    #[default]
    Report,
    /// A letter: the meta lines (date, recipient…) first, then the title as a bold subject line.
    Letter,
    /// An invoice: like a report, under a small "INVOICE" label (in the document's language).
    Invoice,
    /// A receipt or a statement of account: set like an invoice, without the label.
    Account,
}

/// A document to render. Every string is shown literally; empty strings and lists are allowed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub kind: DocumentKind,
    /// The language the document is written in: the words the template adds (the invoice label,
    /// "Page 1 of 2") are in it, and the PDF says it. The caller writes every other word in it.
    pub lang: Lang,
    /// Shown at the top left of every page.
    pub organisation: String,
    pub title: String,
    /// For example a case reference "FT-2026-0042"; shown at the top right of every page.
    pub reference: Option<String>,
    /// Label/value lines under the title (Date, Prepared by, Status…); above it in a letter.
    pub meta: Vec<(String, String)>,
    /// A boxed notice before the body, e.g. on how a report may be used.
    pub caveat: Option<String>,
    pub blocks: Vec<Block>,
    /// Small print after the body, e.g. record hashes or a charity number.
    pub footer_note: Option<String>,
}

/// One piece of the body. In `Paragraph`, `Quote`, the caveat and the footer note, a blank line
/// starts a new paragraph and a single newline is a line break.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    Heading(String),
    Paragraph(String),
    /// Words quoted verbatim (e.g. what a child said), set off and in italics.
    Quote(String),
    /// Label/value pairs in two columns.
    KeyValues(Vec<(String, String)>),
    /// A table that breaks across pages, repeating its header. Short rows are padded with empty
    /// cells; the table has as many columns as its widest row or header. An empty header means
    /// no header row.
    Table {
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Bullets(Vec<String>),
}
