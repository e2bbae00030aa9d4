//! familytime's documents: observation and summary reports, letters and (later) invoices, rendered
//! to PDF from plain data. The caller (the web layer) builds a [`Document`]; [`render_pdf`] typesets
//! it with typst as a library, using one fixed template and fonts compiled into the binary.
//!
//! User text is data, never markup: it reaches the template as JSON strings and is placed as text,
//! so `#set page`, `*bold*`, `$x$`, `[link]`, `<label>` or backslashes come out exactly as typed.
//! This crate depends only on `familytime-i18n`: the few words the template adds itself (the
//! invoice label, "Page 1 of 2") are taken from the catalogues in the document's language.
//!
//! Rendering is CPU-bound (tens of milliseconds for a few pages): call it from
//! `tokio::task::spawn_blocking`, not on an async worker.

mod document;
mod render;

pub use document::{Block, Document, DocumentKind};
pub use familytime_i18n::Lang;
pub use render::{RenderError, render_pdf, render_pdf_parts};
