#!/usr/bin/env python3
"""Three `velkommen serve` instances on one PostgreSQL database behind nginx (round robin), with a
separately started `velkommen simulator` as Vipps, one instance killed with kill -9 in the middle.

usage: multi-instance-test.py VELKOMMEN_BINARY   (VELKOMMEN_TEST_POSTGRES names the server; scripts/test
starts one)

Checks:
- the per-phone rate limit holds for the site: three instances allow three starts, not nine;
- full logins (POS API start, the phone confirms, the callback and /welcome through nginx, each request
  to whichever instance nginx picks) while members save preferences, one instance killed mid-run:
  every acknowledged save is in the database, no login landed twice, every customer reached /welcome
  greeted by name, and the till's status only ever went forward (pending, confirmed, landed, completed)
  and ended landed or completed;
- a member changed on one instance (language) is seen on the others within a second.
Exits non-zero, with the reason, when one of these does not hold.
"""
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import cluster  # noqa: E402

ORDER = ["pending", "confirmed", "landed", "completed"]
# Simulated Vipps users (TestUser.seeded) and their given names; the first is kept for the rate-limit check.
USERS = [("4712345678", "Ada"), ("4791234567", "Ola"), ("4741111111", "Kari"), ("4798765432", "Per")]
LIMITED = "4744444444"
# Each phone may start 3 logins at once (then one a minute): two here, and one more for the last check.
LOGINS = 2
SAVES = 40
failures = []


def check(condition, what):
    print(("ok    " if condition else "FAIL  ") + what)
    if not condition:
        failures.append(what)


def request(port, method, path, body=None, headers=None, timeout=15):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        all_headers = {"Connection": "close", **(headers or {})}
        if isinstance(body, (dict, list)) and all_headers.get("Content-Type") != "application/json":
            body = urllib.parse.urlencode(body).encode()
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        return response.status, {name.lower(): value for name, value in response.getheaders()}, text, response.msg.get_all("Set-Cookie") or []
    finally:
        connection.close()


def psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-c", sql], check=True, capture_output=True, text=True).stdout.strip()


class Site(cluster.Cluster):
    """The three instances, the simulator and nginx, with what the test asks of them."""

    def __init__(self, binary, folder, database_url):
        super().__init__(binary, folder, database_url, 3, upstream_options=" max_fails=1 fail_timeout=5s")

    def start_login(self, msisdn):
        return request(self.front, "POST", "/api/v1/logins", json.dumps({"phone": msisdn[2:], "store": "oslo-1", "consents": True}),
                       {"Authorization": "Bearer " + self.api_key, "Content-Type": "application/json"})

    def login_status(self, login_id):
        status, _, text, _ = request(self.front, "GET", f"/api/v1/logins/{login_id}", headers={"Authorization": "Bearer " + self.api_key})
        return json.loads(text)["status"] if status == 200 else None

    def confirm_on_phone(self, msisdn):
        """The phone confirms its newest login; returns the callback path with the code."""
        for _ in range(50):
            page = request(self.sim_port, "GET", f"/phone/{msisdn}")[2]
            found = re.search(rf'action="(/phone/{msisdn}/logins/[^"]+/confirm)"', page)
            if found:
                break
            time.sleep(0.1)
        if not found:
            raise RuntimeError(f"no login waits on the phone {msisdn}")
        status, headers, page, _ = request(self.sim_port, "POST", found.group(1), [])
        if status == 200 and 'name="consent"' in page:
            consents = re.search(r'action="([^"]+/consents)"', page).group(1)
            status, headers, page, _ = request(self.sim_port, "POST", consents, [("consent", "sms")])
        return urllib.parse.urlparse(headers["location"]).path + "?" + urllib.parse.urlparse(headers["location"]).query


class Run:
    """Logins one after another per member, and preference saves by members already in, in threads."""

    def __init__(self, site):
        self.site = site
        self.lock = threading.Lock()
        self.acknowledged, self.statuses, self.welcomed, self.errors = set(), {}, [], []
        self.refused = 0
        self.stop = threading.Event()

    def member(self, msisdn, name, logins):
        for round_number in range(logins):
            try:
                self.one_login(msisdn, name, round_number)
            except Exception as error:  # noqa: BLE001 - every failure is reported, none stops the others
                with self.lock:
                    self.errors.append(f"{name} login {round_number}: {error!r}")

    def one_login(self, msisdn, name, round_number):
        status, _, text, _ = self.site.start_login(msisdn)
        if status != 201:
            raise RuntimeError(f"start answered {status} {text[:120]}")
        login_id = json.loads(text)["id"]
        seen = ["pending"]
        callback = self.site.confirm_on_phone(msisdn)
        seen.append(self.site.login_status(login_id))
        status, headers, _, cookies = request(self.site.front, "GET", callback)
        if status != 303:
            raise RuntimeError(f"the callback answered {status}")
        cookie = next(c.split(";")[0] for c in cookies if c.startswith("velkommen_session="))
        welcome = request(self.site.front, "GET", "/welcome", headers={"Cookie": cookie})
        with self.lock:
            self.welcomed.append((name, welcome[0] == 200 and name in welcome[2]))
        seen.append(self.site.login_status(login_id))
        page = request(self.site.front, "GET", "/preferences?change=1", headers={"Cookie": cookie})[2]
        csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        for number in range(SAVES):
            value = f"{name}-{round_number}-{number}"
            try:
                saved = request(self.site.front, "POST", "/preferences", [("csrf", csrf), ("changing", "1"), ("asked", "wish"), ("wish", value)],
                                {"Cookie": cookie})[0]
            except (OSError, http.client.HTTPException):
                with self.lock:
                    self.refused += 1
                continue
            with self.lock:
                if saved == 303:
                    self.acknowledged.add(value)
                else:
                    self.refused += 1
        seen.append(self.site.login_status(login_id))
        with self.lock:
            self.statuses[login_id] = seen


def main(binary):
    database = os.environ.get("VELKOMMEN_TEST_POSTGRES")
    if not database:
        sys.exit("VELKOMMEN_TEST_POSTGRES is not set (scripts/test starts a server)")
    name = "velkommen_multi_" + str(os.getpid())
    psql(database, f"CREATE DATABASE {name}")
    url = database.rsplit("/", 1)[0] + "/" + name
    folder = tempfile.mkdtemp(prefix="velkommen-multi-")
    site = None
    try:
        site = Site(os.path.abspath(binary), folder, url)
        report = subprocess.run([site.binary, "check"], env=site.environment, capture_output=True, text=True).stdout
        versions = re.search(r"schema version (\d+) of (\d+)", report)
        check(versions is not None and versions.group(1) == versions.group(2) == psql(url, "SELECT version FROM velkommen_schema"),
              f"three instances started at once migrated the database once, to the newest version ({versions and versions.group(0)})")

        answers = [site.start_login(LIMITED)[0] for _ in range(4)]
        check(answers == [201, 201, 201, 429], f"one phone's limit holds for the site across three instances (got {answers})")

        run = Run(site)
        threads = [threading.Thread(target=run.member, args=(msisdn, member, LOGINS)) for msisdn, member in USERS]
        for thread in threads:
            thread.start()
        # Mid-run: once a third of the saves are in, while logins and saves are in flight.
        started = time.time()
        while len(run.acknowledged) < len(USERS) * LOGINS * SAVES // 3 and time.time() - started < 120:
            time.sleep(0.01)
        victim_port, victim = site.instances[1]
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        print(f"      killed the instance on port {victim_port} with kill -9 after {len(run.acknowledged)} saves, {time.time() - started:.1f} s in")
        for thread in threads:
            thread.join(timeout=300)

        check(not run.errors, "every login went through while an instance died" + ("" if not run.errors else ": " + "; ".join(run.errors[:5])))
        stored = set(psql(url, "SELECT value FROM answers WHERE question = 'wish'").split("\n")) - {""}
        lost = run.acknowledged - stored
        check(not lost and run.acknowledged, f"every acknowledged save is in the database ({len(run.acknowledged)} acknowledged, {run.refused} not, {len(lost)} lost)")
        doubles = psql(url, """SELECT count(*) FROM (SELECT login_request_id FROM funnel_events WHERE kind = 'confirmed'
                               AND login_request_id IS NOT NULL GROUP BY login_request_id HAVING count(*) > 1) AS twice""")
        receipts = psql(url, """SELECT count(*) FROM (SELECT login_request_id FROM consent_receipts WHERE login_request_id IS NOT NULL
                                GROUP BY login_request_id HAVING count(*) > 1) AS twice""")
        check(doubles == "0" and receipts == "0", f"no login landed twice ({doubles} confirmed twice, {receipts} with two receipts)")
        check(len(run.welcomed) == len(USERS) * LOGINS and all(ok for _, ok in run.welcomed),
              f"every customer reached /welcome greeted by name ({sum(ok for _, ok in run.welcomed)} of {len(USERS) * LOGINS})")
        backwards = {login: seen for login, seen in run.statuses.items()
                     if None in seen or [ORDER.index(s) for s in seen] != sorted(ORDER.index(s) for s in seen) or seen[-1] not in ("landed", "completed")}
        check(len(run.statuses) == len(USERS) * LOGINS and not backwards,
              f"the till's status only went forward and ended landed or completed ({len(backwards)} did not: {list(backwards.values())[:3]})")

        # A member changed through one instance is seen through the others within a second.
        survivors = [port for port, process in site.instances if process.poll() is None]
        status = site.start_login(USERS[0][0])[0]
        check(status == 201, f"a third login for one phone is allowed ({status})")
        callback = site.confirm_on_phone(USERS[0][0])
        _, _, _, cookies = request(survivors[0], "GET", callback)
        cookie = next(c.split(";")[0] for c in cookies if c.startswith("velkommen_session="))
        for port in survivors:
            request(port, "GET", "/welcome?lang=nb", headers={"Cookie": cookie})
        request(survivors[0], "GET", "/welcome?lang=en", headers={"Cookie": cookie})
        time.sleep(1.1)
        languages = [request(port, "GET", "/welcome", headers={"Cookie": cookie})[2] for port in survivors]
        check(all('lang="en"' in page for page in languages), "a language chosen on one instance is shown by the others within a second")
    finally:
        if site:
            site.stop()
        subprocess.run(["psql", database, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)
    if failures:
        print(f"{len(failures)} checks failed; logs in {folder}")
        sys.exit(1)
    print("multi-instance test passed")


if __name__ == "__main__":
    main(sys.argv[1])
