//! Staff accounts and sign-in.

use app::domain::access::Role;
use app::domain::ids::StaffId;
use app::domain::staff::{StaffDraft, check_password, validate_staff};
use app::domain::validation::Errors;
use app::protocol::{CreateStaff, Me, StaffView};

use super::ServiceError;
use crate::AppState;
use crate::audit::{self, Entry};
use crate::auth::{Actor, StaffActor, token};
use crate::store::{self, now_ms};

/// Why a sign-in did not succeed. Unknown id and wrong password are one answer.
#[derive(Debug)]
pub enum LoginError {
    Failed,
    /// Too many failures: wait this many seconds.
    Throttled(u64),
    /// Every hashing slot is taken: try again in a moment.
    Busy,
    Store(sqlx::Error),
}

impl From<sqlx::Error> for LoginError {
    fn from(e: sqlx::Error) -> Self {
        LoginError::Store(e)
    }
}

/// Signs in: the attempt is reserved with the throttle before the password is hashed (per
/// account and address, per address, per account from untrusted addresses — see
/// `auth::throttle`); same answer and same time for an unknown id and a wrong password; a
/// fresh session token every time.
pub async fn login(
    state: &AppState,
    login_id: &str,
    given_password: &str,
    address: &str,
) -> Result<(String, Me), LoginError> {
    let login_id = login_id.trim().to_ascii_lowercase();
    // No account has a longer id; refusing it here keeps the throttle's keys small.
    if login_id.chars().count() > *app::domain::staff::LOGIN_ID_LEN.end()
        || login_id.chars().any(char::is_control)
    {
        return Err(LoginError::Failed);
    }
    let now = now_ms();
    let keys = crate::service::throttle::sign_in_keys(state, &login_id, address, now).await?;
    let attempt = match crate::service::throttle::reserve(state, &keys, now).await? {
        Ok(attempt) => attempt,
        Err(wait_ms) => {
            state.refusals.note("sign_in_throttled");
            return Err(LoginError::Throttled((wait_ms as u64).div_ceil(1000)));
        }
    };
    let row = store::staff::by_login_id(&state.db, &login_id).await?;
    let usable = row.as_ref().filter(|r| r.disabled_at_ms.is_none());
    let ok = state
        .hasher
        .verify(
            given_password.to_owned(),
            usable.map(|r| r.password_hash.clone()),
        )
        .await;
    let Ok(ok) = ok else {
        attempt.cancel();
        return Err(LoginError::Busy);
    };
    let Some(row) = usable.filter(|_| ok) else {
        crate::service::throttle::failed(state, attempt, now_ms()).await?;
        let entry = Entry::new(None, "login_failed", "session").denied();
        let entry = match &row {
            Some(r) => entry.subject(&r.id),
            None => entry,
        };
        audit::record(state, &[entry]).await?;
        return Err(LoginError::Failed);
    };
    crate::service::throttle::succeeded(state, attempt, Some((&login_id, address)), now).await?;
    let view = row.view()?;
    let secret = token::new_secret();
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        store::staff::insert_session(&mut tx, &token::hash(&secret), view.id, now).await?;
        let actor = format!("staff:{}", view.id);
        let mut entry = Entry::new(None, "login", "session").subject(view.id);
        entry.actor = actor;
        audit::append(&mut tx, &[entry]).await?;
        tx.commit().await?;
    }
    Ok((secret, me(&view)))
}

/// A password common, patterned or made of the account's own words is refused (NIST SP
/// 800-63B), with the same field error the browser shows under the password field.
fn refuse_guessable(password: &str, context: &[&str]) -> Result<(), ServiceError> {
    if crate::auth::strength::guessable(password, context) {
        return Err(ServiceError::Invalid(vec![
            app::domain::validation::FieldError {
                field: "password",
                problem: app::domain::validation::Problem::GuessablePassword,
            },
        ]));
    }
    Ok(())
}

pub fn me(view: &StaffView) -> Me {
    Me {
        staff_id: view.id,
        login_id: view.login_id.clone(),
        display_name: view.display_name.clone(),
        organisation: view.organisation,
        role: view.role,
    }
}

/// The server's key for a browser store (see `app::client::vault`): a staff member's or a
/// fair tablet's, made at the first request.
pub async fn server_key(
    state: &AppState,
    holder: store::device_keys::Holder<'_>,
) -> Result<String, ServiceError> {
    use base64::Engine;
    use rand::RngCore;
    let mut fresh = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut fresh);
    let fresh = base64::engine::general_purpose::STANDARD.encode(fresh);
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let key = store::device_keys::get_or_make(&mut tx, holder, &fresh, now_ms()).await?;
    tx.commit().await?;
    Ok(key)
}

pub async fn logout(state: &AppState, staff: &StaffActor) -> Result<(), ServiceError> {
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    store::staff::revoke_session(&mut tx, &staff.session, now_ms()).await?;
    audit::append(
        &mut tx,
        &[Entry::new(Some(&Actor::Staff(staff.clone())), "logout", "session").subject(staff.id)],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list(state: &AppState) -> Result<Vec<StaffView>, ServiceError> {
    Ok(store::staff::all(&state.db)
        .await?
        .iter()
        .map(store::staff::StaffRow::view)
        .collect::<Result<_, _>>()?)
}

/// Creates an account (by an administrator, or at set-up with `by = None`).
pub async fn create(
    state: &AppState,
    by: Option<&StaffActor>,
    request: &CreateStaff,
) -> Result<StaffView, ServiceError> {
    let draft = StaffDraft {
        login_id: request.login_id.clone(),
        display_name: request.display_name.clone(),
        organisation: request.organisation.clone(),
        role: request.role.clone(),
        password: request.password.clone(),
    };
    let new = validate_staff(&draft).map_err(ServiceError::Invalid)?;
    refuse_guessable(&request.password, &[&new.login_id, &new.display_name])?;
    let hash = state
        .hasher
        .hash(request.password.clone())
        .await
        .map_err(|_| ServiceError::Busy)?;
    let id = StaffId(uuid::Uuid::now_v7());
    let actor = by.cloned().map(Actor::Staff);
    {
        let _guard = state.write_lock().await?;
        let mut tx = crate::store::begin_write(&state.db).await?;
        if !store::staff::insert(&mut tx, id, &new, &hash, now_ms()).await? {
            return Err(ServiceError::LoginIdTaken);
        }
        audit::append(
            &mut tx,
            &[Entry::new(actor.as_ref(), "create", "staff")
                .subject(id)
                .detail(format!(
                    "role={} org={}",
                    new.role.code(),
                    new.organisation.code()
                ))],
        )
        .await?;
        tx.commit().await?;
    }
    get(state, id).await
}

async fn get(state: &AppState, id: StaffId) -> Result<StaffView, ServiceError> {
    Ok(store::staff::by_id(&state.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?
        .view()?)
}

/// What an administrator can change on an account.
pub enum Change {
    Disable,
    Enable,
    Password(String),
    Role(String),
}

/// A new password checked (length, not the login id, not guessable) and hashed.
async fn new_password_hash(
    state: &AppState,
    password: &str,
    target: &store::staff::StaffRow,
) -> Result<String, ServiceError> {
    let mut errors = Errors::default();
    check_password(&mut errors, password, &target.login_id);
    errors.finish(|| ()).map_err(ServiceError::Invalid)?;
    refuse_guessable(password, &[&target.login_id, &target.display_name])?;
    state
        .hasher
        .hash(password.to_owned())
        .await
        .map_err(|_| ServiceError::Busy)
}

/// Applies a change; disabling or a new password ends the account's sessions at once.
/// An administrator cannot disable or demote themselves (so at least one remains).
pub async fn change(
    state: &AppState,
    admin: &StaffActor,
    id: StaffId,
    change: Change,
) -> Result<StaffView, ServiceError> {
    let target = store::staff::by_id(&state.db, id)
        .await?
        .ok_or(ServiceError::NotFound)?;
    let actor = Actor::Staff(admin.clone());
    let now = now_ms();
    let self_lockout = id == admin.id && matches!(change, Change::Disable | Change::Role(_));
    if self_lockout {
        audit::record(
            state,
            &[Entry::new(Some(&actor), "update", "staff")
                .subject(id)
                .denied()],
        )
        .await?;
        return Err(ServiceError::Forbidden);
    }
    let new_hash = match &change {
        Change::Password(pw) => Some(new_password_hash(state, pw, &target).await?),
        _ => None,
    };
    let role = match &change {
        Change::Role(code) => {
            let mut errors = Errors::default();
            let role = errors.choice("role", code, Role::from_code);
            errors.finish(|| ()).map_err(ServiceError::Invalid)?;
            role
        }
        _ => None,
    };
    let _guard = state.write_lock().await?;
    let mut tx = crate::store::begin_write(&state.db).await?;
    let (action, detail) = match change {
        Change::Disable => {
            store::staff::set_disabled(&mut tx, id, Some(now)).await?;
            store::staff::revoke_all_sessions(&mut tx, id, now).await?;
            ("disable", String::new())
        }
        Change::Enable => {
            store::staff::set_disabled(&mut tx, id, None).await?;
            ("enable", String::new())
        }
        Change::Password(_) => {
            store::staff::set_password(&mut tx, id, new_hash.as_deref().expect("hashed")).await?;
            store::staff::revoke_all_sessions(&mut tx, id, now).await?;
            ("password_reset", String::new())
        }
        Change::Role(_) => {
            let role = role.expect("checked");
            store::staff::set_role(&mut tx, id, role).await?;
            ("role_change", format!("role={}", role.code()))
        }
    };
    audit::append(
        &mut tx,
        &[Entry::new(Some(&actor), action, "staff")
            .subject(id)
            .detail(detail)],
    )
    .await?;
    tx.commit().await?;
    drop(_guard);
    get(state, id).await
}
