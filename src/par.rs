//! Work on both cores: an order-keeping parallel map over scoped threads (no runtime, no pool).

/// The cores to use, asked once (the standard library reads the cgroup files on every call).
pub fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// Maps `f` over `items` on up to `available_parallelism` threads; results keep their order.
pub fn par_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = cores().min(items.len()).max(1);
    if workers == 1 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<(usize, R)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(item) = items.get(i) else { break };
                        done.push((i, f(item)));
                    }
                    done
                })
            })
            .collect();
        // A worker's panic is re-raised here, never turned into missing results.
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    results.sort_by_key(|(i, _)| *i);
    results.into_iter().map(|(_, r)| r).collect()
}

/// [`par_map`] over items taken by value (mutable slices of one buffer, say), each handed to
/// `f` once with its index; results keep their order.
pub fn par_map_owned<T: Send, R: Send>(items: Vec<T>, f: impl Fn(usize, T) -> R + Sync) -> Vec<R> {
    let slots: Vec<std::sync::Mutex<Option<T>>> = items
        .into_iter()
        .map(|t| std::sync::Mutex::new(Some(t)))
        .collect();
    let indexed: Vec<usize> = (0..slots.len()).collect();
    par_map(&indexed, |&i| {
        let item = slots.get(i).and_then(|s| {
            s.lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take()
        });
        item.map(|t| f(i, t))
    })
    .into_iter()
    .flatten()
    .collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn owned_items_are_each_handed_over_once_in_order() {
        let mut buf = vec![0u32; 10];
        let parts: Vec<&mut [u32]> = buf.chunks_mut(3).collect();
        let lens = super::par_map_owned(parts, |i, part| {
            part.fill(i as u32 + 1);
            part.len()
        });
        assert_eq!(lens, [3, 3, 3, 1]);
        assert_eq!(buf, [1, 1, 1, 2, 2, 2, 3, 3, 3, 4]);
    }

    #[test]
    fn keeps_order() {
        let v: Vec<u32> = (0..100).collect();
        assert_eq!(
            super::par_map(&v, |x| x * 2),
            v.iter().map(|x| x * 2).collect::<Vec<_>>()
        );
    }
}
