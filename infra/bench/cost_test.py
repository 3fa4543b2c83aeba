"""`make bench-cost`'s arithmetic, exactly, and the emulator's measurement of it against a real moto
server: `.venv/bin/python -m unittest infra/bench/cost_test.py` (part of `make bench-cost`)."""
import base64
import json
import os
import pathlib
import socket
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import cost_units as cu


class ItemSize(unittest.TestCase):
    def test_strings_count_utf8_bytes_of_names_and_values(self):
        self.assertEqual(cu.item_size({"PK": {"S": "TENANT#a"}}), 2 + 8)
        self.assertEqual(cu.item_size({"name": {"S": "Müller"}}), 4 + 7)

    def test_numbers_count_one_byte_plus_one_per_two_significant_digits(self):
        self.assertEqual(cu.number_size("0"), 1)
        self.assertEqual(cu.number_size("7"), 2)
        self.assertEqual(cu.number_size("12345"), 4)
        self.assertEqual(cu.number_size("1000"), 2)  # trailing zeros are scale
        self.assertEqual(cu.number_size("-0.0012"), 2)
        self.assertEqual(cu.number_size("1.5e10"), 2)

    def test_documents_add_three_bytes_and_one_per_element(self):
        self.assertEqual(cu.item_size({"l": {"L": []}}), 1 + 3)
        self.assertEqual(cu.item_size({"l": {"L": [{"S": "ab"}, {"BOOL": True}]}}), 1 + 3 + (1 + 2) + (1 + 1))
        self.assertEqual(cu.item_size({"m": {"M": {"k": {"NULL": True}}}}), 1 + 3 + (1 + 1 + 1))

    def test_sets_and_binary(self):
        blob = base64.b64encode(b"\x00" * 10).decode()
        self.assertEqual(cu.item_size({"b": {"B": blob}}), 1 + 10)
        self.assertEqual(cu.item_size({"s": {"SS": ["a", "bc"]}}), 1 + 3)
        self.assertEqual(cu.item_size({"n": {"NS": ["1", "22"]}}), 1 + 2 + 2)

    def test_no_item_has_no_size(self):
        self.assertEqual(cu.item_size(None), 0)


class Units(unittest.TestCase):
    def test_writes_pay_per_started_kilobyte_of_the_larger_version(self):
        self.assertEqual(cu.write_units(0, 10), 1)
        self.assertEqual(cu.write_units(0, 1024), 1)
        self.assertEqual(cu.write_units(1025, 10), 2)  # a shrinking update pays for the old size
        self.assertEqual(cu.write_units(0, 3000, transactional=True), 6)
        self.assertEqual(cu.write_units(0, 0), 1)  # a delete of nothing still pays

    def test_reads_pay_per_started_4kb_half_when_eventually_consistent(self):
        self.assertEqual(cu.read_units(100, consistent=True), Decimal(1))
        self.assertEqual(cu.read_units(100, consistent=False), Decimal("0.5"))
        self.assertEqual(cu.read_units(8193, consistent=True), Decimal(3))
        self.assertEqual(cu.read_units(0, consistent=False), Decimal("0.5"))
        self.assertEqual(cu.read_units(5000, consistent=True, transactional=True), Decimal(4))

    def test_index_writes_follow_the_entry(self):
        keys = ("GSI1PK", "GSI1SK")
        old = {"PK": {"S": "a"}, "GSI1PK": {"S": "x"}, "GSI1SK": {"S": "1"}}
        moved = dict(old, GSI1PK={"S": "y"})
        changed = dict(old, note={"S": "n"})
        left = {"PK": {"S": "a"}}
        self.assertEqual(cu.index_writes(None, left, keys), [])
        self.assertEqual(cu.index_writes(None, old, keys), [cu.item_size(old)])
        self.assertEqual(cu.index_writes(old, changed, keys), [cu.item_size(changed)])
        self.assertEqual(cu.index_writes(old, old, keys), [])
        self.assertEqual(cu.index_writes(old, moved, keys), [cu.item_size(old), cu.item_size(moved)])
        self.assertEqual(cu.index_writes(old, left, keys), [cu.item_size(old)])
        self.assertEqual(cu.index_writes(old, None, keys), [cu.item_size(old)])


class Requests(unittest.TestCase):
    def test_sqs_bills_64kb_chunks(self):
        self.assertEqual(cu.sqs_requests(0), 1)
        self.assertEqual(cu.sqs_requests(64 * 1024), 1)
        self.assertEqual(cu.sqs_requests(64 * 1024 + 1), 2)

    def test_http_api_bills_512kb_steps(self):
        self.assertEqual(cu.apigw_requests(300, 2000), 1)
        self.assertEqual(cu.apigw_requests(1_300_000, 100), 3)

    def test_lambda_rounds_each_invocation_up_to_the_millisecond(self):
        self.assertEqual(cu.lambda_gb_seconds(0.2, 1024), Decimal("0.001"))
        self.assertEqual(cu.lambda_gb_seconds(1000, 512), Decimal("0.5"))
        self.assertEqual(cu.lambda_gb_seconds(10.01, 256), Decimal("0.00275"))


class Price(unittest.TestCase):
    def test_each_line_is_usage_times_its_price_and_total_sums_them(self):
        usage = {"gb_seconds": Decimal(10), "invocations": 1_000_000, "wru": 1_000_000, "rru": 2_000_000,
                 "transitions": 1000, "sqs_requests": 1_000_000, "kms_requests": 10_000,
                 "apigw_requests": 1_000_000, "log_bytes": 1024**3, "traces": 1_000_000,
                 "data_out_bytes": 2 * 1024**3}
        p = cu.price(usage, "arm64")
        self.assertEqual(p["lambda_compute"], Decimal("0.000133334"))
        self.assertEqual(p["lambda_requests"], Decimal("0.20"))
        self.assertEqual(p["dynamodb_writes"], Decimal("0.625"))
        self.assertEqual(p["dynamodb_reads"], Decimal("0.250"))
        self.assertEqual(p["step_functions"], Decimal("0.025"))
        self.assertEqual(p["sqs"], Decimal("0.40"))
        self.assertEqual(p["kms"], Decimal("0.03"))
        self.assertEqual(p["api_gateway"], Decimal("1.00"))
        self.assertEqual(p["logs"], Decimal("0.50"))
        self.assertEqual(p["xray"], Decimal("5.00"))
        self.assertEqual(p["data_out"], Decimal("0.18"))
        self.assertEqual(p["total"], sum(v for k, v in p.items() if k != "total"))
        self.assertEqual(cu.price({"gb_seconds": Decimal(1)}, "x86_64")["lambda_compute"], Decimal("0.0000166667"))

    def test_storage_with_point_in_time_recovery(self):
        self.assertEqual(cu.storage_per_month(1024**3), Decimal("0.45"))
        self.assertEqual(cu.storage_per_month(-5), Decimal(0))


class Emulator(unittest.TestCase):
    """cost_moto.py logs each call of a function with what AWS bills for it."""

    @classmethod
    def setUpClass(cls):
        import boto3
        from botocore.config import Config

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        cls.units = pathlib.Path(tempfile.mkdtemp()) / "units.jsonl"
        here = pathlib.Path(__file__).resolve().parent
        cls.moto = subprocess.Popen([sys.executable, str(here / "cost_moto.py"), str(port)], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=dict(os.environ, MOTO_UNITS=str(cls.units)))
        assert cls.moto.stdout.readline().strip() == b"ready"
        kw = dict(endpoint_url=f"http://127.0.0.1:{port}", region_name="us-east-1",
                  aws_access_key_id="local", aws_secret_access_key="local")
        # A function is whoever names itself in the user agent (as api::app::load_sdk does).
        fn = Config(user_agent_appid="a-function")
        cls.tool, cls.fn = boto3.client("dynamodb", **kw), boto3.client("dynamodb", config=fn, **kw)
        cls.sqs_tool, cls.sqs = boto3.client("sqs", **kw), boto3.client("sqs", config=fn, **kw)
        cls.tool.create_table(
            TableName="T", BillingMode="PAY_PER_REQUEST",
            AttributeDefinitions=[{"AttributeName": a, "AttributeType": "S"} for a in ("PK", "SK", "G1", "G2")],
            KeySchema=[{"AttributeName": "PK", "KeyType": "HASH"}, {"AttributeName": "SK", "KeyType": "RANGE"}],
            GlobalSecondaryIndexes=[{"IndexName": "GSI1", "Projection": {"ProjectionType": "ALL"}, "KeySchema": [
                {"AttributeName": "G1", "KeyType": "HASH"}, {"AttributeName": "G2", "KeyType": "RANGE"}]}])

    @classmethod
    def tearDownClass(cls):
        cls.moto.terminate()
        cls.moto.wait()

    def last(self, action):
        lines = [json.loads(line) for line in self.units.read_text().splitlines()]
        mine = [u for u in lines if u["action"] == action]
        self.assertTrue(mine, f"no {action} logged")
        self.assertEqual(mine[-1]["function"], "a-function")
        return mine[-1]

    def key(self, pk, sk="1"):
        return {"PK": {"S": pk}, "SK": {"S": sk}}

    def test_a_write_pays_its_size_and_its_index_entry(self):
        item = dict(self.key("w"), d={"S": "x" * 1500}, G1={"S": "g"}, G2={"S": "1"})  # 1,513 bytes
        self.fn.put_item(TableName="T", Item=item)
        put = self.last("PutItem")
        self.assertEqual((put["wru"], put["index_wru"], put["stored"]), (2, 2, 1513 + 1513 + 100))
        self.fn.delete_item(TableName="T", Key=self.key("w"))
        gone = self.last("DeleteItem")
        self.assertEqual((gone["wru"], gone["index_wru"], gone["stored"]), (2, 2, -(1513 + 1513 + 100)))

    def test_binary_values_count_their_bytes(self):
        self.fn.put_item(TableName="T", Item=dict(self.key("b"), blob={"B": b"\x01" * 1020}))  # 4 + 1,024
        self.assertEqual(self.last("PutItem")["wru"], 2)
        self.assertEqual(self.last("PutItem")["stored"], 6 + 4 + 1020)

    def test_a_refused_condition_still_pays(self):
        self.tool.put_item(TableName="T", Item=dict(self.key("c"), d={"S": "x" * 2000}))
        with self.assertRaises(self.fn.exceptions.ConditionalCheckFailedException):
            self.fn.put_item(TableName="T", Item=self.key("c"), ConditionExpression="attribute_not_exists(PK)")
        self.assertEqual(self.last("PutItem")["wru"], 2)

    def test_a_transaction_pays_twice_condition_checks_included(self):
        self.tool.put_item(TableName="T", Item=dict(self.key("t"), d={"S": "x" * 1500}))
        self.fn.transact_write_items(TransactItems=[
            {"Put": {"TableName": "T", "Item": self.key("t2")}},
            {"ConditionCheck": {"TableName": "T", "Key": self.key("t"), "ConditionExpression": "attribute_exists(PK)"}}])
        self.assertEqual(self.last("TransactWriteItems")["wru"], 2 * 1 + 2 * 2)

    def test_a_query_pays_what_it_evaluated_not_what_it_returned(self):
        for i in range(10):  # 10 x 1,509 bytes: 4 blocks of 4 KB
            self.tool.put_item(TableName="T", Item=dict(self.key("q", str(i)), d={"S": "x" * 1500},
                                                         f={"S": "y" if i < 2 else "n"}))
        self.fn.query(TableName="T", KeyConditionExpression="#p = :p", FilterExpression="f = :y",
                      ExpressionAttributeNames={"#p": "PK"}, ConsistentRead=True,
                      ExpressionAttributeValues={":p": {"S": "q"}, ":y": {"S": "y"}})
        self.assertEqual(self.last("Query")["rru"], 4)
        self.fn.query(TableName="T", KeyConditionExpression="PK = :p", Select="COUNT",
                      ExpressionAttributeValues={":p": {"S": "q"}})
        self.assertEqual(self.last("Query")["rru"], 2)
        self.fn.query(TableName="T", KeyConditionExpression="PK = :p", ExpressionAttributeValues={":p": {"S": "q"}})
        self.assertEqual(self.last("Query")["rru"], 2)

    def test_reads_per_item_with_the_minimum_for_a_missing_one(self):
        self.tool.put_item(TableName="T", Item=dict(self.key("r"), d={"S": "x" * 5000}))
        self.fn.get_item(TableName="T", Key=self.key("r"), ConsistentRead=True)
        self.assertEqual(self.last("GetItem")["rru"], 2)
        self.fn.batch_get_item(RequestItems={"T": {"Keys": [self.key("r"), self.key("absent")]}})
        self.assertEqual(self.last("BatchGetItem")["rru"], 1 + 0.5)

    def test_sqs_in_64kb_chunks_and_tools_are_not_logged(self):
        queue = self.sqs_tool.create_queue(QueueName="q")["QueueUrl"]
        self.sqs.send_message(QueueUrl=queue, MessageBody="z" * 70_000)
        self.assertEqual(self.last("SendMessage")["sqs"], 2)
        logged = [json.loads(line)["action"] for line in self.units.read_text().splitlines()]
        self.assertNotIn("CreateQueue", logged)
        self.assertNotIn("CreateTable", logged)


if __name__ == "__main__":
    unittest.main()
