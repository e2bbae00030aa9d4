//! Reading the organisation's audit log (administrators), "who viewed this family" on a case (the
//! safeguarding lead and administrators), and recording the reads that show a family (decision
//! 0053). Reading the log is itself audited.

use super::authorize;
use crate::{AppError, AppState, Caller};
use familytime_domain::audit::AuditEntry;
use familytime_domain::authz::{Action, Object};
use familytime_domain::ids::CaseId;
use familytime_store::AuditEvent;
use familytime_store::audit_reads::CaseAccess;

/// Records that this request showed these families (`action` says what showed them): an entry per
/// case, each once, with the request's address kept beside the log for "who viewed".
pub async fn family_reads(
    state: &AppState,
    caller: &Caller,
    action: &'static str,
    cases: impl IntoIterator<Item = CaseId>,
) -> Result<(), AppError> {
    state
        .store
        .audit_family_reads(&caller.scope(state.clock.now()), &caller.client_addr, action, cases)
        .await?;
    Ok(())
}

/// How many entries a page of "who viewed this family" shows.
pub const CASE_ACCESS_PAGE: i64 = 50;

/// A page of "who viewed this family": the entries naming the case, newest first.
pub struct CaseAccessPage {
    pub reference: String,
    pub case_id: CaseId,
    pub entries: Vec<CaseAccess>,
    /// The page after this one, when there is more.
    pub older: Option<i64>,
}

/// Who read or changed this family's records, when, what and from where (the safeguarding lead and
/// administrators; the read is audited on the case too).
pub async fn case_access(
    state: &AppState,
    caller: &Caller,
    case: &str,
    before_seq: Option<i64>,
) -> Result<CaseAccessPage, AppError> {
    let file = crate::case_files::case_file(state, caller, case, Action::ViewCaseAccess).await?;
    let org = caller.user()?.organisation_id;
    let case_id = file.summary.id;
    let entries = state
        .store
        .case_access(org, case_id, before_seq, CASE_ACCESS_PAGE)
        .await?;
    family_reads(state, caller, "case.access.read", [case_id]).await?;
    let older = (entries.len() as i64 == CASE_ACCESS_PAGE)
        .then(|| entries.last().map(|e| e.seq))
        .flatten();
    Ok(CaseAccessPage {
        reference: file.summary.reference.clone(),
        case_id,
        entries,
        older,
    })
}

/// Whether the caller may see who viewed a case (the case page links to it exactly then).
pub fn may_see_case_access(caller: &Caller) -> bool {
    caller.actor().is_some_and(|a| {
        familytime_domain::authz::authorize(
            Some(&a),
            Action::ViewCaseAccess,
            &Object::Organisation(a.organisation_id),
        ) == familytime_domain::authz::Decision::Allow
    })
}

/// A page of entries, newest first, older than `before_seq`.
pub async fn list_entries(
    state: &AppState,
    caller: &Caller,
    before_seq: Option<i64>,
) -> Result<Vec<AuditEntry>, AppError> {
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ViewAuditLog, Object::Organisation(org)).await?;
    let entries = state
        .store
        .audit_entries(actor.organisation_id, before_seq, 100)
        .await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("audit.read", "organisation", org),
        )
        .await?;
    Ok(entries)
}

/// Reads `before=N` from a query string; anything else there is ignored, a non-number refused.
pub fn before_param(query: Option<&str>) -> Result<Option<i64>, AppError> {
    let Some(value) = query.and_then(|q| {
        form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "before")
            .map(|(_, v)| v.into_owned())
    }) else {
        return Ok(None);
    };
    value
        .trim()
        .parse()
        .map(Some)
        .map_err(|_| AppError::BadRequest("before must be an entry number".into()))
}

/// Makes a new audit key file at `to` (which must not exist), readable by its owner only.
pub fn make_audit_key(to: &std::path::Path) -> std::io::Result<()> {
    use std::io::Write;
    let mut bytes = [0_u8; 32];
    getrandom::getrandom(&mut bytes).map_err(|e| std::io::Error::other(e.to_string()))?;
    let key = familytime_domain::audit::AuditKey::from_bytes(bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(to)?;
    file.write_all(key.to_file_text().as_bytes())?;
    file.sync_all()
}
