//! The `.iamproof.toml` format: good files and what they give, bad files and the line:column of
//! their errors, discovery, and the flags-override-the-file rules.

use iamproof_config::{Access, Config, ConfigError, LineColumn, CONFIG_FILE_NAME};
use iamproof_report::{
    BlockingRules, Finding, FindingCode, FindingType, IgnoreRule, IgnoreTarget, Report,
};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::parse(Path::new("repo/.iamproof.toml"), text)
}

fn rule(target: IgnoreTarget, reason: &str) -> IgnoreRule {
    IgnoreRule {
        target,
        reason: Some(reason.to_string()),
    }
}

const FULL: &str = r#"
[blocking]
finding-types = ["ERROR", "security_warning"]

[[ignore]]
finding = "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"
reason = "approved in SEC-123"

[[ignore]]
finding = "MISSING_VERSION"
reason = "legacy policies"

[[ignore]]
resource = "module.ci.aws_iam_role.deploy"
code = "PASS_ROLE_WITH_STAR_IN_RESOURCE"
reason = "approved in SEC-124"

[[ignore]]
code = "REDUNDANT_ACTION"
reason = "harmless"

[external-access]
allowed-principals = ["123456789012", "arn:aws:iam::111122223333:role/ci", "*"]

[access-not-granted]
actions = ["iam:PassRole", "s3:DeleteBucket"]
resources = []

[templates]
region = "us-east-1"
account-id = "123456789012"
parameters = { Env = "prod", "Bucket Name" = "logs" }
"#;

#[test]
fn good_files_give_their_settings() {
    let full = Config {
        blocking_finding_types: Some(BTreeSet::from([
            FindingType::Error,
            FindingType::SecurityWarning,
        ])),
        ignore: vec![
            rule(
                IgnoreTarget::ResourceDotCode("MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE".into()),
                "approved in SEC-123",
            ),
            rule(
                IgnoreTarget::ResourceOrCode("MISSING_VERSION".into()),
                "legacy policies",
            ),
            rule(
                IgnoreTarget::ResourceAndCode {
                    resource: "module.ci.aws_iam_role.deploy".into(),
                    code: "PASS_ROLE_WITH_STAR_IN_RESOURCE".into(),
                },
                "approved in SEC-124",
            ),
            rule(IgnoreTarget::Code("REDUNDANT_ACTION".into()), "harmless"),
        ],
        allowed_external_principals: vec![
            "123456789012".into(),
            "arn:aws:iam::111122223333:role/ci".into(),
            "*".into(),
        ],
        access_not_granted: Some(Access {
            actions: vec!["iam:PassRole".into(), "s3:DeleteBucket".into()],
            resources: vec![],
        }),
        region: Some("us-east-1".into()),
        account_id: Some("123456789012".into()),
        parameters: BTreeMap::from([
            ("Env".into(), "prod".into()),
            ("Bucket Name".into(), "logs".into()),
        ]),
    };
    let cases: Vec<(&str, &str, Config)> = vec![
        ("empty", "", Config::default()),
        ("comments only", "# nothing yet\n", Config::default()),
        ("every key", FULL, full),
        (
            "NONE",
            "[blocking]\nfinding-types = [\"none\"]\n",
            Config {
                blocking_finding_types: Some(BTreeSet::new()),
                ..Config::default()
            },
        ),
        (
            "resources only",
            "[access-not-granted]\nresources = [\"arn:aws:s3:::prod-*\"]\n",
            Config {
                access_not_granted: Some(Access {
                    actions: vec![],
                    resources: vec!["arn:aws:s3:::prod-*".into()],
                }),
                ..Config::default()
            },
        ),
        (
            "dotted keys and a resource alone",
            "templates.region = \"eu-west-1\"\n[[ignore]]\nresource = \"LogsQueue\"\nreason = \"r\"\n",
            Config {
                region: Some("eu-west-1".into()),
                ignore: vec![rule(IgnoreTarget::Resource("LogsQueue".into()), "r")],
                ..Config::default()
            },
        ),
    ];
    for (name, text, expected) in cases {
        match parse(text) {
            Ok(config) => assert_eq!(config, expected, "{name}"),
            Err(e) => panic!("{name}: {e}"),
        }
    }
}

#[test]
fn bad_files_are_errors_naming_the_file_and_line_column() {
    let too_many = format!(
        "[access-not-granted]\nactions = [{}]\n",
        (0..101)
            .map(|i| format!("\"s3:A{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    );
    // (name, text, line, column, a part of the message)
    let cases: Vec<(&str, String, usize, usize, &str)> = vec![
        (
            "unknown table",
            "[blockin]\nfinding-types = []\n".into(),
            1,
            2,
            "unknown field `blockin`, expected one of `blocking`, `ignore`, `external-access`, `access-not-granted`, `templates`",
        ),
        (
            "unknown key",
            "[blocking]\nfinding-type = [\"ERROR\"]\n".into(),
            2,
            1,
            "unknown field `finding-type`, expected `finding-types`",
        ),
        (
            "snake_case key",
            "[templates]\naccount_id = \"123456789012\"\n".into(),
            2,
            1,
            "unknown field `account_id`",
        ),
        (
            "wrong type: string for list",
            "[blocking]\nfinding-types = \"ERROR\"\n".into(),
            2,
            17,
            "invalid type: string \"ERROR\", expected a sequence",
        ),
        (
            "wrong type: number for account id",
            "[templates]\naccount-id = 123456789012\n".into(),
            2,
            14,
            "invalid type: integer",
        ),
        (
            "wrong type: number parameter",
            "[templates]\nparameters = { Env = 1 }\n".into(),
            2,
            22,
            "invalid type: integer",
        ),
        (
            "wrong type: table for ignore list",
            "[ignore]\nfinding = \"X\"\n".into(),
            1,
            1,
            "invalid type",
        ),
        (
            "not TOML",
            "[blocking\nfinding-types = []\n".into(),
            1,
            10,
            "unclosed table, expected `]`",
        ),
        (
            "duplicate key",
            "[templates]\nregion = \"a\"\nregion = \"b\"\n".into(),
            3,
            1,
            "duplicate key",
        ),
        (
            "unknown finding type",
            "[blocking]\nfinding-types = [\"ERROR\", \"FATAL\"]\n".into(),
            2,
            27,
            "\"FATAL\" is not a finding type",
        ),
        (
            "NONE with others",
            "[blocking]\nfinding-types = [\"NONE\", \"ERROR\"]\n".into(),
            2,
            18,
            "cannot be listed with other finding types",
        ),
        (
            "empty finding types",
            "[blocking]\nfinding-types = []\n".into(),
            2,
            17,
            "finding-types is empty",
        ),
        (
            "missing reason",
            "[[ignore]]\nfinding = \"X\"\nreason = \"r\"\n\n[[ignore]]\nfinding = \"Y\"\n".into(),
            5,
            1,
            "has no `reason`",
        ),
        (
            "empty reason",
            "[[ignore]]\nfinding = \"X\"\nreason = \"  \"\n".into(),
            3,
            10,
            "the reason is empty",
        ),
        (
            "unknown key in an entry",
            "[[ignore]]\nfinding = \"X\"\nreason = \"r\"\nreviewer = \"me\"\n".into(),
            4,
            1,
            "unknown field `reviewer`",
        ),
        (
            "two findings in one",
            "[[ignore]]\nfinding = \"A,B\"\nreason = \"r\"\n".into(),
            2,
            11,
            "one finding per [[ignore]] entry",
        ),
        (
            "nothing before the dot",
            "[[ignore]]\nfinding = \".CODE\"\nreason = \"r\"\n".into(),
            2,
            11,
            "nothing before its last dot",
        ),
        (
            "nothing after the dot",
            "[[ignore]]\nfinding = \"Role.\"\nreason = \"r\"\n".into(),
            2,
            11,
            "nothing after its last dot",
        ),
        (
            "both forms",
            "[[ignore]]\nfinding = \"X\"\ncode = \"Y\"\nreason = \"r\"\n".into(),
            3,
            8,
            "use one form",
        ),
        (
            "no target",
            "[[ignore]]\nreason = \"r\"\n".into(),
            1,
            1,
            "names no finding",
        ),
        (
            "inline entry without reason",
            "ignore = [{ finding = \"X\" }]\n".into(),
            1,
            11,
            "has no `reason`",
        ),
        (
            "bad principal",
            "[external-access]\nallowed-principals = [\"bob\"]\n".into(),
            2,
            23,
            "\"bob\" is not a principal",
        ),
        (
            "bad action",
            "[access-not-granted]\nactions = [\"iam:PassRole\", \"s3\"]\n".into(),
            2,
            28,
            "\"s3\" is not an action",
        ),
        (
            "no access",
            "# the access\n[access-not-granted]\nresources = []\n".into(),
            2,
            1,
            "names no access",
        ),
        (
            "101 actions",
            too_many,
            2,
            11,
            "actions has 101 items; the most is 100",
        ),
        (
            "short account id",
            "[templates]\naccount-id = \"1234\"\n".into(),
            2,
            14,
            "expected 12 digits",
        ),
        (
            "empty region",
            "[templates]\nregion = \"\"\n".into(),
            2,
            10,
            "the region is empty",
        ),
        // Columns count characters: `é` is two bytes but one column.
        (
            "column after non-ASCII",
            "templates = { region = \"é\", account-id = \"x\" }\n".into(),
            1,
            42,
            "expected 12 digits",
        ),
    ];
    let mut failures = Vec::new();
    for (name, text, line, column, message) in &cases {
        match parse(text) {
            Ok(config) => failures.push(format!("{name}: accepted as {config:?}")),
            Err(e) => {
                let shown = e.to_string();
                let at = LineColumn {
                    line: *line,
                    column: *column,
                };
                let prefix = format!("repo/.iamproof.toml:{line}:{column}: ");
                if e.position() != Some(at)
                    || !shown.starts_with(&prefix)
                    || !shown.contains(message)
                {
                    failures.push(format!(
                        "{name}: expected {prefix}…{message}…, got {shown:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn load_reads_a_file_and_names_it_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gate.toml");
    std::fs::write(&path, "[templates]\nregion = \"eu-west-1\"\n").unwrap();
    assert_eq!(
        Config::load(&path).unwrap().region.as_deref(),
        Some("eu-west-1")
    );

    std::fs::write(&path, b"region = \"\xff\"\n").unwrap();
    let e = Config::load(&path).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!("{}: the file is not UTF-8 text", path.display())
    );

    let missing = dir.path().join("missing.toml");
    let e = Config::load(&missing).unwrap_err();
    assert!(matches!(e, ConfigError::Read { .. }), "{e}");
    assert!(
        e.to_string()
            .starts_with(&format!("{}: ", missing.display())),
        "{e}"
    );
}

#[test]
fn discovery_walks_up_to_the_repository_root() {
    let root = tempfile::tempdir().unwrap();
    let root = root.path().canonicalize().unwrap();
    let outside = root.join("outside");
    let repo = outside.join("repo");
    let deep = repo.join("infra/stacks");
    std::fs::create_dir_all(&deep).unwrap();
    std::fs::create_dir(repo.join(".git")).unwrap();
    let region = |found: Option<(std::path::PathBuf, Config)>| {
        found.map(|(path, config)| (path, config.region.unwrap_or_default()))
    };

    // A file above the repository is not the repository's: the search stops at `.git`.
    std::fs::write(
        outside.join(CONFIG_FILE_NAME),
        "templates.region = \"above\"\n",
    )
    .unwrap();
    assert_eq!(region(Config::discover(&deep).unwrap()), None);

    // The repository root's file is found from any directory below it, and from the root.
    std::fs::write(repo.join(CONFIG_FILE_NAME), "templates.region = \"root\"\n").unwrap();
    let at_root = Some((repo.join(CONFIG_FILE_NAME), "root".to_string()));
    assert_eq!(region(Config::discover(&deep).unwrap()), at_root);
    assert_eq!(region(Config::discover(&repo).unwrap()), at_root);
    assert_eq!(
        region(Config::discover(&deep.join("../..")).unwrap()),
        at_root,
        "`..` is resolved"
    );

    // The nearest file wins.
    std::fs::write(
        repo.join("infra").join(CONFIG_FILE_NAME),
        "templates.region = \"infra\"\n",
    )
    .unwrap();
    assert_eq!(
        region(Config::discover(&deep).unwrap()),
        Some((
            repo.join("infra").join(CONFIG_FILE_NAME),
            "infra".to_string()
        ))
    );

    // A worktree's `.git` is a file: it stops the search too.
    std::fs::remove_dir(repo.join(".git")).unwrap();
    std::fs::remove_file(repo.join(CONFIG_FILE_NAME)).unwrap();
    std::fs::remove_file(repo.join("infra").join(CONFIG_FILE_NAME)).unwrap();
    std::fs::write(repo.join(".git"), "gitdir: /elsewhere\n").unwrap();
    assert_eq!(region(Config::discover(&deep).unwrap()), None);

    // Without `.git`, the search goes on up.
    std::fs::remove_file(repo.join(".git")).unwrap();
    assert_eq!(
        region(Config::discover(&deep).unwrap()),
        Some((outside.join(CONFIG_FILE_NAME), "above".to_string()))
    );

    // A bad file found is an error, not "no file".
    std::fs::write(
        repo.join(CONFIG_FILE_NAME),
        "[blocking]\nfinding-types = 1\n",
    )
    .unwrap();
    let e = Config::discover(&deep).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&format!("{}:2:17: ", repo.join(CONFIG_FILE_NAME).display())),
        "{e}"
    );

    // A start directory that does not exist is an error naming it.
    let e = Config::discover(&root.join("nope")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with(&root.join("nope").display().to_string()),
        "{e}"
    );

    // --config FILE is read whatever discovery would find; it must exist.
    let explicit = root.join("explicit.toml");
    std::fs::write(&explicit, "templates.region = \"explicit\"\n").unwrap();
    assert_eq!(
        region(Config::locate(Some(&explicit), &deep).unwrap()),
        Some((explicit.clone(), "explicit".to_string()))
    );
    assert!(Config::locate(Some(&root.join("none.toml")), &deep).is_err());
}

fn finding(finding_type: FindingType, code: &str, resource: &str) -> Finding {
    Finding::new(
        finding_type,
        FindingCode::Validation(code.into()),
        "message",
        resource,
        "Policy",
    )
}

/// One case of the blocking rules: name, configuration, `--treat-finding-type-as-blocking`,
/// `--ignore-finding`, and the findings [`classify`] expects.
type RulesCase<'a> = (
    &'a str,
    &'a Config,
    Option<&'a str>,
    Option<&'a str>,
    [Vec<String>; 3],
);

/// The names of the blocking, non-blocking and ignored findings (`RESOURCE.CODE`).
fn classify(rules: &BlockingRules) -> [Vec<String>; 3] {
    let mut report = Report::new("0");
    report.findings = vec![
        finding(
            FindingType::Error,
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "MyRole",
        ),
        finding(
            FindingType::SecurityWarning,
            "PASS_ROLE_WITH_STAR_IN_RESOURCE",
            "OtherRole",
        ),
        finding(FindingType::Warning, "MISSING_VERSION", "Queue"),
        finding(FindingType::Suggestion, "REDUNDANT_ACTION", "Queue"),
    ];
    let classified = rules.classify(report);
    let names = |fs: &mut dyn Iterator<Item = &Finding>| {
        fs.map(|f| format!("{}.{}", f.resource_name, f.code.as_str()))
            .collect()
    };
    [
        names(&mut classified.blocking.iter()),
        names(&mut classified.non_blocking.iter()),
        names(&mut classified.ignored.iter().map(|i| &i.finding)),
    ]
}

#[test]
fn flags_override_the_file() {
    let config = parse(
        r#"
[blocking]
finding-types = ["ERROR", "WARNING"]
[[ignore]]
finding = "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"
reason = "approved in SEC-123"
[external-access]
allowed-principals = ["123456789012"]
[access-not-granted]
actions = ["iam:PassRole"]
resources = ["arn:aws:iam::123456789012:role/*"]
[templates]
region = "us-east-1"
account-id = "123456789012"
parameters = { Env = "prod", Team = "web" }
"#,
    )
    .unwrap();
    let none = Config::default();
    let v = |items: &[&str]| items.iter().map(|s| s.to_string()).collect::<Vec<_>>();

    // (name, treat-as-blocking flag, ignore flag, [blocking, non-blocking, ignored])
    let cases: Vec<RulesCase> = vec![
        (
            "no file, no flag: ERROR and SECURITY_WARNING block",
            &none,
            None,
            None,
            [
                v(&[
                    "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    "OtherRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                ]),
                v(&["Queue.MISSING_VERSION", "Queue.REDUNDANT_ACTION"]),
                v(&[]),
            ],
        ),
        (
            "the file's types and ignores",
            &config,
            None,
            None,
            [
                v(&["Queue.MISSING_VERSION"]),
                v(&[
                    "OtherRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    "Queue.REDUNDANT_ACTION",
                ]),
                v(&["MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"]),
            ],
        ),
        (
            "the flag's types replace the file's; its ignores add to the file's",
            &config,
            Some("SECURITY_WARNING,SUGGESTION"),
            Some("missing_version"),
            [
                v(&[
                    "OtherRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    "Queue.REDUNDANT_ACTION",
                ]),
                v(&[]),
                v(&[
                    "MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    "Queue.MISSING_VERSION",
                ]),
            ],
        ),
        (
            "NONE on the command line",
            &config,
            Some("NONE"),
            None,
            [
                v(&[]),
                v(&[
                    "OtherRole.PASS_ROLE_WITH_STAR_IN_RESOURCE",
                    "Queue.MISSING_VERSION",
                    "Queue.REDUNDANT_ACTION",
                ]),
                v(&["MyRole.PASS_ROLE_WITH_STAR_IN_RESOURCE"]),
            ],
        ),
    ];
    for (name, config, types, ignore, expected) in cases {
        let rules = config.blocking_rules(types, ignore).unwrap();
        assert_eq!(classify(&rules), expected, "{name}");
    }
    // The file's reasons travel with its rules.
    let rules = config.blocking_rules(None, Some("X")).unwrap();
    let reasons: Vec<_> = rules
        .ignores()
        .iter()
        .map(|r| r.reason.as_deref())
        .collect();
    assert_eq!(reasons, [Some("approved in SEC-123"), None]);
    // A bad flag is the report crate's error.
    assert!(config.blocking_rules(Some("FATAL"), None).is_err());
    assert!(config.blocking_rules(None, Some("a,,b")).is_err());

    assert_eq!(
        config.allowed_external_principals(None),
        v(&["123456789012"])
    );
    assert_eq!(
        config.allowed_external_principals(Some("111122223333, arn:aws:iam::444455556666:root")),
        v(&["111122223333", "arn:aws:iam::444455556666:root"])
    );

    let file_access = Access {
        actions: v(&["iam:PassRole"]),
        resources: v(&["arn:aws:iam::123456789012:role/*"]),
    };
    assert_eq!(config.access_not_granted(None, None), Some(file_access));
    assert_eq!(
        config.access_not_granted(Some("s3:DeleteBucket,s3:DeleteObject"), None),
        Some(Access {
            actions: v(&["s3:DeleteBucket", "s3:DeleteObject"]),
            resources: vec![],
        }),
        "--actions alone replaces the whole access"
    );
    assert_eq!(none.access_not_granted(None, None), None);

    assert_eq!(config.region(None).as_deref(), Some("us-east-1"));
    assert_eq!(
        config.region(Some("eu-west-1")).as_deref(),
        Some("eu-west-1")
    );
    assert_eq!(
        config.account_id(Some("111122223333")).as_deref(),
        Some("111122223333")
    );
    assert_eq!(none.account_id(None), None);
    assert_eq!(
        config.parameters([("Env", "dev"), ("Size", "1")]),
        BTreeMap::from([
            ("Env".to_string(), "dev".to_string()),
            ("Size".to_string(), "1".to_string()),
            ("Team".to_string(), "web".to_string()),
        ])
    );
}
