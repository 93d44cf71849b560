//! What the model reads: the four features the app can observe, on the dataset's scales, and
//! the pure functions that map app values onto those scales.

use serde::{Deserialize, Serialize};

/// One of the four inputs the model was trained on, in the artifact's feature order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Feature {
    /// Seniority on the dataset's 0-5 "Designation" scale.
    Designation,
    /// Work-hours allocation on the dataset's 1-10 "Resource Allocation" scale.
    ResourceAllocation,
    /// Self-reported fatigue on the dataset's 0-10 "Mental Fatigue Score" scale.
    MentalFatigue,
    /// Whether the person can work from home ("WFH Setup Available").
    RemoteWork,
}

impl Feature {
    /// Every feature, in the order the artifact lists them (tree nodes index into this order).
    pub const ALL: [Feature; 4] = [
        Feature::Designation,
        Feature::ResourceAllocation,
        Feature::MentalFatigue,
        Feature::RemoteWork,
    ];

    /// The features the risk may never decrease in (more hours or fatigue never lowers it).
    pub const MONOTONE_INCREASING: [Feature; 2] =
        [Feature::ResourceAllocation, Feature::MentalFatigue];

    /// The stable snake_case name used in the artifact and shown to apps.
    pub fn name(self) -> &'static str {
        match self {
            Feature::Designation => "designation",
            Feature::ResourceAllocation => "resource_allocation",
            Feature::MentalFatigue => "mental_fatigue",
            Feature::RemoteWork => "remote_work",
        }
    }

    /// Position of the feature in [`Feature::ALL`].
    pub fn index(self) -> usize {
        self as usize
    }

    /// Looks a feature up by its artifact name.
    pub fn from_name(name: &str) -> Option<Feature> {
        Feature::ALL.into_iter().find(|f| f.name() == name)
    }

    /// True for the features the model is guaranteed to be non-decreasing in.
    pub fn is_monotone_increasing(self) -> bool {
        Feature::MONOTONE_INCREASING.contains(&self)
    }
}

impl std::fmt::Display for Feature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The model's input on the dataset's scales; `None` means "not known" (a skipped check-in).
///
/// Build it with the `*_from_*` mapping functions of this module. Non-finite numbers are
/// treated as missing; values outside the dataset's range score like the nearest edge of the
/// range, because the trees are flat beyond the data they saw.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ModelInput {
    /// Dataset "Designation", 0-5 (see [`designation_from_qualification_level`]).
    pub designation: Option<f64>,
    /// Dataset "Resource Allocation", 1-10 (see [`resource_allocation_from_daily_hours`]).
    pub resource_allocation: Option<f64>,
    /// Dataset "Mental Fatigue Score", 0-10 (see [`mental_fatigue_from_check_in`]).
    pub mental_fatigue: Option<f64>,
    /// Dataset "WFH Setup Available": the person's profile allows remote work.
    pub remote_work: Option<bool>,
}

impl ModelInput {
    /// The value of one feature as the model sees it: booleans as 0/1, non-finite as missing.
    pub fn value(&self, feature: Feature) -> Option<f64> {
        let raw = match feature {
            Feature::Designation => self.designation,
            Feature::ResourceAllocation => self.resource_allocation,
            Feature::MentalFatigue => self.mental_fatigue,
            Feature::RemoteWork => self.remote_work.map(|yes| if yes { 1.0 } else { 0.0 }),
        };
        raw.filter(|v| v.is_finite())
    }

    /// All four values in [`Feature::ALL`] order.
    pub fn values(&self) -> [Option<f64>; 4] {
        Feature::ALL.map(|f| self.value(f))
    }
}

/// An app value that cannot be mapped onto the dataset's scale.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    /// The value is outside the range the app field allows.
    #[error("{field} must be between {min} and {max}, got {value}")]
    OutOfRange {
        /// App field name, e.g. `qualification_level`.
        field: &'static str,
        /// The rejected value.
        value: f64,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
    },
}

/// Lowest qualification level the app records.
pub const QUALIFICATION_LEVEL_MIN: u8 = 1;
/// Highest qualification level the app records.
pub const QUALIFICATION_LEVEL_MAX: u8 = 8;

/// Maps the app's qualification level (1..=8) onto the dataset's Designation (0-5).
///
/// Assumption: both are ordinal seniority scales with the same ends, so the map is linear,
/// `(level - 1) * 5 / 7` (1 -> 0, 8 -> 5). The model splits Designation between whole
/// grades, so a level lands on the nearest dataset grade (e.g. level 4 -> 2.14 ~ grade 2).
pub fn designation_from_qualification_level(level: u8) -> Result<f64, InputError> {
    if !(QUALIFICATION_LEVEL_MIN..=QUALIFICATION_LEVEL_MAX).contains(&level) {
        return Err(InputError::OutOfRange {
            field: "qualification_level",
            value: f64::from(level),
            min: f64::from(QUALIFICATION_LEVEL_MIN),
            max: f64::from(QUALIFICATION_LEVEL_MAX),
        });
    }
    let span = f64::from(QUALIFICATION_LEVEL_MAX - QUALIFICATION_LEVEL_MIN);
    Ok(f64::from(level - QUALIFICATION_LEVEL_MIN) * 5.0 / span)
}

/// Hours by which a day's work exceeds the Resource Allocation scale's value.
const HOURS_OFFSET: f64 = 3.0;

/// Maps average daily working hours onto the dataset's Resource Allocation (1-10).
///
/// Assumption: the dataset describes Resource Allocation as the hours of work allocated, on a
/// 1-10 scale whose mean is about 4.5. We read one step as one hour and put a standard 8-hour
/// day at 5, the middle of the scale: `clamp(hours - 3, 1, 10)`, so 4 h or less -> 1,
/// 8 h -> 5, 13 h or more -> 10. Accepts 0..=24 hours.
pub fn resource_allocation_from_daily_hours(hours: f64) -> Result<f64, InputError> {
    if !(0.0..=24.0).contains(&hours) {
        return Err(InputError::OutOfRange {
            field: "daily_hours",
            value: hours,
            min: 0.0,
            max: 24.0,
        });
    }
    Ok((hours - HOURS_OFFSET).clamp(1.0, 10.0))
}

/// Maps the daily check-in's fatigue answer (0-10) onto the dataset's Mental Fatigue Score.
///
/// Assumption: both are self-reported 0-10 fatigue ratings, so the map is the identity.
pub fn mental_fatigue_from_check_in(fatigue: f64) -> Result<f64, InputError> {
    if !(0.0..=10.0).contains(&fatigue) {
        return Err(InputError::OutOfRange {
            field: "fatigue",
            value: fatigue,
            min: 0.0,
            max: 10.0,
        });
    }
    Ok(fatigue)
}

/// Maps the profile's remote-work flag onto the dataset's "WFH Setup Available".
///
/// Assumption: having a work-from-home setup available is the same fact as being allowed to
/// work remotely; the identity.
pub fn remote_work_from_profile(remote_allowed: bool) -> bool {
    remote_allowed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualification_levels_span_the_designation_scale() {
        assert_eq!(designation_from_qualification_level(1), Ok(0.0));
        assert_eq!(designation_from_qualification_level(8), Ok(5.0));
        let mid = designation_from_qualification_level(4).unwrap();
        assert!((mid - 15.0 / 7.0).abs() < 1e-12);
        assert!(matches!(
            designation_from_qualification_level(0),
            Err(InputError::OutOfRange {
                field: "qualification_level",
                ..
            })
        ));
        assert!(designation_from_qualification_level(9).is_err());
    }

    #[test]
    fn daily_hours_map_onto_resource_allocation() {
        assert_eq!(resource_allocation_from_daily_hours(8.0), Ok(5.0));
        assert_eq!(resource_allocation_from_daily_hours(2.0), Ok(1.0));
        assert_eq!(resource_allocation_from_daily_hours(16.0), Ok(10.0));
        assert_eq!(resource_allocation_from_daily_hours(10.5), Ok(7.5));
        assert!(resource_allocation_from_daily_hours(-1.0).is_err());
        assert!(resource_allocation_from_daily_hours(25.0).is_err());
        assert!(resource_allocation_from_daily_hours(f64::NAN).is_err());
    }

    #[test]
    fn fatigue_is_checked_and_kept() {
        assert_eq!(mental_fatigue_from_check_in(6.5), Ok(6.5));
        assert!(mental_fatigue_from_check_in(10.5).is_err());
        assert!(mental_fatigue_from_check_in(f64::INFINITY).is_err());
    }

    #[test]
    fn non_finite_values_read_as_missing() {
        let input = ModelInput {
            designation: Some(f64::NAN),
            resource_allocation: Some(4.0),
            mental_fatigue: Some(f64::INFINITY),
            remote_work: Some(true),
        };
        assert_eq!(input.values(), [None, Some(4.0), None, Some(1.0)]);
    }

    #[test]
    fn feature_names_round_trip() {
        for f in Feature::ALL {
            assert_eq!(Feature::from_name(f.name()), Some(f));
            assert_eq!(Feature::ALL[f.index()], f);
        }
        assert_eq!(Feature::from_name("gender"), None);
    }
}
