//! The rate limiter's buckets (`auth::rate`) in the main table: item `RATE#<subject>` / `RATE`
//! holding `tat`, expired by the table's TTL once idle. A request is one conditional
//! `UpdateItem` in the common case:
//! - busy bucket (`tat` ahead of now, and not too far): `tat += interval`;
//! - full bucket (`tat` in the past, or no item): `tat = now + interval`.
//!
//! The caller says which to try first (what it last saw of the bucket); the other follows when
//! the first's condition fails; a bucket where both fail is over its limit, read once to say
//! until when.
//!
//! A revoked key's bucket is marked `revoked`, and both conditions require the mark to be absent:
//! the charge every request pays anyway is what makes revocation immediate in every container,
//! whatever key records they cache.
use super::{applied, classify, keys, n, s, Dynamo};
use auth::rate::Bucket;
use aws_sdk_dynamodb::types::ReturnValue;
use domain::ApiError;

/// Rounds of (busy, full) attempts before a bucket contended this hard is refused as a 503.
const ROUNDS: usize = 4;

/// What one charge did to a bucket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charged {
    /// Admitted: the bucket's new `tat`.
    Admitted(i64),
    /// Refused: the bucket's `tat`, past what admits a request now.
    Over(i64),
    /// Refused: the key was revoked.
    Revoked,
}

/// How long a revocation mark outlives the revocation: well past the key cache's 60 s cap, after
/// which every container reads the revoked record itself.
const REVOKED_MARK_SECS: i64 = 3600;

impl Dynamo {
    /// Charges one request at `now` (microseconds) to `subject`'s bucket.
    pub async fn charge(
        &self,
        subject: &str,
        bucket: Bucket,
        now: i64,
        busy_first: bool,
    ) -> Result<Charged, ApiError> {
        let pk = format!("RATE#{subject}");
        // Idle buckets vanish: the item outlives the longest wait it can encode.
        let expires = now / 1_000_000 + 180;
        for _ in 0..ROUNDS {
            let attempts = if busy_first {
                [true, false]
            } else {
                [false, true]
            };
            for busy in attempts {
                let update = self
                    .client
                    .update_item()
                    .table_name(&self.table)
                    .key(keys::PK, s(&pk))
                    .key(keys::SK, s("RATE"))
                    .expression_attribute_names("#exp", keys::EXPIRES)
                    .expression_attribute_values(":now", n(now))
                    .expression_attribute_values(":exp", n(expires))
                    .return_values(ReturnValue::UpdatedNew);
                let update = if busy {
                    update
                        .update_expression("SET tat = tat + :i, #exp = :exp")
                        .condition_expression(
                            "tat >= :now AND tat <= :max AND attribute_not_exists(revoked)",
                        )
                        .expression_attribute_values(":i", n(bucket.interval()))
                        .expression_attribute_values(":max", n(bucket.admits_up_to(now)))
                } else {
                    update
                        .update_expression("SET tat = :first, #exp = :exp")
                        .condition_expression(
                            "(attribute_not_exists(tat) OR tat < :now) AND attribute_not_exists(revoked)",
                        )
                        .expression_attribute_values(":first", n(now + bucket.interval()))
                };
                let result = update.send().await;
                let new_tat = result.as_ref().ok().and_then(|out| {
                    out.attributes
                        .as_ref()?
                        .get("tat")?
                        .as_n()
                        .ok()?
                        .parse()
                        .ok()
                });
                if applied(result)? {
                    let tat = new_tat.ok_or_else(|| {
                        ApiError::Internal("rate bucket update returned no tat".into())
                    })?;
                    return Ok(Charged::Admitted(tat));
                }
            }
            // Neither condition held: over the limit, unless another request moved the bucket
            // between the two attempts.
            let stored = self
                .client
                .get_item()
                .table_name(&self.table)
                .key(keys::PK, s(&pk))
                .key(keys::SK, s("RATE"))
                .consistent_read(true)
                .send()
                .await
                .map_err(classify)?
                .item
                .unwrap_or_default();
            if stored.contains_key("revoked") {
                return Ok(Charged::Revoked);
            }
            let tat = stored
                .get("tat")
                .and_then(|t| t.as_n().ok()?.parse::<i64>().ok());
            if let Some(tat) = tat.filter(|t| *t > bucket.admits_up_to(now)) {
                return Ok(Charged::Over(tat));
            }
        }
        Err(ApiError::Unavailable(format!(
            "rate bucket {subject} contended"
        )))
    }

    /// Marks `subject`'s bucket revoked: from now on every charge to it is refused.
    pub async fn mark_revoked(&self, subject: &str) -> Result<(), ApiError> {
        let now = domain::clock::now().unix_timestamp();
        self.client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(format!("RATE#{subject}")))
            .key(keys::SK, s("RATE"))
            .update_expression("SET revoked = :now, #exp = :exp")
            .expression_attribute_names("#exp", keys::EXPIRES)
            .expression_attribute_values(":now", n(now))
            .expression_attribute_values(":exp", n(now + REVOKED_MARK_SECS))
            .send()
            .await
            .map_err(classify)?;
        Ok(())
    }
}
