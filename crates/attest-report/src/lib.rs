//! attest-report
