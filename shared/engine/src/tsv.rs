//! Tab-separated data files of `data/`: `#` lines and empty lines are comments, the first other
//! line names the columns, and every row has as many.

/// The rows of a TSV file in its order, or what is wrong with it: columns other than these, or
/// the first row with another number of them.
pub fn rows<'a, const N: usize>(
    tsv: &'a str,
    columns: [&str; N],
) -> Result<Vec<[&'a str; N]>, String> {
    let mut lines = tsv
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'));
    let header: Vec<&str> = lines
        .next()
        .map(|(_, l)| l.split('\t').collect())
        .unwrap_or_default();
    if header != columns {
        return Err(format!("columns {header:?}, not {columns:?}"));
    }
    lines
        .map(|(i, line)| {
            <[&str; N]>::try_from(line.split('\t').collect::<Vec<_>>())
                .map_err(|_| format!("line {}: not {N} columns: {line:?}", i + 1))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_follow_the_header_and_skip_comments() {
        let tsv = "# a comment\nword\tenglish\n\n# more\nbank\tbank\nkonzern\t\n";
        assert_eq!(
            rows(tsv, ["word", "english"]).unwrap(),
            [["bank", "bank"], ["konzern", ""]]
        );
        assert!(rows(tsv, ["german", "english"]).is_err());
        assert_eq!(
            rows("word\tenglish\nbank\n", ["word", "english"]).unwrap_err(),
            r#"line 2: not 2 columns: "bank""#
        );
        assert!(rows("a\tb\nx\ty\tz\n", ["a", "b"]).is_err());
        assert!(rows("", ["a"]).is_err());
    }
}
