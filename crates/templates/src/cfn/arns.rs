//! What `Ref` and `Fn::GetAtt` give for resources of the same template.
//!
//! A resource's physical name is its name property when the template sets it (resolved like any
//! other value), else a deterministic generated name: the logical id (lower-cased where the
//! service requires lower case). IDs CloudFormation or the service make up at creation (a KMS key
//! id, an EFS file system id) are deterministic stand-ins of the right shape derived from the
//! logical id; parts that are random in reality and appear in ARNs (the six-character suffix of
//! a Secrets Manager secret ARN, a layer version number) are explicit unknowns. Types and
//! attributes not in this table resolve to an explicit unknown.

/// One attribute (or `Ref`) of a resource type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// The physical name.
    Name,
    /// An ARN pattern: `{partition}`, `{region}`, `{account}`, `{name}`, `{path}`, `{id}` are
    /// replaced; `{unknown}` becomes an explicit unknown part.
    Arn(&'static str),
    /// Any other text pattern with the same placeholders (queue URLs, repository URIs...).
    Text(&'static str),
}

/// The resolution rules of one CloudFormation resource type.
#[derive(Debug, Clone, Copy)]
pub struct TypeRule {
    /// `AWS::IAM::Role`...
    pub cfn_type: &'static str,
    /// The property holding the physical name, if the template may set it.
    pub name_property: Option<&'static str>,
    /// Whether generated names are lower case (S3 buckets, ECR repositories).
    pub lower_case: bool,
    /// What `Ref` returns.
    pub reference: Shape,
    /// What `Fn::GetAtt` returns, per attribute.
    pub attributes: &'static [(&'static str, Shape)],
}

use Shape::{Arn, Name, Text};

/// The table of resource types whose `Ref`/`Fn::GetAtt` values are built.
pub const TYPES: &[TypeRule] = &[
    TypeRule {
        cfn_type: "AWS::IAM::Role",
        name_property: Some("RoleName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:iam::{account}:role{path}{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::IAM::User",
        name_property: Some("UserName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:iam::{account}:user{path}{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::IAM::Group",
        name_property: Some("GroupName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:iam::{account}:group{path}{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::IAM::ManagedPolicy",
        name_property: Some("ManagedPolicyName"),
        lower_case: false,
        reference: Arn("arn:{partition}:iam::{account}:policy{path}{name}"),
        attributes: &[(
            "PolicyArn",
            Arn("arn:{partition}:iam::{account}:policy{path}{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::IAM::InstanceProfile",
        name_property: Some("InstanceProfileName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:iam::{account}:instance-profile{path}{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::S3::Bucket",
        name_property: Some("BucketName"),
        lower_case: true,
        reference: Name,
        attributes: &[
            ("Arn", Arn("arn:{partition}:s3:::{name}")),
            ("DomainName", Text("{name}.s3.amazonaws.com")),
            (
                "RegionalDomainName",
                Text("{name}.s3.{region}.amazonaws.com"),
            ),
            (
                "WebsiteURL",
                Text("http://{name}.s3-website-{region}.amazonaws.com"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::SQS::Queue",
        name_property: Some("QueueName"),
        lower_case: false,
        reference: Text("https://sqs.{region}.amazonaws.com/{account}/{name}"),
        attributes: &[
            ("Arn", Arn("arn:{partition}:sqs:{region}:{account}:{name}")),
            ("QueueName", Name),
            (
                "QueueUrl",
                Text("https://sqs.{region}.amazonaws.com/{account}/{name}"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::SNS::Topic",
        name_property: Some("TopicName"),
        lower_case: false,
        reference: Arn("arn:{partition}:sns:{region}:{account}:{name}"),
        attributes: &[
            (
                "TopicArn",
                Arn("arn:{partition}:sns:{region}:{account}:{name}"),
            ),
            ("TopicName", Name),
        ],
    },
    TypeRule {
        cfn_type: "AWS::KMS::Key",
        name_property: None,
        lower_case: false,
        reference: Text("{id}"),
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:kms:{region}:{account}:key/{id}"),
            ),
            ("KeyId", Text("{id}")),
        ],
    },
    TypeRule {
        cfn_type: "AWS::KMS::Alias",
        name_property: Some("AliasName"),
        lower_case: false,
        reference: Name,
        attributes: &[],
    },
    TypeRule {
        cfn_type: "AWS::Lambda::Function",
        name_property: Some("FunctionName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:lambda:{region}:{account}:function:{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::Serverless::Function",
        name_property: Some("FunctionName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:lambda:{region}:{account}:function:{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::Lambda::LayerVersion",
        name_property: Some("LayerName"),
        lower_case: false,
        reference: Arn("arn:{partition}:lambda:{region}:{account}:layer:{name}:{unknown}"),
        attributes: &[],
    },
    TypeRule {
        cfn_type: "AWS::DynamoDB::Table",
        name_property: Some("TableName"),
        lower_case: false,
        reference: Name,
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:dynamodb:{region}:{account}:table/{name}"),
            ),
            (
                "StreamArn",
                Arn("arn:{partition}:dynamodb:{region}:{account}:table/{name}/stream/{unknown}"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::SecretsManager::Secret",
        name_property: Some("Name"),
        lower_case: false,
        reference: Arn("arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{unknown}"),
        attributes: &[(
            "Id",
            Arn("arn:{partition}:secretsmanager:{region}:{account}:secret:{name}-{unknown}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::ECR::Repository",
        name_property: Some("RepositoryName"),
        lower_case: true,
        reference: Name,
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:ecr:{region}:{account}:repository/{name}"),
            ),
            (
                "RepositoryUri",
                Text("{account}.dkr.ecr.{region}.amazonaws.com/{name}"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::Logs::LogGroup",
        name_property: Some("LogGroupName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:logs:{region}:{account}:log-group:{name}:*"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::StepFunctions::StateMachine",
        name_property: Some("StateMachineName"),
        lower_case: false,
        reference: Arn("arn:{partition}:states:{region}:{account}:stateMachine:{name}"),
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:states:{region}:{account}:stateMachine:{name}"),
            ),
            ("Name", Name),
        ],
    },
    TypeRule {
        cfn_type: "AWS::StepFunctions::Activity",
        name_property: Some("Name"),
        lower_case: false,
        reference: Arn("arn:{partition}:states:{region}:{account}:activity:{name}"),
        attributes: &[("Name", Name)],
    },
    TypeRule {
        cfn_type: "AWS::Kinesis::Stream",
        name_property: Some("Name"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:kinesis:{region}:{account}:stream/{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::KinesisFirehose::DeliveryStream",
        name_property: Some("DeliveryStreamName"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:firehose:{region}:{account}:deliverystream/{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::Events::EventBus",
        name_property: Some("Name"),
        lower_case: false,
        reference: Name,
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:events:{region}:{account}:event-bus/{name}"),
            ),
            ("Name", Name),
        ],
    },
    TypeRule {
        cfn_type: "AWS::Events::Rule",
        name_property: Some("Name"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:events:{region}:{account}:rule/{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::EFS::FileSystem",
        name_property: None,
        lower_case: false,
        reference: Text("fs-{id}"),
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:elasticfilesystem:{region}:{account}:file-system/fs-{id}"),
            ),
            ("FileSystemId", Text("fs-{id}")),
        ],
    },
    TypeRule {
        cfn_type: "AWS::SSM::Parameter",
        name_property: Some("Name"),
        lower_case: false,
        reference: Name,
        attributes: &[],
    },
    TypeRule {
        cfn_type: "AWS::Backup::BackupVault",
        name_property: Some("BackupVaultName"),
        lower_case: false,
        reference: Name,
        attributes: &[
            (
                "BackupVaultArn",
                Arn("arn:{partition}:backup:{region}:{account}:backup-vault:{name}"),
            ),
            ("BackupVaultName", Name),
        ],
    },
    TypeRule {
        cfn_type: "AWS::OpenSearchService::Domain",
        name_property: Some("DomainName"),
        lower_case: true,
        reference: Name,
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:es:{region}:{account}:domain/{name}"),
            ),
            (
                "DomainArn",
                Arn("arn:{partition}:es:{region}:{account}:domain/{name}"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::Elasticsearch::Domain",
        name_property: Some("DomainName"),
        lower_case: true,
        reference: Name,
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:es:{region}:{account}:domain/{name}"),
            ),
            (
                "DomainArn",
                Arn("arn:{partition}:es:{region}:{account}:domain/{name}"),
            ),
        ],
    },
    TypeRule {
        cfn_type: "AWS::CodeBuild::Project",
        name_property: Some("Name"),
        lower_case: false,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:codebuild:{region}:{account}:project/{name}"),
        )],
    },
    TypeRule {
        cfn_type: "AWS::CodeCommit::Repository",
        name_property: Some("RepositoryName"),
        lower_case: false,
        reference: Text("{id}"),
        attributes: &[
            (
                "Arn",
                Arn("arn:{partition}:codecommit:{region}:{account}:{name}"),
            ),
            ("Name", Name),
        ],
    },
    TypeRule {
        cfn_type: "AWS::Glue::Database",
        name_property: None,
        lower_case: true,
        reference: Name,
        attributes: &[],
    },
    TypeRule {
        cfn_type: "AWS::S3::AccessPoint",
        name_property: Some("Name"),
        lower_case: true,
        reference: Name,
        attributes: &[(
            "Arn",
            Arn("arn:{partition}:s3:{region}:{account}:accesspoint/{name}"),
        )],
    },
];

/// The rule of a resource type, if it is in the table.
pub fn rule(cfn_type: &str) -> Option<&'static TypeRule> {
    TYPES.iter().find(|t| t.cfn_type == cfn_type)
}

/// A deterministic stand-in for a service-generated id (32 hex digits in UUID form), derived
/// from the logical id with FNV-1a so that runs agree.
pub fn generated_id(logical_id: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut h2: u64 = 0x8422_2325_cbf2_9ce4;
    for b in logical_id.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
        h2 = (h2 ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3);
    }
    let hex = format!("{h:016x}{h2:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}
