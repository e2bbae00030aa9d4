//! E-mail (issue 17, decision 0044), one module per use case:
//! - `compose`: the messages about a session, in each recipient's language, from the template files
//!   (`crates/app/templates/mail/`) and the words in `mail.ftl`, with an `.ics` invitation; written
//!   to the outbox by the store in the transaction of the event that causes them
//! - `sender`: SMTP through lettre; claims due messages, sends them, marks them sent, retried or
//!   failed (audited), and `send-test`
//! - `reminders`: the job that writes the reminders due before each confirmed session, once each
//! - `outbox`: the outbox as administrators see it, and a case's messages
//! - `account_mail`: invitations and "forgot password" links (decision 0051)
//! - `print_queue`: letters to people with no e-mail address, to print and mark posted (decision 0051)
//! - `preview`: what each adult of a booking would be sent, shown to staff, not sent (decision 0051)
//! - `notices`: the messages to referrers (referral received, accepted or declined, a missed or
//!   stopped session), the report-released link and the self-referral acknowledgement (decision 0050)

pub mod account_mail;
pub mod compose;
pub mod notices;
pub mod outbox;
pub mod preview;
pub mod print_queue;
pub mod reminders;
pub mod sender;

/// How this server sends e-mail: through an SMTP server, or not at all (messages are kept in the
/// outbox and shown, never lost).
#[derive(Clone, Default)]
pub struct MailSettings {
    /// `smtp://user:pass@host:port` (STARTTLS), `smtps://…` (TLS from the start); `None`: no
    /// sending. Never shown or logged whole: it holds a password.
    pub smtp_url: Option<String>,
    /// The From address (`--mail-from`).
    pub from: String,
}

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp_url.is_some())
            .field("from", &self.from)
            .finish()
    }
}

impl MailSettings {
    /// The From address when none is configured.
    pub const DEFAULT_FROM: &'static str = "familytime@localhost";

    pub fn from_address(&self) -> &str {
        let from = self.from.trim();
        if from.is_empty() { Self::DEFAULT_FROM } else { from }
    }

    /// The domain of the From address, which Message-IDs are made in.
    pub fn domain(&self) -> &str {
        self.from_address()
            .rsplit_once('@')
            .map(|(_, d)| d.trim_end_matches('>'))
            .filter(|d| !d.is_empty())
            .unwrap_or("localhost")
    }
}
