//! Embeds every TOML file under the workspace's `data/` folder into the library, so the binary
//! runs with no files of the user's own. The list is generated, so a new data file needs no code.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn collect(dir: &Path, root: &Path, out: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            println!("cargo:rerun-if-changed={}", p.display());
            collect(&p, root, out);
        } else if p.extension().is_some_and(|e| e == "toml") {
            let rel = p
                .strip_prefix(root)
                .unwrap_or(&p)
                .to_string_lossy()
                .replace('\\', "/");
            println!("cargo:rerun-if-changed={}", p.display());
            out.push((rel, p));
        }
    }
}

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets this"));
    let data = manifest.join("../../data");
    let data = data.canonicalize().unwrap_or(data);
    println!("cargo:rerun-if-changed={}", data.display());
    let mut files = Vec::new();
    collect(&data, &data, &mut files);
    let mut code = String::from("/// (path under data/, contents) of every embedded data file.\npub static EMBEDDED: &[(&str, &str)] = &[\n");
    for (rel, path) in files {
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            path.display().to_string()
        )
        .unwrap();
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets this")).join("embedded.rs");
    std::fs::write(out, code).expect("write embedded.rs");
}
