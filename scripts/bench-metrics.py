#!/usr/bin/env python3
"""What the request metrics cost: GET /welcome for a signed-in member, with and without them, same run.

usage: bench-metrics.py BIN_DIR
Starts the release `velkommen serve` twice, one after the other, on one database: once with
`--metrics-port 0` (every request counted by route, method and status, with its latency) and once
without (no metrics listener, so nothing counts requests). Each round runs wrk at 64 connections for
DURATION seconds (default 10) on each, alternating, ROUNDS times (default 3). Prints req/s and p99 of
each round and the median ratio.
"""
import os
import re
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402

DURATION = int(os.environ.get("DURATION", "10"))
ROUNDS = int(os.environ.get("ROUNDS", "3"))
PORT = 18501


def wrk(port, cookie):
    out = subprocess.run(["wrk", "-t2", "-c64", f"-d{DURATION}s", "--latency", "-H", f"Cookie: {cookie}",
                          f"http://127.0.0.1:{port}/welcome"], capture_output=True, text=True, timeout=DURATION + 60).stdout
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]


def main(bin_dir):
    binary = os.path.join(bin_dir, "velkommen")
    folder = tempfile.mkdtemp(prefix="velkommen-bench-metrics-")
    database = folder + "/v.sqlite"
    results = {"with": [], "without": []}
    try:
        for _ in range(ROUNDS):
            for variant in ("with", "without"):
                extra = ["--no-rate-limits"] + (["--metrics-port", "0"] if variant == "with" else [])
                server = flows.Server(binary, database, PORT, folder + "/server.log", extra=extra)
                try:
                    cookie = flows.log_in(server, "4712345678")
                    wrk(PORT, cookie)  # warm-up, as long as a round
                    results[variant].append(wrk(PORT, cookie))
                finally:
                    server.stop()
        print("| round | with metrics req/s | p99 ms | without req/s | p99 ms | ratio |")
        print("|---|---|---|---|---|---|")
        for index, (on, off) in enumerate(zip(results["with"], results["without"])):
            print(f"| {index + 1} | {on[0]:,.0f} | {on[1]:.2f} | {off[0]:,.0f} | {off[1]:.2f} | {on[0] / off[0]:.3f} |")
        ratio = statistics.median(on[0] / off[0] for on, off in zip(results["with"], results["without"]))
        print(f"\nGET /welcome (signed in), c64: with request metrics {ratio:.3f}x the rate without (median of {ROUNDS} rounds)")
    finally:
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
