"""What the benchmarks and process tests do to a running `velkommen serve` (with its simulator), in one place:
start and stop it, log a member in through the demo till and the simulated phone, save preferences."""
import http.client
import os
import re
import socket
import subprocess
import time
import urllib.parse

# Simulated Vipps users with an ordinary account (TestUser.seeded): phone number and given name.
MEMBERS = [("4712345678", "Ada"), ("4791234567", "Ola"), ("4741111111", "Kari"), ("4798765432", "Per")]


class Server:
    """`velkommen serve` on a port, with the simulator on a port of its own, logging to `log_path`."""

    def __init__(self, binary, database, port, log_path, extra=(), wrapper=(), sim_port=None):
        """`wrapper` runs the server under another program (heaptrack); `process` is then the wrapper's.
        The simulator's port is one the kernel just handed out (not `port + 1`: a port next to a free one
        may be the local end of a recent client connection still in TIME_WAIT, and the bind then fails);
        pass `sim_port` to restart a server where it was."""
        self.binary, self.database, self.port = binary, database, port
        self.sim_port = sim_port or free_port()
        self.log = open(log_path, "a")
        self.process = subprocess.Popen([*wrapper, binary, "serve", "--port", str(port), "--sim-port", str(self.sim_port),
                                         "--db", database, *extra], stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if request(port, "GET", "/healthz")[0] == 200:
                    return
            except OSError:
                time.sleep(0.1)
            if self.process.poll() is not None:
                raise RuntimeError(f"velkommen serve exited with {self.process.returncode}; see {log_path}")
        raise RuntimeError("velkommen serve did not answer /healthz within 60 s")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def request(port, method, path, body=None, headers=None, timeout=10):
    """One request on its own connection; returns (status, headers as a dict of lists, body text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        payload = urllib.parse.urlencode(body).encode() if isinstance(body, (dict, list)) else body
        all_headers = {"Connection": "close", **(headers or {})}
        if isinstance(body, (dict, list)):
            all_headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=payload, headers=all_headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        found = {}
        for name, value in response.getheaders():
            found.setdefault(name.lower(), []).append(value)
        return response.status, found, text
    finally:
        connection.close()


def cookie_pair(headers, name):
    for value in headers.get("set-cookie", []):
        if value.startswith(name + "="):
            return value.split(";")[0]
    raise KeyError(f"no {name} cookie")


def log_in(server, msisdn):
    """Starts a login at the demo till, confirms it on the simulated phone, lands; returns the session cookie."""
    code = confirmed_code(server, msisdn)
    status, headers, _ = request(server.port, "GET", f"/callback?code={code}")
    assert status == 303, f"the callback did not land {msisdn}: {status}"
    return cookie_pair(headers, "velkommen_session")


def confirmed_code(server, msisdn):
    """Starts a login at the demo till and confirms it on the simulated phone; returns the code the phone's
    browser would bring to /callback, without bringing it."""
    _, headers, page = request(server.port, "GET", "/pos")
    till_cookie = headers["set-cookie"][0].split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    status, _, _ = request(server.port, "POST", "/pos/logins", {"csrf": csrf, "phone": msisdn[2:]}, {"Cookie": till_cookie})
    assert status in (200, 303), f"the till could not start a login for {msisdn}: {status}"
    _, _, phone = request(server.sim_port, "GET", f"/phone/{msisdn}")
    action = re.search(rf'action="(/phone/{msisdn}/logins/[^"]+/confirm)"', phone).group(1)
    status, headers, page = request(server.sim_port, "POST", action, [])
    if status == 200 and 'name="consent"' in page:
        consents = re.search(r'action="([^"]+/consents)"', page).group(1)
        status, headers, _ = request(server.sim_port, "POST", consents, [("consent", "sms")])
    return urllib.parse.parse_qs(urllib.parse.urlparse(headers["location"][0]).query)["code"][0]


def preferences_csrf(server, cookie):
    _, _, page = request(server.port, "GET", "/preferences", headers={"Cookie": cookie})
    return re.search(r'name="csrf" value="([^"]+)"', page).group(1)


def save_wish(server, cookie, csrf, value, timeout=10):
    """Saves a free-text answer; True when the app acknowledged it (303)."""
    status, _, _ = request(server.port, "POST", "/preferences",
                           [("csrf", csrf), ("asked", "wish"), ("wish", value)], {"Cookie": cookie}, timeout=timeout)
    return status == 303


def preferences_script(path, csrf, cookie, prefix="Peanotter"):
    """A wrk script that saves the preferences with a new wish value on every request (an unchanged
    answer is skipped, and then the benchmark would measure a transaction that writes nothing)."""
    with open(path, "w") as f:
        f.write(f"""
local counter = 0
request = function()
  counter = counter + 1
  local body = "csrf={csrf}&asked=wish&wish={prefix}+" .. id .. "-" .. counter
    .. "&asked=favourite_store&favourite_store=oslo-1"
  return wrk.format("POST", nil, {{["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "{cookie}"}}, body)
end
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", tostring(threads))
end
""")
    return path


def stored_answers(database):
    """Every wish answer in the database (history included), read with SQLite itself."""
    import sqlite3
    connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok", "integrity_check failed"
        return {row[0] for row in connection.execute("SELECT value FROM answers WHERE question = 'wish'")}
    finally:
        connection.close()


def status_kib(pid, field):
    """A memory figure of the process from /proc: VmRSS (now) or VmHWM (peak), in KiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def rss_kib(pid):
    return status_kib(pid, "VmRSS")


def peak_rss_kib(pid):
    return status_kib(pid, "VmHWM")


def open_fds(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))
