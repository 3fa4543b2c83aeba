"""The relay of functions.py in front of a real `cargo lambda watch --only-lambda-apis` (started here,
on a free port): a function's response reaches the HTTP caller whole, whatever its size, though the
function closes its connection as soon as it is answered (what cut bodies or hung callers without
the relay; functions.py's docstring says why). The function is played by this test over HTTP.

    .venv/bin/python -m unittest infra/local/functions_test.py   (`make test` runs it)
"""
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import functions  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
FUNCTION = "get-console"  # any binary of the workspace: the watch routes only to those


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RelayTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.port = free_port()
        env = {**os.environ, "PATH": f"{ROOT / '.venv' / 'bin'}:{os.environ['PATH']}"}
        cls.watch = subprocess.Popen(
            ["cargo", "lambda", "watch", "--invoke-port", str(cls.port), "--invoke-address",
             "127.0.0.1", "--only-lambda-apis"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        runtime = f"http://127.0.0.1:{cls.port}/.rt"
        functions.wait_for(runtime)
        cls.relay_port = int(functions.relay(runtime).rsplit(":", 1)[1])

    @classmethod
    def tearDownClass(cls):
        cls.watch.terminate()
        cls.watch.wait(timeout=10)

    def invoke_through(self, runtime_port, prefix, answer):
        """One HTTP request to FUNCTION while this test plays the function on `runtime_port`:
        it takes the request from its queue and answers with `answer(request_id)` (path, body,
        headers), closing its connection at once. Returns the caller's (status, body)."""
        got = {}

        def caller():
            c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            c.request("GET", f"/lambda-url/{FUNCTION}/api/v1/console")
            r = c.getresponse()
            got["answer"] = (r.status, r.read())

        t = threading.Thread(target=caller)
        t.start()
        fn = http.client.HTTPConnection("127.0.0.1", runtime_port, timeout=30)
        fn.request("GET", f"{prefix}/{FUNCTION}/2018-06-01/runtime/invocation/next")
        r = fn.getresponse()
        request_id = r.getheader("lambda-runtime-aws-request-id")
        event = json.loads(r.read())
        self.assertEqual(event["rawPath"], "/api/v1/console")
        fn.close()
        path, body, headers = answer(request_id)
        post = http.client.HTTPConnection("127.0.0.1", runtime_port, timeout=30)
        post.request("POST", f"{prefix}/{FUNCTION}/2018-06-01/runtime/invocation/{request_id}/{path}",
                     body=body, headers=headers)
        post.getresponse().read()
        post.close()
        t.join(40)
        self.assertFalse(t.is_alive(), "the caller got no answer within 40 s")
        return got["answer"]

    def test_a_response_of_any_size_reaches_the_caller_whole(self):
        for size in (10, 80_000, 1_000_000, 5_000_000):
            text = "x" * size
            body = json.dumps({"statusCode": 200, "headers": {"content-type": "text/html"},
                               "body": text, "isBase64Encoded": False, "cookies": []}).encode()
            status, got = self.invoke_through(self.relay_port, "", lambda _: ("response", body, {}))
            self.assertEqual((status, len(got)), (200, size), f"a {size}-character page")
            self.assertEqual(got.decode(), text)

    def test_a_function_error_reaches_the_caller_whole(self):
        error = {"errorType": "Boom", "errorMessage": "e" * 200_000}
        status, got = self.invoke_through(
            self.relay_port, "",
            lambda _: ("error", json.dumps(error).encode(),
                       {"lambda-runtime-function-error-type": "Boom"}))
        self.assertEqual(status, 500)
        self.assertEqual(json.loads(got), error)


if __name__ == "__main__":
    unittest.main()
