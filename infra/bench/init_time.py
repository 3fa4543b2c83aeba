"""Init time of a function binary: from process start until the Lambda runtime asks for its first
event (GET /2018-06-01/runtime/invocation/next), against a fake Runtime API on loopback.

usage: python infra/bench/init_time.py target/release/get-order [runs]
"""
import http.server
import os
import socketserver
import statistics
import subprocess
import sys
import threading
import time


def measure(binary: str) -> float:
    asked = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # the runtime's long poll for the next event: record it, then hang up
            asked.set()
            self.send_response(500)
            self.end_headers()

        def log_message(self, *args):
            pass

    with socketserver.TCPServer(("127.0.0.1", 0), Handler) as server:
        port = server.server_address[1]
        threading.Thread(target=server.serve_forever, daemon=True).start()
        env = dict(os.environ,
                   AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{port}",
                   AWS_LAMBDA_FUNCTION_NAME="bench", AWS_LAMBDA_FUNCTION_VERSION="1",
                   AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256", AWS_REGION="us-east-1",
                   AWS_ACCESS_KEY_ID="x", AWS_SECRET_ACCESS_KEY="x", TABLE_NAME="MainTable")
        start = time.perf_counter()
        proc = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        asked.wait(10)
        elapsed = time.perf_counter() - start
        proc.kill()
        proc.wait()
        server.shutdown()
        return elapsed


def main() -> None:
    binary = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    times = sorted(measure(binary) * 1000 for _ in range(runs))
    print(f"{binary}: init median {statistics.median(times):.1f} ms, min {times[0]:.1f} ms, max {times[-1]:.1f} ms ({runs} runs)")


if __name__ == "__main__":
    main()
