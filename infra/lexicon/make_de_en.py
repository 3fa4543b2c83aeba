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
  the engine folds (`ü` as `u`, `ß` as `ss`), from every sub-entry of a line (Ding aligns the German
  and English sub-entries by position: "Bergwerk | Kupferbergwerk :: mine | copper mine");
- for each, English translations of at most `MAX_PHRASE` words from its best-ranked entries (its
  own entry, before a sub-entry it heads, before a synonym's), at most `MAX_SENSES` of them: those
  whose words the engine's English knows (every word of the taxonomy file, the word lists and the
  hand table's English, or an English closed compound ending in one: "sawmill"), so "Netz" is
  "network", not "omentum"; where none does, its first senses only when the entry is tagged with a
  trade's domain (`DOMAIN_TAGS`); at most `MAX_WORDS` English words;
- a word that is its own English in some sense ("Exploration", "Bank") as itself;
- not: a compound whose parts (the hand table's or this table's) say its first sense or its English
  head ("Kupferbergwerk": copper mine), a plural that an ending of the engine's reads as a kept
  singular of the same English, senses marked vulgar, pejorative, humorous, dated or obsolete, or
  entries only of domains that name no trade (birds, anatomy, music...);
- an empty row for a verb's or adjective's form that an ending would read as a kept noun ("wollen"
  as "Wolle", wool).
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


def known(token: str, vocab: set[str]) -> bool:
    """A word the engine knows, or an English closed compound of an English word and one it
    knows ("sawmill": saw, mill)."""
    return token in vocab or any(
        token[:cut] in ENGLISH_WORDS and token[cut:] in vocab
        for cut in range(3, len(token) - 3)
    )


BRACKETS = re.compile(r"\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|<[^>]*>")


def english_phrase(alt: str) -> list[str] | None:
    text = BRACKETS.sub(" ", alt).strip()
    if not text or "/" in text or "..." in text:
        return None
    toks = [w for w in re.findall(r"[a-z]+(?:-[a-z]+)*", fold(text)) if w not in STOP]
    if not toks or len(text.split()) > MAX_PHRASE:
        return None
    return toks


def german_word(syn: str) -> tuple[str, set[str]] | None:
    if not NOUN.search(syn):
        return None
    tags = set(re.findall(r"\[([^\]]+)\]", syn))
    head = BRACKETS.sub(" ", syn).strip()
    if " " in head or not head:
        return None
    w = fold(head)
    if not re.fullmatch(r"[a-z]+", w) or len(w) < MIN_WORD:
        return None
    return w, tags


def build(text: str, vocab: set[str]) -> dict[str, list[str]]:
    senses: dict[str, list[tuple[list[str], int, bool, bool]]] = {}
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
        if line_tags & SKIP_TAGS:
            continue
        domain = bool(line_tags & DOMAIN_TAGS)
        off = bool(line_tags & OFF_TAGS) and not domain
        for sub, (de_sub, en_sub) in enumerate(zip(de.split(" | "), en.split(" | "))):
            phrases = [p for p in (english_phrase(a) for a in en_sub.split(";")) if p]
            if not phrases:
                continue
            for pos, syn in enumerate(de_sub.split(";")):
                # The word's own entry first, then a sub-entry it heads, then a synonym's.
                rank = 0 if (sub, pos) == (0, 0) else 1 if pos == 0 else 2
                g = german_word(syn)
                if g is None:
                    continue
                w, tags = g
                if tags & SKIP_TAGS:
                    continue
                if "{pl}" in syn and not re.search(r"\{[mfn]\}", syn):
                    plural.add(w)
                lst = senses.setdefault(w, [])
                for p in phrases:
                    if all(p != q for q, _, _, _ in lst):
                        lst.append((p, rank, domain, off))
    for lst in senses.values():
        for p, _, _, _ in lst:
            if len(p) == 1:
                ENGLISH_WORDS.add(p[0])
    table: dict[str, list[str]] = {}
    first: dict[str, set[str]] = {}
    last: dict[str, str] = {}
    for w, lst in senses.items():
        # The senses of the word's best-ranked entries (its own before a sub-entry it heads,
        # before a synonym's), those the engine knows first: "Sägewerk" is a sawmill (its own
        # entry), not a "siding mill" (a sub-entry of another word).
        best = min(r for _, r, _, _ in lst)
        top = [s for s in lst if s[1] == best]
        # A word that is its own English in some sense ("Exploration", "Bank") is read as itself:
        # its entry keeps it a part of compounds, and no other sense replaces it.
        if any(p == [w] for p, _, _, _ in lst):
            table[w] = [w]
            first[w] = {w}
            last[w] = w
            continue
        knows = [p for p, _, _, _ in top if any(known(t, vocab) for t in p)]
        domain = any(d for _, _, d, _ in top)
        off = all(o for _, _, _, o in top)
        if knows:
            kept = knows[:MAX_SENSES]
        elif domain and not off:
            # No sense of its own entry the engine knows, but its entry is of a trade's domain:
            # its own first senses.
            kept = [p for p, _, _, _ in top][:MAX_SENSES]
        else:
            kept = []
        out: list[str] = []
        for p in kept:
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
        for cut in range(3, len(w) - 3):
            head = reading(w[cut:])
            if head is None or stem(last[w]) not in {stem(t) for t in head}:
                continue
            for link in LINKS:
                mod = w[:cut]
                if link and not mod.endswith(link):
                    continue
                mod = mod[: len(mod) - len(link)]
                if len(mod) >= 3 and reading(mod) is not None:
                    return True
        return False

    for w in [w for w in table if compositional(w)]:
        del table[w]
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
#   for what is kept). Folded: `u` for `ü`, `ss` for `ß`. Tab-separated; English words by spaces;
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
