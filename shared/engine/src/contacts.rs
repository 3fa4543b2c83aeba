//! CONTACTS: a company's people as prospects, ranked for the order's `contact_roles`.
//!
//! A job title is read through one small lexicon of phrases (English and German, a few French and
//! Spanish ones) into a [`RoleFamily`] and a [`Seniority`]. Requested roles are read the same way,
//! so "CEO", "Geschäftsführer" and "Managing Director" all ask for the same people. A requested
//! role the lexicon does not know falls back to sharing words with the title.
//!
//! Synonyms (see `LEXICON` for the full list):
//!
//! | family    | titles                                                                              |
//! |-----------|-------------------------------------------------------------------------------------|
//! | Ceo       | CEO, Chief Executive Officer, Geschäftsführer(in), Geschäftsführung, Managing Director, MD, Vorstand(svorsitzende/r), Inhaber(in), Owner, President, PDG, Directeur général |
//! | Cto       | CTO, Chief Technology Officer, Head/VP/Director of Engineering, Technischer Leiter, Technischer Geschäftsführer, Leiter (Software)entwicklung; engineers and developers |
//! | Cfo       | CFO, Chief Financial Officer, Finanzvorstand, Head of Finance, Kaufmännischer Leiter/Geschäftsführer; finance staff |
//! | Coo       | COO, Chief Operating Officer, Head/VP/Director of Operations, Betriebsleiter |
//! | Cmo       | CMO, Chief Marketing Officer, Head/VP of Marketing, Marketing Director, Marketingleiter |
//! | Sales     | CRO, Chief Revenue/Sales Officer, Head/VP/Director of Sales, Sales Director, Vertriebsleiter, Account Executive; sales staff |
//! | Marketing | marketing staff (Marketing Manager, Werkstudent Marketing)                          |
//! | Hr        | CHRO, Chief People Officer, Head of People/HR, Personalleiter, HR Director; HR staff |
//! | Product   | CPO, Chief Product Officer, Head/VP/Director of Product, Product Owner/Manager     |
//! | It        | CIO, CISO, Head of IT, IT-Leiter, IT Director; IT staff                             |
//! | Operations| operations, logistics, production and purchasing staff                             |
//! | Founder   | Founder, Co-Founder, Gründer(in), Mitgründer(in), Fondateur, Fundador               |
//! | Other     | a title that names none of the above ("Assistant to the CEO", "Office Manager")     |
//!
//! Department words without a rank word ("Marketing Manager") give the staff family; with a rank
//! of Head or above ("Director of Marketing", "Marketingleiter") the leader's family (Cmo, Coo).
use std::cmp::Reverse;
use std::sync::OnceLock;

use uuid::Uuid;

use super::catalog::{CatalogCompany, Person};
use domain::language::Language;
use domain::normalize::fold;
use domain::results::Prospect;

/// More prospects per company than this are noise for an outbound team.
pub const MAX_PROSPECTS_PER_COMPANY: usize = 10;

/// The function a title belongs to. The `C..` families stand for the function led by that
/// officer, so they hold its leaders (and, for technology and finance, its staff too).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RoleFamily {
    Ceo,
    Cto,
    Cfo,
    Coo,
    Cmo,
    Sales,
    Marketing,
    Hr,
    Product,
    It,
    Operations,
    Founder,
    Other,
}

/// How senior a title is, most senior first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Seniority {
    CLevel,
    Founder,
    VpDirector,
    Head,
    Manager,
    Individual,
}

impl Seniority {
    /// 5 for the top (C-level and founders alike) down to 1 for individual contributors.
    fn rank(self) -> u8 {
        match self {
            Seniority::CLevel | Seniority::Founder => 5,
            Seniority::VpDirector => 4,
            Seniority::Head => 3,
            Seniority::Manager => 2,
            Seniority::Individual => 1,
        }
    }

    /// One step down, for deputies ("Stellvertretender Geschäftsführer", "Deputy CEO").
    fn below(self) -> Self {
        match self {
            Seniority::CLevel | Seniority::Founder => Seniority::VpDirector,
            Seniority::VpDirector => Seniority::Head,
            Seniority::Head => Seniority::Manager,
            Seniority::Manager | Seniority::Individual => Seniority::Individual,
        }
    }
}

/// A function named by a department word, with its staff and its leader family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dept {
    Tech,
    Finance,
    Operations,
    Marketing,
    Sales,
    Hr,
    Product,
    It,
}

impl Dept {
    fn family(self, leader: bool) -> RoleFamily {
        match (self, leader) {
            (Dept::Tech, _) => RoleFamily::Cto,
            (Dept::Finance, _) => RoleFamily::Cfo,
            (Dept::Operations, true) => RoleFamily::Coo,
            (Dept::Operations, false) => RoleFamily::Operations,
            (Dept::Marketing, true) => RoleFamily::Cmo,
            (Dept::Marketing, false) => RoleFamily::Marketing,
            (Dept::Sales, _) => RoleFamily::Sales,
            (Dept::Hr, _) => RoleFamily::Hr,
            (Dept::Product, _) => RoleFamily::Product,
            (Dept::It, _) => RoleFamily::It,
        }
    }
}

/// What a lexicon phrase says about a title.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sense {
    /// A title in its own right: its family and rank.
    Role(RoleFamily, Seniority),
    /// A rank word without a function ("Head", "Director", "Manager").
    Level(Seniority),
    /// A function word without a rank ("Marketing", "Vertrieb").
    Dept(Dept),
    /// Trainees and students: never decision makers, whatever else the title says.
    Junior,
    /// Assistants and secretaries: the executive role in their title belongs to someone else.
    Aide,
    /// "Deputy", "Stellvertretender": one rank below the role named.
    Deputy,
}

use RoleFamily as F;
use Seniority as S;

/// The lexicon, written in natural spelling and normalised with the same `tokens` as titles, so
/// "Geschäftsführer", "Geschaeftsfuehrer" and "GESCHÄFTSFÜHRERIN" all meet. A trailing `*` makes
/// the last word a stem ("Vertrieb*" matches "Vertriebsleiter" after compound splitting, or
/// "Vertriebsmitarbeiter"). The longest phrase wins, so "Technischer Geschäftsführer" is a CTO
/// and "Product Owner" is not an owner.
const LEXICON: &[(&str, Sense)] = &[
    // General management.
    ("CEO", Sense::Role(F::Ceo, S::CLevel)),
    ("Chief Executive Officer", Sense::Role(F::Ceo, S::CLevel)),
    ("Geschäftsführer", Sense::Role(F::Ceo, S::CLevel)),
    (
        "Geschäftsführende Gesellschafter",
        Sense::Role(F::Ceo, S::CLevel),
    ),
    (
        "Geschäftsführender Gesellschafter",
        Sense::Role(F::Ceo, S::CLevel),
    ),
    ("Geschäftsführung", Sense::Role(F::Ceo, S::CLevel)),
    ("Geschäftsleitung", Sense::Role(F::Ceo, S::CLevel)),
    ("Managing Director", Sense::Role(F::Ceo, S::CLevel)),
    ("Managing Partner", Sense::Role(F::Ceo, S::CLevel)),
    ("MD", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorstand", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorstandsmitglied", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorstandsvorsitzender", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorstandsvorsitzende", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorsitzender des Vorstands", Sense::Role(F::Ceo, S::CLevel)),
    ("Vorsitzende des Vorstands", Sense::Role(F::Ceo, S::CLevel)),
    ("Inhaber", Sense::Role(F::Ceo, S::CLevel)),
    ("Owner", Sense::Role(F::Ceo, S::CLevel)),
    ("President", Sense::Role(F::Ceo, S::CLevel)),
    ("Präsident", Sense::Role(F::Ceo, S::CLevel)),
    (
        "Président-directeur général",
        Sense::Role(F::Ceo, S::CLevel),
    ),
    ("PDG", Sense::Role(F::Ceo, S::CLevel)),
    ("Directeur général", Sense::Role(F::Ceo, S::CLevel)),
    ("Director general", Sense::Role(F::Ceo, S::CLevel)),
    ("Consejero delegado", Sense::Role(F::Ceo, S::CLevel)),
    ("Gérant", Sense::Role(F::Ceo, S::CLevel)),
    // Technology.
    ("CTO", Sense::Role(F::Cto, S::CLevel)),
    ("Chief Technology Officer", Sense::Role(F::Cto, S::CLevel)),
    ("Chief Technical Officer", Sense::Role(F::Cto, S::CLevel)),
    (
        "Technischer Geschäftsführer",
        Sense::Role(F::Cto, S::CLevel),
    ),
    ("Vorstand Technik", Sense::Role(F::Cto, S::CLevel)),
    ("Directeur technique", Sense::Role(F::Cto, S::CLevel)),
    ("Director técnico", Sense::Role(F::Cto, S::CLevel)),
    ("VP Engineering", Sense::Role(F::Cto, S::VpDirector)),
    ("VP of Engineering", Sense::Role(F::Cto, S::VpDirector)),
    (
        "Vice President Engineering",
        Sense::Role(F::Cto, S::VpDirector),
    ),
    (
        "Vice President of Engineering",
        Sense::Role(F::Cto, S::VpDirector),
    ),
    (
        "Director of Engineering",
        Sense::Role(F::Cto, S::VpDirector),
    ),
    ("Engineering Director", Sense::Role(F::Cto, S::VpDirector)),
    ("Head of Engineering", Sense::Role(F::Cto, S::Head)),
    ("Head of Technology", Sense::Role(F::Cto, S::Head)),
    ("Head of Development", Sense::Role(F::Cto, S::Head)),
    ("Head of Software Development", Sense::Role(F::Cto, S::Head)),
    ("Technischer Leiter", Sense::Role(F::Cto, S::Head)),
    ("Technische Leitung", Sense::Role(F::Cto, S::Head)),
    ("Leiter Softwareentwicklung", Sense::Role(F::Cto, S::Head)),
    ("Leiter Entwicklung", Sense::Role(F::Cto, S::Head)),
    ("Engineering Manager", Sense::Role(F::Cto, S::Manager)),
    // Finance.
    ("CFO", Sense::Role(F::Cfo, S::CLevel)),
    ("Chief Financial Officer", Sense::Role(F::Cfo, S::CLevel)),
    ("Finanzvorstand", Sense::Role(F::Cfo, S::CLevel)),
    ("Vorstand Finanzen", Sense::Role(F::Cfo, S::CLevel)),
    (
        "Kaufmännischer Geschäftsführer",
        Sense::Role(F::Cfo, S::CLevel),
    ),
    ("Directeur financier", Sense::Role(F::Cfo, S::CLevel)),
    ("Director financiero", Sense::Role(F::Cfo, S::CLevel)),
    ("VP Finance", Sense::Role(F::Cfo, S::VpDirector)),
    ("Finance Director", Sense::Role(F::Cfo, S::VpDirector)),
    ("Head of Finance", Sense::Role(F::Cfo, S::Head)),
    ("Kaufmännischer Leiter", Sense::Role(F::Cfo, S::Head)),
    ("Kaufmännische Leitung", Sense::Role(F::Cfo, S::Head)),
    ("Leiter Finanzen", Sense::Role(F::Cfo, S::Head)),
    // Operations.
    ("COO", Sense::Role(F::Coo, S::CLevel)),
    ("Chief Operating Officer", Sense::Role(F::Coo, S::CLevel)),
    ("Chief Operations Officer", Sense::Role(F::Coo, S::CLevel)),
    ("VP Operations", Sense::Role(F::Coo, S::VpDirector)),
    ("Director of Operations", Sense::Role(F::Coo, S::VpDirector)),
    ("Operations Director", Sense::Role(F::Coo, S::VpDirector)),
    ("Head of Operations", Sense::Role(F::Coo, S::Head)),
    ("Betriebsleiter", Sense::Role(F::Coo, S::Head)),
    // Marketing.
    ("CMO", Sense::Role(F::Cmo, S::CLevel)),
    ("Chief Marketing Officer", Sense::Role(F::Cmo, S::CLevel)),
    ("VP Marketing", Sense::Role(F::Cmo, S::VpDirector)),
    ("VP of Marketing", Sense::Role(F::Cmo, S::VpDirector)),
    ("Marketing Director", Sense::Role(F::Cmo, S::VpDirector)),
    ("Director of Marketing", Sense::Role(F::Cmo, S::VpDirector)),
    ("Directeur marketing", Sense::Role(F::Cmo, S::VpDirector)),
    ("Head of Marketing", Sense::Role(F::Cmo, S::Head)),
    ("Marketingleiter", Sense::Role(F::Cmo, S::Head)),
    ("Leiter Marketing", Sense::Role(F::Cmo, S::Head)),
    // Sales.
    ("CRO", Sense::Role(F::Sales, S::CLevel)),
    ("Chief Revenue Officer", Sense::Role(F::Sales, S::CLevel)),
    ("Chief Sales Officer", Sense::Role(F::Sales, S::CLevel)),
    ("Chief Commercial Officer", Sense::Role(F::Sales, S::CLevel)),
    ("Vorstand Vertrieb", Sense::Role(F::Sales, S::CLevel)),
    ("VP Sales", Sense::Role(F::Sales, S::VpDirector)),
    ("VP of Sales", Sense::Role(F::Sales, S::VpDirector)),
    ("Vice President Sales", Sense::Role(F::Sales, S::VpDirector)),
    ("Sales Director", Sense::Role(F::Sales, S::VpDirector)),
    ("Director of Sales", Sense::Role(F::Sales, S::VpDirector)),
    ("Directeur commercial", Sense::Role(F::Sales, S::VpDirector)),
    ("Director comercial", Sense::Role(F::Sales, S::VpDirector)),
    ("Head of Sales", Sense::Role(F::Sales, S::Head)),
    ("Vertriebsleiter", Sense::Role(F::Sales, S::Head)),
    ("Vertriebsleitung", Sense::Role(F::Sales, S::Head)),
    ("Leiter Vertrieb", Sense::Role(F::Sales, S::Head)),
    ("Verkaufsleiter", Sense::Role(F::Sales, S::Head)),
    ("Account Executive", Sense::Role(F::Sales, S::Individual)),
    ("Account Manager", Sense::Role(F::Sales, S::Individual)),
    ("Key Account Manager", Sense::Role(F::Sales, S::Individual)),
    ("Business Development", Sense::Dept(Dept::Sales)),
    // People.
    ("CHRO", Sense::Role(F::Hr, S::CLevel)),
    (
        "Chief Human Resources Officer",
        Sense::Role(F::Hr, S::CLevel),
    ),
    ("Chief People Officer", Sense::Role(F::Hr, S::CLevel)),
    ("Personalvorstand", Sense::Role(F::Hr, S::CLevel)),
    ("Vorstand Personal", Sense::Role(F::Hr, S::CLevel)),
    ("VP People", Sense::Role(F::Hr, S::VpDirector)),
    ("HR Director", Sense::Role(F::Hr, S::VpDirector)),
    ("DRH", Sense::Role(F::Hr, S::VpDirector)),
    (
        "Directeur des ressources humaines",
        Sense::Role(F::Hr, S::VpDirector),
    ),
    ("Head of People", Sense::Role(F::Hr, S::Head)),
    ("Head of HR", Sense::Role(F::Hr, S::Head)),
    ("Head of Human Resources", Sense::Role(F::Hr, S::Head)),
    ("Personalleiter", Sense::Role(F::Hr, S::Head)),
    ("Leiter Personal", Sense::Role(F::Hr, S::Head)),
    // Product.
    ("CPO", Sense::Role(F::Product, S::CLevel)),
    ("Chief Product Officer", Sense::Role(F::Product, S::CLevel)),
    ("VP Product", Sense::Role(F::Product, S::VpDirector)),
    ("VP of Product", Sense::Role(F::Product, S::VpDirector)),
    (
        "Director of Product",
        Sense::Role(F::Product, S::VpDirector),
    ),
    ("Head of Product", Sense::Role(F::Product, S::Head)),
    ("Product Owner", Sense::Role(F::Product, S::Manager)),
    ("Product Manager", Sense::Role(F::Product, S::Manager)),
    // IT.
    ("CIO", Sense::Role(F::It, S::CLevel)),
    ("Chief Information Officer", Sense::Role(F::It, S::CLevel)),
    ("CISO", Sense::Role(F::It, S::CLevel)),
    (
        "Chief Information Security Officer",
        Sense::Role(F::It, S::CLevel),
    ),
    ("IT Director", Sense::Role(F::It, S::VpDirector)),
    ("IT-Direktor", Sense::Role(F::It, S::VpDirector)),
    ("Head of IT", Sense::Role(F::It, S::Head)),
    ("IT-Leiter", Sense::Role(F::It, S::Head)),
    ("IT-Leitung", Sense::Role(F::It, S::Head)),
    ("Leiter IT", Sense::Role(F::It, S::Head)),
    // Founders.
    ("Founder", Sense::Role(F::Founder, S::Founder)),
    ("Co-Founder", Sense::Role(F::Founder, S::Founder)),
    ("Cofounder", Sense::Role(F::Founder, S::Founder)),
    ("Gründer", Sense::Role(F::Founder, S::Founder)),
    ("Mitgründer", Sense::Role(F::Founder, S::Founder)),
    ("Firmengründer", Sense::Role(F::Founder, S::Founder)),
    ("Fondateur", Sense::Role(F::Founder, S::Founder)),
    ("Cofondateur", Sense::Role(F::Founder, S::Founder)),
    ("Co-fondateur", Sense::Role(F::Founder, S::Founder)),
    ("Fundador", Sense::Role(F::Founder, S::Founder)),
    ("Cofundador", Sense::Role(F::Founder, S::Founder)),
    // Titles outside the families.
    ("Chief of Staff", Sense::Role(F::Other, S::VpDirector)),
    // Rank words.
    ("C-Level", Sense::Level(S::CLevel)),
    ("C-Suite", Sense::Level(S::CLevel)),
    ("Chief", Sense::Level(S::CLevel)),
    ("CSO", Sense::Level(S::CLevel)),
    ("CDO", Sense::Level(S::CLevel)),
    ("CCO", Sense::Level(S::CLevel)),
    ("Vice President", Sense::Level(S::VpDirector)),
    ("Senior Vice President", Sense::Level(S::VpDirector)),
    ("Executive Vice President", Sense::Level(S::VpDirector)),
    ("VP", Sense::Level(S::VpDirector)),
    ("SVP", Sense::Level(S::VpDirector)),
    ("EVP", Sense::Level(S::VpDirector)),
    ("Director", Sense::Level(S::VpDirector)),
    ("Direktor", Sense::Level(S::VpDirector)),
    ("Directeur", Sense::Level(S::VpDirector)),
    ("Directora", Sense::Level(S::VpDirector)),
    ("General Manager", Sense::Level(S::VpDirector)),
    ("Bereichsleiter", Sense::Level(S::VpDirector)),
    ("Prokurist", Sense::Level(S::VpDirector)),
    ("Partner", Sense::Level(S::VpDirector)),
    ("Head", Sense::Level(S::Head)),
    ("Leiter", Sense::Level(S::Head)),
    ("Leitung", Sense::Level(S::Head)),
    ("Abteilungsleiter", Sense::Level(S::Head)),
    ("Chef", Sense::Level(S::Head)),
    ("Responsable", Sense::Level(S::Head)),
    ("Jefe", Sense::Level(S::Head)),
    ("Manager", Sense::Level(S::Manager)),
    ("Gerente", Sense::Level(S::Manager)),
    ("Supervisor", Sense::Level(S::Manager)),
    ("Lead", Sense::Level(S::Manager)),
    ("Team Lead", Sense::Level(S::Manager)),
    ("Teamleiter", Sense::Level(S::Manager)),
    ("Teamleitung", Sense::Level(S::Manager)),
    ("Gruppenleiter", Sense::Level(S::Manager)),
    ("Projektleiter", Sense::Level(S::Manager)),
    ("Filialleiter", Sense::Level(S::Manager)),
    ("Schichtleiter", Sense::Level(S::Manager)),
    // Markers.
    ("Assistant", Sense::Aide),
    ("Assistent", Sense::Aide),
    ("Assistenz", Sense::Aide),
    ("Executive Assistant", Sense::Aide),
    ("Personal Assistant", Sense::Aide),
    ("Sekretär", Sense::Aide),
    ("Sekretärin", Sense::Aide),
    ("Secretary", Sense::Aide),
    ("Werkstudent", Sense::Junior),
    ("Working Student", Sense::Junior),
    ("Student", Sense::Junior),
    ("Intern", Sense::Junior),
    ("Internship", Sense::Junior),
    ("Praktikant", Sense::Junior),
    ("Trainee", Sense::Junior),
    ("Azubi", Sense::Junior),
    ("Auszubildender", Sense::Junior),
    ("Auszubildende", Sense::Junior),
    ("Apprentice", Sense::Junior),
    ("Stagiaire", Sense::Junior),
    ("Becario", Sense::Junior),
    ("Junior", Sense::Junior),
    ("Deputy", Sense::Deputy),
    ("Vice", Sense::Deputy),
    ("Stellvertretender", Sense::Deputy),
    ("Stellvertretende", Sense::Deputy),
    ("Stellv", Sense::Deputy),
    ("Adjoint", Sense::Deputy),
    // Department words.
    ("Engineering", Sense::Dept(Dept::Tech)),
    ("Engineer", Sense::Dept(Dept::Tech)),
    ("Developer", Sense::Dept(Dept::Tech)),
    ("Development", Sense::Dept(Dept::Tech)),
    ("Software*", Sense::Dept(Dept::Tech)),
    ("Entwickl*", Sense::Dept(Dept::Tech)),
    ("Programmierer", Sense::Dept(Dept::Tech)),
    ("Technology", Sense::Dept(Dept::Tech)),
    ("Technical", Sense::Dept(Dept::Tech)),
    ("Tech", Sense::Dept(Dept::Tech)),
    ("Technik", Sense::Dept(Dept::Tech)),
    ("Technisch*", Sense::Dept(Dept::Tech)),
    ("DevOps", Sense::Dept(Dept::Tech)),
    ("Finance", Sense::Dept(Dept::Finance)),
    ("Financial", Sense::Dept(Dept::Finance)),
    ("Finanz*", Sense::Dept(Dept::Finance)),
    ("Accounting", Sense::Dept(Dept::Finance)),
    ("Accountant", Sense::Dept(Dept::Finance)),
    ("Controller", Sense::Dept(Dept::Finance)),
    ("Controlling", Sense::Dept(Dept::Finance)),
    ("Buchhalt*", Sense::Dept(Dept::Finance)),
    ("Treasury", Sense::Dept(Dept::Finance)),
    ("Kaufmännisch*", Sense::Dept(Dept::Finance)),
    ("Comptab*", Sense::Dept(Dept::Finance)),
    ("Operations", Sense::Dept(Dept::Operations)),
    ("Logistics", Sense::Dept(Dept::Operations)),
    ("Logistik*", Sense::Dept(Dept::Operations)),
    ("Supply Chain", Sense::Dept(Dept::Operations)),
    ("Production", Sense::Dept(Dept::Operations)),
    ("Produktion*", Sense::Dept(Dept::Operations)),
    ("Betrieb", Sense::Dept(Dept::Operations)),
    ("Einkauf*", Sense::Dept(Dept::Operations)),
    ("Procurement", Sense::Dept(Dept::Operations)),
    ("Purchasing", Sense::Dept(Dept::Operations)),
    ("Marketing*", Sense::Dept(Dept::Marketing)),
    ("Brand", Sense::Dept(Dept::Marketing)),
    ("Communications", Sense::Dept(Dept::Marketing)),
    ("Kommunikation*", Sense::Dept(Dept::Marketing)),
    ("Content", Sense::Dept(Dept::Marketing)),
    ("SEO", Sense::Dept(Dept::Marketing)),
    ("Public Relations", Sense::Dept(Dept::Marketing)),
    ("PR", Sense::Dept(Dept::Marketing)),
    ("Sales", Sense::Dept(Dept::Sales)),
    ("Vertrieb*", Sense::Dept(Dept::Sales)),
    ("Verkauf*", Sense::Dept(Dept::Sales)),
    ("Revenue", Sense::Dept(Dept::Sales)),
    ("Commercial", Sense::Dept(Dept::Sales)),
    ("Außendienst", Sense::Dept(Dept::Sales)),
    ("Innendienst", Sense::Dept(Dept::Sales)),
    ("Ventes", Sense::Dept(Dept::Sales)),
    ("Ventas", Sense::Dept(Dept::Sales)),
    ("Comercial", Sense::Dept(Dept::Sales)),
    ("HR", Sense::Dept(Dept::Hr)),
    ("Human Resources", Sense::Dept(Dept::Hr)),
    ("People", Sense::Dept(Dept::Hr)),
    ("Talent", Sense::Dept(Dept::Hr)),
    ("Recruiting", Sense::Dept(Dept::Hr)),
    ("Recruiter", Sense::Dept(Dept::Hr)),
    ("Personal*", Sense::Dept(Dept::Hr)),
    ("Ressources humaines", Sense::Dept(Dept::Hr)),
    ("Recursos humanos", Sense::Dept(Dept::Hr)),
    ("Product", Sense::Dept(Dept::Product)),
    ("Produkt*", Sense::Dept(Dept::Product)),
    ("IT", Sense::Dept(Dept::It)),
    ("EDV", Sense::Dept(Dept::It)),
    ("Informatik", Sense::Dept(Dept::It)),
    ("Information Technology", Sense::Dept(Dept::It)),
    ("Informationstechnik", Sense::Dept(Dept::It)),
    ("Systemadministrator", Sense::Dept(Dept::It)),
    ("Sysadmin", Sense::Dept(Dept::It)),
];

/// German compounds end in a rank word ("Vertriebsleiter", "Produktmanager"): split them so the
/// stem and the rank are read separately, unless the whole word is in the lexicon.
const COMPOUND_RANKS: &[&str] = &[
    "leiter", "leitung", "manager", "vorstand", "direktor", "chef",
];

/// Words that carry no meaning when a requested role is compared word by word with a title.
const STOP_WORDS: &[&str] = &[
    "of", "the", "and", "for", "to", "in", "und", "der", "die", "das", "des", "fur", "de", "du",
    "la", "le", "et", "y", "senior", "sr", "jr",
];

struct Entry {
    words: Vec<String>,
    /// The last word is a stem (`*` in the lexicon).
    stem: bool,
    sense: Sense,
}

fn lexicon() -> &'static [Entry] {
    static LEX: OnceLock<Vec<Entry>> = OnceLock::new();
    LEX.get_or_init(|| {
        LEXICON
            .iter()
            .map(|(phrase, sense)| {
                let stem = phrase.ends_with('*');
                Entry {
                    words: words(phrase.trim_end_matches('*')),
                    stem,
                    sense: *sense,
                }
            })
            .filter(|e| !e.words.is_empty())
            .collect()
    })
}

/// Folded words of a text: accents dropped, German umlaut spellings merged ("ae" -> "a", as
/// `fold` already turns "ä" into "a"), feminine endings dropped ("Leiterin" -> "leiter").
fn words(text: &str) -> Vec<String> {
    super::text::words(&fold(text))
        .map(canonical_word)
        .collect()
}

fn canonical_word(word: &str) -> String {
    let word = word
        .replace("ae", "a")
        .replace("oe", "o")
        .replace("ue", "u");
    let feminine = ["erin", "orin", "ntin"].iter().any(|e| word.ends_with(e));
    if feminine && word.len() > 5 {
        word[..word.len() - 2].to_string()
    } else {
        word
    }
}

/// Title words with German compounds split before their rank word.
fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for word in words(text) {
        match split_compound(&word) {
            Some((stem, rank)) => {
                out.push(stem.to_string());
                out.push(rank.to_string());
            }
            None => out.push(word),
        }
    }
    out
}

fn split_compound(word: &str) -> Option<(&str, &str)> {
    let known = lexicon()
        .iter()
        .any(|e| e.words.len() == 1 && e.words[0] == word);
    if known {
        return None;
    }
    COMPOUND_RANKS.iter().find_map(|rank| {
        let stem = word.strip_suffix(rank)?;
        (stem.len() >= 2).then_some((stem, *rank))
    })
}

/// How well `entry` matches `tokens` at their start: `None` when it does not; otherwise a key where
/// more words, then an exact (not stem) last word, then a longer phrase wins.
fn match_at(entry: &Entry, tokens: &[String]) -> Option<(usize, bool, usize)> {
    let n = entry.words.len();
    if tokens.len() < n {
        return None;
    }
    let (last_want, head_want) = entry.words.split_last()?;
    let (last_got, head_got) = tokens[..n].split_last()?;
    if head_want != head_got {
        return None;
    }
    let exact = last_got == last_want;
    let stem_match = entry.stem && last_got.starts_with(last_want.as_str());
    if !(exact || stem_match) {
        return None;
    }
    let chars = entry.words.iter().map(String::len).sum();
    Some((n, exact, chars))
}

/// The senses of a title, read left to right taking the longest phrase at each position, and how
/// many words no phrase explained.
fn senses(tokens: &[String]) -> (Vec<Sense>, usize) {
    let mut out = Vec::new();
    let mut unknown = 0;
    let mut i = 0;
    while i < tokens.len() {
        let best = lexicon()
            .iter()
            .filter_map(|e| match_at(e, &tokens[i..]).map(|key| (key, e.sense)))
            .max_by_key(|(key, _)| *key);
        match best {
            Some(((n, _, _), sense)) => {
                out.push(sense);
                i += n;
            }
            None => {
                unknown += 1;
                i += 1;
            }
        }
    }
    (out, unknown)
}

/// What a title says: its families (most specific first) and its rank.
#[derive(Debug, Clone, PartialEq)]
struct Reading {
    families: Vec<RoleFamily>,
    seniority: Seniority,
    /// The title had no words at all.
    blank: bool,
    /// Nothing but rank words: a requested "C-Level" or "Director".
    level_only: bool,
}

fn read(title: &str) -> Reading {
    let tokens = tokens(title);
    let (senses, unknown) = senses(&tokens);
    let aide = senses.contains(&Sense::Aide);
    let seniority = seniority_of(&senses);
    let mut families = Vec::new();
    // An assistant's title names someone else's role: only their own department counts.
    if !aide {
        let roles = senses.iter().filter_map(|s| match s {
            Sense::Role(f, _) => Some(*f),
            _ => None,
        });
        let (founders, others): (Vec<_>, Vec<_>) = roles.partition(|f| *f == F::Founder);
        families.extend(others);
        families.extend(founders);
    }
    let leader = seniority.rank() >= Seniority::Head.rank();
    families.extend(senses.iter().filter_map(|s| match s {
        Sense::Dept(d) => Some(d.family(leader)),
        _ => None,
    }));
    let mut seen = Vec::new();
    families.retain(|f| {
        let new = !seen.contains(f);
        seen.push(*f);
        new
    });
    let level_only =
        unknown == 0 && !senses.is_empty() && senses.iter().all(|s| matches!(s, Sense::Level(_)));
    if families.is_empty() && !tokens.is_empty() {
        families.push(F::Other);
    }
    Reading {
        families,
        seniority,
        blank: tokens.is_empty(),
        level_only,
    }
}

fn seniority_of(senses: &[Sense]) -> Seniority {
    if senses
        .iter()
        .any(|s| matches!(s, Sense::Aide | Sense::Junior))
    {
        return Seniority::Individual;
    }
    let named = senses
        .iter()
        .filter_map(|s| match s {
            Sense::Role(_, level) | Sense::Level(level) => Some(*level),
            _ => None,
        })
        // The highest rank named; a C-level title outranks "Founder" in "Founder & CEO".
        .max_by_key(|level| (level.rank(), *level == Seniority::CLevel))
        .unwrap_or(Seniority::Individual);
    if senses.contains(&Sense::Deputy) {
        named.below()
    } else {
        named
    }
}

/// The family of a job title, `None` when the title has no words. Titles that name none of the
/// families are `Other`.
pub fn role_family(title: &str) -> Option<RoleFamily> {
    read(title).families.first().copied()
}

/// The rank of a job title; titles without a rank word are `Individual`.
pub fn seniority(title: &str) -> Seniority {
    read(title).seniority
}

/// A requested contact role, as the order wrote it and as the engine reads it.
struct Request {
    label: String,
    want: Want,
}

enum Want {
    Families(Vec<RoleFamily>),
    AtLeast(Seniority),
    /// A role the lexicon does not know: compared word by word with titles.
    Words(Vec<String>),
}

fn requests(contact_roles: &[String]) -> Vec<Request> {
    let mut seen = Vec::new();
    let mut out = Vec::new();
    for role in contact_roles {
        let label = role.trim();
        let key = fold(label);
        if label.is_empty() || seen.contains(&key) {
            continue;
        }
        seen.push(key);
        let reading = read(label);
        let want = if reading.level_only {
            Want::AtLeast(reading.seniority)
        } else if reading.families.is_empty() || reading.families == [F::Other] {
            Want::Words(content_words(label))
        } else {
            Want::Families(reading.families)
        };
        out.push(Request {
            label: label.to_string(),
            want,
        });
    }
    out
}

/// Words of a role that say what it is about, without rank words and fillers.
fn content_words(text: &str) -> Vec<String> {
    tokens(text)
        .into_iter()
        .filter(|w| !STOP_WORDS.contains(&w.as_str()))
        .filter(|w| {
            !lexicon().iter().any(|e| {
                matches!(e.sense, Sense::Level(_)) && e.words.len() == 1 && &e.words[0] == w
            })
        })
        .collect()
}

/// How a person relates to the requested roles, best first.
#[derive(Debug, Clone, PartialEq)]
enum Fit {
    Exact(String),
    FounderAsCeo(String),
    Related(String),
    SharedWords(String),
    NotRequested,
    NothingRequested,
}

/// Families close enough that asking for one is half an answer for the other.
fn related(a: RoleFamily, b: RoleFamily) -> bool {
    const PAIRS: &[(RoleFamily, RoleFamily)] = &[
        (F::Cmo, F::Marketing),
        (F::Coo, F::Operations),
        (F::Ceo, F::Founder),
    ];
    PAIRS
        .iter()
        .any(|(x, y)| (a, b) == (*x, *y) || (a, b) == (*y, *x))
}

fn fit(title: &str, reading: &Reading, requests: &[Request]) -> Fit {
    if requests.is_empty() {
        return Fit::NothingRequested;
    }
    let mine = &reading.families;
    let first = |pred: &dyn Fn(&Request) -> bool| requests.iter().find(|r| pred(r));
    let exact = first(&|r| match &r.want {
        Want::Families(fs) => fs.iter().any(|f| *f != F::Other && mine.contains(f)),
        Want::AtLeast(level) => !reading.blank && reading.seniority.rank() >= level.rank(),
        Want::Words(_) => false,
    });
    if let Some(r) = exact {
        return Fit::Exact(r.label.clone());
    }
    let wants =
        |r: &Request, f: RoleFamily| matches!(&r.want, Want::Families(fs) if fs.contains(&f));
    if mine.contains(&F::Founder) {
        if let Some(r) = first(&|r| wants(r, F::Ceo)) {
            return Fit::FounderAsCeo(r.label.clone());
        }
    }
    let close = first(&|r| match &r.want {
        Want::Families(fs) => fs.iter().any(|f| mine.iter().any(|m| related(*f, *m))),
        _ => false,
    });
    if let Some(r) = close {
        return Fit::Related(r.label.clone());
    }
    let title_words = tokens(title);
    let shared = first(&|r| match &r.want {
        Want::Words(ws) => ws.iter().any(|w| title_words.contains(w)),
        _ => false,
    });
    match shared {
        Some(r) => Fit::SharedWords(r.label.clone()),
        None => Fit::NotRequested,
    }
}

/// The score table, by fit and rank (5 = C-level/founder ... 1 = individual, 0 = no title):
///
/// | fit                               | 0 | 1 | 2 | 3 | 4 | 5  |
/// |-----------------------------------|---|---|---|---|---|----|
/// | no roles requested (seniority)    | 2 | 3 | 5 | 7 | 8 | 9  |
/// | requested family                  | - | 5 | 7 | 8 | 9 | 10 |
/// | founder for a requested CEO       | - | - | - | - | - | 9  |
/// | related family / shared words     | - | 4 | 6 | 7 | 8 | 9  |
/// | roles requested, none matched     | 1 | 2 | 3 | 4 | 5 | 6  |
///
/// So a requested role beats any unrequested one at the same rank, a matching manager (7) beats an
/// unrequested CEO (6), and without requests decision makers come first.
fn score(fit: &Fit, rank: u8) -> u8 {
    const BY_SENIORITY: [u8; 6] = [2, 3, 5, 7, 8, 9];
    const EXACT: [u8; 6] = [4, 5, 7, 8, 9, 10];
    const UNMATCHED: [u8; 6] = [1, 2, 3, 4, 5, 6];
    let i = usize::from(rank.min(5));
    let s = match fit {
        Fit::NothingRequested => BY_SENIORITY[i],
        Fit::Exact(_) => EXACT[i],
        Fit::FounderAsCeo(_) => EXACT[i].saturating_sub(1),
        Fit::Related(_) | Fit::SharedWords(_) => EXACT[i].saturating_sub(1),
        Fit::NotRequested => UNMATCHED[i],
    };
    s.clamp(1, 10)
}

/// The function a family's decision makers decide about, for the reason text.
fn domain_word(family: Option<RoleFamily>, lang: Language) -> &'static str {
    let (en, de) = match family {
        Some(F::Cto) => ("technology", "Technologie"),
        Some(F::Cfo) => ("finance", "Finanzen"),
        Some(F::Coo | F::Operations) => ("operations", "Betrieb"),
        Some(F::Cmo | F::Marketing) => ("marketing", "Marketing"),
        Some(F::Sales) => ("sales", "Vertrieb"),
        Some(F::Hr) => ("HR", "Personal"),
        Some(F::Product) => ("product", "Produkt"),
        Some(F::It) => ("IT", "IT"),
        Some(F::Ceo | F::Founder | F::Other) | None => ("", ""),
    };
    match lang {
        Language::En => en,
        Language::De => de,
    }
}

/// "senior technology decision maker", "marketing team member, not a decision maker";
/// "leitender Entscheider im Bereich Technologie", "Teammitglied Marketing, kein Entscheider".
fn describe(reading: &Reading, lang: Language) -> String {
    let d = domain_word(reading.families.first().copied(), lang);
    let text = match lang {
        Language::En => {
            if reading.blank {
                return "no job title published, seniority unknown".to_string();
            }
            match reading.seniority {
                Seniority::CLevel => format!("C-level {d} decision maker"),
                Seniority::Founder => "founder and decision maker".to_string(),
                Seniority::VpDirector | Seniority::Head => format!("senior {d} decision maker"),
                Seniority::Manager => format!("{d} manager who influences decisions"),
                Seniority::Individual => format!("{d} team member, not a decision maker"),
            }
        }
        Language::De => {
            if reading.blank {
                return "keine Berufsbezeichnung veröffentlicht, Seniorität unbekannt".to_string();
            }
            let area = if d.is_empty() {
                String::new()
            } else {
                format!(" im Bereich {d}")
            };
            match reading.seniority {
                Seniority::CLevel => format!("Entscheider auf C-Ebene{area}"),
                Seniority::Founder => "Gründer und Entscheider".to_string(),
                Seniority::VpDirector | Seniority::Head => format!("leitender Entscheider{area}"),
                Seniority::Manager => {
                    format!("Führungskraft{area} mit Einfluss auf Entscheidungen")
                }
                Seniority::Individual => format!("Teammitglied {d}, kein Entscheider"),
            }
        }
    };
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

fn capitalize(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "CTO (Head of Engineering)", or just "CTO" when the title is the requested role itself.
fn role_with_title(label: &str, title: &str) -> String {
    if title.trim().is_empty() || fold(title.trim()) == fold(label) {
        label.to_string()
    } else {
        format!("{label} ({})", title.trim())
    }
}

/// The `qualification_reason`, in the order's language (English by default).
fn reason(
    fit: &Fit,
    title: &str,
    reading: &Reading,
    requests: &[Request],
    lang: Language,
) -> String {
    let what = describe(reading, lang);
    let labels = || {
        requests
            .iter()
            .map(|r| r.label.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    match (lang, fit) {
        (Language::En, Fit::Exact(label)) => format!(
            "Matches requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::Exact(label)) => format!(
            "Entspricht der gesuchten Rolle {}; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::FounderAsCeo(label)) => format!(
            "Founder counted for requested role {label}, ranked just below a titled {label}; \
             top decision maker"
        ),
        (Language::De, Fit::FounderAsCeo(label)) => format!(
            "Gründer zählt für die gesuchte Rolle {label}, eingestuft knapp hinter einer Person \
             mit dem Titel {label}; oberste Entscheidungsebene"
        ),
        (Language::En, Fit::Related(label)) => format!(
            "Related to requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::Related(label)) => format!(
            "Verwandt mit der gesuchten Rolle {}; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::SharedWords(label)) => format!(
            "Title shares words with requested role {}; {what}",
            role_with_title(label, title)
        ),
        (Language::De, Fit::SharedWords(label)) => format!(
            "Berufsbezeichnung hat Wörter mit der gesuchten Rolle {} gemeinsam; {what}",
            role_with_title(label, title)
        ),
        (Language::En, Fit::NotRequested) => format!(
            "{}; not one of the requested roles ({})",
            capitalize(&what),
            labels()
        ),
        (Language::De, Fit::NotRequested) => format!(
            "{}; keine der gesuchten Rollen ({})",
            capitalize(&what),
            labels()
        ),
        (Language::En, Fit::NothingRequested) => format!(
            "{}; no contact roles requested, ranked by seniority",
            capitalize(&what)
        ),
        (Language::De, Fit::NothingRequested) => format!(
            "{}; keine Kontaktrollen angefragt, nach Seniorität sortiert",
            capitalize(&what)
        ),
    }
}

/// Deterministic per company and person, so re-running an order yields the same prospect ids.
fn prospect_id(company_id: Uuid, person: &Person) -> Uuid {
    let key = format!(
        "{}|{}|{}",
        person.first_name,
        person.last_name.as_deref().unwrap_or(""),
        person.title.as_deref().unwrap_or("")
    );
    Uuid::new_v5(&company_id, key.as_bytes())
}

fn prospect(company_id: Uuid, person: &Person, requests: &[Request], lang: Language) -> Prospect {
    let title = person.title.as_deref().unwrap_or("");
    let reading = read(title);
    let rank = if reading.blank {
        0
    } else {
        reading.seniority.rank()
    };
    let fit = fit(title, &reading, requests);
    Prospect {
        id: prospect_id(company_id, person),
        company_id,
        first_name: person.first_name.clone(),
        last_name: person.last_name.clone(),
        job_title: person.title.clone(),
        email: None,
        phone_number: person.phone_number.clone(),
        linkedin_url: person.linkedin_url.clone(),
        qualification_score: Some(score(&fit, rank)),
        qualification_reason: Some(reason(&fit, title, &reading, requests, lang)),
        email_type: None,
        validation_confidence: None,
        bounce_risk_score: None,
    }
}

/// Every person of the company as a prospect, best first (score, then last and first name), at
/// most [`MAX_PROSPECTS_PER_COMPANY`]. The same person listed twice (same name and title) is one
/// prospect: their ids would collide. `qualification_reason` is written in `lang` (the order's
/// `output_language`); ranking and scores do not depend on it.
pub fn prospects_for(
    company: &CatalogCompany,
    company_id: Uuid,
    contact_roles: &[String],
    lang: Language,
) -> Vec<Prospect> {
    let requests = requests(contact_roles);
    let mut out: Vec<Prospect> = Vec::with_capacity(company.people.len());
    for person in &company.people {
        let p = prospect(company_id, person, &requests, lang);
        if !out.iter().any(|q| q.id == p.id) {
            out.push(p);
        }
    }
    out.sort_by_cached_key(|p| {
        (
            Reverse(p.qualification_score),
            fold(p.last_name.as_deref().unwrap_or("")),
            fold(&p.first_name),
            fold(p.job_title.as_deref().unwrap_or("")),
            p.id,
        )
    });
    out.truncate(MAX_PROSPECTS_PER_COMPANY);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(first: &str, last: &str, title: &str) -> Person {
        Person {
            first_name: first.to_string(),
            last_name: (!last.is_empty()).then(|| last.to_string()),
            title: (!title.is_empty()).then(|| title.to_string()),
            ..Person::default()
        }
    }

    fn company(people: Vec<Person>) -> CatalogCompany {
        CatalogCompany {
            id: "acme.de".into(),
            name: "Acme GmbH".into(),
            domain: Some("acme.de".into()),
            people,
            ..CatalogCompany::default()
        }
    }

    fn roles(r: &[&str]) -> Vec<String> {
        r.iter().map(|s| s.to_string()).collect()
    }

    fn cid() -> Uuid {
        Uuid::from_u128(0x1234)
    }

    #[test]
    fn title_families() {
        use RoleFamily::*;
        let cases: &[(&str, Option<RoleFamily>)] = &[
            ("CEO", Some(Ceo)),
            ("Chief Executive Officer", Some(Ceo)),
            ("Geschäftsführer", Some(Ceo)),
            ("Geschäftsführerin", Some(Ceo)),
            ("Geschaeftsfuehrer", Some(Ceo)),
            ("GESCHÄFTSFÜHRER", Some(Ceo)),
            ("Managing Director", Some(Ceo)),
            ("MD", Some(Ceo)),
            ("Vorstandsvorsitzender", Some(Ceo)),
            ("Vorstand", Some(Ceo)),
            ("Inhaber", Some(Ceo)),
            ("Inhaberin", Some(Ceo)),
            ("Owner", Some(Ceo)),
            ("Président-directeur général", Some(Ceo)),
            ("Founder & CEO", Some(Ceo)),
            ("Assistant to the CEO", Some(Other)),
            ("Executive Assistant to the Managing Director", Some(Other)),
            ("CTO", Some(Cto)),
            ("Chief Technology Officer", Some(Cto)),
            ("Head of Engineering", Some(Cto)),
            ("VP Engineering", Some(Cto)),
            ("VP of Engineering", Some(Cto)),
            ("Technischer Leiter", Some(Cto)),
            ("Leiter Softwareentwicklung", Some(Cto)),
            ("Technischer Geschäftsführer", Some(Cto)),
            ("Senior Software Engineer", Some(Cto)),
            ("CFO", Some(Cfo)),
            ("Finanzvorstand", Some(Cfo)),
            ("Head of Finance", Some(Cfo)),
            ("Kaufmännischer Leiter", Some(Cfo)),
            ("COO", Some(Coo)),
            ("Head of Operations", Some(Coo)),
            ("CMO", Some(Cmo)),
            ("Head of Marketing", Some(Cmo)),
            ("Marketingleiter", Some(Cmo)),
            ("Marketingleiterin", Some(Cmo)),
            ("Director of Marketing", Some(Cmo)),
            ("Marketing Manager", Some(Marketing)),
            ("Werkstudent Marketing", Some(Marketing)),
            ("Head of Sales", Some(Sales)),
            ("VP Sales", Some(Sales)),
            ("Vertriebsleiter", Some(Sales)),
            ("Leiterin Vertrieb", Some(Sales)),
            ("Chief Revenue Officer", Some(Sales)),
            ("Sales Director", Some(Sales)),
            ("Account Executive", Some(Sales)),
            ("Head of People", Some(Hr)),
            ("Personalleiter", Some(Hr)),
            ("CHRO", Some(Hr)),
            ("CPO", Some(Product)),
            ("Head of Product", Some(Product)),
            ("VP Product", Some(Product)),
            ("Product Owner", Some(Product)),
            ("Produktmanagerin", Some(Product)),
            ("CIO", Some(It)),
            ("IT-Leiter", Some(It)),
            ("Head of IT", Some(It)),
            ("Produktionsleiter", Some(Coo)),
            ("Logistik Mitarbeiter", Some(Operations)),
            ("Founder", Some(Founder)),
            ("Co-Founder", Some(Founder)),
            ("Gründer", Some(Founder)),
            ("Mitgründerin", Some(Founder)),
            ("Office Manager", Some(Other)),
            ("Chief of Staff", Some(Other)),
            ("", None),
            ("  - ", None),
        ];
        assert!(cases.len() >= 25);
        for (title, want) in cases {
            assert_eq!(role_family(title), *want, "{title:?}");
        }
    }

    #[test]
    fn title_seniority() {
        use Seniority::*;
        let cases: &[(&str, Seniority)] = &[
            ("CEO", CLevel),
            ("Geschäftsführerin", CLevel),
            ("Chief Marketing Officer", CLevel),
            ("Founder", Founder),
            ("Founder & CEO", CLevel),
            ("VP Sales", VpDirector),
            ("Sales Director", VpDirector),
            ("Head of Engineering", Head),
            ("Vertriebsleiter", Head),
            ("Marketing Manager", Manager),
            ("Teamleiterin Support", Manager),
            ("Product Owner", Manager),
            ("Werkstudent Marketing", Individual),
            ("Assistant to the CEO", Individual),
            ("Junior Product Manager", Individual),
            ("Software Engineer", Individual),
            ("Stellvertretender Geschäftsführer", VpDirector),
            ("", Individual),
        ];
        for (title, want) in cases {
            assert_eq!(seniority(title), *want, "{title:?}");
        }
    }

    #[test]
    fn cto_request_ranks_head_of_engineering_above_ceo() {
        let c = company(vec![
            person("Anna", "Alt", "CEO"),
            person("Bert", "Berg", "Head of Engineering"),
            person("Cora", "Cramer", "Marketing Manager"),
        ]);
        let ps = prospects_for(&c, cid(), &roles(&["CTO"]), Language::En);
        assert_eq!(ps[0].first_name, "Bert");
        assert_eq!(ps[1].first_name, "Anna");
        assert!(ps[0].qualification_score > ps[1].qualification_score);
        let reason = ps[0].qualification_reason.as_deref().unwrap();
        assert_eq!(
            reason,
            "Matches requested role CTO (Head of Engineering); senior technology decision maker"
        );
        assert_eq!(
            ps[1].qualification_reason.as_deref(),
            Some("C-level decision maker; not one of the requested roles (CTO)")
        );
    }

    #[test]
    fn requested_roles_in_german_and_synonyms() {
        let c = company(vec![
            person("Anna", "Alt", "Software Engineer"),
            person("Jürgen", "Müller", "Geschäftsführer"),
            person("Bert", "Berg", "Vertriebsleiter"),
        ]);
        for request in [
            "CEO",
            "Geschäftsführer",
            "Managing Director",
            "geschaeftsfuehrer",
        ] {
            let ps = prospects_for(&c, cid(), &roles(&[request]), Language::En);
            assert_eq!(ps[0].first_name, "Jürgen", "{request}");
            assert_eq!(ps[0].qualification_score, Some(10), "{request}");
            let reason = ps[0].qualification_reason.as_deref().unwrap();
            assert!(reason.contains(request), "{reason}");
        }
        let ps = prospects_for(&c, cid(), &roles(&["Head of Sales"]), Language::En);
        assert_eq!(ps[0].first_name, "Bert");
        assert!(ps[0]
            .qualification_reason
            .as_deref()
            .unwrap()
            .contains("Head of Sales (Vertriebsleiter)"));
    }

    #[test]
    fn founder_counts_for_ceo_just_below_a_ceo() {
        let c = company(vec![
            person("Fritz", "Fink", "Founder"),
            person("Carla", "Chef", "CEO"),
            person("Vera", "Voss", "VP Sales"),
        ]);
        let ps = prospects_for(&c, cid(), &roles(&["CEO"]), Language::En);
        let names: Vec<&str> = ps.iter().map(|p| p.first_name.as_str()).collect();
        assert_eq!(names, ["Carla", "Fritz", "Vera"]);
        assert_eq!(ps[0].qualification_score, Some(10));
        assert_eq!(ps[1].qualification_score, Some(9));
        let reason = ps[1].qualification_reason.as_deref().unwrap();
        assert!(
            reason.contains("Founder") && reason.contains("CEO"),
            "{reason}"
        );
    }

    #[test]
    fn without_roles_decision_makers_first() {
        let c = company(vec![
            person("Ida", "Ihl", "Werkstudent Marketing"),
            person("Mia", "Mai", "Marketing Manager"),
            person("Hans", "Hahn", "Head of Sales"),
            person("Fritz", "Fink", "Founder"),
            person("Vera", "Voss", "VP Engineering"),
            person("Nina", "Noll", ""),
        ]);
        let ps = prospects_for(&c, cid(), &[], Language::En);
        let names: Vec<&str> = ps.iter().map(|p| p.first_name.as_str()).collect();
        assert_eq!(names, ["Fritz", "Vera", "Hans", "Mia", "Ida", "Nina"]);
        assert!(ps[0]
            .qualification_reason
            .as_deref()
            .unwrap()
            .contains("no contact roles requested"));
    }

    #[test]
    fn unknown_requested_role_falls_back_to_shared_words() {
        let c = company(vec![
            person("Anna", "Alt", "CEO"),
            person("Cleo", "Cox", "Head of Customer Success"),
        ]);
        let ps = prospects_for(&c, cid(), &roles(&["Customer Success Lead"]), Language::En);
        assert_eq!(ps[0].first_name, "Cleo");
        let reason = ps[0].qualification_reason.as_deref().unwrap();
        assert!(reason.contains("Customer Success Lead"), "{reason}");
    }

    #[test]
    fn related_and_level_requests() {
        let c = company(vec![
            person("Mia", "Mai", "CMO"),
            person("Olaf", "Ott", "Buchhalter"),
        ]);
        let ps = prospects_for(&c, cid(), &roles(&["Marketing"]), Language::En);
        assert_eq!(ps[0].first_name, "Mia");
        assert!(ps[0]
            .qualification_reason
            .as_deref()
            .unwrap()
            .starts_with("Related to requested role Marketing"));
        let ps = prospects_for(&c, cid(), &roles(&["C-Level"]), Language::En);
        assert_eq!(ps[0].first_name, "Mia");
        assert_eq!(ps[0].qualification_score, Some(10));
    }

    #[test]
    fn scores_stay_in_range_and_are_deterministic() {
        let titles = [
            "CEO",
            "Founder",
            "Assistant to the CEO",
            "",
            "???",
            "Stellvertretende Teamleiterin",
            "Intern",
            "Chief Everything Officer",
            "Head of Sales & Marketing",
            "ÄÖÜ ß 漢字",
            "Vice",
            "*",
        ];
        let people: Vec<Person> = titles
            .iter()
            .enumerate()
            .map(|(i, t)| person(&format!("P{i}"), "X", t))
            .collect();
        let c = company(people);
        let requests: [&[&str]; 5] = [
            &[],
            &["CEO"],
            &["CTO", "Head of Sales"],
            &["", "  ", "Unicorn Wrangler"],
            &["Director"],
        ];
        for r in requests {
            let a = prospects_for(&c, cid(), &roles(r), Language::En);
            let b = prospects_for(&c, cid(), &roles(r), Language::En);
            assert_eq!(a, b);
            assert_eq!(a.len(), MAX_PROSPECTS_PER_COMPANY);
            for p in &a {
                let s = p.qualification_score.unwrap();
                assert!((1..=10).contains(&s), "{s}");
                assert!(!p.qualification_reason.as_deref().unwrap().is_empty());
            }
            for w in a.windows(2) {
                assert!(w[0].qualification_score >= w[1].qualification_score);
            }
        }
    }

    #[test]
    fn prospect_fields_and_ids() {
        let mut p = person("Jürgen", "Müller", "CTO");
        p.linkedin_url = Some("https://linkedin.com/in/jm".into());
        p.phone_number = Some("+49 30 1234".into());
        p.email = Some("jm@acme.de".into());
        let c = company(vec![p.clone(), p.clone()]);
        let ps = prospects_for(&c, cid(), &[], Language::En);
        assert_eq!(ps.len(), 1, "the same person twice is one prospect");
        let q = &ps[0];
        assert_eq!(q.id, Uuid::new_v5(&cid(), "Jürgen|Müller|CTO".as_bytes()));
        assert_eq!(q.company_id, cid());
        assert_eq!(q.last_name.as_deref(), Some("Müller"));
        assert_eq!(q.job_title.as_deref(), Some("CTO"));
        assert_eq!(q.linkedin_url, p.linkedin_url);
        assert_eq!(q.phone_number, p.phone_number);
        assert_eq!(q.email, None, "email.rs fills email fields");
        assert_eq!(q.email_type, None);
    }

    #[test]
    fn empty_company_has_no_prospects() {
        assert!(prospects_for(&company(vec![]), cid(), &roles(&["CEO"]), Language::En).is_empty());
    }

    #[test]
    fn german_reasons_for_every_fit_use_no_english_template_words() {
        // (title, requested roles): every fit, and every seniority with and without a function.
        let cases: &[(&str, &[&str])] = &[
            ("Technischer Geschäftsführer", &["CTO"]),
            ("Vertriebsleiter", &["Head of Sales"]),
            ("Gründer", &["CEO"]),
            ("Werkstudent Marketing", &["CMO"]),
            ("Teamleiterin Kundenservice", &["Kundenservice"]),
            ("Buchhalter", &["CTO", "Head of Sales"]),
            ("Geschäftsführerin", &["Vertrieb"]),
            ("", &[]),
            ("Produktmanagerin", &[]),
            ("Bereichsleiter IT", &[]),
            ("Personalleiter", &[]),
            ("Sachbearbeiter", &[]),
            ("Geschäftsführerin", &[]),
            ("Gründerin", &[]),
        ];
        // Titles and requested roles are quoted as written; only the template's own words count.
        let template_words = |text: &str, quoted: &[&str]| -> Vec<String> {
            let mut quoted: Vec<&str> = quoted.iter().copied().filter(|q| !q.is_empty()).collect();
            quoted.sort_by_key(|q| Reverse(q.len()));
            let mut text = text.to_string();
            for q in quoted {
                text = text.replace(q, " ");
            }
            text.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect()
        };
        let mut english = std::collections::BTreeSet::new();
        let mut german = Vec::new();
        let mut fits = std::collections::BTreeSet::new();
        for (title, wanted) in cases {
            let reading = read(title);
            let requests = requests(&roles(wanted));
            let fit = fit(title, &reading, &requests);
            fits.insert(format!("{fit:?}").split('(').next().unwrap().to_string());
            let en = reason(&fit, title, &reading, &requests, Language::En);
            let de = reason(&fit, title, &reading, &requests, Language::De);
            assert_ne!(en, de);
            let mut quoted = wanted.to_vec();
            quoted.push(title);
            english.extend(template_words(&en, &quoted));
            german.push((de.clone(), template_words(&de, &quoted)));
        }
        assert_eq!(
            fits.len(),
            6,
            "every fit is covered: {fits:?} (Exact, FounderAsCeo, Related, SharedWords, NotRequested, NothingRequested)"
        );
        // Words German uses as they are: the "C" of C-level/C-Ebene and two function names.
        let same_in_both = ["c", "marketing", "it"];
        for (de, words) in &german {
            for w in words {
                assert!(
                    same_in_both.contains(&w.as_str()) || !english.contains(w),
                    "English word {w:?} in {de:?}"
                );
            }
        }
    }

    #[test]
    fn reasons_follow_the_orders_language_and_never_the_ranking() {
        let c = company(vec![
            person("Anna", "Alt", "CEO"),
            person("Bert", "Berg", "Head of Engineering"),
            person("Cora", "Cramer", "Werkstudentin Marketing"),
            person("Fritz", "Fink", "Gründer"),
            person("Nina", "Noll", ""),
        ]);
        let en = prospects_for(&c, cid(), &roles(&["CTO"]), Language::En);
        let de = prospects_for(&c, cid(), &roles(&["CTO"]), Language::De);
        let key = |ps: &[Prospect]| -> Vec<(Uuid, Option<u8>)> {
            ps.iter().map(|p| (p.id, p.qualification_score)).collect()
        };
        assert_eq!(key(&en), key(&de));
        let reasons: Vec<&str> = de
            .iter()
            .map(|p| p.qualification_reason.as_deref().unwrap())
            .collect();
        assert_eq!(
            reasons,
            [
                "Entspricht der gesuchten Rolle CTO (Head of Engineering); leitender Entscheider im Bereich Technologie",
                "Entscheider auf C-Ebene; keine der gesuchten Rollen (CTO)",
                "Gründer und Entscheider; keine der gesuchten Rollen (CTO)",
                "Teammitglied Marketing, kein Entscheider; keine der gesuchten Rollen (CTO)",
                "Keine Berufsbezeichnung veröffentlicht, Seniorität unbekannt; keine der gesuchten Rollen (CTO)",
            ]
        );
        let de = prospects_for(
            &c,
            cid(),
            &roles(&["CEO"]),
            Language::from_code(Some("de-AT")),
        );
        let founder = de.iter().find(|p| p.first_name == "Fritz").unwrap();
        assert_eq!(
            founder.qualification_reason.as_deref(),
            Some("Gründer zählt für die gesuchte Rolle CEO, eingestuft knapp hinter einer Person mit dem Titel CEO; oberste Entscheidungsebene")
        );
        let de = prospects_for(&c, cid(), &[], Language::De);
        assert_eq!(
            de[0].qualification_reason.as_deref(),
            Some(
                "Entscheider auf C-Ebene; keine Kontaktrollen angefragt, nach Seniorität sortiert"
            )
        );
        // Other languages fall back to English.
        let fr = prospects_for(&c, cid(), &roles(&["CTO"]), Language::from_code(Some("fr")));
        assert_eq!(fr, en);
    }
}
