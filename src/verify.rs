//! The built-in checks behind `ska-verify verify`: every claim of the variational core, run on
//! seeded random trajectories, with a verdict and the evidence.
//!
//! Two kinds of claim per system:
//!
//! * **null** — "the Euler–Lagrange residual vanishes on every trajectory". Expected to hold for
//!   SKA and the built-in total derivative, and expected to be *refuted* for every control
//!   (oscillator, pendulum, Kepler, chain, magnetic field — including its velocity-linear form —
//!   and the time-dependent oscillator). A checker that called a control null would fail here.
//! * **solution** — "the exact solution solves the Euler–Lagrange equations", for every system
//!   that has one.
//!
//! The residual is measured relative to the two terms it is the difference of,
//! |d/dt ∂L/∂q̇| + |∂L/∂q|, norm-wise along each trajectory
//! ([`crate::mechanics::normwise_relative`]). Verdicts are sound by construction: `holds`
//! needs every sample below [`HOLDS_TOLERANCE`], `refuted` needs one sample above
//! [`REFUTE_THRESHOLD`] (that sample is reported), anything in between is `inconclusive`.
//!
//! A second section ([`causality`]) runs the causality checker of [`crate::ska::causality`] on the
//! synthetic digits: SKA's update is expected to depend on layer-local state only (no violation),
//! the backpropagation control is expected to be flagged.

use crate::mechanics::systems::*;
use crate::mechanics::trajectory::RandomTrajectory;
use crate::mechanics::{Lagrangian, Residual, Trajectory, euler_lagrange, normwise_relative};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

/// Largest relative residual for which "the residual is zero" counts as holding.
pub const HOLDS_TOLERANCE: f64 = 1e-12;
/// Smallest relative residual that refutes "the residual is zero".
pub const REFUTE_THRESHOLD: f64 = 1e-6;

/// What a check expects of its claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Expected {
    /// The claim is expected to be true.
    Holds,
    /// The claim is expected to be false.
    Refuted,
}

/// What the evidence says of a claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// Every sample is zero to [`HOLDS_TOLERANCE`].
    Holds,
    /// Some sample exceeds [`REFUTE_THRESHOLD`].
    Refuted,
    /// Neither.
    Inconclusive,
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Verdict::Holds => "holds",
            Verdict::Refuted => "refuted",
            Verdict::Inconclusive => "inconclusive",
        })
    }
}

/// Where a claim was contradicted: the time and the residual there.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Counterexample {
    /// Index of the random trajectory (0 for an exact solution).
    pub trajectory: usize,
    /// Time t.
    pub t: f64,
    /// The residual vector r(t).
    pub residual: Vec<f64>,
}

/// One checked claim.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    /// System name.
    pub system: String,
    /// The claim, in words.
    pub claim: String,
    /// What the claim is expected to be.
    pub expected: Expected,
    /// What the evidence says.
    pub verdict: Verdict,
    /// Largest relative residual over every sample.
    pub max_relative_residual: f64,
    /// Number of trajectories tried.
    pub trajectories: usize,
    /// Seed of the random trajectories.
    pub seed: u64,
    /// The sample with the largest residual, when the verdict is `refuted`.
    pub counterexample: Option<Counterexample>,
    /// Whether the verdict matches the expectation.
    pub ok: bool,
}

/// Options of a [`run`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    /// Random trajectories per null check.
    pub trajectories: usize,
    /// Sample times per trajectory, uniform in [−1, 1].
    pub times_per_trajectory: usize,
    /// Seed.
    pub seed: u64,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            trajectories: 256,
            times_per_trajectory: 8,
            seed: 42,
        }
    }
}

fn verdict_of(max_rel: f64) -> Verdict {
    if max_rel <= HOLDS_TOLERANCE {
        Verdict::Holds
    } else if max_rel > REFUTE_THRESHOLD {
        Verdict::Refuted
    } else {
        Verdict::Inconclusive
    }
}

/// Largest relative residual over samples, with the sample where it occurred.
struct Worst {
    rel: f64,
    at: Option<(usize, Residual)>,
}

impl Worst {
    fn new() -> Self {
        Self { rel: 0.0, at: None }
    }
    /// Record the samples of trajectory `k`.
    fn update(&mut self, k: usize, samples: Vec<Residual>) {
        let rel = normwise_relative(&samples);
        // NaN counts as the worst possible sample, never as zero.
        let rel = if rel.is_nan() { f64::INFINITY } else { rel };
        if self.at.is_none() || rel > self.rel {
            self.rel = rel;
            let worst = samples
                .into_iter()
                .max_by(|a, b| a.max_abs().total_cmp(&b.max_abs()));
            self.at = worst.map(|r| (k, r));
        }
    }
    fn into_check(
        self,
        system: String,
        claim: &str,
        expected: Expected,
        trajectories: usize,
        seed: u64,
    ) -> Check {
        let verdict = verdict_of(self.rel);
        let counterexample = match (verdict, self.at) {
            (Verdict::Refuted, Some((k, r))) => Some(Counterexample {
                trajectory: k,
                t: r.t,
                residual: r.residual,
            }),
            _ => None,
        };
        let ok = matches!(
            (expected, verdict),
            (Expected::Holds, Verdict::Holds) | (Expected::Refuted, Verdict::Refuted)
        );
        Check {
            system,
            claim: claim.to_string(),
            expected,
            verdict,
            max_relative_residual: self.rel,
            trajectories,
            seed,
            counterexample,
            ok,
        }
    }
}

/// Check "the EL residual vanishes on every trajectory" for `lag` on random trajectories.
pub fn check_null<L: Lagrangian>(lag: &L, expected: Expected, opts: &Options, scale: f64) -> Check {
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let mut worst = Worst::new();
    for k in 0..opts.trajectories {
        let traj = RandomTrajectory::draw(&mut rng, lag.dof(), scale);
        let samples = (0..opts.times_per_trajectory)
            .map(|_| euler_lagrange(lag, &traj, rng.random_range(-1.0..=1.0)))
            .collect();
        worst.update(k, samples);
    }
    worst.into_check(
        lag.name(),
        "EL residual ≡ 0 on random trajectories (null Lagrangian)",
        expected,
        opts.trajectories,
        opts.seed,
    )
}

/// Check "the given exact solution solves the EL equations" at times uniform in [t0, t1].
pub fn check_solution<L: Lagrangian, T: Trajectory>(
    lag: &L,
    solution: &T,
    span: (f64, f64),
    opts: &Options,
) -> Check {
    let mut worst = Worst::new();
    let n = 64;
    let samples = (0..=n)
        .map(|i| {
            euler_lagrange(
                lag,
                solution,
                span.0 + (span.1 - span.0) * i as f64 / n as f64,
            )
        })
        .collect();
    worst.update(0, samples);
    worst.into_check(
        lag.name(),
        "exact solution solves the EL equations",
        Expected::Holds,
        1,
        opts.seed,
    )
}

/// Every built-in check, in a fixed order.
pub fn run(opts: &Options) -> Vec<Check> {
    use Expected::{Holds, Refuted};
    let ho = HarmonicOscillator {
        mass: 2.0,
        stiffness: 3.0,
    };
    let fp = FreeParticle::default();
    let pe = Pendulum::default();
    let ke = Kepler::default();
    let ch = Chain::new(8);
    let cp = ChargedParticle::default();
    let cv = ChargedParticle::velocity_linear(2.0);
    let dm = DampedOscillator::default();
    vec![
        // Null Lagrangians.
        check_null(&SkaNeuron, Holds, opts, 4.0),
        check_null(&SkaLayer { n: 8 }, Holds, opts, 4.0),
        check_null(&TotalDerivative, Holds, opts, 1.5),
        // Controls: not null.
        check_null(&ho, Refuted, opts, 1.0),
        check_null(&fp, Refuted, opts, 1.0),
        check_null(&pe, Refuted, opts, 1.0),
        check_null(&ke, Refuted, opts, 0.3),
        check_null(&ch, Refuted, opts, 1.0),
        check_null(&cp, Refuted, opts, 1.0),
        check_null(&cv, Refuted, opts, 1.0),
        check_null(&dm, Refuted, opts, 1.0),
        // Exact solutions.
        check_solution(&SkaNeuron, &SkaNeuron.exact_solution(), (-3.0, 3.0), opts),
        check_solution(&ho, &ho.exact_solution(1.3, 0.4), (-5.0, 5.0), opts),
        check_solution(
            &fp,
            &fp.exact_solution(vec![1.0, -2.0, 0.5], vec![0.3, 0.1, -1.0]),
            (-5.0, 5.0),
            opts,
        ),
        check_solution(&pe, &pe.exact_solution(0.2), (-1.5, 1.5), opts),
        check_solution(&ke, &ke.exact_solution(1.5, 0.6), (0.0, 12.0), opts),
        check_solution(&ch, &ch.exact_solution(0.1), (-3.0, 3.0), opts),
        check_solution(
            &cp,
            &cp.exact_solution([0.5, -1.0], 2.0, 0.3),
            (-5.0, 5.0),
            opts,
        ),
        check_solution(&dm, &dm.exact_solution(1.0, 0.2), (0.0, 10.0), opts),
    ]
}

/// The report as an aligned text table.
pub fn table(checks: &[Check]) -> String {
    let mut rows = vec![[
        "system".to_string(),
        "claim".to_string(),
        "expected".to_string(),
        "verdict".to_string(),
        "max rel. residual".to_string(),
        "trajectories".to_string(),
        "seed".to_string(),
        "".to_string(),
    ]];
    for c in checks {
        rows.push([
            c.system.clone(),
            c.claim.clone(),
            format!("{:?}", c.expected).to_lowercase(),
            c.verdict.to_string(),
            format!("{:.2e}", c.max_relative_residual),
            c.trajectories.to_string(),
            c.seed.to_string(),
            if c.ok {
                "ok".into()
            } else {
                "UNEXPECTED".into()
            },
        ]);
    }
    let widths: Vec<usize> = (0..8)
        .map(|j| rows.iter().map(|r| r[j].chars().count()).max().unwrap_or(0))
        .collect();
    let mut s = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .map(|(c, &w)| format!("{c}{}", " ".repeat(w - c.chars().count())))
            .collect();
        s.push_str(line.join("  ").trim_end());
        s.push('\n');
    }
    s
}

/// One causal-structure check of a trainer (second section of `ska-verify verify`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CausalityCheck {
    /// Trainer name.
    pub trainer: String,
    /// Data and network.
    pub data: String,
    /// The claim, in words.
    pub claim: String,
    /// Expected verdict (holds for SKA; refuted for the backprop control).
    pub expected: Expected,
    /// What the checker found.
    pub verdict: Verdict,
    /// Number of violations (iteration, layer, check).
    pub violations: usize,
    /// Iterations with an update that were checked.
    pub iterations: usize,
    /// Largest |∂ΔW^(l)/∂W^(m)| over m > l and |∂ΔW/∂Y| (0 for a causal rule).
    pub max_downstream_sensitivity: f64,
    /// Whether the verdict matches the expectation.
    pub ok: bool,
}

/// Iterations of the causality rows (the prefix check costs ≈ K²/2 steps).
pub const CAUSALITY_K: usize = 5;

/// The causality checks on the synthetic digits (784-256-128-64-10, torch:42, η = 0.01, f32):
/// SKA is expected causal, the backprop control is expected to be flagged.
pub fn causality(seed: u64) -> Vec<CausalityCheck> {
    use crate::ska::causality::{CheckOptions, TrainerKind, check_trainer};
    use crate::ska::data::synthetic::{DEFAULT_PER_CLASS, synthetic};
    use crate::ska::init::{InitSpec, initial_network};
    let data = synthetic(DEFAULT_PER_CLASS, 0);
    let sizes = [data.features(), 256, 128, 64, 10];
    let config = crate::ska::TrainConfig {
        k: CAUSALITY_K,
        ..crate::ska::TrainConfig::default()
    };
    let opts = CheckOptions {
        seed,
        ..CheckOptions::default()
    };
    let claim = "ΔW^(l)_k depends on layer l's local state only (checks a–d, every k and l)";
    [
        (TrainerKind::Ska, Expected::Holds),
        (TrainerKind::Backprop, Expected::Refuted),
    ]
    .into_iter()
    .map(|(kind, expected)| {
        let report = initial_network(&InitSpec::Torch(42), &sizes)
            .and_then(|net| check_trainer::<f32>(kind, &data, &net, config, &opts));
        let label = format!("{}, layers {:?}", data.source, sizes);
        match report {
            Ok(r) => {
                let verdict = if r.violations.is_empty() {
                    Verdict::Holds
                } else {
                    Verdict::Refuted
                };
                let down = r
                    .dependency_matrix
                    .iter()
                    .enumerate()
                    .flat_map(|(l, row)| row.iter().skip(l + 1).copied())
                    .chain(r.label_dependency.iter().copied())
                    .fold(0.0f64, f64::max);
                CausalityCheck {
                    trainer: r.trainer.clone(),
                    data: label,
                    claim: claim.into(),
                    expected,
                    verdict,
                    violations: r.violations.len(),
                    iterations: r.iterations.len(),
                    max_downstream_sensitivity: down,
                    ok: (verdict == Verdict::Holds) == (expected == Expected::Holds),
                }
            }
            Err(e) => CausalityCheck {
                trainer: format!("{kind:?}"),
                data: label,
                claim: format!("{claim}: error {e}"),
                expected,
                verdict: Verdict::Inconclusive,
                violations: 0,
                iterations: 0,
                max_downstream_sensitivity: f64::NAN,
                ok: false,
            },
        }
    })
    .collect()
}

/// The causality section as an aligned text table.
pub fn causality_table(checks: &[CausalityCheck]) -> String {
    let mut rows = vec![
        [
            "trainer",
            "claim",
            "expected",
            "verdict",
            "violations",
            "iterations",
            "max |dΔW/dW(m>l)|, |dΔW/dY|",
            "",
        ]
        .map(String::from)
        .to_vec(),
    ];
    for c in checks {
        rows.push(vec![
            c.trainer.clone(),
            c.claim.clone(),
            format!("{:?}", c.expected).to_lowercase(),
            c.verdict.to_string(),
            c.violations.to_string(),
            c.iterations.to_string(),
            format!("{:.2e}", c.max_downstream_sensitivity),
            if c.ok {
                "ok".into()
            } else {
                "UNEXPECTED".into()
            },
        ]);
    }
    crate::ska::causality::report::align(&rows)
}

/// The proof files of `proofs/` (see [`crate::proof`]), as `verify` runs them.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProofSection {
    /// The directory checked, if one was found.
    pub dir: Option<String>,
    /// Every claim of every file.
    pub claims: Vec<crate::proof::ClaimReport>,
    /// Files that could not be read or parsed, with the error.
    pub errors: Vec<String>,
    /// Whether every claim came out as expected and every file parsed.
    pub ok: bool,
}

/// Check the proof files of [`crate::proof::default_dir`] (`./proofs`, else the source tree's).
/// No directory found is not a failure; the section says so.
pub fn run_proofs(seed: u64) -> ProofSection {
    let opts = crate::proof::Options {
        seed,
        ..crate::proof::Options::default()
    };
    let Some(dir) = crate::proof::default_dir() else {
        return ProofSection {
            dir: None,
            claims: Vec::new(),
            errors: Vec::new(),
            ok: true,
        };
    };
    let mut claims = Vec::new();
    let mut errors = Vec::new();
    match crate::proof::collect_files(&[&dir]) {
        Ok(files) => {
            for f in files {
                match crate::proof::check_file(&f, &opts) {
                    Ok(c) => claims.extend(c),
                    Err(e) => errors.push(e.to_string()),
                }
            }
        }
        Err(e) => errors.push(e.to_string()),
    }
    let ok = errors.is_empty() && claims.iter().all(|c| c.ok);
    ProofSection {
        dir: Some(dir.display().to_string()),
        claims,
        errors,
        ok,
    }
}
