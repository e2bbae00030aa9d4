//! SQLite's writer queue with group commit (decisions 0010 and 0014).
//!
//! SQLite has one writer at a time, and with `synchronous=FULL` every COMMIT waits for an fsync: a
//! write transaction's rate is about one over the commit's latency. So transactions that queue here
//! while another writes share one SQLite transaction and one COMMIT:
//!
//! - whoever holds the queue's mutex is the one writer; it has the group's connection to itself;
//! - the first writer opens the group with `BEGIN IMMEDIATE`; each later one runs inside its own
//!   `SAVEPOINT member` (only one member is ever open, so one name serves);
//! - a writer that commits while others are queued releases its savepoint, hands the connection on
//!   and waits; the group is committed by the first writer that commits with nobody queued (or when
//!   the group is full), or else by a task queued for that purpose (`settle`); the COMMIT runs in
//!   a task of its own, so a caller who goes away cannot abandon it;
//! - a writer dropped without committing leaves its savepoint to be rolled back (`undo`) by whoever
//!   holds the connection next, before anything else; the first writer's work is the whole
//!   transaction, so dropping it rolls the transaction back as before;
//! - every member's `commit` returns only once the group's COMMIT has succeeded, and every member
//!   gets the error if it failed: nothing is acknowledged that is not durable.
//!
//! Readers on the pool's other connections see a group's writes only once it commits (WAL mode).

use crate::{Result, StoreError};
use sqlx::sqlite::{Sqlite, SqliteConnection, SqlitePool};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{Mutex, OwnedMutexGuard, watch};

/// How long a write waits for its turn before the request is answered "unavailable".
const WRITER_WAIT: Duration = Duration::from_secs(15);

/// At most this many transactions wait for one COMMIT: bounds how long the first of them waits.
const GROUP_CAP: usize = 64;

/// Opens a later member's savepoint.
const JOIN: &str = "SAVEPOINT member";
/// Rolls back the savepoint of a member dropped without committing; nothing of it remains.
const UNDO: &str = "ROLLBACK TO member; RELEASE member";
/// Both, in one round trip, when the next member joins after a dropped one.
const UNDO_AND_JOIN: &str = "ROLLBACK TO member; RELEASE member; SAVEPOINT member";

/// The queue. `waiting` counts the writers queued for the mutex: a writer that commits while it is
/// not zero leaves the COMMIT to the group's later members.
#[derive(Default)]
pub(crate) struct Writers {
    state: Arc<Mutex<State>>,
    waiting: AtomicUsize,
}

impl std::fmt::Debug for Writers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writers")
            .field("waiting", &self.waiting.load(Ordering::Relaxed))
            .finish_non_exhaustive()
    }
}

#[derive(Default)]
struct State {
    /// The open group, if any: while no writer holds the mutex, it has at least one member waiting
    /// for its COMMIT and a `settle` task queued.
    group: Option<Group>,
    /// Numbers the groups, so a `settle` task knows whether its group is still the open one.
    opened: u64,
}

type Outcome = Option<Result<()>>;

struct Group {
    id: u64,
    tx: sqlx::Transaction<'static, Sqlite>,
    /// Members that committed (their work released into the group) and wait for its COMMIT.
    waiting: usize,
    /// The open savepoint belongs to a member dropped without committing: roll it back first.
    undo: bool,
    /// A `settle` task is queued for this group.
    settler: bool,
    /// The COMMIT's outcome, for the members waiting.
    outcome: watch::Sender<Outcome>,
}

/// One writer's turn: a `Tx` on SQLite. It dereferences to the group's connection.
pub(crate) struct Member {
    turn: OwnedMutexGuard<State>,
    writers: Arc<Writers>,
    /// Joined an open group (inside `SAVEPOINT member`) rather than opened it.
    joined: bool,
    /// Committed (or handed to the group's COMMIT): nothing to undo on drop.
    done: bool,
}

/// Counts a writer as queued for as long as it waits, including when its wait is abandoned.
struct Queued<'a>(&'a AtomicUsize);

impl<'a> Queued<'a> {
    fn new(count: &'a AtomicUsize) -> Self {
        count.fetch_add(1, Ordering::SeqCst);
        Queued(count)
    }
}

impl Drop for Queued<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Member {
    /// Waits for the turn, then joins the open group or opens one with `BEGIN IMMEDIATE`. Either
    /// way the writer holds SQLite's write lock from its first statement, as before.
    pub(crate) async fn begin(writers: &Arc<Writers>, pool: &SqlitePool) -> Result<Member> {
        let mut turn = {
            let _queued = Queued::new(&writers.waiting);
            tokio::time::timeout(WRITER_WAIT, writers.state.clone().lock_owned())
                .await
                .map_err(|_| StoreError::Unavailable("waited too long to write".into()))?
        };
        let member = |turn, joined| Member {
            turn,
            writers: writers.clone(),
            joined,
            done: false,
        };
        if let Some(group) = turn.group.as_mut() {
            let sql = if group.undo { UNDO_AND_JOIN } else { JOIN };
            match sqlx::query(sql).execute(&mut *group.tx).await {
                Ok(_) => {
                    group.undo = false;
                    return Ok(member(turn, true));
                }
                // The group's transaction is in a state we cannot vouch for: none of it is
                // committed, its members are told, and this writer starts a group of its own.
                Err(e) => fail(&mut turn, StoreError::from(e)),
            }
        }
        let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        turn.opened += 1;
        turn.group = Some(Group {
            id: turn.opened,
            tx,
            waiting: 0,
            undo: false,
            settler: false,
            outcome: watch::Sender::new(None),
        });
        Ok(member(turn, false))
    }

    /// Commits this writer's work: at once when nobody is queued behind it (or the group is full),
    /// otherwise with the writers queued, in one COMMIT. Returns once that COMMIT has succeeded.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let queued = self.writers.waiting.load(Ordering::SeqCst) > 0;
        let joined = self.joined;
        let group = self.group();
        if !queued || group.waiting + 1 >= GROUP_CAP {
            // The last one in commits the group; COMMIT also releases its own savepoint. It runs
            // in a task of its own, holding the turn until it is done, so that a caller who goes
            // away meanwhile (a client disconnecting drops its request) cannot leave the members
            // waiting on it without their answer.
            self.done = true;
            let Some(group) = self.turn.group.take() else {
                return Err(lost());
            };
            let turn = self;
            return tokio::spawn(async move {
                let result = finish(group, 1).await;
                drop(turn);
                result
            })
            .await
            .unwrap_or_else(|_| Err(lost()));
        }
        if joined {
            sqlx::query("RELEASE member").execute(&mut *group.tx).await?;
        }
        group.waiting += 1;
        let outcome = group.outcome.subscribe();
        // The writers queued now will join the group, and one of them normally commits it; the
        // settler, queued behind them, commits it if none does (they were dropped, or gave up
        // waiting), so no member waits for a COMMIT that nobody will run.
        let settle_group = (!group.settler).then_some(group.id);
        group.settler = true;
        self.done = true;
        let writers = self.writers.clone();
        drop(self);
        if let Some(id) = settle_group {
            tokio::spawn(settle(writers, id));
        }
        wait(outcome).await
    }

    fn group(&mut self) -> &mut Group {
        match self.turn.group.as_mut() {
            Some(group) => group,
            // `begin` opens or joins the group before it makes a member, and the group is closed
            // only by whoever holds the turn: the member itself (committing or dropped), or the
            // settle task.
            None => unreachable!("a member's group stays open until the member ends"),
        }
    }

    #[cfg(test)]
    pub(crate) fn group_id(&mut self) -> u64 {
        self.group().id
    }
}

impl std::ops::Deref for Member {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        match &self.turn.group {
            Some(group) => &group.tx,
            None => unreachable!("a member's group stays open until the member ends"),
        }
    }
}

impl std::ops::DerefMut for Member {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.group().tx
    }
}

impl Drop for Member {
    /// A writer dropped without committing (an error, an early return). Dropping cannot wait for
    /// the database, so a later member's savepoint is marked to be rolled back by whoever holds the
    /// connection next (the next member, or the group's COMMIT) before anything else. The first
    /// member's work is the whole transaction (nobody has committed into it yet): dropping the
    /// transaction rolls it back, sqlx queueing the ROLLBACK ahead of the connection's next use.
    fn drop(&mut self) {
        if self.done {
            return;
        }
        if self.joined {
            if let Some(group) = self.turn.group.as_mut() {
                group.undo = true;
            }
        } else {
            self.turn.group = None;
        }
    }
}

/// Rolls back what a dropped member left, then commits the group and tells its members. `running`
/// is 1 when the member holding the turn commits it (it is not among those waiting), 0 otherwise.
async fn finish(group: Group, running: usize) -> Result<()> {
    let Group {
        id,
        mut tx,
        waiting,
        undo,
        outcome,
        ..
    } = group;
    let result = async {
        if undo {
            sqlx::query(UNDO).execute(&mut *tx).await?;
        }
        tx.commit().await
    }
    .await
    .map_err(StoreError::from);
    // How many writes each fsync serves (FAMILYTIME_LOG=familytime_store=debug).
    tracing::debug!(
        group = id,
        members = waiting + running,
        ok = result.is_ok(),
        "sqlite group commit"
    );
    outcome.send_replace(Some(result.clone()));
    result
}

/// Ends the open group without committing it (the transaction is rolled back as it is dropped),
/// and gives its waiting members the error.
fn fail(state: &mut State, error: StoreError) {
    if let Some(group) = state.group.take() {
        tracing::error!(error = %error, members = group.waiting, "a group of SQLite writes was rolled back");
        group.outcome.send_replace(Some(Err(error)));
    }
}

/// Waits for the writer queue, and commits group `id` if it is still open then.
async fn settle(writers: Arc<Writers>, id: u64) {
    let mut turn = writers.state.lock().await;
    if turn.group.as_ref().is_some_and(|g| g.id == id)
        && let Some(group) = turn.group.take()
        && let Err(error) = finish(group, 0).await
    {
        tracing::error!(error = %error, "the COMMIT of a group of SQLite writes failed");
    }
}

/// A waiting member's answer: the group's COMMIT's.
async fn wait(mut outcome: watch::Receiver<Outcome>) -> Result<()> {
    match outcome.wait_for(Option::is_some).await {
        Ok(result) => result.clone().unwrap_or_else(|| Err(lost())),
        // The group was dropped without an outcome (the process is stopping): not acknowledged.
        Err(_) => Err(lost()),
    }
}

fn lost() -> StoreError {
    StoreError::Unavailable("the write's commit was not confirmed".into())
}

#[cfg(test)]
mod tests {
    //! The group commit on a real SQLite file. A writer is made to queue behind another by
    //! spawning it and yielding until the queue counts it, so the groups formed are the ones meant.

    use crate::{AuditEvent, AuditScope, Location, Store, StoreError, Tx, TxInner, exec_tx};
    use std::sync::atomic::Ordering;

    struct Db {
        store: Store,
        dir: std::path::PathBuf,
    }

    async fn open() -> Db {
        let dir = std::env::temp_dir().join(format!("familytime-writer-{}", uuid::Uuid::now_v7().simple()));
        let store = Store::open(&Location::DataDir(dir.clone())).await.expect("open");
        sqlx::raw_sql(
            "CREATE TABLE probe (name TEXT PRIMARY KEY);
             CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (id INTEGER PRIMARY KEY,
                 parent INTEGER NOT NULL REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED);",
        )
        .execute(sqlite(&store))
        .await
        .expect("probe tables");
        Db { store, dir }
    }

    impl Db {
        /// Every test ends with the database consistent: integrity, foreign keys, the audit chain.
        async fn finish(self) {
            assert_eq!(
                self.store.check_consistency().await.expect("check"),
                Vec::<String>::new()
            );
            self.store.close().await;
            let _ = std::fs::remove_dir_all(&self.dir);
        }

        /// The probe rows as a reader on another connection sees them.
        async fn names(&self) -> Vec<String> {
            sqlx::query_scalar("SELECT name FROM probe ORDER BY name")
                .fetch_all(sqlite(&self.store))
                .await
                .expect("names")
        }

        /// Yields until `n` writers are queued for the turn.
        async fn queued(&self, n: usize) {
            while self.store.writer.waiting.load(Ordering::SeqCst) < n {
                tokio::task::yield_now().await;
            }
        }
    }

    fn sqlite(store: &Store) -> &sqlx::SqlitePool {
        match &store.pool {
            crate::Pool::Sqlite(p) => p,
            crate::Pool::Postgres(_) => unreachable!("these tests open SQLite"),
        }
    }

    /// A row and its audit entry, as a use case writes them.
    async fn write(tx: &mut Tx, name: &str) {
        exec_tx!(tx, |c| sqlx::query("INSERT INTO probe (name) VALUES ($1)")
            .bind(name)
            .execute(c)
            .await)
        .expect("insert");
        let scope = AuditScope {
            at: jiff::Timestamp::now(),
            request_id: format!("test-{name}"),
            actor_user_id: None,
            organisation_id: None,
        };
        tx.audit(&scope, AuditEvent::ok("test.write", "probe", name))
            .await
            .expect("audit");
    }

    fn group(tx: &mut Tx) -> u64 {
        match &mut tx.inner {
            TxInner::Sqlite(m) => m.group_id(),
            TxInner::Postgres(_) => unreachable!("these tests open SQLite"),
        }
    }

    #[tokio::test]
    async fn a_member_dropped_after_another_committed_leaves_nothing_and_the_other_is_committed() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            let g = group(&mut b);
            drop(b); // an early `?` return: never committed
            g
        });
        db.queued(1).await;
        let ga = group(&mut a);
        // B is queued, so A's commit leaves the COMMIT to the group; it returns once the group
        // has committed (by the settle task, which first rolls back B's savepoint).
        a.commit().await.expect("a commits");
        assert_eq!(b.await.expect("b"), ga, "one group");
        assert_eq!(db.names().await, ["a"]);
        db.finish().await;
    }

    #[tokio::test]
    async fn the_next_member_rolls_back_a_dropped_ones_savepoint_before_it_writes() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            group(&mut b)
        });
        db.queued(1).await;
        let store = db.store.clone();
        let c = tokio::spawn(async move {
            let mut c = store.begin().await.expect("begin c");
            // C sees A's row (committed into the group) and not B's (rolled back).
            let seen: Vec<String> = crate::with_tx!(c, |t| sqlx::query_scalar("SELECT name FROM probe ORDER BY name")
                .fetch_all(t)
                .await)
            .expect("read");
            write(&mut c, "c").await;
            let g = group(&mut c);
            c.commit().await.expect("c commits");
            (g, seen)
        });
        db.queued(2).await;
        let ga = group(&mut a);
        let a = tokio::spawn(a.commit());
        let (gc, seen) = c.await.expect("c");
        a.await.expect("a").expect("a commits");
        assert_eq!(b.await.expect("b"), ga);
        assert_eq!(gc, ga, "one group");
        assert_eq!(seen, ["a"]);
        assert_eq!(db.names().await, ["a", "c"]);
        db.finish().await;
    }

    #[tokio::test]
    async fn the_first_member_dropped_rolls_back_its_transaction_and_the_next_starts_afresh() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let ga = group(&mut a);
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            let g = group(&mut b);
            b.commit().await.expect("b commits");
            g
        });
        db.queued(1).await;
        drop(a);
        assert_ne!(b.await.expect("b"), ga);
        assert_eq!(db.names().await, ["b"]);
        db.finish().await;
    }

    #[tokio::test]
    async fn readers_see_a_members_writes_only_once_the_group_commits() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let (holding, held) = tokio::sync::oneshot::channel();
        let (go, went) = tokio::sync::oneshot::channel::<()>();
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            let _ = holding.send(());
            let _ = went.await;
            b.commit().await.expect("b commits");
        });
        db.queued(1).await;
        let a = tokio::spawn(a.commit());
        // B holds the turn, so A has committed into the group; the group has not committed.
        held.await.expect("b holds the turn");
        assert!(db.names().await.is_empty());
        go.send(()).expect("b waits");
        b.await.expect("b");
        a.await.expect("a").expect("a commits");
        assert_eq!(db.names().await, ["a", "b"]);
        db.finish().await;
    }

    #[tokio::test]
    async fn a_caller_gone_while_its_commit_runs_does_not_leave_the_group_unanswered() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            // B commits the group (nobody is queued behind it), and its request goes away while
            // the COMMIT is under way: the future is polled once, then dropped.
            let mut commit = Box::pin(b.commit());
            std::future::poll_fn(|cx| {
                let _ = commit.as_mut().poll(cx);
                std::task::Poll::Ready(())
            })
            .await;
        });
        db.queued(1).await;
        a.commit().await.expect("a is answered, and committed");
        b.await.expect("b");
        assert_eq!(db.names().await, ["a", "b"]);
        db.finish().await;
    }

    #[tokio::test]
    async fn when_the_groups_commit_fails_every_member_gets_the_error_and_nothing_remains() {
        let db = open().await;
        let mut a = db.store.begin().await.expect("begin a");
        write(&mut a, "a").await;
        let store = db.store.clone();
        let b = tokio::spawn(async move {
            let mut b = store.begin().await.expect("begin b");
            write(&mut b, "b").await;
            // A deferred foreign key is checked only at COMMIT, which therefore fails.
            exec_tx!(b, |c| sqlx::query("INSERT INTO child (id, parent) VALUES (1, 99)")
                .execute(c)
                .await)
            .expect("deferred");
            b.commit().await
        });
        db.queued(1).await;
        let a = a.commit().await;
        let b = b.await.expect("b");
        assert!(matches!(a, Err(StoreError::Database(_))), "{a:?}");
        assert!(matches!(b, Err(StoreError::Database(_))), "{b:?}");
        assert!(db.names().await.is_empty());
        // The queue goes on: the next write opens a new group and commits.
        let mut c = db.store.begin().await.expect("begin c");
        write(&mut c, "c").await;
        c.commit().await.expect("c commits");
        assert_eq!(db.names().await, ["c"]);
        db.finish().await;
    }

    /// Many writers at once, each reading a counter and writing it back plus one, a third of them
    /// dropped after writing: the counter equals the commits (no read-then-write was overtaken, no
    /// dropped write remains), and the audit chain holds one entry per commit, in order.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_read_then_write_transactions_are_never_overtaken() {
        let db = open().await;
        sqlx::query("INSERT INTO parent (id) VALUES (0)")
            .execute(sqlite(&db.store))
            .await
            .expect("counter");
        let tasks: Vec<_> = (0..60)
            .map(|n| {
                let store = db.store.clone();
                tokio::spawn(async move {
                    let mut tx = store.begin().await.expect("begin");
                    let count: i64 =
                        crate::with_tx!(tx, |c| sqlx::query_scalar("SELECT id FROM parent").fetch_one(c).await)
                            .expect("read");
                    tokio::task::yield_now().await;
                    exec_tx!(tx, |c| sqlx::query("UPDATE parent SET id = $1")
                        .bind(count + 1)
                        .execute(c)
                        .await)
                    .expect("write");
                    write(&mut tx, &format!("w{n:02}")).await;
                    if n % 3 == 0 {
                        return None;
                    }
                    tx.commit().await.expect("commit");
                    Some(n)
                })
            })
            .collect();
        let mut committed = 0;
        for task in tasks {
            committed += task.await.expect("task").map_or(0, |_| 1);
        }
        let count: i64 = sqlx::query_scalar("SELECT id FROM parent")
            .fetch_one(sqlite(&db.store))
            .await
            .expect("count");
        assert_eq!(count, committed);
        assert_eq!(db.names().await.len() as i64, committed);
        assert_eq!(db.store.verify_audit_chain().await.expect("chain"), Ok(committed));
        db.finish().await;
    }
}
