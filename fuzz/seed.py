#!/usr/bin/env python3
"""Writes starting corpora for the fuzz targets into fuzz/corpus/<target>/ (not committed).

config: the repository config of README.md and each built-in detector with its provider, as a
`.leakguard.toml` would define it. engine: each built-in detector's examples and negative
examples, so the fuzzer starts from inputs that reach every regex and validator. report: the
repository-controlled fields (separated by 0xFF bytes, fuzz/invariants/report.rs) filled with
each kind of terminal escape. added_runs needs no seeds: libFuzzer finds line structure by itself.
"""
import pathlib
import re
import tomllib

root = pathlib.Path(__file__).resolve().parent.parent
catalogue = tomllib.loads((root / "detectors.toml").read_text())
corpus = root / "fuzz" / "corpus"


def write(target, name, text):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_text(text)


readme = (root / "README.md").read_text()
m = re.search(r"### `\.leakguard\.toml`.*?```toml\n(.*?)```", readme, re.S)
if m:
    write("config", "readme", m.group(1))


def toml_str(s):
    return "'''" + s + "'''" if "'''" not in s and "\n" not in s else repr(s).replace("\\'", "'")


def toml_value(v):
    """Any value of detectors.toml as TOML: a detector has a regex, a shape or a matcher (an
    inline table), and some have no keywords, so every key it has is written back as it is."""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return toml_str(v)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(e) for e in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(e)}" for k, e in v.items()) + " }"
    raise TypeError(f"unexpected value in detectors.toml: {v!r}")


for d in catalogue["detector"]:
    p = catalogue["provider"][d["provider"]]
    lines = [f"[provider.{d['provider']}]", f"name = {toml_str(p['name'])}",
             "steps = [" + ", ".join(toml_str(s) for s in p["steps"]) + "]", "",
             "[[detector]]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in d.items()]
    write("config", d["id"], "\n".join(lines) + "\n")
    write("engine", d["id"], "\n".join(d.get("examples", []) + d.get("negative_examples", [])) + "\n")
hostile = [
    "ACME\x1b]52;c;ZXZpbA==\x07", "Revoke it \x1b[8mHIDDEN", "\x1b[31mred", "\x1b[2K\rleakguard: ok\n",
    "\u009b2K", "\u202egpj.exe\u2066", "plain", "", "https://acme.test/keys", "src/app.py",
]
for i, h in enumerate(hostile):
    fields = [hostile[(i + k) % len(hostile)] for k in range(17)]
    d = corpus / "report"
    d.mkdir(parents=True, exist_ok=True)
    (d / f"hostile-{i}").write_bytes(b"\xff".join(f.encode() for f in fields))
print(f"seeded {corpus}")
