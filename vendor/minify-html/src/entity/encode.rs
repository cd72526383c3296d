use aho_corasick::AhoCorasick;
use aho_corasick::AhoCorasickBuilder;
use aho_corasick::MatchKind;
use memchr::memchr;
use minify_html_common::gen::codepoints::ALPHANUMERIC_OR_EQUALS;
use minify_html_common::gen::entities::EntityType;
use minify_html_common::gen::entities::ENTITY;
use minify_html_common::gen::entities::SHORTER_ENCODED_ENTITIES_DECODED;
use minify_html_common::gen::entities::SHORTER_ENCODED_ENTITIES_ENCODED;
use minify_html_common::pattern::TrieNodeMatch;
use once_cell::sync::Lazy;
use std::borrow::Cow;

static SHORTER_ENCODED_ENTITIES_ENCODED_SEARCHER: Lazy<AhoCorasick> = Lazy::new(|| {
  AhoCorasickBuilder::new()
    .match_kind(MatchKind::LeftmostLongest)
    .build(SHORTER_ENCODED_ENTITIES_DECODED)
    .unwrap()
});

// Encodes ampersands when necessary, as well as UTF-8 sequences that are shorter encoded.
// Does not handle context-specific escaping e.g. `>`, `'`, `"`.
// Set {@param must_end_with_semicolon} to true to pass validation.
//
// verbatim: returns the input itself, borrowed, when nothing is encoded (the
// usual text node: no `&`, ASCII): no copy of every text node and attribute
// value. Otherwise the result is upstream's.
pub fn encode_entities(
  mut code: &[u8],
  in_attr_val: bool,
  must_end_with_semicolon: bool,
) -> Cow<'_, [u8]> {
  if memchr(b'&', code).is_none() {
    if code.is_ascii() || SHORTER_ENCODED_ENTITIES_ENCODED_SEARCHER.find(code).is_none() {
      return Cow::Borrowed(code);
    }
    return Cow::Owned(
      SHORTER_ENCODED_ENTITIES_ENCODED_SEARCHER
        .replace_all_bytes(code, SHORTER_ENCODED_ENTITIES_ENCODED),
    );
  }
  let mut res = Vec::<u8>::with_capacity(code.len() + 16);
  while !code.is_empty() {
    let (before, matched) = match memchr(b'&', code) {
      None => (code.len(), false),
      Some(n) => (n, true),
    };
    res.extend_from_slice(&code[..before]);
    code = &code[before..];
    if matched {
      let (start, end) = match ENTITY.longest_matching_prefix(code) {
        // Entity is malformed, so we can just ignore it.
        TrieNodeMatch::NotFound { reached } => (0, reached),
        TrieNodeMatch::Found { len, value } => (
          match value {
            EntityType::Named(_)
              if in_attr_val
                && code[len - 1] != b';'
                && code.get(len).is_some_and(|&c| ALPHANUMERIC_OR_EQUALS[c]) =>
            {
              // A named entity inside an attribute value that doesn't end with semicolon but is followed by an alphanumeric or `=` character is not decoded, so we don't need to encode.
              // https://html.spec.whatwg.org/multipage/parsing.html#named-character-reference-state.
              0
            }
            _ => {
              if must_end_with_semicolon {
                res.extend_from_slice(b"&amp;");
              } else {
                res.extend_from_slice(b"&amp");
              };
              // Skip the leading ampersand, as it will be replaced by `&amp`.
              1
            }
          },
          len,
        ),
      };
      res.extend_from_slice(&code[start..end]);
      code = &code[end..];
    };
  }
  // verbatim: every pattern holds a non-ASCII byte (see the test below), so
  // ASCII text has nothing to replace; skipping the search saves a pass and a
  // copy per text node and attribute value.
  if res.is_ascii() {
    return Cow::Owned(res);
  }
  Cow::Owned(
    SHORTER_ENCODED_ENTITIES_ENCODED_SEARCHER
      .replace_all_bytes(&res, SHORTER_ENCODED_ENTITIES_ENCODED),
  )
}

#[cfg(test)]
mod ascii_fast_path {
  use minify_html_common::gen::entities::SHORTER_ENCODED_ENTITIES_DECODED;

  #[test]
  fn every_shorter_encoded_character_is_non_ascii() {
    for decoded in SHORTER_ENCODED_ENTITIES_DECODED {
      assert!(!decoded.is_ascii(), "{:?}", decoded);
    }
  }
}
