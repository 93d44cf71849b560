//! Inference latency of the shipped model: `cargo bench -p qamqor-risk-model`.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use qamqor_risk_model::{Model, ModelInput};

fn bench_predict(c: &mut Criterion) {
    let Ok(model) = Model::builtin() else {
        eprintln!("the shipped artifact does not validate; run the unit tests");
        return;
    };
    let complete = ModelInput {
        designation: Some(3.0),
        resource_allocation: Some(6.0),
        mental_fatigue: Some(7.2),
        remote_work: Some(false),
    };
    let skipped_check_in = ModelInput {
        mental_fatigue: None,
        ..complete
    };
    let nothing_known = ModelInput::default();

    c.bench_function("predict/complete", |b| {
        b.iter(|| model.predict(black_box(&complete)))
    });
    c.bench_function("predict/no_fatigue", |b| {
        b.iter(|| model.predict(black_box(&skipped_check_in)))
    });
    c.bench_function("predict/nothing_known", |b| {
        b.iter(|| model.predict(black_box(&nothing_known)))
    });
    c.bench_function("burn_rate/complete", |b| {
        b.iter(|| model.burn_rate(black_box(&complete)))
    });
}

criterion_group!(benches, bench_predict);
criterion_main!(benches);
