//! Steps per second of the published SKA run: 784-256-128-64-10, batch 1000, f32, K = 50
//! (torch:42 init; synthetic digits, since the cost depends on the data only through the
//! pixels that are never used, which the trainer skips — MNIST's subset is a little faster).
//!
//! `cargo bench --bench trainer`; `MATMUL_NUM_THREADS=1` or `2` selects the thread count.
//! One criterion iteration is a whole K = 50 run (fresh trainer, built outside the timing);
//! the throughput line reads in steps/s. `run` has no observers, `run+metrics` has the metric
//! observers exactly as `ska-verify train` runs them. (Timing single steps of an endless run
//! would measure a saturated network full of subnormal numbers, not the published regime.)

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use ska_verify::ska::data::synthetic::synthetic;
use ska_verify::ska::init::{InitSpec, initial_network};
use ska_verify::ska::{History, Observer, OutputMeans, TrainConfig, Trainer};
use std::hint::black_box;

fn trainer(c: &mut Criterion) {
    let data = synthetic(100, 0);
    let x = data.to_matrix::<f32>();
    let net = initial_network(&InitSpec::Torch(42), &[784, 256, 128, 64, 10])
        .expect("the published shape")
        .cast::<f32>();
    let cfg = TrainConfig::default();
    let fresh = || Trainer::new(cfg, x.clone(), net.clone()).expect("valid configuration");
    let mut group = c.benchmark_group("ska-784-256-128-64-10-batch1000-f32-K50");
    group.sample_size(10);
    group.throughput(Throughput::Elements(cfg.k as u64));
    group.bench_function("run", |b| {
        b.iter_batched(
            fresh,
            |mut tr| black_box(tr.run(&mut [])),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("run+metrics", |b| {
        b.iter_batched(
            fresh,
            |mut tr| {
                let mut history = History::new(cfg.eta);
                let mut outputs = OutputMeans::default();
                let mut observers: [&mut dyn Observer<f32>; 2] = [&mut history, &mut outputs];
                black_box(tr.run(&mut observers))
            },
            BatchSize::LargeInput,
        )
    });
    group.finish();
}

criterion_group!(benches, trainer);
criterion_main!(benches);
