//! The request context AWS would build: the keys it derives from the principal (docs/semantics.md, "Version and policy variables" and "Global condition keys").

use crate::matching::{parse_principal_arn, PrincipalArnKind};
use crate::request::{Context, ContextValue, Principal, Request};

/// The request context with the principal-derived global keys added where the request does not
/// already give them (a key given in `request.context` always wins, so a caller can state what
/// cannot be derived, e.g. a role's path or a principal's organization).
///
/// Derived keys, by principal (docs/semantics.md, "Version and policy variables" and "Global condition keys"):
///
/// | principal | aws:PrincipalArn | aws:PrincipalAccount | aws:PrincipalType | aws:username | aws:userid | aws:PrincipalIsAWSService | aws:PrincipalServiceName(sList) |
/// |---|---|---|---|---|---|---|---|
/// | `arn:P:iam::A:root` | the root ARN | A | `Account` | – | A | `false` | – |
/// | `arn:P:iam::A:user/path/n` | the user ARN | A | `User` | n | – (unique id unknown) | `false` | – |
/// | `arn:P:iam::A:role/path/n` (used as a caller) | the role ARN | A | `AssumedRole` | – | – | `false` | – |
/// | `arn:P:sts::A:assumed-role/n/s` | `arn:P:iam::A:role/n` | A | `AssumedRole` | – | – (role id unknown) | `false` | – |
/// | `arn:P:sts::A:federated-user/n` | the session ARN | A | `FederatedUser` | – | `A:n` | `false` | – |
/// | service principal `svc` | – | – | – | – | – | `true` | `svc` / `[svc]` |
/// | anonymous | – | – | `Anonymous` | – | `anonymous` | – | – |
/// | federated IdP caller, canonical user | – | – | – | – | – | – | – |
///
/// Decisions:
/// - For a role session, `aws:PrincipalArn` is the **role** ARN (the global condition keys page), but a session ARN
///   carries no role path, so the derived ARN has none (`role/<name>`). A request for a role
///   with a path must give `aws:PrincipalArn` itself.
/// - `aws:PrincipalIsAWSService` is present on all signed requests (the global condition keys page): `false` for IAM/STS
///   principals, `true` for service principals; absent for anonymous and federated-IdP callers
///   (their calls are unsigned).
/// - Anonymous callers get `aws:PrincipalType = Anonymous` and `aws:userid = anonymous`
///   (the Variables page's principal table) and **no** `aws:PrincipalAccount`: the key is documented for
///   signed requests, and an anonymous caller has no account (some evaluators give it the value
///   `anonymous`; no AWS page does, so we leave the key absent).
/// - An ARN principal that is not an IAM/STS principal ARN gets no derived keys.
pub fn effective_context(request: &Request) -> Context {
    let mut ctx = request.context.clone();
    let mut add = |key: &str, value: ContextValue| {
        if !ctx.contains(key) {
            ctx.insert(key, value);
        }
    };
    let single = |s: &str| ContextValue::Single(s.to_string());
    match &request.principal {
        Principal::Anonymous => {
            add("aws:PrincipalType", single("Anonymous"));
            add("aws:userid", single("anonymous"));
        }
        Principal::Service(s) => {
            add("aws:PrincipalIsAWSService", single("true"));
            add("aws:PrincipalServiceName", single(s));
            add(
                "aws:PrincipalServiceNamesList",
                ContextValue::Multi(vec![s.clone()]),
            );
        }
        Principal::Federated(_) | Principal::CanonicalUser(_) => {}
        Principal::Arn(arn) => {
            let Some(p) = parse_principal_arn(arn) else {
                return ctx;
            };
            let (principal_arn, ptype) = match p.kind {
                PrincipalArnKind::Root => (arn.clone(), "Account"),
                PrincipalArnKind::User(name) => {
                    add("aws:username", single(name));
                    (arn.clone(), "User")
                }
                PrincipalArnKind::Role(_) => (arn.clone(), "AssumedRole"),
                PrincipalArnKind::AssumedRole { role, .. } => (
                    format!("arn:{}:iam::{}:role/{}", p.partition, p.account, role),
                    "AssumedRole",
                ),
                PrincipalArnKind::FederatedUser(name) => {
                    add("aws:userid", single(&format!("{}:{}", p.account, name)));
                    (arn.clone(), "FederatedUser")
                }
                PrincipalArnKind::Other => return ctx,
            };
            if p.kind == PrincipalArnKind::Root {
                add("aws:userid", single(p.account));
            }
            add("aws:PrincipalArn", ContextValue::Single(principal_arn));
            add("aws:PrincipalAccount", single(p.account));
            add("aws:PrincipalType", single(ptype));
            add("aws:PrincipalIsAWSService", single("false"));
        }
    }
    ctx
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(p: Principal) -> Request {
        Request {
            principal: p,
            action: "s3:GetObject".into(),
            resource: "*".into(),
            resource_account: None,
            context: Context::new(),
        }
    }

    #[test]
    fn session_and_user_keys() {
        let c = effective_context(&req(Principal::Arn(
            "arn:aws:sts::111111111111:assumed-role/R/s".into(),
        )));
        assert_eq!(
            c.get("aws:principalarn"),
            Some(&ContextValue::Single(
                "arn:aws:iam::111111111111:role/R".into()
            ))
        );
        assert_eq!(
            c.get("aws:PrincipalAccount"),
            Some(&ContextValue::Single("111111111111".into()))
        );
        assert!(!c.contains("aws:username"));
        let u = effective_context(&req(Principal::Arn(
            "arn:aws:iam::111111111111:user/p/bob".into(),
        )));
        assert_eq!(
            u.get("aws:username"),
            Some(&ContextValue::Single("bob".into()))
        );
        assert_eq!(
            u.get("aws:PrincipalType"),
            Some(&ContextValue::Single("User".into()))
        );
        let a = effective_context(&req(Principal::Anonymous));
        assert!(!a.contains("aws:PrincipalAccount"));
        assert!(!a.contains("aws:PrincipalArn"));
    }

    #[test]
    fn given_keys_win() {
        let mut r = req(Principal::Arn(
            "arn:aws:sts::111111111111:assumed-role/R/s".into(),
        ));
        r.context.insert(
            "aws:PrincipalArn",
            ContextValue::Single("arn:aws:iam::111111111111:role/path/R".into()),
        );
        let c = effective_context(&r);
        assert_eq!(
            c.get("aws:PrincipalArn"),
            Some(&ContextValue::Single(
                "arn:aws:iam::111111111111:role/path/R".into()
            ))
        );
    }
}
