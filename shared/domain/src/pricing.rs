//! docs/contract-notes.md "Pricing": a price per company per feature, EXPRESS x1.5, rounded to cents.
//! Amounts are kept in thousandths of the currency unit so that x1.5 of a 5-cent price stays exact.
// `EstimatedCost` is the order's field: pricing computes it from the order's vocabulary, and the
// order knows nothing of pricing. Re-exported for callers that still name it here.
pub use super::order::EstimatedCost;
use super::order::{Feature, Priority};

#[derive(Debug, Clone, PartialEq)]
pub struct PriceList {
    pub currency: String,
    /// Thousandths of the currency unit, indexed by `Feature::index`.
    pub per_company_milli: [u64; Feature::ALL.len()],
    /// Per mille: 1500 = x1.5.
    pub express_permille: u64,
}

impl Default for PriceList {
    fn default() -> Self {
        Self {
            currency: "EUR".into(),
            per_company_milli: [100, 300, 50, 50, 200],
            express_permille: 1500,
        }
    }
}

/// "0.1", "0.10", "1", "1.505" -> thousandths. At most three decimals.
pub fn parse_milli(s: &str) -> Option<u64> {
    let s = s.trim();
    let (whole, frac) = s.split_once('.').unwrap_or((s, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 3 {
        return None;
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let whole: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac_milli: u64 = format!("{frac:0<3}").parse().ok()?;
    whole.checked_mul(1000)?.checked_add(frac_milli)
}

impl PriceList {
    /// Reads `PRICE_<FEATURE>` (e.g. `PRICE_COMPANY_DATA=0.10`), `PRICE_EXPRESS_MULTIPLIER` and
    /// `PRICE_CURRENCY`; anything unset keeps the contract's default.
    pub fn from_lookup(get: &impl Fn(&str) -> Option<String>) -> Result<Self, String> {
        let mut list = PriceList::default();
        for f in Feature::ALL {
            let key = format!("PRICE_{}", f.as_str());
            if let Some(v) = get(&key) {
                let price = parse_milli(&v).ok_or(format!("{key} is not a price: {v}"))?;
                if let Some(slot) = list.per_company_milli.get_mut(f.index()) {
                    *slot = price;
                }
            }
        }
        if let Some(v) = get("PRICE_EXPRESS_MULTIPLIER") {
            list.express_permille =
                parse_milli(&v).ok_or(format!("PRICE_EXPRESS_MULTIPLIER is not a number: {v}"))?;
        }
        if let Some(v) = get("PRICE_CURRENCY") {
            list.currency = v;
        }
        Ok(list)
    }

    pub fn estimate(
        &self,
        companies: u64,
        features: &[Feature],
        priority: Priority,
    ) -> EstimatedCost {
        let per_company: u64 = features
            .iter()
            .filter_map(|f| self.per_company_milli.get(f.index()))
            .sum();
        let mut milli = (per_company as u128) * (companies as u128);
        if priority == Priority::Express {
            milli = milli * self.express_permille as u128 / 1000;
        }
        // Round half up to cents.
        let cents = (milli + 5) / 10;
        EstimatedCost {
            total: cents as f64 / 100.0,
            currency: self.currency.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Feature::*;

    #[test]
    fn parses_prices() {
        assert_eq!(parse_milli("0.10"), Some(100));
        assert_eq!(parse_milli("0.1"), Some(100));
        assert_eq!(parse_milli("1.5"), Some(1500));
        assert_eq!(parse_milli("2"), Some(2000));
        assert_eq!(parse_milli("0.0005"), None);
        assert_eq!(parse_milli("-1"), None);
        assert_eq!(parse_milli("."), None);
    }

    #[test]
    fn contract_defaults() {
        let p = PriceList::default();
        let all = [
            CompanyData,
            Contacts,
            Analysis,
            Technologies,
            EmailDiscovery,
        ];
        assert_eq!(p.estimate(1, &all, Priority::Normal).total, 0.70);
        assert_eq!(
            p.estimate(100, &[CompanyData], Priority::Normal).total,
            10.0
        );
        assert_eq!(p.estimate(3, &[Analysis], Priority::Express).total, 0.23); // 0.225 rounds up
        assert_eq!(p.estimate(10_000, &all, Priority::Express).total, 10_500.0);
        assert_eq!(p.estimate(0, &all, Priority::Normal).total, 0.0);
    }

    #[test]
    fn configuration_overrides_defaults() {
        let get = |k: &str| match k {
            "PRICE_CONTACTS" => Some("1.00".to_string()),
            "PRICE_EXPRESS_MULTIPLIER" => Some("2".to_string()),
            _ => None,
        };
        let p = PriceList::from_lookup(&get).unwrap();
        assert_eq!(p.estimate(2, &[Contacts], Priority::Express).total, 4.0);
        let bad = |k: &str| (k == "PRICE_ANALYSIS").then(|| "cheap".to_string());
        assert!(PriceList::from_lookup(&bad).is_err());
    }
}
