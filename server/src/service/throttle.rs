//! Throttling shared by every server of a database: the rules and this server's attempts in
//! flight are `auth::throttle`'s (in memory); failures and trusted addresses are also stored
//! (`store::throttle`), and taken in before each attempt.

use crate::AppState;
use crate::auth::throttle::{self, Limit, Reservation, TRUST_MS, WINDOW_MS};
use crate::store;

fn names(keys: &[(String, Limit)]) -> Vec<&str> {
    keys.iter().map(|(k, _)| k.as_str()).collect()
}

/// The keys a sign-in attempt reserves; whether the address is trusted for the account is
/// asked of the database (any server may have seen the sign-in).
pub async fn sign_in_keys(
    state: &AppState,
    account: &str,
    address: &str,
    now_ms: i64,
) -> Result<Vec<(String, Limit)>, sqlx::Error> {
    if store::throttle::trusted(&state.db, account, address, now_ms).await? {
        state.throttle.trust(account, address, now_ms);
    }
    Ok(throttle::sign_in_keys(
        &state.throttle,
        account,
        address,
        now_ms,
    ))
}

/// Reserves one attempt under every key after taking in every server's failures, or
/// answers how many milliseconds to wait.
pub async fn reserve(
    state: &AppState,
    keys: &[(String, Limit)],
    now_ms: i64,
) -> Result<Result<Reservation, i64>, sqlx::Error> {
    let shared = store::throttle::failures(&state.db, &names(keys), now_ms - WINDOW_MS).await?;
    state.throttle.absorb(keys, &shared, now_ms);
    Ok(state.throttle.reserve(keys, now_ms))
}

/// The attempt failed: it counts here and for every other server.
pub async fn failed(
    state: &AppState,
    attempt: Reservation,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let keys = attempt.keys().to_vec();
    attempt.failed(now_ms);
    let _guard = state.write_lock().await?;
    let mut tx = store::begin_write(&state.db).await?;
    store::throttle::add_failures(&mut tx, &names(&keys), now_ms, now_ms - WINDOW_MS).await?;
    tx.commit().await?;
    state.throttle.stored(&keys, now_ms);
    Ok(())
}

/// The attempt succeeded: the keys a success clears are cleared everywhere, and a sign-in's
/// `(account, address)` is trusted for every server — one writing transaction for both.
pub async fn succeeded(
    state: &AppState,
    attempt: Reservation,
    trust: Option<(&str, &str)>,
    now_ms: i64,
) -> Result<(), sqlx::Error> {
    let cleared: Vec<String> = attempt
        .keys()
        .iter()
        .filter(|(_, limit)| limit.cleared_by_success)
        .map(|(k, _)| k.clone())
        .collect();
    attempt.succeeded(now_ms);
    if let Some((account, address)) = trust {
        state.throttle.trust(account, address, now_ms);
    }
    if cleared.is_empty() && trust.is_none() {
        return Ok(());
    }
    let _guard = state.write_lock().await?;
    let mut tx = store::begin_write(&state.db).await?;
    let cleared: Vec<&str> = cleared.iter().map(String::as_str).collect();
    store::throttle::clear(&mut tx, &cleared).await?;
    if let Some((account, address)) = trust {
        store::throttle::trust(&mut tx, account, address, now_ms, now_ms + TRUST_MS).await?;
    }
    tx.commit().await
}
