//! Residual evaluations per second, and the cost of one f64 evaluation of L beside it.
//!
//! Forward mode evaluates L 2N times per residual (N on `Dual<Dual64>`, N on `Dual64`), so the
//! ratio residual / L grows like N for an O(N) Lagrangian. The summary table at the end is
//! measured side by side in the same process, so the ratio is meaningful on a noisy machine.

use criterion::{BenchmarkId, Criterion, Throughput};
use ska_verify::mechanics::systems::{Chain, SkaNeuron};
use ska_verify::mechanics::trajectory::{Fourier, RandomTrajectory};
use ska_verify::mechanics::{Jet, Lagrangian, euler_lagrange_at, jet};
use std::hint::black_box;
use std::time::Instant;

fn state(n: usize) -> Jet {
    use rand::SeedableRng;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(1);
    let traj = RandomTrajectory::Fourier(Fourier::random(&mut rng, n, 3, 1.0));
    jet(&traj, 0.3)
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("residual");
    g.throughput(Throughput::Elements(1));
    let j = state(1);
    g.bench_function("SKA N=1", |b| {
        b.iter(|| euler_lagrange_at(&SkaNeuron, black_box(&j)))
    });
    for n in [1usize, 8, 64, 256] {
        let j = state(n);
        let ch = Chain::new(n);
        g.bench_with_input(BenchmarkId::new("chain", n), &j, |b, j| {
            b.iter(|| euler_lagrange_at(&ch, black_box(j)))
        });
    }
    g.finish();
    let mut g = c.benchmark_group("lagrangian f64");
    for n in [1usize, 8, 64, 256] {
        let j = state(n);
        let ch = Chain::new(n);
        g.bench_with_input(BenchmarkId::new("chain", n), &j, |b, j| {
            b.iter(|| ch.lagrangian(black_box(j.t), black_box(&j.q), black_box(&j.qdot)))
        });
    }
    g.finish();
}

/// Seconds per call of `f`, the median of 7 batches sized to ~30 ms each.
fn seconds_per_call<R>(mut f: impl FnMut() -> R) -> f64 {
    let mut iters = 1u64;
    loop {
        let t = Instant::now();
        for _ in 0..iters {
            black_box(f());
        }
        if t.elapsed().as_secs_f64() > 0.03 {
            break;
        }
        iters *= 2;
    }
    let mut v: Vec<f64> = (0..7)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..iters {
                black_box(f());
            }
            t.elapsed().as_secs_f64() / iters as f64
        })
        .collect();
    v.sort_by(f64::total_cmp);
    v[3]
}

fn summary() {
    println!("\nsummary (side by side, one process)");
    println!(
        "{:<12} {:>16} {:>14} {:>12} {:>18}",
        "system", "residuals/s", "L (f64) ns", "ratio", "1e4 residuals (ms)"
    );
    let row = |name: String, res: f64, l: f64| {
        println!(
            "{:<12} {:>16.0} {:>14.1} {:>12.1} {:>18.2}",
            name,
            1.0 / res,
            l * 1e9,
            res / l,
            res * 1e4 * 1e3
        );
    };
    let j = state(1);
    let res = seconds_per_call(|| euler_lagrange_at(&SkaNeuron, black_box(&j)));
    let l = seconds_per_call(|| {
        SkaNeuron.lagrangian(black_box(j.t), black_box(&j.q), black_box(&j.qdot))
    });
    row("SKA N=1".into(), res, l);
    for n in [1usize, 8, 64, 256] {
        let j = state(n);
        let ch = Chain::new(n);
        let res = seconds_per_call(|| euler_lagrange_at(&ch, black_box(&j)));
        let l =
            seconds_per_call(|| ch.lagrangian(black_box(j.t), black_box(&j.q), black_box(&j.qdot)));
        row(format!("chain N={n}"), res, l);
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    bench(&mut c);
    c.final_summary();
    summary();
}
