//! A deterministic generator of plausible companies: the local stack's demo catalog and the
//! benchmarks' 100k-1M catalogs. Same seed, same catalog, on every machine.
use engine::catalog::{CatalogCompany, Person, SocialProfile};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

struct Country {
    name: &'static str,
    tld: &'static str,
    phone: &'static str,
    legal: &'static [&'static str],
    cities: &'static [&'static str],
    german: bool,
    weight: u32,
}

const COUNTRIES: &[Country] = &[
    Country {
        name: "Germany",
        tld: "de",
        phone: "+49",
        legal: &["GmbH", "AG", "GmbH & Co. KG", "SE"],
        cities: &[
            "Berlin",
            "Munich",
            "Hamburg",
            "Cologne",
            "Frankfurt",
            "Stuttgart",
            "Düsseldorf",
            "Leipzig",
            "Dresden",
            "Nuremberg",
        ],
        german: true,
        weight: 35,
    },
    Country {
        name: "Austria",
        tld: "at",
        phone: "+43",
        legal: &["GmbH", "AG"],
        cities: &["Vienna", "Graz", "Linz", "Salzburg", "Innsbruck"],
        german: true,
        weight: 8,
    },
    Country {
        name: "Switzerland",
        tld: "ch",
        phone: "+41",
        legal: &["AG", "GmbH", "SA"],
        cities: &["Zurich", "Geneva", "Basel", "Bern", "Lausanne"],
        german: true,
        weight: 8,
    },
    Country {
        name: "United States",
        tld: "com",
        phone: "+1",
        legal: &["Inc.", "LLC", "Corp."],
        cities: &[
            "New York",
            "San Francisco",
            "Austin",
            "Boston",
            "Chicago",
            "Seattle",
        ],
        german: false,
        weight: 12,
    },
    Country {
        name: "United Kingdom",
        tld: "co.uk",
        phone: "+44",
        legal: &["Ltd", "PLC"],
        cities: &["London", "Manchester", "Edinburgh", "Bristol", "Cambridge"],
        german: false,
        weight: 8,
    },
    Country {
        name: "France",
        tld: "fr",
        phone: "+33",
        legal: &["SAS", "SA", "SARL"],
        cities: &["Paris", "Lyon", "Toulouse", "Nantes", "Lille"],
        german: false,
        weight: 6,
    },
    Country {
        name: "Netherlands",
        tld: "nl",
        phone: "+31",
        legal: &["B.V.", "N.V."],
        cities: &["Amsterdam", "Rotterdam", "Utrecht", "Eindhoven"],
        german: false,
        weight: 5,
    },
    Country {
        name: "Spain",
        tld: "es",
        phone: "+34",
        legal: &["S.L.", "S.A."],
        cities: &["Madrid", "Barcelona", "Valencia"],
        german: false,
        weight: 4,
    },
    Country {
        name: "Italy",
        tld: "it",
        phone: "+39",
        legal: &["S.r.l.", "S.p.A."],
        cities: &["Milan", "Rome", "Turin"],
        german: false,
        weight: 4,
    },
    Country {
        name: "Poland",
        tld: "pl",
        phone: "+48",
        legal: &["sp. z o.o.", "S.A."],
        cities: &["Warsaw", "Krakow", "Wroclaw"],
        german: false,
        weight: 4,
    },
    Country {
        name: "Sweden",
        tld: "se",
        phone: "+46",
        legal: &["AB"],
        cities: &["Stockholm", "Gothenburg", "Malmo"],
        german: false,
        weight: 3,
    },
    Country {
        name: "Denmark",
        tld: "dk",
        phone: "+45",
        legal: &["A/S", "ApS"],
        cities: &["Copenhagen", "Aarhus"],
        german: false,
        weight: 3,
    },
];

struct Sector {
    industry: &'static str,
    business_type: &'static str,
    name_words: &'static [&'static str],
    what: &'static [&'static str],
    keywords: &'static [&'static str],
    weight: u32,
}

const SECTORS: &[Sector] = &[
    Sector {
        industry: "Software - Application",
        business_type: "B2B SaaS",
        name_words: &[
            "Cloud", "Data", "Flow", "Stack", "Logic", "Byte", "Nexus", "Pilot",
        ],
        what: &[
            "an HR and payroll platform for mid-sized companies",
            "a finance automation SaaS for controlling teams",
            "a B2B software solution for operations planning",
            "a cloud platform for DevOps teams",
            "a sales enablement and CRM platform",
            "an AI-powered customer support platform",
        ],
        keywords: &["SaaS", "B2B", "Cloud", "Software"],
        weight: 18,
    },
    Sector {
        industry: "Information Technology Services",
        business_type: "B2B IT services",
        name_words: &["Sys", "Net", "IT", "Digital", "Tech"],
        what: &[
            "IT consulting and managed services",
            "cloud migration and infrastructure services",
            "cybersecurity consulting for the Mittelstand",
        ],
        keywords: &["IT services", "B2B", "Consulting"],
        weight: 8,
    },
    Sector {
        industry: "Banks - Regional",
        business_type: "Bank",
        name_words: &["Finanz", "Capital", "Kredit", "Spar"],
        what: &[
            "regional banking for private and business customers",
            "lending and payments for SMEs",
        ],
        keywords: &["Banking", "Financial services"],
        weight: 5,
    },
    Sector {
        industry: "Fintech",
        business_type: "B2B Fintech",
        name_words: &["Pay", "Ledger", "Coin", "Fin"],
        what: &[
            "payments infrastructure for online merchants",
            "expense management software for finance teams",
        ],
        keywords: &["Fintech", "Payments", "B2B"],
        weight: 5,
    },
    Sector {
        industry: "Specialty Industrial Machinery",
        business_type: "B2B Manufacturing",
        name_words: &["Maschinen", "Technik", "Werk", "Anlagen", "Precision"],
        what: &[
            "special-purpose machinery for the automotive industry",
            "industrial automation systems and robotics cells",
            "precision components for mechanical engineering",
        ],
        keywords: &["Manufacturing", "Industrial", "B2B"],
        weight: 10,
    },
    Sector {
        industry: "Medical Devices",
        business_type: "B2B Healthcare",
        name_words: &["Med", "Vita", "Care", "Health"],
        what: &[
            "medical devices for hospitals",
            "diagnostics software for clinics",
            "telemedicine services",
        ],
        keywords: &["Healthcare", "Medical"],
        weight: 7,
    },
    Sector {
        industry: "Internet Retail",
        business_type: "B2C E-commerce",
        name_words: &["Shop", "Store", "Markt", "Cart"],
        what: &[
            "an online shop for home and living products",
            "a fashion e-commerce brand",
            "a marketplace for refurbished electronics",
        ],
        keywords: &["E-commerce", "Retail", "B2C"],
        weight: 8,
    },
    Sector {
        industry: "Integrated Freight & Logistics",
        business_type: "B2B Logistics",
        name_words: &["Logistik", "Trans", "Cargo", "Freight", "Spedition"],
        what: &[
            "contract logistics and warehousing",
            "road freight across Europe",
            "last-mile delivery for retailers",
        ],
        keywords: &["Logistics", "Transport"],
        weight: 7,
    },
    Sector {
        industry: "Lodging",
        business_type: "B2C Hospitality",
        name_words: &["Hotel", "Resort", "Gasthaus", "Stay"],
        what: &[
            "boutique hotels in city centres",
            "holiday resorts and spa hotels",
        ],
        keywords: &["Hospitality", "Hotels"],
        weight: 5,
    },
    Sector {
        industry: "Real Estate Services",
        business_type: "Real estate",
        name_words: &["Immo", "Property", "Estate", "Bau"],
        what: &[
            "residential property management",
            "commercial real estate brokerage",
        ],
        keywords: &["Real estate"],
        weight: 5,
    },
    Sector {
        industry: "Engineering & Construction",
        business_type: "B2B Construction",
        name_words: &["Bau", "Build", "Struktur"],
        what: &[
            "civil engineering and construction projects",
            "modular building construction",
        ],
        keywords: &["Construction"],
        weight: 5,
    },
    Sector {
        industry: "Utilities - Renewable",
        business_type: "Energy",
        name_words: &["Solar", "Wind", "Energie", "Power"],
        what: &[
            "solar parks and renewable energy projects",
            "energy management software for utilities",
        ],
        keywords: &["Energy", "Renewable"],
        weight: 5,
    },
    Sector {
        industry: "Education & Training Services",
        business_type: "EdTech",
        name_words: &["Learn", "Akademie", "Campus", "Skill"],
        what: &[
            "online training for professionals",
            "corporate learning platforms",
        ],
        keywords: &["Education", "EdTech"],
        weight: 4,
    },
    Sector {
        industry: "Government",
        business_type: "Public sector",
        name_words: &["Amt", "Agentur", "Verwaltung"],
        what: &[
            "public administration services",
            "a municipal utility agency",
        ],
        keywords: &["Government", "Public sector"],
        weight: 3,
    },
    Sector {
        industry: "Non-profit",
        business_type: "Non-profit",
        name_words: &["Stiftung", "Hilfe", "Foundation"],
        what: &[
            "a charity supporting education",
            "a non-profit for environmental protection",
        ],
        keywords: &["Non-profit"],
        weight: 3,
    },
];

const FIRST: &[&str] = &[
    "Anna",
    "Thomas",
    "Julia",
    "Michael",
    "Laura",
    "Stefan",
    "Sarah",
    "Andreas",
    "Lena",
    "Markus",
    "Katharina",
    "Jürgen",
    "Sophie",
    "Tobias",
    "Emma",
    "Lukas",
    "Olivia",
    "James",
    "Marie",
    "David",
    "Clara",
    "Felix",
    "Hannah",
    "Jonas",
];
const LAST: &[&str] = &[
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Neumann",
    "Schwarz",
    "Smith",
    "Johnson",
    "Brown",
    "Martin",
    "Dubois",
    "Rossi",
    "Jansen",
    "Nowak",
];
const TITLES_DE: &[&str] = &[
    "Geschäftsführer",
    "Geschäftsführerin",
    "CTO",
    "Leiter Vertrieb",
    "Head of Marketing",
    "Personalleiterin",
    "Head of Engineering",
    "CFO",
    "Leiterin IT",
    "Vertriebsmitarbeiter",
    "Werkstudent Marketing",
    "Gründer",
];
const TITLES_EN: &[&str] = &[
    "CEO",
    "Managing Director",
    "CTO",
    "VP Engineering",
    "Head of Sales",
    "CMO",
    "Head of People",
    "CFO",
    "COO",
    "Account Executive",
    "Marketing Manager",
    "Co-Founder",
];
const TECHS: &[&str] = &[
    "WordPress",
    "React",
    "Next.js",
    "Vue.js",
    "Google Analytics",
    "Google Tag Manager",
    "HubSpot",
    "Salesforce",
    "Cloudflare",
    "AWS",
    "Shopify",
    "TYPO3",
    "Matomo",
    "Usercentrics",
    "nginx",
    "Kubernetes",
];
const GROWTH: &[&str] = &[
    "We are hiring across sales and engineering.",
    "The company raised a Series A last year and is growing fast.",
    "Expanding into new markets in 2026.",
    "",
];
const PATTERNS: &[&str] = &["{first}.{last}", "{f}.{last}", "{first}", "{f}{last}"];

fn pick<'a, T>(rng: &mut StdRng, items: &'a [T], weight: impl Fn(&T) -> u32) -> &'a T {
    let total: u32 = items.iter().map(&weight).sum();
    let mut n = rng.gen_range(0..total);
    for item in items {
        let w = weight(item);
        if n < w {
            return item;
        }
        n -= w;
    }
    &items[items.len() - 1]
}

fn slug(s: &str) -> String {
    domain::normalize::fold(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect()
}

/// `n` companies from `seed`; ids (domains) are unique.
pub fn generate(n: usize, seed: u64) -> Vec<CatalogCompany> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..n).map(|i| company(&mut rng, i)).collect()
}

fn company(rng: &mut StdRng, i: usize) -> CatalogCompany {
    let country = pick(rng, COUNTRIES, |c| c.weight);
    let sector = pick(rng, SECTORS, |s| s.weight);
    let word = sector.name_words.choose(rng).expect("non-empty");
    let stem = [
        "Nova", "Alpen", "Nord", "Blue", "Prime", "Rhein", "Silver", "Bright", "Urban", "Terra",
        "Isar", "Lake",
    ]
    .choose(rng)
    .expect("non-empty");
    let legal = country.legal.choose(rng).expect("non-empty");
    let base = format!("{stem}{}", word.to_lowercase());
    let name = format!("{stem} {word} {legal}");
    let domain = format!("{}{}.{}", slug(&base), i, country.tld);
    let city = country.cities.choose(rng).expect("non-empty").to_string();
    // Sizes roughly log-uniform between 2 and 20,000.
    let employees = (10f64.powf(rng.gen_range(0.3..4.3))).round() as u64;
    let what = sector.what.choose(rng).expect("non-empty");
    let growth = GROWTH.choose(rng).expect("non-empty");
    let description = format!("{name} provides {what} from {city}. {growth}")
        .trim()
        .to_string();
    let titles = if country.german { TITLES_DE } else { TITLES_EN };
    let people = (0..rng.gen_range(1..=5))
        .map(|_| {
            let first = FIRST.choose(rng).expect("non-empty").to_string();
            let last = LAST.choose(rng).expect("non-empty").to_string();
            Person {
                linkedin_url: Some(format!(
                    "https://www.linkedin.com/in/{}-{}-{}",
                    slug(&first),
                    slug(&last),
                    rng.gen_range(100..999)
                )),
                first_name: first,
                last_name: Some(last),
                title: Some(titles.choose(rng).expect("non-empty").to_string()),
                phone_number: None,
                email: None,
            }
        })
        .collect();
    let tech_count = rng.gen_range(0..5);
    let mut technologies: Vec<String> = TECHS
        .choose_multiple(rng, tech_count)
        .map(|s| s.to_string())
        .collect();
    technologies.sort();
    CatalogCompany {
        id: domain.clone(),
        website_url: Some(format!("https://www.{domain}")),
        domain: Some(domain.clone()),
        name,
        industry: Some(sector.industry.into()),
        business_type: Some(sector.business_type.into()),
        description: Some(description),
        employee_count: Some(employees.max(1)),
        city: Some(city),
        country: Some(country.name.into()),
        phone_numbers: vec![format!(
            "{} {} {}",
            country.phone,
            rng.gen_range(20..99),
            rng.gen_range(1_000_000..9_999_999)
        )],
        social_links: vec![SocialProfile {
            platform: "linkedin".into(),
            url: format!("https://www.linkedin.com/company/{}", slug(&base)),
        }],
        legal_registration_info: None,
        people,
        technologies,
        technologies_seen_at: None,
        keywords: sector.keywords.iter().map(|k| k.to_string()).collect(),
        email_pattern: rng
            .gen_bool(0.6)
            .then(|| PATTERNS.choose(rng).expect("non-empty").to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_unique() {
        let a = generate(2000, 7);
        assert_eq!(a, generate(2000, 7));
        assert_ne!(a, generate(2000, 8));
        let ids: std::collections::HashSet<_> = a.iter().map(|c| &c.id).collect();
        assert_eq!(ids.len(), 2000);
        let dach = a
            .iter()
            .filter(|c| {
                ["Germany", "Austria", "Switzerland"].contains(&c.country.as_deref().unwrap())
            })
            .count();
        assert!(dach > 800, "mostly DACH: {dach}");
        assert!(a.iter().all(|c| domain::normalize::registrable_domain(
            c.domain.as_deref().unwrap()
        )
        .as_deref()
            == c.domain.as_deref()));
    }
}
