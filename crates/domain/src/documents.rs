//! Uploaded documents (court orders and other papers): what kinds are accepted, decided by their
//! content and never by their name, and how images are cleaned of metadata (EXIF, GPS, comments)
//! before they are kept, so a photo never reveals where it was taken.
//!
//! A file is accepted only when it really is what it starts like (decision 0024): a PDF must parse as
//! one (with `lopdf`) and carry no scripts, launch actions or attached files; a Word document must be
//! a zip with `word/document.xml` whose parts, counted while they are inflated, stay under a limit;
//! an image's size is read from its header before anything else, so a picture that would take
//! gigabytes to open is refused unopened. A PDF or image that is also a web page is refused.

/// The kinds of document a centre keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    Pdf,
    Png,
    Jpeg,
    Docx,
}

impl DocumentKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Png => "png",
            DocumentKind::Jpeg => "jpeg",
            DocumentKind::Docx => "docx",
        }
    }
    pub fn parse(value: &str) -> Option<DocumentKind> {
        [
            DocumentKind::Pdf,
            DocumentKind::Png,
            DocumentKind::Jpeg,
            DocumentKind::Docx,
        ]
        .into_iter()
        .find(|k| k.as_str() == value)
    }
    pub fn content_type(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "application/pdf",
            DocumentKind::Png => "image/png",
            DocumentKind::Jpeg => "image/jpeg",
            DocumentKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
    pub fn extension(self) -> &'static str {
        match self {
            DocumentKind::Pdf => "pdf",
            DocumentKind::Png => "png",
            DocumentKind::Jpeg => "jpg",
            DocumentKind::Docx => "docx",
        }
    }
}

/// The largest document accepted.
pub const MAX_BYTES: usize = 10 * 1024 * 1024;

/// The most pixels an image may have (64 megapixels: a 50-megapixel phone photo fits; a picture
/// that would take gigabytes of memory to open does not).
pub const MAX_PIXELS: u64 = 64_000_000;

/// The most a Word document may unpack to, all its parts together, counted while inflating.
pub const MAX_UNPACKED_BYTES: u64 = 50 * 1024 * 1024;

/// The most parts (zip entries) a Word document may have; real ones have a few dozen.
pub const MAX_PARTS: usize = 1_000;

/// The most any one compressed stream inside a PDF may inflate to while it is being read.
const MAX_PDF_STREAM_BYTES: usize = 32 * 1024 * 1024;

/// Why a file was refused, in words for the person uploading it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("The file is empty")]
    Empty,
    #[error("The file must be smaller than 10 MB")]
    TooLarge,
    #[error("The file must be a PDF, a Word document (.docx), or a JPEG or PNG image")]
    NotAccepted,
    #[error("The image file is damaged and cannot be read")]
    Damaged,
    #[error("The image is too large: it may have at most 64 megapixels (for example 8,000 × 8,000 pixels)")]
    ImageTooLarge,
    #[error(
        "The PDF cannot be read: it may be damaged or protected by a password. Save it again as a PDF and try again"
    )]
    PdfUnreadable,
    #[error(
        "The PDF contains scripts, attached files or actions that start programs, which are not accepted. Print it to a new PDF and try again"
    )]
    PdfActive,
    #[error("The file also contains web page code, which is not accepted")]
    WebPage,
    #[error("The Word document cannot be read: it may be damaged or protected by a password")]
    DocxUnreadable,
    #[error("The Word document is too large when unpacked: it may unpack to at most 50 MB")]
    DocxTooLarge,
    #[error("The Word document has too many parts (at most 1,000)")]
    DocxTooManyParts,
    #[error("Word documents with macros are not accepted. Save it as a plain .docx and try again")]
    DocxMacros,
}

/// Works out what a file is from its first bytes.
pub fn sniff(bytes: &[u8]) -> Option<DocumentKind> {
    if bytes.starts_with(b"%PDF-") {
        Some(DocumentKind::Pdf)
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(DocumentKind::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(DocumentKind::Jpeg)
    } else if bytes.starts_with(b"PK\x03\x04") && contains(bytes, b"word/document.xml") {
        Some(DocumentKind::Docx)
    } else {
        None
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Checks a file and returns what it is and the bytes to keep (images without their metadata).
pub fn accept(bytes: &[u8]) -> Result<(DocumentKind, Vec<u8>), Refusal> {
    if bytes.is_empty() {
        return Err(Refusal::Empty);
    }
    if bytes.len() > MAX_BYTES {
        return Err(Refusal::TooLarge);
    }
    let kind = sniff(bytes).ok_or(Refusal::NotAccepted)?;
    let kept = match kind {
        DocumentKind::Jpeg => strip_jpeg(bytes)?,
        DocumentKind::Png => strip_png(bytes)?,
        DocumentKind::Pdf => {
            check_pdf(bytes)?;
            bytes.to_vec()
        }
        DocumentKind::Docx => {
            check_docx(bytes)?;
            bytes.to_vec()
        }
    };
    // A browser that is ever persuaded to read a kept file as HTML must find nothing to run. Word
    // documents are compressed XML (where markup is expected), so they are not scanned.
    if kind != DocumentKind::Docx && has_web_markup(&kept) {
        return Err(Refusal::WebPage);
    }
    Ok((kind, kept))
}

/// A PDF is accepted when it parses (lenient about damaged cross-reference tables, as readers are,
/// but with every stream read while loading bounded), has a page, and carries nothing that acts:
/// no JavaScript, no launch/import/submit actions, no attached or embedded files.
fn check_pdf(bytes: &[u8]) -> Result<(), Refusal> {
    let options = lopdf::LoadOptions {
        max_decompressed_size: Some(MAX_PDF_STREAM_BYTES),
        ..lopdf::LoadOptions::default()
    };
    // The parser is third-party code fed hostile input: a panic in it is a refusal, not a crash.
    let loaded = std::panic::catch_unwind(|| lopdf::Document::load_mem_with_options(bytes, options));
    let document = match loaded {
        Ok(Ok(document)) => document,
        _ => return Err(Refusal::PdfUnreadable),
    };
    if document.get_pages().is_empty() {
        return Err(Refusal::PdfUnreadable);
    }
    let active = std::iter::once(&lopdf::Object::Dictionary(document.trailer.clone()))
        .chain(document.objects.values())
        .any(|object| acts(object, 0));
    if active {
        return Err(Refusal::PdfActive);
    }
    Ok(())
}

/// Does this object (or anything written inside it) run something or carry a file?
fn acts(object: &lopdf::Object, depth: u32) -> bool {
    use lopdf::Object;
    // The parser already bounds nesting; this bound keeps the walk safe whatever it allows.
    if depth > 64 {
        return true;
    }
    let dictionary = match object {
        Object::Dictionary(d) => d,
        Object::Stream(s) => &s.dict,
        Object::Array(items) => return items.iter().any(|o| acts(o, depth + 1)),
        _ => return false,
    };
    const KEYS: [&[u8]; 6] = [b"JS", b"JavaScript", b"EmbeddedFiles", b"EF", b"RichMedia", b"XFA"];
    const ACTIONS: [&[u8]; 6] = [
        b"JavaScript",
        b"Launch",
        b"ImportData",
        b"SubmitForm",
        b"RichMediaExecute",
        b"Rendition",
    ];
    const TYPES: [&[u8]; 2] = [b"EmbeddedFile", b"RichMedia"];
    let name = |key: &[u8]| match dictionary.get(key) {
        Ok(Object::Name(n)) => Some(n.as_slice()),
        _ => None,
    };
    KEYS.iter().any(|k| dictionary.has(k))
        || name(b"S").is_some_and(|s| ACTIONS.contains(&s))
        || name(b"Type").is_some_and(|t| TYPES.contains(&t))
        || name(b"Subtype").is_some_and(|t| t == b"FileAttachment" || t == b"RichMedia")
        || dictionary.iter().any(|(_, value)| acts(value, depth + 1))
}

/// A Word document is a zip holding `word/document.xml`. Every part is inflated and counted as it
/// is read, and reading stops at the limit: the sizes the archive states are never trusted.
fn check_docx(bytes: &[u8]) -> Result<(), Refusal> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|_| Refusal::DocxUnreadable)?;
    if archive.len() > MAX_PARTS {
        return Err(Refusal::DocxTooManyParts);
    }
    let names: Vec<Vec<u8>> = archive.file_names_raw().map(<[u8]>::to_vec).collect();
    if !names.iter().any(|n| n == b"word/document.xml") || !names.iter().any(|n| n == b"[Content_Types].xml") {
        return Err(Refusal::DocxUnreadable);
    }
    if names
        .iter()
        .any(|n| n.to_ascii_lowercase().ends_with(b"vbaproject.bin"))
    {
        return Err(Refusal::DocxMacros);
    }
    let mut left = MAX_UNPACKED_BYTES;
    for index in 0..archive.len() {
        // An encrypted part, or one packed with a method other than store or deflate, fails here.
        let mut part = archive.by_index(index).map_err(|_| Refusal::DocxUnreadable)?;
        let mut counted = std::io::Read::take(&mut part, left + 1);
        let read = std::io::copy(&mut counted, &mut std::io::sink()).map_err(|_| Refusal::DocxUnreadable)?;
        if read > left {
            return Err(Refusal::DocxTooLarge);
        }
        left -= read;
    }
    Ok(())
}

/// Markup a browser would act on (tags that run script, load things or redirect), anywhere in the
/// file, in any letter case: the tag's name, what ends a name, then text (a web page's tag is
/// followed by its attributes or contents as text; compressed or image data that happens to hold
/// `<svg ` almost never goes on as text for eight more bytes).
fn has_web_markup(bytes: &[u8]) -> bool {
    const TAGS: [&[u8]; 12] = [
        b"html",
        b"head",
        b"body",
        b"script",
        b"iframe",
        b"svg",
        b"img",
        b"object",
        b"embed",
        b"meta",
        b"base",
        b"!doctype",
    ];
    let text = |b: &u8| b.is_ascii_graphic() || b.is_ascii_whitespace();
    bytes.iter().enumerate().filter(|(_, b)| **b == b'<').any(|(at, _)| {
        let rest = &bytes[at + 1..];
        TAGS.iter().any(|tag| {
            rest.len() > tag.len()
                && rest[..tag.len()].eq_ignore_ascii_case(tag)
                && (rest[tag.len()].is_ascii_whitespace() || matches!(rest[tag.len()], b'>' | b'/'))
                && rest[tag.len()..].iter().take(9).all(text)
        })
    })
}

/// An image's size must be given, and within the limit, before any of it is kept.
fn check_pixels(width: u64, height: u64) -> Result<(), Refusal> {
    if width == 0 || height == 0 {
        return Err(Refusal::Damaged);
    }
    if width.saturating_mul(height) > MAX_PIXELS {
        return Err(Refusal::ImageTooLarge);
    }
    Ok(())
}

/// Drops a JPEG's APP1–APP15 segments (EXIF, GPS, XMP, maker notes) and comments; keeps APP0
/// (JFIF) and everything the image needs. The frame header (SOF) that gives the image's size must
/// come before the image data, and the size must be within the limit.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    let mut sized = false;
    loop {
        if i + 4 > bytes.len() || bytes[i] != 0xFF {
            return Err(Refusal::Damaged);
        }
        let marker = bytes[i + 1];
        if marker == 0xDA {
            if !sized {
                return Err(Refusal::Damaged);
            }
            // Start of scan: the image data runs to the end.
            out.extend_from_slice(&bytes[i..]);
            return Ok(out);
        }
        let length = usize::from(bytes[i + 2]) << 8 | usize::from(bytes[i + 3]);
        let end = i + 2 + length;
        if length < 2 || end > bytes.len() {
            return Err(Refusal::Damaged);
        }
        // Start of frame (every coding process; C4, C8 and CC are tables, not frames): precision,
        // then height and width.
        if (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
            if length < 7 {
                return Err(Refusal::Damaged);
            }
            let height = u64::from(bytes[i + 5]) << 8 | u64::from(bytes[i + 6]);
            let width = u64::from(bytes[i + 7]) << 8 | u64::from(bytes[i + 8]);
            check_pixels(width, height)?;
            sized = true;
        }
        let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
}

/// Drops a PNG's text, time and EXIF chunks, and anything after its end. The header chunk (IHDR)
/// that gives the image's size must come first, and the size must be within the limit.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    if bytes.len() < 8 + 8 + 13 || &bytes[12..16] != b"IHDR" || bytes[8..12] != [0, 0, 0, 13] {
        return Err(Refusal::Damaged);
    }
    let width = u64::from(u32::from_be_bytes([bytes[16], bytes[17], bytes[18], bytes[19]]));
    let height = u64::from(u32::from_be_bytes([bytes[20], bytes[21], bytes[22], bytes[23]]));
    check_pixels(width, height)?;
    let mut out = bytes[..8].to_vec();
    let mut i = 8;
    while i < bytes.len() {
        if i + 12 > bytes.len() {
            return Err(Refusal::Damaged);
        }
        let length = u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
        let end = i
            .checked_add(12)
            .and_then(|n| n.checked_add(length))
            .filter(|e| *e <= bytes.len())
            .ok_or(Refusal::Damaged)?;
        let kind = &bytes[i + 4..i + 8];
        if !matches!(kind, b"eXIf" | b"tEXt" | b"zTXt" | b"iTXt" | b"tIME") {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
        if kind == b"IEND" {
            break;
        }
    }
    Ok(out)
}

/// A file name fit to show and to offer on download: no path, no control characters, not too long.
pub fn display_name(original: &str, kind: DocumentKind) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '"' | '<' | '>' | ':' | '*' | '?' | '|'))
        .take(120)
        .collect();
    let clean = clean.trim().trim_start_matches('.').to_owned();
    let stem = clean.rsplit_once('.').map(|(s, _)| s.to_owned()).unwrap_or(clean);
    let stem = if stem.trim().is_empty() {
        "document".to_owned()
    } else {
        stem
    };
    format!("{}.{}", stem.trim(), kind.extension())
}

#[cfg(test)]
#[path = "documents_test_files.rs"]
mod test_files;

#[cfg(test)]
mod tests {
    use super::test_files as files;
    use super::*;

    #[test]
    fn jpeg_metadata_is_removed_and_the_image_kept() {
        let mut jpeg = files::jpeg();
        // A comment segment after the frame header goes too.
        let at = jpeg.len() - 3 - 10;
        jpeg.splice(at..at, [0xFF, 0xFE, 0x00, 0x07, b'h', b'e', b'l', b'l', b'o']);
        let (kind, kept) = accept(&jpeg).unwrap();
        assert_eq!(kind, DocumentKind::Jpeg);
        assert!(!contains(&kept, b"GPS") && !contains(&kept, b"Exif") && !contains(&kept, b"hello"));
        assert!(contains(&kept, b"JFIF") && kept.ends_with(&[0x3F, 0xFF, 0xD9]));
        assert!(
            contains(&kept, &[0xFF, 0xC0, 0, 11, 8, 0, 8, 0, 8]),
            "the frame header is kept"
        );
    }

    #[test]
    fn png_text_and_exif_chunks_are_removed() {
        let png = files::png();
        assert!(contains(&png, b"GPS-CANARY"));
        let (kind, kept) = accept(&png).unwrap();
        assert_eq!(kind, DocumentKind::Png);
        assert!(!contains(&kept, b"GPS-CANARY") && !contains(&kept, b"tEXt"));
        assert!(contains(&kept, b"IHDR") && contains(&kept, b"IDAT") && kept.ends_with(b"IEND\xAE\x42\x60\x82"));
    }

    #[test]
    fn the_name_does_not_decide_the_kind() {
        assert_eq!(accept(b"MZ\x90\0 this is a program"), Err(Refusal::NotAccepted));
        assert_eq!(accept(b"<svg onload=alert(1)>"), Err(Refusal::NotAccepted));
        assert_eq!(
            accept(b"PK\x03\x04 a zip that is not a Word document"),
            Err(Refusal::NotAccepted)
        );
        assert_eq!(accept(&files::pdf()).map(|(k, _)| k), Ok(DocumentKind::Pdf));
        assert_eq!(accept(b""), Err(Refusal::Empty));
        assert_eq!(accept(&vec![b'%'; MAX_BYTES + 1]), Err(Refusal::TooLarge));
    }

    #[test]
    fn damaged_images_are_refused_not_crashed_on() {
        assert_eq!(accept(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]), Err(Refusal::Damaged));
        assert_eq!(accept(b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFIHDR"), Err(Refusal::Damaged));
        // No frame header before the image data: its size is unknown.
        let mut no_frame = files::jpeg();
        let sof = no_frame.windows(2).position(|w| w == [0xFF, 0xC0]).unwrap();
        no_frame.drain(sof..sof + 13);
        assert_eq!(accept(&no_frame), Err(Refusal::Damaged));
        assert_eq!(accept(&files::png_sized(0, 5)), Err(Refusal::Damaged));
    }

    #[test]
    fn file_names_lose_their_paths_and_take_the_real_extension() {
        assert_eq!(display_name("../../etc/passwd", DocumentKind::Pdf), "passwd.pdf");
        assert_eq!(display_name("C:\\Users\\x\\order.exe", DocumentKind::Pdf), "order.pdf");
        assert_eq!(display_name("court order.PDF", DocumentKind::Pdf), "court order.pdf");
        assert_eq!(display_name("", DocumentKind::Jpeg), "document.jpg");
        assert_eq!(display_name("\"quote\"\n.png", DocumentKind::Png), "quote.png");
    }

    #[test]
    fn hostile_upload_valid_files_of_every_kind_are_still_accepted() {
        for (file, kind) in [
            (files::pdf(), DocumentKind::Pdf),
            (files::docx(), DocumentKind::Docx),
            (files::png(), DocumentKind::Png),
            (files::jpeg(), DocumentKind::Jpeg),
            (files::png_sized(8_000, 8_000), DocumentKind::Png),
            (files::jpeg_sized(8_160, 6_144), DocumentKind::Jpeg),
        ] {
            assert_eq!(accept(&file).map(|(k, _)| k), Ok(kind));
        }
        // PDFs and Word documents are kept exactly as they came.
        assert_eq!(accept(&files::pdf()).unwrap().1, files::pdf());
        assert_eq!(accept(&files::docx()).unwrap().1, files::docx());
    }

    #[test]
    fn hostile_upload_pdf_that_is_a_web_page_is_refused() {
        assert_eq!(sniff(&files::pdf_html_polyglot()), Some(DocumentKind::Pdf));
        assert_eq!(accept(&files::pdf_html_polyglot()), Err(Refusal::PdfUnreadable));
        assert_eq!(accept(&files::pdf_with_html_inside()), Err(Refusal::WebPage));
        let mut then_html = files::pdf();
        then_html.extend_from_slice(b"<HTML><Body onload=alert(1)>\n");
        assert_eq!(accept(&then_html), Err(Refusal::WebPage));
        assert_eq!(accept(b"%PDF-1.7 ..."), Err(Refusal::PdfUnreadable));
        let mut truncated = files::pdf();
        truncated.truncate(40);
        assert_eq!(accept(&truncated), Err(Refusal::PdfUnreadable));
    }

    #[test]
    fn hostile_upload_pdf_that_acts_is_refused() {
        assert_eq!(accept(&files::pdf_with_javascript()), Err(Refusal::PdfActive));
        assert_eq!(accept(&files::pdf_with_launch()), Err(Refusal::PdfActive));
        assert_eq!(accept(&files::pdf_with_attachment()), Err(Refusal::PdfActive));
    }

    #[test]
    fn hostile_upload_docx_bomb_is_refused_while_reading() {
        let bomb = files::docx_bomb();
        assert!(bomb.len() < MAX_BYTES, "the bomb fits an upload: {} bytes", bomb.len());
        assert_eq!(sniff(&bomb), Some(DocumentKind::Docx));
        assert_eq!(accept(&bomb), Err(Refusal::DocxTooLarge));
        assert!(accept(&files::docx_bomb_lying()).is_err());
        assert_eq!(accept(&files::docx_with_many_parts()), Err(Refusal::DocxTooManyParts));
        assert_eq!(accept(&files::docx_fake()), Err(Refusal::DocxUnreadable));
        assert_eq!(accept(&files::docx_with_macros()), Err(Refusal::DocxMacros));
        let no_text = files::zip(&[files::Part::stored(
            "[Content_Types].xml",
            b"<Override PartName=\"/word/document.xml\"/>",
        )]);
        assert_eq!(sniff(&no_text), Some(DocumentKind::Docx));
        assert_eq!(accept(&no_text), Err(Refusal::DocxUnreadable));
    }

    #[test]
    fn hostile_upload_huge_images_are_refused_from_their_header() {
        let png = files::png_huge();
        assert!(png.len() < 64 * 1024, "a few kilobytes: {}", png.len());
        assert_eq!(accept(&png), Err(Refusal::ImageTooLarge));
        assert_eq!(accept(&files::jpeg_huge()), Err(Refusal::ImageTooLarge));
        assert_eq!(accept(&files::png_sized(8_001, 8_000)), Err(Refusal::ImageTooLarge));
        let mut widest = files::png();
        widest[16..24].copy_from_slice(&[0xFF; 8]);
        assert_eq!(accept(&widest), Err(Refusal::ImageTooLarge), "no overflow");
    }

    #[test]
    fn hostile_upload_svg_and_images_that_are_web_pages_are_refused() {
        assert_eq!(accept(&files::svg_with_script()), Err(Refusal::NotAccepted));
        let mut jpeg = files::jpeg();
        jpeg.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(accept(&jpeg), Err(Refusal::WebPage));
        // After a PNG's end nothing is kept, so nothing there can be run.
        let mut png = files::png();
        png.extend_from_slice(b"<script>alert(1)</script>");
        assert_eq!(accept(&png).unwrap().1, accept(&files::png()).unwrap().1);
    }

    #[test]
    fn hostile_upload_markup_scan_needs_a_tag_followed_by_text() {
        assert!(has_web_markup(b"xx<svg/onload=alert(1)>"));
        assert!(has_web_markup(b"<ScRiPt>"));
        assert!(!has_web_markup(b"<svgfoo bar>"));
        assert!(!has_web_markup(b"<svg \x00\x01\x02\x03\x04\x05\x06\x07\x08"));
        assert!(!has_web_markup(
            b"<< /Type /Catalog >> <x:xmpmeta xmlns:x='adobe:ns:meta/'>"
        ));
    }
}
