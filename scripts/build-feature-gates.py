#!/usr/bin/env python3
"""Builds data/feature-gates.json, the table F001 (alpha-features) embeds to
look up the stage of an enabled feature gate that the inventory gives without
one, from the sourced facts in data/sources/feature-gates.json.

Facts are copied, never invented: each gate keeps its stages (stage, first and
last Kubernetes minor; a null `to` means still in that stage), whether it was
removed, and the source it was read from. Run it when those facts change; the
output is committed so the binary embeds it and CI needs nothing outside the
repository.

usage: scripts/build-feature-gates.py [SOURCES_DIR] [OUTPUT]"""
import json, os, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "data", "sources")
OUTPUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "data", "feature-gates.json")
STAGES = {"alpha", "beta", "ga", "deprecated"}


def source_text(src):
    loc = ":".join(p for p in (src.get("repo"), src.get("path")) if p)
    if src.get("commit"):
        loc += "@" + src["commit"]
    return loc


def minor(text):
    major, minor = text.split(".")
    return f"{int(major)}.{int(minor)}"


def main():
    with open(os.path.join(SHARED, "feature-gates.json"), encoding="utf-8") as f:
        facts = json.load(f)
    gates = []
    for gate in sorted(facts["gates"], key=lambda g: g["name"]):
        stages = []
        for s in gate["stages"]:
            if s["stage"] not in STAGES:
                sys.exit(f"{gate['name']}: unknown stage {s['stage']!r}")
            stages.append({
                "stage": s["stage"],
                "from": minor(s["from"]),
                "to": minor(s["to"]) if s.get("to") else None,
            })
        gates.append({
            "name": gate["name"],
            "stages": stages,
            "removed": bool(gate.get("removed")),
            "source": source_text(gate["source"]),
        })
    out = {
        "formatVersion": 1,
        "about": "Upstream Kubernetes feature gates and their stage per minor version; built by scripts/build-feature-gates.py from data/sources/feature-gates.json. A `from` of 1.0 means GA before tracking began.",
        "source": source_text(facts["source"]),
        "supplementarySources": [source_text(s) for s in facts.get("supplementary_sources", [])],
        "gates": gates,
    }
    # One gate per line: small, and diffs stay readable.
    lines = [json.dumps(g, separators=(",", ":")) for g in gates]
    head = {k: v for k, v in out.items() if k != "gates"}
    text = json.dumps(head, indent=1)[:-2] + ',\n "gates": [\n  ' + ",\n  ".join(lines) + "\n ]\n}\n"
    json.loads(text)  # the output must be valid JSON
    with open(OUTPUT, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"{OUTPUT}: {len(gates)} gates")


if __name__ == "__main__":
    main()
