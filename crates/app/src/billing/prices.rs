//! A centre's prices: reading them with the cancellation policy, adding a price from a date, and
//! the prices that apply today for the public prices page.

use super::access::centre_for;
use crate::case_files::file_org;
use crate::{AppError, AppState, Caller};
use familytime_domain::authz::Action;
use familytime_domain::billing::{CancellationPolicy, Item, Pence, Price};
use familytime_domain::text::FieldErrors;
use familytime_store::billing::StoredPrice;
use jiff::civil::Date;
use jiff::tz::TimeZone;

/// A centre's prices and cancellation policy.
pub struct CentreMoney {
    pub centre: familytime_store::tenancy::Centre,
    pub prices: Vec<StoredPrice>,
    pub policy: CancellationPolicy,
    /// The policy's version, sent back when changing it.
    pub policy_version: i64,
}

pub async fn centre_money(state: &AppState, caller: &Caller, id: &str) -> Result<CentreMoney, AppError> {
    let centre = centre_for(state, caller, id, Action::SetPrices).await?;
    let org = file_org(caller)?;
    Ok(CentreMoney {
        centre: state.store.centre(org, centre).await?,
        prices: state.store.prices(org, centre).await?,
        policy: state.store.cancellation_policy(org, centre).await?,
        policy_version: state
            .store
            .list_version(
                org,
                familytime_store::versions::ListKind::CancellationPolicy,
                &centre.to_string(),
            )
            .await?,
    })
}

/// A price as the form or the API sends it.
#[derive(Debug, Clone, Default)]
pub struct PriceInput {
    pub item: String,
    pub amount: String,
    pub applies_from: String,
}

/// Adds a price from a date; a price already charged or invoiced never changes, because charges
/// keep their own amounts.
pub async fn add_price(state: &AppState, caller: &Caller, id: &str, input: &PriceInput) -> Result<(), AppError> {
    let centre = centre_for(state, caller, id, Action::SetPrices).await?;
    let mut errors = FieldErrors::new();
    let item = Item::parse(&input.item);
    if item.is_none() {
        errors.add("item", "Choose what the price is for");
    }
    let amount = errors.take("amount", Pence::parse_pounds(&input.amount));
    let from: Option<Date> = errors.take(
        "applies_from",
        familytime_domain::dates::parse_date(&input.applies_from),
    );
    let (Some(item), Some(amount), Some(from)) = (item, amount, from) else {
        return Err(AppError::Invalid(errors));
    };
    let scope = caller.scope(state.clock.now());
    match state
        .store
        .add_price(&scope, file_org(caller)?, centre, &Price { item, amount, from })
        .await
    {
        Err(familytime_store::StoreError::Conflict(m)) => {
            Err(AppError::Invalid(FieldErrors::single("applies_from", m)))
        }
        other => Ok(other.map(|_| ())?),
    }
}

/// One centre's prices today and its cancellation policy, for the public prices page.
pub struct PublicPrices {
    pub centre_name: String,
    pub prices: Vec<(Item, Pence)>,
    pub policy: CancellationPolicy,
}

/// Every centre that has set prices, with the prices that apply today: public information, shown
/// to anyone.
pub async fn public_prices(state: &AppState) -> Result<Vec<PublicPrices>, AppError> {
    let today = state.clock.now().to_zoned(TimeZone::UTC).date();
    let mut out = Vec::new();
    for org in state.store.organisations().await? {
        for centre in state.store.centres(org.id).await? {
            let list = state.store.price_list(org.id, centre.id).await?;
            let prices: Vec<(Item, Pence)> = Item::ALL
                .iter()
                .filter_map(|item| list.price_on(*item, today).map(|p| (*item, p)))
                .filter(|(_, p)| p.0 > 0)
                .collect();
            if prices.is_empty() {
                continue;
            }
            out.push(PublicPrices {
                centre_name: centre.name,
                prices,
                policy: state.store.cancellation_policy(org.id, centre.id).await?,
            });
        }
    }
    Ok(out)
}
