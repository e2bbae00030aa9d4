//! The API's paged lists (decision 0036): a list's query is checked against the names it takes (an
//! unknown one is refused, not ignored), and the answer stays a JSON array with the pages either
//! side given in a `Link` header (`rel="next"`, `rel="prev"`), whose URLs keep the list's filters.

use crate::AppError;
use axum::http::{HeaderMap, HeaderValue, header};
use familytime_store::paging::Page;
use std::collections::BTreeMap;

/// The names every paged list takes besides its own filters.
pub const PAGING: &[&str] = &["after", "before"];

/// The query's `name=value` pairs; a name that is neither one of `names` nor a paging one, or a name
/// given twice, is refused.
pub fn query_params(query: Option<&str>, names: &[&str]) -> Result<BTreeMap<String, String>, AppError> {
    let mut params = BTreeMap::new();
    for (name, value) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        if !names.contains(&name.as_ref()) && !PAGING.contains(&name.as_ref()) {
            let mut known: Vec<&str> = names.iter().chain(PAGING).copied().collect();
            known.sort_unstable();
            return Err(AppError::BadRequest(format!(
                "Unknown query parameter: {name} (this list takes {})",
                known.join(", ")
            )));
        }
        if params.insert(name.to_string(), value.into_owned()).is_some() {
            return Err(AppError::BadRequest(format!(
                "The query parameter {name} is given twice"
            )));
        }
    }
    Ok(params)
}

/// The `Link` header for a page of the list at `path` (the filters kept, the cursor replaced), or
/// nothing when the page is the whole list.
pub fn links<T>(path: &str, params: &BTreeMap<String, String>, page: &Page<T>, id: impl Fn(&T) -> String) -> HeaderMap {
    let url = |cursor: &str, at: String| {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (name, value) in params.iter().filter(|(n, _)| !PAGING.contains(&n.as_str())) {
            query.append_pair(name, value);
        }
        query.append_pair(cursor, &at);
        format!("{path}?{}", query.finish())
    };
    let mut parts = Vec::new();
    if let Some(next) = page.next_after(&id) {
        parts.push(format!("<{}>; rel=\"next\"", url("after", next)));
    }
    if let Some(previous) = page.previous_before(&id) {
        parts.push(format!("<{}>; rel=\"prev\"", url("before", previous)));
    }
    let mut headers = HeaderMap::new();
    if !parts.is_empty()
        && let Ok(value) = HeaderValue::from_str(&parts.join(", "))
    {
        headers.insert(header::LINK, value);
    }
    headers
}
