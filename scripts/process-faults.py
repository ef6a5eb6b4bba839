#!/usr/bin/env python3
"""The real `velkommen serve` process under faults, with preference saves in flight (issue: load and faults).

usage: process-faults.py VELKOMMEN_BINARY [WORK_DIR]
1. kill -9 in the middle of a burst of preference saves by four members: after a restart every save
   the app acknowledged (303) is in the database, and the database passes integrity_check.
2. SIGTERM in the middle of such a burst: the process exits 0 within the grace period, no response is
   cut off half-way, and every acknowledged save is in the database.
Exits non-zero, with the reason, when one of these does not hold.
"""
import http.client
import os
import shutil
import signal
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flows  # noqa: E402

WORKERS_PER_MEMBER = 2


class Burst:
    """Threads that save numbered answers as fast as the app takes them, each remembering what was acknowledged."""

    def __init__(self, server, members):
        self.acknowledged, self.cut_off, self.refused = set(), [], 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = []
        for index, (cookie, csrf) in enumerate(members):
            for worker in range(WORKERS_PER_MEMBER):
                thread = threading.Thread(target=self.run, args=(server, cookie, csrf, f"m{index}w{worker}"), daemon=True)
                self.threads.append(thread)
                thread.start()

    def run(self, server, cookie, csrf, name):
        number = 0
        while not self.stop.is_set():
            value = f"{name}-{number}"
            number += 1
            try:
                if flows.save_wish(server, cookie, csrf, value, timeout=20):
                    with self.lock:
                        self.acknowledged.add(value)
            except (ConnectionRefusedError, ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
                # Refused or closed before an answer: nothing was acknowledged.
                with self.lock:
                    self.refused += 1
                time.sleep(0.01)
            except http.client.IncompleteRead as error:
                with self.lock:
                    self.cut_off.append(repr(error))

    def count(self):
        with self.lock:
            return len(self.acknowledged)

    def finish(self):
        self.stop.set()
        for thread in self.threads:
            thread.join(timeout=30)


def signed_in_members(server):
    members = []
    for msisdn, _ in flows.MEMBERS:
        cookie = flows.log_in(server, msisdn)
        members.append((cookie, flows.preferences_csrf(server, cookie)))
    return members


def wait_for(burst, count, seconds=30):
    deadline = time.time() + seconds
    while burst.count() < count and time.time() < deadline:
        time.sleep(0.02)
    if burst.count() < count:
        raise AssertionError(f"only {burst.count()} saves acknowledged in {seconds} s")


def server_in_a_burst(binary, folder, name, port):
    """A fresh server with four members saving preferences as fast as it takes them, 2,000 saves in."""
    database, log = os.path.join(folder, name + ".sqlite"), os.path.join(folder, name + ".log")
    server = flows.Server(binary, database, port, log)
    burst = Burst(server, signed_in_members(server))
    wait_for(burst, 2000)
    return server, burst, database, log


def kill_nine(binary, folder):
    server, burst, database, log = server_in_a_burst(binary, folder, "kill", 18301)
    server.process.send_signal(signal.SIGKILL)
    server.process.wait()
    burst.finish()
    acknowledged = set(burst.acknowledged)
    # Restart on the same file: SQLite recovers the write-ahead log, the app migrates nothing new.
    server = flows.Server(binary, database, 18301, log)
    try:
        missing = acknowledged - flows.stored_answers(database)
    finally:
        server.stop()
    print(f"- kill -9 during a burst of preference saves (4 members, {len(burst.threads)} clients): "
          f"{len(acknowledged)} saves acknowledged before the kill, {len(missing)} missing after the restart, integrity ok")
    if missing:
        raise AssertionError(f"acknowledged saves lost after kill -9: {sorted(missing)[:5]}")


def terminate(binary, folder):
    server, burst, database, _ = server_in_a_burst(binary, folder, "term", 18311)
    sent = time.time()
    server.process.send_signal(signal.SIGTERM)
    code = server.process.wait(timeout=30)
    stopped = time.time() - sent
    burst.finish()
    server.log.close()
    missing = set(burst.acknowledged) - flows.stored_answers(database)
    print(f"- SIGTERM during a burst of preference saves: exit {code} after {stopped:.2f} s, "
          f"{len(burst.acknowledged)} saves acknowledged, {len(missing)} missing, {len(burst.cut_off)} responses cut off, "
          f"{burst.refused} requests refused after the listener closed")
    if code != 0:
        raise AssertionError(f"exit code {code} after SIGTERM")
    if missing:
        raise AssertionError(f"acknowledged saves lost after SIGTERM: {sorted(missing)[:5]}")
    if burst.cut_off:
        raise AssertionError(f"responses cut off by the shutdown: {burst.cut_off[:3]}")


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    binary = os.path.abspath(sys.argv[1])
    folder = sys.argv[2] if len(sys.argv) == 3 else tempfile.mkdtemp(prefix="velkommen-faults-")
    os.makedirs(folder, exist_ok=True)
    print("## The server process under faults\n")
    try:
        kill_nine(binary, folder)
        terminate(binary, folder)
    except AssertionError as error:
        print(f"FAILED: {error} (logs in {folder})")
        sys.exit(1)
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
