//! Text targets take their fields one per line, so seeds and reproducers
//! are plain text files a person can read and edit.

/// The input's lines: the first `N - 1`, then the rest (which may hold more
/// newlines); missing ones are empty.
pub fn lines<const N: usize>(input: &str) -> [&str; N] {
    let mut parts = input.splitn(N, '\n');
    std::array::from_fn(|_| parts.next().unwrap_or_default())
}
