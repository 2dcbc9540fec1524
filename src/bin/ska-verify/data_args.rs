//! The data, initial-weight and layer arguments shared by `train`, `causality` and
//! `time-invariance`, and their validation into a data set and an initial network.

use ska_verify::ska::Network;
use ska_verify::ska::data::{Dataset, source};
use ska_verify::ska::init::{InitSpec, initial_network};
use std::path::PathBuf;

/// One gibibyte.
const GIB: f64 = 1024.0 * 1024.0 * 1024.0;
/// Largest estimated memory of a run; beyond it the run is refused with exit 2.
const MAX_BYTES: f64 = 16.0 * GIB;

/// Where the images and the initial weights come from, and the layer widths.
#[derive(clap::Args, Debug, Clone)]
pub struct DataArgs {
    /// Folder with the MNIST training IDX files (plain or .gz); default: built-in synthetic digits.
    #[arg(long, value_name = "DIR")]
    pub mnist: Option<PathBuf>,
    /// Take the first N images of each class, in file order (synthetic default: 100).
    #[arg(long, value_name = "N")]
    pub per_class: Option<usize>,
    /// Seed of the synthetic digits.
    #[arg(long, default_value_t = 0, value_name = "S")]
    pub data_seed: u64,
    /// Initial weights: seed:S (ChaCha8), torch:S (torch.manual_seed(S) + randn), or FILE.npz.
    #[arg(long, default_value = "torch:42", value_name = "SPEC")]
    pub init: String,
    /// Layer widths after the input, comma-separated.
    #[arg(long, default_value = "256,128,64,10", value_name = "N,N,...")]
    pub layers: String,
}

/// The validated inputs of a run.
#[derive(Debug, Clone)]
pub struct Inputs {
    /// The images (and labels).
    pub data: Dataset,
    /// The initial network (f64; cast by the trainer).
    pub network: Network<f64>,
    /// The init it came from.
    pub init: InitSpec,
    /// Widths n_0, ..., n_L.
    pub sizes: Vec<usize>,
}

impl DataArgs {
    /// Parses the layer widths.
    pub fn widths(&self) -> Result<Vec<usize>, String> {
        match self
            .layers
            .split(',')
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .map(|s| s.parse::<usize>())
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(v) if !v.is_empty() && v.iter().all(|&n| n > 0) => Ok(v),
            _ => Err(format!(
                "--layers `{}` must be positive widths separated by commas, e.g. --layers 256,128,64,10",
                self.layers
            )),
        }
    }

    /// Reads the data and builds the initial network; the message of a usage error otherwise.
    pub fn load(&self) -> Result<Inputs, String> {
        let layers = self.widths()?;
        let init: InitSpec = self.init.parse().map_err(|e| format!("{e}"))?;
        let data = source::load(self.mnist.as_deref(), self.per_class, self.data_seed)
            .map_err(|e| e.to_string())?;
        let mut sizes = vec![data.features()];
        sizes.extend(&layers);
        // Refuse runs that cannot fit rather than abort on a failed allocation: parameters and
        // their updates (×3 with the init copy) plus six batch × width buffers per layer, at
        // 8 bytes a number (the init is built in f64).
        let params: f64 = sizes.windows(2).map(|w| (w[0] * w[1]) as f64).sum();
        let acts: f64 = layers.iter().map(|&n| n as f64).sum::<f64>() * data.len() as f64;
        let bytes = 8.0 * (3.0 * params + 6.0 * acts + (data.len() * data.features()) as f64);
        if bytes > MAX_BYTES {
            return Err(format!(
                "this run needs about {:.1} GiB of memory (limit {:.0} GiB); use fewer images \
                 (--per-class) or narrower --layers",
                bytes / GIB,
                MAX_BYTES / GIB
            ));
        }
        let network = initial_network(&init, &sizes).map_err(|e| e.to_string())?;
        Ok(Inputs {
            data,
            network,
            init,
            sizes,
        })
    }
}
