//! The short word lists the readers of ICPs and labels go by (`data/word_lists.tsv`, one word a
//! row under its list's name, in the list's order): what each one means is said where it is read.
use super::tsv;
use std::sync::LazyLock;

/// A list of `data/word_lists.tsv`, by the name in its `list` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    /// `german::HEADS`.
    Heads,
    /// `german::GERMAN_WORDS`.
    GermanWords,
    /// `industry::NEGATIONS`.
    Negations,
    /// `industry::CONTRASTS`.
    Contrasts,
    /// `industry::EXCLUDING`.
    Excluding,
    /// `industry::LIST_WORDS`.
    ListWords,
    /// `industry::AUDIENCE`.
    Audience,
    /// `industry::FILLER`.
    Filler,
    /// `icp::GROWTH_WORDS`.
    GrowthWords,
    /// `icp::PEOPLE_WORDS`.
    PeopleWords,
    /// `industry::ROLE_WORDS`.
    RoleWords,
    /// `industry::DERIVATIONS`.
    Derivations,
    /// `industry::domain_tech::VENDOR_WORDS`.
    VendorWords,
    /// `industry::FIRST_PERSON`.
    FirstPerson,
    /// `industry::OFFERING`.
    Offering,
    /// `industry::SEEKING`.
    Seeking,
    /// `german::DEALER_GOODS`.
    DealerGoods,
    /// `german::DISTRIBUTOR_GOODS`.
    DistributorGoods,
    /// `industry::QUALIFIERS`.
    Qualifiers,
    /// `icp::SERVICE_NOUNS`.
    ServiceNouns,
    /// `industry::ABBREVIATIONS`.
    Abbreviations,
    /// `industry::CUSTOMER_NOUNS`.
    CustomerNouns,
    /// `german::GERMAN_NOUNS`.
    GermanNouns,
}

impl List {
    const ALL: [List; 23] = [
        List::Heads,
        List::GermanWords,
        List::Negations,
        List::Contrasts,
        List::Excluding,
        List::ListWords,
        List::Audience,
        List::Filler,
        List::GrowthWords,
        List::PeopleWords,
        List::RoleWords,
        List::Derivations,
        List::VendorWords,
        List::FirstPerson,
        List::Offering,
        List::Seeking,
        List::DealerGoods,
        List::DistributorGoods,
        List::Qualifiers,
        List::ServiceNouns,
        List::Abbreviations,
        List::CustomerNouns,
        List::GermanNouns,
    ];

    fn name(self) -> &'static str {
        match self {
            List::Heads => "heads",
            List::GermanWords => "german_words",
            List::GermanNouns => "german_nouns",
            List::Negations => "negations",
            List::Contrasts => "contrasts",
            List::Excluding => "excluding",
            List::ListWords => "list_words",
            List::Audience => "audience",
            List::Filler => "filler",
            List::GrowthWords => "growth_words",
            List::PeopleWords => "people_words",
            List::RoleWords => "role_words",
            List::Derivations => "derivations",
            List::VendorWords => "vendor_words",
            List::FirstPerson => "first_person",
            List::Offering => "offering",
            List::Seeking => "seeking",
            List::DealerGoods => "dealer_goods",
            List::DistributorGoods => "distributor_goods",
            List::Qualifiers => "qualifiers",
            List::ServiceNouns => "service_nouns",
            List::Abbreviations => "abbreviations",
            List::CustomerNouns => "customer_nouns",
        }
    }
}

/// The words of a list, in the file's order.
pub fn words(list: List) -> &'static [&'static str] {
    static LISTS: LazyLock<Vec<Vec<&str>>> = LazyLock::new(|| {
        // The file is compiled in, and `the_word_list_file_parses_whole` parses all of it.
        #[allow(clippy::expect_used)]
        let lists = parse(WORD_LISTS_TSV).expect("data/word_lists.tsv parses");
        lists
    });
    LISTS.get(list as usize).map_or(&[], Vec::as_slice)
}

const WORD_LISTS_TSV: &str = include_str!("../data/word_lists.tsv");

/// The lists of a word list file in the order of `List::ALL`, or the first row that names no list.
fn parse(tsv: &str) -> Result<Vec<Vec<&str>>, String> {
    let mut lists = vec![Vec::new(); List::ALL.len()];
    for [list, word] in tsv::rows(tsv, ["list", "word"])? {
        let Some(l) = List::ALL.iter().find(|l| l.name() == list) else {
            return Err(format!("no list {list:?} (word {word:?})"));
        };
        lists[*l as usize].push(word);
    }
    Ok(lists)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_word_list_file_parses_whole() {
        let lists = parse(WORD_LISTS_TSV).unwrap_or_else(|e| panic!("data/word_lists.tsv: {e}"));
        for list in List::ALL {
            let listed = &lists[list as usize];
            assert!(!listed.is_empty(), "{list:?} is empty");
            let mut seen = HashSet::new();
            for w in listed {
                assert!(!w.trim().is_empty(), "{list:?}: an empty word");
                assert_eq!(
                    *w,
                    domain::normalize::fold(w),
                    "{list:?}: {w:?} is not folded"
                );
                assert!(seen.insert(w), "{list:?}: {w:?} twice");
            }
            assert_eq!(words(list), &listed[..]);
        }
        assert_eq!(
            parse("list\tword\nheads\tanbieter\nhaeds\tfirma\n").unwrap_err(),
            r#"no list "haeds" (word "firma")"#
        );
        assert!(parse("list\tword\theads\n").is_err());
    }
}
