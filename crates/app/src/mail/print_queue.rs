//! The print queue (decision 0051): letters to people with no e-mail address, listed for
//! coordinators (only those of cases at their centres), each as a PDF through the letters' path
//! (decision 0045) in the reader's language, and marked posted (audited). Reading a letter is
//! audited as a read of the case.

use crate::paging::{page_read, page_request};
use crate::paper::render;
use crate::{AppError, AppState, Caller, authorize};
use familytime_domain::authz::{self, Action, Actor, Object};
use familytime_domain::ids::{CentreId, UserId};
use familytime_domain::language::Lang;
use familytime_domain::mail::MailKind;
use familytime_reports::{Block, Document, DocumentKind};
use familytime_store::AuditEvent;
use familytime_store::letters::Letter;
use familytime_store::paging::Page;

/// A letter as the queue lists it.
#[derive(Debug, Clone)]
pub struct LetterItem {
    pub id: String,
    pub kind_label: &'static str,
    pub subject: String,
    pub case_id: String,
    pub case_reference: String,
    pub recipient_name: String,
    pub created_at: familytime_domain::Timestamp,
}

fn case_object(actor: &Actor, letter: &Letter) -> Object {
    Object::Case {
        organisation: actor.organisation_id,
        centre: CentreId::parse(&letter.centre_id).unwrap_or_else(|_| CentreId::new_v7(jiff::Timestamp::UNIX_EPOCH)),
        referred_by: letter.referrer_user_id.as_deref().and_then(|u| UserId::parse(u).ok()),
    }
}

/// One page of the letters waiting to be posted, oldest first, of cases at the caller's centres.
pub async fn letters(
    state: &AppState,
    caller: &Caller,
    after: Option<&str>,
    before: Option<&str>,
) -> Result<Page<LetterItem>, AppError> {
    let request = page_request(after, before)?;
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ManagePrintQueue, Object::Organisation(org)).await?;
    let page = page_read(state.store.letters_to_print(org, &request).await)?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("letters.read", "organisation", org),
        )
        .await?;
    let mut page = page;
    page.items
        .retain(|l| authz::listed(&actor, Action::ManagePrintQueue, &case_object(&actor, l)));
    Ok(page.map(|l| LetterItem {
        kind_label: MailKind::parse(&l.kind).map_or("Message", |k| k.label()),
        id: l.id,
        subject: l.subject,
        case_id: l.case_id,
        case_reference: l.case_reference,
        recipient_name: l.recipient_name,
        created_at: familytime_store::schedule::ts_of(l.created_at),
    }))
}

/// One letter, for someone who may print the letters of its case (another centre's is 404).
async fn letter(state: &AppState, caller: &Caller, id: &str) -> Result<Letter, AppError> {
    let id = uuid::Uuid::try_parse(id.trim())
        .map_err(|_| AppError::NotFound)?
        .to_string();
    let org = caller.user()?.organisation_id;
    let actor = authorize(state, caller, Action::ManagePrintQueue, Object::Organisation(org)).await?;
    let letter = state.store.letter(org, &id).await?;
    authorize(state, caller, Action::ManagePrintQueue, case_object(&actor, &letter)).await?;
    Ok(letter)
}

/// The letter as a PDF in its reader's language: the message's own words, its subject as the
/// letter's title. It names nobody's address: the envelope is addressed from the case file.
pub async fn letter_pdf(state: &AppState, caller: &Caller, id: &str) -> Result<Vec<u8>, AppError> {
    let letter = letter(state, caller, id).await?;
    let org = caller.user()?.organisation_id;
    let organisation = state.store.organisation(org).await?;
    state
        .store
        .audit(
            &caller.scope(state.clock.now()),
            AuditEvent::ok("letter.read", "letter", &letter.id),
        )
        .await?;
    let lang = Lang::parse(&letter.language).unwrap_or(Lang::En);
    let written = familytime_store::schedule::ts_of(letter.created_at)
        .to_zoned(jiff::tz::TimeZone::UTC)
        .date();
    let blocks = letter
        .body_text
        .split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| Block::Paragraph(p.to_owned()))
        .collect();
    let document = Document {
        kind: DocumentKind::Letter,
        lang,
        organisation: organisation.name,
        title: letter.subject.clone(),
        reference: Some(letter.case_reference.clone()),
        meta: vec![
            (
                crate::paper::w(lang, "pdf-date"),
                familytime_i18n::dates::date(lang, written),
            ),
            (crate::paper::w(lang, "pdf-to"), letter.recipient_name.clone()),
        ],
        caveat: None,
        blocks,
        footer_note: None,
    };
    render(vec![document], "the letter could not be typeset").await
}

/// Marks a letter posted (by the caller, now), audited; one already posted is refused (409).
pub async fn mark_posted(state: &AppState, caller: &Caller, id: &str) -> Result<(), AppError> {
    let letter = letter(state, caller, id).await?;
    let user = caller.user()?;
    Ok(state
        .store
        .mark_letter_posted(
            &caller.scope(state.clock.now()),
            user.organisation_id,
            &letter.id,
            user.id,
        )
        .await?)
}
