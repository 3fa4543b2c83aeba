//! Where the rate limits (`rate`) meet requests: each authenticated request charges its key's
//! bucket; each failed authentication charges its source address's bucket, and a source over
//! that limit gets 429 instead of 401 for its bad keys. Only a key that failed verification is
//! counted or refused: a valid key is never throttled by bad keys sent from the same address
//! (a carrier NAT, a corporate proxy). A source known here to be over its limit costs no write,
//! only the key lookup that found its key bad. The quota a request was charged is what its
//! response's `X-RateLimit-*` headers show (`http::respond` reads it from `current_quota`); other
//! buckets (`charge_quietly`: the preview's) answer 429 with their own `Retry-After` but leave
//! the headers to the key's limit.
use crate::rate_limits::Charged;
use crate::Dynamo;
use auth::rate::{Bucket, Quota};
use domain::ApiError;
use std::cell::Cell;
use std::collections::HashMap;
use std::sync::Mutex;

tokio::task_local! {
    static QUOTA: Cell<Option<Quota>>;
}

/// Runs a request with a slot for the quota it is charged.
pub async fn with_quota<F: std::future::Future>(f: F) -> (F::Output, Option<Quota>) {
    QUOTA
        .scope(Cell::new(None), async {
            let out = f.await;
            (out, QUOTA.with(Cell::get))
        })
        .await
}

fn record(quota: Quota) {
    // Outside `with_quota` (a task, a test calling `authenticate` directly) nobody shows it.
    let _ = QUOTA.try_with(|q| q.set(Some(quota)));
}

/// Entries the per-container view of buckets keeps before it forgets them all.
const MAX_HINTS: usize = 10_000;

fn now_micros() -> i64 {
    let now = domain::clock::now();
    (now.unix_timestamp_nanos() / 1_000) as i64
}

/// The last `tat` this container saw of each bucket. Another container can only have moved a
/// bucket later, so a bucket seen over its limit here is over it (refused with no request), and
/// one seen busy is tried as busy first (one write).
#[derive(Default)]
pub struct Limiter {
    seen: Mutex<HashMap<String, i64>>,
}

impl Limiter {
    fn seen(&self, subject: &str) -> Option<i64> {
        let seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        seen.get(subject).copied()
    }

    fn remember(&self, subject: &str, tat: i64) {
        let mut seen = self.seen.lock().unwrap_or_else(|e| e.into_inner());
        if seen.len() >= MAX_HINTS {
            seen.clear();
        }
        seen.insert(subject.to_string(), tat);
    }

    /// Whether `subject` is over `bucket`'s limit as far as this container knows, and until when.
    fn known_limited(
        &self,
        subject: &str,
        bucket: Bucket,
        now: i64,
        shown: bool,
    ) -> Option<ApiError> {
        let tat = self.seen(subject)?;
        (tat > bucket.admits_up_to(now)).then(|| {
            if shown {
                record(bucket.quota(now, tat));
            }
            ApiError::RateLimited(bucket.retry_after(now, tat))
        })
    }

    /// Charges one request to `subject`: `Ok` with the quota left, `RateLimited`, or
    /// `Unauthorized` for a revoked key's bucket.
    pub async fn charge(&self, db: &Dynamo, subject: &str, bucket: Bucket) -> Result<(), ApiError> {
        self.charge_shown(db, subject, bucket, true).await
    }

    /// `charge` for a bucket beside the key's (the preview's): its refusal is a 429 with its
    /// own `Retry-After`, and the response's `X-RateLimit-*` headers stay the key's.
    pub async fn charge_quietly(
        &self,
        db: &Dynamo,
        subject: &str,
        bucket: Bucket,
    ) -> Result<(), ApiError> {
        self.charge_shown(db, subject, bucket, false).await
    }

    async fn charge_shown(
        &self,
        db: &Dynamo,
        subject: &str,
        bucket: Bucket,
        shown: bool,
    ) -> Result<(), ApiError> {
        let now = now_micros();
        if let Some(refused) = self.known_limited(subject, bucket, now, shown) {
            return Err(refused);
        }
        let busy = self.seen(subject).is_some_and(|tat| tat >= now);
        let charged = db.charge(subject, bucket, now, busy).await?;
        let (Charged::Admitted(tat) | Charged::Over(tat)) = charged else {
            return Err(ApiError::Unauthorized);
        };
        self.remember(subject, tat);
        if shown {
            record(bucket.quota(now, tat));
        }
        match charged {
            Charged::Over(_) => Err(ApiError::RateLimited(bucket.retry_after(now, tat))),
            _ => Ok(()),
        }
    }

    /// Counts a failed authentication from `source`: `Unauthorized`, or `RateLimited` once the
    /// source is over its limit.
    pub async fn failed(&self, db: &Dynamo, source: &str) -> ApiError {
        let bucket = Bucket::new(auth::rate::BAD_KEYS_PER_MINUTE);
        match self.charge(db, &source_subject(source), bucket).await {
            Ok(()) => ApiError::Unauthorized,
            Err(e) => e,
        }
    }
}

pub fn key_subject(key_id: uuid::Uuid) -> String {
    format!("key#{key_id}")
}

/// The bucket of a key's previews (`usecases::preview`), beside its general one.
pub fn preview_subject(key_id: uuid::Uuid) -> String {
    format!("preview#{key_id}")
}

fn source_subject(source: &str) -> String {
    format!("source#{source}")
}
