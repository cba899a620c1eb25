//! The command line, declared with clap's derive API.

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use iamproof_checks::{ResourceType, UnknownResourceType};
use std::path::PathBuf;

const DOC_HELP: &str = "A DOC is file://PATH, a plain PATH, - for standard input, or the JSON \
text itself (anything starting with { or [).";

const EXIT_HELP: &str = "\
Exit status:
  0  the command ran; for checks: PASS; for validate-policy: no ERROR or SECURITY_WARNING finding
  1  for checks: FAIL; for validate-policy: at least one ERROR or SECURITY_WARNING finding
  2  bad usage, bad input (the message says file:line:col and the JSON path), or an engine error";

/// Prove facts about AWS IAM policies, offline: validate, simulate, encode to logic, and run
/// IAM Access Analyzer's custom policy checks without an AWS account.
#[derive(Debug, Parser)]
#[command(
    name = "iamproof",
    version,
    about,
    long_about = None,
    after_help = EXIT_HELP,
    propagate_version = true,
    arg_required_else_help = true,
    max_term_width = 100
)]
pub struct Cli {
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check a policy's grammar and common mistakes, as Access Analyzer's ValidatePolicy does.
    #[command(
        long_about = "Check a policy document against the IAM policy grammar and common \
mistakes, as IAM Access Analyzer's ValidatePolicy does. JSON output is exactly \
ValidatePolicy's response: {\"findings\":[...]}.",
        after_help = concat!(
            "Examples:\n  iamproof validate-policy --policy-document file://examples/identity/pipeline-reference.json \\\n",
            "      --policy-type IDENTITY_POLICY\n",
            "  cat policy.json | iamproof validate-policy --policy-document - --policy-type RESOURCE_POLICY --output json\n\n",
            "Exit status: 0 no ERROR or SECURITY_WARNING finding, 1 at least one, 2 bad usage or input."
        )
    )]
    ValidatePolicy(ValidatePolicyArgs),

    /// Evaluate concrete requests against policies, like `aws iam simulate-custom-policy`.
    #[command(
        long_about = "Evaluate concrete requests against a set of policies, in the spirit of \
`aws iam simulate-custom-policy`: one decision (allowed, explicitDeny, implicitDeny) per action \
and resource, with the statements that decided it.",
        after_help = concat!(
            "Examples:\n",
            "  iamproof simulate --policy-input-list file://examples/identity/pipeline-changed.json \\\n",
            "      --action-names s3:GetObject s3:DeleteBucket --resource-arns 'arn:aws:s3:::build-artifacts/*'\n",
            "  iamproof simulate --resource-policy file://examples/s3/bucket-restricted.json \\\n",
            "      --caller-arn arn:aws:iam::111122223333:user/mallory --action-names s3:PutObject \\\n",
            "      --resource-arns arn:aws:s3:::DOC-EXAMPLE-BUCKET --resource-owner 123456789012\n",
            "  iamproof simulate --policy-input-list file://p.json --request file://request.json\n\n",
            "The request file is JSON: {\"principal\": ARN | {\"AWS\"|\"Service\"|\"Federated\"|\"CanonicalUser\": ...} | \"anonymous\",\n",
            "\"action\": \"svc:Name\", \"resource\": ARN, \"resourceAccount\": \"123456789012\",\n",
            "\"context\": {\"aws:SourceIp\": \"203.0.113.1\", \"aws:TagKeys\": [\"a\", \"b\"]}} (see README).\n\n",
            "Exit status: 0 when it ran (whatever the decisions), 2 bad usage or input."
        )
    )]
    Simulate(Box<SimulateArgs>),

    /// Print the logic formula a policy stands for (Zelkova-style text or SMT-LIB 2).
    #[command(after_help = concat!(
        "Examples:\n",
        "  iamproof formula --policy-document file://examples/s3/bucket-public.json --policy-type RESOURCE_POLICY\n",
        "  iamproof formula --policy-document file://examples/s3/bucket-public.json --policy-type RESOURCE_POLICY \\\n",
        "      --format smtlib | z3 -in"
    ))]
    Formula(FormulaArgs),

    /// Prove that a new policy grants no access the existing one does not (CheckNoNewAccess).
    #[command(after_help = concat!(
        "Example (a CI gate):\n",
        "  iamproof check-no-new-access --existing-policy-document file://examples/identity/pipeline-reference.json \\\n",
        "      --new-policy-document file://examples/identity/pipeline-changed.json --policy-type IDENTITY_POLICY\n",
        "Example (the pull-request gate over a whole template):\n",
        "  iamproof check-no-new-access --template-path template.yaml --base-ref origin/main \\\n",
        "      --output sarif --output-file iamproof.sarif\n\n",
        "Exit status: 0 PASS, 1 FAIL (the new policy might allow new access), 2 bad usage or input.\n",
        "With --template-path: 0 no blocking finding, 1 blocking findings, 2 bad usage or input."
    ))]
    CheckNoNewAccess(CheckNoNewAccessArgs),

    /// Prove that a policy grants none of the listed access (CheckAccessNotGranted).
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof check-access-not-granted --policy-document file://examples/identity/pipeline-changed.json \\\n",
        "      --access '[{\"actions\":[\"s3:DeleteBucket\"]}]' --policy-type IDENTITY_POLICY\n\n",
        "Exit status: 0 PASS, 1 FAIL (the policy might grant the access), 2 bad usage or input."
    ))]
    CheckAccessNotGranted(CheckAccessNotGrantedArgs),

    /// Prove that a resource policy grants no public access (CheckNoPublicAccess).
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof check-no-public-access --policy-document file://examples/s3/bucket-restricted.json \\\n",
        "      --resource-type AWS::S3::Bucket\n\n",
        "Exit status: 0 PASS, 1 FAIL (the policy might grant public access), 2 bad usage or input."
    ))]
    CheckNoPublicAccess(CheckNoPublicAccessArgs),

    /// Prove that a resource policy grants access only to trusted accounts or organizations.
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof check-no-external-access --policy-document file://examples/kms/key-policy.json \\\n",
        "      --resource-type AWS::KMS::Key --trusted-account 123456789012\n\n",
        "Exit status: 0 PASS, 1 FAIL (the policy might grant access outside the trusted accounts), 2 bad usage or input."
    ))]
    CheckNoExternalAccess(CheckNoExternalAccessArgs),

    /// List who outside the zone of trust a resource policy lets do what (access findings).
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof findings --policy-document file://examples/kms/key-policy.json \\\n",
        "      --resource-type AWS::KMS::Key --account-id 123456789012\n\n",
        "The list is proven complete (complete: true) or says why not.\n",
        "Exit status: 0 no finding (proven), 1 findings or not proven complete, 2 bad usage or input."
    ))]
    Findings(Box<crate::commands::findings::FindingsArgs>),

    /// Compare two policies: equivalent, a-more-permissive, b-more-permissive or incomparable.
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof compare --policy-a file://examples/identity/pipeline-reference.json \\\n",
        "      --policy-b file://examples/identity/pipeline-changed.json --policy-type IDENTITY_POLICY\n\n",
        "Exit status: 0 equivalent (proven), 1 different or undecided, 2 bad usage or input."
    ))]
    Compare(Box<crate::commands::findings::CompareArgs>),

    /// Validate every policy of a CloudFormation template, CDK cloud assembly or Terraform plan.
    #[command(
        long_about = "Run ValidatePolicy on every policy of a CloudFormation template, a CDK cloud \
assembly (cdk.out) or a Terraform plan, the public-access check on every resource policy whose \
resource type Access Analyzer knows, and the external-access check when \
--allow-external-principals is given. The flags are cfn-policy-validator's; the JSON report has \
its shape ({\"BlockingFindings\":[...],\"NonBlockingFindings\":[...]}).",
        after_help = concat!(
            "Examples:\n",
            "  iamproof validate --template-path examples/templates/cloudformation.yaml\n",
            "  iamproof validate --template-path cdk.out --output sarif --output-file iamproof.sarif\n\n",
            "Exit status: 0 no blocking finding, 1 blocking findings, 2 bad usage or input.\n",
            "(cfn-policy-validator exits 2 for blocking findings and 1 for errors.)"
        )
    )]
    Validate(Box<ValidateArgs>),

    /// Print the policies found in a CloudFormation template, a CDK cloud assembly or a Terraform plan.
    #[command(after_help = concat!(
        "Examples:\n",
        "  iamproof parse --template-path examples/templates/cloudformation.yaml --parameters Env=prod\n",
        "  iamproof parse --template-path examples/templates/cdk.out --output text\n",
        "  iamproof parse --template-path examples/templates/terraform-plan.json\n\n",
        "Exit status: 0 the input was read, 2 bad usage or input (file:line:col says where)."
    ))]
    Parse(crate::commands::parse::ParseArgs),

    /// Serve IAM Access Analyzer's policy checks over its own HTTP API, for the AWS CLI and SDKs.
    #[command(after_help = concat!(
        "Example:\n",
        "  iamproof serve &\n",
        "  AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_DEFAULT_REGION=us-east-1 \\\n",
        "    aws accessanalyzer check-no-public-access --endpoint-url http://127.0.0.1:8080 \\\n",
        "    --policy-document file://examples/s3/bucket-public.json --resource-type AWS::S3::Bucket\n\n",
        "Request signatures are not verified: listen on loopback or put your own authentication in front.\n",
        "Stops gracefully on SIGTERM or SIGINT; exit status 0, or 2 when it cannot start."
    ))]
    Serve(crate::commands::serve::ServeArgs),
}

const RESOURCE_TYPE_HELP: &str = "The resource type the policy is attached to, as Access \
Analyzer names it: AWS::DynamoDB::Table, AWS::DynamoDB::Stream, AWS::EFS::FileSystem, \
AWS::OpenSearchService::Domain, AWS::Kinesis::Stream, AWS::Kinesis::StreamConsumer, AWS::KMS::Key, \
AWS::Lambda::Function, AWS::S3::Bucket, AWS::S3::AccessPoint, AWS::S3::Glacier, \
AWS::S3Express::DirectoryBucket, AWS::S3Express::AccessPoint, AWS::S3Outposts::Bucket, \
AWS::S3Outposts::AccessPoint, AWS::SecretsManager::Secret, AWS::SNS::Topic, AWS::SQS::Queue, \
AWS::IAM::AssumeRolePolicyDocument, AWS::S3Tables::TableBucket, AWS::S3Tables::Table, \
AWS::ApiGateway::RestApi, AWS::CodeArtifact::Domain, AWS::Backup::BackupVault, \
AWS::CloudTrail::Dashboard, AWS::CloudTrail::EventDataStore.";

fn parse_resource_type(s: &str) -> Result<ResourceType, UnknownResourceType> {
    s.parse()
}

/// `--output text|json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum OutputFormat {
    /// Lines for people, with file:line:col locations.
    #[default]
    Text,
    /// The AWS API response shape, one JSON document on standard output.
    Json,
}

/// `--output` of the commands that can write a report: text, JSON or SARIF.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ReportFormat {
    /// Lines for people, with file:line:col locations.
    #[default]
    Text,
    /// JSON: the AWS API response shape (a policy document), or cfn-policy-validator's
    /// {"BlockingFindings":[...],"NonBlockingFindings":[...]} (a template).
    Json,
    /// SARIF 2.1.0, for GitHub code scanning (with --template-path).
    Sarif,
}

/// The four policy types of ValidatePolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyTypeArg {
    /// Attached to a user, group or role.
    #[value(name = "IDENTITY_POLICY")]
    Identity,
    /// Attached to a resource (bucket, key, queue, role trust…).
    #[value(name = "RESOURCE_POLICY")]
    Resource,
    /// An Organizations service control policy.
    #[value(name = "SERVICE_CONTROL_POLICY")]
    ServiceControl,
    /// An Organizations resource control policy.
    #[value(name = "RESOURCE_CONTROL_POLICY")]
    ResourceControl,
}

impl PolicyTypeArg {
    /// The policy crate's type.
    pub fn to_policy_type(self) -> iamproof_policy::PolicyType {
        use iamproof_policy::PolicyType as P;
        match self {
            PolicyTypeArg::Identity => P::Identity,
            PolicyTypeArg::Resource => P::Resource,
            PolicyTypeArg::ServiceControl => P::ServiceControl,
            PolicyTypeArg::ResourceControl => P::ResourceControl,
        }
    }
}

/// The two policy types the custom checks accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckPolicyTypeArg {
    /// Attached to a user, group or role.
    #[value(name = "IDENTITY_POLICY")]
    Identity,
    /// Attached to a resource.
    #[value(name = "RESOURCE_POLICY")]
    Resource,
}

impl CheckPolicyTypeArg {
    /// The policy crate's type.
    pub fn to_policy_type(self) -> iamproof_policy::PolicyType {
        match self {
            CheckPolicyTypeArg::Identity => iamproof_policy::PolicyType::Identity,
            CheckPolicyTypeArg::Resource => iamproof_policy::PolicyType::Resource,
        }
    }
}

/// `--solver`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SolverArg {
    /// The built-in decision procedure (no external program).
    Native,
    /// Z3, run as an external process (`z3` on PATH).
    Z3,
    /// cvc5, run as an external process (`cvc5` on PATH).
    Cvc5,
    /// All available solvers; the first answer wins.
    Portfolio,
}

/// `--format` of `formula`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FormulaFormat {
    /// Zelkova-style text: `(Action = "s3:PutObject") ∧ (Resource = …)`.
    #[default]
    Zelkova,
    /// An SMT-LIB 2 script a solver can run.
    Smtlib,
}

/// Arguments of `validate-policy`.
#[derive(Debug, Args)]
pub struct ValidatePolicyArgs {
    /// The policy to validate.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP)]
    pub policy_document: String,
    /// What kind of policy the document is.
    #[arg(long, value_name = "TYPE")]
    pub policy_type: PolicyTypeArg,
    /// The resource the RESOURCE_POLICY is attached to; adds the checks AWS runs only for it
    /// (only with --policy-type RESOURCE_POLICY, as in AWS).
    #[arg(long, value_name = "TYPE")]
    pub validate_policy_resource_type: Option<ValidateResourceTypeArg>,
    /// Also run iamproof's own checks (issue codes `IAMPROOF_…`, not Access Analyzer's).
    #[arg(long)]
    pub iamproof_checks: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

/// `--validate-policy-resource-type`: ValidatePolicy's `validatePolicyResourceType` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ValidateResourceTypeArg {
    /// An S3 bucket policy.
    #[value(name = "AWS::S3::Bucket")]
    S3Bucket,
    /// An S3 access point policy.
    #[value(name = "AWS::S3::AccessPoint")]
    S3AccessPoint,
    /// An S3 Multi-Region Access Point policy.
    #[value(name = "AWS::S3::MultiRegionAccessPoint")]
    S3MultiRegionAccessPoint,
    /// An S3 Object Lambda access point policy.
    #[value(name = "AWS::S3ObjectLambda::AccessPoint")]
    S3ObjectLambdaAccessPoint,
    /// An IAM role trust policy.
    #[value(name = "AWS::IAM::AssumeRolePolicyDocument")]
    IamAssumeRolePolicyDocument,
    /// A DynamoDB table policy.
    #[value(name = "AWS::DynamoDB::Table")]
    DynamoDbTable,
}

impl ValidateResourceTypeArg {
    /// The policy crate's resource type.
    pub fn to_resource_type(self) -> iamproof_policy::ResourceType {
        use iamproof_policy::ResourceType as R;
        match self {
            ValidateResourceTypeArg::S3Bucket => R::S3Bucket,
            ValidateResourceTypeArg::S3AccessPoint => R::S3AccessPoint,
            ValidateResourceTypeArg::S3MultiRegionAccessPoint => R::S3MultiRegionAccessPoint,
            ValidateResourceTypeArg::S3ObjectLambdaAccessPoint => R::S3ObjectLambdaAccessPoint,
            ValidateResourceTypeArg::IamAssumeRolePolicyDocument => R::IamAssumeRolePolicyDocument,
            ValidateResourceTypeArg::DynamoDbTable => R::DynamoDbTable,
        }
    }
}

/// Arguments of `simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// Identity policies (of the caller).
    #[arg(long, value_name = "DOC", num_args = 1.., long_help = DOC_HELP)]
    pub policy_input_list: Vec<String>,
    /// The resource's policy.
    #[arg(long, value_name = "DOC")]
    pub resource_policy: Option<String>,
    /// Permissions boundaries of the caller.
    #[arg(long, value_name = "DOC", num_args = 1..)]
    pub permissions_boundary_policy_input_list: Vec<String>,
    /// The session policy of the caller's session.
    #[arg(long, value_name = "DOC")]
    pub session_policy: Option<String>,
    /// Service control policies that apply to the caller's account.
    #[arg(long, value_name = "DOC", num_args = 1..)]
    pub scp: Vec<String>,
    /// Resource control policies that apply to the resource's account.
    #[arg(long, value_name = "DOC", num_args = 1..)]
    pub rcp: Vec<String>,
    /// Actions to simulate (`service:Name`).
    #[arg(long, value_name = "ACTION", num_args = 1.., conflicts_with = "request")]
    pub action_names: Vec<String>,
    /// Resources to simulate each action on [default: *].
    #[arg(long, value_name = "ARN", num_args = 1.., conflicts_with = "request")]
    pub resource_arns: Vec<String>,
    /// The account that owns the resource (decides same- or cross-account evaluation).
    #[arg(long, value_name = "ACCOUNT")]
    pub resource_owner: Option<String>,
    /// The caller, an IAM or STS ARN; required with --resource-policy (as in AWS).
    #[arg(long, value_name = "ARN", group = "caller")]
    pub caller_arn: Option<String>,
    /// Simulate an unsigned (anonymous) request.
    #[arg(long, group = "caller")]
    pub anonymous: bool,
    /// Simulate a request by an AWS service principal, e.g. lambda.amazonaws.com.
    #[arg(long, value_name = "NAME", group = "caller")]
    pub service_principal: Option<String>,
    /// Condition keys of the request, as in the AWS CLI: shorthand
    /// `ContextKeyName=aws:SourceIp,ContextKeyValues=203.0.113.1,ContextKeyType=ip` or JSON
    /// `[{"ContextKeyName":…,"ContextKeyValues":[…],"ContextKeyType":…}]` or file://PATH.
    #[arg(long, value_name = "ENTRIES", num_args = 1..)]
    pub context_entries: Vec<String>,
    /// A request as JSON (see README): principal, action, resource, resourceAccount, context.
    #[arg(long, value_name = "DOC")]
    pub request: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output: OutputFormat,
}

/// Arguments of `formula`.
#[derive(Debug, Args)]
pub struct FormulaArgs {
    /// The policy to encode.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP)]
    pub policy_document: String,
    /// What kind of policy the document is [default: IDENTITY_POLICY].
    #[arg(long, value_name = "TYPE")]
    pub policy_type: Option<PolicyTypeArg>,
    /// The notation.
    #[arg(long, value_enum, default_value_t = FormulaFormat::Zelkova)]
    pub format: FormulaFormat,
}

/// Options every check shares.
#[derive(Debug, Args)]
pub struct CheckCommon {
    /// Output format (sarif: with --template-path only).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    /// Which solver decides the check.
    #[arg(long, value_enum, default_value_t = SolverArg::Portfolio)]
    pub solver: SolverArg,
    /// Time limit of the whole check (all its solver calls), in seconds; running out gives FAIL
    /// (PASS must be a proof). With --template-path: of each policy's check.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    /// Heap limit of the whole command, in MiB; reaching it gives FAIL (the check could not be
    /// completed). Together with --timeout it bounds any input, however hostile. Document mode
    /// only (a template run bounds each check by --timeout and the engine's own budgets).
    #[arg(long, value_name = "MIB", default_value_t = 768, value_parser = clap::value_parser!(u64).range(16..=1_048_576))]
    pub max_memory: u64,
}

impl CheckCommon {
    fn limits(&self, check: iamproof_checks::CheckKind) -> crate::limits::Limits {
        crate::limits::Limits {
            check,
            format: match self.output {
                ReportFormat::Text => OutputFormat::Text,
                ReportFormat::Json | ReportFormat::Sarif => OutputFormat::Json,
            },
            time: std::time::Duration::from_secs(self.timeout),
            max_memory: usize::try_from(self.max_memory << 20).unwrap_or(usize::MAX),
        }
    }
}

impl Command {
    /// The hard limits of a check command (`None` for the other commands).
    pub fn limits(&self) -> Option<crate::limits::Limits> {
        use iamproof_checks::CheckKind;
        // A template run has no whole-command watchdog: each policy's check has its own time
        // limit, and the answer is a report, not one check's result.
        let template_mode = match self {
            Command::CheckNoNewAccess(a) => a.template_path.is_some(),
            Command::CheckAccessNotGranted(a) => a.template_path.is_some(),
            Command::CheckNoPublicAccess(a) => a.template_path.is_some(),
            _ => false,
        };
        if template_mode {
            return None;
        }
        Some(match self {
            Command::CheckNoNewAccess(a) => {
                a.findings.widen(a.common.limits(CheckKind::NoNewAccess))
            }
            Command::CheckAccessNotGranted(a) => {
                a.findings
                    .widen(a.common.limits(CheckKind::AccessNotGranted {
                        with_resources: false,
                    }))
            }
            Command::CheckNoPublicAccess(a) => {
                a.findings.widen(a.common.limits(CheckKind::NoPublicAccess))
            }
            Command::CheckNoExternalAccess(a) => a
                .findings
                .widen(a.common.limits(CheckKind::NoExternalAccess)),
            _ => return None,
        })
    }
}

/// Arguments of `check-no-new-access`: two documents, or a template against a reference policy,
/// a base version of the template, or (a Terraform plan) its own before values.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["new_policy_document", "template_path"])))]
#[command(group(ArgGroup::new("base").args(["reference_policy", "base_template_path", "base_ref"])))]
pub struct CheckNoNewAccessArgs {
    /// The reference policy (what is already allowed).
    #[arg(long, value_name = "DOC", long_help = DOC_HELP, required_unless_present = "template_path", conflicts_with = "template_path")]
    pub existing_policy_document: Option<String>,
    /// The changed policy.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP, conflicts_with = "template_path")]
    pub new_policy_document: Option<String>,
    /// The type of both documents.
    #[arg(
        long,
        value_name = "TYPE",
        required_unless_present = "template_path",
        conflicts_with = "template_path"
    )]
    pub policy_type: Option<CheckPolicyTypeArg>,
    #[command(flatten)]
    pub common: CheckCommon,
    #[command(flatten)]
    pub findings: crate::commands::findings::FindingsFlags,
    /// The head template, CDK cloud assembly or Terraform plan (template mode). A Terraform plan
    /// alone compares each resource's before and after values.
    #[arg(long, value_name = "PATH")]
    pub template_path: Option<PathBuf>,
    /// Compare each policy of the template's type with this reference policy (JSON file).
    #[arg(long, value_name = "FILE", requires = "reference_policy_type")]
    pub reference_policy: Option<PathBuf>,
    /// The type of the reference policy: identity policies of the template are compared with an
    /// identity reference, resource policies with a resource reference.
    #[arg(long, value_enum, value_name = "TYPE", requires = "reference_policy")]
    pub reference_policy_type: Option<ReferencePolicyTypeArg>,
    /// The base version: another template, cloud assembly or plan.
    #[arg(long, value_name = "PATH")]
    pub base_template_path: Option<PathBuf>,
    /// The base version: the same path at this git revision (`git show REF:PATH`, no checkout),
    /// e.g. origin/main.
    #[arg(long, value_name = "REF")]
    pub base_ref: Option<String>,
    /// Accept policies the head version adds (otherwise each is new access as a whole).
    #[arg(long)]
    pub allow_added: bool,
    /// Report failed checks as non-blocking findings (exit 0).
    #[arg(long)]
    pub treat_findings_as_non_blocking: bool,
    #[command(flatten)]
    pub template: TemplateOptions,
}

/// `--reference-policy-type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReferencePolicyTypeArg {
    /// Compared with the template's identity policies.
    Identity,
    /// Compared with the template's resource policies.
    Resource,
}

impl TemplateOptions {
    /// The first of these flags given on the command line, for the error of a document-mode
    /// command that got one.
    pub fn first_given(&self) -> Option<&'static str> {
        [
            (self.template_format.is_some(), "--format"),
            (self.region.is_some(), "--region"),
            (self.account_id.is_some(), "--account-id"),
            (!self.parameters.is_empty(), "--parameters"),
            (
                self.template_configuration_file.is_some(),
                "--template-configuration-file",
            ),
            (
                !self.exclude_resource_types.is_empty(),
                "--exclude-resource-types",
            ),
            (self.ignore_finding.is_some(), "--ignore-finding"),
            (self.output_file.is_some(), "--output-file"),
            (self.quiet, "--quiet"),
            (self.config.is_some(), "--config"),
        ]
        .into_iter()
        .find_map(|(given, flag)| given.then_some(flag))
    }
}

/// The flags of every command that reads a template (cfn-policy-validator's names).
#[derive(Debug, Args)]
pub struct TemplateOptions {
    /// The input format [default: auto].
    #[arg(long = "format", value_enum, value_name = "FORMAT")]
    pub template_format: Option<crate::commands::parse::TemplateFormatArg>,
    /// AWS::Region (the partition follows from it) [default: us-east-1].
    #[arg(long)]
    pub region: Option<String>,
    /// AWS::AccountId [default: 123456789012].
    #[arg(long)]
    pub account_id: Option<String>,
    /// Template parameters: KEY=VALUE ..., or file://PATH.
    #[arg(long, num_args = 1.., value_name = "KEY=VALUE")]
    pub parameters: Vec<String>,
    /// A CloudFormation template configuration file: {"Parameters": {"Key": "Value"}}.
    #[arg(long, value_name = "FILE")]
    pub template_configuration_file: Option<PathBuf>,
    /// Leave out the policies of these resource types (AWS::SQS::QueuePolicy,aws_sqs_queue_policy,...).
    #[arg(long, value_name = "TYPE,...", value_delimiter = ',')]
    pub exclude_resource_types: Vec<String>,
    /// Findings to ignore: CODE, RESOURCE or RESOURCE.CODE, comma-separated (case-insensitive).
    #[arg(long, value_name = "CODE|RESOURCE|RESOURCE.CODE,...")]
    pub ignore_finding: Option<String>,
    /// Write the report to FILE instead of standard output (the summary line goes to standard error).
    #[arg(long, value_name = "FILE")]
    pub output_file: Option<PathBuf>,
    /// No progress bar and no summary on standard error.
    #[arg(long)]
    pub quiet: bool,
    /// The gate's settings file [default: the first .iamproof.toml found from the working
    /// directory up to the repository root]. Flags override it (README, `.iamproof.toml`).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// Arguments of `check-access-not-granted`: a document, or every policy of a template.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["policy_document", "template_path"])))]
pub struct CheckAccessNotGrantedArgs {
    /// The policy to check.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP, conflicts_with = "template_path")]
    pub policy_document: Option<String>,
    /// The critical access, as the API's JSON list `[{"actions":[…],"resources":[…]}]` (at most
    /// one item, at most 100 actions and 100 resources), inline, file://PATH, PATH or -; or that
    /// one object alone; or the AWS CLI shorthand `actions=s3:DeleteBucket,s3:GetObject,resources=ARN`.
    #[arg(
        long,
        value_name = "JSON",
        required_unless_present = "template_path",
        conflicts_with = "template_path"
    )]
    pub access: Option<String>,
    /// The type of the document.
    #[arg(
        long,
        value_name = "TYPE",
        required_unless_present = "template_path",
        conflicts_with = "template_path"
    )]
    pub policy_type: Option<CheckPolicyTypeArg>,
    #[command(flatten)]
    pub common: CheckCommon,
    #[command(flatten)]
    pub findings: crate::commands::findings::FindingsFlags,
    /// Check every identity and resource policy of this template, CDK cloud assembly or
    /// Terraform plan (template mode).
    #[arg(long, value_name = "PATH")]
    pub template_path: Option<PathBuf>,
    /// The actions that must not be granted (template mode), comma-separated, at most 100.
    #[arg(long, value_name = "ACTION,...", value_delimiter = ',')]
    pub actions: Vec<String>,
    /// The resources that must not be accessible (template mode), comma-separated, at most 100.
    #[arg(long, value_name = "ARN,...", value_delimiter = ',')]
    pub resources: Vec<String>,
    /// Report failed checks as non-blocking findings (exit 0).
    #[arg(long)]
    pub treat_findings_as_non_blocking: bool,
    #[command(flatten)]
    pub template: TemplateOptions,
}

/// Arguments of `check-no-public-access`: a document, or every resource policy of a template.
#[derive(Debug, Args)]
#[command(group(ArgGroup::new("input").required(true).args(["policy_document", "template_path"])))]
pub struct CheckNoPublicAccessArgs {
    /// The resource policy to check.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP, conflicts_with = "template_path")]
    pub policy_document: Option<String>,
    /// The resource type, e.g. AWS::S3::Bucket, AWS::KMS::Key, AWS::IAM::AssumeRolePolicyDocument.
    #[arg(long, value_name = "TYPE", value_parser = parse_resource_type, long_help = RESOURCE_TYPE_HELP, required_unless_present = "template_path", conflicts_with = "template_path")]
    pub resource_type: Option<ResourceType>,
    #[command(flatten)]
    pub common: CheckCommon,
    #[command(flatten)]
    pub findings: crate::commands::findings::FindingsFlags,
    /// Check every resource policy of this template, CDK cloud assembly or Terraform plan whose
    /// resource type Access Analyzer knows (template mode).
    #[arg(long, value_name = "PATH")]
    pub template_path: Option<PathBuf>,
    /// Report failed checks as non-blocking findings (exit 0).
    #[arg(long)]
    pub treat_findings_as_non_blocking: bool,
    #[command(flatten)]
    pub template: TemplateOptions,
}

/// Arguments of `validate`.
#[derive(Debug, Args)]
pub struct ValidateArgs {
    /// The template file, cdk.out directory or Terraform plan JSON.
    #[arg(long, value_name = "PATH")]
    pub template_path: PathBuf,
    /// Trusted principals: resource policies granting access outside these accounts (and the
    /// template's own) are reported. Account ids or account root ARNs, comma-separated; `*`
    /// trusts everyone.
    #[arg(long, value_name = "ACCOUNT,ARN,...")]
    pub allow_external_principals: Option<String>,
    /// The finding types that block (exit 1), comma-separated: ERROR, SECURITY_WARNING, WARNING,
    /// SUGGESTION, or NONE [default: ERROR,SECURITY_WARNING].
    #[arg(long, value_name = "TYPE,...")]
    pub treat_finding_type_as_blocking: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub output: ReportFormat,
    /// Which solver decides the checks.
    #[arg(long, value_enum, default_value_t = SolverArg::Portfolio)]
    pub solver: SolverArg,
    /// Time limit of each policy's check, in seconds; running out gives FAIL.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=86_400))]
    pub timeout: u64,
    #[command(flatten)]
    pub template: TemplateOptions,
}

/// Arguments of `check-no-external-access`.
#[derive(Debug, Args)]
pub struct CheckNoExternalAccessArgs {
    /// The resource policy to check.
    #[arg(long, value_name = "DOC", long_help = DOC_HELP)]
    pub policy_document: String,
    /// The resource type, e.g. AWS::S3::Bucket.
    #[arg(long, value_name = "TYPE", value_parser = parse_resource_type, long_help = RESOURCE_TYPE_HELP)]
    pub resource_type: ResourceType,
    /// An account that may have access (repeatable).
    #[arg(
        long,
        value_name = "ACCOUNT",
        required_unless_present = "trusted_organization"
    )]
    pub trusted_account: Vec<String>,
    /// An AWS Organizations id (o-…) whose accounts may have access (repeatable).
    #[arg(long, value_name = "ORG_ID")]
    pub trusted_organization: Vec<String>,
    #[command(flatten)]
    pub findings: crate::commands::findings::FindingsFlags,
    #[command(flatten)]
    pub common: CheckCommon,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
