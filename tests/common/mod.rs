//! Helpers shared by the integration tests.
#![allow(dead_code)]

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use ska_verify::mechanics::trajectory::RandomTrajectory;

/// A reproducible random trajectory from a proptest-chosen seed.
pub fn random_trajectory(seed: u64, dof: usize, scale: f64) -> RandomTrajectory {
    RandomTrajectory::draw(&mut ChaCha8Rng::seed_from_u64(seed), dof, scale)
}

/// Sample times in [−1, 1].
pub const TIMES: [f64; 5] = [-0.9, -0.35, 0.1, 0.55, 0.95];
