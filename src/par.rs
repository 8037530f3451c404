//! Two jobs at once: the loader and the engine split their work in two (the machines attrib runs
//! on have two cores or more; see docs/performance.md).

/// Runs `a` on this thread and `b` on another, and returns both results; a panic in either goes
/// on in this thread.
pub fn both<A, B: Send>(a: impl FnOnce() -> A, b: impl FnOnce() -> B + Send) -> (A, B) {
    std::thread::scope(|s| {
        let b = s.spawn(b);
        let a = a();
        let b = b
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (a, b)
    })
}
