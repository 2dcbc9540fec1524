//! The built-in functions of the expression language, in one place.
//!
//! Parsing (names, arity), evaluation, differentiation, the normal form and both printers all
//! dispatch on [`Func`], so adding a function means adding a variant here and one arm in each
//! of those passes — the compiler lists the places.

/// A built-in function of one argument.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Func {
    /// sin u
    Sin,
    /// cos u
    Cos,
    /// tan u
    Tan,
    /// arcsin u
    Asin,
    /// arccos u
    Acos,
    /// arctan u
    Atan,
    /// sinh u
    Sinh,
    /// cosh u
    Cosh,
    /// tanh u
    Tanh,
    /// eᵘ
    Exp,
    /// natural logarithm
    Ln,
    /// √u
    Sqrt,
    /// logistic sigmoid σ(u) = 1/(1+e^{−u})
    Sigma,
    /// softplus(u) = ln(1+eᵘ)
    Softplus,
}

impl Func {
    /// Every function, in a fixed order.
    pub const ALL: [Func; 14] = [
        Func::Sin,
        Func::Cos,
        Func::Tan,
        Func::Asin,
        Func::Acos,
        Func::Atan,
        Func::Sinh,
        Func::Cosh,
        Func::Tanh,
        Func::Exp,
        Func::Ln,
        Func::Sqrt,
        Func::Sigma,
        Func::Softplus,
    ];

    /// The name used in the language.
    pub fn name(self) -> &'static str {
        match self {
            Func::Sin => "sin",
            Func::Cos => "cos",
            Func::Tan => "tan",
            Func::Asin => "asin",
            Func::Acos => "acos",
            Func::Atan => "atan",
            Func::Sinh => "sinh",
            Func::Cosh => "cosh",
            Func::Tanh => "tanh",
            Func::Exp => "exp",
            Func::Ln => "ln",
            Func::Sqrt => "sqrt",
            Func::Sigma => "sigma",
            Func::Softplus => "softplus",
        }
    }

    /// The LaTeX command (operator name) for the function.
    pub fn latex(self) -> &'static str {
        match self {
            Func::Sin => "\\sin",
            Func::Cos => "\\cos",
            Func::Tan => "\\tan",
            Func::Asin => "\\arcsin",
            Func::Acos => "\\arccos",
            Func::Atan => "\\arctan",
            Func::Sinh => "\\sinh",
            Func::Cosh => "\\cosh",
            Func::Tanh => "\\tanh",
            Func::Exp => "\\exp",
            Func::Ln => "\\ln",
            Func::Sqrt => "\\sqrt",
            Func::Sigma => "\\sigma",
            Func::Softplus => "\\operatorname{softplus}",
        }
    }

    /// The function called `name`, if any.
    pub fn from_name(name: &str) -> Option<Func> {
        Func::ALL.into_iter().find(|f| f.name() == name)
    }
}
