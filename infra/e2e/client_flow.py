"""A Python client generated from the OpenAPI document (openapi-python-client, pinned in
infra/local/requirements.txt) creates a discovery order and reads it back through the local stack:
the document is complete enough for a partner's generator, and the client's models parse what the
API really answers.

Env: BASE_URL (the API, e.g. http://127.0.0.1:9000/api/v1), API_KEY, SPEC (the document, JSON),
CLIENT_DIR (where to generate).
"""
import importlib
import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import typing
from pathlib import Path
from urllib.parse import urlparse

BASE_URL, API_KEY = os.environ["BASE_URL"], os.environ["API_KEY"]
SPEC, ROOT = Path(os.environ["SPEC"]), Path(os.environ["CLIENT_DIR"])
PACKAGE = "prospect_client"

spec = json.loads(SPEC.read_text())
shutil.rmtree(ROOT, ignore_errors=True)
ROOT.mkdir(parents=True)
config = ROOT / "config.yaml"
config.write_text(f"package_name_override: {PACKAGE}\nproject_name_override: prospect-client\npost_hooks: []\n")
generator = Path(sys.executable).with_name("openapi-python-client")
subprocess.run([str(generator), "generate", "--path", str(SPEC), "--output-path", str(ROOT / PACKAGE),
                "--config", str(config), "--meta", "none"], check=True)
sys.path.insert(0, str(ROOT))
client_mod = importlib.import_module(PACKAGE)


def operation(method, path):
    """The generated module of an operation, found by its operationId."""
    op_id = spec["paths"][path][method]["operationId"]
    snake = re.sub(r"(?<!^)(?=[A-Z])", "_", op_id).lower()
    found = list((ROOT / PACKAGE / "api").rglob(f"{snake}.py"))
    assert len(found) == 1, f"{op_id}: {found}"
    rel = found[0].relative_to(ROOT).with_suffix("")
    return importlib.import_module(".".join(rel.parts))


def model_for(fn, name, data):
    """The generated model of a parameter, built from a plain dict (a union: the variant that fits)."""
    hint = typing.get_type_hints(fn)[name]
    candidates = [a for a in typing.get_args(hint) if hasattr(a, "from_dict")] or [hint]
    errors = []
    for cls in candidates:
        try:
            return cls.from_dict(data)
        except Exception as e:  # the next variant may fit
            errors.append(f"{cls.__name__}: {e}")
    raise AssertionError(f"no model of {name} takes the body: {errors}")


origin = urlparse(BASE_URL)
client = client_mod.AuthenticatedClient(base_url=f"{origin.scheme}://{origin.netloc}", token=API_KEY,
                                        timeout=None)
create = operation("post", "/api/v1/orders")
body = spec["paths"]["/api/v1/orders"]["post"]["requestBody"]["content"]["application/json"]
example = next(iter(body["examples"].values()))["value"] if "examples" in body else body["example"]
order = dict(example, title="Generated client order")
order.pop("webhook_url", None)
created = create.sync_detailed(client=client, body=model_for(create.sync_detailed, "body", order))
assert created.status_code == 202, (created.status_code, created.content[:300])
order_id = str(created.parsed.order_id)

get = operation("get", "/api/v1/orders/{order_id}")
params = [p for p in inspect.signature(get.sync_detailed).parameters if p not in ("client",)]
read = get.sync_detailed(**{params[0]: order_id}, client=client)
assert read.status_code == 200, (read.status_code, read.content[:300])
raw = json.loads(read.content)
parsed = read.parsed.to_dict()
assert str(parsed["order_id"]) == order_id and parsed["title"] == "Generated client order", parsed
assert set(parsed) == set(raw), f"the model drops or adds fields: {set(parsed) ^ set(raw)}"
print(f"generated client: created {order_id} ({parsed['status']}) and read it back, "
      f"{len(parsed)} fields")
