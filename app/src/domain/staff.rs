//! Staff accounts: login id and password rules.

use super::access::{Organisation, Role};
use super::validation::{Errors, FieldError, Problem};

pub const LOGIN_ID_LEN: std::ops::RangeInclusive<usize> = 3..=32;
pub const PASSWORD_MIN: usize = 12;
pub const PASSWORD_MAX: usize = 128;
pub const DISPLAY_NAME_MAX: usize = 50;

/// A login id is what staff type at a busy desk: lower-case ASCII, digits, `.`, `_`, `-`.
pub fn check_login_id(errors: &mut Errors, raw: &str) -> String {
    let id = raw.trim().to_ascii_lowercase();
    let ok = LOGIN_ID_LEN.contains(&id.len())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if id.is_empty() {
        errors.add("login_id", Problem::Required);
    } else if !ok {
        errors.add("login_id", Problem::BadLoginId);
    }
    id
}

/// Long passphrases rather than composition rules (NIST SP 800-63B): at least 12 characters,
/// not containing the login id.
pub fn check_password(errors: &mut Errors, password: &str, login_id: &str) {
    let len = password.chars().count();
    if len == 0 {
        errors.add("password", Problem::Required);
    } else if len > PASSWORD_MAX {
        errors.add("password", Problem::TooLong { max: PASSWORD_MAX });
    } else if len < PASSWORD_MIN
        || (!login_id.is_empty() && password.to_lowercase().contains(login_id))
    {
        errors.add("password", Problem::WeakPassword { min: PASSWORD_MIN });
    }
}

#[derive(Debug, Clone, Default)]
pub struct StaffDraft {
    pub login_id: String,
    pub display_name: String,
    pub organisation: String,
    pub role: String,
    pub password: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStaff {
    pub login_id: String,
    pub display_name: String,
    pub organisation: Organisation,
    pub role: Role,
}

pub fn validate_staff(draft: &StaffDraft) -> Result<NewStaff, Vec<FieldError>> {
    let mut errors = Errors::default();
    let login_id = check_login_id(&mut errors, &draft.login_id);
    let display_name = errors.required_line("display_name", &draft.display_name, DISPLAY_NAME_MAX);
    let organisation = errors.choice("organisation", &draft.organisation, Organisation::from_code);
    let role = errors.choice("role", &draft.role, Role::from_code);
    check_password(&mut errors, &draft.password, &login_id);
    errors.finish(|| NewStaff {
        login_id,
        display_name,
        organisation: organisation.expect("checked"),
        role: role.expect("checked"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn login_ids_and_passwords() {
        let check = |id: &str, pw: &str| {
            let mut e = Errors::default();
            let id = check_login_id(&mut e, id);
            check_password(&mut e, pw, &id);
            e.finish(|| ()).err().unwrap_or_default()
        };
        assert!(check("Tanaka.K", "long enough passphrase").is_empty());
        assert_eq!(
            check("ab", "long enough passphrase")[0].problem,
            Problem::BadLoginId
        );
        assert_eq!(
            check("田中", "long enough passphrase")[0].problem,
            Problem::BadLoginId
        );
        assert_eq!(
            check("tanaka", "short")[0].problem,
            Problem::WeakPassword { min: 12 }
        );
        assert_eq!(
            check("tanaka", "my-TANAKA-password")[0].problem,
            Problem::WeakPassword { min: 12 }
        );
    }
}
