"""The local emulator of infra/local/moto_child.py, which also logs what AWS would bill for each call
a function makes: `MOTO_UNITS=FILE python infra/bench/cost_moto.py PORT` (used by cost.py).

One JSON line per call of a function (named, as in moto_child's call log, by the SDK's application
name; tools and the emulator's own Step Functions calls are not functions and are left out):
`{"t", "function", "service", "action", "rru", "wru", "index_wru", "stored", "sqs", "kms", "ms",
"extra_ms"}` (`ms`: the emulator's own time for the call; `extra_ms`: the DynamoDB measurement's).

DynamoDB's units come from item sizes (cost_units.py has the rules), measured on the emulator's
own state around the call: moto_child serialises DynamoDB requests, so the item read just before
and just after a write is exactly what the write replaced and left. Those reads go to moto's
tables in-process; a Query pays what its answer holds, or, when a filter, a projection or a count
hides what it evaluated (DynamoDB bills that), what the same query without them answers, asked of
moto's application directly (neither logged nor serialised twice). `extra_ms` is the time this
measurement added to the call, which cost.py takes off the functions' durations. moto's own
ReturnConsumedCapacity is a constant, hence all this.
"""
import io
import json
import os
import pathlib
import re
import sys
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "local")]

import cost_units as cu
import moto_child  # sets MOTO_PORT from argv, as moto_child itself does
from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.utilities import dynamo_json_dump

_out = open(os.environ["MOTO_UNITS"], "a", buffering=1)
_out_lock = threading.Lock()
_schemas: dict = {}
_TARGET = "DynamoDB_20120810."
_KEY_REFS = re.compile(r"[#:][A-Za-z0-9_]+")


class Units:
    def __init__(self):
        self.rru = cu.Decimal(0)
        self.wru = 0
        self.index_wru = 0
        self.stored = 0
        self.sqs = 0
        self.kms = 0


def internal(app, environ, action, doc):
    """A DynamoDB call of our own, straight to moto (no call log, no lock: the caller holds it)."""
    body = json.dumps(doc).encode()
    env = {k: v for k, v in environ.items() if not k.startswith("werkzeug.")}
    env.update({"wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body)),
                "HTTP_X_AMZ_TARGET": _TARGET + action})
    status = []
    out = b"".join(app(env, lambda s, h, exc=None: status.append(s) or (lambda _: None)))
    if not status or not status[0].startswith("200"):
        raise RuntimeError(f"{action}: {status} {out[:200]!r}")
    return json.loads(out or b"{}")


def schema(app, environ, table):
    """(key attributes, [key attributes of each ALL-projected global index]) of a table."""
    if table not in _schemas:
        t = internal(app, environ, "DescribeTable", {"TableName": table})["Table"]
        keys = tuple(k["AttributeName"] for k in t["KeySchema"])
        indexes = [tuple(k["AttributeName"] for k in i["KeySchema"])
                   for i in t.get("GlobalSecondaryIndexes", [])
                   if i.get("Projection", {}).get("ProjectionType") == "ALL"]
        _schemas[table] = (keys, indexes)
    return _schemas[table]


def backend_of(table):
    for regions in list(dynamodb_backends.values()):
        for backend in list(regions.values()):
            if table in backend.tables:
                return backend
    raise KeyError(table)


def get(app, environ, table, key):
    """The item as GetItem would answer it (DynamoDB JSON), read from moto's table in-process."""
    backend = backend_of(table)
    item = backend.get_item(table, key)
    return json.loads(dynamo_json_dump(item.to_json()))["Attributes"] if item is not None else None


def key_of(item, keys):
    return {k: item[k] for k in keys if k in item}


class Writes:
    """The items a write call touches, read before it runs and again after."""

    def __init__(self, app, environ):
        self.app, self.environ, self.items = app, environ, []

    def add(self, table, key, transactional, check=False, new=None):
        keys, _ = schema(self.app, self.environ, table)
        key = key_of(key, keys)
        before = get(self.app, self.environ, table, key)
        self.items.append([table, key, transactional, check, new, before])

    def settle(self, units):
        for table, key, transactional, check, new, before in self.items:
            _, indexes = schema(self.app, self.environ, table)
            after = before if check else get(self.app, self.environ, table, key)
            b, a = cu.item_size(before), cu.item_size(after)
            # A Put refused by its condition still pays for the item it offered.
            units.wru += cu.write_units(b, max(a, cu.item_size(new)), transactional)
            if check:
                continue
            units.stored += a - b
            for index_keys in indexes:
                for size in cu.index_writes(before, after, index_keys):
                    units.index_wru += cu.write_units(size, 0)
                inside = [item is not None and all(k in item for k in index_keys) for item in (before, after)]
                units.stored += (a + cu.INDEX_ENTRY_OVERHEAD) * inside[1] - (b + cu.INDEX_ENTRY_OVERHEAD) * inside[0]


_HIDING = ("FilterExpression", "ProjectionExpression", "Select", "AttributesToGet", "QueryFilter", "ScanFilter")


def query_units(app, environ, action, doc):
    """A Query or Scan that hides what it evaluated pays for it all: re-run it without filter,
    projection or count."""
    bare = {k: v for k, v in doc.items()
            if k not in ("FilterExpression", "ProjectionExpression", "Select", "AttributesToGet",
                         "QueryFilter", "ScanFilter", "ReturnConsumedCapacity")}
    used = set(_KEY_REFS.findall(bare.get("KeyConditionExpression", "")))
    for field in ("ExpressionAttributeNames", "ExpressionAttributeValues"):
        if field in bare:
            kept = {k: v for k, v in bare[field].items() if k in used}
            if kept:
                bare[field] = kept
            else:
                del bare[field]
    items = internal(app, environ, action, bare).get("Items", [])
    consistent = bool(doc.get("ConsistentRead")) and not doc.get("IndexName")
    return cu.read_units(sum(cu.item_size(i) for i in items), consistent)


def dynamodb_before(app, environ, action, doc, units):
    """Reads are priced here; writes read their items here and are priced once they ran."""
    writes = Writes(app, environ)
    if action in ("PutItem", "UpdateItem", "DeleteItem"):
        writes.add(doc["TableName"], doc.get("Key") or doc.get("Item", {}), False, new=doc.get("Item"))
    elif action == "BatchWriteItem":
        for table, requests in doc.get("RequestItems", {}).items():
            for r in requests:
                put, delete = r.get("PutRequest"), r.get("DeleteRequest")
                if put:
                    writes.add(table, put["Item"], False, new=put["Item"])
                elif delete:
                    writes.add(table, delete["Key"], False)
    elif action == "TransactWriteItems":
        for entry in doc.get("TransactItems", []):
            (op, body), = entry.items()
            writes.add(body["TableName"], body.get("Key") or body.get("Item", {}), True,
                       check=op == "ConditionCheck", new=body.get("Item"))
    elif action == "GetItem":
        item = get(app, environ, doc["TableName"], doc["Key"])
        units.rru += cu.read_units(cu.item_size(item), bool(doc.get("ConsistentRead")))
    elif action == "BatchGetItem":
        for table, request in doc.get("RequestItems", {}).items():
            for key in request.get("Keys", []):
                item = get(app, environ, table, key)
                units.rru += cu.read_units(cu.item_size(item), bool(request.get("ConsistentRead")))
    elif action == "TransactGetItems":
        for entry in doc.get("TransactItems", []):
            body = entry["Get"]
            item = get(app, environ, body["TableName"], body["Key"])
            units.rru += cu.read_units(cu.item_size(item), True, transactional=True)
    elif action in ("Query", "Scan") and any(k in doc for k in _HIDING):
        units.rru += query_units(app, environ, action, doc)
    return writes


def answered_units(action, doc, out):
    """A plain Query or Scan pays for the items it answered."""
    if action not in ("Query", "Scan") or any(k in doc for k in _HIDING):
        return 0
    items = json.loads(b"".join(out) or b"{}").get("Items", [])
    consistent = bool(doc.get("ConsistentRead")) and not doc.get("IndexName")
    return cu.read_units(sum(cu.item_size(i) for i in items), consistent)


def sqs_payload(entry):
    """Bytes SQS bills of one message: its body and its attributes' names, types and values."""
    size = len(entry.get("MessageBody", "").encode())
    for name, attr in (entry.get("MessageAttributes") or {}).items():
        size += len(name.encode()) + len(attr.get("DataType", "").encode())
        size += len(str(attr.get("StringValue") or attr.get("BinaryValue") or "").encode())
    return size


def measuring(app):
    def wrapped(environ, start_response):
        agent = environ.get("HTTP_X_AMZ_USER_AGENT", "") + " " + environ.get("HTTP_USER_AGENT", "")
        function = moto_child._APP.search(agent)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not function or "." not in target:
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            doc = {}
        prefix, action = target.split(".", 1)
        service = moto_child._SERVICES.get(prefix, prefix)
        units, error, ms, extra = Units(), None, 0.0, 0.0
        if service == "dynamodb":
            # A measurement that fails is reported (cost.py refuses to price around it), never
            # allowed to change the call itself.
            t0 = time.perf_counter()
            try:
                writes = dynamodb_before(app, environ, action, doc, units)
            except Exception as e:  # noqa: BLE001
                writes, error = None, repr(e)
            t1 = time.perf_counter()
            out = list(app(environ, start_response))
            t2 = time.perf_counter()
            try:
                if writes is not None:
                    writes.settle(units)
                units.rru += answered_units(action, doc, out)
            except Exception as e:  # noqa: BLE001
                error = repr(e)
            ms, extra = (t2 - t1) * 1000, ((t1 - t0) + (time.perf_counter() - t2)) * 1000
        else:
            if service == "sqs" and action == "SendMessageBatch":
                units.sqs = cu.sqs_requests(sum(sqs_payload(e) for e in doc.get("Entries", [])))
            elif service == "sqs":
                units.sqs = cu.sqs_requests(sqs_payload(doc))
            elif service == "kms":
                units.kms = 1
            started = time.perf_counter()
            out = list(app(environ, start_response))
            ms = (time.perf_counter() - started) * 1000
        line = json.dumps({"t": time.time(), "function": function.group(1), "service": service,
                           "action": action, "rru": float(units.rru), "wru": units.wru,
                           "index_wru": units.index_wru, "stored": units.stored, "sqs": units.sqs,
                           "kms": units.kms, "ms": round(ms, 2), "extra_ms": round(extra, 2), **({"error": error} if error else {})})
        with _out_lock:
            _out.write(line + "\n")
        return out

    return wrapped


if __name__ == "__main__":
    # moto_child wraps the application with its DynamoDB lock (and call log); measuring runs
    # inside that lock.
    _serialise = moto_child.serialise_dynamodb
    moto_child.serialise_dynamodb = lambda app: _serialise(measuring(app))
    moto_child.main()
