#!/usr/bin/env python3
"""Soak: `velkommen serve` (release) under moderate mixed load for a while; RSS must stay flat and no file
descriptor may leak (issue: prove it under load).

usage: soak.py BIN_DIR [MINUTES (default 10)] [RESULTS_DIR]
The database starts with SOAK_MEMBERS (default 50,000) demo members, as a merchant's would: SQLite's
page caches then fill in the warm-up instead of growing with an empty database for the whole soak.
Load: wrk with 16 connections cycling through the signed-in welcome page, the offers, a static file, a
404 and a preference save, plus a full login through the simulator every 200 ms. Every 10 s it samples
the server's RSS and open descriptors. The first SOAK_WARMUP minutes (default 3: the simulator's
records live a minute, are forgotten a minute after that, and swept once a minute) are the warm-up.
It passes when RSS in the last minute is within 5 % (and 4 MiB) of RSS at the end of the warm-up, and
the descriptors after the load are back to where they were before.

To find what grows, either half can be switched off: SOAK_LOGINS=0 (no logins), SOAK_REQUESTS=0 (no wrk).
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402

PORT = 18501
# Vipps keeps its logins, codes and tokens; the simulator that stands in for it shares our process, so
# the soak gives them lifetimes of a minute: they reach their steady state within the soak, and what
# the RSS shows after that is the app's own.
SIMULATOR_LIFETIMES = {"loginLifetime": 60, "codeLifetime": 30, "accessTokenLifetime": 60, "forgetAfter": 60}


def mixed_script(path, cookie, csrf):
    body = urllib.parse.urlencode([("csrf", csrf), ("asked", "wish"), ("wish", "Nøtter")])
    with open(path, "w") as f:
        f.write(f"""
local cookie = "{cookie}"
local requests = {{}}
local n = 0
init = function(args)
  requests[1] = wrk.format("GET", "/welcome", {{["Cookie"] = cookie}})
  requests[2] = wrk.format("GET", "/offers", {{["Cookie"] = cookie}})
  requests[3] = wrk.format("GET", "/public/css/velkommen.css")
  requests[4] = wrk.format("GET", "/no-such-page")
  requests[5] = wrk.format("POST", "/preferences", {{["Cookie"] = cookie, ["Content-Type"] = "application/x-www-form-urlencoded"}}, "{body}")
  requests[6] = wrk.format("GET", "/me", {{["Cookie"] = cookie}})
end
request = function()
  n = n + 1
  return requests[(n % #requests) + 1]
end
""")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    bin_dir = sys.argv[1]
    minutes = float(sys.argv[2]) if len(sys.argv) > 2 else 10
    results = sys.argv[3] if len(sys.argv) > 3 else tempfile.gettempdir()
    folder = tempfile.mkdtemp(prefix="velkommen-soak-")
    simulator_config = os.path.join(folder, "simulator.json")
    with open(simulator_config, "w") as f:
        json.dump(SIMULATOR_LIFETIMES, f)
    database = os.path.join(folder, "soak.sqlite")
    members = int(os.environ.get("SOAK_MEMBERS", "50000"))
    warmup = float(os.environ.get("SOAK_WARMUP", "3")) * 60
    if members > 0:
        subprocess.run([os.path.join(bin_dir, "velkommen"), "seed-demo", "--members", str(members), "--db", database],
                       check=True, stdout=subprocess.DEVNULL)
    server = flows.Server(os.path.join(bin_dir, "velkommen"), database, PORT,
                          os.path.join(results, "server-soak.log"), extra=["--no-rate-limits", "--sim-config", simulator_config])
    pid = server.process.pid
    samples = []
    stop = threading.Event()
    logins = [0, 0]
    try:
        fds_before = flows.open_fds(pid)
        cookie = flows.log_in(server, "4712345678")
        script = os.path.join(folder, "mixed.lua")
        mixed_script(script, cookie, flows.preferences_csrf(server, cookie))

        def keep_logging_in():
            while not stop.wait(0.2):
                try:
                    flows.log_in(server, flows.MEMBERS[logins[0] % len(flows.MEMBERS)][0])
                    logins[0] += 1
                except Exception:  # noqa: BLE001 - counted, the soak goes on
                    logins[1] += 1

        login_thread = threading.Thread(target=keep_logging_in, daemon=True)
        if os.environ.get("SOAK_LOGINS", "1") != "0":
            login_thread.start()
        seconds = int(minutes * 60)
        load = None
        if os.environ.get("SOAK_REQUESTS", "1") != "0":
            load = subprocess.Popen(["wrk", "-t1", "-c16", f"-d{seconds}s", "--timeout", "5s", "-s", script,
                                     f"http://127.0.0.1:{PORT}/"], stdout=subprocess.PIPE, text=True)
        started = time.time()
        while (load.poll() is None) if load else (time.time() - started < seconds):
            samples.append((time.time() - started, flows.rss_kib(pid), flows.open_fds(pid)))
            time.sleep(10)
        stop.set()
        if login_thread.is_alive():
            login_thread.join(timeout=30)
        output = load.stdout.read() if load else ""
        time.sleep(1)
        fds_after = flows.open_fds(pid)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)

    requests = [line for line in output.splitlines() if "requests in" in line or "Requests/sec" in line or "Non-2xx" in line]
    warm = [rss for (t, rss, _) in samples if t >= warmup] or [samples[-1][1]]
    last = [rss for (t, rss, _) in samples if t >= samples[-1][0] - 60]
    growth = max(last) - warm[0]
    measured = samples[-1][0] - min((t for (t, _, _) in samples if t >= warmup), default=samples[-1][0])
    total = next((int(line.split()[0]) for line in output.splitlines() if "requests in" in line), 0)
    in_window = total * measured / max(samples[-1][0], 1)
    print(f"## Soak: {minutes:g} minutes of mixed load (16 connections) and a login every 200 ms, "
          f"on a database of {members:,} members\n")
    print("\n".join(f"- wrk: {line.strip()}" for line in requests))
    print(f"- logins through the simulator: {logins[0]} ({logins[1]} failed)")
    print(f"- RSS at the end of the {warmup / 60:g}-minute warm-up {warm[0] / 1024:.1f} MiB, highest in the last minute "
          f"{max(last) / 1024:.1f} MiB (growth {growth / 1024:+.1f} MiB"
          + (f", {growth * 1024 / in_window:+.2f} bytes per request" if in_window else "")
          + f"); peak over the run {max(s[1] for s in samples) / 1024:.1f} MiB")
    print(f"- open descriptors: {fds_before} before the load, up to {max(s[2] for s in samples)} during, {fds_after} after")
    print("\n| minute | RSS MiB | descriptors |\n|---:|---:|---:|")
    for t, rss, fds in samples[::6]:
        print(f"| {t / 60:.1f} | {rss / 1024:.1f} | {fds} |")
    flat = growth <= max(0.05 * warm[0], 4 * 1024)
    print(f"\nRSS flat: {'yes' if flat else 'NO'}; descriptors back: {'yes' if fds_after <= fds_before + 2 else 'NO'}")
    sys.exit(0 if flat and fds_after <= fds_before + 2 and logins[1] == 0 else 1)


if __name__ == "__main__":
    main()
