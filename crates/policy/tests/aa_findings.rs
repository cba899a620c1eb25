//! How many of AWS Access Analyzer's real ValidatePolicy findings (mamip corpus) `validate_policy`
//! reproduces, per issue code. Informational: prints the counts and fails only if a policy does
//! not parse or a reproduced finding has the wrong finding type.
//!
//! The policies were submitted to Access Analyzer as single-line JSON with `", "` and `": "`
//! separators (the end offset of AA's whole-document span equals that length), so the test
//! serialises them the same way and compares locations by path and by span.
//!
//! Condition-key facts come from the iam-data corpus (`conditionKeys/*.json`) plus the built-in
//! global keys.

use iamproof_corpora::Corpora;
use iamproof_policy::keys::{Chain, GlobalKeys};
use iamproof_policy::{validate_policy_with_catalogs, PolicyType};
use std::collections::{BTreeMap, HashMap};

/// Python's `json.dumps` default layout: `", "` and `": "`, one line.
struct PySeparators;

/// `", "` before every array element and object member but the first.
fn separator<W: ?Sized + std::io::Write>(w: &mut W, first: bool) -> std::io::Result<()> {
    if first {
        Ok(())
    } else {
        w.write_all(b", ")
    }
}

impl serde_json::ser::Formatter for PySeparators {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(w, first)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        separator(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        w.write_all(b": ")
    }
}

fn to_py_json(v: &serde_json::Value) -> String {
    let mut out = Vec::new();
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PySeparators);
    serde::Serialize::serialize(v, &mut ser).unwrap();
    String::from_utf8(out).unwrap()
}

#[derive(Default, Debug)]
struct Stat {
    aws: usize,
    same_paths: usize,
    same_spans: usize,
    ours_extra: usize,
}

#[test]
fn reproduces_access_analyzer_findings() {
    let corpora = Corpora::locate();
    let keys = corpora.condition_key_catalog().unwrap();
    let catalog = Chain(GlobalKeys, &keys);
    let actions = corpora.action_catalog().unwrap();
    let docs: HashMap<String, serde_json::Value> = corpora
        .mamip_policies()
        .unwrap()
        .into_iter()
        .map(|p| (p.name, p.document))
        .collect();
    let aa_findings = corpora.access_analyzer_findings().unwrap();
    let mut stats: BTreeMap<String, Stat> = BTreeMap::new();
    let mut wrong_type = Vec::new();
    let mut examples_missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut examples_extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for d in &aa_findings {
        let name = d.name.as_str();
        let Some(doc) = docs.get(name) else { continue };
        let text = to_py_json(doc);
        let ours =
            validate_policy_with_catalogs(&text, PolicyType::Identity, &catalog, Some(&actions));
        assert!(
            !ours.iter().any(|f| f.issue_code == "JSON_SYNTAX"),
            "{name} does not parse"
        );
        let ours_json: Vec<serde_json::Value> = ours
            .iter()
            .map(|f| serde_json::to_value(f).unwrap())
            .collect();
        let aws = &d.findings;
        let mut used = vec![false; ours_json.len()];
        for f in aws {
            let code = f["issueCode"].as_str().unwrap().to_string();
            let st = stats.entry(code.clone()).or_default();
            st.aws += 1;
            let paths = |x: &serde_json::Value| -> Vec<serde_json::Value> {
                x["locations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["path"].clone())
                    .collect()
            };
            let found = ours_json.iter().enumerate().find(|(i, o)| {
                !used[*i] && o["issueCode"] == f["issueCode"] && paths(o) == paths(f)
            });
            match found {
                Some((i, o)) => {
                    used[i] = true;
                    st.same_paths += 1;
                    if o["locations"] == f["locations"] {
                        st.same_spans += 1;
                    }
                    if o["findingType"] != f["findingType"] {
                        wrong_type.push(format!("{name}: {code}"));
                    }
                }
                None => examples_missed.entry(code).or_default().push(format!(
                    "{name} {}",
                    serde_json::to_string(&paths(f)).unwrap()
                )),
            }
        }
        for (i, o) in ours_json.iter().enumerate() {
            let code = o["issueCode"].as_str().unwrap().to_string();
            if !used[i] && o["learnMoreLink"].is_string() {
                stats.entry(code.clone()).or_default().ours_extra += 1;
                let p: Vec<_> = o["locations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|l| l["path"].clone())
                    .collect();
                examples_extra
                    .entry(code)
                    .or_default()
                    .push(format!("{name} {}", serde_json::to_string(&p).unwrap()));
            }
        }
    }
    // Policies without AA findings, deprecated ones excluded (AA analysed 1444 policies; the
    // deprecated ones seem not to be among them): our findings there with Access Analyzer codes
    // are likely false positives, or policies AA did not analyse.
    let with_findings: std::collections::HashSet<&str> =
        aa_findings.iter().map(|d| d.name.as_str()).collect();
    let deprecated = corpora.deprecated_managed_policies().unwrap();
    let mut clean_extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut names: Vec<&String> = docs.keys().collect();
    names.sort();
    for name in names {
        if with_findings.contains(name.as_str()) || deprecated.contains(name.as_str()) {
            continue;
        }
        let text = to_py_json(&docs[name]);
        for f in
            validate_policy_with_catalogs(&text, PolicyType::Identity, &catalog, Some(&actions))
        {
            if f.learn_more_link.is_some() {
                clean_extra
                    .entry(f.issue_code.clone())
                    .or_default()
                    .push(format!(
                        "{name} {}",
                        f.locations
                            .first()
                            .map(|l| l.path.to_string())
                            .unwrap_or_default()
                    ));
            }
        }
    }
    for (code, ex) in &clean_extra {
        println!(
            "on policies with no AA findings: {code} x{} e.g. {}",
            ex.len(),
            ex.iter().take(3).cloned().collect::<Vec<_>>().join("; ")
        );
    }

    let (mut total, mut same) = (0, 0);
    println!(
        "{:<55} {:>5} {:>6} {:>6} {:>6}",
        "issue code", "AWS", "paths", "spans", "extra"
    );
    for (code, s) in &stats {
        total += s.aws;
        same += s.same_paths;
        println!(
            "{code:<55} {:>5} {:>6} {:>6} {:>6}",
            s.aws, s.same_paths, s.same_spans, s.ours_extra
        );
    }
    println!("reproduced {same} of {total} Access Analyzer findings (same code and locations)");
    for (code, ex) in &examples_missed {
        for e in ex.iter().take(3) {
            println!("  missed {code}: {e}");
        }
    }
    for (code, ex) in &examples_extra {
        for e in ex.iter().take(3) {
            println!("  extra  {code}: {e}");
        }
    }
    assert!(
        wrong_type.is_empty(),
        "reproduced findings with another finding type: {wrong_type:?}"
    );
}
