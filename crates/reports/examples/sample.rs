//! Writes a sample report, letter and invoice to a folder and times the report's render, for
//! looking at the typesetting and measuring speed:
//!
//!     cargo run --release -p familytime-reports --example sample -- /tmp/ft-samples

use std::time::Instant;

use familytime_reports::{Block, Document, DocumentKind, Lang, render_pdf};

fn report(paragraphs: usize, rows: usize) -> Document {
    let mut blocks = vec![
        Block::Heading("Summary".into()),
        Block::KeyValues(vec![
            ("Child".into(), "Łucja Nowak-Öztürk (7)".into()),
            ("Parent".into(), "Zoë O’Brien".into()),
            ("Sessions".into(), "6 of 6 attended".into()),
        ]),
        Block::Paragraph(
            "Contact took place in family room 2. The supervisor was in sight and sound of the child at \
             all times.\n\nThe parent brought a snack and a board game, as agreed at the pre-visit."
                .into(),
        ),
        Block::Quote("Can we play the dinosaur game again next time? #set *bold* $x$ [link]".into()),
        Block::Bullets(vec![
            "Arrived on time for every session.".into(),
            "Followed the centre's rules; no prompts needed.".into(),
        ]),
    ];
    for i in 1..=paragraphs {
        blocks.push(Block::Heading(format!("Session {i}")));
        blocks.push(Block::Paragraph(
            "The supervisor observed the parent greet the child warmly at the door of the family \
             room. The child took off her coat and showed him the drawings she had made at school \
             that week; he asked about each one and praised the colours. After twenty minutes the \
             child became tired and sat quietly for a while, then returned to the game. No concerns \
             were raised during this part of the session."
                .into(),
        ));
    }
    blocks.push(Block::Heading("Attendance".into()));
    blocks.push(Block::Table {
        header: vec!["Session".into(), "Date".into(), "Attended".into(), "Notes".into()],
        rows: (1..=rows)
            .map(|i| {
                vec![
                    format!("S-{i:03}"),
                    format!("2026-03-{:02}", 1 + i % 28),
                    "Yes".into(),
                    "Arrived on time; handover at the side door.".into(),
                ]
            })
            .collect(),
    });
    Document {
        kind: DocumentKind::Report,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Supervised contact: end-of-series summary".into(),
        reference: Some("FT-2026-0042".into()),
        meta: vec![
            ("Date".into(), "14 March 2026".into()),
            ("Prepared by".into(), "Żaneta Wójcik-Śliwińska".into()),
            ("Quality check".into(), "José Muñoz".into()),
            ("Status".into(), "Released to Cafcass".into()),
        ],
        caveat: Some(
            "This report records what was observed during supervised contact. It was prepared for \
             the Family Court and may be used only in these proceedings."
                .into(),
        ),
        blocks,
        footer_note: Some("Record hashes: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into()),
    }
}

fn letter() -> Document {
    Document {
        kind: DocumentKind::Letter,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Notice of suspension of supervised contact".into(),
        reference: Some("FT-2026-0007".into()),
        meta: vec![
            ("Date".into(), "2 April 2026".into()),
            ("To".into(), "Zoë O’Brien".into()),
        ],
        blocks: vec![
            Block::Paragraph("Dear Ms O’Brien,".into()),
            Block::Paragraph("We are writing to tell you that sessions are suspended from 3 April 2026.".into()),
            Block::Paragraph("Yours sincerely,\nThe Coordinator".into()),
        ],
        footer_note: Some("Registered charity 1234567".into()),
        ..Document::default()
    }
}

fn invoice() -> Document {
    Document {
        kind: DocumentKind::Invoice,
        lang: Lang::En,
        organisation: "Kent Child Contact Centre".into(),
        title: "Invoice 2026-0113".into(),
        meta: vec![("Date".into(), "1 May 2026".into())],
        blocks: vec![Block::Table {
            header: vec!["Item".into(), "Amount".into()],
            rows: vec![vec!["Supervised session, 2 hours".into(), "£100.00".into()]],
        }],
        footer_note: Some("Registered charity 1234567".into()),
        ..Document::default()
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "ft-samples".into());
    std::fs::create_dir_all(&dir)?;
    let doc = report(14, 80);
    let started = Instant::now();
    let pdf = render_pdf(&doc)?;
    println!("first render (cold: fonts, template): {:?}", started.elapsed());
    // Each run renders a different document (another reference and title), so typst's memoisation
    // cannot answer from the previous run.
    let mut best = None;
    for i in 0..5 {
        let mut doc = doc.clone();
        doc.reference = Some(format!("FT-2026-{i:04}"));
        doc.title = format!("{} ({i})", doc.title);
        let started = Instant::now();
        render_pdf(&doc)?;
        let took = started.elapsed();
        best = Some(best.map_or(took, |b: std::time::Duration| b.min(took)));
    }
    println!(
        "warm render of a changed document, best of 5: {best:?} ({} bytes)",
        pdf.len()
    );
    std::fs::write(format!("{dir}/report.pdf"), pdf)?;
    std::fs::write(format!("{dir}/letter.pdf"), render_pdf(&letter())?)?;
    std::fs::write(format!("{dir}/invoice.pdf"), render_pdf(&invoice())?)?;
    println!("wrote {dir}/report.pdf, letter.pdf, invoice.pdf");
    Ok(())
}
