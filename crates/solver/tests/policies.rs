//! The native engine on formulas encoded from real policies (`iamproof_logic::encode_policy`):
//! every `Sat` model is a request the reference evaluator decides the same way.

use iamproof_logic::{encode_policy, request_axioms, Formula};
use iamproof_policy::{parse_policy, PolicyType};
use iamproof_solver::{solve, Outcome, SolveOptions};

const TYPED: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:Get*","Resource":"arn:aws:s3:::b/${aws:username}/*","Condition":{"NumericLessThan":{"s3:max-keys":"10"},"IpAddress":{"aws:SourceIp":"203.0.113.0/24"},"DateLessThan":{"aws:CurrentTime":"2020-01-01T00:00:00Z"},"ForAnyValue:StringLike":{"aws:TagKeys":"team*"},"ForAllValues:StringEquals":{"aws:TagKeys":["team-a","team-b"]},"Bool":{"aws:SecureTransport":"true"}}}]}"#;

const NARROW: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:GetObject","s3:List*"],"Resource":"arn:aws:s3:::b/*"},{"Effect":"Deny","Action":"s3:*","Resource":"*","Condition":{"NotIpAddress":{"aws:SourceIp":"10.0.0.0/8"}}}]}"#;

const WIDE: &str = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["s3:Get*","s3:List*"],"Resource":"arn:aws:s3:::*"}]}"#;

fn allows(text: &str) -> Formula {
    let p = parse_policy(text, PolicyType::Identity).expect("policy parses");
    encode_policy(&p).expect("policy encodes").allows()
}

fn with_axioms(f: Formula) -> Formula {
    let ax = request_axioms(&f.vars());
    Formula::and2(f, ax)
}

#[test]
fn typed_conditions_give_models_the_evaluator_allows() {
    let p = parse_policy(TYPED, PolicyType::Identity).expect("policy parses");
    let a = encode_policy(&p).expect("encodes").allows();
    let f = with_axioms(a.clone());
    match solve(&f, &SolveOptions::default()) {
        Outcome::Sat(m) => {
            let r = m.to_request();
            assert!(f.eval(&r));
            assert!(iamproof_eval::evaluate_policy(&p, &r).allows(), "{r:?}");
        }
        other => panic!("expected sat, got {other:?}"),
    }
    let contradiction = Formula::and2(a.clone(), Formula::not(a));
    assert_eq!(
        solve(&contradiction, &SolveOptions::default()),
        Outcome::Unsat
    );
}

#[test]
fn policy_comparison() {
    let narrow = allows(NARROW);
    let wide = allows(WIDE);
    // narrow ⊆ wide
    let f = with_axioms(Formula::and2(narrow.clone(), Formula::not(wide.clone())));
    assert_eq!(solve(&f, &SolveOptions::default()), Outcome::Unsat);
    // wide ⊄ narrow: a witness
    let f = with_axioms(Formula::and2(wide, Formula::not(narrow)));
    match solve(&f, &SolveOptions::default()) {
        Outcome::Sat(m) => assert!(f.eval(&m.to_request())),
        other => panic!("expected sat, got {other:?}"),
    }
}
