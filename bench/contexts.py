#!/usr/bin/env python3
"""Each detector's own secret in the places people put it: which of them nothing finds.

usage: python3 bench/contexts.py --bin path/to/leakguard [--missed FILE]

For every detector of detectors.toml whose first example holds a one-line secret, the secret
(as the detector reports it) is written into common contexts that name its provider — an
environment file, a Go declaration, a JSON key, prose with `api key:`, a YAML section — and
into the bare `provider value` and `provider = "value"` forms some scanners' examples use.
One `leakguard scan` reads them all. Printed per context: how many secrets nothing finds, and
how many are found but attributed to another provider (wrong rotation steps). A capability
measure over the whole catalogue, not a test: the values are our own detectors' examples.
"""
import argparse, collections, json, os, subprocess, sys, tempfile, tomllib

CONTEXTS = {
    "env": lambda p, s: f"{p.upper()}_TOKEN={s}",
    "go": lambda p, s: f'{p}Token := "{s}"',
    "json": lambda p, s: f'{{"{p}_secret": "{s}"}}',
    "prose": lambda p, s: f"{p} api key: {s}",
    "yaml-section": lambda p, s: f"{p}:\n  api_key: {s}",
    "bare": lambda p, s: f"{p} {s}",
    "assign": lambda p, s: f'{p} = "{s}"',
}


def scan(binary, files):
    d = tempfile.mkdtemp(prefix="leakguard-contexts-")
    for name, text in files.items():
        with open(os.path.join(d, name), "w") as f:
            f.write(text)
    run = subprocess.run([binary, "--show-secrets", "scan", "--format", "json", d],
                         capture_output=True, text=True)
    found = collections.defaultdict(list)
    for f in json.loads(run.stdout)["findings"]:
        found[os.path.basename(f["path"])].append(f)
    return found


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--missed", help="write {detector: [contexts missed]} here as JSON")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    with open(os.path.join(root, "detectors.toml"), "rb") as f:
        detectors = [d for d in tomllib.load(f)["detector"] if d.get("examples")]
    found = scan(a.bin, {f"d{i:04}.txt": d["examples"][0] + "\n" for i, d in enumerate(detectors)})
    secrets = {}
    for i, d in enumerate(detectors):
        own = [f for f in found.get(f"d{i:04}.txt", []) if f["detector"] == d["id"]]
        if own and "\n" not in own[0]["secret"] and len(own[0]["secret"]) < 200:
            secrets[i] = own[0]["secret"]
    files = {}
    for i, s in secrets.items():
        word = detectors[i]["provider"].split("-")[0]
        for c, render in CONTEXTS.items():
            files[f"{c}-{i:04}.txt"] = render(word, s) + "\n"
    found = scan(a.bin, files)
    missed, other, per = collections.Counter(), collections.Counter(), collections.defaultdict(list)
    for i, s in secrets.items():
        for c in CONTEXTS:
            hits = [f for f in found.get(f"{c}-{i:04}.txt", []) if s in f["secret"] or f["secret"] in s]
            if not hits:
                missed[c] += 1
                per[detectors[i]["id"]].append(c)
            elif not any(f["provider"] == detectors[i]["provider"] for f in hits):
                other[c] += 1
    print(f"{len(secrets)} of {len(detectors)} detectors have a one-line example secret")
    print("| context | missed | another provider |")
    print("|---|---|---|")
    for c in CONTEXTS:
        print(f"| {c} | {missed[c]} | {other[c]} |")
    if a.missed:
        with open(a.missed, "w") as f:
            json.dump(per, f, indent=1)


if __name__ == "__main__":
    sys.exit(main())
