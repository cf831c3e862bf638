//! Configuration: command-line flags, each with an environment variable and a default that
//! works for a desk machine (`127.0.0.1:3000`, `data/renkei.sqlite3`).

use std::net::SocketAddr;
use std::path::PathBuf;

use clap::Parser;

#[derive(Debug, Clone, Parser)]
#[command(
    name = "renkei-server",
    about = "Renkei: the welfare-to-work corner's shared record"
)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "RENKEI_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,

    /// The database: a SQLite file (created and migrated if missing), or a PostgreSQL URL
    /// `postgres://user:password@host:port/dbname` (migrated at start; several servers may
    /// share it, see docs/operations.md).
    #[arg(
        long,
        env = "RENKEI_DATABASE",
        default_value = "data/renkei.sqlite3",
        hide_env_values = true
    )]
    pub database: crate::db::Database,

    /// Folder with the built browser app (`pkg/renkei.js`, `.wasm`, `.css`), as cargo-leptos
    /// writes it.
    #[arg(long, env = "RENKEI_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,

    /// Log filter in `tracing` syntax, e.g. `info` or `renkei_server=debug,tower_http=info`.
    #[arg(long, env = "RENKEI_LOG", default_value = "info")]
    pub log: String,

    /// Load the fictional demo data and demo accounts with published passwords (idempotent).
    /// Refused unless the address is a loopback one.
    #[arg(long, env = "RENKEI_DEMO_DATA", default_value_t = false)]
    pub demo_data: bool,

    /// With --demo-data: also the seed's first two years (平成23–24年度: plans, fairs,
    /// placements), so the reports show the seed's figures as of 平成24年9月末 (idempotent).
    #[arg(
        long,
        env = "RENKEI_DEMO_HISTORY",
        default_value_t = false,
        requires = "demo_data"
    )]
    pub demo_history: bool,

    /// Create the first administrator with this login id if no administrator exists. The
    /// password comes from RENKEI_ADMIN_PASSWORD, or is generated and printed once.
    #[arg(long, env = "RENKEI_ADMIN_LOGIN")]
    pub admin_login: Option<String>,

    /// Reverse proxies in front of Renkei (addresses or networks, comma-separated, e.g.
    /// `10.0.0.5,fd00::/8`). Only from these is `X-Forwarded-For` believed, and then the
    /// nearest address in it that is not one of them is the client's (sign-in and enrolment
    /// throttling key on it). None (the default): the connection's address is the client's.
    #[arg(long = "trusted-proxy", env = "RENKEI_TRUSTED_PROXIES", value_delimiter = ',',
          value_parser = crate::auth::client::parse_proxy)]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Mark the session cookie `Secure` (set when Renkei is served over HTTPS).
    #[arg(long, env = "RENKEI_SECURE_COOKIES", default_value_t = false)]
    pub secure_cookies: bool,

    /// The audit log's secret key file (created if missing). Default: beside a SQLite
    /// database, `<database>.audit-key`; required with PostgreSQL (the same key on every
    /// server). Keep it where the database's account cannot read it.
    #[arg(long, env = "RENKEI_AUDIT_KEY")]
    pub audit_key: Option<PathBuf>,

    /// Where checkpoints of the audit log's head are appended. Default: beside a SQLite
    /// database, `<database>.audit-anchors`; required with PostgreSQL, one file per server
    /// (each server chains its own checkpoints). Keep it where the database's account cannot
    /// rewrite it.
    #[arg(long, env = "RENKEI_AUDIT_ANCHORS")]
    pub audit_anchors: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

impl Config {
    /// The audit anchor: the configured files, or those beside the database.
    /// `create`: at a first start, make the key (never when only checking).
    pub fn anchor(
        &self,
        create: bool,
    ) -> Result<crate::audit::anchor::Anchor, crate::audit::anchor::AnchorError> {
        let beside = |path: &std::path::Path, ext: &str| {
            let mut name = path.as_os_str().to_owned();
            name.push(ext);
            PathBuf::from(name)
        };
        let key = match (&self.audit_key, self.database.path()) {
            (Some(key), _) => key.clone(),
            (None, Some(db)) => beside(db, ".audit-key"),
            (None, None) => return Err(crate::audit::anchor::AnchorError::KeyRequired),
        };
        let anchors = match (&self.audit_anchors, self.database.path()) {
            (Some(anchors), _) => anchors.clone(),
            (None, Some(db)) => beside(db, ".audit-anchors"),
            (None, None) => return Err(crate::audit::anchor::AnchorError::AnchorsRequired),
        };
        crate::audit::anchor::Anchor::open(&key, &anchors, create)
    }
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Check the audit log's hash chain; exits non-zero and names the first altered entry if
    /// the log was edited.
    VerifyAudit,
    /// After restoring a backup: give the database a new identity, so every device's next
    /// pull starts from the beginning instead of after a position that no longer means the
    /// same.
    NewEpoch,
    /// Copy this database (`--database`, usually the SQLite file) into a new, empty one of the
    /// other kind, e.g. `migrate-to postgres://renkei@db.example/renkei`: every record, account,
    /// session and audit entry as stored, in one transaction. Stop the server first. Then
    /// start the servers with `--database` the target and the same `--audit-key` and
    /// `--audit-anchors`; `verify-audit` on the target checks the chain.
    MigrateTo {
        /// The target database (a PostgreSQL URL, or a SQLite file path).
        target: crate::db::Database,
    },
}
