//! Just enough of STS for the AWS validators to start: `GetCallerIdentity`, over STS's query
//! protocol (`Action=…&Version=2011-06-15` in a form body or the query string, XML answers).
//! Any other action gets STS's own `InvalidAction` error (HTTP 400), as the real service does.

use crate::config::ServeConfig;

/// STS's XML namespace.
const NAMESPACE: &str = "https://sts.amazonaws.com/doc/2011-06-15/";

/// The user name the caller ARN names.
pub const CALLER_NAME: &str = "iamproof";

/// The caller's unique id (`AIDA` and 17 characters, the shape of an IAM user's id).
pub const CALLER_USER_ID: &str = "AIDAIAMPROOFLOCALUSER";

/// An STS answer: HTTP status, the error code (for logs and metrics) and the XML body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StsResponse {
    /// 200, or 400 for an error.
    pub status: u16,
    /// The error's `Code`, if it is an error.
    pub error_code: Option<&'static str>,
    /// The XML document.
    pub body: String,
}

/// Answers an STS request whose parameters (form body and query string together) are `params`.
pub fn answer(params: &[(String, String)], config: &ServeConfig, request_id: &str) -> StsResponse {
    let action = params
        .iter()
        .find(|(k, _)| k == "Action")
        .map(|(_, v)| v.as_str());
    match action {
        Some("GetCallerIdentity") => StsResponse {
            status: 200,
            error_code: None,
            body: format!(
                "<GetCallerIdentityResponse xmlns=\"{NAMESPACE}\">\n  <GetCallerIdentityResult>\n    <Arn>arn:{}:iam::{}:user/{CALLER_NAME}</Arn>\n    <UserId>{CALLER_USER_ID}</UserId>\n    <Account>{}</Account>\n  </GetCallerIdentityResult>\n  <ResponseMetadata>\n    <RequestId>{request_id}</RequestId>\n  </ResponseMetadata>\n</GetCallerIdentityResponse>\n",
                config.partition(),
                config.account_id,
                config.account_id
            ),
        },
        Some(other) => error(
            "InvalidAction",
            &format!(
                "Could not find operation {} for version 2011-06-15 (this server implements GetCallerIdentity only)",
                xml_escape(other)
            ),
            request_id,
        ),
        None => error(
            "MissingAction",
            "Missing Action: the request names no Action (this server implements STS GetCallerIdentity and Access Analyzer's policy operations)",
            request_id,
        ),
    }
}

fn error(code: &'static str, message: &str, request_id: &str) -> StsResponse {
    StsResponse {
        status: 400,
        error_code: Some(code),
        body: format!(
            "<ErrorResponse xmlns=\"{NAMESPACE}\">\n  <Error>\n    <Type>Sender</Type>\n    <Code>{code}</Code>\n    <Message>{message}</Message>\n  </Error>\n  <RequestId>{request_id}</RequestId>\n</ErrorResponse>\n"
        ),
    }
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().take(100) {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn get_caller_identity_names_the_configured_account() {
        let config = ServeConfig {
            account_id: "111122223333".into(),
            ..ServeConfig::default()
        };
        let r = answer(
            &params(&[("Action", "GetCallerIdentity"), ("Version", "2011-06-15")]),
            &config,
            "r1",
        );
        assert_eq!(r.status, 200);
        assert!(r
            .body
            .contains("<Arn>arn:aws:iam::111122223333:user/iamproof</Arn>"));
        assert!(r.body.contains("<Account>111122223333</Account>"));
    }

    #[test]
    fn other_actions_are_invalid_and_escaped() {
        let r = answer(
            &params(&[("Action", "AssumeRole<x>")]),
            &ServeConfig::default(),
            "r1",
        );
        assert_eq!((r.status, r.error_code), (400, Some("InvalidAction")));
        assert!(r.body.contains("AssumeRole&lt;x&gt;"));
        let r = answer(&[], &ServeConfig::default(), "r1");
        assert_eq!(r.error_code, Some("MissingAction"));
    }
}
