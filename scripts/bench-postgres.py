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
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
spec = importlib.util.spec_from_file_location("bench_product", os.path.join(HERE, "bench-product.py"))
product = importlib.util.module_from_spec(spec)
sys.modules["bench_product"] = product  # the login workers are pickled by module name
spec.loader.exec_module(product)
import flows  # noqa: E402

ROOT = os.path.dirname(HERE)
MEMBERS = int(os.environ.get("MEMBERS", "20000"))
CONNECTIONS = 64


def free_port():
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port, path, process, log):
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            if flows.request(port, "GET", path)[0] == 200:
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}; see {log}")
        time.sleep(0.1)
    raise RuntimeError(f"no answer on {path}; see {log}")


class Setup:
    """`instances` serve processes on `database` (behind nginx when more than one) and a simulator."""

    def __init__(self, binary, folder, database, instances):
        self.processes = []
        self.front = free_port()
        self.sim_port = free_port()
        ports = [free_port() for _ in range(instances)]
        public = f"http://127.0.0.1:{self.front}"
        users = product.simulator_users(folder)
        config = json.load(open(users))
        config["clients"] = [{"id": "bench-client", "secret": "bench-secret", "authMethod": "client_secret_basic",
                              "redirectURIs": [public + "/callback", public + "/admin/callback"]}]
        json.dump(config, open(users, "w"))
        log = folder + "/simulator.log"
        simulator = subprocess.Popen([binary, "simulator", "--port", str(self.sim_port), "--config", users],
                                     stdout=open(log, "w"), stderr=subprocess.STDOUT)
        self.processes.append(simulator)
        wait_for(self.sim_port, "/access-management-1.0/access/.well-known/openid-configuration", simulator, log)
        environment = {**os.environ, "VIPPS_CLIENT_ID": "bench-client", "VIPPS_CLIENT_SECRET": "bench-secret",
                       "VIPPS_ISSUER": f"http://127.0.0.1:{self.sim_port}/access-management-1.0/access/",
                       "VELKOMMEN_PUBLIC_URL": public, "VELKOMMEN_TRUSTED_PROXIES": "127.0.0.1",
                       "VELKOMMEN_DATABASE_URL": database, "VELKOMMEN_SECRET": "one-secret-shared-by-every-instance-of-the-site"}
        self.api_key = re.search(r"(vk_\S+)", subprocess.run([binary, "apikey", "create", "--store", "oslo-1", "--label", "bench"],
                                                              env=environment, check=True, capture_output=True, text=True).stdout).group(1)
        if instances == 1:
            ports = [self.front]
        for index, port in enumerate(ports):
            log = f"{folder}/instance{index}.log"
            process = subprocess.Popen([binary, "serve", "--port", str(port), "--no-rate-limits",
                                        "--templates", os.path.join(ROOT, "Templates"), "--public", os.path.join(ROOT, "Public")],
                                       env=environment, stdout=open(log, "w"), stderr=subprocess.STDOUT)
            self.processes.append(process)
            wait_for(port, "/healthz", process, log)
            self.pid = process.pid
        if instances > 1:
            nginx = folder + "/nginx"
            os.makedirs(nginx + "/logs", exist_ok=True)
            upstreams = "\n".join(f"        server 127.0.0.1:{port};" for port in ports)
            open(nginx + "/nginx.conf", "w").write(f"""
pid {nginx}/nginx.pid;
worker_processes 1;
error_log {nginx}/logs/error.log;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {nginx}/body;
    proxy_temp_path {nginx}/proxy;
    upstream velkommen {{
{upstreams}
        keepalive 128;
    }}
    server {{
        listen 127.0.0.1:{self.front};
        location / {{
            proxy_pass http://velkommen;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
        }}
    }}
}}
""")
            process = subprocess.Popen(["nginx", "-p", nginx, "-c", nginx + "/nginx.conf", "-g", "daemon off;"],
                                       stdout=open(nginx + "/logs/out.log", "w"), stderr=subprocess.STDOUT)
            self.processes.append(process)
            wait_for(self.front, "/healthz", process, nginx + "/logs/out.log")
        self.port = self.front

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


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
    setup = Setup(binary, folder, database, instances)
    rows = []
    try:
        cookie = log_in(setup, "4712345678")
        csrf = flows.preferences_csrf(setup, cookie)
        script = os.path.join(folder, "preferences.lua")
        with open(script, "w") as f:
            f.write(f"""
local counter = 0
request = function()
  counter = counter + 1
  local body = "csrf={csrf}&asked=wish&wish=Peanotter+" .. id .. "-" .. counter .. "&asked=favourite_store&favourite_store=oslo-1"
  return wrk.format("POST", nil, {{["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "{cookie}"}}, body)
end
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", tostring(threads))
end
""")
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
