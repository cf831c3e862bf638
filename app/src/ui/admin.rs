//! 管理: staff accounts, fair devices and the audit log (administrators only; the server
//! refuses everyone else, this page only shows what it answers).

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_meta::Title;

use super::components::{SelectField, TextField, field_error, organisation_choices};
use super::lang::use_catalog;
use crate::client::{self, ClientError};
use crate::domain::access::Role;
use crate::protocol::{
    CreateDevice, CreateStaff, DeviceEnrolment, DeviceList, DeviceStatus, DeviceView, EventList,
    FieldMessage, SetPassword, SetRole, StaffList, StaffView,
};

#[component]
pub fn AdminPage() -> impl IntoView {
    let t = use_catalog();
    view! {
        <Title text=t.get().nav_admin />
        <h1>{t.get().nav_admin}</h1>
        <StaffSection />
        <DeviceSection />
        <super::audit::AuditSection />
    }
}

fn failure_text(t: &crate::i18n::Catalog, e: &ClientError) -> String {
    super::events::error_text(t, e)
}

#[component]
fn StaffSection() -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let staff = LocalResource::new(move || {
        version.track();
        client::get_json::<StaffList>("/api/v1/staff")
    });
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <section class="panel admin-section" aria-labelledby="staff-heading">
            <h2 id="staff-heading">{t.get().staff_title}</h2>
            <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                {move || staff.get().map(|r| match r {
                    Ok(list) => view! {
                        <table class="records" data-testid="staff-table">
                            <thead><tr>
                                <th scope="col">{t.get().field_login_id}</th>
                                <th scope="col">{t.get().field_display_name}</th>
                                <th scope="col">{t.get().field_organisation}</th>
                                <th scope="col">{t.get().field_role}</th>
                                <th scope="col">{t.get().col_status}</th>
                                <th scope="col">{t.get().col_actions}</th>
                            </tr></thead>
                            <tbody>
                                {list.staff.into_iter().map(|s| view! { <StaffRow staff=s on_change=refresh /> }).collect_view()}
                            </tbody>
                        </table>
                    }.into_any(),
                    Err(e) => view! { <p class="alert" role="alert">{failure_text(t.get(), &e)}</p> }.into_any(),
                })}
            </Transition>
            <h3>{t.get().staff_new}</h3>
            <NewStaffForm on_saved=refresh />
        </section>
    }
}

/// A new account: login id, name, organisation, role and a first password.
#[component]
fn NewStaffForm(on_saved: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let t = use_catalog();
    let fields = [(); 5].map(|_| RwSignal::new(String::new()));
    let [login_id, name, org, role, password] = fields;
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let message = RwSignal::new(None::<String>);
    let error_for = move |field: &'static str| field_error(errors, field);
    let orgs = organisation_choices();
    let roles = Signal::derive(move || {
        Role::ALL
            .iter()
            .map(|r| (r.code().to_owned(), t.get().role(*r).to_owned()))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let [login_id, display_name, organisation, role, password] =
            fields.map(|f| f.get_untracked());
        let body = CreateStaff {
            login_id,
            display_name,
            organisation,
            role,
            password,
        };
        spawn_local(async move {
            match client::post_json::<_, StaffView>("/api/v1/staff", &body).await {
                Ok(_) => {
                    fields.iter().for_each(|f| f.set(String::new()));
                    errors.set(Vec::new());
                    message.set(Some(t.get_untracked().saved.to_owned()));
                    on_saved();
                }
                Err(ClientError::Validation(f)) => errors.set(f),
                Err(e) => message.set(Some(failure_text(t.get_untracked(), &e))),
            }
        });
    };
    view! {
        <form class="grid-form" on:submit=submit novalidate=true data-testid="staff-form">
            <p role="status">{move || message.get()}</p>
            <TextField name="login_id" label=Signal::stored(t.get().field_login_id) value=login_id error=error_for("login_id") />
            <TextField name="display_name" label=Signal::stored(t.get().field_display_name) value=name error=error_for("display_name") />
            <SelectField name="organisation" label=Signal::stored(t.get().field_organisation) placeholder=Signal::stored(t.get().choose) options=orgs value=org error=error_for("organisation") />
            <SelectField name="role" label=Signal::stored(t.get().field_role) placeholder=Signal::stored(t.get().choose) options=roles value=role error=error_for("role") />
            <TextField name="password" label=Signal::stored(t.get().field_password) hint=Signal::stored(t.get().hint_password) value=password error=error_for("password") />
            <button type="submit" class="primary">{t.get().staff_new}</button>
        </form>
    }
}

#[component]
fn StaffRow(
    staff: StaffView,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let id = staff.id;
    let disabled = staff.disabled;
    let role = staff.role;
    let new_password = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let act = move |path: &'static str, body: serde_json::Value| {
        spawn_local(async move {
            match client::post_json::<_, StaffView>(&format!("/api/v1/staff/{id}/{path}"), &body)
                .await
            {
                Ok(_) => on_change(),
                Err(ClientError::Validation(f)) => {
                    message.set(f.first().map(|f| f.message.clone()))
                }
                Err(e) => message.set(Some(failure_text(t.get_untracked(), &e))),
            }
        });
    };
    let toggle = move |_| {
        act(
            if disabled { "enable" } else { "disable" },
            serde_json::json!({}),
        )
    };
    let change_role = move |ev: leptos::ev::Event| {
        let value = event_target_value(&ev);
        act(
            "role",
            serde_json::to_value(SetRole { role: value }).unwrap_or_default(),
        );
    };
    let reset = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = SetPassword {
            password: new_password.get_untracked(),
        };
        new_password.set(String::new());
        act("password", serde_json::to_value(body).unwrap_or_default());
    };
    view! {
        <tr data-login-id=staff.login_id.clone()>
            <td data-label=t.get().field_login_id>{staff.login_id.clone()}</td>
            <td data-label=t.get().field_display_name>{staff.display_name.clone()}</td>
            <td data-label=t.get().field_organisation>{t.get().organisation(staff.organisation)}</td>
            <td data-label=t.get().field_role>
                <select aria-label=t.get().field_role on:change=change_role>
                    {Role::ALL.iter().map(|r| {
                        let r = *r;
                        view! { <option value=r.code() selected=r == role>{t.get().role(r)}</option> }
                    }).collect_view()}
                </select>
            </td>
            <td data-label=t.get().col_status>
                {move || if disabled { t.get().status_disabled } else { t.get().status_active }}
            </td>
            <td data-label=t.get().col_actions class="actions">
                <button type="button" class="secondary small" on:click=toggle>
                    {move || if disabled { t.get().staff_enable } else { t.get().staff_disable }}
                </button>
                <form class="reset-form" on:submit=reset>
                    <input type="password" autocomplete="new-password" aria-label=t.get().staff_reset_password
                        placeholder=t.get().field_password
                        prop:value=move || new_password.get()
                        on:input:target=move |ev| new_password.set(ev.target().value()) />
                    <button type="submit" class="secondary small">{t.get().staff_reset_password}</button>
                </form>
                <p class="field-error" role="alert">{move || message.get()}</p>
            </td>
        </tr>
    }
}

#[component]
fn DeviceSection() -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let devices = LocalResource::new(move || {
        version.track();
        client::get_json::<DeviceList>("/api/v1/devices")
    });
    let event = RwSignal::new(String::new());
    let label = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let enrolment = RwSignal::new(None::<DeviceEnrolment>);
    let error_for = move |field: &'static str| field_error(errors, field);
    let event_options = event_choices();
    // What went wrong other than a field (the network, the server), in words.
    let failed = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        failed.set(None);
        let body = CreateDevice {
            event_id: event.get_untracked(),
            label: label.get_untracked(),
        };
        spawn_local(async move {
            match client::post_json::<_, DeviceEnrolment>("/api/v1/devices", &body).await {
                Ok(e) => {
                    errors.set(Vec::new());
                    failed.set(None);
                    label.set(String::new());
                    enrolment.set(Some(e));
                    version.update(|v| *v += 1);
                }
                Err(ClientError::Validation(f)) => {
                    failed.set(None);
                    errors.set(f);
                }
                Err(e) => failed.set(Some(failure_text(t.get_untracked(), &e))),
            }
        });
    };
    let revoke = Callback::new(move |id: crate::domain::ids::DeviceId| {
        failed.set(None);
        spawn_local(async move {
            let url = format!("/api/v1/devices/{id}/revoke");
            match client::post_json::<_, DeviceView>(&url, &serde_json::json!({})).await {
                Ok(_) => version.update(|v| *v += 1),
                Err(e) => failed.set(Some(failure_text(t.get_untracked(), &e))),
            }
        });
    });
    view! {
        <section class="panel admin-section" aria-labelledby="devices-heading">
            <h2 id="devices-heading">{t.get().devices_title}</h2>
            <form class="grid-form" on:submit=submit novalidate=true data-testid="device-form">
                <SelectField name="event_id" label=Signal::stored(t.get().field_event) placeholder=Signal::stored(t.get().choose) options=event_options value=event error=error_for("event_id") />
                <TextField name="label" label=Signal::stored(t.get().field_label) value=label error=error_for("label") />
                <button type="submit" class="primary">{t.get().device_new}</button>
            </form>
            <div role="alert" data-testid="device-failed">
                {move || failed.get().map(|m| view! { <p class="alert">{m}</p> })}
            </div>
            {move || enrolment.get().map(|e| view! {
                <div class="enrol-code" role="status" data-testid="enrol-code">
                    <p>{t.get().device_code_note}</p>
                    <p class="code">{e.code.clone()}</p>
                </div>
            })}
            <Transition fallback=|| ()>
                {move || devices.get().and_then(Result::ok).map(|list| view! { <DeviceTable list revoke /> })}
            </Transition>
        </section>
    }
}

/// The events still to come (or today's), as a tablet's choices.
fn event_choices() -> Signal<Vec<(String, String)>> {
    let events = LocalResource::new(|| client::get_json::<EventList>("/api/v1/events"));
    Signal::derive(move || {
        events
            .get()
            .and_then(Result::ok)
            .map(|l| {
                // Only fairs still to come (or today's): the server refuses the others.
                let today = client::today();
                l.events
                    .into_iter()
                    .filter(|e| e.date >= today)
                    .map(|e| (e.id.to_string(), format!("{}（{}）", e.title, e.date)))
                    .collect()
            })
            .unwrap_or_default()
    })
}

/// The fair tablets, each with its fair, where it stands and (until revoked) a revoke button.
#[component]
fn DeviceTable(list: DeviceList, revoke: Callback<crate::domain::ids::DeviceId>) -> impl IntoView {
    let t = use_catalog();
    view! {
        <table class="records" data-testid="devices-table">
            <thead><tr>
                <th scope="col">{t.get().field_label}</th>
                <th scope="col">{t.get().field_event}</th>
                <th scope="col">{t.get().col_status}</th>
                <th scope="col">{t.get().col_actions}</th>
            </tr></thead>
            <tbody>
                {list.devices.into_iter().map(|d| {
                    let id = d.id;
                    let status = d.status;
                    view! {
                        <tr>
                            <td data-label=t.get().field_label>{d.label.clone()}</td>
                            <td data-label=t.get().field_event>{d.event_title.clone()}</td>
                            <td data-label=t.get().col_status>{move || match status {
                                DeviceStatus::Pending => t.get().device_pending,
                                DeviceStatus::Enrolled => t.get().device_enrolled,
                                DeviceStatus::Revoked => t.get().device_revoked,
                            }}</td>
                            <td data-label=t.get().col_actions>
                                <Show when=move || status != DeviceStatus::Revoked>
                                    <button type="button" class="secondary small" on:click=move |_| revoke.run(id)>
                                        {t.get().device_revoke}
                                    </button>
                                </Show>
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
    }
}
