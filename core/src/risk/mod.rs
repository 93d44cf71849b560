//! Burnout risk, computed on the device from the person's own records: features over rolling
//! windows (`features`), and the assessment that combines the trained model with documented
//! literature terms (`assess`), and what could help (`suggest`). See docs/RISK_MODEL.md.

pub mod assess;
pub mod features;
pub mod suggest;

pub use assess::{
    assess, enough_data, DataCoverage, FactorKind, FactorSource, MissingData, RiskAssessment, RiskFactor, RiskLevel, RiskTrend,
    TrendDirection, WeeklyScore, TERMS,
};
pub use features::{extract, RiskData, RiskFeatures};
pub use suggest::{suggestions, RiskSuggestion, ALL_SUGGESTIONS};
pub use qamqor_risk_model::{ArtifactError, Model};
