//! Orders: creation (one transaction with its profile, idempotency record and blacklist checks),
//! reads, listing, and conditional status transitions that record their event exactly once.
use super::query::KeyQuery;
use super::{
    classify, condition_failed_at, from_item, keys, n, s, to_item, with_keys, Dynamo, Item,
};
use aws_sdk_dynamodb::types::{
    ConditionCheck, DeleteRequest, Put, PutRequest, ReturnValuesOnConditionCheckFailure,
    TransactWriteItem, Update, WriteRequest,
};
use domain::order::{Order, OrderStatus, OrderType, Priority, StatusChanged, SubmittedCompany};
use domain::paging::Page;
use domain::profile::Profile;
use domain::ApiError;
use uuid::Uuid;

/// Idempotency records are kept this long (the contract asks for at least 24 h).
pub const IDEMPOTENCY_TTL_SECS: i64 = 48 * 3600;
/// Submitted companies are stored in chunks well under the 400 KB item limit.
const CHUNK_BYTES: usize = 300_000;

pub struct IdempotencyWrite {
    pub key: String,
    pub request_hash: String,
    pub response: serde_json::Value,
}

pub struct CreateOrder {
    pub order: Order,
    pub companies: Vec<SubmittedCompany>,
    pub new_profile: Option<Profile>,
    pub idempotency: Option<IdempotencyWrite>,
}

#[derive(Debug)]
pub enum Created {
    Order(Box<Order>),
    /// Another request with the same idempotency key won the race.
    IdempotencyKeyTaken,
    /// An assigned blacklist was deleted while the order was being created.
    BlacklistGone(Uuid),
    /// The tenant already has `Limits::max_open_orders` orders open.
    TooManyOpenOrders(usize),
}

/// What a transition sets besides the status and its timestamp.
#[derive(Debug, Clone, Default)]
pub struct Change {
    pub admin_notes: Option<String>,
    /// Final figures, set on completion.
    pub company_count: Option<u64>,
    pub estimated_cost: Option<domain::pricing::EstimatedCost>,
}

impl Change {
    pub fn notes(notes: impl Into<String>) -> Self {
        Self {
            admin_notes: Some(notes.into()),
            ..Default::default()
        }
    }
}

#[derive(Debug, Clone)]
pub struct Transition {
    pub order: Order,
    pub previous: OrderStatus,
    pub event: StatusChanged,
}

fn idempotency_sk(key: &str) -> String {
    keys::idempotency(&auth::hash(key))
}

pub fn review_sort_key(o: &Order) -> String {
    let rank = if o.priority == Priority::Express {
        0
    } else {
        1
    };
    format!("{rank}#{}#{}", o.created_at, o.order_id)
}

fn order_item(o: &Order) -> Result<Item, ApiError> {
    Ok(with_keys(
        to_item(o)?,
        &[
            (keys::PK, keys::tenant(&o.tenant_id)),
            (keys::SK, keys::order(o.order_id)),
            (
                keys::GSI1PK,
                keys::order_status_index(&o.tenant_id, o.status.as_str()),
            ),
            (keys::GSI1SK, keys::order(o.order_id)),
            (keys::GSI2PK, keys::review_queue(o.status.as_str())),
            (keys::GSI2SK, review_sort_key(o)),
        ],
    ))
}

fn chunk_companies(companies: &[SubmittedCompany]) -> Result<Vec<String>, ApiError> {
    let mut chunks = Vec::new();
    let mut current: Vec<&SubmittedCompany> = Vec::new();
    let mut size = 0;
    for c in companies {
        let len = serde_json::to_string(c)
            .map_err(|e| ApiError::Internal(e.to_string()))?
            .len();
        if size + len > CHUNK_BYTES && !current.is_empty() {
            chunks.push(serde_json::to_string(&current).expect("serialisable"));
            current.clear();
            size = 0;
        }
        size += len;
        current.push(c);
    }
    if !current.is_empty() {
        chunks.push(serde_json::to_string(&current).expect("serialisable"));
    }
    Ok(chunks)
}

/// `GET /orders`' filters (`list_orders`).
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    pub status: Option<OrderStatus>,
    pub order_type: Option<OrderType>,
}

impl Dynamo {
    pub(crate) async fn batch_write(&self, requests: Vec<WriteRequest>) -> Result<(), ApiError> {
        super::batch_write(&self.client, &self.table, requests).await
    }

    pub(crate) async fn delete_keys(
        &self,
        keys_to_delete: Vec<(String, String)>,
    ) -> Result<(), ApiError> {
        let requests = keys_to_delete
            .into_iter()
            .map(|(pk, sk)| {
                WriteRequest::builder()
                    .delete_request(
                        DeleteRequest::builder()
                            .key(keys::PK, s(pk))
                            .key(keys::SK, s(sk))
                            .build()
                            .expect("key set"),
                    )
                    .build()
            })
            .collect();
        self.batch_write(requests).await
    }

    async fn put_chunks(&self, o: &Order, chunks: &[String]) -> Result<(), ApiError> {
        let pk = keys::order_data(&o.tenant_id, o.order_id);
        let requests = chunks
            .iter()
            .enumerate()
            .map(|(i, chunk)| {
                let put = PutRequest::builder()
                    .item(keys::PK, s(&pk))
                    .item(keys::SK, s(keys::input_chunk(i)))
                    .item("companies", s(chunk))
                    .build()
                    .expect("item set");
                WriteRequest::builder().put_request(put).build()
            })
            .collect();
        self.batch_write(requests).await
    }

    pub(crate) async fn get_consistent(
        &self,
        pk: String,
        sk: String,
    ) -> Result<Option<Item>, ApiError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(pk))
            .key(keys::SK, s(sk))
            .consistent_read(true)
            .send()
            .await
            .map_err(classify)?;
        Ok(out.item)
    }

    /// Tenant of an order, for callers that only know its id (operators, the workflow).
    pub async fn order_tenant(&self, id: Uuid) -> Result<Option<String>, ApiError> {
        let item = self
            .get_consistent(keys::order_ref(id), "REF".into())
            .await?;
        Ok(item.and_then(|i| i.get("tenant_id").and_then(|v| v.as_s().ok()).cloned()))
    }
}

impl Dynamo {
    pub async fn create_order(&self, req: CreateOrder) -> Result<Created, ApiError> {
        let o = &req.order;
        let tenant_pk = keys::tenant(&o.tenant_id);
        let chunks = chunk_companies(&req.companies)?;
        // Chunks are written first: until the order item exists nothing refers to them, and a failed
        // creation deletes them again.
        self.put_chunks(o, &chunks).await?;

        let mut items = vec![TransactWriteItem::builder()
            .put(
                Put::builder()
                    .table_name(&self.table)
                    .set_item(Some(order_item(o)?))
                    .condition_expression("attribute_not_exists(PK)")
                    .build()
                    .map_err(|e| ApiError::Internal(e.to_string()))?,
            )
            .build()];
        items.push(
            TransactWriteItem::builder()
                .put(
                    Put::builder()
                        .table_name(&self.table)
                        .item(keys::PK, s(keys::order_ref(o.order_id)))
                        .item(keys::SK, s("REF"))
                        .item("tenant_id", s(&o.tenant_id))
                        .build()
                        .map_err(|e| ApiError::Internal(e.to_string()))?,
                )
                .build(),
        );
        let idem_index = items.len();
        if let Some(idem) = &req.idempotency {
            let now = domain::clock::now().unix_timestamp();
            items.push(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.table)
                            .item(keys::PK, s(&tenant_pk))
                            .item(keys::SK, s(idempotency_sk(&idem.key)))
                            .item("request_hash", s(&idem.request_hash))
                            .item("response", s(idem.response.to_string()))
                            .item(keys::EXPIRES, n(now + IDEMPOTENCY_TTL_SECS))
                            .condition_expression("attribute_not_exists(PK) OR #exp < :now")
                            .expression_attribute_names("#exp", keys::EXPIRES)
                            .expression_attribute_values(":now", n(now))
                            .build()
                            .map_err(|e| ApiError::Internal(e.to_string()))?,
                    )
                    .build(),
            );
        }
        if let Some(p) = &req.new_profile {
            items.push(
                TransactWriteItem::builder()
                    .put(
                        Put::builder()
                            .table_name(&self.table)
                            .set_item(Some(with_keys(
                                to_item(p)?,
                                &[
                                    (keys::PK, tenant_pk.clone()),
                                    (keys::SK, keys::profile(p.id)),
                                ],
                            )))
                            .build()
                            .map_err(|e| ApiError::Internal(e.to_string()))?,
                    )
                    .build(),
            );
        }
        // Totals of the listings and the open orders' limit, moved with the order.
        let counters_index = items.len();
        items.extend(super::counters::order_created(
            self,
            &o.tenant_id,
            o.order_id,
            o.order_type,
            req.new_profile.is_some(),
            self.limits.max_open_orders,
        )?);
        let first_blacklist = items.len();
        for id in &o.blacklist_ids {
            items.push(
                TransactWriteItem::builder()
                    .condition_check(
                        ConditionCheck::builder()
                            .table_name(&self.table)
                            .key(keys::PK, s(&tenant_pk))
                            .key(keys::SK, s(keys::blacklist(*id)))
                            .condition_expression("attribute_exists(PK)")
                            .build()
                            .map_err(|e| ApiError::Internal(e.to_string()))?,
                    )
                    .build(),
            );
        }

        let transaction = self
            .client
            .transact_write_items()
            .set_transact_items(Some(items));
        let result = self.retry_contention(|| transaction.clone().send()).await;
        let Err(err) = result else {
            return Ok(Created::Order(Box::new(req.order)));
        };
        let cleanup = (0..chunks.len())
            .map(|i| {
                (
                    keys::order_data(&o.tenant_id, o.order_id),
                    keys::input_chunk(i),
                )
            })
            .collect();
        if let Err(e) = self.delete_keys(cleanup).await {
            tracing::error!(order_id = %o.order_id, error = %e, "could not remove chunks of a failed order");
        }
        if let Some(failed) = condition_failed_at(&err) {
            if req.idempotency.is_some() && failed.get(idem_index) == Some(&true) {
                return Ok(Created::IdempotencyKeyTaken);
            }
            if let Some(pos) = failed.iter().skip(first_blacklist).position(|f| *f) {
                return Ok(Created::BlacklistGone(o.blacklist_ids[pos]));
            }
            if failed.get(counters_index) == Some(&true) {
                return Ok(Created::TooManyOpenOrders(self.limits.max_open_orders));
            }
        }
        Err(classify(err))
    }

    pub async fn get_order(&self, tenant: &str, id: Uuid) -> Result<Option<Order>, ApiError> {
        self.get_entity(keys::tenant(tenant), keys::order(id)).await
    }

    pub async fn list_orders(
        &self,
        tenant: &str,
        filter: &OrderFilter,
        page: Page,
    ) -> Result<(Vec<Order>, usize), ApiError> {
        let mut q = match filter.status {
            Some(st) => KeyQuery::prefix(
                Some(keys::GSI1),
                (keys::GSI1PK, keys::order_status_index(tenant, st.as_str())),
                (keys::GSI1SK, "ORDER#"),
            ),
            None => KeyQuery::prefix(None, (keys::PK, keys::tenant(tenant)), (keys::SK, "ORDER#")),
        };
        if let Some(t) = filter.order_type {
            q = q.filter_eq("order_type", t.as_str());
        }
        let total = self
            .counter(
                super::counters::tenant_key(tenant),
                &super::counters::orders_with(filter.status, filter.order_type),
            )
            .await?;
        let (items, total) = q.page(self, page, total).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }

    /// Conditional status change; exactly one caller wins a race.
    pub async fn transition(
        &self,
        tenant: &str,
        id: Uuid,
        to: OrderStatus,
        change: &Change,
    ) -> Result<Transition, ApiError> {
        // Read, then write conditionally on exactly the status read: the winner of a race knows its
        // true previous status, every loser re-reads and sees the new one.
        loop {
            let current = self
                .get_order(tenant, id)
                .await?
                .ok_or(ApiError::OrderNotFound)?;
            if !current.status.can_become(to) {
                return Err(ApiError::InvalidStatusTransition(format!(
                    "Order is {} and cannot become {to}",
                    current.status
                )));
            }
            let at = domain::clock::now();
            let now = domain::clock::format(at);
            let mut next = current.clone();
            next.status = to;
            if let Some(field) = to.timestamp_field() {
                match field {
                    "accepted_at" => next.accepted_at = Some(now.clone()),
                    "completed_at" => next.completed_at = Some(now.clone()),
                    _ => next.cancelled_at = Some(now.clone()),
                }
            }
            if to == OrderStatus::InProgress {
                next.prospect_search_id = Some(Uuid::now_v7().to_string());
            }
            if change.admin_notes.is_some() {
                next.admin_notes = change.admin_notes.clone();
            }
            if let Some(n) = change.company_count {
                next.company_count = n;
            }
            if change.estimated_cost.is_some() {
                next.estimated_cost = change.estimated_cost.clone();
            }
            let event = StatusChanged::new(&next, current.status, at);

            let mut update = Update::builder()
                .table_name(&self.table)
                .key(keys::PK, s(keys::tenant(tenant)))
                .key(keys::SK, s(keys::order(id)))
                .condition_expression("#status = :from")
                .update_expression(
                    "SET #status = :to, GSI1PK = :g1, GSI2PK = :g2, accepted_at = :acc, completed_at = :comp, \
                     cancelled_at = :canc, prospect_search_id = :psid, admin_notes = :notes, company_count = :count, \
                     estimated_cost = :cost",
                )
                .expression_attribute_names("#status", "status")
                .expression_attribute_values(":from", s(current.status.as_str()))
                .expression_attribute_values(":to", s(to.as_str()))
                .expression_attribute_values(":g1", s(keys::order_status_index(tenant, to.as_str())))
                .expression_attribute_values(":g2", s(keys::review_queue(to.as_str())))
                .expression_attribute_values(":count", n(next.company_count))
                .expression_attribute_values(":cost", serde_dynamo::to_attribute_value(&next.estimated_cost).map_err(|e| ApiError::Internal(e.to_string()))?)
                .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
            for (name, value) in [
                (":acc", &next.accepted_at),
                (":comp", &next.completed_at),
                (":canc", &next.cancelled_at),
                (":psid", &next.prospect_search_id),
                (":notes", &next.admin_notes),
            ] {
                update = update.expression_attribute_values(
                    name,
                    value
                        .as_ref()
                        .map(s)
                        .unwrap_or(aws_sdk_dynamodb::types::AttributeValue::Null(true)),
                );
            }
            let mut event_put = Put::builder()
                .table_name(&self.table)
                .item(keys::PK, s(keys::order_data(tenant, id)))
                .item(keys::SK, s(keys::event(to.as_str())))
                .item(
                    "event",
                    s(serde_json::to_string(&event).expect("serialisable")),
                )
                .item(
                    "published",
                    aws_sdk_dynamodb::types::AttributeValue::Bool(false),
                )
                .condition_expression("attribute_not_exists(PK)");
            if next.webhook_url.is_some() {
                // Listed in the sparse outbox index until the relay or the fast path publishes it.
                event_put = event_put
                    .item(keys::GSI2PK, s(keys::OUTBOX))
                    .item(keys::GSI2SK, s(format!("{now}#{}", event.event_id)));
            }
            let event_put = event_put
                .build()
                .map_err(|e| ApiError::Internal(e.to_string()))?;
            let transaction = self
                .client
                .transact_write_items()
                .transact_items(
                    TransactWriteItem::builder()
                        .update(
                            update
                                .build()
                                .map_err(|e| ApiError::Internal(e.to_string()))?,
                        )
                        .build(),
                )
                .transact_items(TransactWriteItem::builder().put(event_put).build());
            let [tenant_counts, review_counts] = super::counters::order_moved(
                self,
                tenant,
                id,
                current.order_type,
                current.status,
                to,
            )?;
            let transaction = transaction
                .transact_items(tenant_counts)
                .transact_items(review_counts);
            let result = self.retry_contention(|| transaction.clone().send()).await;
            match result {
                Ok(_) => {
                    return Ok(Transition {
                        order: next,
                        previous: current.status,
                        event,
                    })
                }
                Err(err) if condition_failed_at(&err).is_some() => continue,
                Err(err) => return Err(classify(err)),
            }
        }
    }

    pub async fn submitted_companies(
        &self,
        tenant: &str,
        id: Uuid,
    ) -> Result<Vec<SubmittedCompany>, ApiError> {
        let q = KeyQuery {
            newest_first: false,
            ..KeyQuery::prefix(
                None,
                (keys::PK, keys::order_data(tenant, id)),
                (keys::SK, "INPUT#"),
            )
        };
        let mut out = Vec::new();
        for item in q.all(self).await? {
            let chunk = item
                .get("companies")
                .and_then(|v| v.as_s().ok())
                .ok_or_else(|| ApiError::Internal("input chunk without companies".into()))?;
            let mut list: Vec<SubmittedCompany> =
                serde_json::from_str(chunk).map_err(|e| ApiError::Internal(e.to_string()))?;
            out.append(&mut list);
        }
        Ok(out)
    }

    /// The stored response of an earlier request with this idempotency key, with its body hash.
    pub async fn idempotent_response(
        &self,
        tenant: &str,
        key: &str,
    ) -> Result<Option<(String, serde_json::Value)>, ApiError> {
        let Some(item) = self
            .get_consistent(keys::tenant(tenant), idempotency_sk(key))
            .await?
        else {
            return Ok(None);
        };
        let expired = item
            .get(keys::EXPIRES)
            .and_then(|v| v.as_n().ok())
            .and_then(|v| v.parse::<i64>().ok())
            .is_some_and(|exp| exp < domain::clock::now().unix_timestamp());
        if expired {
            return Ok(None);
        }
        let get = |k: &str| {
            item.get(k)
                .and_then(|v| v.as_s().ok())
                .cloned()
                .unwrap_or_default()
        };
        let response = serde_json::from_str(&get("response"))
            .map_err(|e| ApiError::Internal(e.to_string()))?;
        Ok(Some((get("request_hash"), response)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stored(warnings: serde_json::Value) -> Item {
        let mut order = serde_json::json!({
            "order_id": Uuid::now_v7(), "tenant_id": "t", "order_type": "DISCOVERY", "title": "t",
            "status": "RECEIVED", "priority": "NORMAL", "company_count": 0, "features": ["COMPANY_DATA"],
            "estimated_cost": null, "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
            "ideal_customer_profile": "SaaS", "seller_offering": "x", "seller_industry": null,
            "excluded_industries": ["Crypto"], "target_countries": ["Germany"], "target_cities": null,
            "output_language": "en", "contact_roles": null, "blacklist_ids": [], "profile_id": null,
            "created_at": "2026-01-01T00:00:00.000000Z", "accepted_at": null, "completed_at": null,
            "cancelled_at": null
        });
        if !warnings.is_null() {
            order["warnings"] = warnings;
        }
        serde_dynamo::to_item(order).unwrap()
    }

    #[test]
    fn warnings_round_trip_and_old_items_without_them_still_load() {
        let old: Order = from_item(stored(serde_json::Value::Null)).unwrap();
        assert!(old.warnings.is_empty());

        let with = stored(serde_json::json!([
            "excluded_industries: \"Crypto\" matches no known industry and excludes nothing"
        ]));
        let order: Order = from_item(with).unwrap();
        assert_eq!(order.warnings.len(), 1);
        let item = order_item(&order).unwrap();
        assert!(item.contains_key("warnings"));
        assert_eq!(from_item::<Order>(item).unwrap(), order);
    }
}
