//! `opsctl --stack NAME`: a deployed stack's settings, read from its CloudFormation outputs and
//! parameters under the names of the variables the functions read, so an operator names the
//! stack instead of copying table names out of the console.
use anyhow::{anyhow, bail, Result};
use aws_sdk_cloudformation::error::{DisplayErrorContext, ProvideErrorMetadata};
use aws_sdk_cloudformation::types::Stack;
use std::collections::BTreeMap;

/// A functions' variable and the output of template.yaml that carries the same value.
pub const OUTPUTS: [(&str, &str); 6] = [
    ("TABLE_NAME", "TableName"),
    ("CATALOG_TABLE_NAME", "CatalogTableName"),
    ("CATALOG_FEATURES_TABLE_NAME", "CatalogFeaturesTableName"),
    ("STATE_MACHINE_ARN", "StateMachineArn"),
    ("WEBHOOK_QUEUE_URL", "WebhookQueueUrl"),
    ("WEBHOOK_DEAD_LETTER_QUEUE_URL", "WebhookDeadLetterQueueUrl"),
];

/// A functions' variable and the stack parameter it is set from.
pub const PARAMETERS: [(&str, &str); 1] = [("CATALOG_SHARDS", "CatalogShards")];

/// The settings a described stack carries, by variable name. Every output of `OUTPUTS` must be
/// there: a stack without them is not (or not yet) a complete stack of this template.
pub fn settings(stack: &Stack) -> Result<BTreeMap<String, String>> {
    let outputs: BTreeMap<&str, &str> = stack
        .outputs()
        .iter()
        .filter_map(|o| Some((o.output_key()?, o.output_value()?)))
        .collect();
    let parameters: BTreeMap<&str, &str> = stack
        .parameters()
        .iter()
        .filter_map(|p| Some((p.parameter_key()?, p.parameter_value()?)))
        .collect();
    let missing: Vec<&str> = OUTPUTS
        .iter()
        .map(|(_, output)| *output)
        .filter(|output| !outputs.contains_key(output))
        .collect();
    if !missing.is_empty() {
        bail!(
            "stack {} ({}) has no output {}: is it a complete stack of this template?",
            stack.stack_name().unwrap_or("?"),
            stack.stack_status().map_or("no status", |s| s.as_str()),
            missing.join(", ")
        );
    }
    let mut out: BTreeMap<String, String> = OUTPUTS
        .iter()
        .map(|(var, output)| (var.to_string(), outputs[output].to_string()))
        .collect();
    for (var, parameter) in PARAMETERS {
        if let Some(value) = parameters.get(parameter) {
            out.insert(var.to_string(), value.to_string());
        }
    }
    Ok(out)
}

/// DescribeStacks on one stack, then `settings`.
pub async fn describe(sdk: &aws_config::SdkConfig, name: &str) -> Result<BTreeMap<String, String>> {
    let answer = aws_sdk_cloudformation::Client::new(sdk)
        .describe_stacks()
        .stack_name(name)
        .send()
        .await
        .map_err(|e| match e.as_service_error().and_then(|e| e.message()) {
            // CloudFormation's own words, e.g. "Stack with id X does not exist".
            Some(message) => anyhow!("stack {name}: {message}"),
            None => anyhow!("describing stack {name}: {}", DisplayErrorContext(&e)),
        })?;
    let stack = answer
        .stacks()
        .first()
        .ok_or_else(|| anyhow!("no stack {name}"))?;
    settings(stack)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::{Reference, Template};

    /// Each output opsctl reads carries exactly what the functions' variable of that name
    /// carries in the template (and each parameter is what sets it), so `--stack` reaches the
    /// very tables and queues the functions use.
    #[test]
    fn each_output_read_carries_what_the_functions_variable_carries() {
        let template = Template::load_default().unwrap();
        let mut env = template.global_env().unwrap();
        env.extend(template.function_env().unwrap());
        let variable = |name: &str| {
            let values: Vec<&Reference> = env
                .iter()
                .filter(|(k, _)| k == name)
                .map(|(_, v)| v)
                .collect();
            assert!(!values.is_empty(), "no function reads {name}");
            assert!(
                values.windows(2).all(|w| w[0] == w[1]),
                "{name}: {values:?}"
            );
            values[0].clone()
        };
        for (var, output) in OUTPUTS {
            let value = template
                .root
                .get("Outputs")
                .and_then(|o| o.get(output))
                .and_then(|o| o.get("Value"))
                .unwrap_or_else(|| panic!("template.yaml has no output {output}"));
            assert_eq!(
                crate::template::reference(value).unwrap(),
                variable(var),
                "output {output} and {var}"
            );
        }
        for (var, parameter) in PARAMETERS {
            assert_eq!(variable(var), Reference::Ref(parameter.to_string()));
        }
    }

    #[test]
    fn a_stack_without_the_outputs_is_refused_by_name_and_status() {
        use aws_sdk_cloudformation::types::{Output, Parameter, StackStatus};
        let output = |k: &str, v: &str| Output::builder().output_key(k).output_value(v).build();
        let partial = Stack::builder()
            .stack_name("prospects")
            .stack_status(StackStatus::RollbackComplete)
            .outputs(output("TableName", "t"))
            .build();
        let error = settings(&partial).unwrap_err().to_string();
        assert!(
            error.contains("prospects (ROLLBACK_COMPLETE) has no output CatalogTableName,"),
            "{error}"
        );
        let mut whole = Stack::builder().stack_name("prospects").parameters(
            Parameter::builder()
                .parameter_key("CatalogShards")
                .parameter_value("4")
                .build(),
        );
        for (var, name) in OUTPUTS {
            whole = whole.outputs(output(name, &var.to_lowercase()));
        }
        let got = settings(&whole.build()).unwrap();
        assert_eq!(got["TABLE_NAME"], "table_name");
        assert_eq!(got["STATE_MACHINE_ARN"], "state_machine_arn");
        assert_eq!(got["CATALOG_SHARDS"], "4");
        assert_eq!(got.len(), OUTPUTS.len() + PARAMETERS.len());
    }
}
