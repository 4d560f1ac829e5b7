//! Builds the app into `dist/`: for each entry (the consumer pages, the staff console) cargo
//! (wasm32) → wasm-split (each lazy page or console tab its own chunk) → wasm-bindgen →
//! wasm-opt and terser, in a folder of its own; then a content-versioned asset folder with
//! brotli and gzip copies, and the entries' shells `index.html` and `console.html`.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use shared::page::Page;

use crate::{run, tools};

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Debug wasm, no wasm-opt: the quick dev loop.
    Dev,
    /// `wasm-release` profile, name section removed, `wasm-opt -Oz`: what users get.
    Release,
}

/// The app's entry points and their shells: the consumer pages (a chunk per lazy page) and
/// the staff console (a chunk per tab; consumer pages never load any of it). Each entry's
/// code is in `assets/{version}/{name}/`: its main module, the `__wasm_split.js` loader and
/// its chunks, which wasm-split names alike for every entry.
const ENTRIES: [Entry; 2] = [
    Entry {
        name: "consumer",
        shell: "index.html",
        preloaded: true,
        feature: None,
    },
    Entry {
        name: "console",
        shell: "console.html",
        preloaded: false,
        feature: Some("console"),
    },
];

/// The shells' start-up script in `public/`, inlined in each at `{{start}}` with `{{entry}}`
/// its entry's name.
const START_SCRIPT: &str = "start.js";

struct Entry {
    name: &'static str,
    /// Its page shell in `public/`, written to `dist/` with the asset version filled in.
    shell: &'static str,
    /// Its lazy entries' chunk files go in `chunks.json`, from which the server's page shell
    /// preloads a page's chunks (the consumer's; the console's shell preloads none).
    preloaded: bool,
    /// The app's feature it is built with: the console's leaves the consumer's route table
    /// and lazily loaded pages out of the library, and makes its tabs lazily loaded chunks.
    feature: Option<&'static str>,
}

/// Builds everything and returns the absolute `dist` folder.
pub fn build(root: &Path, mode: Mode) -> Result<PathBuf> {
    let profile = match mode {
        Mode::Dev => "debug",
        Mode::Release => "wasm-release",
    };
    for entry in &ENTRIES {
        let mut cargo = Command::new("cargo");
        cargo.args([
            "build",
            "--package",
            "chelink-app",
            "--target",
            "wasm32-unknown-unknown",
            "--bin",
            entry.name,
        ]);
        if let Some(feature) = entry.feature {
            cargo.args(["--features", feature]);
        }
        if mode == Mode::Release {
            cargo.args(["--profile", "wasm-release"]);
        }
        run(&mut cargo)?;
    }

    let staging = root.join("target/app-staging");
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    let mut chunks = serde_json::Map::new();
    for entry in &ENTRIES {
        let wasm = root.join(format!(
            "target/wasm32-unknown-unknown/{profile}/{}.wasm",
            entry.name
        ));
        let folder = staging.join(entry.name);
        let (main, entry_chunks) = split(&wasm, &folder, entry.name)?;
        if entry.preloaded {
            chunks.extend(entry_chunks);
        }
        let mut bindgen = Command::new(tools::wasm_bindgen(root));
        bindgen
            .arg(&main)
            .args([
                "--target",
                "web",
                "--no-typescript",
                "--keep-lld-exports",
                "--out-name",
                entry.name,
            ])
            .arg("--out-dir")
            .arg(&folder);
        if mode == Mode::Release {
            bindgen.args(["--remove-name-section", "--remove-producers-section"]);
        }
        run(&mut bindgen)?;
        // Kept with its function names for size work: `twiggy top target/wasm-split/consumer.wasm`
        // shows what the main module carries (before wasm-opt).
        let kept = root.join("target/wasm-split");
        fs::create_dir_all(&kept)?;
        fs::rename(&main, kept.join(format!("{}.wasm", entry.name)))?;
    }
    if mode == Mode::Release {
        // The wasm-bindgen glue and the chunk loader are plain ES modules: minified, they
        // are a quarter smaller even after brotli.
        for script in files_with_extension(&staging, "js")? {
            run(Command::new(tools::terser(root))
                .arg(&script)
                .args(["--module", "--compress", "--mangle", "-o"])
                .arg(&script))?;
        }
        for module in files_with_extension(&staging, "wasm")? {
            run(Command::new(tools::wasm_opt(root))
                .arg("-Oz")
                .args(WASM_FEATURES)
                .args(["--strip-debug", "--strip-producers", "-o"])
                .arg(&module)
                .arg(&module))?;
        }
    }
    for sheet in ["app.css", "pages.css", "console.css"] {
        fs::write(staging.join(sheet), stylesheet(root, sheet)?)?;
    }
    for file in fs::read_dir(root.join("public"))? {
        let path = file?.path();
        let template = ENTRIES
            .iter()
            .map(|e| e.shell)
            .chain([START_SCRIPT])
            .any(|name| path.file_name().is_some_and(|n| n == name));
        if path.is_file() && !template {
            fs::copy(&path, staging.join(path.file_name().unwrap_or_default()))?;
        }
    }

    let version = version_of(&staging)?;
    let dist = root.join("dist");
    let _ = fs::remove_dir_all(&dist);
    let assets = dist.join("assets").join(&version);
    fs::create_dir_all(&assets)?;
    for path in files_in(&staging)? {
        let target = assets.join(path.strip_prefix(&staging)?);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)?;
        }
        fs::copy(&path, &target)?;
        // Brotli 11 on a 10 MB debug module takes minutes: the dev loop serves it raw.
        if mode == Mode::Release {
            precompress(&target)?;
        }
    }
    let critical = fs::read_to_string(root.join("style/critical.css")).unwrap_or_default();
    let start = fs::read_to_string(root.join("public").join(START_SCRIPT))
        .with_context(|| format!("reading public/{START_SCRIPT}"))?;
    for entry in &ENTRIES {
        let shell = fs::read_to_string(root.join("public").join(entry.shell))
            .with_context(|| format!("reading public/{}", entry.shell))?
            .replace("{{start}}", &start.replace("{{entry}}", entry.name))
            .replace("{{version}}", &version)
            .replace("{{critical_css}}", &minify_css(&critical))
            // Indentation and the inline script's whole-line comments are for people; the
            // other lines stay as written, so the script reads the same.
            .lines()
            .map(str::trim_start)
            .filter(|line| !line.is_empty() && !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n");
        fs::write(dist.join(entry.shell), shell)?;
    }
    // Every lazy page the shell may preload has its chunks: a page renamed on one side only
    // fails the build here, not silently in the browser.
    for chunk in Page::CHUNKS {
        if !chunks.contains_key(chunk) {
            bail!("no wasm chunk for the lazy page `{chunk}` (shared::page::Page::CHUNKS); found {:?}", chunks.keys().collect::<Vec<_>>());
        }
    }
    fs::write(
        dist.join("chunks.json"),
        serde_json::to_string_pretty(&chunks)?,
    )?;
    report(&assets)?;
    Ok(dist)
}

/// Splits an entry's wasm into `folder` at its lazily loaded entries (`#[lazy(name)]`: the
/// consumer's pages in `app/src/pages.rs`, the console's tabs in `app/src/console/tabs.rs`):
/// the main module, to be run through wasm-bindgen, plus one chunk per entry and the chunks
/// they share, with the `__wasm_split.js` loader that fetches them on first use. Returns the
/// main module and, for each lazy entry (`models` from the split `models_{hash}`), the chunk
/// files it loads as paths in the asset folder (`consumer/split_models_….wasm`), so the
/// server can preload them with the page.
fn split(
    wasm: &Path,
    folder: &Path,
    entry: &str,
) -> Result<(PathBuf, serde_json::Map<String, serde_json::Value>)> {
    let input = fs::read(wasm).with_context(|| format!("reading {}", wasm.display()))?;
    let main = folder.join(format!("{entry}_split.wasm"));
    let main_module = format!("./{entry}.js");
    let mut options = wasm_split_cli_support::Options::new(&input);
    options.output_dir = folder;
    options.main_out_path = &main;
    options.main_module = &main_module;
    options.link_name = "./__wasm_split.js";
    let split = wasm_split_cli_support::transform(options)
        .map_err(|e| anyhow::anyhow!("wasm-split: {e}"))?;
    let mut chunks = serde_json::Map::new();
    for (name, files) in split.prefetch_map {
        if let Some((lazy, _)) = name.rsplit_once('_') {
            let files = files
                .iter()
                .map(|f| serde_json::Value::from(format!("{entry}/{f}.wasm")))
                .collect();
            chunks.insert(lazy.to_string(), serde_json::Value::Array(files));
        }
    }
    Ok((main, chunks))
}

/// Every file under `folder`, its subfolders' too, in path order.
fn files_in(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(files_in(&path)?);
        } else {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

fn files_with_extension(folder: &Path, extension: &str) -> Result<Vec<PathBuf>> {
    Ok(files_in(folder)?
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == extension))
        .collect())
}

/// The features rustc's wasm32 target enables by default, so wasm-opt accepts its output.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// `style/*.css` (except the inlined critical.css) in file-name order, minified.
/// A stylesheet from `style/*.css` in name order: `app.css` (the consumer's first load: tokens,
/// base, components, the home page), `pages.css` (every other consumer page, linked by their
/// shells and loaded by the app after the home page's first paint) and `console.css`. The
/// critical CSS is inlined in the shells instead.
fn stylesheet(root: &Path, sheet: &str) -> Result<String> {
    let wanted = |name: &str| match (sheet, name) {
        (_, "critical.css") => false,
        ("pages.css", name) => name == "30-pages.css",
        ("console.css", name) => name != "30-pages.css" && name != "25-home.css",
        (_, name) => name != "30-pages.css" && name != "40-console.css",
    };
    let mut files: Vec<PathBuf> = fs::read_dir(root.join("style"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "css"))
        .filter(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(wanted))
        .collect();
    files.sort();
    let mut css = String::new();
    for file in files {
        css.push_str(&minify_css(&fs::read_to_string(file)?));
    }
    Ok(css)
}

/// Drops comments and collapses white space: brotli does the rest.
fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
    }
    out.push_str(rest);
    let collapsed: Vec<&str> = out.split_whitespace().collect();
    let mut joined = collapsed.join(" ");
    for token in ["{", "}", ";", ","] {
        joined = joined
            .replace(&format!(" {token}"), token)
            .replace(&format!("{token} "), token);
    }
    // Only the space after a colon goes: before one it may be a descendant combinator (`a :hover`).
    joined = joined
        .replace(": ", ":")
        .replace(";}", "}")
        .replace(" > ", ">");
    joined
}

/// A short content hash of every asset: a new build gets a new folder, so WeChat's cached
/// shell can never pair with half-updated assets.
fn version_of(folder: &Path) -> Result<String> {
    let mut hasher = Sha256::new();
    for path in files_in(folder)? {
        hasher.update(path.strip_prefix(folder)?.as_os_str().as_encoded_bytes());
        hasher.update(fs::read(path)?);
    }
    Ok(hasher
        .finalize()
        .iter()
        .take(5)
        .map(|b| format!("{b:02x}"))
        .collect())
}

fn precompress(path: &Path) -> Result<()> {
    let compressible = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "js" | "wasm" | "css" | "svg" | "json" | "html"));
    if !compressible {
        return Ok(());
    }
    let bytes = fs::read(path)?;
    let mut br = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        writer.write_all(&bytes)?;
    }
    fs::write(with_suffix(path, "br"), br)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&bytes)?;
    fs::write(with_suffix(path, "gz"), gz.finish()?)?;
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}

fn report(assets: &Path) -> Result<()> {
    eprintln!("built {}", assets.display());
    for file in files_in(assets)? {
        eprintln!(
            "  {:>9} B  {}",
            fs::metadata(&file)?.len(),
            file.strip_prefix(assets)?.display()
        );
    }
    Ok(())
}
