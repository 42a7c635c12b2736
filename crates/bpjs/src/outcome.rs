//! The result of a command endpoint (add, updatewaktu, batal, updatejadwaldokter).

/// What BPJS said about a command that did not fail.
#[derive(Debug, Clone, PartialEq, Eq)]
#[must_use]
pub enum Outcome {
    /// Accepted now (`200`).
    Done {
        /// BPJS's message, e.g. `Ok`.
        message: String,
    },
    /// Already recorded earlier (`208` duplicate, or an already-cancelled booking): the
    /// desired state holds, so callers may treat it as success (e.g. after a retry).
    AlreadyDone {
        /// BPJS's code, usually 208.
        code: i64,
        /// BPJS's message, e.g. `TaskId=3 sudah ada`.
        message: String,
    },
}

impl Outcome {
    /// `true` for both variants: the state BPJS holds is the one asked for.
    pub fn is_success(&self) -> bool {
        true
    }

    /// `true` when BPJS reported a duplicate.
    pub fn is_already_done(&self) -> bool {
        matches!(self, Self::AlreadyDone { .. })
    }
}
