//! Reading `template.yaml` (with its CloudFormation tags) into what provisioning and tests need.
use anyhow::{anyhow, Context, Result};
use serde_yaml::Value;
use std::collections::BTreeSet;

pub struct Template {
    pub root: Value,
}

/// A resource property that refers to another resource or parameter.
#[derive(Debug, Clone, PartialEq)]
pub enum Reference {
    Literal(String),
    Ref(String),
    GetAtt(String, String),
}

impl Template {
    pub fn load(path: &std::path::Path) -> Result<Self> {
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        Ok(Self {
            root: serde_yaml::from_str(&text)?,
        })
    }

    pub fn parse(text: &str) -> Result<Self> {
        Ok(Self {
            root: serde_yaml::from_str(text)?,
        })
    }

    pub fn load_default() -> Result<Self> {
        Self::load(&crate::repo_root().join("template.yaml"))
    }

    /// (logical id, properties) of every resource of a type, in template order.
    pub fn resources(&self, kind: &str) -> Vec<(String, &Value)> {
        let Some(map) = self.root.get("Resources").and_then(Value::as_mapping) else {
            return vec![];
        };
        map.iter()
            .filter(|(_, r)| r.get("Type").and_then(Value::as_str) == Some(kind))
            .filter_map(|(k, r)| {
                Some((
                    k.as_str()?.to_string(),
                    r.get("Properties").unwrap_or(&Value::Null),
                ))
            })
            .collect()
    }

    pub fn parameter_default(&self, name: &str) -> Option<String> {
        let v = self.root.get("Parameters")?.get(name)?.get("Default")?;
        scalar(v)
    }

    /// `Globals.Function.Environment.Variables`, unresolved.
    pub fn global_env(&self) -> Result<Vec<(String, Reference)>> {
        let vars = self
            .root
            .get("Globals")
            .and_then(|g| g.get("Function"))
            .and_then(|f| f.get("Environment"))
            .and_then(|e| e.get("Variables"))
            .and_then(Value::as_mapping)
            .ok_or_else(|| anyhow!("template has no Globals.Function.Environment.Variables"))?;
        vars.iter()
            .map(|(k, v)| {
                Ok((
                    k.as_str().ok_or_else(|| anyhow!("env name"))?.to_string(),
                    reference(v)?,
                ))
            })
            .collect()
    }

    /// `Environment.Variables` of individual functions (locally all functions share one env).
    pub fn function_env(&self) -> Result<Vec<(String, Reference)>> {
        let mut out = Vec::new();
        for (_, props) in self.resources("AWS::Serverless::Function") {
            if let Some(vars) = props
                .get("Environment")
                .and_then(|e| e.get("Variables"))
                .and_then(Value::as_mapping)
            {
                for (k, v) in vars {
                    out.push((
                        k.as_str().ok_or_else(|| anyhow!("env name"))?.to_string(),
                        reference(v)?,
                    ));
                }
            }
        }
        Ok(out)
    }

    /// The binaries of every function resource.
    pub fn function_binaries(&self) -> Vec<String> {
        self.resources("AWS::Serverless::Function")
            .into_iter()
            .filter_map(|(id, _)| self.function_binary(&id))
            .collect()
    }

    /// The binary a function resource builds.
    pub fn function_binary(&self, logical_id: &str) -> Option<String> {
        self.root
            .get("Resources")?
            .get(logical_id)?
            .get("Metadata")?
            .get("BuildProperties")?
            .get("Binary")?
            .as_str()
            .map(String::from)
    }

    /// The timeout of the function that builds `binary`: its own, else the Globals' (seconds).
    pub fn function_timeout(&self, binary: &str) -> Option<std::time::Duration> {
        let (_, properties) = self
            .resources("AWS::Serverless::Function")
            .into_iter()
            .find(|(id, _)| self.function_binary(id).as_deref() == Some(binary))?;
        let seconds = properties
            .get("Timeout")
            .or_else(|| self.root.get("Globals")?.get("Function")?.get("Timeout"))?
            .as_u64()?;
        Some(std::time::Duration::from_secs(seconds))
    }

    /// Every `(METHOD, path, binary)` that API Gateway routes to a function.
    pub fn http_routes(&self) -> BTreeSet<(String, String, String)> {
        let mut out = BTreeSet::new();
        let Some(map) = self.root.get("Resources").and_then(Value::as_mapping) else {
            return out;
        };
        for (_, r) in map {
            if r.get("Type").and_then(Value::as_str) != Some("AWS::Serverless::Function") {
                continue;
            }
            let binary = r
                .get("Metadata")
                .and_then(|m| m.get("BuildProperties"))
                .and_then(|b| b.get("Binary"))
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let Some(events) = r
                .get("Properties")
                .and_then(|p| p.get("Events"))
                .and_then(Value::as_mapping)
            else {
                continue;
            };
            for (_, e) in events {
                if e.get("Type").and_then(Value::as_str) != Some("HttpApi") {
                    continue;
                }
                let p = e.get("Properties");
                let path = p
                    .and_then(|p| p.get("Path"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let method = p
                    .and_then(|p| p.get("Method"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                out.insert((
                    method.to_ascii_uppercase(),
                    path.to_string(),
                    binary.clone(),
                ));
            }
        }
        out
    }
}

fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

pub fn reference(v: &Value) -> Result<Reference> {
    if let Some(s) = scalar(v) {
        return Ok(Reference::Literal(s));
    }
    if let Value::Tagged(t) = v {
        let arg = t
            .value
            .as_str()
            .ok_or_else(|| anyhow!("unsupported tag argument {:?}", t.value))?;
        if t.tag == "Ref" {
            return Ok(Reference::Ref(arg.to_string()));
        }
        if t.tag == "GetAtt" {
            let (res, attr) = arg
                .split_once('.')
                .ok_or_else(|| anyhow!("GetAtt needs Resource.Attribute"))?;
            return Ok(Reference::GetAtt(res.to_string(), attr.to_string()));
        }
    }
    Err(anyhow!("unsupported template value {v:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_function_timeout_is_its_own_or_the_global_one() {
        let t = Template::parse(
            "Globals:\n  Function:\n    Timeout: 15\nResources:\n  A:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildProperties:\n        Binary: a\n    Properties:\n      Timeout: 90\n  B:\n    Type: AWS::Serverless::Function\n    Metadata:\n      BuildProperties:\n        Binary: b\n",
        )
        .unwrap();
        assert_eq!(t.function_timeout("a"), Some(Duration::from_secs(90)));
        assert_eq!(t.function_timeout("b"), Some(Duration::from_secs(15)));
        assert_eq!(t.function_timeout("c"), None);
        let real = Template::load_default().unwrap();
        assert!(real.function_timeout("enrich-batch").unwrap() >= Duration::from_secs(60));
    }

    // What only AWS does, read off the template: a deployment would fail at these points and no
    // local run would show it.

    fn resource<'a>(t: &'a Template, id: &str) -> &'a Value {
        t.root
            .get("Resources")
            .and_then(|r| r.get(id))
            .unwrap_or_else(|| panic!("no resource {id}"))
    }

    fn strings(v: Option<&Value>) -> Vec<String> {
        match v {
            Some(Value::Sequence(items)) => items.iter().filter_map(scalar).collect(),
            Some(v) => scalar(v).into_iter().collect(),
            None => vec![],
        }
    }

    /// Every `lambda:invoke` Task of a state machine definition, at any depth.
    fn lambda_tasks(v: &serde_json::Value, out: &mut Vec<(String, serde_json::Value)>) {
        if let Some(states) = v.get("States").and_then(serde_json::Value::as_object) {
            for (name, state) in states {
                if state["Type"] == "Task" && state["Resource"] == "arn:aws:states:::lambda:invoke"
                {
                    out.push((name.clone(), state.clone()));
                }
            }
        }
        match v {
            serde_json::Value::Object(map) => map.values().for_each(|v| lambda_tasks(v, out)),
            serde_json::Value::Array(items) => items.iter().for_each(|v| lambda_tasks(v, out)),
            _ => {}
        }
    }

    /// Lambda's own transient failures, as Step Functions names them (Step Functions guide,
    /// "Handle Lambda service exceptions"), and its throttle: a task never fails an order on them.
    #[test]
    fn every_lambda_task_retries_lambdas_own_transient_failures() {
        let path = crate::repo_root().join("infra/statemachine/order-lifecycle.asl.json");
        let asl: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
        let mut tasks = vec![];
        lambda_tasks(&asl, &mut tasks);
        tasks.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        assert!(tasks.len() >= 5, "the five task functions: {tasks:?}");
        for (name, task) in tasks {
            let retried: BTreeSet<&str> = task["Retry"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|r| r["ErrorEquals"].as_array().into_iter().flatten())
                .filter_map(serde_json::Value::as_str)
                .collect();
            for error in [
                "Lambda.ClientExecutionTimeoutException",
                "Lambda.ServiceException",
                "Lambda.AWSLambdaException",
                "Lambda.SdkClientException",
                "Lambda.TooManyRequestsException",
            ] {
                assert!(retried.contains(error), "{name} does not retry {error}");
            }
        }
    }

    /// The webhook secrets are sealed under this key: deleting or replacing it with the stack
    /// would make every stored secret unreadable.
    #[test]
    fn the_webhook_secrets_key_outlives_the_stack() {
        let t = Template::load_default().unwrap();
        let key = resource(&t, "WebhookSecretsKey");
        for policy in ["DeletionPolicy", "UpdateReplacePolicy"] {
            assert_eq!(
                key.get(policy).and_then(Value::as_str),
                Some("Retain"),
                "{policy}"
            );
        }
    }

    /// CloudWatch publishes alarms to an encrypted topic only with a customer-managed key whose
    /// policy lets cloudwatch.amazonaws.com use it (SNS guide, "Key management": the AWS-managed
    /// alias/aws/sns key's policy cannot be changed), scoped to this account's alarms.
    #[test]
    fn cloudwatch_may_use_the_alarm_topics_key() {
        let t = Template::load_default().unwrap();
        let topic = resource(&t, "AlarmTopic")
            .get("Properties")
            .and_then(|p| p.get("KmsMasterKeyId"))
            .expect("the alarm topic is encrypted");
        let key_id = match reference(topic).unwrap() {
            Reference::Ref(id) | Reference::GetAtt(id, _) => id,
            Reference::Literal(k) => panic!("{k}: a key of the stack, whose policy it writes"),
        };
        let key = resource(&t, &key_id);
        assert_eq!(
            key.get("Type").and_then(Value::as_str),
            Some("AWS::KMS::Key")
        );
        let statements = key["Properties"]["KeyPolicy"]["Statement"]
            .as_sequence()
            .expect("a key policy");
        let cloudwatch = statements
            .iter()
            .find(|s| {
                strings(s.get("Principal").and_then(|p| p.get("Service")))
                    .contains(&"cloudwatch.amazonaws.com".to_string())
            })
            .expect("a statement for CloudWatch");
        assert_eq!(
            cloudwatch.get("Effect").and_then(Value::as_str),
            Some("Allow")
        );
        let actions = strings(cloudwatch.get("Action"));
        for action in ["kms:Decrypt", "kms:GenerateDataKey*"] {
            assert!(actions.contains(&action.to_string()), "{action}");
        }
        let condition = cloudwatch.get("Condition").expect("scoped to this account");
        assert!(condition["StringEquals"].get("aws:SourceAccount").is_some());
        assert!(condition["ArnLike"].get("aws:SourceArn").is_some());
    }

    /// HTTP APIs throttle each route (DefaultRouteSettings is every route's own limit, there is no
    /// stage-wide one): the parameters say so, and each API function's concurrency is bounded by
    /// one parameter, so a flood takes at most routes x that of the account's Lambda concurrency.
    #[test]
    fn api_throttling_is_per_route_and_api_functions_can_be_bounded() {
        let t = Template::load_default().unwrap();
        let settings = &resource(&t, "HttpApi")["Properties"]["DefaultRouteSettings"];
        for (setting, parameter) in [
            ("ThrottlingRateLimit", "ApiRouteRateLimit"),
            ("ThrottlingBurstLimit", "ApiRouteBurstLimit"),
        ] {
            assert_eq!(
                reference(&settings[setting]).unwrap(),
                Reference::Ref(parameter.into())
            );
            assert!(t.parameter_default(parameter).is_some(), "{parameter}");
        }
        let api_functions: Vec<_> = t
            .resources("AWS::Serverless::Function")
            .into_iter()
            .filter(|(_, p)| {
                p.get("Events")
                    .and_then(Value::as_mapping)
                    .is_some_and(|e| e.values().any(|e| e["Type"] == "HttpApi"))
            })
            .collect();
        assert!(!api_functions.is_empty());
        let bounded: Value = serde_yaml::from_str(
            "!If [HasApiFunctionConcurrency, !Ref ApiFunctionConcurrency, !Ref AWS::NoValue]",
        )
        .unwrap();
        for (id, properties) in api_functions {
            assert_eq!(
                properties.get("ReservedConcurrentExecutions"),
                Some(&bounded),
                "{id}"
            );
        }
    }
}
