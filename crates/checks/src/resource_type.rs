//! The 26 resource types of `CheckNoPublicAccess` (the enumeration of the Access Analyzer API reference, as botocore lists it), each with the
//! service prefix of the actions that concern it, whether anonymous (unsigned) callers exist for
//! it, and the condition keys of its own service that keep a grant non-public.

use crate::keys::{KeyRole, OutsiderDomain};
use std::fmt;

macro_rules! resource_types {
    ($( $variant:ident => $aws:literal, [$($prefix:literal),*], $anon:expr; )*) => {
        /// A resource type accepted by `CheckNoPublicAccess` (exactly AWS's 26 enum values).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum ResourceType { $(
            #[doc = concat!("`", $aws, "`")]
            $variant,
        )* }

        impl ResourceType {
            /// Every resource type, in AWS's enum order.
            pub const ALL: &'static [ResourceType] = &[ $( ResourceType::$variant, )* ];

            /// AWS's name, e.g. `AWS::S3::Bucket`.
            pub fn aws_name(self) -> &'static str {
                match self { $( ResourceType::$variant => $aws, )* }
            }

            /// The service prefixes of the actions that act on this type (`s3` for buckets,
            /// `sts` for role trust policies, …). The public check only considers these actions.
            pub fn action_prefixes(self) -> &'static [&'static str] {
                match self { $( ResourceType::$variant => &[$($prefix),*], )* }
            }

            /// Whether unsigned (anonymous) requests exist for this type: only S3, SQS and SNS
            /// (docs/semantics.md, "Principals and accounts").
            pub fn allows_anonymous(self) -> bool {
                match self { $( ResourceType::$variant => $anon, )* }
            }
        }
    };
}

resource_types! {
    DynamoDbTable => "AWS::DynamoDB::Table", ["dynamodb"], false;
    DynamoDbStream => "AWS::DynamoDB::Stream", ["dynamodb"], false;
    EfsFileSystem => "AWS::EFS::FileSystem", ["elasticfilesystem"], false;
    OpenSearchServiceDomain => "AWS::OpenSearchService::Domain", ["es"], false;
    KinesisStream => "AWS::Kinesis::Stream", ["kinesis"], false;
    KinesisStreamConsumer => "AWS::Kinesis::StreamConsumer", ["kinesis"], false;
    KmsKey => "AWS::KMS::Key", ["kms"], false;
    LambdaFunction => "AWS::Lambda::Function", ["lambda"], false;
    S3Bucket => "AWS::S3::Bucket", ["s3"], true;
    S3AccessPoint => "AWS::S3::AccessPoint", ["s3"], true;
    S3ExpressDirectoryBucket => "AWS::S3Express::DirectoryBucket", ["s3express"], false;
    S3Glacier => "AWS::S3::Glacier", ["glacier"], false;
    S3OutpostsBucket => "AWS::S3Outposts::Bucket", ["s3-outposts"], false;
    S3OutpostsAccessPoint => "AWS::S3Outposts::AccessPoint", ["s3-outposts"], false;
    SecretsManagerSecret => "AWS::SecretsManager::Secret", ["secretsmanager"], false;
    SnsTopic => "AWS::SNS::Topic", ["sns"], true;
    SqsQueue => "AWS::SQS::Queue", ["sqs"], true;
    IamAssumeRolePolicyDocument => "AWS::IAM::AssumeRolePolicyDocument", ["sts"], false;
    S3TablesTableBucket => "AWS::S3Tables::TableBucket", ["s3tables"], false;
    ApiGatewayRestApi => "AWS::ApiGateway::RestApi", ["execute-api"], false;
    CodeArtifactDomain => "AWS::CodeArtifact::Domain", ["codeartifact"], false;
    BackupBackupVault => "AWS::Backup::BackupVault", ["backup"], false;
    CloudTrailDashboard => "AWS::CloudTrail::Dashboard", ["cloudtrail"], false;
    CloudTrailEventDataStore => "AWS::CloudTrail::EventDataStore", ["cloudtrail"], false;
    S3TablesTable => "AWS::S3Tables::Table", ["s3tables"], false;
    S3ExpressAccessPoint => "AWS::S3Express::AccessPoint", ["s3express"], false;
}

/// A condition key of one service that keeps a grant from being public, and what an outsider's
/// request can hold under it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServiceKey {
    /// The key name in lowercase.
    pub key: &'static str,
    /// What the key says about the request.
    pub role: KeyRole,
    /// The values an outsider's request can have for it.
    pub outsider: OutsiderDomain,
}

/// S3 "The meaning of public" (S3 User Guide, Blocking public access): a bucket policy is
/// non-public when it grants only to fixed values of, among others, `s3:DataAccessPointArn` and
/// `s3:DataAccessPointAccount`; "When used in a bucket policy, this value can contain a wildcard
/// for the access point name without rendering the policy public, as long as the account ID is
/// fixed" ("This behavior is different for access point policies").
const S3_BUCKET_KEYS: &[ServiceKey] = &[
    ServiceKey {
        key: "s3:dataaccesspointarn",
        role: KeyRole::Source,
        outsider: OutsiderDomain::AbsentOrArnOfAccount,
    },
    ServiceKey {
        key: "s3:dataaccesspointaccount",
        role: KeyRole::Source,
        outsider: OutsiderDomain::AbsentOrAccount,
    },
    S3_KMS_KEY_ID,
    S3_NETWORK_ORIGIN,
];

/// The same keys in an access point policy, where the access point ARN must be fixed whole.
const S3_ACCESS_POINT_KEYS: &[ServiceKey] = &[
    ServiceKey {
        key: "s3:dataaccesspointarn",
        role: KeyRole::Source,
        outsider: OutsiderDomain::AbsentOrFresh,
    },
    ServiceKey {
        key: "s3:dataaccesspointaccount",
        role: KeyRole::Source,
        outsider: OutsiderDomain::AbsentOrAccount,
    },
    S3_KMS_KEY_ID,
    S3_NETWORK_ORIGIN,
];

/// "A fixed value of s3:x-amz-server-side-encryption-aws-kms-key-id" (S3, the meaning of public).
const S3_KMS_KEY_ID: ServiceKey = ServiceKey {
    key: "s3:x-amz-server-side-encryption-aws-kms-key-id",
    role: KeyRole::Source,
    outsider: OutsiderDomain::AbsentOrFresh,
};

/// A VPC-only access point is reachable only from that VPC.
const S3_NETWORK_ORIGIN: ServiceKey = ServiceKey {
    key: "s3:accesspointnetworkorigin",
    role: KeyRole::Network,
    outsider: OutsiderDomain::AbsentOrOneOf(&["Internet"]),
};

const KMS_KEYS: &[ServiceKey] = &[ServiceKey {
    key: "kms:calleraccount",
    role: KeyRole::Identity,
    outsider: OutsiderDomain::Account,
}];

const EFS_KEYS: &[ServiceKey] = &[
    // EFS "The meaning of public": access only through a mount target (in a VPC).
    ServiceKey {
        key: "elasticfilesystem:accessedviamounttarget",
        role: KeyRole::Network,
        outsider: OutsiderDomain::AbsentOrOneOf(&["false"]),
    },
];

impl ResourceType {
    /// Parses AWS's name (`AWS::S3::Bucket`); exact spelling, as the API requires.
    pub fn from_aws_name(name: &str) -> Option<ResourceType> {
        ResourceType::ALL
            .iter()
            .copied()
            .find(|t| t.aws_name() == name)
    }

    /// The condition keys of this type's own service that keep a grant non-public (in addition
    /// to the global keys of `crate::keys`).
    pub fn service_keys(self) -> &'static [ServiceKey] {
        use ResourceType::*;
        match self {
            S3Bucket => S3_BUCKET_KEYS,
            S3AccessPoint => S3_ACCESS_POINT_KEYS,
            KmsKey => KMS_KEYS,
            EfsFileSystem => EFS_KEYS,
            _ => &[],
        }
    }

    /// Whether an action (as written in a request, `service:Name`) concerns this type.
    pub fn concerns_action(self, action: &str) -> bool {
        match action.split_once(':') {
            Some((svc, _)) => self
                .action_prefixes()
                .iter()
                .any(|p| p.eq_ignore_ascii_case(svc)),
            None => false,
        }
    }

    /// An example action of this type, for readable witnesses.
    pub fn example_action(self) -> &'static str {
        use ResourceType::*;
        match self {
            DynamoDbTable => "dynamodb:GetItem",
            DynamoDbStream => "dynamodb:GetRecords",
            EfsFileSystem => "elasticfilesystem:ClientMount",
            OpenSearchServiceDomain => "es:ESHttpGet",
            KinesisStream => "kinesis:GetRecords",
            KinesisStreamConsumer => "kinesis:SubscribeToShard",
            KmsKey => "kms:Decrypt",
            LambdaFunction => "lambda:InvokeFunction",
            S3Bucket | S3AccessPoint => "s3:GetObject",
            S3ExpressDirectoryBucket | S3ExpressAccessPoint => "s3express:CreateSession",
            S3Glacier => "glacier:InitiateJob",
            S3OutpostsBucket | S3OutpostsAccessPoint => "s3-outposts:GetObject",
            SecretsManagerSecret => "secretsmanager:GetSecretValue",
            SnsTopic => "sns:Publish",
            SqsQueue => "sqs:SendMessage",
            IamAssumeRolePolicyDocument => "sts:AssumeRole",
            S3TablesTableBucket | S3TablesTable => "s3tables:GetTableData",
            ApiGatewayRestApi => "execute-api:Invoke",
            CodeArtifactDomain => "codeartifact:GetAuthorizationToken",
            BackupBackupVault => "backup:CopyIntoBackupVault",
            CloudTrailDashboard => "cloudtrail:StartDashboardRefresh",
            CloudTrailEventDataStore => "cloudtrail:StartQuery",
        }
    }
}

impl fmt::Display for ResourceType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.aws_name())
    }
}

impl std::str::FromStr for ResourceType {
    type Err = UnknownResourceType;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        ResourceType::from_aws_name(s).ok_or_else(|| UnknownResourceType(s.to_string()))
    }
}

/// A resource type name that is not one of AWS's 26.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported resource type {0:?}; expected one of: {list}", list = supported_list())]
pub struct UnknownResourceType(pub String);

fn supported_list() -> String {
    ResourceType::ALL
        .iter()
        .map(|t| t.aws_name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactly_awss_26_types_round_trip() {
        assert_eq!(ResourceType::ALL.len(), 26);
        let mut names: Vec<&str> = ResourceType::ALL.iter().map(|t| t.aws_name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 26);
        for t in ResourceType::ALL {
            assert_eq!(ResourceType::from_aws_name(t.aws_name()), Some(*t));
            assert!(t.concerns_action(t.example_action()), "{t}");
            assert!(!t.action_prefixes().is_empty());
        }
        // The botocore enum, verbatim (the API reference lists the same set).
        let botocore = "AWS::DynamoDB::Table, AWS::DynamoDB::Stream, AWS::EFS::FileSystem, AWS::OpenSearchService::Domain, AWS::Kinesis::Stream, AWS::Kinesis::StreamConsumer, AWS::KMS::Key, AWS::Lambda::Function, AWS::S3::Bucket, AWS::S3::AccessPoint, AWS::S3Express::DirectoryBucket, AWS::S3::Glacier, AWS::S3Outposts::Bucket, AWS::S3Outposts::AccessPoint, AWS::SecretsManager::Secret, AWS::SNS::Topic, AWS::SQS::Queue, AWS::IAM::AssumeRolePolicyDocument, AWS::S3Tables::TableBucket, AWS::ApiGateway::RestApi, AWS::CodeArtifact::Domain, AWS::Backup::BackupVault, AWS::CloudTrail::Dashboard, AWS::CloudTrail::EventDataStore, AWS::S3Tables::Table, AWS::S3Express::AccessPoint";
        for n in botocore.split(", ") {
            assert!(ResourceType::from_aws_name(n).is_some(), "{n}");
        }
    }

    #[test]
    fn unknown_names_are_rejected_clearly() {
        assert_eq!(ResourceType::from_aws_name("AWS::S3::Object"), None);
        assert_eq!(ResourceType::from_aws_name("aws::s3::bucket"), None);
        let e = "AWS::EC2::Instance".parse::<ResourceType>().unwrap_err();
        assert!(e.to_string().contains("AWS::S3::Bucket"));
    }

    #[test]
    fn actions_are_matched_by_service_prefix_ignoring_case() {
        assert!(ResourceType::S3Bucket.concerns_action("S3:GetObject"));
        assert!(!ResourceType::S3Bucket.concerns_action("sqs:SendMessage"));
        assert!(ResourceType::IamAssumeRolePolicyDocument
            .concerns_action("sts:AssumeRoleWithWebIdentity"));
        assert!(!ResourceType::KmsKey.concerns_action("kms"));
    }
}
