//! The shared real-photo QR sets (`shared/qr-photos`) and their ground truth.
//!
//! Used by the integration tests and by the `photos` benchmark. The sets live
//! outside the repository; when they are absent every caller says so and skips.

use std::fs;
use std::path::{Path, PathBuf};

/// One photo and the texts a correct decoder may return for it.
pub struct Photo {
    /// Path of the image file.
    pub path: PathBuf,
    /// Path relative to its set, for messages.
    pub name: String,
    /// Every code's text (several for multi-code images).
    pub expected: Vec<String>,
    /// Other renderings of the same payload that count as correct too (for
    /// non-UTF-8 payloads whose "text" depends on the character set chosen).
    pub alternatives: Vec<String>,
}

impl Photo {
    /// Whether `text` is one of this photo's payloads.
    pub fn accepts(&self, text: &str) -> bool {
        self.expected
            .iter()
            .chain(&self.alternatives)
            .any(|t| t == text)
    }
}

/// The root of the photo sets, or `None` (after saying so) when they are absent.
pub fn photos_root() -> Option<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/qr-photos");
    if root.join("zxing/MANIFEST.tsv").is_file() {
        Some(root)
    } else {
        assert!(
            std::env::var_os("JETON_REQUIRE_SHARED").is_none_or(|v| v != "1"),
            "qr-photos absent ({}) and JETON_REQUIRE_SHARED=1",
            root.display()
        );
        println!("qr-photos absent: skipped (looked in {})", root.display());
        None
    }
}

/// The names of the sets, in reporting order.
pub const SET_NAMES: [&str; 3] = ["zxing", "zxing-cpp", "jsqr"];

/// Loads the set `name` ("zxing", "zxing-cpp" or "jsqr") from `root`.
pub fn load_set(root: &Path, name: &str) -> Vec<Photo> {
    match name {
        "zxing" => load_zxing(&root.join("zxing")),
        "zxing-cpp" => load_zxing_cpp(&root.join("zxing-cpp")),
        "jsqr" => load_jsqr(&root.join("jsqr")),
        other => panic!("unknown photo set {other}"),
    }
}

/// zxing's single-code QR photos (qrcode-1..6, 179 images).
fn load_zxing(dir: &Path) -> Vec<Photo> {
    manifest_rows(dir)
        .filter(|(path, _)| path.starts_with("qrcode-"))
        .map(|(path, expected_file)| photo(dir, &path, vec![read_text(&dir.join(expected_file))]))
        .collect()
}

/// zxing's one image with four codes, and its four texts.
pub fn zxing_multi(root: &Path) -> Photo {
    let dir = root.join("zxing/multi-qrcode-1");
    let json: serde_json::Value =
        serde_json::from_str(&read_text(&dir.join("1.expected.json"))).expect("expected.json");
    let expected = json["expected_set"]
        .as_array()
        .expect("expected_set")
        .iter()
        .map(|t| t.as_str().expect("text").to_owned())
        .collect();
    photo(&root.join("zxing"), "multi-qrcode-1/1.png", expected)
}

/// zxing-cpp's QR samples, less qrcode-7 (a structured-append message whose
/// per-symbol texts are not given).
fn load_zxing_cpp(dir: &Path) -> Vec<Photo> {
    manifest_rows(dir)
        .filter(|(path, _)| !path.starts_with("qrcode-7/"))
        .map(|(path, expected_file)| photo(dir, &path, vec![read_text(&dir.join(expected_file))]))
        .collect()
}

/// jsQR's photos with a known payload (jsQR's own snapshot; the 40 it could not
/// read have no ground truth and are left out).
fn load_jsqr(dir: &Path) -> Vec<Photo> {
    let mut photos = Vec::new();
    let mut names: Vec<String> = manifest_rows(dir).map(|(name, _)| name).collect();
    names.sort();
    for name in names {
        let case = dir.join("end-to-end").join(&name);
        let json: serde_json::Value =
            serde_json::from_str(&read_text(&case.join("output.json"))).expect("output.json");
        if json.is_null() {
            continue;
        }
        let data = json["data"].as_str().expect("data").to_owned();
        let bytes: Vec<u8> = json["binaryData"]
            .as_array()
            .expect("binaryData")
            .iter()
            .map(|b| b.as_u64().expect("byte") as u8)
            .collect();
        let mut photo = photo(&case, "input.png", vec![data]);
        photo.name = format!("{name}/input.png");
        photo.alternatives.extend(byte_renderings(&bytes));
        photos.push(photo);
    }
    photos
}

/// The texts a decoder may reasonably produce for a byte payload.
fn byte_renderings(bytes: &[u8]) -> Vec<String> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return vec![text.to_owned()];
    }
    let mut texts = Vec::new();
    let (sjis, _, sjis_errors) = encoding_rs::SHIFT_JIS.decode(bytes);
    if !sjis_errors {
        texts.push(sjis.into_owned());
    }
    texts.push(bytes.iter().map(|&b| char::from(b)).collect());
    texts
}

/// The "double QR" photo (zxing qrcode-2/16, zxing-cpp qrcode-2/16, jsQR 170)
/// shows a small code inside a large one. Each set names only one of them as
/// the answer, but a decoder that reads both is right, not wrong.
const NESTED_CODES: [&str; 2] = [
    "[外側QRコード]\r\n \r\n*ﾀﾞﾌﾞﾙQR*\r\nhttp://d-qr.net/ex/",
    "[内側QRコード]\r\n\r\n*ダブルQR*\r\nhttp://d-qr.net/ex/",
];

fn photo(dir: &Path, relative: &str, expected: Vec<String>) -> Photo {
    let alternatives = if expected.iter().any(|t| NESTED_CODES.contains(&t.as_str())) {
        NESTED_CODES.iter().map(|t| (*t).to_owned()).collect()
    } else {
        Vec::new()
    };
    Photo {
        path: dir.join(relative),
        name: relative.to_owned(),
        expected,
        alternatives,
    }
}

/// (first column, the column named `expected_file` or the second) of each MANIFEST.tsv row.
fn manifest_rows(dir: &Path) -> impl Iterator<Item = (String, String)> {
    let manifest = read_text(&dir.join("MANIFEST.tsv"));
    let mut lines = manifest.lines();
    let header: Vec<&str> = lines.next().expect("manifest header").split('\t').collect();
    let expected_column = header.iter().position(|c| *c == "expected_file");
    lines
        .map(|line| {
            let cells: Vec<&str> = line.split('\t').collect();
            let expected = expected_column.map_or("", |i| cells[i]);
            (cells[0].to_owned(), expected.to_owned())
        })
        .collect::<Vec<_>>()
        .into_iter()
}

fn read_text(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
