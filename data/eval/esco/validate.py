#!/usr/bin/env python3
"""Validate the ESCO evaluation files in this folder against data/esco/esco_v1.1.1_skills.csv.gz.
Run from anywhere: python3 data/eval/esco/validate.py   (exit code 1 on any error)."""
import collections, csv, gzip, json, os, re, sys

HERE = os.path.dirname(os.path.abspath(__file__))
V111 = os.path.join(HERE, '..', '..', 'esco', 'esco_v1.1.1_skills.csv.gz')
URI = 'http://data.europa.eu/esco/skill/'
errors = []
def err(msg): errors.append(msg)

pref, alts = {}, collections.defaultdict(list)
for r in csv.DictReader(gzip.open(V111, 'rt', encoding='utf-8')):
    if r['type'] == 'preferredLabel': pref[r['id']] = r['description']
    elif r['type'] == 'altLabels': alts[r['id']].append(r['description'])

# ---------------- A: sentences_fr_en.json
items = json.load(open(os.path.join(HERE, 'sentences_fr_en.json'), encoding='utf-8'))
if not isinstance(items, list): err('A: not a list')
ids = [it.get('id') for it in items]
for d in [i for i, c in collections.Counter(ids).items() if c > 1]: err(f'A: duplicate id {d}')
for it in items:
    i = it.get('id')
    if set(it) != {'id', 'lang', 'source', 'text', 'skills', 'labels'}: err(f'A {i}: keys {sorted(it)}')
    if not re.fullmatch(r's\d{3}', str(i)): err(f'A {i}: bad id')
    if it.get('lang') not in ('fr', 'en'): err(f'A {i}: lang')
    if it.get('source') not in ('job_ad', 'volunteer_profile', 'association_need'): err(f'A {i}: source')
    if not it.get('text', '').strip(): err(f'A {i}: empty text')
    sk = it.get('skills', [])
    if not 1 <= len(sk) <= 3: err(f'A {i}: {len(sk)} skills')
    if len(set(sk)) != len(sk): err(f'A {i}: repeated skill')
    if len(it.get('labels', [])) != len(sk): err(f'A {i}: labels not parallel to skills')
    for u, l in zip(sk, it.get('labels', [])):
        if u not in pref: err(f'A {i}: {u} is not a preferredLabel uuid in v1.1.1')
        elif pref[u] != l: err(f'A {i}: label {l!r} != preferred label {pref[u]!r}')
if len(items) < 120: err(f'A: only {len(items)} items')
print('A sentences_fr_en.json:', len(items), 'items,', len({u for it in items for u in it['skills']}), 'distinct skills')
print('  by lang  ', dict(collections.Counter(it['lang'] for it in items)))
print('  by source', dict(collections.Counter(it['source'] for it in items)))
print('  by lang x source', {f'{k[0]}/{k[1]}': v for k, v in sorted(collections.Counter((it['lang'], it['source']) for it in items).items())})
print('  skills per item', dict(sorted(collections.Counter(len(it['skills']) for it in items).items())))

# ---------------- B: descriptions_en.jsonl
path = os.path.join(HERE, 'descriptions_en.jsonl')
size = os.path.getsize(path)
if size >= 1_000_000: err(f'B: file is {size} bytes (>= 1 MB)')
rows = []
for n, line in enumerate(open(path, encoding='utf-8'), 1):
    try: rows.append(json.loads(line))
    except Exception as e: err(f'B line {n}: {e}'); continue
uris = [r.get('uri') for r in rows]
for d in [u for u, c in collections.Counter(uris).items() if c > 1]: err(f'B: duplicate uri {d}')
for r in rows:
    u = str(r.get('uri', ''))
    if not u.startswith(URI): err(f'B {u}: bad uri'); continue
    uid = u[len(URI):]
    if uid not in pref: err(f'B {u}: uuid not a preferredLabel in v1.1.1'); continue
    if r.get('label') != pref[uid]: err(f'B {u}: label != v1.1.1 preferred label')
    t = r.get('text', '')
    if len(t) < 60: err(f'B {u}: text shorter than 60 chars')
    if pref[uid].lower() in t.lower(): err(f'B {u}: preferred label still in text')
    for a in alts.get(uid, []):
        if re.search(r'(?<![A-Za-z0-9])' + re.escape(a) + r'(?![A-Za-z0-9])', t, flags=re.I):
            err(f'B {u}: alternative label {a!r} still in text')
    if r.get('subset') not in ('ict', 'other_S'): err(f'B {u}: subset')
print('B descriptions_en.jsonl:', len(rows), 'items,', size, 'bytes;', dict(collections.Counter(r.get('subset') for r in rows)))

if errors:
    print(f'{len(errors)} ERROR(S):'); [print('  ' + e) for e in errors[:50]]; sys.exit(1)
print('OK')
