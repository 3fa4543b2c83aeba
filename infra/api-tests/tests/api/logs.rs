//! Structured logs: each line of a request names its request, tenant and order; none holds a key.
use crate::harness::*;
use crate::run;
use serde_json::Value;
use std::sync::{Arc, Mutex};
use tracing_subscriber::layer::SubscriberExt;

/// The log lines written while a test runs (a `MakeWriter` over a shared buffer).
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'w> tracing_subscriber::fmt::MakeWriter<'w> for Captured {
    type Writer = Captured;
    fn make_writer(&'w self) -> Self::Writer {
        self.clone()
    }
}

/// The fields of every span a line was written in (Lambda's invocation span, then ours).
fn span_fields(line: &Value) -> serde_json::Map<String, Value> {
    let mut out = serde_json::Map::new();
    for span in line["spans"].as_array().into_iter().flatten() {
        out.extend(span.as_object().unwrap().clone());
    }
    out
}

impl Captured {
    fn lines(&self) -> Vec<Value> {
        let text = String::from_utf8(self.0.lock().unwrap().clone()).unwrap();
        text.lines()
            .map(|l| serde_json::from_str(l).expect("every log line is one JSON object"))
            .collect()
    }
}

#[tokio::test]
async fn request_logs_carry_request_tenant_and_order_and_never_the_key() {
    let app = app().await;
    let (tenant, key) = partner(&app).await;
    let order_id = create_order(&app, &key, &discovery_order()).await;

    let captured = Captured::default();
    let subscriber = tracing_subscriber::registry().with(api::logs::json_logs(captured.clone()));
    let _scope = tracing::subscriber::set_default(subscriber);
    call("GET")
        .key(&key)
        .path("order_id", &order_id)
        .send(&app, run!(get_order))
        .await
        .expect(200);
    call("GET")
        .key("lnc_test_not-a-real-key-0000000000000000")
        .path("order_id", &order_id)
        .send(&app, run!(get_order))
        .await
        .expect(401);

    let lines = captured.lines();
    let served = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request served")
        .expect("a line for the served request");
    let span = span_fields(served);
    assert_eq!(span["tenant_id"], tenant.as_str(), "{served}");
    assert_eq!(span["order_id"], order_id.as_str(), "{served}");
    assert_eq!(span["method"], "GET");
    assert!(
        !span["request_id"].as_str().unwrap_or("").is_empty(),
        "{served}"
    );
    assert_eq!(served["fields"]["status"], 200);
    let refused = lines
        .iter()
        .find(|l| l["fields"]["message"] == "request refused")
        .expect("a line for the refused request");
    assert_eq!(refused["fields"]["status"], 401);
    assert!(
        span_fields(refused).get("tenant_id").is_none(),
        "no tenant for a bad key: {refused}"
    );
    let all = serde_json::to_string(&lines).unwrap();
    assert!(
        !all.contains(&key) && !all.contains("lnc_"),
        "a key reached the logs: {all}"
    );
}
