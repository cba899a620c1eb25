//! Reading a solver's answer back: the `(get-value …)` list of a `sat` answer as values of the
//! script's symbols ([`parse_get_value`]), which [`super::SmtScript::assignment`] turns into a
//! request.

use super::SmtValue;
use std::collections::HashMap;

/// S-expressions of a `get-value` answer.
#[derive(Debug, Clone, PartialEq)]
enum Sexp {
    Atom(String),
    Str(String),
    List(Vec<Sexp>),
}

fn parse_sexp(chars: &[char], pos: &mut usize, depth: usize) -> Option<Sexp> {
    if depth > 200 {
        return None;
    }
    while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
        *pos += 1;
    }
    match chars.get(*pos)? {
        '(' => {
            *pos += 1;
            let mut items = Vec::new();
            loop {
                while chars.get(*pos).is_some_and(|c| c.is_whitespace()) {
                    *pos += 1;
                }
                match chars.get(*pos)? {
                    ')' => {
                        *pos += 1;
                        return Some(Sexp::List(items));
                    }
                    _ => items.push(parse_sexp(chars, pos, depth + 1)?),
                }
            }
        }
        '"' => {
            *pos += 1;
            let mut s = String::new();
            loop {
                let c = *chars.get(*pos)?;
                *pos += 1;
                if c == '"' {
                    if chars.get(*pos) == Some(&'"') {
                        s.push('"');
                        *pos += 1;
                    } else {
                        return Some(Sexp::Str(unescape(&s)));
                    }
                } else {
                    s.push(c);
                }
            }
        }
        _ => {
            let mut s = String::new();
            while let Some(&c) = chars.get(*pos) {
                if c.is_whitespace() || c == '(' || c == ')' {
                    break;
                }
                s.push(c);
                *pos += 1;
            }
            Some(Sexp::Atom(s))
        }
    }
}

/// Decodes SMT-LIB 2.6 string escapes `\u{X…}`, `\uXXXX` (and z3's older `\xXX`).
fn unescape(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if c == '\\' {
            let hex = |from: usize, to: usize| -> Option<char> {
                let h: String = chars.get(from..to)?.iter().collect();
                u32::from_str_radix(&h, 16).ok().and_then(char::from_u32)
            };
            match chars.get(i + 1) {
                Some('u') if chars.get(i + 2) == Some(&'{') => {
                    if let Some(end) = chars.iter().skip(i + 3).position(|&c| c == '}') {
                        if let Some(ch) = hex(i + 3, i + 3 + end) {
                            out.push(ch);
                            i += end + 4;
                            continue;
                        }
                    }
                }
                Some('u') => {
                    if let Some(ch) = hex(i + 2, i + 6) {
                        out.push(ch);
                        i += 6;
                        continue;
                    }
                }
                Some('x') => {
                    if let Some(ch) = hex(i + 2, i + 4) {
                        out.push(ch);
                        i += 4;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(c);
        i += 1;
    }
    out
}

fn value_of(e: &Sexp) -> Option<SmtValue> {
    match e {
        Sexp::Str(s) => Some(SmtValue::Str(s.clone())),
        Sexp::Atom(a) if a == "true" => Some(SmtValue::Bool(true)),
        Sexp::Atom(a) if a == "false" => Some(SmtValue::Bool(false)),
        Sexp::Atom(a) => a.parse::<i128>().ok().map(SmtValue::Int),
        Sexp::List(items) => match items.as_slice() {
            [Sexp::Atom(m), x] if m == "-" => match value_of(x)? {
                SmtValue::Int(i) => Some(SmtValue::Int(-i)),
                _ => None,
            },
            _ => None,
        },
    }
}

/// Parses a `(get-value …)` answer `((sym value) …)` (strings with SMT-LIB escapes, integers,
/// `(- n)`, Booleans). `None` if it is not such a list.
pub fn parse_get_value(text: &str) -> Option<HashMap<String, SmtValue>> {
    let chars: Vec<char> = text.chars().collect();
    let mut pos = 0;
    let Sexp::List(items) = parse_sexp(&chars, &mut pos, 0)? else {
        return None;
    };
    let mut out = HashMap::new();
    for it in items {
        if let Sexp::List(pair) = it {
            if let [Sexp::Atom(name), v] = pair.as_slice() {
                if let Some(v) = value_of(v) {
                    out.insert(name.clone(), v);
                }
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_get_value_output() {
        let v = parse_get_value(
            "((caller 1)\n (principal \"arn:aws:iam::1:user/\"\"x\"\"\\u{e9}\")\n (k0_n (- 3)) (k0_p true))",
        )
        .unwrap();
        assert_eq!(v.get("caller"), Some(&SmtValue::Int(1)));
        assert_eq!(
            v.get("principal"),
            Some(&SmtValue::Str("arn:aws:iam::1:user/\"x\"é".into()))
        );
        assert_eq!(v.get("k0_n"), Some(&SmtValue::Int(-3)));
        assert_eq!(v.get("k0_p"), Some(&SmtValue::Bool(true)));
    }
}
