//! Anchoring the audit chain outside the database.
//!
//! The hash chain in `audit_log` shows an edited or removed entry in the middle, but someone
//! who can write the database can also delete the newest entries, or edit one and recompute
//! every hash after it: the chain then verifies clean. So the head of the chain is written,
//! every few seconds while it moves, as a **checkpoint** outside the database: a line
//! `seq hash mac` appended to the anchors file, where `mac` is an HMAC-SHA256 over the
//! checkpoint and the previous line's mac, keyed with a secret kept in a key file — neither
//! is in the database. Each checkpoint also goes to the application log (another writer).
//!
//! `server verify-audit` then checks, besides the chain, that every checkpoint is genuine
//! (its mac), that the database still holds each checkpointed entry with the same hash
//! (no rewrite) and reaches the newest checkpoint (no truncation).
//!
//! Where to keep them: by default beside the database (`<database>.audit-key`,
//! `<database>.audit-anchors`); in production on storage the database's account cannot
//! rewrite (another user, or an append-only file: `chattr +a`), see the README.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::store::Pool;
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;

/// How often the head is checked (and written if it moved).
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(2);

const NO_MAC: &str = "-";

#[derive(Debug, thiserror::Error)]
pub enum AnchorError {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}: the key file must hold 64 hexadecimal characters")]
    BadKey(PathBuf),
    #[error("line {0} of the anchors file is malformed or its signature is wrong")]
    BadCheckpoint(usize),
    #[error(
        "{0} is missing while its partner file exists: restore it (or move both aside to start a new chain of checkpoints)"
    )]
    Missing(PathBuf),
    #[error(
        "with a PostgreSQL database, say where the audit key is: --audit-key FILE (RENKEI_AUDIT_KEY), the same key on every server"
    )]
    KeyRequired,
    #[error(
        "with a PostgreSQL database, say where this server appends its audit checkpoints: --audit-anchors FILE (RENKEI_AUDIT_ANCHORS), one file per server"
    )]
    AnchorsRequired,
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

/// One checkpoint of the chain's head.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub seq: i64,
    pub hash: String,
}

pub struct Anchor {
    key: [u8; 32],
    path: PathBuf,
    /// The last checkpoint written (and its mac, which the next one signs over).
    last: Mutex<Option<(Checkpoint, String)>>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AnchorError + '_ {
    move |source| AnchorError::Io {
        path: path.to_owned(),
        source,
    }
}

impl Anchor {
    /// Opens the key and the anchors. At a first start (neither file there) the key is
    /// created; one without the other is refused — someone may have removed it to hide a
    /// rewrite. `create` false (checking only) never creates anything.
    pub fn open(key_path: &Path, anchors: &Path, create: bool) -> Result<Self, AnchorError> {
        match (key_path.exists(), anchors.exists()) {
            (true, _) => {}
            (false, false) if create => {}
            (false, _) => return Err(AnchorError::Missing(key_path.to_owned())),
        }
        let key = load_or_create_key(key_path)?;
        let anchor = Self {
            key,
            path: anchors.to_owned(),
            last: Mutex::new(None),
        };
        let existing = anchor.checkpoints()?;
        *anchor.lock() = existing.last().cloned();
        Ok(anchor)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<(Checkpoint, String)>> {
        self.last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn mac(&self, c: &Checkpoint, previous: &str) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).expect("any key length");
        mac.update(
            format!(
                "renkei-audit\u{1f}{}\u{1f}{}\u{1f}{previous}",
                c.seq, c.hash
            )
            .as_bytes(),
        );
        hex::encode(mac.finalize().into_bytes())
    }

    /// Writes a checkpoint of the chain's head if it moved since the last one.
    pub async fn checkpoint(&self, db: &Pool) -> Result<Option<Checkpoint>, AnchorError> {
        let head = crate::store::audit_log::head(db).await?;
        let Some((seq, hash)) = head else {
            return Ok(None);
        };
        let c = Checkpoint { seq, hash };
        let mut last = self.lock();
        if last.as_ref().is_some_and(|(l, _)| *l == c) {
            return Ok(None);
        }
        let previous = last.as_ref().map_or(NO_MAC, |(_, m)| m.as_str()).to_owned();
        let mac = self.mac(&c, &previous);
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.path)
            .map_err(io(&self.path))?;
        // One write per line, so a crash cannot leave half a checkpoint mixed with the next.
        let line = format!("{} {} {mac}\n", c.seq, c.hash);
        file.write_all(line.as_bytes()).map_err(io(&self.path))?;
        file.sync_data().map_err(io(&self.path))?;
        tracing::info!(seq = c.seq, hash = %c.hash, mac = %mac, "audit checkpoint");
        *last = Some((c.clone(), mac));
        Ok(Some(c))
    }

    /// Every checkpoint in the file, each checked against its signature and the one before.
    pub fn checkpoints(&self) -> Result<Vec<(Checkpoint, String)>, AnchorError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(io(&self.path)(e)),
        };
        let mut previous = NO_MAC.to_owned();
        let mut out = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let parts: Vec<&str> = line.split(' ').collect();
            let [seq, hash, mac] = parts[..] else {
                return Err(AnchorError::BadCheckpoint(n + 1));
            };
            let c = Checkpoint {
                seq: seq.parse().map_err(|_| AnchorError::BadCheckpoint(n + 1))?,
                hash: hash.to_owned(),
            };
            if self.mac(&c, &previous) != mac {
                return Err(AnchorError::BadCheckpoint(n + 1));
            }
            previous = mac.to_owned();
            out.push((c, previous.clone()));
        }
        Ok(out)
    }
}

fn load_or_create_key(path: &Path) -> Result<[u8; 32], AnchorError> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let bytes = hex::decode(text.trim()).map_err(|_| AnchorError::BadKey(path.into()))?;
            bytes
                .try_into()
                .map_err(|_| AnchorError::BadKey(path.into()))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let mut key = [0u8; 32];
            rand::rngs::OsRng.fill_bytes(&mut key);
            let mut options = std::fs::OpenOptions::new();
            options.write(true).create_new(true);
            #[cfg(unix)]
            std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
            let mut file = options.open(path).map_err(io(path))?;
            writeln!(file, "{}", hex::encode(key)).map_err(io(path))?;
            file.sync_all().map_err(io(path))?;
            Ok(key)
        }
        Err(e) => Err(io(path)(e)),
    }
}

/// What the checkpoints say about the database's chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// Every checkpointed entry is there with the same hash.
    Consistent { checkpoints: usize },
    /// The entry `seq` was checkpointed with another hash: rewritten.
    Rewritten { seq: i64 },
    /// The entry `seq` was checkpointed but is gone: the log was cut short.
    Truncated { seq: i64 },
    /// A line of the anchors file is not signed with the key: forged or damaged.
    Forged { line: usize },
}

/// Compares the database's chain with the checkpoints: every line's signature, and the newest
/// checkpoint's entry (the chain in the database links every entry before it, so an earlier
/// rewrite changes this hash too).
pub async fn compare(anchor: &Anchor, db: &Pool) -> Result<Finding, AnchorError> {
    let checkpoints = match anchor.checkpoints() {
        Ok(list) => list,
        Err(AnchorError::BadCheckpoint(line)) => return Ok(Finding::Forged { line }),
        Err(e) => return Err(e),
    };
    let Some((newest, _)) = checkpoints.last() else {
        return Ok(Finding::Consistent { checkpoints: 0 });
    };
    let stored = crate::store::audit_log::hash_at(db, newest.seq).await?;
    Ok(match stored {
        None => Finding::Truncated { seq: newest.seq },
        Some(h) if h != newest.hash => Finding::Rewritten { seq: newest.seq },
        Some(_) => Finding::Consistent {
            checkpoints: checkpoints.len(),
        },
    })
}

/// Writes checkpoints while the server runs (spawned by `run`).
pub async fn keep_anchoring(anchor: std::sync::Arc<Anchor>, db: Pool) {
    let mut every = tokio::time::interval(EVERY);
    loop {
        every.tick().await;
        if let Err(e) = anchor.checkpoint(&db).await {
            tracing::error!(error = %e, "could not write an audit checkpoint");
        }
    }
}
