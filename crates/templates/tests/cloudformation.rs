//! CloudFormation: each intrinsic function, pseudo parameters, resource references, the
//! policy-bearing resources, locations, and bad input.

use iamproof_templates::value::Kind;
use iamproof_templates::{extract_text, ExtractOptions, Extraction, PolicyType, TemplateError};
use serde_json::{json, Value as J};

fn run(text: &str, opts: &ExtractOptions) -> Result<Extraction, TemplateError> {
    extract_text("t.yaml", text, opts)
}

fn cfn(text: &str) -> Extraction {
    run(text, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{e}"))
}

/// The document of the only policy, as JSON (unknowns as `{"iamproof:unknown": ...}`).
fn doc(x: &Extraction) -> J {
    assert_eq!(x.policies.len(), 1, "{:?}", x);
    serde_json::to_value(&x.policies[0].document).unwrap_or(J::Null)
}

/// A template with one managed policy whose only statement's Resource is `resource` (YAML).
fn with_resource(prefix: &str, resource: &str) -> String {
    format!(
        "{prefix}\nResources:\n{RES}  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: {resource}\n",
        RES = ""
    )
}

fn resource_of(prefix: &str, resource: &str) -> J {
    doc(&cfn(&with_resource(prefix, resource)))["Statement"][0]["Resource"].clone()
}

fn unknown(what: &str) -> J {
    json!({"iamproof:unknown": what})
}

#[test]
fn ref_parameters_defaults_values_and_unknowns() {
    let params = "Parameters:\n  A: {Type: String, Default: da}\n  B: {Type: String}\n  L: {Type: CommaDelimitedList, Default: 'x,y'}\n  S: {Type: 'AWS::SSM::Parameter::Value<String>', Default: /my/param}";
    assert_eq!(resource_of(params, "!Ref A"), json!("da"));
    assert_eq!(resource_of(params, "!Ref B"), unknown("Ref B"));
    assert_eq!(resource_of(params, "!Ref L"), json!(["x", "y"]));
    assert_eq!(
        resource_of(params, "!Ref S"),
        unknown("Ref S"),
        "SSM parameters are resolved at deploy time"
    );
    let mut opts = ExtractOptions::default();
    opts.parameters.insert("B".into(), "given".into());
    opts.parameters.insert("A".into(), "over".into());
    let x =
        run(&with_resource(params, "[!Ref A, !Ref B]"), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc(&x)["Statement"][0]["Resource"],
        json!(["over", "given"])
    );
}

#[test]
fn pseudo_parameters_and_no_value() {
    let r = resource_of("", "!Sub 'arn:${AWS::Partition}:s3:::${AWS::Region}-${AWS::AccountId}-${AWS::StackName}.${AWS::URLSuffix}'");
    assert_eq!(
        r,
        json!("arn:aws:s3:::us-east-1-123456789012-iamproof-stack.amazonaws.com")
    );
    let opts = ExtractOptions {
        region: "cn-north-1".into(),
        account_id: "111122223333".into(),
        ..ExtractOptions::default()
    };
    let x = run(
        &with_resource(
            "",
            "!Sub 'arn:${AWS::Partition}:sqs:${AWS::Region}:${AWS::AccountId}:q'",
        ),
        &opts,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        doc(&x)["Statement"][0]["Resource"],
        json!("arn:aws-cn:sqs:cn-north-1:111122223333:q")
    );
    let x = run(
        &with_resource("", "!Sub '${AWS::Partition}'"),
        &ExtractOptions {
            region: "us-gov-west-1".into(),
            ..ExtractOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(doc(&x)["Statement"][0]["Resource"], json!("aws-us-gov"));
    assert_eq!(
        resource_of("", "[a, !Ref 'AWS::NoValue', b]"),
        json!(["a", "b"])
    );
    let stack_id = resource_of("", "!Ref AWS::StackId");
    assert!(stack_id
        .as_str()
        .is_some_and(|s| s
            .starts_with("arn:aws:cloudformation:us-east-1:123456789012:stack/iamproof-stack/")));
    // AWS::NoValue removes a key.
    let t = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - Effect: Allow\n            Sid: !Ref AWS::NoValue\n            Action: '*'\n            Resource: '*'\n";
    assert!(doc(&cfn(t))["Statement"][0].get("Sid").is_none());
}

#[test]
fn sub_both_forms_literals_attributes_and_missing_variables() {
    let prefix = "Parameters:\n  Env: {Type: String, Default: prod}";
    assert_eq!(
        resource_of(prefix, "!Sub 'arn:aws:s3:::${Env}-${!Literal}/*'"),
        json!("arn:aws:s3:::prod-${Literal}/*")
    );
    assert_eq!(
        resource_of(
            prefix,
            "!Sub ['arn:aws:s3:::${Name}/${Env}', {Name: !Join ['-', [a, b]]}]"
        ),
        json!("arn:aws:s3:::a-b/prod")
    );
    assert_eq!(
        resource_of(
            "Parameters:\n  X: {Type: String}",
            "{'Fn::Sub': 'arn:aws:s3:::${X}/*'}"
        ),
        json!({"iamproof:concat": ["arn:aws:s3:::", {"iamproof:unknown": "Ref X"}, "/*"]})
    );
    // A variable that names nothing: the policy is not analysable, with file:line:col.
    let x = cfn(&with_resource("", "!Sub 'arn:aws:s3:::${Nope}'"));
    assert!(x.policies.is_empty());
    assert_eq!(x.not_analysable.len(), 1);
    let reason = &x.not_analysable[0].reason;
    assert!(reason.contains("${Nope}"), "{reason}");
    assert_eq!(x.not_analysable[0].location.map(|l| l.start.line), Some(11));
}

#[test]
fn join_select_split_find_in_map_get_azs_import_value_base64() {
    let prefix =
        "Mappings:\n  M:\n    us-east-1: {Bucket: east-bucket}\nParameters:\n  U: {Type: String}";
    assert_eq!(
        resource_of(
            prefix,
            "!Join ['', ['arn:aws:s3:::', !FindInMap [M, !Ref 'AWS::Region', Bucket]]]"
        ),
        json!("arn:aws:s3:::east-bucket")
    );
    assert_eq!(resource_of(prefix, "!Select [1, [a, b, c]]"), json!("b"));
    assert_eq!(
        resource_of(prefix, "!Select [0, !Split [',', 'x,y']]"),
        json!("x")
    );
    assert_eq!(
        resource_of(prefix, "!Split ['|', 'a|b']"),
        json!(["a", "b"])
    );
    assert_eq!(
        resource_of(prefix, "!ImportValue SharedBucketArn"),
        unknown("Fn::ImportValue SharedBucketArn")
    );
    assert_eq!(
        resource_of(prefix, "!GetAZs ''"),
        unknown("Fn::GetAZs (not evaluated)")
    );
    assert_eq!(
        resource_of(prefix, "!Base64 x"),
        unknown("Fn::Base64 (not evaluated)")
    );
    assert_eq!(
        resource_of(prefix, "!Select [0, !Ref U]"),
        unknown("Fn::Select (unknown index or list)")
    );
    assert_eq!(
        resource_of(prefix, "!Join [':', [a, !Ref U]]"),
        json!({"iamproof:concat": ["a:", {"iamproof:unknown": "Ref U"}]})
    );
    // FindInMap's default value (AWS::LanguageExtensions) and a missing key.
    assert_eq!(
        resource_of(
            prefix,
            "!FindInMap [M, eu-west-1, Bucket, {DefaultValue: dflt}]"
        ),
        json!("dflt")
    );
    let x = cfn(&with_resource(prefix, "!FindInMap [M, eu-west-1, Bucket]"));
    assert!(
        x.not_analysable[0].reason.contains("no M.eu-west-1.Bucket"),
        "{:?}",
        x.not_analysable
    );
}

#[test]
fn conditions_and_if() {
    let prefix = "Parameters:\n  Env: {Type: String, Default: prod}\n  Free: {Type: String}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\n  NotProd: !Not [!Condition IsProd]\n  Both: !And [!Condition IsProd, !Or [!Equals [a, b], !Condition IsProd]]\n  IsFree: !Equals [!Ref Free, x]";
    assert_eq!(resource_of(prefix, "!If [IsProd, p, d]"), json!("p"));
    assert_eq!(resource_of(prefix, "!If [NotProd, p, d]"), json!("d"));
    assert_eq!(resource_of(prefix, "!If [Both, p, d]"), json!("p"));
    assert_eq!(
        resource_of(prefix, "!If [IsFree, p, d]"),
        unknown("Fn::If IsFree")
    );
    assert_eq!(
        resource_of(prefix, "!If [IsFree, same, same]"),
        json!("same")
    );
    // A resource whose condition is false is not created.
    let t = format!("{prefix}\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Condition: NotProd\n    Properties:\n      PolicyDocument: {{Statement: [{{Effect: Allow, Action: '*', Resource: '*'}}]}}\n");
    let x = cfn(&t);
    assert!(x.policies.is_empty());
    assert!(x.notes.iter().any(|n| n.message.contains("not created")));
}

#[test]
fn references_to_resources_of_the_template() {
    let t = r#"
Resources:
  Bucket: {Type: AWS::S3::Bucket, Properties: {BucketName: my-bucket}}
  AutoBucket: {Type: AWS::S3::Bucket}
  Queue: {Type: AWS::SQS::Queue}
  Topic: {Type: AWS::SNS::Topic, Properties: {TopicName: t}}
  Role: {Type: AWS::IAM::Role, Properties: {Path: /svc/, RoleName: r, AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: lambda.amazonaws.com}, Action: sts:AssumeRole}]}}}
  Key: {Type: AWS::KMS::Key, Properties: {KeyPolicy: {Statement: [{Effect: Allow, Principal: {AWS: !Sub 'arn:aws:iam::${AWS::AccountId}:root'}, Action: 'kms:*', Resource: '*'}]}}}
  Secret: {Type: AWS::SecretsManager::Secret, Properties: {Name: s}}
  Vpc: {Type: AWS::EC2::VPC}
  P:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      PolicyDocument:
        Statement:
          - Effect: Allow
            Action: '*'
            Resource:
              - !GetAtt Bucket.Arn
              - !Sub '${AutoBucket.Arn}/*'
              - !Ref Queue
              - !GetAtt Queue.Arn
              - !Ref Topic
              - !GetAtt Role.Arn
              - !GetAtt Key.Arn
              - !Ref Secret
              - !Ref Vpc
              - !GetAtt Bucket.NoSuchAttribute
"#;
    let x = cfn(t);
    let p = x
        .policies
        .iter()
        .find(|p| p.resource == "P")
        .unwrap_or_else(|| panic!("no P"));
    let r =
        serde_json::to_value(&p.document).unwrap_or(J::Null)["Statement"][0]["Resource"].clone();
    assert_eq!(r[0], json!("arn:aws:s3:::my-bucket"));
    assert_eq!(r[1], json!("arn:aws:s3:::autobucket/*"));
    assert_eq!(
        r[2],
        json!("https://sqs.us-east-1.amazonaws.com/123456789012/Queue"),
        "Ref of a queue is its URL"
    );
    assert_eq!(r[3], json!("arn:aws:sqs:us-east-1:123456789012:Queue"));
    assert_eq!(
        r[4],
        json!("arn:aws:sns:us-east-1:123456789012:t"),
        "Ref of a topic is its ARN"
    );
    assert_eq!(r[5], json!("arn:aws:iam::123456789012:role/svc/r"));
    assert!(r[6]
        .as_str()
        .is_some_and(|s| s.starts_with("arn:aws:kms:us-east-1:123456789012:key/")));
    assert_eq!(
        r[7],
        json!({"iamproof:concat": ["arn:aws:secretsmanager:us-east-1:123456789012:secret:s-", {"iamproof:unknown": "Ref Secret (generated part)"}]})
    );
    assert_eq!(r[8], unknown("Ref Vpc"));
    assert_eq!(r[9], unknown("Fn::GetAtt Bucket.NoSuchAttribute"));
}

#[test]
fn cyclic_references_are_an_error() {
    let t = "Resources:\n  A: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '${B}-a'}}\n  B: {Type: AWS::S3::Bucket, Properties: {BucketName: !Sub '${A}-b'}}\n  P:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: !Ref A\n      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: 's3:GetObject', Resource: !Sub '${A.Arn}/*'}]}\n";
    let e = run(t, &ExtractOptions::default())
        .expect_err("a cycle")
        .to_string();
    assert!(
        e.contains("cyclic reference: A -> B -> A") && e.starts_with("t.yaml:2:"),
        "{e}"
    );
    let t = "Conditions:\n  C1: !Condition C2\n  C2: !Condition C1\nResources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Condition: C1\n    Properties: {PolicyDocument: {Statement: []}}\n";
    let e = run(t, &ExtractOptions::default())
        .expect_err("a cycle")
        .to_string();
    assert!(e.contains("cyclic condition"), "{e}");
}

#[test]
fn policy_bearing_resources() {
    let t = r#"
Resources:
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument: {Statement: [{Effect: Allow, Principal: {Service: ec2.amazonaws.com}, Action: sts:AssumeRole}]}
      Policies:
        - PolicyName: inline1
          PolicyDocument: {Statement: [{Effect: Allow, Action: s3:GetObject, Resource: '*'}]}
      ManagedPolicyArns: [arn:aws:iam::aws:policy/ReadOnlyAccess]
  QP:
    Type: AWS::SQS::QueuePolicy
    Properties:
      Queues: [q1, q2]
      PolicyDocument: {Statement: [{Effect: Allow, Principal: '*', Action: sqs:SendMessage, Resource: '*'}]}
  Fn: {Type: AWS::Lambda::Function, Properties: {FunctionName: f}}
  Perm:
    Type: AWS::Lambda::Permission
    Properties:
      Action: lambda:InvokeFunction
      FunctionName: !GetAtt Fn.Arn
      Principal: s3.amazonaws.com
      SourceAccount: !Ref AWS::AccountId
      SourceArn: arn:aws:s3:::b
  Logs:
    Type: AWS::Logs::ResourcePolicy
    Properties:
      PolicyName: p
      PolicyDocument: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"es.amazonaws.com"},"Action":"logs:PutLogEvents","Resource":"*"}]}'
  Scp:
    Type: AWS::Organizations::Policy
    Properties: {Type: SERVICE_CONTROL_POLICY, Name: n, Content: {Version: '2012-10-17', Statement: [{Effect: Deny, Action: 'iam:*', Resource: '*'}]}}
  Tag:
    Type: AWS::Organizations::Policy
    Properties: {Type: TAG_POLICY, Name: t, Content: {}}
  Sam:
    Type: AWS::Serverless::Function
    Properties:
      Policies:
        - AWSLambdaExecute
        - S3ReadPolicy: {BucketName: b}
        - Statement: [{Effect: Allow, Action: 'sqs:*', Resource: '*'}]
"#;
    let x = cfn(t);
    let names: Vec<(String, String, &str)> = x
        .policies
        .iter()
        .map(|p| {
            (
                p.resource.clone(),
                p.policy_name.clone(),
                p.policy_type.name(),
            )
        })
        .collect();
    let expect = [
        ("Role", "AssumeRolePolicyDocument", "RESOURCE_POLICY"),
        ("Role", "inline1", "IDENTITY_POLICY"),
        ("QP", "PolicyDocument[Queues[0]]", "RESOURCE_POLICY"),
        ("QP", "PolicyDocument[Queues[1]]", "RESOURCE_POLICY"),
        ("Perm", "Permission", "RESOURCE_POLICY"),
        ("Logs", "PolicyDocument", "RESOURCE_POLICY"),
        ("Scp", "Content", "SERVICE_CONTROL_POLICY"),
        ("Sam", "Policies[2]", "IDENTITY_POLICY"),
    ];
    assert_eq!(
        names,
        expect
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c))
            .to_vec()
    );
    assert_eq!(
        x.policies[0].policy_type,
        PolicyType::resource("AWS::IAM::AssumeRolePolicyDocument")
    );
    let perm = serde_json::to_value(&x.policies[4].document).unwrap_or(J::Null);
    assert_eq!(
        perm["Statement"][0],
        json!({"Sid": "Perm", "Effect": "Allow", "Principal": {"Service": "s3.amazonaws.com"}, "Action": "lambda:InvokeFunction",
               "Resource": "arn:aws:lambda:us-east-1:123456789012:function:f",
               "Condition": {"ArnLike": {"AWS:SourceArn": "arn:aws:s3:::b"}, "StringEquals": {"AWS:SourceAccount": "123456789012"}}})
    );
    assert_eq!(
        serde_json::to_value(&x.policies[5].document).unwrap_or(J::Null)["Statement"][0]["Action"],
        json!("logs:PutLogEvents")
    );
    let notes: Vec<&str> = x.notes.iter().map(|n| n.message.as_str()).collect();
    assert!(
        notes.iter().any(|n| n.contains("ReadOnlyAccess")),
        "{notes:?}"
    );
    assert!(notes.iter().any(|n| n.contains("TAG_POLICY")));
    assert!(notes.iter().any(|n| n.contains("S3ReadPolicy")));
    assert!(notes.iter().any(|n| n.contains("AWSLambdaExecute")));
    // Every extracted document is a valid policy of its type once made concrete.
    for p in &x.policies {
        let (text, _) = p.policy_text(iamproof_templates::Approximation::Over);
        let r = iamproof_policy::parse_policy(&text, p.policy_type.to_policy_type());
        assert!(r.is_ok(), "{} {}: {r:?}\n{text}", p.resource, p.policy_name);
    }
}

#[test]
fn a_wholly_unknown_policy_is_not_analysable() {
    let t = "Resources:\n  BP:\n    Type: AWS::S3::BucketPolicy\n    Properties:\n      Bucket: b\n      PolicyDocument: !ImportValue SharedPolicy\n";
    let x = cfn(t);
    assert!(x.policies.is_empty());
    assert_eq!(x.not_analysable.len(), 1);
    assert!(x.not_analysable[0]
        .reason
        .contains("Fn::ImportValue SharedPolicy"));
    assert_eq!(x.not_analysable[0].resource, "BP");
}

#[test]
fn statement_locations_point_at_the_yaml_lines() {
    let t = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Version: '2012-10-17'\n        Statement:\n          - Effect: Allow\n            Action: s3:GetObject\n            Resource: '*'\n          - Effect: Deny\n            Action: s3:DeleteObject\n            Resource: '*'\n";
    let x = cfn(t);
    let p = &x.policies[0];
    let lines: Vec<u32> = p
        .statement_locations
        .iter()
        .map(|l| l.map(|l| l.start.line).unwrap_or(0))
        .collect();
    assert_eq!(lines, vec![8, 11]);
    let cols: Vec<u32> = p
        .statement_locations
        .iter()
        .map(|l| l.map(|l| l.start.column).unwrap_or(0))
        .collect();
    assert_eq!(cols, vec![13, 13]);
    assert_eq!(p.location.map(|l| l.start.line), Some(6));
    assert_eq!(p.source_path, "Resources.P.Properties.PolicyDocument");
    // JSON templates: the statement objects' positions.
    let j = r#"{"Resources": {"P": {"Type": "AWS::IAM::Policy", "Properties": {"PolicyName": "n", "PolicyDocument":
{"Statement": [
  {"Effect": "Allow", "Action": "*", "Resource": "*"}]}}}}}"#;
    let x = extract_text("t.json", j, &ExtractOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let l = x.policies[0].statement_locations[0].unwrap_or_default();
    assert_eq!((l.start.line, l.start.column), (3, 3));
    assert_eq!(x.policies[0].policy_name, "n");
}

#[test]
fn bad_input_errors_say_where() {
    let e = run(
        "Resources:\n  P: {Type: 'AWS::IAM::Policy\n",
        &ExtractOptions::default(),
    )
    .expect_err("unclosed")
    .to_string();
    assert!(
        e.starts_with("t.yaml:2:") && e.contains("quoted scalar"),
        "{e}"
    );
    let e = run(
        "Resources:\n  P:\n    Type: !Foo x\n",
        &ExtractOptions::default(),
    )
    .expect_err("tag")
    .to_string();
    assert_eq!(
        e,
        "t.yaml:3:11: unknown tag !Foo (not a CloudFormation intrinsic function)"
    );
    let e = extract_text(
        "t.json",
        "{\"Resources\": {\"A\": }}",
        &ExtractOptions::default(),
    )
    .expect_err("json")
    .to_string();
    assert!(e.starts_with("t.json:1:21:"), "{e}");
    let e = run("Resources: [1]\n", &ExtractOptions::default())
        .expect_err("resources")
        .to_string();
    assert!(e.contains("Resources must be a mapping"), "{e}");
    let e = run("a: [\n", &ExtractOptions::default())
        .expect_err("unclosed flow")
        .to_string();
    assert!(e.starts_with("t.yaml:"), "{e}");
    let e = run("Resources:\n  A: 1\n  A: 2\n", &ExtractOptions::default())
        .expect_err("duplicate")
        .to_string();
    assert_eq!(e, "t.yaml:3:3: duplicate mapping key \"A\"");
    // Bad option values.
    let e = iamproof_templates::parse_parameters(&["novalue".into()])
        .expect_err("no =")
        .to_string();
    assert!(e.contains("KEY=VALUE"), "{e}");
}

#[test]
fn a_policy_string_that_is_not_json_is_not_analysable() {
    let t = "Resources:\n  L:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyName: p\n      PolicyDocument: '{not json'\n";
    let x = cfn(t);
    assert!(x.policies.is_empty());
    assert_eq!(x.not_analysable[0].location.map(|l| l.start.line), Some(6));
    assert!(
        x.not_analysable[0]
            .reason
            .contains("at line 1, column 2 of the string"),
        "{}",
        x.not_analysable[0].reason
    );
    assert!(matches!(
        iamproof_templates::value::Value::string("x", None).kind,
        Kind::String(_)
    ));
}

#[test]
fn yaml_anchors_aliases_and_alias_bombs() {
    let t = "Resources:\n  P:\n    Type: AWS::IAM::ManagedPolicy\n    Properties:\n      PolicyDocument:\n        Statement:\n          - &s {Effect: Allow, Action: s3:GetObject, Resource: '*'}\n          - *s\n";
    let d = doc(&cfn(t));
    assert_eq!(d["Statement"][0], d["Statement"][1]);
    let mut bomb = String::from("a: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let prev = i - 1;
        bomb.push_str(&format!("a{i}: &a{i} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"));
    }
    let e = run(&bomb, &ExtractOptions::default())
        .expect_err("an alias bomb")
        .to_string();
    assert!(e.contains("too many nodes"), "{e}");
}

#[test]
fn to_json_string_and_length() {
    let t = "Transform: AWS::LanguageExtensions\nResources:\n  L:\n    Type: AWS::Logs::ResourcePolicy\n    Properties:\n      PolicyName: p\n      PolicyDocument:\n        Fn::ToJsonString:\n          Statement: [{Effect: Allow, Principal: {Service: es.amazonaws.com}, Action: logs:PutLogEvents, Resource: !Sub 'arn:aws:logs:${AWS::Region}:${AWS::AccountId}:log-group:x:*'}]\n";
    let x = cfn(t);
    assert_eq!(
        doc(&x)["Statement"][0]["Resource"],
        json!("arn:aws:logs:us-east-1:123456789012:log-group:x:*")
    );
    assert!(x.notes.iter().any(|n| n.message.contains("Transform")));
    assert_eq!(
        resource_of("", "!Sub ['${N}', {N: !Length [a, b, c]}]"),
        json!("3")
    );
}

#[test]
fn resource_policies_of_newer_types_and_physical_names() {
    let stmt = "{Statement: [{Effect: Allow, Principal: '*', Action: 'x:Y', Resource: '*'}]}";
    let x = cfn(&format!(
        "Resources:
  B: {{Type: AWS::S3::Bucket, Properties: {{BucketName: my-bucket}}}}
  BP: {{Type: AWS::S3::BucketPolicy, Properties: {{Bucket: !Ref B, PolicyDocument: {stmt}}}}}
  Q: {{Type: AWS::SQS::Queue}}
  QP: {{Type: AWS::SQS::QueuePolicy, Properties: {{Queues: [!Ref Q], PolicyDocument: {stmt}}}}}
  K: {{Type: AWS::KMS::Key, Properties: {{KeyPolicy: {stmt}}}}}
  TB: {{Type: AWS::S3Tables::TableBucketPolicy, Properties: {{TableBucketARN: 'arn:aws:s3tables:us-east-1:111122223333:bucket/tb', ResourcePolicy: {stmt}}}}}
  D: {{Type: AWS::CodeArtifact::Domain, Properties: {{DomainName: dom, PermissionsPolicyDocument: {stmt}}}}}
  CT: {{Type: AWS::CloudTrail::ResourcePolicy, Properties: {{ResourceArn: 'arn:aws:cloudtrail:us-east-1:111122223333:dashboard/dash', ResourcePolicy: {stmt}}}}}
  EDS: {{Type: AWS::CloudTrail::ResourcePolicy, Properties: {{ResourceArn: 'arn:aws:cloudtrail:us-east-1:111122223333:eventdatastore/eds', ResourcePolicy: {stmt}}}}}
  XAP: {{Type: AWS::S3Express::AccessPoint, Properties: {{Policy: {stmt}}}}}
  MR: {{Type: AWS::S3::MultiRegionAccessPointPolicy, Properties: {{MrapName: mrap, Policy: {stmt}}}}}
  LP: {{Type: AWS::Lambda::Permission, Properties: {{FunctionName: 'arn:aws:lambda:us-east-1:111122223333:function:fn:live', Action: 'lambda:InvokeFunction', Principal: '*'}}}}
  QQ: {{Type: AWS::SQS::QueuePolicy, Properties: {{Queues: [!Ref Q, 'https://sqs.us-east-1.amazonaws.com/111122223333/other'], PolicyDocument: {stmt}}}}}
"
    ));
    let got: Vec<(&str, Option<&str>, String)> = x
        .policies
        .iter()
        .map(|p| {
            let t = match &p.policy_type {
                PolicyType::ResourcePolicy { resource_type } => {
                    resource_type.clone().unwrap_or_default()
                }
                other => other.name().to_string(),
            };
            (p.resource.as_str(), p.physical_name.as_deref(), t)
        })
        .collect();
    let want = [
        ("BP", Some("my-bucket"), "AWS::S3::Bucket"),
        ("QP", Some("Q"), "AWS::SQS::Queue"),
        ("K", Some("K"), "AWS::KMS::Key"),
        ("TB", Some("tb"), "AWS::S3Tables::TableBucket"),
        ("D", Some("dom"), "AWS::CodeArtifact::Domain"),
        ("CT", Some("dash"), "AWS::CloudTrail::Dashboard"),
        ("EDS", Some("eds"), "AWS::CloudTrail::EventDataStore"),
        ("XAP", Some("XAP"), "AWS::S3Express::AccessPoint"),
        ("MR", Some("mrap"), "AWS::S3::MultiRegionAccessPoint"),
        ("LP", Some("fn"), "AWS::Lambda::Function"),
        ("QQ", Some("Q"), "AWS::SQS::Queue"),
        ("QQ", Some("other"), "AWS::SQS::Queue"),
    ];
    let want: Vec<(&str, Option<&str>, String)> = want
        .iter()
        .map(|(a, b, c)| (*a, *b, c.to_string()))
        .collect();
    assert_eq!(got, want);
}
