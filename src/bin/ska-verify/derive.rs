//! `ska-verify derive`: the symbolic quantities of a typed Lagrangian — momenta,
//! Euler–Lagrange equations, energy function and mass matrix — in normal form.

use super::lagrangian_args::LagrangianArgs;
use super::{EXIT_OK, EXIT_USAGE};
use ska_verify::expr::Style;

/// Arguments of `derive`.
#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    lagrangian: LagrangianArgs,
    /// Print LaTeX instead of the expression language.
    #[arg(long)]
    latex: bool,
    /// Print JSON (`momenta`, `euler_lagrange`, `energy`, `mass_matrix`).
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> u8 {
    let (mut en, l) = match args.lagrangian.build() {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return EXIT_USAGE;
        }
    };
    let style = if args.latex {
        Style::Latex
    } else {
        Style::Text
    };
    let n = en.dof();
    let el = match en.el(l) {
        Ok(el) => el,
        Err(e) => {
            eprintln!("error: {e}");
            return EXIT_USAGE;
        }
    };
    let momenta: Vec<String> = (0..n)
        .map(|i| {
            let p = en.momentum(l, i);
            en.best_text(p, style)
        })
        .collect();
    let equations: Vec<String> = el.iter().map(|&r| en.best_text(r, style)).collect();
    let h = en.energy(l);
    let energy = en.best_text(h, style);
    let mass: Vec<Vec<String>> = en
        .mass_matrix(l)
        .into_iter()
        .map(|row| row.into_iter().map(|m| en.best_text(m, style)).collect())
        .collect();
    if args.json {
        let doc = serde_json::json!({
            "coords": en.coords(),
            "lagrangian": en.text(l),
            "momenta": momenta,
            "euler_lagrange": equations.iter().map(|e| format!("{e} = 0")).collect::<Vec<_>>(),
            "energy": energy,
            "mass_matrix": mass,
        });
        println!("{doc:#}");
        return EXIT_OK;
    }
    let coords = en.coords().to_vec();
    println!("L = {}", if args.latex { en.latex(l) } else { en.text(l) });
    println!("\nmomenta p = ∂L/∂q':");
    for (c, p) in coords.iter().zip(&momenta) {
        println!("  p[{c}] = {p}");
    }
    println!("\nEuler–Lagrange equations d/dt ∂L/∂q' − ∂L/∂q = 0:");
    for (c, e) in coords.iter().zip(&equations) {
        println!("  [{c}]  {e} = 0");
    }
    println!("\nenergy function h = q'·∂L/∂q' − L:\n  h = {energy}");
    println!("\nmass matrix ∂²L/∂q'∂q':");
    for row in &mass {
        println!("  [ {} ]", row.join(", "));
    }
    EXIT_OK
}
