//! The request bodies of the authorisation matrix: a valid one for each POST route, so an
//! allowed caller's request does what it is for.

use serde_json::{Value, json};

use super::Fixture;
use super::support::{self, CITY};

pub fn participant_body() -> Value {
    json!({ "family_name": "試験", "given_name": "太郎", "family_name_kana": "しけん",
            "given_name_kana": "たろう", "birth_date": "", "phone": "090-1234-5678",
            "age_band": "20s" })
}

/// A valid body for each POST route, so an allowed caller's request does what it is for.
pub async fn body_for(f: &Fixture, template: &str) -> Value {
    match template {
        "/api/v1/auth/login" => json!({ "login_id": CITY.0, "password": CITY.1 }),
        "/api/v1/events" => json!({ "title": "行列", "kind": "seminar", "date": "2026-12-24",
                                     "venue": "会議室", "target_group": "everyone" }),
        "/api/v1/events/{id}/participants" => participant_body(),
        "/api/v1/people" => json!({ "family_name": "例題", "given_name": "一郎",
                                     "family_name_kana": "れいだい", "given_name_kana": "いちろう",
                                     "birth_date": "", "category": "youth" }),
        "/api/v1/people/{id}/consents" => json!({ "method": "verbal", "granted_on": "2026-04-01" }),
        "/api/v1/staff" => {
            json!({ "login_id": format!("new.{}", &uuid::Uuid::now_v7().simple().to_string()[20..]),
                                    "display_name": "新人", "organisation": "hello_work",
                                    "role": "counter", "password": "hinode sakamichi kaze" })
        }
        "/api/v1/staff/{id}/password" => json!({ "password": "yuuyake koyake akatonbo" }),
        "/api/v1/staff/{id}/role" => json!({ "role": "manager" }),
        "/api/v1/devices" => json!({ "event_id": f.event, "label": "予備" }),
        "/api/v1/devices/enrol" => json!({ "code": f.code().await }),
        "/api/v1/events/{id}/employers" => {
            json!({ "name": format!("事業所{}", uuid::Uuid::now_v7().simple()), "jobs": "介護" })
        }
        "/api/v1/events/{id}/participants/{participant_id}/person" => {
            json!({ "category": "youth" })
        }
        "/api/v1/duplicates/{id}/decide" => json!({ "decision": "keep_apart" }),
        "/api/v1/sync/push" => json!({ "protocol": 1, "replica": uuid::Uuid::now_v7().to_string(),
                                       "mutations": [] }),
        "/api/v1/sync/conflicts/{id}/resolve" => json!({ "choice": "kept" }),
        "/api/v1/people/{id}/consents/{consent_id}/withdraw" => {
            json!({ "withdrawn_on": support::today(), "reason": "本人の申し出" })
        }
        "/api/v1/people/{id}/merge" => json!({ "into": f.person, "reason": "同一人物" }),
        "/api/v1/council/requests" | "/api/v1/council/requests/{id}" => council_body("requests"),
        "/api/v1/council/meetings" => council_body("meetings"),
        "/api/v1/plans/{fiscal_year}" => {
            json!({ "targets": [{ "metric": "seminars_held", "target": "2" }] })
        }
        _ => json!({}),
    }
}

pub fn council_body(what: &str) -> Value {
    match what {
        "requests" => {
            json!({ "asked_by": "city", "subject": "行列の要望", "asked_on": "2026-10-01",
                              "status": "open" })
        }
        _ => json!({ "held_on": "2026-10-20", "members": "市長（会長）" }),
    }
}
