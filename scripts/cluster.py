"""Several `velkommen serve` instances on one database behind nginx, with one `velkommen simulator` as
Vipps: shared by scripts/multi-instance-test.py and scripts/bench-postgres.py."""
import http.client
import json
import os
import subprocess
import time

from flows import free_port

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SECRET = "one-secret-shared-by-every-instance-of-the-site"


def answers(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path, headers={"Connection": "close"})
        response = connection.getresponse()
        response.read()
        return response.status == 200
    finally:
        connection.close()


def wait_for(port, path, process, log, seconds=120):
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if answers(port, path):
                return
        except OSError:
            pass
        if process.poll() is not None:
            raise RuntimeError(f"exited with {process.returncode}; see {log}")
        time.sleep(0.1)
    raise RuntimeError(f"no answer on {path} within {seconds} s; see {log}")


class Cluster:
    """`instances` serve processes on `database`; with more than one, nginx round robin in front.
    `simulator_config`: a simulator configuration (users) to which the site's client is added."""

    def __init__(self, binary, folder, database, instances, extra=(), simulator_config=None, upstream_options=""):
        self.binary, self.folder, self.processes = binary, folder, []
        self.front, self.sim_port = free_port(), free_port()
        self.public = f"http://127.0.0.1:{self.front}"
        config = dict(simulator_config or {})
        config["clients"] = [{"id": "shop-client", "secret": "shop-secret", "authMethod": "client_secret_basic",
                              "redirectURIs": [self.public + "/callback", self.public + "/admin/callback"]}]
        path = folder + "/simulator.json"
        json.dump(config, open(path, "w"))
        self.simulator = self.start([binary, "simulator", "--port", str(self.sim_port), "--config", path], "simulator")
        wait_for(self.sim_port, "/access-management-1.0/access/.well-known/openid-configuration", self.simulator, folder + "/simulator.log")
        self.environment = {**os.environ, "VIPPS_CLIENT_ID": "shop-client", "VIPPS_CLIENT_SECRET": "shop-secret",
                            "VIPPS_ISSUER": f"http://127.0.0.1:{self.sim_port}/access-management-1.0/access/",
                            "VELKOMMEN_PUBLIC_URL": self.public, "VELKOMMEN_TRUSTED_PROXIES": "127.0.0.1",
                            "VELKOMMEN_DATABASE_URL": database, "VELKOMMEN_SECRET": SECRET}
        self.api_key = subprocess.run([binary, "apikey", "create", "--store", "oslo-1", "--label", "till"], env=self.environment,
                                      check=True, capture_output=True, text=True).stdout.strip().split()[-1]
        ports = [self.front] if instances == 1 else [free_port() for _ in range(instances)]
        self.instances = []
        for index, port in enumerate(ports):
            process = self.start([binary, "serve", "--port", str(port), *extra, "--templates", os.path.join(ROOT, "Templates"),
                                  "--public", os.path.join(ROOT, "Public")], f"instance{index}")
            wait_for(port, "/healthz", process, f"{folder}/instance{index}.log")
            self.instances.append((port, process))
        if instances > 1:
            self.nginx = self.start_nginx(ports, upstream_options)

    def start(self, command, name):
        process = subprocess.Popen(command, env=getattr(self, "environment", None), stdout=open(f"{self.folder}/{name}.log", "w"),
                                   stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def start_nginx(self, ports, upstream_options):
        nginx = self.folder + "/nginx"
        os.makedirs(nginx + "/logs", exist_ok=True)
        upstreams = "\n".join(f"        server 127.0.0.1:{port}{upstream_options};" for port in ports)
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
            proxy_set_header X-Forwarded-Proto http;
        }}
    }}
}}
""")
        process = self.start(["nginx", "-p", nginx, "-c", nginx + "/nginx.conf", "-g", "daemon off;"], "nginx")
        wait_for(self.front, "/healthz", process, self.folder + "/nginx.log")
        return process

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
