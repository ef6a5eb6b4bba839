#!/usr/bin/env python3
"""The product on each database, same run (issue: more than one instance).

usage: bench-postgres.py BIN_DIR   (VELKOMMEN_TEST_POSTGRES names a PostgreSQL server; scripts/bench starts one)
Runs the product benchmark's three loads (the signed-in GET /welcome, POST /preferences writing a new
answer each time, full logins through a Vipps simulator) at 64 connections on:
- one instance on SQLite,
- one instance on PostgreSQL,
- two instances on one PostgreSQL behind nginx (round robin),
each on a database of MEMBERS (default 20,000) demo members, with one `velkommen simulator` as Vipps for
all. Prints a Markdown table with req/s, p50 and p99, and the ratio of each row to SQLite's.
"""
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
spec = importlib.util.spec_from_file_location("bench_product", os.path.join(HERE, "bench-product.py"))
product = importlib.util.module_from_spec(spec)
sys.modules["bench_product"] = product  # the login workers are pickled by module name
spec.loader.exec_module(product)
import cluster  # noqa: E402
import flows  # noqa: E402

MEMBERS = int(os.environ.get("MEMBERS", "20000"))
CONNECTIONS = 64


def cluster_for(binary, folder, database, instances):
    """The instances on `database` behind nginx (one alone is reached directly), with the simulator's 2,000 users."""
    users = json.load(open(product.simulator_users(folder)))
    setup = cluster.Cluster(binary, folder, database, instances, extra=["--no-rate-limits"], simulator_config=users)
    setup.port = setup.front
    return setup


def log_in(setup, msisdn):
    """A login through the POS API and the simulated phone; returns the session cookie."""
    status, _, text = flows.request(setup.port, "POST", "/api/v1/logins", json.dumps({"phone": msisdn[2:], "consents": False}),
                                    {"Authorization": "Bearer " + setup.api_key, "Content-Type": "application/json"})
    assert status == 201, f"start {status} {text[:200]}"
    page = flows.request(setup.sim_port, "GET", f"/phone/{msisdn}")[2]
    action = re.search(rf'action="(/phone/{msisdn}/logins/[^"]+/confirm)"', page).group(1)
    _, headers, _ = flows.request(setup.sim_port, "POST", action, [])
    location = headers["location"][0]
    _, headers, _ = flows.request(setup.port, "GET", location[location.index("/callback"):])
    return flows.cookie_pair(headers, "velkommen_session")


def measure(binary, name, database, instances):
    folder = tempfile.mkdtemp(prefix="velkommen-pgbench-")
    subprocess.run([binary, "seed-demo", "--members", str(MEMBERS), "--db", database], check=True, stdout=subprocess.DEVNULL)
    setup = cluster_for(binary, folder, database, instances)
    rows = []
    try:
        cookie = log_in(setup, "4712345678")
        csrf = flows.preferences_csrf(setup, cookie)
        script = flows.preferences_script(os.path.join(folder, "preferences.lua"), csrf, cookie)
        url = f"http://127.0.0.1:{setup.port}"
        rows.append((name, "GET /welcome, signed in", product.wrk(url + "/welcome", CONNECTIONS, [f"Cookie: {cookie}"])))
        rows.append((name, "POST /preferences", product.wrk(url + "/preferences", CONNECTIONS, script=script)))
        rows.append((name, "full logins/s", product.logins(setup, setup.api_key, CONNECTIONS)))
    finally:
        setup.stop()
    return rows


def main(bin_dir):
    binary = os.path.join(bin_dir, "velkommen")
    server = os.environ.get("VELKOMMEN_TEST_POSTGRES")
    if not server:
        sys.exit("VELKOMMEN_TEST_POSTGRES is not set")
    rows = []
    folder = tempfile.mkdtemp(prefix="velkommen-pgbench-sqlite-")
    rows += measure(binary, "1 instance, SQLite", os.path.join(folder, "bench.sqlite"), 1)
    for instances in (1, 2):
        name = f"velkommen_bench_{instances}_{os.getpid()}"
        subprocess.run(["psql", server, "-qc", f"CREATE DATABASE {name}"], check=True)
        try:
            rows += measure(binary, f"{instances} instance{'s' if instances > 1 else ''}, PostgreSQL", server.rsplit("/", 1)[0] + "/" + name, instances)
        finally:
            subprocess.run(["psql", server, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)
    sqlite = {scenario: result["rps"] for setup, scenario, result in rows if setup.endswith("SQLite")}
    print(f"## The product on SQLite and PostgreSQL (c{CONNECTIONS}, {MEMBERS:,} demo members, same run)\n")
    print("| setup | scenario | req/s | p50 ms | p99 ms | errors | ratio to SQLite |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for setup, scenario, result in rows:
        print(f"| {setup} | {scenario} | {result['rps']:,.0f} | {result['p50']:.2f} | {result['p99']:.2f} | {result['errors']} | "
              f"{result['rps'] / sqlite[scenario]:.2f} |")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
