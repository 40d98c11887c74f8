//! attest-rules
