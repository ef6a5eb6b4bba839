#!/usr/bin/env python3
"""Webhooks out, checked by a real receiver that verifies every delivery with the `standardwebhooks`
package (not with Velkommen's own code).

usage: webhook-test.py VELKOMMEN_BINARY
Registers an endpoint with `velkommen webhooks add`, starts the receiver and `velkommen serve` (its
simulator, `--allow-private-webhook-targets` since the receiver is on loopback), then: enrols Ada with a
login that ends on the web page and Per with one that ends in the Vipps app, saves Ada's preferences,
takes the receiver down, erases Ada, brings the receiver back, and checks that every event arrived once
(by webhook-id), signed, and in order per member. Then it saves preferences for four members from eight
clients and kills the server with SIGKILL in the middle: after a restart every acknowledged save's event
arrives (0 lost; a redelivery carries the same webhook-id). Prints the delivery latency from the
event's commit to the receiver (p50/p99).

Beside the verifying receiver three broken ones take every event throughout: one answers 200 and then
trickles a byte every 2 s, one streams a body without end, one is down (nothing listens). The verifying
one must still get every event within a minute, the server's RSS must stay within 64 MiB of its start,
and SIGTERM must end the server within 5 s while deliveries to the trickling one are in flight.

Last, the throughput under a steady 500 preference saves a second (five times a large chain's peak) for
20 s with one good endpoint (a fresh database, rate limits off): prints the outbox's backlog (the oldest
pending event's age, sampled) and p50/p99 from commit to the receiver's 2xx; fails when the backlog
passes 10 s, p99 passes 5 s, or the saves could not be driven at 80 % of the rate.
"""
import datetime
import http.server
import json
import os
import multiprocessing
import re
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402
from browser_test_support import check, free_port  # noqa: E402
from standardwebhooks import Webhook  # noqa: E402


class Receiver:
    """The merchant's system: verifies each delivery; answers 503 while `down`."""

    def __init__(self, port, secret):
        self.verifier = Webhook(secret)
        self.received = []  # (webhook-id, type, memberId) in arrival order
        self.latencies = []  # seconds from the event's commit to its arrival
        self.refused = 0
        self.down = False
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(handler):
                body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
                if receiver.down:
                    receiver.refused += 1
                    handler.send_response(503)
                    handler.end_headers()
                    return
                headers = {name.lower(): value for name, value in handler.headers.items()}
                try:
                    event = receiver.verifier.verify(body, headers)
                except Exception as error:  # a bad signature must fail the test, loudly
                    print("unverifiable delivery:", error)
                    handler.send_response(400)
                    handler.end_headers()
                    return
                receiver.received.append((headers["webhook-id"], event["type"], event["data"]["memberId"]))
                committed = datetime.datetime.fromisoformat(event["timestamp"].replace("Z", "+00:00")).timestamp()
                receiver.latencies.append(time.time() - committed)
                handler.send_response(204)
                handler.end_headers()

            def log_message(handler, *arguments):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def wait_for(self, count, seconds=60):
        """Waits until `count` distinct events (by webhook-id) arrived; a redelivery is not a new one."""
        deadline = time.time() + seconds
        while time.time() < deadline and self.distinct() < count:
            time.sleep(0.2)
        return self.distinct()

    def distinct(self):
        return len({entry[0] for entry in list(self.received)})


class BrokenReceiver:
    """A receiver that never answers properly: `trickle` sends 200 and then a byte every 2 s, `endless`
    sends 200 and a body without end. Plain sockets, a thread per connection."""

    def __init__(self, mode):
        self.mode, self.requests = mode, 0
        self.listener = socket.socket()
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                connection, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self.serve, args=(connection,), daemon=True).start()

    def serve(self, connection):
        try:
            data = b""
            while b"\r\n\r\n" not in data:
                chunk = connection.recv(65536)
                if not chunk:
                    return
                data += chunk
            self.requests += 1
            if self.mode == "trickle":
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                while True:
                    time.sleep(2)
                    connection.sendall(b"x")
            else:
                connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n")
                block = b"endless " * 8192
                while True:
                    connection.sendall(block)
        except OSError:
            pass
        finally:
            connection.close()


def add_endpoint(binary, database, url):
    return subprocess.run([binary, "webhooks", "add", "--allow-private-webhook-targets", "--url", url,
                           "--events", "member.joined,member.updated,member.consents_changed,member.preferences_saved,member.erased",
                           "--db", database], check=True, capture_output=True, text=True).stdout.split()


def main(binary):
    folder = tempfile.mkdtemp(prefix="velkommen-webhooks-")
    database = folder + "/v.sqlite"
    port = free_port()
    refused = subprocess.run([binary, "webhooks", "add", "--url", f"http://127.0.0.1:{port}/hooks", "--events", "member.joined",
                              "--db", database], capture_output=True, text=True)
    check(refused.returncode != 0 and "https" in refused.stderr, "webhooks add refuses plain http without --allow-private-webhook-targets")
    added = add_endpoint(binary, database, f"http://127.0.0.1:{port}/hooks")
    endpoint, secret = added[0], added[1]
    check(secret.startswith("whsec_"), f"webhooks add prints endpoint {endpoint} and its whsec_ secret once")
    receiver = Receiver(port, secret)
    trickle, endless = BrokenReceiver("trickle"), BrokenReceiver("endless")
    for url in [f"http://127.0.0.1:{trickle.port}/hooks", f"http://127.0.0.1:{endless.port}/hooks", f"http://127.0.0.1:{free_port()}/hooks"]:
        add_endpoint(binary, database, url)
    server = flows.Server(binary, database, free_port(), folder + "/server.log", extra=["--allow-private-webhook-targets"])
    rss_start = flows.rss_kib(server.process.pid)
    rss_peak = [rss_start]
    sampling = threading.Event()

    def sample_rss(process):
        while not sampling.is_set() and process.poll() is None:
            try:
                rss_peak[0] = max(rss_peak[0], flows.rss_kib(process.pid))
            except OSError:
                return
            time.sleep(0.2)

    threading.Thread(target=sample_rss, args=(server.process,), daemon=True).start()
    try:
        ada = flows.log_in(server, "4712345678")  # ends on the web page
        csrf = flows.preferences_csrf(server, ada)
        status, _, _ = flows.request(server.port, "POST", "/preferences",
                                     [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1")], {"Cookie": ada})
        check(status == 303, "Ada's preferences are saved")

        # Per enrols at the till with a login that ends in the Vipps app: no browser at all.
        _, headers, page = flows.request(server.port, "GET", "/pos")
        till = headers["set-cookie"][0].split(";")[0]
        token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
        flows.request(server.port, "POST", "/pos/logins", {"csrf": token, "phone": "98765432", "ending": "app"}, {"Cookie": till})
        _, _, phone = flows.request(server.sim_port, "GET", "/phone/4798765432")
        action = re.search(r'action="(/phone/4798765432/logins/[^"]+/confirm)"', phone).group(1)
        status, _, body = flows.request(server.sim_port, "POST", action, [])
        if 'name="consent"' in body:
            flows.request(server.sim_port, "POST", re.search(r'action="([^"]+/consents)"', body).group(1), [("consent", "email")])
        check(receiver.wait_for(3) >= 3, f"joined (both), preferences saved: {receiver.received}")

        receiver.down = True
        _, _, me = flows.request(server.port, "GET", "/me", headers={"Cookie": ada})
        token = re.search(r'name="csrf" value="([^"]+)"', me).group(1)
        status, _, _ = flows.request(server.port, "POST", "/me/delete", [("csrf", token), ("confirm", "yes")], {"Cookie": ada})
        check(status == 200, "Ada erases her data while the receiver is down")
        deadline = time.time() + 20
        while receiver.refused == 0 and time.time() < deadline:
            time.sleep(0.2)
        check(receiver.refused > 0, "the erasure was tried and refused while the receiver was down")
        receiver.down = False
        check(receiver.wait_for(4) == 4, f"after the receiver is back the erasure arrives: {receiver.received}")
        time.sleep(2)

        ids = [entry[0] for entry in receiver.received]
        check(len(ids) == len(set(ids)) == 4, f"every event once, by webhook-id ({len(ids)} received)")
        ada_events = [entry[1] for entry in receiver.received if entry[2] == "00000018"]
        check(ada_events == ["member.joined", "member.preferences_saved", "member.erased"], f"Ada's events in order: {ada_events}")
        check(any(entry[1] == "member.joined" and entry[2] != "00000018" for entry in receiver.received), "Per joined by the app ending")
        log = open(folder + "/server.log").read()
        check(secret not in log and "oslo-1\"" not in log, "the server log holds neither the secret nor a payload")
        check(trickle.requests > 0 and endless.requests > 0, f"the broken receivers were tried beside the good one "
                                                              f"(trickling: {trickle.requests}, endless: {endless.requests})")
        deadline, failed = time.time() + 30, 0
        while failed < 3 and time.time() < deadline:  # the trickling one fails at its 10 s deadline
            time.sleep(0.5)
            connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            failed = connection.execute("SELECT count(DISTINCT endpoint) FROM webhook_deliveries WHERE endpoint != ? AND attempts > 0 "
                                        "AND status = 'pending' AND last_error IS NOT NULL", (int(endpoint),)).fetchone()[0]
            connection.close()
        check(failed == 3, f"the trickling, endless and absent receivers have failed attempts recorded ({failed} of 3 endpoints)")
        sampling.set()
        grown = (rss_peak[0] - rss_start) / 1024
        check(grown < 64, f"the server's RSS stayed within 64 MiB of its start: {rss_start // 1024} MiB at start, peak "
                          f"{rss_peak[0] // 1024} MiB (+{grown:.1f} MiB)")

        # kill -9 while saves and deliveries are in flight: nothing acknowledged may be lost.
        cookies = [flows.log_in(server, msisdn) for msisdn, _ in flows.MEMBERS]
        acknowledged = []
        lock = threading.Lock()
        stop = threading.Event()

        def save(cookie, client):
            try:
                csrf = flows.preferences_csrf(server, cookie)
            except OSError:
                return
            number = 0
            while not stop.is_set():
                number += 1
                value = f"c{client}-{number}"
                try:
                    status, _, _ = flows.request(server.port, "POST", "/preferences",
                                                 [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1" if number % 2 else "bergen-1")],
                                                 {"Cookie": cookie}, timeout=5)
                except OSError:
                    return
                if status == 303:
                    with lock:
                        acknowledged.append(value)

        threads = [threading.Thread(target=save, args=(cookies[index % len(cookies)], index)) for index in range(8)]
        before_burst = len(receiver.latencies)
        for thread in threads:
            thread.start()
        time.sleep(1.5)
        at_kill = len(receiver.latencies)
        server.process.kill()
        server.process.wait()
        stop.set()
        for thread in threads:
            thread.join()
        saved_events = len(acknowledged)
        server = flows.Server(binary, database, server.port, folder + "/server.log", extra=["--allow-private-webhook-targets"],
                              sim_port=server.sim_port)
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        committed = connection.execute("SELECT count(*) FROM webhook_events WHERE type = 'member.preferences_saved'").fetchone()[0]
        expected = connection.execute("SELECT count(*) FROM webhook_events").fetchone()[0]  # the endpoint takes every type
        connection.close()
        check(committed >= saved_events, f"every acknowledged save has its event in the outbox ({committed} events for {saved_events} acknowledged saves)")
        arrived = receiver.wait_for(expected, seconds=120)
        unique = {entry[0] for entry in receiver.received}
        check(len(unique) >= expected, f"after kill -9 and a restart every committed event arrived: {len(unique)} of {expected} (0 lost)")
        duplicates = len(receiver.received) - len(unique)
        # Latency while the server runs under the burst; what arrives after the restart waited out the kill.
        latencies = sorted(receiver.latencies[before_burst:at_kill]) or [0.0]
        p50, p99 = latencies[len(latencies) // 2], latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(f"webhooks: every event once, signed, in order, through a receiver outage; kill -9 lost 0 of {committed} events "
              f"({duplicates} redelivered with the same webhook-id); delivery latency from commit while 8 clients save: "
              f"p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms over {at_kill - before_burst} deliveries")

        # SIGTERM while a delivery to the trickling receiver is in flight (a new event makes sure of one).
        flows.request(server.port, "POST", "/preferences", [("csrf", flows.preferences_csrf(server, cookies[0])), ("asked", "favourite_store"),
                                                             ("favourite_store", "tromso-1")], {"Cookie": cookies[0]})
        before = trickle.requests
        deadline = time.time() + 15
        while trickle.requests == before and time.time() < deadline:
            time.sleep(0.1)
        started = time.time()
        server.process.terminate()
        try:
            server.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
        took = time.time() - started
        check(server.process.poll() is not None and took < 5,
              f"SIGTERM ended the server in {took:.1f} s with a delivery to the trickling receiver in flight "
              f"({'in flight' if trickle.requests > before else 'none started'})")
        server.log.close()
        throughput(binary, folder)
    finally:
        server.stop()
        receiver.server.shutdown()
        subprocess.run(["rm", "-rf", folder])


def paced_saves(port, cookies_and_csrfs, rate, seconds, counts):
    """One process: saves preferences at `rate` a second in all, round-robin over the members, on
    keep-alive connections, 8 threads; `counts` gets [sent, acknowledged]."""
    import http.client
    import urllib.parse
    lock = threading.Lock()
    totals = [0, 0]
    start = time.time()
    threads_n = 8

    def run(index):
        connection = None
        number = 0
        cookie, csrf = cookies_and_csrfs[index % len(cookies_and_csrfs)]
        interval = threads_n / rate
        next_at = start + index * (1 / rate)
        while True:
            now = time.time()
            if now - start >= seconds:
                break
            if next_at > now:
                time.sleep(next_at - now)
            next_at += interval
            number += 1
            body = urllib.parse.urlencode([("csrf", csrf), ("asked", "wish"), ("wish", f"load {index}-{number}")])
            try:
                if connection is None:
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("POST", "/preferences", body=body, headers={
                    "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"})
                response = connection.getresponse()
                response.read()
                ok = response.status == 303
            except (OSError, http.client.HTTPException):
                connection, ok = None, False
            with lock:
                totals[0] += 1
                totals[1] += ok
    workers = [threading.Thread(target=run, args=(index,)) for index in range(threads_n)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    counts[0], counts[1] = totals


def throughput(binary, folder):
    """A steady 500 saves a second for 20 s with one good endpoint: the outbox's backlog and the delay
    from commit to the receiver's 2xx."""
    rate, seconds = 500, 20
    database = folder + "/throughput.sqlite"
    port = free_port()
    arrivals = []  # (commit time, arrival time)

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(handler):
            body = handler.rfile.read(int(handler.headers.get("Content-Length", "0")))
            arrived = time.time()
            handler.send_response(204)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            stamp = json.loads(body)["timestamp"]
            arrivals.append((datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).timestamp(), arrived))

        def log_message(handler, *arguments):
            pass

    good = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=good.serve_forever, daemon=True).start()
    add_endpoint(binary, database, f"http://127.0.0.1:{port}/hooks")
    server = flows.Server(binary, database, free_port(), folder + "/throughput.log",
                          extra=["--allow-private-webhook-targets", "--no-rate-limits"])
    try:
        members = []
        for msisdn, _ in flows.MEMBERS:
            cookie = flows.log_in(server, msisdn)
            members.append((cookie, flows.preferences_csrf(server, cookie)))
        time.sleep(1)
        arrivals.clear()
        since = time.time()  # the logins' own events are not part of the measurement
        counts = multiprocessing.Array("l", 2)
        load = multiprocessing.Process(target=paced_saves, args=(server.port, members, rate, seconds, counts))
        started = time.time()
        load.start()
        backlog = 0.0
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=5) as connection:
            while load.is_alive():
                oldest = connection.execute("SELECT min(e.created_at) FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event "
                                            "WHERE d.status = 'pending'").fetchone()[0]
                if oldest is not None:
                    backlog = max(backlog, time.time() - oldest)
                time.sleep(0.25)
            load.join()
            elapsed = time.time() - started
            sent, acknowledged = counts[0], counts[1]
            expected = connection.execute("SELECT count(*) FROM webhook_events WHERE created_at >= ?", (since,)).fetchone()[0]
        deadline = time.time() + 60
        while len([1 for committed, _ in list(arrivals) if committed >= since]) < expected and time.time() < deadline:
            time.sleep(0.2)
        arrivals[:] = [(committed, arrived) for committed, arrived in arrivals if committed >= since]
        delays = sorted(arrived - committed for committed, arrived in arrivals) or [0.0]
        p50, p99 = delays[len(delays) // 2], delays[min(len(delays) - 1, int(len(delays) * 0.99))]
        print(f"webhooks under load: {acknowledged / elapsed:.0f} saves/s acknowledged ({sent} sent, {acknowledged} acknowledged in "
              f"{elapsed:.1f} s), {len(arrivals)} of {expected} events delivered; outbox backlog at most {backlog:.2f} s; "
              f"commit to 2xx p50 {p50 * 1000:.0f} ms, p99 {p99 * 1000:.0f} ms")
        check(acknowledged >= 0.8 * rate * seconds, f"the load ran at {acknowledged / elapsed:.0f} saves/s (at least 80 % of {rate}/s)")
        check(len(arrivals) >= expected, f"every event under load arrived ({len(arrivals)} of {expected})")
        check(backlog < 10, f"the outbox never held more than a few seconds of events ({backlog:.2f} s; bar 10 s)")
        check(p99 < 5, f"p99 from commit to the receiver's 2xx is under 5 s ({p99 * 1000:.0f} ms)")
    finally:
        server.stop()
        good.shutdown()


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
