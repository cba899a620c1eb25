//! Readable examples: a witness simplified to the context keys its verdicts need, a readable
//! principal where the verdicts allow one, and actions spelt as the documents spell them; every
//! simplified example is replayed again.

use crate::query::Query;
use crate::realistic::{DERIVED_KEYS, MAX_VALUES_TRIED};
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
        for k in DERIVED_KEYS {
            derived.context.remove(k);
        }
        if derived == plain {
            vec![plain]
        } else {
            vec![plain, derived]
        }
    }
}
