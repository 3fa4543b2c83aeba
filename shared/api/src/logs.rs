//! The functions' logs: one JSON object per line on stdout, levels from `RUST_LOG`. Here rather than
//! in `http-edge` so the task and queue functions log the same way without linking lambda_http.
pub fn init_tracing() {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let _ = tracing_subscriber::registry()
        .with(log_filter(std::env::var("RUST_LOG").ok().as_deref()))
        .with(json_logs(std::io::stdout))
        .try_init();
}

/// One JSON object per line, carrying the fields of the spans it was written in: Lambda's
/// invocation (`requestId`, `xrayTraceId`), then ours: a request's `request_id`, `tenant_id` once
/// authenticated and `order_id` when the path names one; a task's order and tenant; a webhook's
/// event, order and tenant. Keys, secrets and request bodies are never fields.
pub fn json_logs<S, W>(writer: W) -> impl tracing_subscriber::Layer<S>
where
    S: tracing::Subscriber + for<'a> tracing_subscriber::registry::LookupSpan<'a>,
    W: for<'w> tracing_subscriber::fmt::MakeWriter<'w> + Send + Sync + 'static,
{
    tracing_subscriber::fmt::layer()
        .json()
        .with_current_span(false)
        .with_span_list(true)
        .without_time()
        .with_writer(writer)
}

/// `RUST_LOG` as `target=level` pairs and a default level ("info", "warn,http_edge=debug"); `info`
/// when unset or unreadable. A `Targets` filter, not `EnvFilter`: no regex engine in every function.
fn log_filter(spec: Option<&str>) -> tracing_subscriber::filter::Targets {
    spec.and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        tracing_subscriber::filter::Targets::new().with_default(tracing::Level::INFO)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tracing::Level;

    #[test]
    fn rust_log_sets_levels_per_target_with_info_by_default() {
        let f = log_filter(Some("warn,api=debug"));
        assert!(f.would_enable("api", &Level::DEBUG));
        assert!(!f.would_enable("aws_smithy_runtime", &Level::INFO));
        let d = log_filter(None);
        assert!(d.would_enable("anything", &Level::INFO) && !d.would_enable("x", &Level::DEBUG));
        let bad = log_filter(Some("=== not a filter"));
        assert!(bad.would_enable("anything", &Level::INFO));
    }
}
