//! verbatim: a faster `collapse_whitespace` for text that is mostly collapsed
//! already (generated pages: single spaces between words).

use minify_html_common::gen::codepoints::WHITESPACE;

/// Same result as `minify_html_common::whitespace::collapse_whitespace`
/// (every run of whitespace becomes one space), but it first looks, reading
/// only, for the first byte that collapsing would change, and leaves text
/// without one untouched instead of rewriting every byte in place.
pub fn collapse_whitespace(val: &mut Vec<u8>) {
  let mut in_whitespace = false;
  let mut first_change = None;
  for (i, &c) in val.iter().enumerate() {
    if WHITESPACE[c] {
      if in_whitespace || c != b' ' {
        first_change = Some(i);
        break;
      }
      in_whitespace = true;
    } else {
      in_whitespace = false;
    }
  }
  let Some(start) = first_change else {
    return;
  };
  let mut write = start;
  for i in start..val.len() {
    let mut c = val[i];
    if WHITESPACE[c] {
      if in_whitespace {
        continue;
      };
      in_whitespace = true;
      c = b' ';
    } else {
      in_whitespace = false;
    };
    val[write] = c;
    write += 1;
  }
  val.truncate(write);
}

#[cfg(test)]
mod tests {
  use super::collapse_whitespace;

  #[test]
  fn collapses_as_upstream_does() {
    let cases: &[&[u8]] = &[
      b"",
      b" ",
      b"  ",
      b"a",
      b"a b",
      b"a  b",
      b" a b ",
      b"a\tb",
      b"a \nb",
      b"\n\na b  c\r\n",
      b"one two three\x0cfour",
      b"caf\xc3\xa9  au lait ",
    ];
    for &case in cases {
      let mut ours = case.to_vec();
      let mut theirs = case.to_vec();
      collapse_whitespace(&mut ours);
      minify_html_common::whitespace::collapse_whitespace(&mut theirs);
      assert_eq!(ours, theirs, "{:?}", String::from_utf8_lossy(case));
    }
  }
}
