//! Errors: the AWS error shapes a request can end with ([`ApiError`]), and why the server itself
//! could not start or run ([`ServeError`]).

use serde_json::{json, Value};
use thiserror::Error;

/// A member that failed validation, as in Access Analyzer's `ValidationExceptionField`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The member's name (`policyType`, `access`, …).
    pub name: String,
    /// What is wrong with it.
    pub message: String,
}

impl FieldError {
    /// A field error.
    pub fn new(name: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            name: name.into(),
            message: message.into(),
        }
    }
}

/// An Access Analyzer error response: the `x-amzn-ErrorType` name, the HTTP status, and the
/// JSON body members of the error shape in the service model.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ApiError {
    /// `ValidationException` (400), with `reason` (`cannotParse`, `fieldValidationFailed`,
    /// `unknownOperation`, `notSupported`, `other`) and `fieldList`.
    #[error("ValidationException ({reason}): {message}")]
    Validation {
        /// The model's `ValidationExceptionReason`.
        reason: &'static str,
        /// The message.
        message: String,
        /// The members that failed (empty: the member is left out).
        fields: Vec<FieldError>,
    },
    /// `ThrottlingException` (429), with a `Retry-After` header of one second.
    #[error("ThrottlingException: {0}")]
    Throttling(String),
    /// `InternalServerException` (500).
    #[error("InternalServerException: {0}")]
    Internal(String),
    /// No operation at this method and path: `UnknownOperationException` (404), what the AWS
    /// REST-JSON front ends answer for a path no operation has.
    #[error("UnknownOperationException: {0}")]
    UnknownOperation(String),
    /// The body is larger than `--max-body` (413, `RequestEntityTooLargeException`).
    #[error("RequestEntityTooLargeException: {0}")]
    TooLarge(String),
    /// The client did not send its body in time (408, `RequestTimeoutException`).
    #[error("RequestTimeoutException: {0}")]
    Timeout(String),
}

impl ApiError {
    /// A `ValidationException` for members that failed; the message lists them the way AWS
    /// does (`2 validation errors detected: …; …`).
    pub fn fields(fields: Vec<FieldError>) -> ApiError {
        let n = fields.len();
        let list: Vec<String> = fields
            .iter()
            .map(|f| format!("'{}': {}", f.name, f.message))
            .collect();
        ApiError::Validation {
            reason: "fieldValidationFailed",
            message: format!(
                "{n} validation error{} detected: {}",
                if n == 1 { "" } else { "s" },
                list.join("; ")
            ),
            fields,
        }
    }

    /// A `ValidationException` for a body that is not the JSON the operation takes.
    pub fn cannot_parse(message: impl Into<String>) -> ApiError {
        ApiError::Validation {
            reason: "cannotParse",
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// The `x-amzn-ErrorType` value (the error shape's name).
    pub fn error_type(&self) -> &'static str {
        match self {
            ApiError::Validation { .. } => "ValidationException",
            ApiError::Throttling(_) => "ThrottlingException",
            ApiError::Internal(_) => "InternalServerException",
            ApiError::UnknownOperation(_) => "UnknownOperationException",
            ApiError::TooLarge(_) => "RequestEntityTooLargeException",
            ApiError::Timeout(_) => "RequestTimeoutException",
        }
    }

    /// The HTTP status of the error shape (`httpStatusCode` in the model).
    pub fn status(&self) -> u16 {
        match self {
            ApiError::Validation { .. } => 400,
            ApiError::Throttling(_) => 429,
            ApiError::Internal(_) => 500,
            ApiError::UnknownOperation(_) => 404,
            ApiError::TooLarge(_) => 413,
            ApiError::Timeout(_) => 408,
        }
    }

    /// The JSON body: `message`, plus `reason` and `fieldList` for a `ValidationException`.
    pub fn body(&self) -> Value {
        match self {
            ApiError::Validation {
                reason,
                message,
                fields,
            } => {
                let mut v = json!({ "message": message, "reason": reason });
                if !fields.is_empty() {
                    let list: Vec<Value> = fields
                        .iter()
                        .map(|f| json!({ "name": f.name, "message": f.message }))
                        .collect();
                    v["fieldList"] = Value::Array(list);
                }
                v
            }
            ApiError::Throttling(m)
            | ApiError::Internal(m)
            | ApiError::UnknownOperation(m)
            | ApiError::TooLarge(m)
            | ApiError::Timeout(m) => json!({ "message": m }),
        }
    }
}

/// Why the server could not start or stopped with an error.
#[derive(Debug, Error)]
pub enum ServeError {
    /// A setting is out of range.
    #[error("invalid setting: {0}")]
    Config(String),
    /// The listening address could not be bound.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        /// The address.
        addr: String,
        /// The system's reason.
        source: std::io::Error,
    },
    /// The async runtime or the signal handlers could not be set up.
    #[error("cannot start the server: {0}")]
    Runtime(std::io::Error),
    /// The server thread ended abnormally.
    #[error("the server thread panicked")]
    Panicked,
}
