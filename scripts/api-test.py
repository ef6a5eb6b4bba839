#!/usr/bin/env python3
"""Schemathesis against the running POS API, from its own OpenAPI document.

usage: api-test.py VELKOMMEN_BINARY
Starts `velkommen serve` (its simulator, rate limits off so that the fuzzer meets the API rather than
the limiter) with a POS API key, and runs every schemathesis check on both operations, following the
document's link from a started login to its status. Left out: `positive_data_acceptance`, because a
well-formed number that has no Vipps account is rightly refused (422 vipps-invalid-user), which no
schema can say. Exits non-zero on any failure.
"""
import os
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


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1])
