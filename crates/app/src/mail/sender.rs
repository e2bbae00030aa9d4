//! Sending the outbox through an SMTP server with lettre (rustls with ring, no OpenSSL). The sender
//! claims what is due, sends each message with the Message-ID it was given when written, and marks
//! it sent (with the server's answer), queued again with a back-off (4xx, no connection), or failed
//! (5xx, an address that is not one). At least once: a sender killed between the server's
//! acceptance and the mark sends the message again when its lease runs out, with the same
//! Message-ID, by which the receiving side can drop the copy (decision 0044).

use super::MailSettings;
use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::mail::{self as rules, Outcome};
use familytime_store::AuditScope;
use familytime_store::mail::OutboxMessage;
use lettre::message::header::{ContentType, Header, HeaderName, HeaderValue};
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use std::time::Duration;

/// How long one SMTP conversation may take before it counts as the server being down.
const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

/// Messages claimed at a time.
const BATCH: i64 = 50;

/// An SMTP server to send through.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

/// The transport an address asks for: `smtp://` is STARTTLS, always (a server that cannot is
/// refused, not written to in the clear), except `smtp://…?tls=none` to a server on this machine
/// (a test server, or a relay on localhost); `smtps://` is TLS from the first byte.
fn transport(url: &str) -> Result<AsyncSmtpTransport<Tokio1Executor>, String> {
    let parsed = url::Url::parse(url.trim()).map_err(|_| "the SMTP URL is not a valid address".to_owned())?;
    let host = parsed
        .host_str()
        .filter(|h| !h.is_empty())
        .ok_or("the SMTP URL names no server")?
        .to_owned();
    let tls_asked = parsed
        .query_pairs()
        .find(|(k, _)| k == "tls")
        .map(|(_, v)| v.into_owned());
    let local = host == "localhost"
        || host.parse::<std::net::IpAddr>().is_ok_and(|ip| ip.is_loopback())
        || host
            .trim_matches(['[', ']'])
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let tls_parameters = || TlsParameters::new(host.clone()).map_err(|e| format!("TLS cannot be set up: {e}"));
    let (port, tls) = match (parsed.scheme(), tls_asked.as_deref()) {
        ("smtp", None | Some("required" | "starttls")) => (587, Tls::Required(tls_parameters()?)),
        ("smtp", Some("none")) if local => (25, Tls::None),
        ("smtp", Some("none")) => {
            return Err("tls=none is only allowed for an SMTP server on this machine (localhost)".into());
        }
        ("smtps", None | Some("wrapper")) => (465, Tls::Wrapper(tls_parameters()?)),
        (scheme, _) if scheme != "smtp" && scheme != "smtps" => {
            return Err("the SMTP URL must start with smtp:// (STARTTLS) or smtps:// (TLS)".into());
        }
        _ => return Err("the SMTP URL's tls= must be none (localhost only) or left out".into()),
    };
    let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host.clone())
        .port(parsed.port().unwrap_or(port))
        .tls(tls)
        .timeout(Some(SMTP_TIMEOUT));
    if !parsed.username().is_empty() {
        let decode =
            |s: &str| percent_decode(s).ok_or_else(|| "the SMTP URL's user or password is not valid UTF-8".to_owned());
        let user = decode(parsed.username())?;
        let password = decode(parsed.password().unwrap_or_default())?;
        builder = builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
            user, password,
        ));
    }
    Ok(builder.build())
}

/// `%40` and the like in a URL's user or password, decoded.
fn percent_decode(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

impl Mailer {
    /// The mailer the settings describe, or `None` when no SMTP server is configured (messages
    /// then stay in the outbox). A URL or From address that cannot work is an error, in words.
    pub fn from_settings(settings: &MailSettings) -> Result<Option<Mailer>, String> {
        let Some(url) = settings.smtp_url.as_deref().filter(|u| !u.trim().is_empty()) else {
            return Ok(None);
        };
        let from: Mailbox = settings
            .from_address()
            .parse()
            .map_err(|_| "--mail-from is not an e-mail address".to_owned())?;
        Ok(Some(Mailer {
            transport: transport(url)?,
            from,
        }))
    }

    /// Sends one message; `Ok(reply)` with what the server answered, or the outcome and why.
    pub async fn send(&self, message: &OutboxMessage, now: Timestamp) -> Result<String, (Outcome, String)> {
        let email = build(&self.from, message, now)?;
        match self.transport.send(email).await {
            Ok(response) => Ok(format!(
                "{} {}",
                response.code(),
                response.message().collect::<Vec<_>>().join(" ")
            )),
            Err(e) => {
                let code = e.status().map(u16::from);
                // A reply that is not a refusal (or no reply at all) is tried again.
                let outcome = match rules::outcome_of(code) {
                    Outcome::Failed => Outcome::Failed,
                    _ if e.is_permanent() => Outcome::Failed,
                    _ => Outcome::Retry,
                };
                Err((outcome, smtp_error(&e)))
            }
        }
    }
}

/// An SMTP error in words, without the address (the server's own words may name it, so only the
/// code and the kind are kept).
fn smtp_error(e: &lettre::transport::smtp::Error) -> String {
    match e.status() {
        Some(code) if e.is_permanent() => format!("refused by the mail server ({code})"),
        Some(code) => format!("the mail server asked to try later ({code})"),
        None if e.is_timeout() => "the mail server did not answer in time".into(),
        None => "could not reach the mail server".into(),
    }
}

/// The `Message-ID` header as written at enqueue.
#[derive(Clone)]
struct MessageId(String);

impl Header for MessageId {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("Message-ID")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(MessageId(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), format!("<{}>", self.0))
    }
}

/// The message as sent: plain text and HTML alternatives, and the invitation attached.
fn build(from: &Mailbox, m: &OutboxMessage, now: Timestamp) -> Result<Message, (Outcome, String)> {
    let to: Mailbox = m.address.parse().map_err(|_| {
        (
            Outcome::Failed,
            "the recipient's e-mail address is not valid".to_owned(),
        )
    })?;
    let alternative = MultiPart::alternative()
        .singlepart(SinglePart::plain(m.body_text.clone()))
        .singlepart(SinglePart::html(m.body_html.clone()));
    let body = match (&m.ics, &m.ics_method) {
        (Some(ics), Some(method)) => {
            let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}"))
                .map_err(|_| (Outcome::Failed, "the invitation's type".to_owned()))?;
            let name = if method == "CANCEL" { "cancel.ics" } else { "invite.ics" };
            MultiPart::mixed()
                .multipart(alternative)
                .singlepart(Attachment::new(name.to_owned()).body(ics.clone(), content_type))
        }
        _ => alternative,
    };
    let sent_at = std::time::UNIX_EPOCH + Duration::from_millis(u64::try_from(now.as_millisecond()).unwrap_or(0));
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(m.subject.clone())
        .date(sent_at)
        .header(MessageId(m.message_id.clone()))
        .multipart(body)
        .map_err(|_| (Outcome::Failed, "the message could not be built".to_owned()))
}

/// What one pass of the sender did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
}

fn scope(at: Timestamp, message: &OutboxMessage) -> AuditScope {
    AuditScope {
        at,
        request_id: "mail-sender".into(),
        actor_user_id: None,
        organisation_id: familytime_domain::ids::OrganisationId::parse(&message.organisation_id).ok(),
    }
}

/// Sends every message due now (a batch at a time, until none is due), each once.
pub async fn send_due(state: &AppState, mailer: &Mailer) -> Result<Pass, AppError> {
    let mut pass = Pass::default();
    loop {
        let now = state.clock.now();
        let lease = now
            .checked_add(jiff::SignedDuration::from_secs(rules::LEASE_SECONDS))
            .unwrap_or(now);
        let claimed = state.store.claim_due(now, lease, BATCH).await?;
        if claimed.is_empty() {
            return Ok(pass);
        }
        for message in &claimed {
            let now = state.clock.now();
            match mailer.send(message, now).await {
                Ok(reply) => {
                    state.store.mark_sent(&scope(now, message), message, &reply).await?;
                    pass.sent += 1;
                }
                Err((Outcome::Retry, why)) if !rules::gives_up(message.attempts) => {
                    let next = now
                        .checked_add(jiff::SignedDuration::from_secs(rules::retry_delay_seconds(
                            message.attempts,
                        )))
                        .unwrap_or(now);
                    state.store.mark_retry(message, next, &why).await?;
                    pass.retried += 1;
                    tracing::warn!(message = %message.id, attempts = message.attempts, "e-mail not sent; will try again");
                }
                Err((_, why)) => {
                    state.store.mark_failed(&scope(now, message), message, &why).await?;
                    pass.failed += 1;
                    tracing::warn!(message = %message.id, "e-mail failed");
                }
            }
        }
        if pass.retried > 0 && pass.sent == 0 {
            // The server is down or refusing for now: the rest wait for their own next attempt.
            return Ok(pass);
        }
    }
}

/// The sender in `serve`: a pass every few seconds, for as long as the server runs.
pub async fn send_forever(state: AppState, mailer: Mailer) {
    let mut every = tokio::time::interval(Duration::from_secs(5));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = send_due(&state, &mailer).await {
            tracing::warn!(error = e.message(), "the e-mail sender failed a pass");
        }
    }
}

/// `familytime mail send-test`: one message through the configured server, sent at once (not
/// queued), and what the server answered.
pub async fn send_test(state: &AppState, mailer: &Mailer, to: &str) -> Result<String, String> {
    let message = super::compose::test_message(state, to).map_err(|e| e.message())?;
    let now = state.clock.now();
    let stored = OutboxMessage {
        organisation_id: String::new(),
        id: message.id.clone(),
        kind: message.kind.to_owned(),
        recipient_user_id: None,
        recipient_party_id: None,
        address: message.address.clone(),
        language: message.language.to_owned(),
        subject: message.subject.clone(),
        body_text: message.text.clone(),
        body_html: message.html.clone(),
        ics: None,
        ics_method: None,
        message_id: message.message_id.clone(),
        booking_id: None,
        case_id: None,
        state: "sending".into(),
        attempts: 1,
        next_attempt_at: now.as_millisecond(),
        last_error: None,
        server_reply: None,
        created_at: now.as_millisecond(),
        sent_at: None,
        due_by: None,
    };
    mailer.send(&stored, now).await.map_err(|(_, why)| why)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (In a runtime: the transport's connection pool is dropped in one.)
    #[tokio::test]
    async fn smtp_urls_are_starttls_unless_they_say_otherwise() {
        assert!(transport("smtp://user:pass@mail.example.org:587").is_ok());
        assert!(transport("smtps://user:pass@mail.example.org").is_ok());
        assert!(transport("smtp://127.0.0.1:2525?tls=none").is_ok());
        assert!(transport("smtp://localhost:2525?tls=none").is_ok());
        let plain_far = transport("smtp://mail.example.org:25?tls=none")
            .err()
            .unwrap_or_default();
        assert!(plain_far.contains("localhost"), "{plain_far}");
        assert!(transport("http://mail.example.org").is_err());
        assert!(transport("not a url").is_err());
    }

    #[test]
    fn percent_escapes_in_the_password_are_decoded() {
        assert_eq!(percent_decode("p%40ss").as_deref(), Some("p@ss"));
        assert_eq!(percent_decode("plain").as_deref(), Some("plain"));
        assert_eq!(percent_decode("bad%4"), Some("bad%4".into()));
    }
}
