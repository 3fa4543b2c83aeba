"""Least privilege, checked both ways against what the functions really call, over every suite.

usage: python infra/e2e/check_policies.py [--granted-only] [--template template.yaml] CALLS.jsonl...

Each CALLS.jsonl is an emulator's call log (infra/local/moto_child.py with MOTO_CALLS): one line per
AWS call a function made, with the function, the suite (else the file's name) and the IAM
permissions the call needs: action, resource and, for DynamoDB item calls, the partition key values
(IAM's dynamodb:LeadingKeys). Beside it, CALLS.env holds that run's VARIABLE=value lines: the
physical names of the template's resources as the functions' environment carried them (a variable
may appear more than once, e.g. a test's own queue standing in for the webhook queue).

For every function of template.yaml:
- each call must be granted by its Policies: action, resource (table, index, queue, state machine,
  key) and the statement's Condition where it has one (dynamodb:LeadingKeys);
- unless --granted-only (a single suite, e.g. `make fuzz`, reaches only part of the grants): each
  grant must have been used by some call, unless UNEXERCISED below says why no suite reaches it,
  and a function granted permissions must have made calls;
- the functions of FENCED (those handling what the internet sends them) must not be granted any
  write to an API key's or a rate bucket's partition (FENCED_PARTITIONS): their writes to the
  main table carry dynamodb:LeadingKeys conditions that leave those out, whatever the calls of a
  run happened to touch.
Prints which suites reached each grant; fails (exit 1) on any gap.
Its own tests: python -m unittest infra/e2e/check_policies_test.py (run by `make test`).
"""
import argparse
import fnmatch
import functools
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

from cfnlint.decode import cfn_yaml

# Grants no suite reaches, (function, action) -> why. Each line is a permission no test proves is
# needed: keep it empty, or short.
UNEXERCISED = {}

# Functions that parse or call what the internet controls, -> why: code execution in one must not
# be able to mint an API key (or lift a revocation), so no write of theirs may reach the
# partitions of FENCED_PARTITIONS.
FENCED = {
    "enrich-batch": "fetches and parses arbitrary company web pages",
    "webhook-dispatcher": "sends requests to partners' servers and reads their answers",
}

# The table whose items are fenced, and partitions of the items no fenced function may write:
# an API key (store/keys.rs `api_key`) and a key's rate bucket, which carries its revocation.
FENCED_TABLE = "MainTable"
FENCED_PARTITIONS = ("APIKEY#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d90", "RATE#key#0190f0c2-7b1e-7c4a-9d3e-5a8f2b6c1d90")
WRITE_ACTIONS = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:BatchWriteItem",
                 "dynamodb:PartiQLInsert", "dynamodb:PartiQLUpdate", "dynamodb:PartiQLDelete")

# What the checker can evaluate of a statement's Condition.
CONDITION_KEYS = {"dynamodb:LeadingKeys"}


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


def condition_of(statement):
    """A statement's Condition as ((operator, key, (values...)), ...), or () for none."""
    out = []
    for operator, tests in (statement.get("Condition") or {}).items():
        for key, values in tests.items():
            if key not in CONDITION_KEYS:
                raise SystemExit(f"condition key {key} is not checked here: teach check_policies.py")
            if operator.split(":")[-1] not in ("StringLike", "StringEquals"):
                raise SystemExit(f"condition operator {operator} is not checked here")
            out.append((operator, key, tuple(as_list(values))))
    return tuple(out)


def grants(function):
    """[(action pattern, logical id, suffix pattern, condition)] of a function's Policies."""
    out = []
    for policy in function["Properties"].get("Policies", []):
        if not isinstance(policy, dict):
            raise SystemExit(f"managed policy {policy!r}: name actions explicitly")
        for name, value in policy.items():
            if name == "Statement":
                for st in as_list(value):
                    assert st.get("Effect", "Allow") == "Allow", st
                    condition = condition_of(st)
                    for action in as_list(st["Action"]):
                        for res in as_list(st["Resource"]):
                            out.append((action,) + logical_of(res) + (condition,))
            else:  # a SAM policy template hides its actions: name them
                raise SystemExit(f"policy template {name}: expand it into a Statement")
    return out


def physical_names(template, env_file):
    """physical name -> logical id, through the environment variables that carry them."""
    pairs = [line.split("=", 1) for line in Path(env_file).read_text().splitlines() if "=" in line]
    by_var = {}
    sections = [template.get("Globals", {}).get("Function", {})] + [
        r.get("Properties", {}) for r in template["Resources"].values()]
    for section in sections:
        for var, expr in (section.get("Environment", {}).get("Variables") or {}).items():
            if isinstance(expr, dict) and ("Ref" in expr or "Fn::GetAtt" in expr):
                by_var[var] = logical_of(expr)[0]
    return {value: by_var[var] for var, value in pairs if var in by_var}


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


@functools.lru_cache(maxsize=None)
def like(pattern):
    return re.compile("".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern), re.S)


def string_like(value, pattern):
    """IAM's StringLike: `*` any characters, `?` one, case-sensitive."""
    return like(pattern).fullmatch(value) is not None


def condition_holds(condition, keys):
    """IAM's evaluation of a statement's condition against a call's leading keys (None: the call
    has none, e.g. a Scan: ForAllValues then holds, as in IAM, and any other operator fails)."""
    for operator, _key, values in condition:
        test = string_like if operator.endswith("StringLike") else (lambda v, p: v == p)
        if keys is None:
            if not operator.startswith("ForAllValues:"):
                return False
            continue
        matches = [any(test(k, p) for p in values) for k in keys]
        if operator.startswith("ForAllValues:"):
            if not all(matches):
                return False
        elif not any(matches):
            return False
    return True


def allows(grant, action, logical, suffix, keys):
    g_action, g_logical, g_suffix, condition = grant
    if not fnmatch.fnmatchcase(action, g_action):
        return False
    # A call naming no resource (kms:Decrypt: the ciphertext names its key) is judged by the action.
    if logical != "*" and not (g_logical in ("*", logical) and fnmatch.fnmatchcase(suffix, g_suffix)):
        return False
    return condition_holds(condition, keys)


def shown(grant):
    action, logical, suffix, condition = grant
    text = f"{action} {logical}{suffix}"
    for operator, key, values in condition:
        text += f" if {operator} {key} {list(values)}"
    return text


def read_calls(files, template):
    """function -> {(action, logical, suffix, leading keys): set of suites}."""
    used = defaultdict(lambda: defaultdict(set))
    for calls_file in files:
        calls_file = Path(calls_file)
        names = physical_names(template, calls_file.with_suffix(".env"))
        for line in calls_file.read_text().splitlines():
            call = json.loads(line)
            suite = call.get("suite") or calls_file.stem
            for permission in call["permissions"]:
                action, resource = permission[0], permission[1]
                keys = permission[2] if len(permission) > 2 else None
                perm = (action,) + resolve(resource, names) + (None if keys is None else tuple(keys),)
                used[call["function"]][perm].add(suite)
    return used


def fence_problems(binary, granted):
    """The writes to a fenced partition that `binary`'s grants would allow (FENCED)."""
    if binary not in FENCED:
        return []
    out = []
    for action in WRITE_ACTIONS:
        for partition in FENCED_PARTITIONS:
            allowing = [g for g in granted if allows(g, action, FENCED_TABLE, "", (partition,))]
            if allowing:
                out.append(f"{binary}: {FENCED[binary]}, yet {shown(allowing[0])} lets it {action} "
                           f"{partition.split('#')[0]}# items (fence it with dynamodb:LeadingKeys)")
    return out


def check(template, used, granted_only=False, report=print):
    """Every gap between `template`'s policies and the calls `used` made (read_calls)."""
    problems = []
    functions = set()
    report(f"{'function':28} grant -> suites that reached it")
    for res in template["Resources"].values():
        if res["Type"] != "AWS::Serverless::Function":
            continue
        binary = res["Metadata"]["BuildProperties"]["Binary"]
        functions.add(binary)
        granted = grants(res)
        problems += fence_problems(binary, granted)
        mine = used.get(binary, {})
        if not mine and granted and not granted_only:
            problems.append(f"{binary}: made no AWS call in the run")
        reached = defaultdict(set)
        refused = defaultdict(lambda: [0, set(), None])
        for perm, suites in mine.items():
            allowing = [g for g in granted if allows(g, *perm)]
            if not allowing:
                entry = refused[perm[:3]]
                entry[0] += 1
                entry[1] |= suites
                entry[2] = entry[2] or (perm[3] and perm[3][0])
                continue
            # The narrowest grants that allow a call are the ones it needs.
            needed = [g for g in allowing if g[3]] or allowing
            for g in needed:
                reached[g] |= suites
        for (action, logical, suffix), (count, suites, key) in sorted(refused.items()):
            problems.append(f"{binary}: uses {action} on {logical}{suffix}"
                            + (f" (leading key e.g. {key})" if key else "")
                            + f", not granted [{', '.join(sorted(suites))}]")
        for g in granted:
            suites = reached.get(g)
            report(f"{binary:28} {shown(g)} -> {', '.join(sorted(suites)) if suites else '-'}")
            if granted_only:
                continue
            why = UNEXERCISED.get((binary, g[0]))
            if not suites and not why:
                problems.append(f"{binary}: granted {shown(g)}, never used")
            elif suites and why:
                problems.append(f"{binary}: {g[0]} is listed UNEXERCISED but "
                                f"{', '.join(sorted(suites))} reached it: remove it from the list")
    for unknown in sorted(set(used) - functions):
        problems.append(f"{unknown}: made calls but is no function of the template")
    for fenced in sorted(set(FENCED) - functions):
        problems.append(f"{fenced}: listed in FENCED but is no function of the template")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--granted-only", action="store_true",
                        help="check only that every call was granted (one suite of several)")
    parser.add_argument("--template", default="template.yaml")
    parser.add_argument("calls", nargs="+", help="call logs, each with its .env beside it")
    args = parser.parse_args()
    template = cfn_yaml.load(args.template)
    problems = check(template, read_calls(args.calls, template), args.granted_only)
    if problems:
        print("\n".join(["", "policy gaps:"] + problems), file=sys.stderr)
        sys.exit(1)
    print("every call was granted" if args.granted_only
          else "every function's policies grant exactly what it used")


if __name__ == "__main__":
    main()
