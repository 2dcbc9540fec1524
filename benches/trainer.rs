//! Steps per second of the reference SKA loop on the published shape: 784-256-128-64-10,
//! batch 1000, f32 (synthetic digits; the cost does not depend on the pixel values).
//!
//! `cargo bench --bench trainer`; `MATMUL_NUM_THREADS=1` or `2` selects matrixmultiply's
//! thread count. One criterion iteration is one trainer step (forward pass + update of every
//! layer), without observers; `step+metrics` adds the metric observers as `train` runs them.

use criterion::{Criterion, criterion_group, criterion_main};
use ska_verify::ska::data::synthetic::synthetic;
use ska_verify::ska::init::{InitSpec, initial_network};
use ska_verify::ska::{History, Observer, OutputMeans, TrainConfig, Trainer};
use std::hint::black_box;

fn trainer(c: &mut Criterion) {
    let data = synthetic(100, 0);
    let net = initial_network(&InitSpec::Torch(42), &[784, 256, 128, 64, 10]).unwrap();
    // A K large enough that the loop never reaches it inside the benchmark.
    let cfg = TrainConfig {
        k: usize::MAX,
        ..TrainConfig::default()
    };
    let mut group = c.benchmark_group("ska-784-256-128-64-10-batch1000-f32");
    group.sample_size(30);
    group.bench_function("step", |b| {
        let mut tr = Trainer::new(cfg, data.to_matrix::<f32>(), net.cast()).unwrap();
        tr.step();
        b.iter(|| black_box(tr.step()));
    });
    group.bench_function("step+metrics", |b| {
        let mut tr = Trainer::new(cfg, data.to_matrix::<f32>(), net.cast()).unwrap();
        let mut history = History::new(cfg.eta);
        let mut outputs = OutputMeans::default();
        tr.step();
        b.iter(|| {
            tr.step();
            let view = tr.view();
            let _ = Observer::<f32>::observe(&mut history, &view);
            let _ = Observer::<f32>::observe(&mut outputs, &view);
        });
    });
    group.finish();
}

criterion_group!(benches, trainer);
criterion_main!(benches);
