"""The least-privilege check's own tests, on template.yaml and calls made up here:
`.venv/bin/python -m unittest infra/e2e/check_policies_test.py` (part of `make test`)."""
import copy
import pathlib
import sys
import unittest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import check_policies as cp
from cfnlint.decode import cfn_yaml

TEMPLATE = pathlib.Path(__file__).resolve().parents[2] / "template.yaml"
KEY_ITEM = "APIKEY#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d91"


def quiet(*_):
    pass


def function(template, binary):
    return next(r for r in template["Resources"].values()
                if r["Type"] == "AWS::Serverless::Function"
                and r["Metadata"]["BuildProperties"]["Binary"] == binary)


def calls(binary, *perms):
    """read_calls' shape: {function: {(action, logical, suffix, leading keys): suites}}."""
    return {binary: {(action, "MainTable", "", (key,)): {"made-up"} for action, key in perms}}


class Fence(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.template = cfn_yaml.load(str(TEMPLATE))

    def test_the_templates_internet_facing_functions_cannot_write_key_items(self):
        for binary in cp.FENCED:
            granted = cp.grants(function(self.template, binary))
            self.assertEqual(cp.fence_problems(binary, granted), [], binary)

    def test_a_write_grant_without_its_leading_keys_condition_is_a_gap(self):
        template = copy.deepcopy(self.template)
        for st in function(template, "enrich-batch")["Properties"]["Policies"][0]["Statement"]:
            st.pop("Condition", None)
        problems = cp.check(template, {}, granted_only=True, report=quiet)
        self.assertTrue(any(p.startswith("enrich-batch:") and "UpdateItem APIKEY#" in p for p in problems),
                        problems)
        self.assertFalse(any(p.startswith("webhook-dispatcher:") for p in problems), problems)

    def test_a_condition_whose_pattern_admits_key_items_is_a_gap(self):
        template = copy.deepcopy(self.template)
        for st in function(template, "webhook-dispatcher")["Properties"]["Policies"][0]["Statement"]:
            if "Condition" in st:
                st["Condition"] = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": ["*#*"]}}
        problems = cp.fence_problems("webhook-dispatcher", cp.grants(function(template, "webhook-dispatcher")))
        self.assertTrue(any("PutItem APIKEY#" in p for p in problems), problems)
        self.assertTrue(any("UpdateItem RATE#" in p for p in problems), problems)

    def test_a_fenced_functions_write_to_a_key_item_fails_the_check(self):
        for binary in cp.FENCED:
            used = calls(binary, ("dynamodb:PutItem", KEY_ITEM), ("dynamodb:UpdateItem", KEY_ITEM))
            problems = cp.check(self.template, used, granted_only=True, report=quiet)
            for action in ("PutItem", "UpdateItem"):
                self.assertIn(f"{binary}: uses dynamodb:{action} on MainTable (leading key e.g. {KEY_ITEM}), "
                              "not granted [made-up]", problems)

    def test_the_writes_they_make_pass(self):
        used = calls("enrich-batch",
                     ("dynamodb:UpdateItem", "TENANT#t-1"),
                     ("dynamodb:PutItem", "TENANT#t-1#ORDER#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d90"),
                     ("dynamodb:BatchWriteItem", "TENANT#t-1#ORDER#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d90"))
        used |= calls("webhook-dispatcher",
                      ("dynamodb:PutItem", "TENANT#t-1"),
                      ("dynamodb:PutItem", "TENANT#t-1#ORDER#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d90"),
                      ("dynamodb:UpdateItem", "WEBHOOK#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d92"))
        self.assertEqual(cp.check(self.template, used, granted_only=True, report=quiet), [])
        # Results are written under the order's partition only: not over the tenant's own items.
        used = calls("enrich-batch", ("dynamodb:PutItem", "TENANT#t-1"))
        problems = cp.check(self.template, used, granted_only=True, report=quiet)
        self.assertEqual(len(problems), 1, problems)


if __name__ == "__main__":
    unittest.main()
