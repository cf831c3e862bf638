//! `server`: parse the configuration, start logging, run Renkei.

use std::process::ExitCode;

use clap::Parser;
use renkei_server::Config;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_new(&config.log).unwrap_or_else(|_| EnvFilter::new("info")))
        .init();
    match renkei_server::run(config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("renkei: {e}");
            ExitCode::FAILURE
        }
    }
}
