"""The arithmetic of `make bench-cost` (infra/bench/cost.py): what AWS bills for one call, and the
prices. Pure: no emulator, no clock, no I/O, so `cost_test.py` checks it exactly.

DynamoDB bills on-demand capacity by item size, not by call. The rules applied (AWS DynamoDB
developer guide, "Item sizes and formats" and "Read/write capacity mode"):
- an item's size is the UTF-8 length of each attribute name plus its value: a string its UTF-8
  bytes, a number 1 byte plus 1 per two significant digits, binary its bytes, a boolean or null
  1 byte, a list or map 3 bytes plus 1 byte per element plus the elements (a map's keys count
  like attribute names), a set the sum of its members;
- a write: 1 WRU per 1 KB of the larger of the item before and after (Put, Update, Delete; a
  failed condition still pays), at least 1; in a transaction twice that, ConditionCheck included;
- a read: 1 RRU per 4 KB strongly consistent, half eventually consistent; GetItem and each key of
  BatchGetItem round per item (a missing item still costs the minimum); Query rounds the total of
  the items it evaluated (before any filter or projection); TransactGetItems twice that;
- a global secondary index with a projection of ALL pays its own writes: one of the new entry when
  the item is (still) in the index, one to delete the old entry when it leaves it or its index key
  changes.
"""
from __future__ import annotations

import base64
import math
from decimal import Decimal

KB = 1024

# us-east-1 public on-demand prices in USD, read on 2026-12-06 (free tiers left out: they are per
# account and month, not per order). Sources:
#   Lambda: https://aws.amazon.com/lambda/pricing/ (first tier of each architecture)
#   DynamoDB: https://aws.amazon.com/dynamodb/pricing/on-demand/ (Standard table class; the prices
#     after the 50 % cut of 2024-11-01)
#   Step Functions: https://aws.amazon.com/step-functions/pricing/ (Standard, US East)
#   SQS: https://aws.amazon.com/sqs/pricing/ (standard queue, first tier; 64 KB chunks)
#   KMS: https://aws.amazon.com/kms/pricing/ (symmetric requests; $1 per key and month besides)
#   API Gateway: https://aws.amazon.com/api-gateway/pricing/ (HTTP API, first 300 M; 512 KB steps)
#   CloudWatch Logs: https://aws.amazon.com/cloudwatch/pricing/ (Standard ingestion, first tier)
#   X-Ray: https://aws.amazon.com/xray/pricing/ (traces recorded)
#   Data out: https://aws.amazon.com/ec2/pricing/on-demand/ (to the internet, first 10 TB a month;
#     API Gateway bills its responses at this rate)
PRICES_AS_OF = "2026-12-06"
PRICES = {
    "lambda_gb_second_arm64": Decimal("0.0000133334"),
    "lambda_gb_second_x86_64": Decimal("0.0000166667"),
    "lambda_request": Decimal("0.20") / 1_000_000,
    "dynamodb_wru": Decimal("0.625") / 1_000_000,
    "dynamodb_rru": Decimal("0.125") / 1_000_000,
    "dynamodb_gb_month": Decimal("0.25"),
    "dynamodb_pitr_gb_month": Decimal("0.20"),
    "sfn_transition": Decimal("0.025") / 1000,
    "sqs_request": Decimal("0.40") / 1_000_000,
    "kms_request": Decimal("0.03") / 10_000,
    "apigw_http_request": Decimal("1.00") / 1_000_000,
    "logs_gb": Decimal("0.50"),
    "xray_trace": Decimal("5.00") / 1_000_000,
    "data_out_gb": Decimal("0.09"),
}

# DynamoDB's storage per index entry beyond its attributes (developer guide, "Global secondary
# indexes": 100 bytes of overhead per index item).
INDEX_ENTRY_OVERHEAD = 100


def number_size(text: str) -> int:
    """Bytes of a DynamoDB number: 1 + one per two significant digits (sign, point and exponent are
    not digits; leading and trailing zeros are not significant)."""
    mantissa = text.strip().lstrip("+-").lower().split("e")[0]
    # Trailing zeros are scale (DynamoDB keeps an exponent), wherever the point is.
    digits = mantissa.replace(".", "").strip("0")
    return 1 + math.ceil(len(digits) / 2)


def value_size(value: dict) -> int:
    """Bytes of one attribute value in DynamoDB JSON (`{"S": "..."}`, `{"M": {...}}`, ...)."""
    (kind, v), = value.items()
    if kind == "S":
        return len(v.encode("utf-8"))
    if kind == "N":
        return number_size(v)
    if kind == "B":
        return len(base64.b64decode(v))
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode("utf-8")) for s in v)
    if kind == "NS":
        return sum(number_size(n) for n in v)
    if kind == "BS":
        return sum(len(base64.b64decode(b)) for b in v)
    if kind == "L":
        return 3 + sum(1 + value_size(e) for e in v)
    if kind == "M":
        return 3 + sum(1 + len(k.encode("utf-8")) + value_size(e) for k, e in v.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict | None) -> int:
    """Bytes of an item in DynamoDB JSON; 0 for no item."""
    if not item:
        return 0
    return sum(len(name.encode("utf-8")) + value_size(v) for name, v in item.items())


def write_units(before: int, after: int, transactional: bool = False) -> int:
    """WRU of one item written (Put/Update/Delete/ConditionCheck) given its sizes before and after."""
    units = max(1, math.ceil(max(before, after) / KB))
    return units * 2 if transactional else units


def read_units(size: int, consistent: bool, transactional: bool = False) -> Decimal:
    """RRU of reading `size` bytes in one unit of rounding (an item, or a query's whole page)."""
    blocks = max(1, math.ceil(size / (4 * KB)))
    if transactional:
        return Decimal(2 * blocks)
    return Decimal(blocks) if consistent else Decimal(blocks) / 2


def index_writes(before: dict | None, after: dict | None, key_attrs: tuple[str, ...]) -> list[int]:
    """Sizes of the writes a write of `before` -> `after` costs one index with projection ALL whose
    key attributes are `key_attrs`."""
    def key(item):
        if not item or any(a not in item for a in key_attrs):
            return None
        return tuple(sorted((a, str(item[a])) for a in key_attrs))

    old, new = key(before), key(after)
    if old is None and new is None:
        return []
    if old is not None and new is not None and old == new:
        return [] if before == after else [item_size(after)]
    writes = []
    if old is not None:
        writes.append(item_size(before))  # the old entry is deleted
    if new is not None:
        writes.append(item_size(after))
    return writes


def sqs_requests(payload_bytes: int) -> int:
    """Billed SQS requests of one API call carrying `payload_bytes`: one per 64 KB chunk."""
    return max(1, math.ceil(payload_bytes / (64 * KB)))


def apigw_requests(request_bytes: int, response_bytes: int) -> int:
    """Billed HTTP API requests of one call: metered in 512 KB steps."""
    return max(1, math.ceil((request_bytes + response_bytes) / (512 * KB)))


def lambda_gb_seconds(duration_ms: float, memory_mb: int) -> Decimal:
    """GB-seconds of one invocation: its duration rounded up to the millisecond, times its memory."""
    billed_ms = max(1, math.ceil(duration_ms))
    return Decimal(billed_ms) / 1000 * Decimal(memory_mb) / 1024


def price(usage: dict, architecture: str) -> dict:
    """USD per line of one order's usage (keys as `Usage` in cost.py); `total` sums them."""
    p = PRICES
    lines = {
        "lambda_compute": Decimal(str(usage.get("gb_seconds", 0))) * p[f"lambda_gb_second_{architecture}"],
        "lambda_requests": usage.get("invocations", 0) * p["lambda_request"],
        "dynamodb_writes": Decimal(str(usage.get("wru", 0))) * p["dynamodb_wru"],
        "dynamodb_reads": Decimal(str(usage.get("rru", 0))) * p["dynamodb_rru"],
        "step_functions": usage.get("transitions", 0) * p["sfn_transition"],
        "sqs": usage.get("sqs_requests", 0) * p["sqs_request"],
        "kms": usage.get("kms_requests", 0) * p["kms_request"],
        "api_gateway": usage.get("apigw_requests", 0) * p["apigw_http_request"],
        "logs": Decimal(usage.get("log_bytes", 0)) / 1024**3 * p["logs_gb"],
        "xray": usage.get("traces", 0) * p["xray_trace"],
        "data_out": Decimal(usage.get("data_out_bytes", 0)) / 1024**3 * p["data_out_gb"],
    }
    lines["total"] = sum(lines.values(), Decimal(0))
    return lines


def storage_per_month(stored_bytes: int) -> Decimal:
    """USD a month of keeping `stored_bytes` in a table with point-in-time recovery on."""
    gb = Decimal(max(0, stored_bytes)) / 1024**3
    return gb * (PRICES["dynamodb_gb_month"] + PRICES["dynamodb_pitr_gb_month"])
