//! What a function builds once per container: configuration, AWS clients, the key cache.
use crate::ports::{Queue, Runs, Unwired};
use auth::{self, cache::KeyCache, Caller, Scope};
use config::Config;
use domain::ApiError;
use std::sync::Arc;
use store::Dynamo;

pub struct App {
    pub config: Config,
    pub db: Dynamo,
    pub key_cache: KeyCache,
    pub limiter: store::limiter::Limiter,
    /// Recent previews' answers (`usecases::preview`), empty in every other function.
    pub previews: crate::preview_cache::Cache,
    /// The message queue, for functions wired with `events-sqs`.
    pub queue: Arc<dyn Queue>,
    /// Order runs, for functions wired with `runs-sfn`.
    pub runs: Arc<dyn Runs>,
}

/// Adds an adapter a function uses to its `App` (e.g. `events_sqs::wire`), from the same
/// bounded SDK configuration as the table's client.
pub type Wire = fn(&mut App, &aws_config::SdkConfig);

/// The adapters of a function: none for those that need only the table.
pub type Wiring = &'static [Wire];

/// An SDK client built on its first use: a function pays for a client only on the requests that
/// call it (most cancellations stop no run; events go out only for orders with a webhook).
pub struct OnFirstUse<C> {
    sdk: aws_config::SdkConfig,
    build: fn(&aws_config::SdkConfig) -> C,
    client: std::sync::OnceLock<C>,
}

impl<C> OnFirstUse<C> {
    pub fn new(sdk: &aws_config::SdkConfig, build: fn(&aws_config::SdkConfig) -> C) -> Self {
        Self {
            sdk: sdk.clone(),
            build,
            client: std::sync::OnceLock::new(),
        }
    }

    pub fn get(&self) -> &C {
        self.client.get_or_init(|| (self.build)(&self.sdk))
    }
}

/// `sdk` with explicit connect/attempt/operation timeouts and a bounded retry budget: the SDK's
/// defaults wait indefinitely for a stalled endpoint (API Gateway would cut the request at 30 s
/// with a bare 504 and no envelope).
pub fn bounded(sdk: &aws_config::SdkConfig, t: &config::AwsTimeouts) -> aws_config::SdkConfig {
    let timeouts = aws_config::timeout::TimeoutConfig::builder()
        .connect_timeout(t.connect)
        .read_timeout(t.attempt)
        .operation_attempt_timeout(t.attempt)
        .operation_timeout(t.operation)
        .build();
    sdk.to_builder()
        .timeout_config(timeouts)
        .retry_config(aws_config::retry::RetryConfig::standard().with_max_attempts(t.max_attempts))
        .build()
}

/// The AWS configuration of the environment (region, credentials, `AWS_ENDPOINT_URL`), with the
/// function's name as the SDK's application name: it travels in every call's user agent, so
/// CloudTrail (and the local emulator's call log, which checks template.yaml's policies) can tell
/// which function made a call.
pub async fn load_sdk() -> aws_config::SdkConfig {
    let loader = aws_config::defaults(aws_config::BehaviorVersion::latest());
    let app_name = std::env::var("AWS_LAMBDA_FUNCTION_NAME")
        .ok()
        .and_then(|name| aws_config::AppName::new(name).ok());
    match app_name {
        Some(name) => loader.app_name(name).load().await,
        None => loader.load().await,
    }
}

impl App {
    pub fn new(config: Config, sdk: &aws_config::SdkConfig) -> Self {
        Self::wired(config, sdk, &[])
    }

    /// The table's client and the adapters of `wiring`, all with the configured limits.
    pub fn wired(config: Config, sdk: &aws_config::SdkConfig, wiring: Wiring) -> Self {
        let sdk = bounded(sdk, &config.aws);
        let mut dynamo = aws_sdk_dynamodb::config::Builder::from(&sdk);
        if !config.aws.retry_quota {
            use aws_smithy_runtime::client::retries::{RetryPartition, TokenBucket};
            dynamo = dynamo.retry_partition(
                RetryPartition::custom("dynamodb-tasks")
                    .token_bucket(TokenBucket::unlimited())
                    .build(),
            );
        }
        let db = Dynamo::new(
            aws_sdk_dynamodb::Client::from_conf(dynamo.build()),
            config.table_name.clone(),
        )
        .with_contention_budget(config.aws.operation)
        .with_limits(config.limits);
        let mut app = Self {
            key_cache: KeyCache::new(config.auth_cache_ttl),
            limiter: Default::default(),
            previews: crate::preview_cache::Cache::new(config.preview.cache_ttl),
            config,
            db,
            queue: Arc::new(Unwired("a message queue client")),
            runs: Arc::new(Unwired("a Step Functions client")),
        };
        for wire in wiring {
            wire(&mut app, &sdk);
        }
        app
    }

    /// Reads the environment and the AWS configuration (region, credentials, `AWS_ENDPOINT_URL`).
    pub async fn from_env() -> Result<Self, String> {
        Self::from_env_wired(&[]).await
    }

    /// `from_env` with the adapters of `wiring`.
    pub async fn from_env_wired(wiring: Wiring) -> Result<Self, String> {
        let config = Config::from_env()?;
        let sdk = load_sdk().await;
        Ok(Self::wired(config, &sdk, wiring))
    }

    /// The caller behind `Authorization: Bearer <key>`, holding `scope`, charged to its key's
    /// rate limit. Any problem with the key itself is the same 401, so a caller learns nothing
    /// about which keys exist; a `source` (the client's address) failing too often gets 429s for
    /// its bad keys. Only a failed verification counts against the source, so a valid key is
    /// never refused for the bad keys of others behind the same address; and only a verified
    /// record is cached, so a wrong secret for an existing id costs the same read as an unknown id.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
        scope: Scope,
        source: Option<&str>,
    ) -> Result<Caller, ApiError> {
        let presented = auth::bearer(authorization);
        let id = presented.and_then(auth::claimed_id);
        let cached = id.and_then(|id| self.key_cache.get(&id));
        let from_cache = cached.is_some();
        let record = match (cached, id) {
            (Some(record), _) => Some(record),
            (None, Some(id)) => self.db.get_key(id).await?,
            (None, None) => None,
        };
        let verified = record
            .zip(presented)
            .filter(|(r, presented)| auth::verify(r, presented, domain::clock::now()));
        let Some((record, _)) = verified else {
            return Err(match source {
                Some(source) => self.limiter.failed(&self.db, source).await,
                None => ApiError::Unauthorized,
            });
        };
        if !from_cache {
            // Re-putting a cached record would extend its life past the TTL at every request.
            self.key_cache.put(record.clone());
        }
        let charged = self
            .limiter
            .charge(
                &self.db,
                &store::limiter::key_subject(record.key_id),
                auth::rate::Bucket::new(record.rate_limit_per_minute),
            )
            .await;
        if let Err(ApiError::Unauthorized) = charged {
            // Revoked since this container cached it.
            self.key_cache.forget(&record.key_id);
        }
        charged?;
        let caller = Caller {
            key_id: record.key_id,
            tenant_id: record.tenant_id,
            scopes: record.scopes,
        };
        tracing::Span::current().record("tenant_id", caller.tenant_id.as_str());
        caller.require(scope)?;
        Ok(caller)
    }
}
