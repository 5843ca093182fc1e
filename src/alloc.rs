//! The wasm build's global allocator: power-of-two size classes, one free list per class,
//! bump allocation from pages of linear memory, memory never returned.
//!
//! Rust's default allocator on `wasm32-unknown-unknown` is dlmalloc: about 8 KB of wasm, and
//! 6 % of the time of a `generate` call in Node (its `malloc`/`free` are a third of the native
//! instructions). This one is 0.7 KB and a handful of instructions per call:
//!
//! - A request of `size` bytes aligned to `align` gets a block of the *class* `k`, the smallest
//!   `k >= 4` with `2^k >= max(size, align)` (16 bytes up to 2 GiB).
//! - Every block of class `k` starts at a multiple of `2^k` ("naturally aligned"), so it serves
//!   any alignment up to its size; an alignment larger than the size just picks a larger class.
//! - A freed block goes on its class's free list, the next pointer kept in its first word, and
//!   the next request of that class takes it back. Blocks are never split nor merged, so a
//!   program that repeats the same work reaches a fixed size of memory and stays there.
//! - Otherwise the block is cut from the top of the heap: the top is rounded up to the block's
//!   alignment and the skipped gap, which splits exactly into naturally aligned power-of-two
//!   pieces, goes on the free lists of the smaller classes. When the heap's pages are used up,
//!   more are asked for (`memory.grow` in wasm).
//! - `realloc` keeps the block when the new size has the same class, else moves it.
//!
//! The waste is at most one half of a block (a request just over a power of two) plus the
//! free blocks of classes no longer asked for. [`Heap`] is generic over where its pages come
//! from, so the unit tests run it natively over an ordinary allocation.

use core::alloc::Layout;
use core::ptr;

/// Linear memory grows by pages of 64 KiB.
const PAGE: usize = 64 * 1024;
/// The smallest class: 16 bytes, room for a free list's next pointer and the alignment of
/// every primitive type.
const MIN_CLASS: u32 = 4;
/// Classes are `MIN_CLASS..CLASSES`: the largest block is 2^31 bytes, whatever the width of
/// `usize` (on wasm32 a block that large cannot fit anyway).
const CLASSES: usize = 32;

/// Where a [`Heap`] gets memory from.
pub(crate) trait Grow {
    /// Appends `pages` pages of [`PAGE`] bytes and returns the start of the new ones (a
    /// multiple of [`PAGE`]), or `None` when there is no more memory. The heap owns the
    /// returned pages from then on.
    fn grow(&mut self, pages: usize) -> Option<*mut u8>;
}

/// The allocator's state: the free lists and the unused rest of the last pages obtained.
pub(crate) struct Heap<G> {
    /// For each class, the first free block (null when none); each free block's first word
    /// holds the next one.
    free: [*mut u8; CLASSES],
    /// The start of the never-used rest of the heap's pages (always a multiple of 16).
    top: *mut u8,
    /// The end of the heap's pages.
    end: *mut u8,
    /// Where pages come from.
    grow: G,
}

/// The class of a request: `k` such that a block of `2^k` bytes, aligned to `2^k`, holds
/// `size` bytes aligned to `align`. From `CLASSES` on, the request is too large: no free list
/// has that index, so every use of a class goes through `get`/`get_mut` and fails there.
#[inline(always)]
fn class_of(size: usize, align: usize) -> usize {
    let bytes = size.max(align).max(1 << MIN_CLASS);
    // The ceiling of log2(bytes), for bytes >= 2; at most 64, so the cast is lossless.
    (usize::BITS - (bytes - 1).leading_zeros()) as usize
}

impl<G: Grow> Heap<G> {
    /// An empty heap: the first request asks `grow` for pages.
    pub(crate) const fn new(grow: G) -> Self {
        Heap {
            free: [ptr::null_mut(); CLASSES],
            top: ptr::null_mut(),
            end: ptr::null_mut(),
            grow,
        }
    }

    /// A block for `layout`, or null when the request is too large or memory is exhausted.
    #[inline(always)]
    pub(crate) fn alloc(&mut self, layout: Layout) -> *mut u8 {
        self.alloc_class(class_of(layout.size(), layout.align()))
    }

    /// Gives back a block that [`Heap::alloc`] or [`Heap::realloc`] returned for `layout`.
    ///
    /// # Safety
    ///
    /// `block` was returned by this heap for `layout` (as `GlobalAlloc::dealloc` requires),
    /// and is not used afterwards.
    #[inline(always)]
    pub(crate) unsafe fn dealloc(&mut self, block: *mut u8, layout: Layout) {
        // SAFETY: the caller gives back a block of this class that is no longer used.
        unsafe { self.push(class_of(layout.size(), layout.align()), block) }
    }

    /// `block` (returned for `layout`) resized to `new_size` bytes: the same block when the
    /// class does not change, else a new one holding the old contents (and the old block
    /// freed). Null, with the old block left as it was, when no block is available.
    ///
    /// # Safety
    ///
    /// `block` was returned by this heap for `layout` and is not used afterwards unless the
    /// result is null (as `GlobalAlloc::realloc` requires).
    pub(crate) unsafe fn realloc(
        &mut self,
        block: *mut u8,
        layout: Layout,
        new_size: usize,
    ) -> *mut u8 {
        let old = class_of(layout.size(), layout.align());
        let new = class_of(new_size, layout.align());
        if old == new {
            return block;
        }
        let moved = self.alloc_class(new);
        if !moved.is_null() {
            // SAFETY: `block` holds `layout.size()` readable bytes and `moved` at least
            // `new_size` writable ones; `moved` is a different block, free until now, so the
            // two do not overlap. `block` is then no longer used: it goes back to its class.
            unsafe {
                ptr::copy_nonoverlapping(block, moved, layout.size().min(new_size));
                self.push(old, block);
            }
        }
        moved
    }

    /// A block of class `class`: from the free list, else from the top; null from `CLASSES`
    /// on.
    #[inline(always)]
    fn alloc_class(&mut self, class: usize) -> *mut u8 {
        let Some(head) = self.free.get_mut(class) else {
            return ptr::null_mut();
        };
        let block = *head;
        if block.is_null() {
            return self.bump(1 << class);
        }
        // SAFETY: a block on a free list is at least 16 bytes, aligned to 16, owned by the heap
        // and unused; `push` wrote the next free block into its first word.
        *head = unsafe { block.cast::<*mut u8>().read() };
        block
    }

    /// A block of `size` bytes (a power of two, at least 16) aligned to `size`, cut from the
    /// top of the heap, growing the heap when needed.
    #[inline(never)]
    fn bump(&mut self, size: usize) -> *mut u8 {
        loop {
            let Some(start) = self
                .top
                .addr()
                .checked_add(size - 1)
                .map(|a| a & !(size - 1))
            else {
                return ptr::null_mut();
            };
            let Some(new_top) = start.checked_add(size) else {
                return ptr::null_mut();
            };
            let end = self.end.addr();
            if new_top <= end {
                self.carve(start);
                let block = self.top;
                self.top = block.wrapping_add(size);
                return block;
            }
            // Pages enough for the block when the new ones follow the current ones.
            let pages = (new_top - end).div_ceil(PAGE);
            let Some(bytes) = pages.checked_mul(PAGE) else {
                return ptr::null_mut();
            };
            let Some(region) = self.grow.grow(pages) else {
                return ptr::null_mut();
            };
            if region.addr() != end {
                // Someone else grew the memory in between (or this is the first growth): the
                // rest of the old pages goes on the free lists, the new pages start afresh.
                self.carve(end);
                self.top = region;
            }
            self.end = region.wrapping_add(bytes);
        }
    }

    /// Puts `[top, limit)` on the free lists as naturally aligned power-of-two blocks, the
    /// largest that fit, and moves `top` to `limit` (a multiple of 16, not below `top`).
    fn carve(&mut self, limit: usize) {
        while self.top.addr() < limit {
            let at = self.top.addr();
            let rest = limit - at;
            // The largest power of two that fits in the rest, that `at` is a multiple of, and
            // that is a class.
            let mut piece = 1usize << (usize::BITS - 1 - rest.leading_zeros());
            let lowest_bit = at & at.wrapping_neg();
            if lowest_bit != 0 {
                piece = piece.min(lowest_bit);
            }
            piece = piece.min(1 << (CLASSES - 1));
            let class = piece.trailing_zeros();
            if class >= MIN_CLASS {
                if let Ok(class) = usize::try_from(class) {
                    // SAFETY: `[at, at + piece)` lies in the heap's pages between `top` and
                    // `end`, never handed out; `piece` is at least 16 and `at` a multiple of
                    // it, so it is a block of that class.
                    unsafe { self.push(class, self.top) };
                }
            }
            self.top = self.top.wrapping_add(piece);
        }
    }

    /// Puts `block` on the free list of `class` (nothing from `CLASSES` on).
    ///
    /// # Safety
    ///
    /// `block` is a block of `class` (at least 16 bytes, aligned to 16) owned by the heap and
    /// not in use.
    #[inline(always)]
    unsafe fn push(&mut self, class: usize, block: *mut u8) {
        if block.is_null() {
            return;
        }
        if let Some(head) = self.free.get_mut(class) {
            // SAFETY: the caller hands over an unused block of at least 16 bytes aligned to 16:
            // its first word can hold the list's next pointer.
            unsafe { block.cast::<*mut u8>().write(*head) };
            *head = block;
        }
    }
}

/// The global allocator of the wasm build (see `src/lib.rs`).
#[cfg(target_arch = "wasm32")]
pub(crate) mod wasm {
    use core::alloc::{GlobalAlloc, Layout};
    use core::cell::UnsafeCell;

    use super::{Grow, Heap, PAGE};

    /// Pages from `memory.grow` on the module's memory 0.
    pub(crate) struct LinearMemory;

    impl Grow for LinearMemory {
        fn grow(&mut self, pages: usize) -> Option<*mut u8> {
            let previous = core::arch::wasm32::memory_grow(0, pages);
            if previous == usize::MAX {
                return None;
            }
            // The old size in pages is where the new pages start; the memory is the whole
            // address space, so the address is a pointer into it.
            previous
                .checked_mul(PAGE)
                .map(core::ptr::with_exposed_provenance_mut)
        }
    }

    /// A [`Heap`] over linear memory, usable as a `static`.
    pub(crate) struct Allocator(UnsafeCell<Heap<LinearMemory>>);

    impl Allocator {
        /// An empty heap: the first allocation grows the memory.
        pub(crate) const fn new() -> Self {
            Allocator(UnsafeCell::new(Heap::new(LinearMemory)))
        }
    }

    // SAFETY: this module is compiled only for wasm32 without the `atomics` target feature
    // (see `src/lib.rs`). There, the module's memory is not shared and no thread can be
    // spawned: the code runs on one thread only, so the `static` is never reached from two
    // threads and `Sync` promises nothing that could be broken.
    unsafe impl Sync for Allocator {}

    // SAFETY: each method takes the one `&mut Heap` for the length of its call only. With one
    // thread (see the `Sync` impl) and no re-entry (the heap calls nothing that allocates, and
    // wasm has no signal handlers), no two of those borrows overlap. `Heap` returns blocks
    // that fit the layout, are aligned to it, do not overlap a live block, and null on failure.
    unsafe impl GlobalAlloc for Allocator {
        #[inline]
        unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
            // SAFETY: the only borrow of the heap during this call (see above).
            unsafe { (*self.0.get()).alloc(layout) }
        }

        #[inline]
        unsafe fn dealloc(&self, block: *mut u8, layout: Layout) {
            // SAFETY: the only borrow of the heap during this call; the caller gives back a
            // block this allocator returned for `layout`, as `GlobalAlloc` requires.
            unsafe { (*self.0.get()).dealloc(block, layout) }
        }

        #[inline]
        unsafe fn realloc(&self, block: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
            // SAFETY: the only borrow of the heap during this call; the caller passes a block
            // this allocator returned for `layout`, as `GlobalAlloc` requires.
            unsafe { (*self.0.get()).realloc(block, layout, new_size) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::alloc::{alloc_zeroed, dealloc};

    /// A fixed region of ordinary memory handed out page by page, like linear memory.
    struct Region {
        base: *mut u8,
        layout: Layout,
        pages: usize,
        used: usize,
    }

    impl Region {
        /// A region of `pages` pages aligned to 4 MiB (so natural alignment up to 4 MiB depends
        /// only on offsets).
        fn new(pages: usize) -> Region {
            let layout = Layout::from_size_align(pages * PAGE, 4 << 20).unwrap();
            // SAFETY: the layout is not zero-sized.
            let base = unsafe { alloc_zeroed(layout) };
            assert!(!base.is_null());
            Region {
                base,
                layout,
                pages,
                used: 0,
            }
        }
    }

    impl Drop for Region {
        fn drop(&mut self) {
            // SAFETY: allocated in `new` with this layout.
            unsafe { dealloc(self.base, self.layout) }
        }
    }

    impl Grow for Region {
        fn grow(&mut self, pages: usize) -> Option<*mut u8> {
            if pages > self.pages - self.used {
                return None;
            }
            let start = self.base.wrapping_add(self.used * PAGE);
            self.used += pages;
            Some(start)
        }
    }

    fn heap(pages: usize) -> Heap<Region> {
        Heap::new(Region::new(pages))
    }

    fn layout(size: usize, align: usize) -> Layout {
        Layout::from_size_align(size, align).unwrap()
    }

    /// The block's address range.
    fn range(block: *mut u8, size: usize) -> std::ops::Range<usize> {
        block.addr()..block.addr() + size
    }

    #[test]
    fn classes_are_the_smallest_power_of_two_that_holds_size_and_align() {
        assert_eq!(class_of(0, 1), 4);
        assert_eq!(class_of(1, 1), 4);
        assert_eq!(class_of(16, 8), 4);
        assert_eq!(class_of(17, 1), 5);
        assert_eq!(class_of(8, 64), 6);
        assert_eq!(class_of(1000, 4), 10);
        assert_eq!(class_of(1024, 4), 10);
        assert_eq!(class_of(1025, 4), 11);
        assert_eq!(class_of(1 << 31, 1), 31);
        assert!(class_of((1 << 31) + 1, 1) >= CLASSES);
        assert!(class_of(usize::MAX, 1) >= CLASSES);
        assert!(class_of(1, 1 << 40) >= CLASSES);
    }

    #[test]
    fn every_block_is_aligned_and_holds_its_size() {
        let mut heap = heap(256);
        let mut live = Vec::new();
        for align_log in 0..=16 {
            let align = 1usize << align_log;
            for size in [
                0, 1, 7, 8, 15, 16, 17, 100, 4095, 4096, 4097, 65_536, 70_000,
            ] {
                let l = layout(size, align);
                let block = heap.alloc(l);
                assert!(!block.is_null(), "{size} bytes aligned to {align}");
                assert_eq!(block.addr() % align, 0, "{size} bytes aligned to {align}");
                // The whole block is writable (the region is zeroed, so reading is fine too).
                // SAFETY: a fresh block of at least `size` bytes.
                unsafe { ptr::write_bytes(block, 0xa5, size) };
                live.push((block, l));
            }
        }
        let mut ranges: Vec<_> = live.iter().map(|&(b, l)| range(b, l.size())).collect();
        ranges.sort_by_key(|r| r.start);
        for pair in ranges.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{pair:?} overlap");
        }
        for (block, l) in live {
            // SAFETY: returned for `l`, not used afterwards.
            unsafe { heap.dealloc(block, l) };
        }
    }

    #[test]
    fn a_freed_block_is_reused_and_memory_stops_growing() {
        let mut heap = heap(64);
        let sizes = [24, 24, 100, 3000, 16, 70_000, 5, 512];
        let mut pages_after_first_round = None;
        for _ in 0..1000 {
            let blocks: Vec<_> = sizes
                .iter()
                .map(|&s| (heap.alloc(layout(s, 8)), s))
                .collect();
            for &(block, size) in blocks.iter().rev() {
                assert!(!block.is_null());
                // SAFETY: returned for this layout, not used afterwards.
                unsafe { heap.dealloc(block, layout(size, 8)) };
            }
            let used = heap.grow.used;
            assert_eq!(*pages_after_first_round.get_or_insert(used), used);
        }
        // The same block comes back for the same class.
        let a = heap.alloc(layout(40, 8));
        // SAFETY: returned for this layout, not used afterwards.
        unsafe { heap.dealloc(a, layout(40, 8)) };
        let b = heap.alloc(layout(33, 4));
        assert_eq!(a, b);
    }

    #[test]
    fn running_out_of_memory_returns_null() {
        let mut heap = heap(4);
        let mut count = 0;
        while !heap.alloc(layout(1000, 8)).is_null() {
            count += 1;
            assert!(count <= 4 * PAGE / 1024);
        }
        // Every byte of the four pages was handed out before the first null.
        assert_eq!(count, 4 * PAGE / 1024);
        assert!(heap.alloc(layout(16, 8)).is_null());
        assert!(heap.alloc(layout(5 * PAGE, 8)).is_null());
        // A block larger than all the memory fails without taking any.
        let mut heap = Heap::new(Region::new(4));
        assert!(heap.alloc(layout(4 * PAGE + 1, 1)).is_null());
        assert_eq!(heap.grow.used, 0);
        assert!(!heap.alloc(layout(4 * PAGE, 1)).is_null());
    }

    /// A region where someone else takes a page before each growth of the heap, as another
    /// user of `memory.grow` would; it keeps the addresses of those pages.
    struct Shared(Region, Vec<usize>);

    impl Grow for Shared {
        fn grow(&mut self, pages: usize) -> Option<*mut u8> {
            let taken = self.0.grow(1)?;
            self.1.push(taken.addr());
            self.0.grow(pages)
        }
    }

    #[test]
    fn pages_that_do_not_follow_the_heap_start_a_new_top() {
        let mut heap = Heap::new(Shared(Region::new(256), Vec::new()));
        let mut live = Vec::new();
        for size in (0..200).map(|i| 16 << (i % 13)) {
            let block = heap.alloc(layout(size, 8));
            assert!(!block.is_null());
            assert_eq!(block.addr() % size, 0);
            live.push(range(block, size));
        }
        let taken = &heap.grow.1;
        assert!(taken.len() > 3, "{taken:?}");
        for r in &live {
            for &page in taken {
                assert!(
                    r.end <= page || r.start >= page + PAGE,
                    "{r:?} in page {page}"
                );
            }
        }
        live.sort_by_key(|r| r.start);
        for pair in live.windows(2) {
            assert!(pair[0].end <= pair[1].start, "{pair:?} overlap");
        }
    }

    #[test]
    fn huge_and_overflowing_requests_return_null() {
        let mut heap = heap(4);
        for size in [
            (1 << 31) + 1,
            usize::MAX / 2,
            isize::MAX as usize - 4096,
            isize::MAX as usize,
        ] {
            assert!(heap.alloc(layout(size, 1)).is_null(), "{size}");
        }
        // 2^31 bytes is a class, but no memory of that size.
        assert!(heap.alloc(layout(1 << 31, 1)).is_null());
        assert!(heap.alloc(layout(8, 1 << 32)).is_null());
        // The heap still works afterwards.
        let block = heap.alloc(layout(100, 8));
        assert!(!block.is_null());
        // A realloc to a huge size fails and leaves the block as it was.
        // SAFETY: `block` holds 100 bytes.
        unsafe { ptr::write_bytes(block, 7, 100) };
        for size in [usize::MAX - 7, isize::MAX as usize, 1 << 31, 3 * PAGE + 1] {
            // SAFETY: `block` was returned for this layout; on null it stays valid.
            let moved = unsafe { heap.realloc(block, layout(100, 8), size) };
            assert!(moved.is_null(), "{size}");
        }
        // SAFETY: still the live block of 100 bytes.
        let bytes = unsafe { std::slice::from_raw_parts(block, 100) };
        assert!(bytes.iter().all(|&b| b == 7));
    }

    #[test]
    fn the_gap_before_an_aligned_block_is_reused() {
        let mut heap = heap(64);
        let small = heap.alloc(layout(16, 16));
        let big = heap.alloc(layout(16, 4096));
        assert_eq!(big.addr() - small.addr(), 4096);
        // The gap between them, 16 + 32 + ... + 2048 bytes, serves one request of each of
        // those sizes before the top of the heap moves.
        let top = heap.top.addr();
        for class in 4..12 {
            let block = heap.alloc(layout(1 << class, 8));
            assert_eq!(block.addr() - small.addr(), 1 << class);
        }
        assert_eq!(heap.top.addr(), top);
        let next = heap.alloc(layout(16, 8));
        assert_eq!(next.addr(), top);
    }

    #[test]
    fn realloc_within_the_class_keeps_the_block() {
        let mut heap = heap(4);
        let block = heap.alloc(layout(20, 4));
        // SAFETY: returned for the layout passed each time.
        unsafe {
            assert_eq!(heap.realloc(block, layout(20, 4), 32), block);
            assert_eq!(heap.realloc(block, layout(32, 4), 17), block);
            let moved = heap.realloc(block, layout(17, 4), 33);
            assert_ne!(moved, block);
            // The old block went back to its class.
            assert_eq!(heap.alloc(layout(30, 4)), block);
        }
    }

    /// One step of the property test.
    #[derive(Debug, Clone)]
    enum Op {
        Alloc { size: usize, align_log: u32 },
        Free { index: usize },
        Realloc { index: usize, size: usize },
    }

    fn op() -> impl Strategy<Value = Op> {
        let size = prop_oneof![
            0usize..64,
            0usize..600,
            0usize..20_000,
            60_000usize..140_000
        ];
        prop_oneof![
            4 => (size.clone(), 0u32..13).prop_map(|(size, align_log)| Op::Alloc { size, align_log }),
            3 => any::<usize>().prop_map(|index| Op::Free { index }),
            3 => (any::<usize>(), size).prop_map(|(index, size)| Op::Realloc { index, size }),
        ]
    }

    /// A live block: where, its layout, and the byte it is filled with.
    struct Live {
        block: *mut u8,
        layout: Layout,
        fill: u8,
    }

    fn check_contents(live: &Live) {
        // SAFETY: a live block of `layout.size()` bytes, all written with `fill`.
        let bytes = unsafe { std::slice::from_raw_parts(live.block, live.layout.size()) };
        assert!(
            bytes.iter().all(|&b| b == live.fill),
            "contents of {:?} lost",
            live.layout
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(100))]

        #[test]
        fn live_blocks_never_overlap_and_keep_their_contents(ops in proptest::collection::vec(op(), 1..300)) {
            let mut heap = heap(1024);
            let mut live: Vec<Live> = Vec::new();
            for (step, op) in ops.into_iter().enumerate() {
                let fill = step as u8;
                match op {
                    Op::Alloc { size, align_log } => {
                        let l = layout(size, 1 << align_log);
                        let block = heap.alloc(l);
                        prop_assert!(!block.is_null());
                        prop_assert_eq!(block.addr() % l.align(), 0);
                        // SAFETY: a fresh block of at least `size` bytes.
                        unsafe { ptr::write_bytes(block, fill, size) };
                        live.push(Live { block, layout: l, fill });
                    }
                    Op::Free { index } if !live.is_empty() => {
                        let gone = live.swap_remove(index % live.len());
                        check_contents(&gone);
                        // SAFETY: returned for this layout, not used afterwards.
                        unsafe { heap.dealloc(gone.block, gone.layout) };
                    }
                    Op::Realloc { index, size } if !live.is_empty() => {
                        let i = index % live.len();
                        let old = &live[i];
                        check_contents(old);
                        // SAFETY: returned for this layout; replaced by the result below.
                        let block = unsafe { heap.realloc(old.block, old.layout, size) };
                        prop_assert!(!block.is_null());
                        let l = layout(size, old.layout.align());
                        prop_assert_eq!(block.addr() % l.align(), 0);
                        let kept = Live { block, layout: layout(old.layout.size().min(size), l.align()), fill: old.fill };
                        check_contents(&kept);
                        // SAFETY: the block holds at least `size` bytes.
                        unsafe { ptr::write_bytes(block, fill, size) };
                        live[i] = Live { block, layout: l, fill };
                    }
                    _ => {}
                }
                let mut ranges: Vec<_> = live.iter().map(|l| range(l.block, l.layout.size())).collect();
                ranges.sort_by_key(|r| r.start);
                for pair in ranges.windows(2) {
                    prop_assert!(pair[0].end <= pair[1].start, "{:?} overlap", pair);
                }
            }
            for l in &live {
                check_contents(l);
            }
        }
    }
}
