//! The `Formula`: a Boolean combination of atoms over the variables of one request.
//!
//! What the variables, atoms and tests mean is documented on [`Formula`].

use crate::pattern::{PatternSet, Template};
use crate::value::{Cidr, Cmp, Decimal};
use iamproof_eval::{Principal, Request};
use std::collections::hash_map::DefaultHasher;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// A condition key name, ASCII-lowercased (key names are case-insensitive).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key(Arc<str>);

impl Key {
    /// Makes a key from a name as written (lowercases it).
    pub fn new(name: &str) -> Self {
        Key(Arc::from(name.to_ascii_lowercase().as_str()))
    }

    /// The lowercased name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A variable of a request (see [`Formula`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Var {
    /// The action, e.g. `s3:GetObject`.
    Action,
    /// The resource ARN or `*`.
    Resource,
    /// The principal's identifying string (no value for anonymous callers).
    Principal,
    /// A condition key of the request context.
    Key(Key),
}

impl Var {
    /// A condition-key variable.
    pub fn key(name: &str) -> Self {
        Var::Key(Key::new(name))
    }
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Var::Action => f.write_str("Action"),
            Var::Resource => f.write_str("Resource"),
            Var::Principal => f.write_str("Principal"),
            Var::Key(k) => write!(f, "{k}"),
        }
    }
}

/// The kind of the caller (the variant of `iamproof_eval::Principal`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CallerKind {
    /// Unsigned request.
    Anonymous,
    /// An IAM or STS principal, identified by ARN.
    Arn,
    /// An AWS service principal.
    Service,
    /// A web-identity or SAML federated caller.
    Federated,
    /// An S3 canonical user.
    CanonicalUser,
}

impl CallerKind {
    /// Every kind.
    pub const ALL: [CallerKind; 5] = [
        CallerKind::Anonymous,
        CallerKind::Arn,
        CallerKind::Service,
        CallerKind::Federated,
        CallerKind::CanonicalUser,
    ];

    /// The kind and identifying string of a request principal.
    pub fn of(p: &Principal) -> (CallerKind, Option<&str>) {
        match p {
            Principal::Anonymous => (CallerKind::Anonymous, None),
            Principal::Arn(s) => (CallerKind::Arn, Some(s)),
            Principal::Service(s) => (CallerKind::Service, Some(s)),
            Principal::Federated(s) => (CallerKind::Federated, Some(s)),
            Principal::CanonicalUser(s) => (CallerKind::CanonicalUser, Some(s)),
        }
    }

    /// Builds a request principal of this kind (the id is ignored for `Anonymous`).
    pub fn principal(self, id: &str) -> Principal {
        match self {
            CallerKind::Anonymous => Principal::Anonymous,
            CallerKind::Arn => Principal::Arn(id.to_string()),
            CallerKind::Service => Principal::Service(id.to_string()),
            CallerKind::Federated => Principal::Federated(id.to_string()),
            CallerKind::CanonicalUser => Principal::CanonicalUser(id.to_string()),
        }
    }

    /// The name (`Anonymous`, `Arn`, …).
    pub fn name(self) -> &'static str {
        match self {
            CallerKind::Anonymous => "Anonymous",
            CallerKind::Arn => "Arn",
            CallerKind::Service => "Service",
            CallerKind::Federated => "Federated",
            CallerKind::CanonicalUser => "CanonicalUser",
        }
    }
}

/// A test of one string value (see [`Formula`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Test {
    /// The value matches some pattern of the set.
    Match(Arc<PatternSet>),
    /// The value matches the template after substituting the referenced variables' values.
    Template(Arc<Template>),
    /// The value is a number and `value ⊙ constant`.
    Numeric {
        /// The comparison, request value on the left.
        cmp: Cmp,
        /// The policy constant.
        value: Decimal,
    },
    /// The value is a date and `value ⊙ constant` (as instants, epoch seconds).
    Date {
        /// The comparison, request value on the left.
        cmp: Cmp,
        /// The policy constant in epoch seconds.
        value: Decimal,
    },
    /// The value is an IP address of the range's family inside the range.
    Ip(Cidr),
    /// The value decodes (base64) to exactly these bytes.
    Binary(Arc<[u8]>),
}

/// An element predicate of a quantified atom: `negated XOR (some test holds)`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ElemPred {
    /// Whether the disjunction is negated (negated operators: no policy value hits).
    pub negated: bool,
    /// The tests, ORed. Empty means false (so `negated` alone decides).
    pub any_of: Vec<Test>,
}

/// An atomic proposition about a request (see [`Formula`]).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Atom {
    /// The caller is of this kind.
    Caller(CallerKind),
    /// The key is present in the request context.
    Present(Key),
    /// The key is present with a set value.
    Multi(Key),
    /// The variable has a single value satisfying the test.
    Test {
        /// The variable tested.
        var: Var,
        /// The test.
        test: Test,
    },
    /// Every element of the key's value set satisfies the predicate (true when absent).
    ForAll {
        /// The key.
        key: Key,
        /// The element predicate.
        pred: ElemPred,
    },
    /// Some element of the key's value set satisfies the predicate (false when absent).
    ForAny {
        /// The key.
        key: Key,
        /// The element predicate.
        pred: ElemPred,
    },
}

/// The shape of a formula node.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Node {
    /// Always true.
    True,
    /// Always false.
    False,
    /// An atom.
    Atom(Atom),
    /// Negation.
    Not(Formula),
    /// Conjunction of at least two formulas.
    And(Vec<Formula>),
    /// Disjunction of at least two formulas.
    Or(Vec<Formula>),
}

#[derive(Debug)]
struct Inner {
    node: Node,
    hash: u64,
}

/// A Boolean combination of atoms over the variables of one request. Cheap to clone.
///
/// # Variables ([`Var`])
/// A request is described by:
/// * [`Var::Action`]: the action string (`s3:GetObject`), always present, single-valued.
/// * [`Var::Resource`]: the resource string (an ARN, or `*` for actions without a resource),
///   always present, single-valued.
/// * the principal, as two variables: its kind, a finite domain ([`CallerKind`]: `Anonymous`,
///   `Arn`, `Service`, `Federated`, `CanonicalUser`), tested by [`Atom::Caller`]; and
///   [`Var::Principal`], its identifying string (the IAM/STS ARN, the service name, the identity
///   provider, the canonical id). An anonymous caller has **no** `Principal` value: every
///   [`Atom::Test`] on `Var::Principal` is false for it.
/// * one variable per condition key, [`Var::Key`] with the key name ASCII-lowercased. Its state in
///   the (effective) request context is one of: *absent*, *single* (one string), *multi* (a set of
///   strings, possibly empty). Keys AWS derives from the principal (`aws:principalaccount`,
///   `aws:principalarn`, …) are ordinary key variables here; their link to the principal is stated
///   by the formula [`crate::request_axioms`], which checks conjoin.
///
/// # Atoms ([`Atom`])
/// * `Caller(kind)`: the principal is of that kind.
/// * `Present(k)`: key `k` is in the request context (single or multi).
/// * `Multi(k)`: key `k` is present with a set value (`ContextValue::Multi`).
/// * `Test { var, test }`: `var` has a **single** value `v` and `test(v)` holds. False when `var`
///   is an absent or multi-valued key, or `Var::Principal` of an anonymous caller.
/// * `ForAll { key, pred }` / `ForAny { key, pred }`: quantifiers over the elements of key `k`
///   (a single non-empty value `s` counts as the set `{s}`; the single value `""` and an absent
///   key count as `∅`, as the evaluator's qualifiers do): `∀e. pred(e)` (true when absent or
///   empty) / `∃e. pred(e)` (false when absent or empty). `pred(e)` = `negated XOR (some test of
///   any_of holds on e)`. `ForAll { k, pred: ElemPred { negated: false, any_of: [] } }` is
///   therefore exactly the `Null` test "k is absent, `""`, or an empty set".
///
/// # Tests ([`Test`]) on one string value `v`
/// * `Match(set)`: `v` matches a pattern of the [`PatternSet`] (one
///   [`MatchMode`](crate::MatchMode) for all: `Exact`, `ExactIgnoreCase`, `Glob` (`StringLike`),
///   `Arn` (field-wise, `ArnLike` and resources), `Action` (IAM action matching); see
///   [`MatchMode`](crate::MatchMode) for the exact rules). This is the common fragment,
///   decidable with automata; the action list of a managed policy is one
///   set. `MatchMode::Resource(_)` occurs only inside templates.
/// * `Template(t)`: `v` matches a pattern some of whose parts are the values of other variables
///   (policy variables, `${aws:username}`); false unless each referenced variable has a single
///   value; the substituted values are literal text (their `*`/`?` are not wildcards), and in
///   ARN modes a `:` inside a substituted value does separate fields (as in the evaluator).
/// * `Numeric{cmp, value}`: `v` parses as a number ([`crate::semantics::parse_number`]) and
///   `v ⊙ value`. `Date{cmp, value}`: `v` parses as a date ([`crate::semantics::parse_date`],
///   epoch seconds, exact) and `v ⊙ value`. `Ip(cidr)`: `v` parses as an IP address of the same
///   family inside the range ([`crate::semantics::parse_ip`]). `Binary(bytes)`: `v` decodes
///   (strict standard base64) to exactly these bytes. A value that does not parse fails the test.
///
/// `Bool` conditions are `Match` tests in `ExactIgnoreCase` mode against `true`/`false`.
///
/// Formulas are immutable, `Arc`-shared trees with a cached structural hash: cloning is O(1), equal
/// subformulas may be shared, and `Formula` is a cheap `HashMap` key. The smart constructors
/// ([`Formula::and`], [`Formula::or`], [`Formula::not`]) fold constants and flatten nesting.
#[derive(Clone)]
pub struct Formula(Arc<Inner>);

impl PartialEq for Formula {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
            || (self.0.hash == other.0.hash && self.0.node == other.0.node)
    }
}

impl Eq for Formula {}

impl Hash for Formula {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

impl fmt::Debug for Formula {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.node.fmt(f)
    }
}

impl fmt::Display for Formula {
    /// Zelkova's notation (see [`crate::zelkova::to_zelkova`]).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&crate::zelkova::to_zelkova(self))
    }
}

impl Formula {
    fn mk(node: Node) -> Self {
        let mut h = DefaultHasher::new();
        node.hash(&mut h);
        Formula(Arc::new(Inner {
            hash: h.finish(),
            node,
        }))
    }

    /// The node.
    pub fn node(&self) -> &Node {
        &self.0.node
    }

    /// The constant true.
    pub fn tt() -> Self {
        Formula::mk(Node::True)
    }

    /// The constant false.
    pub fn ff() -> Self {
        Formula::mk(Node::False)
    }

    /// A constant.
    pub fn constant(b: bool) -> Self {
        if b {
            Formula::tt()
        } else {
            Formula::ff()
        }
    }

    /// An atom.
    pub fn atom(a: Atom) -> Self {
        Formula::mk(Node::Atom(a))
    }

    /// `var` has a single value satisfying `test`.
    pub fn test(var: Var, test: Test) -> Self {
        Formula::atom(Atom::Test { var, test })
    }

    /// `var` has a single value matching some pattern of `set` (false for an empty set).
    pub fn matches(var: Var, set: PatternSet) -> Self {
        if set.is_empty() {
            return Formula::ff();
        }
        Formula::test(var, Test::Match(Arc::new(set)))
    }

    /// Whether this is the constant true.
    pub fn is_true(&self) -> bool {
        matches!(self.0.node, Node::True)
    }

    /// Whether this is the constant false.
    pub fn is_false(&self) -> bool {
        matches!(self.0.node, Node::False)
    }

    /// Negation (folds constants and double negation).
    #[allow(clippy::should_implement_trait)]
    pub fn not(f: Formula) -> Self {
        match &f.0.node {
            Node::True => Formula::ff(),
            Node::False => Formula::tt(),
            Node::Not(g) => g.clone(),
            _ => Formula::mk(Node::Not(f)),
        }
    }

    /// Conjunction (flattens, drops `true`, is `false` if any conjunct is, removes duplicates).
    pub fn and<I: IntoIterator<Item = Formula>>(items: I) -> Self {
        Formula::junction(items, true)
    }

    /// Disjunction (flattens, drops `false`, is `true` if any disjunct is, removes duplicates).
    pub fn or<I: IntoIterator<Item = Formula>>(items: I) -> Self {
        Formula::junction(items, false)
    }

    /// `and` (`conj`) or `or`: flattens nested nodes of the same kind, drops the unit, returns the
    /// absorbing constant as soon as it appears, and removes duplicates (keeping first order).
    fn junction<I: IntoIterator<Item = Formula>>(items: I, conj: bool) -> Self {
        let unit = || Formula::constant(conj);
        let mut out: Vec<Formula> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for f in items {
            let nested = match &f.0.node {
                Node::True if conj => continue,
                Node::False if !conj => continue,
                Node::True | Node::False => return Formula::constant(!conj),
                Node::And(gs) if conj => Some(gs),
                Node::Or(gs) if !conj => Some(gs),
                _ => None,
            };
            match nested {
                Some(gs) => {
                    for g in gs {
                        if seen.insert(g.clone()) {
                            out.push(g.clone());
                        }
                    }
                }
                None => {
                    if seen.insert(f.clone()) {
                        out.push(f);
                    }
                }
            }
        }
        match out.len() {
            0 => unit(),
            1 => out.pop().unwrap_or_else(unit),
            _ if conj => Formula::mk(Node::And(out)),
            _ => Formula::mk(Node::Or(out)),
        }
    }

    /// `a ∧ b`.
    pub fn and2(a: Formula, b: Formula) -> Self {
        Formula::and([a, b])
    }

    /// `a ∨ b`.
    pub fn or2(a: Formula, b: Formula) -> Self {
        Formula::or([a, b])
    }

    /// `a → b`.
    pub fn implies(a: Formula, b: Formula) -> Self {
        Formula::or([Formula::not(a), b])
    }

    /// The truth value of the formula for a concrete request (the concrete semantics every solver
    /// answer and every encoding is checked against). Condition keys are read from the effective
    /// request context ([`crate::semantics::effective_context`]).
    pub fn eval(&self, request: &Request) -> bool {
        let env = crate::semantics::Env::new(request);
        self.eval_env(&env)
    }

    /// Evaluates under a prepared environment (see [`crate::semantics::Env`]).
    pub fn eval_env(&self, env: &crate::semantics::Env) -> bool {
        match &self.0.node {
            Node::True => true,
            Node::False => false,
            Node::Atom(a) => env.atom(a),
            Node::Not(f) => !f.eval_env(env),
            Node::And(fs) => fs.iter().all(|f| f.eval_env(env)),
            Node::Or(fs) => fs.iter().any(|f| f.eval_env(env)),
        }
    }

    /// Visits every distinct subformula once (shared subformulas once), children before parents.
    pub fn visit(&self, visit: &mut dyn FnMut(&Formula)) {
        let mut seen = std::collections::HashSet::new();
        let mut stack = vec![(self.clone(), false)];
        while let Some((f, expanded)) = stack.pop() {
            if expanded {
                visit(&f);
                continue;
            }
            if !seen.insert(Arc::as_ptr(&f.0) as usize) {
                continue;
            }
            stack.push((f.clone(), true));
            match &f.0.node {
                Node::Not(g) => stack.push((g.clone(), false)),
                Node::And(gs) | Node::Or(gs) => {
                    for g in gs.iter().rev() {
                        stack.push((g.clone(), false));
                    }
                }
                _ => {}
            }
        }
    }

    /// Every distinct atom of the formula.
    pub fn atoms(&self) -> Vec<Atom> {
        let mut out = Vec::new();
        let mut seen = std::collections::HashSet::new();
        self.visit(&mut |f| {
            if let Node::Atom(a) = f.node() {
                if seen.insert(a.clone()) {
                    out.push(a.clone());
                }
            }
        });
        out
    }

    /// Every variable the formula mentions (including template references), sorted.
    pub fn vars(&self) -> Vec<Var> {
        // straight from the visit (which sees each shared node once): hashing every atom to
        // deduplicate them first cost more than collecting their variables
        let mut set = std::collections::BTreeSet::new();
        self.visit(&mut |f| {
            if let Node::Atom(a) = f.node() {
                a.collect_vars(&mut set);
            }
        });
        set.into_iter().collect()
    }

    /// Number of distinct nodes (a size measure that counts shared subformulas once).
    pub fn size(&self) -> usize {
        let mut n = 0;
        self.visit(&mut |_| n += 1);
        n
    }
}

impl Test {
    fn collect_vars(&self, set: &mut std::collections::BTreeSet<Var>) {
        if let Test::Template(t) = self {
            for v in t.refs() {
                set.insert(v.clone());
            }
        }
    }
}

impl Atom {
    /// Adds the variables the atom mentions to `set` (`Caller` counts as `Var::Principal`).
    pub fn collect_vars(&self, set: &mut std::collections::BTreeSet<Var>) {
        match self {
            Atom::Caller(_) => {
                set.insert(Var::Principal);
            }
            Atom::Present(k) | Atom::Multi(k) => {
                set.insert(Var::Key(k.clone()));
            }
            Atom::Test { var, test } => {
                set.insert(var.clone());
                test.collect_vars(set);
            }
            Atom::ForAll { key, pred } | Atom::ForAny { key, pred } => {
                set.insert(Var::Key(key.clone()));
                for t in &pred.any_of {
                    t.collect_vars(set);
                }
            }
        }
    }
}
