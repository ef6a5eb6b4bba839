#!/usr/bin/env python3
"""Schemathesis against the running POS API, from its own OpenAPI document.

usage: api-test.py VELKOMMEN_BINARY
Starts `velkommen serve` (its simulator, rate limits off so that the fuzzer meets the API rather than
the limiter) with a POS API key, and runs every schemathesis check on both operations, following the
document's link from a started login to its status. Left out: `positive_data_acceptance`, because a
well-formed number that has no Vipps account is rightly refused (422 vipps-invalid-user), which no
schema can say. Before the fuzzing, the forms the schema cannot pin down by itself: a number without
Vipps is refused at the till and by the API (422 no-vipps-user) in under a second with nothing
started, a scanned personal QR starts a login (clear text and a tokenized code exchanged through the
simulator's QR API), and a foreign code is a 422 foreign-qr. Exits non-zero on any failure.
"""
import json
import os
import re
import time
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402


def main(binary):
    folder = tempfile.mkdtemp(prefix="velkommen-api-test-")
    database = folder + "/v.sqlite"
    key = subprocess.run([binary, "apikey", "create", "--store", "oslo-1", "--label", "schemathesis", "--db", database],
                         check=True, capture_output=True, text=True).stdout.strip()
    server = flows.Server(binary, database, 18821, folder + "/server.log", extra=["--no-rate-limits"])
    try:
        before_the_start(server, key)
        result = subprocess.run(["schemathesis", "run", f"http://127.0.0.1:{server.port}/api/v1/openapi.json",
                                 "-H", f"Authorization: Bearer {key}", "--checks", "all", "--exclude-checks", "positive_data_acceptance",
                                 "--max-examples", os.environ.get("API_EXAMPLES", "100"), "--request-timeout", "10",
                                 "--seed", os.environ.get("API_SEED", "20261202")],
                                cwd=folder, capture_output=True, text=True, timeout=900)
        print(result.stdout[-6000:])
        log = open(folder + "/server.log").read()
        assert key.split("_", 2)[2] not in log, "the server log holds the API key"
        sys.exit(result.returncode)
    finally:
        server.stop()
        subprocess.run(["rm", "-rf", folder])


def before_the_start(server, key):
    api = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def post(body):
        status, _, text = flows.request(server.port, "POST", "/api/v1/logins", json.dumps(body).encode(), api)
        return status, json.loads(text)

    # A number without Vipps (the simulator's numbersWithoutVipps): refused fast, by the API and the till.
    started = time.monotonic()
    status, problem = post({"phone": "+47 90 00 00 00"})
    api_seconds = time.monotonic() - started
    assert status == 422 and problem["type"].endswith("/no-vipps-user"), (status, problem)
    _, headers, page = flows.request(server.port, "GET", "/pos")
    cookie = headers["set-cookie"][0].split(";")[0]
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    started = time.monotonic()
    status, _, page = flows.request(server.port, "POST", "/pos/logins", {"csrf": csrf, "phone": "90000000"}, {"Cookie": cookie})
    till_seconds = time.monotonic() - started
    assert status == 422 and "Ingen Vipps-bruker på dette nummeret" in page, status
    assert api_seconds < 1 and till_seconds < 1, f"a number without Vipps took {api_seconds:.3f} s (API), {till_seconds:.3f} s (till)"
    _, _, phone = flows.request(server.sim_port, "GET", "/phone/4790000000")
    assert "/confirm" not in phone, "nothing was started towards the number"
    print(f"no Vipps user refused in {api_seconds * 1000:.0f} ms (API) and {till_seconds * 1000:.0f} ms (till)")

    # Scanned personal QR codes: a clear-text Vipps code, and a tokenized MobilePay code through the exchange.
    for qr in ["https://qr.vipps.no/28/2/01/031/4791234567?v=1", "https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X"]:
        status, body = post({"qr": qr})
        assert status == 201, (qr, status, body)
    status, problem = post({"qr": "https://example.com/pay/1"})
    assert status == 422 and problem["type"].endswith("/foreign-qr"), (status, problem)
    status, problem = post({"phone": "41234567", "qr": "https://qr.vipps.no/28/2/01/031/4712345678"})
    assert status == 400 and problem["type"].endswith("/phone-and-qr"), (status, problem)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
