use super::ports::Profiles;
use super::query::KeyQuery;
use super::{classify, from_item, keys, s, Dynamo};
use crate::domain::paging::Page;
use crate::domain::profile::Profile;
use crate::ApiError;
use async_trait::async_trait;
use uuid::Uuid;

#[async_trait]
impl Profiles for Dynamo {
    async fn get_profile(&self, tenant: &str, id: Uuid) -> Result<Option<Profile>, ApiError> {
        let out = self
            .client
            .get_item()
            .table_name(&self.table)
            .key(keys::PK, s(keys::tenant(tenant)))
            .key(keys::SK, s(keys::profile(id)))
            .send()
            .await
            .map_err(classify)?;
        out.item.map(from_item).transpose()
    }

    async fn list_profiles(
        &self,
        tenant: &str,
        page: Page,
    ) -> Result<(Vec<Profile>, usize), ApiError> {
        let q = KeyQuery::prefix(
            None,
            (keys::PK, keys::tenant(tenant)),
            (keys::SK, "PROFILE#"),
        );
        let (items, total) = q.page(self, page).await?;
        Ok((
            items.into_iter().map(from_item).collect::<Result<_, _>>()?,
            total,
        ))
    }
}
