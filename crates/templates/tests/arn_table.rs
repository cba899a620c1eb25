//! The `Ref`/`Fn::GetAtt` table against cfn-policy-validator's CloudFormation-to-ARN map (read
//! at run time from the shared corpus, never copied): for every ARN the table builds, the map
//! has the same service and resource type for that type and attribute.

use std::path::Path;

use iamproof_templates::cfn::arns::{Shape, TYPES};
use serde_json::Value as J;

/// `(service, resource type)` of an ARN pattern: `arn:${Partition}:iam::${Account}:role/${X}`
/// gives `("iam", "role")`.
fn shape(pattern: &str) -> (String, String) {
    let parts: Vec<&str> = pattern.splitn(6, ':').collect();
    let service = parts.get(2).copied().unwrap_or("").to_string();
    let rest = parts.get(5).copied().unwrap_or("");
    let token: String = rest
        .chars()
        .take_while(|c| !matches!(c, '/' | ':' | '$' | '{' | '*' | '['))
        .collect();
    (service, token)
}

#[test]
fn arn_shapes_agree_with_cfn_policy_validators_map() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpora/cfn-policy-validator-tests/cfn_policy_validator/parsers/utils/cfn_to_arn_map.json");
    let map: J = serde_json::from_str(
        &std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let (mut compared, mut missing) = (0, Vec::new());
    for rule in TYPES {
        let mut it = rule.cfn_type.split("::").skip(1);
        let (Some(service), Some(resource)) = (it.next(), it.next()) else {
            continue;
        };
        let Some(entry) = map.get(service).and_then(|s| s.get(resource)) else {
            missing.push(rule.cfn_type);
            continue;
        };
        let mut shapes: Vec<(&str, Shape)> = rule.attributes.to_vec();
        shapes.push(("Ref", rule.reference));
        for (attr, s) in shapes {
            let Shape::Arn(mine) = s else { continue };
            let theirs = entry
                .get(attr)
                .and_then(|a| a.get("Value"))
                .and_then(J::as_str);
            match theirs {
                Some(t) => {
                    compared += 1;
                    assert_eq!(
                        shape(mine),
                        shape(t),
                        "{} {attr}: {mine} vs {t}",
                        rule.cfn_type
                    );
                }
                None => println!("{} {attr}: not in the map ({mine})", rule.cfn_type),
            }
        }
    }
    println!("ARN shapes compared: {compared}; types not in the map: {missing:?}");
    assert!(compared >= 25, "{compared}");
}
