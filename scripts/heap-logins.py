#!/usr/bin/env python3
"""Where memory stays behind per login: `velkommen serve` (release) under heaptrack while a client logs
members in, back to back, through the demo till and the simulator; then a graceful stop and
heaptrack's list of what was never freed, biggest first, with bytes per login.

usage: heap-logins.py BIN_DIR [SECONDS (default 300)] [RESULTS_DIR]
The simulator gets lifetimes of a minute (as in the soak), so its own records are forgotten during
the run and what is left is the app's (and the toolchain's).
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402
from soak import SIMULATOR_LIFETIMES  # noqa: E402

PORT = 18601


def server_pid(binary, port):
    """The velkommen process itself (heaptrack's wrapper does not pass signals on)."""
    real = os.path.realpath(binary)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            if os.path.realpath(f"/proc/{entry}/exe") == real and f"{port}".encode() in open(f"/proc/{entry}/cmdline", "rb").read():
                return int(entry)
        except OSError:
            continue
    raise RuntimeError("velkommen serve is not running")


def leak_sites(report, logins, limit=8):
    """The biggest leak sites of `heaptrack_print --print-leaks`, each with its first named frames.
    The report lists allocation functions ("… calls from") and under each its call sites ("… calls from:")."""
    section = report.split("MEMORY LEAKS", 1)[-1].splitlines()
    groups = []
    for line in section:
        match = re.match(r"^\s*([0-9.]+)([KMG]?)B? leaked over (\d+) calls from(:?)", line)
        if match:
            size = float(match.group(1)) * {"": 1, "K": 1024, "M": 1024**2, "G": 1024**3}[match.group(2)]
            entry = [size, int(match.group(3)), []]
            if match.group(4):
                groups[-1][1].append(entry)
            else:
                groups.append((entry, []))
        elif groups:
            frame = line.strip()
            current = groups[-1][1][-1] if groups[-1][1] else groups[-1][0]
            if frame and not frame.startswith(("in ", "at ", "0x")) and len(current[2]) < 3:
                current[2].append(frame)
    sites = [site for group, calls in groups for site in (calls or [group])]
    sites.sort(key=lambda site: -site[0])
    names = [frame for _, _, frames in sites[:limit] for frame in frames]
    demangled = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(names),
                               capture_output=True, text=True).stdout.splitlines() if names else []
    readable = dict(zip(names, demangled)) if len(demangled) == len(names) else {}
    rows = ["| bytes | calls | bytes per login | allocated in |", "|---:|---:|---:|---|"]
    for size, calls, frames in sites[:limit]:
        where = " ← ".join(readable.get(frame, frame)[:70] for frame in frames)
        rows.append(f"| {size / 1024:,.0f} KiB | {calls:,} | {size / max(logins, 1):,.0f} | {where} |")
    return "\n".join(rows)


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    if shutil.which("heaptrack") is None:
        sys.exit("heaptrack is not installed (apt-get install heaptrack)")
    bin_dir = sys.argv[1]
    seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 300
    results = sys.argv[3] if len(sys.argv) > 3 else tempfile.gettempdir()
    folder = tempfile.mkdtemp(prefix="velkommen-heap-")
    binary = os.path.join(bin_dir, "velkommen")
    simulator_config = os.path.join(folder, "simulator.json")
    with open(simulator_config, "w") as f:
        json.dump(SIMULATOR_LIFETIMES, f)
    trace = os.path.join(results, "heap-logins")
    server = flows.Server(binary, os.path.join(folder, "heap.sqlite"), PORT, os.path.join(results, "server-heap.log"),
                          extra=["--no-rate-limits", "--sim-config", simulator_config], wrapper=["heaptrack", "-o", trace])
    logins = 0
    try:
        started = time.time()
        while time.time() - started < seconds:
            flows.log_in(server, flows.MEMBERS[logins % len(flows.MEMBERS)][0])
            logins += 1
        os.kill(server_pid(binary, PORT), signal.SIGTERM)
        server.process.wait(timeout=300)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    report = subprocess.run(["heaptrack_print", "-f", trace + ".zst", "--print-leaks", "1", "--print-peaks", "0",
                             "--print-allocators", "0", "--print-temporary", "0"], capture_output=True, text=True).stdout
    totals = [line for line in report.splitlines() if line.startswith(("peak heap memory", "total memory leaked", "total runtime"))]
    print(f"## Memory left behind after {logins:,} logins in {seconds:g} s (heaptrack)\n")
    print("\n".join(f"- {line}" for line in totals))
    print(f"\n{leak_sites(report, logins)}")


if __name__ == "__main__":
    main()
