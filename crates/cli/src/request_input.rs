//! The request side of `simulate`: `--context-entries` (AWS CLI shorthand or JSON), the
//! `--request` file, and the caller flags, turned into `iamproof_eval::Request`s.

use crate::error::CliError;
use crate::input::{Loader, Origin};
use crate::jsonin;
use iamproof_eval::{Context, ContextValue, Principal};
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;
use std::fmt;

/// The caller used when none is given and no resource policy is simulated; documented in the
/// README. Its account matters only for same-/cross-account decisions.
pub const DEFAULT_CALLER_ARN: &str = "arn:aws:iam::123456789012:user/iamproof-simulated-user";

/// One `ContextEntry` of `aws iam simulate-custom-policy`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContextEntry {
    /// The condition key, e.g. `aws:SourceIp`.
    #[serde(rename = "ContextKeyName")]
    pub name: String,
    /// The values (one for a single-valued type).
    #[serde(rename = "ContextKeyValues", default)]
    pub values: Vec<Scalar>,
    /// `string`, `stringList`, `numeric`, `ip`, … (default: `string` for one value, else
    /// `stringList`).
    #[serde(rename = "ContextKeyType", default)]
    pub key_type: Option<ContextKeyType>,
}

/// The `ContextKeyType` values of the IAM API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(missing_docs)]
pub enum ContextKeyType {
    String,
    StringList,
    Numeric,
    NumericList,
    Boolean,
    BooleanList,
    Date,
    DateList,
    Ip,
    IpList,
    Binary,
    BinaryList,
}

impl ContextKeyType {
    const NAMES: &'static [&'static str] = &[
        "string",
        "stringList",
        "numeric",
        "numericList",
        "boolean",
        "booleanList",
        "date",
        "dateList",
        "ip",
        "ipList",
        "binary",
        "binaryList",
    ];

    fn from_name(s: &str) -> Option<Self> {
        use ContextKeyType::*;
        Some(match s {
            "string" => String,
            "stringList" => StringList,
            "numeric" => Numeric,
            "numericList" => NumericList,
            "boolean" => Boolean,
            "booleanList" => BooleanList,
            "date" => Date,
            "dateList" => DateList,
            "ip" => Ip,
            "ipList" => IpList,
            "binary" => Binary,
            "binaryList" => BinaryList,
            _ => return None,
        })
    }

    fn is_list(self) -> bool {
        use ContextKeyType::*;
        matches!(
            self,
            StringList | NumericList | BooleanList | DateList | IpList | BinaryList
        )
    }

    /// Checks one value against its type with the parsers the evaluator reads condition values
    /// with (`iamproof_policy::parse_number` and its siblings), so a value the evaluator could
    /// not read (a date `notadate`, a number `1,5`) is an input error rather than a silent
    /// non-match.
    fn check_value(self, v: &str) -> Result<(), String> {
        use iamproof_policy::{decode_base64, parse_bool, parse_cidr, parse_date, parse_number};
        use ContextKeyType::*;
        match self {
            Numeric | NumericList if parse_number(v).is_none() => {
                Err(format!("{v:?} is not a number"))
            }
            Boolean | BooleanList if parse_bool(v).is_none() => {
                Err(format!("{v:?} is not true or false"))
            }
            Date | DateList if parse_date(v).is_none() => Err(format!(
                "{v:?} is not a date: use ISO 8601 (2024-01-31, 2024-01-31T12:00:00Z) or epoch \
                 seconds (1706702400)"
            )),
            Ip | IpList if parse_cidr(v).is_none() => {
                Err(format!("{v:?} is not an IP address or CIDR block"))
            }
            Binary | BinaryList if decode_base64(v).is_none() => {
                Err(format!("{v:?} is not base64"))
            }
            _ => Ok(()),
        }
    }
}

/// A JSON scalar (string, number or boolean) kept as its text: condition values are strings
/// that operators type (docs/semantics.md, "Typed values").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar(pub String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

struct ScalarVisitor;

impl Visitor<'_> for ScalarVisitor {
    type Value = Scalar;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number or boolean")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Scalar, E> {
        Ok(Scalar(v.to_string()))
    }
}

/// A context value in a request file: a scalar, or a list of scalars (a multivalued key).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValueSpec(pub ContextValue);

impl<'de> Deserialize<'de> for ValueSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = ValueSpec;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a string, number, boolean, or a list of them")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ValueSpec, E> {
        Ok(ValueSpec(ContextValue::Single(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ValueSpec, E> {
        Ok(ValueSpec(ContextValue::Single(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ValueSpec, E> {
        Ok(ValueSpec(ContextValue::Single(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ValueSpec, E> {
        Ok(ValueSpec(ContextValue::Single(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ValueSpec, E> {
        Ok(ValueSpec(ContextValue::Single(v.to_string())))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<ValueSpec, A::Error> {
        let mut out = Vec::new();
        while let Some(Scalar(s)) = seq.next_element::<Scalar>()? {
            out.push(s);
        }
        Ok(ValueSpec(ContextValue::Multi(out)))
    }
}

/// The principal of a request file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrincipalSpec(pub Principal);

impl<'de> Deserialize<'de> for PrincipalSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(PrincipalVisitor)
    }
}

struct PrincipalVisitor;

impl<'de> Visitor<'de> for PrincipalVisitor {
    type Value = PrincipalSpec;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(
            "an ARN, a 12-digit account id, \"anonymous\", or an object with one of \"AWS\", \
             \"Service\", \"Federated\", \"CanonicalUser\"",
        )
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<PrincipalSpec, E> {
        if v.eq_ignore_ascii_case("anonymous") {
            return Ok(PrincipalSpec(Principal::Anonymous));
        }
        aws_principal(v).map(PrincipalSpec).map_err(E::custom)
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<PrincipalSpec, A::Error> {
        let mut found: Option<Principal> = None;
        while let Some(key) = map.next_key::<String>()? {
            let value: String = map.next_value()?;
            let p = match key.as_str() {
                "AWS" => aws_principal(&value).map_err(de::Error::custom)?,
                "Service" => Principal::Service(value),
                "Federated" => Principal::Federated(value),
                "CanonicalUser" => Principal::CanonicalUser(value),
                other => {
                    return Err(de::Error::unknown_field(
                        other,
                        &["AWS", "Service", "Federated", "CanonicalUser"],
                    ))
                }
            };
            if found.is_some() {
                return Err(de::Error::custom(
                    "a request has exactly one principal; give one of AWS, Service, Federated, CanonicalUser",
                ));
            }
            found = Some(p);
        }
        found.map(PrincipalSpec).ok_or_else(|| {
            de::Error::custom("empty principal; give one of AWS, Service, Federated, CanonicalUser")
        })
    }
}

/// An IAM/STS principal from an ARN or an account id (the account's root).
pub fn aws_principal(v: &str) -> Result<Principal, String> {
    if v.len() == 12 && v.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(Principal::Arn(format!("arn:aws:iam::{v}:root")));
    }
    if v.starts_with("arn:") && v.split(':').count() >= 6 {
        return Ok(Principal::Arn(v.to_string()));
    }
    Err(format!(
        "{v:?} is not an IAM/STS ARN (arn:aws:iam::123456789012:user/name) or a 12-digit account id"
    ))
}

/// A `--request` file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct RequestFile {
    /// Who asks (default: the `--caller-arn` or the documented default caller).
    #[serde(default)]
    pub principal: Option<PrincipalSpec>,
    /// `service:Name`.
    pub action: String,
    /// The resource ARN (default `*`).
    #[serde(default)]
    pub resource: Option<String>,
    /// The account owning the resource.
    #[serde(default)]
    pub resource_account: Option<String>,
    /// Condition keys to values; a list makes a multivalued key.
    #[serde(default)]
    pub context: ContextSpec,
}

/// The `context` object of a request file, in document order.
#[derive(Debug, Clone, Default)]
pub struct ContextSpec(pub Vec<(String, ContextValue)>);

impl ContextSpec {
    /// As an evaluator context (a later duplicate key wins, ignoring case).
    pub fn to_context(&self) -> Context {
        let mut ctx = Context::new();
        for (k, v) in &self.0 {
            ctx.insert(k, v.clone());
        }
        ctx
    }
}

impl<'de> Deserialize<'de> for ContextSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = ContextSpec;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of condition keys to values")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<ContextSpec, A::Error> {
                let mut out = Vec::new();
                while let Some(k) = map.next_key::<String>()? {
                    let v: ValueSpec = map.next_value()?;
                    out.push((k, v.0));
                }
                Ok(ContextSpec(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Reads all `--context-entries` arguments into a context.
pub fn context_entries(args: &[String], loader: &mut Loader) -> Result<Context, CliError> {
    let mut entries = Vec::new();
    for arg in args {
        let t = arg.trim_start();
        if t.starts_with('[') || t.starts_with('{') || arg.starts_with("file://") || arg == "-" {
            let doc = loader.load(arg, "--context-entries")?;
            if doc.text.trim_start().starts_with('{') {
                entries.push((doc.origin.clone(), jsonin::parse::<ContextEntry>(&doc)?));
            } else {
                for e in jsonin::parse::<Vec<ContextEntry>>(&doc)? {
                    entries.push((doc.origin.clone(), e));
                }
            }
        } else {
            entries.push((Origin::Inline, shorthand(arg)?));
        }
    }
    let mut ctx = Context::new();
    for (origin, e) in entries {
        let where_ = format!("{origin}: context entry {:?}", e.name);
        if e.name.is_empty() {
            return Err(CliError::Input(format!(
                "{origin}: a context entry has an empty ContextKeyName"
            )));
        }
        let values: Vec<String> = e.values.into_iter().map(|s| s.0).collect();
        let ty = e.key_type.unwrap_or(if values.len() == 1 {
            ContextKeyType::String
        } else {
            ContextKeyType::StringList
        });
        for v in &values {
            ty.check_value(v)
                .map_err(|m| CliError::Input(format!("{where_}: {m}")))?;
        }
        let value = if ty.is_list() {
            ContextValue::Multi(values)
        } else {
            match <[String; 1]>::try_from(values) {
                Ok([one]) => ContextValue::Single(one),
                Err(vs) => {
                    return Err(CliError::Input(format!(
                        "{where_}: a single-valued key needs exactly one value, found {}; use a \
                         list type such as stringList for several",
                        vs.len()
                    )))
                }
            }
        };
        ctx.insert(&e.name, value);
    }
    Ok(ctx)
}

/// Parses AWS CLI shorthand: `ContextKeyName=k,ContextKeyValues=v1,v2,ContextKeyType=t`.
/// A comma-separated item that does not start a new `Field=` continues the values list.
pub fn shorthand(arg: &str) -> Result<ContextEntry, CliError> {
    let bad = |m: String| CliError::Input(format!("--context-entries {arg:?}: {m}"));
    let mut name: Option<String> = None;
    let mut values: Option<Vec<Scalar>> = None;
    let mut key_type: Option<ContextKeyType> = None;
    let mut current: Option<&str> = None;
    for item in arg.split(',') {
        let (field, value) = match item.split_once('=') {
            Some((f, v)) if ["ContextKeyName", "ContextKeyValues", "ContextKeyType"].contains(&f) => {
                (f, v)
            }
            _ => match current {
                Some("ContextKeyValues") => {
                    if let Some(vs) = values.as_mut() {
                        vs.push(Scalar(item.to_string()));
                    }
                    continue;
                }
                _ => {
                    return Err(bad(format!(
                        "expected ContextKeyName=…, ContextKeyValues=… or ContextKeyType=…, found {item:?}"
                    )))
                }
            },
        };
        let dup = match field {
            "ContextKeyName" => name.replace(value.to_string()).is_some(),
            "ContextKeyValues" => {
                let v = if value.is_empty() {
                    Vec::new()
                } else {
                    vec![Scalar(value.to_string())]
                };
                values.replace(v).is_some()
            }
            _ => {
                let t = ContextKeyType::from_name(value).ok_or_else(|| {
                    bad(format!(
                        "unknown ContextKeyType {value:?}; expected one of {}",
                        ContextKeyType::NAMES.join(", ")
                    ))
                })?;
                key_type.replace(t).is_some()
            }
        };
        if dup {
            return Err(bad(format!("{field} is given twice")));
        }
        current = Some(field);
    }
    let name = name.ok_or_else(|| bad("missing ContextKeyName=…".to_string()))?;
    Ok(ContextEntry {
        name,
        values: values.unwrap_or_default(),
        key_type,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Document;

    #[test]
    fn shorthand_with_several_values() {
        let e = shorthand(
            "ContextKeyName=aws:TagKeys,ContextKeyValues=a,b,c,ContextKeyType=stringList",
        )
        .unwrap();
        assert_eq!(e.name, "aws:TagKeys");
        assert_eq!(
            e.values,
            vec![Scalar("a".into()), Scalar("b".into()), Scalar("c".into())]
        );
        assert_eq!(e.key_type, Some(ContextKeyType::StringList));
        assert!(shorthand("ContextKeyValues=a").is_err());
        assert!(shorthand("ContextKeyName=a,ContextKeyType=ipv4").is_err());
        assert!(shorthand("Name=a").is_err());
    }

    #[test]
    fn entries_are_typed_and_checked() {
        let mut empty = std::io::empty();
        let mut l = Loader::new(&mut empty);
        let ctx = context_entries(
            &[
                r#"[{"ContextKeyName":"aws:SourceIp","ContextKeyValues":["203.0.113.1"],"ContextKeyType":"ip"}]"#.to_string(),
                "ContextKeyName=aws:MultiFactorAuthPresent,ContextKeyValues=true,ContextKeyType=boolean".to_string(),
                "ContextKeyName=aws:TagKeys,ContextKeyValues=a,b".to_string(),
            ],
            &mut l,
        )
        .unwrap();
        assert_eq!(
            ctx.get("AWS:SOURCEIP"),
            Some(&ContextValue::Single("203.0.113.1".into()))
        );
        assert_eq!(
            ctx.get("aws:MultiFactorAuthPresent"),
            Some(&ContextValue::Single("true".into()))
        );
        assert_eq!(
            ctx.get("aws:TagKeys"),
            Some(&ContextValue::Multi(vec!["a".into(), "b".into()]))
        );
        let e = context_entries(
            &["ContextKeyName=aws:SourceIp,ContextKeyValues=1.2.3,ContextKeyType=ip".to_string()],
            &mut l,
        )
        .unwrap_err();
        assert!(e.to_string().contains("not an IP address"), "{e}");
        let e = context_entries(
            &["ContextKeyName=k,ContextKeyValues=1,2,ContextKeyType=numeric".to_string()],
            &mut l,
        )
        .unwrap_err();
        assert!(e.to_string().contains("exactly one value, found 2"), "{e}");
        let e = context_entries(
            &[r#"[{"ContextKeyName":"k","ContextKeyType":"ipv9"}]"#.to_string()],
            &mut l,
        )
        .unwrap_err();
        assert!(e.to_string().starts_with("<inline>:1:"), "{e}");
        assert!(
            e.to_string()
                .contains("[0].ContextKeyType: unknown variant `ipv9`"),
            "{e}"
        );
    }

    #[test]
    fn request_files_parse_with_located_errors() {
        let doc = |t: &str| Document {
            origin: Origin::File("req.json".into()),
            text: t.to_string(),
        };
        let d = doc(
            r#"{"principal":{"Service":"lambda.amazonaws.com"},"action":"s3:GetObject",
            "context":{"aws:SourceIp":"203.0.113.1","aws:TagKeys":["a","b"],"aws:SecureTransport":true}}"#,
        );
        let r: RequestFile = jsonin::parse(&d).unwrap();
        assert_eq!(
            r.principal,
            Some(PrincipalSpec(Principal::Service(
                "lambda.amazonaws.com".into()
            )))
        );
        let ctx = r.context.to_context();
        assert_eq!(
            ctx.get("aws:securetransport"),
            Some(&ContextValue::Single("true".into()))
        );
        assert_eq!(ctx.len(), 3);

        let r: RequestFile =
            jsonin::parse(&doc(r#"{"principal":"111122223333","action":"a:b"}"#)).unwrap();
        assert_eq!(
            r.principal,
            Some(PrincipalSpec(Principal::Arn(
                "arn:aws:iam::111122223333:root".into()
            )))
        );
        let e = jsonin::parse::<RequestFile>(&doc("{\"action\":\"a:b\",\n\"principal\":\"bob\"}"))
            .unwrap_err();
        assert!(e.to_string().starts_with("req.json:2:"), "{e}");
        assert!(
            e.to_string()
                .contains("principal: \"bob\" is not an IAM/STS ARN"),
            "{e}"
        );
        let e = jsonin::parse::<RequestFile>(&doc("{\"principal\":\"anonymous\"}")).unwrap_err();
        assert!(e.to_string().contains("missing field `action`"), "{e}");
        let d = doc(r#"{"action":"a:b","context":{"k":{"x":1}}}"#);
        let e = jsonin::parse::<RequestFile>(&d).unwrap_err();
        assert!(e.to_string().starts_with("req.json:1:"), "{e}");
        assert!(
            e.to_string().contains("context.k: invalid type: map"),
            "{e}"
        );
    }
}
