//! The time an invocation may spend. Lambda kills a function at its deadline, and a killed task
//! is retried from scratch; a task that stops in time keeps what it finished. The budget leaves a
//! reserve before the deadline for storing that work.
use std::time::{Duration, SystemTime, UNIX_EPOCH};
use tokio::time::Instant;

/// The share of an invocation kept for storing results (within the bounds below).
const RESERVE_SHARE: u32 = 5;
const MIN_RESERVE: Duration = Duration::from_millis(500);
const MAX_RESERVE: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// When result building stops; `None`: no limit known.
    work_until: Option<Instant>,
}

impl Budget {
    /// No limit (tools and tests that run a task to its end).
    pub fn unlimited() -> Self {
        Self { work_until: None }
    }

    /// `remaining` from now until the invocation is cut off.
    pub fn within(remaining: Duration) -> Self {
        let reserve = (remaining / RESERVE_SHARE).clamp(MIN_RESERVE, MAX_RESERVE);
        Self {
            work_until: Some(Instant::now() + remaining.saturating_sub(reserve)),
        }
    }

    /// From the runtime's deadline, in milliseconds since the Unix epoch. A deadline already
    /// past, or none (0), means the runtime gave no usable one: no limit rather than no work.
    pub fn until_epoch_ms(deadline_ms: u64) -> Self {
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_millis() as u64)
            .unwrap_or(0);
        match deadline_ms.checked_sub(now_ms) {
            Some(left) if left > 0 => Self::within(Duration::from_millis(left)),
            _ => {
                tracing::warn!(deadline_ms, now_ms, "no usable invocation deadline");
                Self::unlimited()
            }
        }
    }

    /// When work must stop so that what is done can still be stored.
    pub fn work_until(&self) -> Option<Instant> {
        self.work_until
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_is_a_fifth_within_bounds() {
        let left = |b: Budget| b.work_until().unwrap() - Instant::now();
        let a = left(Budget::within(Duration::from_secs(20)));
        assert!(a <= Duration::from_secs(16) && a > Duration::from_secs(15));
        let b = left(Budget::within(Duration::from_secs(900)));
        assert!(b <= Duration::from_secs(890) && b > Duration::from_secs(889));
        let c = left(Budget::within(Duration::from_secs(1)));
        assert!(c <= Duration::from_millis(500));
    }

    #[test]
    fn a_missing_or_past_deadline_sets_no_limit() {
        assert!(Budget::until_epoch_ms(0).work_until().is_none());
        assert!(Budget::until_epoch_ms(1_000).work_until().is_none());
        let soon = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap()
            .as_millis() as u64
            + 30_000;
        assert!(Budget::until_epoch_ms(soon).work_until().is_some());
    }
}
