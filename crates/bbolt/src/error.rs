use thiserror::Error;

#[derive(Debug, Error)]
pub enum BoltError {
    #[error("bbolt file: {0}")]
    Io(#[from] std::io::Error),
    /// Neither meta page is usable; each string says why.
    #[error("no valid meta page: meta 0: {meta0}; meta 1: {meta1}")]
    NoValidMeta { meta0: String, meta1: String },
    /// The file is damaged at `page` (for an inline bucket: the page that holds it).
    #[error("page {page}: {reason}")]
    Corrupt { page: u64, reason: String },
    /// The writer was given something bbolt cannot store.
    #[error("invalid input: {0}")]
    Input(String),
}

pub(crate) fn corrupt(page: u64, reason: impl Into<String>) -> BoltError {
    BoltError::Corrupt {
        page,
        reason: reason.into(),
    }
}
