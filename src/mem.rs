//! Appending short strings without `memory.copy`.
//!
//! In the wasm build LLVM writes every copy whose length it does not know as a `memory.copy`
//! instruction (bulk memory is on by default), and V8 runs each as a call into C++: about 6 ns
//! whatever the length, where 8 bytes by loads and stores take 1 to 3 ns. Most of a `generate`
//! call's copies append a few bytes to a string (an indent, a quote, a key), so the writers
//! append through [`AppendStr::append_str`], which copies up to [`SHORT`] bytes itself.
//! (Turning bulk memory off does not help: LLVM then calls compiler-builtins' `memcpy`, a word
//! at a time, slower on the long copies; and a function that turns it back on turns it on for
//! the whole module, as a wasm module has one feature set.)

/// Copies of at most this many bytes are made by loads and stores.
const SHORT: usize = 32;

/// `push_str` for the writers' many short appends.
pub(crate) trait AppendStr {
    /// Appends `s`, as `push_str` does.
    fn append_str(&mut self, s: &str);
}

impl AppendStr for String {
    fn append_str(&mut self, s: &str) {
        let n = s.len();
        if n > SHORT {
            return self.push_str(s);
        }
        self.reserve(n);
        // SAFETY: `reserve` made room for `n` more bytes after the length, `s` is valid for
        // `n` bytes and cannot overlap the spare capacity (it is a borrow of something else),
        // and appending a whole `&str` keeps the string UTF-8.
        unsafe {
            let bytes = self.as_mut_vec();
            let len = bytes.len();
            copy_short(bytes.as_mut_ptr().add(len), s.as_ptr(), n);
            bytes.set_len(len + n);
        }
    }
}

/// Copies `n <= SHORT` bytes from `src` to `dest`, which may overlap: every byte is read before
/// any is written. No loop (which LLVM could turn back into a `memcpy`): two loads and two
/// stores of the widest size that fits, overlapping in the middle, and twice that past 16.
///
/// # Safety
/// `src` must be valid for reads and `dest` for writes of `n` bytes, and `n <= SHORT`.
#[inline(always)]
unsafe fn copy_short(dest: *mut u8, src: *const u8, n: usize) {
    use core::ptr::{read_unaligned as read, write_unaligned as write};
    // SAFETY: every access lies within the first `n` bytes of `src` or `dest` (each branch
    // reads and writes at offsets 0 and `n - width` with `n >= width`).
    unsafe {
        if n >= 16 {
            let (a, b) = (read(src as *const u64), read(src.add(8) as *const u64));
            let c = read(src.add(n - 16) as *const u64);
            let d = read(src.add(n - 8) as *const u64);
            write(dest as *mut u64, a);
            write(dest.add(8) as *mut u64, b);
            write(dest.add(n - 16) as *mut u64, c);
            write(dest.add(n - 8) as *mut u64, d);
        } else if n >= 8 {
            let (a, b) = (read(src as *const u64), read(src.add(n - 8) as *const u64));
            write(dest as *mut u64, a);
            write(dest.add(n - 8) as *mut u64, b);
        } else if n >= 4 {
            let (a, b) = (read(src as *const u32), read(src.add(n - 4) as *const u32));
            write(dest as *mut u32, a);
            write(dest.add(n - 4) as *mut u32, b);
        } else if n >= 2 {
            let (a, b) = (read(src as *const u16), read(src.add(n - 2) as *const u16));
            write(dest as *mut u16, a);
            write(dest.add(n - 2) as *mut u16, b);
        } else if n == 1 {
            *dest = *src;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{copy_short, AppendStr, SHORT};

    /// Every length up to SHORT at every pair of offsets in a 96-byte buffer, overlapping or
    /// not: what `ptr::copy` (memmove) gives.
    #[test]
    fn short_copies_are_memmove() {
        let original: Vec<u8> = (0..96u32).map(|i| (i * 37 + 11) as u8).collect();
        for n in 0..=SHORT {
            for from in 0..=96 - n {
                for to in 0..=96 - n {
                    let mut expected = original.clone();
                    let mut bytes = original.clone();
                    // SAFETY: both ranges lie within the 96 bytes.
                    unsafe {
                        let base = expected.as_mut_ptr();
                        core::ptr::copy(base.add(from), base.add(to), n);
                        let base = bytes.as_mut_ptr();
                        copy_short(base.add(to), base.add(from), n);
                    }
                    assert_eq!(bytes, expected, "{n} bytes from {from} to {to}");
                }
            }
        }
    }

    /// `append_str` appends as `push_str` does, across lengths and growing capacities.
    #[test]
    fn append_str_is_push_str() {
        let source = "aé🎉".repeat(8) + &"x".repeat(40);
        let pieces: Vec<&str> = (0..source.len())
            .flat_map(|start| (start..=source.len()).map(move |end| (start, end)))
            .filter_map(|(start, end)| source.get(start..end))
            .collect();
        let (mut appended, mut pushed) = (String::new(), String::new());
        for piece in pieces {
            appended.append_str(piece);
            pushed.push_str(piece);
        }
        assert_eq!(appended, pushed);
    }
}
