"""Writes infra/eval/lookalikes.json: the lookalike queries of the discovery evaluation (issue 22).

Each query names seeds of ONE dataset label in ONE country (chosen with a fixed random seed among the
companies of that label and country that have a domain), the target countries, and the judgement:
`relevant_labels` is the label family of the seeds' label (the buyer's family, across the three
vocabularies of the dataset, written below by hand from the label list, never from engine output).
Some queries add an ICP text, some exclude industries (with the labels they mean), a third ask for
German output. The split is fixed here. Run from the repository root:

    python3 infra/eval/make_lookalikes.py
"""
import json
import random
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATASET = ROOT / "../shared/datasets/companies.jsonl"

FAMILIES = {
    "banks": ["Banks", "Banks - Regional", "Banks - Diversified", "Regional - Mid-Atlantic Banks"],
    "pharma-biotech": [
        "Biotechnology", "Pharmaceuticals", "Drug Manufacturers - Specialty & Generic",
        "Drug Manufacturers - General", "Drug Manufacturers - Other",
        "Pharmaceuticals, Biotechnology & Life Sciences", "Healthcare / Therapeutics",
        "Healthcare / Drug Discovery and Delivery",
    ],
    "software": [
        "Software", "Software - Application", "Software - Infrastructure", "Application Software",
        "Business Software & Services", "Internet Software & Services", "B2B / Engineering, Product and Design",
        "B2B / Infrastructure", "B2B / Productivity", "B2B / Marketing", "B2B / Operations", "B2B / Sales",
        "B2B / Analytics", "B2B / Finance and Accounting", "B2B / Human Resources",
        "B2B / Recruiting and Talent", "B2B / Legal", "B2B / Office Management", "B2B / Security",
    ],
    "semiconductors": [
        "Semiconductors & Semiconductor Equipment", "Semiconductors", "Semiconductor Equipment & Materials",
    ],
    "metals-mining": [
        "Metals & Mining", "Other Industrial Metals & Mining", "Gold", "Other Precious Metals & Mining",
        "Steel", "Aluminum", "Copper", "Silver", "Industrial Metals & Minerals",
    ],
    "chemicals": ["Chemicals", "Specialty Chemicals", "Agricultural Inputs"],
    "machinery": [
        "Machinery", "Specialty Industrial Machinery", "Farm & Heavy Construction Machinery",
        "Diversified Machinery",
    ],
    "real-estate": [
        "Real Estate Management & Development", "Real Estate Services", "Real Estate - Development",
        "Real Estate - Diversified", "Real Estate",
    ],
    "equity-reits": [
        "Equity Real Estate Investment Trusts (REITs)", "REIT - Office", "REIT - Retail", "REIT - Diversified",
        "REIT - Industrial", "REIT - Residential", "REIT - Hotel & Motel", "REIT - Healthcare Facilities",
        "REIT - Specialty",
    ],
    "construction": ["Construction & Engineering", "Engineering & Construction", "Infrastructure Operations"],
    "hospitality": ["Hotels, Restaurants & Leisure", "Restaurants", "Lodging", "Resorts & Casinos", "Travel Services"],
    "apparel": [
        "Textiles, Apparel & Luxury Goods", "Apparel Manufacturing", "Footwear & Accessories", "Luxury Goods",
        "Textile Manufacturing", "Textile - Apparel Clothing",
    ],
    "food-retail": ["Food & Staples Retailing", "Grocery Stores", "Discount Stores", "Pharmaceutical Retailers",
                    "Food Distribution"],
    "telecom": [
        "Diversified Telecommunication Services", "Telecom Services", "Telecommunication Services",
        "Telecommunications Services", "Long Distance Carriers", "Wireless Communications",
        "Internet Service Providers",
    ],
    "auto-components": ["Auto Components", "Auto Parts"],
    "electrical-equipment": ["Electrical Equipment", "Electrical Equipment & Parts"],
    "electronics": [
        "Electronic Equipment, Instruments & Components", "Electronic Components",
        "Scientific & Technical Instruments", "Diversified Electronics",
    ],
    "it-services": ["IT Services", "Information Technology Services"],
    "oil-gas": [
        "Oil, Gas & Consumable Fuels", "Oil & Gas E&P", "Oil & Gas Midstream", "Oil & Gas Integrated",
        "Oil & Gas Refining & Marketing", "Oil & Gas Drilling", "Independent Oil & Gas",
        "Oil & Gas Drilling & Exploration",
    ],
    "capital-markets": ["Capital Markets", "Asset Management", "Financial Data & Stock Exchanges"],
    "medical-devices": [
        "Health Care Equipment & Supplies", "Medical Devices", "Medical Instruments & Supplies",
        "Healthcare / Medical Devices", "Medical Appliances & Equipment",
    ],
    "healthcare-it": ["Healthcare / Healthcare IT", "Health Care Technology", "Health Information Services"],
    "fintech": [
        "Fintech / Payments", "Fintech / Consumer Finance", "Fintech / Credit and Lending",
        "Fintech / Banking and Exchange", "Fintech / Insurance", "Fintech / Asset Management", "Fintech",
    ],
    "building-products": ["Building Products", "Building Products & Equipment"],
}

INSURANCE = ["Insurance", "Insurance - Property & Casualty", "Insurance - Life", "Insurance - Diversified",
             "Insurance - Specialty", "Insurance - Reinsurance", "Insurance Brokers", "Fintech / Insurance",
             "Healthcare Plans"]
REITS = FAMILIES["equity-reits"] + ["REIT - Mortgage"]
AUTO = ["Auto Components", "Auto Parts", "Automobiles", "Auto Manufacturers", "Auto & Truck Dealerships"]
PHARMA = FAMILIES["pharma-biotech"]

# id, split, language, seed label, seed country, seeds, family, targets, icp, excluded, excluded labels,
# family labels left out (what the exclusion removes from the family)
Q = [
    ("us-regional-banks", "dev", "en", "Banks - Regional", "United States", 5, "banks", ["United States"], None, [], [], []),
    ("us-biotech-20", "dev", "en", "Biotechnology", "United States", 20, "pharma-biotech", ["United States"], None, [], [], []),
    ("us-app-software", "dev", "en", "Software - Application", "United States", 4, "software", ["United States"], None, [], [], []),
    ("tw-semis", "dev", "en", "Semiconductors & Semiconductor Equipment", "Taiwan", 5, "semiconductors", ["Taiwan"], None, [], [], []),
    ("ca-miners", "dev", "en", "Metals & Mining", "Canada", 3, "metals-mining", ["Canada"], None, [], [], []),
    ("cn-chemicals", "dev", "en", "Chemicals", "China", 6, "chemicals", ["China"], None, [], [], []),
    ("jp-machinery-icp", "dev", "en", "Machinery", "Japan", 5, "machinery", ["Japan"],
     "Industrial machinery makers with more than 500 employees", [], [], []),
    ("hk-property-no-reits", "dev", "en", "Real Estate Management & Development", "Hong Kong", 4, "real-estate",
     ["Hong Kong", "China"], None, ["REITs"], REITS, []),
    ("jp-construction", "dev", "en", "Construction & Engineering", "Japan", 5, "construction", ["Japan"], None, [], [], []),
    ("in-apparel", "dev", "en", "Textiles, Apparel & Luxury Goods", "India", 4, "apparel", ["India"], None, [], [], []),
    ("us-banks-no-insurance", "dev", "en", "Banks - Regional", "United States", 8, "banks", ["United States", "Canada"],
     None, ["Insurance"], INSURANCE, []),
    ("us-yc-fintech-icp", "dev", "en", "Fintech / Payments", "United States", 4, "fintech", ["United States"],
     "Payments and lending startups selling to small businesses", [], [], []),
    ("tw-electronics", "dev", "en", "Electronic Equipment, Instruments & Components", "Taiwan", 5, "electronics", ["Taiwan"], None, [], [], []),
    ("us-oil-gas-ep", "dev", "en", "Oil & Gas E&P", "United States", 5, "oil-gas", ["United States"], None, [], [], []),
    ("us-healthcare-it", "dev", "en", "Healthcare / Healthcare IT", "United States", 4, "healthcare-it", ["United States"], None, [], [], []),
    ("de-software-de", "dev", "de", "Software", "Germany", 3, "software", ["Germany", "Österreich", "Schweiz"], None, [], [], []),
    ("de-maschinenbau-de", "dev", "de", "Machinery", "Germany", 4, "machinery", ["Deutschland", "Schweiz"], None, [], [], []),
    ("cn-maschinen-ohne-auto-de", "dev", "de", "Machinery", "China", 5, "machinery", ["China"], None,
     ["Automobilindustrie"], AUTO, []),
    ("jp-gastro-de", "dev", "de", "Hotels, Restaurants & Leisure", "Japan", 5, "hospitality", ["Japan"], None, [], [], []),
    ("se-immobilien-de", "dev", "de", "Real Estate Management & Development", "Sweden", 4, "real-estate", ["Schweden"], None, [], [], []),
    ("cn-pharma-icp-de", "dev", "de", "Pharmaceuticals", "China", 5, "pharma-biotech", ["China"],
     "Pharmaunternehmen und Arzneimittelhersteller", [], [], []),
    ("jp-telekom-de", "dev", "de", "Diversified Telecommunication Services", "Japan", 4, "telecom", ["Japan"], None, [], [], []),
    ("ca-bergbau-ohne-gold-de", "dev", "de", "Metals & Mining", "Canada", 6, "metals-mining", ["Kanada"], None,
     ["Gold"], ["Gold"], ["Gold"]),
    ("cn-elektro-de", "dev", "de", "Electrical Equipment", "China", 5, "electrical-equipment", ["China"], None, [], [], []),
    # test: only run (see README)
    ("us-medtech", "test", "en", "Medical Devices", "United States", 5, "medical-devices", ["United States"], None, [], [], []),
    ("jp-software", "test", "en", "Software", "Japan", 4, "software", ["Japan"], None, [], [], []),
    ("cn-auto-parts", "test", "en", "Auto Components", "China", 5, "auto-components", ["China"], None, [], [], []),
    ("au-miners-icp", "test", "en", "Metals & Mining", "Australia", 5, "metals-mining", ["Australia"],
     "Exploration and mining companies for gold, copper and lithium", [], [], []),
    ("us-asset-managers-no-insurance", "test", "en", "Asset Management", "United States", 5, "capital-markets",
     ["United States"], None, ["Insurance"], INSURANCE, []),
    ("jp-food-retail", "test", "en", "Food & Staples Retailing", "Japan", 4, "food-retail", ["Japan"], None, [], [], []),
    ("us-it-services-20", "test", "en", "Information Technology Services", "United States", 20, "it-services",
     ["United States", "Canada"], None, [], [], []),
    ("cn-kr-chemie-de", "test", "de", "Chemicals", "China", 4, "chemicals", ["China", "Südkorea"], None, [], [], []),
    ("fr-biotech-de", "test", "de", "Biotechnology", "France", 4, "pharma-biotech", ["Frankreich", "Deutschland", "Schweiz"],
     None, [], [], []),
    ("jp-bau-icp-de", "test", "de", "Building Products", "Japan", 5, "building-products", ["Japan"],
     "Hersteller von Bauprodukten mit über 1000 Mitarbeitern", [], [], []),
    ("us-reits-ohne-pharma-de", "test", "de", "Equity Real Estate Investment Trusts (REITs)", "United States", 5,
     "equity-reits", ["USA"], None, ["Pharma"], PHARMA, []),
    ("cn-halbleiter-de", "test", "de", "Semiconductors & Semiconductor Equipment", "China", 5, "semiconductors",
     ["China", "Taiwan"], None, [], [], []),
]

UNKNOWN = "no-such-company-lookalike-22.com"


def main():
    rows = [json.loads(line) for line in DATASET.open() if line.strip()]
    rng = random.Random(22)
    out = []
    for (qid, split, lang, label, country, n, family, targets, icp, excl, excl_labels, left_out) in Q:
        pool = sorted((r for r in rows if r.get("industry") == label and r.get("country") == country
                       and r.get("domain")), key=lambda r: r["domain"])
        seeds = [r["domain"] for r in rng.sample(pool, n)]
        # Every fourth query names a company the catalog does not know beside its seeds (a warning).
        if len(out) % 4 == 3:
            seeds.append(UNKNOWN)
        case = {"id": qid, "split": split, "language": lang, "areas": [family],
                "lookalike_domains": seeds, "target_countries": targets}
        if icp:
            case["ideal_customer_profile"] = icp
        if excl:
            case["excluded_industries"] = excl
            case["excluded_labels"] = excl_labels
        case["relevant_labels"] = [x for x in FAMILIES[family] if x not in left_out and x not in excl_labels]
        out.append(case)
    path = ROOT / "infra/eval/lookalikes.json"
    path.write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(out)} queries written to {path}")


main()
