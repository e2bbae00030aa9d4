//! The current time, injected so that session timeouts, rate-limit windows and (later) retention can
//! be tested by moving a clock instead of waiting.

use familytime_domain::Timestamp;
use std::sync::atomic::{AtomicI64, Ordering};

pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// A clock that runs with real time plus an offset that tests can advance.
#[derive(Default)]
pub struct ShiftedClock {
    offset_ms: AtomicI64,
}

impl ShiftedClock {
    pub fn advance(&self, by: jiff::SignedDuration) {
        self.offset_ms
            .fetch_add(i64::try_from(by.as_millis()).unwrap_or(i64::MAX), Ordering::SeqCst);
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> Timestamp {
        let now = Timestamp::now();
        let offset = jiff::SignedDuration::from_millis(self.offset_ms.load(Ordering::SeqCst));
        now.checked_add(offset).unwrap_or(now)
    }
}
