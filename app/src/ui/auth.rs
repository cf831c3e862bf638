//! Sign-in page and the signed-in staff member's bar (name, organisation, sign out).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use super::lang::use_catalog;
use crate::client::{self, ClientError};
use crate::domain::access::Role;
use crate::protocol::{LoginRequest, Me};

/// Where this device remembers who last signed in (for offline starts).
const ME_KEY: &str = "renkei.me";

/// The signed-in staff member, loaded once per page from `/api/v1/auth/me`.
#[derive(Clone, Copy)]
pub struct CurrentUser(pub LocalResource<Option<Me>>);

pub fn provide_current_user() {
    let me = LocalResource::new(|| async {
        if is_login_page() {
            return None;
        }
        // Offline (or the server down), the last signed-in person on this device carries on
        // with their local work; the server checks the session again when entries are sent.
        match client::get_json::<Me>("/api/v1/auth/me").await {
            Ok(me) => {
                let _ = client::local::save(ME_KEY, &me);
                Some(me)
            }
            Err(ClientError::Network) => client::local::load::<Me>(ME_KEY),
            Err(_) => None,
        }
    });
    provide_context(CurrentUser(me));
}

fn is_login_page() -> bool {
    #[cfg(feature = "browser")]
    {
        web_sys::window()
            .and_then(|w| w.location().pathname().ok())
            .is_some_and(|p| p == "/login")
    }
    #[cfg(not(feature = "browser"))]
    false
}

/// Whether the signed-in person has this role (false until known).
pub fn has_role(role: Role) -> Signal<bool> {
    let me = expect_context::<CurrentUser>().0;
    Signal::derive(move || me.get().flatten().is_some_and(|m| m.role == role))
}

/// Whether the signed-in person works with cases (counter staff, managers): false for
/// administrators, and until known — screens hide what the role cannot use instead of
/// letting the server refuse it.
pub fn handles_cases() -> Signal<bool> {
    let me = expect_context::<CurrentUser>().0;
    Signal::derive(move || me.get().flatten().is_some_and(|m| m.role.handles_cases()))
}

#[component]
pub fn UserBar() -> impl IntoView {
    let t = use_catalog();
    let me = expect_context::<CurrentUser>().0;
    let sign_out = move |_| {
        spawn_local(async move {
            let _ = client::post_unit("/api/v1/auth/logout").await;
            // Nothing readable stays: the pulled records go; what waits to be sent stays
            // sealed for the next sign-in (its key is in memory only, gone with this page).
            if let Some(Some(m)) = me.get_untracked() {
                client::local::remove(&client::local::cache_key(&m.staff_id.to_string()));
            }
            client::local::remove(ME_KEY);
            client::go_to("/login");
        });
    };
    view! {
        <Transition fallback=|| ()>
            {move || {
                me.get().flatten().map(|m| {
                    view! {
                        <div class="user-bar" data-testid="user-bar">
                            <span class="user-name">
                                {m.display_name.clone()}
                                <span class="user-org">
                                    {move || format!("（{}・{}）", t.get().organisation(m.organisation), t.get().role(m.role))}
                                </span>
                            </span>
                            <button type="button" class="header-button" on:click=sign_out>
                                {t.get().logout}
                            </button>
                        </div>
                    }
                })
            }}
        </Transition>
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = use_catalog();
    let query = use_query_map();
    let login_id = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        error.set(None);
        let request = LoginRequest {
            login_id: login_id.get_untracked(),
            password: password.get_untracked(),
        };
        let next = client::safe_next(query.get_untracked().get("next").as_deref());
        spawn_local(async move {
            match client::post_json::<_, Me>("/api/v1/auth/login", &request).await {
                Ok(me) => {
                    // The password opens this device's sealed store offline from now on.
                    if me.role.handles_cases() {
                        // Not sealed now (no key from the server): it is at the next visit.
                        let _ = client::vault::after_sign_in(
                            &me.staff_id.to_string(),
                            &request.password,
                            None,
                        )
                        .await;
                    }
                    client::go_to(&next)
                }
                Err(e) => {
                    busy.set(false);
                    password.set(String::new());
                    error.set(Some(match e {
                        ClientError::Server {
                            message: Some(m), ..
                        } => m,
                        ClientError::Validation(_) => t.get_untracked().err_login_failed.to_owned(),
                        _ => t.get_untracked().err_network.to_owned(),
                    }));
                }
            }
        });
    };
    view! {
        <Title text=t.get().login_title />
        <section class="panel login-panel" aria-labelledby="login-heading">
            <h1 id="login-heading">{t.get().login_title}</h1>
            <form on:submit=submit data-testid="login-form">
                <div role="alert">
                    {move || error.get().map(|e| view! { <p class="alert">{e}</p> })}
                </div>
                <div class="field">
                    <label for="login_id">{t.get().field_login_id}</label>
                    <input id="login_id" name="login_id" type="text" autocomplete="username"
                        autocapitalize="none" spellcheck="false" required=true
                        prop:value=move || login_id.get()
                        on:input:target=move |ev| login_id.set(ev.target().value()) />
                </div>
                <div class="field">
                    <label for="password">{t.get().field_password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password"
                        required=true
                        prop:value=move || password.get()
                        on:input:target=move |ev| password.set(ev.target().value()) />
                </div>
                <button type="submit" class="primary" disabled=move || busy.get()>
                    {t.get().login_submit}
                </button>
            </form>
        </section>
    }
}
