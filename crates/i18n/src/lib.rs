//! familytime's words in each language (decision 0039): the Fluent catalogues (`locales/`),
//! compiled into the binary and parsed once, and dates and times written the way each language
//! writes them (`dates`). Everything that writes for a reader — the pages, the PDFs, and the
//! messages sent to families — takes its words from here, in the reader's language.
//!
//! A message missing from a catalogue falls back to English, then to its key, and is logged: a page
//! or a letter never fails for a word. Missing keys and catalogue syntax errors fail the tests
//! instead (`check`, and the `welsh` tests in `crates/familytime/tests/it/`).

pub mod dates;

pub use familytime_domain::language::Lang;
pub use fluent_bundle::{FluentArgs, FluentValue};

use fluent_bundle::FluentResource;
use fluent_bundle::concurrent::FluentBundle;
use std::collections::BTreeSet;
use std::sync::LazyLock;

/// A language's place in the arrays of bundles and formatters.
pub(crate) fn index(lang: Lang) -> usize {
    match lang {
        Lang::En => 0,
        Lang::Cy => 1,
    }
}

/// Every catalogue: its language, its area and its text, compiled in.
pub const CATALOGUES: &[(Lang, &str, &str)] = &[
    (Lang::En, "common", include_str!("../locales/en/common.ftl")),
    (Lang::En, "public", include_str!("../locales/en/public.ftl")),
    (Lang::En, "letters", include_str!("../locales/en/letters.ftl")),
    (Lang::En, "portal", include_str!("../locales/en/portal.ftl")),
    (Lang::En, "rules", include_str!("../locales/en/rules.ftl")),
    (Lang::En, "dayplan", include_str!("../locales/en/dayplan.ftl")),
    (Lang::En, "mail", include_str!("../locales/en/mail.ftl")),
    (Lang::En, "orders", include_str!("../locales/en/orders.ftl")),
    (Lang::En, "backups", include_str!("../locales/en/backups.ftl")),
    (Lang::En, "accounts", include_str!("../locales/en/accounts.ftl")),
    (Lang::En, "twofactor", include_str!("../locales/en/twofactor.ftl")),
    (Lang::Cy, "common", include_str!("../locales/cy/common.ftl")),
    (Lang::Cy, "public", include_str!("../locales/cy/public.ftl")),
    (Lang::Cy, "letters", include_str!("../locales/cy/letters.ftl")),
    (Lang::Cy, "portal", include_str!("../locales/cy/portal.ftl")),
    (Lang::Cy, "rules", include_str!("../locales/cy/rules.ftl")),
    (Lang::Cy, "dayplan", include_str!("../locales/cy/dayplan.ftl")),
    (Lang::Cy, "mail", include_str!("../locales/cy/mail.ftl")),
    (Lang::Cy, "orders", include_str!("../locales/cy/orders.ftl")),
    (Lang::Cy, "backups", include_str!("../locales/cy/backups.ftl")),
    (Lang::Cy, "accounts", include_str!("../locales/cy/accounts.ftl")),
    (Lang::Cy, "twofactor", include_str!("../locales/cy/twofactor.ftl")),
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
    BUNDLES.0[index(lang)].has_message(key)
}

/// The words of a message in a language, with its variables. Missing in that language: the English;
/// missing in English too: the key itself (logged either way).
pub fn message(lang: Lang, key: &str, args: Option<&FluentArgs>) -> String {
    for (i, lang) in [lang, Lang::En].into_iter().enumerate() {
        let bundle = &BUNDLES.0[index(lang)];
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
    let bundle = &BUNDLES.0[index(lang)];
    let pattern = bundle.get_message(key)?.value()?;
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, None, &mut errors).into_owned();
    errors.is_empty().then_some(text)
}

/// A message whose variables are all text (names, dates, amounts): the common case in documents.
pub fn text(lang: Lang, key: &str, vars: &[(&str, &str)]) -> String {
    let args = args(vars.iter().map(|(name, value)| (*name, FluentValue::from(*value))));
    message(lang, key, Some(&args))
}

/// Variables for a message, from names and values (text or numbers).
pub fn args<'a>(pairs: impl IntoIterator<Item = (&'a str, FluentValue<'a>)>) -> FluentArgs<'a> {
    let mut args = FluentArgs::new();
    for (name, value) in pairs {
        args.set(name, value);
    }
    args
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalogues_parse_with_no_message_twice() {
        assert_eq!(check(), Vec::<String>::new());
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
