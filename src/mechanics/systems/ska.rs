//! The SKA Lagrangian, one neuron and n neurons (seed paper eq. 5).
//!
//! L(z, ż) = −z σ(z)(1−σ(z)) ż, and for a layer L = −Σᵢ zᵢ σ(zᵢ)(1−σ(zᵢ)) żᵢ.
//!
//! It is a total time derivative: L = dF/dt with F(z) = softplus(z) − z σ(z), because
//! F′(z) = σ(z) − σ(z) − z σ′(z) = −z σ(z)(1−σ(z)). F equals ln 2 times the Shannon entropy (in
//! bits) of a Bernoulli(σ(z)) decision. Hence its Euler–Lagrange residual vanishes identically,
//! for every trajectory (every trajectory is an "exact solution"), its energy function
//! ż ∂L/∂ż − L is identically 0, its mass matrix is 0 (degenerate), and its action depends on
//! the end points only.

use crate::mechanics::Lagrangian;
use crate::mechanics::trajectory::Fourier;
use crate::scalar::{Scalar, sigmoid, sigmoid_prime, softplus};

/// One SKA neuron: L = −z σ(z)(1−σ(z)) ż.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct SkaNeuron;

/// A layer of n independent SKA neurons: L = −Σᵢ zᵢ σ(zᵢ)(1−σ(zᵢ)) żᵢ.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SkaLayer {
    /// Number of neurons n.
    pub n: usize,
}

/// The SKA potential F(z) = softplus(z) − z σ(z), with L = dF/dt.
///
/// F is even (F(−z) = softplus(z) − z + z(1 − σ(z)) = F(z)), so it is evaluated as
/// F(a) = softplus(−a) + a σ(−a) with a = |z|: two positive terms, no cancellation (the
/// literal form loses ~|z|/F digits, 1e-12 relative already at z = 9).
pub fn ska_potential<D: Scalar>(z: D) -> D {
    let a = if z.re() >= 0.0 { z } else { -z };
    softplus(-a) + a * sigmoid(-a)
}

/// One neuron's term −z σ′(z) ż.
#[inline]
fn term<D: Scalar>(z: D, zdot: D) -> D {
    -z * sigmoid_prime(z) * zdot
}

impl Lagrangian for SkaNeuron {
    fn dof(&self) -> usize {
        1
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        term(q[0], qdot[0])
    }
    fn name(&self) -> String {
        "SKA neuron".into()
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

impl Lagrangian for SkaLayer {
    fn dof(&self) -> usize {
        self.n
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        q.iter()
            .zip(qdot)
            .fold(D::from(0.0), |acc, (&z, &zd)| acc + term(z, zd))
    }
    fn name(&self) -> String {
        format!("SKA layer (n = {})", self.n)
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

impl SkaNeuron {
    /// A solution: every trajectory is one (the Euler–Lagrange equation is 0 = 0); this one is
    /// z(t) = sin t + 0.5 cos 3t.
    pub fn exact_solution(&self) -> Fourier {
        Fourier {
            omega: 1.0,
            cos: vec![vec![0.0, 0.0, 0.0, 0.5]],
            sin: vec![vec![0.0, 1.0, 0.0, 0.0]],
        }
    }
}

impl SkaLayer {
    /// A solution (any trajectory is one): zᵢ(t) = sin((i+1)t)·(1 + i/n).
    pub fn exact_solution(&self) -> Fourier {
        let mut cos = Vec::new();
        let mut sin = Vec::new();
        for i in 0..self.n {
            cos.push(vec![0.0; i + 2]);
            let mut b = vec![0.0; i + 2];
            b[i + 1] = 1.0 + i as f64 / self.n as f64;
            sin.push(b);
        }
        Fourier {
            omega: 1.0,
            cos,
            sin,
        }
    }
}
