//! Opening the database: the embedded SQLite file (the default for one city) or a PostgreSQL
//! server (several app servers over one database). Both are reached through sqlx's `Any`
//! driver with the same SQL (`store`); each has its own migrations, which mean the same
//! schema (`tests/schema_parity.rs` compares them table by table).
//!
//! SQLite: WAL journal, full sync (an acknowledged write survives a power cut), foreign keys
//! on, a busy timeout. PostgreSQL: its defaults (synchronous commit on).

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use sqlx::Executor;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};

use crate::store::{Backend, Pool};

/// Where the data is: a SQLite file path, or a `postgres://` URL.
#[derive(Clone, PartialEq, Eq)]
pub enum Database {
    Sqlite(PathBuf),
    Postgres(String),
}

impl FromStr for Database {
    type Err = std::convert::Infallible;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(
            if s.starts_with("postgres://") || s.starts_with("postgresql://") {
                Database::Postgres(s.to_owned())
            } else {
                Database::Sqlite(PathBuf::from(s.strip_prefix("sqlite://").unwrap_or(s)))
            },
        )
    }
}

/// Shown in logs and messages: a URL without its password.
impl fmt::Display for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Database::Sqlite(path) => write!(f, "{}", path.display()),
            Database::Postgres(url) => match url::Url::parse(url) {
                Ok(mut parsed) => {
                    if parsed.password().is_some() {
                        let _ = parsed.set_password(Some("***"));
                    }
                    // `?password=…` is a password too.
                    let pairs: Vec<(String, String)> = parsed
                        .query_pairs()
                        .map(|(k, v)| {
                            let v = if k == "password" { "***".into() } else { v };
                            (k.into_owned(), v.into_owned())
                        })
                        .collect();
                    if !pairs.is_empty() {
                        parsed.query_pairs_mut().clear().extend_pairs(pairs);
                    }
                    write!(f, "{parsed}")
                }
                Err(_) => f.write_str("postgres://…"),
            },
        }
    }
}

impl fmt::Debug for Database {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl Database {
    pub fn backend(&self) -> Backend {
        match self {
            Database::Sqlite(_) => Backend::Sqlite,
            Database::Postgres(_) => Backend::Postgres,
        }
    }

    /// As given on the command line (`--database`), password included.
    pub fn locator(&self) -> std::ffi::OsString {
        match self {
            Database::Sqlite(path) => path.clone().into_os_string(),
            Database::Postgres(url) => url.into(),
        }
    }

    /// The SQLite file, if that is the backend.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Database::Sqlite(path) => Some(path),
            Database::Postgres(_) => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Open(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// Opens (creating a SQLite file if needed) and migrates the database.
pub async fn open(database: &Database) -> Result<Pool, DbError> {
    sqlx::any::install_default_drivers();
    let pool = match database {
        Database::Sqlite(path) => open_sqlite(path).await?,
        Database::Postgres(url) => {
            AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(|conn, _| Box::pin(async move { postgres_session(conn).await }))
                .connect(url)
                .await?
        }
    };
    match database.backend() {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&pool).await?,
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&pool).await?,
    }
    Ok(pool)
}

/// Bounds on waiting, as SQLite's busy timeout bounds it: a writer waits at most 10 s for the
/// write lock (then "busy, try again", 503) — another server frozen mid-transaction cannot hang
/// every server; a transaction left open by a frozen server ends after 60 s, releasing the
/// lock; a connection whose peer vanished is noticed within about a minute.
async fn postgres_session(conn: &mut sqlx::AnyConnection) -> Result<(), sqlx::Error> {
    conn.execute(
        "SET lock_timeout = '10s'; SET idle_in_transaction_session_timeout = '60s'; \
         SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; \
         SET tcp_keepalives_count = 3",
    )
    .await
    .map(|_| ())
}

async fn open_sqlite(path: &Path) -> Result<Pool, DbError> {
    if let Some(folder) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(folder).map_err(|source| DbError::Folder {
            path: folder.display().to_string(),
            source,
        })?;
    }
    // The `Any` driver takes a URL; the settings the URL cannot carry are set on every new
    // connection. The journal mode is the file's and persists.
    let url =
        url::Url::from_file_path(std::path::absolute(path).map_err(|source| DbError::Folder {
            path: path.display().to_string(),
            source,
        })?)
        .map_err(|()| sqlx::Error::Configuration("not a file path".into()))?;
    let options = AnyConnectOptions::from_str(&format!("sqlite://{}?mode=rwc", url.path()))?;
    let pool = AnyPoolOptions::new()
        .max_connections(8)
        .after_connect(|conn, _| {
            Box::pin(async move {
                conn.execute(
                    "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
                     PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
                )
                .await
                .map(|_| ())
            })
        })
        .connect_with(options)
        .await?;
    Ok(pool)
}

#[cfg(test)]
mod tests {
    use super::Database;

    #[test]
    fn a_postgres_url_is_shown_without_its_password() {
        for url in [
            "postgres://renkei:S3cret@db:5432/renkei",
            "postgres://renkei@db/renkei?password=S3cret&sslmode=require",
            "postgresql://db/renkei?user=renkei&password=S3cret",
        ] {
            let shown = url.parse::<Database>().unwrap().to_string();
            assert!(!shown.contains("S3cret"), "{shown}");
            assert!(shown.contains("***"), "{shown}");
        }
        let file = "data/renkei.sqlite3".parse::<Database>().unwrap();
        assert_eq!(file.to_string(), "data/renkei.sqlite3");
    }
}
