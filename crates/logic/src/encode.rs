//! The encoding of a policy into formulas: one formula per statement (with principal, action,
//! resource and condition parts kept apart, so a check can say which statement grants what) and
//! the policy's Allow and Deny formulas.

use crate::formula::{Atom, CallerKind, ElemPred, Formula, Key, Test, Var};
use crate::pattern::{Glob, GlobPart, MatchMode, PatternSet, ShortArn, Template, TemplatePart};
use crate::semantics::{decode_base64, parse_bool, parse_cidr, parse_date, parse_number};
use crate::value::Cmp;
use iamproof_eval::Principal;
use iamproof_policy::{
    ActionClause, BaseOperator, Condition, Effect, OperatorFamily, Policy, PolicyType,
    PrincipalClause, PrincipalEntry, PrincipalKind, ResourceClause, SetQualifier, Statement,
    Template as PolicyTemplate, TemplatePart as PolicyTemplatePart,
};
use std::collections::BTreeSet;
use std::sync::Arc;

/// At most this many distinct `${key, 'default'}` keys in one condition entry or resource
/// pattern (each doubles the encoding: the key resolves or the default is used).
pub(crate) const MAX_DEFAULTED_VARIABLES: usize = 10;

/// Why a policy could not be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EncodeError {
    /// Too many distinct policy variables with defaults in one place.
    #[error("statement {statement}: more than {MAX_DEFAULTED_VARIABLES} policy variables with defaults in one value")]
    TooManyDefaults {
        /// The statement index.
        statement: usize,
    },
}

/// The formulas of one statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatementFormula {
    /// The 0-based statement index.
    pub index: usize,
    /// The `Sid`, if any.
    pub sid: Option<String>,
    /// `Allow` or `Deny`.
    pub effect: Effect,
    /// The principal matches at any level (directly, through a session, or at account level;
    /// `iamproof_eval::PrincipalMatch` ≠ `None`).
    pub principal: Formula,
    /// The principal matches above account level (`PrincipalMatch` > `Account`: named directly,
    /// `*`, or a session of a named role/user). Implies `principal`.
    pub principal_direct: Formula,
    /// The `Action`/`NotAction` element matches.
    pub action: Formula,
    /// The `Resource`/`NotResource` element matches.
    pub resource: Formula,
    /// All conditions hold.
    pub condition: Formula,
    /// The statement applies: `principal ∧ action ∧ resource ∧ condition`.
    pub applies: Formula,
}

/// A policy as formulas.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncodedPolicy {
    /// The type the policy was parsed as.
    pub policy_type: PolicyType,
    /// Some `Allow` statement applies.
    pub allow: Formula,
    /// Some `Deny` statement applies.
    pub deny: Formula,
    /// One entry per statement, in order.
    pub statements: Vec<StatementFormula>,
}

impl EncodedPolicy {
    /// The policy allows the request on its own: `allow ∧ ¬deny`
    /// (`iamproof_eval::evaluate_policy(..).allows()`).
    pub fn allows(&self) -> Formula {
        Formula::and2(self.allow.clone(), Formula::not(self.deny.clone()))
    }
}

/// Encodes a policy: one formula per statement and the Allow and Deny formulas.
///
/// The encoding mirrors `iamproof_eval` exactly: for every request `r`,
/// `encode_policy(p)?.allows().eval(&r) == iamproof_eval::evaluate_policy(p, &r).allows()`, and
/// likewise per statement (`statement_applies`). Nothing is approximated; the corner cases follow
/// the evaluator's documented choices (see `iamproof_eval::conditions`).
pub fn encode_policy(policy: &Policy) -> Result<EncodedPolicy, EncodeError> {
    let mut statements = Vec::with_capacity(policy.statements.len());
    for st in &policy.statements {
        statements.push(encode_statement(policy, st)?);
    }
    let pick = |e: Effect| {
        Formula::or(
            statements
                .iter()
                .filter(|s| s.effect == e)
                .map(|s| s.applies.clone()),
        )
    };
    Ok(EncodedPolicy {
        policy_type: policy.policy_type,
        allow: pick(Effect::Allow),
        deny: pick(Effect::Deny),
        statements,
    })
}

/// Encodes one statement of `policy`.
pub fn encode_statement(policy: &Policy, st: &Statement) -> Result<StatementFormula, EncodeError> {
    let (principal, principal_direct) = encode_principal(policy, st.principal.as_ref());
    let action = encode_action(&st.action);
    let resource = match &st.resource {
        None => Formula::tt(),
        Some(c) => encode_resource(policy, c).map_err(|()| EncodeError::TooManyDefaults {
            statement: st.index,
        })?,
    };
    let mut conds = Vec::with_capacity(st.conditions.len());
    for c in &st.conditions {
        conds.push(
            encode_condition(c, policy.variables_enabled()).map_err(|()| {
                EncodeError::TooManyDefaults {
                    statement: st.index,
                }
            })?,
        );
    }
    let condition = Formula::and(conds);
    let applies = Formula::and([
        principal.clone(),
        action.clone(),
        resource.clone(),
        condition.clone(),
    ]);
    Ok(StatementFormula {
        index: st.index,
        sid: st.sid.clone(),
        effect: st.effect,
        principal,
        principal_direct,
        action,
        resource,
        condition,
        applies,
    })
}

// ---------------------------------------------------------------------------------------------
// Principals

fn caller(k: CallerKind) -> Formula {
    Formula::atom(Atom::Caller(k))
}

fn lit(s: &str) -> GlobPart {
    GlobPart::Lit(s.to_string())
}

/// An ARN-mode glob from six field globs.
fn arn_glob(fields: [Vec<GlobPart>; 6]) -> Glob {
    let mut parts = Vec::new();
    for (i, f) in fields.into_iter().enumerate() {
        if i > 0 {
            parts.push(lit(":"));
        }
        parts.extend(f);
    }
    Glob::from_parts(parts)
}

fn principal_matches(globs: Vec<Glob>) -> Formula {
    Formula::and2(
        caller(CallerKind::Arn),
        Formula::matches(Var::Principal, PatternSet::new(MatchMode::Arn, globs)),
    )
}

/// The fields of an IAM/STS principal ARN as `iamproof_eval::matching::parse_principal_arn`
/// reads them: (partition, service, region, account, resource), or `None` if not an ARN.
fn principal_arn_fields(s: &str) -> Option<[&str; 5]> {
    let mut it = s.splitn(6, ':');
    let prefix = it.next()?;
    let f = [it.next()?, it.next()?, it.next()?, it.next()?, it.next()?];
    (prefix == "arn").then_some(f)
}

/// (matches at any level, matches above account level) for one entry.
fn encode_principal_entry(e: &PrincipalEntry) -> (Formula, Formula) {
    let value = e.value.as_str();
    let direct = |f: Formula| (f.clone(), f);
    match e.kind {
        PrincipalKind::Everyone => return direct(Formula::tt()),
        PrincipalKind::Aws if value == "*" => return direct(Formula::tt()),
        PrincipalKind::Service | PrincipalKind::Federated | PrincipalKind::CanonicalUser => {
            let k = match e.kind {
                PrincipalKind::Service => CallerKind::Service,
                PrincipalKind::Federated => CallerKind::Federated,
                _ => CallerKind::CanonicalUser,
            };
            if value == "*" {
                // Every principal of the kind (docs/semantics.md, "Principal wildcards of one
                // kind").
                return direct(caller(k));
            }
            return direct(Formula::and2(
                caller(k),
                Formula::matches(
                    Var::Principal,
                    PatternSet::new(MatchMode::Exact, vec![Glob::literal(value)]),
                ),
            ));
        }
        _ => {}
    }
    // {"AWS": value}: the request principal must be an ARN of 6 fields starting with `arn`.
    let star = || vec![GlobPart::AnyRun];
    if value.len() == 12 && value.bytes().all(|b| b.is_ascii_digit()) {
        let acct = principal_matches(vec![arn_glob([
            vec![lit("arn")],
            star(),
            star(),
            star(),
            vec![lit(value)],
            star(),
        ])]);
        return (acct, Formula::ff());
    }
    let Some([p, svc, region, a, res]) = principal_arn_fields(value) else {
        return (Formula::ff(), Formula::ff());
    };
    // Exactly this ARN (field-wise literal equality of six fields = string equality).
    let exact = principal_matches(vec![Glob::literal(value)]);
    let mut direct_alts = vec![exact];
    let mut account_alts = Vec::new();
    if svc == "iam" && res == "root" {
        account_alts.push(principal_matches(vec![arn_glob([
            vec![lit("arn")],
            vec![lit(p)],
            star(),
            star(),
            vec![lit(a)],
            star(),
        ])]));
    } else if svc == "iam" && res.starts_with("role/") {
        let role = res.rsplit('/').next().unwrap_or("");
        if !role.is_empty() {
            let mut last = vec![lit("assumed-role/")];
            for c in role.chars() {
                if c.is_ascii_alphabetic() {
                    let mut cs = vec![c.to_ascii_lowercase(), c.to_ascii_uppercase()];
                    cs.sort_unstable();
                    last.push(GlobPart::OneOf(cs));
                } else {
                    last.push(GlobPart::Lit(c.to_string()));
                }
            }
            last.extend([lit("/"), GlobPart::AnyChar, GlobPart::AnyRun]);
            direct_alts.push(principal_matches(vec![arn_glob([
                vec![lit("arn")],
                vec![lit(p)],
                vec![lit("sts")],
                star(),
                vec![lit(a)],
                last,
            ])]));
        }
    } else if svc == "iam" && res.starts_with("user/") && region.is_empty() {
        let name = res.get("user/".len()..).unwrap_or("");
        direct_alts.push(principal_matches(vec![arn_glob([
            vec![lit("arn")],
            vec![lit(p)],
            vec![lit("sts")],
            star(),
            vec![lit(a)],
            vec![lit("federated-user/"), lit(name)],
        ])]));
    }
    let direct = Formula::or(direct_alts);
    account_alts.push(direct.clone());
    (Formula::or(account_alts), direct)
}

fn encode_principal(policy: &Policy, clause: Option<&PrincipalClause>) -> (Formula, Formula) {
    let Some(clause) = clause else {
        let f = Formula::constant(!policy.policy_type.has_principal());
        return (f.clone(), f);
    };
    let mut any = Vec::new();
    let mut direct = Vec::new();
    for e in &clause.entries {
        let (a, d) = encode_principal_entry(e);
        any.push(a);
        direct.push(d);
    }
    if clause.negated {
        let (all_layers, identity_layers) = not_principal_named(&clause.entries);
        (Formula::not(all_layers), Formula::not(identity_layers))
    } else {
        (Formula::or(any), Formula::or(direct))
    }
}

/// The callers a `NotPrincipal` list names (`iamproof_eval::matching::not_principal_layers`,
/// docs/semantics.md, "NotPrincipal, layer by layer"): (named at every layer, named at every
/// layer below the account). The statement matches at any level iff the first is false, above
/// account level iff the second is false. Every caller but an account root has its own identity
/// among its layers, named by its exact ARN or (a federated-user session) by its user's ARN, so
/// apart from roots the callers named below the account are the entries' own values and the
/// sessions of the users they name: for each, the evaluator's rule is applied at encoding
/// time. A root is named when its account is (an account id, or a root ARN of its partition).
fn not_principal_named(entries: &[PrincipalEntry]) -> (Formula, Formula) {
    let mut all_layers = Vec::new();
    let mut identity_layers = Vec::new();
    // The callers to try: the entries' own values, and for each IAM user named,
    // the federated-user session that user names (`arn:P:sts::A:federated-user/N`, where `N` is
    // everything after `user/`, as the evaluator compares them).
    let mut candidates: Vec<PrincipalEntry> = entries.to_vec();
    for e in entries.iter().filter(|e| e.kind == PrincipalKind::Aws) {
        if let Some([p, "iam", _, a, res]) = principal_arn_fields(&e.value) {
            if let Some(name) = res.strip_prefix("user/") {
                candidates.push(PrincipalEntry {
                    value: format!("arn:{p}:sts::{a}:federated-user/{name}"),
                    ..e.clone()
                });
            }
        }
    }
    for e in &candidates {
        let value = e.value.as_str();
        let (principal, kind) = match e.kind {
            PrincipalKind::Everyone => return (Formula::tt(), Formula::tt()),
            PrincipalKind::Aws if value == "*" => return (Formula::tt(), Formula::tt()),
            PrincipalKind::Aws => (Principal::Arn(value.to_string()), CallerKind::Arn),
            PrincipalKind::Service => (Principal::Service(value.to_string()), CallerKind::Service),
            PrincipalKind::Federated => (
                Principal::Federated(value.to_string()),
                CallerKind::Federated,
            ),
            PrincipalKind::CanonicalUser => (
                Principal::CanonicalUser(value.to_string()),
                CallerKind::CanonicalUser,
            ),
        };
        if e.kind != PrincipalKind::Aws && value == "*" {
            // Every principal of the kind: one layer each, named by this entry.
            all_layers.push(caller(kind));
            identity_layers.push(caller(kind));
            continue;
        }
        let layers = iamproof_eval::matching::not_principal_layers(entries, &principal);
        let this = || {
            Formula::and2(
                caller(kind),
                Formula::matches(
                    Var::Principal,
                    PatternSet::new(MatchMode::Exact, vec![Glob::literal(value)]),
                ),
            )
        };
        if layers.identity {
            identity_layers.push(this());
            if layers.account {
                all_layers.push(this());
            }
        }
    }
    // Roots (`arn:*:iam:*:*:root`) of an account some entry names at account level.
    let star = || vec![GlobPart::AnyRun];
    let root = principal_matches(vec![arn_glob([
        vec![lit("arn")],
        star(),
        vec![lit("iam")],
        star(),
        star(),
        vec![lit("root")],
    ])]);
    let account_level: Vec<Formula> = entries
        .iter()
        .filter(|e| e.kind == PrincipalKind::Aws)
        .map(|e| {
            let (any_level, direct) = encode_principal_entry(e);
            Formula::and2(any_level, Formula::not(direct))
        })
        .collect();
    let named_root = Formula::and2(root, Formula::or(account_level));
    all_layers.push(named_root.clone());
    identity_layers.push(named_root);
    (Formula::or(all_layers), Formula::or(identity_layers))
}

// ---------------------------------------------------------------------------------------------
// Actions

/// The glob of a well-formed action pattern (`svc:name`, as `iamproof_eval::matching::
/// action_matches` accepts it, in [`MatchMode::Action`]), `None` if it can match nothing. `*`
/// is handled by the caller.
pub fn action_glob(text: &str) -> Option<Glob> {
    let (ps, pa) = text.split_once(':')?;
    if pa.contains(':') || ps.contains(['*', '?']) || pa.is_empty() || ps.is_empty() {
        return None;
    }
    let mut parts = vec![GlobPart::Lit(format!("{ps}:"))];
    parts.extend(Glob::parse_wildcards(pa).parts);
    Some(Glob::from_parts(parts))
}

fn encode_action(clause: &ActionClause) -> Formula {
    let any = if clause.patterns.iter().any(|p| p.text == "*") {
        Formula::tt()
    } else {
        let globs: Vec<Glob> = clause
            .patterns
            .iter()
            .filter_map(|p| action_glob(&p.text))
            .collect();
        Formula::matches(Var::Action, PatternSet::new(MatchMode::Action, globs))
    };
    if clause.negated {
        Formula::not(any)
    } else {
        any
    }
}

// ---------------------------------------------------------------------------------------------
// Templates (policy variables)

/// A template part after reading the policy's text: glob text, or a reference to a key.
#[derive(Debug, Clone)]
enum Piece {
    Glob(Glob),
    Ref(Key),
}

/// One way the variables of a set of templates resolve: a guard (which defaulted keys have a
/// single value) and, per template, its pieces.
struct Alternative {
    guard: Formula,
    templates: Vec<Vec<Piece>>,
}

/// `k` has a single value (present and not multivalued).
fn single(k: &Key) -> Formula {
    Formula::and2(
        Formula::atom(Atom::Present(k.clone())),
        Formula::not(Formula::atom(Atom::Multi(k.clone()))),
    )
}

/// Reads templates as `iamproof_eval::matching::resolve_template` does, with `glob` deciding
/// whether `*`/`?` in literal text are wildcards, and enumerates the resolutions of the keys
/// that have defaults. Errors if there are too many such keys.
fn alternatives(templates: &[&PolicyTemplate], glob: bool) -> Result<Vec<Alternative>, ()> {
    let text_glob = |s: &str| {
        if glob {
            Glob::parse_wildcards(s)
        } else {
            Glob::literal(s)
        }
    };
    let mut defaulted: BTreeSet<Key> = BTreeSet::new();
    for t in templates {
        for p in &t.parts {
            if let PolicyTemplatePart::Variable {
                key,
                default: Some(_),
            } = p
            {
                if !matches!(key.trim(), "*" | "?" | "$") {
                    defaulted.insert(Key::new(key.trim()));
                }
            }
        }
    }
    if defaulted.len() > MAX_DEFAULTED_VARIABLES {
        return Err(());
    }
    let defaulted: Vec<Key> = defaulted.into_iter().collect();
    let mut out = Vec::new();
    for mask in 0u32..(1u32 << defaulted.len()) {
        let resolved = |k: &Key| {
            defaulted
                .iter()
                .position(|d| d == k)
                .is_none_or(|i| mask & (1 << i) != 0)
        };
        let guard = Formula::and(defaulted.iter().enumerate().map(|(i, k)| {
            if mask & (1 << i) != 0 {
                single(k)
            } else {
                Formula::not(single(k))
            }
        }));
        let mut pieces_all = Vec::new();
        for t in templates {
            let mut pieces = Vec::new();
            for p in &t.parts {
                match p {
                    PolicyTemplatePart::Literal(s) => pieces.push(Piece::Glob(text_glob(s))),
                    PolicyTemplatePart::Escaped(s) => pieces.push(Piece::Glob(Glob::literal(s))),
                    PolicyTemplatePart::Variable { key, default } => {
                        let name = key.trim();
                        if matches!(name, "*" | "?" | "$") {
                            pieces.push(Piece::Glob(Glob::literal(name)));
                            continue;
                        }
                        let k = Key::new(name);
                        match default {
                            Some(d) if !resolved(&k) => pieces.push(Piece::Glob(Glob::literal(d))),
                            _ => pieces.push(Piece::Ref(k)),
                        }
                    }
                }
            }
            pieces_all.push(pieces);
        }
        out.push(Alternative {
            guard,
            templates: pieces_all,
        });
    }
    Ok(out)
}

/// The pieces as a plain glob if there is no reference.
fn plain_glob(pieces: &[Piece]) -> Option<Glob> {
    let mut parts = Vec::new();
    for p in pieces {
        match p {
            Piece::Glob(g) => parts.extend(g.parts.iter().cloned()),
            Piece::Ref(_) => return None,
        }
    }
    Some(Glob::from_parts(parts))
}

fn template_of(pieces: &[Piece], mode: MatchMode) -> Template {
    Template {
        mode,
        parts: pieces
            .iter()
            .map(|p| match p {
                Piece::Glob(g) => TemplatePart::Glob(g.clone()),
                Piece::Ref(k) => TemplatePart::Ref(Var::Key(k.clone())),
            })
            .collect(),
    }
}

/// Number of literal `:` in the glob pieces before the first reference.
fn colons_before_first_ref(pieces: &[Piece]) -> usize {
    let mut n = 0;
    for p in pieces {
        match p {
            Piece::Glob(g) => {
                for part in &g.parts {
                    if let GlobPart::Lit(s) = part {
                        n += s.matches(':').count();
                    }
                }
            }
            Piece::Ref(_) => break,
        }
    }
    n
}

// ---------------------------------------------------------------------------------------------
// Resources

fn short_arn_rule(t: PolicyType) -> ShortArn {
    match t {
        PolicyType::Identity => ShortArn::Pad,
        PolicyType::Resource => ShortArn::PadIfWildcard,
        PolicyType::ServiceControl => ShortArn::PadIfTrailingStar,
        PolicyType::ResourceControl => ShortArn::Never,
    }
}

/// `Resource` matching of one plain (variable-free) glob, as `resource_matches` does.
fn resource_glob(g: Glob, rule: ShortArn) -> Formula {
    if g.is_all_stars() {
        return Formula::tt();
    }
    let g = if g.arn_fields().len() == 6 {
        g
    } else if g.parts.is_empty() || !g.short_arn_expands(rule) {
        return Formula::ff();
    } else {
        g.pad_arn()
    };
    Formula::matches(Var::Resource, PatternSet::new(MatchMode::Arn, vec![g]))
}

fn encode_resource(policy: &Policy, clause: &ResourceClause) -> Result<Formula, ()> {
    let rule = short_arn_rule(policy.policy_type);
    let mut plain = Vec::new();
    let mut other = Vec::new();
    for p in &clause.patterns {
        if !policy.variables_enabled() {
            plain.push(Glob::parse_wildcards(&p.text));
            continue;
        }
        for alt in alternatives(&[&p.template], true)? {
            let Some(pieces) = alt.templates.first() else {
                continue;
            };
            match plain_glob(pieces) {
                Some(g) if alt.guard.is_true() => plain.push(g),
                Some(g) => other.push(Formula::and2(alt.guard, resource_glob(g, rule))),
                None => {
                    let mode = if colons_before_first_ref(pieces) >= 5 {
                        MatchMode::Arn
                    } else {
                        MatchMode::Resource(rule)
                    };
                    let t = Test::Template(Arc::new(template_of(pieces, mode)));
                    other.push(Formula::and2(alt.guard, Formula::test(Var::Resource, t)));
                }
            }
        }
    }
    // Plain six-field globs share one pattern set; the rest are constants or short ARNs.
    let mut six = Vec::new();
    for g in plain {
        if !g.is_all_stars() && g.arn_fields().len() == 6 {
            six.push(g);
        } else {
            other.push(resource_glob(g, rule));
        }
    }
    other.push(Formula::matches(
        Var::Resource,
        PatternSet::new(MatchMode::Arn, six),
    ));
    let any = Formula::or(other);
    Ok(if clause.negated {
        Formula::not(any)
    } else {
        any
    })
}

// ---------------------------------------------------------------------------------------------
// Conditions

fn value_mode(base: BaseOperator) -> Option<MatchMode> {
    use BaseOperator as B;
    Some(match base {
        B::StringEquals | B::StringNotEquals => MatchMode::Exact,
        B::StringEqualsIgnoreCase | B::StringNotEqualsIgnoreCase => MatchMode::ExactIgnoreCase,
        B::StringLike | B::StringNotLike => MatchMode::Glob,
        B::ArnEquals | B::ArnLike | B::ArnNotEquals | B::ArnNotLike => MatchMode::Arn,
        _ => return None,
    })
}

fn comparison(base: BaseOperator) -> Cmp {
    use BaseOperator as B;
    match base {
        B::NumericLessThan | B::DateLessThan => Cmp::Lt,
        B::NumericLessThanEquals | B::DateLessThanEquals => Cmp::Le,
        B::NumericGreaterThan | B::DateGreaterThan => Cmp::Gt,
        B::NumericGreaterThanEquals | B::DateGreaterThanEquals => Cmp::Ge,
        _ => Cmp::Eq,
    }
}

/// The tests of one value-set resolution: each policy value gives at most one test (`None`:
/// the value never hits).
fn typed_test(base: BaseOperator, text: &str) -> Option<Test> {
    match base.family() {
        OperatorFamily::Numeric => parse_number(text).map(|value| Test::Numeric {
            cmp: comparison(base),
            value,
        }),
        OperatorFamily::Date => parse_date(text).map(|value| Test::Date {
            cmp: comparison(base),
            value,
        }),
        OperatorFamily::Bool => parse_bool(text).map(|b| {
            Test::Match(Arc::new(PatternSet::new(
                MatchMode::ExactIgnoreCase,
                vec![Glob::literal(if b { "true" } else { "false" })],
            )))
        }),
        OperatorFamily::Binary => decode_base64(text).map(|b| Test::Binary(Arc::from(b))),
        OperatorFamily::Ip => parse_cidr(text).map(Test::Ip),
        _ => None,
    }
}

/// Per resolution alternative: (guard, tests hit by the policy values).
fn condition_tests(
    c: &Condition,
    variables_enabled: bool,
) -> Result<Vec<(Formula, Vec<Test>)>, ()> {
    let base = c.operator.base;
    let Some(mode) = value_mode(base) else {
        // Typed operators: no variables, one test per parseable value.
        let tests = c
            .values
            .iter()
            .filter_map(|v| typed_test(base, &v.text))
            .collect();
        return Ok(vec![(Formula::tt(), tests)]);
    };
    let glob = mode != MatchMode::Exact && mode != MatchMode::ExactIgnoreCase;
    let read = |s: &str| {
        if glob {
            Glob::parse_wildcards(s)
        } else {
            Glob::literal(s)
        }
    };
    if !variables_enabled {
        let globs = c.values.iter().map(|v| read(&v.text)).collect();
        return Ok(vec![(
            Formula::tt(),
            vec![Test::Match(Arc::new(PatternSet::new(mode, globs)))],
        )]);
    }
    let templates: Vec<&PolicyTemplate> = c.values.iter().map(|v| &v.template).collect();
    let mut out = Vec::new();
    for alt in alternatives(&templates, glob)? {
        let mut plain = Vec::new();
        let mut tests = Vec::new();
        for pieces in &alt.templates {
            match plain_glob(pieces) {
                Some(g) => plain.push(g),
                None => tests.push(Test::Template(Arc::new(template_of(pieces, mode)))),
            }
        }
        if !plain.is_empty() {
            tests.insert(0, Test::Match(Arc::new(PatternSet::new(mode, plain))));
        }
        out.push((alt.guard, tests));
    }
    Ok(out)
}

/// Encodes one condition entry, mirroring `iamproof_eval::conditions::condition_holds`.
fn encode_condition(c: &Condition, variables_enabled: bool) -> Result<Formula, ()> {
    let key = Key::new(&c.key);
    let var = Var::Key(key.clone());
    let base = c.operator.base;
    let qualifier = c.operator.qualifier;
    let if_exists = c.operator.if_exists;
    let present = Formula::atom(Atom::Present(key.clone()));
    let absent = Formula::not(present.clone());
    if base == BaseOperator::Null {
        return Ok(match qualifier {
            Some(SetQualifier::ForAllValues) => Formula::tt(),
            Some(SetQualifier::ForAnyValue) => Formula::ff(),
            None => {
                let is_null = Formula::atom(Atom::ForAll {
                    key: key.clone(),
                    pred: ElemPred {
                        negated: false,
                        any_of: Vec::new(),
                    },
                });
                let mut alts = Vec::new();
                if if_exists {
                    alts.push(absent);
                }
                for v in &c.values {
                    match parse_bool(&v.text) {
                        Some(true) => alts.push(is_null.clone()),
                        Some(false) => alts.push(Formula::not(is_null.clone())),
                        None => {}
                    }
                }
                Formula::or(alts)
            }
        });
    }
    if c.values.is_empty() {
        return Ok(
            if if_exists || qualifier == Some(SetQualifier::ForAllValues) {
                absent
            } else {
                Formula::ff()
            },
        );
    }
    let negated = base.is_negated();
    let alts = condition_tests(c, variables_enabled)?;
    Ok(match qualifier {
        None => {
            let mut hit_alts = Vec::new();
            for (guard, tests) in alts {
                let any = Formula::or(tests.into_iter().map(|t| Formula::test(var.clone(), t)));
                hit_alts.push(Formula::and2(guard, any));
            }
            let hits = Formula::or(hit_alts);
            let single_case = if negated {
                Formula::and2(single(&key), Formula::not(hits))
            } else {
                hits
            };
            let absent_case = if if_exists || negated {
                absent
            } else {
                Formula::ff()
            };
            Formula::or2(absent_case, single_case)
        }
        Some(q) => {
            let mut quantified = Vec::new();
            for (guard, tests) in alts {
                let pred = ElemPred {
                    negated,
                    any_of: tests,
                };
                let atom = if q == SetQualifier::ForAllValues {
                    quantified_atom(true, &key, pred)
                } else {
                    quantified_atom(false, &key, pred)
                };
                quantified.push(Formula::and2(guard, atom));
            }
            let q_part = Formula::or(quantified);
            if q == SetQualifier::ForAnyValue && if_exists {
                Formula::or2(absent, q_part)
            } else {
                q_part
            }
        }
    })
}

/// A quantified atom, folding the constant predicates (`¬false` under ∀ is true, `false` under
/// ∃ is false).
fn quantified_atom(for_all: bool, key: &Key, pred: ElemPred) -> Formula {
    if pred.any_of.is_empty() {
        // pred(e) is the constant `negated`.
        return match (for_all, pred.negated) {
            (true, true) => Formula::tt(),
            (false, false) => Formula::ff(),
            (true, false) => Formula::atom(Atom::ForAll {
                key: key.clone(),
                pred,
            }),
            (false, true) => Formula::atom(Atom::ForAny {
                key: key.clone(),
                pred,
            }),
        };
    }
    Formula::atom(if for_all {
        Atom::ForAll {
            key: key.clone(),
            pred,
        }
    } else {
        Atom::ForAny {
            key: key.clone(),
            pred,
        }
    })
}
