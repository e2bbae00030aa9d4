//! The language layer (decision 0039): the Fluent catalogues (`crates/web/locales/`), compiled into
//! the binary and parsed once; which language a request is answered in (decided once per request by
//! `middleware::language` and read by the page shell through a task-local, so that no handler has
//! to carry it); and the words of a message in that language.
//!
//! A message missing from a catalogue falls back to English, then to its key, and is logged: a
//! request never fails for a word. Missing keys and catalogue syntax errors fail the tests instead
//! (`check`, and the `welsh` tests in `crates/familytime/tests/it/`).

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::collections::BTreeSet;
use std::future::Future;
use std::sync::LazyLock;

/// A language the pages are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Lang {
    En,
    Cy,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Cy];

    /// The code in `?lang=`, the cookie and the catalogue folder.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Cy => "cy",
        }
    }

    /// The page's `<html lang>`: British English, Welsh.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::En => "en-GB",
            Lang::Cy => "cy",
        }
    }

    /// The language's name in itself, for the link that switches to it.
    pub fn endonym(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Cy => "Cymraeg",
        }
    }

    /// The language a page offers to switch to.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Cy,
            Lang::Cy => Lang::En,
        }
    }

    /// A language tag (`cy`, `cy-GB`, `EN-gb`, `en_GB`); anything else is `None`, never an error.
    pub fn parse(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        Lang::ALL
            .into_iter()
            .find(|lang| primary.eq_ignore_ascii_case(lang.code()))
    }

    /// The language a browser prefers most among ours, from `Accept-Language`
    /// (`cy-GB,cy;q=0.9,en;q=0.5`). Unknown tags, `*` and `q=0` are passed over.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut offered: Vec<(u16, Lang)> = header
            .split(',')
            .filter_map(|item| {
                let mut parts = item.split(';');
                let lang = Lang::parse(parts.next()?)?;
                // The weight in thousandths; a weight that is not a number drops the tag.
                let quality = match parts.find_map(|p| p.trim().strip_prefix("q=")) {
                    None => 1000,
                    Some(q) => (q.trim().parse::<f32>().ok()?.clamp(0.0, 1.0) * 1000.0) as u16,
                };
                (quality > 0).then_some((quality, lang))
            })
            .collect();
        // Stable: among equal weights the browser's own order stands.
        offered.sort_by_key(|(quality, _)| std::cmp::Reverse(*quality));
        offered.first().map(|(_, lang)| *lang)
    }

    fn index(self) -> usize {
        match self {
            Lang::En => 0,
            Lang::Cy => 1,
        }
    }
}

/// Every catalogue: its language, its area and its text, compiled in.
pub const CATALOGUES: [(Lang, &str, &str); 4] = [
    (Lang::En, "common", include_str!("../locales/en/common.ftl")),
    (Lang::En, "public", include_str!("../locales/en/public.ftl")),
    (Lang::Cy, "common", include_str!("../locales/cy/common.ftl")),
    (Lang::Cy, "public", include_str!("../locales/cy/public.ftl")),
];

/// The catalogues parsed, one bundle per language.
struct Bundles([FluentBundle<FluentResource>; 2]);

fn bundle(lang: Lang) -> FluentBundle<FluentResource> {
    let id = lang.code().parse().unwrap_or_default();
    let mut bundle = FluentBundle::new_concurrent(vec![id]);
    // Fluent would put Unicode isolation marks around every variable; the pages are HTML, where a
    // name in a right-to-left script is isolated by the markup, and the marks would only get in the
    // way of copying text and of the tests that read it.
    bundle.set_use_isolating(false);
    for (_, _, source) in CATALOGUES.iter().filter(|(l, _, _)| *l == lang) {
        // A catalogue with a syntax error keeps its good messages here; `check` makes the tests fail.
        let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| partial);
        bundle.add_resource_overriding(resource);
    }
    bundle
}

static BUNDLES: LazyLock<Bundles> = LazyLock::new(|| Bundles([bundle(Lang::En), bundle(Lang::Cy)]));

/// Parses every catalogue strictly: syntax errors, a message defined twice, and a message whose
/// value cannot be written (an unknown reference). Empty when all is well. Called by the tests and
/// once when the server starts, which logs what it finds.
pub fn check() -> Vec<String> {
    let mut problems = Vec::new();
    for lang in Lang::ALL {
        let mut seen = BTreeSet::new();
        for (l, area, source) in CATALOGUES.iter().filter(|(l, _, _)| *l == lang) {
            let resource = match FluentResource::try_new((*source).to_owned()) {
                Ok(resource) => resource,
                Err((resource, errors)) => {
                    for e in errors {
                        problems.push(format!("{}/{area}.ftl: syntax error {e:?}", l.code()));
                    }
                    resource
                }
            };
            for entry in resource.entries() {
                if let fluent_syntax::ast::Entry::Message(m) = entry
                    && !seen.insert(m.id.name.to_owned())
                {
                    problems.push(format!("{}/{area}.ftl: {} is defined twice", l.code(), m.id.name));
                }
            }
        }
    }
    problems
}

/// The keys of one language's catalogues.
pub fn keys(lang: Lang) -> BTreeSet<String> {
    CATALOGUES
        .iter()
        .filter(|(l, _, _)| *l == lang)
        .flat_map(|(_, _, source)| {
            let resource = FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| partial);
            resource
                .entries()
                .filter_map(|entry| match entry {
                    fluent_syntax::ast::Entry::Message(m) => Some(m.id.name.to_owned()),
                    _ => None,
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

/// Whether a language's catalogue has a message.
pub fn has(lang: Lang, key: &str) -> bool {
    BUNDLES.0[lang.index()].has_message(key)
}

/// The words of a message in a language, with its variables. Missing in that language: the English;
/// missing in English too: the key itself (logged either way).
pub fn message(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    for (i, lang) in [lang, Lang::En].into_iter().enumerate() {
        let bundle = &BUNDLES.0[lang.index()];
        if let Some(pattern) = bundle.get_message(key).and_then(|m| m.value()) {
            if i > 0 {
                tracing::warn!(key, "message missing from a catalogue; written in English");
            }
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, args, &mut errors).into_owned();
            if !errors.is_empty() {
                tracing::warn!(key, "message written with a missing variable");
            }
            return text;
        }
    }
    tracing::warn!(key, "message missing from every catalogue");
    key.to_owned()
}

/// A message's words with no variables given, for the tests: `None` when it needs variables.
pub fn plain(lang: Lang, key: &str) -> Option<String> {
    let bundle = &BUNDLES.0[lang.index()];
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
    errors.is_empty().then_some(text)
}

/// Variables for a message, from names and values (text or numbers).
pub fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        args.set(name, value);
    }
    args
}

/// What was decided about a request's language: the language, and where the link to the other
/// language goes (this page, in the other language).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub lang: Lang,
    pub switch_href: String,
}

impl Default for Chosen {
    fn default() -> Self {
        Chosen {
            lang: Lang::En,
            switch_href: "/?lang=cy".to_owned(),
        }
    }
}

tokio::task_local! {
    static CHOSEN: Chosen;
}

/// Runs a request's handling with its language chosen.
pub async fn scope<F: Future>(chosen: Chosen, work: F) -> F::Output {
    CHOSEN.scope(chosen, work).await
}

/// The current request's language and switch link; English outside a request (the command line).
pub fn chosen() -> Chosen {
    CHOSEN.try_with(Clone::clone).unwrap_or_default()
}

/// The current request's language.
pub fn current() -> Lang {
    CHOSEN.try_with(|c| c.lang).unwrap_or(Lang::En)
}

/// A message in the current request's language.
pub fn t(key: &str) -> String {
    message(current(), key, None)
}

/// A message with variables in the current request's language.
pub fn t_args(key: &str, args: &FluentArgs) -> String {
    message(current(), key, Some(args))
}

/// This page (path and query) with `lang` set to `lang` and every other parameter kept, so that the
/// language link reopens the same page, with the same answers, in the other language.
pub fn switch_href(path: &str, query: Option<&str>, lang: Lang) -> String {
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.unwrap_or_default().as_bytes()) {
        if k != "lang" {
            serializer.append_pair(&k, &v);
        }
    }
    serializer.append_pair("lang", lang.code());
    format!("{path}?{}", serializer.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_parse_with_no_message_twice() {
        assert_eq!(check(), Vec::<String>::new());
    }

    #[test]
    fn language_tags_are_read_leniently() {
        assert_eq!(Lang::parse("cy"), Some(Lang::Cy));
        assert_eq!(Lang::parse(" CY-gb "), Some(Lang::Cy));
        assert_eq!(Lang::parse("en_GB"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
        assert_eq!(Lang::parse(""), None);
        assert_eq!(Lang::parse("cym"), None);
    }

    #[test]
    fn accept_language_picks_the_most_wanted_of_ours() {
        assert_eq!(Lang::from_accept_language("cy-GB,cy;q=0.9,en;q=0.5"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("fr, en;q=0.4, cy;q=0.8"), Some(Lang::Cy));
        assert_eq!(Lang::from_accept_language("en-GB, cy"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("cy;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::from_accept_language("de, *"), None);
        assert_eq!(Lang::from_accept_language("cy;q=junk"), None);
        assert_eq!(Lang::from_accept_language(""), None);
    }

    #[test]
    fn the_switch_link_keeps_the_page_and_its_answers() {
        assert_eq!(switch_href("/prices", None, Lang::Cy), "/prices?lang=cy");
        assert_eq!(
            switch_href("/which-service", Some("abuse=no&lang=cy&care=not-sure"), Lang::En),
            "/which-service?abuse=no&care=not-sure&lang=en"
        );
    }

    #[test]
    fn welsh_plurals_and_variables_come_from_fluent() {
        let n = |count: i64| {
            message(
                Lang::Cy,
                "checklist-reason-unsure-count",
                Some(&args([("count", FluentValue::from(count))])),
            )
        };
        // Welsh has six plural forms; 1, 2 and 3 each take their own.
        assert_ne!(n(1), n(2));
        assert_ne!(n(2), n(3));
        assert!(n(3).contains('3'));
    }

    #[test]
    fn a_missing_message_falls_back_to_english_then_to_its_key() {
        assert_eq!(message(Lang::Cy, "no-such-message", None), "no-such-message");
        assert_eq!(message(Lang::En, "skip-link", None), "Skip to main content");
        assert_eq!(message(Lang::Cy, "skip-link", None), "Neidio i'r prif gynnwys");
    }
}
