//! The languages generated texts are written in (docs/contract-notes.md "Languages": at least `en`
//! and `de`, other codes fall back to `en`). One reading of `output_language` for every text the engine writes.

/// A language generated texts (match reasoning, qualification reasons) are available in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    En,
    De,
}

impl Language {
    /// The language of an `output_language` code: German for `de` and its regional forms (`de-AT`,
    /// `de_CH`) and the three-letter codes `deu`/`ger`, any case; English for everything else,
    /// including no code at all.
    pub fn from_code(code: Option<&str>) -> Self {
        let primary = code
            .and_then(|c| c.trim().split(['-', '_']).next())
            .unwrap_or("")
            .to_ascii_lowercase();
        match primary.as_str() {
            "de" | "deu" | "ger" => Language::De,
            _ => Language::En,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::De => "de",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Language::{self, *};

    #[test]
    fn codes_read_as_en_or_de_with_en_as_fallback() {
        let cases = [
            (Some("de"), De),
            (Some("DE"), De),
            (Some("de-AT"), De),
            (Some("de_ch"), De),
            (Some("deu"), De),
            (Some("ger"), De),
            (Some("en"), En),
            (Some("en-GB"), En),
            (Some("fr"), En),
            (Some("dev"), En),
            (Some(""), En),
            (None, En),
        ];
        for (code, want) in cases {
            assert_eq!(Language::from_code(code), want, "{code:?}");
        }
        assert_eq!(Language::default(), En);
        assert_eq!(De.code(), "de");
    }
}
