//! The local bridge against its emulator: a task that fails once is retried and waits for the
//! retry's own answer, as in AWS, where each attempt of a `.waitForTaskToken` task has its own
//! token (infra/local/stepfunctions_semantics.py makes moto do the same).
use async_trait::async_trait;
use ops::bridge::{Bridge, InvokeError, Invoker};
use serde_json::{json, Value};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Cut off at its timeout the first time; the retry takes a while, then answers.
struct SlowAfterATimeout {
    calls: AtomicUsize,
}

#[async_trait]
impl Invoker for SlowAfterATimeout {
    async fn invoke(&self, _function: &str, _payload: Value) -> Result<Value, InvokeError> {
        if self.calls.fetch_add(1, Ordering::SeqCst) == 0 {
            return Err(InvokeError {
                error_type: "Sandbox.Timedout".into(),
                message: "Task timed out after 3.00 seconds".into(),
            });
        }
        tokio::time::sleep(Duration::from_millis(1500)).await;
        Ok(json!({"done": true}))
    }
}

#[tokio::test]
async fn a_retried_task_waits_for_its_own_answer() {
    let emulator = ops::emulator::Emulator::start().expect("the emulator starts");
    ops::bridge::enable_execution(&emulator.endpoint)
        .await
        .unwrap();
    let sdk = ops::sdk_for(&emulator.endpoint).await;
    let sqs = aws_sdk_sqs::Client::new(&sdk);
    let sfn = aws_sdk_sfn::Client::new(&sdk);
    let queue = sqs
        .create_queue()
        .queue_name(ops::bridge::TASK_QUEUE)
        .send()
        .await
        .unwrap()
        .queue_url
        .unwrap();
    let mut definition = json!({"StartAt": "Work", "States": {"Work": {
        "Type": "Task",
        "Resource": "arn:aws:states:::lambda:invoke",
        "Parameters": {"FunctionName": "enrich-batch", "Payload.$": "$"},
        "Retry": [{"ErrorEquals": ["Sandbox.Timedout"], "IntervalSeconds": 1, "MaxAttempts": 1}],
        "End": true
    }}});
    ops::bridge::rewrite_lambda_tasks(&mut definition, &queue);
    let machine = sfn
        .create_state_machine()
        .name("retries")
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/retries")
        .send()
        .await
        .unwrap()
        .state_machine_arn;
    let invoker = Arc::new(SlowAfterATimeout {
        calls: AtomicUsize::new(0),
    });
    let _bridge = Bridge::spawn(emulator.endpoint.clone(), queue, invoker.clone());
    let execution = sfn
        .start_execution()
        .state_machine_arn(&machine)
        .input("{}")
        .send()
        .await
        .unwrap()
        .execution_arn;

    let started = Instant::now();
    let status = loop {
        let d = sfn
            .describe_execution()
            .execution_arn(&execution)
            .send()
            .await
            .unwrap();
        if d.status != aws_sdk_sfn::types::ExecutionStatus::Running {
            break d.status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "the execution never ended"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    assert_eq!(
        status,
        aws_sdk_sfn::types::ExecutionStatus::Succeeded,
        "the retry's answer, not the first attempt's, decides"
    );
    assert_eq!(invoker.calls.load(Ordering::SeqCst), 2, "one retry");
}
