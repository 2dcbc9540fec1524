//! Symbolic derivation time of the Euler–Lagrange equations of the nonlinear chain
//! L = Σᵢ ½xᵢ'² − (1 − cos xᵢ) − Σᵢ ½(xᵢ₊₁ − xᵢ)² + ¼·0.5·(xᵢ₊₁ − xᵢ)⁴ (the Lagrangian of
//! `mechanics::systems::Chain`): parse, differentiate, normalize every component.
//! For comparison, SymPy 1.14 needs 4.5 s (N = 64) and 61 s (N = 256) on this machine.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ska_verify::expr::Engine;
use std::hint::black_box;

fn chain(n: usize) -> (Vec<String>, String) {
    let coords: Vec<String> = (1..=n).map(|i| format!("x{i}")).collect();
    let mut l = String::new();
    for c in &coords {
        l.push_str(&format!("{c}'^2/2 - (1 - cos({c})) + "));
    }
    l.push('0');
    for w in coords.windows(2) {
        let d = format!("({} - {})", w[1], w[0]);
        l.push_str(&format!(" - ({d}^2/2 + 0.25*0.5*{d}^4)"));
    }
    (coords, l)
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
