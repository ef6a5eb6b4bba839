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
"""
import datetime
import http.server
import json
import os
import re
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


def main(binary):
    folder = tempfile.mkdtemp(prefix="velkommen-webhooks-")
    database = folder + "/v.sqlite"
    port = free_port()
    added = subprocess.run([binary, "webhooks", "add", "--url", f"http://127.0.0.1:{port}/hooks",
                            "--events", "member.joined,member.updated,member.consents_changed,member.preferences_saved,member.erased",
                            "--db", database], check=True, capture_output=True, text=True).stdout.split()
    endpoint, secret = added[0], added[1]
    check(secret.startswith("whsec_"), f"webhooks add prints endpoint {endpoint} and its whsec_ secret once")
    receiver = Receiver(port, secret)
    server = flows.Server(binary, database, free_port(), folder + "/server.log", extra=["--allow-private-webhook-targets"])
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
        import sqlite3
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
    finally:
        server.stop()
        receiver.server.shutdown()
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
