//! Which characters text may hold: any text the API takes (no control characters but tab
//! and line breaks; PostgreSQL refuses NUL outright), and the stricter rule for a name or a
//! short line shown on a card (nothing invisible or undisplayable). Used by the browser's
//! forms and by the server alike.

use crate::error::ApiError;

/// A character no text the API takes may hold: a control character (C0, DEL, C1) other than
/// tab, line feed and carriage return, which free text typed in a text area uses.
pub fn refused_anywhere(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// A character a name or a one-line text may not hold: any control or format character
/// (zero-width spaces, bidi controls, BOM ...), the line and paragraph separators U+2028 and
/// U+2029, private-use characters (which show as a box, or as a vendor's own glyph) and
/// non-characters.
pub fn unfit_for_a_line(c: char) -> bool {
    let n = u32::from(c);
    c.is_control()
        || is_format(c)
        || matches!(c, '\u{2028}' | '\u{2029}')
        || (0xE000..=0xF8FF).contains(&n)
        || n >= 0xF0000
        || (0xFDD0..=0xFDEF).contains(&n)
        || n & 0xFFFE == 0xFFFE
}

/// `text` holds nothing [`unfit_for_a_line`], or the error on `field` that names what it is
/// (`label`: 姓名, 职位 ...).
pub fn check_line(text: &str, field: &str, label: &str) -> Result<(), ApiError> {
    if text.chars().any(unfit_for_a_line) {
        return Err(ApiError::invalid(
            field,
            format!("{label}含有不可见或无法显示的字符"),
        ));
    }
    Ok(())
}

/// Unicode general category Cf (format characters: zero-width spaces and joiners, bidi
/// controls, soft hyphen, BOM ...), as of Unicode 15.
pub fn is_format(c: char) -> bool {
    const CF: [(u32, u32); 21] = [
        (0x00AD, 0x00AD),
        (0x0600, 0x0605),
        (0x061C, 0x061C),
        (0x06DD, 0x06DD),
        (0x070F, 0x070F),
        (0x0890, 0x0891),
        (0x08E2, 0x08E2),
        (0x180E, 0x180E),
        (0x200B, 0x200F),
        (0x202A, 0x202E),
        (0x2060, 0x2064),
        (0x2066, 0x206F),
        (0xFEFF, 0xFEFF),
        (0xFFF9, 0xFFFB),
        (0x110BD, 0x110BD),
        (0x110CD, 0x110CD),
        (0x13430, 0x1343F),
        (0x1BCA0, 0x1BCA3),
        (0x1D173, 0x1D17A),
        (0xE0001, 0xE0001),
        (0xE0020, 0xE007F),
    ];
    let c = u32::from(c);
    CF.iter().any(|&(lo, hi)| (lo..=hi).contains(&c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn any_text_refuses_control_characters_but_tab_and_line_breaks() {
        for c in ['\0', '\u{1}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}'] {
            assert!(refused_anywhere(c), "{c:?}");
        }
        for c in ['\t', '\n', '\r', ' ', 'a', '王', '\u{2028}', '\u{e000}'] {
            assert!(!refused_anywhere(c), "{c:?}");
        }
    }

    #[test]
    fn a_line_refuses_what_cannot_be_seen_or_shown() {
        let refused = [
            '\0',
            '\t',
            '\n',
            '\u{7f}',
            '\u{ad}',
            '\u{200b}',
            '\u{202e}',
            '\u{feff}',
            '\u{2028}',
            '\u{2029}',
            '\u{e000}',
            '\u{f8ff}',
            '\u{f0000}',
            '\u{10fffd}',
            '\u{fdd0}',
            '\u{fdef}',
            '\u{fffe}',
            '\u{ffff}',
            '\u{1fffe}',
            '\u{10ffff}',
        ];
        for c in refused {
            assert!(unfit_for_a_line(c), "{c:?}");
        }
        let kept = [
            'a',
            '王',
            '·',
            '\'',
            ' ',
            '\u{3000}',
            '😀',
            '\u{fdcf}',
            '\u{fdf0}',
            '\u{fffd}',
            '\u{20000}',
        ];
        for c in kept {
            assert!(!unfit_for_a_line(c), "{c:?}");
        }
    }

    #[test]
    fn check_line_names_the_field_in_chinese() {
        assert_eq!(check_line("王磊", "name", "姓名"), Ok(()));
        let e = check_line("王\u{2028}磊", "name", "姓名").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("name"));
        assert_eq!(e.message, "姓名含有不可见或无法显示的字符");
    }
}
