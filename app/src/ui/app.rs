//! The main app (every page but the fair tablet's): the HTML document the server renders, the
//! header, navigation and routes, hydrated by `hydrate()` in the crate root. Not in the
//! tablet's build (feature `tablet`), which has its own page (`ui::fair::TabletApp`).

use leptos::prelude::*;
use leptos_meta::{Html, MetaTags, Title, provide_meta_context};
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::{Lazy, path};

use super::areas;
use super::auth::{LoginPage, UserBar, provide_current_user};
use super::components::Brand;
use super::home::HomePage;
use super::lang::{LangSwitch, provide_lang, use_catalog, use_lang};
use super::offline::{SyncBar, provide_sync};

/// The HTML document around the app, rendered by the server for every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    set_content_security_policy();
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b5394" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" id="leptos" href=stylesheet_href(&options) />
                // The split loader with the main module, whatever the page: its name is not a
                // hash of its content, so it is fetched at the start with the build it belongs
                // to, never later from a newer server.
                {split_loader_href(&options).map(|href| view! { <link rel="modulepreload" href=href /> })}
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// A line of cargo-leptos's hash file (`css`, `split` …), when the names are hashed.
fn hash_of(options: &LeptosOptions, key: &str) -> Option<String> {
    let text = options
        .hash_files
        .then(|| std::fs::read_to_string(&*options.hash_file).ok())
        .flatten()?;
    text.lines().find_map(|l| {
        let (k, v) = l.split_once(':')?;
        (k.trim() == key).then(|| v.trim().to_owned())
    })
}

/// The stylesheet's address: `/pkg/renkei.<hash>.css` when cargo-leptos hashed the names
/// (read from its hash file, as Leptos reads the script's at each render), else
/// `/pkg/renkei.css`. In the document's head rather than `App`, so the browser never needs
/// the name.
fn stylesheet_href(options: &LeptosOptions) -> String {
    let pkg = &options.site_pkg_dir;
    let name = &options.output_name;
    match hash_of(options, "css") {
        Some(hash) => format!("/{pkg}/{name}.{hash}.css"),
        None => format!("/{pkg}/{name}.css"),
    }
}

/// The split loader's address, when the build is split and its names hashed.
fn split_loader_href(options: &LeptosOptions) -> Option<String> {
    hash_of(options, "split")
        .map(|hash| format!("/{}/__wasm_split.{hash}.js", options.site_pkg_dir))
}

/// The page's Content-Security-Policy: our own scripts, the hydration script by its per-response
/// nonce, WebAssembly compilation; nothing foreign, nothing inline without the nonce.
#[cfg(feature = "ssr")]
fn set_content_security_policy() {
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; font-src 'self'; \
         object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    if let Ok(value) = http::HeaderValue::from_str(&policy) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_lang();
    provide_current_user();
    provide_sync();
    let lang = use_lang();
    let t = use_catalog();
    let is_admin = super::auth::has_role(crate::domain::access::Role::Admin);

    view! {
        <Html {..} lang=move || lang.get().tag() />
        <Title formatter=move |page: String| {
            if page.is_empty() { t.get().app_name.to_owned() } else { format!("{page} — {}", t.get().app_name) }
        } />
        <Router>
            <a class="skip-link" href="#main">
                {t.get().skip_to_content}
            </a>
            <header class="app-header">
                <Brand home="/" />
                <div class="header-tools">
                    <UserBar />
                    <LangSwitch />
                </div>
            </header>
            <SyncBar />
            <nav class="app-nav" aria-label=t.get().nav_label>
                <ul>
                    <li><A href="/" exact=true>{t.get().nav_home}</A></li>
                    <Show when=move || !is_admin.get()>
                        <li><A href="/cases">{t.get().nav_cases}</A></li>
                        <li><A href="/conflicts">{t.get().nav_conflicts}{move || {
                            let n = expect_context::<super::offline::SyncState>().conflicts.get();
                            (n > 0).then(|| view! { " " <span class="count-badge" data-testid="nav-conflicts">{n}</span> })
                        }}</A></li>
                    </Show>
                    <li><A href="/events">{t.get().nav_events}</A></li>
                    <li><A href="/reports">{t.get().nav_reports}</A></li>
                    <Show when=move || is_admin.get()>
                        <li><A href="/admin">{t.get().nav_admin}</A></li>
                    </Show>
                </ul>
            </nav>
            <main id="main" tabindex="-1">
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=HomePage />
                    <Route path=path!("/login") view=LoginPage />
                    <Route path=path!("/cases") view={Lazy::<areas::CasesRoute>::new()} />
                    <Route path=path!("/cases/:id") view={Lazy::<areas::CaseRoute>::new()} />
                    <Route path=path!("/stories/:id") view={Lazy::<areas::StoryRoute>::new()} />
                    <Route path=path!("/intake") view={Lazy::<areas::CasesRoute>::new()} />
                    <Route path=path!("/conflicts") view={Lazy::<areas::ConflictsRoute>::new()} />
                    <Route path=path!("/events") view={Lazy::<areas::EventsRoute>::new()} />
                    <Route path=path!("/events/:id") view={Lazy::<areas::EventRoute>::new()} />
                    <Route path=path!("/reports") view={Lazy::<areas::ReportsRoute>::new()} />
                    <Route path=path!("/reports/council") view={Lazy::<areas::CouncilRoute>::new()} />
                    <Route path=path!("/reports/plan") view={Lazy::<areas::PlanRoute>::new()} />
                    <Route path=path!("/reports/requests") view={Lazy::<areas::RequestsRoute>::new()} />
                    <Route path=path!("/reports/meetings") view={Lazy::<areas::MeetingsRoute>::new()} />
                    <Route path=path!("/reports/meetings/:id") view={Lazy::<areas::MeetingRoute>::new()} />
                    <Route path=path!("/admin") view={Lazy::<areas::AdminRoute>::new()} />
                </Routes>
            </main>
            <footer class="app-footer">
                <p>{t.get().footer}</p>
            </footer>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let t = use_catalog();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text=t.get().not_found_title />
        <h1>{t.get().not_found_title}</h1>
        <p>{t.get().not_found_body}</p>
    }
}
