//! 支援対象者の区分: who the corner supports, from the program's definition (`DOMAIN.md`).

use serde::{Deserialize, Serialize};

/// 支援対象者の区分 (who the corner supports, from the program's definition).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum SupportCategory {
    Youth,
    PublicAssistance,
    HousingAllowance,
    SingleMothers,
    OtherHardship,
}

impl SupportCategory {
    pub const ALL: [SupportCategory; 5] = [
        Self::PublicAssistance,
        Self::HousingAllowance,
        Self::SingleMothers,
        Self::OtherHardship,
        Self::Youth,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Youth => "youth",
            Self::PublicAssistance => "public_assistance",
            Self::HousingAllowance => "housing_allowance",
            Self::SingleMothers => "single_mothers",
            Self::OtherHardship => "other_hardship",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }
}
