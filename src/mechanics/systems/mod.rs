//! Built-in systems, each with its Lagrangian documented and, where one exists, its exact
//! solution as a [`Trajectory`](crate::mechanics::Trajectory).
//!
//! | system | L | null? | regular? |
//! |---|---|---|---|
//! | [`SkaNeuron`], [`SkaLayer`] | −Σ zσ(z)(1−σ(z))ż | yes (dF/dt) | no (M = 0) |
//! | [`HarmonicOscillator`] | ½mq̇² − ½kq² | no | yes |
//! | [`FreeParticle`] | ½m\|q̇\|² | no | yes |
//! | [`Pendulum`] | ½ml²θ̇² + mgl cos θ | no | yes |
//! | [`Kepler`] | ½m\|q̇\|² + mμ/r | no | yes |
//! | [`Chain`] | sine-Gordon + FPU-β chain | no | yes |
//! | [`ChargedParticle`] | ½m\|q̇\|² + (qB/2)(xẏ − yẋ) | no (even at m = 0) | m > 0 |
//! | [`DampedOscillator`] | e^{γt}(½mq̇² − ½kq²) | no | yes |
//! | [`TotalDerivative`] | d/dt(y sin x + t x² + y cos t) | yes | no |

mod chain;
mod damped;
mod kepler;
mod magnetic;
mod oscillator;
mod pendulum;
mod ska;
mod total_derivative;

pub use chain::{Chain, Synchronous};
pub use damped::{DampedCosine, DampedOscillator};
pub use kepler::{Kepler, KeplerOrbit};
pub use magnetic::{ChargedParticle, Cyclotron};
pub use oscillator::{Cosine, FreeParticle, HarmonicOscillator, Line};
pub use pendulum::{Pendulum, Separatrix};
pub use ska::{SkaLayer, SkaNeuron, ska_potential};
pub use total_derivative::TotalDerivative;
