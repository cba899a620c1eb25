//! `isPublic` of external-access findings: whether a finding's coverage meets the public
//! zone's outsiders.

use super::{ask, with_axioms, Finding};
use crate::clock::Clock;
use crate::engine::{Engine, SolveAnswer};
use crate::query::Query;
use crate::realistic::{keys_of, realistic_request, single_valued_keys};
use crate::resource_type::ResourceType;
use crate::zone::Zone;
use iamproof_logic::Formula;

/// Settles `isPublic` of each finding: its coverage (without `X`) meets the public zone's
/// outsiders.
pub(crate) fn ask_public(
    q: &Query<'_>,
    rt: ResourceType,
    engine: &dyn Engine,
    clock: &Clock,
    findings: &mut [Finding],
    questions: &mut usize,
) {
    let zone = Zone::public(q.policy, rt);
    let keys = keys_of(&Formula::or2(
        q.encoded.allow.clone(),
        q.encoded.deny.clone(),
    ));
    let outsider = zone.outsider(&keys);
    let realistic = Formula::and2(
        realistic_request(&[q.policy]),
        single_valued_keys(&Formula::and2(
            Formula::or2(q.encoded.allow.clone(), q.encoded.deny.clone()),
            outsider.clone(),
        )),
    );
    let (base, _) = with_axioms(&[q.encoded.allows(), outsider, realistic]);
    let mut session = engine.session(&base);
    for f in findings {
        if base.eval(&f.example_request) {
            f.is_public = Some(true);
            continue;
        }
        let share = clock.share(8);
        f.is_public = match ask(session.as_mut(), &share, &f.coverage, questions) {
            SolveAnswer::Unsat => Some(false),
            // Only a witness that is one (by evaluation) is believed.
            SolveAnswer::Sat(w) if base.eval(&w) && f.coverage.eval(&w) => Some(true),
            _ => None,
        };
    }
}
