//! An observer that keeps every layer's local state and update, iteration by iteration.
//!
//! Checks of the update's causal structure (does ΔW^(l)_k depend on anything but layer l's
//! input, Z_k, D_k, D_{k−1}?) need the state each update was computed from. [`Recorder`]
//! copies it after every iteration (memory: about 3 × batch × width + n_in × n_out values per
//! layer and iteration, so use it on small runs); [`LayerRecord::recompute`] recomputes the
//! update from the record alone with [`layer_update`].

use super::real::Real;
use super::trainer::{IterationView, Observer};
use super::update::{LayerState, LayerUpdate, layer_update};
use crate::error::Result;
use nalgebra::DMatrix;
use std::ops::ControlFlow;

/// One layer's state and update at one iteration k ≥ 1.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerRecord<T: Real> {
    /// The input the update used (rule-dependent).
    pub input: DMatrix<T>,
    /// Z_k.
    pub z: DMatrix<T>,
    /// D_k.
    pub d: DMatrix<T>,
    /// D_{k−1}.
    pub d_prev: DMatrix<T>,
    /// The update applied (ΔW, Δb).
    pub update: LayerUpdate<T>,
}

impl<T: Real> LayerRecord<T> {
    /// The update recomputed from this record alone.
    pub fn recompute(&self, eta: T) -> Result<LayerUpdate<T>> {
        let state = LayerState::new(&self.input, &self.z, &self.d, &self.d_prev)?;
        Ok(layer_update(&state, eta))
    }
}

/// Records every layer at every update (k = 1..K−1): `iterations[k − 1][l]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Recorder<T: Real> {
    /// Per update, per layer.
    pub iterations: Vec<Vec<LayerRecord<T>>>,
}

impl<T: Real> Observer<T> for Recorder<T> {
    fn observe(&mut self, view: &IterationView<'_, T>) -> ControlFlow<String> {
        if !view.updated() {
            return ControlFlow::Continue(());
        }
        let layers = (0..view.layers())
            .filter_map(|l| {
                let lv = view.layer(l);
                let state = lv.state()?;
                Some(LayerRecord {
                    input: state.input().clone(),
                    z: state.z().clone(),
                    d: state.d().clone(),
                    d_prev: state.d_prev().clone(),
                    update: lv.update()?.clone(),
                })
            })
            .collect();
        self.iterations.push(layers);
        ControlFlow::Continue(())
    }
}
