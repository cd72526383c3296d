//! ASCII text seen sixty-four bytes at a time: which bytes belong to a class
//! (word characters, whitespace) as one bit mask, sixteen bytes per vector
//! compare. Word boundaries then come from bit arithmetic rather than a
//! branch per byte, which mispredicts at every word: the search tokeniser and
//! the word counts read every word of the edition.

/// A class of ASCII bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    /// `[0-9A-Za-z]`, as `u8::is_ascii_alphanumeric`.
    Alphanumeric,
    /// The six bytes `char::is_whitespace` accepts: space, tab, line feed,
    /// vertical tab, form feed, carriage return.
    Whitespace,
}

/// The mask of `class` bytes among the 64 from `at`: bit `i` is set when byte
/// `at + i` is of the class. Bytes past the end count as spaces (whitespace,
/// not alphanumeric).
pub fn mask(bytes: &[u8], at: usize, class: Class) -> u64 {
    let rest = &bytes[at.min(bytes.len())..];
    match rest.first_chunk::<64>() {
        // Read in place: only the text's last block is copied (and padded).
        Some(chunk) => chunk_mask(chunk, class),
        None => {
            let mut chunk = [b' '; 64];
            chunk[..rest.len()].copy_from_slice(rest);
            chunk_mask(&chunk, class)
        }
    }
}

/// [`mask`] of one chunk (every x86-64 processor has SSE2).
#[cfg(target_arch = "x86_64")]
fn chunk_mask(chunk: &[u8; 64], class: Class) -> u64 {
    use std::arch::x86_64::*;
    let mut mask = 0u64;
    for (i, part) in chunk.chunks_exact(16).enumerate() {
        // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `part`.
        // A byte range `lo..lo + n` is tested by shifting `lo` to i8::MIN and
        // comparing signed: below `i8::MIN + n` means inside.
        let bits = unsafe {
            let v = _mm_loadu_si128(part.as_ptr().cast());
            let in_range = |v: __m128i, lo: u8, n: i8| {
                _mm_cmplt_epi8(
                    _mm_add_epi8(v, _mm_set1_epi8(0x80u8.wrapping_sub(lo) as i8)),
                    _mm_set1_epi8(i8::MIN + n),
                )
            };
            let hits = match class {
                Class::Alphanumeric => _mm_or_si128(
                    in_range(_mm_or_si128(v, _mm_set1_epi8(0x20)), b'a', 26),
                    in_range(v, b'0', 10),
                ),
                Class::Whitespace => _mm_or_si128(
                    _mm_cmpeq_epi8(v, _mm_set1_epi8(b' ' as i8)),
                    in_range(v, b'\t', 5),
                ),
            };
            _mm_movemask_epi8(hits) as u16
        };
        mask |= u64::from(bits) << (16 * i);
    }
    mask
}

#[cfg(not(target_arch = "x86_64"))]
fn chunk_mask(chunk: &[u8; 64], class: Class) -> u64 {
    chunk
        .iter()
        .enumerate()
        .fold(0, |mask, (i, &b)| mask | u64::from(is(b, class)) << i)
}

/// Whether byte `b` is of `class`, one byte at a time (the specification the
/// masks are tested against).
pub fn is(b: u8, class: Class) -> bool {
    match class {
        Class::Alphanumeric => b.is_ascii_alphanumeric(),
        Class::Whitespace => b == b' ' || (b'\t'..=b'\r').contains(&b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The masks mark exactly the bytes of their class, for every byte value
    /// at every position of a chunk, and treat bytes past the end as spaces.
    #[test]
    fn masks_mark_their_class() {
        for class in [Class::Alphanumeric, Class::Whitespace] {
            let space = u64::from(is(b' ', class));
            for b in 0..=255u8 {
                for at in [0, 15, 16, 40, 63] {
                    let mut bytes = vec![b' '; 64];
                    bytes[at] = b;
                    let want =
                        if space == 1 { !(1u64 << at) } else { 0 } | u64::from(is(b, class)) << at;
                    assert_eq!(
                        mask(&bytes, 0, class),
                        want,
                        "{class:?}: byte {b:#x} at {at}"
                    );
                }
            }
            // Three bytes, then the end of the text.
            let past = if space == 1 { !0u64 << 3 } else { 0 };
            assert_eq!(
                mask(b"a b", 0, class) & !0b111,
                past,
                "{class:?} past the end"
            );
        }
        // `char::is_whitespace` agrees on ASCII.
        for b in 0..128u8 {
            assert_eq!(
                is(b, Class::Whitespace),
                char::from(b).is_whitespace(),
                "{b:#x}"
            );
        }
    }
}
