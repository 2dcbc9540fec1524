//! The reference SKA trainer against independent plain-loop re-implementations, the metric
//! definitions, num-dual AD, malformed inputs, and (when ../shared is present) the published
//! histories.

use nalgebra::{DMatrix, DVector};
use num_dual::{Dual64, DualNum};
use ska_verify::ska::data::{Dataset, idx, synthetic::synthetic};
use ska_verify::ska::init::{InitSpec, initial_network, npz};
use ska_verify::ska::metrics::frobenius;
use ska_verify::ska::{
    LayerState, Metric, Network, Real, StepSums, TrainConfig, Trainer, UpdateRule, layer_update,
    output, run,
};
use std::path::{Path, PathBuf};

const LN2: f64 = std::f64::consts::LN_2;

fn temp_dir(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("ska-trainer-test-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

// ---------------------------------------------------------------------------------------------
// A plain-loop re-implementation of the published loop (Vec<Vec<T>>, triple loops).

type Mat<T> = Vec<Vec<T>>; // rows × cols

fn to_mat<T: Real>(m: &DMatrix<T>) -> Mat<T> {
    (0..m.nrows())
        .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
        .collect()
}

fn matmul<T: Real>(a: &Mat<T>, b: &Mat<T>) -> Mat<T> {
    let (n, k, m) = (a.len(), b.len(), b[0].len());
    let mut c = vec![vec![T::zero(); m]; n];
    for i in 0..n {
        for j in 0..m {
            let mut s = T::zero();
            for p in 0..k {
                s += a[i][p] * b[p][j];
            }
            c[i][j] = s;
        }
    }
    c
}

fn transpose<T: Real>(a: &Mat<T>) -> Mat<T> {
    (0..a[0].len())
        .map(|j| a.iter().map(|r| r[j]).collect())
        .collect()
}

struct Naive<T: Real> {
    w: Vec<Mat<T>>,
    b: Vec<Vec<T>>,
    /// Per iteration, per layer: (Z, D).
    states: Vec<Vec<(Mat<T>, Mat<T>)>>,
    /// Per update, per layer: ‖W‖_F after the update.
    w_norms: Vec<Vec<f64>>,
}

/// Exactly DESIGN.md's published loop (or the local-exact input), written the slow way.
fn naive_run<T: Real>(
    x: &Mat<T>,
    net: &Network<f64>,
    k_max: usize,
    eta: f64,
    rule: UpdateRule,
) -> Naive<T> {
    let cast = |m: &DMatrix<f64>| to_mat(&m.map(T::of));
    let mut w: Vec<Mat<T>> = net.weights.iter().map(cast).collect();
    let mut b: Vec<Vec<T>> = net
        .biases
        .iter()
        .map(|v| v.iter().map(|&x| T::of(x)).collect())
        .collect();
    let layers = w.len();
    let batch = x.len();
    let eta_t = T::of(eta);
    let mut states: Vec<Vec<(Mat<T>, Mat<T>)>> = Vec::new();
    let mut w_norms = Vec::new();
    for k in 0..k_max {
        let mut cur: Vec<(Mat<T>, Mat<T>)> = Vec::new();
        for l in 0..layers {
            let input = if l == 0 {
                x.clone()
            } else {
                cur[l - 1].1.clone()
            };
            let mut z = matmul(&input, &w[l]);
            for row in &mut z {
                for (j, v) in row.iter_mut().enumerate() {
                    *v += b[l][j];
                }
            }
            let d: Mat<T> = z
                .iter()
                .map(|r| {
                    r.iter()
                        .map(|&v| T::one() / (T::one() + (-v).exp()))
                        .collect()
                })
                .collect();
            cur.push((z, d));
        }
        if k > 0 {
            let prev = &states[k - 1];
            let mut norms = Vec::new();
            for l in 0..layers {
                let (z, d) = &cur[l];
                let d_prev = &prev[l].1;
                let input = match (l, rule) {
                    (0, _) => x.clone(),
                    (_, UpdateRule::Reference) => prev[l - 1].1.clone(),
                    (_, UpdateRule::LocalExact) => cur[l - 1].1.clone(),
                };
                let c = -T::one() / T::ln_2();
                let g: Mat<T> = (0..batch)
                    .map(|i| {
                        (0..z[0].len())
                            .map(|j| {
                                let (zi, di) = (z[i][j], d[i][j]);
                                c * (zi * di * (T::one() - di) + (di - d_prev[i][j]))
                            })
                            .collect()
                    })
                    .collect();
                let dw = matmul(&transpose(&input), &g);
                let bt = T::of(batch as f64);
                for (wr, dr) in w[l].iter_mut().zip(&dw) {
                    for (wv, &dv) in wr.iter_mut().zip(dr) {
                        *wv -= eta_t * (dv / bt);
                    }
                }
                for j in 0..b[l].len() {
                    let mut s = T::zero();
                    for gi in &g {
                        s += gi[j];
                    }
                    b[l][j] -= eta_t * (s / bt);
                }
                norms.push(
                    w[l].iter()
                        .flatten()
                        .map(|v| v.f64() * v.f64())
                        .sum::<f64>()
                        .sqrt(),
                );
            }
            w_norms.push(norms);
        }
        states.push(cur);
    }
    Naive {
        w,
        b,
        states,
        w_norms,
    }
}

fn max_rel(a: impl IntoIterator<Item = f64>, b: impl IntoIterator<Item = f64>) -> f64 {
    let (a, b): (Vec<f64>, Vec<f64>) = (a.into_iter().collect(), b.into_iter().collect());
    assert_eq!(a.len(), b.len());
    let scale = a
        .iter()
        .fold(0.0f64, |m, v| m.max(v.abs()))
        .max(f64::MIN_POSITIVE);
    a.iter()
        .zip(&b)
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f64::max)
        / scale
}

/// Small problem: 60 synthetic images, 784 → 12 → 8 → 5.
fn small() -> (Dataset, Network<f64>) {
    let data = synthetic(6, 11);
    // Like MNIST, some pixels are 0 in every image, so the trainer's restriction of layer 1 to
    // the used pixels is exercised by every comparison below.
    let dead = (0..784)
        .filter(|&p| (0..data.len()).all(|i| data.pixels[i * 784 + p] == 0))
        .count();
    assert!(dead > 50 && dead < 700, "{dead} unused pixels");
    let net = initial_network(&InitSpec::Seed(5), &[784, 12, 8, 5]).unwrap();
    (data, net)
}

fn trainer_matches_naive<T: Real>(rule: UpdateRule, tol: f64) {
    let (data, net) = small();
    let (k, eta) = (6, 0.05);
    let x = data.to_matrix::<T>();
    let naive = naive_run::<T>(&to_mat(&x), &net, k, eta, rule);
    let cfg = TrainConfig { k, eta, rule };
    let mut tr = Trainer::new(cfg, x, net.cast::<T>()).unwrap();
    let mut it = 0;
    while !tr.finished() {
        assert!(tr.step());
        let view = tr.view();
        for l in 0..view.layers() {
            let lv = view.layer(l);
            let (z, d) = &naive.states[it][l];
            let e = max_rel(
                z.iter().flatten().map(|v| v.f64()),
                to_mat(lv.z()).iter().flatten().map(|v| v.f64()),
            );
            assert!(
                e <= tol,
                "{rule} {}: Z of layer {} at k = {it}: {e}",
                T::NAME,
                l + 1
            );
            let e = max_rel(
                d.iter().flatten().map(|v| v.f64()),
                to_mat(lv.d()).iter().flatten().map(|v| v.f64()),
            );
            assert!(e <= tol, "D of layer {} at k = {it}: {e}", l + 1);
        }
        it += 1;
    }
    for l in 0..naive.w.len() {
        let e = max_rel(
            naive.w[l].iter().flatten().map(|v| v.f64()),
            to_mat(&tr.network().weights[l])
                .iter()
                .flatten()
                .map(|v| v.f64()),
        );
        assert!(
            e <= tol,
            "{rule} {}: final W{} differs by {e}",
            T::NAME,
            l + 1
        );
        let e = max_rel(
            naive.b[l].iter().map(|v| v.f64()),
            tr.network().biases[l].iter().map(|v| v.f64()),
        );
        assert!(e <= tol, "final b{} differs by {e}", l + 1);
    }
    // The weights moved: the comparison is not between two untouched copies of the init.
    let moved = (&tr.network().weights[0].map(|v| v.f64()) - &net.weights[0]).norm();
    assert!(moved > 1e-6, "weights did not move ({moved})");
}

#[test]
fn reference_equals_plain_loops_f32() {
    trainer_matches_naive::<f32>(UpdateRule::Reference, 1e-5);
}

#[test]
fn reference_equals_plain_loops_f64() {
    trainer_matches_naive::<f64>(UpdateRule::Reference, 1e-12);
}

#[test]
fn local_exact_equals_plain_loops() {
    trainer_matches_naive::<f32>(UpdateRule::LocalExact, 1e-5);
    trainer_matches_naive::<f64>(UpdateRule::LocalExact, 1e-12);
}

#[test]
fn the_two_rules_differ_below_the_first_layer() {
    let (data, net) = small();
    let run_rule = |rule| {
        let cfg = TrainConfig {
            k: 4,
            eta: 0.05,
            rule,
        };
        let mut tr = Trainer::new(cfg, data.to_matrix::<f64>(), net.clone()).unwrap();
        tr.run(&mut []);
        tr.network().clone()
    };
    let (a, b) = (
        run_rule(UpdateRule::Reference),
        run_rule(UpdateRule::LocalExact),
    );
    assert_eq!(
        a.weights[0], b.weights[0],
        "layer 1 sees X under both rules"
    );
    assert_ne!(a.weights[1], b.weights[1]);
}

// ---------------------------------------------------------------------------------------------
// Metrics against their definitions, recomputed here from the plain-loop states.

#[test]
fn metrics_equal_their_definitions() {
    let (data, net) = small();
    let (k, eta) = (7, 0.05);
    let x = data.to_matrix::<f64>();
    let naive = naive_run::<f64>(&to_mat(&x), &net, k, eta, UpdateRule::Reference);
    let r = run::run::<f64>(
        &data,
        &net,
        TrainConfig {
            k,
            eta,
            rule: UpdateRule::Reference,
        },
        &mut [],
    )
    .unwrap();
    let h = &r.history;
    let layers = naive.w.len();
    for l in 0..layers {
        for it in 0..k {
            let (z, _) = &naive.states[it][l];
            let zn = z.iter().flatten().map(|v| v * v).sum::<f64>().sqrt();
            let got = h.get(Metric::ZNorm)[l][it];
            assert!(
                (got - zn).abs() <= 1e-12 * zn,
                "‖Z‖ layer {l} k {it}: {got} vs {zn}"
            );
        }
        for it in 1..k {
            let (z, d) = &naive.states[it][l];
            let (zp, dp) = &naive.states[it - 1][l];
            let (mut zdd, mut zz, mut dd2, mut net_code, mut net_paper, mut dz2, mut lag) =
                (0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
            for i in 0..z.len() {
                for j in 0..z[0].len() {
                    let (zv, dv) = (z[i][j], d[i][j]);
                    let (ddv, dzv) = (dv - dp[i][j], zv - zp[i][j]);
                    let dprime = dv * (1.0 - dv);
                    zdd += zv * ddv;
                    zz += zv * zv;
                    dd2 += ddv * ddv;
                    net_code += dzv * (dv - zv * dprime / LN2);
                    net_paper += dzv * (dv + zv * dprime / LN2);
                    dz2 += dzv * dzv;
                    lag += -zv * dprime * dzv / eta;
                }
            }
            let cos = if zz == 0.0 || dd2 == 0.0 {
                0.0
            } else {
                zdd / (zz.sqrt() * dd2.sqrt())
            };
            let expect = [
                (Metric::StepEntropy, -zdd / LN2),
                (Metric::Cosine, cos),
                (Metric::TensorNet, net_code),
                (Metric::TensorNetPaper, net_paper),
                (Metric::KnowledgeFlow, dz2.sqrt() / eta),
                (Metric::Lagrangian, lag),
                (Metric::WeightNorm, naive.w_norms[it - 1][l]),
            ];
            for (m, want) in expect {
                let got = h.get(m)[l][it - 1];
                let scale = h.get(m)[l]
                    .iter()
                    .fold(0.0f64, |a, v| a.max(v.abs()))
                    .max(1e-300);
                assert!(
                    (got - want).abs() <= 1e-10 * scale,
                    "{m:?} layer {l} k {it}: {got} vs {want}"
                );
            }
        }
        // k = 1 sees the weights of k = 0: every per-step metric is 0 there.
        for m in [
            Metric::StepEntropy,
            Metric::Cosine,
            Metric::TensorNet,
            Metric::KnowledgeFlow,
        ] {
            assert_eq!(h.get(m)[l][0], 0.0, "{m:?} at k = 1");
        }
        assert!(h.get(Metric::StepEntropy)[l][k - 2] != 0.0);
    }
    // Output means: column means of the last layer's D at every forward pass.
    for it in 0..k {
        let d = &naive.states[it][layers - 1].1;
        for j in 0..d[0].len() {
            let m = d.iter().map(|r| r[j]).sum::<f64>() / d.len() as f64;
            assert!((r.outputs.steps[it][j] - m).abs() < 1e-13);
        }
    }
    // Cumulative entropy and the entropy minimum of the summary.
    for s in &r.summaries {
        let hs = &h.get(Metric::StepEntropy)[s.layer - 1];
        let total: f64 = hs.iter().sum();
        assert!((s.cumulative_entropy - total).abs() <= 1e-12 * total.abs().max(1.0));
        let min = hs.iter().cloned().fold(f64::INFINITY, f64::min);
        assert_eq!(s.entropy_min.value, min);
        assert_eq!(hs[s.entropy_min.k - 1], min);
        let net = &h.get(Metric::TensorNet)[s.layer - 1];
        for c in &s.net_zero_crossings {
            assert!(
                net[c.k - 1] * net[c.k - 2] < 0.0,
                "sign change at k = {}",
                c.k
            );
            assert!(c.k_interpolated > (c.k - 1) as f64 && c.k_interpolated <= c.k as f64);
        }
    }
}

#[test]
fn step_sums_cosine_is_zero_without_change() {
    let z = DMatrix::from_element(3, 2, 1.5f32);
    let d = z.map(|v| v.sigmoid());
    let s = StepSums::new(&z, &d, &z, &d);
    assert_eq!(s.cosine(), 0.0);
    assert_eq!(s.step_entropy(), 0.0);
    assert!((frobenius(&z) - (6.0f64 * 2.25).sqrt()).abs() < 1e-12);
}

// ---------------------------------------------------------------------------------------------
// local-exact against num-dual AD of the step entropy.

/// H_k^(l)(W, b) = −(1/ln 2) Σ Z⊙(σ(Z) − D_{k−1}), Z = A·W + b, in dual numbers.
fn entropy_dual(
    a: &DMatrix<f64>,
    w: &DMatrix<Dual64>,
    b: &DVector<Dual64>,
    d_prev: &DMatrix<f64>,
) -> Dual64 {
    let mut h = Dual64::from(0.0);
    for i in 0..a.nrows() {
        for j in 0..w.ncols() {
            let mut z = b[j];
            for p in 0..a.ncols() {
                z += w[(p, j)] * a[(i, p)];
            }
            let s = ((-z).exp() + 1.0).recip();
            h += z * (s - d_prev[(i, j)]);
        }
    }
    h * (-1.0 / LN2)
}

#[test]
fn local_exact_is_the_ad_gradient_of_the_step_entropy() {
    let data = synthetic(2, 3);
    let net = initial_network(&InitSpec::Seed(9), &[784, 6, 4, 3]).unwrap();
    let eta = 0.1;
    for rule in [UpdateRule::LocalExact, UpdateRule::Reference] {
        let mut tr = Trainer::new(
            TrainConfig { k: 3, eta, rule },
            data.to_matrix::<f64>(),
            net.clone(),
        )
        .unwrap();
        tr.step();
        tr.step();
        tr.step(); // k = 2: ΔD ≠ 0
        let view = tr.view();
        for l in 0..view.layers() {
            let lv = view.layer(l);
            let st = lv.state().unwrap();
            let up = lv.update().unwrap();
            // Parameters before this iteration's update (the ones Z_k was computed with).
            let w0 = lv.weights() - &up.delta_w;
            let b0 = lv.bias() - &up.delta_b;
            let a = lv.forward_input();
            let batch = a.nrows() as f64;
            let mut max_err: f64 = 0.0;
            let mut max_grad: f64 = 0.0;
            for p in 0..w0.nrows() {
                for j in 0..w0.ncols() {
                    let mut wd = w0.map(Dual64::from);
                    wd[(p, j)] = Dual64::from(w0[(p, j)]).derivative();
                    let h = entropy_dual(a, &wd, &b0.map(Dual64::from), st.d_prev());
                    // ΔW = −η · (∂H/∂W) / batch.
                    let want = -eta * h.eps / batch;
                    max_err = max_err.max((up.delta_w[(p, j)] - want).abs());
                    max_grad = max_grad.max(want.abs());
                }
            }
            for j in 0..b0.len() {
                let mut bd = b0.map(Dual64::from);
                bd[j] = Dual64::from(b0[j]).derivative();
                let h = entropy_dual(a, &w0.map(Dual64::from), &bd, st.d_prev());
                max_err = max_err.max((up.delta_b[j] - (-eta * h.eps / batch)).abs());
            }
            let rel = max_err / max_grad;
            match (rule, l) {
                (UpdateRule::Reference, l) if l > 0 => {
                    assert!(
                        rel > 1e-6,
                        "reference layer {}: update equals the exact gradient ({rel})",
                        l + 1
                    )
                }
                _ => assert!(
                    rel < 1e-10,
                    "{rule} layer {}: update vs AD gradient {rel}",
                    l + 1
                ),
            }
        }
    }
}

#[test]
fn recorded_states_reproduce_every_update() {
    let (data, net) = small();
    let cfg = TrainConfig {
        k: 4,
        eta: 0.05,
        rule: UpdateRule::Reference,
    };
    let mut rec = ska_verify::ska::Recorder::<f32>::default();
    let mut tr = Trainer::new(cfg, data.to_matrix::<f32>(), net.cast()).unwrap();
    tr.run(&mut [&mut rec]);
    assert_eq!(rec.iterations.len(), 3);
    for (k, layers) in rec.iterations.iter().enumerate() {
        assert_eq!(layers.len(), 3);
        for (l, r) in layers.iter().enumerate() {
            assert_eq!(
                r.recompute(0.05).unwrap(),
                r.update,
                "k {} layer {}",
                k + 1,
                l + 1
            );
        }
    }
    // The recorded input of layer 2 is layer 1's D of the previous iteration (reference rule).
    assert_eq!(rec.iterations[1][1].input, rec.iterations[0][0].d);
}

#[test]
fn layer_update_uses_only_its_state() {
    // The update is a function of (input, Z, D, D_prev, η): recomputing it from a copy of the
    // recorded state gives bit-identical results.
    let (data, net) = small();
    let mut tr = Trainer::new(
        TrainConfig {
            k: 3,
            eta: 0.05,
            rule: UpdateRule::Reference,
        },
        data.to_matrix::<f32>(),
        net.cast(),
    )
    .unwrap();
    tr.step();
    tr.step();
    let view = tr.view();
    for l in 0..view.layers() {
        let lv = view.layer(l);
        let st = lv.state().unwrap();
        let (a, z, d, p) = (
            st.input().clone(),
            st.z().clone(),
            st.d().clone(),
            st.d_prev().clone(),
        );
        let again = layer_update(&LayerState::new(&a, &z, &d, &p).unwrap(), 0.05f32);
        assert_eq!(&again, lv.update().unwrap());
    }
}

// ---------------------------------------------------------------------------------------------
// Determinism and files.

#[test]
fn same_seed_same_bytes() {
    let net = initial_network(&InitSpec::Seed(1), &[784, 10, 6]).unwrap();
    let data = synthetic(3, 4);
    let cfg = TrainConfig {
        k: 5,
        eta: 0.02,
        rule: UpdateRule::Reference,
    };
    let files = |dir: &Path, data: &Dataset| {
        let r = run::run::<f32>(data, &net, cfg, &mut []).unwrap();
        output::write_histories(dir, &r.history, &r.outputs).unwrap();
        output::history_files()
            .iter()
            .map(|f| std::fs::read(dir.join(f)).unwrap())
            .collect::<Vec<_>>()
    };
    let (d1, d2, d3) = (temp_dir("det1"), temp_dir("det2"), temp_dir("det3"));
    let a = files(&d1, &data);
    assert_eq!(a, files(&d2, &data));
    assert_ne!(a, files(&d3, &synthetic(3, 5)));
    let header = String::from_utf8(a[0].clone()).unwrap();
    assert!(
        header.starts_with(",K=1,K=2,K=3,K=4\nLayer 1,0,"),
        "{header}"
    );
    for d in [d1, d2, d3] {
        let _ = std::fs::remove_dir_all(d);
    }
}

// ---------------------------------------------------------------------------------------------
// IDX files.

fn idx_bytes(magic: u32, dims: &[u32], data: &[u8]) -> Vec<u8> {
    let mut v = magic.to_be_bytes().to_vec();
    for d in dims {
        v.extend_from_slice(&d.to_be_bytes());
    }
    v.extend_from_slice(data);
    v
}

fn write_mnist(dir: &Path, images: &[u8], labels: &[u8]) {
    std::fs::write(dir.join("train-images-idx3-ubyte"), images).unwrap();
    std::fs::write(dir.join("train-labels-idx1-ubyte"), labels).unwrap();
}

#[test]
fn idx_reader_reads_plain_and_gzip_and_selects_per_class() {
    let dir = temp_dir("idx-ok");
    let labels: Vec<u8> = vec![3, 1, 3, 0, 1, 2, 2, 0, 4, 5, 6, 7, 8, 9, 9, 8, 7, 6, 5, 4];
    let pixels: Vec<u8> = (0..labels.len() * 4).map(|i| (i * 7 % 256) as u8).collect();
    write_mnist(
        &dir,
        &idx_bytes(0x803, &[20, 2, 2], &pixels),
        &idx_bytes(0x801, &[20], &labels),
    );
    let d = idx::read_mnist_dir(&dir).unwrap();
    assert_eq!((d.len(), d.rows, d.cols), (20, 2, 2));
    let two = d.first_per_class(2).unwrap();
    assert_eq!(
        two.labels, labels,
        "every class has exactly 2: nothing dropped, order kept"
    );
    let one = d.first_per_class(1).unwrap();
    assert_eq!(one.labels, vec![3, 1, 0, 2, 4, 5, 6, 7, 8, 9]);
    assert_eq!(&one.pixels[..4], &pixels[..4]);
    assert_eq!(
        &one.pixels[8..12],
        &pixels[12..16],
        "third kept image is file image 3"
    );
    assert!(d.first_per_class(3).is_err(), "class 3 has only 2 images");
    // gzip-compressed copies read the same.
    let gz = temp_dir("idx-gz");
    for (name, bytes) in [
        (
            "train-images-idx3-ubyte.gz",
            idx_bytes(0x803, &[20, 2, 2], &pixels),
        ),
        (
            "train-labels-idx1-ubyte.gz",
            idx_bytes(0x801, &[20], &labels),
        ),
    ] {
        let f = std::fs::File::create(gz.join(name)).unwrap();
        let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::default());
        std::io::Write::write_all(&mut e, &bytes).unwrap();
        e.finish().unwrap();
    }
    assert_eq!(idx::read_mnist_dir(&gz).unwrap().pixels, d.pixels);
    let _ = std::fs::remove_dir_all(dir);
    let _ = std::fs::remove_dir_all(gz);
}

#[test]
fn idx_reader_reports_malformed_files() {
    let labels = idx_bytes(0x801, &[2], &[0, 1]);
    let good = idx_bytes(0x803, &[2, 2, 2], &[0; 8]);
    let cases: Vec<(&str, Vec<u8>, Vec<u8>, &str)> = vec![
        (
            "magic",
            idx_bytes(0x801, &[2, 2, 2], &[0; 8]),
            labels.clone(),
            "magic number",
        ),
        (
            "trunc",
            idx_bytes(0x803, &[2, 2, 2], &[0; 7]),
            labels.clone(),
            "truncated",
        ),
        (
            "trailing",
            idx_bytes(0x803, &[2, 2, 2], &[0; 9]),
            labels.clone(),
            "trailing",
        ),
        ("header", vec![0, 0, 8, 3, 0, 0], labels.clone(), "header"),
        (
            "count",
            good.clone(),
            idx_bytes(0x801, &[3], &[0, 1, 2]),
            "3 labels",
        ),
        (
            "gzip",
            vec![0x1f, 0x8b, 8, 0, 1, 2, 3],
            labels.clone(),
            "gzip",
        ),
        ("empty", vec![], labels.clone(), "too short"),
    ];
    for (tag, images, labels, needle) in cases {
        let dir = temp_dir(&format!("idx-{tag}"));
        write_mnist(&dir, &images, &labels);
        let err = idx::read_mnist_dir(&dir).expect_err(tag).to_string();
        assert!(err.contains(needle), "{tag}: {err}");
        assert!(
            err.contains(&dir.display().to_string()),
            "{tag}: error names the file: {err}"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
    let missing = temp_dir("idx-missing");
    let err = idx::read_mnist_dir(&missing).unwrap_err().to_string();
    assert!(err.contains("train-images-idx3-ubyte"), "{err}");
    let _ = std::fs::remove_dir_all(missing);
}

// ---------------------------------------------------------------------------------------------
// npz files.

fn npy_f32(shape: &[usize], values: &[f32]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|n| n.to_string()).collect();
    let shape = if dims.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut h = format!("{{'descr': '<f4', 'fortran_order': False, 'shape': {shape}, }}");
    while (10 + h.len() + 1) % 64 != 0 {
        h.push(' ');
    }
    h.push('\n');
    let mut v = b"\x93NUMPY\x01\x00".to_vec();
    v.extend_from_slice(&(h.len() as u16).to_le_bytes());
    v.extend_from_slice(h.as_bytes());
    for x in values {
        v.extend_from_slice(&x.to_le_bytes());
    }
    v
}

fn write_npz(path: &Path, arrays: &[(&str, Vec<usize>)]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, shape) in arrays {
        let n: usize = shape.iter().product();
        let vals: Vec<f32> = (0..n).map(|i| i as f32 * 0.001).collect();
        z.start_file(format!("{name}.npy"), opts).unwrap();
        std::io::Write::write_all(&mut z, &npy_f32(shape, &vals)).unwrap();
    }
    z.finish().unwrap();
}

#[test]
fn npz_init_reads_and_checks_shapes() {
    let dir = temp_dir("npz");
    let sizes = [4, 3, 2];
    let ok = dir.join("ok.npz");
    write_npz(
        &ok,
        &[
            ("W1", vec![4, 3]),
            ("b1", vec![3]),
            ("W2", vec![3, 2]),
            ("b2", vec![2]),
        ],
    );
    let net = initial_network(&InitSpec::Npz(ok.clone()), &sizes).unwrap();
    assert_eq!(
        net.weights[0][(1, 2)],
        (5.0f32 * 0.001) as f64,
        "row-major (in × out)"
    );
    assert_eq!(net.biases[1][1], (0.001f32) as f64);

    let wrong = dir.join("wrong.npz");
    write_npz(
        &wrong,
        &[
            ("W1", vec![3, 4]),
            ("b1", vec![3]),
            ("W2", vec![3, 2]),
            ("b2", vec![2]),
        ],
    );
    let e = initial_network(&InitSpec::Npz(wrong), &sizes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("W1") && e.contains("[4, 3]"), "{e}");

    let bias = dir.join("bias.npz");
    write_npz(
        &bias,
        &[
            ("W1", vec![4, 3]),
            ("b1", vec![2]),
            ("W2", vec![3, 2]),
            ("b2", vec![2]),
        ],
    );
    let e = initial_network(&InitSpec::Npz(bias), &sizes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("b1"), "{e}");

    let missing = dir.join("missing.npz");
    write_npz(
        &missing,
        &[("W1", vec![4, 3]), ("b1", vec![3]), ("W2", vec![3, 2])],
    );
    let e = initial_network(&InitSpec::Npz(missing), &sizes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("b2"), "{e}");

    let garbage = dir.join("garbage.npz");
    std::fs::write(&garbage, b"not a zip at all").unwrap();
    let e = initial_network(&InitSpec::Npz(garbage), &sizes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("zip"), "{e}");

    let e = npz::read_npz(&dir.join("absent.npz"), &sizes)
        .unwrap_err()
        .to_string();
    assert!(e.contains("absent.npz"), "{e}");
    let _ = std::fs::remove_dir_all(dir);
}

// ---------------------------------------------------------------------------------------------
// Argument validation.

#[test]
fn invalid_configurations_are_errors() {
    let (data, net) = small();
    for cfg in [
        TrainConfig {
            k: 1,
            ..TrainConfig::default()
        },
        TrainConfig {
            eta: 0.0,
            ..TrainConfig::default()
        },
        TrainConfig {
            eta: -0.1,
            ..TrainConfig::default()
        },
        TrainConfig {
            eta: f64::NAN,
            ..TrainConfig::default()
        },
        TrainConfig {
            eta: f64::INFINITY,
            ..TrainConfig::default()
        },
    ] {
        assert!(
            Trainer::new(cfg, data.to_matrix::<f32>(), net.cast()).is_err(),
            "{cfg:?}"
        );
    }
    let wrong_input = initial_network(&InitSpec::Seed(0), &[100, 4]).unwrap();
    assert!(
        Trainer::new(
            TrainConfig::default(),
            data.to_matrix::<f32>(),
            wrong_input.cast()
        )
        .is_err()
    );
    assert!(initial_network(&InitSpec::Seed(0), &[784]).is_err());
    assert!(initial_network(&InitSpec::Seed(0), &[784, 0, 3]).is_err());
    assert!(
        initial_network(&InitSpec::Torch(0), &[784, 2, 3]).is_err(),
        "2×3 < 16: torch path not reproduced"
    );
}

// ---------------------------------------------------------------------------------------------
// The published histories (only where ../shared is present).

fn shared() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared")
}

fn read_csv(path: &Path) -> (Vec<String>, Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let mut first = Vec::new();
    let mut rows = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let mut cells = line.split(',');
        first.push(cells.next().unwrap().to_string());
        rows.push(cells.map(|c| c.parse::<f64>().unwrap()).collect());
    }
    (header, first, rows)
}

#[test]
fn reproduces_the_published_histories() {
    let mnist = shared().join("data/mnist-first100");
    let reference = shared().join("reference/ska-2503");
    if !mnist.join("train-images-idx3-ubyte").is_file() || !reference.is_dir() {
        eprintln!(
            "skipped: {} is absent (a fresh clone has no ../shared)",
            mnist.display()
        );
        return;
    }
    let all = idx::read_mnist_dir(&mnist).unwrap();
    let data = all.first_per_class(100).unwrap();
    assert_eq!(
        data.pixels, all.pixels,
        "the subset is already the first 100 per class"
    );
    let sizes = [784, 256, 128, 64, 10];
    let npz_net = initial_network(
        &InitSpec::Npz(reference.join("init-torch-seed42.npz")),
        &sizes,
    )
    .unwrap();
    let torch_net = initial_network(&InitSpec::Torch(42), &sizes).unwrap();
    for l in 0..4 {
        let e = max_rel(
            npz_net.weights[l].iter().copied(),
            torch_net.weights[l].iter().copied(),
        );
        eprintln!(
            "torch:42 vs npz, W{}: max deviation {e:.2e} of max |W|",
            l + 1
        );
        assert!(e < 1e-5, "W{}: {e}", l + 1);
    }
    let published = [
        "entropy_history.csv",
        "cosine_history.csv",
        "frobenius_history.csv",
        "weight_frobenius_history.csv",
        "tensor_net_history.csv",
        "output_neuron_activation.csv",
    ];
    for (name, net) in [("npz", &npz_net), ("torch:42", &torch_net)] {
        let r = run::run::<f32>(&data, net, TrainConfig::default(), &mut []).unwrap();
        let dir = temp_dir(&format!("repro-{}", name.replace(':', "")));
        output::write_histories(&dir, &r.history, &r.outputs).unwrap();
        for f in published {
            let (h_ref, first_ref, ref_rows) = read_csv(&reference.join(f));
            let (h_run, first_run, run_rows) = read_csv(&dir.join(f));
            assert_eq!(h_ref, h_run, "{f}: header");
            assert_eq!(first_ref, first_run, "{f}: first column");
            let e = max_rel(
                ref_rows.into_iter().flatten(),
                run_rows.into_iter().flatten(),
            );
            eprintln!("init {name:8} {f:32} max deviation {e:.2e} of the file's largest magnitude");
            assert!(e <= 1e-3, "{name} {f}: {e}");
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}

// ---------------------------------------------------------------------------------------------
// The command line.

fn cli() -> assert_cmd::Command {
    assert_cmd::Command::cargo_bin("ska-verify").unwrap()
}

#[test]
fn cli_train_writes_every_file() {
    let out = temp_dir("cli-ok");
    let run = cli()
        .args([
            "train",
            "--per-class",
            "3",
            "--k",
            "4",
            "--layers",
            "16,10",
            "--init",
            "seed:2",
            "--time",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let stdout = String::from_utf8(run.get_output().stdout.clone()).unwrap();
    assert!(stdout.contains("steps/s"), "{stdout}");
    for f in output::history_files().into_iter().chain(["summary.json"]) {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["termination"]["kind"], "completed");
    assert_eq!(summary["updates"], 3);
    let (header, rows, _) = read_csv(&out.join("frobenius_history.csv"));
    assert_eq!(header.last().unwrap(), "K=4");
    assert_eq!(rows, vec!["Layer 1", "Layer 2"]);
    let (header, _, _) = read_csv(&out.join("entropy_history.csv"));
    assert_eq!(header.last().unwrap(), "K=3");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn cli_train_rejects_bad_arguments_with_exit_2() {
    let out = temp_dir("cli-bad");
    let blocker = out.join("file");
    std::fs::write(&blocker, b"x").unwrap();
    let o = out.to_str().unwrap().to_string();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["--eta", "0"], "η"),
        (vec!["--eta", "-1"], "η"),
        (vec!["--eta", "NaN"], "η"),
        (vec!["--k", "1"], "K"),
        (vec!["--layers", ""], "--layers"),
        (vec!["--layers", "16,0"], "--layers"),
        (vec!["--init", "banana"], "--init"),
        (vec!["--init", "torch:x"], "--init"),
        (vec!["--variant", "backprop"], "local-exact"),
        (vec!["--per-class", "0"], "--per-class"),
        (vec!["--per-class", "1000000000"], "--per-class"),
        (vec!["--layers", "100000000,10"], "GiB"),
        (vec!["--mnist", "/nonexistent-ska-dir"], "no MNIST file"),
        (
            vec!["--init", "/nonexistent-ska.npz"],
            "nonexistent-ska.npz",
        ),
    ];
    for (extra, needle) in cases {
        let r = cli()
            .args(["train", "--per-class", "1", "--k", "3", "--out", &o])
            .args(&extra)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&r.stderr);
        assert_eq!(r.status.code(), Some(2), "{extra:?}: {err}");
        assert!(err.contains(needle), "{extra:?}: {err}");
    }
    let r = cli()
        .args(["train", "--per-class", "1", "--k", "3", "--out"])
        .arg(blocker.join("sub"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&r.stderr);
    assert_eq!(r.status.code(), Some(2), "{err}");
    assert!(err.contains("--out"), "{err}");
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn outside_changes_to_the_weights_are_seen_by_the_next_step() {
    let (data, net) = small();
    let cfg = TrainConfig {
        k: 10,
        eta: 0.05,
        rule: UpdateRule::Reference,
    };
    let mut tr = Trainer::new(cfg, data.to_matrix::<f64>(), net).unwrap();
    tr.step();
    tr.step();
    tr.network_mut().weights[0].scale_mut(3.0);
    let (w, b) = (
        tr.network().weights[0].clone(),
        tr.network().biases[0].clone(),
    );
    tr.step();
    let mut z = tr.data() * &w;
    for mut row in z.row_iter_mut() {
        row += b.transpose();
    }
    let e = max_rel(z.iter().copied(), tr.view().layer(0).z().iter().copied());
    assert!(e < 1e-12, "Z of layer 1 after changing W1: {e}");
}

#[test]
fn a_nan_weight_ends_the_run_with_a_named_reason() {
    let (data, mut net) = small();
    net.weights[1][(0, 0)] = f64::NAN;
    let r = run::run::<f32>(
        &data,
        &net,
        TrainConfig {
            k: 5,
            ..TrainConfig::default()
        },
        &mut [],
    )
    .unwrap();
    assert_eq!(
        r.termination,
        ska_verify::ska::Termination::NonFinite { iteration: 0 }
    );
    let ok = run::run::<f32>(
        &data,
        &small().1,
        TrainConfig {
            k: 5,
            ..TrainConfig::default()
        },
        &mut [],
    )
    .unwrap();
    assert_eq!(
        ok.termination,
        ska_verify::ska::Termination::Completed { iterations: 5 }
    );
}

#[test]
fn results_do_not_depend_on_the_thread_count() {
    // 1000 images × 256 neurons is large enough for the element-wise passes to be split.
    let runs: Vec<Vec<Vec<u8>>> = ["1", "2"]
        .iter()
        .map(|t| {
            let out = temp_dir(&format!("threads{t}"));
            let r = cli()
                .env("MATMUL_NUM_THREADS", t)
                .args([
                    "train", "--k", "4", "--layers", "256,10", "--init", "seed:3", "--out",
                ])
                .arg(&out)
                .output()
                .unwrap();
            assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
            let files = output::history_files()
                .iter()
                .map(|f| std::fs::read(out.join(f)).unwrap())
                .collect();
            let _ = std::fs::remove_dir_all(out);
            files
        })
        .collect();
    assert_eq!(runs[0], runs[1]);
}
