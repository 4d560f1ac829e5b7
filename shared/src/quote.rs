//! The purchase calculator (购车计算器): purchase tax by the dated rules, compulsory and
//! commercial insurance, plate fee, the on-the-road total, and an equal-instalment loan
//! (等额本息). Money is integer yuan on the wire and integer fen inside; never floats.

use serde::{Deserialize, Serialize};

use crate::date::Date;
use crate::error::ApiError;
use crate::filter::PRICE_LIMIT;

pub const MIN_PRICE: i64 = 10_000;
pub const MIN_TERM: i64 = 12;
pub const MAX_TERM: i64 = 60;
/// 36% a year in basis points: above it a loan rate is not protected by Chinese courts.
pub const MAX_RATE_BP: i64 = 3_600;
pub const MAX_DOWN_PAYMENT_PCT: i64 = 90;
/// Plate and registration fees the calculator assumes until the buyer changes them.
pub const DEFAULT_PLATE_FEE: i64 = 500;

/// The buyer's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    /// The car's price in yuan (the dealer's price or the guide price).
    pub price: i64,
    pub seats: i64,
    /// A new-energy passenger car listed in the MIIT catalogue of qualifying models.
    pub new_energy: bool,
    /// The purchase date (`YYYY-MM-DD`) decides which tax rule applies.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-11-23"))]
    pub purchase_date: Date,
    /// The commercial insurance premium in yuan; absent, the calculator estimates it.
    pub commercial_insurance: Option<i64>,
    pub plate_fee: i64,
    pub loan: Option<LoanTerms>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanTerms {
    /// Down payment as a share of the price, 0–90%.
    pub down_payment_pct: i64,
    /// 12–60 months.
    pub term_months: i64,
    /// Annual rate in basis points (3.5% = 350), at most 3600.
    pub annual_rate_bp: i64,
}

/// One line of the bill, in yuan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    pub key: String,
    pub label: String,
    pub amount: i64,
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanQuote {
    pub down_payment: i64,
    pub principal: i64,
    pub term_months: i64,
    pub monthly_payment: i64,
    pub total_interest: i64,
    /// Paid on the day: down payment plus tax, insurance and fees.
    pub first_payment: i64,
}

/// The answer: each line, the on-the-road total, and the loan when asked for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Quote {
    pub lines: Vec<QuoteLine>,
    /// 落地价: the sum of the lines.
    pub total: i64,
    pub loan: Option<LoanQuote>,
}

impl QuoteRequest {
    /// Every rule on the inputs; the first broken one names its field.
    pub fn validate(&self) -> Result<(), ApiError> {
        if !(MIN_PRICE..=PRICE_LIMIT).contains(&self.price) {
            return Err(ApiError::invalid("price", "车价应在1万到1000万元之间"));
        }
        if !(2..=9).contains(&self.seats) {
            return Err(ApiError::invalid("seats", "座位数应在2到9之间"));
        }
        if let Some(premium) = self.commercial_insurance {
            if !(0..=self.price).contains(&premium) {
                return Err(ApiError::invalid(
                    "commercial_insurance",
                    "商业险应在0到车价之间",
                ));
            }
        }
        if !(0..=200_000).contains(&self.plate_fee) {
            return Err(ApiError::invalid("plate_fee", "上牌费应在0到20万元之间"));
        }
        if let Some(loan) = self.loan {
            if !(0..=MAX_DOWN_PAYMENT_PCT).contains(&loan.down_payment_pct) {
                return Err(ApiError::invalid(
                    "down_payment_pct",
                    "首付比例应在0%到90%之间",
                ));
            }
            if !(MIN_TERM..=MAX_TERM).contains(&loan.term_months) {
                return Err(ApiError::invalid(
                    "term_months",
                    "贷款期限应在12到60个月之间",
                ));
            }
            if !(0..=MAX_RATE_BP).contains(&loan.annual_rate_bp) {
                return Err(ApiError::invalid("annual_rate_bp", "年利率应在0%到36%之间"));
            }
        }
        Ok(())
    }
}

/// The new-energy purchase-tax relief in force from a date on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NevRelief {
    /// Fully exempt, with the exemption capped per car (yuan), or uncapped.
    Exempt { cap: Option<i64> },
    /// Half the tax, with the reduction capped per car (yuan).
    Halved { cap: i64 },
    /// The full tax.
    None,
}

/// Dated relief rules, oldest first: a car bought on a day gets the last rule started by then.
/// 财政部 税务总局 公告2014年第53号 (exempt from 2014-09-01, extended to 2023-12-31 by
/// 公告2022年第27号); 财政部 税务总局 工业和信息化部 公告2023年第10号 (2024–2027).
pub const NEV_RULES: [(Date, NevRelief, &str); 5] = [
    (Date::new(1900, 1, 1), NevRelief::None, "全额征收"),
    (
        Date::new(2014, 9, 1),
        NevRelief::Exempt { cap: None },
        "新能源汽车免征购置税",
    ),
    (
        Date::new(2024, 1, 1),
        NevRelief::Exempt { cap: Some(30_000) },
        "新能源汽车免征购置税，每辆车免税额不超过3万元",
    ),
    (
        Date::new(2026, 1, 1),
        NevRelief::Halved { cap: 15_000 },
        "新能源汽车减半征收购置税，每辆车减税额不超过1.5万元",
    ),
    (
        Date::new(2028, 1, 1),
        NevRelief::None,
        "新能源汽车购置税减免已到期，全额征收",
    ),
];

/// Purchase tax in yuan and the rule applied: price / 1.13 × 10%, less the relief a
/// qualifying new-energy car gets on `date`.
pub fn purchase_tax(price: i64, new_energy: bool, date: Date) -> (i64, &'static str) {
    // In fen: price × 100 / 1.13 × 10% = price × 1000 / 113.
    let full = div_round(i128::from(price) * 1000, 113);
    if !new_energy {
        return (fen_to_yuan(full), "车价÷1.13×10%");
    }
    let (_, relief, rule) = NEV_RULES
        .iter()
        .rev()
        .find(|(from, _, _)| *from <= date)
        .copied()
        .unwrap_or(NEV_RULES[0]);
    let due = match relief {
        NevRelief::None => full,
        NevRelief::Exempt { cap: None } => 0,
        NevRelief::Exempt { cap: Some(cap) } => (full - i128::from(cap) * 100).max(0),
        NevRelief::Halved { cap } => full - (full / 2).min(i128::from(cap) * 100),
    };
    (fen_to_yuan(due), rule)
}

/// 交强险: 950 yuan for private cars under 6 seats, 1,100 for 6 seats and more.
pub fn compulsory_insurance(seats: i64) -> i64 {
    if seats >= 6 {
        1_100
    } else {
        950
    }
}

/// A first-year commercial insurance estimate: vehicle damage (500 base + 1.2% of the price)
/// and third-party liability of 2 million (1,500). Insurers quote the real figure.
pub fn estimate_commercial_insurance(price: i64) -> i64 {
    500 + div_round(i128::from(price) * 12, 1000) as i64 + 1_500
}

/// Equal monthly instalments (等额本息) in fen: `P·r·(1+r)^n / ((1+r)^n − 1)`, in fixed point.
pub fn monthly_payment_fen(principal_fen: i64, term_months: i64, annual_rate_bp: i64) -> i64 {
    if principal_fen <= 0 || term_months <= 0 {
        return 0;
    }
    if annual_rate_bp == 0 {
        return div_round(i128::from(principal_fen), i128::from(term_months)) as i64;
    }
    const SCALE: i128 = 1_000_000_000_000_000_000;
    let rate = i128::from(annual_rate_bp) * SCALE / 120_000;
    let mut growth = SCALE;
    for _ in 0..term_months {
        growth = growth * (SCALE + rate) / SCALE;
    }
    let factor = rate * growth / SCALE;
    div_round(i128::from(principal_fen) * factor, growth - SCALE) as i64
}

/// The whole quote. Call [`QuoteRequest::validate`] first.
pub fn quote(request: &QuoteRequest) -> Quote {
    let (tax, rule) = purchase_tax(request.price, request.new_energy, request.purchase_date);
    let commercial = request
        .commercial_insurance
        .unwrap_or_else(|| estimate_commercial_insurance(request.price));
    let estimated = request.commercial_insurance.is_none();
    let line = |key: &str, label: &str, amount: i64, note: Option<String>| QuoteLine {
        key: key.into(),
        label: label.into(),
        amount,
        note,
    };
    let lines = vec![
        line("price", "车价", request.price, None),
        line("purchase_tax", "购置税", tax, Some(rule.into())),
        line(
            "compulsory_insurance",
            "交强险",
            compulsory_insurance(request.seats),
            Some(
                if request.seats >= 6 {
                    "家用6座及以上"
                } else {
                    "家用6座以下"
                }
                .into(),
            ),
        ),
        line(
            "commercial_insurance",
            "商业险",
            commercial,
            estimated.then(|| "估算：车损险+三者险200万，以保险公司报价为准".into()),
        ),
        line("plate_fee", "上牌费", request.plate_fee, None),
    ];
    let total = lines.iter().map(|l| l.amount).sum();
    let loan = request.loan.map(|terms| {
        let principal = request.price * (100 - terms.down_payment_pct) / 100;
        let down_payment = request.price - principal;
        let monthly_fen =
            monthly_payment_fen(principal * 100, terms.term_months, terms.annual_rate_bp);
        let monthly_payment = fen_to_yuan(i128::from(monthly_fen));
        let total_interest = fen_to_yuan(i128::from(
            monthly_fen * terms.term_months - principal * 100,
        ));
        LoanQuote {
            down_payment,
            principal,
            term_months: terms.term_months,
            monthly_payment,
            total_interest,
            first_payment: total - principal,
        }
    });
    Quote { lines, total, loan }
}

/// `3.5` or `3.5%` → 350 basis points; at most two decimals.
pub fn parse_percent_bp(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    if whole.is_empty() && frac.is_empty() || frac.len() > 2 {
        return None;
    }
    let whole: i64 = if whole.is_empty() {
        0
    } else {
        whole.parse().ok()?
    };
    let frac: i64 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().ok()?
    };
    (whole >= 0 && !text.starts_with('-')).then_some(whole * 100 + frac)
}

fn div_round(numerator: i128, denominator: i128) -> i128 {
    (numerator * 2 + denominator) / (denominator * 2)
}

fn fen_to_yuan(fen: i128) -> i64 {
    div_round(fen, 100) as i64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purchase_tax_follows_the_rule_in_force_on_the_day() {
        let cases = [
            // price, new energy, date, tax
            (100_000, false, Date::new(2026, 11, 23), 8_850),
            (113_000, false, Date::new(2025, 1, 1), 10_000),
            (189_800, true, Date::new(2023, 12, 31), 0),
            (189_800, true, Date::new(2024, 1, 1), 0),
            // exemption capped at 30,000: tax 44,248 on 500,000 → 14,248 due
            (500_000, true, Date::new(2025, 12, 31), 14_248),
            // halved from 2026: 16,796.46 → 8,398.23
            (189_800, true, Date::new(2026, 1, 1), 8_398),
            // reduction capped at 15,000: tax 44,248 → 29,248 due
            (500_000, true, Date::new(2027, 12, 31), 29_248),
            (189_800, true, Date::new(2028, 1, 1), 16_796),
            (189_800, true, Date::new(2014, 8, 31), 16_796),
        ];
        for (price, nev, date, tax) in cases {
            assert_eq!(
                purchase_tax(price, nev, date).0,
                tax,
                "{price} {nev} {date}"
            );
        }
    }

    #[test]
    fn compulsory_insurance_depends_on_seats() {
        for (seats, premium) in [(2, 950), (5, 950), (6, 1_100), (7, 1_100)] {
            assert_eq!(compulsory_insurance(seats), premium);
        }
    }

    #[test]
    fn equal_instalments_match_the_annuity_formula() {
        let cases = [
            // principal yuan, months, bp, monthly yuan (checked against P·r(1+r)^n/((1+r)^n−1))
            (100_000, 36, 0, 2_777.78),
            (100_000, 12, 1_200, 8_884.88),
            (100_000, 36, 350, 2_930.21),
            (150_000, 60, 499, 2_830.00),
        ];
        for (principal, months, bp, monthly) in cases {
            let fen = monthly_payment_fen(principal * 100, months, bp);
            assert_eq!(
                fen,
                (monthly * 100.0_f64).round() as i64,
                "{principal} {months} {bp}"
            );
        }
    }

    #[test]
    fn quote_adds_every_line_and_the_loan() {
        let request = QuoteRequest {
            price: 189_800,
            seats: 5,
            new_energy: true,
            purchase_date: Date::new(2026, 11, 23),
            commercial_insurance: None,
            plate_fee: 500,
            loan: Some(LoanTerms {
                down_payment_pct: 30,
                term_months: 36,
                annual_rate_bp: 350,
            }),
        };
        request.validate().unwrap();
        let q = quote(&request);
        let amounts: Vec<i64> = q.lines.iter().map(|l| l.amount).collect();
        // commercial: 500 + 2,277.6 + 1,500 = 4,278
        assert_eq!(amounts, [189_800, 8_398, 950, 4_278, 500]);
        assert_eq!(q.total, 203_926);
        let loan = q.loan.unwrap();
        assert_eq!(loan.principal, 132_860);
        assert_eq!(loan.down_payment, 56_940);
        assert_eq!(loan.first_payment, 203_926 - 132_860);
        assert_eq!(loan.monthly_payment, 3_893);
        assert_eq!(loan.total_interest, 7_291);
    }

    #[test]
    fn validation_names_the_field() {
        let good = QuoteRequest {
            price: 100_000,
            seats: 5,
            new_energy: false,
            purchase_date: Date::new(2026, 1, 1),
            commercial_insurance: Some(3_000),
            plate_fee: 500,
            loan: Some(LoanTerms {
                down_payment_pct: 20,
                term_months: 36,
                annual_rate_bp: 300,
            }),
        };
        assert_eq!(good.validate(), Ok(()));
        let loan = good.loan.unwrap();
        let cases: Vec<(QuoteRequest, &str)> = vec![
            (
                QuoteRequest {
                    price: -5,
                    ..good.clone()
                },
                "price",
            ),
            (
                QuoteRequest {
                    price: 999_999_999,
                    ..good.clone()
                },
                "price",
            ),
            (
                QuoteRequest {
                    seats: 0,
                    ..good.clone()
                },
                "seats",
            ),
            (
                QuoteRequest {
                    commercial_insurance: Some(-1),
                    ..good.clone()
                },
                "commercial_insurance",
            ),
            (
                QuoteRequest {
                    plate_fee: -1,
                    ..good.clone()
                },
                "plate_fee",
            ),
            (
                QuoteRequest {
                    loan: Some(LoanTerms {
                        term_months: 6,
                        ..loan
                    }),
                    ..good.clone()
                },
                "term_months",
            ),
            (
                QuoteRequest {
                    loan: Some(LoanTerms {
                        term_months: 72,
                        ..loan
                    }),
                    ..good.clone()
                },
                "term_months",
            ),
            (
                QuoteRequest {
                    loan: Some(LoanTerms {
                        annual_rate_bp: 3_601,
                        ..loan
                    }),
                    ..good.clone()
                },
                "annual_rate_bp",
            ),
            (
                QuoteRequest {
                    loan: Some(LoanTerms {
                        down_payment_pct: 95,
                        ..loan
                    }),
                    ..good.clone()
                },
                "down_payment_pct",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(
                request.validate().unwrap_err().field.as_deref(),
                Some(field)
            );
        }
    }

    #[test]
    fn percent_text_becomes_basis_points() {
        for (text, bp) in [
            ("3.5", Some(350)),
            ("3.5%", Some(350)),
            ("12", Some(1_200)),
            ("0.05", Some(5)),
            (".5", Some(50)),
            ("abc", None),
            ("-1", None),
            ("1.234", None),
            ("", None),
        ] {
            assert_eq!(parse_percent_bp(text), bp, "{text}");
        }
    }
}
