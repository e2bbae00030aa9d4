//! `familytime bench pages` (decision 0035) on a tiny dataset, run as the real binary: its table
//! names every GET route of the route table with figures, or lists it as not filled with a reason
//! that this test expects; no route answers an error; and a kept dataset is reused.

use crate::harness::{check_and_drop, fresh_location};
use familytime_store::{Location, Store};
use std::collections::BTreeSet;
use std::process::Stdio;
use std::time::Duration;
use tokio::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_familytime");

/// The routes the bench may leave unfilled, and a word its reason must hold.
const MAY_NOT_FILL: &[(&str, &str)] = &[
    ("/setup/{token}", "no organisation"),
    // A password link's secret is kept only as a hash (decision 0051).
    ("/set-password/{token}", "only in the message"),
    // The bench's adults all have e-mail addresses (decision 0051's print queue is for those who do not).
    ("/print-queue/{id}/pdf", "no letter waits"),
];

async fn bench(location: &Location, keep: &std::path::Path) -> (bool, String, String) {
    let mut command = Command::new(BIN);
    command.args([
        "bench",
        "pages",
        "--sessions",
        "50",
        "--centres",
        "2",
        "--requests",
        "1",
    ]);
    command.args(["--clients", "1,2"]).arg("--keep").arg(keep);
    if let Location::Postgres(url) = location {
        command.args(["--database-url", url]);
    }
    let out = tokio::time::timeout(
        Duration::from_secs(300),
        command
            .env_remove("DATABASE_URL")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .output(),
    )
    .await
    .expect("the bench finishes")
    .expect("the bench runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The measured routes (as in the route table, without a query) and the not-filled list.
fn read(stdout: &str) -> (BTreeSet<String>, Vec<(String, String)>) {
    let mut lines = stdout.lines();
    lines
        .by_ref()
        .find(|l| l.starts_with("route "))
        .expect("a table header");
    let mut measured = BTreeSet::new();
    for line in lines.by_ref() {
        if line.starts_with("routes_measured=") {
            break;
        }
        let fields: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(fields.len(), 6, "route, role and p50/p99 for 1 and 2 clients: {line}");
        let figures: Vec<f64> = fields[2..]
            .iter()
            .map(|f| f.parse().unwrap_or_else(|_| panic!("a figure in {line}")))
            .collect();
        assert!(figures.iter().all(|f| *f > 0.0), "every figure is a time: {line}");
        assert!(
            figures[0] <= figures[1] && figures[2] <= figures[3],
            "p50 ≤ p99: {line}"
        );
        measured.insert(fields[0].split('?').next().unwrap_or_default().to_owned());
    }
    let mut not_filled = Vec::new();
    lines
        .by_ref()
        .find(|l| l.starts_with("not filled: "))
        .expect("a not-filled list");
    for line in lines.take_while(|l| l.starts_with("  ")) {
        let (route, reason) = line.trim().split_once(": ").expect("route: reason");
        not_filled.push((route.to_owned(), reason.to_owned()));
    }
    (measured, not_filled)
}

#[tokio::test(flavor = "multi_thread")]
async fn bench_pages_measures_every_get_route_or_says_why_not() {
    let dir = tempfile::tempdir().unwrap();
    let (location, postgres) = fresh_location(&dir).await;
    let keep = dir.path().join("kept");
    let (ok, stdout, stderr) = bench(&location, &keep).await;
    assert!(ok, "the bench succeeds:\n{stdout}\n{stderr}");
    assert!(
        stdout.contains("\nerrors: 0\n"),
        "no route answered an error:\n{stdout}"
    );
    let (measured, not_filled) = read(&stdout);
    for (route, reason) in &not_filled {
        assert!(
            MAY_NOT_FILL.iter().any(|(r, word)| r == route && reason.contains(word)),
            "{route} was not filled ({reason}), and is not one the bench may leave"
        );
    }
    for route in familytime_web::routes::route_table() {
        if route.method != reqwest::Method::GET {
            continue;
        }
        assert!(
            measured.contains(route.path) || not_filled.iter().any(|(r, _)| r == route.path),
            "GET {} is neither measured nor listed as not filled:\n{stdout}",
            route.path
        );
    }
    assert!(
        stdout.lines().any(|l| l.starts_with("server_rss_mb=")),
        "the server's memory is shown"
    );

    // A kept dataset is reused, not built again.
    let (ok, again, stderr) = bench(&location, &keep).await;
    assert!(ok, "the second run succeeds:\n{again}\n{stderr}");
    assert!(again.contains("dataset=kept"), "{again}");
    assert!(!again.contains("dataset_seconds="), "{again}");

    let kept = match &location {
        Location::DataDir(_) => Location::DataDir(keep.clone()),
        postgres => postgres.clone(),
    };
    let store = Store::open(&kept).await.unwrap();
    check_and_drop(&store, postgres, &[]).await;
}
