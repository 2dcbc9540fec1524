//! Element-wise passes split over column ranges on a few threads.
//!
//! The products go through matrixmultiply, which uses `MATMUL_NUM_THREADS` threads (default:
//! the physical cores). What remains — bias + sigmoid, the update's G, the metric sums — is
//! memory-bound work over batch × width tensors; with more than one thread it is split into
//! contiguous column ranges, each handled by one scoped thread. Every element and every sum is
//! computed by the same code in the same order whatever the split, so results do not depend on
//! the thread count.

use std::sync::OnceLock;

/// Passes over fewer elements than this stay on the calling thread (a thread costs ~20 µs).
pub const MIN_PARALLEL: usize = 1 << 17;

/// Threads for the element-wise passes: `MATMUL_NUM_THREADS` when set (the variable
/// matrixmultiply reads, so one setting governs the whole loop), else the available
/// parallelism; at most 8.
pub fn threads() -> usize {
    static N: OnceLock<usize> = OnceLock::new();
    *N.get_or_init(|| {
        std::env::var("MATMUL_NUM_THREADS")
            .ok()
            .and_then(|s| s.trim().parse::<usize>().ok())
            .filter(|&n| n >= 1)
            .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
            .min(8)
    })
}

/// Calls `f(first_column, a_part, b_part)` on matching column ranges of two column-major
/// buffers with the same number of columns (`a_rows` and `b_rows` rows), on up to [`threads`]
/// threads.
pub fn columns_mut2<T: Send, U: Send>(
    a: &mut [T],
    a_rows: usize,
    b: &mut [U],
    b_rows: usize,
    f: impl Fn(usize, &mut [T], &mut [U]) + Sync,
) {
    let cols = a.len().checked_div(a_rows).unwrap_or(0);
    let parts = if a.len() >= MIN_PARALLEL && b.len() >= cols * b_rows {
        threads().min(cols)
    } else {
        1
    };
    if parts <= 1 {
        f(0, a, b);
        return;
    }
    let per = cols.div_ceil(parts);
    std::thread::scope(|s| {
        let f = &f;
        let (mut rest_a, mut rest_b) = (a, b);
        let mut col = 0;
        while col < cols {
            let take = per.min(cols - col);
            let (ha, ta) = rest_a.split_at_mut(take * a_rows);
            let (hb, tb) = rest_b.split_at_mut(take * b_rows);
            (rest_a, rest_b) = (ta, tb);
            if col + take >= cols {
                f(col, ha, hb);
            } else {
                let c = col;
                s.spawn(move || f(c, ha, hb));
            }
            col += take;
        }
    });
}

/// `f(i)` for i in 0..n, item 0 on a second thread when there is one and `big(0)` is true
/// (the first layer is the widest in the usual networks), the rest on the calling thread.
pub fn map_items<R: Send>(n: usize, big: bool, f: impl Fn(usize) -> R + Sync) -> Vec<R> {
    if n < 2 || threads() < 2 || !big {
        return (0..n).map(&f).collect();
    }
    std::thread::scope(|s| {
        let f = &f;
        let first = s.spawn(move || f(0));
        let rest: Vec<R> = (1..n).map(f).collect();
        let mut out = Vec::with_capacity(n);
        // A panic in `f` is re-raised here, as if it had run on this thread.
        out.push(
            first
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        out.extend(rest);
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_ranges_cover_everything_once() {
        let rows = 1000;
        let cols = 300;
        let mut a = vec![0u32; rows * cols];
        let mut b = vec![0u32; rows * cols];
        columns_mut2(&mut a, rows, &mut b, rows, |c0, pa, pb| {
            for (j, (ca, cb)) in pa
                .chunks_exact_mut(rows)
                .zip(pb.chunks_exact_mut(rows))
                .enumerate()
            {
                ca.iter_mut().for_each(|x| *x += (c0 + j) as u32);
                cb.iter_mut().for_each(|x| *x += 1);
            }
        });
        for j in 0..cols {
            assert!(a[j * rows..(j + 1) * rows].iter().all(|&x| x == j as u32));
        }
        assert!(b.iter().all(|&x| x == 1));
        assert_eq!(map_items(4, true, |i| i * i), vec![0, 1, 4, 9]);
    }
}
