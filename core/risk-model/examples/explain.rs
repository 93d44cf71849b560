//! Prints the shipped model's prediction and its factors for a few people:
//! `cargo run -p qamqor-risk-model --example explain`.

use qamqor_risk_model::{
    designation_from_qualification_level, mental_fatigue_from_check_in,
    resource_allocation_from_daily_hours, InputError, Model, ModelInput,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let model = Model::builtin()?;
    println!("model {} ({})", model.version(), model.checksum());
    let people: [(&str, Result<ModelInput, InputError>); 4] = [
        (
            "junior, 8 h days, fatigue 3, remote",
            person(2, Some(8.0), Some(3.0), true),
        ),
        (
            "senior, 11 h days, fatigue 8, office",
            person(7, Some(11.0), Some(8.0), false),
        ),
        (
            "senior, 11 h days, skipped check-in",
            person(7, Some(11.0), None, false),
        ),
        (
            "mid-level, hours unknown, fatigue 6",
            person(4, None, Some(6.0), false),
        ),
    ];
    for (who, input) in people {
        let prediction = model.predict(&input?);
        println!(
            "\n{who}: burn rate {:.3} (baseline {:.3})",
            prediction.burn_rate, prediction.baseline
        );
        for c in &prediction.contributions {
            let value = c.value.map_or("unknown".to_owned(), |v| format!("{v:.2}"));
            println!(
                "  {:<20} {:>8} {:+.3}",
                c.feature.name(),
                value,
                c.contribution
            );
        }
    }
    Ok(())
}

fn person(
    level: u8,
    hours: Option<f64>,
    fatigue: Option<f64>,
    remote: bool,
) -> Result<ModelInput, InputError> {
    Ok(ModelInput {
        designation: Some(designation_from_qualification_level(level)?),
        resource_allocation: hours
            .map(resource_allocation_from_daily_hours)
            .transpose()?,
        mental_fatigue: fatigue.map(mental_fatigue_from_check_in).transpose()?,
        remote_work: Some(remote),
    })
}
