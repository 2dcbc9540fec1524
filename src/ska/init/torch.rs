//! `torch.manual_seed(S)` followed by `torch.randn(n)` on the CPU in float32, without torch.
//!
//! The published initial weights are `0.01 * torch.randn(in, out)` drawn layer by layer after
//! `torch.manual_seed(42)`. torch's CPU generator is MT19937 seeded with the low 32 bits of S
//! (the standard `init_genrand`). For a float tensor of n ≥ 16 elements, `randn`:
//!
//! 1. fills all n entries with uniforms u = (next_u32 & 0xFFFFFF)·2⁻²⁴ (float32, in [0, 1));
//! 2. transforms each complete block of 16 by Box–Muller: for j in 0..8,
//!    `u1 = 1 − d[j]`, `u2 = d[j+8]`, r = √(−2 ln u1), θ = 2π·u2, `d[j] = r cos θ`,
//!    `d[j+8] = r sin θ`;
//! 3. if n is not a multiple of 16, draws 16 fresh uniforms into the *last* 16 entries and
//!    transforms them as one block (overwriting the tail of the last full block).
//!
//! torch evaluates ln, sin and cos in float32 with vectorised approximations; here they are
//! evaluated in f64 and rounded, which agrees to a few float32 ulps (the unit test measures the
//! deviation against torch's own numbers). For n < 16 torch takes a different path (a scalar
//! normal distribution from 64-bit draws), which is not implemented: [`randn`] returns an error.

use crate::error::{Error, Result};

/// The 32-bit Mersenne Twister MT19937 (Matsumoto & Nishimura 1998), as torch's CPU generator.
#[derive(Debug, Clone)]
pub struct Mt19937 {
    state: [u32; 624],
    index: usize,
}

impl Mt19937 {
    /// The generator seeded like `torch.manual_seed(seed)` (low 32 bits of the seed).
    pub fn new(seed: u64) -> Self {
        let mut state = [0u32; 624];
        state[0] = seed as u32;
        for i in 1..624 {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        Self { state, index: 624 }
    }

    fn twist(&mut self) {
        const UPPER: u32 = 0x8000_0000;
        const LOWER: u32 = 0x7fff_ffff;
        const MATRIX_A: u32 = 0x9908_b0df;
        for i in 0..624 {
            let y = (self.state[i] & UPPER) | (self.state[(i + 1) % 624] & LOWER);
            let mut v = self.state[(i + 397) % 624] ^ (y >> 1);
            if y & 1 != 0 {
                v ^= MATRIX_A;
            }
            self.state[i] = v;
        }
        self.index = 0;
    }

    /// The next 32-bit output.
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^= y >> 18;
        y
    }

    /// A float32 uniform in [0, 1) as torch draws it: 24 random bits times 2⁻²⁴.
    pub fn uniform_f32(&mut self) -> f32 {
        (self.next_u32() & 0x00ff_ffff) as f32 * (1.0 / 16_777_216.0)
    }
}

/// Box–Muller on one block of 16 uniforms, in place.
fn normal_fill_16(d: &mut [f32]) {
    for j in 0..8 {
        let u1 = 1.0 - d[j];
        let u2 = d[j + 8];
        let r = (-2.0 * (u1 as f64).ln()).sqrt();
        let theta = 2.0 * std::f64::consts::PI * u2 as f64;
        d[j] = (r * theta.cos()) as f32;
        d[j + 8] = (r * theta.sin()) as f32;
    }
}

/// `torch.randn(n)` (float32) continuing from the generator's current state.
pub fn randn(gen_: &mut Mt19937, n: usize) -> Result<Vec<f32>> {
    if n < 16 {
        return Err(Error::Invalid {
            what: "torch-compatible init".into(),
            reason: format!(
                "a layer with {n} weights (< 16) is drawn by a torch code path that is not \
                 reproduced; use --init seed:S or an .npz file"
            ),
        });
    }
    let mut d: Vec<f32> = (0..n).map(|_| gen_.uniform_f32()).collect();
    for block in d.chunks_exact_mut(16) {
        normal_fill_16(block);
    }
    if !n.is_multiple_of(16) {
        for x in &mut d[n - 16..] {
            *x = gen_.uniform_f32();
        }
        normal_fill_16(&mut d[n - 16..]);
    }
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_the_reference_sequence() {
        // The C++ standard requires the 10000th output of mt19937 seeded 5489 to be 4123659995.
        let mut g = Mt19937::new(5489);
        let mut last = 0;
        for _ in 0..10000 {
            last = g.next_u32();
        }
        assert_eq!(last, 4_123_659_995);
    }

    #[test]
    fn small_tensors_are_refused() {
        assert!(randn(&mut Mt19937::new(0), 15).is_err());
        assert_eq!(randn(&mut Mt19937::new(0), 17).unwrap().len(), 17);
    }
}
