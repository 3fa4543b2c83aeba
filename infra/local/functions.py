"""Runs every function of template.yaml as one long-lived process against `cargo lambda watch
--only-lambda-apis` (the local stack of the tests: infra/e2e/run.sh).

usage: python infra/local/functions.py RUNTIME_URL ENV_FILE

RUNTIME_URL is the watch's Runtime API (`http://127.0.0.1:PORT/.rt`); each function polls its own
queue there (`RUNTIME_URL/<binary>`), as Lambda's sandboxes poll theirs, while the watch keeps
routing HTTP requests and invocations to the queues (what its router does not route goes to the
`$default` route's function, as in API Gateway). ENV_FILE holds the stack's `KEY=VALUE` lines
(`opsctl local-up --env-file`), given to every function.

Why not let the watch start the functions: it runs each one under a file watcher of the whole
project (target/ included: ~14,000 inotify watches per function, past the kernel's per-user limit
with 40 functions), and restarts a function when that watcher reports an event without a path (an
overflowed inotify queue while `cargo test` writes into target/), which loses the invocation in
flight. The binaries are built beforehand (`cargo build --workspace --bins`); nothing here reloads.

Why the functions reach the watch through a relay (`RuntimeRelay`): the watch answers a function's
`POST .../invocation/<id>/response` as soon as it has read the head, and hands the body, unread, to
the HTTP request waiting for it. Its HTTP server (hyper) then reads the rest of that body only when
something else happens on the connection: the function's next request, or its close, which cuts
the body. A response whose body was not read with its head therefore hangs the caller's request
(schemathesis: "read timed out after 60 s") or ends in the watch's own 500 (a problem document from
httpstatuses.com), unless the function sends its next request on that same connection first; any
response can meet it, small ones too. It was caught with the watch's trace log
(`RUST_LOG=cargo_lambda_watch=trace`): the function's POST answered 200 in 0 ms and the caller's
request never finished, in one schemathesis run in seven. The relay reads each request of a function
whole and sends it on; after a POST it asks the watch one more thing on the same connection (a GET
of the same path, which the watch's router refuses with 405 and nothing else), whose answer can only
come once the body has been read, and only then answers the function. Lambda's own Runtime API
has read the whole response when it answers.

A function that exits is started again and the exit is printed, as Lambda replaces a sandbox that
crashed; its invocation in flight is lost, as on Lambda, and the client sees its own timeout.
SIGTERM or SIGINT stops every function.
"""
import http.client
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]


# The watch sends a request no route of its router takes (a method no path lists, TRACE say) to
# this function; API Gateway sends it to the `$default` route.
WATCH_DEFAULT = "_"


def template_functions():
    """{queue: (binary, MemorySize MB)}: every function of template.yaml on its own queue, and the
    `$default` route's function also on the watch's default one."""
    from cfnlint.decode import cfn_yaml

    t = cfn_yaml.load(str(ROOT / "template.yaml"))
    default = t["Globals"]["Function"].get("MemorySize", 128)
    out = {}
    for res in t["Resources"].values():
        binary = res.get("Metadata", {}).get("BuildProperties", {}).get("Binary")
        if res.get("Type") == "AWS::Serverless::Function" and binary:
            props = res["Properties"]
            out[binary] = (binary, int(props.get("MemorySize", default)))
            paths = [e.get("Properties", {}).get("Path") for e in props.get("Events", {}).values()]
            if "$default" in paths:
                out[WATCH_DEFAULT] = out[binary]
    if WATCH_DEFAULT not in out:
        sys.exit("functions.py: template.yaml has no $default route")
    return out


def env_file(path):
    out = {}
    for line in Path(path).read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#") and "=" in line:
            key, value = line.split("=", 1)
            out[key.strip()] = value.strip().strip('"').strip("'")
    return out


def wait_for(url, seconds=60):
    """Until the watch listens: a function whose first poll is refused exits."""
    parts, deadline = urlsplit(url), time.monotonic() + seconds
    while True:
        try:
            socket.create_connection((parts.hostname, parts.port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                sys.exit(f"functions.py: nothing listens at {url}")
            time.sleep(0.1)


class RuntimeRelay(BaseHTTPRequestHandler):
    """One request of a function to the watch's Runtime API, read whole before it is sent on (the
    module's docstring says why). `/next` waits in the watch as long as it takes, as on Lambda."""

    protocol_version = "HTTP/1.1"
    upstream = ("127.0.0.1", 0, "")  # (host, port, path prefix), set by `relay()`
    # The headers the Runtime API reads from a function: its error type, the response mode.
    FORWARDED = ("content-type", "lambda-runtime-function-error-type",
                 "lambda-runtime-function-response-mode", "lambda-runtime-function-error-body")

    def _body(self):
        if self.headers.get("transfer-encoding", "").lower() == "chunked":
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    while self.rfile.readline() not in (b"\r\n", b"\n", b""):
                        pass  # trailers
                    return b"".join(chunks)
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("content-length") or 0))

    def _relay(self):
        body = self._body()
        host, port, prefix = self.upstream
        headers = {k: v for k, v in self.headers.items() if k.lower() in self.FORWARDED}
        conn = http.client.HTTPConnection(host, port)
        try:
            conn.request(self.command, prefix + self.path, body=body, headers=headers)
            answer = conn.getresponse()
            data = answer.read()
            if self.command == "POST":
                # The module's docstring says why: answered only once the body has been read.
                conn.request("GET", prefix + self.path)
                conn.getresponse().read()
        except OSError as e:  # the watch is gone: the function sees a failed call, as without us
            print(f"functions.py: relay {self.command} {self.path}: {e}", file=sys.stderr, flush=True)
            self.close_connection = True
            return
        finally:
            conn.close()
        self.send_response_only(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection", "date"):
                self.send_header(k, v)
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = _relay

    def log_message(self, *_):
        pass


def relay(runtime):
    """Starts the relay in front of the watch's Runtime API; returns its URL."""
    parts = urlsplit(runtime)
    RuntimeRelay.upstream = (parts.hostname, parts.port, parts.path)
    server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeRelay)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def main():
    runtime, stack_env = sys.argv[1].rstrip("/"), env_file(sys.argv[2])
    target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
    if not target.is_absolute():
        target = ROOT / target
    functions = template_functions()
    missing = sorted({b for b, _ in functions.values() if not (target / "debug" / b).exists()})
    if missing:
        sys.exit(f"functions.py: not built (cargo build --workspace --bins): {', '.join(missing)}")

    def start(queue):
        binary, memory = functions[queue]
        env = {**os.environ, **stack_env,
               "AWS_LAMBDA_FUNCTION_NAME": binary, "AWS_LAMBDA_FUNCTION_VERSION": "1",
               "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory),
               "AWS_LAMBDA_RUNTIME_API": f"{relayed}/{queue}"}
        return subprocess.Popen([str(target / "debug" / binary)], env=env, cwd=ROOT)

    wait_for(runtime)
    relayed = relay(runtime)
    running = {queue: start(queue) for queue in functions}
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    print(f"functions.py: {len(running)} functions started against {runtime}", file=sys.stderr, flush=True)
    while not stopping:
        for queue, process in running.items():
            code = process.poll()
            if code is not None and not stopping:
                print(f"functions.py: {queue} exited with {code}; started again", file=sys.stderr, flush=True)
                running[queue] = start(queue)
        time.sleep(0.5)
    for process in running.values():
        process.terminate()
    for process in running.values():
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()


if __name__ == "__main__":
    main()
