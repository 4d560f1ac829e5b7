//! The dealer's colour as CSS variables: `--brand` as given and `--brand-ink` darkened until
//! white text on it (and it on white) reaches WCAG's 4.5:1. The server writes them into the
//! consumer shell, whose script sets them on the root; the console sets them on its root.
//! Both go through CSSOM: the Content-Security-Policy refuses `style` attributes.

/// The variables `brand_vars` sets, by name.
pub const BRAND_VARS: [&str; 3] = ["--brand", "--brand-ink", "--brand-soft"];

/// CSS variables for the dealer's colour as `name:value;...` (what the shell carries).
pub fn brand_style(color: &str) -> String {
    brand_vars(color)
        .iter()
        .map(|(name, value)| format!("{name}:{value}"))
        .collect::<Vec<_>>()
        .join(";")
}

/// CSS variables for the dealer's colour: `--brand` as given (decoration), `--brand-ink`,
/// darkened until white text on it (and it on white) reaches a 4.5:1 contrast ratio, and
/// `--brand-soft`, a tint; none for a colour that is not `#rrggbb`.
pub fn brand_vars(color: &str) -> Vec<(&'static str, String)> {
    let Some((r, g, b)) = parse_hex(color) else {
        return Vec::new();
    };
    let (mut ir, mut ig, mut ib) = (f64::from(r), f64::from(g), f64::from(b));
    for _ in 0..40 {
        if luminance(ir, ig, ib) <= 0.18 {
            break;
        }
        ir *= 0.92;
        ig *= 0.92;
        ib *= 0.92;
    }
    let [brand, ink, soft] = BRAND_VARS;
    vec![
        (brand, format!("#{r:02x}{g:02x}{b:02x}")),
        (
            ink,
            format!("#{:02x}{:02x}{:02x}", ir as u8, ig as u8, ib as u8),
        ),
        (soft, format!("rgba({r},{g},{b},.1)")),
    ]
}

fn parse_hex(color: &str) -> Option<(u8, u8, u8)> {
    let hex = color.strip_prefix('#')?;
    if hex.len() != 6 || !hex.is_ascii() {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}

/// WCAG relative luminance of an sRGB colour given in 0–255 channels.
fn luminance(r: f64, g: f64, b: f64) -> f64 {
    let lin = |c: f64| {
        let c = c / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brand_ink_is_dark_enough_for_white_text() {
        let style = brand_style("#07C160");
        assert!(
            style.starts_with("--brand:#07c160;--brand-ink:#"),
            "{style}"
        );
        let ink = &style[style.find("ink:#").unwrap() + 5..][..6];
        let (r, g, b) = parse_hex(&format!("#{ink}")).unwrap();
        assert!(luminance(r.into(), g.into(), b.into()) <= 0.18);
        assert_eq!(brand_style("red"), "");
    }
}
