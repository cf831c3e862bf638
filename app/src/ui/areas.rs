//! The app's pages by area, each area loaded as its own part of the browser's code
//! (cargo-leptos `--split`): an area's code is fetched when one of its pages is first shown.
//! (The fair tablet's page `/fair` is not among them: it is a browser entry of its own,
//! `ui::fair::TabletApp`, whose first load carries none of the main module; the service worker
//! fetches the rest of the build afterwards, in the background, for offline starts.)
//!
//! One split point per area, not per page: code shared by several split points becomes its
//! own part for each combination of them, so fewer points mean fewer, larger parts (fewer
//! requests on a slow connection). The server preloads the parts a page needs (from the
//! split manifest) and the service worker caches all of them for offline starts.
//!
//! The start page and the sign-in page stay in the main module: every visit needs them.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// A page of an area: a route type whose view is loaded with its area's code.
macro_rules! area_pages {
    ($area:ident, $preload:ident, $pages:ident { $($route:ident => $page:path),+ $(,)? }) => {
        /// The area's pages, one variant per route type (named alike).
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        #[allow(clippy::enum_variant_names)]
        pub enum $pages {
            $($route),+
        }

        /// The area's code: everything only its pages use is split out with this function.
        #[lazy]
        async fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => $page().into_any()),+
            }
        }

        $(
            #[derive(Clone, Copy, Debug)]
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    Self
                }

                async fn view(_this: Self) -> AnyView {
                    $area($pages::$route).await
                }

                // Fetches the area's code before the route renders (and before hydration).
                async fn preload() {
                    #[cfg(feature = "browser")]
                    $preload().await;
                }
            }
        )+
    };
}

area_pages!(counter_area, __preload_counter_area, CounterPages {
    CasesRoute => super::cases::CasesPage,
    CaseRoute => super::case_page::CasePage,
    StoryRoute => super::case_story::StoryPage,
    ConflictsRoute => super::conflicts::ConflictsPage,
});
area_pages!(events_area, __preload_events_area, EventsPages {
    EventsRoute => super::events::EventsPage,
    EventRoute => super::event_detail::EventDetailPage,
});
area_pages!(reports_area, __preload_reports_area, ReportsPages {
    ReportsRoute => super::reports::ReportsPage,
    CouncilRoute => super::reports::CouncilReportPage,
    PlanRoute => super::reports::PlanPage,
    RequestsRoute => super::reports::RequestsPage,
    MeetingsRoute => super::reports::MeetingsPage,
    MeetingRoute => super::reports::MeetingPage,
});
area_pages!(admin_area, __preload_admin_area, AdminPages { AdminRoute => super::admin::AdminPage });

/// Fetches the code of the area a page belongs to, by its path. The browser's entry awaits it
/// before hydrating: hydration then runs through without waiting on the network, so nothing
/// that settles meanwhile (the session, the first sync) can change the page under it (an
/// intermittent hydration mismatch otherwise).
#[cfg(feature = "browser")]
pub async fn preload_for(path: &str) {
    let first = path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap_or_default();
    match first {
        "cases" | "intake" | "conflicts" | "stories" => __preload_counter_area().await,
        "events" => __preload_events_area().await,
        "reports" => __preload_reports_area().await,
        "admin" => __preload_admin_area().await,
        _ => {}
    }
}
