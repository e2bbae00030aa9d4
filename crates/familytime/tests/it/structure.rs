//! The shape of the code, checked so that it stays walkable (issue 25, decision 0037): no two modules
//! import each other, nor any longer circle; no source file over 800 lines without a reason written
//! at its top; the layers' arrows point one way (domain → store → reports → app → web → the binary,
//! which calls the web crate only to `serve`); and every file `docs/architecture.md` names exists.
//! The source is read with `syn`, so the guards need no build output and run in a moment. Each guard
//! is also shown failing on a small made-up set of files.
//! Long because: the guards share one reading of the source (`syn`), and each guard sits beside the
//! negative control that shows it can fail.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use syn::visit::Visit;

/// The longest a source file may be without a reason written at its top.
const LONGEST_FILE: usize = 800;
/// What the comment a long file starts with must say, followed by the reason.
const LONG_BECAUSE: &str = "Long because:";

/// The familytime crates each crate may depend on (its `[dependencies]`), by directory name.
const LAYERS: &[(&str, &[&str])] = &[
    ("domain", &[]),
    // The words in each language: beside the domain, below everything that writes for a reader.
    ("i18n", &["domain"]),
    ("store", &["domain"]),
    ("reports", &["domain", "i18n", "store"]),
    ("app", &["domain", "i18n", "store", "reports"]),
    ("web", &["domain", "i18n", "store", "reports", "app"]),
    ("familytime", &["domain", "i18n", "store", "reports", "app", "web"]),
];

/// Libraries a layer must not use: the domain does no IO, no async and no database; only the web
/// crate speaks HTTP.
const FORBIDDEN: &[(&str, &[&str])] = &[
    (
        "domain",
        &[
            "sqlx",
            "tokio",
            "axum",
            "askama",
            "tower",
            "tower-http",
            "utoipa",
            "reqwest",
        ],
    ),
    (
        "i18n",
        &[
            "sqlx",
            "tokio",
            "axum",
            "askama",
            "tower",
            "tower-http",
            "utoipa",
            "reqwest",
        ],
    ),
    ("store", &["axum", "askama", "tower", "tower-http", "utoipa"]),
    ("reports", &["axum", "askama", "tower", "tower-http", "utoipa", "sqlx"]),
    ("app", &["axum", "askama", "tower", "tower-http", "utoipa"]),
];

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join("..")
}

/// One source file: its crate (by directory name), its path under the crate's `src`, its text.
struct Source {
    krate: String,
    rel: String,
    text: String,
}

/// Every crate's directory name, in `crates/`.
fn crate_dirs() -> Vec<String> {
    let mut dirs: Vec<String> = std::fs::read_dir(repo_root().join("crates"))
        .expect("the crates directory is readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().join("Cargo.toml").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    dirs.sort();
    dirs
}

fn walk(dir: &Path, base: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, base, out);
        } else if path.extension().is_some_and(|x| x == "rs") {
            let rel = path
                .strip_prefix(base)
                .expect("under its base")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, path));
        }
    }
}

/// Every `.rs` file under `crates/*/src`.
fn sources() -> Vec<Source> {
    let mut all = Vec::new();
    for krate in crate_dirs() {
        let src = repo_root().join("crates").join(&krate).join("src");
        let mut files = Vec::new();
        walk(&src, &src, &mut files);
        files.sort();
        for (rel, path) in files {
            let text = std::fs::read_to_string(&path).expect("a source file is readable");
            all.push(Source {
                krate: krate.clone(),
                rel,
                text,
            });
        }
    }
    assert!(all.len() > 50, "the source files were found ({} of them)", all.len());
    all
}

/// A crate's directory name from the name its code uses (`familytime_app` → `app`; the binary's
/// `familytime` has no library).
fn crate_of_lib(name: &str) -> Option<String> {
    let rest = name.strip_prefix("familytime_")?;
    Some(rest.to_owned())
}

type ModPath = Vec<String>;

/// The module a file is: `lib.rs` the crate's root, `a/mod.rs` and `a.rs` are `a`, `a/b.rs` is `a::b`.
fn module_of(rel: &str) -> ModPath {
    let mut parts: Vec<String> = rel.trim_end_matches(".rs").split('/').map(str::to_owned).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts
}

/// What one file says about other modules: the inline modules it holds, its `use` bindings, and every
/// path of two or more segments, each with the module (inline ones included) it is written in.
#[derive(Default)]
struct Said {
    inline: Vec<ModPath>,
    /// (written in, the path, the name it binds (`None` for a glob), whether it is a re-export)
    uses: Vec<(ModPath, Vec<String>, Option<String>, bool)>,
    paths: Vec<(ModPath, Vec<String>)>,
}

struct Reader {
    here: ModPath,
    said: Said,
}

fn flatten(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            if name == "self" {
                out.push((prefix.clone(), prefix.last().cloned()));
            } else {
                let mut path = prefix.clone();
                path.push(name.clone());
                out.push((path, Some(name)));
            }
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            let name = r.ident.to_string();
            if name != "self" {
                path.push(name);
            }
            out.push((path, Some(r.rename.to_string())));
        }
        syn::UseTree::Glob(_) => out.push((prefix.clone(), None)),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten(t, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Reader {
    fn visit_item_mod(&mut self, m: &'ast syn::ItemMod) {
        // A file's tests may use anything of their crate: `#[cfg(test)]` modules make no edges.
        let tests_only = m
            .attrs
            .iter()
            .any(|a| a.path().is_ident("cfg") && a.parse_args::<syn::Ident>().is_ok_and(|i| i == "test"));
        if tests_only {
            return;
        }
        if let Some((_, items)) = &m.content {
            self.here.push(m.ident.to_string());
            self.said.inline.push(self.here.clone());
            for item in items {
                self.visit_item(item);
            }
            self.here.pop();
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        if u.leading_colon.is_some() {
            return;
        }
        let mut flat = Vec::new();
        flatten(&u.tree, &mut Vec::new(), &mut flat);
        let reexport = !matches!(u.vis, syn::Visibility::Inherited);
        for (path, name) in flat {
            self.said.uses.push((self.here.clone(), path, name, reexport));
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        if p.leading_colon.is_none() && p.segments.len() >= 2 {
            let segments = p.segments.iter().map(|s| s.ident.to_string()).collect();
            self.said.paths.push((self.here.clone(), segments));
        }
        syn::visit::visit_path(self, p);
    }
}

/// Where a path leads: a crate (directory name) and the segments within it.
type Abs = (String, Vec<String>);

/// The code's modules and who refers to whom, per crate.
#[derive(Default)]
struct Graph {
    /// (crate, file module)
    files: BTreeSet<(String, ModPath)>,
    /// (crate, module), files and inline modules alike
    modules: BTreeSet<(String, ModPath)>,
    /// (crate, module) → name → the path it was bound to, as written
    bindings: HashMap<(String, ModPath), HashMap<String, Vec<String>>>,
    /// per crate: file module → file module → one path that makes the edge (for the message)
    edges: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    /// (from crate, to crate, the path as written, the file)
    crossings: BTreeSet<(String, String, String, String)>,
}

fn show(path: &[String]) -> String {
    if path.is_empty() {
        "(crate root)".into()
    } else {
        path.join("::")
    }
}

impl Graph {
    /// Builds the graph from (crate, path under src, text) triples.
    fn build(files: &[Source]) -> Result<Graph, String> {
        let mut graph = Graph::default();
        let mut said = Vec::new();
        for f in files {
            let file = syn::parse_file(&f.text).map_err(|e| format!("crates/{}/src/{}: {e}", f.krate, f.rel))?;
            let module = module_of(&f.rel);
            let mut reader = Reader {
                here: module.clone(),
                said: Said::default(),
            };
            reader.visit_file(&file);
            graph.files.insert((f.krate.clone(), module.clone()));
            graph.modules.insert((f.krate.clone(), module.clone()));
            for m in &reader.said.inline {
                graph.modules.insert((f.krate.clone(), m.clone()));
            }
            for (at, path, name, _) in &reader.said.uses {
                if let Some(name) = name {
                    graph
                        .bindings
                        .entry((f.krate.clone(), at.clone()))
                        .or_default()
                        .insert(name.clone(), path.clone());
                }
            }
            said.push((f, module, reader.said));
        }
        for (f, module, s) in &said {
            // A re-export (`pub use a::Thing`) is the crate's face, not a use: whoever names the thing
            // through it is counted as using `a` itself.
            let uses = s.uses.iter().filter(|u| !u.3).map(|(at, p, _, _)| (at, p));
            let all = uses.chain(s.paths.iter().map(|(at, p)| (at, p)));
            for (at, path) in all {
                let Some((krate, target)) = graph.resolve(&f.krate, at, path, 0) else {
                    continue;
                };
                if krate != f.krate {
                    graph.crossings.insert((
                        f.krate.clone(),
                        krate,
                        path.join("::"),
                        format!("crates/{}/src/{}", f.krate, f.rel),
                    ));
                    continue;
                }
                if &target != module {
                    graph
                        .edges
                        .entry(f.krate.clone())
                        .or_default()
                        .entry(show(module))
                        .or_default()
                        .entry(show(&target))
                        .or_insert_with(|| format!("crates/{}/src/{} names {}", f.krate, f.rel, path.join("::")));
                }
            }
        }
        Ok(graph)
    }

    fn is_module(&self, krate: &str, path: &[String]) -> bool {
        self.modules.contains(&(krate.to_owned(), path.to_vec()))
    }

    /// Makes a path written in `at` absolute, or `None` when it leads outside the workspace (std, a
    /// library) or to an item of `at` itself.
    fn absolute(&self, krate: &str, at: &[String], path: &[String], depth: usize) -> Option<Abs> {
        let first = path.first()?;
        match first.as_str() {
            "crate" => Some((krate.to_owned(), path[1..].to_vec())),
            "self" | "super" => {
                let mut base = at.to_vec();
                let mut rest = path;
                while let Some(s) = rest.first() {
                    match s.as_str() {
                        "super" => {
                            base.pop()?;
                        }
                        "self" => {}
                        _ => break,
                    }
                    rest = &rest[1..];
                }
                base.extend(rest.iter().cloned());
                Some((krate.to_owned(), base))
            }
            name => {
                if let Some(other) = crate_of_lib(name) {
                    return Some((other, path[1..].to_vec()));
                }
                let mut child = at.to_vec();
                child.push(name.to_owned());
                if self.is_module(krate, &child) {
                    child.extend(path[1..].iter().cloned());
                    return Some((krate.to_owned(), child));
                }
                // A name bound by a `use` in this module.
                let bound = self.bindings.get(&(krate.to_owned(), at.to_vec()))?.get(name)?;
                if depth > 8 || bound.len() == 1 && bound[0] == name {
                    return None;
                }
                let mut whole = bound.clone();
                whole.extend(path[1..].iter().cloned());
                self.absolute(krate, at, &whole, depth + 1)
            }
        }
    }

    /// The file module a path leads to (through re-exports), with its crate.
    fn resolve(&self, krate: &str, at: &[String], path: &[String], depth: usize) -> Option<(String, ModPath)> {
        let (k, segments) = self.absolute(krate, at, path, depth)?;
        if !self.files.iter().any(|(c, _)| *c == k) {
            // A crate whose source was not read (a made-up graph): the crossing still counts.
            return Some((k, segments));
        }
        let mut module: ModPath = Vec::new();
        for s in &segments {
            let mut longer = module.clone();
            longer.push(s.clone());
            if self.is_module(&k, &longer) {
                module = longer;
            } else {
                break;
            }
        }
        // `crate::Name` where the module re-exports `Name` from elsewhere: follow it.
        if let Some(next) = segments.get(module.len())
            && depth <= 8
            && let Some(bound) = self
                .bindings
                .get(&(k.clone(), module.clone()))
                .and_then(|b| b.get(next))
        {
            let mut whole = bound.clone();
            whole.extend(segments[module.len() + 1..].iter().cloned());
            if let Some(found) = self.resolve(&k, &module, &whole, depth + 1) {
                return Some(found);
            }
        }
        while !self.files.contains(&(k.clone(), module.clone())) {
            module.pop()?;
        }
        Some((k, module))
    }

    /// One circle for each group of modules that reach each other, in each crate.
    fn cycles(&self) -> Vec<String> {
        let mut found = Vec::new();
        for (krate, edges) in &self.edges {
            for cycle in cycles_in(edges) {
                let steps: Vec<String> = cycle
                    .windows(2)
                    .map(|w| format!("  {} → {}: {}", w[0], w[1], edges[&w[0]][&w[1]]))
                    .collect();
                let group = group_of(edges, &cycle[0]);
                found.push(format!(
                    "in crates/{krate}: {}\n{}\n  (all of these reach each other: {})",
                    cycle.join(" → "),
                    steps.join("\n"),
                    group.into_iter().collect::<Vec<_>>().join(", ")
                ));
            }
        }
        found
    }
}

/// The nodes that reach `node` and are reached from it (its strongly connected group).
fn group_of(edges: &BTreeMap<String, BTreeMap<String, String>>, node: &str) -> BTreeSet<String> {
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(n) = todo.pop() {
            for next in edges.get(&n).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    reach(node).into_iter().filter(|n| reach(n).contains(node)).collect()
}

/// For each strongly connected group of more than one node, one circle through it (first node
/// repeated at the end).
fn cycles_in(edges: &BTreeMap<String, BTreeMap<String, String>>) -> Vec<Vec<String>> {
    let reach = |from: &str| -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(n) = todo.pop() {
            for next in edges.get(&n).into_iter().flat_map(|e| e.keys()) {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let mut done = BTreeSet::new();
    let mut cycles = Vec::new();
    for node in edges.keys() {
        if done.contains(node) || !reach(node).contains(node) {
            continue;
        }
        // The shortest way back to `node` (breadth first), so the message names the tightest circle.
        let mut back: BTreeMap<String, String> = BTreeMap::new();
        let mut queue = std::collections::VecDeque::from([node.clone()]);
        let mut last = None;
        'search: while let Some(n) = queue.pop_front() {
            for next in edges.get(&n).into_iter().flat_map(|e| e.keys()) {
                if next == node {
                    last = Some(n.clone());
                    break 'search;
                }
                if !back.contains_key(next) {
                    back.insert(next.clone(), n.clone());
                    queue.push_back(next.clone());
                }
            }
        }
        let Some(mut at) = last else { continue };
        let mut cycle = vec![node.clone()];
        let mut tail = vec![at.clone()];
        while at != *node {
            at = back[&at].clone();
            if at != *node {
                tail.push(at.clone());
            }
        }
        tail.reverse();
        cycle.extend(tail);
        cycle.push(node.clone());
        // Every module of the group is reported through this one circle.
        done.extend(group_of(edges, node));
        cycles.push(cycle);
    }
    cycles
}

/// Files over the limit whose first lines give no reason.
fn too_long(files: &[Source]) -> Vec<String> {
    files
        .iter()
        .filter(|f| f.text.lines().count() > LONGEST_FILE)
        .filter(|f| {
            // The comment the file starts with.
            !f.text
                .lines()
                .take_while(|l| l.trim_start().starts_with("//"))
                .any(|l| {
                    l.split_once(LONG_BECAUSE)
                        .is_some_and(|(_, reason)| reason.trim().len() >= 10)
                })
        })
        .map(|f| format!("crates/{}/src/{} has {} lines", f.krate, f.rel, f.text.lines().count()))
        .collect()
}

/// The dependencies named in a Cargo.toml's `[dependencies]` (by package name as written).
fn dependencies(manifest: &str) -> Vec<String> {
    let mut deps = Vec::new();
    let mut inside = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]" || line == "[build-dependencies]";
            continue;
        }
        if !inside || line.is_empty() || line.starts_with('#') {
            continue;
        }
        let name = line.split(['=', '.', ' ']).next().unwrap_or("").trim();
        // A renamed dependency counts under its package's name.
        let package = line
            .split("package = \"")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .unwrap_or(name);
        deps.push(package.to_owned());
    }
    deps
}

/// The layer arrows that point the wrong way: (crate directory → its dependencies) against `LAYERS`
/// and `FORBIDDEN`, and the code's own crossings.
fn wrong_arrows(
    manifests: &[(String, Vec<String>)],
    crossings: &BTreeSet<(String, String, String, String)>,
) -> Vec<String> {
    let allowed = |krate: &str| LAYERS.iter().find(|(k, _)| *k == krate).map(|(_, a)| *a);
    let mut wrong = Vec::new();
    for (krate, deps) in manifests {
        let Some(may) = allowed(krate) else {
            wrong.push(format!(
                "crates/{krate} is not in the list of layers: place it in LAYERS"
            ));
            continue;
        };
        for dep in deps {
            if let Some(layer) = dep.strip_prefix("familytime-")
                && !may.contains(&layer)
            {
                wrong.push(format!("crates/{krate} depends on {dep}, against the layers"));
            }
            if FORBIDDEN
                .iter()
                .any(|(k, banned)| *k == krate.as_str() && banned.contains(&dep.as_str()))
            {
                wrong.push(format!("crates/{krate} depends on {dep}, which its layer must not use"));
            }
        }
    }
    for (from, to, path, file) in crossings {
        match allowed(from) {
            Some(may) if may.contains(&to.as_str()) => {}
            _ => wrong.push(format!("{file} names {path}: crates/{from} must not use crates/{to}")),
        }
        // The command line and the jobs call the app crate; the web crate only to serve, and the
        // page benchmark reads its route table (what it measures is every route the server has).
        let bench_reads_routes =
            file.starts_with("crates/familytime/src/bench/") && path.starts_with("familytime_web::routes::route_table");
        if from == "familytime" && to == "web" && !path.starts_with("familytime_web::serve") && !bench_reads_routes {
            wrong.push(format!(
                "{file} names {path}: the command line calls crates/app, and crates/web only to serve"
            ));
        }
    }
    wrong
}

/// The backticked repository paths in a markdown text that do not exist under `root`.
fn missing_paths(markdown: &str, root: &Path) -> Vec<String> {
    let mut missing = Vec::new();
    for (n, piece) in markdown.split('`').enumerate() {
        // Odd pieces are inside backticks.
        if n % 2 == 0 || piece.contains(char::is_whitespace) || piece.is_empty() {
            continue;
        }
        let looks_like_a_path = piece.contains('/')
            && (piece.starts_with("crates/") || piece.starts_with("docs/") || piece.starts_with("scripts/"))
            || [".rs", ".md", ".toml", ".sql", ".html"]
                .iter()
                .any(|x| piece.ends_with(x));
        if looks_like_a_path && !root.join(piece.trim_end_matches('/')).exists() {
            missing.push(piece.to_owned());
        }
    }
    missing
}

fn manifests() -> Vec<(String, Vec<String>)> {
    crate_dirs()
        .into_iter()
        .map(|k| {
            let text = std::fs::read_to_string(repo_root().join("crates").join(&k).join("Cargo.toml"))
                .expect("a Cargo.toml is readable");
            (k, dependencies(&text))
        })
        .collect()
}

#[test]
fn no_two_modules_import_each_other() {
    let graph = Graph::build(&sources()).unwrap_or_else(|e| panic!("a source file did not parse: {e}"));
    let edges: usize = graph.edges.values().flat_map(|e| e.values()).map(|t| t.len()).sum();
    assert!(edges > 100, "the modules' imports were read ({edges} of them)");
    let cycles = graph.cycles();
    assert!(
        cycles.is_empty(),
        "modules import each other (issue 25: move what both need into a small module both use, or down a layer):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn no_file_over_800_lines_without_a_reason_at_its_top() {
    let long = too_long(&sources());
    assert!(
        long.is_empty(),
        "split these by use case, or say at the top (`//! {LONG_BECAUSE} ...`) why each reads best whole:\n{}",
        long.join("\n")
    );
}

#[test]
fn layers_point_one_way() {
    let graph = Graph::build(&sources()).unwrap_or_else(|e| panic!("a source file did not parse: {e}"));
    let manifests = manifests();
    assert!(
        manifests
            .iter()
            .any(|(k, d)| k == "app" && d.iter().any(|d| d == "familytime-store"))
    );
    let wrong = wrong_arrows(&manifests, &graph.crossings);
    assert!(
        wrong.is_empty(),
        "the layers' arrows point one way only:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn architecture_doc_names_only_files_that_exist() {
    let root = repo_root();
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("docs/architecture.md exists");
    let named = doc
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|p| p.starts_with("crates/"))
        .count();
    assert!(
        named > 20,
        "the map names the files where rules are decided ({named} named)"
    );
    let missing = missing_paths(&doc, &root);
    assert!(
        missing.is_empty(),
        "docs/architecture.md names files that do not exist: {missing:?}"
    );
}

// The guards, shown failing on made-up files.

fn made_up(files: &[(&str, &str, &str)]) -> Vec<Source> {
    files
        .iter()
        .map(|(krate, rel, text)| Source {
            krate: (*krate).into(),
            rel: (*rel).into(),
            text: (*text).into(),
        })
        .collect()
}

#[test]
fn cycle_guard_names_two_modules_that_import_each_other() {
    let files = made_up(&[
        ("app", "lib.rs", "pub mod billing; pub mod schedule;"),
        (
            "app",
            "billing.rs",
            "use super::schedule::booking_for; pub fn cancel() {}",
        ),
        (
            "app",
            "schedule.rs",
            "pub fn booking_for() {} fn f() { crate::billing::cancel(); }",
        ),
    ]);
    let cycles = Graph::build(&files).expect("parses").cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(
        cycles[0].starts_with("in crates/app: billing → schedule → billing"),
        "{cycles:?}"
    );
    assert!(cycles[0].contains("names super::schedule::booking_for"), "{cycles:?}");
}

#[test]
fn cycle_guard_follows_reexports_and_finds_a_longer_circle() {
    let files = made_up(&[
        ("web", "lib.rs", "mod a; mod b; mod c; pub use a::Thing;"),
        ("web", "a.rs", "pub struct Thing; fn f() { b::g(); } use crate::b;"),
        ("web", "b.rs", "pub fn g() { crate::c::h() }"),
        ("web", "c.rs", "use crate::Thing; pub fn h() {}"),
    ]);
    let cycles = Graph::build(&files).expect("parses").cycles();
    assert_eq!(cycles.len(), 1, "{cycles:?}");
    assert!(cycles[0].starts_with("in crates/web: a → b → c → a"), "{cycles:?}");
}

#[test]
fn cycle_guard_passes_one_way_imports_and_a_files_own_tests() {
    let files = made_up(&[
        (
            "app",
            "lib.rs",
            "pub mod case_files; pub mod billing; pub mod schedule; pub use billing::cancel; pub fn authorize() {}",
        ),
        ("app", "case_files.rs", "pub fn booking_for() {}"),
        (
            "app",
            "billing.rs",
            "use super::case_files::booking_for; use super::authorize; pub fn cancel() {} #[cfg(test)] mod tests { use crate::schedule::*; }",
        ),
        (
            "app",
            "schedule.rs",
            "use super::case_files::booking_for; fn f() { super::billing::cancel(); }",
        ),
    ]);
    let graph = Graph::build(&files).expect("parses");
    assert!(graph.cycles().is_empty(), "{:?}", graph.cycles());
    assert!(graph.edges["app"]["schedule"].contains_key("billing"));
    assert!(graph.edges["app"]["billing"].contains_key("(crate root)"));
}

#[test]
fn length_guard_refuses_a_long_file_without_a_reason() {
    let long = "fn f() {}\n".repeat(LONGEST_FILE + 1);
    let exactly = "fn f() {}\n".repeat(LONGEST_FILE);
    let with_reason = format!("//! The calendar.\n//! {LONG_BECAUSE} one table's queries read best together.\n{long}");
    let with_empty_reason = format!("//! {LONG_BECAUSE}\n{long}");
    let reason_too_late = format!("//! The calendar.\nfn g() {{}}\n// {LONG_BECAUSE} it is long.\n{long}");
    let files = made_up(&[
        ("store", "long.rs", &long),
        ("store", "exactly.rs", &exactly),
        ("store", "reasoned.rs", &with_reason),
        ("store", "empty_reason.rs", &with_empty_reason),
        ("store", "late_reason.rs", &reason_too_late),
    ]);
    let refused = too_long(&files);
    assert_eq!(refused.len(), 3, "{refused:?}");
    assert!(
        refused[0].starts_with("crates/store/src/long.rs has 801 lines"),
        "{refused:?}"
    );
    assert!(
        refused[1].starts_with("crates/store/src/empty_reason.rs"),
        "{refused:?}"
    );
    assert!(refused[2].starts_with("crates/store/src/late_reason.rs"), "{refused:?}");
}

#[test]
fn layer_guard_refuses_an_arrow_pointing_back() {
    let manifests = vec![
        (
            "store".to_owned(),
            dependencies(
                "[dependencies]\nfamilytime-domain.workspace = true\nfamilytime-web = { path = \"../web\" }\n",
            ),
        ),
        (
            "app".to_owned(),
            dependencies(
                "[package]\nname = \"x\"\n[dependencies]\naxum.workspace = true\n[dev-dependencies]\nfamilytime-web.workspace = true\n",
            ),
        ),
        (
            "domain".to_owned(),
            dependencies("[dependencies]\nwebby = { package = \"tokio\", version = \"1\" }\n"),
        ),
        ("newcomer".to_owned(), Vec::new()),
    ];
    let crossings = BTreeSet::from([
        (
            "familytime".to_owned(),
            "web".to_owned(),
            "familytime_web::routes::route_table".to_owned(),
            "crates/familytime/src/main.rs".to_owned(),
        ),
        (
            "familytime".to_owned(),
            "web".to_owned(),
            "familytime_web::serve".to_owned(),
            "crates/familytime/src/main.rs".to_owned(),
        ),
        (
            "reports".to_owned(),
            "app".to_owned(),
            "familytime_app::AppState".to_owned(),
            "crates/reports/src/lib.rs".to_owned(),
        ),
    ]);
    let wrong = wrong_arrows(&manifests, &crossings);
    assert_eq!(
        wrong,
        vec![
            "crates/store depends on familytime-web, against the layers".to_owned(),
            "crates/app depends on axum, which its layer must not use".to_owned(),
            "crates/domain depends on tokio, which its layer must not use".to_owned(),
            "crates/newcomer is not in the list of layers: place it in LAYERS".to_owned(),
            "crates/familytime/src/main.rs names familytime_web::routes::route_table: the command line calls crates/app, and crates/web only to serve".to_owned(),
            "crates/reports/src/lib.rs names familytime_app::AppState: crates/reports must not use crates/app".to_owned(),
        ]
    );
}

#[test]
fn doc_guard_names_a_path_that_does_not_exist() {
    let root = repo_root();
    let doc = "Fees: `crates/domain/src/billing/prices.rs`. Gone: `crates/web/src/app/billing.rs`. Code: `a + b`, `Store::book`.";
    assert_eq!(
        missing_paths(doc, &root),
        vec!["crates/web/src/app/billing.rs".to_owned()]
    );
}
