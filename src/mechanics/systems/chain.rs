//! A nonlinear chain of N coupled oscillators (discrete sine-Gordon on-site potential with
//! FPU-β nearest-neighbour springs, free ends).
//!
//! L = Σᵢ [½ m q̇ᵢ² − g (1 − cos qᵢ)] − Σᵢ₌₁^{N−1} [½ κ (qᵢ₊₁ − qᵢ)² + ¼ β (qᵢ₊₁ − qᵢ)⁴].
//!
//! EL: m q̈ᵢ = −g sin qᵢ + Fᵢ − Fᵢ₋₁ with the spring force Fᵢ = κ Δᵢ + β Δᵢ³, Δᵢ = qᵢ₊₁ − qᵢ
//! (F₀ = F_N = 0). The couplings vanish when all qᵢ are equal, so every qᵢ(t) = θ(t) with θ a
//! pendulum motion (θ̈ = −(g/m) sin θ) is an exact solution; the one used here is the
//! separatrix θ = 4 atan(e^{ω t}) − π, ω = √(g/m).

use super::pendulum::Separatrix;
use crate::mechanics::{Lagrangian, Trajectory};
use crate::scalar::Scalar;

/// The nonlinear chain of `n` coupled oscillators.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Chain {
    /// Number of oscillators N.
    pub n: usize,
    /// Mass m of each oscillator.
    pub mass: f64,
    /// On-site strength g.
    pub onsite: f64,
    /// Linear coupling κ.
    pub kappa: f64,
    /// Quartic coupling β.
    pub beta: f64,
}

impl Chain {
    /// A chain of `n` oscillators with m = 1, g = 1, κ = 1, β = 0.5.
    pub fn new(n: usize) -> Self {
        Self {
            n,
            mass: 1.0,
            onsite: 1.0,
            kappa: 1.0,
            beta: 0.5,
        }
    }

    /// The same Lagrangian in the expression language (`ska-verify check`, [`crate::expr`]):
    /// coordinate names `x1, ..., xN` and the text of L with this chain's parameters.
    ///
    /// ```
    /// use ska_verify::mechanics::systems::Chain;
    /// let (coords, l) = Chain::new(2).expression();
    /// assert_eq!(coords, ["x1", "x2"]);
    /// assert_eq!(l, "1*x1'^2/2 - 1*(1 - cos(x1)) + 1*x2'^2/2 - 1*(1 - cos(x2)) \
    ///                - (1*(x2 - x1)^2/2 + 0.5*(x2 - x1)^4/4)");
    /// ```
    pub fn expression(&self) -> (Vec<String>, String) {
        let coords: Vec<String> = (1..=self.n).map(|i| format!("x{i}")).collect();
        let (m, g, k, b) = (self.mass, self.onsite, self.kappa, self.beta);
        let mut l = coords
            .iter()
            .map(|c| format!("{m}*{c}'^2/2 - {g}*(1 - cos({c}))"))
            .collect::<Vec<_>>()
            .join(" + ");
        for w in coords.windows(2) {
            let d = format!("({} - {})", w[1], w[0]);
            l.push_str(&format!(" - ({k}*{d}^2/2 + {b}*{d}^4/4)"));
        }
        (coords, l)
    }

    /// The synchronous separatrix motion qᵢ(t) = 4 atan(e^{ω(t−t₀)}) − π for all i.
    pub fn exact_solution(&self, t0: f64) -> Synchronous {
        Synchronous {
            n: self.n,
            motion: Separatrix {
                omega: (self.onsite / self.mass).sqrt(),
                t0,
            },
        }
    }
}

impl Lagrangian for Chain {
    fn dof(&self) -> usize {
        self.n
    }
    fn lagrangian<D: Scalar>(&self, _t: D, q: &[D], qdot: &[D]) -> D {
        let mut kinetic = D::from(0.0);
        let mut onsite = D::from(0.0);
        for (&x, &v) in q.iter().zip(qdot) {
            kinetic += v * v;
            onsite += -x.cos() + 1.0;
        }
        let mut springs = D::from(0.0);
        for w in q.windows(2) {
            let d = w[1] - w[0];
            let d2 = d * d;
            springs += d2 * (0.5 * self.kappa) + d2 * d2 * (0.25 * self.beta);
        }
        kinetic * (0.5 * self.mass) - onsite * self.onsite - springs
    }
    fn name(&self) -> String {
        format!("nonlinear chain (N = {})", self.n)
    }
    fn is_time_independent(&self) -> bool {
        true
    }
}

/// All N coordinates following the same one-dimensional motion.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Synchronous {
    /// Number of coordinates.
    pub n: usize,
    /// The common motion.
    pub motion: Separatrix,
}

impl Trajectory for Synchronous {
    fn dof(&self) -> usize {
        self.n
    }
    fn position<D: Scalar>(&self, t: D) -> Vec<D> {
        vec![self.motion.position(t)[0]; self.n]
    }
}
