#!/usr/bin/env python3
"""German/English parity probe: run both texts of each pair in `parity-pairs.json` through
`eval-discovery` and report how much their top 20 companies overlap.

The pairs carry no judgement: a pair whose two result lists share little shows that one of its
texts (either language) is misread. It finds misreadings without reading any held-out ICP.

    cargo build --release -p ops --bin eval-discovery
    python3 infra/eval/parity.py target/release/eval-discovery [--below 0.5] [--pairs FILE]
"""
import argparse
import collections
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def as_icps(pairs):
    """The pairs as a dev ICP file; the judgement is a placeholder, only the ranking is read."""
    icps = []
    for p in pairs:
        icp = {
            'id': p['id'], 'split': 'dev', 'language': p['language'], 'areas': ['parity probe'],
            'ideal_customer_profile': p['ideal_customer_profile'],
            'target_countries': p['target_countries'], 'relevant_labels': ['Software'],
        }
        if p.get('excluded_industries'):
            icp['excluded_industries'] = p['excluded_industries']
            icp['excluded_labels'] = ['Tobacco']
        icps.append(icp)
    return icps


def top_lists(binary, icps):
    """Each ICP's top 20 as (company, label), read from `--verbose`."""
    with tempfile.NamedTemporaryFile('w', suffix='.json', delete=False) as f:
        json.dump(icps, f, ensure_ascii=False)
    run = subprocess.run([binary, '--icps', f.name, '--split', 'dev', '--verbose'],
                         capture_output=True, text=True)
    Path(f.name).unlink()
    top, current = collections.defaultdict(list), None
    for line in run.stdout.splitlines():
        if m := re.match(r'== (\S+) \(', line):
            current = m.group(1)
        elif (m := re.match(r'\s+#\d+\s+[+-] (.*?) \| (.*?) \|', line)) and current:
            top[current].append((m.group(1), m.group(2)))
    if not top:
        sys.exit(f'eval-discovery printed no top lists:\n{run.stderr[-2000:]}')
    return top


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('binary')
    ap.add_argument('--pairs', default=HERE / 'parity-pairs.json')
    ap.add_argument('--below', type=float, default=0.5, help='list the pairs below this overlap')
    args = ap.parse_args()
    pairs = json.loads(Path(args.pairs).read_text())
    top = top_lists(args.binary, as_icps(pairs))
    rows = []
    for p in pairs:
        if p['language'] != 'en':
            continue
        need = p['id'].removesuffix('-en')
        en, de = top.get(p['id'], []), top.get(need + '-de', [])
        shared = {n for n, _ in en} & {n for n, _ in de}
        overlap = len(shared) / max(1, min(20, max(len(en), len(de))))
        labels = [collections.Counter(l for _, l in side).most_common(3) for side in (en, de)]
        rows.append((overlap, need, labels))
    rows.sort()
    mean = sum(r[0] for r in rows) / len(rows)
    low = [r for r in rows if r[0] < args.below]
    print(f'pairs {len(rows)}  mean top-20 overlap {mean:.3f}  below {args.below}: {len(low)}')
    for overlap, need, (en, de) in low:
        print(f'{overlap:.2f} {need}\n   en {en}\n   de {de}')


if __name__ == '__main__':
    main()
