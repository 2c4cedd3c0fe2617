#!/usr/bin/env python3
"""Builds data/catalog.json (catalog format v1) from the sourced facts in
../shared/data. Run it when those facts change; the output is committed so the
binary embeds it and CI needs nothing outside the repository.

Facts are copied, never invented: versions keep their three or four fields,
dates keep their dateBasis, and every entry keeps its source."""
import json, sys, os, calendar

SHARED = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "shared", "data")
GENERATED = sys.argv[2] if len(sys.argv) > 2 else "2026-11-24"


def src_text(src):
    """Flattens a nested source record into one readable line."""
    if src is None:
        return None
    if isinstance(src, str):
        return src
    if isinstance(src, list):
        return "; ".join(filter(None, (src_text(s) for s in src)))
    if isinstance(src, dict):
        if "repo" in src or "path" in src or "what" in src or "revision" in src:
            parts = []
            loc = ":".join(p for p in (src.get("repo"), src.get("path")) if p)
            if src.get("commit"):
                loc += f"@{src['commit'][:10]}"
            if loc:
                parts.append(loc)
            for key in ("revision", "what", "quality"):
                if src.get(key):
                    parts.append(str(src[key]))
            return " ".join(parts)
        return "; ".join(f"{k}: {src_text(v)}" for k, v in src.items() if src_text(v))
    return str(src)


def month_end(yyyy_mm):
    y, m = (int(x) for x in yyyy_mm.split("-"))
    return f"{y:04d}-{m:02d}-{calendar.monthrange(y, m)[1]:02d}"


releases = []
for r in json.load(open(os.path.join(SHARED, "aks-hybrid-releases.json")))["releases"]:
    out = {"version": r["version"], "name": r["name"], "tag": r["tag"], "released": r["released"], "dateBasis": r["dateBasis"]}
    if r.get("kubernetesVersions"):
        out["kubernetesVersions"] = r["kubernetesVersions"]
    out["source"] = r["source"]
    releases.append(out)

MONTHS = {"March 2026": "2026-03", "March 2027": "2027-03"}
platforms = []
for p in json.load(open(os.path.join(SHARED, "platforms.json")))["platforms"]:
    out = {"os": p["platform"], "version": p["version"], "released": p["released"]}
    eos = p.get("endOfSupport") if p["platform"] == "AzureStackHCI" else p.get("extendedEnd")
    if eos:
        if len(eos) == 7:  # known only to the month: supported through its last day
            out["endOfSupport"] = month_end(eos)
            out["endOfSupportBasis"] = "month"
        else:
            out["endOfSupport"] = eos
    aks = p.get("aksHybrid") or {}
    if aks.get("supportedHost") is False:
        out["aksHybridSupported"] = False
    if aks.get("requiredEdition"):
        out["requiredEdition"] = aks["requiredEdition"]
    retirement = (aks.get("retirement") or {}).get("current")
    if retirement:
        month = next(v for k, v in MONTHS.items() if retirement.startswith(k))
        out["aksHybridRetirement"] = month_end(month)
        out["aksHybridRetirementBasis"] = "month"
    source = src_text(p.get("source"))
    if aks.get("note"):
        source += "; " + aks["note"]
    if retirement:
        source += "; retirement: MicrosoftDocs/azure-stack-docs:AKS-Arc/aks-windows-server-retirement.md (ms.date 11/19/2025): " + retirement
    out["source"] = source
    platforms.append(out)

kube = []
for v in json.load(open(os.path.join(SHARED, "kubernetes.json")))["versions"]:
    eol = v.get("upstreamEndOfLife") or v["endOfLife"]  # the data's notes say to prefer upstream when known
    kube.append({"minor": v["minor"], "released": v["released"], "endOfLife": eol,
                 "source": src_text(v["source"]["primary"]) + ("; end of life: " + src_text(v["source"]["upstreamEol"]) if v.get("upstreamEndOfLife") else "")})

catalog = {"catalogVersion": 1, "generated": GENERATED,
           "about": "Built by scripts/build-catalog.py from sourced facts. Release dates are estimates unless dateBasis is 'published'; run `akspol catalog update` for GitHub publication dates.",
           "releases": releases, "platforms": platforms, "kubernetes": kube}
json.dump(catalog, open(os.path.join(os.path.dirname(__file__), "..", "data", "catalog.json"), "w"), indent=2, ensure_ascii=False)
print(f"{len(releases)} releases, {len(platforms)} platforms, {len(kube)} kubernetes minors")
