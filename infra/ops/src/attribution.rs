//! Which function made an AWS call, when functions run in-process (the api-tests and the workflow
//! harness). A deployed function names itself through the SDK's application name
//! (`api::app::load_sdk`); in a test process every handler shares one SDK configuration, so the
//! name travels with the future instead: `as_function` runs a handler with its function's name,
//! and the HTTP client of `crate::sdk_for` appends it to each request's user agent as `app/<name>`
//! (`md/suite#<suite>` beside it), where the emulator's call log (`infra/local/moto_child.py`,
//! `MOTO_CALLS`) reads it. Calls outside `as_function` (test setup, tools) carry no name and are
//! not checked against any function's policy.
use aws_smithy_runtime_api::client::http::{
    HttpClient, HttpConnector, HttpConnectorFuture, HttpConnectorSettings, SharedHttpClient,
    SharedHttpConnector,
};
use aws_smithy_runtime_api::client::orchestrator::HttpRequest;
use aws_smithy_runtime_api::client::runtime_components::RuntimeComponents;
use std::future::Future;

#[derive(Clone, Debug)]
struct Caller {
    function: String,
    suite: String,
}

tokio::task_local! {
    static CALLER: Caller;
}

/// Runs `fut` as the function `function` (its binary's name, as in template.yaml) of `suite`:
/// every AWS call it makes through a client of `crate::sdk_for` is attributed to it.
pub fn as_function<F: Future>(
    function: &str,
    suite: &str,
    fut: F,
) -> impl Future<Output = F::Output> {
    let caller = Caller {
        function: function.to_string(),
        suite: suite.to_string(),
    };
    CALLER.scope(caller, fut)
}

/// The function a crate of `functions/` builds, from a path inside it (`module_path!()` or a
/// handler's type name): `get_webhook_secret::handler` -> `get-webhook-secret`.
pub fn function_of(path: &str) -> String {
    path.split("::").next().unwrap_or(path).replace('_', "-")
}

/// The suite a test module belongs to, for the report of which suite reaches which grant.
pub fn suite_of(module_path: &str) -> &'static str {
    if module_path.contains("workflow") {
        "workflow"
    } else {
        "api-tests"
    }
}

/// The SDK's default HTTP client, naming the current `as_function` caller in each request.
pub fn http_client() -> SharedHttpClient {
    use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};
    let inner = aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::AwsLc))
        .build_https();
    SharedHttpClient::new(Attributing(inner))
}

#[derive(Debug)]
struct Attributing(SharedHttpClient);

impl HttpClient for Attributing {
    fn http_connector(
        &self,
        settings: &HttpConnectorSettings,
        components: &RuntimeComponents,
    ) -> SharedHttpConnector {
        SharedHttpConnector::new(Naming(self.0.http_connector(settings, components)))
    }
}

#[derive(Debug)]
struct Naming(SharedHttpConnector);

impl HttpConnector for Naming {
    // Called in the task that sent the request (the SDK's orchestrator runs inside the caller's
    // future), so the task-local caller is the handler's.
    fn call(&self, mut request: HttpRequest) -> HttpConnectorFuture {
        if let Ok(caller) = CALLER.try_with(Caller::clone) {
            let agent = request
                .headers()
                .get("x-amz-user-agent")
                .unwrap_or_default()
                .to_string();
            let tagged = format!("{agent} app/{} md/suite#{}", caller.function, caller.suite);
            // A name that is no valid header value is left out: the emulator then logs no
            // function for the call, and the policy check reports that function's grants unused.
            let _ = request
                .headers_mut()
                .try_insert("x-amz-user-agent", tagged.trim_start().to_string());
        }
        self.0.call(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crate_path_names_its_function() {
        assert_eq!(
            function_of("get_webhook_secret::handler"),
            "get-webhook-secret"
        );
        assert_eq!(function_of("list_orders"), "list-orders");
        assert_eq!(suite_of("api::workflow_harness"), "workflow");
        assert_eq!(suite_of("api::blacklists"), "api-tests");
    }
}
