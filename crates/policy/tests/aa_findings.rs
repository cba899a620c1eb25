//! AWS Access Analyzer's real ValidatePolicy findings on the managed policies (mamip corpus)
//! against `validate_policy`'s: prints the counts per issue code, and FAILS on any finding AWS
//! reports that we miss, any AWS-coded finding we report that AWS does not, and any reproduced
//! finding with another finding type, except the differences listed with their reason in
//! `tests/data/aa_known_differences.txt` (a listed difference that no longer occurs fails too,
//! so the list stays exact).
//!
//! The policies were submitted to Access Analyzer as single-line JSON with `", "` and `": "`
//! separators (the end offset of AA's whole-document span equals that length), so the test
//! serialises them the same way and compares locations by path and by span.
//!
//! Condition-key facts come from the iam-data corpus (`conditionKeys/*.json`) plus the built-in
//! global keys.

use iamproof_corpora::Corpora;
use iamproof_policy::{validate_policy_with_catalogs, PolicyType};
use iamproof_policy::{ActionCatalog, Chain, GlobalKeys};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// The reference's actions with, per action, the condition keys it supports (its own and its
/// resource types'), read from `iam-data/data/{actions,resourceTypes}/<service>.json`.
struct ReferenceCatalog<A> {
    actions: A,
    keys: HashMap<(String, String), Vec<String>>,
}

impl<A: ActionCatalog> ReferenceCatalog<A> {
    fn load(corpora: &Corpora, actions: A) -> Self {
        let dir = corpora.path("iam-data/data/actions");
        let mut keys = HashMap::new();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let Some(svc) = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()) else {
                continue;
            };
            let acts: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let rt_path = corpora.path(&format!("iam-data/data/resourceTypes/{svc}.json"));
            let rts: serde_json::Map<String, serde_json::Value> = std::fs::read_to_string(&rt_path)
                .ok()
                .and_then(|t| serde_json::from_str(&t).ok())
                .unwrap_or_default();
            let strs = |v: &serde_json::Value| -> Vec<String> {
                v.as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|k| k.as_str().map(str::to_ascii_lowercase))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            for (name, a) in acts {
                let mut ks = strs(&a["conditionKeys"]);
                for rt in a["resourceTypes"].as_array().into_iter().flatten() {
                    ks.extend(strs(&rt["conditionKeys"]));
                    if let Some(r) = rt["name"]
                        .as_str()
                        .and_then(|n| rts.get(&n.to_ascii_lowercase()))
                    {
                        ks.extend(strs(&r["conditionKeys"]));
                    }
                }
                keys.insert((svc.clone(), name.to_ascii_lowercase()), ks);
            }
        }
        ReferenceCatalog { actions, keys }
    }
}

impl<A: ActionCatalog> ActionCatalog for ReferenceCatalog<A> {
    fn has_service(&self, prefix: &str) -> bool {
        self.actions.has_service(prefix)
    }
    fn has_action(&self, prefix: &str, name: &str) -> bool {
        self.actions.has_action(prefix, name)
    }
    fn action_condition_keys(&self, prefix: &str, name: &str) -> Option<Vec<String>> {
        self.keys
            .get(&(prefix.to_ascii_lowercase(), name.to_ascii_lowercase()))
            .cloned()
    }
    fn service_actions(&self, prefix: &str) -> Option<Vec<String>> {
        let p = prefix.to_ascii_lowercase();
        let names: Vec<String> = self
            .keys
            .keys()
            .filter(|(s, _)| *s == p)
            .map(|(_, n)| n.clone())
            .collect();
        (!names.is_empty()).then_some(names)
    }
}

/// `tests/data/aa_known_differences.txt`: `missed|extra <TAB> policy <TAB> issue code <TAB>
/// path of the first location <TAB> reason`; `#` starts a comment line.
fn known_differences() -> BTreeSet<(String, String, String, String)> {
    let text = include_str!("data/aa_known_differences.txt");
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        assert!(
            f.len() == 5 && !f[4].trim().is_empty() && matches!(f[0], "missed" | "extra"),
            "aa_known_differences.txt: want kind, policy, code, path and a reason: {line:?}"
        );
        out.insert((
            f[0].to_string(),
            f[1].to_string(),
            f[2].to_string(),
            f[3].to_string(),
        ));
    }
    out
}

/// `Statement[0].Action[3]` from a finding's JSON `locations[0].path`.
fn first_path(f: &serde_json::Value) -> String {
    let mut s = String::new();
    for e in f["locations"][0]["path"].as_array().into_iter().flatten() {
        if let Some(i) = e["index"].as_u64() {
            s.push_str(&format!("[{i}]"));
        } else if let Some(k) = e["value"].as_str().or(e["key"].as_str()) {
            if k.chars().all(|c| c.is_ascii_alphanumeric()) {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            } else {
                s.push_str(&format!("[{k:?}]"));
            }
        }
    }
    s
}

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
    let actions = ReferenceCatalog::load(&corpora, corpora.action_catalog().unwrap());
    let mut differences: BTreeSet<(String, String, String, String)> = BTreeSet::new();
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
                None => {
                    differences.insert((
                        "missed".to_string(),
                        name.to_string(),
                        code.clone(),
                        first_path(f),
                    ));
                    examples_missed.entry(code).or_default().push(format!(
                        "{name} {}",
                        serde_json::to_string(&paths(f)).unwrap()
                    ))
                }
            }
        }
        for (i, o) in ours_json.iter().enumerate() {
            let code = o["issueCode"].as_str().unwrap().to_string();
            assert!(o["learnMoreLink"].is_string(), "{name}: {o}");
            if !used[i] && !code.starts_with("IAMPROOF_") {
                differences.insert((
                    "extra".to_string(),
                    name.to_string(),
                    code.clone(),
                    first_path(o),
                ));
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
        for e in ex {
            println!("  missed {code}: {e}");
        }
    }
    for (code, ex) in &examples_extra {
        for e in ex {
            println!("  extra  {code}: {e}");
        }
    }
    assert!(
        wrong_type.is_empty(),
        "reproduced findings with another finding type: {wrong_type:?}"
    );
    let known = known_differences();
    let unexplained: Vec<_> = differences.difference(&known).collect();
    let gone: Vec<_> = known.difference(&differences).collect();
    println!(
        "{} differences, all listed in aa_known_differences.txt: {}",
        differences.len(),
        unexplained.is_empty() && gone.is_empty()
    );
    assert!(
        unexplained.is_empty(),
        "differences from Access Analyzer not in tests/data/aa_known_differences.txt \
         (fix them or list them with a reason): {unexplained:#?}"
    );
    assert!(
        gone.is_empty(),
        "listed differences that no longer occur (remove them from the list): {gone:#?}"
    );
}
