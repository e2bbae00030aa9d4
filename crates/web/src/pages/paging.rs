//! The links to the pages either side of a paged list, for a page's template (`pagination.html`;
//! decision 0036). Each link keeps the list's filters and carries the cursor the store reads from.

use familytime_store::paging::Page;

/// The lists that are paged, by the stable name a `Pager` carries (`what`); each has its words in
/// the catalogues (`pager-label-{what}`, `pager-page-of-{what}`, `pager-of-{what}`).
pub const PAGED: [&str; 6] = ["cases", "closed-concerns", "people", "outbox", "print-queue", "backups"];

/// The catalogue keys the pagination makes from the lists' names.
pub fn catalogue_keys() -> Vec<String> {
    PAGED
        .iter()
        .flat_map(|what| ["pager-label", "pager-page-of", "pager-of"].map(|p| format!("{p}-{what}")))
        .collect()
}

/// "Previous", "First page" and "Next page", where there is such a page.
pub struct Pager {
    /// What the list holds, one of `PAGED`, for the links' words.
    pub what: &'static str,
    pub previous: Option<String>,
    pub first: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// The links for `page` of the list at `path`, with the filters in `params` (blank ones left out).
    pub fn new<T>(
        what: &'static str,
        path: &str,
        params: &[(&str, &str)],
        page: &Page<T>,
        id: impl Fn(&T) -> String,
    ) -> Pager {
        let url = |cursor: Option<(&str, String)>| {
            let mut query = form_urlencoded::Serializer::new(String::new());
            for (name, value) in params.iter().filter(|(_, v)| !v.trim().is_empty()) {
                query.append_pair(name, value);
            }
            if let Some((name, at)) = &cursor {
                query.append_pair(name, at);
            }
            let query = query.finish();
            if query.is_empty() {
                path.to_owned()
            } else {
                format!("{path}?{query}")
            }
        };
        Pager {
            what,
            previous: page.previous_before(&id).map(|at| url(Some(("before", at)))),
            first: page.more_before.then(|| url(None)),
            next: page.next_after(&id).map(|at| url(Some(("after", at)))),
        }
    }
}
