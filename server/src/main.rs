//! `server`: parse the configuration, start logging, run Renkei (or a maintenance command).

use std::process::ExitCode;

use clap::Parser;
use renkei_server::Config;
use renkei_server::config::Command;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    // PostgreSQL's notices ("relation … already exists, skipping" at each migration check) are
    // not news.
    let filter = |log: &str| EnvFilter::try_new(format!("{log},sqlx::postgres::notice=warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match config.command {
        Some(Command::VerifyAudit) => verify_audit(&config).await,
        Some(Command::NewEpoch) => new_epoch(&config).await,
        Some(Command::MigrateTo { ref target }) => migrate_to(&config, target).await,
        None => match renkei_server::run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("renkei: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

/// Copies the database into a new one of the other kind.
async fn migrate_to(config: &Config, target: &renkei_server::db::Database) -> ExitCode {
    match renkei_server::migrate_to::migrate_to(&config.database, target).await {
        Ok(counts) => {
            for (table, rows) in &counts {
                println!("{table:<24} {rows:>9} rows");
            }
            let total: i64 = counts.iter().map(|(_, n)| n).sum();
            println!("copied {total} rows from {} to {target}", config.database);
            println!(
                "next: run `verify-audit` on the target with the same --audit-key and --audit-anchors"
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("renkei: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Gives a restored database a new sync epoch.
async fn new_epoch(config: &Config) -> ExitCode {
    let result = async {
        let db = renkei_server::db::open(&config.database).await?;
        let mut conn = db.acquire().await?;
        Ok::<_, Box<dyn std::error::Error>>(renkei_server::store::sync::new_epoch(&mut conn).await?)
    };
    match result.await {
        Ok(epoch) => {
            println!("new sync epoch {epoch}: devices will pull everything again");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("renkei: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Checks the chain and the checkpoints outside the database; exit 2 names what was found.
async fn verify_audit(config: &Config) -> ExitCode {
    use renkei_server::audit::anchor::Finding;
    let result = async {
        let db = renkei_server::db::open(&config.database).await?;
        let anchor = config.anchor(false)?;
        Ok::<_, Box<dyn std::error::Error>>(renkei_server::audit::check(&db, Some(&anchor)).await?)
    }
    .await;
    match result {
        Ok(report) => match (report.chain.first_bad_seq, report.anchors) {
            (Some(seq), _) => {
                println!(
                    "AUDIT LOG ALTERED: entry {seq} does not match the chain ({} entries before it are intact)",
                    report.chain.checked
                );
                ExitCode::from(2)
            }
            (None, Some(Finding::Rewritten { seq })) => {
                println!(
                    "AUDIT LOG ALTERED: entry {seq} differs from its checkpoint (the chain was recomputed)"
                );
                ExitCode::from(2)
            }
            (None, Some(Finding::Forged { line })) => {
                println!(
                    "AUDIT ANCHORS ALTERED: line {line} of the anchors file is not signed with the key"
                );
                ExitCode::from(2)
            }
            (None, Some(Finding::Truncated { seq })) => {
                println!(
                    "AUDIT LOG ALTERED: entry {seq} was checkpointed but is missing (newest entries removed)"
                );
                ExitCode::from(2)
            }
            (None, Some(Finding::Consistent { checkpoints: 0 })) if report.chain.checked > 0 => {
                println!(
                    "AUDIT LOG NOT ANCHORED: {} entries, but no checkpoints (anchors file missing?)",
                    report.chain.checked
                );
                ExitCode::from(2)
            }
            (None, anchors) => {
                let checkpoints = match anchors {
                    Some(Finding::Consistent { checkpoints }) => checkpoints,
                    _ => 0,
                };
                println!(
                    "audit log intact: {} entries checked against {checkpoints} checkpoints",
                    report.chain.checked
                );
                ExitCode::SUCCESS
            }
        },
        Err(e) => {
            eprintln!("renkei: cannot verify the audit log: {e}");
            ExitCode::FAILURE
        }
    }
}
