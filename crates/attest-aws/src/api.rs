//! What a failed API call tells: a short code for unknown values and a message for the report.

use aws_smithy_types::error::display::DisplayErrorContext;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

/// A failed call: `code` is the AWS error code (`AccessDenied`, `ThrottlingException`) or the
/// kind of transport failure; `message` is the full chain of causes.
#[derive(Debug, Clone)]
pub struct ApiError {
    pub code: String,
    pub message: String,
}

impl ApiError {
    pub fn from_sdk<E>(e: &E) -> ApiError
    where
        E: ProvideErrorMetadata + std::error::Error,
    {
        let code = e.code().map(str::to_string).unwrap_or_else(|| {
            let text = DisplayErrorContext(e).to_string();
            if text.contains("loading credentials") || text.contains("credentials provider") {
                "CredentialsError".to_string()
            } else if text.contains("dispatch failure") || text.contains("io error") {
                "ConnectionError".to_string()
            } else if text.contains("timeout") {
                "Timeout".to_string()
            } else {
                "Error".to_string()
            }
        });
        let message = match e.message() {
            Some(m) => format!("{code}: {m}"),
            None => format!("{code}: {}", chain(e)),
        };
        ApiError { code, message }
    }

    /// The reason carried by an unknown value: `AccessDenied on dynamodb:DescribeTable`.
    pub fn unknown_reason(&self, service: &str, operation: &str) -> String {
        format!("{} on {service}:{operation}", self.code)
    }
}

/// An error and its causes, `outer: inner: innermost`, without debug output.
fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        cur = s.source();
    }
    parts.join(": ")
}
