"""Runs moto's server on 127.0.0.1:PORT until the process that started it goes away.

Used by the test harness and by `make dev`, so an emulator never outlives whoever needed it.
Prints "ready" once the server accepts requests.

moto's DynamoDB backend is not thread-safe: TransactWriteItems deep-copies tables while other
threads write ("dictionary changed size during iteration" -> HTTP 500). Real DynamoDB has no such
gap, so the emulator serialises DynamoDB requests here; other services (SQS long polls) stay
concurrent.

moto also deep-copies every table a TransactWriteItems touches, to roll back on failure: a cost in
time and memory that grows with the table (a test suite's shared table reached 17 GB). The
transaction here snapshots only the items it touches and restores those on failure: the same
all-or-nothing outcome, at the cost of the transaction instead of the table.
"""
import os
import sys
import threading
import time
import urllib.request

# moto's Step Functions interpreter calls SQS/DynamoDB integrations on localhost:$MOTO_PORT.
os.environ["MOTO_PORT"] = sys.argv[1]

import copy

from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.table import Table
from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import make_server

_dynamodb_lock = threading.Lock()


_trace = open(os.environ["MOTO_TRACE"], "a", buffering=1) if os.environ.get("MOTO_TRACE") else None


_transact_write_items = DynamoDBBackend.transact_write_items


def transact_write_items(self, transact_items):
    snapshots = []
    for entry in transact_items:
        try:
            _, op = next(iter(entry.items()))
            table = self.get_table(op["TableName"])
            key = op.get("Key") or {
                a: op["Item"][a] for a in (table.hash_key_attr, table.range_key_attr) if a
            }
            hash_value, range_value = self.get_keys_value(table, key)
        except Exception:  # malformed: moto's own validation answers it below
            continue
        current = table.get_item(hash_value, range_value)
        snapshots.append((table, hash_value, range_value, copy.deepcopy(current)))
    Table.__deepcopy__ = lambda table, memo: table  # the whole-table backup becomes a no-op
    try:
        return _transact_write_items(self, transact_items)
    except Exception:
        for table, hash_value, range_value, item in reversed(snapshots):
            if item is None:
                table.delete_item(hash_value, range_value)
            elif range_value:
                table.items[hash_value][range_value] = item
            else:
                table.items[hash_value] = item
        raise
    finally:
        del Table.__deepcopy__


DynamoDBBackend.transact_write_items = transact_write_items


def serialise_dynamodb(app):
    def wrapped(environ, start_response):
        if _trace is not None:  # one line per API call, for counting calls per order
            _trace.write(environ.get("HTTP_X_AMZ_TARGET", environ.get("PATH_INFO", "")) + "\n")
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with _dynamodb_lock:
                return list(app(environ, start_response))
        return app(environ, start_response)

    return wrapped


def main() -> None:
    port = int(sys.argv[1])
    parent = os.getppid()
    app = DomainDispatcherApplication(create_backend_app)
    server = make_server("127.0.0.1", port, serialise_dynamodb(app), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}/moto-api/"
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except Exception:
            time.sleep(0.05)
    print("ready", flush=True)
    try:
        while os.getppid() == parent:
            time.sleep(0.5)
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
