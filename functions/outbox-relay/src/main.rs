use lambda_runtime::{service_fn, LambdaEvent};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    api::logs::init_tracing();
    let app = Arc::new(api::app::App::from_env_wired(&[events_sqs::wire]).await?);
    let grace = outbox_relay::grace_from_env()?;
    lambda_runtime::run(service_fn(move |_: LambdaEvent<serde_json::Value>| {
        let app = app.clone();
        async move {
            outbox_relay::sweep(&app, grace)
                .await
                .map_err(|e| lambda_runtime::Error::from(e.to_string()))
        }
    }))
    .await
}
