//! Who may see what: organisations, roles, and the consent rule.
//!
//! The corner is two organisations at one desk. Each sees the cases its own statutory duty
//! covers; a case of the other organisation only while the person's consent to share is active.
//! Administrators manage accounts and devices and read the audit log, not cases. An enrolled
//! fair device reaches only its own event's participants.

use serde::{Deserialize, Serialize};

use super::date::CivilDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Organisation {
    /// 市 — welfare services and consultation.
    City,
    /// ハローワーク — job counselling and referral.
    HelloWork,
}

impl Organisation {
    pub const ALL: [Organisation; 2] = [Self::City, Self::HelloWork];

    pub fn code(self) -> &'static str {
        match self {
            Self::City => "city",
            Self::HelloWork => "hello_work",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Role {
    /// 窓口職員: intake, cases, referrals, events.
    Counter,
    /// 管理者（所長・係長）: as counter staff, plus reports.
    Manager,
    /// システム管理者: accounts, devices, audit log; no case data.
    Admin,
}

impl Role {
    pub const ALL: [Role; 3] = [Self::Counter, Self::Manager, Self::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Self::Counter => "counter",
            Self::Manager => "manager",
            Self::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role works with people's case data at all.
    pub fn handles_cases(self) -> bool {
        matches!(self, Self::Counter | Self::Manager)
    }
}

/// One consent record's dates, as far as access is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsentSpan {
    pub granted_on: CivilDate,
    pub withdrawn: bool,
}

/// A consent is active from the day it was given until it is withdrawn. Withdrawal counts from
/// the moment it is recorded, whatever date is written on it: the next request is refused.
pub fn consent_active(consents: &[ConsentSpan], today: CivilDate) -> bool {
    consents
        .iter()
        .any(|c| !c.withdrawn && c.granted_on <= today)
}

/// May a staff member of `org` with `role` read a case owned by `owner`?
pub fn may_read_case(
    org: Organisation,
    role: Role,
    owner: Organisation,
    consent_active: bool,
) -> bool {
    role.handles_cases() && (org == owner || consent_active)
}

/// May a staff member of `org` with `role` see who a fair registration is (name, reading, birth
/// date, phone, answers)? The organisation that took it always may (a tablet's registrations
/// belong to Hello Work, which runs the fairs); the other organisation only when the person
/// agreed at the fair that both may share it (`share_ok`). Counts never need this.
pub fn may_read_registration(
    org: Organisation,
    role: Role,
    owner: Organisation,
    share_ok: bool,
) -> bool {
    role.handles_cases() && (org == owner || share_ok)
}

/// Only the owning organisation records or withdraws a consent (it holds the signed form).
pub fn may_record_consent(org: Organisation, role: Role, owner: Organisation) -> bool {
    role.handles_cases() && org == owner
}

#[cfg(test)]
mod tests {
    use super::*;
    use Organisation::*;
    use Role::*;
    use proptest::prelude::*;

    fn d(s: &str) -> CivilDate {
        s.parse().unwrap()
    }

    #[test]
    fn case_table() {
        // (viewer org, role, owner, consent active) => may read
        let cases = [
            (City, Counter, City, false, true),
            (City, Manager, City, false, true),
            (City, Admin, City, true, false),
            (HelloWork, Counter, City, false, false),
            (HelloWork, Counter, City, true, true),
            (HelloWork, Manager, City, true, true),
            (HelloWork, Admin, City, true, false),
            (City, Counter, HelloWork, false, false),
            (City, Counter, HelloWork, true, true),
        ];
        for (org, role, owner, consent, want) in cases {
            assert_eq!(
                may_read_case(org, role, owner, consent),
                want,
                "{org:?} {role:?} reading {owner:?} case, consent {consent}"
            );
        }
    }

    #[test]
    fn registrations_are_shared_only_as_agreed() {
        // (viewer org, role, owner, share_ok) => may see who it is
        let cases = [
            (HelloWork, Counter, HelloWork, false, true),
            (HelloWork, Manager, HelloWork, false, true),
            (City, Counter, HelloWork, false, false),
            (City, Manager, HelloWork, false, false),
            (City, Counter, HelloWork, true, true),
            (HelloWork, Counter, City, false, false),
            (HelloWork, Counter, City, true, true),
            (City, Admin, City, true, false),
            (HelloWork, Admin, HelloWork, true, false),
        ];
        for (org, role, owner, share, want) in cases {
            assert_eq!(
                may_read_registration(org, role, owner, share),
                want,
                "{org:?} {role:?} reading a {owner:?} registration, share_ok {share}"
            );
        }
    }

    #[test]
    fn consent_starts_on_its_date_and_ends_when_withdrawn() {
        let given = ConsentSpan {
            granted_on: d("2026-11-27"),
            withdrawn: false,
        };
        assert!(!consent_active(&[given], d("2026-11-26")));
        assert!(consent_active(&[given], d("2026-11-27")));
        let withdrawn = ConsentSpan {
            withdrawn: true,
            ..given
        };
        assert!(!consent_active(&[withdrawn], d("2027-01-01")));
        assert!(
            consent_active(&[withdrawn, given], d("2027-01-01")),
            "a newer consent counts"
        );
        assert!(!consent_active(&[], d("2027-01-01")));
    }

    #[derive(Debug, Clone)]
    enum Step {
        Grant,
        WithdrawLatest,
        Read(Organisation),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            Just(Step::Grant),
            Just(Step::WithdrawLatest),
            Just(Step::Read(City)),
            Just(Step::Read(HelloWork)),
        ]
    }

    proptest! {
        /// Any sequence of grants, withdrawals and reads of a city case: the city always reads
        /// it; Hello Work reads it exactly when the last effective action was a grant that has
        /// not been withdrawn since (some consent remains open).
        #[test]
        fn reads_follow_grants_and_withdrawals(steps in prop::collection::vec(step(), 0..40)) {
            let today = d("2026-11-27");
            let mut records: Vec<ConsentSpan> = Vec::new();
            let mut open = 0usize; // model: how many consents are not withdrawn
            for s in steps {
                match s {
                    Step::Grant => {
                        records.push(ConsentSpan { granted_on: today, withdrawn: false });
                        open += 1;
                    }
                    Step::WithdrawLatest => {
                        if let Some(r) = records.iter_mut().rev().find(|r| !r.withdrawn) {
                            r.withdrawn = true;
                            open -= 1;
                        }
                    }
                    Step::Read(org) => {
                        let active = consent_active(&records, today);
                        prop_assert_eq!(active, open > 0);
                        let may = may_read_case(org, Counter, City, active);
                        prop_assert_eq!(may, org == City || open > 0);
                    }
                }
            }
        }
    }
}
