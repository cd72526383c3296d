//! verbatim: a faster `collapse_whitespace` for text that is mostly collapsed
//! already (generated pages: single spaces between words), and trims; all for
//! text that may be borrowed from the source, copied only when it changes.

use minify_html_common::gen::codepoints::WHITESPACE;
use std::borrow::Cow;

/// Same result as `minify_html_common::whitespace::collapse_whitespace`
/// (every run of whitespace becomes one space), but it first looks, with
/// vectorised searches, for the first byte that collapsing would change (a
/// whitespace byte other than a space, or a space after a space), and leaves
/// text without one untouched instead of rewriting every byte in place.
/// Text borrowed from the source stays borrowed unless it changes.
pub fn collapse_whitespace(val: &mut Cow<'_, [u8]>) {
  let other_space = memchr::memchr3(b'\t', b'\n', b'\r', val)
    .into_iter()
    .chain(memchr::memchr(b'\x0c', val))
    .min();
  let double_space = memchr::memmem::find(val, b"  ").map(|i| i + 1);
  let Some(start) = other_space.into_iter().chain(double_space).min() else {
    return;
  };
  let val = val.to_mut();
  let mut in_whitespace = start > 0 && WHITESPACE[val[start - 1]];
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

/// `minify_html_common::whitespace::left_trim`, for text that may be borrowed.
pub fn left_trim(val: &mut Cow<'_, [u8]>) {
  let len = val.iter().take_while(|&&c| WHITESPACE[c]).count();
  match val {
    Cow::Borrowed(slice) => *slice = &slice[len..],
    Cow::Owned(vec) => {
      vec.drain(0..len);
    }
  }
}

/// `minify_html_common::whitespace::right_trim`, for text that may be borrowed.
pub fn right_trim(val: &mut Cow<'_, [u8]>) {
  let retain = val.len() - val.iter().rev().take_while(|&&c| WHITESPACE[c]).count();
  match val {
    Cow::Borrowed(slice) => *slice = &slice[..retain],
    Cow::Owned(vec) => vec.truncate(retain),
  }
}

#[cfg(test)]
mod tests {
  use super::collapse_whitespace;
  use super::left_trim;
  use super::right_trim;
  use std::borrow::Cow;

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
      b"a \tb",
      b"a\t b",
      b"a  \x0c b",
      b"\x0c",
      b" \r\n",
      b"ab \x0b c",
    ];
    for &case in cases {
      for owned in [false, true] {
        let start = |v: &'static [u8]| if owned { Cow::Owned(v.to_vec()) } else { Cow::Borrowed(v) };
        let mut ours = start(case);
        let mut theirs = case.to_vec();
        collapse_whitespace(&mut ours);
        minify_html_common::whitespace::collapse_whitespace(&mut theirs);
        assert_eq!(&*ours, &theirs[..], "{:?}", String::from_utf8_lossy(case));

        let mut ours = start(case);
        let mut theirs = case.to_vec();
        left_trim(&mut ours);
        minify_html_common::whitespace::left_trim(&mut theirs);
        assert_eq!(&*ours, &theirs[..], "left {:?}", String::from_utf8_lossy(case));

        let mut ours = start(case);
        let mut theirs = case.to_vec();
        right_trim(&mut ours);
        minify_html_common::whitespace::right_trim(&mut theirs);
        assert_eq!(&*ours, &theirs[..], "right {:?}", String::from_utf8_lossy(case));
      }
    }
  }
}
