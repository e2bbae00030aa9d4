//! `familytime bench mail --smtp-url URL [--messages N]` (issue 17, decision 0051): writes N
//! reminders (10,000 unless told), all due at once, to the outbox of a fresh database, then sends
//! them through the SMTP server at URL (a local sink, such as the tests' aiosmtpd) with the
//! application's own sender, and prints messages a second and this process's memory (VmRSS)
//! before and after, and its peak (VmHWM). One `name=value` line per figure.

use super::{memory_mb, tempdir};
use crate::database::{DatabaseArgs, open};
use anyhow::{Result, anyhow, bail};
use familytime_app::clock::{Clock, SystemClock};
use familytime_app::mail::MailSettings;
use familytime_app::mail::compose::Body;
use familytime_app::mail::sender::{Mailer, send_due};
use familytime_app::people::{NewUserInput, add_user};
use familytime_app::{AppState, Config};
use familytime_store::AuditScope;
use familytime_store::mail::NewMessage;
use std::sync::Arc;
use std::time::Instant;

/// Messages written per transaction while the outbox is filled.
const WRITE_CHUNK: usize = 500;

pub async fn run(db: &DatabaseArgs, smtp_url: &str, messages: usize) -> Result<()> {
    if messages == 0 {
        bail!("--messages must be at least 1");
    }
    let store = match &db.database_url {
        Some(_) => open(db, "unused").await?,
        None => {
            let args = DatabaseArgs {
                data_dir: Some(tempdir()?),
                database_url: None,
                ..db.clone()
            };
            open(&args, "unused").await?
        }
    };
    store.migrate().await?;
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let now = clock.now();
    let scope = AuditScope {
        at: now,
        request_id: "bench-mail".into(),
        actor_user_id: None,
        organisation_id: None,
    };
    let mut tx = store.begin().await?;
    let org = tx.insert_organisation(&scope, "Bench Mail").await?;
    tx.commit().await?;
    let scope = AuditScope {
        organisation_id: Some(org),
        ..scope
    };
    let parent = add_user(
        &store,
        &scope,
        org,
        &NewUserInput {
            email: "parent@bench.example".into(),
            name: "Bench Parent".into(),
            role: "parent".into(),
            password: familytime_app::secrets::random_token(),
            centre_ids: Vec::new(),
        },
    )
    .await
    .map_err(|e| anyhow!(e.message()))?;
    let body = Body {
        html_lang: "en-GB",
        subject: "Reminder: your session on Saturday".into(),
        heading: "Your session is in two days".into(),
        greeting: "Hello,".into(),
        paragraphs: vec!["This is a reminder of your session at Bench Centre.".into()],
        facts: vec![
            ("Arrive at".into(), "10:00".into()),
            ("Leave at".into(), "12:00".into()),
        ],
        closing: vec!["If you cannot come, tell the centre as soon as you can.".into()],
        footer: "Bench Centre".into(),
    };
    let (text, html) = body.render().map_err(|e| anyhow!(e.message()))?;
    let written = Instant::now();
    let mut batch = Vec::with_capacity(WRITE_CHUNK);
    for n in 0..messages {
        let id = familytime_domain::ids::UserId::new_v7(now).to_string();
        batch.push(NewMessage {
            message_id: format!("{id}@bench.example"),
            id,
            kind: "reminder_48h",
            dedupe_key: Some(format!("bench:{n}")),
            recipient_user_id: Some(parent.id.to_string()),
            recipient_party_id: None,
            address: format!("parent{n}@bench.example"),
            language: "en",
            subject: body.subject.clone(),
            text: text.clone(),
            html: html.clone(),
            ics: None,
            booking_id: None,
            case_id: None,
        });
        if batch.len() == WRITE_CHUNK || n + 1 == messages {
            store.enqueue(org, &batch, now).await?;
            batch.clear();
        }
    }
    println!("messages={messages}");
    println!("write_seconds={:.2}", written.elapsed().as_secs_f64());
    let config = Config {
        mail: MailSettings {
            smtp_url: Some(smtp_url.to_owned()),
            from: "bench@bench.example".into(),
        },
        ..Config::default()
    };
    let state = AppState::new(store.clone(), clock, config.clone()).map_err(|e| anyhow!(e.message()))?;
    let mailer = Mailer::from_settings(&config.mail)
        .map_err(|e| anyhow!(e))?
        .ok_or_else(|| anyhow!("--smtp-url is needed"))?;
    println!("rss_before_send_mb={:.1}", memory_mb("VmRSS:"));
    let started = Instant::now();
    let pass = send_due(&state, &mailer).await.map_err(|e| anyhow!(e.message()))?;
    let seconds = started.elapsed().as_secs_f64();
    println!("sent={}", pass.sent);
    println!("retried={}", pass.retried);
    println!("failed={}", pass.failed);
    println!("send_seconds={seconds:.2}");
    println!("messages_per_second={:.0}", pass.sent as f64 / seconds.max(0.001));
    println!("rss_after_send_mb={:.1}", memory_mb("VmRSS:"));
    println!("rss_peak_mb={:.1}", memory_mb("VmHWM:"));
    if pass.sent != messages {
        bail!("{} of {messages} messages were sent", pass.sent);
    }
    Ok(())
}
