//! The ledger export as a spreadsheet reads it (issue 28, decision 0042): UTF-8 with a byte order
//! mark, parsed back with the `csv` crate, names with accents exactly as typed, and every cell a
//! spreadsheet would run as a formula made text, through the API and the page alike.

use crate::schedule::{accept_referral, fixture, party_id, post};
use reqwest::StatusCode;
use serde_json::json;

const ACCENTED: &str = "Łucja Nowak-Öztürk";
const FORMULA_NAME: &str = "@Zoë Ó'Brien";
const FORMULA_REFERENCE: &str = "=HYPERLINK(\"http://x.example\")";
const QUOTED_REFERENCE: &str = "Zoë's receipt, \"first\"";

#[tokio::test(flavor = "multi_thread")]
async fn csv_export_of_the_ledger_parses_back_with_accents_and_formulas_made_safe() {
    let f = fixture().await;
    let mut referral = crate::referrals::referral(&f.org.centre.to_string());
    referral["adults"][0]["name"] = json!(ACCENTED);
    referral["adults"][1]["name"] = json!(FORMULA_NAME);
    let (case, file) = accept_referral(&f, &f.jo, referral).await;
    let (mum, dad) = (party_id(&file, "resident"), party_id(&file, "visiting"));
    for body in [
        json!({"kind": "payment", "account": format!("party:{mum}"), "amount": "12.5", "method": "card",
               "reference": FORMULA_REFERENCE}),
        json!({"kind": "payment", "account": format!("party:{dad}"), "amount": "7", "method": "cash",
               "reference": QUOTED_REFERENCE, "reason": "-1+1"}),
    ] {
        let (status, answer) = post(&f.app, &f.jo, &format!("/api/v1/cases/{case}/ledger"), body).await;
        assert_eq!(status, StatusCode::CREATED, "{answer}");
    }

    let api = f.jo.get(f.app.url("/api/v1/billing/ledger.csv")).send().await.unwrap();
    assert_eq!(api.status(), StatusCode::OK);
    assert_eq!(api.headers()["content-type"], "text/csv; charset=utf-8");
    let bytes = api.bytes().await.unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte order mark");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(str::to_owned).collect();
    assert_eq!(
        header,
        [
            "date",
            "case",
            "account",
            "entry",
            "item",
            "amount",
            "method",
            "reference",
            "reason",
            "invoice",
            "recorded_by"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a CSV record")).collect();
    assert_eq!(rows.len(), 2, "{rows:?}");
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row_of = |account: &str| {
        rows.iter()
            .find(|r| &r[column("account")] == account)
            .unwrap_or_else(|| panic!("no row for {account}: {rows:?}"))
    };
    let mums = row_of(ACCENTED);
    assert_eq!(&mums[column("amount")], "12.50");
    assert_eq!(&mums[column("reference")], format!("'{FORMULA_REFERENCE}"));
    let dads = row_of(&format!("'{FORMULA_NAME}"));
    assert_eq!(&dads[column("amount")], "7.00");
    assert_eq!(
        &dads[column("reference")],
        QUOTED_REFERENCE,
        "commas and quotes survive"
    );
    assert_eq!(&dads[column("reason")], "'-1+1");
    for cell in rows.iter().flat_map(|r| r.iter()) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "a spreadsheet would run {cell:?}"
        );
    }
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "CRLF line ends");

    // The page's download is the same file, as an attachment.
    let page = f.jo.get(f.app.url("/billing/ledger.csv")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(
        page.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(page.bytes().await.unwrap(), bytes);
    f.app.finish().await;
}
