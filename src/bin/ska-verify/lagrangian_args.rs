//! The arguments shared by `check`, `residual` and `derive`: coordinates, definitions and the
//! Lagrangian, turned into an [`Engine`] session (input errors print the caret message).

use ska_verify::expr::{Engine, Id};

/// A Lagrangian typed on the command line.
#[derive(clap::Args, Debug)]
pub struct LagrangianArgs {
    /// Coordinate names, comma-separated (e.g. `x,y`); velocities are `x'`, accelerations `x''`.
    #[arg(long, value_delimiter = ',', required = true)]
    pub coords: Vec<String>,
    /// The Lagrangian L(t, q, q'), e.g. "x'^2/2 - x^2/2" (see docs/expression-language.md).
    #[arg(long, allow_hyphen_values = true)]
    pub lagrangian: String,
    /// A named definition `NAME=EXPR`, inlined where NAME is used (repeatable, in order).
    #[arg(long = "let", value_name = "NAME=EXPR", allow_hyphen_values = true)]
    pub lets: Vec<String>,
}

impl LagrangianArgs {
    /// The session and the parsed Lagrangian, or the error message for stderr.
    pub fn build(&self) -> Result<(Engine, Id), String> {
        let mut en = Engine::new(&self.coords).map_err(|e| format!("error: {e}"))?;
        for (k, d) in self.lets.iter().enumerate() {
            en.define_from(d, &format!("--let #{}", k + 1))
                .map_err(|e| e.to_string())?;
        }
        let l = en
            .parse_from(&self.lagrangian, "--lagrangian")
            .map_err(|e| e.to_string())?;
        en.lagrangian(l).map_err(|e| format!("error: {e}"))?;
        Ok((en, l))
    }
}
