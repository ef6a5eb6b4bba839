#!/usr/bin/env python3
"""The production recipe, run for real: nginx terminating TLS in front of `velkommen serve`.

usage: deploy-test.py VELKOMMEN_BINARY
Makes a self-signed certificate, starts `velkommen simulator` on its own (as Vipps), `velkommen serve`
configured as for real Vipps (VIPPS_CLIENT_ID, VIPPS_ISSUER at that simulator, --public-url https://…,
--trusted-proxy 127.0.0.1) and nginx (Debian nginx-light) with deploy/nginx/velkommen.conf, its ports
and certificate swapped for the test's. Then, through https only:
  - the POS API starts a login; the phone confirms; the redirect URI Vipps sends the phone to is the
    https public URL;
  - the landing sets only Secure cookies, with HSTS, and greets the customer; so do the till and /login;
  - nginx speaks HTTP/2 to browsers;
  - two customers from different addresses (127.0.0.2 and 127.0.0.3) have separate callback limits, and
    a forged X-Forwarded-For does not escape one;
  - a wrong client secret makes `velkommen check` fail naming VIPPS_CLIENT_SECRET;
  - staff log in through https and upload a 1.5 MB image through nginx (it is stored and served); a
    body over the app's own limit is refused by nginx already;
  - the app runs as one unprivileged user (as root: uid 65534) with the units' UMask, on a state folder
    of its own, and the backup unit's own command, run as that same user while the app serves, makes a
    copy (run as another user it cannot: why the units share one user); `velkommen secret rotate` runs as
    that user too;
  - systemd-analyze verifies the unit files (where systemd is installed).
"""
import http.client
import json
import os
import re
import shutil
import sqlite3
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(__file__))
from browser_test_support import check, free_port  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class Https:
    """Requests through nginx from a given loopback source address, trusting the test certificate."""

    def __init__(self, port, certificate, source="127.0.0.1"):
        self.port, self.source = port, source
        self.context = ssl.create_default_context(cafile=certificate)
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPSConnection("127.0.0.1", self.port, context=self.context, source_address=(self.source, 0), timeout=15)
        try:
            all_headers = {"Connection": "close", **(headers or {})}
            if self.cookies:
                all_headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
            if isinstance(body, dict):
                body = json.dumps(body).encode()
                all_headers["Content-Type"] = "application/json"
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
            set_cookies = [value for name, value in response.getheaders() if name.lower() == "set-cookie"]
            for value in set_cookies:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";")[0]
            return response.status, dict((name.lower(), value) for name, value in response.getheaders()), text, set_cookies
        finally:
            connection.close()


def wait_for(url_check, what, process, log):
    deadline = time.time() + 60
    while time.time() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{open(log).read()[-3000:]}")
        try:
            if url_check():
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"{what} did not come up:\n{open(log).read()[-3000:]}")


def plain_get(port, path):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


def nginx_site(https_port, app_port, certificate, key):
    """deploy/nginx/velkommen.conf with the test's ports and certificate; the rest as shipped."""
    site = open(os.path.join(ROOT, "deploy/nginx/velkommen.conf")).read()
    site = site.replace("server 127.0.0.1:8080;", f"server 127.0.0.1:{app_port};")
    site = re.sub(r"listen 80;\n\s*listen \[::\]:80;", f"listen 127.0.0.1:{free_port()};", site)
    site = re.sub(r"listen 443 ssl http2;\n\s*listen \[::\]:443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;", site)
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {certificate};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    check("server 127.0.0.1:8080" not in site and certificate in site, "the shipped nginx site runs with the test's ports and certificate")
    return site


def verify_units(binary, folder):
    if not shutil.which("systemd-analyze"):
        print("skipped: systemd-analyze is not installed, unit files not verified")
        return
    units = os.path.join(folder, "units")
    os.makedirs(units)
    for name in ["velkommen.service", "velkommen-backup.service", "velkommen-backup.timer"]:
        text = open(os.path.join(ROOT, "deploy/systemd", name)).read().replace("/usr/local/bin/velkommen", binary)
        open(os.path.join(units, name), "w").write(text)
    result = subprocess.run(["systemd-analyze", "verify", *[os.path.join(units, name) for name in os.listdir(units)]],
                            capture_output=True, text=True)
    problems = [line for line in (result.stdout + result.stderr).splitlines()
                if line.strip() and "EnvironmentFile" not in line and "credential" not in line.lower()]
    check(result.returncode == 0 and not problems, f"systemd-analyze verifies the unit files {problems}")

APP_UID = 65534


def as_user(uid):
    """The command prefix that runs a program as `uid` (as root, with setpriv); none otherwise: then the
    test's own user is the one user of both the app and its backup."""
    if os.geteuid() != 0 or not shutil.which("setpriv"):
        return []
    return ["setpriv", f"--reuid={uid}", f"--regid={uid}", "--clear-groups"]


def upload_image(https_port, certificate, public, sim_port):
    """Staff log in through https (the simulator plays Vipps) and upload a 1.5 MB image through nginx."""
    admin = Https(https_port, certificate, source="127.0.0.4")
    status, headers, _, _ = admin.request("GET", "/admin/login")
    authorize = urllib.parse.urlsplit(headers.get("location", ""))
    check(status == 302 and authorize.port == sim_port, f"/admin/login sends staff to Vipps ({status})")
    simulator = {}

    def sim(method, path, form=None):
        connection = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded"} if form is not None else {}
            if simulator:
                headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in simulator.items())
            connection.request(method, path, body=urllib.parse.urlencode(form).encode() if form is not None else None, headers=headers)
            response = connection.getresponse()
            for name, value in response.getheaders():
                if name.lower() == "set-cookie":
                    cookie, _, _ = value.partition(";")
                    simulator[cookie.partition("=")[0]] = cookie.partition("=")[2]
            return response.status, response.getheader("Location"), response.read().decode()
        finally:
            connection.close()

    _, _, page = sim("GET", authorize.path + "?" + authorize.query)
    session = re.search(r'name="session" value="([^"]+)"', page).group(1)
    sim("POST", "/access-management-1.0/access/oauth2/auth/phone", {"session": session, "phone": "4712345678"})
    _, location, _ = sim("POST", "/access-management-1.0/access/oauth2/auth/decision", {"session": session, "decision": "confirm"})
    check(location is not None and location.startswith(public + "/admin/callback?"), "Vipps sends staff back to /admin/callback")
    status, _, _, _ = admin.request("GET", location[len(public):])
    check(status == 303 and "velkommen_staff" in admin.cookies, f"staff are logged in through nginx ({status})")
    _, _, page, _ = admin.request("GET", "/admin/pages/media")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)

    def upload(size):
        image = b"\x89PNG\r\n\x1a\n" + os.urandom(size - 8)
        boundary = "----velkommen-deploy-test"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"alt\"\r\n\r\nA big picture\r\n"
                f"--{boundary}\r\nContent-Disposition: form-data; name=\"image\"; filename=\"big.png\"\r\n"
                "Content-Type: image/png\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
        return admin.request("POST", "/admin/pages/media", body=body,
                             headers={"Content-Type": "multipart/form-data; boundary=" + boundary, "Origin": public})

    status, headers, text, _ = upload(1_500_000)
    added = headers.get("location", "")
    check(status == 303 and "added=" in added, f"a 1.5 MB image uploads through nginx ({status} {text[:120]})")
    status, _, text, _ = admin.request("GET", "/media/" + added.split("added=")[1])
    check(status == 200, f"and is served through nginx ({status})")
    status = upload(2_300_000)[0]
    check(status == 413, f"a body over the app's limit is refused by nginx already ({status})")


def backup_as_app_user(binary, state, as_app):
    """velkommen-backup.service's own command, run as the app's user while the app serves."""
    unit = open(os.path.join(ROOT, "deploy/systemd/velkommen-backup.service")).read().replace("\\\n", " ")
    command = re.search(r"^ExecStart=/bin/sh -c '(.*)'$", unit, re.MULTILINE).group(1)
    command = command.replace("%%", "%").replace("/var/lib/velkommen", state).replace("/usr/local/bin/velkommen", binary)
    check(re.search(r"^User=velkommen$", unit, re.MULTILINE) is not None and "DynamicUser" not in unit,
          "the backup unit runs as the app's user, not a dynamic one")
    service = open(os.path.join(ROOT, "deploy/systemd/velkommen.service")).read()
    check(re.search(r"^User=velkommen$", service, re.MULTILINE) is not None and "DynamicUser" not in service,
          "the app unit runs as that same user")
    result = subprocess.run(as_app + ["/bin/sh", "-c", command], capture_output=True, text=True, preexec_fn=lambda: os.umask(0o077))
    copies = os.listdir(state + "/backups") if os.path.isdir(state + "/backups") else []
    check(result.returncode == 0 and len(copies) == 1, f"the backup unit's command, as the app's user, makes a copy ({result.stderr[-300:]})")
    copy = sqlite3.connect(f"file:{state}/backups/{copies[0]}?mode=ro", uri=True)
    check(copy.execute("SELECT count(*) FROM staff").fetchone()[0] == 1, "the copy holds the live database")
    copy.close()
    if as_app:
        other = subprocess.run(as_user(APP_UID - 1) + ["/bin/sh", "-c", command], capture_output=True, text=True)
        check(other.returncode != 0, "run as another user, the same command cannot read the app's state")


def main(binary):
    binary = os.path.abspath(binary)
    folder = tempfile.mkdtemp(prefix="velkommen-deploy-")
    certificate, key = folder + "/cert.pem", folder + "/key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", key, "-out", certificate],
                   check=True, capture_output=True)
    https_port, app_port, sim_port = free_port(), free_port(), free_port()
    public = f"https://127.0.0.1:{https_port}"
    simulator_config = folder + "/simulator.json"
    json.dump({"clients": [{"id": "shop-client", "secret": "shop-secret", "authMethod": "client_secret_basic",
                            "redirectURIs": [public + "/callback", public + "/admin/callback"]}]}, open(simulator_config, "w"))
    state = folder + "/state"
    os.makedirs(state)
    database = state + "/velkommen.sqlite"
    issuer = f"http://127.0.0.1:{sim_port}/access-management-1.0/access/"
    environment = {**os.environ, "VIPPS_CLIENT_ID": "shop-client", "VIPPS_CLIENT_SECRET": "shop-secret", "VIPPS_ISSUER": issuer,
                   "VELKOMMEN_PUBLIC_URL": public, "VELKOMMEN_TRUSTED_PROXIES": "127.0.0.1"}
    api_key = subprocess.run([binary, "apikey", "create", "--store", "oslo-1", "--label", "till", "--db", database],
                             check=True, capture_output=True, text=True).stdout.strip()
    subprocess.run([binary, "staff", "add", "--phone", "4712345678", "--role", "admin", "--db", database], check=True, capture_output=True)
    processes = []
    try:
        sim_log = folder + "/simulator.log"
        simulator = subprocess.Popen([binary, "simulator", "--port", str(sim_port), "--config", simulator_config],
                                     stdout=open(sim_log, "w"), stderr=subprocess.STDOUT)
        processes.append(simulator)
        wait_for(lambda: plain_get(sim_port, "/access-management-1.0/access/.well-known/openid-configuration")[0] == 200,
                 "velkommen simulator", simulator, sim_log)

        checked = subprocess.run([binary, "check", "--db", database], env=environment, capture_output=True, text=True)
        check(checked.returncode == 0, "velkommen check passes for the real-Vipps configuration:\n" + checked.stdout)
        wrong = subprocess.run([binary, "check", "--db", database], env={**environment, "VIPPS_CLIENT_SECRET": "nope"},
                               capture_output=True, text=True)
        check(wrong.returncode != 0 and "FAIL  vipps credentials" in wrong.stdout and "VIPPS_CLIENT_SECRET" in wrong.stdout,
              "with a wrong client secret, velkommen check fails and names VIPPS_CLIENT_SECRET")

        # The state folder belongs to the app's user alone (StateDirectoryMode=0700, UMask=0077).
        as_app = as_user(APP_UID)
        if as_app:
            os.chmod(folder, 0o711)
            for path in [state] + [os.path.join(state, name) for name in os.listdir(state)]:
                os.chown(path, APP_UID, APP_UID)
        os.chmod(state, 0o700)
        app_log = folder + "/velkommen.log"
        app = subprocess.Popen(as_app + [binary, "serve", "--port", str(app_port), "--db", database,
                                         "--templates", os.path.join(ROOT, "Templates"), "--public", os.path.join(ROOT, "Public")],
                               env=environment, stdout=open(app_log, "w"), stderr=subprocess.STDOUT, preexec_fn=lambda: os.umask(0o077))
        processes.append(app)
        wait_for(lambda: plain_get(app_port, "/healthz")[0] == 200, "velkommen serve", app, app_log)

        nginx_folder = folder + "/nginx"
        os.makedirs(nginx_folder + "/logs")
        open(nginx_folder + "/site.conf", "w").write(nginx_site(https_port, app_port, certificate, key))
        open(nginx_folder + "/nginx.conf", "w").write(f"""
pid {nginx_folder}/nginx.pid;
error_log {nginx_folder}/logs/error.log;
events {{ worker_connections 256; }}
http {{
    access_log {nginx_folder}/logs/access.log;
    client_body_temp_path {nginx_folder}/body;
    proxy_temp_path {nginx_folder}/proxy;
    include {nginx_folder}/site.conf;
}}
""")
        nginx_log = nginx_folder + "/logs/stdout.log"
        nginx = subprocess.Popen(["nginx", "-p", nginx_folder, "-c", nginx_folder + "/nginx.conf", "-g", "daemon off;"],
                                 stdout=open(nginx_log, "w"), stderr=subprocess.STDOUT)
        processes.append(nginx)
        till = Https(https_port, certificate)
        wait_for(lambda: till.request("GET", "/healthz")[0] == 200, "nginx", nginx, nginx_log)

        status, _, text, _ = till.request("GET", "/readyz")
        check(status == 200 and '"status":"ready"' in text, f"/readyz through nginx: ready, from the background probe ({status} {text})")

        if shutil.which("curl"):
            version = subprocess.run(["curl", "-s", "--http2", "--cacert", certificate, "-o", "/dev/null", "-w", "%{http_version}",
                                      public + "/welcome"], capture_output=True, text=True).stdout
            check(version == "2", f"nginx speaks HTTP/2 to browsers (got {version})")

        # A whole login through https: the POS API, the phone, the landing.
        status, _, text, _ = till.request("POST", "/api/v1/logins", {"phone": "12345678", "store": "oslo-1", "consents": True},
                                          {"Authorization": "Bearer " + api_key})
        check(status == 201, f"the POS API starts a login through nginx ({status} {text[:200]})")
        phone = plain_get(sim_port, "/phone/4712345678")[1]
        action = re.search(r'action="(/phone/4712345678/logins/[^"]+/confirm)"', phone).group(1)
        connection = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
        connection.request("POST", action, body=b"", headers={"Content-Type": "application/x-www-form-urlencoded"})
        response = connection.getresponse()
        page = response.read().decode()
        location = response.getheader("Location")
        if response.status == 200 and 'name="consent"' in page:
            consents = re.search(r'action="([^"]+/consents)"', page).group(1)
            connection = http.client.HTTPConnection("127.0.0.1", sim_port, timeout=10)
            connection.request("POST", consents, body=b"consent=sms", headers={"Content-Type": "application/x-www-form-urlencoded"})
            response = connection.getresponse()
            response.read()
            location = response.getheader("Location")
        check(location is not None and location.startswith(public + "/callback?"),
              f"the redirect URI Vipps received is the https public URL ({(location or '')[:len(public) + 10]}…)")
        customer = Https(https_port, certificate, source="127.0.0.2")
        path = location[len(public):]
        status, headers, _, cookies = customer.request("GET", path)
        check(status == 303 and headers.get("location") == "/welcome", f"the landing through nginx answers 303 to /welcome ({status})")
        check(cookies and all("Secure" in cookie for cookie in cookies), "every cookie the landing sets is Secure")
        check("max-age=" in headers.get("strict-transport-security", ""), "responses carry HSTS")
        status, _, text, _ = customer.request("GET", "/welcome")
        check(status == 200 and "Hei, Ada!" in text, "the customer is greeted by name over https")
        for name, client, path in [("the till", Https(https_port, certificate), "/pos"), ("/login", Https(https_port, certificate), "/login")]:
            _, _, _, cookies = client.request("GET", path)
            check(cookies and all("Secure" in cookie for cookie in cookies), f"every cookie {name} sets is Secure")

        # Rate limits per client behind the proxy.
        flood = Https(https_port, certificate, source="127.0.0.2")
        statuses = [flood.request("GET", f"/callback?code=junk{index}", headers={"X-Forwarded-For": f"198.51.100.{index}"})[0]
                    for index in range(25)]
        check(429 in statuses, "one client's junk callbacks are limited, whatever X-Forwarded-For it forges")
        other = Https(https_port, certificate, source="127.0.0.3")
        status = other.request("GET", "/callback?code=someone-else")[0]
        check(status == 400, f"another customer's landing is not limited by the first one's junk ({status})")

        upload_image(https_port, certificate, public, sim_port)
        backup_as_app_user(binary, state, as_app)
        rotated = subprocess.run(as_app + [binary, "secret", "rotate", "--db", database], capture_output=True, text=True)
        check(rotated.returncode == 0 and "new cookie key" in rotated.stdout, f"velkommen secret rotate, as the app's user ({rotated.stderr[-200:]})")
        refused = subprocess.run([binary, "secret", "rotate", "--db", database], capture_output=True, text=True,
                                 env={**os.environ, "VELKOMMEN_SECRET": "x" * 40})
        check(refused.returncode != 0 and "VELKOMMEN_SECRET_PREVIOUS" in refused.stderr + refused.stdout,
              "with VELKOMMEN_SECRET set, secret rotate says how to rotate that instead")
        peak = re.search(r"VmHWM:\s+(\d+) kB", open(f"/proc/{app.pid}/status").read())
        print(f"velkommen serve's peak RSS in this run: {int(peak.group(1)) // 1024} MiB" if peak else "peak RSS: unknown")

        verify_units(binary, folder)
        log = open(app_log).read()
        check(api_key.split("_", 2)[2] not in log and "code=" not in log, "the server log holds no API key and no login code")
        print("deployment: the nginx + TLS recipe works end to end")
    finally:
        for process in reversed(processes):
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
