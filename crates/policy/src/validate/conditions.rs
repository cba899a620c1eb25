//! Checks of the `Condition` block: empty blocks and values, operator qualifiers and suffixes,
//! the key's arity and type against the operator, and each value by operator family (strings,
//! booleans, numbers, dates, IP ranges, binary, ARNs), then `aws:SourceIp` as a whole.

use super::finding::{FindingType, Location};
use super::principal::is_service_principal_format;
use super::{loc, lookup, Validator};
use crate::json::{JsonNode, JsonValue};
use crate::keys::KeyType;
use crate::model::*;
use crate::values::{parse_bool, parse_cidr, parse_date_value, parse_number, DateForm};
use std::net::IpAddr;

pub(super) fn is_private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(a) => a.is_private() || a.is_loopback() || a.is_link_local(),
        IpAddr::V6(a) => {
            let seg = a.segments();
            a.is_loopback() || (seg[0] & 0xfe00) == 0xfc00 || (seg[0] & 0xffc0) == 0xfe80
        }
    }
}

impl Validator<'_> {
    pub(super) fn conditions(&mut self, st: &Statement) {
        let cond_is_empty_object = lookup(self.tree, &st.path.key("Condition"))
            .is_some_and(|(n, _)| matches!(&n.value, JsonValue::Object(m) if m.is_empty()));
        if cond_is_empty_object {
            let l = self.element_loc(st, "Condition");
            self.push(
                FindingType::Suggestion,
                "EMPTY_OBJECT_CONDITION",
                "This condition block is empty and it does not affect the policy. Specify conditions.".to_string(),
                vec![l],
            );
        }
        // Operator blocks without keys (`"StringEquals": {}`) add no condition.
        let cpath = st.path.key("Condition");
        if let Some((
            JsonNode {
                value: JsonValue::Object(ops),
                ..
            },
            _,
        )) = lookup(self.tree, &cpath)
        {
            for op in ops {
                if matches!(&op.value.value, JsonValue::Object(keys) if keys.is_empty()) {
                    self.push(
                        FindingType::Suggestion,
                        "EMPTY_OBJECT_CONDITION",
                        "This condition block is empty and it does not affect the policy. Specify conditions.".to_string(),
                        vec![loc(&cpath.key(&op.key), op.value.span)],
                    );
                }
            }
        }
        let guards_network = st.conditions.iter().any(|c| {
            matches!(
                c.key_lower().as_str(),
                "aws:viaawsservice"
                    | "aws:sourcevpc"
                    | "aws:sourcevpce"
                    | "aws:calledvia"
                    | "aws:principalisawsservice"
            )
        });
        for c in &st.conditions {
            self.condition(st, c, guards_network);
        }
    }

    /// The checks of one condition (key, operator and values), in this order (the order of the
    /// findings): the operator's shape, the key, the values as a whole, each value by family,
    /// and `aws:SourceIp` ranges as a whole.
    pub(super) fn condition(&mut self, st: &Statement, c: &Condition, guards_network: bool) {
        self.operator_shape(c);
        self.condition_key(st, c);
        self.values_as_a_whole(c);
        let vars = self.policy.variables_enabled();
        let mut ip_values: Vec<IpAddr> = Vec::new();
        let mut ip_all_parsed = true;
        for v in &c.values {
            let l = loc(&v.path, v.span);
            let has_var = vars && v.template.has_variables();
            match c.operator.base.family() {
                OperatorFamily::String => self.string_value(c, v, &l, has_var),
                OperatorFamily::Bool => self.bool_value(c, v, &l, has_var),
                OperatorFamily::Null => self.null_value(c, v, &l),
                OperatorFamily::Numeric => self.numeric_value(c, v, &l),
                OperatorFamily::Date => self.date_value(v, &l),
                OperatorFamily::Ip => match self.ip_value(c, v, &l) {
                    Some(ip) => ip_values.push(ip),
                    None => ip_all_parsed = false,
                },
                OperatorFamily::Binary => self.binary_value(c, v, &l),
                OperatorFamily::Arn => self.arn_value(c, v, &l, has_var),
            }
        }
        if c.key_lower() == "aws:sourceip" && c.operator.base.family() == OperatorFamily::Ip {
            self.source_ip(st, c, &ip_values, ip_all_parsed, guards_network);
        }
    }

    /// Empty values, and qualifiers or suffixes that do nothing or mislead on this operator.
    fn operator_shape(&mut self, c: &Condition) {
        let op = c.operator;
        let base = c.operator.base;
        if c.values.is_empty() {
            let k = &c.key;
            let (code, details) = match (op.qualifier, op.if_exists) {
                (Some(SetQualifier::ForAllValues), _) => ("EMPTY_ARRAY_CONDITION_FORALLVALUES", format!("The ForAllValues prefix with an empty condition key matches only if the key {k} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.")),
                (Some(SetQualifier::ForAnyValue), _) => ("EMPTY_ARRAY_CONDITION_FORANYVALUE", format!("The ForAnyValue prefix with an empty condition key {k} never matches the request context and it does not affect the policy. Specify conditions.")),
                (None, true) => ("EMPTY_ARRAY_CONDITION_IFEXISTS", format!("The IfExists suffix with an empty condition key matches only if the key {k} is missing from the request context. To determine if the request context is empty, we recommend that you use the Null condition operator with the value of true instead.")),
                (None, false) => ("EMPTY_ARRAY_CONDITION", format!("There are no values for the condition key {k} and it does not affect the policy. Specify conditions.")),
            };
            self.push(
                FindingType::Suggestion,
                code,
                details,
                vec![self.value_loc(c)],
            );
        }
        if base == BaseOperator::Null && op.qualifier.is_some() {
            // "Avoid using the Null condition operator with the ForAllValues or ForAnyValue
            // qualifiers because they always return a true or false respectively."
            self.push(
                FindingType::Suggestion,
                "NULL_WITH_QUALIFIER",
                "Avoid using the Null condition operator with the ForAllValues or ForAnyValue qualifiers because they always return a true or false respectively.".to_string(),
                vec![self.key_loc(c)],
            );
        }
        if op.if_exists && base.is_negated() && op.qualifier.is_none() {
            self.push(
                FindingType::Suggestion,
                "IF_EXISTS_ON_NEGATED_OPERATOR",
                format!("{op}: IfExists changes nothing here, because the negated operator {} is already true when the key {} is missing. Check that the statement means what you want when the key is absent.", base.name(), c.key),
                vec![self.key_loc(c)],
            );
        }
        if op.if_exists && op.qualifier == Some(SetQualifier::ForAnyValue) {
            self.push(
                FindingType::Warning,
                "FOR_ANY_VALUE_WITH_IF_EXISTS",
                format!("{op}: when {} is missing, the IfExists rule makes this true while some evaluators return false (AWS does not document the case). Avoid IfExists under ForAnyValue.", c.key),
                vec![self.key_loc(c)],
            );
        }
    }

    /// The key: a key of a known service that does not exist, then its arity and type against the operator.
    fn condition_key(&mut self, st: &Statement, c: &Condition) {
        let op = c.operator;
        let base = c.operator.base;
        let family = c.operator.base.family();
        let key_lower = c.key_lower();
        let info = self.keys.lookup(&c.key);
        // "The condition key {{key}} does not exist in the service {{service}}. Use a valid
        // condition key." (a key of a known service that the key catalogue does not know)
        if let (Some(cat), Some((svc, name)), None) = (self.actions, c.key.split_once(':'), info) {
            // Keys with a `/` suffix (`s3:ExistingObjectTag/…`) stand for families the catalogue
            // may list without a type; they are not judged.
            if !svc.eq_ignore_ascii_case("aws") && !name.contains('/') && cat.has_service(svc) {
                self.push(
                    FindingType::Error,
                    "INVALID_SERVICE_CONDITION_KEY",
                    format!("The condition key {} does not exist in the service {svc}. Use a valid condition key.", c.key),
                    vec![self.key_loc(c)],
                );
            }
        }

        // Key facts: arity and type.
        if let Some(info) = info {
            if !info.ambiguous_arity && base != BaseOperator::Null {
                if info.multivalued && op.qualifier.is_none() {
                    self.push(
                        FindingType::Error,
                        "MISSING_QUALIFIER",
                        format!("The request context key {} has multiple values. Use the ForAllValues or ForAnyValue condition key qualifiers in your policy.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
                if !info.multivalued
                    && op.qualifier == Some(SetQualifier::ForAllValues)
                    && st.effect == Effect::Allow
                {
                    self.push(
                        FindingType::SecurityWarning,
                        "FORALLVALUES_WITH_SINGLE_VALUED_KEY",
                        format!("Using ForAllValues qualifier with the single-valued condition key {} can be overly permissive. We recommend that you remove ForAllValues:.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            }
            let want = info.value_type;
            let mismatch = base != BaseOperator::Null && want.family() != family;
            // String operators on ARN keys: exact string comparison still works, so Access
            // Analyzer only warns about the Like forms (and about any other family).
            let string_on_arn = want == KeyType::Arn && family == OperatorFamily::String;
            if string_on_arn {
                if matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike) {
                    self.push(
                        FindingType::SecurityWarning,
                        "STRING_LIKE_OPERATOR_WITH_ARN_CONDITION_KEYS",
                        format!("Use the operator type ARN instead of operator string for the condition key {}.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            } else if mismatch
                && !(want == KeyType::Date
                    && family == OperatorFamily::Numeric
                    && key_lower == "aws:epochtime")
                && !(want == KeyType::String && family == OperatorFamily::Arn)
            {
                let have = match family {
                    OperatorFamily::String => "string",
                    OperatorFamily::Numeric => "numeric",
                    OperatorFamily::Date => "date",
                    OperatorFamily::Bool => "Boolean",
                    OperatorFamily::Binary => "binary",
                    OperatorFamily::Ip => "IP address",
                    OperatorFamily::Arn => "ARN",
                    OperatorFamily::Null => "null",
                };
                self.push(
                    FindingType::Warning,
                    "TYPE_MISMATCH",
                    format!("Use the operator type {} instead of operator {have} for the condition key {}.", want.aa_name(), c.key),
                    vec![self.key_loc(c)],
                );
            }
        }
    }

    /// The values together: `*` patterns equivalent to `Null`, several booleans, tag keys without a tag name, redundant numeric bounds.
    fn values_as_a_whole(&mut self, c: &Condition) {
        let op = c.operator;
        let base = c.operator.base;
        let key_lower = c.key_lower();
        // Values.
        // "We recommend replacing the key {{key}} in the condition block of {{operator}} with
        // {{{recommendedKey}}: false}" (`StringLike "*"`: the key is present) and "…: true}"
        // (`StringNotLike "*"`: the key is absent).
        let only_star = !c.values.is_empty() && c.values.iter().all(|v| v.text == "*");
        let null_value = match base {
            BaseOperator::StringLike => "false",
            _ => "true",
        };
        if matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike)
            && op.qualifier.is_none()
            && only_star
        {
            // AA points at the value, or at each element of an array value.
            let locs = if self.is_array_value(c) {
                c.values.iter().map(|v| loc(&v.path, v.span)).collect()
            } else {
                vec![self.value_loc(c)]
            };
            let code = if null_value == "false" {
                "EQUIVALENT_TO_NULL_FALSE"
            } else {
                "EQUIVALENT_TO_NULL_TRUE"
            };
            self.push(
                FindingType::Suggestion,
                code,
                format!("We recommend replacing the key {k} in the condition block of {op} with {{{k}: {null_value}}} to ensure better enforcement of the condition.", k = c.key),
                locs,
            );
        }
        if base == BaseOperator::Bool && op.qualifier.is_none() && c.values.len() > 1 {
            self.push(
                FindingType::Error,
                "INVALID_CONDITION_MULTIPLE_BOOLEAN",
                "The condition key does not support multiple Boolean values. Use a single Boolean value.".to_string(),
                vec![self.value_loc(c)],
            );
        }
        // "The condition key {{conditionKeyName}} must include a tag key to control access
        // based on tags. Use the format {{conditionKeyName}}tag-key and specify a key name for
        // tag-key."
        let bare_tag = key_lower.trim_end_matches('/');
        if matches!(
            bare_tag,
            "aws:resourcetag" | "aws:requesttag" | "aws:principaltag"
        ) {
            let name = format!("{}/", c.key.trim_end_matches('/'));
            self.push(
                FindingType::Error,
                "MISSING_TAG_KEY_IN_CONDITION",
                format!("The condition key {name} must include a tag key to control access based on tags. Use the format {name}tag-key and specify a key name for tag-key."),
                vec![self.key_loc(c)],
            );
        }
        // "Multiple values in {{operator}} are redundant. Replace with the {{greatest/least}}
        // single value for {{key}}."
        if op.qualifier.is_none() && c.values.len() > 1 {
            let extreme = match base {
                BaseOperator::NumericLessThan | BaseOperator::NumericLessThanEquals => {
                    Some("greatest")
                }
                BaseOperator::NumericGreaterThan | BaseOperator::NumericGreaterThanEquals => {
                    Some("least")
                }
                _ => None,
            };
            if let Some(extreme) = extreme {
                if c.values.iter().all(|v| parse_number(&v.text).is_some()) {
                    self.push(
                        FindingType::Suggestion,
                        "REDUNDANT_CONDITION_VALUE_NUM",
                        format!("Multiple values in {op} are redundant. Replace with the {extreme} single value for {}.", c.key),
                        vec![self.key_loc(c)],
                    );
                }
            }
        }
    }

    /// One value of a string operator: wildcards without `Like`, case folding of non-ASCII text, the empty string, VPC and service-principal formats.
    fn string_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location, has_var: bool) {
        let base = c.operator.base;
        let key_lower = c.key_lower();
        let literal_wild =
            v.template.parts.iter().any(
                |p| matches!(p, TemplatePart::Literal(s) if s.contains('*') || s.contains('?')),
            );
        if !matches!(base, BaseOperator::StringLike | BaseOperator::StringNotLike) && literal_wild {
            self.push(
                FindingType::Warning,
                "WILDCARD_WITHOUT_LIKE_OPERATOR",
                "Your condition value includes a * or ? character. If you meant to use a wildcard (*, ?), update the condition operator to include Like.".to_string(),
                vec![l.clone()],
            );
        }
        if matches!(
            base,
            BaseOperator::StringEqualsIgnoreCase | BaseOperator::StringNotEqualsIgnoreCase
        ) && !v.text.is_ascii()
        {
            self.push(
                FindingType::Warning,
                "IGNORE_CASE_WITH_NON_ASCII",
                format!(
                    "How {} folds the case of non-ASCII text ({:?}) is undocumented.",
                    base.name(),
                    v.text
                ),
                vec![l.clone()],
            );
        }
        if v.text.is_empty() {
            self.push(
                FindingType::Suggestion,
                "EMPTY_STRING_CONDITION_VALUE",
                format!("The empty string value of {}: AWS may treat a key with an empty value as missing (null), so the result of this comparison is uncertain.", c.key),
                vec![l.clone()],
            );
        }
        // "The VPC identifier in the condition key value is not valid. Use the prefix
        // 'vpc-' followed by 8 or 17 alphanumeric characters." (and `vpce-`)
        let vpc = match key_lower.as_str() {
            "aws:sourcevpc" => Some(("vpc-", "INVALID_VPC_FORMAT", "VPC")),
            "aws:sourcevpce" => Some(("vpce-", "INVALID_VPCE_FORMAT", "VPCE")),
            _ => None,
        };
        if let Some((prefix, code, what)) = vpc {
            let well_formed = v.text.strip_prefix(prefix).is_some_and(|id| {
                matches!(id.len(), 8 | 17) && id.bytes().all(|b| b.is_ascii_alphanumeric())
            });
            if !has_var && !v.text.contains(['*', '?']) && !well_formed {
                self.push(
                    FindingType::Error,
                    code,
                    format!("The {what} identifier in the condition key value is not valid.{} Use the prefix '{prefix}' followed by 8 or 17 alphanumeric characters.", if what == "VPCE" { " " } else { "" }),
                    vec![l.clone()],
                );
            }
        }
        if matches!(
            key_lower.as_str(),
            "aws:calledvia"
                | "aws:calledviafirst"
                | "aws:calledvialast"
                | "aws:principalservicename"
                | "aws:principalservicenameslist"
        ) && !has_var
            && !v.text.contains('*')
            && !v.text.contains('?')
            && !is_service_principal_format(&v.text)
        {
            self.push(
                FindingType::Error,
                "INVALID_SERVICE_PRINCIPAL_FORMAT",
                "The service principal does not match the expected format. Use the format {service-name}.amazonaws.com.".to_string(),
                vec![l.clone()],
            );
        }
    }

    /// One value of `Bool`: no policy variables, `true` or `false`.
    fn bool_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location, has_var: bool) {
        if has_var {
            // "Policy variables can only be used with String and ARN operators."
            self.push(
                FindingType::Error,
                "INVALID_VARIABLE_FOR_OPERATOR",
                "Policy variables can only be used with String and ARN operators.".to_string(),
                vec![l.clone()],
            );
        } else {
            self.null_value(c, v, l);
        }
    }

    /// One value of `Null` (and of `Bool` without policy variables): `true` or `false`.
    fn null_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location) {
        let op = c.operator;
        if parse_bool(&v.text).is_none() {
            self.push(
                FindingType::Warning,
                "TYPE_MISMATCH_BOOLEAN",
                format!(
                    "Add a valid Boolean value (true or false) for the condition operator {op}."
                ),
                vec![l.clone()],
            );
        }
    }

    /// One value of a numeric operator: a number.
    fn numeric_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location) {
        let op = c.operator;
        if parse_number(&v.text).is_none() {
            self.push(
                FindingType::Warning,
                "TYPE_MISMATCH_NUMBER",
                format!("Add a valid numeric value for the condition operator {op}."),
                vec![l.clone()],
            );
        }
    }

    /// One value of a date operator: a date, preferably full and with a time zone.
    fn date_value(&mut self, v: &ConditionValue, l: &Location) {
        match parse_date_value(&v.text) {
        None => self.push(
            FindingType::Warning,
            "TYPE_MISMATCH_DATE",
            "The date condition operator is used with an invalid value. Specify a valid date using YYYY-MM-DD or other ISO 8601 date/time format.".to_string(),
            vec![l.clone()],
        ),
        // "The date {{date}} might not resolve as expected. We recommend that you use
        // the YYYY-MM-DD format." (epoch seconds)
        Some(d) if d.form == DateForm::Epoch => self.push(
            FindingType::Warning,
            "INVALID_DATE_VALUE",
            format!("The date {} might not resolve as expected. We recommend that you use the YYYY-MM-DD format.", v.text),
            vec![l.clone()],
        ),
        Some(d) if matches!(d.form, DateForm::Partial | DateForm::NoZone) => self.push(
            FindingType::Suggestion,
            "IMPRECISE_DATE_VALUE",
            format!("The date {:?} is partial or has no time zone; its exact instant is undocumented (read here as UTC, at the start of the period). Write a full time with Z or an offset.", v.text),
            vec![l.clone()],
        ),
        Some(_) => {}
        }
    }

    /// One value of `BinaryEquals`: base64.
    fn binary_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location) {
        let op = c.operator;
        if crate::values::decode_base64(&v.text).is_none() {
            self.push(
                FindingType::Warning,
                "TYPE_MISMATCH_STRING",
                format!("Add a valid base64-encoded string value for the condition operator {op}."),
                vec![l.clone()],
            );
        }
    }

    /// One value of an ARN operator: six fields.
    fn arn_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location, has_var: bool) {
        if !has_var && v.text != "*" && v.text.split(':').count() < 6 {
            self.push(
                FindingType::Warning,
                "SHORT_ARN_CONDITION_VALUE",
                format!("The ARN value {:?} of {} has fewer than six fields; ARN operators never match it.", v.text, c.key),
                vec![l.clone()],
            );
        }
    }

    /// One value of an IP operator: a CIDR range, without non-zero host bits, with a prefix length for IPv6; its network address when it parses.
    fn ip_value(&mut self, c: &Condition, v: &ConditionValue, l: &Location) -> Option<IpAddr> {
        let op = c.operator;
        match parse_cidr(&v.text) {
            None => {
                self.push(
                FindingType::Error,
                "TYPE_MISMATCH_IP_RANGE",
                format!("The condition operator {op} is used with an invalid IP range value. Specify the IP range in standard CIDR format."),
                vec![l.clone()],
            );
                None
            }
            Some(net) => {
                let literal_addr = v
                    .text
                    .split('/')
                    .next()
                    .and_then(|a| a.parse::<IpAddr>().ok());
                if net.had_explicit_prefix() && literal_addr != Some(net.network()) {
                    self.push(
                    FindingType::Suggestion,
                    "IMPROVE_IP_RANGE",
                    format!("The non-zero bits in the IP address after the masked bits are ignored. Replace address with {net}."),
                    vec![l.clone()],
                );
                }
                if net.is_ipv6() && !net.had_explicit_prefix() {
                    self.push(
                    FindingType::Suggestion,
                    "BARE_IPV6_ADDRESS",
                    format!("The IPv6 address {} has no prefix length; it is read as /128, which AWS does not document. Write the prefix.", v.text),
                    vec![l.clone()],
                );
                }
                Some(net.network())
            }
        }
    }

    /// `aws:SourceIp` ranges as a whole: private ranges, and a `Deny` on `NotIpAddress` that also denies AWS services acting for the caller.
    fn source_ip(
        &mut self,
        st: &Statement,
        c: &Condition,
        ip_values: &[IpAddr],
        ip_all_parsed: bool,
        guards_network: bool,
    ) {
        let base = c.operator.base;
        let private = ip_values.iter().filter(|ip| is_private(**ip)).count();
        let all_private = ip_all_parsed && !ip_values.is_empty() && private == ip_values.len();
        if all_private {
            let (code, details) = if base.is_negated() {
                ("PRIVATE_NOT_IP_ADDRESS", "The values for condition key aws:SourceIp include only private IP addresses and has no effect. aws:SourceIp works only for public IP address ranges. Update the value to include only public IP addresses.")
            } else {
                ("PRIVATE_IP_ADDRESS", "aws:SourceIp works only for public IP address ranges. The values for condition key aws:SourceIp include only private IP addresses and will not have the desired effect. Update the value to include only public IP addresses.")
            };
            self.push(
                FindingType::Error,
                code,
                details.to_string(),
                vec![self.key_loc(c)],
            );
        } else if private > 0 {
            let (code, details) = if base.is_negated() {
                ("PRIVATE_NOT_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses have no effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.")
            } else {
                ("PRIVATE_IP_ADDRESS_SUBSET", "The values for condition key aws:SourceIp include a mix of private and public IP addresses. The private addresses will not have the desired effect. aws:SourceIp works only for public IP address ranges. To define permissions for private IP ranges, use aws:VpcSourceIp.")
            };
            self.push(
                FindingType::Suggestion,
                code,
                details.to_string(),
                vec![self.key_loc(c)],
            );
        }
        if st.effect == Effect::Deny && base.is_negated() && !guards_network {
            self.push(
                FindingType::Warning,
                "DENY_NOT_IP_ADDRESS_WITHOUT_SERVICE_EXCEPTION",
                "aws:SourceIp is missing for requests through a VPC endpoint and may be missing when an AWS service acts for the caller, and NotIpAddress is then true: this Deny also denies those requests. Consider adding an aws:ViaAWSService or aws:SourceVpce condition.".to_string(),
                vec![self.key_loc(c)],
            );
        }
    }
}
