use super::query::KeyQuery;
use super::{from_item, keys, Dynamo};
use domain::paging::Page;
use domain::profile::Profile;
use domain::ApiError;
use uuid::Uuid;

impl Dynamo {
    pub async fn get_profile(&self, tenant: &str, id: Uuid) -> Result<Option<Profile>, ApiError> {
        self.get_entity(keys::tenant(tenant), keys::profile(id))
            .await
    }

    pub async fn list_profiles(
        &self,
        tenant: &str,
        page: Page,
    ) -> Result<(Vec<Profile>, usize), ApiError> {
        let q = KeyQuery::prefix(
            None,
            (keys::PK, keys::tenant(tenant)),
            (keys::SK, "PROFILE#"),
        );
        let total = self
            .counter(
                super::counters::tenant_key(tenant),
                super::counters::PROFILES,
            )
            .await?;
        let (items, total) = q.page(self, page, total).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }
}
