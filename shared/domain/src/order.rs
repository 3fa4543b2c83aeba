//! Orders: their vocabulary, the lifecycle of docs/contract-notes.md "Lifecycle", and the status object of the guide.
use super::language::Language;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A closed vocabulary of the contract: an enum with its wire strings, parsing and listing.
#[macro_export]
macro_rules! string_enum {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: [$name; [$($text),+].len()] = [$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(s: &str) -> Option<Self> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }

            /// The position in `ALL`: both follow the declaration order (no discriminants given).
            pub fn index(self) -> usize {
                self as usize
            }

            /// "A, B, C" for error messages.
            pub fn choices() -> String {
                [$($text),+].join(", ")
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum!(OrderType { Enrichment = "ENRICHMENT", Discovery = "DISCOVERY" });
string_enum!(Priority { Normal = "NORMAL", Express = "EXPRESS" });
string_enum!(Feature {
    CompanyData = "COMPANY_DATA",
    Contacts = "CONTACTS",
    Analysis = "ANALYSIS",
    Technologies = "TECHNOLOGIES",
    EmailDiscovery = "EMAIL_DISCOVERY",
});
string_enum!(OrderStatus {
    Received = "RECEIVED",
    Accepted = "ACCEPTED",
    InProgress = "IN_PROGRESS",
    Completed = "COMPLETED",
    Cancelled = "CANCELLED",
});

impl OrderStatus {
    /// The only transitions that exist (the guide's state diagram).
    pub fn can_become(self, next: OrderStatus) -> bool {
        use OrderStatus::*;
        matches!(
            (self, next),
            (Received, Accepted)
                | (Accepted, InProgress)
                | (InProgress, Completed)
                | (Received | Accepted | InProgress, Cancelled)
        )
    }

    /// The statuses a transition to `self` may start from; status writes are conditional on these.
    pub fn predecessors(self) -> Vec<OrderStatus> {
        OrderStatus::ALL
            .into_iter()
            .filter(|from| from.can_become(self))
            .collect()
    }

    pub fn is_terminal(self) -> bool {
        matches!(self, OrderStatus::Completed | OrderStatus::Cancelled)
    }

    /// The order attribute that records when this status was reached.
    pub fn timestamp_field(self) -> Option<&'static str> {
        match self {
            OrderStatus::Accepted => Some("accepted_at"),
            OrderStatus::Completed => Some("completed_at"),
            OrderStatus::Cancelled => Some("cancelled_at"),
            _ => None,
        }
    }
}

/// A company submitted with an enrichment order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubmittedCompany {
    pub external_id: String,
    pub company_name: Option<String>,
    pub website_url: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
}

/// What an order is estimated to cost (`pricing::PriceList::estimate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EstimatedCost {
    pub total: f64,
    pub currency: String,
}

/// An order as stored. Submitted companies are stored beside it, not inside it (item size).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Order {
    pub order_id: Uuid,
    pub tenant_id: String,
    pub order_type: OrderType,
    pub title: String,
    pub status: OrderStatus,
    pub priority: Priority,
    pub company_count: u64,
    pub features: Vec<Feature>,
    pub estimated_cost: Option<EstimatedCost>,
    pub prospect_search_id: Option<String>,
    pub admin_notes: Option<String>,
    pub webhook_url: Option<String>,
    pub ideal_customer_profile: Option<String>,
    pub seller_offering: Option<String>,
    pub seller_industry: Option<String>,
    pub excluded_industries: Option<Vec<String>>,
    pub target_countries: Option<Vec<String>>,
    pub target_cities: Option<Vec<String>>,
    pub output_language: Option<String>,
    pub contact_roles: Option<Vec<String>>,
    pub blacklist_ids: Vec<Uuid>,
    pub profile_id: Option<Uuid>,
    pub created_at: String,
    pub accepted_at: Option<String>,
    pub completed_at: Option<String>,
    pub cancelled_at: Option<String>,
    /// Results delivered so far (the next result's position).
    #[serde(default)]
    pub result_count: u64,
    /// Work batches delivered so far: batches are delivered in order, so results keep the order
    /// of the work (submission order, or best match first) even when computed concurrently.
    #[serde(default)]
    pub next_batch: u64,
    /// How many batches the run planned (set by the plan step).
    #[serde(default)]
    pub planned_batches: Option<u64>,
    /// What the partner should know about the order as submitted (e.g. `excluded_industries`
    /// values that exclude nothing), fixed at creation. Orders stored before it existed have none.
    #[serde(default)]
    pub warnings: Vec<String>,
    /// A lookalike discovery's seeds as registrable domains (`create_order::LOOKALIKE_MAX`).
    #[serde(default)]
    pub lookalike_domains: Option<Vec<String>>,
    /// DISCOVERY: skip the companies already delivered to the tenant (`exclude_delivered`).
    #[serde(default)]
    pub exclude_delivered: bool,
    /// How many candidates that flag skipped, set when the discovery selects (`None` before, and
    /// always without the flag).
    #[serde(default)]
    pub excluded_delivered_count: Option<u64>,
    /// Results recorded in the tenant's register of delivered companies so far (positions
    /// `0..delivered_recorded`): behind `result_count` only between a delivery and its recording,
    /// or after a crash between them, until a task of the order catches up (store `delivered`).
    #[serde(default)]
    pub delivered_recorded: u64,
}

/// The status object of the guide ("Step 3"), every field present, plus `warnings` (always a list).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OrderView<'a> {
    pub order_id: Uuid,
    pub order_type: OrderType,
    pub title: &'a str,
    pub status: OrderStatus,
    pub priority: Priority,
    pub company_count: u64,
    pub features: &'a [Feature],
    pub estimated_cost: &'a Option<EstimatedCost>,
    pub prospect_search_id: &'a Option<String>,
    pub admin_notes: &'a Option<String>,
    pub webhook_url: &'a Option<String>,
    pub seller_offering: &'a Option<String>,
    pub seller_industry: &'a Option<String>,
    pub excluded_industries: &'a Option<Vec<String>>,
    pub target_countries: &'a Option<Vec<String>>,
    pub target_cities: &'a Option<Vec<String>>,
    pub output_language: &'a Option<String>,
    pub created_at: &'a str,
    pub accepted_at: &'a Option<String>,
    pub completed_at: &'a Option<String>,
    pub cancelled_at: &'a Option<String>,
    pub warnings: &'a [String],
    pub lookalike_domains: &'a Option<Vec<String>>,
    pub exclude_delivered: bool,
    pub excluded_delivered_count: Option<u64>,
}

impl Order {
    pub fn view(&self) -> OrderView<'_> {
        OrderView {
            order_id: self.order_id,
            order_type: self.order_type,
            title: &self.title,
            status: self.status,
            priority: self.priority,
            company_count: self.company_count,
            features: &self.features,
            estimated_cost: &self.estimated_cost,
            prospect_search_id: &self.prospect_search_id,
            admin_notes: &self.admin_notes,
            webhook_url: &self.webhook_url,
            seller_offering: &self.seller_offering,
            seller_industry: &self.seller_industry,
            excluded_industries: &self.excluded_industries,
            target_countries: &self.target_countries,
            target_cities: &self.target_cities,
            output_language: &self.output_language,
            created_at: &self.created_at,
            accepted_at: &self.accepted_at,
            completed_at: &self.completed_at,
            cancelled_at: &self.cancelled_at,
            warnings: &self.warnings,
            lookalike_domains: &self.lookalike_domains,
            exclude_delivered: self.exclude_delivered,
            excluded_delivered_count: self
                .excluded_delivered_count
                .filter(|_| self.exclude_delivered),
        }
    }

    /// The language of the order's generated texts (`output_language`, English by default).
    pub fn language(&self) -> Language {
        Language::from_code(self.output_language.as_deref())
    }

    /// The 202 answer to `POST /orders`.
    pub fn created_response(&self) -> serde_json::Value {
        serde_json::json!({
            "order_id": self.order_id,
            "order_type": self.order_type,
            "status": self.status,
            "company_count": self.company_count,
            "estimated_cost": self.estimated_cost,
            "message": "Order received. Awaiting admin review.",
            "warnings": self.warnings,
        })
    }
}

/// The `order.status_changed` event every transition emits (docs/contract-notes.md "Webhooks").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChanged {
    /// Stable per transition, so a retried publish is recognisable as the same event.
    pub event_id: Uuid,
    pub tenant_id: String,
    pub webhook_url: Option<String>,
    pub payload: StatusChangedPayload,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusChangedPayload {
    pub event: String,
    pub order_id: Uuid,
    pub status: OrderStatus,
    pub previous_status: OrderStatus,
    pub timestamp: String,
}

impl StatusChanged {
    pub fn new(order: &Order, previous: OrderStatus, at: time::OffsetDateTime) -> Self {
        let name = format!("{}:{}", order.order_id, order.status);
        Self {
            event_id: Uuid::new_v5(&Uuid::NAMESPACE_OID, name.as_bytes()),
            tenant_id: order.tenant_id.clone(),
            webhook_url: order.webhook_url.clone(),
            payload: StatusChangedPayload {
                event: "order.status_changed".into(),
                order_id: order.order_id,
                status: order.status,
                previous_status: previous,
                timestamp: crate::clock::format_offset(at),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::OrderStatus::*;
    use super::*;

    #[test]
    fn lifecycle_matches_the_state_diagram() {
        let allowed = [
            (Received, Accepted),
            (Received, Cancelled),
            (Accepted, InProgress),
            (Accepted, Cancelled),
            (InProgress, Completed),
            (InProgress, Cancelled),
        ];
        for from in OrderStatus::ALL {
            for to in OrderStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} -> {to}"
                );
            }
        }
    }

    #[test]
    fn cancel_is_allowed_from_the_three_open_statuses() {
        assert_eq!(
            Cancelled.predecessors(),
            vec![Received, Accepted, InProgress]
        );
        assert!(Completed.is_terminal() && Cancelled.is_terminal());
    }

    #[test]
    fn events_carry_the_guides_timestamp() {
        let order: Order = serde_json::from_value(serde_json::json!({
            "order_id": Uuid::now_v7(), "tenant_id": "t", "order_type": "DISCOVERY", "title": "t",
            "status": "ACCEPTED", "priority": "NORMAL", "company_count": 0, "features": ["COMPANY_DATA"],
            "estimated_cost": null, "prospect_search_id": null, "admin_notes": null, "webhook_url": null,
            "ideal_customer_profile": "SaaS", "seller_offering": "x", "seller_industry": null,
            "excluded_industries": null, "target_countries": ["Germany"], "target_cities": null,
            "output_language": "en", "contact_roles": null, "blacklist_ids": [], "profile_id": null,
            "created_at": "2026-01-01T00:00:00.000000Z", "accepted_at": null, "completed_at": null,
            "cancelled_at": null
        }))
        .unwrap();
        let at = crate::clock::parse("2026-03-02T14:30:00Z").unwrap();
        let e = StatusChanged::new(&order, Received, at);
        assert_eq!(e.payload.timestamp, "2026-03-02T14:30:00.000000+00:00");
        let body = serde_json::to_value(&e.payload).unwrap();
        let keys: Vec<&str> = body
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys.len(), 5, "{keys:?}");
    }

    #[test]
    fn enums_round_trip_their_wire_names() {
        for (i, f) in Feature::ALL.into_iter().enumerate() {
            assert_eq!(Feature::parse(f.as_str()), Some(f));
            assert_eq!(f.index(), i);
        }
        assert_eq!(
            Feature::choices(),
            "COMPANY_DATA, CONTACTS, ANALYSIS, TECHNOLOGIES, EMAIL_DISCOVERY"
        );
        assert_eq!(
            serde_json::to_string(&InProgress).unwrap(),
            "\"IN_PROGRESS\""
        );
    }
}
