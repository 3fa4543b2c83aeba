//! Rate limits (docs/contract-notes.md "Rate limits"): per API key, a token bucket of `limit` tokens that
//! refills completely in a minute; and per source address, a bucket of failed authentications.
//!
//! The bucket is kept as one number, the generic cell rate algorithm's theoretical arrival time
//! (`tat`, microseconds): each request moves it `interval` (a minute / limit) later, starting from
//! now when it lies in the past (a full bucket); a request is admitted when the moved `tat` is at
//! most a minute ahead. That makes each decision one conditional write of one attribute
//! (`store::rate_limits`), with no clock to refill and no read before it. The arithmetic is here,
//! pure.
use serde::{Deserialize, Serialize};

pub const WINDOW_MICROS: i64 = 60_000_000;
/// `rate_limit_per_minute` of a key created without one.
pub const DEFAULT_PER_MINUTE: u32 = 600;
pub const MIN_PER_MINUTE: u32 = 1;
pub const MAX_PER_MINUTE: u32 = 100_000;
/// Failed authentications a source address may make per minute before it is throttled.
pub const BAD_KEYS_PER_MINUTE: u32 = 30;

/// What a response tells about the bucket (`X-RateLimit-*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quota {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the bucket is full again.
    pub reset_secs: u64,
}

pub fn default_per_minute() -> u32 {
    DEFAULT_PER_MINUTE
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bucket {
    pub limit: u32,
}

/// The outcome of one request against a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Admitted; the bucket's new `tat`.
    Admit(i64),
    /// Refused; the seconds until a request would be admitted.
    Limit(u64),
}

fn ceil_secs(micros: i64) -> u64 {
    (micros.max(0) as u64).div_ceil(1_000_000)
}

impl Bucket {
    pub fn new(limit: u32) -> Self {
        Self {
            limit: limit.clamp(MIN_PER_MINUTE, MAX_PER_MINUTE),
        }
    }

    /// The time one token takes to refill.
    pub fn interval(&self) -> i64 {
        (WINDOW_MICROS / self.limit as i64).max(1)
    }

    /// The latest stored `tat` that still admits a request at `now`.
    pub fn admits_up_to(&self, now: i64) -> i64 {
        now + WINDOW_MICROS - self.interval()
    }

    /// The decision for a request at `now` when the stored `tat` is `stored` (the reference the
    /// store's conditional writes implement).
    pub fn decide(&self, now: i64, stored: Option<i64>) -> Decision {
        match stored {
            Some(tat) if tat > self.admits_up_to(now) => {
                Decision::Limit(self.retry_after(now, tat))
            }
            Some(tat) if tat >= now => Decision::Admit(tat + self.interval()),
            _ => Decision::Admit(now + self.interval()),
        }
    }

    /// Seconds before a request is admitted when the stored `tat` is `tat` (at least 1).
    pub fn retry_after(&self, now: i64, tat: i64) -> u64 {
        ceil_secs(tat - self.admits_up_to(now)).max(1)
    }

    /// The quota shown once the bucket's `tat` is `tat`.
    pub fn quota(&self, now: i64, tat: i64) -> Quota {
        let free = (now + WINDOW_MICROS - tat).max(0) / self.interval();
        Quota {
            limit: self.limit,
            remaining: free.clamp(0, self.limit as i64) as u32,
            reset_secs: ceil_secs(tat - now),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs `requests` at `now` against a bucket, as the store would, and counts admissions.
    fn admitted(b: Bucket, tat: &mut Option<i64>, now: i64, requests: u32) -> u32 {
        let mut n = 0;
        for _ in 0..requests {
            if let Decision::Admit(next) = b.decide(now, *tat) {
                *tat = Some(next);
                n += 1;
            }
        }
        n
    }

    #[test]
    fn a_full_bucket_admits_its_limit_at_once_then_refills_over_a_minute() {
        let b = Bucket::new(600);
        let mut tat = None;
        assert_eq!(admitted(b, &mut tat, 0, 1000), 600);
        let q = b.quota(0, tat.unwrap());
        assert_eq!((q.limit, q.remaining, q.reset_secs), (600, 0, 60));
        assert_eq!(b.decide(0, tat), Decision::Limit(1));
        // Ten seconds refill a sixth.
        assert_eq!(admitted(b, &mut tat, 10_000_000, 1000), 100);
        // A minute idle refills it all, never more.
        assert_eq!(admitted(b, &mut tat, 200_000_000, 1000), 600);
    }

    #[test]
    fn retry_after_says_when_a_token_is_back() {
        let b = Bucket::new(1);
        let mut tat = None;
        assert_eq!(admitted(b, &mut tat, 0, 5), 1);
        assert_eq!(b.decide(30_000_000, tat), Decision::Limit(30));
        assert_eq!(admitted(b, &mut tat, 60_000_000, 5), 1);
        let q = Bucket::new(1).quota(0, 60_000_000);
        assert_eq!((q.remaining, q.reset_secs), (0, 60));
    }

    #[test]
    fn limits_are_clamped_to_the_contract() {
        assert_eq!(Bucket::new(0).limit, 1);
        assert_eq!(Bucket::new(1_000_000).limit, 100_000);
        assert_eq!(Bucket::new(100_000).interval(), 600);
    }
}
