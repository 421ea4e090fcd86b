//! Keeping a text's layout through translation. Providers do not keep it
//! themselves: Apertium turns leading newlines into a space, drops trailing
//! ones and moves words across line breaks (`the red\nhouse` comes back as
//! `La casa\nroja`); neural services may merge or split lines. So only the
//! words of each non-blank line go to the provider, and the text is rebuilt
//! around the translated lines: blank lines, indentation, `\r` and
//! surrounding newlines come back byte for byte.

/// One line of the original text, split into its words and the whitespace
/// around them.
#[derive(Debug)]
struct Line<'a> {
    indent: &'a str,
    content: &'a str,
    trailing: &'a str,
}

#[derive(Debug)]
pub(crate) struct Layout<'a> {
    lines: Vec<Line<'a>>,
}

impl<'a> Layout<'a> {
    pub(crate) fn of(text: &'a str) -> Self {
        let lines = text
            .split('\n')
            .map(|line| {
                let start = line.len() - line.trim_start().len();
                let end = line.trim_end().len().max(start);
                Line {
                    indent: &line[..start],
                    content: &line[start..end],
                    trailing: &line[end..],
                }
            })
            .collect();
        Self { lines }
    }

    /// The words of every non-blank line, in order: what to translate.
    pub(crate) fn contents(&self) -> Vec<&'a str> {
        self.lines
            .iter()
            .map(|line| line.content)
            .filter(|content| !content.is_empty())
            .collect()
    }

    /// The text with each non-blank line's words replaced by its
    /// translation; `None` unless there is exactly one per non-blank line.
    pub(crate) fn rebuild(&self, translated: &[String]) -> Option<String> {
        if translated.len() != self.contents().len() {
            return None;
        }
        let mut translated = translated.iter();
        let lines: Vec<String> = self
            .lines
            .iter()
            .map(|line| {
                if line.content.is_empty() {
                    format!("{}{}", line.indent, line.trailing)
                } else {
                    let words = translated.next().map_or("", String::as_str);
                    format!("{}{}{}", line.indent, words, line.trailing)
                }
            })
            .collect();
        Some(lines.join("\n"))
    }
}

impl Layout<'_> {
    /// The text rebuilt from an answer whose lines do not match the
    /// original's, without asking the provider again (one call per request,
    /// however many lines): the answer's pieces fill the non-blank lines in
    /// order, extra pieces join the last one, and lines left without a
    /// piece (their words came back merged into earlier ones) are dropped.
    /// Blank lines and the surrounding newlines stay where they were.
    pub(crate) fn rebuild_loosely(&self, answer: &str, separator: &str) -> String {
        let pieces: Vec<String> = answer
            .split(separator)
            .flat_map(|piece| piece.split('\n'))
            .map(tidy)
            .filter(|piece| !piece.is_empty())
            .collect();
        let lines = self.contents().len();
        let mut pieces = pieces.into_iter();
        let mut filled = 0;
        let mut out: Vec<String> = Vec::with_capacity(self.lines.len());
        for line in &self.lines {
            if line.content.is_empty() {
                out.push(format!("{}{}", line.indent, line.trailing));
                continue;
            }
            filled += 1;
            let words = if filled == lines {
                pieces.by_ref().collect::<Vec<_>>().join(" ")
            } else {
                pieces.next().unwrap_or_default()
            };
            if !words.is_empty() {
                out.push(format!("{}{}{}", line.indent, words, line.trailing));
            }
        }
        out.join("\n")
    }
}

/// Splits a provider's answer to lines joined with `separator` back into
/// one translation per line; `None` when the provider merged or split lines
/// (the caller then lays out what it got with [`Layout::rebuild_loosely`]).
pub(crate) fn split_answer(answer: &str, separator: &str, expected: usize) -> Option<Vec<String>> {
    let pieces: Vec<&str> = answer
        .split(separator)
        .filter(|piece| !piece.trim().is_empty())
        .collect();
    (pieces.len() == expected && pieces.iter().all(|piece| !piece.trim().contains('\n')))
        .then(|| pieces.into_iter().map(tidy).collect())
}

/// One translated line without the spaces providers leave around and
/// inside it (Apertium answers "Y  estás ido" when it drops a pronoun).
pub(crate) fn tidy(line: &str) -> String {
    line.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_indentation_and_carriage_returns_survive() {
        let text = "\n\n  One line\r\nTwo\n\n\n\tThree  \n";
        let layout = Layout::of(text);

        assert_eq!(layout.contents(), ["One line", "Two", "Three"]);
        let rebuilt = layout
            .rebuild(&["Una línea".into(), "Dos".into(), "Tres".into()])
            .expect("one per line");
        assert_eq!(rebuilt, "\n\n  Una línea\r\nDos\n\n\n\tTres  \n");
    }

    #[test]
    fn a_wrong_number_of_lines_is_not_rebuilt() {
        let layout = Layout::of("a\nb");

        assert_eq!(layout.rebuild(&["x".into()]), None);
    }

    #[test]
    fn merged_or_split_answers_are_laid_out_without_another_call() {
        let layout = Layout::of("\nthe red\nhouse\n\nis big\n");

        assert_eq!(
            layout.rebuild_loosely("la casa roja\n.\nes grande", "\n.\n"),
            "\nla casa roja\nes grande\n\n"
        );
        assert_eq!(
            layout.rebuild_loosely("la\n.\ncasa\n.\nroja\n.\nes grande", "\n.\n"),
            "\nla\ncasa\n\nroja es grande\n"
        );
    }

    #[test]
    fn answers_that_merge_lines_are_rejected() {
        assert_eq!(
            split_answer(" La casa\n.\n roja ", "\n.\n", 2),
            Some(vec!["La casa".into(), "roja".into()])
        );
        assert_eq!(split_answer("La casa roja", "\n", 2), None);
        assert_eq!(
            split_answer("Y  estás ido\n", "\n", 1),
            Some(vec!["Y estás ido".into()])
        );
        assert_eq!(split_answer("a\nb\n.\nc", "\n.\n", 2), None);
    }
}
