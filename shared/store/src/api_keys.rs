use super::query::KeyQuery;
use super::{classify, from_item, keys, s, to_item, with_keys, Dynamo};
use auth::ApiKeyRecord;
use aws_sdk_dynamodb::types::{Put, TransactWriteItem};
use domain::paging::Page;
use domain::ApiError;
use uuid::Uuid;

impl Dynamo {
    pub async fn put_key(&self, record: &ApiKeyRecord) -> Result<(), ApiError> {
        let item = with_keys(
            to_item(record)?,
            &[
                (keys::PK, keys::api_key(record.key_id)),
                (keys::SK, "APIKEY".into()),
                (keys::GSI1PK, keys::API_KEYS_INDEX.into()),
                (
                    keys::GSI1SK,
                    format!("{}#{}", record.created_at, record.key_id),
                ),
            ],
        );
        let put = |item, condition: Option<&str>| {
            Put::builder()
                .table_name(&self.table)
                .set_item(Some(item))
                .set_condition_expression(condition.map(String::from))
                .build()
                .map(|put| TransactWriteItem::builder().put(put).build())
                .map_err(|e| ApiError::Internal(e.to_string()))
        };
        // The key, and beside it the tenant's marker (`tenant_exists`), in one transaction: the
        // keys' index lags its writes, so a tenant is known the moment its first key exists.
        let key = put(item, Some("attribute_not_exists(PK)"))?;
        let marker = put(
            std::collections::HashMap::from([
                (keys::PK.to_string(), s(keys::tenant(&record.tenant_id))),
                (keys::SK.to_string(), s(keys::TENANT_KEYS)),
                ("tenant_id".to_string(), s(&record.tenant_id)),
            ]),
            None,
        )?;
        // The listings' totals, for operators (every key) and per tenant.
        let one = [(super::counters::API_KEYS.to_string(), 1)];
        let [all, of_tenant] = super::counters::key_keys(record.key_id, &record.tenant_id);
        let transaction = self
            .client
            .transact_write_items()
            .transact_items(key)
            .transact_items(marker)
            .transact_items(super::counters::add(self, all, &one, None)?)
            .transact_items(super::counters::add(self, of_tenant, &one, None)?);
        self.retry_contention(|| transaction.clone().send())
            .await
            .map_err(classify)?;
        Ok(())
    }

    pub async fn get_key(&self, id: Uuid) -> Result<Option<ApiKeyRecord>, ApiError> {
        self.get_entity(keys::api_key(id), "APIKEY".into()).await
    }

    /// Whether any key (revoked ones too) was ever issued to `tenant`: tenants exist through
    /// their keys.
    pub async fn tenant_exists(&self, tenant: &str) -> Result<bool, ApiError> {
        if self
            .get_consistent(keys::tenant(tenant), keys::TENANT_KEYS.into())
            .await?
            .is_some()
        {
            return Ok(true);
        }
        // Keys issued before the marker existed are found through the index only.
        let keys = KeyQuery::partition(
            Some(keys::GSI1),
            (keys::GSI1PK, keys::API_KEYS_INDEX.into()),
        )
        .filter_eq("tenant_id", tenant);
        Ok(keys.count(self).await? > 0)
    }

    pub async fn list_keys(
        &self,
        tenant: Option<&str>,
        page: Page,
    ) -> Result<(Vec<ApiKeyRecord>, usize), ApiError> {
        let mut q = KeyQuery::partition(
            Some(keys::GSI1),
            (keys::GSI1PK, keys::API_KEYS_INDEX.into()),
        );
        if let Some(t) = tenant {
            q = q.filter_eq("tenant_id", t);
        }
        let total = self.key_count(tenant).await?;
        let (items, total) = q.page(self, page, total).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// `false` when no such key exists.
    pub async fn revoke_key(&self, id: Uuid) -> Result<bool, ApiError> {
        let revoke = self
            .client
            .update_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::api_key(id)))
            .key(keys::SK, s("APIKEY"))
            .condition_expression("attribute_exists(PK)")
            .update_expression("SET revoked_at = if_not_exists(revoked_at, :now)")
            .expression_attribute_values(":now", s(domain::clock::now_string()));
        let result = self.retry_contention(|| revoke.clone().send()).await;
        if !super::applied(result)? {
            return Ok(false);
        }
        // Containers that cached the key refuse it from their next request on (`rate_limits`).
        // A failure here fails the revocation, whose retry repeats both writes.
        self.mark_revoked(&crate::limiter::key_subject(id)).await?;
        Ok(true)
    }
}
