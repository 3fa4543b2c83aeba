#!/usr/bin/env python3
"""Writes shared/engine/data/de_en.tsv: German nouns and the English words the engine reads them
as, from Debian's `trans-de-en` (Ding, the German-English dictionary of TU Chemnitz, GPL-2+).

    .venv/bin/python infra/lexicon/make_de_en.py            # fetch the pinned .deb, write the table
    .venv/bin/python infra/lexicon/make_de_en.py --deb PATH # from a local copy (checked the same)

Only regeneration needs the network (and `dpkg-deb`); the build and the tests read the committed
table. The output also depends on the repository's vocabulary (`taxonomy.json`, `word_lists.tsv`,
`german_english.tsv`): regenerate after changing those, and commit the table with them.

What is kept (the engine's German reading falls back to it where its hand tables know no word or
compound part, `shared/engine/src/german.rs`, for a German text's English reading only):
- single-word German nouns (`{m}`, `{f}`, `{n}`, `{pl}`) of at least `MIN_WORD` letters, folded as
  the engine folds (`ü` as `u`, `ß` as `ss`), from every sub-entry of a line (Ding aligns the
  German and English sub-entries by position: "Bergwerk | Kupferbergwerk :: mine | copper mine");
  a noun that folding would make another noun keeps its umlauts or "ß" (`keys`: "förderung",
  funding or extraction, beside "forderung", a claim; "maße" beside "masse"), and the engine
  looks a word up as its text spells it first;
- for each, English translations of at most `MAX_PHRASE` words from its best-ranked entries (its
  own entry, before a sub-entry it heads, before a synonym's; a line with a vulgar or dated sense
  after the word's other lines), at most `MAX_SENSES` of them: those whose words the engine's
  English knows (every word of the taxonomy file, the word lists and the hand table's English, in
  the singular or plural, or an English closed compound ending in one: "sawmill", not
  "sponsorship"), and where some sense is known whole only those ("Marktplatz": marketplace, not
  market square), a trade's senses before those of a domain that names none; where none is
  known, its first senses when the entry is tagged with a trade's domain (`DOMAIN_TAGS`), else a
  sense that is a synonym's own word ("Zeitschrift" as "Magazin": magazine; "Reha" as
  "Rehabilitation"), else a known sense of a synonym's entry of a trade's domain ("Förderung"
  [min.]: mining); at most `MAX_WORDS` English words;
- a word that is its own English in some sense ("Exploration", "Bank") as itself;
- not: a compound whose parts (the hand table's or this table's) say its first sense, or its
  English head and modifier ("Kupferbergwerk": copper mine; but "Strickwaren", knitted goods, is
  no "Strick", tether, + "Waren"), a plural that an ending of the engine's reads as a kept
  singular of the same English, senses or synonyms marked vulgar, pejorative, humorous, dated or
  obsolete (the sense or synonym, not its whole line: "Süßwaren ...; Naschwerk [veraltet]"), or
  entries only of domains that name no trade (birds, anatomy, music...);
- an empty row for a verb's or adjective's form that an ending would read as a kept noun ("wollen"
  as "Wolle", wool), and for a noun kept apart by its umlaut with no sense kept (it is not the
  noun it folds like).
"""

import argparse
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import urllib.request
from pathlib import Path

VERSION = "1.9-6"
URL = f"https://deb.debian.org/debian/pool/main/d/ding/trans-de-en_{VERSION}_all.deb"
SHA256 = "45f6b4cf1c434776fba6811d7bc522efabb5425c43ba8afd0e289bf9e2e53df4"
MEMBER = "usr/share/trans/de-en"

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "shared/engine/data"
OUT = DATA / "de_en.tsv"

MIN_WORD = 4
MAX_PHRASE = 3
MAX_SENSES = 2
MAX_WORDS = 4
# The engine's endings (german::ENDINGS).
ENDINGS = ["s", "es", "n", "en", "e", "er", "ern"]
# The engine's linking letters (german::LINKS), and none.
LINKS = ["", "s", "es", "n", "en", "e", "er"]
NOUN = re.compile(r"\{(m|f|n|pl)\}")
OTHER = re.compile(r"\{(vt|vi|vr|v|adj|adv|prp|conj|pron|num|art|interj)\}")
SKIP_TAGS = {
    "vulg.",
    "pej.",
    "humor.",
    "iron.",
    "euphem.",
    "obs.",
    "poet.",
    "astrol.",
    "slang",
    "archaic",
    "veraltet",
    "dated",
}
# Domains whose words name trades: their senses are kept though no word of theirs is the engine's.
DOMAIN_TAGS = {
    "econ.",
    "fin.",
    "comp.",
    "telco.",
    "textil.",
    "auto",
    "transp.",
    "agr.",
    "min.",
    "constr.",
    "mach.",
    "pharm.",
    "insur.",
}
# Tags of register, not of a domain: a colloquial synonym's own word still names its thing
# ("Reha" [ugs.]: rehabilitation, as "Rehabilitation").
REGISTER_TAGS = {"ugs.", "coll.", "fig.", "geh.", "prov."}
# Entries only of these domains name no trade a partner targets (birds, anatomy, music...).
OFF_TAGS = {
    "ornith.",
    "zool.",
    "bot.",
    "anat.",
    "astron.",
    "mus.",
    "relig.",
    "ling.",
    "lit.",
    "phil.",
    "psych.",
    "hist.",
    "mil.",
    "geogr.",
    "biol.",
    "math.",
    "phys.",
    "geol.",
    "meteo.",
    "myc.",
    "soc.",
    "pol.",
    "stud.",
    "school.",
    "prov.",
    "ugs.",
    "coll.",
    "fig.",
    "geh.",
    "archeol.",
}
STOP = {
    "a",
    "an",
    "the",
    "of",
    "and",
    "or",
    "for",
    "to",
    "in",
    "on",
    "at",
    "by",
    "with",
    "from",
    "sb",
    "sth",
    "etc",
    "e",
    "g",
    "as",
    "its",
    "one",
    "s",
    "be",
    "is",
    "not",
    "no",
}


def fold(s: str) -> str:
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return s.replace("ß", "ss")


def fetch(deb: Path | None) -> bytes:
    if deb is None:
        with urllib.request.urlopen(URL, timeout=120) as r:
            blob = r.read()
    else:
        blob = deb.read_bytes()
    got = hashlib.sha256(blob).hexdigest()
    if got != SHA256:
        sys.exit(f"sha256 {got} is not the pinned {SHA256}")
    return blob


def dictionary_text(blob: bytes) -> str:
    """The dictionary file of the .deb (an ar archive holding data.tar.*), read with `dpkg-deb`."""
    with tempfile.TemporaryDirectory() as tmp:
        deb = Path(tmp) / "p.deb"
        deb.write_bytes(blob)
        tar = subprocess.run(
            ["dpkg-deb", "--fsys-tarfile", str(deb)], check=True, capture_output=True
        ).stdout
    with tarfile.open(fileobj=io.BytesIO(tar)) as t:
        for m in t.getmembers():
            if m.name.lstrip("./") == MEMBER:
                return t.extractfile(m).read().decode("utf-8")
    sys.exit(f"{MEMBER} not in the package")


def words(text: str) -> list[str]:
    return re.findall(r"[a-z]+", fold(text))


def vocabulary() -> set[str]:
    """English words the engine's reading knows: every word of the taxonomy file, of the word
    lists and of the hand table's English column."""
    vocab: set[str] = set()

    def walk(v):
        if isinstance(v, str):
            vocab.update(words(v))
        elif isinstance(v, list):
            for x in v:
                walk(x)
        elif isinstance(v, dict):
            for k, x in v.items():
                if k not in ("why", "about"):
                    walk(x)

    walk(json.loads((DATA / "taxonomy.json").read_text()))
    for name in ("word_lists.tsv", "german_english.tsv"):
        for line in (DATA / name).read_text().splitlines():
            if line.startswith("#"):
                continue
            cols = line.split("\t")
            vocab.update(
                words(cols[-1] if name == "german_english.tsv" else " ".join(cols[1:]))
            )
    return vocab - STOP


ENGLISH_WORDS: set[str] = (
    set()
)  # every single English word of the dictionary, filled by `build`


# English derivational endings that are words too: "sponsorship" is no ship, "likelihood" no hood.
SUFFIX_WORDS = {"ship", "hood", "ness", "ment", "less", "wise"}


def forms(token: str) -> set[str]:
    """A word and its English singular or plural ("facility", "facilities"; "mill", "mills")."""
    out = {token, token + "s", token.removesuffix("s")}
    if token.endswith("y"):
        out.add(token[:-1] + "ies")
    if token.endswith("ies"):
        out.add(token[:-3] + "y")
    return out


def known(token: str, vocab: set[str]) -> bool:
    """A word the engine knows (or its plural or singular), or an English closed compound of an
    English word and one it knows ("sawmills": saw, mills; not "sponsorship": -ship is an
    ending)."""
    return any(
        t in vocab
        or any(
            t[:cut] in ENGLISH_WORDS
            and t[cut:] in vocab
            and t[cut:].removesuffix("s") not in SUFFIX_WORDS
            for cut in range(3, len(t) - 3)
        )
        for t in forms(token)
    )


def distinct(senses: list[list[str]]) -> list[list[str]]:
    """Senses without one that is another's plural ("furnishings" after "furnishing")."""
    out: list[list[str]] = []
    for p in senses:
        if not any(
            len(p) == len(q) and all(a in forms(b) for a, b in zip(p, q)) for q in out
        ):
            out.append(p)
    return out


def score(p: list[str], vocab: set[str], cognate: bool) -> int:
    """How surely a sense is one the engine reads: 2 when every word of it is known ("marketplace")
    or it is the English of a German synonym of the same entry ("Reha": rehabilitation, as
    "Rehabilitation"), 1 when some word is ("market square"), else 0."""
    k = [known(t, vocab) for t in p]
    if cognate or all(k):
        return 2
    return 1 if any(k) else 0


BRACKETS = re.compile(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|<[^>]*>")


def english_phrase(alt: str) -> list[str] | None:
    text = BRACKETS.sub(" ", alt).strip()
    if not text or "/" in text or "..." in text:
        return None
    toks = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", fold(text)) if w not in STOP]
    if not toks or len(text.split()) > MAX_PHRASE:
        return None
    return toks


def spelled(word: str) -> str:
    """A German word's key where its umlauts or "ß" tell it from another word that folds alike:
    lower case, folded but for "ä", "ö", "ü" and "ß" ("Förderung", extraction, is "förderung";
    "Forderung", a claim, stays "forderung"). The engine looks this key up first, then the
    folded one; no folded word is spelled so."""
    return "".join(c if c in "äöüß" else fold(c) for c in word.lower())


def german_word(syn: str) -> tuple[str, str, set[str]] | None:
    """A German noun of a synonym: folded, as spelled (lower case, umlauts kept), its tags."""
    if not NOUN.search(syn):
        return None
    tags = set(re.findall(r"\[([^\]]+)\]", syn))
    head = BRACKETS.sub(" ", syn).strip()
    if " " in head or not head:
        return None
    w = fold(head)
    if not re.fullmatch(r"[a-z]+", w) or len(w) < MIN_WORD:
        return None
    return w, head.lower(), tags


def cognate_of(t: str, german: str) -> bool:
    """Whether an English word is a German synonym's own word ("magazine" of "Magazin",
    "rehabilitation" of "Rehabilitation"): the word both languages use for the thing."""
    return len(german) >= 5 and (
        t == german
        or (t.startswith(german) and len(t) - len(german) <= 2)
        or (german.startswith(t) and len(german) - len(t) <= 2 and len(t) >= 5)
    )


def keys(text: str) -> dict[str, str]:
    """The table key of each spelling of a noun: folded, unless a noun spelled without umlauts
    folds alike, then `spelled` ("Förderung" and "Forderung", "Maße" and "Masse"). A plural
    only folds like its own singular ("Hämmer", "Hammer") and keeps the folded key."""
    plain: set[str] = set()
    spellings: set[str] = set()
    singular: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#") or " :: " not in line:
            continue
        for syn in re.split(r" \| |;", line.split(" :: ", 1)[0]):
            g = german_word(syn)
            if g is None:
                continue
            w, sp, _ = g
            spellings.add(sp)
            if re.search(r"\{[mfn]\}", syn):
                singular.add(sp)
            if spelled(sp) == w:
                plain.add(w)
    return {
        sp: spelled(sp)
        if fold(sp) in plain and spelled(sp) != fold(sp) and sp in singular
        else fold(sp)
        for sp in spellings
    }


def build(text: str, vocab: set[str]) -> dict[str, list[str]]:
    key_of = keys(text)
    senses: dict[str, list[tuple[list[str], int, bool, bool, bool]]] = {}
    plural: set[str] = set()
    other_forms: set[str] = (
        set()
    )  # German words of verbs, adjectives, adverbs... and their forms
    for line in text.splitlines():
        if line.startswith("#") or " :: " not in line:
            continue
        de, en = line.split(" :: ", 1)
        if OTHER.search(de):
            # Lower-case words only: German writes nouns with a capital, in examples too.
            for sub in de.split(" | "):
                other_forms.update(
                    fold(t)
                    for t in re.findall(r"\w+", BRACKETS.sub(" ", sub))
                    if t[0].islower()
                )
        line_tags = set(re.findall(r"\[([^\]]+)\]", line))
        # A vulgar or dated synonym or sense drops itself, not its entry ("Süßwaren ...;
        # Naschwerk [veraltet] :: confectionery; sweetmeats [archaic]").
        domain = bool(line_tags & DOMAIN_TAGS)
        off = bool(line_tags & OFF_TAGS) and not domain
        off_domain = bool(line_tags & (OFF_TAGS - REGISTER_TAGS)) and not domain
        # A line with a vulgar or dated sense or synonym ranks after the word's clean lines: its
        # other senses are kept ("Süßwaren": confectionery) but come last ("Gesellschaft").
        tainted = 3 if line_tags & SKIP_TAGS else 0
        for sub, (de_sub, en_sub) in enumerate(zip(de.split(" | "), en.split(" | "))):
            phrases = [
                p
                for p in (
                    english_phrase(a)
                    for a in en_sub.split(";")
                    if not set(re.findall(r"\[([^\]]+)\]", a)) & SKIP_TAGS
                )
                if p
            ]
            if not phrases:
                continue
            germans = [g for g in map(german_word, de_sub.split(";")) if g]
            for pos, syn in enumerate(de_sub.split(";")):
                # The word's own entry first, then a sub-entry it heads, then a synonym's.
                rank = (0 if (sub, pos) == (0, 0) else 1 if pos == 0 else 2) + tainted
                g = german_word(syn)
                if g is None:
                    continue
                _, sp, tags = g
                w = key_of[sp]
                if tags & SKIP_TAGS:
                    continue
                if "{pl}" in syn and not re.search(r"\{[mfn]\}", syn):
                    plural.add(w)
                lst = senses.setdefault(w, [])
                for p in phrases:
                    # Another synonym's own word, not this one's ("Reha": rehabilitation).
                    cognate = (
                        len(p) == 1
                        and not off_domain
                        and any(
                            cognate_of(p[0], o) and not cognate_of(p[0], g[0])
                            for o, _, _ in germans
                        )
                    )
                    if all(p != q for q, *_ in lst):
                        lst.append((p, rank, domain, off, cognate))
    for lst in senses.values():
        for p, *_ in lst:
            if len(p) == 1:
                ENGLISH_WORDS.add(p[0])
    table: dict[str, list[str]] = {}
    first: dict[str, set[str]] = {}
    last: dict[str, str] = {}
    for w, lst in senses.items():
        # The senses of the word's best-ranked entries (its own before a sub-entry it heads,
        # before a synonym's), those the engine knows first: "Sägewerk" is a sawmill (its own
        # entry), not a "siding mill" (a sub-entry of another word).
        best = min(r for _, r, *_ in lst)
        top = [s for s in lst if s[1] == best]
        # A word that is its own English in some sense ("Exploration", "Bank") is read as itself:
        # its entry keeps it a part of compounds, and no other sense replaces it.
        if any(p == [w] for p, *_ in lst):
            table[w] = [w]
            first[w] = {w}
            last[w] = w
            continue
        # Senses the engine knows whole ("marketplace") before those it knows a word of ("market
        # square"), and only those where some are.
        # Of those, a trade's senses before those of a domain that names none ("Gesellschaft":
        # company before society).
        scored = [(score(p, vocab, False), p) for p, *_ in top]
        high = max((sc for sc, _ in scored), default=0)
        knows = [
            p
            for (sc, p), (_, _, _, o, _) in sorted(
                zip(scored, top), key=lambda x: x[1][3]
            )
            if sc > 0 and sc == high
        ]
        domain = any(d for _, _, d, _, _ in top)
        off = all(o for _, _, _, o, _ in top)
        if knows:
            kept = distinct(knows)[:MAX_SENSES]
        elif domain and not off:
            # No sense of its own entry the engine knows, but its entry is of a trade's domain:
            # its own first senses.
            kept = [p for p, *_ in top][:MAX_SENSES]
        else:
            # None of its own: a sense that is a synonym's own word ("Zeitschrift" as "Magazin":
            # magazine; "Reha" as "Rehabilitation"), else one the engine knows whole of a
            # synonym's entry of a trade's domain ("Förderung" [min.]: mining). Not any known
            # sense of a synonym's entry: "Dose" (a can) would be "steel packaging".
            kept = [p for p, *_, c in sorted(lst, key=lambda s: s[1]) if c] or [
                p
                for p, r, d, o, c in sorted(lst, key=lambda s: s[1])
                if r > best and d and not o and score(p, vocab, c) == 2
            ]
            kept = kept[:MAX_SENSES]
        out: list[str] = []
        for p in distinct(kept)[:MAX_SENSES]:
            for t in p:
                # One of "supplement" and "supplements": the engine reads plurals as singulars.
                if not any(t == o or t == o + "s" or o == t + "s" for o in out):
                    out.append(t)
        out = out[:MAX_WORDS]
        # A word that is its own English ("pipeline") stays: it is a part of compounds.
        if out:
            table[w] = out
            first[w] = set(kept[0])
            last[w] = kept[0][-1]

    # Plurals an ending reads as a kept singular of the same English add nothing ("Sägewerke");
    # "Reifen" (tyres) is no plural of "Reif" (hoarfrost).
    def stem(t: str) -> str:
        return t.removesuffix("s")

    for w in sorted(plural):
        if w in table and any(
            w.endswith(e)
            and w[: -len(e)] in table
            and {stem(t) for t in table[w]} & {stem(t) for t in table[w[: -len(e)]]}
            for e in ENDINGS
            if len(w) - len(e) >= MIN_WORD
        ):
            del table[w]
    # A compound whose parts say all its English adds nothing: the engine splits it over the
    # hand table's parts and this table's ("Kupferbergwerk" is "Kupfer" + "Bergwerk", copper mine).
    hand = {}
    for line in (DATA / "german_english.tsv").read_text().splitlines():
        cols = line.split("\t")
        if len(cols) == 2 and not line.startswith("#"):
            hand[cols[0]] = cols[1].split()

    def reading(part: str) -> list[str] | None:
        for t in [part] + [part[: -len(e)] for e in ENDINGS if part.endswith(e)]:
            if len(t) >= 3 and t in hand:
                return hand[t]
            if len(t) >= MIN_WORD and t in table:
                return table[t]
        return None

    def covered(w: str, want: set[str], depth: int) -> bool:
        if depth > 0:
            r = reading(w)
            if r is not None and want <= set(r):
                return True
        if depth >= 2:
            return False
        for cut in range(3, len(w) - 2):
            head = reading(w[:cut]) if w[:cut] in hand or w[:cut] in table else None
            if head is None:
                continue
            rest_want = want - set(head)
            for link in LINKS:
                rest = w[cut:]
                if not rest.startswith(link) or len(rest) - len(link) < 3:
                    continue
                tail = rest[len(link) :]
                if covered(tail, rest_want, depth + 1) or (
                    not rest_want and reading(tail) is not None
                ):
                    return True
        return False

    # A compound that is a kind of its head as English says it too ("Kupferbergwerk" a copper
    # mine, "Bremsbelaghersteller" a maker) reads as its parts: its modifier readable, its head
    # giving the English head of its first sense.
    def stem(t: str) -> str:
        return t.removesuffix("s")

    def compositional(w: str) -> bool:
        if covered(w, first[w], 0):
            return True
        # The modifier must say the sense's modifier too: "Strickwaren" (knitted goods) is no
        # "Strick" (tether) + "Waren".
        rest = {stem(t) for t in first[w]} - {stem(last[w])}
        for cut in range(3, len(w) - 3):
            head = reading(w[cut:])
            if head is None or stem(last[w]) not in {stem(t) for t in head}:
                continue
            for link in LINKS:
                mod = w[:cut]
                if link and not mod.endswith(link):
                    continue
                mod = mod[: len(mod) - len(link)]
                r = reading(mod) if len(mod) >= 3 else None
                if r is not None and (not rest or rest & {stem(t) for t in r}):
                    return True
        return False

    for w in [w for w in table if compositional(w)]:
        del table[w]
    # A word kept apart by its umlaut reads as nothing rather than as the word it folds like.
    for w in senses:
        if w not in table and w != fold(w) and fold(w) in table:
            table[w] = []
    # A verb's or adjective's form that an ending would read as a noun ("wollen" as "Wolle" wool,
    # "sparen" as "Spare") gets an empty row: the engine reads it as no noun.
    for f in sorted(other_forms - table.keys()):
        if len(f) >= MIN_WORD and any(
            f.endswith(e) and f[: -len(e)] in table
            for e in ENDINGS
            if len(f) - len(e) >= MIN_WORD
        ):
            table[f] = []
    return table


HEADER = f"""# German nouns and the English words the engine reads them as: a fallback of `german` where its
# hand tables (german_english.tsv, the taxonomy) know no word or compound part. Generated, do not edit.
# Source: Debian package trans-de-en {VERSION} (Ding, the German-English dictionary of TU Chemnitz,
#   Frank Richter, https://dict.tu-chemnitz.de/), {URL}
#   sha256 {SHA256}
# Licence: GPL-2+ (the package's copyright file: "GPL Version 2 or later"); this table is a work
#   derived from it and is distributed under the same licence.
# Regenerate: .venv/bin/python infra/lexicon/make_de_en.py (fetches the pinned .deb; see its docstring
#   for what is kept). Folded: `u` for `ü`, `ss` for `ß`, but where that makes one word of two
#   ("Förderung", "Forderung") the umlaut's word keeps its spelling. Tab-separated; English words by spaces;
#   an empty English column is a form of a verb or adjective that an ending would read as a noun.
german\tenglish
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--deb", type=Path, help="a local copy of the pinned .deb")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    text = dictionary_text(fetch(args.deb))
    table = build(text, vocabulary())
    with args.out.open("w") as f:
        f.write(HEADER)
        for w in sorted(table):
            f.write(f"{w}\t{' '.join(table[w])}\n")
    print(
        f"{sum(1 for e in table.values() if not e)} of them forms of other words (no English)"
    )
    print(f"{len(table)} entries, {args.out.stat().st_size} bytes -> {args.out}")


if __name__ == "__main__":
    main()
