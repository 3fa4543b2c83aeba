//! Creates the template's tables and queues at an endpoint (the emulator) and resolves the
//! functions' environment. Idempotent: existing resources are reused.
use crate::template::{Reference, Template};
use anyhow::{anyhow, bail, Context, Result};
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TimeToLiveSpecification,
};
use aws_sdk_sqs::types::QueueAttributeName;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// What provisioning made: resource logical id -> physical name/URL/ARN, and the resolved env.
#[derive(Debug, Default, Clone)]
pub struct Provisioned {
    pub tables: BTreeMap<String, String>,
    pub queue_urls: BTreeMap<String, String>,
    pub queue_arns: BTreeMap<String, String>,
    pub env: BTreeMap<String, String>,
    pub state_machines: BTreeMap<String, String>,
    /// KMS keys: logical id -> key ARN.
    pub kms_keys: BTreeMap<String, String>,
    /// The bridge's queue of rewritten Lambda tasks.
    pub task_queue_url: Option<String>,
}

/// Parameter values for the local stack, overriding the template's defaults.
pub fn local_parameters() -> BTreeMap<String, String> {
    BTreeMap::from([
        ("LocalMode".to_string(), "true".to_string()),
        // The emulator serialises DynamoDB and runs on two shared cores: a busy test suite queues
        // calls for seconds, which is load, not an outage.
        ("AwsAttemptTimeoutSeconds".to_string(), "30".to_string()),
        ("AwsOperationTimeoutSeconds".to_string(), "90".to_string()),
    ])
}

pub async fn provision(
    sdk: &aws_config::SdkConfig,
    template: &Template,
    params: &BTreeMap<String, String>,
) -> Result<Provisioned> {
    let mut out = Provisioned::default();
    let ddb = aws_sdk_dynamodb::Client::new(sdk);
    for (id, props) in template.resources("AWS::DynamoDB::Table") {
        create_table(&ddb, &id, props)
            .await
            .with_context(|| format!("table {id}"))?;
        out.tables.insert(id.clone(), id);
    }
    let sqs = aws_sdk_sqs::Client::new(sdk);
    let queues = template.resources("AWS::SQS::Queue");
    for (id, props) in &queues {
        let mut req = sqs.create_queue().queue_name(id);
        for attr in ["VisibilityTimeout", "MessageRetentionPeriod"] {
            if let Some(Reference::Literal(v)) = props
                .get(attr)
                .and_then(|v| crate::template::reference(v).ok())
            {
                req = req.attributes(QueueAttributeName::from(attr), v);
            }
        }
        let url = req
            .send()
            .await
            .with_context(|| format!("queue {id}"))?
            .queue_url
            .unwrap_or_default();
        let arn = sqs
            .get_queue_attributes()
            .queue_url(&url)
            .attribute_names(QueueAttributeName::QueueArn)
            .send()
            .await?
            .attributes
            .and_then(|a| a.get(&QueueAttributeName::QueueArn).cloned())
            .ok_or_else(|| anyhow!("queue {id} has no ARN"))?;
        out.queue_urls.insert(id.clone(), url);
        out.queue_arns.insert(id.clone(), arn);
    }
    // Redrive policies refer to other queues, so they are set once every queue exists.
    for (id, props) in &queues {
        let Some(policy) = props.get("RedrivePolicy") else {
            continue;
        };
        let target = policy
            .get("deadLetterTargetArn")
            .map(crate::template::reference)
            .transpose()?;
        let Some(Reference::GetAtt(dlq, _)) = target else {
            bail!("queue {id}: unsupported redrive target")
        };
        let max = policy
            .get("maxReceiveCount")
            .and_then(Value::as_u64)
            .unwrap_or(5);
        let json = serde_json::json!({"deadLetterTargetArn": out.queue_arns[&dlq], "maxReceiveCount": max.to_string()});
        sqs.set_queue_attributes()
            .queue_url(&out.queue_urls[id])
            .attributes(QueueAttributeName::RedrivePolicy, json.to_string())
            .send()
            .await?;
    }
    let kms = aws_sdk_kms::Client::new(sdk);
    for (id, props) in template.resources("AWS::KMS::Key") {
        let arn = create_key(&kms, &id, props)
            .await
            .with_context(|| format!("KMS key {id}"))?;
        out.kms_keys.insert(id, arn);
    }
    let machines = template.resources("AWS::Serverless::StateMachine");
    if !machines.is_empty() {
        let task_queue = sqs
            .create_queue()
            .queue_name(crate::bridge::TASK_QUEUE)
            .send()
            .await?
            .queue_url
            .unwrap_or_default();
        let sfn = aws_sdk_sfn::Client::new(sdk);
        for (id, props) in machines {
            let arn = create_state_machine(&sfn, template, &id, props, &task_queue)
                .await
                .with_context(|| format!("state machine {id}"))?;
            out.state_machines.insert(id, arn);
        }
        out.task_queue_url = Some(task_queue);
    }
    let mut env_refs = template.global_env()?;
    env_refs.extend(template.function_env()?);
    for (name, value) in env_refs {
        let resolved = match value {
            Reference::Literal(v) => v,
            Reference::Ref(r) => params
                .get(&r)
                .cloned()
                .or_else(|| out.tables.get(&r).cloned())
                .or_else(|| out.queue_urls.get(&r).cloned())
                .or_else(|| out.state_machines.get(&r).cloned())
                .or_else(|| out.kms_keys.get(&r).cloned())
                .or_else(|| template.parameter_default(&r))
                .ok_or_else(|| anyhow!("{name}: cannot resolve !Ref {r} locally"))?,
            Reference::GetAtt(res, attr) if attr == "Arn" => out
                .queue_arns
                .get(&res)
                .cloned()
                .ok_or_else(|| anyhow!("{name}: cannot resolve !GetAtt {res}.Arn locally"))?,
            other => bail!("{name}: unsupported value {other:?}"),
        };
        out.env.insert(name, resolved);
    }
    Ok(out)
}

/// A symmetric key found again by its alias `alias/<logical id>`, so provisioning stays idempotent.
async fn create_key(kms: &aws_sdk_kms::Client, id: &str, props: &Value) -> Result<String> {
    let alias = format!("alias/{id}");
    if let Ok(found) = kms.describe_key().key_id(&alias).send().await {
        if let Some(arn) = found
            .key_metadata()
            .map(|m| m.arn().unwrap_or_default().to_string())
        {
            return Ok(arn);
        }
    }
    let description = props
        .get("Description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let created = kms.create_key().description(description).send().await?;
    let meta = created
        .key_metadata()
        .ok_or_else(|| anyhow!("no key metadata"))?;
    kms.create_alias()
        .alias_name(&alias)
        .target_key_id(meta.key_id())
        .send()
        .await?;
    Ok(meta.arn().unwrap_or_default().to_string())
}

fn strings<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    v.get(key)
        .and_then(Value::as_sequence)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

fn key_schema(v: &Value) -> Result<Vec<KeySchemaElement>> {
    strings(v, "KeySchema")
        .into_iter()
        .map(|k| {
            let kind = match k.get("KeyType").and_then(Value::as_str) {
                Some("HASH") => KeyType::Hash,
                _ => KeyType::Range,
            };
            Ok(KeySchemaElement::builder()
                .attribute_name(
                    k.get("AttributeName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .key_type(kind)
                .build()?)
        })
        .collect()
}

async fn create_table(ddb: &aws_sdk_dynamodb::Client, name: &str, props: &Value) -> Result<()> {
    if ddb.describe_table().table_name(name).send().await.is_ok() {
        return Ok(());
    }
    let attrs = strings(props, "AttributeDefinitions")
        .into_iter()
        .map(|a| {
            let t = match a.get("AttributeType").and_then(Value::as_str) {
                Some("N") => ScalarAttributeType::N,
                Some("B") => ScalarAttributeType::B,
                _ => ScalarAttributeType::S,
            };
            Ok(AttributeDefinition::builder()
                .attribute_name(
                    a.get("AttributeName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .attribute_type(t)
                .build()?)
        })
        .collect::<Result<Vec<_>>>()?;
    let gsis = strings(props, "GlobalSecondaryIndexes")
        .into_iter()
        .map(|g| {
            let spec = g.get("Projection");
            let projection = match spec
                .and_then(|p| p.get("ProjectionType"))
                .and_then(Value::as_str)
            {
                Some("KEYS_ONLY") => ProjectionType::KeysOnly,
                Some("INCLUDE") => ProjectionType::Include,
                _ => ProjectionType::All,
            };
            let non_key: Option<Vec<String>> = spec
                .and_then(|p| p.get("NonKeyAttributes"))
                .and_then(Value::as_sequence)
                .map(|a| {
                    a.iter()
                        .filter_map(Value::as_str)
                        .map(String::from)
                        .collect()
                });
            Ok(GlobalSecondaryIndex::builder()
                .index_name(
                    g.get("IndexName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .set_key_schema(Some(key_schema(g)?))
                .projection(
                    Projection::builder()
                        .projection_type(projection)
                        .set_non_key_attributes(non_key)
                        .build(),
                )
                .build()?)
        })
        .collect::<Result<Vec<_>>>()?;
    ddb.create_table()
        .table_name(name)
        .billing_mode(BillingMode::PayPerRequest)
        .set_attribute_definitions(Some(attrs))
        .set_key_schema(Some(key_schema(props)?))
        .set_global_secondary_indexes((!gsis.is_empty()).then_some(gsis))
        .send()
        .await?;
    if let Some(ttl) = props
        .get("TimeToLiveSpecification")
        .and_then(|t| t.get("AttributeName"))
        .and_then(Value::as_str)
    {
        ddb.update_time_to_live()
            .table_name(name)
            .time_to_live_specification(
                TimeToLiveSpecification::builder()
                    .attribute_name(ttl)
                    .enabled(true)
                    .build()?,
            )
            .send()
            .await?;
    }
    Ok(())
}

/// The local stand-in ARN of a function: what `DefinitionSubstitutions` resolve to, and what the
/// bridge reads the function's binary name back from.
pub fn local_function_arn(binary: &str) -> String {
    format!("arn:aws:lambda:us-east-1:123456789012:function:{binary}")
}

async fn create_state_machine(
    sfn: &aws_sdk_sfn::Client,
    template: &Template,
    id: &str,
    props: &Value,
    task_queue: &str,
) -> Result<String> {
    let uri = props
        .get("DefinitionUri")
        .and_then(Value::as_str)
        .ok_or_else(|| anyhow!("needs DefinitionUri"))?;
    let mut text = std::fs::read_to_string(crate::repo_root().join(uri))?;
    if let Some(subs) = props
        .get("DefinitionSubstitutions")
        .and_then(Value::as_mapping)
    {
        for (k, v) in subs {
            let key = k.as_str().unwrap_or_default();
            let value = match crate::template::reference(v)? {
                Reference::GetAtt(res, attr) if attr == "Arn" => local_function_arn(
                    &template
                        .function_binary(&res)
                        .ok_or_else(|| anyhow!("{res} is not a function"))?,
                ),
                Reference::Literal(l) => l,
                // Tables are created under their logical ids.
                Reference::Ref(r)
                    if template
                        .resources("AWS::DynamoDB::Table")
                        .iter()
                        .any(|(t, _)| *t == r) =>
                {
                    r
                }
                other => bail!("{key}: unsupported substitution {other:?}"),
            };
            text = text.replace(&format!("${{{key}}}"), &value);
        }
    }
    let mut definition: serde_json::Value = serde_json::from_str(&text)?;
    crate::bridge::rewrite_lambda_tasks(&mut definition, task_queue);
    let existing = sfn.list_state_machines().send().await?;
    if let Some(sm) = existing.state_machines().iter().find(|m| m.name() == id) {
        sfn.update_state_machine()
            .state_machine_arn(sm.state_machine_arn())
            .definition(definition.to_string())
            .send()
            .await?;
        return Ok(sm.state_machine_arn().to_string());
    }
    let created = sfn
        .create_state_machine()
        .name(id)
        .definition(definition.to_string())
        .role_arn("arn:aws:iam::123456789012:role/local-state-machine")
        .send()
        .await?;
    Ok(created.state_machine_arn().to_string())
}
