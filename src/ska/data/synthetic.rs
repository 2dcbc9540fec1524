//! A deterministic, built-in stand-in for MNIST: digit-like 28×28 images of 10 classes.
//!
//! Each class is a seven-segment digit (segments a–g on a 0.4 × 0.6 box in the middle of the
//! image); each image jitters it with a seeded ChaCha8 stream: shift (±2.5 px), scale (0.85–1.15),
//! slant (±0.25), stroke half-width (0.9–1.8 px) and ink level (0.75–1.0), then adds a little
//! noise to the ink (the background stays exactly 0, as in MNIST). Pixels are anti-aliased by distance to the nearest segment and stored as bytes
//! like MNIST's. The same (per_class, seed) always gives the same bytes on every platform, so
//! tests and CI need no download. Images are interleaved by class (labels 0, 1, ..., 9, 0, ...).

use super::{CLASSES, Dataset};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// Image side in pixels.
pub const SIDE: usize = 28;

/// Largest number of images per class the command line generates (100,000 images).
pub const MAX_PER_CLASS: usize = 10_000;

/// Default images per class (the published subset's size: 10 × 100 = 1000).
pub const DEFAULT_PER_CLASS: usize = 100;

/// Segment end points on the unit digit box (x right, y down): a, b, c, d, e, f, g.
const SEGMENTS: [((f64, f64), (f64, f64)); 7] = [
    ((0.0, 0.0), (1.0, 0.0)), // a top
    ((1.0, 0.0), (1.0, 0.5)), // b top right
    ((1.0, 0.5), (1.0, 1.0)), // c bottom right
    ((0.0, 1.0), (1.0, 1.0)), // d bottom
    ((0.0, 0.5), (0.0, 1.0)), // e bottom left
    ((0.0, 0.0), (0.0, 0.5)), // f top left
    ((0.0, 0.5), (1.0, 0.5)), // g middle
];

/// Which segments each digit lights (a..g as bits 0..6).
const DIGITS: [u8; CLASSES] = [
    0b011_1111, // 0: a b c d e f
    0b000_0110, // 1: b c
    0b101_1011, // 2: a b d e g
    0b100_1111, // 3: a b c d g
    0b110_0110, // 4: b c f g
    0b110_1101, // 5: a c d f g
    0b111_1101, // 6: a c d e f g
    0b000_0111, // 7: a b c
    0b111_1111, // 8: all
    0b110_1111, // 9: a b c d f g
];

fn dist_to_segment(px: f64, py: f64, (ax, ay): (f64, f64), (bx, by): (f64, f64)) -> f64 {
    let (vx, vy) = (bx - ax, by - ay);
    let len2 = vx * vx + vy * vy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((px - ax) * vx + (py - ay) * vy) / len2).clamp(0.0, 1.0)
    };
    let (dx, dy) = (px - (ax + t * vx), py - (ay + t * vy));
    (dx * dx + dy * dy).sqrt()
}

fn render(class: usize, rng: &mut ChaCha8Rng, out: &mut Vec<u8>) {
    let shift_x: f64 = rng.random_range(-2.5..2.5);
    let shift_y: f64 = rng.random_range(-2.5..2.5);
    let scale: f64 = rng.random_range(0.85..1.15);
    let slant: f64 = rng.random_range(-0.25..0.25);
    let half_width: f64 = rng.random_range(0.9..1.8);
    let ink: f64 = rng.random_range(0.75..1.0);
    // Box of 11.2 × 16.8 px (0.4 × 0.6 of the image) centred at (14, 14) before jitter.
    let (w, h) = (0.4 * SIDE as f64 * scale, 0.6 * SIDE as f64 * scale);
    let (x0, y0) = (14.0 - w / 2.0 + shift_x, 14.0 - h / 2.0 + shift_y);
    let place = |(u, v): (f64, f64)| (x0 + u * w + slant * (0.5 - v) * h, y0 + v * h);
    let segs: Vec<_> = (0..7)
        .filter(|s| DIGITS[class] >> s & 1 == 1)
        .map(|s| (place(SEGMENTS[s].0), place(SEGMENTS[s].1)))
        .collect();
    for r in 0..SIDE {
        for c in 0..SIDE {
            let (px, py) = (c as f64 + 0.5, r as f64 + 0.5);
            let d = segs
                .iter()
                .map(|&(a, b)| dist_to_segment(px, py, a, b))
                .fold(f64::INFINITY, f64::min);
            let coverage = (half_width + 0.5 - d).clamp(0.0, 1.0);
            // Ink noise on the strokes only: like MNIST, the background is exactly 0.
            let noise: f64 = rng.random_range(0.0..0.06);
            let v = if coverage > 0.0 {
                (coverage * ink + noise).min(1.0)
            } else {
                0.0
            };
            out.push((v * 255.0).round() as u8);
        }
    }
}

/// `per_class` images of each digit, generated from `seed`.
pub fn synthetic(per_class: usize, seed: u64) -> Dataset {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let n = per_class * CLASSES;
    let mut pixels = Vec::with_capacity(n * SIDE * SIDE);
    let mut labels = Vec::with_capacity(n);
    for i in 0..n {
        let class = i % CLASSES;
        render(class, &mut rng, &mut pixels);
        labels.push(class as u8);
    }
    Dataset {
        rows: SIDE,
        cols: SIDE,
        pixels,
        labels,
        source: format!("synthetic digits ({per_class} per class, seed {seed})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_class_dependent() {
        let a = synthetic(3, 1);
        assert_eq!(a, synthetic(3, 1));
        assert_ne!(a.pixels, synthetic(3, 2).pixels);
        assert_eq!(a.len(), 30);
        assert_eq!(a.pixels.len(), 30 * 784);
        let img = |i: usize| &a.pixels[i * 784..(i + 1) * 784];
        let ink = |i: usize| img(i).iter().map(|&p| p as u32).sum::<u32>();
        // An 8 lights all seven segments, a 1 only two.
        assert!(ink(8) > ink(1) * 2, "{} vs {}", ink(8), ink(1));
        assert!(img(0).contains(&0) && img(0).iter().any(|&p| p > 150));
    }
}
