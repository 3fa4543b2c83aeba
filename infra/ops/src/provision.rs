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
}

/// Parameter values for the local stack, overriding the template's defaults.
pub fn local_parameters() -> BTreeMap<String, String> {
    BTreeMap::from([("LocalMode".to_string(), "true".to_string())])
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
    for (name, value) in template.global_env()? {
        let resolved = match value {
            Reference::Literal(v) => v,
            Reference::Ref(r) => params
                .get(&r)
                .cloned()
                .or_else(|| out.tables.get(&r).cloned())
                .or_else(|| out.queue_urls.get(&r).cloned())
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
            let projection = match g
                .get("Projection")
                .and_then(|p| p.get("ProjectionType"))
                .and_then(Value::as_str)
            {
                Some("KEYS_ONLY") => ProjectionType::KeysOnly,
                _ => ProjectionType::All,
            };
            Ok(GlobalSecondaryIndex::builder()
                .index_name(
                    g.get("IndexName")
                        .and_then(Value::as_str)
                        .unwrap_or_default(),
                )
                .set_key_schema(Some(key_schema(g)?))
                .projection(Projection::builder().projection_type(projection).build())
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
