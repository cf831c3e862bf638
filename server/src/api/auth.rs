//! `/api/v1/auth`: sign in, sign out, who am I.

use std::net::SocketAddr;

use app::protocol::{ErrorBody, LoginRequest, Me};
use axum::Json;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::error::{ApiError, ApiErrorKind};
use super::{ApiJson, ApiLang};
use crate::AppState;
use crate::auth::{ABSOLUTE_TIMEOUT_MS, CurrentStaff, SESSION_COOKIE};
use crate::service::staff::{self, LoginError};

/// The client's address, for throttling: the socket peer, or behind a configured reverse
/// proxy the address it forwarded for (`auth::client`). An IPv6 client is counted by its /64
/// network, which one household or device usually holds whole.
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = parts
            .headers
            .get_all("x-forwarded-for")
            .iter()
            .filter_map(|v| v.to_str().ok());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| crate::auth::client::client_ip(c.0.ip(), forwarded, &state.trusted_proxies));
        Ok(Self(match peer {
            None => "unknown".to_owned(),
            Some(std::net::IpAddr::V4(v4)) => v4.to_string(),
            Some(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => {
                    let s = v6.segments();
                    format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
                }
            },
        }))
    }
}

fn session_cookie(state: &AppState, value: &str, max_age_s: i64) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_s}{secure}")
}

/// Sign in. Sets an HttpOnly session cookie; the same answer for an unknown id and a wrong
/// password; throttled after repeated failures.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth", request_body = LoginRequest,
    responses((status = 200, body = Me), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 415, body = ErrorBody), (status = 429, body = ErrorBody), (status = 503, body = ErrorBody)))]
pub async fn login(
    State(state): State<AppState>,
    lang: ApiLang,
    ClientAddr(addr): ClientAddr,
    ApiJson(request): ApiJson<LoginRequest>,
) -> Result<Response, ApiError> {
    match staff::login(&state, &request.login_id, &request.password, &addr).await {
        Ok((token, me)) => Ok((
            [(
                header::SET_COOKIE,
                session_cookie(&state, &token, ABSOLUTE_TIMEOUT_MS / 1000),
            )],
            Json(me),
        )
            .into_response()),
        Err(LoginError::Failed) => Err(ApiError::new(lang.0, ApiErrorKind::LoginFailed)),
        Err(LoginError::Throttled(s)) => Err(ApiError::new(lang.0, ApiErrorKind::Throttled(s))),
        Err(LoginError::Busy) => Err(ApiError::new(lang.0, ApiErrorKind::Busy)),
        Err(LoginError::Store(e)) => Err(ApiError::from_service(lang.0, e.into())),
    }
}

/// Sign out: ends this session on the server and clears the cookie.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth", responses((status = 204)))]
pub async fn logout(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
) -> Result<Response, ApiError> {
    staff::logout(&state, &me)
        .await
        .map_err(|e| ApiError::from_service(lang.0, e))?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, session_cookie(&state, "", 0))],
    )
        .into_response())
}

/// The server's key for the signed-in staff member's browser stores: a laptop's sealed store
/// opens with it while signed in (offline, the password opens it).
#[utoipa::path(get, path = "/api/v1/auth/device-key", tag = "auth",
    responses((status = 200, body = app::protocol::DeviceKey)))]
pub async fn device_key(
    State(state): State<AppState>,
    lang: ApiLang,
    CurrentStaff(me): CurrentStaff,
) -> Result<Json<app::protocol::DeviceKey>, ApiError> {
    let id = me.id.to_string();
    staff::server_key(&state, crate::store::device_keys::Holder::Staff(&id))
        .await
        .map(|key| Json(app::protocol::DeviceKey { key }))
        .map_err(|e| ApiError::from_service(lang.0, e))
}

/// The signed-in staff member.
#[utoipa::path(get, path = "/api/v1/auth/me", tag = "auth", responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(CurrentStaff(me): CurrentStaff) -> Json<Me> {
    Json(Me {
        staff_id: me.id,
        login_id: me.login_id,
        display_name: me.display_name,
        organisation: me.organisation,
        role: me.role,
    })
}
