//! Consent to share between the city and Hello Work, through the real API: the other
//! organisation sees a case exactly while a consent is active; withdrawal counts from the next
//! request. A case table, and a property test over random grant / withdraw / read sequences.

mod support;

use axum::http::StatusCode;
use proptest::prelude::*;
use serde_json::json;
use support::{CITY, HELLO_WORK, MANAGER, TestApp, Who};

async fn visible(app: &TestApp, who: &Who, person: &str) -> bool {
    let one = app.get_as(who, &format!("/api/v1/people/{person}")).await;
    let listed = app.get_as(who, "/api/v1/people").await.json()["people"]
        .as_array()
        .unwrap()
        .iter()
        .any(|p| p["id"] == person);
    match one.status {
        StatusCode::OK => assert!(listed, "readable but not listed"),
        StatusCode::NOT_FOUND => assert!(!listed, "listed but not readable"),
        other => panic!("unexpected {other}: {}", one.text),
    }
    listed
}

async fn grant(app: &TestApp, who: &Who, person: &str) -> String {
    let reply = app
        .post_as(
            who,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "document_no": "Ｒ８－００１２", "granted_on": "令和8年4月1日" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let body = reply.json();
    assert_eq!(body["consent_active"], true);
    body["consents"].as_array().unwrap().last().unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn withdraw(app: &TestApp, who: &Who, person: &str, consent: &str) {
    let reply = app
        .post_as(
            who,
            &format!("/api/v1/people/{person}/consents/{consent}/withdraw"),
            &json!({ "withdrawn_on": support::today(), "reason": "本人の申し出" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
}

#[tokio::test]
async fn the_other_organisation_sees_a_case_only_while_consent_is_active() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let manager = app.login(MANAGER).await;
    let person = app.person(&city, "見本").await;

    assert!(visible(&app, &city, &person).await, "own organisation");
    assert!(
        visible(&app, &manager, &person).await,
        "own organisation's manager"
    );
    assert!(!visible(&app, &hw, &person).await, "no consent yet");

    // Hello Work cannot record the city's consent, nor see the case by trying to.
    let refused = app
        .post_as(
            &hw,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);

    let consent = grant(&app, &city, &person).await;
    assert!(visible(&app, &hw, &person).await, "consent given");
    let seen = app
        .get_as(&hw, &format!("/api/v1/people/{person}"))
        .await
        .json();
    assert_eq!(seen["consents"][0]["document_no"], "R8-0012");

    withdraw(&app, &city, &person, &consent).await;
    assert!(
        !visible(&app, &hw, &person).await,
        "withdrawn: refused on the next request"
    );
    assert!(visible(&app, &city, &person).await);

    // A consent in the future does not count yet; a signed form needs its number.
    let future = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "verbal", "granted_on": "2099-01-01" }),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    let no_number = app
        .post_as(
            &city,
            &format!("/api/v1/people/{person}/consents"),
            &json!({ "method": "signed_form", "granted_on": "2026-04-01" }),
        )
        .await;
    assert_eq!(
        no_number.json()["error"]["fields"][0]["field"],
        "document_no"
    );
}

#[derive(Debug, Clone)]
enum Step {
    Grant,
    WithdrawOne,
    ReadAsHelloWork,
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Random sequences against the real server: Hello Work can read the case exactly when
    /// some granted consent has not been withdrawn.
    #[test]
    fn random_grant_withdraw_read_sequences(steps in prop::collection::vec(
        prop_oneof![Just(Step::Grant), Just(Step::WithdrawOne), Just(Step::ReadAsHelloWork)], 1..14)
    ) {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        runtime.block_on(async {
            let app = TestApp::new().await;
            let city = app.login(CITY).await;
            let hw = app.login(HELLO_WORK).await;
            let person = app.person(&city, "見本").await;
            let mut open: Vec<String> = Vec::new();
            for step in steps {
                match step {
                    Step::Grant => open.push(grant(&app, &city, &person).await),
                    Step::WithdrawOne => {
                        if let Some(consent) = open.pop() {
                            withdraw(&app, &city, &person, &consent).await;
                        }
                    }
                    Step::ReadAsHelloWork => {
                        assert_eq!(visible(&app, &hw, &person).await, !open.is_empty());
                    }
                }
            }
        });
    }
}

#[tokio::test]
async fn a_withdrawal_needs_its_day_and_reason_and_stays_in_the_history() {
    let app = TestApp::new().await;
    let city = app.login(CITY).await;
    let hw = app.login(HELLO_WORK).await;
    let person = app.person(&city, "撤回").await;
    let consent = grant(&app, &city, &person).await;
    let url = format!("/api/v1/people/{person}/consents/{consent}/withdraw");
    // A click without a day or reason withdraws nothing and names both fields.
    let reply = app.post_as(&city, &url, &json!({})).await;
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        reply.text
    );
    let body = reply.json();
    let fields: Vec<&str> = body["error"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["withdrawn_on", "withdrawal_reason"],
        "{}",
        reply.text
    );
    assert!(reply.text.contains("撤回の理由"), "{}", reply.text);
    assert_eq!(
        app.get_as(&hw, &format!("/api/v1/people/{person}"))
            .await
            .status,
        StatusCode::OK
    );
    // A day before the consent was given is refused too.
    let early = app
        .post_as(
            &city,
            &url,
            &json!({ "withdrawn_on": "令和8年3月31日", "reason": "本人の申し出" }),
        )
        .await;
    assert_eq!(
        early.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        early.text
    );
    let reply = app
        .post_as(
            &city,
            &url,
            &json!({ "withdrawn_on": "令和8年4月2日", "reason": "本人の申し出（電話）" }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
    let history = &reply.json()["consents"][0];
    assert_eq!(history["withdrawn_on"], "2026-04-02");
    assert_eq!(history["withdrawal_reason"], "本人の申し出（電話）");
    assert_eq!(
        history["granted_on"], "2026-04-01",
        "the consent itself stays in the history"
    );
    assert_eq!(
        app.get_as(&hw, &format!("/api/v1/people/{person}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
