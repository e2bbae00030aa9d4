//! The messages that carry a link to set a password (decision 0051): an account's invitation and a
//! "forgot password" link, in the reader's language, laid out by the same templates as every
//! message. The link is the only secret in them; the subject says only what the message is.

use super::compose::Body;
use crate::{AppError, AppState};
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::language::Lang;
use familytime_domain::mail::MailKind;
use familytime_i18n as i18n;
use familytime_store::mail::NewMessage;
use familytime_store::people::User;

/// Who a link is sent to.
#[derive(Clone)]
pub struct LinkRecipient {
    pub organisation_id: OrganisationId,
    pub user_id: UserId,
    pub address: String,
    pub preferred_language: Option<Lang>,
}

impl LinkRecipient {
    pub fn of_user(user: &User) -> LinkRecipient {
        LinkRecipient {
            organisation_id: user.organisation_id,
            user_id: user.id,
            address: user.email.clone(),
            preferred_language: user.preferred_language,
        }
    }
}

/// The message of `kind` (an invitation or a reset link) carrying `url`, which works for `hours`.
pub async fn link_message(
    state: &AppState,
    to: &LinkRecipient,
    kind: MailKind,
    url: &str,
    hours: i64,
) -> Result<NewMessage, AppError> {
    let organisation = state.store.organisation(to.organisation_id).await?;
    let policy = state.store.language_policy(to.organisation_id).await?;
    let lang = policy.for_reader(to.preferred_language);
    let t = |key: &str, vars: &[(&str, &str)]| i18n::text(lang, key, vars);
    let hours_text = hours.to_string();
    let (intro, ignore) = match kind {
        MailKind::AccountInvitation => ("mail-invitation-intro", "mail-invitation-ignore"),
        MailKind::PasswordReset => ("mail-password-reset-intro", "mail-password-reset-ignore"),
        _ => return Err(AppError::Internal("a link message of another kind")),
    };
    let key = kind.key();
    let body = Body {
        html_lang: lang.html_lang(),
        subject: t(&format!("mail-subject-{key}"), &[]),
        heading: t(&format!("mail-heading-{key}"), &[]),
        greeting: t("mail-greeting", &[]),
        paragraphs: vec![
            t(intro, &[("organisation", &organisation.name)]),
            t("mail-link-works", &[("hours", &hours_text)]),
        ],
        facts: vec![(t("mail-fact-account-link", &[]), url.to_owned())],
        closing: vec![t(ignore, &[])],
        footer: t("mail-link-footer", &[("organisation", &organisation.name)]),
    };
    let (text, html) = body.render()?;
    let id = uuid::Uuid::now_v7().to_string();
    Ok(NewMessage {
        message_id: format!("{id}@{}", state.config.mail.domain()),
        id,
        kind: kind.as_str(),
        // Each link is a new message: a resend is sent, not merged with the last.
        dedupe_key: None,
        recipient_user_id: Some(to.user_id.to_string()),
        recipient_party_id: None,
        address: to.address.trim().to_owned(),
        language: lang.code(),
        subject: body.subject,
        text,
        html,
        ics: None,
        booking_id: None,
        case_id: None,
    })
}
