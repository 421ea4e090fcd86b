"""Schemathesis hooks for scripts/test-schemathesis (loaded through
SCHEMATHESIS_HOOKS by scripts/lib/schemathesis_runs.py).

- `error_is_a_problem_document`: a check that every 4xx and 5xx answer is
  an RFC 9457 problem document (`application/problem+json` with `type`,
  `title`, `status` equal to the response's status, and `detail`), whatever
  the operation documents.
- A bearer-token provider for the listener and admin runs
  (SOUNDSTREAM_ST_LOGIN and SOUNDSTREAM_ST_PASSWORD set): it signs in and
  signs in again when a token expires (15 minutes) or when an answer is 401
  because a generated request ended the session (logout-everywhere). Its
  sign-ins come from a documentation address through the trusted proxy
  (X-Forwarded-For), so the generated wrong passwords that lock 127.0.0.1
  out of sign-in, as the throttle must, do not lock the harness out too.
- A radio stream (`GET /api/v1/stations/{id}/stream`) never ends, like an
  Icecast stream: schemathesis would read it for ever (it bounds only
  `text/event-stream` answers), so its live answers are read for their
  first 64 KiB and closed. Status, headers and content type are checked
  as for any answer.
- Negative generation adds headers with arbitrary names; when one is
  `Content-Length` or `Transfer-Encoding` with a value like `h`, the bytes
  sent are not an HTTP request (RFC 9112 §6.3) and actix-http answers an
  empty 400 from its parser, before any of the API's code or middleware
  runs (actix-http 3.20, h1/dispatcher.rs). Those framing headers belong
  to the HTTP client, so generated header sets that name them are dropped.
"""

import json
import os
import re
import urllib.request

import schemathesis
import schemathesis.transport.requests as transport

LIVE_STREAM_BYTES = 64 * 1024
RADIO_STREAM_PATH = re.compile(r"/api/v1/stations/[^/?]+/stream(\?|$)")
_read_whole_answer = transport._request


def _request(session, data, max_stream_events):
    if not RADIO_STREAM_PATH.search(str(data.get("url", ""))):
        return _read_whole_answer(session, data, max_stream_events)
    response = session.request(**{**data, "stream": True})
    live = response.headers.get("Content-Type", "").startswith("audio/mpeg") and (
        "Content-Length" not in response.headers
    )
    if live:
        response._content = response.raw.read(LIVE_STREAM_BYTES)
        response.close()
    else:
        response.content  # noqa: B018 (reads a finite answer whole)
    return response


# Pinned schemathesis (scripts/test-schemathesis): its private reader.
transport._request = _request

PROBLEM_CONTENT_TYPE = "application/problem+json"
# TEST-NET-1 (RFC 5737): an address no generated request comes from.
HARNESS_ADDRESS = "192.0.2.10"


@schemathesis.check
def error_is_a_problem_document(ctx, response, case):
    """Every error answer is an RFC 9457 problem document."""
    if response.status_code < 400:
        return None
    content_type = response.headers.get("content-type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if not content_type.split(";")[0].strip() == PROBLEM_CONTENT_TYPE:
        raise AssertionError(
            f"a {response.status_code} answered {content_type or 'no content type'!r}, "
            f"not {PROBLEM_CONTENT_TYPE}"
        )
    try:
        problem = json.loads(response.content)
    except ValueError as error:
        raise AssertionError(f"a {response.status_code} problem document is not JSON: {error}") from None
    if not isinstance(problem, dict):
        raise AssertionError(f"a {response.status_code} problem document is not a JSON object")
    for member, kind in (("type", str), ("title", str), ("status", int), ("detail", str)):
        if not isinstance(problem.get(member), kind):
            raise AssertionError(f"a {response.status_code} problem document lacks a {kind.__name__} {member!r}")
    if problem["status"] != response.status_code:
        raise AssertionError(
            f"the problem document says status {problem['status']}, the response {response.status_code}"
        )
    return None


FRAMING_HEADERS = {"content-length", "transfer-encoding"}


@schemathesis.hook
def filter_headers(context, headers):
    return not any(name.lower() in FRAMING_HEADERS for name in (headers or {}))


LOGIN = os.environ.get("SOUNDSTREAM_ST_LOGIN")
PASSWORD = os.environ.get("SOUNDSTREAM_ST_PASSWORD")
BASE_URL = os.environ.get("SOUNDSTREAM_ST_BASE_URL", "")

if LOGIN and PASSWORD:

    # Re-signs in well inside the access token's 15-minute lifetime.
    @schemathesis.auth(refresh_interval=600)
    class SignedIn:
        def get(self, case, context):
            request = urllib.request.Request(
                f"{BASE_URL}/api/v1/auth/login",
                data=json.dumps({"login": LOGIN, "password": PASSWORD}).encode(),
                method="POST",
                headers={"Content-Type": "application/json", "X-Forwarded-For": HARNESS_ADDRESS},
            )
            with urllib.request.urlopen(request, timeout=60) as answer:
                return json.load(answer)["access_token"]

        def set(self, case, data, context):
            case.headers = case.headers or {}
            case.headers["Authorization"] = f"Bearer {data}"
