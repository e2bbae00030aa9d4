//! The words of the PDFs a family, a referrer or a court receives, in the reader's language (issue
//! 22): which languages a paper is written in, the catalogue's words and the dates, amounts and
//! lists written the way each language writes them, and typesetting one or more language parts
//! into one PDF. Names and text someone typed are passed through untouched.

use crate::{AppError, AppState};
use familytime_domain::Timestamp;
use familytime_domain::billing::{Account, Entry, Pence};
use familytime_domain::ids::{OrganisationId, UserId};
use familytime_domain::language::Lang;
use familytime_i18n::dates;
use familytime_reports::Document;
use jiff::tz::TimeZone;

/// A message with no variables.
pub(crate) fn w(lang: Lang, key: &str) -> String {
    familytime_i18n::message(lang, key, None)
}

/// A message whose variables are text.
pub(crate) fn wv(lang: Lang, key: &str, vars: &[(&str, &str)]) -> String {
    familytime_i18n::text(lang, key, vars)
}

/// "12 December 2026" / "12 Rhagfyr 2026", on the centre's calendar.
pub(crate) fn day(lang: Lang, zone: &TimeZone, at: Timestamp) -> String {
    dates::date(lang, at.to_zoned(zone.clone()).date())
}

/// "Saturday 12 December 2026, 14:05" / "Dydd Sadwrn, 12 Rhagfyr 2026, 14:05", on the centre's clock.
pub(crate) fn moment(lang: Lang, zone: &TimeZone, at: Timestamp) -> String {
    let local = at.to_zoned(zone.clone());
    format!(
        "{}, {}",
        dates::weekday_date(lang, local.date()),
        dates::time(lang, local.time())
    )
}

/// An amount: "£12.50", written the same way in English and Welsh.
pub(crate) fn money(amount: Pence) -> String {
    amount.display()
}

/// Where an account stands: "£12.00 owed", "£5.00 in credit", "Nothing owed" (the domain's
/// `describe_balance`, in the reader's language).
pub(crate) fn balance(lang: Lang, owed: Pence) -> String {
    match owed.0 {
        0 => w(lang, "pdf-balance-nothing"),
        n if n > 0 => wv(lang, "pdf-balance-owed", &[("amount", &money(owed))]),
        n => wv(lang, "pdf-balance-credit", &[("amount", &money(Pence(-n)))]),
    }
}

/// What an entry on an account is.
pub(crate) fn entry(lang: Lang, entry: &Entry) -> String {
    let key = match entry {
        Entry::Charge { .. } => "charge",
        Entry::Payment { .. } => "payment",
        Entry::Refund { .. } => "refund",
        Entry::Waiver { .. } => "waiver",
        Entry::Credit { .. } => "credit",
        Entry::DepositHeld { .. } => "deposit_held",
        Entry::DepositReturned { .. } => "deposit_returned",
        Entry::DepositForfeited { .. } => "deposit_forfeited",
    };
    w(lang, &format!("pdf-entry-{key}"))
}

/// How a payment was made; a method the catalogue does not know is shown as stored.
pub(crate) fn method(lang: Lang, method: &str) -> String {
    let key = format!("pdf-method-{method}");
    if familytime_i18n::has(lang, &key) {
        w(lang, &key)
    } else {
        method.replace('_', " ")
    }
}

/// Names joined as each language joins them: "Ali and Sam", "Ali, Sam a Jo", "Sam ac Osian" (Welsh
/// writes "ac" before a vowel). The names themselves are never changed.
pub(crate) fn join_names(lang: Lang, names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => {
            let vowel = last
                .chars()
                .next()
                .is_some_and(|c| "aeiouwyâêîôûŵŷáéíóúàèìòùäëïöü".contains(c.to_lowercase().next().unwrap_or(c)));
            let and = w(
                lang,
                if vowel {
                    "pdf-letter-and-vowel"
                } else {
                    "pdf-letter-and"
                },
            );
            format!("{} {and} {last}", init.join(", "))
        }
    }
}

/// The languages a letter to an adult of a case is written in: their own choice, else the
/// organisation's default; Welsh then English for an organisation that writes bilingually.
pub(crate) async fn party_letter(state: &AppState, org: OrganisationId, party: &str) -> Result<Vec<Lang>, AppError> {
    let policy = state.store.language_policy(org).await?;
    let preferred = match state.store.party_language(org, party).await {
        Ok(lang) => lang,
        Err(familytime_store::StoreError::NotFound) => None,
        Err(e) => return Err(e.into()),
    };
    Ok(policy.for_letter(preferred))
}

/// The languages a letter to an account is written in: the account's own choice, else the default.
pub(crate) async fn user_letter(
    state: &AppState,
    org: OrganisationId,
    user: Option<UserId>,
) -> Result<Vec<Lang>, AppError> {
    let policy = state.store.language_policy(org).await?;
    let preferred = match user {
        Some(id) => match state.store.user(org, id).await {
            Ok(u) => u.preferred_language,
            Err(familytime_store::StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        },
        None => None,
    };
    Ok(policy.for_letter(preferred))
}

/// The languages of a money paper (receipt, invoice, statement). A parent downloading their own
/// reads it in the language their page is in. Staff download it to hand or send to the account's
/// holder, so it is written as a letter to that holder is (a funder: the organisation's default).
pub(crate) async fn account_paper(
    state: &AppState,
    org: OrganisationId,
    caller: &crate::Caller,
    account: &Account,
    page: Lang,
) -> Result<Vec<Lang>, AppError> {
    if !caller.user()?.role.is_staff() {
        return Ok(vec![page]);
    }
    match account {
        Account::Party(party) => party_letter(state, org, party).await,
        Account::Funder(_) => user_letter(state, org, None).await,
    }
}

/// Typesets the parts, in order, as one PDF, off the async workers (typesetting is CPU work).
pub(crate) async fn render(parts: Vec<Document>, what: &'static str) -> Result<Vec<u8>, AppError> {
    tokio::task::spawn_blocking(move || familytime_reports::render_pdf_parts(&parts))
        .await
        .map_err(|_| AppError::Internal(what))?
        .map_err(|_| AppError::Internal(what))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn welsh_joins_names_with_a_or_ac_and_never_changes_them() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        assert_eq!(join_names(Lang::Cy, &names(&["Carys", "Twm"])), "Carys a Twm");
        assert_eq!(join_names(Lang::Cy, &names(&["Carys", "Osian"])), "Carys ac Osian");
        assert_eq!(join_names(Lang::En, &names(&["Ali", "Sam", "Jo"])), "Ali, Sam and Jo");
        assert_eq!(join_names(Lang::En, &names(&["Zoë"])), "Zoë");
        assert_eq!(join_names(Lang::En, &[]), "");
    }

    #[test]
    fn welsh_balances_and_entries_come_from_the_catalogue() {
        assert_eq!(balance(Lang::En, Pence(1200)), "£12.00 owed");
        assert_eq!(balance(Lang::En, Pence(-500)), "£5.00 in credit");
        assert_eq!(balance(Lang::Cy, Pence(1200)), "£12.00 yn ddyledus");
        assert_ne!(balance(Lang::Cy, Pence(0)), balance(Lang::En, Pence(0)));
        assert_eq!(method(Lang::Cy, "cash"), "Arian parod");
        assert_eq!(method(Lang::En, "postal_order"), "postal order");
    }

    #[test]
    fn english_entry_words_and_balances_say_what_the_domain_says() {
        for owed in [0, 1200, -500] {
            assert_eq!(
                balance(Lang::En, Pence(owed)),
                familytime_domain::billing::describe_balance(Pence(owed))
            );
        }
    }

    /// The keys the documents build from stable names, in both catalogues; and the English says
    /// exactly what the domain says where the domain has the words (it is the source).
    #[test]
    fn welsh_every_key_a_document_builds_is_in_both_catalogues_and_english_is_the_domains() {
        use familytime_domain::records::SECTIONS;
        use familytime_domain::reports::{CAVEAT, ReportKind, ReportStatus};
        use familytime_domain::reviews::NoticeKind;
        let both = |key: &str| {
            for lang in Lang::ALL {
                assert!(familytime_i18n::has(lang, key), "{key} missing in {lang:?}");
            }
            familytime_i18n::message(Lang::En, key, None)
        };
        for section in &SECTIONS {
            assert_eq!(both(&format!("pdf-report-section-{}", section.field)), section.heading);
        }
        for kind in ReportKind::ALL {
            assert_eq!(both(&format!("pdf-report-kind-{}", kind.as_str())), kind.label());
        }
        for status in ReportStatus::ALL {
            assert_eq!(both(&format!("pdf-report-status-{}", status.as_str())), status.label());
        }
        assert_eq!(both("pdf-report-caveat"), CAVEAT);
        for (kind, name) in [(NoticeKind::Ended, "ended"), (NoticeKind::Suspended, "suspended")] {
            assert_eq!(both(&format!("pdf-letter-{name}-next-parent")), kind.next_steps());
            for key in ["title", "decision", "next-referrer"] {
                both(&format!("pdf-letter-{name}-{key}"));
            }
        }
        for m in crate::billing::METHODS {
            both(&format!("pdf-method-{m}"));
        }
        for item in familytime_domain::billing::Item::ALL {
            assert_eq!(both(&format!("price-{}", item.as_str())), item.label());
        }
    }
}
