//! Repayment shipments by commodity.
//!
//! The campaign repays each loan in dollars' worth of goods (`campaign.rs`, step 5). This module
//! splits those dollars over the theatre's commodities as far as the record allows:
//! - a commodity with a cited `share` takes that share of the repayments;
//! - the rest is shared among commodities with both a cited quantity and a cited price, in
//!   proportion to their value (quantity × price);
//! - what no commodity accounts for stays "not split by commodity".
//!
//! Where a price is cited, the dollars become a quantity in the commodity's unit. Repayment in
//! the model is deterministic, so the split is applied to the run's mean repayment.

use airwar_scenario::theatre::Commodity;
use serde::Serialize;

/// One commodity's part of the repayments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shipment {
    pub name: String,
    pub unit: String,
    /// Share of the repayments' value.
    pub share: f64,
    /// How the share was found: `cited share` or `cited quantity and price`.
    pub basis: &'static str,
    pub value_thousand_usd: f64,
    /// `value` at the cited price, in `unit`, where a price is cited.
    pub quantity: Option<f64>,
}

/// The shares of the repayments' value each commodity can be given from the record.
pub fn shares(commodities: &[Commodity]) -> Vec<(usize, f64, &'static str)> {
    let mut out: Vec<(usize, f64, &'static str)> = commodities
        .iter()
        .enumerate()
        .filter_map(|(i, c)| c.share.as_ref().map(|s| (i, s.value, "cited share")))
        .collect();
    let cited: f64 = out.iter().map(|x| x.1).sum();
    let valued: Vec<(usize, f64)> = commodities
        .iter()
        .enumerate()
        .filter(|(_, c)| c.share.is_none())
        .filter_map(|(i, c)| match (&c.quantity, &c.price_usd) {
            (Some(q), Some(p)) if q.value * p.value > 0.0 => Some((i, q.value * p.value)),
            _ => None,
        })
        .collect();
    let total_value: f64 = valued.iter().map(|x| x.1).sum();
    let rest = (1.0 - cited).max(0.0);
    if total_value > 0.0 {
        out.extend(
            valued
                .into_iter()
                .map(|(i, v)| (i, rest * v / total_value, "cited quantity and price")),
        );
    }
    out.sort_by_key(|x| x.0);
    out
}

/// The repayments (`repaid_thousand_usd`) split over the commodities the record allows.
pub fn shipments(commodities: &[Commodity], repaid_thousand_usd: f64) -> Vec<Shipment> {
    shares(commodities)
        .into_iter()
        .map(|(i, share, basis)| {
            let c = &commodities[i];
            let value = repaid_thousand_usd * share;
            Shipment {
                name: c.name.clone(),
                unit: c.unit.clone(),
                share,
                basis,
                value_thousand_usd: value,
                quantity: c
                    .price_usd
                    .as_ref()
                    .filter(|p| p.value > 0.0)
                    .map(|p| value * 1000.0 / p.value),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use airwar_scenario::Figure;

    fn commodity(
        name: &str,
        price: Option<f64>,
        quantity: Option<f64>,
        share: Option<f64>,
    ) -> Commodity {
        Commodity {
            name: name.into(),
            unit: "tonne".into(),
            price_usd: price.map(Figure::uncited),
            quantity: quantity.map(Figure::uncited),
            share: share.map(Figure::uncited),
        }
    }

    #[test]
    fn cited_shares_first_then_value_then_nothing() {
        let goods = [
            commodity("tea", Some(500.0), None, Some(0.4)),
            commodity("wool", Some(200.0), Some(1000.0), None),
            commodity("tungsten", Some(1000.0), Some(600.0), None),
            commodity("leather", None, None, None),
        ];
        let s = shipments(&goods, 1000.0);
        assert_eq!(s.len(), 3);
        // Tea: its cited 40%, US$400,000, 800 tonnes at US$500.
        assert_eq!(s[0].name, "tea");
        assert!((s[0].value_thousand_usd - 400.0).abs() < 1e-9);
        assert!((s[0].quantity.unwrap() - 800.0).abs() < 1e-9);
        // Wool and tungsten share the other 60% by value, 200,000 to 600,000.
        assert!((s[1].share - 0.15).abs() < 1e-12);
        assert!((s[2].share - 0.45).abs() < 1e-12);
        assert_eq!(s[2].basis, "cited quantity and price");
        // Leather has nothing cited: it is not split out.
        assert!(s.iter().all(|x| x.name != "leather"));
    }

    #[test]
    fn the_built_in_theatres_cite_no_split() {
        // No share or quantity was found for the goods China repaid in; prices alone cannot
        // split the repayments. If data arrive, this test will say so.
        let lib = airwar_scenario::Library::load().unwrap();
        for t in &lib.theatres {
            assert!(shipments(&t.commodities, 1000.0).is_empty(), "{}", t.id);
        }
    }
}
