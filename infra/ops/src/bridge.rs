//! The local bridge (infra/README.md, the `ops/src/bridge.rs` row): the emulator cannot call a
//! Lambda, so the state machine is created from the same ASL with every `lambda:invoke` task
//! rewritten into an SQS callback task on a local queue; this loop receives those messages, invokes
//! the named function (in-process in tests, through `cargo lambda watch` in `make dev`) and answers
//! with `SendTaskSuccess` (`{"Payload": result}`, like Lambda) or `SendTaskFailure` carrying the
//! function's `errorType`, so Retry/Catch behave as in AWS.
use anyhow::Result;
use async_trait::async_trait;
use serde_json::{json, Value};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub const TASK_QUEUE: &str = "LocalTaskQueue";
const LAMBDA_INVOKE: &str = "arn:aws:states:::lambda:invoke";

/// A function failure as Lambda reports it.
#[derive(Debug, Clone)]
pub struct InvokeError {
    pub error_type: String,
    pub message: String,
}

#[async_trait]
pub trait Invoker: Send + Sync {
    async fn invoke(&self, function: &str, payload: Value) -> Result<Value, InvokeError>;
}

/// Rewrites every `lambda:invoke` Task (at any depth, Map processors included) into
/// `sqs:sendMessage.waitForTaskToken` on `queue_url`, keeping Retry/Catch/ResultSelector.
pub fn rewrite_lambda_tasks(definition: &mut Value, queue_url: &str) {
    match definition {
        Value::Object(map) => {
            if map.get("Type").and_then(Value::as_str) == Some("Task")
                && map.get("Resource").and_then(Value::as_str) == Some(LAMBDA_INVOKE)
            {
                let params = map.remove("Parameters").unwrap_or(json!({}));
                let function = params
                    .get("FunctionName")
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let function = function.rsplit(':').next().unwrap_or(function).to_string();
                let mut body = json!({"function": function, "token.$": "$$.Task.Token"});
                match (params.get("Payload"), params.get("Payload.$")) {
                    (Some(p), _) => body["payload"] = p.clone(),
                    (None, Some(path)) => body["payload.$"] = path.clone(),
                    _ => body["payload.$"] = json!("$"),
                }
                map.insert(
                    "Resource".into(),
                    json!("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
                );
                map.insert(
                    "Parameters".into(),
                    json!({"QueueUrl": queue_url, "MessageBody": body}),
                );
            }
            for v in map.values_mut() {
                rewrite_lambda_tasks(v, queue_url);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite_lambda_tasks(v, queue_url)),
        _ => {}
    }
}

pub struct Bridge {
    stop: Arc<AtomicBool>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Bridge {
    /// Runs the bridge loop on its own thread and runtime until dropped.
    pub fn spawn(endpoint: String, queue_url: String, invoker: Arc<dyn Invoker>) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(run(endpoint, queue_url, invoker, flag));
        });
        Self {
            stop,
            handle: Some(handle),
        }
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
    }
}

pub async fn run(
    endpoint: String,
    queue_url: String,
    invoker: Arc<dyn Invoker>,
    stop: Arc<AtomicBool>,
) {
    let sdk = crate::sdk_for(&endpoint).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let sfn = aws_sdk_sfn::Client::new(&sdk);
    while !stop.load(Ordering::SeqCst) {
        let received = sqs
            .receive_message()
            .queue_url(&queue_url)
            .max_number_of_messages(10)
            .wait_time_seconds(1)
            .send()
            .await;
        let messages = match received {
            Ok(out) => out.messages.unwrap_or_default(),
            Err(e) => {
                eprintln!(
                    "bridge: receive failed: {}",
                    aws_sdk_sqs::error::DisplayErrorContext(&e)
                );
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                continue;
            }
        };
        for m in messages {
            // Delete first: Step Functions owns retries (through the task token), not SQS.
            if let Some(handle) = m.receipt_handle() {
                let _ = sqs
                    .delete_message()
                    .queue_url(&queue_url)
                    .receipt_handle(handle)
                    .send()
                    .await;
            }
            let (sfn, invoker) = (sfn.clone(), invoker.clone());
            tokio::spawn(
                async move { answer(&sfn, invoker.as_ref(), m.body().unwrap_or("{}")).await },
            );
        }
    }
}

async fn answer(sfn: &aws_sdk_sfn::Client, invoker: &dyn Invoker, body: &str) {
    let msg: Value = serde_json::from_str(body).unwrap_or(json!({}));
    let token = msg["token"].as_str().unwrap_or_default().to_string();
    let function = msg["function"].as_str().unwrap_or_default().to_string();
    let outcome = invoker.invoke(&function, msg["payload"].clone()).await;
    let sent = match outcome {
        Ok(v) => sfn
            .send_task_success()
            .task_token(&token)
            .output(json!({"Payload": v}).to_string())
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{}", aws_sdk_sfn::error::DisplayErrorContext(&e))),
        Err(e) => sfn
            .send_task_failure()
            .task_token(&token)
            .error(&e.error_type)
            .cause(&e.message)
            .send()
            .await
            .map(|_| ())
            .map_err(|e| format!("{}", aws_sdk_sfn::error::DisplayErrorContext(&e))),
    };
    if let Err(e) = sent {
        // Typically a task of a stopped execution: nothing is waiting for it any more.
        eprintln!("bridge: answering {function} failed: {e}");
    }
}

/// Invokes functions through `cargo lambda watch`'s Lambda invoke API (`make dev`).
pub struct HttpInvoker {
    pub base_url: String,
    pub client: reqwest::Client,
}

#[async_trait]
impl Invoker for HttpInvoker {
    async fn invoke(&self, function: &str, payload: Value) -> Result<Value, InvokeError> {
        let url = format!(
            "{}/2015-03-31/functions/{function}/invocations",
            self.base_url
        );
        let resp = self
            .client
            .post(&url)
            .header("content-type", "application/json")
            .body(payload.to_string())
            .send()
            .await
            .map_err(|e| InvokeError {
                error_type: "Lambda.ServiceException".into(),
                message: e.to_string(),
            })?;
        let failed =
            resp.headers().contains_key("x-amz-function-error") || !resp.status().is_success();
        let body: Value = resp
            .bytes()
            .await
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or(Value::Null);
        let error_type = body
            .get("errorType")
            .and_then(Value::as_str)
            .map(String::from);
        match (failed || error_type.is_some(), error_type) {
            (true, Some(t)) => Err(InvokeError {
                error_type: t,
                message: body["errorMessage"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            }),
            (true, None) => Err(InvokeError {
                error_type: "Lambda.ServiceException".into(),
                message: body.to_string(),
            }),
            (false, _) => Ok(body),
        }
    }
}

/// Turns on moto's execution of state machines (off by default).
pub async fn enable_execution(endpoint: &str) -> Result<()> {
    reqwest::Client::new()
        .post(format!("{endpoint}/moto-api/config"))
        .header("content-type", "application/json")
        .body(json!({"stepfunctions": {"execute_state_machine": true}}).to_string())
        .send()
        .await?
        .error_for_status()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_nested_lambda_tasks() {
        let mut asl = json!({"States": {
            "A": {"Type": "Task", "Resource": LAMBDA_INVOKE, "Parameters": {"FunctionName": "arn:aws:lambda:us-east-1:1:function:start-processing", "Payload": {"order_id.$": "$.order_id"}}, "Retry": [{"ErrorEquals": ["Retryable"]}]},
            "M": {"Type": "Map", "ItemProcessor": {"States": {"B": {"Type": "Task", "Resource": LAMBDA_INVOKE, "Parameters": {"FunctionName": "arn:x:function:enrich-batch", "Payload.$": "$"}}}}},
            "C": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem"}
        }});
        rewrite_lambda_tasks(&mut asl, "http://q");
        let a = &asl["States"]["A"];
        assert_eq!(
            a["Resource"],
            "arn:aws:states:::sqs:sendMessage.waitForTaskToken"
        );
        assert_eq!(
            a["Parameters"]["MessageBody"]["function"],
            "start-processing"
        );
        assert_eq!(
            a["Parameters"]["MessageBody"]["payload"]["order_id.$"],
            "$.order_id"
        );
        assert_eq!(a["Retry"][0]["ErrorEquals"][0], "Retryable");
        let b = &asl["States"]["M"]["ItemProcessor"]["States"]["B"];
        assert_eq!(b["Parameters"]["MessageBody"]["function"], "enrich-batch");
        assert_eq!(b["Parameters"]["MessageBody"]["payload.$"], "$");
        assert_eq!(
            asl["States"]["C"]["Resource"],
            "arn:aws:states:::dynamodb:putItem"
        );
    }
}
