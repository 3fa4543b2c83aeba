//! What a function builds once per container: configuration, AWS clients, the key cache.
use crate::auth::{self, cache::KeyCache, Caller, Scope};
use crate::config::Config;
use crate::store::ports::ApiKeys;
use crate::store::Dynamo;
use crate::ApiError;

pub struct App {
    pub config: Config,
    pub db: Dynamo,
    pub key_cache: KeyCache,
    pub sqs: aws_sdk_sqs::Client,
    pub sfn: aws_sdk_sfn::Client,
}

/// `sdk` with explicit connect/attempt/operation timeouts and a bounded retry budget: the SDK's
/// defaults wait indefinitely for a stalled endpoint (API Gateway would cut the request at 30 s
/// with a bare 504 and no envelope).
pub fn bounded(
    sdk: &aws_config::SdkConfig,
    t: &crate::config::AwsTimeouts,
) -> aws_config::SdkConfig {
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

impl App {
    pub fn new(config: Config, sdk: &aws_config::SdkConfig) -> Self {
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
        );
        Self {
            key_cache: KeyCache::new(config.auth_cache_ttl),
            config,
            db,
            sqs: aws_sdk_sqs::Client::new(&sdk),
            sfn: aws_sdk_sfn::Client::new(&sdk),
        }
    }

    /// Reads the environment and the AWS configuration (region, credentials, `AWS_ENDPOINT_URL`).
    pub async fn from_env() -> Result<Self, String> {
        let config = Config::from_env()?;
        let sdk = aws_config::load_defaults(aws_config::BehaviorVersion::latest()).await;
        Ok(Self::new(config, &sdk))
    }

    /// The caller behind `Authorization: Bearer <key>`, holding `scope`. Any problem with the key
    /// itself is the same 401, so a caller learns nothing about which keys exist.
    pub async fn authenticate(
        &self,
        authorization: Option<&str>,
        scope: Scope,
    ) -> Result<Caller, ApiError> {
        let presented = auth::bearer(authorization).ok_or(ApiError::Unauthorized)?;
        let id = auth::claimed_id(presented).ok_or(ApiError::Unauthorized)?;
        let record = match self.key_cache.get(&id) {
            Some(r) => r,
            None => {
                let r = self.db.get_key(id).await?.ok_or(ApiError::Unauthorized)?;
                self.key_cache.put(r.clone());
                r
            }
        };
        if !auth::verify(&record, presented, crate::clock::now()) {
            return Err(ApiError::Unauthorized);
        }
        let caller = Caller {
            key_id: record.key_id,
            tenant_id: record.tenant_id,
            scopes: record.scopes,
        };
        caller.require(scope)?;
        Ok(caller)
    }
}
