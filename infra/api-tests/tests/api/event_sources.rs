//! SQS event sources are played as Lambda plays them: batches, deletion of what succeeded,
//! `batchItemFailures` left on the queue, and redrive to the dead-letter queue in the end.
use crate::harness::*;
use ops::bridge::{InvokeError, Invoker};
use ops::event_sources::{poll_once, sqs_sources, SqsSource};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::sync::Mutex;

/// Fails the messages whose body says "fail", through `batchItemFailures`.
struct Consumer {
    seen: Mutex<Vec<String>>,
}

#[async_trait::async_trait]
impl Invoker for Consumer {
    async fn invoke(&self, function: &str, event: Value) -> Result<Value, InvokeError> {
        assert_eq!(function, "webhook-consumer");
        let mut failures = vec![];
        for r in event["Records"].as_array().unwrap() {
            assert_eq!(r["eventSource"], "aws:sqs");
            let body = r["body"].as_str().unwrap().to_string();
            if body.starts_with("fail") {
                failures.push(json!({"itemIdentifier": r["messageId"]}));
            }
            self.seen.lock().unwrap().push(body);
        }
        Ok(json!({"batchItemFailures": failures}))
    }
}

#[tokio::test]
async fn sqs_event_sources_are_played_like_lambda() {
    let template = ops::template::Template::parse(
        "Resources:\n  Consumer:\n    Type: AWS::Serverless::Function\n    Metadata: {BuildProperties: {Binary: webhook-consumer}}\n    Properties:\n      Events:\n        Q:\n          Type: SQS\n          Properties: {Queue: !GetAtt Work.Arn, BatchSize: 5, FunctionResponseTypes: [ReportBatchItemFailures]}\n",
    )
    .unwrap();
    let sources = sqs_sources(&template).unwrap();
    assert_eq!(
        sources,
        vec![SqsSource {
            function: "webhook-consumer".into(),
            queue: "Work".into(),
            batch_size: 5,
            report_failures: true
        }]
    );

    let sqs = &sqs().await;
    let name = format!("work-{}", uuid::Uuid::new_v4().simple());
    let dlq = sqs
        .create_queue()
        .queue_name(format!("{name}-dlq"))
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let dlq_arn = sqs
        .get_queue_attributes()
        .queue_url(&dlq)
        .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
        .send()
        .await
        .unwrap()
        .attributes
        .unwrap()[&aws_sdk_sqs::types::QueueAttributeName::QueueArn]
        .clone();
    let url = sqs
        .create_queue()
        .queue_name(&name)
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::VisibilityTimeout,
            "0",
        )
        .attributes(
            aws_sdk_sqs::types::QueueAttributeName::RedrivePolicy,
            json!({"deadLetterTargetArn": dlq_arn, "maxReceiveCount": "2"}).to_string(),
        )
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    for body in ["ok-1", "fail-2", "ok-3"] {
        sqs.send_message()
            .queue_url(&url)
            .message_body(body)
            .send()
            .await
            .unwrap();
    }
    let urls = BTreeMap::from([("Work".to_string(), url.clone())]);
    let consumer = Consumer {
        seen: Mutex::new(vec![]),
    };
    for _ in 0..6 {
        poll_once(sqs, &sources[0], &urls, &BTreeMap::new(), &consumer)
            .await
            .unwrap();
    }
    let seen = consumer.seen.lock().unwrap().clone();
    assert_eq!(
        seen.iter().filter(|b| b.starts_with("ok")).count(),
        2,
        "successes are delivered once and deleted: {seen:?}"
    );
    assert_eq!(
        seen.iter().filter(|b| *b == "fail-2").count(),
        2,
        "the failure is redelivered up to maxReceiveCount: {seen:?}"
    );
    let left = sqs
        .receive_message()
        .queue_url(&url)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    assert!(left.messages().is_empty());
    let dead = sqs
        .receive_message()
        .queue_url(&dlq)
        .wait_time_seconds(1)
        .send()
        .await
        .unwrap();
    assert_eq!(
        dead.messages()
            .iter()
            .map(|m| m.body().unwrap())
            .collect::<Vec<_>>(),
        vec!["fail-2"],
        "then it lands in the dead-letter queue"
    );
}
