//! LEB128 varints, the packed share's integers: shared by the packing and the reading.

/// Appends `v` as a LEB128 varint: seven bits a byte, low first, the high bit
/// set on every byte but the last.
pub(super) fn varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint as [`varint`] wrote it at `*at`, and moves `at` past it.
pub(super) fn read_varint(bytes: &[u8], at: &mut usize) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    while let Some(&b) = bytes.get(*at) {
        *at += 1;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            break;
        }
        shift += 7;
    }
    v
}
