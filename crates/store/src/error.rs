use thiserror::Error;

/// Errors of the storage layer.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The row does not exist (or belongs to another organization).
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated; the payload names the constraint.
    #[error("already exists: {0}")]
    Conflict(String),
    /// A referenced row is missing or a value breaks a rule of the schema.
    #[error("invalid: {0}")]
    Invalid(String),
    #[error(transparent)]
    Database(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Result alias of the storage layer.
pub type Result<T> = std::result::Result<T, StoreError>;

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().unwrap_or(db.message()).to_string())
            }
            sqlx::Error::Database(db) if db.is_foreign_key_violation() => {
                StoreError::Invalid(db.message().to_string())
            }
            _ => StoreError::Database(e),
        }
    }
}
