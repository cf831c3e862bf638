//! One writer at a time per browser profile: tabs of the same staff member (or tablet) share
//! one replica and one outbox, so every change to it — numbering a new entry, settling
//! answered ones — happens under an exclusive Web Lock (`navigator.locks`) held across tabs,
//! on the outbox as stored (another tab may have just written it).
//!
//! Browsers without Web Locks (or pages not in a secure context) run the work directly: one
//! tab is then as safe as before, and the server refuses a number reused with other content
//! with a reason the person sees, so nothing is lost silently.

use std::future::Future;

/// Runs `work` while holding the lock `name` in this browser profile.
#[cfg(feature = "hydrate")]
pub async fn exclusive<T>(name: &str, work: impl Future<Output = T>) -> T {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::prelude::Closure;

    let locks = web_sys::window()
        .and_then(|w| Reflect::get(&w.navigator(), &"locks".into()).ok())
        .filter(|l| !l.is_undefined() && !l.is_null());
    let request = locks.as_ref().and_then(|l| {
        Reflect::get(l, &"request".into())
            .ok()?
            .dyn_into::<Function>()
            .ok()
    });
    let (Some(locks), Some(request)) = (locks, request) else {
        return work.await;
    };
    // Settled by us when the work is done: the browser holds the lock until then.
    let mut release: Option<Function> = None;
    let held = Promise::new(&mut |resolve, _| release = Some(resolve));
    let mut grant: Option<Function> = None;
    let granted = Promise::new(&mut |resolve, _| grant = Some(resolve));
    let callback = Closure::once(move |_lock: wasm_bindgen::JsValue| {
        if let Some(grant) = grant {
            let _ = grant.call0(&wasm_bindgen::JsValue::NULL);
        }
        held
    });
    if request
        .call2(&locks, &name.into(), callback.as_ref().unchecked_ref())
        .is_err()
    {
        return work.await;
    }
    let _ = wasm_bindgen_futures::JsFuture::from(granted).await;
    let out = work.await;
    if let Some(release) = release {
        let _ = release.call0(&wasm_bindgen::JsValue::NULL);
    }
    drop(callback);
    out
}

/// Server-side rendering and native tests: one process, nothing to share.
#[cfg(not(feature = "hydrate"))]
pub async fn exclusive<T>(_name: &str, work: impl Future<Output = T>) -> T {
    work.await
}
