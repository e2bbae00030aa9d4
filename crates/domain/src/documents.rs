//! Uploaded documents (court orders and other papers): what kinds are accepted, decided by their
//! content and never by their name, and how images are cleaned of metadata (EXIF, GPS, comments)
//! before they are kept, so a photo never reveals where it was taken.

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
        DocumentKind::Pdf | DocumentKind::Docx => bytes.to_vec(),
    };
    Ok((kind, kept))
}

/// Drops a JPEG's APP1–APP15 segments (EXIF, GPS, XMP, maker notes) and comments; keeps APP0
/// (JFIF) and everything the image needs.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
    let mut out = vec![0xFF, 0xD8];
    let mut i = 2;
    loop {
        if i + 4 > bytes.len() || bytes[i] != 0xFF {
            return Err(Refusal::Damaged);
        }
        let marker = bytes[i + 1];
        if marker == 0xDA {
            // Start of scan: the image data runs to the end.
            out.extend_from_slice(&bytes[i..]);
            return Ok(out);
        }
        let length = usize::from(bytes[i + 2]) << 8 | usize::from(bytes[i + 3]);
        let end = i + 2 + length;
        if length < 2 || end > bytes.len() {
            return Err(Refusal::Damaged);
        }
        let metadata = (0xE1..=0xEF).contains(&marker) || marker == 0xFE;
        if !metadata {
            out.extend_from_slice(&bytes[i..end]);
        }
        i = end;
    }
}

/// Drops a PNG's text, time and EXIF chunks.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, Refusal> {
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
mod tests {
    use super::*;

    fn jpeg_with_gps() -> Vec<u8> {
        let mut j = vec![0xFF, 0xD8];
        j.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x07, b'J', b'F', b'I', b'F', 0]); // APP0
        let exif = b"Exif\0\0GPS 53.79N 1.54W";
        j.extend_from_slice(&[0xFF, 0xE1, 0x00, (exif.len() + 2) as u8]);
        j.extend_from_slice(exif);
        j.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x07, b'h', b'e', b'l', b'l', b'o']); // comment
        j.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x04, 1, 2]); // a table
        j.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x02, 9, 9, 9, 0xFF, 0xD9]); // scan
        j
    }

    #[test]
    fn jpeg_metadata_is_removed_and_the_image_kept() {
        let (kind, kept) = accept(&jpeg_with_gps()).unwrap();
        assert_eq!(kind, DocumentKind::Jpeg);
        assert!(!contains(&kept, b"GPS") && !contains(&kept, b"Exif") && !contains(&kept, b"hello"));
        assert!(contains(&kept, b"JFIF") && kept.ends_with(&[9, 9, 9, 0xFF, 0xD9]));
    }

    #[test]
    fn png_text_and_exif_chunks_are_removed() {
        let chunk = |kind: &[u8], data: &[u8]| {
            let mut c = (data.len() as u32).to_be_bytes().to_vec();
            c.extend_from_slice(kind);
            c.extend_from_slice(data);
            c.extend_from_slice(&[0, 0, 0, 0]);
            c
        };
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        png.extend(chunk(b"IHDR", &[0; 13]));
        png.extend(chunk(b"tEXt", b"Location\0Leeds"));
        png.extend(chunk(b"eXIf", b"GPS"));
        png.extend(chunk(b"IDAT", &[1, 2, 3]));
        png.extend(chunk(b"IEND", &[]));
        let (_, kept) = accept(&png).unwrap();
        assert!(!contains(&kept, b"Leeds") && !contains(&kept, b"GPS"));
        assert!(contains(&kept, b"IDAT") && contains(&kept, b"IEND"));
    }

    #[test]
    fn the_name_does_not_decide_the_kind() {
        assert_eq!(accept(b"MZ\x90\0 this is a program"), Err(Refusal::NotAccepted));
        assert_eq!(accept(b"<svg onload=alert(1)>"), Err(Refusal::NotAccepted));
        assert_eq!(
            accept(b"PK\x03\x04 a zip that is not a Word document"),
            Err(Refusal::NotAccepted)
        );
        assert_eq!(accept(b"%PDF-1.7 ...").map(|(k, _)| k), Ok(DocumentKind::Pdf));
        assert_eq!(accept(b""), Err(Refusal::Empty));
        assert_eq!(accept(&vec![b'%'; MAX_BYTES + 1]), Err(Refusal::TooLarge));
    }

    #[test]
    fn damaged_images_are_refused_not_crashed_on() {
        assert_eq!(accept(&[0xFF, 0xD8, 0xFF, 0xE1, 0xFF, 0xFF]), Err(Refusal::Damaged));
        assert_eq!(accept(b"\x89PNG\r\n\x1a\n\xFF\xFF\xFF\xFFIHDR"), Err(Refusal::Damaged));
    }

    #[test]
    fn file_names_lose_their_paths_and_take_the_real_extension() {
        assert_eq!(display_name("../../etc/passwd", DocumentKind::Pdf), "passwd.pdf");
        assert_eq!(display_name("C:\\Users\\x\\order.exe", DocumentKind::Pdf), "order.pdf");
        assert_eq!(display_name("court order.PDF", DocumentKind::Pdf), "court order.pdf");
        assert_eq!(display_name("", DocumentKind::Jpeg), "document.jpg");
        assert_eq!(display_name("\"quote\"\n.png", DocumentKind::Png), "quote.png");
    }
}
