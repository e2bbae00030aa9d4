//! The `familytime` command: serve the application, migrate the database, manage accounts from the
//! shell, verify the audit log, and back up and restore. Every command takes the same `--data-dir` /
//! `--database-url`.

mod audit;
mod backups;
mod bench;
mod database;
mod demo;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use database::{DatabaseArgs, open};
use familytime_app::clock::{Clock, SystemClock};
use familytime_app::{AppState, Config};
use familytime_app::{accounts, people, scheduled_backups};
use familytime_domain::people::{Email, Role};
use familytime_store::{AuditScope, Store};
use std::io::Read;
use std::path::PathBuf;
use std::sync::Arc;

/// mimalloc in place of the system allocator: a request allocates and frees many small values
/// (rows, JSON, headers) across threads, where glibc's allocator spent about a tenth of the server's
/// CPU under the booking load (docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "familytime",
    version,
    about = "Runs a child contact centre or service: referrals, scheduling, sessions, reports and fees."
)]
struct Cli {
    #[command(flatten)]
    db: DatabaseArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web application and API.
    Serve(ServeArgs),
    /// Bring the database schema up to date (this also happens at every start).
    Migrate,
    /// Manage accounts from the shell.
    #[command(subcommand)]
    Users(UsersCommand),
    /// The audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Write an encrypted backup of the database and its documents while the server runs.
    Backup(backups::BackupArgs),
    /// Restore a backup into an empty data folder or database, then verify it.
    Restore(backups::RestoreArgs),
    /// Read a backup back and check it against its manifest, without restoring it.
    BackupCheck(backups::RestoreArgs),
    /// Make a new key file for encrypting backups (keep a copy away from the server).
    BackupKey {
        /// Where to write the key (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Make a new key file for signing the audit log (keep a copy away from the server and the
    /// database; give it to every command as --audit-key-file).
    AuditKey {
        /// Where to write the key (must not exist).
        #[arg(long)]
        to: PathBuf,
    },
    /// Benchmarks (figures printed as name=value lines).
    #[command(subcommand)]
    Bench(BenchCommand),
    /// E-mail: the outbox, and a test message through the configured SMTP server.
    #[command(subcommand)]
    Mail(MailCommand),
}

/// How e-mail is sent: the SMTP server and the From address (issue 17, decision 0044).
#[derive(Args, Clone)]
struct MailArgs {
    /// The SMTP server to send through: smtp://user:pass@host:port (STARTTLS, always), or
    /// smtps://user:pass@host:port (TLS from the start); smtp://127.0.0.1:PORT?tls=none only for a
    /// server on this machine. Without it messages are kept in the outbox, never lost.
    #[arg(long, env = "FAMILYTIME_SMTP_URL", hide_env_values = true)]
    smtp_url: Option<String>,
    /// The From address of every message.
    #[arg(long, env = "FAMILYTIME_MAIL_FROM", default_value = familytime_app::mail::MailSettings::DEFAULT_FROM)]
    mail_from: String,
}

impl MailArgs {
    fn settings(&self) -> familytime_app::mail::MailSettings {
        familytime_app::mail::MailSettings {
            smtp_url: self.smtp_url.clone(),
            from: self.mail_from.clone(),
        }
    }
}

#[derive(Subcommand)]
enum MailCommand {
    /// The outbox, newest first, a page at a time: queued, sending, sent and failed messages.
    Outbox {
        /// Only messages in this state: queued, sending, sent or failed.
        #[arg(long)]
        state: Option<String>,
        /// The page after this message id (as the last page's last line gives it).
        #[arg(long)]
        after: Option<String>,
        /// The organisation's name or id; needed when there is more than one.
        #[arg(long)]
        organisation: Option<String>,
    },
    /// Send one message through the configured SMTP server at once, and print what it answered.
    SendTest {
        /// The address to send it to.
        #[arg(long)]
        to: String,
        #[command(flatten)]
        mail: MailArgs,
    },
}

#[derive(Subcommand)]
enum BenchCommand {
    /// Builds a scheduling dataset in a fresh database and measures the free-time search, booking
    /// throughput through the HTTP API and memory. With --database-url the database must be empty.
    Schedule {
        /// How many past and future sessions to generate.
        #[arg(long, default_value_t = 200_000)]
        sessions: usize,
        /// How many centres share the sessions (the measured case is at the first).
        #[arg(long, default_value_t = 1)]
        centres: usize,
        /// How many bookings to make through the HTTP API.
        #[arg(long, default_value_t = 1_000)]
        requests: usize,
        /// Keep the dataset where --data-dir (or --database-url) says, and reuse one kept there
        /// before: then only the searches are measured (no build, no booking load).
        #[arg(long)]
        keep: bool,
    },
    /// Requests every GET route of the route table with real ids, through the real server and
    /// sign-in, as each role that may; prints p50 and p99 per route for each number of clients, and
    /// the server's memory. Exits with failure if any route answered an error.
    Pages {
        /// How many past and future sessions the dataset holds.
        #[arg(long, default_value_t = 2_000)]
        sessions: usize,
        /// How many centres share the sessions.
        #[arg(long, default_value_t = 5)]
        centres: usize,
        /// Build the dataset once in DIR (SQLite), or record the PostgreSQL database it was built in
        /// there, and reuse it on later runs with the same --keep.
        #[arg(long, value_name = "DIR")]
        keep: Option<PathBuf>,
        /// How many clients request each route at once: each number in turn.
        #[arg(long, value_delimiter = ',', default_values_t = [1, 8])]
        clients: Vec<usize>,
        /// Requests per route per client.
        #[arg(long, default_value_t = 20)]
        requests: usize,
        /// Also write the figures as JSON to FILE.
        #[arg(long, value_name = "FILE")]
        json: Option<PathBuf>,
    },
    /// Writes reminders all due at once to the outbox of a fresh database and sends them through
    /// the SMTP server given (a local sink): messages a second, and memory before and after.
    Mail {
        /// The SMTP server to send to, e.g. smtp://127.0.0.1:2525?tls=none (a server on this machine).
        #[arg(long)]
        smtp_url: String,
        /// How many reminders.
        #[arg(long, default_value_t = 10_000)]
        messages: usize,
    },
}

#[derive(Args)]
struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "FAMILYTIME_LISTEN", default_value = "127.0.0.1:8080")]
    listen: String,
    /// Start on a fresh database filled with a demo organisation, and print its accounts.
    #[arg(long)]
    demo: bool,
    /// Served over HTTPS by a proxy in front: cookies get Secure, HSTS is sent, and the client
    /// address is read from the proxy's X-Forwarded-For.
    #[arg(long, env = "FAMILYTIME_BEHIND_TLS_PROXY")]
    behind_tls_proxy: bool,
    /// The address people use to reach this server, e.g. https://contact.example.org: the setup
    /// link and the calendar feed addresses are built from it. Default: http:// and the --listen
    /// address, which only works on this machine.
    #[arg(long, env = "FAMILYTIME_PUBLIC_URL")]
    public_url: Option<String>,
    #[command(flatten)]
    mail: MailArgs,
    #[command(flatten)]
    backups: backups::ScheduledBackupArgs,
}

#[derive(Subcommand)]
enum UsersCommand {
    /// Add an account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// organisation-admin, coordinator, supervisor, volunteer, safeguarding-lead, referrer or parent
        #[arg(long)]
        role: String,
        /// The organisation's name or id; needed when there is more than one. With
        /// --role organisation-admin, an organisation of that name is created if there is none.
        #[arg(long)]
        organisation: Option<String>,
        /// Read the password from standard input (the only way: never on the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
    },
    /// Disable an account: its sessions and API tokens stop working at once.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Print a new personal API token for an account.
    Token {
        #[arg(long)]
        email: String,
        /// What the token is for.
        #[arg(long, default_value = "Command line")]
        name: String,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain, with the audit key and the checkpoint directory when
    /// given; exits 0 when intact, 1 naming the first bad entry.
    Verify,
    /// Write the sealed entries after entry SINCE to standard output as JSON lines (one entry per
    /// line, with its hash), oldest first, for an off-server log store; the next run continues from
    /// the last `seq` written.
    Export {
        /// Export the entries after this one (0: from the start).
        #[arg(long, default_value_t = 0)]
        since: i64,
    },
}

fn main() -> std::process::ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("familytime: cannot start: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("familytime: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// Logs to stderr at `default` (FAMILYTIME_LOG overrides it).
fn init_logging(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_env("FAMILYTIME_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .init();
}

fn cli_scope(organisation: Option<familytime_domain::ids::OrganisationId>) -> AuditScope {
    AuditScope {
        at: SystemClock.now(),
        request_id: format!("cli-{}", uuid_like()),
        actor_user_id: None,
        organisation_id: organisation,
    }
}

fn uuid_like() -> String {
    familytime_domain::ids::UserId::new_v7(SystemClock.now()).to_string()
}

async fn run(cli: Cli) -> Result<std::process::ExitCode> {
    match cli.command {
        Command::Serve(args) => serve(&cli.db, args).await?,
        Command::Migrate => {
            let store = open(&cli.db, "familytime-data").await?;
            let applied = store.migrate().await?;
            println!("database is up to date ({} backend)", store.backend());
            let _ = applied;
        }
        Command::Users(command) => users(&cli.db, command).await?,
        Command::Mail(command) => return mail(&cli.db, command).await,
        Command::Bench(BenchCommand::Schedule {
            sessions,
            centres,
            requests,
            keep,
        }) => {
            // Warnings only: a line per request would be measured along with the requests.
            init_logging("warn");
            bench::schedule(&cli.db, sessions, centres, requests, keep).await?;
        }
        Command::Bench(BenchCommand::Pages {
            sessions,
            centres,
            keep,
            clients,
            requests,
            json,
        }) => {
            init_logging("warn");
            let options = bench::pages::Options {
                sessions,
                centres,
                keep,
                clients,
                requests,
                json,
            };
            if !bench::pages::run(&cli.db, options).await? {
                return Ok(std::process::ExitCode::FAILURE);
            }
        }
        Command::Bench(BenchCommand::Mail { smtp_url, messages }) => {
            init_logging("warn");
            bench::mail::run(&cli.db, &smtp_url, messages).await?;
        }
        Command::Backup(args) => backups::backup(&cli.db, &args).await?,
        Command::Restore(args) => backups::restore(&cli.db, &args).await?,
        Command::BackupCheck(args) => backups::check(&cli.db, &args).await?,
        Command::BackupKey { to } => backups::make_key(&to)?,
        Command::AuditKey { to } => audit::make_key(&to)?,
        Command::Audit(AuditCommand::Export { since }) => audit::export(&cli.db, since).await?,
        Command::Audit(AuditCommand::Verify) => return audit::verify(&cli.db).await,
    }
    Ok(std::process::ExitCode::SUCCESS)
}

async fn serve(db: &DatabaseArgs, args: ServeArgs) -> Result<()> {
    init_logging("info,sqlx=warn");
    let store = if args.demo {
        demo::fresh_store(db).await?
    } else {
        open(db, "familytime-data").await?
    };
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    // Uploaded documents live beside the SQLite database (or in --data-dir with PostgreSQL), not in
    // whatever directory the server was started from.
    let data_dir = db.data_dir.clone().unwrap_or_else(|| {
        PathBuf::from(if args.demo {
            "familytime-demo"
        } else {
            "familytime-data"
        })
    });
    let backup_plan = args.backups.plan(familytime_store::Location::choose(
        db.database_url.as_deref(),
        &data_dir,
    )?)?;
    let listener = tokio::net::TcpListener::bind(&args.listen)
        .await
        .with_context(|| format!("cannot listen on {}", args.listen))?;
    let address = listener.local_addr()?;
    let base = public_url(args.public_url.as_deref(), address)?;
    let base = base.as_str();
    let config = Config {
        behind_tls_proxy: args.behind_tls_proxy,
        documents_dir: data_dir.join("documents"),
        public_url: base.to_owned(),
        mail: args.mail.settings(),
        ..Config::default()
    };
    // A wrong SMTP address stops the start, in words, rather than losing mail later.
    let mailer =
        familytime_app::mail::sender::Mailer::from_settings(&config.mail).map_err(|m| anyhow::anyhow!("{m}"))?;
    let state = AppState::new(store.clone(), clock.clone(), config).map_err(|e| anyhow::anyhow!("{e}"))?;
    if args.demo {
        let accounts = demo::seed(&store).await?;
        demo::print(base, &accounts);
    } else if let Some(token) = accounts::issue_setup_token(&store, clock.now())
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        println!();
        println!("familytime has no organisation yet. Open this one-time link to set it up:");
        println!();
        println!("    {base}/setup/{token}");
        println!();
    }
    if !store.audit_keyed() {
        println!("WARNING: the audit log is not signed (no --audit-key-file): see `familytime audit-key`");
    }
    println!("familytime is serving at {base} ({} database)", store.backend());
    tracing::info!(%address, backend = store.backend(), "serving");
    // Unpaid provisional bookings are released after each organisation's set time (if it set one).
    let sweeper = tokio::spawn(familytime_app::billing::release_unpaid_forever(state.clone()));
    // Reminders are written to the outbox whether or not mail is sent; the sender runs only with an
    // SMTP server and never in the demo (its messages are kept and shown).
    let reminders = tokio::spawn(familytime_app::mail::reminders::remind_forever(state.clone()));
    let sender = match mailer.filter(|_| !args.demo) {
        Some(mailer) => Some(tokio::spawn(familytime_app::mail::sender::send_forever(
            state.clone(),
            mailer,
        ))),
        None => {
            println!(
                "e-mail is not sent (no --smtp-url{}): messages are kept in the outbox",
                if args.demo { ", or --demo" } else { "" }
            );
            None
        }
    };
    let backups = backup_plan.map(|plan| {
        println!(
            "backups are made into {} every {} (the newest {} kept)",
            plan.dir.display(),
            args.backups.backup_every,
            plan.schedule.keep()
        );
        tokio::spawn(scheduled_backups::back_up_forever(state.clone(), plan))
    });
    familytime_web::serve(listener, state, shutdown_signal()).await?;
    sweeper.abort();
    if let Some(backups) = backups {
        backups.abort();
    }
    reminders.abort();
    if let Some(sender) = sender {
        sender.abort();
    }
    store.close().await;
    Ok(())
}

/// The address people reach the server at: `--public-url` (an http or https address, nothing
/// after the host but an optional path prefix), or else the address it listens on.
fn public_url(given: Option<&str>, listening: std::net::SocketAddr) -> anyhow::Result<String> {
    let Some(given) = given.map(str::trim).filter(|g| !g.is_empty()) else {
        return Ok(format!("http://{listening}"));
    };
    let host = given
        .strip_prefix("https://")
        .or_else(|| given.strip_prefix("http://"))
        .filter(|rest| !rest.is_empty() && !rest.starts_with('/') && !rest.contains(['?', '#', ' ']));
    anyhow::ensure!(
        host.is_some(),
        "--public-url must be an https:// (or http://) address such as https://contact.example.org, not {given:?}"
    );
    Ok(given.trim_end_matches('/').to_owned())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = terminate => {} }
    tracing::info!("shutting down");
}

async fn users(db: &DatabaseArgs, command: UsersCommand) -> Result<()> {
    let store = open(db, "familytime-data").await?;
    match command {
        UsersCommand::Add {
            email,
            name,
            role,
            organisation,
            password_stdin: _,
        } => {
            let mut password = String::new();
            std::io::stdin()
                .read_to_string(&mut password)
                .context("cannot read the password from standard input")?;
            let password = password.trim_end_matches(['\n', '\r']).to_owned();
            let role_parsed = Role::parse(&role).map_err(|m| anyhow::anyhow!("{m}"))?;
            let org = resolve_organisation(&store, organisation.as_deref(), role_parsed).await?;
            let input = people::NewUserInput {
                email,
                name,
                role,
                password,
                centre_ids: Vec::new(),
            };
            let user = people::add_user(&store, &cli_scope(Some(org)), org, &input)
                .await
                .map_err(describe)?;
            println!("added {} ({}) as {}", user.email, user.id, user.role.label());
        }
        UsersCommand::Disable { email } => {
            let user = find_user(&store, &email).await?;
            store
                .set_user_disabled(
                    &cli_scope(Some(user.organisation_id)),
                    user.organisation_id,
                    user.id,
                    true,
                )
                .await?;
            println!("disabled {}: its sessions and API tokens no longer work", user.email);
        }
        UsersCommand::Token { email, name } => {
            let user = find_user(&store, &email).await?;
            let (_, secret) = accounts::issue_api_token(&store, &cli_scope(Some(user.organisation_id)), &user, &name)
                .await
                .map_err(describe)?;
            println!("{secret}");
        }
    }
    Ok(())
}

/// `familytime mail …`: the outbox as a list, or a test message sent at once.
async fn mail(db: &DatabaseArgs, command: MailCommand) -> Result<std::process::ExitCode> {
    let store = open(db, "familytime-data").await?;
    match command {
        MailCommand::Outbox {
            state,
            after,
            organisation,
        } => {
            let org = resolve_organisation(&store, organisation.as_deref(), Role::Coordinator).await?;
            let only = state.as_deref().map(str::trim).filter(|s| !s.is_empty());
            if only.is_some_and(|s| !familytime_app::mail::outbox::STATES.contains(&s)) {
                bail!("--state must be queued, sending, sent or failed");
            }
            let request = familytime_store::paging::PageRequest::from_query(after.as_deref(), None, 50)
                .map_err(|m| anyhow::anyhow!("{m}"))?;
            let page = match store.outbox_page(org, only, &request).await {
                Err(familytime_store::StoreError::NotFound) => bail!("{}", familytime_store::paging::UNKNOWN_CURSOR),
                other => other?,
            };
            if page.items.is_empty() {
                println!("the outbox is empty");
            }
            for m in &page.items {
                let kind = familytime_domain::mail::MailKind::parse(&m.kind).map_or("message", |k| k.label());
                let created = familytime_store::schedule::ts_of(m.created_at);
                println!(
                    "{}  {:<8} {:<26} attempts={} to={} {}{}",
                    created.strftime("%Y-%m-%d %H:%M:%SZ"),
                    m.state,
                    kind,
                    m.attempts,
                    m.recipient().unwrap_or("-"),
                    m.id,
                    m.last_error.as_deref().map(|e| format!("  ({e})")).unwrap_or_default()
                );
            }
            if let Some(next) = page.next_after(|m| m.id.clone()) {
                println!("more: familytime mail outbox --after {next}");
            }
        }
        MailCommand::SendTest { to, mail } => {
            let settings = mail.settings();
            let Some(mailer) =
                familytime_app::mail::sender::Mailer::from_settings(&settings).map_err(|m| anyhow::anyhow!("{m}"))?
            else {
                bail!("no SMTP server is configured: give --smtp-url or FAMILYTIME_SMTP_URL");
            };
            let config = Config {
                mail: settings,
                ..Config::default()
            };
            let state =
                AppState::new(store.clone(), Arc::new(SystemClock), config).map_err(|e| anyhow::anyhow!("{e}"))?;
            match familytime_app::mail::sender::send_test(&state, &mailer, &to).await {
                Ok(reply) => println!("sent: the server answered {reply}"),
                Err(why) => {
                    println!("not sent: {why}");
                    store.close().await;
                    return Ok(std::process::ExitCode::FAILURE);
                }
            }
        }
    }
    store.close().await;
    Ok(std::process::ExitCode::SUCCESS)
}

/// An application error as a sentence for the shell, with each field's problem.
fn describe(err: familytime_app::AppError) -> anyhow::Error {
    match err {
        familytime_app::AppError::Invalid(errors) => {
            let lines: Vec<String> = errors
                .0
                .iter()
                .map(|e| format!("  --{}: {}", e.field.replace('_', "-"), e.message))
                .collect();
            anyhow::anyhow!("not added:\n{}", lines.join("\n"))
        }
        other => anyhow::anyhow!("{}", other.message()),
    }
}

async fn find_user(store: &Store, email: &str) -> Result<familytime_store::people::User> {
    let email = Email::parse(email).map_err(|m| anyhow::anyhow!("{m}"))?;
    match store.user_by_email(&email).await? {
        Some(user) => Ok(user),
        None => bail!("no account has that email address"),
    }
}

async fn resolve_organisation(
    store: &Store,
    name: Option<&str>,
    role: Role,
) -> Result<familytime_domain::ids::OrganisationId> {
    match name {
        Some(name) => {
            if let Some(org) = store.find_organisation(name).await? {
                return Ok(org.id);
            }
            if role != Role::OrganisationAdmin {
                bail!(
                    "no organisation is called {name:?} (an organisation admin can be added with a new organisation's name to create it)"
                );
            }
            let name = familytime_domain::text::required("the organisation's name", name, 120)
                .map_err(|m| anyhow::anyhow!("{m}"))?;
            let mut tx = store.begin().await?;
            let id = tx.insert_organisation(&cli_scope(None), &name).await?;
            tx.commit().await?;
            println!("created organisation {name:?}");
            Ok(id)
        }
        None => {
            let orgs = store.organisations().await?;
            match orgs.as_slice() {
                [only] => Ok(only.id),
                [] => bail!(
                    "there is no organisation yet: run `familytime serve` and open the setup link, or give --organisation NAME with --role organisation-admin"
                ),
                _ => bail!("there are several organisations: say which with --organisation"),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::public_url;

    #[test]
    fn the_public_url_is_an_http_address_or_the_listening_one() {
        let listening: std::net::SocketAddr = "127.0.0.1:8080".parse().unwrap();
        assert_eq!(public_url(None, listening).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(public_url(Some(" "), listening).unwrap(), "http://127.0.0.1:8080");
        assert_eq!(
            public_url(Some("https://contact.example.org/"), listening).unwrap(),
            "https://contact.example.org"
        );
        for wrong in [
            "contact.example.org",
            "https://",
            "https:///x",
            "ftp://x.org",
            "https://x.org/?a",
        ] {
            assert!(public_url(Some(wrong), listening).is_err(), "{wrong}");
        }
    }
}
