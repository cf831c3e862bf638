//! Authentication: who is making this request.
//!
//! Staff sign in with a password and get a session cookie; enrolled fair devices send a bearer
//! token. [`authenticate`] runs before every route and puts an `Option<Actor>` into the request;
//! the per-route guard in `crate::api::access` decides from it. Sessions and device tokens are
//! looked up on every request, so a logout, a disabled account or a revoked device takes effect
//! on the very next request.

pub mod client;
pub mod password;
pub mod strength;
pub mod throttle;
pub mod token;

use app::domain::access::{Organisation, Role};
use app::domain::ids::{DeviceId, EventId, StaffId};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;

use crate::AppState;
use crate::store::{self, now_ms};

pub const SESSION_COOKIE: &str = "renkei_session";
/// A session unused this long ends (a desk left unattended).
pub const IDLE_TIMEOUT_MS: i64 = 30 * 60 * 1000;
/// A session ends this long after sign-in, used or not (one working day).
pub const ABSOLUTE_TIMEOUT_MS: i64 = 12 * 60 * 60 * 1000;
/// `last_seen` is written at most this often, not on every request.
const TOUCH_EVERY_MS: i64 = 60 * 1000;

#[derive(Debug, Clone)]
pub struct StaffActor {
    pub id: StaffId,
    pub login_id: String,
    pub display_name: String,
    pub organisation: Organisation,
    pub role: Role,
    /// Hash of this request's session token (to end exactly this session at logout).
    pub session: String,
}

#[derive(Debug, Clone)]
pub struct DeviceActor {
    pub id: DeviceId,
    pub event_id: EventId,
}

#[derive(Debug, Clone)]
pub enum Actor {
    Staff(StaffActor),
    Device(DeviceActor),
}

impl Actor {
    /// How the audit log names this actor (ids only, never names).
    pub fn audit_name(&self) -> String {
        match self {
            Actor::Staff(s) => format!("staff:{}", s.id),
            Actor::Device(d) => format!("device:{}", d.id),
        }
    }

    pub fn device_id(&self) -> Option<DeviceId> {
        match self {
            Actor::Device(d) => Some(d.id),
            Actor::Staff(_) => None,
        }
    }
}

/// The request's actor, if any (set by [`authenticate`] on every request).
#[derive(Debug, Clone)]
pub struct MaybeActor(pub Option<Actor>);

/// The caller sent a session or a device token, but the database could not be asked about it
/// (busy, restarting): the guards answer "busy, try again" (503) instead of "not signed in",
/// which would send a clerk to the sign-in page and lose the form they were typing.
#[derive(Clone, Copy, Debug)]
pub struct IdentityUnavailable;

/// Middleware: identify the caller from the session cookie or the device bearer token.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let actor = match identify(&state, request.headers()).await {
        Ok(actor) => actor,
        Err(e) => {
            tracing::warn!(error = %e, "cannot look up the caller's session or device");
            request.extensions_mut().insert(IdentityUnavailable);
            None
        }
    };
    request.extensions_mut().insert(MaybeActor(actor));
    next.run(request).await
}

async fn identify(
    state: &AppState,
    headers: &axum::http::HeaderMap,
) -> Result<Option<Actor>, sqlx::Error> {
    if let Some(token) = bearer_token(headers) {
        return device_for_token(state, &token).await;
    }
    match session_cookie(headers) {
        Some(token) => staff_for_session(state, &token).await,
        None => Ok(None),
    }
}

fn bearer_token(headers: &axum::http::HeaderMap) -> Option<String> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let token = value.strip_prefix("Bearer ")?.trim();
    (!token.is_empty()).then(|| token.to_owned())
}

pub fn session_cookie(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|pair| {
            let (name, value) = pair.trim().split_once('=')?;
            (name == SESSION_COOKIE && !value.is_empty()).then(|| value.to_owned())
        })
}

async fn staff_for_session(state: &AppState, token: &str) -> Result<Option<Actor>, sqlx::Error> {
    let hash = token::hash(token);
    let Some(row) = store::staff::session(&state.db, &hash).await? else {
        return Ok(None);
    };
    let now = now_ms();
    // These writes take the write lock like every other: a write beside a transaction that
    // read first makes SQLite refuse that transaction ("database is locked", a 500).
    if now - row.last_seen_ms > IDLE_TIMEOUT_MS || now - row.created_at_ms > ABSOLUTE_TIMEOUT_MS {
        // Expired whether or not it can be marked so now.
        if let Ok(_writing) = state.write_lock().await
            && let Ok(mut conn) = state.db.acquire().await
        {
            let _ = store::staff::revoke_session(&mut conn, &hash, now).await;
        }
        return Ok(None);
    }
    if now - row.last_seen_ms > TOUCH_EVERY_MS {
        // A busy moment skips this touch; the next request makes it.
        if let Ok(_writing) = state.write_lock().await {
            let _ = store::staff::touch_session(&state.db, &hash, now).await;
        }
    }
    let actor = (|| {
        Some(Actor::Staff(StaffActor {
            id: row.staff_id.parse().ok()?,
            login_id: row.login_id,
            display_name: row.display_name,
            organisation: Organisation::from_code(&row.organisation)?,
            role: Role::from_code(&row.role)?,
            session: hash,
        }))
    })();
    Ok(actor)
}

async fn device_for_token(state: &AppState, token: &str) -> Result<Option<Actor>, sqlx::Error> {
    let Some(row) = store::devices::by_token(&state.db, &token::hash(token)).await? else {
        return Ok(None);
    };
    let actor = (|| {
        Some(Actor::Device(DeviceActor {
            id: row.0.parse().ok()?,
            event_id: row.1.parse().ok()?,
        }))
    })();
    Ok(actor)
}

/// Extracts the signed-in staff member; the route's guard has already refused anyone else.
pub struct CurrentStaff(pub StaffActor);

/// Extracts the enrolled device; the route's guard has already refused anyone else.
pub struct CurrentDevice(pub DeviceActor);

/// Extracts whoever the guard let through.
pub struct CurrentActor(pub Actor);

fn actor_of(parts: &Parts) -> Option<Actor> {
    parts
        .extensions
        .get::<MaybeActor>()
        .and_then(|m| m.0.clone())
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentStaff {
    type Rejection = axum::http::StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match actor_of(parts) {
            Some(Actor::Staff(s)) => Ok(Self(s)),
            _ => Err(axum::http::StatusCode::UNAUTHORIZED),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentDevice {
    type Rejection = axum::http::StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        match actor_of(parts) {
            Some(Actor::Device(d)) => Ok(Self(d)),
            _ => Err(axum::http::StatusCode::UNAUTHORIZED),
        }
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentActor {
    type Rejection = axum::http::StatusCode;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        actor_of(parts)
            .map(Self)
            .ok_or(axum::http::StatusCode::UNAUTHORIZED)
    }
}
