//! The index files' written format (JSON, base64url postings, registering scripts), in one place.

use super::{IndexFile, SESSION_SPAN};
use xxhash_rust::xxh3::xxh3_64;

/// Appends `s` as a JSON string, as serde_json writes it. Most text needs no
/// escape (no quote, backslash or control character): that is found in one
/// pass the compiler vectorises and the text copied whole (serde_json looks
/// each byte up in a table, for every byte of every document shard).
pub(super) fn push_json_string(out: &mut String, s: &str) {
    let plain = s.bytes().fold(true, |plain, b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else {
        out.push_str(&serde_json::to_string(s).unwrap_or_default());
    }
}

/// The alphabet postings are written in (base64url's, safe in a JSON string
/// unescaped): a posting takes two or three bytes, against five to seven as
/// JSON numbers, and the postings are half the index.
pub(super) const DIGITS: &[u8; 64] =
    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Appends a number in base 32, least significant digit first: a digit
/// followed by more is written as `DIGITS[32 + d]`, the last as `DIGITS[d]`,
/// so numbers below 32 take one character.
fn push_number(out: &mut String, mut v: u64) {
    while v >= 32 {
        out.push(DIGITS[32 + (v & 31) as usize] as char);
        v >>= 5;
    }
    out.push(DIGITS[v as usize] as char);
}

/// Appends postings as a JSON string of [`DIGITS`] (see [`push_number`]): a
/// new session starts with `0, session delta, paragraph`; a further paragraph
/// of the same session is its paragraph delta (never 0, documents being
/// distinct); each is followed by the impact, one character.
pub(super) fn push_postings(out: &mut String, postings: &[(u64, u8)]) {
    push_list(out, postings, true);
}

/// Writes documents as a full list's presence: `push_postings` without the
/// impacts (the head in the term shard has the best ones; every other
/// posting ranks at most as its lowest), a third smaller before packing.
pub(super) fn push_presence(out: &mut String, postings: &[(u64, u8)]) {
    push_list(out, postings, false);
}

fn push_list(out: &mut String, postings: &[(u64, u8)], impacts: bool) {
    out.push('"');
    let (mut session, mut para) = (0u64, 0u64);
    for (k, &(doc, impact)) in postings.iter().enumerate() {
        let (s, p) = (doc / SESSION_SPAN, doc % SESSION_SPAN);
        if k == 0 || s != session {
            push_number(out, 0);
            push_number(out, s - session);
            push_number(out, p);
        } else {
            push_number(out, p - para);
        }
        if impacts {
            out.push(DIGITS[usize::from(impact & 63)] as char);
        }
        (session, para) = (s, p);
    }
    out.push('"');
}

/// Reads postings as written by `push_postings` (and as `search.js` reads
/// them): `(document id, impact)` pairs. For tests and the benchmark tools;
/// stops at the first character outside `DIGITS`.
pub fn decode_postings(text: &str) -> Vec<(u64, u64)> {
    read_list(text, true)
}

fn read_list(text: &str, impacts: bool) -> Vec<(u64, u64)> {
    let digits: Vec<u64> = text
        .bytes()
        .map_while(|b| DIGITS.iter().position(|&d| d == b).map(|d| d as u64))
        .collect();
    let mut at = 0;
    let number = |at: &mut usize| -> Option<u64> {
        let (mut v, mut shift) = (0u64, 0);
        loop {
            let d = *digits.get(*at)?;
            *at += 1;
            if d < 32 {
                return Some(v | d << shift);
            }
            v |= (d - 32) << shift;
            shift += 5;
        }
    };
    let (mut session, mut para) = (0u64, 0u64);
    let mut out = Vec::new();
    while let Some(x) = number(&mut at) {
        if x == 0 {
            let (Some(delta), Some(p)) = (number(&mut at), number(&mut at)) else {
                break;
            };
            session += delta;
            para = p;
        } else {
            para += x;
        }
        // The impact is one whole digit.
        let impact = if impacts {
            let Some(&impact) = digits.get(at) else {
                break;
            };
            at += 1;
            impact
        } else {
            0
        };
        out.push((session * SESSION_SPAN + para, impact));
    }
    out
}

/// Like [`emit`], for files read as a whole and large enough that
/// compression pays (documents, directories, the session and people tables,
/// full postings): the JSON is deflated (raw, which browsers undo with
/// `DecompressionStream("deflate-raw")`) and registered as one base64 string,
/// which tells `search.js` to inflate it. Named by the JSON's hash, as
/// [`emit`] names, so the name does not depend on the compressor.
pub(super) fn emit_packed(files: &mut Vec<IndexFile>, kind: &str, json: String) -> String {
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    write(files, &name, &packed(&json));
    name
}

/// As [`emit_packed`], unless `published` says the output holds the file of
/// that name already (its name is its JSON's hash, so it is this file): then
/// nothing is compressed again, and its path goes to `kept`.
pub(super) fn emit_packed_or_keep(
    files: &mut Vec<IndexFile>,
    kept: &mut Vec<String>,
    published: &dyn Fn(&str) -> bool,
    kind: &str,
    json: String,
) -> String {
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    let path = format!("search/{name}.js");
    if published(&path) {
        kept.push(path);
    } else {
        write(files, &name, &packed(&json));
    }
    name
}

/// JSON as a packed file registers it: raw deflate, in base64, as a JSON string.
pub(super) fn packed(json: &str) -> String {
    use base64::Engine as _;
    use std::io::Write as _;
    let mut deflater = flate2::write::DeflateEncoder::new(
        Vec::with_capacity(json.len() / 3),
        // Level 3 packs within a few percent of the default (6) at N = 5,000
        // in two thirds of its time (BENCHMARKS.md, "Search").
        flate2::Compression::new(3),
    );
    // Writing into memory cannot fail.
    let _ = deflater.write_all(json.as_bytes());
    let bytes = deflater.finish().unwrap_or_default();
    format!(
        "\"{}\"",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

/// Reads a full list's documents as written by `push_presence` (and as
/// `search.js` reads them). For tests and the benchmark tools.
pub fn decode_presence(text: &str) -> Vec<u64> {
    read_list(text, false)
        .into_iter()
        .map(|(doc, _)| doc)
        .collect()
}

/// Reads back a file's data as [`emit`] or [`emit_packed`] wrote it: the
/// JSON text (inflated when packed). For tests and the benchmark tools.
pub fn unpacked(data: &str) -> Option<String> {
    use base64::Engine as _;
    use std::io::Read as _;
    let Some(text) = data.strip_prefix('"').and_then(|d| d.strip_suffix('"')) else {
        return Some(data.to_string());
    };
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(text)
        .ok()?;
    let mut json = String::new();
    flate2::read::DeflateDecoder::new(bytes.as_slice())
        .read_to_string(&mut json)
        .ok()?;
    Some(json)
}

/// Writes JSON text as `search/<kind>-<hash>.js`, named by its content hash;
/// returns the name without extension.
pub(super) fn emit(files: &mut Vec<IndexFile>, kind: &str, json: String) -> String {
    let name = format!(
        "{kind}-{:012x}",
        xxh3_64(json.as_bytes()) & 0xffff_ffff_ffff
    );
    write(files, &name, &json);
    name
}

/// Whether an output path is an index file named by a hash of its content
/// (every index file but the manifest), so equal names mean equal bytes.
pub fn is_content_named(path: &str) -> bool {
    path.starts_with("search/") && path != "search/manifest.js"
}

/// Every index file is a script that registers its data: loaded with a
/// `<script>` element it works over HTTP and from disk (`file://`) alike.
pub(super) fn write(files: &mut Vec<IndexFile>, name: &str, json: &str) {
    files.push((
        format!("search/{name}.js"),
        format!("verbatimSearch.register({name:?},{json});\n").into_bytes(),
    ));
}

/// The name and JSON data of an index file as [`write`] wrapped them: its
/// inverse, for tests and the benchmark tools.
pub fn registered(script: &str) -> Option<(&str, &str)> {
    let rest = script.strip_prefix("verbatimSearch.register(\"")?;
    let (name, data) = rest.split_once("\",")?;
    Some((name, data.strip_suffix(");\n")?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Postings read back as written, whatever the gaps between sessions
        /// and paragraphs (one digit or several).
        #[test]
        fn postings_read_back_as_written(
            docs in proptest::collection::btree_map(
                (0u64..5_000, 0u64..SESSION_SPAN).prop_map(|(s, p)| s * SESSION_SPAN + p),
                1u8..=63,
                0..60,
            )
        ) {
            let postings: Vec<(u64, u8)> = docs.into_iter().collect();
            let mut text = String::new();
            push_postings(&mut text, &postings);
            let inner = text.trim_matches('"');
            prop_assert!(inner.bytes().all(|b| DIGITS.contains(&b)));
            let read: Vec<(u64, u8)> = decode_postings(inner)
                .into_iter()
                .map(|(d, i)| (d, i as u8))
                .collect();
            prop_assert_eq!(read, postings);
        }
    }

    proptest! {
        /// Strings are written as serde_json writes them, escapes included.
        #[test]
        fn json_strings_are_written_as_serde_json_writes_them(s in "[a\"\\\\/é\u{0}\u{1f}\u{7f}\n ]{0,20}") {
            let mut ours = String::new();
            push_json_string(&mut ours, &s);
            prop_assert_eq!(ours, serde_json::to_string(&s).unwrap());
        }
    }

    #[test]
    fn a_posting_of_a_nearby_paragraph_takes_two_characters() {
        let mut text = String::new();
        let base = 7 * SESSION_SPAN + 40;
        push_postings(&mut text, &[(base, 29), (base + 1, 36), (base + 3, 20)]);
        // Opening: 0, session 7, paragraph 40 (two digits), impact; then
        // delta and impact, two characters each.
        assert_eq!(text, "\"AHoBdBkCU\"");
    }
}
