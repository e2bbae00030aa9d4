//! The demo's money: the centres' prices and invoice details, and one family's payments and invoice.

use super::people::demo_admin;
use anyhow::Result;
use familytime_domain::Timestamp;
use familytime_store::{AuditScope, Store};

/// The seed centre's prices (both centres charge them), its cancellation policy and the details
/// printed on invoices, set before the month is booked so every session carries its charge.
pub(super) async fn seed_prices(
    store: &Store,
    scope: &AuditScope,
    org: familytime_domain::ids::OrganisationId,
    centres: [familytime_domain::ids::CentreId; 2],
    now: Timestamp,
) -> Result<()> {
    use familytime_domain::billing::{CancellationPolicy, PriceList};
    let from = now.to_zoned(jiff::tz::TimeZone::UTC).date().first_of_year();
    for centre in centres {
        for price in PriceList::seed_centre(from).prices() {
            store.add_price(scope, org, centre, price).await?;
        }
        store
            .set_cancellation_policy(scope, org, centre, &CancellationPolicy::seed_centre(), 0)
            .await?;
    }
    let details = familytime_store::billing::BillingSettings {
        charity_name: "Riverside Family Contact Service".into(),
        charity_number: "1100123".into(),
        postal_address: "Riverside Community Hub, 14 Mill Lane, Leeds LS2 7QP".into(),
        payment_details: "Bank transfer to Riverside Family Contact Service, sort code 00-00-00, account 00000000, quoting the invoice number.".into(),
        payment_terms_days: 14,
        release_unpaid_hours: None,
        version: 0,
    };
    store.save_billing_settings(scope, org, &details).await?;
    Ok(())
}

/// Money on the family the demo's parent accounts belong to (privately paying, sessions booked):
/// both pre-visit fees and the deposit paid, the first two sessions paid (so they are confirmed), and
/// an invoice for the rest.
pub(super) async fn seed_payments(
    store: &Store,
    org: familytime_domain::ids::OrganisationId,
    now: Timestamp,
) -> Result<()> {
    use familytime_app::billing::{self, MoneyInput};
    let (state, caller) = demo_admin(store).await?;
    let mut parents = Vec::new();
    for email in ["parent.visiting@example.com", "parent.resident@example.com"] {
        let email = familytime_domain::people::Email::parse(email).map_err(|e| anyhow::anyhow!(e))?;
        if let Some(user) = store.user_by_email(&email).await? {
            parents.push(user);
        }
    }
    for case in store.cases(org, None, None).await? {
        if case.source == familytime_domain::referrals::ReferralSource::Cafcass {
            continue;
        }
        // Only the parents' own case: the one whose adults carry their names.
        let file = store.case(org, case.id).await?;
        let own = |name: &str| file.parties.iter().find(|p| p.name == name).map(|p| p.id);
        if parents.is_empty() || parents.iter().any(|u| own(&u.name).is_none()) {
            continue;
        }
        let Ok(view) = billing::account(&state, &caller, &case.id.to_string()).await else {
            continue;
        };
        let sessions: Vec<_> = view.bookings.iter().filter(|b| b.booking.status.is_live()).collect();
        let (Some(resident), Some(visiting)) =
            (view.money.parents.resident.clone(), view.money.parents.visiting.clone())
        else {
            continue;
        };
        if sessions.len() < 3 {
            continue;
        }
        let pay = |kind: &str, account: &str, amount: &str, method: &str| MoneyInput {
            kind: kind.into(),
            account: account.into(),
            amount: amount.into(),
            method: method.into(),
            reference: format!("Demo {}", now.strftime("%Y%m%d")),
            ..MoneyInput::default()
        };
        let steps = [
            pay("deposit", &format!("party:{resident}"), "100", "cash"),
            pay("payment", &format!("party:{visiting}"), "294", "card"),
        ];
        for step in steps {
            billing::record(&state, &caller, &case.id.to_string(), &step)
                .await
                .map_err(|e| anyhow::anyhow!("demo payment: {}", e.message()))?;
        }
        billing::issue_invoice(&state, &caller, &case.id.to_string(), &format!("party:{visiting}"), &[])
            .await
            .map_err(|e| anyhow::anyhow!("demo invoice: {}", e.message()))?;
        // Each parent account is linked to its own adult on this case, so their portal has something
        // to show.
        let scope = caller.scope(now);
        for user in &parents {
            if let Some(party) = own(&user.name) {
                store
                    .link_party_account(&scope, org, case.id, party, Some(user.id), 0)
                    .await?;
            }
        }
        break;
    }
    Ok(())
}
