//! Initial parameters: seeded, torch-compatible, or read from an `.npz` file.
//!
//! Every generator draws W^(l) = 0.01·N(0, 1) entry by entry in row-major (in × out) order,
//! layer after layer, with b^(l) = 0 — the published initialisation:
//!
//! * `seed:S` — ChaCha8 seeded with S (`rand_chacha`, stable across platforms and versions),
//!   uniforms in [0, 1) as f64 and Box–Muller pairs: r = √(−2 ln(1 − u₁)), n₁ = r cos 2πu₂,
//!   n₂ = r sin 2πu₂;
//! * `torch:S` — the values of `torch.manual_seed(S); 0.01 * torch.randn(in, out)` per layer
//!   ([`torch`]; the published init is `torch:42`);
//! * `FILE.npz` — arrays `W1..WL`, `b1..bL` ([`npz`]).

pub mod npz;
pub mod torch;

use super::network::{Network, validate_sizes};
use crate::error::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::fmt;
use std::path::PathBuf;
use std::str::FromStr;

/// Scale of the initial weights: W = 0.01·N(0, 1).
pub const WEIGHT_SCALE: f64 = 0.01;

/// Where the initial parameters come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InitSpec {
    /// ChaCha8 + Box–Muller with this seed.
    Seed(u64),
    /// torch-compatible `manual_seed(S)` + `randn`.
    Torch(u64),
    /// An `.npz` file.
    Npz(PathBuf),
}

impl Default for InitSpec {
    /// The published init, `torch:42`.
    fn default() -> Self {
        InitSpec::Torch(42)
    }
}

impl fmt::Display for InitSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InitSpec::Seed(s) => write!(f, "seed:{s}"),
            InitSpec::Torch(s) => write!(f, "torch:{s}"),
            InitSpec::Npz(p) => write!(f, "{}", p.display()),
        }
    }
}

impl FromStr for InitSpec {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = |reason: String| Error::Invalid {
            what: format!("--init `{s}`"),
            reason,
        };
        let seed = |t: &str| {
            t.parse::<u64>()
                .map_err(|_| bad(format!("`{t}` is not a seed (a non-negative integer)")))
        };
        if let Some(t) = s.strip_prefix("seed:") {
            Ok(InitSpec::Seed(seed(t)?))
        } else if let Some(t) = s.strip_prefix("torch:") {
            Ok(InitSpec::Torch(seed(t)?))
        } else if s.ends_with(".npz") {
            Ok(InitSpec::Npz(PathBuf::from(s)))
        } else {
            Err(bad(
                "use seed:S, torch:S or a FILE.npz (e.g. --init torch:42)".into(),
            ))
        }
    }
}

/// Builds the initial network for the widths `sizes` (n_0 = input features, ..., n_L).
pub fn initial_network(spec: &InitSpec, sizes: &[usize]) -> Result<Network<f64>> {
    validate_sizes(sizes)?;
    let layers = sizes.len() - 1;
    let zero_biases = || (1..=layers).map(|l| DVector::zeros(sizes[l])).collect();
    match spec {
        InitSpec::Seed(seed) => {
            let mut rng = ChaCha8Rng::seed_from_u64(*seed);
            let weights = (1..=layers)
                .map(|l| {
                    let n = sizes[l - 1] * sizes[l];
                    let v = box_muller(&mut rng, n);
                    DMatrix::from_row_iterator(
                        sizes[l - 1],
                        sizes[l],
                        v.into_iter().map(|x| WEIGHT_SCALE * x),
                    )
                })
                .collect();
            Network::new(sizes, weights, zero_biases())
        }
        InitSpec::Torch(seed) => {
            let mut g = torch::Mt19937::new(*seed);
            let mut weights = Vec::with_capacity(layers);
            for l in 1..=layers {
                let v = torch::randn(&mut g, sizes[l - 1] * sizes[l])?;
                // torch multiplies the float32 tensor by the Python float 0.01 in float32.
                let scale = WEIGHT_SCALE as f32;
                weights.push(DMatrix::from_row_iterator(
                    sizes[l - 1],
                    sizes[l],
                    v.into_iter().map(|x| (x * scale) as f64),
                ));
            }
            Network::new(sizes, weights, zero_biases())
        }
        InitSpec::Npz(path) => {
            let (w, b) = npz::read_npz(path, sizes)?;
            Network::new(sizes, w, b)
        }
    }
}

/// `n` standard normals from Box–Muller pairs on f64 uniforms.
fn box_muller(rng: &mut ChaCha8Rng, n: usize) -> Vec<f64> {
    let mut out = Vec::with_capacity(n + 1);
    while out.len() < n {
        let u1: f64 = rng.random();
        let u2: f64 = rng.random();
        let r = (-2.0 * (1.0 - u1).ln()).sqrt();
        let t = 2.0 * std::f64::consts::PI * u2;
        out.push(r * t.cos());
        out.push(r * t.sin());
    }
    out.truncate(n);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse() {
        assert_eq!("seed:7".parse::<InitSpec>().unwrap(), InitSpec::Seed(7));
        assert_eq!("torch:42".parse::<InitSpec>().unwrap(), InitSpec::Torch(42));
        assert_eq!(
            "w.npz".parse::<InitSpec>().unwrap(),
            InitSpec::Npz(PathBuf::from("w.npz"))
        );
        for bad in ["torch:x", "seed:-1", "weights.txt", ""] {
            assert!(bad.parse::<InitSpec>().is_err(), "{bad}");
        }
    }

    #[test]
    fn seeded_init_is_deterministic_and_scaled() {
        let a = initial_network(&InitSpec::Seed(3), &[20, 8, 4]).unwrap();
        let b = initial_network(&InitSpec::Seed(3), &[20, 8, 4]).unwrap();
        let c = initial_network(&InitSpec::Seed(4), &[20, 8, 4]).unwrap();
        assert_eq!(a, b);
        assert_ne!(a, c);
        let w = &a.weights[0];
        let rms = (w.iter().map(|x| x * x).sum::<f64>() / w.len() as f64).sqrt();
        assert!(rms > 0.005 && rms < 0.015, "rms {rms}");
        assert!(a.biases.iter().all(|b| b.iter().all(|&x| x == 0.0)));
    }
}

#[cfg(test)]
mod torch_tests {
    use super::*;

    /// The first values of W1, W2 and W4 and the last of W1 in the published
    /// `init-torch-seed42.npz` (`torch.manual_seed(42)`, `0.01 * torch.randn(in, out)` per layer).
    #[test]
    fn torch_42_reproduces_the_published_init() {
        let net = initial_network(&InitSpec::Torch(42), &[784, 256, 128, 64, 10]).unwrap();
        let w = &net.weights;
        // The float32 values, printed exactly as f64.
        let expected: [(usize, usize, usize, f64); 12] = [
            (0, 0, 0, 0.019269151613116264),
            (0, 0, 1, 0.014872840605676174),
            (0, 0, 2, 0.009007171727716923),
            (0, 0, 3, -0.021055208519101143),
            (0, 0, 4, 0.006784184370189905),
            (0, 0, 5, -0.012345448136329651),
            (0, 783, 255, 0.006817726884037256),
            (1, 0, 0, -0.013175343163311481),
            (1, 0, 1, 0.006043913308531046),
            (1, 255, 127, 0.012349686585366726),
            (3, 0, 0, -0.0044439444318413734),
            (3, 63, 9, -0.012064065784215927),
        ];
        for (l, i, j, v) in expected {
            let got = w[l][(i, j)] as f32;
            // torch evaluates ln/sin/cos with float32 approximations: allow 4 float32 ulps.
            let v = v as f32;
            let ulps = (got.to_bits() as i64 - v.to_bits() as i64).abs();
            assert!(
                ulps <= 4,
                "W{}[{i},{j}] = {got}, torch has {v} ({ulps} ulps)",
                l + 1
            );
        }
    }
}
