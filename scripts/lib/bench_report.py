#!/usr/bin/env python3
"""The figures of a `scripts/bench` run: reads the raw `wrk` outputs the run
left in its directory (listed in measurements.tsv) with the machine and
memory facts, and writes results.json and results.md; or compares two
results.json files.

    bench_report.py report RUN_DIR
    bench_report.py compare A.json B.json
    bench_report.py player-sizes DIST_DIR    (JSON on stdout, for the run dir)
"""

import json
import re
import sys
from pathlib import Path

# measurements.tsv columns, written by scripts/bench.
COLUMNS = ["id", "kind", "db", "songs", "label", "target", "connections", "seconds", "raw", "baseline"]
UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
SIZES = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}


def parse_wrk(text):
    """Requests/s, bytes/s, latency percentiles (ms), errors of one wrk run."""
    result = {}
    match = re.search(r"Requests/sec:\s+([\d.]+)", text)
    result["requests_per_s"] = float(match.group(1)) if match else 0.0
    match = re.search(r"Transfer/sec:\s+([\d.]+)([KMG]?B)", text)
    result["bytes_per_s"] = float(match.group(1)) * SIZES[match.group(2)] if match else 0.0
    for percent in ("50", "75", "90", "99"):
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", text, re.M)
        result[f"p{percent}_ms"] = float(match.group(1)) * UNITS[match.group(2)] if match else None
    match = re.search(r"(\d+) requests in", text)
    result["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    result["non_2xx"] = int(match.group(1)) if match else 0
    match = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
    result["socket_errors"] = sum(int(g) for g in match.groups()) if match else 0
    # Only the login script counts answers by status.
    statuses = {code: int(n) for code, n in re.findall(r"^status (\d+): (\d+)$", text, re.M)}
    if statuses:
        result["statuses"] = statuses
    return result


def read_key_values(path):
    facts = {}
    if path.exists():
        for line in path.read_text().splitlines():
            if "=" in line:
                key, value = line.split("=", 1)
                facts[key] = value
    return facts


# Issue #20's targets for the web player.
FIRST_LOAD_LIMIT_KB = 250
LIGHTHOUSE_MIN_SCORE = 95


def player_sizes(dist):
    """Every file of the release player with its size as the API sends it
    to a browser that accepts brotli: the precompressed `<file>.br` the
    build wrote, else the file itself (config.json). A listener's first load
    is everything but the admin bundle, which boot.js fetches only under
    /admin."""
    dist = Path(dist)
    files = []
    for path in sorted(dist.iterdir()):
        if path.suffix == ".br" or not path.is_file():
            continue
        compressed = path.with_name(path.name + ".br")
        sent = compressed.stat().st_size if compressed.exists() else path.stat().st_size
        bundle = "admin" if path.name.startswith("soundstream-admin-") else "first load"
        files.append({"file": path.name, "bundle": bundle, "bytes": path.stat().st_size,
                      "brotli_bytes": sent, "precompressed": compressed.exists()})
    total = lambda bundle: sum(f["brotli_bytes"] for f in files if f["bundle"] == bundle)
    wasm = [f["file"] for f in files if f["bundle"] == "first load" and f["file"].endswith(".wasm")]
    return {"files": files, "first_load_brotli_bytes": total("first load"),
            "admin_brotli_bytes": total("admin"), "first_load_wasm": wasm[0] if wasm else None}


def lighthouse_scores(run_dir):
    """Performance and accessibility per form factor and page, from the
    Lighthouse JSON reports, with the metrics behind the performance score."""
    scores = []
    for path in sorted((run_dir / "lighthouse").glob("*.json")) if (run_dir / "lighthouse").exists() else []:
        lhr = json.loads(path.read_text())
        form_factor, page = path.stem.split("-", 1)
        audits = lhr["audits"]
        metric = lambda key: audits.get(key, {}).get("numericValue")
        failing = [audit["title"] for audit_ref in lhr["categories"]["accessibility"]["auditRefs"]
                   if (audit := audits.get(audit_ref["id"])) and audit.get("score") == 0 and audit_ref["weight"] > 0]
        scores.append({
            "form_factor": form_factor, "page": page, "url": lhr["finalDisplayedUrl"],
            "performance": round(lhr["categories"]["performance"]["score"] * 100),
            "accessibility": round(lhr["categories"]["accessibility"]["score"] * 100),
            "fcp_ms": metric("first-contentful-paint"), "lcp_ms": metric("largest-contentful-paint"),
            "tbt_ms": metric("total-blocking-time"), "cls": metric("cumulative-layout-shift"),
            "transfer_bytes": metric("total-byte-weight"), "accessibility_failures": failing,
        })
    return scores


def lines(path):
    return path.read_text().splitlines() if path.exists() else []


def report(run_dir):
    run_dir = Path(run_dir)
    machine = read_key_values(run_dir / "machine.txt")
    memory = []
    for line in (run_dir / "memory.tsv").read_text().splitlines() if (run_dir / "memory.tsv").exists() else []:
        db, songs, idle_kb, peak_kb, media_kb, login_kb = line.split("\t")
        mb = lambda kb: round(int(kb) / 1024, 1) if kb != "-" else None
        memory.append({"db": db, "songs": int(songs), "rss_idle_mb": mb(idle_kb),
                       "rss_peak_under_load_mb": mb(peak_kb), "rss_peak_media_mb": mb(media_kb),
                       "rss_peak_login_mb": mb(login_kb)})
    seeding = []
    for line in (run_dir / "seeding.tsv").read_text().splitlines() if (run_dir / "seeding.tsv").exists() else []:
        db, songs, seconds = line.split("\t")
        seeding.append({"db": db, "songs": int(songs), "seconds": float(seconds)})
    imports = []
    for line in lines(run_dir / "import.tsv"):
        # Runs before the durable copy was timed have six fields.
        name, files, size, cp_s, import_s, again_s, *rest = line.split("\t")
        files, size, cp_s, import_s, again_s = int(files), int(size), float(cp_s), float(import_s), float(again_s)
        cp_sync_s = float(rest[0]) if rest else None
        imports.append({"case": name, "files": files, "bytes": size, "cp_seconds": cp_s,
                        "cp_sync_seconds": cp_sync_s,
                        "ratio_to_cp_sync": round(cp_sync_s / import_s, 3) if cp_sync_s else None,
                        "import_seconds": import_s, "again_seconds": again_s,
                        "cp_files_per_s": round(files / cp_s, 1),
                        "import_files_per_s": round(files / import_s, 1),
                        "import_mb_per_s": round(size / 1e6 / import_s, 1),
                        "again_files_per_s": round(files / again_s, 1),
                        "ratio_to_cp": round(cp_s / import_s, 3)})
    uploads = []
    for line in lines(run_dir / "upload.tsv"):
        label, size, puts, completes = line.split("\t")
        completes = sorted(float(t) * 1000 for t in completes.split())
        puts = sorted(float(t) * 1000 for t in puts.split())
        uploads.append({"label": label, "bytes": int(size), "complete_ms": completes,
                        "complete_median_ms": completes[len(completes) // 2],
                        "put_median_ms": puts[len(puts) // 2]})
    measurements = []
    for line in lines(run_dir / "measurements.tsv"):
        row = dict(zip(COLUMNS, line.split("\t")))
        row["songs"] = int(row["songs"])
        row["connections"] = int(row["connections"])
        row["seconds"] = int(row["seconds"])
        row.update(parse_wrk((run_dir / row["raw"]).read_text()))
        measurements.append(row)
    by_id = {(m["db"], m["songs"], m["id"]): m for m in measurements}
    for m in measurements:
        m["ratio"] = None
        if m["baseline"] != "-":
            base = by_id.get(("-", 0, m["baseline"]))
            if base:
                field = "bytes_per_s" if m["kind"] == "media" else "requests_per_s"
                m["ratio"] = round(m[field] / base[field], 3) if base[field] else None
    player = None
    if (run_dir / "player-sizes.json").exists():
        player = json.loads((run_dir / "player-sizes.json").read_text())
        player["lighthouse"] = lighthouse_scores(run_dir)
    results = {
        "commit": machine.pop("commit", "?"),
        "date": machine.pop("date", "?"),
        "mode": machine.pop("mode", "?"),
        "machine": machine,
        "measurements": measurements,
        "scale": scale_curve(measurements),
        "memory": memory,
        "seeding": seeding,
        "player": player,
        "import": imports,
        "upload_verification": uploads,
    }
    (run_dir / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    (run_dir / "results.md").write_text(markdown(results))


def scale_curve(measurements):
    """p50/p99 of list and search per library size, and largest/smallest."""
    curves = {}
    for m in measurements:
        if m["kind"] in ("list", "search"):
            curves.setdefault((m["db"], m["id"]), []).append(m)
    out = []
    for (db, ident), points in sorted(curves.items()):
        points.sort(key=lambda m: m["songs"])
        first, last = points[0], points[-1]
        growth = None
        if len(points) > 1 and first["p99_ms"] and last["p99_ms"]:
            growth = round(last["p99_ms"] / first["p99_ms"], 2)
        out.append({
            "db": db, "id": ident, "label": first["label"],
            "points": [{"songs": p["songs"], "p50_ms": p["p50_ms"], "p99_ms": p["p99_ms"],
                        "requests_per_s": p["requests_per_s"]} for p in points],
            "p99_largest_over_smallest": growth,
        })
    return out


def ms(value):
    if value is None:
        return "–"
    return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"


def times(value):
    return "–" if value is None else f"{value:.2f}×"


def rate(m):
    if m["kind"] == "media":
        return f"{m['bytes_per_s'] / 1024**2:,.0f} MB/s"
    return f"{m['requests_per_s']:,.0f} req/s"


def errors(m):
    bad = m["non_2xx"] + m["socket_errors"]
    text = f"**{bad}**" if bad else "0"
    if m.get("statuses"):
        text += " (" + ", ".join(f"{n} × {code}" for code, n in sorted(m["statuses"].items())) + ")"
    return text


def markdown(results):
    machine = results["machine"]
    lines = [
        f"# SoundStream benchmark, {results['date']} ({results['mode']} mode)",
        "",
        f"Commit `{results['commit']}`; {machine.get('cpu', '?')}, {machine.get('cores', '?')} cores, "
        f"{machine.get('ram', '?')} RAM, Linux {machine.get('kernel', '?')}; load from `wrk` on the same "
        f"machine over loopback. Ratios are to the baseline measured in this run.",
        "",
    ]
    measurements = results["measurements"]
    apart = [m for m in measurements if m["db"] == "-" or m["kind"] in ("media", "login")]
    if apart:
        lines += ["Errors are non-2xx answers plus socket errors (wrk); any is in bold.", "",
                  "## Baselines, local media and login", "",
                  "| measure | library | connections | rate | p50 | p99 | errors | ratio to baseline |",
                  "|---|---|---|---|---|---|---|---|"]
    for m in apart:
        if m["db"] == "-":
            where, ratio = "–", "(baseline)"
        else:
            where = f"{m['db']}, {m['songs']:,}"
            ratio = f"{m['ratio']:.2f}× {m['baseline']}" if m["ratio"] is not None else "–"
        lines.append(f"| {m['label']} | {where} | {m['connections']} | {rate(m)} | {ms(m['p50_ms'])} "
                     f"| {ms(m['p99_ms'])} | {errors(m)} | {ratio} |")
    groups = {}
    for m in measurements:
        if m["db"] != "-" and m["kind"] not in ("single", "media", "login"):
            groups.setdefault((m["db"], m["songs"]), []).append(m)
    singles = {(m["db"], m["songs"], m["id"]): m for m in measurements if m["kind"] == "single"}
    for (db, songs), rows in groups.items():
        lines += ["", f"## {db}, {songs:,} songs", "",
                  "| endpoint | req/s | p50 | p99 | errors | × hello-JSON | one at a time (p50) |",
                  "|---|---|---|---|---|---|---|"]
        for m in rows:
            single = singles.get((db, songs, m["id"]))
            lines.append(f"| {m['label']} | {m['requests_per_s']:,.0f} | {ms(m['p50_ms'])} | {ms(m['p99_ms'])} "
                         f"| {errors(m)} | {m['ratio'] or 0:.3f}× | {ms(single['p50_ms']) if single else '–'} |")
    if results["scale"]:
        sizes = sorted({p["songs"] for curve in results["scale"] for p in curve["points"]})
        lines += ["", "## Scale curve (64 connections)", "",
                  "| db | endpoint | " + " | ".join(f"{s:,}: p50 / p99" for s in sizes) + " | p99 largest/smallest |",
                  "|---|---|" + "---|" * len(sizes) + "---|"]
        for curve in results["scale"]:
            at = {p["songs"]: p for p in curve["points"]}
            cells = [f"{ms(at[s]['p50_ms'])} / {ms(at[s]['p99_ms'])}" if s in at else "–" for s in sizes]
            growth = curve["p99_largest_over_smallest"]
            growth_cell = f"{growth:.2f}×" if growth is not None else "–"
            lines.append(f"| {curve['db']} | {curve['label']} | " + " | ".join(cells) + f" | {growth_cell} |")
    if results["memory"]:
        lines += ["", "## Memory (API process RSS, from /proc)", "",
                  "| db | songs | idle | peak under the endpoint loads | peak serving media | peak under login |",
                  "|---|---|---|---|---|---|"]
        mb = lambda v: f"{v} MB" if v is not None else "–"
        for row in results["memory"]:
            lines.append(f"| {row['db']} | {row['songs']:,} | {mb(row['rss_idle_mb'])} "
                         f"| {mb(row['rss_peak_under_load_mb'])} | {mb(row['rss_peak_media_mb'])} "
                         f"| {mb(row['rss_peak_login_mb'])} |")
    lines += player_markdown(results.get("player"))
    if results["import"]:
        where = results["machine"].get("import_fs")
        lines += ["", "## Import (`soundstream import`, SQLite, local storage) against `cp -r`", "",
                  *([f"Measured on {where}.", ""] if where else []),
                  "| folder | files | size | cp -r | cp -r, then sync | import | import again (all there) "
                  "| import ÷ cp | import ÷ (cp + sync) |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for r in results["import"]:
            synced = r.get("cp_sync_seconds")
            lines.append(f"| {r['case']} | {r['files']:,} | {r['bytes'] / 1e6:,.0f} MB "
                         f"| {r['cp_seconds']:.2f} s ({r['cp_files_per_s']:,.0f} files/s) "
                         f"| {'–' if synced is None else f'{synced:.2f} s'} "
                         f"| {r['import_seconds']:.2f} s ({r['import_files_per_s']:,.0f} files/s, {r['import_mb_per_s']:,.0f} MB/s) "
                         f"| {r['again_seconds']:.2f} s ({r['again_files_per_s']:,.0f} files/s) | {r['ratio_to_cp']:.2f}× "
                         f"| {times(r.get('ratio_to_cp_sync'))} |")
    if results["upload_verification"]:
        lines += ["", "## Upload verification (`POST /uploads/{id}/complete` after the presigned PUT)", "",
                  "| file | completion, median | each | the PUT before it, median |", "|---|---|---|---|"]
        for r in results["upload_verification"]:
            lines.append(f"| {r['label']} | {ms(r['complete_median_ms'])} "
                         f"| {', '.join(ms(t) for t in r['complete_ms'])} | {ms(r['put_median_ms'])} |")
    lines += targets(results)
    if results["seeding"]:
        lines += ["", "Seeding (`soundstream seed`, cumulative library): " + "; ".join(
            f"{s['db']} to {s['songs']:,} songs in {s['seconds']:.1f} s" for s in results["seeding"]) + "."]
    return "\n".join(lines) + "\n"


def kb(n):
    return f"{n / 1024:,.1f} KB"


def player_markdown(player):
    if not player:
        return []
    lines = ["", "## Web player (release build)", "",
             f"A listener's first load: **{kb(player['first_load_brotli_bytes'])}** brotli as sent; "
             f"the whole player's bundle (fetched under /admin, /radio and /profile and by signed-out visitors): {kb(player['admin_brotli_bytes'])}.", "",
             "| file | part | bytes | sent (brotli) |", "|---|---|---|---|"]
    for f in player["files"]:
        sent = kb(f["brotli_bytes"]) + ("" if f["precompressed"] else " (as is)")
        lines.append(f"| {f['file']} | {f['bundle']} | {f['bytes']:,} | {sent} |")
    if player["lighthouse"]:
        lines += ["", "Lighthouse, signed in as a listener (simulated throttling; mobile is Lighthouse's default):", "",
                  "| page | form factor | performance | accessibility | FCP | LCP | TBT | CLS | transferred |",
                  "|---|---|---|---|---|---|---|---|---|"]
        for s in player["lighthouse"]:
            lines.append(f"| {s['url']} | {s['form_factor']} | {s['performance']} | {s['accessibility']} "
                         f"| {ms(s['fcp_ms'])} | {ms(s['lcp_ms'])} | {ms(s['tbt_ms'])} | {s['cls']:.3f} "
                         f"| {kb(s['transfer_bytes'])} |")
        failing = sorted({t for s in player["lighthouse"] for t in s["accessibility_failures"]})
        if failing:
            lines += ["", "Failing accessibility audits: " + "; ".join(failing) + "."]
    return lines


def player_targets(player):
    if not player:
        return []
    mark = lambda ok: "met" if ok else "**not met**"
    first = player["first_load_brotli_bytes"]
    rows = [f"| web player | listener's first load ≤ {FIRST_LOAD_LIMIT_KB} KB brotli "
            f"| {mark(first <= FIRST_LOAD_LIMIT_KB * 1024)} | {kb(first)} |"]
    for s in player["lighthouse"]:
        for category in ("performance", "accessibility"):
            rows.append(f"| web player, {s['url']} ({s['form_factor']}) | Lighthouse {category} ≥ {LIGHTHOUSE_MIN_SCORE} "
                        f"| {mark(s[category] >= LIGHTHOUSE_MIN_SCORE)} | {s[category]} |")
    return rows


def targets(results):
    """Issue #20's targets, checked at the largest library measured per db."""
    rows = []
    measurements = results["measurements"]
    for db in sorted({m["db"] for m in measurements if m["db"] != "-"}):
        songs = max(m["songs"] for m in measurements if m["db"] == db)
        at = [m for m in measurements if m["db"] == db and m["songs"] == songs]
        def check(name, ok, detail):
            rows.append(f"| {db}, {songs:,} | {name} | {'met' if ok else '**not met**'} | {detail} |")
        lists = [m for m in at if m["kind"] == "list"]
        worst_ratio = min(lists, key=lambda m: m["ratio"] or 0)
        check("list ≥ 0.10× hello-JSON", all((m["ratio"] or 0) >= 0.10 for m in lists),
              f"lowest {worst_ratio['ratio']:.3f}× ({worst_ratio['label']})")
        worst = max(lists, key=lambda m: m["p99_ms"] or 0)
        check("list p99 ≤ 15 ms at 64 connections", all((m["p99_ms"] or 0) <= 15 for m in lists),
              f"highest {ms(worst['p99_ms'])} ({worst['label']})")
        singles = [m for m in at if m["kind"] == "single"]
        for kind, limit in (("list", 5), ("search", 15)):
            mine = [m for m in singles if m["id"].startswith(kind)]
            if mine:
                worst = max(mine, key=lambda m: m["p50_ms"] or 0)
                check(f"{kind}, one request ≤ {limit} ms", all((m["p50_ms"] or 0) <= limit for m in mine),
                      f"slowest p50 {ms(worst['p50_ms'])} ({worst['label']})")
        searches = [m for m in at if m["kind"] == "search"]
        worst = max(searches, key=lambda m: m["p99_ms"] or 0)
        check("search p99 ≤ 50 ms at 64 connections", all((m["p99_ms"] or 0) <= 50 for m in searches),
              f"highest {ms(worst['p99_ms'])} ({worst['label']})")
        failed = sum(m["non_2xx"] + m["socket_errors"] for m in searches)
        # A run in which no request finished in time is no success either.
        stalled = [m["label"] for m in searches if m["requests"] == 0]
        check("search: no errors under load", failed == 0 and not stalled,
              f"{failed} non-2xx or socket errors" + (f"; nothing answered: {', '.join(stalled)}" if stalled else ""))
        growth = [c for c in results["scale"] if c["db"] == db and c["id"].startswith("search")
                  and c["p99_largest_over_smallest"] is not None]
        if growth:
            worst = max(growth, key=lambda c: c["p99_largest_over_smallest"])
            check("search p99 growth, largest/smallest library ≤ 1.5×",
                  all(c["p99_largest_over_smallest"] <= 1.5 for c in growth),
                  f"highest {worst['p99_largest_over_smallest']:.2f}× ({worst['label']})")
        memory = [r for r in results["memory"] if r["db"] == db and r["songs"] == songs]
        for r in memory:
            check("RSS idle ≤ 30 MB", r["rss_idle_mb"] <= 30, f"{r['rss_idle_mb']} MB")
            check("RSS under load ≤ 80 MB", r["rss_peak_under_load_mb"] <= 80,
                  f"{r['rss_peak_under_load_mb']} MB (endpoint loads)")
    for m in measurements:
        if m["kind"] == "media":
            rows.append(f"| {m['db']}, {m['songs']:,} | {m['label']} ≥ 0.9× nginx "
                        f"| {'met' if (m['ratio'] or 0) >= 0.9 else '**not met**'} | {m['ratio']:.2f}× |")
    rows += player_targets(results.get("player"))
    for r in results.get("import", []):
        rows.append(f"| import, {r['case']} files | ≥ 0.8× `cp -r` "
                    f"| {'met' if r['ratio_to_cp'] >= 0.8 else '**not met**'} | {r['ratio_to_cp']:.2f}× |")
        if r["case"] == "small":
            rows.append(f"| import, {r['case']} files | ≥ 1,200 files/s "
                        f"| {'met' if r['import_files_per_s'] >= 1200 else '**not met**'} "
                        f"| {r['import_files_per_s']:,.0f} files/s |")
    if not rows:
        return []
    return ["", "## Against the targets of issue #20 (largest library of each database in this run)", "",
            "| where | target | | measured |", "|---|---|---|---|"] + rows


def change(old, new, higher_is_better):
    if old in (None, 0) or new is None:
        return ""
    delta = (new - old) / old * 100
    better = (delta > 0) == higher_is_better
    return f"{delta:+.0f}%" + (" better" if better and abs(delta) >= 5 else " worse" if abs(delta) >= 5 else "")


def compare(path_a, path_b):
    a, b = (json.loads(Path(p).read_text()) for p in (path_a, path_b))
    print(f"A: {a['commit']} {a['date']} ({a['mode']})\nB: {b['commit']} {b['date']} ({b['mode']})\n")
    key = lambda m: (m["db"], m["songs"], m["kind"], m["id"])
    old = {key(m): m for m in a["measurements"]}
    print(f"{'measure':58} {'rate A → B':>28} {'change':>12} {'p99 A → B':>22} {'change':>12} {'ratio A → B':>16}")
    for m in b["measurements"]:
        o = old.get(key(m))
        if not o:
            continue
        # Media and its nginx baselines compare in MB/s, the rest in req/s.
        bytes_wise = m["kind"] == "media" or m["id"].startswith("nginx")
        field = "bytes_per_s" if bytes_wise else "requests_per_s"
        scale = 1024**2 if bytes_wise else 1
        name = m["label"] if m["db"] == "-" else f"{m['db']} {m['songs']:,}: {m['label']}"
        if m["kind"] == "single":
            name += " (one at a time)"
        ratio = ""
        if o["ratio"] is not None and m["ratio"] is not None:
            ratio = f"{o['ratio']:.3f} → {m['ratio']:.3f}"
        if bytes_wise:
            name += " (MB/s)"
        print(f"{name[:58]:58} {o[field] / scale:>12,.0f} → {m[field] / scale:<12,.0f} "
              f"{change(o[field], m[field], True):>12} "
              f"{ms(o['p99_ms']):>9} → {ms(m['p99_ms']):<9} {change(o['p99_ms'], m['p99_ms'], False):>12} {ratio:>16}")
    old_memory = {(r["db"], r["songs"]): r for r in a["memory"]}
    for r in b["memory"]:
        o = old_memory.get((r["db"], r["songs"]))
        if o and "rss_peak_under_load_mb" in o:
            print(f"{r['db']} {r['songs']:,}: RSS idle {o['rss_idle_mb']} → {r['rss_idle_mb']} MB, "
                  f"under load {o['rss_peak_under_load_mb']} → {r['rss_peak_under_load_mb']} MB, "
                  f"serving media {o['rss_peak_media_mb']} → {r['rss_peak_media_mb']} MB, "
                  f"login {o['rss_peak_login_mb']} → {r['rss_peak_login_mb']} MB")
    old_import = {r["case"]: r for r in a.get("import", [])}
    for r in b.get("import", []):
        o = old_import.get(r["case"])
        if o:
            print(f"import, {r['case']} files: {o['import_files_per_s']:,.0f} → {r['import_files_per_s']:,.0f} files/s "
                  f"({change(o['import_files_per_s'], r['import_files_per_s'], True)}), "
                  f"÷ cp -r {o['ratio_to_cp']:.2f} → {r['ratio_to_cp']:.2f}")
    old_upload = {r["label"]: r for r in a.get("upload_verification", [])}
    for r in b.get("upload_verification", []):
        o = old_upload.get(r["label"])
        if o:
            print(f"upload verification, {r['label']}: {ms(o['complete_median_ms'])} → {ms(r['complete_median_ms'])} "
                  f"({change(o['complete_median_ms'], r['complete_median_ms'], False)})")


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "player-sizes":
        print(json.dumps(player_sizes(sys.argv[2]), indent=2))
    elif len(sys.argv) == 4 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
