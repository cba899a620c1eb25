//! Conditions on the keys AWS derives from the principal, decided by the native engine alone
//! (docs/semantics.md, "Global condition keys"): `Principal: <account>` beside `StringNotEquals
//! aws:PrincipalAccount <account>` grants nothing; with another account it does.

use iamproof_checks::{check_access_not_granted, AccessSpec, Backend, CheckOptions, Verdict};
use iamproof_policy::{parse_policy, PolicyType};

fn not_granted(condition: &str, action: &str) -> iamproof_checks::CheckResult {
    let text = format!(
        r#"{{"Version":"2012-10-17","Statement":[{{"Effect":"Allow",
        "Principal":{{"AWS":"arn:aws:iam::111122223333:root"}},"Action":"s3:*t",
        "Resource":"arn:aws:s3:::BKT/*","Condition":{condition}}}]}}"#
    );
    let policy = parse_policy(&text, PolicyType::Resource).expect("policy parses");
    let access =
        AccessSpec::from_json(&format!(r#"[{{"actions":["{action}"]}}]"#)).expect("access parses");
    check_access_not_granted(
        &policy,
        &access,
        &CheckOptions::with_backend(Backend::Native),
    )
}

/// The example of the findings issue: the account principal's callers all have account
/// 111122223333, which the condition excludes, so `s3:PutObject` is not granted.
#[test]
fn own_account_excluded_by_principal_account_grants_nothing() {
    for condition in [
        r#"{"StringNotEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
        r#"{"StringNotLike":{"aws:PrincipalAccount":"1111*"}}"#,
        r#"{"StringEquals":{"aws:PrincipalAccount":"444455556666"}}"#,
        r#"{"Null":{"aws:PrincipalAccount":"true"}}"#,
        r#"{"ForAnyValue:StringEquals":{"aws:PrincipalAccount":"444455556666"}}"#,
    ] {
        let r = not_granted(condition, "s3:PutObject");
        assert_eq!(
            r.result,
            Verdict::Pass,
            "{condition}: {:?}",
            r.unknown_reason
        );
    }
}

/// The shape still left undecided: `aws:PrincipalArn` of another account. For a role session
/// the key is the role's ARN, whose account the axioms link to the principal's through a policy
/// variable (the role's path is not in the session ARN, so the key is not a function of the
/// principal), and the native engine does not refute that two-step link. The answer is PASS
/// in AWS; iamproof FAILs saying it could not decide, never with an example.
#[test]
fn principal_arn_of_another_account_is_undecided_not_wrong() {
    let r = not_granted(
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::444455556666:*"}}"#,
        "s3:PutObject",
    );
    match r.result {
        Verdict::Pass => {}
        Verdict::Fail => {
            assert!(r.unknown_reason.is_some(), "{:?}", r.reasons);
            assert!(r.reasons.iter().all(|x| x.example_request.is_none()));
        }
    }
}

/// Conditions the account's callers can meet: FAIL, with an example that replays.
#[test]
fn conditions_the_account_meets_grant() {
    for condition in [
        r#"{"StringEquals":{"aws:PrincipalAccount":"111122223333"}}"#,
        r#"{"StringNotEquals":{"aws:PrincipalAccount":"444455556666"}}"#,
        r#"{"StringEquals":{"aws:PrincipalType":"User"}}"#,
        r#"{"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::111122223333:role/*"}}"#,
    ] {
        let r = not_granted(condition, "s3:PutObject");
        assert_eq!(r.result, Verdict::Fail, "{condition}");
        assert_eq!(r.unknown_reason, None, "{condition}");
        assert!(r.reasons[0].example_request.is_some(), "{condition}");
    }
}
