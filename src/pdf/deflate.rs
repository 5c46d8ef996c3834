//! Zlib streams for large font programs, deflated in two halves on two cores. The body face's
//! subset (about 280 KB) takes 4 ms to deflate on one core while the other core, its own jobs
//! done, waits for it. The first half ends with a sync flush (byte-aligned, not final), the
//! second starts without the first's window (a few hundred bytes larger in all); the Adler-32
//! checksum covers the whole. Small streams are deflated as one.

use miniz_oxide::deflate::core::{
    compress_to_output, create_comp_flags_from_zip_params, CompressorOxide, TDEFLFlush, TDEFLStatus,
};

/// Streams from this size up are split.
const SPLIT_FROM: usize = 128 * 1024;

/// `data` as a zlib stream at `level`. The bytes depend on `data` and `level` only, never on
/// the machine: on one core, or when no thread can be started, the halves are deflated one
/// after the other.
pub fn zlib(data: &[u8], level: u8) -> Vec<u8> {
    if data.len() < SPLIT_FROM {
        return miniz_oxide::deflate::compress_to_vec_zlib(data, level);
    }
    let (a, b) = data.split_at(data.len() / 2);
    let halves = std::thread::scope(|s| {
        let second = std::thread::Builder::new()
            .spawn_scoped(s, || raw(b, level, TDEFLFlush::Finish))
            .ok();
        let first = raw(a, level, TDEFLFlush::Sync);
        let check = adler32(data);
        let second = match second {
            Some(h) => h.join().ok().flatten(),
            None => raw(b, level, TDEFLFlush::Finish),
        };
        (first, second, check)
    });
    let (Some(first), Some(second), check) = halves else {
        // Only if the compressor reports an error: one stream (never seen).
        return miniz_oxide::deflate::compress_to_vec_zlib(data, level);
    };
    let mut out = Vec::with_capacity(2 + first.len() + second.len() + 4);
    // CMF: deflate, 32 KB window; FLG: no dictionary, check bits making the pair a multiple
    // of 31.
    out.extend_from_slice(&[0x78, 0x01]);
    out.extend_from_slice(&first);
    out.extend_from_slice(&second);
    out.extend_from_slice(&check.to_be_bytes());
    out
}

/// Raw deflate of `data`, ended by `flush` (sync: byte-aligned and open; finish: final block).
fn raw(data: &[u8], level: u8, flush: TDEFLFlush) -> Option<Vec<u8>> {
    let flags = create_comp_flags_from_zip_params(i32::from(level), -15, 0);
    let mut d = Box::new(CompressorOxide::new(flags));
    let mut out = Vec::with_capacity(data.len() * 3 / 4);
    let (status, _) = compress_to_output(&mut d, data, flush, |chunk| {
        out.extend_from_slice(chunk);
        true
    });
    matches!(status, TDEFLStatus::Okay | TDEFLStatus::Done).then_some(out)
}

/// The Adler-32 checksum zlib ends with.
fn adler32(data: &[u8]) -> u32 {
    const MOD: u32 = 65_521;
    let (mut a, mut b) = (1u32, 0u32);
    // 5552 bytes is the most that can be summed before `b` could overflow.
    for chunk in data.chunks(5552) {
        for &x in chunk {
            a += u32::from(x);
            b += a;
        }
        a %= MOD;
        b %= MOD;
    }
    (b << 16) | a
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(n: usize) -> Vec<u8> {
        // Font-like: repetitive structure with noise.
        let mut x: u32 = 12345;
        (0..n)
            .map(|i| {
                x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
                if i % 7 < 4 {
                    (i / 13) as u8
                } else {
                    (x >> 24) as u8
                }
            })
            .collect()
    }

    #[test]
    fn split_streams_inflate_to_the_input() {
        for n in [0, 1, 1000, SPLIT_FROM - 1, SPLIT_FROM, 300_001, 1 << 20] {
            let data = sample(n);
            for level in [1, 6] {
                let z = zlib(&data, level);
                let back = miniz_oxide::inflate::decompress_to_vec_zlib(&z).unwrap();
                assert!(back == data, "n = {n}, level {level}");
                // Within 2% of one stream.
                let one = miniz_oxide::deflate::compress_to_vec_zlib(&data, level);
                assert!(
                    z.len() * 50 <= one.len() * 51 + 100,
                    "{} against {}",
                    z.len(),
                    one.len()
                );
            }
        }
    }

    #[test]
    fn adler32_known_values() {
        assert_eq!(adler32(b""), 1);
        assert_eq!(adler32(b"Wikipedia"), 0x11E6_0398);
        let big = sample(100_000);
        let z = miniz_oxide::deflate::compress_to_vec_zlib(&big, 1);
        let tail: [u8; 4] = z[z.len() - 4..].try_into().unwrap();
        assert_eq!(adler32(&big), u32::from_be_bytes(tail));
    }
}
