//! Normalisation used for blacklist matching and deduplication (docs/contract-notes.md "Blacklists"):
//! registrable domains via the public-suffix list, company names without case, accents,
//! punctuation and legal forms, and country names/codes folded to ISO 3166 alpha-2.
use std::collections::HashMap;
use std::sync::LazyLock;
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
    // A website is http(s). Without a scheme, an `@` is an address, not a site (`mailto:a@acme.com`
    // would otherwise read as a user "mailto" at acme.com); credentials in a URL are ignored.
    let web = matches!(url.scheme(), "http" | "https")
        && (input.contains("://") || url.username().is_empty());
    if !web {
        return None;
    }
    let host = match url.host()? {
        url::Host::Domain(d) => d.trim_end_matches('.').to_ascii_lowercase(),
        _ => return None,
    };
    if host.is_empty() || !host.contains('.') || !host.split('.').all(hostname_label) {
        return None;
    }
    let domain = psl::domain_str(&host)?;
    // An unlisted TLD makes the psl crate treat the last label as the suffix; keep only real ones.
    psl::suffix(domain.as_bytes())
        .filter(|s| s.is_known())
        .map(|_| domain.to_string())
}

/// A DNS label as a website's host has them: 1-63 characters, no hyphen at either end.
fn hostname_label(label: &str) -> bool {
    (1..=63).contains(&label.len()) && !label.starts_with('-') && !label.ends_with('-')
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

/// Connectors that mean "and" in the languages partners write names in.
const AND_WORDS: &[&str] = &["and", "und", "et", "y", "e"];

/// Lower-case ASCII-folded text: accents dropped, `ß` as `ss`.
pub fn fold(s: &str) -> String {
    // ASCII has no decompositions, marks or "ß": most text takes this path, and folding is
    // under every company's features and every compound piece the German reader tries.
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    fold_unicode(s)
}

fn fold_unicode(s: &str) -> String {
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
    let key = words(name)
        .split(' ')
        .map(|t| ascii_umlauts(t).unwrap_or_else(|| t.to_string()))
        .collect::<Vec<_>>()
        .join(" ");
    CITY_EXONYMS
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(english, _)| english.to_string())
        .unwrap_or(key)
}

/// Folded words joined by single spaces.
fn words(name: &str) -> String {
    fold(name)
        .split(|c: char| !c.is_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
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
            "vereinigte staaten",
            "vereinigte staaten von amerika",
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
            "grossbritannien",
            "vereinigtes konigreich",
            "britain",
        ],
    ),
    ("IE", &["ireland", "eire", "irl", "irland"]),
    ("FR", &["france", "fra", "frankreich"]),
    (
        "NL",
        &[
            "netherlands",
            "the netherlands",
            "holland",
            "nederland",
            "nld",
            "niederlande",
        ],
    ),
    ("BE", &["belgium", "belgie", "belgique", "bel", "belgien"]),
    ("LU", &["luxembourg", "luxemburg", "lux"]),
    ("IT", &["italy", "italia", "ita", "italien"]),
    ("ES", &["spain", "espana", "esp", "spanien"]),
    ("PT", &["portugal", "prt"]),
    ("PL", &["poland", "polska", "pol", "polen"]),
    (
        "CZ",
        &[
            "czech republic",
            "czechia",
            "cesko",
            "cze",
            "tschechien",
            "tschechische republik",
        ],
    ),
    ("SK", &["slovakia", "slovensko", "svk", "slowakei"]),
    ("HU", &["hungary", "magyarorszag", "hun", "ungarn"]),
    ("DK", &["denmark", "danmark", "dnk", "danemark"]),
    ("SE", &["sweden", "sverige", "swe", "schweden"]),
    ("NO", &["norway", "norge", "nor", "norwegen"]),
    ("FI", &["finland", "suomi", "fin", "finnland"]),
    ("IS", &["iceland", "island", "isl"]),
    ("EE", &["estonia", "eesti", "est", "estland"]),
    ("LV", &["latvia", "latvija", "lva", "lettland"]),
    ("LT", &["lithuania", "lietuva", "ltu", "litauen"]),
    ("GR", &["greece", "hellas", "grc", "griechenland"]),
    ("RO", &["romania", "rou", "rumanien"]),
    ("BG", &["bulgaria", "bgr", "bulgarien"]),
    ("HR", &["croatia", "hrvatska", "hrv", "kroatien"]),
    ("SI", &["slovenia", "slovenija", "svn", "slowenien"]),
    ("RS", &["serbia", "srbija", "srb", "serbien"]),
    ("UA", &["ukraine", "ukr"]),
    ("TR", &["turkey", "turkiye", "tur", "turkei"]),
    ("IL", &["israel", "isr"]),
    (
        "AE",
        &[
            "united arab emirates",
            "uae",
            "are",
            "vereinigte arabische emirate",
            "vae",
        ],
    ),
    (
        "SA",
        &["saudi arabia", "sau", "saudi-arabien", "saudi arabien"],
    ),
    ("IN", &["india", "ind", "indien"]),
    ("CN", &["china", "people's republic of china", "prc", "chn"]),
    ("HK", &["hong kong", "hkg", "hongkong"]),
    ("TW", &["taiwan", "twn"]),
    ("JP", &["japan", "nippon", "jpn"]),
    (
        "KR",
        &[
            "south korea",
            "korea",
            "republic of korea",
            "kor",
            "sudkorea",
        ],
    ),
    ("SG", &["singapore", "sgp", "singapur"]),
    ("MY", &["malaysia", "mys"]),
    ("ID", &["indonesia", "idn", "indonesien"]),
    ("TH", &["thailand", "tha"]),
    ("VN", &["vietnam", "viet nam", "vnm"]),
    ("PH", &["philippines", "phl", "philippinen"]),
    ("AU", &["australia", "aus", "australien"]),
    ("NZ", &["new zealand", "nzl", "neuseeland"]),
    ("CA", &["canada", "can", "kanada"]),
    ("MX", &["mexico", "mex", "mexiko"]),
    ("BR", &["brazil", "brasil", "bra", "brasilien"]),
    ("AR", &["argentina", "arg", "argentinien"]),
    ("CL", &["chile", "chl"]),
    ("CO", &["colombia", "col", "kolumbien"]),
    ("ZA", &["south africa", "zaf", "sudafrika"]),
    ("KY", &["cayman islands", "kaimaninseln"]),
    ("BM", &["bermuda"]),
    ("QA", &["qatar", "katar"]),
    ("JE", &["jersey"]),
    ("CY", &["cyprus", "zypern"]),
    ("GG", &["guernsey"]),
    (
        "VG",
        &["british virgin islands", "britische jungferninseln"],
    ),
    ("IM", &["isle of man"]),
    ("PE", &["peru"]),
    ("MT", &["malta"]),
    ("MO", &["macau", "macao"]),
    ("PK", &["pakistan"]),
    ("MU", &["mauritius"]),
    ("MC", &["monaco"]),
    ("PA", &["panama"]),
    ("KZ", &["kazakhstan", "kasachstan"]),
    ("GI", &["gibraltar"]),
    ("PG", &["papua new guinea", "papua neuguinea"]),
    ("GH", &["ghana"]),
    ("BS", &["bahamas", "the bahamas"]),
    ("AN", &["netherlands antilles", "niederlandische antillen"]),
    ("MN", &["mongolia", "mongolei"]),
    ("MA", &["morocco", "marokko"]),
    ("TZ", &["tanzania", "tansania"]),
    ("GE", &["georgia", "georgien"]),
    ("SN", &["senegal"]),
    ("ZM", &["zambia", "sambia"]),
    ("CR", &["costa rica"]),
    ("DO", &["dominican republic", "dominikanische republik"]),
    ("MM", &["myanmar", "burma"]),
    ("UY", &["uruguay"]),
    ("BD", &["bangladesh", "bangladesch"]),
    ("BB", &["barbados"]),
    ("MK", &["macedonia", "north macedonia", "nordmazedonien"]),
    (
        "CI",
        &[
            "ivory coast",
            "cote d ivoire",
            "cote divoire",
            "elfenbeinkuste",
            "civ",
        ],
    ),
    ("NA", &["namibia"]),
    ("VE", &["venezuela"]),
    ("KH", &["cambodia", "kambodscha"]),
    ("AZ", &["azerbaijan", "aserbaidschan"]),
    ("MZ", &["mozambique", "mosambik"]),
    ("GF", &["french guiana", "franzosisch guayana"]),
    ("FK", &["falkland islands", "falklandinseln"]),
    ("KG", &["kyrgyzstan", "kirgisistan"]),
    ("BW", &["botswana"]),
    ("BZ", &["belize"]),
    ("GA", &["gabon"]),
    ("GL", &["greenland", "gronland"]),
    ("JO", &["jordan", "jordanien"]),
    ("AI", &["anguilla"]),
    ("BH", &["bahrain"]),
    ("ET", &["ethiopia", "athiopien"]),
    ("PR", &["puerto rico"]),
    ("EC", &["ecuador"]),
    ("SC", &["seychelles", "seychellen"]),
    ("IQ", &["iraq", "irak"]),
    ("UG", &["uganda"]),
    ("NP", &["nepal"]),
    (
        "CD",
        &[
            "democratic republic of the congo",
            "dr congo",
            "kongo",
            "cod",
        ],
    ),
    ("DZ", &["algeria", "algerien"]),
    ("KW", &["kuwait"]),
    ("OM", &["oman"]),
    ("LK", &["sri lanka"]),
    ("NG", &["nigeria", "nga"]),
    ("EG", &["egypt", "egy", "agypten"]),
    ("KE", &["kenya", "ken", "kenia"]),
    ("RU", &["russia", "russian federation", "rus", "russland"]),
];

/// "Germany", "DE", "Deutschland", "deu" -> "DE". Unknown names are kept folded, so that two
/// spellings of an unlisted country still compare equal to themselves.
pub fn country(name: &str) -> String {
    let folded = words(name);
    // "Oesterreich": the ASCII umlaut spelling, tried only when the name itself is unknown
    // ("Israel" must not become "isral").
    let folded = match ascii_umlauts(&folded) {
        Some(ascii) if !country_names().contains_key(folded.as_str()) => {
            if country_names().contains_key(ascii.as_str()) {
                ascii
            } else {
                folded
            }
        }
        _ => folded,
    };
    if folded.len() == 2 {
        let code = folded.to_ascii_uppercase();
        if COUNTRIES.iter().any(|(c, _)| *c == code) {
            return code;
        }
    }
    match country_names().get(folded.as_str()) {
        Some(code) => code.to_string(),
        None => folded,
    }
}

/// Every folded country name and its code, indexed once: the German reader asks whether each
/// piece of a compound it tries is a country ("Australien" is a hard filter, never a keyword),
/// thousands of times for a long text, and a scan of the table per piece was most of its work.
fn country_names() -> &'static HashMap<&'static str, &'static str> {
    static NAMES: LazyLock<HashMap<&str, &str>> = LazyLock::new(|| {
        let mut index = HashMap::new();
        for (code, names) in COUNTRIES {
            for name in *names {
                // The table's first country to use a name keeps it, as the scan did.
                index.entry(*name).or_insert(*code);
            }
        }
        index
    });
    &NAMES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_folds_as_unicode_does() {
        let every_ascii: String = (0u8..128).map(char::from).collect();
        assert_eq!(fold(&every_ascii), fold_unicode(&every_ascii));
        assert_eq!(fold("Müller Straße"), "muller strasse");
    }

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
            // Not a website: another scheme, an address, or a host no DNS name has.
            ("ftp://acme.com", None),
            ("mailto:a@acme.com", None),
            ("a@acme.com", None),
            ("https://user:pw@acme.com", Some("acme.com")),
            ("https://acme..com", None),
            ("https://-acme.com", None),
            ("https://acme-.com", None),
            ("https://my-acme.com", Some("my-acme.com")),
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
        assert_eq!(country("Israel"), "IL");
        assert_eq!(country("Oesterreich"), "AT");
        assert_eq!(country("Großbritannien"), "GB");
        assert_eq!(country("Südkorea"), "KR");
        assert_eq!(country("Bermuda"), "BM");
        assert_eq!(country("Côte d'Ivoire"), "CI");
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
