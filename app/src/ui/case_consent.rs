//! The person's consent to share (本人同意) on their page: its history (given, withdrawn — with
//! the day and reason), recording one, and withdrawing one after a confirmation that asks for
//! the day the person withdrew and why. Only the organisation holding the case (and the signed
//! form) records or withdraws; the history is read from the server, so it is shown online.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::auth::CurrentUser;
use super::components::{SelectField, TextField, field_error};
use super::lang::use_catalog;
use crate::client::{self, ClientError};
use crate::domain::ids::{ConsentId, PersonId};
use crate::protocol::{ConsentView, CreateConsent, FieldMessage, PersonView, WithdrawConsent};

#[component]
pub fn ConsentHistory(person: String) -> impl IntoView {
    let t = use_catalog();
    let version = RwSignal::new(0u32);
    let url = format!("/api/v1/people/{person}");
    let loaded = LocalResource::new(move || {
        version.track();
        let url = url.clone();
        async move { client::get_json::<PersonView>(&url).await }
    });
    let me = expect_context::<CurrentUser>().0;
    let refresh = move || version.update(|v| *v += 1);
    view! {
        <section class="panel" aria-labelledby="consent-heading" data-testid="consent-history">
            <h2 id="consent-heading">{move || t.get().case.consent_history}</h2>
            <Transition fallback=move || view! { <p class="muted">{t.get().loading}</p> }>
                {move || loaded.get().map(|result| match result {
                    Ok(p) => {
                        let keeper = me.get().flatten().is_some_and(|m| m.organisation == p.owner_org);
                        let disclosure = format!("/api/v1/people/{}/disclosure", p.id);
                        view! {
                            <History person=p keeper on_change=refresh />
                            // 本人開示: everything held, for the holding organisation to hand over.
                            {keeper.then(|| view! {
                                <p><a href=disclosure download="" data-testid="disclosure-link">{move || t.get().intake.disclosure}</a></p>
                            })}
                        }.into_any()
                    }
                    Err(ClientError::Network) => view! { <p class="muted">{t.get().case.history_offline}</p> }.into_any(),
                    Err(e) => view! { <p class="alert" role="alert">{super::events::error_text(t.get(), &e)}</p> }.into_any(),
                })}
            </Transition>
        </section>
    }
}

#[component]
fn History(
    person: PersonView,
    keeper: bool,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let id = person.id;
    let open = person
        .consents
        .iter()
        .rev()
        .find(|c| c.withdrawn_on.is_none())
        .cloned();
    let show_form = RwSignal::new(false);
    view! {
        <p>
            {if person.consent_active {
                view! { <span class="badge ok-badge">{t.get().consent_active}</span> }.into_any()
            } else {
                view! { <span class="badge">{t.get().consent_none}</span> }.into_any()
            }}
        </p>
        <ul class="consent-history">
            {person.consents.iter().rev().map(|c| view! { <ConsentLine consent=c.clone() /> }).collect_view()}
        </ul>
        {keeper.then(|| match open {
            Some(c) => view! {
                <button type="button" class="secondary" aria-expanded=move || show_form.get().to_string()
                    on:click=move |_| show_form.update(|v| *v = !*v)>
                    {t.get().consent_withdraw}
                </button>
                <Show when=move || show_form.get()>
                    <WithdrawForm person=id consent=c.clone() on_done=move || { show_form.set(false); on_change(); } />
                </Show>
            }.into_any(),
            None => view! {
                <button type="button" class="secondary" on:click=move |_| show_form.update(|v| *v = !*v)>
                    {t.get().consent_record}
                </button>
                <Show when=move || show_form.get()>
                    <ConsentForm person=id on_saved=move || { show_form.set(false); on_change(); } />
                </Show>
            }.into_any(),
        })}
    }
}

#[component]
fn ConsentLine(consent: ConsentView) -> impl IntoView {
    let t = use_catalog();
    let c = consent;
    view! {
        <li>
            <span class="badge ok-badge">{t.get().case.consent_granted}</span>
            " " {t.get().format_date(c.granted_on)} " " {t.get().consent_method(c.method)}
            {c.document_no.clone().map(|n| format!("（{n}）"))}
            {c.withdrawn_on.map(|on| view! {
                <br />
                <span class="badge">{t.get().case.consent_withdrawn}</span>
                " " {t.get().format_date(on)} " " {c.withdrawal_reason.clone().unwrap_or_default()}
            })}
        </li>
    }
}

#[component]
fn WithdrawForm(
    person: PersonId,
    consent: ConsentView,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let today = client::today();
    let (withdrawn_on, reason) = (
        RwSignal::new(today.to_string()),
        RwSignal::new(String::new()),
    );
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let failed = RwSignal::new(None::<String>);
    let consent_id: ConsentId = consent.id;
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = WithdrawConsent {
            withdrawn_on: withdrawn_on.get_untracked(),
            reason: reason.get_untracked(),
        };
        let tt = t.get_untracked();
        spawn_local(async move {
            let url = format!("/api/v1/people/{person}/consents/{consent_id}/withdraw");
            match client::post_json::<_, PersonView>(&url, &body).await {
                Ok(_) => on_done(),
                Err(ClientError::Validation(f)) => errors.set(f),
                Err(e) => failed.set(Some(super::events::error_text(tt, &e))),
            }
        });
    };
    view! {
        <form class="inline-form confirm" on:submit=submit novalidate=true data-testid="withdraw-form" role="group"
            aria-labelledby="withdraw-title">
            <h3 id="withdraw-title">{t.get().case.withdraw_title}</h3>
            <p class="notice">{t.get().case.withdraw_explain}</p>
            <div role="alert">{move || failed.get().map(|m| view! { <p class="alert">{m}</p> })}</div>
            <TextField name="withdrawn_on" label=Signal::stored(t.get().case.withdrawn_on)
                hint=Signal::stored(t.get().hint_date) value=withdrawn_on error=field_error(errors, "withdrawn_on") />
            <TextField name="withdrawal_reason" label=Signal::stored(t.get().case.withdrawal_reason)
                value=reason error=field_error(errors, "withdrawal_reason") />
            <div class="form-actions">
                <button type="submit" class="primary">{t.get().case.withdraw_confirm}</button>
                <button type="button" class="secondary" on:click=move |_| on_done()>{t.get().case.cancel}</button>
            </div>
        </form>
    }
}

/// Records a consent (method, 承諾書 number, the day given).
#[component]
pub fn ConsentForm(
    person: PersonId,
    on_saved: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let t = use_catalog();
    let method = RwSignal::new("signed_form".to_owned());
    let document_no = RwSignal::new(String::new());
    let granted_on = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<FieldMessage>::new());
    let failed = RwSignal::new(None::<String>);
    let error_for = move |field: &'static str| field_error(errors, field);
    let methods = Signal::derive(move || {
        let c = t.get();
        vec![
            ("signed_form".to_owned(), c.method_signed_form.to_owned()),
            ("verbal".to_owned(), c.method_verbal.to_owned()),
        ]
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tt = t.get_untracked();
        let body = CreateConsent {
            method: method.get_untracked(),
            document_no: document_no.get_untracked(),
            granted_on: granted_on.get_untracked(),
        };
        spawn_local(async move {
            match client::post_json::<_, PersonView>(
                &format!("/api/v1/people/{person}/consents"),
                &body,
            )
            .await
            {
                Ok(_) => on_saved(),
                Err(ClientError::Validation(f)) => errors.set(f),
                Err(e) => failed.set(Some(super::events::error_text(tt, &e))),
            }
        });
    };
    view! {
        <form class="inline-form" on:submit=submit data-testid="consent-form">
            <div role="alert">{move || failed.get().map(|m| view! { <p class="alert">{m}</p> })}</div>
            <SelectField name="method" label=Signal::stored(t.get().field_method)
                placeholder=Signal::stored(t.get().choose) options=methods value=method error=error_for("method") />
            <TextField name="document_no" label=Signal::stored(t.get().field_document_no)
                value=document_no error=error_for("document_no") />
            <TextField name="granted_on" label=Signal::stored(t.get().field_granted_on)
                hint=Signal::stored(t.get().hint_birth_date) value=granted_on error=error_for("granted_on") />
            <button type="submit" class="primary">{t.get().consent_record}</button>
        </form>
    }
}
