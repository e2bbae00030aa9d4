//! Files for testing the upload rules, made in memory so no binary is committed: a small valid file
//! of each kind, and the hostile files the rules must refuse (a PDF that is also a web page, a Word
//! document that inflates to a gibibyte, a 30,000 × 30,000 PNG, ...). Plain std only: the domain's
//! unit tests use it as a module and the integration tests (`tests/it/hostile_upload.rs`) include
//! this same file by path, so both test the same files.
#![allow(dead_code)] // each user takes the files it needs

/// CRC-32 as zip and PNG use it (bitwise: the files it is used for are small).
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn adler32(bytes: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for byte in bytes {
        a = (a + u32::from(*byte)) % 65521;
        b = (b + a) % 65521;
    }
    b << 16 | a
}

// ---- PDF ----

/// A one-page PDF with a correct cross-reference table; `catalog` is added to the catalog and
/// `more` are further objects (numbered from 6).
fn pdf_of(text: &str, catalog: &str, more: &[&str]) -> Vec<u8> {
    let content = format!("BT /F1 12 Tf 72 720 Td ({text}) Tj ET");
    let mut objects = vec![
        format!("<< /Type /Catalog /Pages 2 0 R {catalog}>>"),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>"
            .to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
    ];
    objects.extend(more.iter().map(|o| (*o).to_owned()));
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{object}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// A small, valid one-page PDF.
pub fn pdf() -> Vec<u8> {
    pdf_of("Order of the court", "", &[])
}

/// The polyglot that was accepted: it starts like a PDF and is an HTML page.
pub fn pdf_html_polyglot() -> Vec<u8> {
    b"%PDF-1.4\n<html><body><script>fetch('/api/v1/cases').then(r=>r.text()).then(alert)</script></body></html>\n"
        .to_vec()
}

/// A PDF that parses, with an HTML page in one of its streams.
pub fn pdf_with_html_inside() -> Vec<u8> {
    let page = "<html><script>alert(document.cookie)</script></html>";
    pdf_of(
        "Order",
        "",
        &[&format!("<< /Length {} >>\nstream\n{page}\nendstream", page.len())],
    )
}

/// A PDF that runs JavaScript when it is opened.
pub fn pdf_with_javascript() -> Vec<u8> {
    pdf_of(
        "Order",
        "/OpenAction 6 0 R ",
        &["<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\)) >>"],
    )
}

/// A PDF that launches a program when a link is followed.
pub fn pdf_with_launch() -> Vec<u8> {
    pdf_of("Order", "/OpenAction << /S /Launch /F (cmd.exe) >> ", &[])
}

/// A PDF carrying an attached program.
pub fn pdf_with_attachment() -> Vec<u8> {
    pdf_of(
        "Order",
        "/Names << /EmbeddedFiles << /Names [(invoice.exe) 6 0 R] >> >> ",
        &[
            "<< /Type /Filespec /F (invoice.exe) /EF << /F 7 0 R >> >>",
            "<< /Type /EmbeddedFile /Length 4 >>\nstream\nMZ\u{90}\0\nendstream",
        ],
    )
}

// ---- zip and Word documents ----

/// A part of a zip: stored or deflated data, with the CRC and unpacked size its headers state.
pub struct Part {
    pub name: String,
    pub deflated: bool,
    pub data: Vec<u8>,
    pub crc: u32,
    pub size: u32,
}

impl Part {
    pub fn stored(name: &str, data: &[u8]) -> Part {
        Part {
            name: name.to_owned(),
            deflated: false,
            data: data.to_vec(),
            crc: crc32(data),
            size: data.len() as u32,
        }
    }
}

/// A zip archive of the parts, written by hand so any header can lie.
pub fn zip(parts: &[Part]) -> Vec<u8> {
    let (mut out, mut central) = (Vec::new(), Vec::new());
    for part in parts {
        let offset = out.len() as u32;
        let method: u16 = if part.deflated { 8 } else { 0 };
        let common = |v: &mut Vec<u8>| {
            v.extend_from_slice(&20u16.to_le_bytes()); // version needed
            v.extend_from_slice(&0u16.to_le_bytes()); // flags
            v.extend_from_slice(&method.to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // time
            v.extend_from_slice(&0x21u16.to_le_bytes()); // date: 1 January 1980
            v.extend_from_slice(&part.crc.to_le_bytes());
            v.extend_from_slice(&(part.data.len() as u32).to_le_bytes());
            v.extend_from_slice(&part.size.to_le_bytes());
            v.extend_from_slice(&(part.name.len() as u16).to_le_bytes());
            v.extend_from_slice(&0u16.to_le_bytes()); // extra field length
        };
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut out);
        out.extend_from_slice(part.name.as_bytes());
        out.extend_from_slice(&part.data);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&[0; 10]); // comment length, disk, internal and external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(part.name.as_bytes());
    }
    let (central_at, central_len) = (out.len() as u32, central.len() as u32);
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]); // this disk, the directory's disk
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&(parts.len() as u16).to_le_bytes());
    out.extend_from_slice(&central_len.to_le_bytes());
    out.extend_from_slice(&central_at.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes()); // comment length
    out
}

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Statement for the court</w:t></w:r></w:p></w:body></w:document>"#;

/// A small, valid Word document.
pub fn docx() -> Vec<u8> {
    zip(&[
        Part::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Part::stored("_rels/.rels", RELS.as_bytes()),
        Part::stored("word/document.xml", DOCUMENT.as_bytes()),
    ])
}

/// A raw deflate stream that inflates to `length` (at least 1) zero bytes: a literal zero, copies of
/// 258 bytes from one back (fixed Huffman codes, 13 bits a copy), then literal zeros for the rest.
pub fn deflated_zeros(length: u64) -> Vec<u8> {
    #[derive(Default)]
    struct Bits {
        out: Vec<u8>,
        acc: u64,
        used: u32,
    }
    impl Bits {
        fn put(&mut self, value: u64, len: u32) {
            self.acc |= value << self.used;
            self.used += len;
            while self.used >= 8 {
                self.out.push(self.acc as u8);
                self.acc >>= 8;
                self.used -= 8;
            }
        }
        /// Huffman codes go into the stream from their most significant bit.
        fn code(&mut self, code: u64, len: u32) {
            let reversed = (0..len).fold(0, |r, i| r | ((code >> i) & 1) << (len - 1 - i));
            self.put(reversed, len);
        }
    }
    let rest = length.saturating_sub(1);
    let mut bits = Bits::default();
    bits.put(1, 1); // the last block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0x30, 8); // literal 0
    // A copy: length 258 (code 285, 8 bits), then distance 1 (code 0, 5 bits).
    let copy = {
        let mut one = Bits::default();
        one.code(0xC5, 8);
        one.code(0, 5);
        u64::from(one.out[0]) | one.acc << 8
    };
    for _ in 0..rest / 258 {
        bits.put(copy, 13);
    }
    for _ in 0..rest % 258 {
        bits.code(0x30, 8);
    }
    bits.code(0, 7); // end of block
    if bits.used > 0 {
        bits.out.push(bits.acc as u8);
    }
    bits.out
}

/// The Word document that was accepted: its text part inflates to a gibibyte of zeros (about
/// 6.5 MB packed). Its headers state the true size; its CRC is not computed (a reader that got to
/// the end would have read a gibibyte already).
pub fn docx_bomb() -> Vec<u8> {
    let size = 1u32 << 30;
    let data = deflated_zeros(u64::from(size));
    zip(&[
        Part::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Part::stored("_rels/.rels", RELS.as_bytes()),
        Part {
            name: "word/document.xml".to_owned(),
            deflated: true,
            data,
            crc: 0,
            size,
        },
    ])
}

/// The same bomb with headers that say the part unpacks to 100 bytes.
pub fn docx_bomb_lying() -> Vec<u8> {
    let data = deflated_zeros(200 * 1024 * 1024);
    zip(&[
        Part::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Part {
            name: "word/document.xml".to_owned(),
            deflated: true,
            data,
            crc: 0,
            size: 100,
        },
    ])
}

/// A valid Word document with a few more parts than any real one.
pub fn docx_with_many_parts() -> Vec<u8> {
    let mut parts = vec![
        Part::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Part::stored("word/document.xml", DOCUMENT.as_bytes()),
    ];
    parts.extend((0..1_000).map(|i| Part::stored(&format!("word/media/{i}.xml"), b"<a/>")));
    zip(&parts)
}

/// Something that starts like a zip and names `word/document.xml`, but is no zip.
pub fn docx_fake() -> Vec<u8> {
    b"PK\x03\x04 this mentions word/document.xml but is not an archive".to_vec()
}

/// A Word document with macros.
pub fn docx_with_macros() -> Vec<u8> {
    zip(&[
        Part::stored("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Part::stored("word/document.xml", DOCUMENT.as_bytes()),
        Part::stored("word/vbaProject.bin", b"Attribute VB_Name = \"x\""),
    ])
}

// ---- images ----

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(kind);
    chunk.extend_from_slice(data);
    chunk.extend_from_slice(&crc32(&[kind.as_slice(), data].concat()).to_be_bytes());
    chunk
}

/// A greyscale PNG of the given size whose image data is one row of zeros (all of it for a
/// 1-pixel-high image), with a text chunk saying where it was taken.
pub fn png_sized(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = width.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale, deflate, no filter, no interlace
    let row = u64::from(width) + 1; // the filter byte and the pixels
    let mut zlib = vec![0x78, 0x01];
    zlib.extend_from_slice(&deflated_zeros(row));
    zlib.extend_from_slice(&adler32(&vec![0; row as usize]).to_be_bytes());
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(png_chunk(b"IHDR", &ihdr));
    png.extend(png_chunk(b"tEXt", b"Location\0GPS-CANARY 53.80N 1.55W"));
    png.extend(png_chunk(b"IDAT", &zlib));
    png.extend(png_chunk(b"IEND", &[]));
    png
}

/// A small, valid PNG (one pixel).
pub fn png() -> Vec<u8> {
    png_sized(1, 1)
}

/// The picture that was accepted: 30,000 × 30,000 pixels (900 megapixels, 2.7 GB to open), in a
/// few kilobytes.
pub fn png_huge() -> Vec<u8> {
    png_sized(30_000, 30_000)
}

/// A baseline greyscale JPEG of the given size (its data is one 8 × 8 block: a complete image at
/// 8 × 8), with an EXIF segment holding a GPS position.
pub fn jpeg_sized(width: u16, height: u16) -> Vec<u8> {
    let mut j = vec![0xFF, 0xD8];
    j.extend_from_slice(&[0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
    let exif = b"Exif\0\0GPSLatitude 53.7997N GPS-CANARY";
    j.extend_from_slice(&[0xFF, 0xE1, 0, (exif.len() + 2) as u8]);
    j.extend_from_slice(exif);
    j.extend_from_slice(&[0xFF, 0xDB, 0, 67, 0]); // quantisation table 0: all ones
    j.extend_from_slice(&[1; 64]);
    j.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8]); // baseline frame, 8-bit
    j.extend_from_slice(&height.to_be_bytes());
    j.extend_from_slice(&width.to_be_bytes());
    j.extend_from_slice(&[1, 1, 0x11, 0]); // one component
    for class in [0x00, 0x10] {
        // one Huffman code, "0", for symbol 0 (DC: no difference; AC: end of block)
        j.extend_from_slice(&[0xFF, 0xC4, 0, 20, class, 1]);
        j.extend_from_slice(&[0; 15]);
        j.push(0);
    }
    j.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0x00, 0, 63, 0]);
    j.extend_from_slice(&[0x3F, 0xFF, 0xD9]); // "0" "0" padded with ones, end of image
    j
}

/// A small, valid JPEG (8 × 8) carrying a GPS position.
pub fn jpeg() -> Vec<u8> {
    jpeg_sized(8, 8)
}

/// A JPEG whose frame header says 30,000 × 30,000.
pub fn jpeg_huge() -> Vec<u8> {
    jpeg_sized(30_000, 30_000)
}

/// An SVG that runs a script.
pub fn svg_with_script() -> Vec<u8> {
    br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(document.domain)</script></svg>"#
        .to_vec()
}
