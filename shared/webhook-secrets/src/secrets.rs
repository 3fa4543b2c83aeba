//! Per-tenant signing secrets (docs/contract-notes.md "Webhooks"): created on first use, rotated with a 24 h
//! overlap, stored sealed with a KMS envelope (a KMS data key per secret, AES-256-GCM over the
//! secret, the tenant id bound as encryption context and associated data so a sealed secret cannot
//! be moved to another tenant). The plaintext exists only in memory; `Debug` never shows it.
use aes_gcm::aead::{Aead, Payload};
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use aws_sdk_kms::primitives::Blob;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use domain::ApiError;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Mutex;
use store::webhooks::{SealedSecret, SecretRecord};
use store::Dynamo;
use time::OffsetDateTime;
use webhooks::signing::SigningSecret;

/// How long a rotated-out secret keeps signing beside the new one.
pub const OVERLAP: time::Duration = time::Duration::hours(24);

/// What `GET /webhook-secret` and `POST /webhook-secret/rotate` answer. No `Debug`: it holds the
/// secret, and nothing may print it by accident.
#[derive(Clone, Serialize)]
pub struct SecretView {
    pub secret: String,
    pub created_at: String,
    pub previous_secret_expires_at: Option<String>,
}

/// The sealed form stored in the table.
#[derive(Serialize, Deserialize)]
struct Envelope {
    v: u8,
    /// The data key, encrypted by KMS.
    key: String,
    nonce: String,
    data: String,
}

/// Seals and opens secrets with a KMS key. Opened secrets are cached by their sealed text, so a
/// warm dispatcher calls KMS once per secret, not once per delivery.
pub struct Sealer {
    kms: aws_sdk_kms::Client,
    key_id: String,
    opened: Mutex<HashMap<String, String>>,
}

const CONTEXT_KEY: &str = "tenant_id";
const MAX_CACHED: usize = 10_000;

fn unavailable(e: impl std::fmt::Display) -> ApiError {
    ApiError::Unavailable(format!("kms: {e}"))
}

fn corrupt(what: &str) -> ApiError {
    ApiError::Internal(format!("sealed webhook secret: {what}"))
}

impl Sealer {
    pub fn new(kms: aws_sdk_kms::Client, key_id: impl Into<String>) -> Self {
        Self {
            kms,
            key_id: key_id.into(),
            opened: Mutex::new(HashMap::new()),
        }
    }

    pub async fn seal(&self, tenant: &str, plaintext: &str) -> Result<String, ApiError> {
        let dk = self
            .kms
            .generate_data_key()
            .key_id(&self.key_id)
            .key_spec(aws_sdk_kms::types::DataKeySpec::Aes256)
            .encryption_context(CONTEXT_KEY, tenant)
            .send()
            .await
            .map_err(|e| unavailable(aws_sdk_kms::error::DisplayErrorContext(e)))?;
        let key = dk.plaintext().ok_or_else(|| corrupt("no data key"))?;
        let wrapped = dk
            .ciphertext_blob()
            .ok_or_else(|| corrupt("no wrapped key"))?;
        let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|_| corrupt("key size"))?;
        let mut nonce = [0u8; 12];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let data = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plaintext.as_bytes(),
                    aad: tenant.as_bytes(),
                },
            )
            .map_err(|_| corrupt("encryption failed"))?;
        let envelope = Envelope {
            v: 1,
            key: STANDARD.encode(wrapped.as_ref()),
            nonce: STANDARD.encode(nonce),
            data: STANDARD.encode(data),
        };
        serde_json::to_string(&envelope).map_err(|e| ApiError::Internal(e.to_string()))
    }

    /// The opened secrets; a lock a panicking holder left poisoned still holds a usable map
    /// (at worst missing the entry it was inserting).
    fn cache(&self) -> std::sync::MutexGuard<'_, HashMap<String, String>> {
        self.opened
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub async fn open(&self, tenant: &str, sealed: &str) -> Result<String, ApiError> {
        let cache_key = format!("{tenant}\n{sealed}");
        if let Some(hit) = self.cache().get(&cache_key) {
            return Ok(hit.clone());
        }
        let envelope: Envelope = serde_json::from_str(sealed).map_err(|_| corrupt("format"))?;
        let decode = |s: &str| STANDARD.decode(s).map_err(|_| corrupt("encoding"));
        let key = self
            .kms
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(Blob::new(decode(&envelope.key)?))
            .encryption_context(CONTEXT_KEY, tenant)
            .send()
            .await
            .map_err(|e| unavailable(aws_sdk_kms::error::DisplayErrorContext(e)))?;
        let key = key.plaintext().ok_or_else(|| corrupt("no data key"))?;
        let cipher = Aes256Gcm::new_from_slice(key.as_ref()).map_err(|_| corrupt("key size"))?;
        let nonce = decode(&envelope.nonce)?;
        if nonce.len() != 12 {
            return Err(corrupt("nonce"));
        }
        let plain = cipher
            .decrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: &decode(&envelope.data)?,
                    aad: tenant.as_bytes(),
                },
            )
            .map_err(|_| corrupt("does not open for this tenant"))?;
        let text = String::from_utf8(plain).map_err(|_| corrupt("not text"))?;
        let mut cache = self.cache();
        if cache.len() >= MAX_CACHED {
            cache.clear();
        }
        cache.insert(cache_key, text.clone());
        Ok(text)
    }
}

/// The sealed secrets that sign at `now`: the current one, and the previous one until it expires.
pub fn active(record: &SecretRecord, now: OffsetDateTime) -> Vec<&SealedSecret> {
    let previous = record.previous.as_ref().filter(|p| {
        p.expires_at
            .as_deref()
            .and_then(domain::clock::parse)
            .is_some_and(|until| now < until)
    });
    std::iter::once(&record.current).chain(previous).collect()
}

/// The record after a rotation at `now`: `fresh` is current, the old current signs until now + 24 h.
pub fn rotated(record: &SecretRecord, fresh: SealedSecret, now: OffsetDateTime) -> SecretRecord {
    SecretRecord {
        tenant_id: record.tenant_id.clone(),
        previous: Some(SealedSecret {
            expires_at: Some(domain::clock::format(now + OVERLAP)),
            ..record.current.clone()
        }),
        current: fresh,
        version: record.version + 1,
    }
}

/// The tenants' secrets over the table and the sealer.
pub struct Secrets {
    pub db: Dynamo,
    pub sealer: Sealer,
}

impl Secrets {
    /// The current secret, created on first call.
    pub async fn view(&self, tenant: &str) -> Result<SecretView, ApiError> {
        let record = self.record(tenant).await?;
        self.view_of(&record, domain::clock::now()).await
    }

    /// A new current secret; the old one keeps signing beside it for `OVERLAP`.
    pub async fn rotate(&self, tenant: &str) -> Result<SecretView, ApiError> {
        for _ in 0..5 {
            let record = self.record(tenant).await?;
            let now = domain::clock::now();
            let next = rotated(&record, self.fresh(tenant, now).await?, now);
            if self.db.put_secret_record(&next).await? {
                tracing::info!(
                    tenant_id = tenant,
                    version = next.version,
                    "webhook secret rotated"
                );
                return self.view_of(&next, now).await;
            }
        }
        Err(ApiError::Unavailable("concurrent rotations".into()))
    }

    /// The secrets that sign a delivery now (current first).
    pub async fn signing_keys(&self, tenant: &str) -> Result<Vec<SigningSecret>, ApiError> {
        let record = self.record(tenant).await?;
        let mut keys = Vec::new();
        for sealed in active(&record, domain::clock::now()) {
            let text = self.sealer.open(tenant, &sealed.sealed).await?;
            keys.push(SigningSecret::parse(&text).map_err(|e| corrupt(&e.to_string()))?);
        }
        Ok(keys)
    }

    async fn record(&self, tenant: &str) -> Result<SecretRecord, ApiError> {
        if let Some(r) = self.db.secret_record(tenant).await? {
            return Ok(r);
        }
        let first = SecretRecord {
            tenant_id: tenant.to_string(),
            current: self.fresh(tenant, domain::clock::now()).await?,
            previous: None,
            version: 1,
        };
        if self.db.put_secret_record(&first).await? {
            return Ok(first);
        }
        // Another request created it first: theirs is the one.
        self.db
            .secret_record(tenant)
            .await?
            .ok_or_else(|| ApiError::Internal("webhook secret vanished".into()))
    }

    async fn fresh(&self, tenant: &str, now: OffsetDateTime) -> Result<SealedSecret, ApiError> {
        let (_, text) = SigningSecret::generate();
        Ok(SealedSecret {
            sealed: self.sealer.seal(tenant, &text).await?,
            created_at: domain::clock::format(now),
            expires_at: None,
        })
    }

    async fn view_of(
        &self,
        record: &SecretRecord,
        now: OffsetDateTime,
    ) -> Result<SecretView, ApiError> {
        let previous = active(record, now)
            .get(1)
            .and_then(|p| p.expires_at.clone());
        Ok(SecretView {
            secret: self
                .sealer
                .open(&record.tenant_id, &record.current.sealed)
                .await?,
            created_at: record.current.created_at.clone(),
            previous_secret_expires_at: previous,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sealed(name: &str) -> SealedSecret {
        SealedSecret {
            sealed: name.into(),
            created_at: "2026-01-01T00:00:00.000000Z".into(),
            expires_at: None,
        }
    }

    #[test]
    fn a_rotated_out_secret_signs_beside_the_new_one_for_a_day_then_stops() {
        let t0 = domain::clock::parse("2026-03-01T10:00:00Z").unwrap();
        let first = SecretRecord {
            tenant_id: "t".into(),
            current: sealed("old"),
            previous: None,
            version: 1,
        };
        assert_eq!(active(&first, t0).len(), 1);
        let next = rotated(&first, sealed("new"), t0);
        assert_eq!(next.version, 2);
        let names =
            |at| -> Vec<String> { active(&next, at).iter().map(|s| s.sealed.clone()).collect() };
        assert_eq!(names(t0), ["new", "old"]);
        assert_eq!(names(t0 + time::Duration::hours(23)), ["new", "old"]);
        assert_eq!(names(t0 + OVERLAP), ["new"]);
        assert_eq!(names(t0 + time::Duration::days(3)), ["new"]);
    }

    #[test]
    fn a_second_rotation_replaces_the_previous_secret() {
        let t0 = domain::clock::parse("2026-03-01T10:00:00Z").unwrap();
        let first = SecretRecord {
            tenant_id: "t".into(),
            current: sealed("a"),
            previous: None,
            version: 1,
        };
        let twice = rotated(&rotated(&first, sealed("b"), t0), sealed("c"), t0);
        let names: Vec<_> = active(&twice, t0)
            .iter()
            .map(|s| s.sealed.clone())
            .collect();
        assert_eq!(names, ["c", "b"]);
    }
}
