use super::{Accepted, Found, Listed, Updated};
use crate::app::App;
use auth::Caller;
use domain::create_order::{self, NewOrder, ProfileChoice};
use domain::error::FieldError;
use domain::order::{Order, OrderStatus, OrderType};
use domain::paging::Page;
use domain::profile::Profile;
use domain::results::CompanyResult;
use domain::ApiError;
use engine::icp::{broad_exclusions, unmatched_exclusions};
use serde::{Serialize, Serializer};
use serde_json::Value;
use store::orders::OrderFilter;
use store::orders::{Change, CreateOrder, Created, IdempotencyWrite};
use uuid::Uuid;

pub const IDEMPOTENCY_KEY_MAX: usize = 255;

/// The `Idempotency-Key` header: 1 to 255 characters of UTF-8 text. A key that breaks the rule is
/// a 422, never ignored: ignoring it would turn the partner's safe retry into a second order.
fn idempotency_key(raw: Option<&[u8]>) -> Result<Option<&str>, FieldError> {
    let Some(raw) = raw else { return Ok(None) };
    let field = "Idempotency-Key";
    let key = std::str::from_utf8(raw)
        .map_err(|_| FieldError::new(field, "Idempotency-Key must be UTF-8 text"))?
        .trim();
    match key.chars().count() {
        1..=IDEMPOTENCY_KEY_MAX => Ok(Some(key)),
        _ => Err(FieldError::new(
            field,
            "Idempotency-Key must be 1 to 255 characters",
        )),
    }
}

/// `POST /orders`.
pub async fn create(
    app: &App,
    caller: &Caller,
    body: Value,
    idempotency_key_header: Option<&[u8]>,
    catalog: &dyn engine::ports::CatalogSource,
) -> Result<Accepted<Value>, ApiError> {
    let parsed_key = idempotency_key(idempotency_key_header);
    let idempotency_key = parsed_key.as_ref().ok().copied().flatten();
    // The hash of the body as sent (canonical: object keys sorted) identifies "the same request";
    // only a request with a key needs it.
    let request_hash = idempotency_key
        .map(|_| request_hash(&body))
        .unwrap_or_default();
    if let Some(key) = idempotency_key {
        if let Some(replay) = replay(app, caller, key, &request_hash).await? {
            return Ok(Accepted(replay));
        }
    }

    // A bad key is reported with the body's own errors, in one 422. The body moves in: it is
    // never copied (the profile fills the gaps in place).
    let new = checked(app, caller, body, |_, errors| {
        errors.extend(parsed_key.clone().err())
    })
    .await?;

    // At most `blacklist_ids`' 20 ids, in the body's order: what names a blacklist deleted meanwhile.
    let listed = new.blacklist_ids.clone();
    let seeds = super::lookalike::seed_warnings(catalog, &new).await?;
    let (mut order, companies, new_profile) = build(app, caller, new);
    order.warnings.extend(seeds);
    let response = order.created_response();
    let created = app
        .db
        .create_order(CreateOrder {
            order,
            companies,
            new_profile,
            idempotency: idempotency_key.map(|key| IdempotencyWrite {
                key: key.to_string(),
                request_hash: request_hash.clone(),
                response: response.clone(),
            }),
        })
        .await?;
    match created {
        Created::Order(_) => Ok(Accepted(response)),
        Created::IdempotencyKeyTaken => match idempotency_key {
            Some(key) => replay(app, caller, key, &request_hash)
                .await?
                .map(Accepted)
                .ok_or_else(|| ApiError::Unavailable("idempotency record not yet readable".into())),
            None => Err(ApiError::Internal(
                "the store reported an idempotency key taken for a request without one".into(),
            )),
        },
        Created::BlacklistGone(id) => {
            let i = listed.iter().position(|x| *x == id).unwrap_or(0);
            Err(ApiError::validation(
                format!("blacklist_ids[{i}]"),
                format!("blacklist {id} not found"),
            ))
        }
        Created::TooManyOpenOrders(max) => Err(ApiError::LimitExceeded(format!(
            "At most {max} orders may be open (RECEIVED, ACCEPTED or IN_PROGRESS) at once; \
             wait for some to complete or cancel one"
        ))),
    }
}

/// The order a body describes, after the profile it references fills what it leaves out, with
/// every invalid field in one 422: the rules of `create_order::validate`, the referenced profile
/// and blacklists existing, and `also` (what a caller other than order creation adds).
pub(crate) async fn checked(
    app: &App,
    caller: &Caller,
    mut body: Value,
    also: impl FnOnce(&Value, &mut Vec<FieldError>),
) -> Result<NewOrder, ApiError> {
    let mut errors = Vec::new();
    if let Some(profile) = referenced_profile(app, caller, &body, &mut errors).await? {
        if let Some(obj) = body.as_object_mut() {
            profile.fill_missing(obj);
        }
    }
    let validated = create_order::validate(&body, app.config.local_mode)?;
    errors.extend(validated.errors);
    for (i, id) in &validated.blacklist_ids {
        if app
            .db
            .get_blacklist(&caller.tenant_id, *id)
            .await?
            .is_none()
        {
            errors.push(FieldError::new(
                format!("blacklist_ids[{i}]"),
                format!("blacklist {id} not found"),
            ));
        }
    }
    also(&body, &mut errors);
    match validated.order {
        Some(order) if errors.is_empty() => Ok(order),
        _ => Err(ApiError::Validation(errors)),
    }
}

/// SHA-256 (hex) of the body's canonical text, written straight into the hash: the same digest
/// as hashing `body.to_string()`, without a second copy of a body of up to 6 MB.
fn request_hash(body: &Value) -> String {
    use sha2::{Digest, Sha256};
    struct Hashing(Sha256);
    impl std::io::Write for Hashing {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.update(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let mut h = Hashing(Sha256::new());
    // Writing a Value into a sink that never fails cannot fail.
    let _ = serde_json::to_writer(&mut h, body);
    hex::encode(h.0.finalize())
}

/// The receipt stored with an earlier request of this key, when it was this request.
async fn replay(
    app: &App,
    caller: &Caller,
    key: &str,
    request_hash: &str,
) -> Result<Option<Value>, ApiError> {
    match app.db.idempotent_response(&caller.tenant_id, key).await? {
        Some((hash, response)) if hash == request_hash => Ok(Some(response)),
        Some(_) => Err(ApiError::IdempotencyKeyReused),
        None => Ok(None),
    }
}

async fn referenced_profile(
    app: &App,
    caller: &Caller,
    body: &Value,
    errors: &mut Vec<FieldError>,
) -> Result<Option<Profile>, ApiError> {
    // Validation's own reading of the field (trimmed): a padded id is the same profile, checked
    // for ownership and filled in like any other.
    let Some(id) = create_order::referenced_profile_id(body) else {
        return Ok(None);
    };
    let profile = app.db.get_profile(&caller.tenant_id, id).await?;
    if profile.is_none() {
        errors.push(FieldError::new(
            "profile_id",
            format!("profile {id} not found"),
        ));
    }
    Ok(profile)
}

pub(crate) fn build(
    app: &App,
    caller: &Caller,
    new: NewOrder,
) -> (Order, Vec<domain::order::SubmittedCompany>, Option<Profile>) {
    let now = domain::clock::now_string();
    let company_count = new.companies.len() as u64;
    let estimated_cost = match new.order_type {
        OrderType::Enrichment => Some(app.config.prices.estimate(
            company_count,
            &new.features,
            new.priority,
        )),
        OrderType::Discovery => None,
    };
    let new_profile = match &new.profile {
        ProfileChoice::New(name) => Some(Profile {
            id: Uuid::now_v7(),
            name: name.clone(),
            ideal_customer_profile: new.ideal_customer_profile.clone(),
            seller_offering: new.seller_offering.clone(),
            seller_industry: new.seller_industry.clone(),
            target_countries: new.target_countries.clone(),
            target_cities: new.target_cities.clone(),
            excluded_industries: new.excluded_industries.clone(),
            contact_roles: new.contact_roles.clone(),
            output_language: new.output_language.clone(),
            lookalike_domains: new.lookalike_domains.clone(),
            created_at: now.clone(),
        }),
        _ => None,
    };
    // `new` holds the body after the profile fill, so exclusions taken from a profile count too.
    let excluded = new.excluded_industries.as_deref().unwrap_or_default();
    let icp_text = new.ideal_customer_profile.as_deref().unwrap_or_default();
    let mut warnings = create_order::exclusion_warnings(&unmatched_exclusions(icp_text, excluded));
    // Only a discovery applies exclusions; which segments one removes depends on its ICP.
    if new.order_type == OrderType::Discovery {
        let icp = new.ideal_customer_profile.as_deref().unwrap_or_default();
        let broad: Vec<(String, String)> = broad_exclusions(icp, excluded)
            .into_iter()
            .map(|(value, segment)| (value, segment.label().to_string()))
            .collect();
        warnings.extend(create_order::broad_exclusion_warnings(&broad));
    }
    let profile_id = match &new.profile {
        ProfileChoice::Existing(id) => Some(*id),
        ProfileChoice::New(_) => new_profile.as_ref().map(|p| p.id),
        ProfileChoice::None => None,
    };
    let order = Order {
        order_id: Uuid::now_v7(),
        tenant_id: caller.tenant_id.clone(),
        order_type: new.order_type,
        title: new.title,
        status: OrderStatus::Received,
        priority: new.priority,
        company_count,
        features: new.features,
        estimated_cost,
        prospect_search_id: None,
        admin_notes: None,
        webhook_url: new.webhook_url,
        ideal_customer_profile: new.ideal_customer_profile,
        seller_offering: new.seller_offering,
        seller_industry: new.seller_industry,
        excluded_industries: new.excluded_industries,
        target_countries: new.target_countries,
        target_cities: new.target_cities,
        output_language: new.output_language,
        contact_roles: new.contact_roles,
        blacklist_ids: new.blacklist_ids,
        profile_id,
        created_at: now,
        accepted_at: None,
        completed_at: None,
        cancelled_at: None,
        result_count: 0,
        next_batch: 0,
        planned_batches: None,
        warnings,
        lookalike_domains: new.lookalike_domains,
        exclude_delivered: new.exclude_delivered,
        excluded_delivered_count: None,
        delivered_recorded: 0,
    };
    (order, new.companies, new_profile)
}

/// The caller's order, or 404 whether it is missing or another tenant's.
pub async fn load(app: &App, caller: &Caller, id: Uuid) -> Result<Order, ApiError> {
    app.db
        .get_order(&caller.tenant_id, id)
        .await?
        .ok_or(ApiError::OrderNotFound)
}

/// An order as its tenant sees it (`Order::view`), owned so that an outcome can carry it.
#[derive(Debug, Clone)]
pub struct PartnerOrder(pub Order);

impl Serialize for PartnerOrder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.view().serialize(s)
    }
}

/// `GET /orders/{id}`.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> Result<Found<PartnerOrder>, ApiError> {
    Ok(Found(PartnerOrder(load(app, caller, id).await?)))
}

/// `GET /orders`.
pub async fn list(
    app: &App,
    caller: &Caller,
    filter: OrderFilter,
    page: Page,
) -> Result<Listed<PartnerOrder>, ApiError> {
    let (orders, total) = app.db.list_orders(&caller.tenant_id, &filter, page).await?;
    Ok(Listed::new(orders, total, page, PartnerOrder))
}

/// `POST /orders/{id}/cancel`.
pub async fn cancel(
    app: &App,
    caller: &Caller,
    id: Uuid,
) -> Result<Updated<PartnerOrder>, ApiError> {
    let t = super::lifecycle::cancel(app, &caller.tenant_id, id, Change::default()).await?;
    Ok(Updated(PartnerOrder(t.order)))
}

/// `GET /orders/{id}/results`.
pub async fn results(
    app: &App,
    caller: &Caller,
    id: Uuid,
    page: Page,
    since: Option<time::OffsetDateTime>,
) -> Result<Listed<CompanyResult>, ApiError> {
    let order = load(app, caller, id).await?;
    let p = app.db.results_page(&order, page, since).await?;
    Ok(Listed::new(p.items, p.total, page, |r| r))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_streamed_request_hash_is_the_hash_of_the_body_text() {
        let body = serde_json::json!({"title": "ä \"q\"", "b": [1, 2.5, null], "a": {"z": true}});
        assert_eq!(request_hash(&body), auth::hash(&body.to_string()));
    }
}
