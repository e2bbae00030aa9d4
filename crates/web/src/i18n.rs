//! The language of a request (decision 0039): decided once per request by
//! `middleware::language` and read by the page shell through a task-local, so that no handler has
//! to carry it; and the link that reopens a page in the other language. The words themselves, and
//! dates in each language, come from `familytime_i18n`, re-exported here.

pub use familytime_i18n::*;

use std::future::Future;

/// What was decided about a request's language: the language, and where the link to the other
/// language goes (this page, in the other language); and what it was decided from, so that once
/// sign-in knows who is reading, their own choice can take its place in the order
/// (`familytime_domain::language::page_language`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chosen {
    pub lang: Lang,
    pub switch_href: String,
    /// `?lang=` in the address.
    pub asked: Option<Lang>,
    /// The `ft_lang` cookie.
    pub remembered: Option<Lang>,
    /// The browser's `Accept-Language`.
    pub browser: Option<Lang>,
    /// This page's path and query, for the language link.
    pub path: String,
    pub query: Option<String>,
}

impl Default for Chosen {
    fn default() -> Self {
        Chosen {
            lang: Lang::En,
            switch_href: "/?lang=cy".to_owned(),
            asked: None,
            remembered: None,
            browser: None,
            path: "/".to_owned(),
            query: None,
        }
    }
}

impl Chosen {
    /// What was asked for, remembered or preferred by the browser, with the page in `lang` and its
    /// link to the other language.
    pub fn new(
        asked: Option<Lang>,
        remembered: Option<Lang>,
        browser: Option<Lang>,
        path: &str,
        query: Option<&str>,
    ) -> Chosen {
        let lang = asked.or(remembered).or(browser).unwrap_or_default();
        Chosen {
            lang,
            switch_href: switch_href(path, query, lang.other()),
            asked,
            remembered,
            browser,
            path: path.to_owned(),
            query: query.map(str::to_owned),
        }
    }

    /// The same request in another language (once the reader is known).
    pub fn in_lang(&self, lang: Lang) -> Chosen {
        Chosen {
            lang,
            switch_href: switch_href(&self.path, self.query.as_deref(), lang.other()),
            ..self.clone()
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
    fn the_switch_link_keeps_the_page_and_its_answers() {
        assert_eq!(switch_href("/prices", None, Lang::Cy), "/prices?lang=cy");
        assert_eq!(
            switch_href("/which-service", Some("abuse=no&lang=cy&care=not-sure"), Lang::En),
            "/which-service?abuse=no&care=not-sure&lang=en"
        );
    }
}
