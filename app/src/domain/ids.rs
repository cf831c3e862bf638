//! Newtype ids: a `PersonId` can never be passed where an `EventId` is meant.
//!
//! Ids are UUIDv7 (time-ordered) so records created offline on a tablet get a unique id on the
//! spot, and the database index stays append-friendly.

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(utoipa::ToSchema), schema(value_type = String, format = "uuid"))]
        pub struct $name(pub Uuid);

        impl $name {
            /// A new id for a record created at `unix_millis`, with `random` bytes from a CSPRNG.
            pub fn from_parts(unix_millis: u64, random: &[u8; 10]) -> Self {
                Self(uuid::Builder::from_unix_timestamp_millis(unix_millis, random).into_uuid())
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

id_type!(
    /// A job fair, workplace tour, seminar or other event the corner runs.
    EventId
);
id_type!(
    /// A person the corner supports (or a fair participant linked to one).
    PersonId
);
id_type!(
    /// A staff account of the city or Hello Work.
    StaffId
);
id_type!(
    /// A tablet or laptop enrolled for one event.
    DeviceId
);
id_type!(
    /// One consent record (a signed 承諾書 or a recorded verbal consent).
    ConsentId
);
id_type!(
    /// Someone registered or checked in at an event.
    ParticipantId
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_version_7_and_time_ordered() {
        let a = EventId::from_parts(1_700_000_000_000, &[0xff; 10]);
        let b = EventId::from_parts(1_700_000_000_001, &[0x00; 10]);
        assert_eq!(a.0.get_version_num(), 7);
        assert!(
            a < b,
            "a later millisecond sorts later whatever the random bits"
        );
        assert_eq!(a.to_string().parse::<EventId>().unwrap(), a);
    }
}
