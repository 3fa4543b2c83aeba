"""What DynamoDB does that moto does not: transaction conflicts, index lag, throttling on demand.

moto_child.py serialises every DynamoDB request, so moto alone never refuses a write for a
transaction in flight, and its global secondary indexes are read from the table itself (always
current). AWS does both, and the code must handle them; this module makes the emulator do them.

Settings (environment of moto_child.py; all three can be changed at run time, below):
  MOTO_DDB_CONFLICT_WINDOW_MS  (default 10) a TransactWriteItems holds its items "in flight" for this
      long before it executes (plus its wait for the serialised backend). Meanwhile, as in AWS
      (developer guide, "Transaction conflict handling"):
        - another TransactWriteItems touching one of them is cancelled: TransactionCanceledException,
          CancellationReasons `TransactionConflict` for the items in flight, `None` for the others;
        - a PutItem/UpdateItem/DeleteItem on one of them fails: TransactionConflictException;
        - a TransactGetItems reading one of them is cancelled the same way.
      Nothing of the refused request is executed. 0 turns conflicts off.
  MOTO_DDB_INDEX_LAG_MS  (default 0) reads of a global secondary index (Query/Scan with IndexName)
      see each item as it was this long ago: an item written more recently appears with its previous
      image (at its previous index key; absent if it is new; still there if it was just deleted).
      Base-table reads are unaffected (GetItem and Query are read-committed, as consistent reads are).
  MOTO_DDB_THROTTLE_RATE  (default 0) the fraction of data-plane requests answered
      ProvisionedThroughputExceededException instead of executed; 1 is a switch.
  MOTO_DDB_CONFLICT_RATE  (default 0) the fraction of transactions refused as above although
      nothing holds their items (conflicts injected, whatever the timing), and of single writes
      on items a transaction wrote (only those can meet one in AWS).

At run time, `POST /_emulation/dynamodb` on the emulator with a JSON object:
  {"conflict_window_ms": N, "index_lag_ms": N, "throttle_rate": x, "conflict_rate": x}  changes
      the settings above;
  {"match": "TEXT", ...same fields...}  adds (or replaces) a scope: the settings it names apply to
      requests whose body contains TEXT (conflicts, throttling) and to writes of items whose stored
      image contains TEXT (index lag), e.g. one test's tenant id; others keep the global settings.
`GET /_emulation/dynamodb?match=TEXT` answers the scope's counters {"conflicts", "throttled",
"lagged_items"}; `DELETE /_emulation/dynamodb?match=TEXT` removes it. `GET` without a match answers
the global settings and counters.
"""
import collections
import copy
import io
import json
import os
import random
import threading
import time
import urllib.parse

from moto.dynamodb.models import DynamoDBBackend, dynamodb_backends

CONTROL_PATH = "/_emulation/dynamodb"
_PREFIX = "com.amazonaws.dynamodb.v20120810#"
_ONGOING = "Transaction is ongoing for the item"
_DATA_PLANE = {"GetItem", "PutItem", "UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem",
               "BatchWriteItem", "TransactWriteItems", "TransactGetItems"}
_FIELDS = ("conflict_window_ms", "index_lag_ms", "throttle_rate", "conflict_rate")
_RATES = ("throttle_rate", "conflict_rate")


def _number(name, default):
    raw = os.environ.get(name, "")
    try:
        value = float(raw) if raw.strip() else default
    except ValueError:
        raise SystemExit(f"{name} must be a number, not {raw!r}")
    if value < 0:
        raise SystemExit(f"{name} must not be negative")
    return value


def _counters():
    return {"conflicts": 0, "throttled": 0, "lagged_items": 0}


_settings = {
    "conflict_window_ms": _number("MOTO_DDB_CONFLICT_WINDOW_MS", 10),
    "index_lag_ms": _number("MOTO_DDB_INDEX_LAG_MS", 0),
    "throttle_rate": min(1.0, _number("MOTO_DDB_THROTTLE_RATE", 0)),
    "conflict_rate": min(1.0, _number("MOTO_DDB_CONFLICT_RATE", 0)),
}
_global_counters = _counters()
# match text -> {"settings": {...only the fields it names}, "counters": {...}}
_scopes = {}
_scopes_lock = threading.Lock()
# (table, hash, range) of items held by a transaction in flight; guarded by _flight_lock
_in_flight = set()
# items written by transactions (most recent last, at most _TRANSACTIONAL_MAX): the single writes
# that conflict injection may refuse; guarded by _flight_lock
_transactional = collections.OrderedDict()
_TRANSACTIONAL_MAX = 200_000
_flight_lock = threading.Lock()
# (written_at, table, (hash, range), previous image or None, lag seconds, scope): index-relevant
# writes, oldest first; only touched under the backend lock (every DynamoDB request holds it).
_recent = collections.deque()


def _scope_for(text):
    """The first scope whose match text is in `text`, or None."""
    if not _scopes:
        return None
    with _scopes_lock:
        for match, scope in _scopes.items():
            if match in text:
                return match, scope
    return None


def _setting(scope, field):
    if scope is not None and field in scope[1]["settings"]:
        return scope[1]["settings"][field]
    return _settings[field]


def _count(scope, counter, n=1):
    with _scopes_lock:
        (scope[1]["counters"] if scope is not None else _global_counters)[counter] += n


# --- refusals, in AWS's wire format (what the SDKs parse) -----------------------------------------

def _error(start_response, doc):
    body = json.dumps(doc).encode()
    start_response("400 Bad Request", [
        ("Content-Type", "application/x-amz-json-1.0"),
        ("Content-Length", str(len(body))),
        ("x-amzn-RequestId", f"emulated-{random.getrandbits(64):016x}"),
    ])
    return [body]


def _cancelled(start_response, busy):
    codes = ["TransactionConflict" if b else "None" for b in busy]
    reasons = [{"Code": c, "Message": _ONGOING} if b else {"Code": c} for c, b in zip(codes, busy)]
    return _error(start_response, {
        "__type": _PREFIX + "TransactionCanceledException",
        "CancellationReasons": reasons,
        "Message": "Transaction cancelled, please refer cancellation reasons for specific reasons "
                   f"[{', '.join(codes)}]",
    })


def _conflict(start_response):
    return _error(start_response, {"__type": _PREFIX + "TransactionConflictException",
                                   "message": _ONGOING})


def _throttled(start_response):
    return _error(start_response, {
        "__type": _PREFIX + "ProvisionedThroughputExceededException",
        "message": "Throughput exceeds the current capacity of your table or index. DynamoDB is "
                   "automatically scaling your table or index so please try again shortly.",
    })


# --- item identities of a request ---------------------------------------------------------------

# table name -> (hash key attribute, range key attribute or None); a table's key never changes
_schemas = {}


def _schema(name, lock):
    if name not in _schemas:
        with lock:  # where moto creates tables and backends
            for regions in dynamodb_backends.values():
                for backend in regions.values():
                    table = backend.tables.get(name)
                    if table is not None:
                        _schemas[name] = (table.hash_key_attr, table.range_key_attr)
    return _schemas.get(name)


def _identity(lock, table_name, key=None, item=None):
    """(table, hash, range) as canonical JSON of the wire values; None when it cannot be told
    (moto's own validation then answers the request)."""
    schema = _schema(table_name, lock) if isinstance(table_name, str) else None
    source = key if key is not None else item
    if schema is None or not isinstance(source, dict):
        return None
    try:
        return (table_name,) + tuple(json.dumps(source[a], sort_keys=True) if a else None
                                     for a in schema)
    except KeyError:
        return None


def _identities(lock, action, doc):
    """One identity per item the request writes or reads transactionally (None where unknown)."""
    if action in ("TransactWriteItems", "TransactGetItems"):
        out = []
        for entry in doc.get("TransactItems") or []:
            try:
                (_, op), = entry.items()
                out.append(_identity(lock, op.get("TableName"), op.get("Key"), op.get("Item")))
            except (ValueError, AttributeError):
                out.append(None)
        return out
    return [_identity(lock, doc.get("TableName"), doc.get("Key"), doc.get("Item"))]


# --- the WSGI layer: throttling and conflicts, before the request queues for the backend ---------

def emulate(app, lock, refused=lambda environ: None):
    """Wraps moto's WSGI app (already serialised by `lock`). `refused(environ)` is called for each
    request answered here without executing it (so the call log still sees it)."""

    def wrapped(environ, start_response):
        if environ.get("PATH_INFO") == CONTROL_PATH:
            return _control(environ, start_response)
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB_20120810."):
            return app(environ, start_response)
        action = target.split(".", 1)[1]
        if action not in _DATA_PLANE:
            return app(environ, start_response)
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else b""
        environ["wsgi.input"] = io.BytesIO(body)
        text = body.decode("utf-8", "replace")
        scope = _scope_for(text)

        rate = _setting(scope, "throttle_rate")
        if rate > 0 and random.random() < rate:
            _count(scope, "throttled")
            refused(environ)
            return _throttled(start_response)

        transactional = action in ("TransactWriteItems", "TransactGetItems")
        window = _setting(scope, "conflict_window_ms")
        injected = _setting(scope, "conflict_rate")
        if (window <= 0 and injected <= 0) or action not in (
                "TransactWriteItems", "TransactGetItems", "PutItem", "UpdateItem", "DeleteItem"):
            return app(environ, start_response)
        try:
            doc = json.loads(body or b"{}")
        except ValueError:
            return app(environ, start_response)
        if not isinstance(doc, dict):
            return app(environ, start_response)
        keys = _identities(lock, action, doc)
        held = []
        with _flight_lock:
            busy = [k is not None and k in _in_flight for k in keys]
            known = [i for i, k in enumerate(keys)
                     if k is not None and (transactional or k in _transactional)]
            if not any(busy) and known and injected > 0 and random.random() < injected:
                busy[random.choice(known)] = True
            if not any(busy) and action == "TransactWriteItems":
                for k in keys:
                    if k is not None:
                        _transactional[k] = True
                        _transactional.move_to_end(k)
                while len(_transactional) > _TRANSACTIONAL_MAX:
                    _transactional.popitem(last=False)
                if window > 0:
                    held = [k for k in set(keys) if k is not None]
                    _in_flight.update(held)
        if any(busy):
            _count(scope, "conflicts")
            refused(environ)
            return _cancelled(start_response, busy) if transactional else _conflict(start_response)
        if not held:
            return app(environ, start_response)
        try:
            time.sleep(window / 1000.0)
            return app(environ, start_response)
        finally:
            with _flight_lock:
                _in_flight.difference_update(held)

    return wrapped


def _control(environ, start_response):
    method = environ.get("REQUEST_METHOD", "GET")
    query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""))
    match = (query.get("match") or [None])[0]
    answer = {}
    if method == "POST":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        try:
            doc = json.loads(environ["wsgi.input"].read(length) or b"{}")
            if not isinstance(doc, dict):
                raise ValueError
            settings = {f: float(doc[f]) for f in _FIELDS if f in doc}
            if any(v < 0 for v in settings.values()):
                raise ValueError
        except (ValueError, TypeError, AttributeError):
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
            return [b"expected a JSON object of non-negative " + ", ".join(_FIELDS).encode()]
        for rate in _RATES:
            if rate in settings:
                settings[rate] = min(1.0, settings[rate])
        with _scopes_lock:
            if doc.get("match"):
                scope = _scopes.setdefault(str(doc["match"]), {"settings": {}, "counters": _counters()})
                scope["settings"].update(settings)
                answer = dict(scope["counters"])
            else:
                _settings.update(settings)
                answer = dict(_settings)
    elif method == "DELETE" and match:
        with _scopes_lock:
            scope = _scopes.pop(match, None)
        answer = dict(scope["counters"]) if scope else {}
    else:
        with _scopes_lock:
            if match:
                scope = _scopes.get(match)
                answer = dict(scope["counters"]) if scope else _counters()
            else:
                answer = dict(_settings, **_global_counters)
    body = json.dumps(answer).encode()
    start_response("200 OK", [("Content-Type", "application/json"),
                              ("Content-Length", str(len(body)))])
    return [body]


# --- index lag: writes remembered with their previous image, index reads rewound -----------------

def _index_attributes(table):
    return {a for index in (table.global_indexes or []) for a in index.schema_key_attrs}


def _lag_for(previous, current):
    """(lag in seconds, scope) of a write: a scope's when either image mentions its match."""
    scope = None
    if _scopes:
        text = " ".join(json.dumps(i.to_json()) for i in (previous, current) if i is not None)
        with _scopes_lock:
            scope = next(((m, s) for m, s in _scopes.items()
                          if "index_lag_ms" in s["settings"] and m in text), None)
    return _setting(scope, "index_lag_ms") / 1000.0, scope


def _lagging():
    if _settings["index_lag_ms"] > 0:
        return True
    with _scopes_lock:
        return any("index_lag_ms" in s["settings"] for s in _scopes.values())


def _remember(table, key, write):
    """Runs `write` (a moto write of the item at `key`) and remembers the item's previous image
    when an index could show it."""
    if key is None or not _lagging():
        return write()
    attributes = _index_attributes(table)
    if not attributes:
        return write()
    before = table.get_item(*key)
    previous = copy.deepcopy(before) if before is not None else None
    result = write()
    current = table.get_item(*key)
    relevant = any(i is not None and attributes & set(i.attrs) for i in (previous, current))
    if relevant:
        lag, scope = _lag_for(previous, current)
        if lag > 0:
            _recent.append((time.monotonic(), table.name, key, previous, lag, scope))
    return result


def _key(backend, table, table_name, key=None, item=None):
    try:
        if item is not None:
            key = {a: item[a] for a in (table.hash_key_attr, table.range_key_attr) if a}
        return backend.get_keys_value(table, key)
    except Exception:  # malformed: moto answers it
        return None


def _place(table, key, item):
    hash_value, range_value = key
    if range_value is None:
        if item is None:
            table.items.pop(hash_value, None)
        else:
            table.items[hash_value] = item
    elif item is None:
        if hash_value in table.items:
            table.items[hash_value].pop(range_value, None)
    else:
        table.items[hash_value][range_value] = item


def _rewound(backend, table_name, index_name, read):
    """Runs an index read with every item written within its lag shown as it was before."""
    if not index_name or not _recent:
        return read()
    now = time.monotonic()
    max_lag = max(e[4] for e in _recent)
    while _recent and _recent[0][0] + max_lag <= now:
        _recent.popleft()
    table = backend.get_table(table_name)
    views = {}
    for written_at, name, key, previous, lag, scope in _recent:
        if name == table.name and written_at + lag > now and key not in views:
            views[key] = (previous, scope)
    if not views:
        return read()
    saved = {key: table.get_item(*key) for key in views}
    for key, (previous, scope) in views.items():
        _place(table, key, previous)
        _count(scope, "lagged_items")
    try:
        return read()
    finally:
        for key, item in saved.items():
            _place(table, key, item)


def install():
    put_item, update_item, delete_item = (DynamoDBBackend.put_item, DynamoDBBackend.update_item,
                                          DynamoDBBackend.delete_item)
    query, scan = DynamoDBBackend.query, DynamoDBBackend.scan

    def put(self, table_name, item_attrs, *args, **kwargs):
        table = self.get_table(table_name)
        return _remember(table, _key(self, table, table_name, item=item_attrs),
                         lambda: put_item(self, table_name, item_attrs, *args, **kwargs))

    def update(self, table_name, key, *args, **kwargs):
        table = self.get_table(table_name)
        return _remember(table, _key(self, table, table_name, key=key),
                         lambda: update_item(self, table_name, key, *args, **kwargs))

    def delete(self, table_name, key, *args, **kwargs):
        table = self.get_table(table_name)
        return _remember(table, _key(self, table, table_name, key=key),
                         lambda: delete_item(self, table_name, key, *args, **kwargs))

    def indexed_query(self, table_name, *args, **kwargs):
        index_name = kwargs.get("index_name", args[7] if len(args) > 7 else None)
        return _rewound(self, table_name, index_name,
                        lambda: query(self, table_name, *args, **kwargs))

    def indexed_scan(self, table_name, *args, **kwargs):
        index_name = kwargs.get("index_name", args[6] if len(args) > 6 else None)
        return _rewound(self, table_name, index_name,
                        lambda: scan(self, table_name, *args, **kwargs))

    DynamoDBBackend.put_item = put
    DynamoDBBackend.update_item = update
    DynamoDBBackend.delete_item = delete
    DynamoDBBackend.query = indexed_query
    DynamoDBBackend.scan = indexed_scan
