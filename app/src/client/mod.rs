//! The browser's side of the JSON API, behind one small interface.
//!
//! Compiled for the browser (`browser`: the main app and the tablet) it talks HTTP with `gloo-net`. Compiled for the server it
//! is a stand-in that answers [`ClientError::Unavailable`]: components only call it from
//! `LocalResource`s and event handlers, which never run during server rendering.

use crate::domain::ids::{EventId, PersonId};
use crate::protocol::{CreateEvent, EventView, FieldMessage};

/// Why a call to the server did not give the expected answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientError {
    /// No answer: offline, server down, connection cut.
    Network,
    /// The server refused some fields; each message names its field.
    Validation(Vec<FieldMessage>),
    /// Any other refusal or failure, with the server's message when it sent one.
    Server {
        status: u16,
        message: Option<String>,
    },
    /// Not available in this build (server-side rendering).
    Unavailable,
    /// The session ended (or never began); the page is being sent to the sign-in screen.
    SignedOut,
}

#[cfg(feature = "browser")]
mod browser {
    use gloo_net::http::{Request, Response};
    use serde::de::DeserializeOwned;

    use super::ClientError;
    use crate::protocol::ErrorBody;

    /// A request with the JSON headers, and a fair tablet's token when it has one.
    fn with_headers(
        request: gloo_net::http::RequestBuilder,
        bearer: Option<&str>,
    ) -> gloo_net::http::RequestBuilder {
        let request = request.header("Accept", "application/json");
        match bearer {
            Some(token) => request.header("Authorization", &format!("Bearer {token}")),
            None => request,
        }
    }

    async fn send_get(url: &str, bearer: Option<&str>) -> Result<Response, ClientError> {
        with_headers(Request::get(url), bearer)
            .send()
            .await
            .map_err(|_| ClientError::Network)
    }

    async fn send_post<B: serde::Serialize>(
        url: &str,
        body: &B,
        bearer: Option<&str>,
    ) -> Result<Response, ClientError> {
        with_headers(Request::post(url), bearer)
            .json(body)
            .map_err(|_| ClientError::Unavailable)?
            .send()
            .await
            .map_err(|_| ClientError::Network)
    }

    pub async fn get_json<T: DeserializeOwned>(url: &str) -> Result<T, ClientError> {
        read(send_get(url, None).await?).await
    }

    pub async fn post_json<B: serde::Serialize, T: DeserializeOwned>(
        url: &str,
        body: &B,
    ) -> Result<T, ClientError> {
        read(send_post(url, body, None).await?).await
    }

    /// A POST with no body whose success answer has no body either (204).
    pub async fn post_unit(url: &str) -> Result<(), ClientError> {
        let response = Request::post(url)
            .header("Accept", "application/json")
            .send()
            .await
            .map_err(|_| ClientError::Network)?;
        if response.ok() {
            return Ok(());
        }
        read::<serde_json::Value>(response).await.map(|_| ())
    }

    async fn read<T: DeserializeOwned>(response: Response) -> Result<T, ClientError> {
        read_as(response, true).await
    }

    /// Reads an answer; a 401 sends the person to sign in when `redirect` (pages), or is only
    /// reported (background sync must not leave a half-typed form).
    async fn read_as<T: DeserializeOwned>(
        response: Response,
        redirect: bool,
    ) -> Result<T, ClientError> {
        let status = response.status();
        if status == 401 && !response.url().ends_with("/api/v1/auth/login") {
            if redirect {
                super::go_to_login();
            }
            return Err(ClientError::SignedOut);
        }
        if response.ok() {
            return response.json::<T>().await.map_err(|_| ClientError::Server {
                status,
                message: None,
            });
        }
        match response.json::<ErrorBody>().await {
            Ok(body) if body.error.code == "validation" => {
                Err(ClientError::Validation(body.error.fields))
            }
            Ok(body) => Err(ClientError::Server {
                status,
                message: Some(body.error.message),
            }),
            Err(_) => Err(ClientError::Server {
                status,
                message: None,
            }),
        }
    }

    /// A POST whose success answer has no body (204).
    pub async fn post_json_no_content<B: serde::Serialize>(
        url: &str,
        body: &B,
    ) -> Result<(), ClientError> {
        let response = send_post(url, body, None).await?;
        if response.ok() {
            return Ok(());
        }
        read::<serde_json::Value>(response).await.map(|_| ())
    }

    /// A GET for background work or a fair tablet (`bearer`): no redirect on 401.
    pub async fn get_json_quiet<T: DeserializeOwned>(
        url: &str,
        bearer: Option<&str>,
    ) -> Result<T, ClientError> {
        read_as(send_get(url, bearer).await?, false).await
    }

    /// A POST for background work or a fair tablet (`bearer`): no redirect on 401.
    pub async fn post_json_quiet<B: serde::Serialize, T: DeserializeOwned>(
        url: &str,
        body: &B,
        bearer: Option<&str>,
    ) -> Result<T, ClientError> {
        read_as(send_post(url, body, bearer).await?, false).await
    }

    pub fn now_unix_millis() -> i64 {
        js_sys::Date::now() as i64
    }

    /// Ten bytes from the Web Crypto CSPRNG, or `None` where it is missing (very old browsers):
    /// the server then chooses the id.
    pub fn random_10() -> Option<[u8; 10]> {
        let mut bytes = [0u8; 10];
        fill_random(&mut bytes)?;
        Some(bytes)
    }

    /// Fills `bytes` from the Web Crypto CSPRNG.
    pub fn fill_random(bytes: &mut [u8]) -> Option<()> {
        let crypto = web_sys::window()?.crypto().ok()?;
        crypto.get_random_values_with_u8_array(bytes).ok()?;
        Some(())
    }

    /// The bytes of the file chosen in the `<input type=file>` an event came from.
    pub async fn read_chosen_file(ev: &web_sys::Event) -> Option<Vec<u8>> {
        use wasm_bindgen::JsCast;
        let input = ev.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()?;
        let file = input.files()?.get(0)?;
        let buffer = wasm_bindgen_futures::JsFuture::from(file.array_buffer())
            .await
            .ok()?;
        Some(js_sys::Uint8Array::new(&buffer).to_vec())
    }
}

#[cfg(not(feature = "browser"))]
mod browser {
    use super::ClientError;

    pub async fn get_json<T: serde::de::DeserializeOwned>(_url: &str) -> Result<T, ClientError> {
        Err(ClientError::Unavailable)
    }

    pub async fn post_json<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        _url: &str,
        _body: &B,
    ) -> Result<T, ClientError> {
        Err(ClientError::Unavailable)
    }

    pub async fn post_unit(_url: &str) -> Result<(), ClientError> {
        Err(ClientError::Unavailable)
    }

    pub async fn post_json_no_content<B: serde::Serialize>(
        _url: &str,
        _body: &B,
    ) -> Result<(), ClientError> {
        Err(ClientError::Unavailable)
    }

    pub async fn get_json_quiet<T: serde::de::DeserializeOwned>(
        _url: &str,
        _bearer: Option<&str>,
    ) -> Result<T, ClientError> {
        Err(ClientError::Unavailable)
    }

    pub async fn post_json_quiet<B: serde::Serialize, T: serde::de::DeserializeOwned>(
        _url: &str,
        _body: &B,
        _bearer: Option<&str>,
    ) -> Result<T, ClientError> {
        Err(ClientError::Unavailable)
    }

    pub fn now_unix_millis() -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }

    pub fn random_10() -> Option<[u8; 10]> {
        None
    }

    pub fn fill_random(_bytes: &mut [u8]) -> Option<()> {
        None
    }

    pub async fn read_chosen_file(_ev: &leptos::ev::Event) -> Option<Vec<u8>> {
        None
    }
}

pub mod local;
pub mod lock;
pub mod sealed;
pub mod vault;

pub use browser::{
    fill_random, get_json, get_json_quiet, now_unix_millis, post_json, post_json_no_content,
    post_json_quiet, post_unit, read_chosen_file,
};

/// Today in Japan by this device's clock: the day forms check dates against.
pub fn today() -> crate::domain::date::CivilDate {
    crate::domain::date::CivilDate::in_japan_from_unix_millis(now_unix_millis())
}

/// Sends a sync batch (no sign-in redirect: the outbox waits for the person to sign in). A fair
/// tablet sends its token (`bearer`); staff browsers their session cookie.
pub async fn sync_push(
    request: &crate::sync::wire::PushRequest,
    bearer: Option<&str>,
) -> Result<crate::sync::wire::PushResponse, ClientError> {
    browser::post_json_quiet("/api/v1/sync/push", request, bearer).await
}

/// Fetches one page of changes after `after` (a position in the database `epoch`).
pub async fn sync_pull(
    after: u64,
    epoch: Option<&str>,
    bearer: Option<&str>,
) -> Result<crate::sync::wire::PullResponse, ClientError> {
    let mut url = format!(
        "/api/v1/sync/pull?protocol={}&after={after}&limit={}",
        crate::sync::wire::PROTOCOL_VERSION,
        crate::sync::wire::MAX_PULL
    );
    // An epoch is 32 hex digits (the server made it); anything else is not sent.
    if let Some(epoch) = epoch.filter(|e| e.chars().all(|c| c.is_ascii_hexdigit())) {
        url.push_str("&epoch=");
        url.push_str(epoch);
    }
    browser::get_json_quiet(&url, bearer).await
}

/// A fresh UUIDv7 for a record made on this device, or `None` without a CSPRNG.
pub fn new_record_id() -> Option<String> {
    let random = browser::random_10()?;
    Some(PersonId::from_parts(now_unix_millis().max(0) as u64, &random).to_string())
}

/// 64 random bits (a device's clock node id), or `None` without a CSPRNG.
pub fn random_u64() -> Option<u64> {
    let random = browser::random_10()?;
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&random[..8]);
    Some(u64::from_le_bytes(bytes).max(1))
}

/// Sends the browser to the sign-in page, to come back here afterwards.
pub fn go_to_login() {
    #[cfg(feature = "browser")]
    if let Some(window) = web_sys::window() {
        let here = window.location().pathname().unwrap_or_default();
        let _ = window.location().set_href(&format!("/login?next={here}"));
    }
}

/// Navigates with a full page load (so the server sees a new session cookie).
pub fn go_to(path: &str) {
    #[cfg(feature = "browser")]
    if let Some(window) = web_sys::window() {
        let _ = window.location().set_href(path);
    }
    #[cfg(not(feature = "browser"))]
    let _ = path;
}

/// Where to go after signing in: only a path on this site. Browsers drop tabs and newlines
/// from a URL and read `\\` as `/`, so `/\t/evil.example` would leave the site: a path with
/// any control character, white space or backslash, or that starts with `//`, goes home.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with('/')
                && !p.starts_with("//")
                && p.chars()
                    .all(|c| !c.is_control() && !c.is_whitespace() && c != '\\') =>
        {
            p.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// A fresh UUIDv7 for a record created here and now, so a retried request cannot create it
/// twice. `None` when there is no CSPRNG (and on the server): the server then assigns one.
pub fn new_event_id() -> Option<EventId> {
    let random = browser::random_10()?;
    Some(EventId::from_parts(
        now_unix_millis().max(0) as u64,
        &random,
    ))
}

pub async fn list_events() -> Result<Vec<EventView>, ClientError> {
    browser::get_json::<crate::protocol::EventList>("/api/v1/events")
        .await
        .map(|list| list.events)
}

pub async fn create_event(request: &CreateEvent) -> Result<EventView, ClientError> {
    browser::post_json("/api/v1/events", request).await
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_a_path_on_this_site_is_followed_after_sign_in() {
        for good in ["/cases", "/events/0192-ab?tab=1", "/", "/%2F%2Fstays-here"] {
            assert_eq!(safe_next(Some(good)), good);
        }
        for bad in [
            "//evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "https://evil.example/",
            "evil.example",
            "/ /evil.example",
            "/\u{0}/x",
            "/\u{85}/evil.example",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
