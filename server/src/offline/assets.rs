//! The browser app's files as this server has them: their names (content-hashed when built
//! with cargo-leptos `hash-files`), the list the service worker keeps, and a version that
//! changes with any of them.

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// What a site folder holds for the browser.
#[derive(Debug, Clone)]
pub struct Assets {
    /// URL paths of the main module and the stylesheet, e.g. `/pkg/renkei.<hash>.js`.
    pub js: String,
    pub wasm: String,
    pub css: String,
    /// The split loader (`/pkg/__wasm_split.<hash>.js`) of a build split by area.
    pub loader: Option<String>,
    /// The fair tablet's own module (`pkg/tablet.<hash>.js` and `.wasm`), when built.
    pub tablet: Option<Tablet>,
    /// Every file the app may load from `/pkg` (the split parts and their loader included),
    /// as URL paths, sorted.
    pub files: Vec<String>,
    /// This build's version for the service worker. [`Assets::load`] gives a digest of the
    /// served files' names and contents; `offline::load` folds in what the server makes from
    /// them (pages, boot scripts, the worker's script), which is what the server uses.
    pub version: String,
    /// cargo-leptos's hash file, when the names carry content hashes.
    pub hash_file: Option<PathBuf>,
}

/// The fair tablet's module: its script and its wasm.
#[derive(Debug, Clone)]
pub struct Tablet {
    pub js: String,
    pub wasm: String,
}

/// Whether a file of the build is sent to browsers: not the compressed copies (served in place
/// of their originals, never by their own names), the type declarations (`renkei.d.ts`, hashed
/// as `renkei.d.<hash>.ts`) or the split manifest (read by the server).
pub fn served(name: &str) -> bool {
    !(name.ends_with(".br")
        || name.ends_with(".gz")
        || name.ends_with(".ts")
        || name.starts_with("__wasm_split_manifest"))
}

/// An entry's file: `stem.<hash>.ext` or `stem.ext`.
fn entry_file(names: &[String], stem: &str, ext: &str) -> Option<String> {
    names
        .iter()
        .find(|n| {
            n.strip_prefix(stem)
                .and_then(|rest| rest.strip_suffix(ext))
                .is_some_and(|middle| {
                    middle.is_empty() || (middle.starts_with('.') && !middle[1..].contains('.'))
                })
        })
        .cloned()
}

/// The main module's file for this extension: `renkei.<hash>.js` or `renkei.js`.
fn main_file(names: &[String], ext: &str) -> String {
    entry_file(names, "renkei", ext).unwrap_or_else(|| format!("renkei{ext}"))
}

impl Assets {
    pub fn load(site_root: &str) -> Self {
        let pkg = Path::new(site_root).join("pkg");
        let mut names: Vec<String> = std::fs::read_dir(&pkg)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
            .filter_map(|e| e.file_name().into_string().ok())
            .filter(|n| served(n))
            .collect();
        names.sort();
        let version = version_of(&pkg, &names);
        let js = main_file(&names, ".js");
        let hashed = js != "renkei.js";
        let hash_file = hashed.then(|| hash_file(site_root)).flatten();
        if hashed && hash_file.is_none() {
            tracing::error!(
                site_root,
                "the app's files have hashed names but no hash.txt was found beside them or \
                 the server: pages will name files that do not exist (copy target/release/hash.txt \
                 into the site folder)"
            );
        }
        let tablet = entry_file(&names, "tablet", ".js")
            .zip(entry_file(&names, "tablet", ".wasm"))
            .map(|(js, wasm)| Tablet {
                js: format!("/pkg/{js}"),
                wasm: format!("/pkg/{wasm}"),
            });
        if tablet.is_none() {
            tracing::error!(
                site_root,
                "the fair tablet's module (pkg/tablet.*.js and .wasm) is not in the site folder: \
                 /fair will say it cannot start (build it with ./scripts/run or ./scripts/test)"
            );
        }
        Self {
            tablet,
            wasm: format!("/pkg/{}", main_file(&names, ".wasm")),
            css: format!("/pkg/{}", main_file(&names, ".css")),
            loader: names
                .iter()
                .find(|n| n.starts_with("__wasm_split.") && n.ends_with(".js"))
                .map(|n| format!("/pkg/{n}")),
            js: format!("/pkg/{js}"),
            files: names.iter().map(|n| format!("/pkg/{n}")).collect(),
            version,
            hash_file,
        }
    }
}

/// The build's version, from the served files' names and contents (read once, at start: a few
/// MB). Not from their times: app servers behind one address, each with its own copy of the
/// same build, must give browsers the same version, or every change of server would make the
/// worker fetch and keep the whole build again.
fn version_of(pkg: &Path, names: &[String]) -> String {
    let mut digest = Sha256::new();
    for name in names {
        let content = std::fs::read(pkg.join(name)).unwrap_or_else(|error| {
            // Counted as empty: this server's version then differs from its peers', and the
            // file itself cannot be served either.
            tracing::error!(file = name, %error, "a file of the build cannot be read");
            Vec::new()
        });
        digest.update(format!("{name}\0{}\0", content.len()));
        digest.update(&content);
    }
    digest.update(env!("CARGO_PKG_VERSION"));
    hex::encode(&digest.finalize()[..8])
}

/// cargo-leptos writes `hash.txt` beside the server binary; the project's scripts also copy
/// it into the site folder, which travels with the files it names.
fn hash_file(site_root: &str) -> Option<PathBuf> {
    let beside_site = Path::new(site_root).join("hash.txt");
    let beside_exe = std::env::current_exe()
        .ok()
        .and_then(|exe| exe.parent().map(|dir| dir.join("hash.txt")));
    [Some(beside_site), beside_exe]
        .into_iter()
        .flatten()
        .find(|p| p.is_file())
        .and_then(|p| std::path::absolute(p).ok())
}

/// Whether a `/pkg` file name carries a content hash (`stem.<hash>.ext`), so it can be kept
/// by browsers for a year: another build gives another name. Not the split loader
/// (`__wasm_split.<hash>.js`): cargo-leptos names it before writing the parts' names into it,
/// so the same name can hold another build's list of parts.
pub fn is_hashed(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    let [stem, hash, _ext] = parts.as_slice() else {
        return false;
    };
    !stem.is_empty()
        && *stem != "__wasm_split"
        && hash.len() >= 16
        && hash
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && !hash.chars().all(|c| c == '_')
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// A site folder whose `pkg` holds these files (each containing its own name).
    pub(in crate::offline) fn site_folder(names: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let pkg = dir.path().join("pkg");
        std::fs::create_dir_all(&pkg).unwrap();
        for name in names {
            std::fs::write(pkg.join(name), name).unwrap();
        }
        dir
    }

    #[test]
    fn hashed_names_are_told_from_plain_ones() {
        assert!(is_hashed("renkei.Zx1fQyRk3u9YbK2a7VmNcA.wasm"));
        assert!(is_hashed("chunk_12.Zx1fQyRk3u9YbK2a7VmNcA.wasm"));
        assert!(!is_hashed("renkei.wasm"));
        assert!(!is_hashed("chunk_12.wasm"));
        // cargo-leptos's placeholder name before hashing, and the loader after (not a hash of
        // its final content); names without a hash part.
        assert!(!is_hashed("__wasm_split.______________________.js"));
        assert!(!is_hashed("__wasm_split.MVkqVrhGJooB2es-4uo3Hw.js"));
        assert!(!is_hashed("split_admin_area_7207565188134889907.wasm"));
        assert!(!is_hashed("__wasm_split_manifest.json"));
        assert!(is_hashed(
            "split_admin_area_7207565188134889907.lY40JV6_NnT8wcgQTOU1Jg.wasm"
        ));
    }

    #[test]
    fn a_site_folder_is_read_as_the_browser_loads_it() {
        let dir = site_folder(&[
            "renkei.AAAAAAAAAAAAAAAAAAAAAA.js",
            "renkei.BBBBBBBBBBBBBBBBBBBBBB.wasm",
            "renkei.BBBBBBBBBBBBBBBBBBBBBB.wasm.br",
            "renkei.CCCCCCCCCCCCCCCCCCCCCC.css",
            "tablet.TTTTTTTTTTTTTTTTTTTTTT.js",
            "tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm",
            "chunk_1.DDDDDDDDDDDDDDDDDDDDDD.wasm",
            "__wasm_split.EEEEEEEEEEEEEEEEEEEEEE.js",
            "__wasm_split_manifest.FFFFFFFFFFFFFFFFFFFFFF.json",
            "renkei.d.ts",
            "renkei.d.HHHHHHHHHHHHHHHHHHHHHH.ts",
        ]);
        let pkg = dir.path().join("pkg");
        let site = dir.path().to_str().unwrap();
        let a = Assets::load(site);
        assert_eq!(a.js, "/pkg/renkei.AAAAAAAAAAAAAAAAAAAAAA.js");
        assert_eq!(a.wasm, "/pkg/renkei.BBBBBBBBBBBBBBBBBBBBBB.wasm");
        assert_eq!(a.css, "/pkg/renkei.CCCCCCCCCCCCCCCCCCCCCC.css");
        let tablet = a.tablet.as_ref().expect("the tablet's module");
        assert_eq!(tablet.js, "/pkg/tablet.TTTTTTTTTTTTTTTTTTTTTT.js");
        assert_eq!(tablet.wasm, "/pkg/tablet.UUUUUUUUUUUUUUUUUUUUUU.wasm");
        assert_eq!(a.files.len(), 7, "{:?}", a.files);
        assert!(
            a.files
                .iter()
                .all(|f| !f.ends_with(".br") && !f.ends_with(".json"))
        );
        assert_eq!(Assets::load(site).version, a.version, "stable");
        std::fs::write(pkg.join("chunk_2.GGGGGGGGGGGGGGGGGGGGGG.wasm"), "x").unwrap();
        assert_ne!(
            Assets::load(site).version,
            a.version,
            "a new part is a new version"
        );
        // Another copy of the same build (another app server, deployed at another time) is
        // the same version; a file whose content changed under the same name and size (the
        // split loader keeps its name across builds) is another.
        let copy = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(copy.path().join("pkg")).unwrap();
        std::thread::sleep(std::time::Duration::from_millis(20));
        for entry in std::fs::read_dir(&pkg).unwrap() {
            let entry = entry.unwrap();
            std::fs::copy(
                entry.path(),
                copy.path().join("pkg").join(entry.file_name()),
            )
            .unwrap();
        }
        let copy_site = copy.path().to_str().unwrap();
        let now = Assets::load(site).version;
        assert_eq!(
            Assets::load(copy_site).version,
            now,
            "the same build elsewhere"
        );
        std::fs::write(
            copy.path().join("pkg/chunk_2.GGGGGGGGGGGGGGGGGGGGGG.wasm"),
            "y",
        )
        .unwrap();
        assert_ne!(
            Assets::load(copy_site).version,
            now,
            "same name and size, new content"
        );
        // Without hashes (debug builds, tests): the plain names.
        let plain = Assets::load(dir.path().join("nowhere").to_str().unwrap());
        assert_eq!(plain.js, "/pkg/renkei.js");
        assert_eq!(plain.hash_file, None);
        assert!(plain.tablet.is_none());
    }
}
