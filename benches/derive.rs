//! Symbolic derivation time of the Euler–Lagrange equations of the nonlinear chain
//! L = Σᵢ ½xᵢ'² − (1 − cos xᵢ) − Σᵢ ½(xᵢ₊₁ − xᵢ)² + ¼·0.5·(xᵢ₊₁ − xᵢ)⁴ (the Lagrangian of
//! `mechanics::systems::Chain`): parse, differentiate, normalize every component.
//! For comparison, SymPy 1.14 needs 4.5 s (N = 64) and 61 s (N = 256) on this machine.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ska_verify::expr::Engine;
use std::hint::black_box;

fn chain(n: usize) -> (Vec<String>, String) {
    ska_verify::mechanics::systems::Chain::new(n).expression()
}

fn derive(coords: &[String], l: &str) -> usize {
    let mut en = Engine::new(coords).expect("coordinates");
    let l = en.parse(l).expect("parses");
    let el = en.el(l).expect("first order");
    el.into_iter()
        .map(|r| en.normalize(r).expect("normalizes"))
        .count()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("derive_chain_el");
    group.sample_size(10);
    for n in [8, 64, 256] {
        let (coords, l) = chain(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &n, |b, _| {
            b.iter(|| black_box(derive(&coords, &l)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
