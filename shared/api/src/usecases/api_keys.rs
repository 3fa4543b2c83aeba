//! Operators' key management (`/admin/api-keys`) and the first-key bootstrap the ops tool uses.
use super::{Created, Deleted, Listed};
use crate::app::App;
use auth::{self, rate, ApiKeyRecord, KeyEnvironment, Scope};
use domain::fields::{Fields, Length};
use domain::paging::Page;
use domain::ApiError;
use serde_json::{json, Value};
use store::Dynamo;
use uuid::Uuid;

pub fn view(r: &ApiKeyRecord) -> Value {
    json!({
        "key_id": r.key_id,
        "tenant_id": r.tenant_id,
        "name": r.name,
        "scopes": r.scopes,
        "environment": r.environment,
        "prefix": r.display_prefix,
        "created_at": r.created_at,
        "expires_at": r.expires_at,
        "revoked_at": r.revoked_at,
        "rate_limit_per_minute": r.rate_limit_per_minute,
    })
}

/// Items `scopes` may list.
pub const SCOPES_MAX_ITEMS: usize = 20;

pub const TENANT_ID_MAX: usize = 64;

/// Tenant ids become part of partition keys (`TENANT#<id>#...`): a safe, bounded alphabet, so no
/// id can reach into another tenant's partitions (`a#ORDER` ...). The one rule for every way a key
/// is minted: the API, `opsctl create-key` and the local stack's bootstrap (`mint` applies it).
pub fn tenant_id_problem(t: &str) -> Option<&'static str> {
    if !(1..=TENANT_ID_MAX).contains(&t.len()) {
        Some("tenant_id must be 1 to 64 characters")
    } else if !t
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        Some("tenant_id may contain only letters, digits, '-' and '_'")
    } else {
        None
    }
}

pub fn valid_tenant_id(t: &str) -> bool {
    tenant_id_problem(t).is_none()
}

#[derive(Debug)]
pub struct KeyRequest {
    pub tenant_id: String,
    pub name: String,
    pub scopes: Vec<Scope>,
    pub environment: KeyEnvironment,
    pub expires_at: Option<String>,
    pub rate_limit_per_minute: u32,
}

pub fn parse(body: &Value) -> Result<KeyRequest, ApiError> {
    let mut f = Fields::root(body)?;
    f.deny_unknown(&[
        "tenant_id",
        "name",
        "scopes",
        "environment",
        "expires_at",
        "rate_limit_per_minute",
    ]);
    let tenant_id = f.string("tenant_id", TENANT_ID_MAX);
    if let Some(problem) = tenant_id.as_deref().and_then(tenant_id_problem) {
        f.fail("tenant_id", problem);
    }
    let name = f.required_string("name", 200);
    let scopes = if f.is_present("scopes") {
        // More than the scopes there are, so a repeated scope is still accepted (and kept once).
        f.array(
            "scopes",
            Length::AtMost(SCOPES_MAX_ITEMS),
            |f, path, v| match v.as_str().and_then(Scope::parse) {
                Some(s) => Some(s),
                None => {
                    f.error(
                        path.clone(),
                        format!("{path} must be one of {}", Scope::choices()),
                    );
                    None
                }
            },
        )
    } else {
        f.required("scopes");
        None
    };
    if scopes.as_ref().is_some_and(|s| s.is_empty()) {
        f.required("scopes");
    }
    let environment = f
        .choice(
            "environment",
            |s| match s {
                "live" => Some(KeyEnvironment::Live),
                "test" => Some(KeyEnvironment::Test),
                _ => None,
            },
            "live, test",
        )
        .unwrap_or(KeyEnvironment::Live);
    let expires_at = f.string("expires_at", 64);
    let expires = expires_at.as_deref().map(domain::clock::parse);
    match expires {
        Some(None) => f.fail("expires_at", "expires_at must be an RFC 3339 timestamp"),
        Some(Some(t)) if t <= domain::clock::now() => {
            f.fail("expires_at", "expires_at must be in the future")
        }
        _ => {}
    }
    let rate_limit_per_minute = f
        .integer(
            "rate_limit_per_minute",
            rate::MIN_PER_MINUTE.into(),
            rate::MAX_PER_MINUTE.into(),
        )
        .map_or(rate::DEFAULT_PER_MINUTE, |n| n as u32);
    let (name, mut scopes) = match (name, scopes) {
        (Some(name), Some(scopes)) => (name, scopes),
        (name, scopes) => {
            // Each is None only with an error recorded above; named here too should a rule change.
            for (field, missing) in [("name", name.is_none()), ("scopes", scopes.is_none())] {
                if missing && !f.has_errors_within(field) {
                    f.required(field);
                }
            }
            return Err(ApiError::Validation(f.into_errors()));
        }
    };
    f.finish()?;
    // Each scope once, in the order given.
    let mut seen = Vec::new();
    scopes.retain(|s| {
        let first = !seen.contains(s);
        seen.push(*s);
        first
    });
    Ok(KeyRequest {
        tenant_id: tenant_id.unwrap_or_else(|| Uuid::now_v7().to_string()),
        name,
        scopes,
        environment,
        expires_at: expires.flatten().map(domain::clock::format),
        rate_limit_per_minute,
    })
}

/// Mints and stores a key; the plaintext is in the answer and nowhere else. A tenant id the rule
/// refuses is refused here too, whoever built the request.
pub async fn mint(db: &Dynamo, req: KeyRequest) -> Result<(String, ApiKeyRecord), ApiError> {
    if let Some(problem) = tenant_id_problem(&req.tenant_id) {
        return Err(ApiError::validation("tenant_id", problem));
    }
    let key = auth::mint(
        req.tenant_id,
        req.name,
        req.scopes,
        req.environment,
        req.expires_at,
        req.rate_limit_per_minute,
    );
    db.put_key(&key.record).await?;
    Ok((key.plaintext, key.record))
}

/// `POST /admin/api-keys`: the key's view with its plaintext `api_key`, shown this once.
pub async fn create(app: &App, body: &Value) -> Result<Created<Value>, ApiError> {
    let (plaintext, record) = mint(&app.db, parse(body)?).await?;
    let mut v = view(&record);
    if let Some(obj) = v.as_object_mut() {
        obj.insert("api_key".into(), json!(plaintext));
    }
    Ok(Created(v))
}

pub async fn list(app: &App, tenant: Option<&str>, page: Page) -> Result<Listed<Value>, ApiError> {
    let (items, total) = app.db.list_keys(tenant, page).await?;
    Ok(Listed::new(items, total, page, |r| view(&r)))
}

pub async fn revoke(app: &App, id: Uuid) -> Result<Deleted, ApiError> {
    if app.db.revoke_key(id).await? {
        app.key_cache.forget(&id);
        Ok(Deleted)
    } else {
        Err(ApiError::NotFound("API key not found".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_requests() {
        let r =
            parse(&json!({"name": "n", "scopes": ["orders:read", "admin"], "tenant_id": "acme-1"}))
                .unwrap();
        assert_eq!(r.scopes, vec![Scope::OrdersRead, Scope::Admin]);
        let ApiError::Validation(e) = parse(
            &json!({"scopes": ["root"], "tenant_id": "a#b", "expires_at": "2001-01-01T00:00:00Z"}),
        )
        .unwrap_err() else {
            panic!()
        };
        let fields: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["tenant_id", "name", "scopes[0]", "expires_at"]);
    }

    #[test]
    fn a_blank_environment_or_scope_is_named() {
        for body in [
            json!({"name": "n", "scopes": ["admin"], "environment": " "}),
            json!({"name": "n", "scopes": [""]}),
            json!({"name": "n", "scopes": ["admin"], "expires_at": "9999-12-31T23:59:59-01:00"}),
        ] {
            let ApiError::Validation(e) = parse(&body).unwrap_err() else {
                panic!("{body}")
            };
            assert_eq!(e.len(), 1, "{e:?}");
        }
        let r = parse(&json!({"name": "n", "scopes": ["admin"], "environment": null})).unwrap();
        assert_eq!(r.environment, KeyEnvironment::Live);
    }

    #[test]
    fn an_over_long_scope_list_is_one_error_and_tenant_ids_follow_one_rule() {
        let text = format!(
            "{{\"name\": \"n\", \"scopes\": [{}]}}",
            vec!["\"root\""; 1_000_000].join(",")
        );
        let body = domain::json::parse(text.as_bytes()).unwrap();
        let ApiError::Validation(e) = parse(&body).unwrap_err() else {
            panic!()
        };
        assert_eq!(
            e,
            [domain::error::FieldError::new(
                "scopes",
                "scopes must have at most 20 items"
            )]
        );
        // Repeats within the limit are accepted, each scope kept once.
        let r = parse(&json!({"name": "n", "scopes": vec!["admin"; SCOPES_MAX_ITEMS]})).unwrap();
        assert_eq!(r.scopes, [Scope::Admin]);
        for (t, ok) in [
            ("acme-1", true),
            ("a#b", false),
            ("", false),
            ("a b", false),
        ] {
            assert_eq!(valid_tenant_id(t), ok, "{t:?}");
        }
        assert!(!valid_tenant_id(&"x".repeat(65)));
    }

    mod no_crash {
        use super::*;
        use crate::arb::{apply, check_errors, mutations, nasty_values, Kind, Op, Shape};
        use proptest::prelude::*;

        const FIELDS: &[&str] = &[
            "tenant_id",
            "name",
            "scopes",
            "environment",
            "expires_at",
            "rate_limit_per_minute",
        ];
        const SCOPES: &[&str] = &[
            "orders:read",
            "orders:write",
            "blacklists:read",
            "blacklists:write",
            "admin",
        ];

        fn kind(field: &str) -> Option<Kind> {
            Some(match field {
                "tenant_id" => Kind::Opaque(Shape::String),
                "name" => Kind::RequiredText(200),
                "scopes" => Kind::EnumList(SCOPES, false),
                "environment" => Kind::Enum(&["live", "test"], false),
                "expires_at" => Kind::Timestamp,
                "rate_limit_per_minute" => {
                    Kind::Integer(rate::MIN_PER_MINUTE.into(), rate::MAX_PER_MINUTE.into())
                }
                _ => return None,
            })
        }

        fn valid() -> serde_json::Map<String, Value> {
            let body = json!({
                "tenant_id": "acme-1", "name": "Acme integration",
                "scopes": ["orders:read", "orders:write"], "environment": "test",
                "expires_at": "2999-01-01T00:00:00Z", "rate_limit_per_minute": 600
            });
            body.as_object().cloned().unwrap_or_default()
        }

        fn check(body: &Value, must: &[String]) -> Result<(), TestCaseError> {
            match parse(body) {
                Ok(r) => {
                    prop_assert!(must.is_empty(), "accepted with invalid {must:?}: {body}");
                    prop_assert!(!r.scopes.is_empty() && valid_tenant_id(&r.tenant_id));
                }
                Err(ApiError::Validation(errors)) => {
                    check_errors(&errors, body, FIELDS, must).map_err(TestCaseError::fail)?;
                }
                Err(e) => prop_assert!(false, "{e:?}"),
            }
            Ok(())
        }

        proptest! {
            /// `POST /admin/api-keys`: a key request or a 422 naming every certainly invalid field.
            #[test]
            fn a_key_request_is_a_key_or_a_422_naming_its_fields(muts in mutations(FIELDS)) {
                let mut body = valid();
                let must = apply(&mut body, &muts, kind);
                check(&Value::Object(body), &must)?;
            }
        }

        #[test]
        fn every_key_field_given_each_nasty_value() {
            for field in FIELDS.iter().copied().chain(["x"]) {
                for value in nasty_values() {
                    let mut body = valid();
                    let must = apply(&mut body, &[(field.to_string(), Op::Set(value))], kind);
                    if let Err(e) = check(&Value::Object(body), &must) {
                        panic!("{field}: {e}");
                    }
                }
            }
        }
    }
}
