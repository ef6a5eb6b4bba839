#!/usr/bin/env python3
"""Compares the `app` peer with Hummingbird in one anchors run and checks the HTTP server's targets.

usage: bench-compare.py RESULTS_DIR   (the OUT folder of the anchors' run.sh)
Targets (issue: foundation): req/s >= 1.2x Hummingbird on /hello c64 and c256 and on POST /form;
p99 no higher than Hummingbird's; peak RSS <= 25 MiB. Each repeat is compared with the same repeat.
"""
import csv
import os
import sys
from collections import defaultdict


def rows(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def main(out):
    http = rows(os.path.join(out, "http.tsv"))
    rss = rows(os.path.join(out, "rss.tsv"))
    by = defaultdict(dict)
    for r in http:
        by[(r["scenario"], int(r["conns"]), r["rep"])][r["peer"]] = r
    print("## Velkommen (app) against Hummingbird, same run\n")
    print("| request | conns | rep | app req/s | HB req/s | ratio | app p99 ms | HB p99 ms | target met |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|")
    failures = []
    for (scenario, conns, rep), peers in sorted(by.items()):
        if "app" not in peers or "hummingbird" not in peers:
            continue
        app, hb = peers["app"], peers["hummingbird"]
        ratio = float(app["rps"]) / float(hb["rps"])
        needs_ratio = scenario in ("hello", "form")
        ok_ratio = ratio >= 1.2 or not needs_ratio
        ok_p99 = float(app["p99_ms"]) <= float(hb["p99_ms"])
        errors = int(app["socket_errors"]) + int(app["non2xx3xx"])
        met = ok_ratio and ok_p99 and errors == 0
        if not met:
            failures.append(f"{scenario} c{conns} r{rep}")
        print(f"| {scenario} | {conns} | {rep} | {int(app['rps']):,} | {int(hb['rps']):,} | {ratio:.2f} | "
              f"{float(app['p99_ms']):.2f} | {float(hb['p99_ms']):.2f} | {'yes' if met else 'NO'}"
              f"{'' if needs_ratio else ' (p99 only)'}{'' if errors == 0 else f', {errors} errors'} |")
    print("\n| peer | rep | RSS after start MiB | peak RSS (VmHWM) MiB | target <= 25 MiB |")
    print("|---|---:|---:|---:|---|")
    for r in rss:
        peak = int(r["peak_vmhwm_kb"]) / 1024
        ok = peak <= 25 or r["peer"] != "app"
        if not ok:
            failures.append(f"RSS r{r['rep']}")
        print(f"| {r['peer']} | {r['rep']} | {int(r['rss_after_start_kb']) / 1024:.1f} | {peak:.1f} | "
              f"{('yes' if ok else 'NO') if r['peer'] == 'app' else '-'} |")
    print()
    print("all targets met" if not failures else "targets missed: " + ", ".join(failures))


if __name__ == "__main__":
    main(sys.argv[1])
