//! The two steps every paged list takes at the application's edge: the page asked for (`after` /
//! `before` as the list's links give them) read once into a `PageRequest`, and a cursor the store
//! cannot place (an old or hand-typed link) answered as bad input, not as a missing page.

use crate::AppError;
use familytime_store::StoreError;
use familytime_store::paging::{PAGE_SIZE, Page, PageRequest, UNKNOWN_CURSOR};

/// The page after (or before) the item given, of the usual size.
pub fn page_request(after: Option<&str>, before: Option<&str>) -> Result<PageRequest, AppError> {
    PageRequest::from_query(after, before, PAGE_SIZE).map_err(|m| AppError::BadRequest(m.into()))
}

/// A page read from the store, with a cursor that names nothing refused in words.
pub fn page_read<T>(read: Result<Page<T>, StoreError>) -> Result<Page<T>, AppError> {
    match read {
        Err(StoreError::NotFound) => Err(AppError::BadRequest(UNKNOWN_CURSOR.into())),
        other => Ok(other?),
    }
}
