"""The runs of scripts/test-schemathesis: seeds a live API with a little real
data, then runs schemathesis (`st`, from the venv beside this interpreter)
against the committed openapi.yaml three times: anonymous, as a listener
and as an admin. Prints the generated requests of each run and fails when
any run found a failure or when together they sent fewer than the floor.

  schemathesis_runs.py BASE SPEC REPORT_DIR ADMIN_LOGIN ADMIN_PASSWORD

Every run has the same fixed seed and a time budget (SOUNDSTREAM_ST_SECONDS,
default 50). The seeded rows (a song uploaded through the API, a playlist
with that song, a station, an app password) give the stateful phase and the
operations' links real ids to follow.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from backup_roundtrip import Api, tone_wav

SEED = 20261201
# Issue #15: at least this many generated requests over the three runs.
REQUEST_FLOOR = 5000
LISTENER = ("st-listener", "st-listener@example.com", "st-Listener-Pa55word!")
HARNESS_HEADERS = {"X-Forwarded-For": "192.0.2.10"}
# Every check schemathesis has but the two that need the spec to state every
# validation rule (positive_data_acceptance, negative_data_rejection: it does
# not, e.g. the 10,000 common passwords registration refuses), plus ours.
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
    "error_is_a_problem_document",
    "missing_required_header",
    "unsupported_method",
    "allow_header_conformance",
    "ignored_auth",
    "use_after_free",
    "ensure_resource_availability",
]


def seed(api, admin_login, admin_password):
    """Real rows for generated requests to find: a song (uploaded, completed
    and created through the API), a public playlist holding it, a station
    playing it, and an app password."""
    _, admin = api.call("POST", "/api/v1/auth/login", {"login": admin_login, "password": admin_password},
                        headers=HARNESS_HEADERS)
    admin_token = admin["access_token"]
    audio = tone_wav(440)
    _, ticket = api.call("POST", "/api/v1/uploads",
                         {"kind": "audio", "content_type": "audio/wav", "size": len(audio), "filename": "seed.wav"},
                         token=admin_token)
    api.call(ticket["method"], ticket["url"], raw=audio, headers=ticket["headers"], expect=(200, 201, 204))
    api.call("POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=admin_token)
    _, song = api.call("POST", "/api/v1/songs",
                       {"upload_id": ticket["id"], "title": "Seed tone", "artist": "Seed Artist", "album": "Seed Album",
                        "genre": "Test", "lyrics": "hello my friend", "lyrics_language": "en"},
                       token=admin_token)
    username, email, password = LISTENER
    _, listener = api.call("POST", "/api/v1/auth/register",
                           {"username": username, "email": email, "password": password}, headers=HARNESS_HEADERS)
    listener_token = listener["access_token"]
    _, playlist = api.call("POST", "/api/v1/playlists", {"name": "Seeded", "is_public": True}, token=listener_token)
    api.call("POST", f"/api/v1/playlists/{playlist['id']}/songs", {"song_ids": [song["id"]]}, token=listener_token)
    api.call("POST", "/api/v1/stations",
             {"name": "Seed radio", "is_public": True, "source": {"kind": "playlist", "playlist_id": playlist["id"]}},
             token=admin_token)
    api.call("POST", "/api/v1/me/app-passwords", {"name": "seed"}, token=listener_token)
    api.call("PUT", f"/api/v1/me/favorites/{song['id']}", None, token=listener_token, expect=(204,))
    print(f"seeded: song {song['id']}, playlist {playlist['id']}, a station, an app password, a favourite")


def run(name, base, spec, report_dir, credentials):
    """One schemathesis run; returns (generated requests, seconds, passed)."""
    st = Path(sys.executable).with_name("st")
    report = report_dir / f"{name}.json"
    command = [
        str(st), "run", str(spec),
        "--url", base,
        "--checks", ",".join(CHECKS),
        "--seed", str(SEED),
        "--max-time", os.environ.get("SOUNDSTREAM_ST_SECONDS", "50"),
        "--workers", "2",
        # A hang is a failure, not a stalled suite.
        "--request-timeout", "20",
        "--generation-database", "none",
        "--report", "json,ndjson",
        "--report-json-path", str(report),
        "--report-ndjson-path", str(report_dir / f"{name}.ndjson"),
        "--no-color",
    ]
    env = dict(os.environ, SCHEMATHESIS_HOOKS="schemathesis_hooks", SOUNDSTREAM_ST_BASE_URL=base,
               PYTHONPATH=str(Path(__file__).parent))
    env.pop("SOUNDSTREAM_ST_LOGIN", None)
    env.pop("SOUNDSTREAM_ST_PASSWORD", None)
    if credentials:
        env["SOUNDSTREAM_ST_LOGIN"], env["SOUNDSTREAM_ST_PASSWORD"] = credentials
    print(f"==> schemathesis, {name}: {' '.join(command[1:])}", flush=True)
    started = time.monotonic()
    with open(report_dir / f"{name}.log", "w") as log:
        status = subprocess.run(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=report_dir).returncode
    seconds = time.monotonic() - started
    generated = 0
    if report.exists():
        generated = json.loads(report.read_text())["test_cases"]["generated"]
    if status != 0:
        # The failures with their reproducing curl commands, then the summary.
        print((report_dir / f"{name}.log").read_text()[-20000:])
    return generated, seconds, status == 0


def main():
    base, spec, report_dir, admin_login, admin_password = sys.argv[1:6]
    report_dir = Path(report_dir)
    api = Api(base)
    seed(api, admin_login, admin_password)
    runs = [
        ("anonymous", None),
        ("listener", (LISTENER[0], LISTENER[2])),
        ("admin", (admin_login, admin_password)),
    ]
    results = [(name, *run(name, base, Path(spec).resolve(), report_dir, credentials)) for name, credentials in runs]
    total = sum(generated for _, generated, _, _ in results)
    for name, generated, seconds, passed in results:
        print(f"{name:10} {generated:6d} generated requests in {seconds:5.1f} s  {'ok' if passed else 'FAILED'}")
    print(f"{'total':10} {total:6d} generated requests (floor {REQUEST_FLOOR}), seed {SEED}")
    if not all(passed for _, _, _, passed in results):
        sys.exit("schemathesis found failures (above)")
    if total < REQUEST_FLOOR:
        sys.exit(f"only {total} generated requests; the floor is {REQUEST_FLOOR}")


if __name__ == "__main__":
    main()
