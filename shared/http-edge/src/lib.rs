//! The HTTP edge of every API function: the Lambda entry point, request parsing with the
//! contract's 400/413/415/422 rules, and the error body with its request id. The one shared crate
//! that depends on lambda_http; the crates below it must not.
// No panic that request input can reach: `unwrap`, `expect` and `panic!` outside tests are
// rewritten, or allowed where they stand with the reason input cannot reach them.
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

#[cfg(test)]
use testkit::arb;

use api::app::App;
use api::usecases::{Accepted, Created, Deleted, Found, Listed, Updated};
use auth::{Caller, Scope};
use domain::error::FieldError;
use domain::paging::Page;
use domain::ApiError;
use lambda_http::http::{header, HeaderValue, StatusCode};
use lambda_http::{Body, Request, RequestExt, Response};
use serde::Serialize;
use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;
use tracing::Instrument;
use uuid::Uuid;

pub type HandlerResult = Result<Response<Body>, ApiError>;

/// Lambda's synchronous payload limit; anything larger is refused before parsing.
pub const MAX_BODY_BYTES: usize = 6 * 1024 * 1024;

/// The whole `main` of an API function: build the App once, then serve `handler` for every event.
pub async fn serve<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Arc<App>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    serve_with(App::from_env(), handler).await
}

/// Like `serve`, for a function that uses more than the table (`wiring` adds its adapters).
pub async fn serve_wired<F, Fut>(
    wiring: api::app::Wiring,
    handler: F,
) -> Result<(), lambda_http::Error>
where
    F: Fn(Arc<App>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    serve_with(App::from_env_wired(wiring), handler).await
}

/// Like `serve`, for a function that needs nothing built: no table, no AWS client (what it
/// answers is in the binary).
pub async fn serve_static<F, Fut>(handler: F) -> Result<(), lambda_http::Error>
where
    F: Fn(Arc<()>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    serve_with(async { Ok::<_, String>(()) }, handler).await
}

/// Like `serve`, for a function whose handler needs more than the App (a context built once).
pub async fn serve_with<C, B, F, Fut>(build: B, handler: F) -> Result<(), lambda_http::Error>
where
    C: Send + Sync + 'static,
    B: Future<Output = Result<C, String>>,
    F: Fn(Arc<C>, Request) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = HandlerResult> + Send,
{
    api::logs::init_tracing();
    let ctx = Arc::new(build.await.map_err(|e| {
        tracing::error!(error = %e, "configuration error");
        e
    })?);
    let handler = Arc::new(handler);
    lambda_http::run(lambda_http::service_fn(move |req: Request| {
        let ctx = ctx.clone();
        let handler = handler.clone();
        async move { Ok::<_, std::convert::Infallible>(respond(ctx, req, &*handler).await) }
    }))
    .await
}

/// Runs a handler and turns its outcome into the response the partner sees (also used in tests).
pub async fn respond<C, F, Fut>(ctx: Arc<C>, req: Request, handler: &F) -> Response<Body>
where
    F: Fn(Arc<C>, Request) -> Fut,
    Fut: Future<Output = HandlerResult>,
{
    let request_id = request_id(&req);
    let order_id = req
        .path_parameters_ref()
        .and_then(|p| p.first("order_id").map(str::to_owned));
    let span = tracing::info_span!(
        "request",
        %request_id,
        method = %req.method(),
        path = %req.uri().path(),
        order_id,
        tenant_id = tracing::field::Empty,
    );
    // Boxed: a handler's future holds every store call it awaits (the store's methods are plain
    // `async fn`s), too deep a type to lay out inline in `main`'s.
    let (outcome, quota) =
        store::limiter::with_quota(Box::pin(handler(ctx, req)).instrument(span.clone())).await;
    let _entered = span.enter();
    let mut response = match outcome {
        Ok(r) => {
            tracing::info!(status = r.status().as_u16(), "request served");
            r
        }
        Err(e) => {
            match &e {
                ApiError::Internal(text) | ApiError::Unavailable(text) => {
                    tracing::error!(status = status_of(e.code()), error = %text, "request failed")
                }
                _ => {
                    tracing::info!(
                        status = status_of(e.code()),
                        code = e.code(),
                        "request refused"
                    )
                }
            }
            error_response(&e, &request_id)
        }
    };
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        response.headers_mut().insert("x-request-id", v);
    }
    if let Some(q) = quota {
        let headers = response.headers_mut();
        headers.insert("x-ratelimit-limit", q.limit.into());
        headers.insert("x-ratelimit-remaining", q.remaining.into());
        headers.insert("x-ratelimit-reset", q.reset_secs.into());
    }
    response
}

fn request_id(req: &Request) -> String {
    let from_gateway = match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) => ctx.request_id.clone(),
        _ => None,
    };
    from_gateway
        .filter(|id| !id.is_empty())
        .unwrap_or_else(|| Uuid::new_v4().to_string())
}

/// The one table of the contract's error codes and their HTTP statuses (docs/contract-notes.md
/// "Conventions"). A code not listed is a bug, answered as the 500 it is.
pub fn status_of(code: &str) -> u16 {
    match code {
        "INVALID_JSON" => 400,
        "UNAUTHORIZED" => 401,
        "AUTHORIZATION_ERROR" => 403,
        "ORDER_NOT_FOUND"
        | "BLACKLIST_NOT_FOUND"
        | "ENTRY_NOT_FOUND"
        | "PROFILE_NOT_FOUND"
        | "NOT_FOUND" => 404,
        "INVALID_STATUS_TRANSITION" | "IDEMPOTENCY_KEY_REUSED" | "LIMIT_EXCEEDED" => 409,
        "PAYLOAD_TOO_LARGE" => 413,
        "UNSUPPORTED_MEDIA_TYPE" => 415,
        "VALIDATION_ERROR" => 422,
        "RATE_LIMITED" => 429,
        "SERVICE_UNAVAILABLE" => 503,
        _ => 500,
    }
}

pub fn error_response(e: &ApiError, request_id: &str) -> Response<Body> {
    let mut r = json(status_of(e.code()), &e.body(request_id));
    // Both are safe to retry; say when.
    let retry_after = match e {
        ApiError::RateLimited(secs) => Some(*secs),
        ApiError::Unavailable(_) => Some(5),
        _ => None,
    };
    if let Some(secs) = retry_after {
        r.headers_mut().insert(header::RETRY_AFTER, secs.into());
    }
    r
}

pub fn json(status: u16, body: &impl Serialize) -> Response<Body> {
    let text = serde_json::to_string(body).unwrap_or_else(|_| "{}".into());
    let mut r = Response::new(Body::Text(text));
    *r.status_mut() = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    r
}

/// A page of the API's own origin (the reference page, the console): HTML cached five minutes,
/// with its Content-Security-Policy, `nosniff` and no referrer sent to other sites. The policy
/// is ASCII (hashes in base64, fixed words); were it not, the page would go out without it
/// rather than not at all, and the pages' tests would say so.
pub fn html_page(page: &str, policy: &str) -> Response<Body> {
    let mut r = Response::new(Body::Text(page.to_string()));
    *r.status_mut() = StatusCode::OK;
    let headers = r.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=300"),
    );
    if let Ok(policy) = HeaderValue::from_str(policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    r
}

pub fn no_content() -> Response<Body> {
    let mut r = Response::new(Body::Empty);
    *r.status_mut() = StatusCode::NO_CONTENT;
    r
}

pub fn header_str<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers().get(name).and_then(|v| v.to_str().ok())
}

/// A header's bytes as sent, for headers whose value is validated rather than ignored when it is
/// not plain ASCII.
pub fn header_bytes<'a>(req: &'a Request, name: &str) -> Option<&'a [u8]> {
    req.headers().get(name).map(|v| v.as_bytes())
}

/// Authenticates the request's bearer key, charges its rate limit and checks that it holds
/// `scope`.
pub async fn caller(app: &App, req: &Request, scope: Scope) -> Result<Caller, ApiError> {
    app.authenticate(
        header_str(req, "authorization"),
        scope,
        source_ip(req).as_deref(),
    )
    .await
}

/// The client's address as API Gateway saw it (what bad-key throttling counts by).
fn source_ip(req: &Request) -> Option<String> {
    match req.request_context_ref() {
        Some(lambda_http::request::RequestContext::ApiGatewayV2(ctx)) => {
            ctx.http.source_ip.clone().filter(|ip| !ip.is_empty())
        }
        _ => None,
    }
}

fn body_bytes(req: &Request) -> &[u8] {
    match req.body() {
        Body::Empty => &[],
        Body::Text(t) => t.as_bytes(),
        Body::Binary(b) => b,
        _ => &[],
    }
}

/// The request body as a JSON value: 413 when too large (over 6 MB, or more JSON values than
/// `domain::json::MAX_VALUES`), 415 when not JSON, 400 when malformed.
pub fn json_body(req: &Request) -> Result<serde_json::Value, ApiError> {
    let bytes = body_bytes(req);
    if bytes.len() > MAX_BODY_BYTES {
        return Err(ApiError::PayloadTooLarge);
    }
    let content_type = header_str(req, "content-type").unwrap_or("");
    let mime = content_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    if mime != "application/json" && !(mime.starts_with("application/") && mime.ends_with("+json"))
    {
        return Err(ApiError::UnsupportedMediaType);
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::InvalidJson("Request body is required".into()));
    }
    // Bounded: an array keeps one item past the longest list any endpoint takes, and a body of
    // more values than any valid request is a 413, so memory never grows with what was sent.
    domain::json::parse(bytes).map_err(|e| match e {
        domain::json::BodyError::Malformed(e) => {
            ApiError::InvalidJson(format!("Malformed JSON: {e}"))
        }
        domain::json::BodyError::TooManyValues => ApiError::TooManyValues,
    })
}

/// Like `json_body`, for endpoints whose body is optional: no body reads as `{}`.
pub fn optional_json_body(req: &Request) -> Result<serde_json::Value, ApiError> {
    if body_bytes(req).iter().all(u8::is_ascii_whitespace) {
        Ok(serde_json::json!({}))
    } else {
        json_body(req)
    }
}

/// For endpoints that take no fields: no body, or `{}`. A body that is sent is held to the
/// rules of every other (415, 400, 413), and each field in it is named in a 422: none is known.
pub fn empty_json_body(req: &Request) -> Result<(), ApiError> {
    let body = optional_json_body(req)?;
    let mut fields = domain::fields::Fields::root(&body)?;
    fields.deny_unknown(&[]);
    fields.finish()
}

/// A path id; one that is not a UUID cannot exist, so it answers like an unknown id.
pub fn path_id(req: &Request, name: &str, not_found: fn() -> ApiError) -> Result<Uuid, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first(name))
        .and_then(|v| Uuid::parse_str(v).ok())
        .ok_or_else(not_found)
}

/// The tenant of an operators' path (`/admin/tenants/{tenant_id}/...`). Tenant ids are opaque;
/// one that cannot exist answers like an unknown one.
pub fn tenant_path(req: &Request) -> Result<String, ApiError> {
    req.path_parameters_ref()
        .and_then(|p| p.first("tenant_id"))
        .filter(|t| !t.is_empty() && t.len() <= 128 && !t.contains('#'))
        .map(String::from)
        .ok_or_else(|| ApiError::NotFound("Tenant not found".into()))
}

/// The path's tenant, for operators' per-tenant endpoints: 404 unless a key was ever issued to
/// it, so a mistyped id never gets state of its own (a signing secret, say).
pub async fn known_tenant(app: &App, req: &Request) -> Result<String, ApiError> {
    let tenant = tenant_path(req)?;
    match app.db.tenant_exists(&tenant).await? {
        true => Ok(tenant),
        false => Err(ApiError::NotFound("Tenant not found".into())),
    }
}

pub fn query(req: &Request) -> HashMap<String, String> {
    req.query_string_parameters_ref()
        .map(|q| {
            q.iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        })
        .unwrap_or_default()
}

/// Query parameters: `limit`/`offset` plus the extra ones `read` picks out; unknown ones are named.
pub struct QueryParams {
    pub params: HashMap<String, String>,
    pub errors: Vec<FieldError>,
}

impl QueryParams {
    pub fn new(req: &Request, allowed: &[&str]) -> Self {
        let params = query(req);
        let mut names: Vec<&String> = params
            .keys()
            .filter(|k| {
                !allowed.contains(&k.as_str()) && !["limit", "offset"].contains(&k.as_str())
            })
            .collect();
        names.sort();
        let errors = names
            .into_iter()
            .map(|k| FieldError::new(k.clone(), format!("{k} is not a known query parameter")))
            .collect();
        Self { params, errors }
    }

    pub fn page(&mut self) -> Page {
        Page::from_query(&self.params, &mut self.errors)
    }

    /// `page` for lists the store pages by skipping: `offset` at most `paging::MAX_OFFSET`.
    pub fn bounded_page(&mut self) -> Page {
        Page::from_query_bounded(&self.params, &mut self.errors)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    pub fn choice<T>(
        &mut self,
        name: &str,
        parse: fn(&str) -> Option<T>,
        choices: &str,
    ) -> Option<T> {
        let raw = self.params.get(name)?;
        let parsed = parse(raw);
        if parsed.is_none() {
            self.errors.push(FieldError::new(
                name,
                format!("{name} must be one of {choices}"),
            ));
        }
        parsed
    }

    /// A timestamp parameter as a partner writes it (ISO 8601, `clock::parse_iso8601`); one that
    /// is not one, or names no instant we can represent, is an error naming it.
    pub fn timestamp(&mut self, name: &str) -> Option<time::OffsetDateTime> {
        let raw = self.params.get(name)?;
        let t = domain::clock::parse_iso8601(raw);
        if t.is_none() {
            self.errors.push(FieldError::new(
                name,
                format!("{name} must be an ISO 8601 timestamp, e.g. 2026-03-01T10:30:00Z"),
            ));
        }
        t
    }

    pub fn finish(self) -> Result<(), ApiError> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.errors))
        }
    }
}

/// How a use case's outcome (`api::usecases`) answers: the one table of success statuses, beside
/// `status_of` for errors.
pub trait Reply {
    /// The status that answers this outcome.
    const STATUS: u16;
    /// The JSON body; `None` for an answer without one.
    fn into_body(self) -> Option<serde_json::Value>;
}

/// The body as a `Value` first, as every answer has always been written: object keys sorted.
fn value(body: &impl Serialize) -> Option<serde_json::Value> {
    Some(serde_json::to_value(body).unwrap_or_default())
}

impl<T: Serialize> Reply for Found<T> {
    const STATUS: u16 = 200;
    fn into_body(self) -> Option<serde_json::Value> {
        value(&self.0)
    }
}

impl<T: Serialize> Reply for Listed<T> {
    const STATUS: u16 = 200;
    fn into_body(self) -> Option<serde_json::Value> {
        value(&self.0)
    }
}

impl<T: Serialize> Reply for Updated<T> {
    const STATUS: u16 = 200;
    fn into_body(self) -> Option<serde_json::Value> {
        value(&self.0)
    }
}

impl<T: Serialize> Reply for Created<T> {
    const STATUS: u16 = 201;
    fn into_body(self) -> Option<serde_json::Value> {
        value(&self.0)
    }
}

impl<T: Serialize> Reply for Accepted<T> {
    const STATUS: u16 = 202;
    fn into_body(self) -> Option<serde_json::Value> {
        value(&self.0)
    }
}

impl Reply for Deleted {
    const STATUS: u16 = 204;
    fn into_body(self) -> Option<serde_json::Value> {
        None
    }
}

/// The use case's outcome as the response the partner sees.
pub fn reply<R: Reply>(outcome: R) -> HandlerResult {
    Ok(match outcome.into_body() {
        Some(body) => json(R::STATUS, &body),
        None => no_content(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::arb::string;
    use domain::order::{OrderStatus, OrderType};
    use lambda_http::RequestExt;
    use proptest::prelude::*;

    fn query_value() -> impl Strategy<Value = String> {
        prop_oneof![
            3 => string(),
            1 => any::<i128>().prop_map(|n| n.to_string()),
            1 => prop::sample::select(vec![
                "", " ", "RECEIVED", " RECEIVED", "received", "DISCOVERY", "+5", "1e2", "-0",
                "18446744073709551616", "100", "101", "2026-03-01", "9999-12-31T23:59:59-01:00",
            ])
            .prop_map(String::from),
        ]
    }

    fn params() -> impl Strategy<Value = HashMap<String, String>> {
        prop::collection::hash_map(
            prop_oneof![
                4 => prop::sample::select(vec![
                    "limit", "offset", "status", "order_type", "delivered_since", "tenant_id",
                ])
                .prop_map(String::from),
                1 => string(),
            ],
            query_value(),
            0..5,
        )
    }

    proptest! {
        /// Every list endpoint's query string, parsed as its handler does (list-orders,
        /// admin-list-orders, get-order-results, list-api-keys; the other lists take only
        /// limit and offset): never a panic, and every error names a parameter that was sent,
        /// an unknown or invalid one always among them.
        #[test]
        fn a_query_string_is_read_or_its_parameters_named(params in params()) {
            let req = Request::default().with_query_string_parameters(params.clone());
            for allowed in [
                &["status", "order_type"][..],
                &["status"][..],
                &["delivered_since"][..],
                &["tenant_id"][..],
                &[][..],
            ] {
                let mut q = QueryParams::new(&req, allowed);
                let page = q.page();
                prop_assert!((1..=domain::paging::MAX_LIMIT).contains(&page.limit));
                let status = allowed.contains(&"status").then(|| {
                    q.choice("status", OrderStatus::parse, &OrderStatus::choices())
                });
                let order_type = allowed.contains(&"order_type").then(|| {
                    q.choice("order_type", OrderType::parse, &OrderType::choices())
                });
                let since = allowed.contains(&"delivered_since").then(|| q.timestamp("delivered_since"));
                let _ = q.get("tenant_id");
                let named: Vec<String> = q.errors.iter().map(|e| e.field.clone()).collect();
                for e in &q.errors {
                    prop_assert!(params.contains_key(&e.field), "{e:?} names no parameter sent");
                    prop_assert!(!e.message.is_empty());
                }
                for (k, v) in &params {
                    let known = allowed.contains(&k.as_str()) || k == "limit" || k == "offset";
                    let invalid = !known
                        || (k == "status" && status.flatten().is_none())
                        || (k == "order_type" && order_type.flatten().is_none())
                        || (k == "delivered_since" && since.flatten().is_none())
                        || (k == "limit" && !v.parse::<usize>().is_ok_and(|n| (1..=100).contains(&n)))
                        || (k == "offset" && v.parse::<usize>().is_err());
                    prop_assert_eq!(named.contains(k), invalid, "{} = {:?} ({:?})", k, v, allowed);
                }
                prop_assert_eq!(q.finish().is_err(), !named.is_empty());
            }
        }
    }

    fn answered(r: HandlerResult) -> (u16, Option<String>, String) {
        let r = r.unwrap();
        let content_type = r
            .headers()
            .get(header::CONTENT_TYPE)
            .map(|v| v.to_str().unwrap().to_string());
        let body = match r.body() {
            Body::Empty => String::new(),
            Body::Text(t) => t.clone(),
            other => panic!("{other:?}"),
        };
        (r.status().as_u16(), content_type, body)
    }

    #[test]
    fn every_outcome_answers_its_status_with_its_body_keys_sorted() {
        #[derive(Serialize)]
        struct Thing {
            z: u8,
            a: &'static str,
        }
        let thing = || Thing { z: 1, a: "x" };
        let body = r#"{"a":"x","z":1}"#.to_string();
        let json = Some("application/json".to_string());
        assert_eq!(
            answered(reply(Found(thing()))),
            (200, json.clone(), body.clone())
        );
        assert_eq!(
            answered(reply(Updated(thing()))),
            (200, json.clone(), body.clone())
        );
        assert_eq!(
            answered(reply(Created(thing()))),
            (201, json.clone(), body.clone())
        );
        assert_eq!(
            answered(reply(Accepted(thing()))),
            (202, json.clone(), body)
        );
        assert_eq!(answered(reply(Deleted)), (204, None, String::new()));
        let page = Page {
            limit: 2,
            offset: 0,
        };
        assert_eq!(
            answered(reply(Listed::new(vec![3, 4], 5, page, |n| n * 10))),
            (
                200,
                json,
                r#"{"has_more":true,"items":[30,40],"limit":2,"offset":0,"total":5}"#.into()
            )
        );
    }

    #[test]
    fn every_error_answers_its_contract_status() {
        let cases = [
            (ApiError::InvalidJson("x".into()), 400),
            (ApiError::Unauthorized, 401),
            (ApiError::Forbidden("admin".into()), 403),
            (ApiError::OrderNotFound, 404),
            (ApiError::BlacklistNotFound, 404),
            (ApiError::EntryNotFound, 404),
            (ApiError::ProfileNotFound, 404),
            (ApiError::NotFound("x".into()), 404),
            (ApiError::InvalidStatusTransition("x".into()), 409),
            (ApiError::IdempotencyKeyReused, 409),
            (ApiError::LimitExceeded("x".into()), 409),
            (ApiError::PayloadTooLarge, 413),
            (ApiError::TooManyValues, 413),
            (ApiError::UnsupportedMediaType, 415),
            (ApiError::validation("f", "m"), 422),
            (ApiError::RateLimited(3), 429),
            (ApiError::Internal("x".into()), 500),
            (ApiError::Unavailable("x".into()), 503),
        ];
        for (e, status) in cases {
            assert_eq!(status_of(e.code()), status, "{}", e.code());
            assert_eq!(error_response(&e, "r1").status().as_u16(), status);
        }
    }
}
