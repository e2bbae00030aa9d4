//! The outbox as people see it: every message for administrators, newest first a page at a time
//! (failed ones marked), and a case's messages for those who manage the case (coordinators see the
//! failed ones there). Neither shows the address a message went to: the person's own record does.

use crate::paging::page_read;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{Action, Object};
use familytime_domain::mail::MailKind;
use familytime_store::mail::OutboxMessage;
use familytime_store::paging::{Page, PageRequest};

/// One message as a list shows it.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub subject: String,
    /// The person it is to: a party of a case, or an account.
    pub recipient: Option<String>,
    pub state: String,
    pub attempts: i64,
    pub last_error: Option<String>,
    pub server_reply: Option<String>,
    pub booking_id: Option<String>,
    pub case_id: Option<String>,
    pub has_calendar: bool,
    pub created_at: familytime_domain::Timestamp,
    pub sent_at: Option<familytime_domain::Timestamp>,
    /// When a notice with a deadline must be sent by (the referrer's missed-session notice,
    /// decision 0050).
    pub due_by: Option<familytime_domain::Timestamp>,
}

impl OutboxItem {
    /// Not sent yet, and past the time it had to be sent by.
    pub fn overdue(&self, now: familytime_domain::Timestamp) -> bool {
        self.state != "sent" && self.due_by.is_some_and(|due| due < now)
    }
}

impl From<OutboxMessage> for OutboxItem {
    fn from(m: OutboxMessage) -> OutboxItem {
        let kind = MailKind::parse(&m.kind).unwrap_or(MailKind::Test);
        OutboxItem {
            recipient: m.recipient().map(str::to_owned),
            id: m.id,
            kind: kind.as_str(),
            kind_label: kind.label(),
            subject: m.subject,
            state: m.state,
            attempts: m.attempts,
            last_error: m.last_error,
            server_reply: m.server_reply,
            booking_id: m.booking_id,
            case_id: m.case_id,
            has_calendar: m.ics.is_some(),
            created_at: familytime_store::schedule::ts_of(m.created_at),
            sent_at: m.sent_at.map(familytime_store::schedule::ts_of),
            due_by: m.due_by.map(familytime_store::schedule::ts_of),
        }
    }
}

/// The states a list can be narrowed to.
pub const STATES: [&str; 4] = ["queued", "sending", "sent", "failed"];

/// One page of the organisation's outbox, newest first, of one state (`queued`, `sending`, `sent`,
/// `failed`) or all. Administrators only.
pub async fn outbox(
    state: &AppState,
    caller: &Caller,
    only: Option<&str>,
    request: &PageRequest,
) -> Result<Page<OutboxItem>, AppError> {
    let org = caller.user()?.organisation_id;
    authorize(state, caller, Action::ViewOutbox, Object::Organisation(org)).await?;
    let only = match only.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) if STATES.contains(&s) => Some(s),
        Some(_) => {
            return Err(AppError::BadRequest(
                "state must be queued, sending, sent or failed".into(),
            ));
        }
    };
    let page = page_read(state.store.outbox_page(org, only, request).await)?;
    // The outbox names the families' messages: its reading is audited.
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            familytime_store::AuditEvent::ok("mail.outbox.read", "organisation", org),
        )
        .await?;
    Ok(page.map(OutboxItem::from))
}

/// A case's messages, newest first, for those who manage the case.
pub async fn case_messages(state: &AppState, caller: &Caller, case: &str) -> Result<Vec<OutboxItem>, AppError> {
    let file = crate::case_files::case_file(state, caller, case, Action::ManageCases).await?;
    let org = caller.user()?.organisation_id;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            familytime_store::AuditEvent::ok("mail.case_messages.read", "case", file.summary.id),
        )
        .await?;
    Ok(state
        .store
        .case_messages(org, &file.summary.id.to_string())
        .await?
        .into_iter()
        .map(OutboxItem::from)
        .collect())
}
