//! Standard Webhooks signatures: `webhook-signature` is `v1,` + base64(HMAC-SHA256(secret,
//! "{id}.{timestamp}.{body}")), one per active secret, space separated (a rotated-out secret keeps
//! signing beside the new one for a while). Secrets are `whsec_` + base64 of random bytes.
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

const PREFIX: &str = "whsec_";
/// Random bytes in a new secret (the scheme asks for 24 to 64).
const SECRET_BYTES: usize = 32;
/// Receivers reject signatures older than this (docs/contract-notes.md "Webhooks").
pub const TOLERANCE_SECS: i64 = 5 * 60;

/// A signing secret, decoded. Never printed: `Debug` hides the key.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret(Vec<u8>);

impl std::fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SigningSecret(..)")
    }
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error("a signing secret starts with whsec_")]
    Prefix,
    #[error("a signing secret is whsec_ followed by base64")]
    Encoding,
    #[error("a signing secret holds 24 to 64 bytes")]
    Length,
}

impl SigningSecret {
    /// A new random secret and its `whsec_...` text (shown to the partner, stored encrypted).
    pub fn generate() -> (Self, String) {
        let mut bytes = vec![0u8; SECRET_BYTES];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let text = format!("{PREFIX}{}", STANDARD.encode(&bytes));
        (Self(bytes), text)
    }

    pub fn parse(text: &str) -> Result<Self, SecretError> {
        let encoded = text.strip_prefix(PREFIX).ok_or(SecretError::Prefix)?;
        let bytes = STANDARD
            .decode(encoded)
            .map_err(|_| SecretError::Encoding)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(SecretError::Length);
        }
        Ok(Self(bytes))
    }

    /// `v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`.
    pub fn sign(&self, id: &str, timestamp: i64, body: &[u8]) -> String {
        let mut mac = self.mac();
        mac.update(format!("{id}.{timestamp}.").as_bytes());
        mac.update(body);
        format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
    }

    // HMAC takes keys of any length: `new_from_slice` cannot fail, whatever the secret holds.
    #[allow(clippy::expect_used)]
    fn mac(&self) -> Hmac<Sha256> {
        Hmac::<Sha256>::new_from_slice(&self.0).expect("HMAC takes keys of any length")
    }
}

/// The three headers of one attempt. Every attempt is signed afresh: same id, new timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub id: String,
    pub timestamp: i64,
    pub signature: String,
}

/// Signs with every active secret (the current one first).
pub fn sign(secrets: &[SigningSecret], id: &str, timestamp: i64, body: &[u8]) -> SignedHeaders {
    SignedHeaders {
        id: id.to_string(),
        timestamp,
        signature: secrets
            .iter()
            .map(|s| s.sign(id, timestamp, body))
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// What a receiver does: the timestamp is recent and one of the signatures is the secret's.
/// The comparison runs in constant time.
pub fn verify(secret: &SigningSecret, headers: &SignedHeaders, body: &[u8], now: i64) -> bool {
    if (now - headers.timestamp).abs() > TOLERANCE_SECS {
        return false;
    }
    let prefix = format!("{}.{}.", headers.id, headers.timestamp);
    headers.signature.split(' ').any(|candidate| {
        let Some(encoded) = candidate.strip_prefix("v1,") else {
            return false;
        };
        let Ok(expected) = STANDARD.decode(encoded) else {
            return false;
        };
        let mut mac = secret.mac();
        mac.update(prefix.as_bytes());
        mac.update(body);
        mac.verify_slice(&expected).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Standard Webhooks reference vector.
    const SECRET: &str = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const ID: &str = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const TIMESTAMP: i64 = 1614265330;
    const BODY: &[u8] = br#"{"test": 2432232314}"#;

    #[test]
    fn signs_the_reference_vector() {
        let secret = SigningSecret::parse(SECRET).unwrap();
        assert_eq!(
            secret.sign(ID, TIMESTAMP, BODY),
            "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
        );
    }

    #[test]
    fn both_secrets_sign_during_a_rotation_and_either_verifies() {
        let old = SigningSecret::parse(SECRET).unwrap();
        let (new, text) = SigningSecret::generate();
        assert!(text.starts_with("whsec_") && SigningSecret::parse(&text).unwrap() == new);
        let headers = sign(&[new.clone(), old.clone()], ID, TIMESTAMP, BODY);
        assert_eq!(headers.signature.split(' ').count(), 2);
        assert!(verify(&new, &headers, BODY, TIMESTAMP));
        assert!(verify(&old, &headers, BODY, TIMESTAMP + 60));
        let (other, _) = SigningSecret::generate();
        assert!(!verify(&other, &headers, BODY, TIMESTAMP));
        assert!(!verify(&new, &headers, b"{}", TIMESTAMP), "another body");
    }

    #[test]
    fn old_timestamps_are_rejected_so_retries_must_re_sign() {
        let secret = SigningSecret::parse(SECRET).unwrap();
        let first = sign(std::slice::from_ref(&secret), ID, TIMESTAMP, BODY);
        let later = TIMESTAMP + 30 * 60;
        assert!(!verify(&secret, &first, BODY, later));
        let retry = sign(std::slice::from_ref(&secret), ID, later, BODY);
        assert_eq!(retry.id, first.id, "the id is stable across attempts");
        assert!(verify(&secret, &retry, BODY, later));
    }

    #[test]
    fn malformed_secrets_are_refused_and_never_printed() {
        assert_eq!(SigningSecret::parse("MfKQ9r8G"), Err(SecretError::Prefix));
        assert_eq!(
            SigningSecret::parse("whsec_***"),
            Err(SecretError::Encoding)
        );
        assert_eq!(SigningSecret::parse("whsec_AAAA"), Err(SecretError::Length));
        let secret = SigningSecret::parse(SECRET).unwrap();
        assert_eq!(format!("{secret:?}"), "SigningSecret(..)");
    }
}
