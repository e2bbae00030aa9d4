//! Rendering: turns a `Document` into JSON, then typesets the fixed template (template.typ) with
//! typst in a closed world — two virtual files (/main.typ, /data.json), the fonts bundled by
//! typst-assets, no file system, no packages, no clock — and exports the result as PDF.

use std::sync::LazyLock;

use serde::Serialize;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime, Duration, Smart};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;
use typst_pdf::PdfOptions;

use crate::document::{Block, Document, DocumentKind};

const TEMPLATE: &str = include_str!("template.typ");

/// Why a document could not be rendered. Each is a fault in this crate (its template or
/// environment), not in the data: every `Document` is valid input.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The fixed environment (template, fonts) could not be set up.
    #[error("the document renderer could not start: {0}")]
    Setup(String),
    /// The document could not be encoded for the template.
    #[error("the document could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
    /// Typesetting failed. The messages come from typst and could quote document text, so they
    /// are kept out of `Display` (which may end up in a log); read them here when debugging.
    #[error("the document could not be typeset ({} errors)", messages.len())]
    Typeset { messages: Vec<String> },
    /// PDF export failed; the messages are as for `Typeset`.
    #[error("the document could not be exported as PDF ({} errors)", messages.len())]
    Export { messages: Vec<String> },
}

/// Renders `doc` as an A4 PDF. The output is the same bytes for the same document.
pub fn render_pdf(doc: &Document) -> Result<Vec<u8>, RenderError> {
    render_pdf_parts(std::slice::from_ref(doc))
}

/// Renders several documents one after the other as one PDF, each starting on a new page: a
/// letter written in Welsh and then in English is its two documents, Welsh first. An empty list
/// renders nothing and is refused as a fault of the caller's setup.
pub fn render_pdf_parts(parts: &[Document]) -> Result<Vec<u8>, RenderError> {
    let env = ENVIRONMENT.as_ref().map_err(|e| RenderError::Setup(e.clone()))?;
    if parts.is_empty() {
        return Err(RenderError::Setup("no document to render".into()));
    }
    let data = serde_json::to_vec(&Parts {
        parts: parts.iter().map(Data::from).collect(),
    })?;
    let world = DocumentWorld {
        env,
        data: Bytes::new(data),
    };
    let compiled = typst::compile::<PagedDocument>(&world).output;
    let result = match compiled {
        Ok(paged) => typst_pdf::pdf(&paged, &pdf_options()).map_err(|errors| RenderError::Export {
            messages: messages(&errors),
        }),
        Err(errors) => Err(RenderError::Typeset {
            messages: messages(&errors),
        }),
    };
    // typst memoises across compilations; forget what has not been used for a while so a
    // long-running server does not grow. The template and fonts stay warm.
    typst::comemo::evict(10);
    result
}

fn pdf_options() -> PdfOptions {
    PdfOptions {
        // A fixed identifier and no timestamp: the same document gives the same bytes.
        ident: Smart::Custom("familytime-document".into()),
        creator: Smart::Custom(Some("familytime".into())),
        timestamp: None,
        ..PdfOptions::default()
    }
}

fn messages(errors: &[SourceDiagnostic]) -> Vec<String> {
    errors.iter().map(|e| e.message.to_string()).collect()
}

/// What every render shares: the standard library, the fonts and the parsed template.
struct Environment {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    data_id: FileId,
}

static ENVIRONMENT: LazyLock<Result<Environment, String>> = LazyLock::new(Environment::new);

impl Environment {
    fn new() -> Result<Self, String> {
        let file = |path: &str| {
            VirtualPath::new(path)
                .map(|vpath| RootedPath::new(VirtualRoot::Project, vpath).intern())
                .map_err(|e| format!("virtual path {path}: {e:?}"))
        };
        let main_id = file("/main.typ")?;
        let data_id = file("/data.json")?;
        let fonts: Vec<Font> = typst_assets::fonts()
            .flat_map(|data| Font::iter(Bytes::new(data)))
            .collect();
        if fonts.is_empty() {
            return Err("no fonts are bundled (typst-assets without its fonts feature?)".into());
        }
        Ok(Self {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main: Source::new(main_id, TEMPLATE.to_owned()),
            data_id,
        })
    }
}

/// The closed world one render sees: the template and this document's data, nothing else.
struct DocumentWorld<'a> {
    env: &'a Environment,
    data: Bytes,
}

impl World for DocumentWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.env.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.env.book
    }

    fn main(&self) -> FileId {
        self.env.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.env.main.id() {
            Ok(self.env.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.env.data_id {
            Ok(self.data.clone())
        } else if id == self.env.main.id() {
            Ok(Bytes::from_string(self.env.main.text().to_owned()))
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.env.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        // Dates are data (in `meta`), never the renderer's clock.
        None
    }
}

/// The JSON the template reads: the parts, in the order they are printed.
#[derive(Serialize)]
struct Parts {
    parts: Vec<Data>,
}

/// One part of the JSON. Text is cleaned of control characters; tables are made rectangular so the
/// template needs no arithmetic.
#[derive(Serialize)]
struct Data {
    kind: &'static str,
    /// The part's language, as typst knows it (`en`, `cy`).
    lang: &'static str,
    /// The small label above an invoice's title, in the part's language.
    label: Option<String>,
    /// "Page {page} of {pages}" in the part's language; the template fills in the numbers.
    page_of: String,
    organisation: String,
    title: String,
    reference: Option<String>,
    meta: Vec<[String; 2]>,
    caveat: Option<String>,
    blocks: Vec<BlockData>,
    footer_note: Option<String>,
}

#[derive(Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum BlockData {
    Heading {
        text: String,
    },
    Paragraph {
        text: String,
    },
    Quote {
        text: String,
    },
    KeyValues {
        pairs: Vec<[String; 2]>,
    },
    Table {
        columns: usize,
        header: Vec<String>,
        rows: Vec<Vec<String>>,
    },
    Bullets {
        items: Vec<String>,
    },
}

impl From<&Document> for Data {
    fn from(doc: &Document) -> Self {
        Self {
            kind: match doc.kind {
                DocumentKind::Report => "report",
                DocumentKind::Letter => "letter",
                DocumentKind::Invoice => "invoice",
                DocumentKind::Account => "account",
            },
            lang: doc.lang.code(),
            label: (doc.kind == DocumentKind::Invoice)
                .then(|| familytime_i18n::message(doc.lang, "pdf-invoice-label", None)),
            page_of: page_of(doc.lang),
            organisation: clean(&doc.organisation),
            title: clean(&doc.title),
            reference: doc.reference.as_deref().map(clean),
            meta: pairs(&doc.meta),
            caveat: doc.caveat.as_deref().map(clean),
            blocks: doc.blocks.iter().filter_map(block).collect(),
            footer_note: doc.footer_note.as_deref().map(clean),
        }
    }
}

/// The footer's words with the numbers left as `{page}` and `{pages}` for the template to fill in
/// (typst knows the numbers only as it lays the pages out).
fn page_of(lang: familytime_i18n::Lang) -> String {
    use familytime_i18n::FluentValue;
    let args = familytime_i18n::args([
        ("page", FluentValue::from("{page}")),
        ("pages", FluentValue::from("{pages}")),
    ]);
    familytime_i18n::message(lang, "pdf-page-of", Some(&args))
}

fn block(b: &Block) -> Option<BlockData> {
    Some(match b {
        Block::Heading(t) => BlockData::Heading { text: clean(t) },
        Block::Paragraph(t) => BlockData::Paragraph { text: clean(t) },
        Block::Quote(t) => BlockData::Quote { text: clean(t) },
        Block::KeyValues(kv) => BlockData::KeyValues { pairs: pairs(kv) },
        Block::Bullets(items) => BlockData::Bullets {
            items: items.iter().map(|s| clean(s)).collect(),
        },
        Block::Table { header, rows } => {
            let columns = rows.iter().map(Vec::len).chain([header.len()]).max()?;
            if columns == 0 {
                return None;
            }
            let pad = |cells: &[String]| {
                let mut out: Vec<String> = cells.iter().map(|s| clean(s)).collect();
                out.resize(columns, String::new());
                out
            };
            BlockData::Table {
                columns,
                header: if header.is_empty() { Vec::new() } else { pad(header) },
                rows: rows.iter().map(|r| pad(r)).collect(),
            }
        }
    })
}

fn pairs(kv: &[(String, String)]) -> Vec<[String; 2]> {
    kv.iter().map(|(k, v)| [clean(k), clean(v)]).collect()
}

/// Newlines normalised to `\n`, tabs to spaces, other control characters dropped: they have no
/// glyph and would only show as boxes.
fn clean(s: &str) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    s.chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_keeps_markup_and_drops_controls() {
        assert_eq!(clean("#set *b* $x$\r\nnext\u{7}\tend"), "#set *b* $x$\nnext end");
    }

    #[test]
    fn tables_are_made_rectangular_and_empty_ones_dropped() {
        let t = Block::Table {
            header: vec!["A".into()],
            rows: vec![vec!["1".into(), "2".into(), "3".into()], vec![]],
        };
        let Some(BlockData::Table { columns, header, rows }) = block(&t) else {
            panic!("a table stays a table");
        };
        assert_eq!(columns, 3);
        assert_eq!(header, ["A", "", ""]);
        assert_eq!(rows[1], ["", "", ""]);
        let empty = Block::Table {
            header: vec![],
            rows: vec![vec![]],
        };
        assert!(block(&empty).is_none());
    }
}
