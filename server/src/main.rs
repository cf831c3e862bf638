//! `server`: parse the configuration, start logging, run Renkei (or a maintenance command).

use std::process::ExitCode;

use clap::Parser;
use renkei_server::Config;
use renkei_server::config::Command;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match config.command {
        Some(Command::VerifyAudit) => verify_audit(&config).await,
        None => match renkei_server::run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("renkei: {e}");
                ExitCode::FAILURE
            }
        },
    }
}

async fn verify_audit(config: &Config) -> ExitCode {
    let result = async {
        let db = renkei_server::db::open(&config.database).await?;
        Ok::<_, Box<dyn std::error::Error>>(renkei_server::audit::verify(&db).await?)
    }
    .await;
    match result {
        Ok(v) => match v.first_bad_seq {
            None => {
                println!("audit log intact: {} entries checked", v.checked);
                ExitCode::SUCCESS
            }
            Some(seq) => {
                println!(
                    "AUDIT LOG ALTERED: entry {seq} does not match the chain ({} entries before it are intact)",
                    v.checked
                );
                ExitCode::from(2)
            }
        },
        Err(e) => {
            eprintln!("renkei: cannot verify the audit log: {e}");
            ExitCode::FAILURE
        }
    }
}
