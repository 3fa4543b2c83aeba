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

/// A `Type: Schedule` event of a function: invoke it every `every`.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleSource {
    pub function: String,
    pub every: std::time::Duration,
}

/// Every `Type: Schedule` event with a `rate(...)` expression.
pub fn schedule_sources(template: &Template) -> Result<Vec<ScheduleSource>> {
    let mut out = Vec::new();
    for (id, props) in template.resources("AWS::Serverless::Function") {
        let Some(events) = props.get("Events").and_then(|e| e.as_mapping()) else {
            continue;
        };
        for (_, e) in events {
            if e.get("Type").and_then(|t| t.as_str()) != Some("Schedule") {
                continue;
            }
            let expr = e
                .get("Properties")
                .and_then(|p| p.get("Schedule"))
                .and_then(|s| s.as_str())
                .ok_or_else(|| anyhow!("{id}: Schedule event without a Schedule"))?;
            out.push(ScheduleSource {
                function: template
                    .function_binary(&id)
                    .ok_or_else(|| anyhow!("{id} has no binary"))?,
                every: parse_rate(expr)
                    .ok_or_else(|| anyhow!("{id}: unsupported schedule {expr}"))?,
            });
        }
    }
    Ok(out)
}

/// `rate(5 minutes)` and friends (EventBridge's rate expressions).
pub fn parse_rate(expr: &str) -> Option<std::time::Duration> {
    let inner = expr.trim().strip_prefix("rate(")?.strip_suffix(')')?;
    let (n, unit) = inner.trim().split_once(' ')?;
    let n: u64 = n.parse().ok()?;
    let secs = match unit.trim().trim_end_matches('s') {
        "minute" => 60,
        "hour" => 3600,
        "day" => 86_400,
        _ => return None,
    };
    Some(std::time::Duration::from_secs(n * secs))
}

/// Plays every SQS and schedule event source of the template until `stop` (the local stack's
/// Lambda service for queues and EventBridge). Queue names are the template's logical ids, as
/// provisioning creates them.
pub async fn run(
    sdk: &aws_config::SdkConfig,
    template: &Template,
    invoker: std::sync::Arc<dyn Invoker>,
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
) -> Result<()> {
    use std::sync::atomic::Ordering;
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let (mut urls, mut arns) = (BTreeMap::new(), BTreeMap::new());
    let sources = sqs_sources(template)?;
    for s in &sources {
        let url = sqs
            .get_queue_url()
            .queue_name(&s.queue)
            .send()
            .await?
            .queue_url
            .unwrap_or_default();
        let arn = sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(aws_sdk_sqs::types::QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|a| {
                a.get(&aws_sdk_sqs::types::QueueAttributeName::QueueArn)
                    .cloned()
            })
            .unwrap_or_default();
        urls.insert(s.queue.clone(), url);
        arns.insert(s.queue.clone(), arn);
    }
    let (urls, arns) = (std::sync::Arc::new(urls), std::sync::Arc::new(arns));
    let mut tasks = Vec::new();
    for source in sources {
        let (sqs, invoker, stop, urls, arns) = (
            sqs.clone(),
            invoker.clone(),
            stop.clone(),
            urls.clone(),
            arns.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::SeqCst) {
                if let Err(e) = poll_once(&sqs, &source, &urls, &arns, invoker.as_ref()).await {
                    eprintln!("event source {}: {e:#}", source.function);
                    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                }
            }
        }));
    }
    for source in schedule_sources(template)? {
        let (invoker, stop) = (invoker.clone(), stop.clone());
        tasks.push(tokio::spawn(async move {
            let mut tick = tokio::time::interval(source.every);
            tick.tick().await;
            while !stop.load(Ordering::SeqCst) {
                tick.tick().await;
                let event =
                    json!({"source": "aws.events", "detail-type": "Scheduled Event", "detail": {}});
                if let Err(e) = invoker.invoke(&source.function, event).await {
                    eprintln!(
                        "schedule {}: {}: {}",
                        source.function, e.error_type, e.message
                    );
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_expressions() {
        assert_eq!(
            parse_rate("rate(1 minute)"),
            Some(std::time::Duration::from_secs(60))
        );
        assert_eq!(
            parse_rate("rate(5 minutes)"),
            Some(std::time::Duration::from_secs(300))
        );
        assert_eq!(
            parse_rate("rate(2 hours)"),
            Some(std::time::Duration::from_secs(7200))
        );
        assert_eq!(parse_rate("cron(0 12 * * ? *)"), None);
    }
}
