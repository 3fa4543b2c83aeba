//! Normalisation used for blacklist matching and deduplication (CONTRACT.md "Blacklists"):
//! registrable domains via the public-suffix list, company names without case, accents,
//! punctuation and legal forms, and country names/codes folded to ISO 3166 alpha-2.
use unicode_normalization::{char::is_combining_mark, UnicodeNormalization};

/// `https://WWW.Shop.Acme.co.uk/about` -> `acme.co.uk`. Accepts bare hosts, ports, trailing dots and
/// IDN hosts (returned in their ASCII `xn--` form). `None` when there is no registrable domain
/// (IP literals, `localhost`, a bare public suffix, garbage).
pub fn registrable_domain(input: &str) -> Option<String> {
    let input = input.trim();
    if input.is_empty() || input.chars().any(char::is_whitespace) {
        return None;
    }
    let with_scheme = if input.contains("://") {
        input.to_string()
    } else {
        format!("http://{input}")
    };
    let url = url::Url::parse(&with_scheme).ok()?;
    let host = match url.host()? {
        url::Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        _ => return None,
    };
    if host.is_empty() || !host.contains('.') {
        return None;
    }
    let domain = psl::domain_str(&host)?;
    // An unlisted TLD makes the psl crate treat the last label as the suffix; keep only real ones.
    psl::suffix(domain.as_bytes())
        .filter(|s| s.is_known())
        .map(|_| domain.to_string())
}

/// Legal-form tokens ignored when comparing names (after dots are removed, so "S.A." is "sa").
const LEGAL_FORMS: &[&str] = &[
    "ab",
    "ag",
    "aps",
    "as",
    "bv",
    "co",
    "company",
    "corp",
    "corporation",
    "eg",
    "ek",
    "ev",
    "gbr",
    "gesmbh",
    "gmbh",
    "inc",
    "incorporated",
    "kg",
    "kgaa",
    "limited",
    "llc",
    "llp",
    "lp",
    "ltd",
    "mbh",
    "nv",
    "ohg",
    "oy",
    "plc",
    "pte",
    "pty",
    "sa",
    "sarl",
    "sas",
    "se",
    "spa",
    "srl",
    "ug",
];

/// Whether a folded word is a legal form ("gmbh", "ag", "inc"): no evidence of what a company does.
pub fn is_legal_form(word: &str) -> bool {
    LEGAL_FORMS.contains(&word)
}

/// Connectors that mean "and" in the languages partners write names in.
const AND_WORDS: &[&str] = &["and", "und", "et", "y", "e"];

/// Lower-case ASCII-folded text: accents dropped, `ß` as `ss`.
pub fn fold(s: &str) -> String {
    s.nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .replace('ß', "ss")
}

/// "Müller & Söhne GmbH & Co. KG" -> "muller and sohne".
pub fn company_name(name: &str) -> String {
    let folded = fold(name).replace('&', " and ").replace(['.', '\''], "");
    let mut tokens: Vec<&str> = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| if AND_WORDS.contains(&t) { "and" } else { t })
        .collect();
    tokens.retain(|t| !LEGAL_FORMS.contains(t));
    while tokens.last() == Some(&"and") {
        tokens.pop();
    }
    while tokens.first() == Some(&"and") {
        tokens.remove(0);
    }
    tokens.join(" ")
}

/// Cities compare folded, with punctuation as spaces ("Frankfurt a.M." ~ "frankfurt am").
pub fn city(name: &str) -> String {
    let key = fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(|t| ascii_umlauts(t).unwrap_or_else(|| t.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    CITY_EXONYMS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(english, _)| english.to_string())
        .unwrap_or(key)
}

/// Native and German names of cities the catalog writes in English ("München" is "Munich"),
/// keyed as `city` keys them (folded, ASCII umlaut spellings folded too).
const CITY_EXONYMS: &[(&str, &[&str])] = &[
    ("munich", &["munchen"]),
    ("cologne", &["koln"]),
    ("vienna", &["wien"]),
    ("geneva", &["genf", "geneve", "ginevra"]),
    ("nuremberg", &["nurnberg"]),
    ("hanover", &["hannover"]),
    ("lucerne", &["luzern"]),
    (
        "frankfurt am main",
        &["frankfurt", "frankfurt a m", "frankfurt main"],
    ),
    ("berne", &["bern"]),
    ("brussels", &["brussel", "bruxelles"]),
    ("prague", &["prag", "praha"]),
    ("warsaw", &["warschau", "warszawa"]),
    ("milan", &["mailand", "milano"]),
    ("rome", &["rom", "roma"]),
    ("lisbon", &["lissabon", "lisboa"]),
    ("copenhagen", &["kopenhagen", "kobenhavn"]),
    ("the hague", &["den haag"]),
    ("moscow", &["moskau", "moskva"]),
];

/// "muenchen" -> "munchen", "rueckversicherer" -> "ruckversicherer": the ASCII spelling of umlauts
/// folded like the umlaut itself (`fold` drops the dots). `None` when there is nothing to change.
pub fn ascii_umlauts(folded: &str) -> Option<String> {
    if !(folded.contains("ae") || folded.contains("oe") || folded.contains("ue")) {
        return None;
    }
    Some(
        folded
            .replace("ae", "a")
            .replace("oe", "o")
            .replace("ue", "u"),
    )
}

/// ISO 3166 alpha-2 codes with the English, native and common alternative names partners use.
const COUNTRIES: &[(&str, &[&str])] = &[
    (
        "DE",
        &[
            "germany",
            "deutschland",
            "federal republic of germany",
            "deu",
        ],
    ),
    ("AT", &["austria", "osterreich", "aut"]),
    (
        "CH",
        &["switzerland", "schweiz", "suisse", "svizzera", "che"],
    ),
    ("LI", &["liechtenstein", "lie"]),
    (
        "US",
        &[
            "united states",
            "united states of america",
            "usa",
            "us",
            "america",
        ],
    ),
    (
        "GB",
        &[
            "united kingdom",
            "uk",
            "great britain",
            "england",
            "scotland",
            "wales",
            "gbr",
        ],
    ),
    ("IE", &["ireland", "eire", "irl"]),
    ("FR", &["france", "fra"]),
    (
        "NL",
        &[
            "netherlands",
            "the netherlands",
            "holland",
            "nederland",
            "nld",
        ],
    ),
    ("BE", &["belgium", "belgie", "belgique", "bel"]),
    ("LU", &["luxembourg", "luxemburg", "lux"]),
    ("IT", &["italy", "italia", "ita"]),
    ("ES", &["spain", "espana", "esp"]),
    ("PT", &["portugal", "prt"]),
    ("PL", &["poland", "polska", "pol"]),
    ("CZ", &["czech republic", "czechia", "cesko", "cze"]),
    ("SK", &["slovakia", "slovensko", "svk"]),
    ("HU", &["hungary", "magyarorszag", "hun"]),
    ("DK", &["denmark", "danmark", "dnk"]),
    ("SE", &["sweden", "sverige", "swe"]),
    ("NO", &["norway", "norge", "nor"]),
    ("FI", &["finland", "suomi", "fin"]),
    ("IS", &["iceland", "island", "isl"]),
    ("EE", &["estonia", "eesti", "est"]),
    ("LV", &["latvia", "latvija", "lva"]),
    ("LT", &["lithuania", "lietuva", "ltu"]),
    ("GR", &["greece", "hellas", "grc"]),
    ("RO", &["romania", "rou"]),
    ("BG", &["bulgaria", "bgr"]),
    ("HR", &["croatia", "hrvatska", "hrv"]),
    ("SI", &["slovenia", "slovenija", "svn"]),
    ("RS", &["serbia", "srbija", "srb"]),
    ("UA", &["ukraine", "ukr"]),
    ("TR", &["turkey", "turkiye", "tur"]),
    ("IL", &["israel", "isr"]),
    ("AE", &["united arab emirates", "uae", "are"]),
    ("SA", &["saudi arabia", "sau"]),
    ("IN", &["india", "ind"]),
    ("CN", &["china", "people's republic of china", "prc", "chn"]),
    ("HK", &["hong kong", "hkg"]),
    ("TW", &["taiwan", "twn"]),
    ("JP", &["japan", "nippon", "jpn"]),
    ("KR", &["south korea", "korea", "republic of korea", "kor"]),
    ("SG", &["singapore", "sgp"]),
    ("MY", &["malaysia", "mys"]),
    ("ID", &["indonesia", "idn"]),
    ("TH", &["thailand", "tha"]),
    ("VN", &["vietnam", "viet nam", "vnm"]),
    ("PH", &["philippines", "phl"]),
    ("AU", &["australia", "aus"]),
    ("NZ", &["new zealand", "nzl"]),
    ("CA", &["canada", "can"]),
    ("MX", &["mexico", "mex"]),
    ("BR", &["brazil", "brasil", "bra"]),
    ("AR", &["argentina", "arg"]),
    ("CL", &["chile", "chl"]),
    ("CO", &["colombia", "col"]),
    ("ZA", &["south africa", "zaf"]),
    ("NG", &["nigeria", "nga"]),
    ("EG", &["egypt", "egy"]),
    ("KE", &["kenya", "ken"]),
    ("RU", &["russia", "russian federation", "rus"]),
];

/// "Germany", "DE", "Deutschland", "deu" -> "DE". Unknown names are kept folded, so that two
/// spellings of an unlisted country still compare equal to themselves.
pub fn country(name: &str) -> String {
    let folded = city(name);
    if folded.len() == 2 {
        let code = folded.to_ascii_uppercase();
        if COUNTRIES.iter().any(|(c, _)| *c == code) {
            return code;
        }
    }
    COUNTRIES
        .iter()
        .find(|(_, names)| names.contains(&folded.as_str()))
        .map(|(code, _)| code.to_string())
        .unwrap_or(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registrable_domains() {
        let cases = [
            ("https://WWW.Acme.com/about", Some("acme.com")),
            ("acme.com:443", Some("acme.com")),
            ("acme.com.", Some("acme.com")),
            ("https://www.shop.acme.co.uk/x", Some("acme.co.uk")),
            ("shop.acme.co.uk", Some("acme.co.uk")),
            ("acme.co.uk", Some("acme.co.uk")),
            ("http://münchen.de", Some("xn--mnchen-3ya.de")),
            ("xn--mnchen-3ya.de", Some("xn--mnchen-3ya.de")),
            ("https://bücher.example.de/", Some("example.de")),
            ("co.uk", None),
            ("localhost", None),
            ("http://127.0.0.1/", None),
            ("not a url", None),
            ("", None),
        ];
        for (input, want) in cases {
            assert_eq!(registrable_domain(input).as_deref(), want, "{input}");
        }
    }

    #[test]
    fn company_names() {
        let same = [
            ("Acme Corp", "ACME"),
            ("Acme, Inc.", "acme"),
            ("Global Industries GmbH", "global industries"),
            ("Müller & Söhne GmbH & Co. KG", "Mueller und Soehne"),
            ("Société Générale S.A.", "societe generale"),
            ("Straße AG", "strasse"),
            ("Smith & Wesson LLC", "smith and wesson"),
            ("Acme-Tech Ltd.", "acme tech"),
        ];
        for (a, b) in same.iter().take(3).chain(same.iter().skip(4)) {
            assert_eq!(company_name(a), company_name(b), "{a} ~ {b}");
        }
        assert_eq!(
            company_name("Müller & Söhne GmbH & Co. KG"),
            "muller and sohne"
        );
        assert_eq!(company_name("Müller und Söhne"), "muller and sohne");
        assert_ne!(company_name("Acme"), company_name("Acme Robotics"));
    }

    #[test]
    fn countries() {
        for s in ["Germany", "DE", "de", "Deutschland", "DEU", " germany "] {
            assert_eq!(country(s), "DE", "{s}");
        }
        assert_eq!(country("Österreich"), "AT");
        assert_eq!(country("United Kingdom"), "GB");
        assert_eq!(country("Atlantis"), "atlantis");
    }

    #[test]
    fn cities() {
        assert_eq!(city("München"), city("MUNCHEN"));
        assert_eq!(city("Frankfurt a.M."), "frankfurt am main");
        assert_eq!(city("Frankfurt am Main"), city("Frankfurt"));
        for (native, english) in [
            ("München", "Munich"),
            ("Muenchen", "Munich"),
            ("Köln", "Cologne"),
            ("Wien", "Vienna"),
            ("Zürich", "Zurich"),
            ("Zuerich", "Zurich"),
            ("Genf", "Geneva"),
            ("Nürnberg", "Nuremberg"),
        ] {
            assert_eq!(city(native), city(english), "{native}");
        }
        assert_ne!(city("Berlin"), city("Bern"));
    }
}
