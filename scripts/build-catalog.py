#!/usr/bin/env python3
"""Builds data/catalog.json (catalog format v1) from the sourced facts in
data/sources/ (copied from the team's shared research data, each entry with
its source; see data/sources/README.md). Run it when those facts change; the
output is committed so the binary embeds it, and a test rebuilds it and
compares the bytes.

Facts are copied, never invented: versions keep their three or four fields,
dates keep their dateBasis, and every entry keeps its source.

    python3 scripts/build-catalog.py                 # rewrite data/catalog.json
    python3 scripts/build-catalog.py --output FILE   # write elsewhere (the test does)
"""
import argparse
import calendar
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = os.path.join(HERE, "..", "data", "sources")
OUTPUT = os.path.join(HERE, "..", "data", "catalog.json")
# The day these facts were assembled into the catalog (not the date of any
# fact: that is `knownThrough`). Change it when the facts change.
GENERATED = "2026-12-07"


def load(name):
    with open(os.path.join(SOURCES, name), encoding="utf-8") as f:
        return json.load(f)


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


def aks_hybrid_releases():
    out = []
    for file in ("aks-hybrid-releases.json", "aks-hybrid-releases-2025.json"):
        for r in load(file)["releases"]:
            released = r["released"]
            if r["dateBasis"] == "month":
                # The sources' middle-of-the-month estimate stands for its month
                # (akspol reads a month-basis date as any day of that month):
                # written as the month's first day, as akspol writes it back.
                released = released[:8] + "01"
            entry = {"version": r["version"], "name": r["name"], "tag": r["tag"],
                     "released": released, "dateBasis": r["dateBasis"]}
            if r.get("kubernetesVersions"):
                entry["kubernetesVersions"] = r["kubernetesVersions"]
            elif r.get("kubernetesVersionsSeen"):
                # Partial evidence (versions seen in issues or scripts), never the full list.
                entry["kubernetesVersionsSeen"] = r["kubernetesVersionsSeen"]
            source = src_text(r["source"])
            # The 2025 tags carry their own caution: the version comes from the tag name only.
            if file.endswith("-2025.json") and r.get("notes"):
                source += "; note: " + r["notes"][0]
            entry["source"] = source
            out.append(entry)
    return out


# Who attests each 2026 release name (aks-arc-releases-2026.json, about.caveats:
# "Release names 2604, 2605, 2606, 2607 are attested by Microsoft-authored text
# ... 2608-2610 are attested only by third-party observations of real systems").
RELEASE_CONFIDENCE_2026 = {"2604": "microsoft", "2605": "microsoft", "2606": "microsoft",
                           "2607": "microsoft", "2608": "third-party", "2609": "third-party",
                           "2610": "third-party"}


def corrected(releases):
    """The 2311-2605 releases with the 2026 addendum applied: its releases
    (2604-2610) replace or follow the older entries, and its corrections are
    applied as each one says (a date set, a build accepted under another
    number, a disagreement recorded beside the date kept)."""
    by_version = {r["version"]: r for r in releases}
    addendum = load("aks-arc-releases-2026.json")
    for r in addendum["releases"]:
        old = by_version.get(r["version"])
        if old:
            # The older entry's sources stay beside the addendum's.
            sources = [s for s in (old.get("source") or []) if s not in r["source"]]
            r = dict(r, source=r["source"] + sources)
        by_version[r["version"]] = r
    for c in addendum["corrections"]:
        release = by_version[c["release"]]
        source = src_text(c["source"])
        if c["field"] == "available" and c["release"] == "2510":
            build = next(b for b in release["builds"] if b["solutionVersion"] == c["build"])
            printed, build["available"] = build["available"], c["newValue"]
            build["note"] = (f"available {c['newValue']} in the offline bundle table; the release "
                             f"table printed {printed}, before the build it supersedes (a typo)")
            build["source"] = src_text(build.get("source")) + "; " + source
        elif c["field"] == "available":
            names = c.get("builds") or [c["build"]]
            for build in (b for b in release["builds"] if b["solutionVersion"] in names):
                build["note"] = "; ".join(filter(None, [build.get("note"),
                                                        f"disagreement: {c['newValue']} ({source})"]))
        elif c["field"] == "build alias and Kubernetes list":
            release["builds"].append({
                "solutionVersion": "12.2602.1007.7", "aliasOf": "12.2602.1002.7",
                "note": c["newValue"], "source": source, "confidence": "microsoft"})
        elif c["field"] == "later builds":
            release["builds"].append({
                "solutionVersion": "12.2603.1002.502", "confidence": c["confidence"],
                "kind": "cumulative update", "note": c["newValue"], "source": source})
        else:
            raise SystemExit(f"unknown correction {c['field']} of {c['release']}")
    return sorted(by_version.values(), key=lambda r: r["version"])


def aks_arc_facts(r):
    """The AKS Arc extension and node image facts of a release, if any."""
    facts = r.get("aksArc")
    if not facts:
        return None
    out = {}
    extension = facts.get("extensionHotfix") or facts.get("extension")
    if extension:
        out["extension"] = extension
    if facts.get("nodeImage"):
        out["nodeImage"] = facts["nodeImage"]
    out["source"] = src_text(facts.get("source") or facts.get("extensionHotfixSource"))
    return out


def azure_local_releases():
    """Azure Local release trains with their solution builds. A release
    without an availability date keeps `released: null`: with the window
    sources bound it by (`releasedWindow`), else akspol dates it by the month
    of its YYMM name. A build whose printed date is earlier than the build it
    supersedes is kept without a date, the printed one in its note: the data
    calls it a probable typo, and no other date is sourced. Builds only third
    parties give are marked (`confidence`)."""
    facts = load("aks-arc-releases.json")
    dated, out = {}, []
    for r in corrected(facts["releases"]):
        builds = []
        for b in r["builds"]:
            build = {"version": b["solutionVersion"]}
            if b.get("osBuild"):
                build["osBuild"] = b["osBuild"]
            available = b.get("available")
            note = b.get("note")
            superseded = dated.get(b.get("supersedes"))
            if available and superseded and available < superseded:
                note = f"kept without a date (printed {available}, before {b['supersedes']} of {superseded}): {note or ''}"
                available = None
            if available:
                build["available"] = available
                dated[b["solutionVersion"]] = available
            if b.get("supersedes"):
                build["supersedes"] = b["supersedes"]
            if b.get("aliasOf"):
                build["aliasOf"] = b["aliasOf"]
            if b.get("confidence"):
                build["confidence"] = b["confidence"]
            if note:
                build["note"] = note.strip()
            if b.get("source"):
                build["source"] = src_text(b["source"])
            builds.append(build)
        entry = {"release": r["version"], "name": r["name"], "released": r["released"]}
        if r.get("dateBasis"):
            entry["dateBasis"] = r["dateBasis"]
        window = r.get("releasedWindow")
        if window:
            entry["releasedWindow"] = {"notBefore": window["notBefore"], "notAfter": window["notAfter"]}
        if r["version"] in RELEASE_CONFIDENCE_2026:
            entry["confidence"] = RELEASE_CONFIDENCE_2026[r["version"]]
        entry["builds"] = builds
        if r.get("kubernetesVersions"):
            entry["kubernetesVersions"] = r["kubernetesVersions"]
        elif r.get("kubernetesVersionsSeen"):
            entry["kubernetesVersionsSeen"] = r["kubernetesVersionsSeen"]
        if aks_arc_facts(r):
            entry["aksArc"] = aks_arc_facts(r)
        notes = []
        if window:
            notes.append(f"came out between {window['notBefore']} ({window['notBeforeSource']}) "
                         f"and {window['notAfter']} ({window['notAfterSource']})")
        if r["version"] in RELEASE_CONFIDENCE_2026:
            notes += r.get("notes") or []
        if notes:
            entry["notes"] = notes
        # A release only its builds attest (2610) cites their sources.
        source = src_text(r["source"]) or "; ".join(b["source"] for b in builds if b.get("source"))
        if r.get("kubernetesSource"):
            source += "; Kubernetes versions: " + src_text(r["kubernetesSource"])
        entry["source"] = source
        out.append(entry)
    return out


def platforms(local):
    months = {"March 2026": "2026-03", "March 2027": "2027-03"}
    out = []
    for p in load("platforms.json")["platforms"]:
        entry = {"os": p["platform"], "version": p["version"], "released": p["released"]}
        eos = p.get("endOfSupport") if p["platform"] == "AzureStackHCI" else p.get("extendedEnd")
        if eos:
            if len(eos) == 7:  # known only to the month: supported through its last day
                entry["endOfSupport"] = month_end(eos)
                entry["endOfSupportBasis"] = "month"
            else:
                entry["endOfSupport"] = eos
        aks = p.get("aksHybrid") or {}
        if aks.get("supportedHost") is False:
            entry["aksHybridSupported"] = False
        retirement = (aks.get("retirement") or {}).get("current")
        if retirement:
            month = next(v for k, v in months.items() if retirement.startswith(k))
            entry["aksHybridRetirement"] = month_end(month)
            entry["aksHybridRetirementBasis"] = "month"
        source = src_text(p.get("source"))
        if aks.get("note"):
            source += "; " + aks["note"]
        if retirement:
            source += "; retirement: MicrosoftDocs/azure-stack-docs:AKS-Arc/aks-windows-server-retirement.md (ms.date 11/19/2025): " + retirement
        entry["source"] = source
        out.append(entry)
    # Azure Local, the host of AKS Arc: one entry per OS line (23H2 = 10.x/11.x
    # builds on OS 25398, 24H2 = 12.x builds on OS 26100). Released: the first
    # documented build of the line.
    lines = {"10.x": "23H2", "11.x": "23H2", "12.x": "24H2"}
    first = {}
    for r in local:
        for b in r["builds"]:
            os_line = lines.get(b["version"].split(".")[0] + ".x")
            if os_line and b.get("available"):
                first[os_line] = min(first.get(os_line, b["available"]), b["available"])
    seen = set()
    for line in load("platforms-2025.json")["azureLocalSolutionLines"]:
        version = line["os"]
        if version in seen:
            continue
        seen.add(version)
        entry = {"os": "AzureLocal", "version": version, "released": first[version]}
        same_os = [x for x in load("platforms-2025.json")["azureLocalSolutionLines"] if x["os"] == version]
        eos = next((x.get("endOfSupport") for x in same_os if x.get("endOfSupport")), None)
        if eos:
            entry["endOfSupport"] = month_end(eos)
            entry["endOfSupportBasis"] = "month"
        entry["source"] = "; ".join(
            f"solution line {x['line']} (OS {x['osBuild']}): " + src_text(x["source"]) for x in same_os
        ) + ("" if eos else "; no fixed end of support: each release is supported for six months")
        out.append(entry)
    return out


def node_os_skus():
    """Node OS SKUs of AKS Arc node pools, one entry per image line, and their
    lifecycle. The API names Azure Linux 2.0 and 3.0 nodes alike
    (`CBLMariner`): what a node reports (its OS image, a Windows node's build
    label) tells the line, and `firstRelease` the Azure Local release from
    which AKS Arc ships it (`node-os-images.json`)."""
    facts = load("platforms-2025.json")
    seen = facts["aksHciNodeOsSeen"]
    images = load("node-os-images.json")["images"]
    out = []
    for sku in facts["aksArcNodeOsSkus"]:
        if "osSku" not in sku:
            continue
        source = src_text(sku["source"])
        for line in (i for i in images if i["osSku"] == sku["osSku"]):
            entry = {"osSku": sku["osSku"], "image": line["image"], "osImagePrefix": line["osImagePrefix"]}
            if line.get("windowsBuild"):
                entry["windowsBuild"] = line["windowsBuild"]
            if line.get("firstRelease"):
                entry["firstRelease"] = line["firstRelease"]
            line_source = source + "; what the node reports: " + src_text(line["source"])
            if line["image"] == "Azure Linux 2.0":
                entry["endOfSupport"] = sku["azureLinux2EndOfLife"]
                line_source += "; node OS image of the 2.0 line: " + seen["fact"] + " (" + seen["source"] + ")"
            elif sku.get("endOfSupport"):
                entry["endOfSupport"] = month_end(sku["endOfSupport"])
                entry["endOfSupportBasis"] = "month"
            entry["source"] = line_source
            out.append(entry)
    return out


def kubernetes():
    out = []
    for v in load("kubernetes.json")["versions"]:
        eol = v.get("upstreamEndOfLife") or v["endOfLife"]  # the data's notes say to prefer upstream when known
        out.append({"minor": v["minor"], "released": v["released"], "endOfLife": eol,
                    "source": src_text(v["source"]["primary"]) + ("; end of life: " + src_text(v["source"]["upstreamEol"]) if v.get("upstreamEndOfLife") else "")})
    return out


def local_date(r):
    """The first and last day an Azure Local release may have come out: its
    day, its window, or (no day sourced) the month of its YYMM name."""
    if r["released"]:
        return r["released"], r["released"]
    if r.get("releasedWindow"):
        return r["releasedWindow"]["notBefore"], r["releasedWindow"]["notAfter"]
    month = f"20{r['release'][:2]}-{r['release'][2:]}"
    return f"{month}-01", month_end(month)


def known_through(releases, local):
    """Per product line, the newest fact about its releases, as precisely as
    it is dated: for Azure Local, the newest release (a month when only its
    name dates it) or a build dated later."""
    hybrid = max(releases, key=lambda r: (r["released"], r["version"]))
    newest = max(local, key=lambda r: (local_date(r), r["release"]))
    first, last = local_date(newest)
    build = max(((b["available"], b["version"], r["release"])
                 for r in local for b in r["builds"] if b.get("available")), default=None)
    if build and build[0] > last:
        arc = {"product": "aks-arc", "date": build[0], "dateBasis": "availability-date",
               "fact": f"Azure Local {build[2]}: {build[1]} available, the newest fact in the sourced facts"}
    elif first == last:
        arc = {"product": "aks-arc", "date": first, "dateBasis": "availability-date",
               "fact": f"Azure Local {newest['release']}, the newest release in the sourced facts"}
    elif newest.get("releasedWindow"):
        raise SystemExit("the newest Azure Local release is dated by a window: say how knownThrough reads it")
    else:
        arc = {"product": "aks-arc", "date": first, "dateBasis": "month",
               "fact": f"Azure Local {newest['release']}, the newest release in the sourced facts, "
                       f"which no source dates to the day: it is dated by the month of its name"}
    return [
        {"product": "aks-hybrid", "date": hybrid["released"], "dateBasis": hybrid["dateBasis"],
         "fact": f"release {hybrid['version']} (tag {hybrid['tag']}), the newest in the sourced facts"},
        arc,
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default=OUTPUT, help="where to write the catalog (default: data/catalog.json)")
    args = parser.parse_args()
    releases = aks_hybrid_releases()
    local = azure_local_releases()
    catalog = {
        "catalogVersion": 1,
        "generated": GENERATED,
        "about": "Built by scripts/build-catalog.py from the sourced facts in data/sources/. Release dates are estimates unless dateBasis is 'published' or 'availability-date'; an Azure Local release with no sourced day is dated by its window (releasedWindow) or the month of its name; run `akspol catalog update` for GitHub publication dates of the AKS hybrid line.",
        "knownThrough": known_through(releases, local),
        "releases": releases,
        "azureLocalReleases": local,
        "platforms": platforms(local),
        "nodeOsSkus": node_os_skus(),
        "kubernetes": kubernetes(),
    }
    with open(args.output, "w", encoding="utf-8", newline="\n") as f:
        json.dump(catalog, f, indent=2, ensure_ascii=False)
        f.write("\n")
    print(f"{len(releases)} AKS hybrid releases, {len(local)} Azure Local releases, "
          f"{len(catalog['platforms'])} platforms, {len(catalog['nodeOsSkus'])} node OS SKUs, "
          f"{len(catalog['kubernetes'])} Kubernetes minors")


if __name__ == "__main__":
    main()
