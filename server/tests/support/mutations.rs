//! Sync push mutations as devices send them: people, fair registrations and check-ins,
//! interviews, case entries; and the statuses a push answers with.

use serde_json::{Value, json};

use super::stamp;

/// The status of each mutation in a push's answer, in order.
pub fn statuses(answer: &Value) -> Vec<String> {
    answer["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["status"].as_str().unwrap().to_owned())
        .collect()
}

/// A fair registration as a tablet sends it: `who` is (family, given, family kana, given
/// kana), `contact` is (birth date, phone); `share_ok` is the person's agreement that the city
/// and Hello Work share it.
pub fn registration(
    seq: u64,
    id: &str,
    event: &str,
    node: u64,
    who: (&str, &str, &str, &str),
    contact: (&str, &str),
    share_ok: bool,
) -> Value {
    let s = stamp(1_780_000_000_000 + seq, node);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": seq, "kind": "participant", "id": id, "op": { "type": "put", "fields": [
        w("event_id", json!(event)),
        w("family_name", json!(who.0)), w("given_name", json!(who.1)),
        w("family_name_kana", json!(who.2)), w("given_name_kana", json!(who.3)),
        w("birth_date", json!(contact.0)), w("phone", json!(contact.1)),
        w("category", json!("youth")), w("contact_ok", json!(true)),
        w("share_ok", json!(share_ok)),
    ]}})
}

/// A person created on a device (sync push mutation).
pub fn new_person(seq: u64, id: &str, family: &str, node: u64) -> Value {
    let s = stamp(1_700_000_000_000 + seq, node);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": seq, "kind": "person", "id": id, "op": { "type": "put", "fields": [
        w("family_name", json!(family)), w("given_name", json!("花子")),
        w("family_name_kana", json!("ミホン")), w("given_name_kana", json!("ハナコ")),
        w("birth_date", json!("1990-04-01")), w("category", json!("youth")),
    ]}})
}

/// One field of a person edited on a device: `at` its stamp, `base` what it had seen.
pub fn edit(seq: u64, id: &str, field: &str, value: &str, at: Value, base: Value) -> Value {
    json!({ "seq": seq, "kind": "person", "id": id, "op": { "type": "put", "fields": [
        { "field": field, "value": value, "stamp": at, "base": base }
    ]}})
}

/// A walk-in registration as a tablet sends it (agreeing to share it with the city).
pub fn walk_in(
    seq: u64,
    id: &str,
    event: &str,
    node: u64,
    who: (&str, &str, &str, &str),
    birth: &str,
    phone: &str,
) -> Value {
    registration(seq, id, event, node, who, (birth, phone), true)
}

/// A check-in on a tablet.
pub fn check_in(seq: u64, id: &str, node: u64, at: u64) -> Value {
    json!({ "seq": seq, "kind": "participant", "id": id, "op": { "type": "put", "fields": [
        { "field": "checked_in", "value": true, "stamp": stamp(at, node), "base": null }
    ]}})
}

/// A walk-in who gave an age group (20代) rather than a birth date.
pub fn with_age_band(mut walk_in: Value) -> Value {
    let s = walk_in["op"]["fields"][0]["stamp"].clone();
    walk_in["op"]["fields"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "field": "age_band", "value": "20s", "stamp": s, "base": null }));
    walk_in
}

/// An interview outcome recorded on a tablet.
pub fn interview(
    seq: u64,
    id: &str,
    event: &str,
    participant: &str,
    employer: &str,
    outcome: &str,
    at: u64,
) -> Value {
    let s = stamp(at, 7);
    let w = |field: &str, value: Value| json!({ "field": field, "value": value, "stamp": s, "base": null });
    json!({ "seq": seq, "kind": "interview", "id": id, "op": { "type": "put", "fields": [
        w("event_id", json!(event)), w("participant_id", json!(participant)),
        w("employer_id", json!(employer)), w("outcome", json!(outcome)),
    ]}})
}

/// A case entry created on a device: every field written with one stamp.
pub fn entry(seq: u64, kind: &str, id: &str, fields: &[(&str, Value)]) -> Value {
    let s = stamp(1_780_000_000_000 + seq, 7);
    let writes: Vec<Value> = fields
        .iter()
        .map(|(f, v)| json!({ "field": f, "value": v, "stamp": s, "base": null }))
        .collect();
    json!({ "seq": seq, "kind": kind, "id": id, "op": { "type": "put", "fields": writes } })
}

/// Hello Work's counsellor's case note (職業相談) on the case of `person`.
pub fn hello_work_note(seq: u64, id: &str, person: &str) -> Value {
    entry(
        seq,
        "note",
        id,
        &[
            ("person_id", json!(person)),
            ("body", json!("職業相談。求人票を2件紹介。")),
            ("written_on", json!("2026-11-20")),
            ("note_type", json!("job_consultation")),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 ハローワーク職員")),
            ("job_role", json!("counsellor")),
        ],
    )
}

/// A job referral (紹介) entry of the case of `person`.
pub fn referral(seq: u64, id: &str, person: &str, org: &str, result: &str) -> Value {
    entry(
        seq,
        "referral",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!(org)),
            ("author", json!("見本 ハローワーク職員")),
            ("referred_on", json!("令和8年11月10日")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("job_no", json!("13010-12345678")),
            ("result", json!(result)),
        ],
    )
}

/// A placement (就職) entry, after `referral`.
pub fn placement(seq: u64, id: &str, person: &str, referral: &str) -> Value {
    entry(
        seq,
        "placement",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!("hello_work")),
            ("author", json!("見本 ハローワーク職員")),
            ("placed_on", json!("2026-11-20")),
            ("employer", json!("市立みなと病院")),
            ("job_title", json!("看護助手")),
            ("employment_type", json!("regular")),
            ("route", json!("referral")),
            ("referral_id", json!(referral)),
            ("credited_org", json!("hello_work")),
            ("credited_staff", json!("見本 ハローワーク職員")),
            ("conditions", json!("夜勤免除・院内保育あり")),
        ],
    )
}

/// A follow-up (定着支援) entry one month after `placement`.
pub fn follow_up(seq: u64, id: &str, person: &str, placement: &str) -> Value {
    entry(
        seq,
        "follow_up",
        id,
        &[
            ("person_id", json!(person)),
            ("organisation", json!("city")),
            ("author", json!("見本 市職員")),
            ("placement_id", json!(placement)),
            ("months", json!("1")),
            ("done_on", json!("2026-11-28")),
            ("result", json!("working")),
        ],
    )
}
