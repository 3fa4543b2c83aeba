"""DynamoDB behaviours the code depends on, probed on an emulator's endpoint and compared with what
AWS documents (the `aws` of each probe: the error code, or the value, DynamoDB answers).

    .venv/bin/python infra/local/ddb_fidelity.py http://127.0.0.1:PORT [--json]

Prints one line per probe: faithful or not, what AWS answers, what the emulator answered. Creates
its own table (`Fidelity-<random>`) and deletes it. Exit code 0 whatever it finds: it measures.
"""
import concurrent.futures
import json
import sys
import threading
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError


def client(endpoint):
    return boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name="us-east-1",
        aws_access_key_id="local", aws_secret_access_key="local",
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, max_pool_connections=32))


def code(fn):
    """The error code of a call, or "ok"."""
    try:
        fn()
        return "ok"
    except ClientError as e:
        return e.response["Error"]["Code"]


def s(v):
    return {"S": v}


def main():
    endpoint = sys.argv[1]
    ddb = client(endpoint)
    table = f"Fidelity-{uuid.uuid4().hex[:8]}"
    ddb.create_table(
        TableName=table, BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": n, "AttributeType": "S"} for n in ("PK", "SK", "GSI1PK", "GSI1SK")],
        KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[{
            "IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"},
            "KeySchema": [{"AttributeName": "GSI1PK", "KeyType": "HASH"},
                          {"AttributeName": "GSI1SK", "KeyType": "RANGE"}]}])
    results = []

    def probe(name, aws, got, note=""):
        results.append({"probe": name, "aws": aws, "emulator": got, "faithful": aws == got, "note": note})

    def put(item, **kw):
        return ddb.put_item(TableName=table, Item=item, **kw)

    # --- limits ---
    big = "x" * (400 * 1024 - 40)
    probe("item of 400 KB + a little is refused", "ValidationException",
          code(lambda: put({"PK": s("big"), "SK": s("1"), "payload": s(big + "x" * 100)})))
    probe("item just under 400 KB is stored", "ok",
          code(lambda: put({"PK": s("big"), "SK": s("2"), "payload": s("x" * (400 * 1024 - 100))})))
    items = [{"Put": {"TableName": table, "Item": {"PK": s("tx100"), "SK": s(f"{i:03}")}}} for i in range(101)]
    probe("transaction of 100 items", "ok", code(lambda: ddb.transact_write_items(TransactItems=items[:100])))
    probe("transaction of 101 items is refused", "ValidationException",
          code(lambda: ddb.transact_write_items(TransactItems=items)))
    probe("one item twice in a transaction is refused", "ValidationException",
          code(lambda: ddb.transact_write_items(TransactItems=[items[0], items[0]])))
    big_tx = [{"Put": {"TableName": table, "Item": {"PK": s("tx4mb"), "SK": s(f"{i:03}"),
                                                     "payload": s("y" * (390 * 1024))}}} for i in range(11)]
    probe("transaction over 4 MB is refused", "ValidationException",
          code(lambda: ddb.transact_write_items(TransactItems=big_tx)))
    batch = [{"PutRequest": {"Item": {"PK": s("batch"), "SK": s(f"{i:03}")}}} for i in range(26)]
    probe("BatchWriteItem of 26 is refused", "ValidationException",
          code(lambda: ddb.batch_write_item(RequestItems={table: batch})))
    keys = [{"PK": s("batch"), "SK": s(f"{i:03}")} for i in range(101)]
    probe("BatchGetItem of 101 keys is refused", "ValidationException",
          code(lambda: ddb.batch_get_item(RequestItems={table: {"Keys": keys}})))
    probe("BatchGetItem with a key twice is refused", "ValidationException",
          code(lambda: ddb.batch_get_item(RequestItems={table: {"Keys": [keys[0], keys[0]]}})))
    probe("number of 39 significant digits is refused", "ValidationException",
          code(lambda: put({"PK": s("n"), "SK": s("1"), "num": {"N": "1" * 39}})))

    # --- expression validation ---
    probe("unused ExpressionAttributeValues are refused", "ValidationException",
          code(lambda: ddb.update_item(TableName=table, Key={"PK": s("e"), "SK": s("1")},
                                       UpdateExpression="SET attr = :a",
                                       ExpressionAttributeValues={":a": s("1"), ":b": s("2")})))
    probe("unused ExpressionAttributeNames are refused", "ValidationException",
          code(lambda: ddb.update_item(TableName=table, Key={"PK": s("e"), "SK": s("1")},
                                       UpdateExpression="SET attr = :a", ExpressionAttributeNames={"#n": "n"},
                                       ExpressionAttributeValues={":a": s("1")})))
    probe("a reserved word as a name is refused", "ValidationException",
          code(lambda: ddb.update_item(TableName=table, Key={"PK": s("e"), "SK": s("1")},
                                       UpdateExpression="SET status = :a",
                                       ExpressionAttributeValues={":a": s("1")})))
    probe("updating a key attribute is refused", "ValidationException",
          code(lambda: ddb.update_item(TableName=table, Key={"PK": s("e"), "SK": s("1")},
                                       UpdateExpression="SET SK = :a", ExpressionAttributeValues={":a": s("2")})))
    probe("two paths overlapping in one update are refused", "ValidationException",
          code(lambda: ddb.update_item(TableName=table, Key={"PK": s("e"), "SK": s("1")},
                                       UpdateExpression="SET attr = :a, attr = :b",
                                       ExpressionAttributeValues={":a": s("1"), ":b": s("2")})))
    probe("an empty string key is refused", "ValidationException",
          code(lambda: put({"PK": s(""), "SK": s("1")})))
    probe("an empty string index key is refused", "ValidationException",
          code(lambda: put({"PK": s("g"), "SK": s("1"), "GSI1PK": s(""), "GSI1SK": s("a")})))
    probe("an index key of the wrong type is refused", "ValidationException",
          code(lambda: put({"PK": s("g"), "SK": s("2"), "GSI1PK": {"N": "1"}, "GSI1SK": s("a")})))
    probe("a key condition on a non-key attribute is refused", "ValidationException",
          code(lambda: ddb.query(TableName=table, KeyConditionExpression="PK = :p AND attr = :a",
                                 ExpressionAttributeValues={":p": s("e"), ":a": s("1")})))
    probe("a Query of an index with ConsistentRead is refused", "ValidationException",
          code(lambda: ddb.query(TableName=table, IndexName="GSI1", ConsistentRead=True,
                                 KeyConditionExpression="GSI1PK = :p", ExpressionAttributeValues={":p": s("e")})))

    # --- conditions and cancellation reasons ---
    put({"PK": s("c"), "SK": s("1"), "payload": s("old")})
    try:
        put({"PK": s("c"), "SK": s("1")}, ConditionExpression="attribute_not_exists(PK)",
            ReturnValuesOnConditionCheckFailure="ALL_OLD")
        got = "ok"
    except ClientError as e:
        got = e.response["Error"]["Code"] + (" with Item" if "Item" in e.response else " without Item")
    probe("ReturnValuesOnConditionCheckFailure returns the item", "ConditionalCheckFailedException with Item", got)
    try:
        ddb.transact_write_items(TransactItems=[
            {"Put": {"TableName": table, "Item": {"PK": s("c"), "SK": s("2")}}},
            {"Put": {"TableName": table, "Item": {"PK": s("c"), "SK": s("1")},
                     "ConditionExpression": "attribute_not_exists(PK)",
                     "ReturnValuesOnConditionCheckFailure": "ALL_OLD"}}])
        got = "ok"
    except ClientError as e:
        reasons = e.response.get("CancellationReasons") or []
        got = e.response["Error"]["Code"] + " " + ",".join(r.get("Code", "") for r in reasons) + (
            " with Item" if reasons and "Item" in reasons[-1] else "")
    probe("a failed condition in a transaction names its item", "TransactionCanceledException None,ConditionalCheckFailed with Item", got)

    # --- capacity ---
    out = put({"PK": s("cap"), "SK": s("1"), "payload": s("z" * 3500)}, ReturnConsumedCapacity="TOTAL")
    probe("PutItem of 3.5 KB consumes 4 WCU", 4.0, (out.get("ConsumedCapacity") or {}).get("CapacityUnits"))
    out = ddb.transact_write_items(TransactItems=[{"Put": {"TableName": table, "Item": {"PK": s("cap"), "SK": s("2")}}}],
                                   ReturnConsumedCapacity="TOTAL")
    probe("a transactional write of 1 KB consumes 2 WCU", 2.0,
          ((out.get("ConsumedCapacity") or [{}])[0]).get("CapacityUnits"))
    out = ddb.get_item(TableName=table, Key={"PK": s("cap"), "SK": s("1")}, ReturnConsumedCapacity="TOTAL")
    probe("an eventually consistent GetItem of 3.5 KB consumes 0.5 RCU", 0.5,
          (out.get("ConsumedCapacity") or {}).get("CapacityUnits"))

    # --- paging ---
    for i in range(15):
        put({"PK": s("page"), "SK": s(f"{i:03}"), "payload": s("p" * (100 * 1024)), **({"omit_me": s("1")} if i == 0 else {})})
    out = ddb.query(TableName=table, KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": s("page")})
    probe("a Query stops at 1 MB (15 items of 100 KB)", "a page + LastEvaluatedKey",
          ("a page" if out["Count"] < 15 else "all") + (" + LastEvaluatedKey" if "LastEvaluatedKey" in out else ""),
          f"{out['Count']} items in the first page")
    out = ddb.query(TableName=table, KeyConditionExpression="PK = :p", Limit=3, FilterExpression="attribute_not_exists(omit_me)",
                    ExpressionAttributeValues={":p": s("page")})
    probe("Limit counts items read before the filter", "2 of 3 + LastEvaluatedKey",
          f"{out['Count']} of {out['ScannedCount']}" + (" + LastEvaluatedKey" if "LastEvaluatedKey" in out else ""))

    # --- index consistency (AWS: eventually consistent, usually < 1 s) ---
    put({"PK": s("idx"), "SK": s("1"), "GSI1PK": s("IDX"), "GSI1SK": s("1")})
    out = ddb.query(TableName=table, IndexName="GSI1", KeyConditionExpression="GSI1PK = :p",
                    ExpressionAttributeValues={":p": s("IDX")})
    probe("an index read right after a write may miss it (AWS: may)", "may miss",
          "sees it at once" if out["Count"] else "missed it", "informative: AWS gives no guarantee either way")

    # --- concurrency: transactions touching one item at once ---
    put({"PK": s("hot"), "SK": s("1"), "hits": {"N": "0"}})
    counts = {"ok": 0}
    lock = threading.Lock()

    def bump(i):
        c = client(endpoint)
        for _ in range(15):
            try:
                c.transact_write_items(TransactItems=[
                    {"Update": {"TableName": table, "Key": {"PK": s("hot"), "SK": s("1")},
                                "UpdateExpression": "ADD hits :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                    {"Put": {"TableName": table, "Item": {"PK": s("hot"), "SK": s(f"w{i}-{uuid.uuid4().hex[:6]}")}}}])
                key = "ok"
            except ClientError as e:
                reasons = e.response.get("CancellationReasons") or []
                key = e.response["Error"]["Code"] + "".join(f" {r.get('Code')}" for r in reasons[:1])
            with lock:
                counts[key] = counts.get(key, 0) + 1

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(bump, range(8)))
    final = int(ddb.get_item(TableName=table, Key={"PK": s("hot"), "SK": s("1")}, ConsistentRead=True)["Item"]["hits"]["N"])
    conflicts = sum(v for k, v in counts.items() if "Conflict" in k)
    probe("8 x 15 concurrent transactions on one item: some cancelled (TransactionConflict)", "some",
          "some" if conflicts else "none",
          f"{counts}; the counter reads {final} (must equal the ok count {counts['ok']})")
    final_ok = final == counts["ok"]
    probe("concurrent transactions stay atomic (counter = successes)", True, final_ok)

    def plain_vs_tx():
        c = client(endpoint)
        seen = {}
        for _ in range(40):
            k = code(lambda: c.update_item(TableName=table, Key={"PK": s("hot2"), "SK": s("1")},
                                           UpdateExpression="ADD hits :one", ExpressionAttributeValues={":one": {"N": "1"}}))
            seen[k] = seen.get(k, 0) + 1
        return seen

    def tx_loop():
        c = client(endpoint)
        for _ in range(40):
            code(lambda: c.transact_write_items(TransactItems=[
                {"Update": {"TableName": table, "Key": {"PK": s("hot2"), "SK": s("1")},
                            "UpdateExpression": "ADD extra :one", "ExpressionAttributeValues": {":one": {"N": "1"}}}},
                {"Put": {"TableName": table, "Item": {"PK": s("hot2"), "SK": s(uuid.uuid4().hex)}}}]))

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(tx_loop), pool.submit(tx_loop), pool.submit(plain_vs_tx), pool.submit(plain_vs_tx)]
        seen = {}
        for f in futures[2:]:
            for k, v in f.result().items():
                seen[k] = seen.get(k, 0) + v
    probe("UpdateItem on an item a transaction holds: some TransactionConflictException", "some",
          "some" if seen.get("TransactionConflictException") else "none", str(seen))

    ddb.delete_table(TableName=table)
    if "--json" in sys.argv:
        print(json.dumps(results, indent=1))
    else:
        for r in results:
            print(f"{'ok  ' if r['faithful'] else 'DIFF'} {r['probe']}: AWS {r['aws']!r}, here {r['emulator']!r}"
                  + (f" ({r['note']})" if r["note"] else ""))
        print(f"{sum(r['faithful'] for r in results)} of {len(results)} as AWS")


if __name__ == "__main__":
    main()
