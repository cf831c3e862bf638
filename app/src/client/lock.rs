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
#[cfg(feature = "browser")]
pub async fn exclusive<T>(name: &str, work: impl Future<Output = T>) -> T {
    use std::cell::RefCell;
    use std::rc::Rc;

    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::prelude::Closure;
    use wasm_bindgen::{JsCast, JsValue};

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
    // Resolved when the lock is granted — or when the browser refuses the request later (a
    // context where Web Locks are not allowed rejects the request's promise): then the work
    // runs without the lock, as in a browser without Web Locks, instead of waiting forever.
    let grant: Rc<RefCell<Option<Function>>> = Rc::default();
    let granted = Promise::new(&mut |resolve, _| *grant.borrow_mut() = Some(resolve));
    let go_on = |grant: &Rc<RefCell<Option<Function>>>| {
        if let Some(grant) = grant.borrow_mut().take() {
            let _ = grant.call0(&JsValue::NULL);
        }
    };
    let on_grant = grant.clone();
    let callback = Closure::once(move |_lock: JsValue| {
        go_on(&on_grant);
        held
    });
    let on_refusal = grant.clone();
    let refused = Closure::once(move |_error: JsValue| go_on(&on_refusal));
    match request.call2(&locks, &name.into(), callback.as_ref().unchecked_ref()) {
        Ok(requested) => match requested.dyn_into::<Promise>() {
            Ok(requested) => drop(requested.catch(&refused)),
            Err(_) => return work.await,
        },
        Err(_) => return work.await,
    }
    let _ = wasm_bindgen_futures::JsFuture::from(granted).await;
    let out = work.await;
    if let Some(release) = release {
        let _ = release.call0(&JsValue::NULL);
    }
    drop((callback, refused));
    out
}

/// Server-side rendering and native tests: one process, nothing to share.
#[cfg(not(feature = "browser"))]
pub async fn exclusive<T>(_name: &str, work: impl Future<Output = T>) -> T {
    work.await
}
