//! The loaders on the real corpora (`<workspace>/../shared/corpora` or `$IAMPROOF_CORPORA`):
//! every corpus is found with the sizes its SOURCE.txt states.

use iamproof_corpora::{all_policies, Corpora, CorpusError};
use iamproof_policy::PolicyType;
use std::collections::{BTreeMap, BTreeSet};

#[test]
fn all_policies_covers_every_corpus() -> Result<(), CorpusError> {
    let all = all_policies()?;
    let mut per: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &all {
        *per.entry(p.corpus()).or_default() += 1;
    }
    println!("{} policies: {per:?}", all.len());
    assert_eq!(per.get("user-guide"), Some(&275));
    assert_eq!(per.get("managed"), Some(&1641));
    assert_eq!(per.get("mamip"), Some(&(1523 + 2 * 1500)));
    assert_eq!(per.get("iam-rs"), Some(&(64 + 5)));
    assert!(per.get("quacky").is_some_and(|n| *n > 700));
    assert!(per.get("iam-simulate").is_some_and(|n| *n > 600));
    assert!(per.get("cloudsplaining").is_some_and(|n| *n > 200));
    let names: BTreeSet<&str> = all.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names.len(), all.len(), "names are unique");
    let get = |n: &str| {
        all.iter()
            .find(|p| p.name == n)
            .unwrap_or_else(|| panic!("{n} missing"))
    };
    let s3 = get("managed/AmazonS3FullAccess");
    assert_eq!(s3.policy_type, PolicyType::Identity);
    assert!(s3.text.contains("\"s3:*\""), "{}", s3.text);
    // Files are handed out verbatim.
    let q = get("quacky/samples/manual_s3/exp_single/s3_allow_pstar/policy.json");
    let file = Corpora::locate()
        .read_text("quacky/samples/manual_s3/exp_single/s3_allow_pstar/policy.json")?;
    assert_eq!(q.text, file);
    // The enclosing key of an iam-simulate case gives the type.
    assert!(all.iter().any(|p| p.name.starts_with("iam-simulate/src/")
        && p.name.contains(".resourceControlPolicies")
        && p.policy_type == PolicyType::ResourceControl));
    assert!(all.iter().any(|p| p.name.starts_with("iam-simulate/src/")
        && p.name.contains(".serviceControlPolicies")
        && p.policy_type == PolicyType::ServiceControl));
    assert!(all
        .iter()
        .any(|p| p.name.starts_with("mamip/") && p.name.ends_with("(new)")));
    Ok(())
}

#[test]
fn typed_loaders_read_every_corpus() -> Result<(), CorpusError> {
    let c = Corpora::locate();
    assert_eq!(c.quacky_pairs()?.len(), 546);
    assert_eq!(c.quacky_rows()?.len(), 4449);
    assert_eq!(c.mamip_version_pairs()?.len(), 1500);
    assert_eq!(c.access_analyzer_findings()?.len(), 125);
    assert!(!c.deprecated_managed_policies()?.is_empty());
    let sim = c.iam_simulate_files()?;
    assert_eq!(sim.len(), 62 + 17);
    assert_eq!(sim.iter().filter(|f| f.integration).count(), 17);
    assert_eq!(
        sim.iter()
            .filter(|f| !f.integration)
            .map(|f| f.cases.len())
            .sum::<usize>(),
        431
    );
    let cat = c.action_catalogue()?;
    assert!(cat.contains(&"s3:GetObject".to_string()));
    assert!(cat.len() > 15000);
    let by_service = c.actions_by_service()?;
    assert!(by_service["s3"].contains(&"s3:getobject".to_string()));
    use iamproof_policy::{ActionCatalog, ConditionKeyCatalog};
    let actions = c.action_catalog()?;
    assert!(actions.has_action("S3", "getobject") && !actions.has_action("s3", "Nope"));
    let keys = c.condition_key_catalog()?;
    assert!(keys.lookup("s3:x-amz-acl").is_some());
    assert!(keys.lookup("aws:RequestTag/Team").is_some());
    Ok(())
}
