//! Plays the SQS event source mappings of `template.yaml` locally, as Lambda does: poll the queue,
//! invoke the function with an SQS event, delete what succeeded, honour `batchItemFailures`
//! (`ReportBatchItemFailures`), and leave failed messages for SQS to redeliver and, after
//! `maxReceiveCount`, redrive to the dead-letter queue.
use crate::bridge::Invoker;
use crate::template::{Reference, Template};
use anyhow::{anyhow, Result};
use serde_json::{json, Value};
use std::collections::{BTreeMap, HashSet};

#[derive(Debug, Clone, PartialEq)]
pub struct SqsSource {
    pub function: String,
    /// Logical id of the queue resource.
    pub queue: String,
    pub batch_size: i32,
    pub report_failures: bool,
}

/// Every `Type: SQS` event of every function.
pub fn sqs_sources(template: &Template) -> Result<Vec<SqsSource>> {
    let mut out = Vec::new();
    for (id, props) in template.resources("AWS::Serverless::Function") {
        let Some(events) = props.get("Events").and_then(|e| e.as_mapping()) else {
            continue;
        };
        for (_, e) in events {
            if e.get("Type").and_then(|t| t.as_str()) != Some("SQS") {
                continue;
            }
            let p = e
                .get("Properties")
                .ok_or_else(|| anyhow!("{id}: SQS event without Properties"))?;
            let queue = match p.get("Queue").map(crate::template::reference).transpose()? {
                Some(Reference::GetAtt(q, _)) | Some(Reference::Ref(q)) => q,
                other => return Err(anyhow!("{id}: unsupported queue {other:?}")),
            };
            out.push(SqsSource {
                function: template
                    .function_binary(&id)
                    .ok_or_else(|| anyhow!("{id} has no binary"))?,
                queue,
                batch_size: p
                    .get("BatchSize")
                    .and_then(|b| b.as_i64())
                    .unwrap_or(10)
                    .clamp(1, 10) as i32,
                report_failures: p
                    .get("FunctionResponseTypes")
                    .and_then(|t| t.as_sequence())
                    .is_some_and(|t| {
                        t.iter()
                            .any(|v| v.as_str() == Some("ReportBatchItemFailures"))
                    }),
            });
        }
    }
    Ok(out)
}

/// One poll of one source: returns how many messages were handed to the function.
pub async fn poll_once(
    sqs: &aws_sdk_sqs::Client,
    source: &SqsSource,
    queue_urls: &BTreeMap<String, String>,
    queue_arns: &BTreeMap<String, String>,
    invoker: &dyn Invoker,
) -> Result<usize> {
    let url = queue_urls
        .get(&source.queue)
        .ok_or_else(|| anyhow!("queue {} not provisioned", source.queue))?;
    let got = sqs
        .receive_message()
        .queue_url(url)
        .max_number_of_messages(source.batch_size)
        .wait_time_seconds(1)
        .message_system_attribute_names(aws_sdk_sqs::types::MessageSystemAttributeName::All)
        .message_attribute_names("All")
        .send()
        .await?;
    let messages = got.messages.unwrap_or_default();
    if messages.is_empty() {
        return Ok(0);
    }
    let records: Vec<Value> = messages
        .iter()
        .map(|m| {
            json!({
                "messageId": m.message_id(), "receiptHandle": m.receipt_handle(), "body": m.body(),
                "attributes": m.attributes().map(|a| a.iter().map(|(k, v)| (k.as_str().to_string(), json!(v))).collect::<serde_json::Map<_, _>>()),
                "messageAttributes": {}, "md5OfBody": m.md5_of_body(), "eventSource": "aws:sqs",
                "eventSourceARN": queue_arns.get(&source.queue), "awsRegion": "us-east-1",
            })
        })
        .collect();
    let outcome = invoker
        .invoke(&source.function, json!({"Records": records}))
        .await;
    let failed: HashSet<String> = match &outcome {
        Err(_) => messages
            .iter()
            .filter_map(|m| m.message_id().map(String::from))
            .collect(),
        Ok(v) if source.report_failures => v
            .get("batchItemFailures")
            .and_then(Value::as_array)
            .map(|f| {
                f.iter()
                    .filter_map(|x| {
                        x.get("itemIdentifier")
                            .and_then(Value::as_str)
                            .map(String::from)
                    })
                    .collect()
            })
            .unwrap_or_default(),
        Ok(_) => HashSet::new(),
    };
    for m in &messages {
        if !failed.contains(m.message_id().unwrap_or_default()) {
            if let Some(h) = m.receipt_handle() {
                sqs.delete_message()
                    .queue_url(url)
                    .receipt_handle(h)
                    .send()
                    .await?;
            }
        }
    }
    Ok(messages.len())
}
