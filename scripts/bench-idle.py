#!/usr/bin/env python3
"""Holds N idle keep-alive connections to the benchmark server while wrk drives 64 other clients.

usage: bench-idle.py SERVER_BINARY HELLO_FILE [N]
Each idle connection makes one request first (so it is a served keep-alive connection, not a bare
handshake), then sits. After the wrk run, every idle connection must still answer a second request.
Only 127.0.0.1 is used; every step is bounded in time.
"""
import os
import re
import resource
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from flows import status_kib as status_kb  # noqa: E402

REQUEST = b"GET /hello HTTP/1.1\r\nHost: bench\r\n\r\n"


def read_response(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = int(re.search(rb"Content-Length: (\d+)", head).group(1))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError("closed")
        body += chunk
    return int(head.split(b" ")[1])


def main(binary, hello, count):
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if count + 200 > hard:
        sys.exit(f"need {count + 200} file descriptors, the limit is {hard}")
    port = 18099
    server = subprocess.Popen(["timeout", "300", binary, "--port", str(port), "--hello", hello],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        server.stdout.readline()
        pid = int(subprocess.check_output(["pgrep", "-P", str(server.pid)]).split()[0])
        rss_start = status_kb(pid, "VmRSS")
        start = time.time()
        idle = []
        for _ in range(count):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(REQUEST)
            read_response(sock)
            idle.append(sock)
        opened = time.time() - start
        rss_idle = status_kb(pid, "VmRSS")
        wrk = subprocess.run(["timeout", "60", "wrk", "-t2", "-c64", "-d5s", "--latency", f"http://127.0.0.1:{port}/hello"],
                             capture_output=True, text=True).stdout
        rps = re.search(r"Requests/sec:\s+([\d.]+)", wrk).group(1)
        p99 = re.search(r"99%\s+(\S+)", wrk).group(1)
        errors = re.search(r"Socket errors:.*", wrk)
        alive = 0
        for sock in idle:
            try:
                sock.sendall(REQUEST)
                if read_response(sock) == 200:
                    alive += 1
            except (OSError, ConnectionError, AttributeError):
                pass
        peak = status_kb(pid, "VmHWM")
        print("## 10,000 idle keep-alive connections\n")
        print(f"| idle connections held | opened in | wrk -c64 /hello meanwhile | p99 | socket errors | still answering after | server RSS start / with idle / peak |")
        print("|---:|---:|---:|---:|---|---:|---|")
        print(f"| {count:,} | {opened:.1f} s | {float(rps):,.0f} req/s | {p99} | {errors.group(0) if errors else 'none'} | "
              f"{alive:,} of {count:,} | {rss_start / 1024:.1f} / {rss_idle / 1024:.1f} / {peak / 1024:.1f} MiB |")
        for sock in idle:
            sock.close()
        if alive != count:
            sys.exit(1)
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 10000)
