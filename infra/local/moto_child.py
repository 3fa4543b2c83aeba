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

moto sorts every item of a table on each Query before it filters on the key (`Table.all_items`:
O(N log N) comparisons of its attribute objects, 0.7 s per query on a 41,000-item table). Query then
sorts what it keeps by the key it queried, so that global order is never used: a query here walks
the items unsorted, in O(N) for an index and only the queried partition for the table's own key.
Scans keep the sorted order their pagination relies on.

Serialised, moto is kinder than AWS: no transaction conflicts, indexes always current, no
throttling. `dynamodb_semantics.py` (beside this file) gives it those three, configured by
MOTO_DDB_CONFLICT_WINDOW_MS, MOTO_DDB_CONFLICT_RATE, MOTO_DDB_INDEX_LAG_MS and
MOTO_DDB_THROTTLE_RATE (documented there).
"""
import os
import sys
import threading
import time
import urllib.request

# moto's Step Functions interpreter calls SQS/DynamoDB integrations on localhost:$MOTO_PORT.
os.environ["MOTO_PORT"] = sys.argv[1]

import copy
import io
import json
import re

sys.dont_write_bytecode = True  # the sibling module below leaves no __pycache__ in the checkout
import dynamodb_semantics  # noqa: E402
import stepfunctions_semantics  # noqa: E402
from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends
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


_all_items = Table.all_items
_query = Table.query
_in_query = threading.local()


def all_items(self):
    if not getattr(_in_query, "active", False):
        return _all_items(self)
    partition = getattr(_in_query, "partition", None)
    if partition is None:
        hash_sets = self.items.values()
    else:
        hash_sets = [self.items[partition]] if partition in self.items else []
    if not self.range_key_attr:
        return list(hash_sets)
    return [item for hash_set in hash_sets for item in hash_set.values()]


def query(self, hash_key, *args, **kwargs):
    index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
    _in_query.active = True
    _in_query.partition = None if index_name else hash_key
    try:
        return _query(self, hash_key, *args, **kwargs)
    finally:
        _in_query.active = False
        _in_query.partition = None


Table.all_items = all_items
Table.query = query
dynamodb_semantics.install()


_calls = open(os.environ["MOTO_CALLS"], "a", buffering=1) if os.environ.get("MOTO_CALLS") else None
_calls_lock = threading.Lock()
_APP = re.compile(r"\bapp/([A-Za-z0-9._~!#$%&'*+^`|-]+)")
# Set beside the app name by the api-tests' attribution (infra/ops/src/attribution.rs).
_SUITE = re.compile(r"\bmd/suite#([A-Za-z0-9_-]+)")
_SERVICES = {"DynamoDB_20120810": "dynamodb", "AmazonSQS": "sqs", "AWSStepFunctions": "states",
             "TrentService": "kms"}
# The IAM action each item of a DynamoDB transaction is authorised by (there is no
# dynamodb:TransactWriteItems action).
_TRANSACT = {"Put": "PutItem", "Update": "UpdateItem", "Delete": "DeleteItem",
             "ConditionCheck": "ConditionCheckItem", "Get": "GetItem"}


def _partition_attribute(table_name, index_name=None):
    """The partition key attribute of a table (or of one of its indexes), as the emulator created it."""
    for regions in list(dynamodb_backends.values()):
        for backend in list(regions.values()):
            table = backend.tables.get(table_name)
            if table is None:
                continue
            if not index_name:
                return table.hash_key_attr
            for index in list(table.global_indexes) + list(table.indexes):
                if index.name == index_name:
                    return next((k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"), None)
    return None


def _scalar(value):
    return next(iter(value.values()), None) if isinstance(value, dict) else None


def _leading_keys(table_name, items, index_name=None):
    """IAM's dynamodb:LeadingKeys of a request: the partition key values of the items it names."""
    attribute = _partition_attribute(table_name, index_name)
    if attribute is None:
        return None
    return [str(_scalar(item.get(attribute))) for item in items if isinstance(item, dict)]


def _queried_partition(doc, table_name):
    """The partition key value a Query names (KeyConditionExpression or the legacy KeyConditions)."""
    attribute = _partition_attribute(table_name, doc.get("IndexName"))
    names = doc.get("ExpressionAttributeNames") or {}
    values = doc.get("ExpressionAttributeValues") or {}
    for name, placeholder in re.findall(r"(#?[A-Za-z0-9_.-]+)\s*=\s*(:[A-Za-z0-9_]+)",
                                        doc.get("KeyConditionExpression") or ""):
        if names.get(name, name) == attribute:
            return [str(_scalar(values.get(placeholder)))]
    legacy = (doc.get("KeyConditions") or {}).get(attribute) or {}
    if legacy.get("ComparisonOperator") == "EQ":
        return [str(_scalar(v)) for v in legacy.get("AttributeValueList") or []]
    return None


def permissions(service, action, doc):
    """The (IAM action, resource, leading keys) triples a call needs; resources are as the caller
    named them, leading keys (DynamoDB item calls only, else None) as IAM's dynamodb:LeadingKeys."""
    if service == "dynamodb" and action in ("TransactWriteItems", "TransactGetItems"):
        out = []
        for item in doc.get("TransactItems") or []:
            for op, body in item.items():
                table = body.get("TableName", "")
                keyed = body.get("Key") or body.get("Item") or {}
                out.append((f"dynamodb:{_TRANSACT[op]}", table, _leading_keys(table, [keyed])))
        return out
    if service == "dynamodb" and action == "BatchGetItem":
        return [(f"dynamodb:{action}", table, _leading_keys(table, (req or {}).get("Keys") or []))
                for table, req in (doc.get("RequestItems") or {}).items()]
    if service == "dynamodb" and action == "BatchWriteItem":
        return [(f"dynamodb:{action}", table, _leading_keys(table, [
            (r.get("PutRequest") or {}).get("Item") or (r.get("DeleteRequest") or {}).get("Key") or {}
            for r in reqs or []]))
                for table, reqs in (doc.get("RequestItems") or {}).items()]
    resource = next((doc[f] for f in ("TableName", "QueueUrl", "stateMachineArn", "executionArn", "KeyId")
                     if isinstance(doc.get(f), str)), "*")
    keys = None
    if service == "dynamodb" and action in ("GetItem", "UpdateItem", "DeleteItem"):
        keys = _leading_keys(resource, [doc.get("Key") or {}])
    elif service == "dynamodb" and action == "PutItem":
        keys = _leading_keys(resource, [doc.get("Item") or {}])
    elif service == "dynamodb" and action == "Query":
        keys = _queried_partition(doc, resource)
    if doc.get("IndexName"):
        resource += f"/index/{doc['IndexName']}"
    return [(f"{service}:{action}", resource, keys)]


def record_call(environ):
    """One JSON line per call made by a function: {function, suite, permissions}. The function is
    the SDK's application name (`api::app::load_sdk` sets it from AWS_LAMBDA_FUNCTION_NAME;
    in-process tests add it per call); calls without one (tools, test setup, the emulator itself)
    are not recorded. infra/e2e/check_policies.py compares these with template.yaml's policies."""
    agent = environ.get("HTTP_X_AMZ_USER_AGENT", "") + " " + environ.get("HTTP_USER_AGENT", "")
    app = _APP.search(agent)
    target = environ.get("HTTP_X_AMZ_TARGET", "")
    if not app or "." not in target:
        return
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body = environ["wsgi.input"].read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(body)
    try:
        doc = json.loads(body or b"{}")
    except ValueError:
        doc = {}
    prefix, action = target.split(".", 1)
    pairs = permissions(_SERVICES.get(prefix, prefix), action, doc if isinstance(doc, dict) else {})
    suite = _SUITE.search(agent)
    line = json.dumps({"function": app.group(1), "suite": suite and suite.group(1), "permissions": pairs})
    with _calls_lock:
        _calls.write(line + "\n")


def serialise_dynamodb(app):
    def wrapped(environ, start_response):
        if _trace is not None:  # one line per API call, for counting calls per order
            _trace.write(environ.get("HTTP_X_AMZ_TARGET", environ.get("PATH_INFO", "")) + "\n")
        if _calls is not None:
            record_call(environ)
        if environ.get("HTTP_X_AMZ_TARGET", "").startswith("DynamoDB"):
            with _dynamodb_lock:
                return list(app(environ, start_response))
        return app(environ, start_response)

    return wrapped


def main() -> None:
    stepfunctions_semantics.emulate()
    port = int(sys.argv[1])
    parent = os.getppid()
    app = DomainDispatcherApplication(create_backend_app)
    refused = record_call if _calls is not None else (lambda environ: None)
    served = dynamodb_semantics.emulate(serialise_dynamodb(app), _dynamodb_lock, refused)
    server = make_server("127.0.0.1", port, served, threaded=True)
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
