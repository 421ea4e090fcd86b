//! Reading optional form fields: a blank field means "no value".

/// An optional text field's value: `None` when blank.
pub fn non_empty(value: &str) -> Option<String> {
    let trimmed = value.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_owned())
}

/// An optional number field's value: `None` when blank or not a number
/// (the input's own validation has already said so).
pub fn number<T: std::str::FromStr>(value: &str) -> Option<T> {
    value.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_fields_are_absent() {
        assert_eq!(non_empty("  "), None);
        assert_eq!(non_empty(" Sine Waves "), Some("Sine Waves".to_owned()));
        assert_eq!(number::<u32>(""), None);
        assert_eq!(number::<u32>(" 7 "), Some(7));
        assert_eq!(number::<i32>("abc"), None);
    }
}
