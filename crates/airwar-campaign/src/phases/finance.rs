//! Finance, the day's sixth phase: each loan is drawn on its date, accrues interest daily at
//! its cited rate, and is repaid in equal monthly instalments (in commodity shipments) from its
//! cited repayment date over its cited term.

use super::State;
use crate::campaign::Campaign;

pub(crate) fn run(c: &Campaign, s: &mut State, day: u32) {
    for (l, owed) in c.loans.iter().zip(s.loan_balance.iter_mut()) {
        if l.day == day {
            *owed += l.amount_thousand_usd;
            s.borrowed += l.amount_thousand_usd;
        }
        *owed += *owed * l.annual_rate / 365.0;
        let since = day as i64 - l.repayment_day;
        if since > 0 && since % 30 == 0 && *owed > 0.0 {
            let months_left = (l.repayment_months - (since / 30 - 1) as f64).max(1.0);
            let payment = (*owed / months_left).min(*owed);
            *owed -= payment;
            s.repaid += payment;
        }
    }
    s.debt = s.loan_balance.iter().sum();
    if s.debt < 0.0 {
        s.debt_never_negative = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::phases::tests::compiled;

    #[test]
    fn a_loan_is_drawn_on_its_day_and_repaid_over_its_term() {
        let (c, p) = compiled("china-1937");
        let mut s = State::new(&c, &p);
        let first = c.loans.first().expect("China records loans").clone();
        for day in 0..first.day {
            run(&c, &mut s, day);
        }
        assert_eq!(s.borrowed, 0.0);
        run(&c, &mut s, first.day);
        assert!(s.borrowed >= first.amount_thousand_usd);
        // Paid off by the end of its term, a month at a time, however long the period.
        let end = first.repayment_day + 30 * (first.repayment_months as i64 + 2);
        let mut last_debt = f64::INFINITY;
        for day in first.day + 1..end.max(0) as u32 {
            run(&c, &mut s, day);
            if day as i64 > first.repayment_day + 30 {
                last_debt = last_debt.min(s.debt);
            }
        }
        assert!(s.repaid > first.amount_thousand_usd);
        assert!(s.debt_never_negative);
        assert!(last_debt < s.borrowed);
    }
}
