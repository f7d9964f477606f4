"""Throughput under a bounded loopback load: gunicorn (2 sync workers) driven by wrk, or by a
small Python client with a fixed number of connections and a fixed duration when wrk is missing."""
from __future__ import annotations

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

from .env import ROOT

WORKERS = 2


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn serving `module:app` on a free loopback port; stopped by its own pid."""

    def __init__(self, module: str, env: dict, ready_path: str):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile(prefix="bench-gunicorn-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", str(WORKERS), "-b", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--timeout", "120", f"{module}:app"],
            cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": ROOT}, stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn exited: {open(self.log.name).read()[-2000:]}")
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=2)
                conn.request("GET", ready_path)
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            self.stop()
            raise RuntimeError("gunicorn did not start")

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        os.unlink(self.log.name)


def _lua_paths(paths: list[str]) -> str:
    items = ",".join('"' + p.replace('"', '\\"') + '"' for p in paths)
    return ("local paths = {" + items + "}\n"
            "local i = 0\n"
            "request = function()\n  i = i % #paths + 1\n  return wrk.format(nil, paths[i])\nend\n")


def run(server: Server, paths: list[str], headers: dict, seconds: float, connections: int) -> dict:
    """Requests per second on `paths` (taken in turn); latency median and p99 in ms."""
    if shutil.which("wrk"):
        return _wrk(server, paths, headers, seconds, connections)
    return _python_client(server, paths, headers, seconds, connections)


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(server, paths, headers, seconds, connections) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_lua_paths(paths))
    seconds = max(1, round(seconds))  # wrk takes whole seconds ("3.0s" is a usage error)
    cmd = ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", script.name]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(server.url(paths[0]))
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60).stdout
    finally:
        os.unlink(script.name)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", out, re.M))

    def parse(v):
        m = re.match(r"([\d.]+)(us|ms|s)$", v)
        return _ms(m.group(1), m.group(2)) if m else float("nan")
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    errors = re.search(r"Socket errors:.*", out)
    return {"rps": rps, "p50": parse(lat.get("50", "")), "p99": parse(lat.get("99", "")),
            "non2xx": int(bad.group(1)) if bad else 0, "socket_errors": errors.group(0) if errors else "",
            "tool": f"wrk -t1 -c{connections} -d{seconds}s"}


def _python_client(server, paths, headers, seconds, connections) -> dict:
    latencies: list[float] = []
    errors = [0]
    stop_at = time.perf_counter() + seconds
    lock = threading.Lock()

    def worker(offset):
        i = offset
        while time.perf_counter() < stop_at:
            path = paths[i % len(paths)]
            i += 1
            t = time.perf_counter()
            try:
                conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                conn.close()
                ok = response.status < 400
            except OSError:
                ok = False
            with lock:
                latencies.append(time.perf_counter() - t)
                errors[0] += not ok
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(connections)]
    start = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.perf_counter() - start
    latencies.sort()
    return {"rps": len(latencies) / took, "p50": latencies[len(latencies) // 2] * 1000,
            "p99": latencies[int(len(latencies) * 0.99) - 1] * 1000, "non2xx": errors[0], "socket_errors": "",
            "tool": f"python client, {connections} connections, {seconds}s"}
