//! Every proof file in proofs/ is checked, and every claim must come out as its file says
//! (`claim`: proved or holds; `refute`: refuted). Plus one-line tests of the checker itself
//! and of `ska-verify prove`.

use assert_cmd::Command;
use ska_verify::proof::{self, Options, Verdict, check_source};

fn proofs_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("proofs")
}

/// The verdict of one equation in coordinates `coords`.
fn verdict(coords: &str, equation: &str) -> Verdict {
    let src = format!("coords {coords}\nclaim c: {equation}");
    let claims = check_source(&src, "test", &Options::default()).unwrap();
    claims[0].verdict
}

#[test]
fn every_proof_file_comes_out_as_written() {
    let files = proof::collect_files(&[proofs_dir()]).unwrap();
    assert!(files.len() >= 5, "proof files: {files:?}");
    let mut unexpected = Vec::new();
    let mut total = 0;
    for f in &files {
        let claims = proof::check_file(f, &Options::default())
            .unwrap_or_else(|e| panic!("{} does not parse:\n{e}", f.display()));
        assert!(!claims.is_empty(), "{} has no claims", f.display());
        total += claims.len();
        for c in claims.iter().filter(|c| !c.ok) {
            unexpected.push(format!(
                "{}:{} `{}` ({}): expected {:?}, got {} — {}",
                c.file,
                c.line,
                c.claim,
                c.equation,
                c.expected,
                c.verdict,
                c.evidence()
            ));
        }
    }
    assert!(
        unexpected.is_empty(),
        "unexpected verdicts:\n{}",
        unexpected.join("\n")
    );
    assert!(total >= 100, "only {total} claims");
}

#[test]
fn a_true_identity_is_proved() {
    assert_eq!(
        verdict("z", "dt(softplus(z)) == sigma(z)*z'"),
        Verdict::Proved
    );
}

#[test]
fn a_false_identity_is_refuted() {
    assert_eq!(
        verdict("z", "d(sigma(z), z) == sigma(z)^2"),
        Verdict::Refuted
    );
}

#[test]
fn a_domain_error_is_an_error() {
    assert_eq!(verdict("z", "ln(-1 - z^2) == 0"), Verdict::Error);
    assert_eq!(verdict("z", "1/(z - z) == 0"), Verdict::Error);
}

#[test]
fn a_true_identity_beyond_the_normal_form_holds() {
    // The normal form does not know the double-angle formula.
    assert_eq!(verdict("x", "sin(2*x) == 2*sin(x)*cos(x)"), Verdict::Holds);
    assert_eq!(verdict("x", "tan(x) == sin(x)/cos(x)"), Verdict::Holds);
}

#[test]
fn componentwise_equations_compare_every_component() {
    assert_eq!(
        verdict("x, y", "el(x'^2/2 + y'^2/2) == 0"),
        Verdict::Refuted
    );
    let l = "x'^2/2 + y'^2/2 - x*y";
    assert_eq!(verdict("x, y", &format!("el({l}) == 0")), Verdict::Refuted);
    assert_eq!(
        verdict("x, y", &format!("el({l}, y) == y'' + x")),
        Verdict::Proved
    );
}

#[test]
fn refute_expects_refuted() {
    let src = "coords x\nrefute r: x == x\nrefute s: x == x + 1";
    let claims = check_source(src, "t", &Options::default()).unwrap();
    assert_eq!(claims[0].verdict, Verdict::Proved);
    assert!(!claims[0].ok);
    assert!(claims[1].ok);
}

/// Soundness: perturbing a true identity by c·m (c a nonzero rational, m a term of the
/// language) never gives `proved` or `holds`.
#[test]
fn false_perturbations_of_true_identities_are_never_accepted() {
    use rand::{Rng, SeedableRng};
    let identities = [
        "d(-z*sigma(z)*(1-sigma(z))*z', z') == -z*sigma(z)*(1-sigma(z))",
        "dt(softplus(z) - z*sigma(z)) == -z*sigma(z)*(1-sigma(z))*z'",
        "sin(z)^2 + cos(z)^2 == 1",
        "sin(2*z) == 2*sin(z)*cos(z)",
        "energy(z'^2/2 - z^2/2) == z'^2/2 + z^2/2",
        "el(z'^2/2 - cos(z), z) == z'' - sin(z)",
        "softplus(z) - softplus(-z) == z",
    ];
    let terms = [
        "1",
        "z",
        "z'",
        "z''",
        "t",
        "sigma(z)",
        "z^2",
        "sin(z)",
        "exp(-z^2)",
        "z*z'",
    ];
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    for id in identities {
        assert!(
            matches!(verdict("z", id), Verdict::Proved | Verdict::Holds),
            "{id}"
        );
        for _ in 0..12 {
            let term = terms[rng.random_range(0..terms.len())];
            let num: i32 = rng.random_range(1..=1000) * if rng.random_bool(0.5) { 1 } else { -1 };
            let den: i32 = rng.random_range(1..=1000);
            let perturbed = format!("{id} + ({num}/{den})*{term}");
            let v = verdict("z", &perturbed);
            assert!(
                !matches!(v, Verdict::Proved | Verdict::Holds),
                "{perturbed} came out {v}"
            );
        }
    }
}

fn bin() -> Command {
    Command::cargo_bin("ska-verify").unwrap()
}

#[test]
fn prove_proofs_exits_zero_with_a_table() {
    let out = bin().arg("prove").arg(proofs_dir()).assert().code(0);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    for col in [
        "file",
        "claim",
        "expected",
        "verdict",
        "points",
        "counterexample",
    ] {
        assert!(text.contains(col), "missing column {col}");
    }
    assert!(text.contains("ska_least_action.proof") && text.contains("0 unexpected"));
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("ska-verify-proofs-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p
}

#[test]
fn a_false_claim_exits_one_with_the_counterexample() {
    let p = temp_file(
        "false.proof",
        "coords z\nlet L = -z*sigma(z)*(1-sigma(z))*z'\nclaim wrong: d(L, z') == z*sigma(z)*(1-sigma(z))\n",
    );
    let out = bin().arg("prove").arg(&p).assert().code(1);
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("wrong") && text.contains("UNEXPECTED"),
        "{text}"
    );
    assert!(
        text.contains("at z = ") && text.contains("lhs = ") && text.contains("rhs = "),
        "{text}"
    );
}

#[test]
fn json_has_one_object_per_claim() {
    let p = temp_file(
        "mixed.proof",
        "coords x\nclaim a: d(x^3, x) == 3*x^2\nrefute b: d(x^3, x) == 3*x\n",
    );
    let out = bin().args(["prove", "--json"]).arg(&p).assert().code(0);
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let a = doc.as_array().unwrap();
    assert_eq!(a.len(), 2);
    assert_eq!(a[0]["claim"], "a");
    assert_eq!(a[0]["expected"], "holds");
    assert_eq!(a[0]["verdict"], "proved");
    assert_eq!(a[0]["ok"], true);
    assert_eq!(a[1]["expected"], "refuted");
    assert_eq!(a[1]["verdict"], "refuted");
    assert!(a[1]["file"].as_str().unwrap().ends_with("mixed.proof"));
}

#[test]
fn a_malformed_file_exits_two_with_a_caret() {
    let p = temp_file("bad.proof", "coords z\n\nclaim c: sigma(z) == sigm(z)\n");
    let out = bin().arg("prove").arg(&p).assert().code(2);
    let err = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(err.contains("bad.proof at line 3, column 22"), "{err}");
    assert!(err.contains("3 | claim c: sigma(z) == sigm(z)"), "{err}");
    assert!(err.contains("|                      ^"), "{err}");
    bin().arg("prove").arg("/no/such/dir").assert().code(2);
}

#[test]
fn verify_runs_the_proof_files_too() {
    let out = bin()
        .args(["verify", "--trajectories", "8", "--json"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .code(0);
    let doc: serde_json::Value = serde_json::from_slice(&out.get_output().stdout).unwrap();
    let claims = doc["proofs"]["claims"].as_array().unwrap();
    assert!(claims.len() >= 100, "{} proof claims", claims.len());
    assert!(
        claims
            .iter()
            .any(|c| c["claim"] == "eq8_paper_equals_code" && c["verdict"] == "refuted")
    );
    assert_eq!(doc["proofs"]["ok"], true);
}

#[test]
fn differences_below_the_rounding_noise_are_refuted_exactly() {
    assert_eq!(verdict("x", "x == x + 1e-15"), Verdict::Refuted);
    assert_eq!(
        verdict("x, y", "(x + y)^2 == x^2 + 2*x*y + y^2 + 1e-14*x*y^3"),
        Verdict::Refuted
    );
}

mod no_panics {
    use proptest::prelude::*;
    use ska_verify::Error;
    use ska_verify::proof::{Options, check_source};

    const PIECES: [&str; 24] = [
        "coords z",
        "coords x, y",
        "coords",
        "coords t",
        "let S = sigma(z)",
        "let L = S*z'",
        "let = 1",
        "claim a: z == z",
        "claim b: el(L) == 0",
        "refute c: d(L, z') == 1",
        "claim: z == 1",
        "claim d z == 1",
        "claim e: z ==",
        "claim f: == z",
        "claim g: el(L)",
        "domain z in [0, 1]",
        "domain z in [1, 0]",
        "domain q in [0, 1]",
        "# comment",
        "claim h: ln(z) == 0",
        "claim i: 1/(z-z) == 0",
        "claim j: dt(z'') == 0",
        "((((",
        "\u{3c3} = 1",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]
        /// Any sequence of (possibly malformed) lines gives claims or a positioned error.
        #[test]
        fn random_proof_texts_never_panic(lines in proptest::collection::vec(0..PIECES.len(), 0..8)) {
            let text: Vec<&str> = lines.iter().map(|&i| PIECES[i]).collect();
            let opts = Options { points: 4, trajectories: 2, ..Options::default() };
            match check_source(&text.join("\n"), "fuzz.proof", &opts) {
                Ok(_) => {}
                Err(Error::Parse(p)) => {
                    prop_assert!(p.line >= 1 && p.column >= 1);
                    prop_assert_eq!(p.origin.as_str(), "fuzz.proof");
                }
                Err(e) => prop_assert!(false, "unpositioned error: {e}"),
            }
        }

        /// Arbitrary text never panics either.
        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,80}") {
            let opts = Options { points: 2, trajectories: 1, ..Options::default() };
            let _ = check_source(&format!("coords x\n{s}"), "fuzz.proof", &opts);
        }
    }
}
