//! Renders real documents, checks them with `qpdf --check` (Debian package qpdf) and reads them
//! back with `pdftotext -layout` (Debian package poppler-utils), asserting on the extracted text: titles, headers, "Page N of M", user text with
//! markup characters exactly as typed, and names outside ASCII.

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use familytime_reports::{Block, Document, DocumentKind, Lang, render_pdf};

/// Text a user might type that is markup in typst, Markdown, HTML or LaTeX.
const MARKUP: &[&str] = &[
    "#set page(paper: \"a5\")",
    "*bold*",
    "$x$",
    "[link]",
    "<label>",
    "@ref",
    "_under_",
    "`raw`",
    "\\textbf{x}",
    "C:\\Users\\dad",
    "#{ panic(\"no\") }",
    "<script>alert(1)</script>",
    "// not a comment",
];

const NAMES: &[&str] = &[
    "Łucja Nowak-Öztürk",
    "José Muñoz",
    "Zoë O’Brien",
    "Żaneta Wójcik-Śliwińska",
    "Ağca Çelik",
    "Siobhán Ní Dhúill",
];

/// Runs a poppler-utils tool on the PDF (written to a temp file) and returns what it printed.
fn poppler(tool: &str, args: &[&str], pdf: &[u8]) -> String {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::SeqCst);
    let path: PathBuf = std::env::temp_dir().join(format!("familytime-reports-{}-{n}.pdf", std::process::id()));
    std::fs::write(&path, pdf).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    let out = Command::new(tool)
        .args(args)
        .arg(&path)
        .args(if tool == "pdftotext" { &["-"][..] } else { &[][..] })
        .output()
        .unwrap_or_else(|e| panic!("run {tool} (apt-get install poppler-utils qpdf): {e}"));
    let _ = std::fs::remove_file(&path);
    // qpdf warns on standard error (and exits 3) when a PDF is only nearly right: refused too.
    // (Poppler's tools say "Suspects object is wrong type" of every typst PDF, which qpdf and the
    // PDF specification think fine, so their warnings are not.)
    assert!(
        out.status.success() && (tool != "qpdf" || out.stderr.is_empty()),
        "{tool} failed or warned: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap_or_else(|e| panic!("{tool} gave invalid UTF-8: {e}"))
}

/// The PDF's text, once `qpdf --check` (Debian package qpdf) has found it sound: qpdf prints what
/// it checked and says nothing on standard error when there is neither an error nor a warning.
fn pdf_text(pdf: &[u8]) -> String {
    let checked = poppler("qpdf", &["--check"], pdf);
    assert!(checked.contains("No syntax or stream encoding errors"), "{checked}");
    poppler("pdftotext", &["-layout", "-enc", "UTF-8"], pdf)
}

fn render(doc: &Document) -> Vec<u8> {
    match render_pdf(doc) {
        Ok(pdf) => pdf,
        Err(e) => panic!("render failed: {e} {e:?}"),
    }
}

fn long_paragraph(i: usize) -> String {
    format!(
        "Paragraph {i}. The supervisor observed the father greet both children warmly at the door of \
         the family room. The children took off their coats and showed him the drawings they had made \
         at school that week; he asked about each one and praised the colours. After twenty minutes \
         the younger child became tired and sat on the supervisor's lap for a short while, then \
         returned to the game. No concerns were raised during this part of the session."
    )
}

fn report() -> Document {
    let mut blocks = vec![
        Block::Heading("Summary".into()),
        Block::Paragraph(format!("Child: {}. Parent: {}.", NAMES[0], NAMES[1])),
        Block::KeyValues(vec![
            ("Child".into(), NAMES[0].into()),
            ("Parent".into(), NAMES[2].into()),
            ("Venue".into(), "Family room 2, Ashford centre".into()),
        ]),
        Block::Heading("What was said".into()),
        Block::Quote(MARKUP.join("  ")),
        Block::Bullets(MARKUP.iter().map(|s| format!("Note: {s}")).collect()),
    ];
    for i in 0..8 {
        blocks.push(Block::Paragraph(long_paragraph(i)));
    }
    blocks.push(Block::Heading("Attendance".into()));
    blocks.push(Block::Table {
        header: vec!["Session".into(), "Date".into(), "Attended".into(), "Notes".into()],
        rows: (1..=80)
            .map(|i| {
                vec![
                    format!("S-{i:03}"),
                    format!("2026-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
                    if i % 7 == 0 { "No" } else { "Yes" }.into(),
                    format!("{} arrived on time; row {i}", NAMES[i % NAMES.len()]),
                ]
            })
            .collect(),
    });
    blocks.push(Block::Paragraph(format!("Typed by a parent: {}", MARKUP.join(" "))));
    Document {
        kind: DocumentKind::Report,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Supervised contact observation report".into(),
        reference: Some("FT-2026-0042".into()),
        meta: vec![
            ("Date".into(), "14 March 2026".into()),
            ("Prepared by".into(), NAMES[3].into()),
            ("Status".into(), "Released".into()),
        ],
        caveat: Some("This report was prepared for the Family Court and may be used only in these proceedings.".into()),
        blocks,
        footer_note: Some(
            "Record hash: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\nRegistered charity 1234567"
                .into(),
        ),
    }
}

/// The N of "Page n of N" on every page, checking that each page says it once, in order.
fn page_count(text: &str) -> usize {
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    let total = pages.len();
    for (i, page) in pages.iter().enumerate() {
        let want = format!("Page {} of {total}", i + 1);
        assert!(page.contains(&want), "page {} lacks {want:?}:\n{page}", i + 1);
    }
    total
}

#[test]
fn multi_page_report_reads_back_literally() {
    let pdf = render(&report());
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);

    let n = page_count(&text);
    assert!(n > 1, "expected several pages, got {n}:\n{text}");
    assert!(text.contains("Page 1 of "));
    assert!(text.contains(&format!("Page {n} of {n}")));

    assert!(text.contains("Supervised contact observation report"), "{text}");
    assert!(text.contains("Kent Child Contact Centre"));
    // The reference is in the header of every page.
    assert_eq!(text.matches("FT-2026-0042").count(), n, "{text}");
    assert!(text.contains("may be used only in these proceedings"));
    assert!(text.contains("Registered charity 1234567"));
    assert!(text.contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));

    for s in MARKUP {
        assert!(text.contains(s), "markup {s:?} not shown as typed:\n{text}");
        assert!(text.contains(&format!("Note: {s}")), "bullet {s:?} not shown as typed");
    }
    // The markup changed nothing: the pages are still A4 (one typed "#set page(paper: \"a5\")").
    let info = poppler("pdfinfo", &[], &pdf);
    assert!(info.contains("(A4)"), "{info}");
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(str::trim);
    assert_eq!(pages, Some(n.to_string().as_str()), "{info}");

    for name in NAMES {
        assert!(text.contains(name), "name {name:?} missing:\n{text}");
    }

    // Every table row, and the header repeated on the pages the table runs across.
    for i in [1, 40, 80] {
        assert!(text.contains(&format!("S-{i:03}")), "row {i} missing");
    }
    assert!(text.contains("row 80"));
    assert!(text.matches("Attended").count() >= 2, "table header not repeated");
    for i in 0..8 {
        assert!(text.contains(&format!("Paragraph {i}.")));
    }
}

#[test]
fn empty_document_still_renders() {
    let pdf = render(&Document::default());
    assert!(pdf.starts_with(b"%PDF-"));
    let text = pdf_text(&pdf);
    assert_eq!(page_count(&text), 1, "{text}");

    let sparse = Document {
        kind: DocumentKind::Letter,
        lang: Lang::En,
        reference: Some(String::new()),
        caveat: Some(String::new()),
        footer_note: Some(String::new()),
        blocks: vec![
            Block::Heading(String::new()),
            Block::Paragraph(String::new()),
            Block::Quote("\n\n".into()),
            Block::KeyValues(vec![]),
            Block::Table {
                header: vec![],
                rows: vec![],
            },
            Block::Table {
                header: vec!["Only a header".into()],
                rows: vec![],
            },
            Block::Bullets(vec![]),
        ],
        ..Document::default()
    };
    let text = pdf_text(&render(&sparse));
    assert!(text.contains("Only a header"), "{text}");
    assert_eq!(page_count(&text), 1);
}

#[test]
fn letters_and_invoices_render() {
    let letter = Document {
        kind: DocumentKind::Letter,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Notice of suspension of supervised contact".into(),
        reference: Some("FT-2026-0007".into()),
        meta: vec![("Date".into(), "2 April 2026".into()), ("To".into(), NAMES[2].into())],
        blocks: vec![
            Block::Paragraph(format!("Dear {},", NAMES[2])),
            Block::Paragraph("We are writing to tell you that sessions are suspended.\n\nLine one\nLine two".into()),
            Block::Paragraph("Yours sincerely,\nThe Coordinator".into()),
        ],
        ..Document::default()
    };
    let text = pdf_text(&render(&letter));
    assert!(text.contains("Notice of suspension of supervised contact"));
    assert!(text.contains("Dear Zoë O’Brien,"));
    // A single newline is a line break: the two lines are not run together.
    assert!(!text.contains("Line one Line two"), "{text}");
    assert!(text.contains("Line one") && text.contains("Line two"));
    assert!(!text.contains("INVOICE"));

    let invoice = Document {
        kind: DocumentKind::Invoice,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Invoice 2026-0113".into(),
        blocks: vec![Block::Table {
            header: vec!["Item".into(), "Amount".into()],
            rows: vec![vec!["Supervised session, 2 hours".into(), "£100.00".into()]],
        }],
        footer_note: Some("Registered charity 1234567".into()),
        ..Document::default()
    };
    let text = pdf_text(&render(&invoice));
    assert!(text.contains("INVOICE"));
    assert!(text.contains("£100.00"));
    assert_eq!(page_count(&text), 1);
}

#[test]
fn same_document_same_bytes() {
    let doc = report();
    let a = render(&doc);
    let started = Instant::now();
    let b = render(&doc);
    eprintln!(
        "second render of the report: {:?}, {} bytes",
        started.elapsed(),
        b.len()
    );
    assert!(a == b, "rendering is not deterministic");
}

#[test]
fn names_in_other_scripts_render() {
    // Latin Extended, Greek and Cyrillic are in Libertinus Serif; Arabic falls back to DejaVu Sans
    // Mono (both bundled by typst-assets). Right-to-left text is extracted in logical order.
    let doc = Document {
        title: "فاطمة الزهراء".into(),
        blocks: vec![Block::Paragraph(
            "Mother: فاطمة الزهراء; sisters Ελένη and Ольга".into(),
        )],
        ..Document::default()
    };
    let text = pdf_text(&render(&doc));
    for name in ["فاطمة الزهراء", "Ελένη", "Ольга", "Mother:"] {
        assert!(text.contains(name), "{name:?} missing:\n{text}");
    }
}

#[test]
fn long_words_wrap_inside_the_page() {
    // A run with no space (here three record hashes) must wrap, not run off the page, and must
    // read back without added characters.
    let long = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".repeat(3);
    let doc = Document {
        blocks: vec![
            Block::Paragraph(long.clone()),
            Block::Table {
                header: vec!["Record".into(), "Hash".into()],
                rows: vec![vec![long.clone(), long.clone()]],
            },
        ],
        ..Document::default()
    };
    let text = pdf_text(&render(&doc));
    let widest = text.lines().map(|l| l.trim_end().chars().count()).max().unwrap_or(0);
    assert!(widest < 110, "a line of {widest} characters ran off the page:\n{text}");
    let body = text.split("Record").next().unwrap_or_default();
    let joined: String = body.split_whitespace().collect();
    assert_eq!(joined, long, "{text}");
}

/// Real-world names: Welsh and Irish accents, Vietnamese, Arabic and Hebrew.
const REAL_NAMES: [&str; 5] = ["Siân Llŷr", "Zoë Ó Briain", "Nguyễn Thị Ánh", "ليلى حداد", "נועה כהן"];

#[test]
fn welsh_names_with_accents_and_right_to_left_scripts_print_as_typed() {
    let doc = Document {
        kind: DocumentKind::Letter,
        lang: Lang::Cy,
        title: REAL_NAMES.join(" / "),
        meta: REAL_NAMES.iter().map(|n| ("Enw".to_owned(), (*n).to_owned())).collect(),
        blocks: REAL_NAMES
            .iter()
            .map(|n| Block::Paragraph(format!("Annwyl {n},")))
            .collect(),
        ..Document::default()
    };
    let pdf = render(&doc);
    // pdftotext gives each name back in logical order (the order it was typed), a right-to-left
    // run wrapped in Unicode embedding marks (U+202B … U+202C), which are not part of the name.
    let text: String = pdf_text(&pdf)
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'))
        .collect();
    for name in REAL_NAMES {
        assert_eq!(text.matches(name).count(), 3, "{name:?}:\n{text}");
    }
    // Every glyph came from a font that holds it: Libertinus Serif (Latin and Hebrew) and DejaVu
    // Sans Mono (Arabic), both embedded; none is left to a missing-glyph box.
    let fonts = poppler("pdffonts", &[], &pdf);
    assert!(fonts.contains("LibertinusSerif"), "{fonts}");
    assert!(fonts.contains("DejaVuSansMono"), "{fonts}");
    for line in fonts.lines().skip(2) {
        assert!(line.contains(" yes "), "every font embedded: {line}");
    }
}

#[test]
fn welsh_a_document_in_two_languages_is_two_complete_parts_welsh_first() {
    let part = |lang: Lang, title: &str| Document {
        kind: DocumentKind::Invoice,
        lang,
        organisation: "Canolfan Gyswllt Aberystwyth".into(),
        title: title.into(),
        blocks: vec![Block::Paragraph(format!("{title} body"))],
        ..Document::default()
    };
    let pdf = match familytime_reports::render_pdf_parts(&[part(Lang::Cy, "Anfoneb 7"), part(Lang::En, "Invoice 7")]) {
        Ok(pdf) => pdf,
        Err(e) => panic!("render failed: {e} {e:?}"),
    };
    let text = pdf_text(&pdf);
    let pages: Vec<&str> = text.split('\u{c}').filter(|p| !p.trim().is_empty()).collect();
    assert_eq!(pages.len(), 2, "each part starts on its own page:\n{text}");
    // The words the template adds are in each part's language.
    assert!(
        pages[0].contains("ANFONEB") && pages[0].contains("Tudalen 1 o 2"),
        "{}",
        pages[0]
    );
    assert!(
        pages[0].contains("Anfoneb 7 body") && !pages[0].contains("Invoice"),
        "{}",
        pages[0]
    );
    assert!(
        pages[1].contains("INVOICE") && pages[1].contains("Page 2 of 2"),
        "{}",
        pages[1]
    );
    assert!(
        pages[1].contains("Canolfan Gyswllt Aberystwyth"),
        "the running header on every part"
    );
    assert!(
        familytime_reports::render_pdf_parts(&[]).is_err(),
        "nothing to render is refused"
    );
}

#[test]
fn welsh_receipts_and_statements_carry_no_invoice_label() {
    let doc = Document {
        kind: DocumentKind::Account,
        lang: Lang::Cy,
        title: "Derbynneb".into(),
        ..Document::default()
    };
    let text = pdf_text(&render(&doc));
    assert!(text.contains("Derbynneb") && !text.contains("ANFONEB"), "{text}");
}
