//! Splitting text into a [`Template`] of literal parts and policy variables (docs/semantics.md, "Version and policy variables").

use crate::model::{Template, TemplatePart};

/// Why text is not a valid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateError {
    /// The character index (0-based) where the bad `${` starts.
    pub char_index: usize,
    /// What is wrong.
    pub message: String,
}

/// Splits `text` into literal parts, escapes (`${*}`, `${?}`, `${$}`) and variables
/// (`${key}`, `${key, 'default'}`). Adjacent literal text is merged into one part; the result has
/// at least one part (an empty literal for empty text).
///
/// Syntax (docs/semantics.md, "Version and policy variables"): the key is non-empty and has no whitespace, `,`, `'`, `{`, `}` or `$`; a
/// default follows a comma (and optional spaces) in single quotes. `${}`, an unterminated `${`
/// and anything else malformed after `${` are errors ("Invalid variable"). A `$` not followed by
/// `{` is literal.
pub(crate) fn split_template(text: &str) -> Result<Template, TemplateError> {
    let chars: Vec<char> = text.chars().collect();
    let mut parts: Vec<TemplatePart> = Vec::new();
    let mut lit = String::new();
    let mut i = 0usize;
    while let Some(&c) = chars.get(i) {
        if c == '$' && chars.get(i + 1) == Some(&'{') {
            let start = i;
            let (part, next) = parse_var(&chars, i + 2).map_err(|message| TemplateError {
                char_index: start,
                message,
            })?;
            match part {
                TemplatePart::Escaped(s) => {
                    if !lit.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut lit)));
                    }
                    // Merge adjacent escapes.
                    if let Some(TemplatePart::Escaped(prev)) = parts.last_mut() {
                        prev.push_str(&s);
                    } else {
                        parts.push(TemplatePart::Escaped(s));
                    }
                }
                other => {
                    if !lit.is_empty() {
                        parts.push(TemplatePart::Literal(std::mem::take(&mut lit)));
                    }
                    parts.push(other);
                }
            }
            i = next;
        } else {
            lit.push(c);
            i += 1;
        }
    }
    if !lit.is_empty() || parts.is_empty() {
        parts.push(TemplatePart::Literal(lit));
    }
    Ok(Template { parts })
}

/// Parses the inside of `${…}` starting just after `${`; returns the part and the index after `}`.
fn parse_var(chars: &[char], mut i: usize) -> Result<(TemplatePart, usize), String> {
    let bad = |why: &str| format!("Invalid variable: {why}");
    // Special escapes.
    if let (Some(&c), Some('}')) = (chars.get(i), chars.get(i + 1)) {
        if matches!(c, '*' | '?' | '$') {
            return Ok((TemplatePart::Escaped(c.to_string()), i + 2));
        }
    }
    let key_start = i;
    while let Some(&c) = chars.get(i) {
        if c == '}' || c == ',' || c.is_whitespace() || matches!(c, '\'' | '{' | '$') {
            break;
        }
        i += 1;
    }
    let key: String = chars.get(key_start..i).unwrap_or_default().iter().collect();
    if key.is_empty() {
        return Err(match chars.get(i) {
            Some('}') => bad("`${}` names no key"),
            None => bad("unterminated `${`"),
            Some(c) => bad(&format!("unexpected {c:?} at the start of a variable name")),
        });
    }
    // Optional spaces before a comma.
    let mut j = i;
    while chars.get(j).is_some_and(|c| *c == ' ') {
        j += 1;
    }
    match chars.get(j) {
        Some('}') if j == i => Ok((TemplatePart::Variable { key, default: None }, i + 1)),
        Some(',') => {
            j += 1;
            while chars.get(j).is_some_and(|c| *c == ' ') {
                j += 1;
            }
            if chars.get(j) != Some(&'\'') {
                return Err(bad(
                    "a default value must be in single quotes: `${key, 'default'}`",
                ));
            }
            j += 1;
            let d_start = j;
            while chars.get(j).is_some_and(|c| *c != '\'') {
                j += 1;
            }
            if chars.get(j).is_none() {
                return Err(bad("unterminated default value"));
            }
            let default: String = chars.get(d_start..j).unwrap_or_default().iter().collect();
            j += 1;
            while chars.get(j).is_some_and(|c| *c == ' ') {
                j += 1;
            }
            if chars.get(j) != Some(&'}') {
                return Err(bad("expected `}` after the default value"));
            }
            Ok((
                TemplatePart::Variable {
                    key,
                    default: Some(default),
                },
                j + 1,
            ))
        }
        None => Err(bad("unterminated `${`")),
        Some(c) if c.is_whitespace() => Err(bad("whitespace in a variable name")),
        Some(c) => Err(bad(&format!("unexpected {c:?} in a variable name"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> TemplatePart {
        TemplatePart::Literal(s.into())
    }
    fn var(k: &str, d: Option<&str>) -> TemplatePart {
        TemplatePart::Variable {
            key: k.into(),
            default: d.map(Into::into),
        }
    }

    #[test]
    fn splits() {
        let t = split_template("arn:aws:s3:::b/${aws:username}/*").unwrap();
        assert_eq!(
            t.parts,
            vec![lit("arn:aws:s3:::b/"), var("aws:username", None), lit("/*")]
        );
        let t = split_template("${aws:PrincipalTag/team, 'none'}").unwrap();
        assert_eq!(t.parts, vec![var("aws:PrincipalTag/team", Some("none"))]);
        let t = split_template("a${*}${?}b${$}").unwrap();
        assert_eq!(
            t.parts,
            vec![
                lit("a"),
                TemplatePart::Escaped("*?".into()),
                lit("b"),
                TemplatePart::Escaped("$".into())
            ]
        );
        assert_eq!(split_template("").unwrap().parts, vec![lit("")]);
        assert_eq!(split_template("$x}").unwrap().parts, vec![lit("$x}")]);
        let t = split_template("${k,'d e'}").unwrap();
        assert_eq!(t.parts, vec![var("k", Some("d e"))]);
    }

    #[test]
    fn errors() {
        for bad in [
            "${}",
            "a${",
            "${a",
            "${ a}",
            "${a b}",
            "${a, d}",
            "${a, 'd}",
            "${a, 'd' x}",
            "${{a}}",
        ] {
            let e = split_template(bad).unwrap_err();
            assert!(e.message.starts_with("Invalid variable"), "{bad}: {e:?}");
        }
        assert_eq!(split_template("ab${}").unwrap_err().char_index, 2);
    }

    proptest::proptest! {
        #[test]
        fn never_panics(s in "[a-z${}',* ?]{0,24}") {
            let _ = split_template(&s);
        }

        #[test]
        fn literal_text_round_trips(s in "[a-z/:*?]{0,24}") {
            let t = split_template(&s).unwrap();
            proptest::prop_assert_eq!(t.parts, vec![TemplatePart::Literal(s)]);
        }
    }
}
