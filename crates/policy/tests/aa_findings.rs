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

use iamproof_policy::keys::{
    ActionCatalog, Chain, ConditionKeyCatalog, GlobalKeys, KeyInfo, KeyType,
};
use iamproof_policy::{validate_policy_with_catalogs, PolicyType};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

fn corpora_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpora");
    assert!(
        dir.is_dir(),
        "the shared corpora folder is missing: expected it at {} (tests read it at run time)",
        dir.display()
    );
    dir
}

/// Condition keys of the iam-data catalogue; `${…}` in a key name matches any suffix.
struct IamDataKeys {
    exact: HashMap<String, KeyInfo>,
    prefixes: Vec<(String, KeyInfo)>,
}

impl IamDataKeys {
    fn load(dir: &Path) -> Self {
        let mut exact = HashMap::new();
        let mut prefixes = Vec::new();
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for f in files {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            for (k, info) in v.as_object().unwrap() {
                let Some((t, multi)) = info["type"].as_str().and_then(KeyType::from_reference_name)
                else {
                    continue;
                };
                let ki = KeyInfo {
                    value_type: t,
                    multivalued: multi,
                    ambiguous_arity: false,
                };
                let k = k.to_ascii_lowercase();
                match k.find("${") {
                    Some(i) => prefixes.push((k[..i].to_string(), ki)),
                    None => {
                        exact.insert(k, ki);
                    }
                }
            }
        }
        IamDataKeys { exact, prefixes }
    }
}

impl ConditionKeyCatalog for IamDataKeys {
    fn lookup(&self, key: &str) -> Option<KeyInfo> {
        let k = key.to_ascii_lowercase();
        if let Some(i) = self.exact.get(&k) {
            return Some(*i);
        }
        self.prefixes
            .iter()
            .find(|(p, _)| k.starts_with(p.as_str()) && k.len() > p.len())
            .map(|(_, i)| *i)
    }
}

/// Services and actions of the iam-data catalogue (`actions/<service>.json`, keys lower-cased).
struct IamDataActions {
    actions: HashMap<String, std::collections::HashSet<String>>,
}

impl IamDataActions {
    fn load(dir: &Path) -> Self {
        let mut actions = HashMap::new();
        for e in std::fs::read_dir(dir).unwrap() {
            let f = e.unwrap().path();
            let svc = f
                .file_stem()
                .unwrap()
                .to_string_lossy()
                .to_ascii_lowercase();
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&f).unwrap()).unwrap();
            let names = v
                .as_object()
                .unwrap()
                .keys()
                .map(|k| k.to_ascii_lowercase())
                .collect();
            actions.insert(svc, names);
        }
        IamDataActions { actions }
    }
}

impl ActionCatalog for IamDataActions {
    fn has_service(&self, prefix: &str) -> bool {
        self.actions.contains_key(&prefix.to_ascii_lowercase())
    }
    fn has_action(&self, prefix: &str, name: &str) -> bool {
        self.actions
            .get(&prefix.to_ascii_lowercase())
            .is_some_and(|a| a.contains(&name.to_ascii_lowercase()))
    }
}

/// Python's `json.dumps` default layout: `", "` and `": "`, one line.
struct PySeparators;

impl serde_json::ser::Formatter for PySeparators {
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        if first {
            Ok(())
        } else {
            w.write_all(b", ")
        }
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
    let root = corpora_dir();
    let keys = IamDataKeys::load(&root.join("iam-data/data/conditionKeys"));
    let catalog = Chain(GlobalKeys, &keys);
    let actions = IamDataActions::load(&root.join("iam-data/data/actions"));
    let mut docs = HashMap::new();
    for line in std::fs::read_to_string(root.join("mamip/policies_current.jsonl"))
        .unwrap()
        .lines()
    {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        docs.insert(
            d["name"].as_str().unwrap().to_string(),
            d["document"].clone(),
        );
    }
    let mut stats: BTreeMap<String, Stat> = BTreeMap::new();
    let mut wrong_type = Vec::new();
    let mut examples_missed: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut examples_extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in
        std::fs::read_to_string(root.join("mamip/access_analyzer_validate_policy_findings.jsonl"))
            .unwrap()
            .lines()
    {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        let name = d["name"].as_str().unwrap();
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
        let aws = d["findings"].as_array().unwrap();
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
    let with_findings: std::collections::HashSet<String> =
        std::fs::read_to_string(root.join("mamip/access_analyzer_validate_policy_findings.jsonl"))
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_string()
            })
            .collect();
    let deprecated: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("mamip/DEPRECATED.json")).unwrap())
            .unwrap();
    let mut clean_extra: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut names: Vec<&String> = docs.keys().collect();
    names.sort();
    for name in names {
        if with_findings.contains(name) || deprecated.get(name.as_str()).is_some() {
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
