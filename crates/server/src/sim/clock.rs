//! The simulated clock, which the lessor and the lease bookkeeping read as production reads the
//! system's.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::state::lessor::Clock;

#[derive(Clone)]
pub(super) struct SimClock {
    nanos: Arc<AtomicU64>,
    /// The `Instant` simulated time zero maps to (the node loop and the lessor compare
    /// instants only).
    epoch: Instant,
}

impl SimClock {
    pub fn new() -> SimClock {
        SimClock {
            nanos: Arc::new(AtomicU64::new(0)),
            epoch: Instant::now(),
        }
    }

    /// Moves the time on (never back).
    pub fn set(&self, now: Duration) {
        self.nanos
            .fetch_max(now.as_nanos() as u64, Ordering::Relaxed);
    }

    pub fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::Relaxed))
    }

    pub fn instant(&self) -> Instant {
        self.epoch + self.now()
    }

    pub fn for_lessor(&self) -> Clock {
        let clock = self.clone();
        Arc::new(move || clock.instant())
    }
}
