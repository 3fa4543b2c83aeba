use aws_lambda_events::sqs::SqsEvent;
use lambda_runtime::{service_fn, LambdaEvent};
use std::sync::Arc;

#[tokio::main]
async fn main() -> Result<(), lambda_runtime::Error> {
    api::logs::init_tracing();
    let dispatcher = Arc::new(webhook_dispatcher::from_env().await?);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<SqsEvent>| {
        let dispatcher = dispatcher.clone();
        async move { Ok::<_, lambda_runtime::Error>(dispatcher.handle(event.payload).await) }
    }))
    .await
}
