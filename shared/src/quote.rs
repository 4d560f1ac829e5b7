//! The purchase calculator (购车计算器): every line of the on-the-road price with the rule it
//! follows (purchase tax and 车船税 from `tax`, compulsory and commercial insurance, plate
//! fee), the total, and an equal-instalment loan (等额本息). The same function prices the
//! calculator, the comparison's on-the-road row and `POST .../quote`. Money is integer yuan on
//! the wire and integer fen inside; never floats.

use serde::{Deserialize, Serialize};

use crate::catalog::EnergyType;
use crate::compare::TrimHead;
use crate::date::Date;
use crate::error::ApiError;
use crate::filter::PRICE_LIMIT;
use crate::tax::{
    div_round, fen_to_yuan, known_listing, purchase_tax, ruled_out, vessel_tax, Listing,
    ReliefPeriod, VesselTaxRates, DISPLACEMENT_ML,
};

pub const MIN_PRICE: i64 = 10_000;
pub const MIN_TERM: i64 = 12;
pub const MAX_TERM: i64 = 60;
/// 36% a year in basis points: above it a loan rate is not protected by Chinese courts.
pub const MAX_RATE_BP: i64 = 3_600;
pub const MAX_DOWN_PAYMENT_PCT: i64 = 90;
/// The longest equivalent all-electric range the calculator accepts, in km.
pub const MAX_EAER_KM: i64 = 2_000;
/// Plate and registration fees the calculator assumes until the buyer changes them.
pub const DEFAULT_PLATE_FEE: i64 = 500;
/// The loan a dealer shows until it sets its own (设置 → 报价设置): 30% down over 36 months.
pub const DEFAULT_DOWN_PAYMENT_PCT: i64 = 30;
pub const DEFAULT_TERM_MONTHS: i64 = 36;
/// The seats assumed when a trim's are not published (the 交强险 class of most cars).
pub const DEFAULT_SEATS: i64 = 5;
/// Purchase dates the rules are known for.
pub const FIRST_PURCHASE_DATE: Date = Date::new(2014, 1, 1);
pub const LAST_PURCHASE_DATE: Date = Date::new(2030, 12, 31);

/// What a dealer decides about the prices it quotes (设置 → 报价设置): the 车船税 amounts of
/// its province and the loan it shows by default.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DealerTerms {
    /// Absent until the dealer sets them; the 车船税 line then says so.
    pub vessel_tax: Option<VesselTaxRates>,
    /// Basis points (3.5% = 350).
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 3600))]
    pub loan_rate_bp: i64,
    /// The default loan's term in months.
    #[serde(default = "default_term")]
    #[cfg_attr(feature = "openapi", schema(minimum = 12, maximum = 60))]
    pub loan_term_months: i64,
    /// The default loan's down payment, percent of the price.
    #[serde(default = "default_down_payment")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 90))]
    pub down_payment_pct: i64,
}

fn default_term() -> i64 {
    DEFAULT_TERM_MONTHS
}

fn default_down_payment() -> i64 {
    DEFAULT_DOWN_PAYMENT_PCT
}

impl DealerTerms {
    /// The loan the calculator starts from and the comparison shows: the dealer's down
    /// payment, term and rate.
    pub fn default_loan(&self) -> LoanTerms {
        LoanTerms {
            down_payment_pct: self.down_payment_pct,
            term_months: self.loan_term_months,
            annual_rate_bp: self.loan_rate_bp,
        }
    }
}

/// The buyer's inputs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteRequest {
    /// The car's price in yuan (the dealer's price or the guide price).
    #[cfg_attr(feature = "openapi", schema(minimum = 10000, maximum = 10000000))]
    pub price: i64,
    #[cfg_attr(feature = "openapi", schema(minimum = 2, maximum = 9))]
    pub seats: i64,
    pub energy_type: EnergyType,
    /// Engine displacement in millilitres; absent when unknown (the 车船税 line then asks for
    /// it) or for a battery-electric car.
    #[cfg_attr(feature = "openapi", schema(minimum = 100, maximum = 10000))]
    pub displacement_ml: Option<i64>,
    /// A plug-in or range-extended car's equivalent all-electric range (有条件的等效全电里程)
    /// in km, when known: under 100 km no listing for 2026–2027 can be assumed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 2000))]
    pub eaer_km: Option<i64>,
    /// Listings in the MIIT catalogue, at most one per period: with a source when known, without
    /// one when the buyer assumes it. A period not given is unknown and quoted as not listed.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 3))]
    pub listings: Vec<Listing>,
    /// The purchase date (`YYYY-MM-DD`, 2014-01-01 to 2030-12-31) decides the rules applied.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date, example = "2026-11-24"))]
    pub purchase_date: Date,
    /// The commercial insurance premium in yuan, 0 to the price; absent, it is estimated.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10000000))]
    pub commercial_insurance: Option<i64>,
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 200000))]
    pub plate_fee: i64,
    /// The 车船税 amounts of the province where the car is registered; absent, the dealer's.
    #[serde(default)]
    pub vessel_tax_rates: Option<VesselTaxRates>,
    pub loan: Option<LoanTerms>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoanTerms {
    /// Down payment as a share of the price, 0–90%.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 90))]
    pub down_payment_pct: i64,
    /// 12–60 months.
    #[cfg_attr(feature = "openapi", schema(minimum = 12, maximum = 60))]
    pub term_months: i64,
    /// Annual rate in basis points (3.5% = 350), at most 3600.
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 3600))]
    pub annual_rate_bp: i64,
}

/// One line of the bill, in yuan, with the rule it follows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct QuoteLine {
    pub key: String,
    pub label: String,
    pub amount: i64,
    pub note: String,
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
    /// The date the rules were applied for.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub purchase_date: Date,
    pub lines: Vec<QuoteLine>,
    /// 落地价: the sum of the lines.
    pub total: i64,
    /// Inputs a line could not be counted without (`displacement_ml`): the total leaves them out.
    pub missing: Vec<String>,
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
        if let Some(ml) = self.displacement_ml {
            if !(DISPLACEMENT_ML.0..=DISPLACEMENT_ML.1).contains(&ml) {
                return Err(ApiError::invalid(
                    "displacement_ml",
                    "排量应在0.1到10升之间（100到10000毫升）",
                ));
            }
        }
        if let Some(km) = self.eaer_km {
            if !(0..=MAX_EAER_KM).contains(&km) {
                return Err(ApiError::invalid(
                    "eaer_km",
                    "等效全电里程应在0到2000公里之间",
                ));
            }
        }
        for (i, listing) in self.listings.iter().enumerate() {
            if self.listings[..i]
                .iter()
                .any(|l| l.period == listing.period)
            {
                return Err(ApiError::invalid(
                    "listings",
                    format!("{}的目录情况只能填写一次", listing.period.label()),
                ));
            }
            if listing.listed {
                if let Some(why) = ruled_out(self.energy_type, self.eaer_km, listing.period) {
                    return Err(ApiError::invalid(
                        "listings",
                        format!(
                            "{why}，不能列入{}减免目录，不能按已列入计算",
                            listing.period.label()
                        ),
                    ));
                }
            }
        }
        if !(FIRST_PURCHASE_DATE..=LAST_PURCHASE_DATE).contains(&self.purchase_date) {
            return Err(ApiError::invalid(
                "purchase_date",
                "购车日期应在2014年1月1日到2030年12月31日之间",
            ));
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
        if let Some(rates) = &self.vessel_tax_rates {
            rates.validate()?;
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

    /// What a trim costs on `date` as the calculator opens it: its price (the dealer's, else the
    /// guide price), its facts, and its listing for the period as far as it is known. `None`
    /// when its price or energy type is not published.
    pub fn for_trim(trim: &TrimHead, date: Date, loan: Option<LoanTerms>) -> Option<Self> {
        let energy_type = trim.energy_type?;
        let listings = ReliefPeriod::of(date)
            .and_then(|p| known_listing(energy_type, trim.eaer_km, &trim.listings, p))
            .into_iter()
            .collect();
        Some(Self {
            price: trim.dealer_price.or(trim.guide_price)?,
            seats: trim.seats.unwrap_or(DEFAULT_SEATS),
            energy_type,
            displacement_ml: trim.displacement_ml,
            eaer_km: trim.eaer_km,
            listings,
            purchase_date: date,
            commercial_insurance: None,
            plate_fee: DEFAULT_PLATE_FEE,
            vessel_tax_rates: None,
            loan,
        })
    }

    /// The listing that counts on the purchase date, if any is known or assumed.
    pub fn listing(&self) -> Option<&Listing> {
        let period = ReliefPeriod::of(self.purchase_date)?;
        self.listings.iter().find(|l| l.period == period)
    }
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

/// The whole quote, with the dealer's 车船税 amounts unless the request brings its own.
/// Call [`QuoteRequest::validate`] first.
pub fn quote(request: &QuoteRequest, dealer_rates: Option<&VesselTaxRates>) -> Quote {
    let date = request.purchase_date;
    let listing = request.listing();
    let (tax, tax_rule) = purchase_tax(request.price, request.energy_type, listing, date);
    let rates = request.vessel_tax_rates.as_ref().or(dealer_rates);
    let (vessel, vessel_rule) = vessel_tax(
        request.energy_type,
        request.displacement_ml,
        listing,
        rates,
        date,
    );
    let commercial = request
        .commercial_insurance
        .unwrap_or_else(|| estimate_commercial_insurance(request.price));
    let line = |key: &str, label: &str, amount: i64, note: String| QuoteLine {
        key: key.into(),
        label: label.into(),
        amount,
        note,
    };
    let seats_rule = if request.seats >= 6 {
        "家用6座及以上，每年1,100元"
    } else {
        "家用6座以下，每年950元"
    };
    let commercial_rule = match request.commercial_insurance {
        None => "估算：车损险（500元+车价1.2%）+三者险200万（1,500元），以保险公司报价为准",
        Some(_) => "按填写的保费计算",
    };
    let lines = vec![
        line("price", "车价", request.price, "含13%增值税的成交价".into()),
        line("purchase_tax", "购置税", tax, tax_rule),
        line("vessel_tax", "车船税", vessel.unwrap_or(0), vessel_rule),
        line(
            "compulsory_insurance",
            "交强险",
            compulsory_insurance(request.seats),
            seats_rule.into(),
        ),
        line(
            "commercial_insurance",
            "商业险",
            commercial,
            commercial_rule.into(),
        ),
        line(
            "plate_fee",
            "上牌费",
            request.plate_fee,
            "各地不同，以车管所和门店收费为准".into(),
        ),
    ];
    let total = lines.iter().map(|l| l.amount).sum();
    let missing = match (vessel, request.displacement_ml) {
        (None, None) => vec!["displacement_ml".to_string()],
        (None, Some(_)) => vec!["vessel_tax_rates".to_string()],
        _ => Vec::new(),
    };
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
    Quote {
        purchase_date: date,
        lines,
        total,
        missing,
        loan,
    }
}

/// 350 basis points → `3.5` (a percentage as people write it).
pub fn percent_text(bp: i64) -> String {
    let text = format!("{}.{:02}", bp / 100, bp % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// `3.5` or `3.5%` → 350 basis points; at most two decimals.
pub fn parse_percent_bp(text: &str) -> Option<i64> {
    let text = text.trim().trim_end_matches('%').trim();
    let (whole, frac) = text.split_once('.').unwrap_or((text, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && frac.is_empty() || frac.len() > 2 || !digits(whole) || !digits(frac) {
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
    whole.checked_mul(100)?.checked_add(frac)
}

#[cfg(test)]
mod tests {
    use super::*;

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

    fn zhejiang() -> VesselTaxRates {
        VesselTaxRates {
            province: "浙江".into(),
            annual: vec![180, 360, 420, 720, 1_800, 3_000, 4_500],
            source: None,
        }
    }

    fn listed_2026() -> Listing {
        Listing {
            period: ReliefPeriod::From2026To2027,
            listed: true,
            source: Some("测试".into()),
        }
    }

    fn known_case() -> QuoteRequest {
        QuoteRequest {
            price: 189_800,
            seats: 5,
            energy_type: EnergyType::Bev,
            displacement_ml: None,
            eaer_km: None,
            listings: vec![listed_2026()],
            purchase_date: Date::new(2026, 11, 23),
            commercial_insurance: None,
            plate_fee: 500,
            vessel_tax_rates: None,
            loan: Some(LoanTerms {
                down_payment_pct: 30,
                term_months: 36,
                annual_rate_bp: 350,
            }),
        }
    }

    #[test]
    fn quote_adds_every_line_and_the_loan() {
        let request = known_case();
        request.validate().unwrap();
        let q = quote(&request, Some(&zhejiang()));
        let amounts: Vec<i64> = q.lines.iter().map(|l| l.amount).collect();
        // commercial: 500 + 2,277.6 + 1,500 = 4,278; a battery-electric car pays no 车船税
        assert_eq!(amounts, [189_800, 8_398, 0, 950, 4_278, 500]);
        assert!(
            q.lines.iter().all(|l| !l.note.is_empty()),
            "every line says its rule"
        );
        assert_eq!(q.total, 203_926);
        assert_eq!(q.missing, Vec::<String>::new());
        assert_eq!(q.purchase_date, Date::new(2026, 11, 23));
        let loan = q.loan.unwrap();
        assert_eq!(loan.principal, 132_860);
        assert_eq!(loan.down_payment, 56_940);
        assert_eq!(loan.first_payment, 203_926 - 132_860);
        assert_eq!(loan.monthly_payment, 3_893);
        assert_eq!(loan.total_interest, 7_291);
    }

    #[test]
    fn a_short_range_phev_pays_the_full_tax_in_2026() {
        // A 100,000-yuan, 55 km plug-in hybrid with a 1.5 L engine bought in November 2026.
        let trim = TrimHead {
            id: "t".into(),
            series_id: "s".into(),
            name: "插混".into(),
            guide_price: Some(100_000),
            dealer_price: None,
            energy_type: Some(EnergyType::Phev),
            seats: None,
            displacement_ml: Some(1_498),
            eaer_km: Some(55),
            listings: Vec::new(),
        };
        let date = Date::new(2026, 11, 24);
        let request = QuoteRequest::for_trim(&trim, date, None).unwrap();
        assert_eq!(request.seats, DEFAULT_SEATS);
        assert!(!request.listing().unwrap().listed);
        let full = quote(&request, Some(&zhejiang()));
        let line = |q: &Quote, key: &str| q.lines.iter().find(|l| l.key == key).unwrap().clone();
        assert_eq!(line(&full, "purchase_tax").amount, 8_850);
        assert!(line(&full, "purchase_tax").note.contains("55km"));
        // 360 a year in Zhejiang for 1.0–1.6 L, two months left
        assert_eq!(line(&full, "vessel_tax").amount, 60);
        // had it been listed: halved tax, no 车船税: about 4,400 yuan less
        let listed = QuoteRequest {
            listings: vec![listed_2026()],
            ..request
        };
        let relieved = quote(&listed, Some(&zhejiang()));
        assert_eq!(line(&relieved, "purchase_tax").amount, 4_425);
        assert_eq!(full.total - relieved.total, 4_425 + 60);
        // ... which the rules rule out: the request is refused, naming why.
        let refused = listed.validate().unwrap_err();
        assert_eq!(refused.field.as_deref(), Some("listings"));
        assert!(refused.message.contains("55km"), "{}", refused.message);
    }

    #[test]
    fn an_unknown_displacement_is_left_out_and_asked_for() {
        let request = QuoteRequest {
            energy_type: EnergyType::Petrol,
            listings: Vec::new(),
            ..known_case()
        };
        let q = quote(&request, Some(&zhejiang()));
        assert_eq!(q.missing, ["displacement_ml"]);
        let vessel = q.lines.iter().find(|l| l.key == "vessel_tax").unwrap();
        assert_eq!(vessel.amount, 0);
        assert!(vessel.note.contains("请填写排量"));
        // the request's own province amounts win over the dealer's
        let own = QuoteRequest {
            displacement_ml: Some(1_984),
            vessel_tax_rates: Some(VesselTaxRates {
                province: "上海".into(),
                annual: vec![180, 360, 450, 720, 1_500, 3_000, 4_500],
                source: Some("测试".into()),
            }),
            ..request
        };
        let q = quote(&own, Some(&zhejiang()));
        let vessel = q.lines.iter().find(|l| l.key == "vessel_tax").unwrap();
        assert_eq!(vessel.amount, 75); // 450 × 2/12
        assert!(vessel.note.starts_with("上海"));
    }

    #[test]
    fn validation_names_the_field() {
        let good = QuoteRequest {
            price: 100_000,
            seats: 5,
            energy_type: EnergyType::Petrol,
            displacement_ml: Some(1_498),
            eaer_km: None,
            listings: Vec::new(),
            purchase_date: Date::new(2026, 1, 1),
            commercial_insurance: Some(3_000),
            plate_fee: 500,
            vessel_tax_rates: None,
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
                    displacement_ml: Some(99),
                    ..good.clone()
                },
                "displacement_ml",
            ),
            (
                QuoteRequest {
                    displacement_ml: Some(10_001),
                    ..good.clone()
                },
                "displacement_ml",
            ),
            (
                QuoteRequest {
                    listings: vec![listed_2026(), listed_2026()],
                    ..good.clone()
                },
                "listings",
            ),
            (
                QuoteRequest {
                    purchase_date: Date::new(2013, 12, 31),
                    ..good.clone()
                },
                "purchase_date",
            ),
            (
                QuoteRequest {
                    purchase_date: Date::new(2031, 1, 1),
                    ..good.clone()
                },
                "purchase_date",
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
                    vessel_tax_rates: Some(VesselTaxRates {
                        annual: vec![1; 7],
                        ..zhejiang()
                    }),
                    ..good.clone()
                },
                "vessel_tax_rates",
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
            (
                QuoteRequest {
                    eaer_km: Some(-1),
                    ..good.clone()
                },
                "eaer_km",
            ),
        ];
        for (request, field) in cases {
            assert_eq!(
                request.validate().unwrap_err().field.as_deref(),
                Some(field)
            );
        }
        for edge in [FIRST_PURCHASE_DATE, LAST_PURCHASE_DATE] {
            let ok = QuoteRequest {
                purchase_date: edge,
                ..good.clone()
            };
            assert_eq!(ok.validate(), Ok(()), "{edge}");
        }
    }

    #[test]
    fn an_assumption_the_rules_rule_out_is_refused() {
        use ReliefPeriod::*;
        let listing = |period, listed| Listing {
            period,
            listed,
            source: None,
        };
        let phev = |eaer_km, energy_type, date, listings| QuoteRequest {
            price: 100_000,
            seats: 5,
            energy_type,
            displacement_ml: Some(1_498),
            eaer_km,
            listings,
            purchase_date: date,
            commercial_insurance: None,
            plate_fee: 500,
            vessel_tax_rates: None,
            loan: None,
        };
        let d2026 = Date::new(2026, 12, 7);
        let d2025 = Date::new(2025, 6, 1);
        let cases = [
            // eaer, energy, date, listings, refused
            (
                Some(55),
                EnergyType::Phev,
                d2026,
                vec![listing(From2026To2027, true)],
                true,
            ),
            (
                Some(99),
                EnergyType::Erev,
                d2026,
                vec![listing(From2026To2027, true)],
                true,
            ),
            (
                Some(55),
                EnergyType::Phev,
                d2026,
                vec![listing(From2026To2027, false)],
                false,
            ),
            (
                Some(100),
                EnergyType::Phev,
                d2026,
                vec![listing(From2026To2027, true)],
                false,
            ),
            (
                None,
                EnergyType::Phev,
                d2026,
                vec![listing(From2026To2027, true)],
                false,
            ),
            (
                Some(55),
                EnergyType::Phev,
                d2025,
                vec![listing(From2024To2025, true)],
                false,
            ),
            (
                Some(55),
                EnergyType::Bev,
                d2026,
                vec![listing(From2026To2027, true)],
                false,
            ),
        ];
        for (eaer, energy, date, listings, refused) in cases {
            let request = phev(eaer, energy, date, listings.clone());
            let got = request.validate();
            assert_eq!(
                got.is_err(),
                refused,
                "{eaer:?} {energy:?} {date} {listings:?}"
            );
            if let Err(e) = got {
                assert_eq!(e.field.as_deref(), Some("listings"));
                assert!(e.message.contains("不能按已列入计算"), "{}", e.message);
            }
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
            // Found by the property tests: a signed fraction, and an overflow.
            ("0.-5", None),
            ("92233720368547759", None),
        ] {
            assert_eq!(parse_percent_bp(text), bp, "{text}");
        }
        for bp in [0, 5, 50, 350, 1_200, 3_600] {
            assert_eq!(parse_percent_bp(&percent_text(bp)), Some(bp));
        }
        assert_eq!(percent_text(350), "3.5");
    }
}
