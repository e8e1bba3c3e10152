"""Property-based fuzzing of /openapi.json with schemathesis: no 5xx, every response matches the documented schema."""
from __future__ import annotations

import os
import time

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.specs.openapi.checks import ignored_auth, positive_data_acceptance

from api_testdata import event, insert_events, insert_vulnerability

EXAMPLES_PER_OPERATION = int(os.environ.get("RAMPART_FUZZ_EXAMPLES", "25"))
# Every check runs (no 5xx, status codes, content types, response schemas and headers, negative data rejected,
# auth enforced) except "schema-valid data is accepted": the schema cannot say that `from` must precede `to`
# or that a cursor must be one we issued, and the API rightly answers those with a 400 problem document.
EXCLUDED = [positive_data_acceptance]


def test_openapi_fuzz(make_api, ch):
    api = make_api("eu", auth_fail_limit=10**6)
    client, db = ch
    insert_events(client, db, [event("acme", time.time() - 60 * i, f"198.51.100.{i}",
                                     hits=[("sqli", ["get", "id"], "1' or 1=1")]) for i in range(5)])
    insert_vulnerability(client, db, "acme", "v-1", time.time() - 100)
    tokens = {"admin": api.headers("acme", "admin"), "node": api.headers("acme", "node")}
    schema = schemathesis.openapi.from_asgi("/openapi.json", api.app)
    failures: dict[str, str] = {}
    operations = 0
    for result in schema.get_all_operations():
        op = result.ok()
        operations += 1
        # node endpoints are fuzzed with a node token (the others with an admin token) to reach their handlers
        headers = tokens["node"] if op.path in ("/v1/nodes/sync", "/v1/nodes/metrics", "/v1/nodes/register") \
            else tokens["admin"]
        if op.path in ("/v1/nodes/sync", "/v1/nodes/metrics"):
            api.client.post("/v1/nodes/register", headers=headers, json={"name": "fuzz-node"})

        for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):

            negative = mode is schemathesis.GenerationMode.NEGATIVE
            # positive cases get the token at call time (and the auth checks replay them without it); negative
            # cases carry it in the case, so the header is never the part being negated (the isolation matrix
            # covers auth failures exhaustively)
            strategy = op.as_strategy(generation_mode=mode, headers=headers if negative else None)

            @given(case=strategy)
            # derandomized: CI sees the same cases every run (random seeds found the repeated-parameter, empty
            # cursor and boolean-metric cases that are now refused); raise max_examples locally to explore more
            @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None, derandomize=True,
                      suppress_health_check=list(HealthCheck))
            def run(case) -> None:
                if negative:
                    case.call_and_validate(excluded_checks=[*EXCLUDED, ignored_auth])
                else:
                    case.call_and_validate(headers=headers, excluded_checks=EXCLUDED)

            try:
                run()
            except Unsatisfiable:  # nothing to make invalid: the operation takes no parameters (/health, /ready)
                assert mode is schemathesis.GenerationMode.NEGATIVE and not op.query and not op.body
            except (Exception, BaseExceptionGroup) as exc:  # collect, so one report names every failing operation
                failures[f"{mode.value} {op.method.upper()} {op.path}"] = str(exc)[:1500]
    assert operations >= 30
    assert not failures, "\n\n".join(f"{k}:\n{v}" for k, v in failures.items())
