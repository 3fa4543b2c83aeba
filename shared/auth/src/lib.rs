//! API keys, scopes, rate-limit buckets and the key cache; pure: must not depend on aws-sdk-*,
//! lambda_* or the store (the limiter that charges buckets in DynamoDB is `store::limiter`).
//!
//! API keys (docs/contract-notes.md "Authentication, tenants, scopes").
//!
//! A key reads `lnc_live_<key id: 32 hex><secret: 32 base62>`. The id finds the stored record with
//! one `GetItem`; the SHA-256 of the whole key is then compared in constant time with the stored
//! hash. The plaintext is never stored or logged.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]
pub mod cache;
pub mod rate;
pub mod scope;

pub use scope::Scope;

use rand::{distributions::Alphanumeric, Rng};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;
use uuid::Uuid;

pub const LIVE_PREFIX: &str = "lnc_live_";
pub const TEST_PREFIX: &str = "lnc_test_";
const ID_LEN: usize = 32;
const SECRET_LEN: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyEnvironment {
    Live,
    Test,
}

/// A key as stored: only its hash, never the plaintext.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeyRecord {
    pub key_id: Uuid,
    pub tenant_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub environment: KeyEnvironment,
    /// hex SHA-256 of the full key.
    pub key_hash: String,
    /// The first characters of the key, safe to show so operators can recognise it.
    pub display_prefix: String,
    pub created_at: String,
    pub expires_at: Option<String>,
    /// Requests per minute (`rate::Bucket`); keys stored before limits existed get the default.
    #[serde(default = "rate::default_per_minute")]
    pub rate_limit_per_minute: u32,
    /// Absent (not null) until revoked, so revocation can be a single conditional `SET`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revoked_at: Option<String>,
}

/// The authenticated caller of a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Caller {
    pub key_id: Uuid,
    pub tenant_id: String,
    pub scopes: Vec<Scope>,
}

impl Caller {
    pub fn require(&self, scope: Scope) -> Result<(), domain::ApiError> {
        if self.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(domain::ApiError::Forbidden(scope.as_str().to_string()))
        }
    }
}

/// A freshly minted key: the plaintext (shown once) and the record to store.
pub struct NewKey {
    pub plaintext: String,
    pub record: ApiKeyRecord,
}

pub fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.as_bytes()))
}

pub fn mint(
    tenant_id: String,
    name: String,
    scopes: Vec<Scope>,
    environment: KeyEnvironment,
    expires_at: Option<String>,
    rate_limit_per_minute: u32,
) -> NewKey {
    let key_id = Uuid::now_v7();
    let secret: String = rand::rngs::OsRng
        .sample_iter(&Alphanumeric)
        .take(SECRET_LEN)
        .map(char::from)
        .collect();
    let prefix = match environment {
        KeyEnvironment::Live => LIVE_PREFIX,
        KeyEnvironment::Test => TEST_PREFIX,
    };
    let plaintext = format!("{prefix}{}{secret}", key_id.simple());
    let record = ApiKeyRecord {
        key_id,
        tenant_id,
        name,
        scopes,
        environment,
        key_hash: hash(&plaintext),
        display_prefix: plaintext.chars().take(prefix.len() + 8).collect(),
        created_at: domain::clock::now_string(),
        expires_at,
        rate_limit_per_minute,
        revoked_at: None,
    };
    NewKey { plaintext, record }
}

/// The key id a presented key claims, if it is shaped like one of ours.
pub fn claimed_id(presented: &str) -> Option<Uuid> {
    let rest = presented
        .strip_prefix(LIVE_PREFIX)
        .or_else(|| presented.strip_prefix(TEST_PREFIX))?;
    if rest.len() != ID_LEN + SECRET_LEN || !rest.is_ascii() {
        return None;
    }
    Uuid::try_parse(rest.get(..ID_LEN)?).ok()
}

/// Whether `presented` is the key `record` was minted for and is usable at `now`.
pub fn verify(record: &ApiKeyRecord, presented: &str, now: time::OffsetDateTime) -> bool {
    let matches: bool = hash(presented)
        .as_bytes()
        .ct_eq(record.key_hash.as_bytes())
        .into();
    let expired = record
        .expires_at
        .as_deref()
        .and_then(domain::clock::parse)
        .is_some_and(|at| at <= now);
    matches && !expired && record.revoked_at.is_none()
}

/// Reads the bearer token from an `Authorization` header value.
pub fn bearer(header: Option<&str>) -> Option<&str> {
    let value = header?.trim();
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> NewKey {
        mint(
            "t1".into(),
            "k".into(),
            vec![Scope::OrdersRead],
            KeyEnvironment::Live,
            None,
            rate::DEFAULT_PER_MINUTE,
        )
    }

    #[test]
    fn minted_keys_verify_and_claim_their_id() {
        let k = key();
        assert!(k.plaintext.starts_with("lnc_live_"));
        assert!(k.plaintext.len() >= LIVE_PREFIX.len() + 32);
        assert_eq!(claimed_id(&k.plaintext), Some(k.record.key_id));
        assert!(verify(&k.record, &k.plaintext, domain::clock::now()));
        assert!(!k.record.key_hash.contains(&k.plaintext[9..]));
    }

    #[test]
    fn wrong_secret_revoked_or_expired_fail() {
        let k = key();
        let mut tampered = k.plaintext.clone();
        tampered.pop();
        tampered.push(if k.plaintext.ends_with('a') { 'b' } else { 'a' });
        assert!(!verify(&k.record, &tampered, domain::clock::now()));
        let mut revoked = k.record.clone();
        revoked.revoked_at = Some(domain::clock::now_string());
        assert!(!verify(&revoked, &k.plaintext, domain::clock::now()));
        let mut expired = k.record.clone();
        expired.expires_at = Some("2020-01-01T00:00:00Z".into());
        assert!(!verify(&expired, &k.plaintext, domain::clock::now()));
    }

    #[test]
    fn malformed_keys_claim_nothing() {
        for bad in [
            "",
            "lnc_live_",
            "lnc_live_short",
            "sk_live_0123",
            "lnc_live_zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz",
        ] {
            assert_eq!(claimed_id(bad), None, "{bad}");
        }
        assert_eq!(bearer(Some("Bearer abc")), Some("abc"));
        assert_eq!(bearer(Some("bearer  abc ")), Some("abc"));
        assert_eq!(bearer(Some("Basic abc")), None);
        assert_eq!(bearer(Some("Bearer ")), None);
        assert_eq!(bearer(None), None);
    }
}
