//! The [`Trajectory`] trait and seeded random trajectory families.
//!
//! A trajectory q(t) is also written once, generic over the scalar: evaluating it on a
//! second-order dual number in t gives q, q̇ and q̈ exactly, which is how the Euler–Lagrange
//! residual is formed without finite differences.
//!
//! Random families (polynomials, Fourier series and their sums) are drawn from a seeded
//! ChaCha generator, so the same seed gives the same trajectories, bit for bit.

use crate::scalar::Scalar;
use num_dual::Dual2_64;
use rand::Rng;

/// A curve q(t) in configuration space, generic over the scalar.
pub trait Trajectory {
    /// Number of components of q.
    fn dof(&self) -> usize;

    /// q(t), with exactly `dof()` components.
    fn position<D: Scalar>(&self, t: D) -> Vec<D>;
}

impl<T: Trajectory + ?Sized> Trajectory for &T {
    fn dof(&self) -> usize {
        (**self).dof()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        (**self).position(t)
    }
}

/// Position, velocity and acceleration of a trajectory at one time.
#[derive(Debug, Clone, PartialEq)]
pub struct Jet {
    /// Time t.
    pub t: f64,
    /// q(t).
    pub q: Vec<f64>,
    /// q̇(t).
    pub qdot: Vec<f64>,
    /// q̈(t).
    pub qddot: Vec<f64>,
}

/// q, q̇, q̈ at `t`, from one evaluation of the trajectory on a second-order dual number.
pub fn jet<T: Trajectory + ?Sized>(traj: &T, t: f64) -> Jet {
    let x = traj.position(Dual2_64::from_re(t).derivative());
    Jet {
        t,
        q: x.iter().map(|v| v.re).collect(),
        qdot: x.iter().map(|v| v.v1).collect(),
        qddot: x.iter().map(|v| v.v2).collect(),
    }
}

/// A polynomial trajectory q_i(t) = Σ_k c_{ik} t^k.
#[derive(Debug, Clone, PartialEq)]
pub struct Polynomial {
    /// `coefficients[i][k]` multiplies t^k in component i.
    pub coefficients: Vec<Vec<f64>>,
}

impl Polynomial {
    /// A random polynomial of the given degree per component, coefficients uniform in
    /// [−scale, scale].
    pub fn random<R: Rng + ?Sized>(rng: &mut R, dof: usize, degree: usize, scale: f64) -> Self {
        let coefficients = (0..dof)
            .map(|_| {
                (0..=degree)
                    .map(|_| rng.random_range(-scale..=scale))
                    .collect()
            })
            .collect();
        Self { coefficients }
    }
}

impl Trajectory for Polynomial {
    fn dof(&self) -> usize {
        self.coefficients.len()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        self.coefficients
            .iter()
            .map(|c| {
                // Horner's scheme.
                c.iter().rev().fold(D::from(0.0), |acc, &ck| acc * t + ck)
            })
            .collect()
    }
}

/// A Fourier series q_i(t) = a_{i0} + Σ_k (a_{ik} cos(kωt) + b_{ik} sin(kωt)).
#[derive(Debug, Clone, PartialEq)]
pub struct Fourier {
    /// Fundamental angular frequency ω.
    pub omega: f64,
    /// `cos[i][k]` = a_{ik} (k = 0 is the constant term).
    pub cos: Vec<Vec<f64>>,
    /// `sin[i][k]` = b_{ik} (k = 0 unused, kept for symmetry).
    pub sin: Vec<Vec<f64>>,
}

impl Fourier {
    /// A random series with `harmonics` terms per component, amplitudes uniform in
    /// [−scale, scale] divided by the harmonic number, ω uniform in [0.5, 2].
    pub fn random<R: Rng + ?Sized>(rng: &mut R, dof: usize, harmonics: usize, scale: f64) -> Self {
        let omega = rng.random_range(0.5..=2.0);
        let mut cos = Vec::with_capacity(dof);
        let mut sin = Vec::with_capacity(dof);
        for _ in 0..dof {
            let mut a = Vec::with_capacity(harmonics + 1);
            let mut b = Vec::with_capacity(harmonics + 1);
            for k in 0..=harmonics {
                let w = scale / (k.max(1) as f64);
                a.push(rng.random_range(-w..=w));
                b.push(if k == 0 {
                    0.0
                } else {
                    rng.random_range(-w..=w)
                });
            }
            cos.push(a);
            sin.push(b);
        }
        Self { omega, cos, sin }
    }
}

impl Trajectory for Fourier {
    fn dof(&self) -> usize {
        self.cos.len()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        self.cos
            .iter()
            .zip(&self.sin)
            .map(|(a, b)| {
                let mut acc = D::from(a[0]);
                for k in 1..a.len() {
                    let (s, c) = (t * (self.omega * k as f64)).sin_cos();
                    acc += c * a[k] + s * b[k];
                }
                acc
            })
            .collect()
    }
}

/// The componentwise sum of two trajectories.
#[derive(Debug, Clone, PartialEq)]
pub struct Sum<A, B>(pub A, pub B);

impl<A: Trajectory, B: Trajectory> Trajectory for Sum<A, B> {
    fn dof(&self) -> usize {
        self.0.dof()
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        let mut x = self.0.position(t);
        for (xi, yi) in x.iter_mut().zip(self.1.position(t)) {
            *xi += yi;
        }
        x
    }
}

/// A random trajectory of one of the three families, for property tests and `verify`.
#[derive(Debug, Clone, PartialEq)]
pub enum RandomTrajectory {
    /// A polynomial of degree 2 to 5 (never a straight line, which would solve the free
    /// particle by accident).
    Polynomial(Polynomial),
    /// A Fourier series with ≤ 4 harmonics.
    Fourier(Fourier),
    /// Polynomial plus Fourier series.
    Sum(Sum<Polynomial, Fourier>),
}

impl RandomTrajectory {
    /// Draw a trajectory: the family, degree and harmonics are random too. `scale` bounds the
    /// coefficients (so |q| stays of order `scale` on t ∈ [−1, 1]).
    pub fn draw<R: Rng + ?Sized>(rng: &mut R, dof: usize, scale: f64) -> Self {
        let degree = rng.random_range(2..=5);
        let harmonics = rng.random_range(1..=4);
        match rng.random_range(0..3) {
            0 => Self::Polynomial(Polynomial::random(rng, dof, degree, scale)),
            1 => Self::Fourier(Fourier::random(rng, dof, harmonics, scale)),
            _ => Self::Sum(Sum(
                Polynomial::random(rng, dof, degree, scale / 2.0),
                Fourier::random(rng, dof, harmonics, scale / 2.0),
            )),
        }
    }
}

impl Trajectory for RandomTrajectory {
    fn dof(&self) -> usize {
        match self {
            Self::Polynomial(p) => p.dof(),
            Self::Fourier(f) => f.dof(),
            Self::Sum(s) => s.dof(),
        }
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        match self {
            Self::Polynomial(p) => p.position(t),
            Self::Fourier(f) => f.position(t),
            Self::Sum(s) => s.position(t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    #[test]
    fn polynomial_jet_is_exact() {
        // q = 1 + 2t + 3t²: q(2) = 17, q̇ = 14, q̈ = 6.
        let p = Polynomial {
            coefficients: vec![vec![1.0, 2.0, 3.0]],
        };
        let j = jet(&p, 2.0);
        assert_eq!((j.q[0], j.qdot[0], j.qddot[0]), (17.0, 14.0, 6.0));
    }

    #[test]
    fn fourier_jet_is_exact() {
        let f = Fourier {
            omega: 2.0,
            cos: vec![vec![0.5, 1.0]],
            sin: vec![vec![0.0, 3.0]],
        };
        let t = 0.3_f64;
        let j = jet(&f, t);
        let (s, c) = (2.0 * t).sin_cos();
        assert!((j.q[0] - (0.5 + c + 3.0 * s)).abs() < 1e-15);
        assert!((j.qdot[0] - (-2.0 * s + 6.0 * c)).abs() < 1e-15);
        assert!((j.qddot[0] - (-4.0 * c - 12.0 * s)).abs() < 1e-14);
    }

    #[test]
    fn same_seed_same_bits() {
        let a = RandomTrajectory::draw(&mut ChaCha8Rng::seed_from_u64(7), 3, 1.0);
        let b = RandomTrajectory::draw(&mut ChaCha8Rng::seed_from_u64(7), 3, 1.0);
        assert_eq!(a, b);
        let c = RandomTrajectory::draw(&mut ChaCha8Rng::seed_from_u64(8), 3, 1.0);
        assert_ne!(a, c);
    }
}
