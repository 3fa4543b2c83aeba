"""Schemathesis hooks for the local stack (SCHEMATHESIS_HOOKS=infra.e2e.fuzz_hooks, see surface.sh).

The local stack's API Gateway emulator (`cargo lambda watch`) answers some requests with a 500 of
its own, before any function runs, where API Gateway would hand them to the function:
- a body that is not UTF-8 (API Gateway base64-encodes it; the functions read it as bytes and
  answer 400 INVALID_JSON, as the api-tests show);
- a header value that is not printable ASCII (API Gateway refuses it itself);
- a path parameter its router cannot match ("%", "/", control characters: API Gateway passes any
  segment to the route, and the functions answer 404 for what is not an id).
Those requests would test the emulator, not the API: they are left out, and nothing else is.
"""
import re

import schemathesis

_SEGMENT = re.compile(r"^[A-Za-z0-9._~-]+$")


def _utf8(value):
    if isinstance(value, bytes):
        try:
            value.decode("utf-8")
        except UnicodeDecodeError:
            return False
    return True


def _header_ok(value):
    text = value.decode("latin-1") if isinstance(value, bytes) else str(value)
    return all(32 <= ord(c) < 127 or c == "\t" for c in text)


@schemathesis.hook
def filter_case(ctx, case):
    if not _utf8(case.body):
        return False
    if not all(_SEGMENT.match(str(v)) for v in (case.path_parameters or {}).values()):
        return False
    return all(_header_ok(v) for v in (case.headers or {}).values())
