//! Keyset paging of the lists that grow (decision 0036): a page is read from where the last one
//! ended, through an index in the list's order, and stops after a page; never an offset, which
//! would read and throw away every row before it.

/// Rows on one page unless asked otherwise.
pub const PAGE_SIZE: usize = 50;

/// The most rows a page may hold.
pub const MAX_PAGE_SIZE: usize = 200;

/// Which page to read: the first, or the one just after or just before a known item (by its id;
/// the store reads that item's place in the order by its key).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum PageAt {
    #[default]
    First,
    After(String),
    Before(String),
}

/// What to read: where, and how many.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageRequest {
    pub at: PageAt,
    pub size: usize,
}

impl Default for PageRequest {
    fn default() -> Self {
        PageRequest {
            at: PageAt::First,
            size: PAGE_SIZE,
        }
    }
}

/// One page of a list, in the list's order, and whether there is more on either side.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub more_before: bool,
    pub more_after: bool,
}

impl<T> Page<T> {
    /// The id to read the next page after, when there is one.
    pub fn next_after<'a>(&'a self, id: impl Fn(&'a T) -> String) -> Option<String> {
        self.more_after.then(|| self.items.last().map(id)).flatten()
    }

    /// The id to read the previous page before, when there is one.
    pub fn previous_before<'a>(&'a self, id: impl Fn(&'a T) -> String) -> Option<String> {
        self.more_before.then(|| self.items.first().map(id)).flatten()
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            items: self.items.into_iter().map(f).collect(),
            more_before: self.more_before,
            more_after: self.more_after,
        }
    }
}

/// The parts of a keyset read: the comparison with the cursor's key and the order to read in, for a
/// list ordered by `(key, id)` (descending when `newest_first`). `first` is the number of the first
/// of the two parameters holding the cursor's key and id. Reading before the cursor runs the order
/// backwards; `finish` puts the rows back.
pub(crate) struct Keyset {
    pub condition: String,
    pub order: String,
    backwards: bool,
    size: usize,
    at_cursor: bool,
}

impl Keyset {
    pub(crate) fn new(request: &PageRequest, key: &str, id: &str, newest_first: bool, first: usize) -> Keyset {
        let backwards = matches!(request.at, PageAt::Before(_));
        // Reading forwards in a newest-first list goes down the keys; backwards, up.
        let down = newest_first != backwards;
        let (cmp, dir) = if down { ("<", "DESC") } else { (">", "ASC") };
        let condition = match request.at {
            PageAt::First => String::new(),
            _ => format!(" AND ({key}, {id}) {cmp} (${first}, ${})", first + 1),
        };
        Keyset {
            condition,
            order: format!("ORDER BY {key} {dir}, {id} {dir} LIMIT {}", request.size + 1),
            backwards,
            size: request.size,
            at_cursor: request.at != PageAt::First,
        }
    }

    /// The rows read (one more than a page, to know whether there is more), as a page in the list's
    /// order.
    pub(crate) fn finish<T>(&self, mut rows: Vec<T>) -> Page<T> {
        let more = rows.len() > self.size;
        rows.truncate(self.size);
        if self.backwards {
            rows.reverse();
            Page {
                items: rows,
                more_before: more,
                more_after: true,
            }
        } else {
            Page {
                items: rows,
                more_before: self.at_cursor,
                more_after: more,
            }
        }
    }
}

/// The id the request reads from, if any.
pub(crate) fn cursor(request: &PageRequest) -> Option<&str> {
    match &request.at {
        PageAt::First => None,
        PageAt::After(id) | PageAt::Before(id) => Some(id.as_str()),
    }
}

/// `$a, $b, …` for `count` parameters numbered from `first`.
pub(crate) fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// What is said of a cursor that is not one this server gave out (or whose item is gone).
pub const UNKNOWN_CURSOR: &str =
    "The page asked for is not known: start again from the first page of the list (leave out after and before)";

impl PageRequest {
    /// The page a query asks for with `after=` or `before=` (the id of an item, as given in the
    /// list's links), `size` rows long. Refused with `UNKNOWN_CURSOR` when a cursor is not an id,
    /// or when both are given.
    pub fn from_query(after: Option<&str>, before: Option<&str>, size: usize) -> Result<PageRequest, &'static str> {
        let id = |text: &str| {
            uuid::Uuid::try_parse(text.trim())
                .map(|u| u.to_string())
                .map_err(|_| UNKNOWN_CURSOR)
        };
        let after = after.filter(|a| !a.trim().is_empty());
        let before = before.filter(|b| !b.trim().is_empty());
        let at = match (after, before) {
            (None, None) => PageAt::First,
            (Some(a), None) => PageAt::After(id(a)?),
            (None, Some(b)) => PageAt::Before(id(b)?),
            (Some(_), Some(_)) => return Err("Ask for the page after an item or before one, not both"),
        };
        Ok(PageRequest {
            at,
            size: size.clamp(1, MAX_PAGE_SIZE),
        })
    }
}

/// A column a page is ordered by, as the cursor's look-up reads it on either database.
pub(crate) trait SortKey:
    Send
    + Unpin
    + for<'r> sqlx::Decode<'r, sqlx::Sqlite>
    + sqlx::Type<sqlx::Sqlite>
    + for<'r> sqlx::Decode<'r, sqlx::Postgres>
    + sqlx::Type<sqlx::Postgres>
{
}
impl SortKey for i64 {}
impl SortKey for String {}

impl crate::Store {
    /// Where the request's cursor stands: the sort key of the item it names, read by its primary
    /// key within the organisation, with its id (`None` on the first page). A cursor naming no item
    /// of the organisation is `NotFound`.
    pub(crate) async fn cursor_key<K: SortKey>(
        &self,
        request: &PageRequest,
        table: &'static str,
        column: &'static str,
        organisation: &str,
    ) -> crate::Result<Option<(K, String)>> {
        let Some(id) = cursor(request) else {
            return Ok(None);
        };
        let sql = format!("SELECT {column} FROM {table} WHERE organisation_id = $1 AND id = $2");
        let key: Option<K> = crate::with_pool!(self, |p| sqlx::query_scalar(sqlx::AssertSqlSafe(sql.as_str()))
            .bind(organisation)
            .bind(id)
            .fetch_optional(p)
            .await)?;
        Ok(Some((key.ok_or(crate::StoreError::NotFound)?, id.to_owned())))
    }
}
