"""Least privilege, checked both ways against what the functions really call.

usage: python infra/e2e/check_policies.py CALLS_JSONL ENV_FILE [template.yaml]

CALLS_JSONL is the emulator's call log (infra/local/moto_child.py with MOTO_CALLS): one line per AWS call
a function made, with the IAM permissions the call needs. ENV_FILE is the local stack's environment
(physical names of the template's resources). For every function of template.yaml:
- each permission it used must be granted by its Policies (action and resource), and
- each permission its Policies grant must have been used, unless UNEXERCISED below says why the run
  cannot reach it.
Fails (exit 1) on any gap either way, and when a function granted permissions made no call at all
(one granted none, such as the API description's, must make none).
"""
import fnmatch
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from cfnlint.decode import cfn_yaml

# Grants the e2e run cannot exercise, with the reason. Keep it short: each line is a permission no
# test proves is needed.
UNEXERCISED = {
    ("complete-order", "dynamodb:BatchWriteItem"):
        "removes the staged batches it delivers, only when it closes a gap a handed-back batch left "
        "(api-tests workflow::every_feature_against_slow_sites_fits_the_time_budget_and_loses_nothing)",
    ("outbox-relay", "dynamodb:UpdateItem"):
        "marks an event published, only for events the request path failed to send "
        "(api-tests webhooks::an_event_whose_send_failed_after_the_transaction_still_arrives)",
    ("outbox-relay", "sqs:SendMessage"):
        "the same: publishes only events the request path failed to send",
    ("admin-recover-webhooks", "sqs:SendMessage"):
        "requeues only events the dispatcher has recorded as failed, and whether the partner has one "
        "when the run gets there is the dispatcher's timing "
        "(api-tests webhooks::always_failing_is_dead_lettered_and_recovered_after_the_outage)",
}

def logical_of(expr):
    """(logical id, suffix pattern) of a resource expression of the template."""
    if expr == "*":
        return ("*", "")
    if isinstance(expr, dict) and "Ref" in expr:
        return (expr["Ref"], "")
    if isinstance(expr, dict) and "Fn::GetAtt" in expr:
        att = expr["Fn::GetAtt"]
        return ((att[0] if isinstance(att, list) else att.split(".")[0]), "")
    if isinstance(expr, dict) and "Fn::Sub" in expr:
        text = expr["Fn::Sub"] if isinstance(expr["Fn::Sub"], str) else expr["Fn::Sub"][0]
        refs = [r for r in re.findall(r"\$\{([A-Za-z0-9]+)(?:\.[A-Za-z]+)?\}", text) if not r.startswith("AWS")]
        if len(refs) != 1:
            raise SystemExit(f"resource names {len(refs)} resources: {text}")
        ref = refs[0]
        tail = re.split(r"\$\{" + ref + r"(?:\.[A-Za-z]+)?\}", text, maxsplit=1)[1]
        if ":execution:" in text:
            return (ref, ":execution" + tail)
        return (ref, tail)
    raise SystemExit(f"unsupported resource expression {expr!r}")


def as_list(v):
    return v if isinstance(v, list) else [v]


def grants(function):
    """[(action pattern, logical id, suffix pattern)] of a function's Policies."""
    out = []
    for policy in function["Properties"].get("Policies", []):
        if not isinstance(policy, dict):
            raise SystemExit(f"managed policy {policy!r}: name actions explicitly")
        for name, value in policy.items():
            if name == "Statement":
                for st in as_list(value):
                    assert st.get("Effect", "Allow") == "Allow", st
                    for action in as_list(st["Action"]):
                        for res in as_list(st["Resource"]):
                            out.append((action,) + logical_of(res))
            else:  # a SAM policy template hides its actions: name them
                raise SystemExit(f"policy template {name}: expand it into a Statement")
    return out


def physical_names(template, env_file):
    """physical name -> logical id, through the environment variables that carry them."""
    env = dict(line.split("=", 1) for line in Path(env_file).read_text().splitlines() if "=" in line)
    by_var = {}
    sections = [template.get("Globals", {}).get("Function", {})] + [
        r.get("Properties", {}) for r in template["Resources"].values()]
    for section in sections:
        for var, expr in (section.get("Environment", {}).get("Variables") or {}).items():
            if isinstance(expr, dict) and ("Ref" in expr or "Fn::GetAtt" in expr):
                by_var[var] = logical_of(expr)[0]
    return {env[var]: logical for var, logical in by_var.items() if var in env}


def resolve(resource, names):
    """(logical id, suffix) of a resource as a call named it."""
    if resource == "*":
        return ("*", "")
    if ":execution:" in resource:  # arn:...:execution:<machine>:<name>
        machine = resource.replace(":execution:", ":stateMachine:").rsplit(":", 1)[0]
        return (names.get(machine, machine), ":execution:" + resource.rsplit(":", 1)[1])
    if "/index/" in resource:
        table, index = resource.split("/index/", 1)
        return (names.get(table, table), "/index/" + index)
    return (names.get(resource, resource), "")


def allows(grant, action, logical, suffix):
    g_action, g_logical, g_suffix = grant
    if not fnmatch.fnmatchcase(action, g_action):
        return False
    if logical == "*":  # e.g. kms:Decrypt names no key: the ciphertext does
        return True
    return g_logical in ("*", logical) and fnmatch.fnmatchcase(suffix, g_suffix)


def main():
    calls_file, env_file = sys.argv[1], sys.argv[2]
    template = cfn_yaml.load(sys.argv[3] if len(sys.argv) > 3 else "template.yaml")
    names = physical_names(template, env_file)
    used = defaultdict(set)
    for line in Path(calls_file).read_text().splitlines():
        call = json.loads(line)
        for action, resource in call["permissions"]:
            used[call["function"]].add((action,) + resolve(resource, names))
    problems = []
    print(f"{'function':28} permissions used (action on resource)")
    for logical_id, res in template["Resources"].items():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        binary = res["Metadata"]["BuildProperties"]["Binary"]
        granted = grants(res)
        mine = used.get(binary, set())
        if not mine and granted:
            problems.append(f"{binary}: made no AWS call in the run")
        for perm in sorted(mine):
            if not any(allows(g, *perm) for g in granted):
                problems.append(f"{binary}: uses {perm[0]} on {perm[1]}{perm[2]}, not granted")
        for g in granted:
            if not any(allows(g, *perm) for perm in mine) and (binary, g[0]) not in UNEXERCISED:
                problems.append(f"{binary}: granted {g[0]} on {g[1]}{g[2]}, never used")
        shown = {f"{a} {lg}{re.sub(':execution:.*', ':execution:*', sfx)}" for a, lg, sfx in mine}
        print(f"{binary:28} " + ", ".join(sorted(shown)))
    if problems:
        print("\n".join(["", "policy gaps:"] + problems), file=sys.stderr)
        sys.exit(1)
    print("every function's policies grant exactly what it used")


if __name__ == "__main__":
    main()
