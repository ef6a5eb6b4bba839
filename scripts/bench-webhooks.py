#!/usr/bin/env python3
"""The webhook outbox under the product benchmark's POST /preferences load.

usage: bench-webhooks.py BIN_DIR
Starts the release `velkommen serve` (rate limits off, private webhook targets allowed) with one endpoint
taking every event, a receiver on loopback that answers 204 (and verifies nothing: the speed of the
outbox is measured here, its correctness in scripts/webhook-test.py), and drives POST /preferences with
wrk at 64 connections for DURATION seconds (default 10), a new answer each time, as bench-product does.
Prints the saves per second, the events delivered per second during the load, and how long the outbox
took to drain afterwards.
"""
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402
from browser_test_support import free_port  # noqa: E402

DURATION = int(os.environ.get("DURATION", "10"))


def main(bin_dir):
    binary = os.path.join(bin_dir, "velkommen")
    folder = tempfile.mkdtemp(prefix="velkommen-bench-webhooks-")
    database = folder + "/v.sqlite"
    received = []

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            received.append(time.time())
            self.send_response(204)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *arguments):
            pass

    port = free_port()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    if os.environ.get("NO_ENDPOINT") != "1":
      subprocess.run([binary, "webhooks", "add", "--allow-private-webhook-targets", "--url", f"http://127.0.0.1:{port}/hooks", "--events",
                    "member.joined,member.updated,member.consents_changed,member.preferences_saved,member.erased", "--db", database],
                     check=True, capture_output=True)
    server = flows.Server(binary, database, 18701, folder + "/server.log", extra=["--no-rate-limits", "--allow-private-webhook-targets"])
    try:
        cookie = flows.log_in(server, "4712345678")
        csrf = flows.preferences_csrf(server, cookie)
        script = flows.preferences_script(os.path.join(folder, "preferences.lua"), csrf, cookie, prefix="Bench")
        time.sleep(1)
        before = len(received)
        started = time.time()
        out = subprocess.run(["wrk", "-t2", "-c64", f"-d{DURATION}s", "-s", script, f"http://127.0.0.1:{server.port}/preferences"],
                             capture_output=True, text=True, timeout=DURATION + 60).stdout
        ended = time.time()
        during = len([t for t in received[before:] if t <= ended])
        rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
        import sqlite3
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        events = connection.execute("SELECT count(*) FROM webhook_events").fetchone()[0]
        connection.close()
        deadline = time.time() + 600
        while len(received) < events and time.time() < deadline:
            time.sleep(0.5)
        drained = time.time() - ended
        print(f"POST /preferences c64 {DURATION} s: {rate:,.0f} saves/s, each with its event in the outbox; "
              f"delivered during the load {during / (ended - started):,.0f} events/s; the outbox of {events:,} events drained "
              f"{drained:.1f} s after the load ({len(received):,} delivered, {events / (ended - started + drained):,.0f} events/s overall)")
    finally:
        server.stop()
        receiver.shutdown()
        subprocess.run(["rm", "-rf", folder])


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
