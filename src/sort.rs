//! The crate's one sort: a stable bottom-up merge sort of positions, O(n log n), with the
//! comparison behind `&dyn`. Every sort in the crate goes through [`order`], so the wasm holds
//! one small sort instead of one monomorphized instance of std's sorts per element type (they
//! cost about 12 KB of the wasm).

/// The positions `0..len` in the order `less` gives them, equal elements in their original
/// order. `less(a, b)` says whether the element at position `a` sorts before the one at `b`.
pub(crate) fn order(len: usize, less: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    let mut merged: Vec<usize> = Vec::with_capacity(len);
    let mut width = 1;
    while width < len {
        merged.clear();
        for run in order.chunks(width.saturating_mul(2)) {
            let (left, right) = run.split_at(width.min(run.len()));
            merge(left, right, &mut merged, less);
        }
        std::mem::swap(&mut order, &mut merged);
        width = width.saturating_mul(2);
    }
    order
}

/// Appends the merge of the sorted runs `left` and `right` to `out`, `left` first on ties.
fn merge(
    left: &[usize],
    right: &[usize],
    out: &mut Vec<usize>,
    less: &dyn Fn(usize, usize) -> bool,
) {
    let (mut l, mut r) = (
        left.iter().copied().peekable(),
        right.iter().copied().peekable(),
    );
    while let (Some(&a), Some(&b)) = (l.peek(), r.peek()) {
        if less(b, a) {
            out.push(b);
            r.next();
        } else {
            out.push(a);
            l.next();
        }
    }
    out.extend(l);
    out.extend(r);
}

/// `items` rearranged into `order` (a permutation of their positions, from [`order`]).
pub(crate) fn permute<T>(items: Vec<T>, order: &[usize]) -> Vec<T> {
    let mut slots: Vec<Option<T>> = items.into_iter().map(Some).collect();
    order
        .iter()
        .filter_map(|&i| slots.get_mut(i).and_then(Option::take))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        // The expected order comes from std's stable sort, an independent implementation.
        #[test]
        fn sorts_like_std_stable_sort(keys in proptest::collection::vec(0u8..8, 0..300)) {
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by_key(|&i| keys[i]);
            prop_assert_eq!(order(keys.len(), &|a, b| keys[a] < keys[b]), expected);
        }
    }

    #[test]
    fn permutes_by_the_order() {
        let words = vec!["c", "a", "b"];
        let by = order(words.len(), &|a, b| words[a] < words[b]);
        assert_eq!(by, [1, 2, 0]);
        assert_eq!(permute(words, &by), ["a", "b", "c"]);
    }

    #[test]
    fn sorts_a_large_input() {
        // 100,000 elements, the most the inputs can hold: descending keys become ascending.
        let keys: Vec<u32> = (0..100_000).rev().collect();
        let by = order(keys.len(), &|a, b| keys[a] < keys[b]);
        assert!(by.windows(2).all(|w| keys[w[0]] <= keys[w[1]]));
    }
}
