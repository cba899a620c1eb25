//! Readable examples: a witness simplified to the context keys its verdicts need, a readable
//! principal where the verdicts allow one, and actions spelt as the documents spell them; every
//! simplified example is replayed again.

use crate::query::Query;
use crate::realistic::{strip_derived_keys, MAX_VALUES_TRIED};
use iamproof_eval::{Principal, Request};
use iamproof_logic::Formula;
use iamproof_policy::Policy;

/// The account of the readable principal shown in examples for identity policies
/// (`arn:aws:iam::111122223333:user/example`) when the check has no account of its own.
pub const EXAMPLE_ACCOUNT: &str = "111122223333";

/// The literal (wildcard-free) action names the policies and access spec write.
pub(crate) fn action_spellings(policies: &[&Policy], extra: &[String]) -> Vec<String> {
    let mut out: Vec<String> = extra
        .iter()
        .filter(|a| !a.contains(['*', '?']))
        .cloned()
        .collect();
    for p in policies {
        for st in &p.statements {
            for a in &st.action.patterns {
                if !a.text.contains(['*', '?']) {
                    out.push(a.text.clone());
                }
            }
        }
    }
    out
}

impl Query<'_> {
    /// The witness with its action written as the documents write it (actions compare ignoring
    /// case, solvers answer in lowercase), if that still replays; otherwise unchanged.
    pub(crate) fn simplify_example(&self, w: Request, stmt: Option<usize>) -> Request {
        let Some(spelling) = self
            .spellings
            .iter()
            .find(|a| a.eq_ignore_ascii_case(&w.action) && **a != w.action)
        else {
            return w;
        };
        let mut nice = w.clone();
        nice.action = spelling.clone();
        if iamproof_eval::check_action(&nice.action).is_ok() && self.verify(&nice, stmt).is_ok() {
            nice
        } else {
            w
        }
    }

    /// Every example made more readable ([`Query::simplify`]); equal witnesses are simplified
    /// once.
    pub(crate) fn simplify_all(
        &self,
        witness: Vec<Option<Request>>,
        axioms: &Formula,
        realistic: &Formula,
    ) -> Vec<Option<Request>> {
        let mut done: Vec<(Request, Request)> = Vec::new();
        witness
            .into_iter()
            .map(|slot| {
                let w = slot?;
                if let Some((_, nice)) = done.iter().find(|(raw, _)| *raw == w) {
                    return Some(nice.clone());
                }
                let nice = self.simplify(w.clone(), axioms, realistic);
                done.push((w, nice.clone()));
                Some(nice)
            })
            .collect()
    }

    /// A more readable example with the same verdicts: for identity policies, a user ARN instead
    /// of the solver's principal (see [`EXAMPLE_ACCOUNT`]); then, one pass over the context
    /// keys, each key dropped (or a multi-valued key cut to one of its values) when that keeps
    /// the request allowed through the same statements, the property `X` (the existing policy's
    /// verdict for no-new-access), and the request realistic. Otherwise the witness unchanged.
    pub(crate) fn simplify(&self, w: Request, axioms: &Formula, realistic: &Formula) -> Request {
        use iamproof_eval::ContextValue;
        let Ok(mut target) = self.verify(&w, None) else {
            return w;
        };
        target.sort_unstable();
        target.dedup();
        let same = |c: &Request| {
            c.check_concrete().is_ok()
                && realistic.eval(c)
                && axioms.eval(c)
                && self.verify(c, None).is_ok_and(|mut a| {
                    a.sort_unstable();
                    a.dedup();
                    a == target
                })
        };
        let mut best = w;
        if self.policy.policy_type == iamproof_policy::PolicyType::Identity {
            if let Some(c) = self
                .readable_principals(&best)
                .into_iter()
                .find(|c| same(c))
            {
                best = c;
            }
        }
        // Requests that read like real ones, each kept only if the verdicts stay the same:
        // public access shown by an anonymous caller where one is allowed (identity policies
        // got a user above; other checks keep the account the engine named, as
        // `Principal = 111122223333` in the article's cross-account example).
        if self.kind == crate::result::CheckKind::NoPublicAccess {
            let c = anonymous(&best);
            if same(&c) {
                best = c;
            }
        }
        if let Some(c) = named_resource(&best) {
            if same(&c) {
                best = c;
            }
        }
        best = self.spell_keys(best);
        for (k, v) in typical_values(&best) {
            // each key's rewrite on top of those already kept
            let mut c = best.clone();
            c.context
                .insert(&k, iamproof_eval::ContextValue::Single(v.to_string()));
            if same(&c) {
                best = c;
            }
        }
        let keys: Vec<String> = best.context.iter().map(|(k, _)| k.to_string()).collect();
        for k in keys {
            let mut c = best.clone();
            let Some(value) = c.context.remove(&k) else {
                continue;
            };
            if same(&c) {
                best = c;
                continue;
            }
            if let ContextValue::Multi(values) = value {
                if values.len() > 1 {
                    for v in values.iter().take(MAX_VALUES_TRIED) {
                        c.context.insert(&k, ContextValue::Multi(vec![v.clone()]));
                        if same(&c) {
                            best = c;
                            break;
                        }
                    }
                }
            }
        }
        best
    }

    /// The request with its context keys spelt as the policy spells them (`kms:ViaService`, not
    /// the engine's `kms:viaservice`): key names compare ignoring case, so nothing else changes.
    fn spell_keys(&self, mut w: Request) -> Request {
        let keys: Vec<(String, iamproof_eval::ContextValue)> = w
            .context
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect();
        for (k, v) in keys {
            let spelt = self
                .policy
                .statements
                .iter()
                .flat_map(|st| st.conditions.iter())
                .find(|c| c.key.eq_ignore_ascii_case(&k) && c.key != k);
            if let Some(c) = spelt {
                w.context.insert(&c.key, v);
            }
        }
        w
    }

    /// `arn:<partition>:iam::<account>:user/example` in place of the witness's IAM/STS
    /// principal, with the check's example account or [`EXAMPLE_ACCOUNT`]: as is, and with the
    /// keys derived from the principal dropped (so they are derived from the new one).
    pub(crate) fn readable_principals(&self, w: &Request) -> Vec<Request> {
        let Principal::Arn(arn) = &w.principal else {
            return Vec::new();
        };
        let partition = match arn.split(':').collect::<Vec<_>>()[..] {
            ["arn", p, "iam" | "sts", ..] if !p.is_empty() => p,
            _ => return Vec::new(),
        };
        let account = self.example_account.as_deref().unwrap_or(EXAMPLE_ACCOUNT);
        let nice = format!("arn:{partition}:iam::{account}:user/example");
        if *arn == nice {
            return Vec::new();
        }
        let mut plain = w.clone();
        plain.principal = Principal::Arn(nice);
        let mut derived = plain.clone();
        strip_derived_keys(&mut derived);
        if derived == plain {
            vec![plain]
        } else {
            vec![plain, derived]
        }
    }
}

/// The request made by an anonymous caller (keys derived from the principal dropped).
fn anonymous(w: &Request) -> Request {
    let mut r = w.clone();
    r.principal = Principal::Anonymous;
    strip_derived_keys(&mut r);
    r
}

/// The request with an empty resource name filled in (`repository/` → `repository/example`,
/// `bucket/` → `bucket/example`), when the engine's shortest witness left it empty.
fn named_resource(w: &Request) -> Option<Request> {
    let named = |s: &str| s.ends_with('/').then(|| format!("{s}example"));
    let resource = named(&w.resource)?;
    let mut r = w.clone();
    r.resource = resource;
    Some(r)
}

/// A public address from a documentation range (RFC 5737), shown where the engine chose an
/// address the conditions do not need.
const EXAMPLE_IP: &str = "203.0.113.10";

/// Context keys of the request with a typical value of their type to try instead of the
/// engine's (the catalogue of global keys gives the type): a date, a number, `true`, a public IP
/// address, an ARN. The engine's shortest values (`""`, `0`, `10.0.0.0`, epoch seconds) read like
/// mistakes.
fn typical_values(w: &Request) -> Vec<(String, &'static str)> {
    use iamproof_eval::ContextValue;
    use iamproof_policy::{ConditionKeyCatalog, GlobalKeys, KeyType};
    w.context
        .iter()
        .filter_map(|(k, v)| {
            let ContextValue::Single(current) = v else {
                return None;
            };
            let typical = match GlobalKeys.lookup(k)?.value_type {
                KeyType::Date => "2026-01-15T12:00:00Z",
                KeyType::Numeric => "3600",
                KeyType::Bool => "true",
                KeyType::Ip => EXAMPLE_IP,
                KeyType::Arn => "arn:aws:iam::111122223333:role/example",
                KeyType::String | KeyType::Binary => return None,
            };
            (current != typical).then(|| (k.to_string(), typical))
        })
        .collect()
}
