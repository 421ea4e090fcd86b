"""The scenarios of scripts/test-outages (issue #15): real processes, real
faults, loopback only, each bounded in time. Standard library only.

  outages.py database    PostgreSQL stopped for 10 s under a steady load
  outages.py writers     SQLite under many concurrent writers
  outages.py storage     the S3 protocol server stopped, then restarted
  outages.py full-disk   local storage and SQLite on a full filesystem
  outages.py crashes     kill -9 during an upload, an import and reorders
  outages.py slow        200 clients trickling headers and bodies

Every claim is printed with its figures as it is decided; the exit status
is 1 if any claim failed. The environment names the binaries and the
throwaway PostgreSQL (scripts/test-outages sets it).
"""

import argparse
import http.client
import io
import json
import math
import os
import random
import shlex
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import wave

API_BIN = os.environ.get("SOUNDSTREAM_API_BIN", "")
S3_BIN = os.environ.get("SOUNDSTREAM_S3_BIN", "")
PG_URL = os.environ.get("SOUNDSTREAM_TEST_POSTGRES_URL", "")
PG_CTL = os.environ.get("SOUNDSTREAM_PG_CTL", "")
PG_DATA = os.environ.get("SOUNDSTREAM_PG_DATA", "")
PG_RUN_AS = os.environ.get("SOUNDSTREAM_PG_RUN_AS", "").split()
WORK = os.environ.get("SOUNDSTREAM_OUTAGES_WORK", tempfile.gettempdir())
PASSWORD = "outage-password-1"
PROBLEM_TYPE = "application/problem+json"

FAILED = []


def claim(name, ok, figures):
    mark = "ok  " if ok else "FAIL"
    print(f"  [{mark}] {name}: {figures}", flush=True)
    if not ok:
        FAILED.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Response:
    def __init__(self, status, body, headers, seconds):
        self.status, self.body, self.headers, self.seconds = status, body, headers, seconds

    def json(self):
        try:
            return json.loads(self.body) if self.body else None
        except ValueError:
            return None

    @property
    def is_problem(self):
        data = self.json()
        return (self.headers.get("content-type", "").startswith(PROBLEM_TYPE)
                and isinstance(data, dict) and data.get("status") == self.status)


def request(base, method, path, body=None, token=None, headers=None, raw=None, timeout=30):
    """One request on a fresh connection; status 0 is a connection error."""
    url = urllib.parse.urlsplit(base)
    all_headers = {"Accept": "application/json"}
    if token:
        all_headers["Authorization"] = f"Bearer {token}"
    payload = raw
    if body is not None:
        payload = json.dumps(body).encode()
        all_headers["Content-Type"] = "application/json"
    all_headers.update(headers or {})
    started = time.monotonic()
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        conn.request(method, path, body=payload, headers=all_headers)
        response = conn.getresponse()
        data = response.read()
        return Response(response.status, data, {k.lower(): v for k, v in response.getheaders()},
                        time.monotonic() - started)
    except (OSError, http.client.HTTPException) as error:
        return Response(0, str(error).encode(), {}, time.monotonic() - started)
    finally:
        conn.close()


def expect(response, *statuses):
    if response.status not in statuses:
        sys.exit(f"unexpected {response.status}: {response.body[:300]!r}")
    return response.json()


def tone_wav(frequency, frames=4000):
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / 8000)))
            for i in range(frames)))
    return buffer.getvalue()


class Api:
    """A `soundstream serve` process of its own, started and stopped here."""

    def __init__(self, name, env):
        self.name = name
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = dict(os.environ)
        self.env.update({
            "SOUNDSTREAM_BIND": f"127.0.0.1:{self.port}",
            "SOUNDSTREAM_LOG": "info",
            "SOUNDSTREAM_LOG_FORMAT": "json",
            "SOUNDSTREAM_JOB_WORKERS": "0",
            "SOUNDSTREAM_FACE_PROVIDER": "none",
            "SOUNDSTREAM_REGISTRATIONS_PER_HOUR": "100000",
            "SOUNDSTREAM_PUBLIC_URL": self.base,
        })
        self.env.update(env)
        self.process = None
        self.starts = 0

    def log_path(self):
        return os.path.join(WORK, f"api-{self.name}.{self.starts}.log")

    def cli(self, *args, check=True):
        done = subprocess.run([API_BIN, *args], env=self.env, capture_output=True, text=True, timeout=300)
        if check and done.returncode != 0:
            sys.exit(f"soundstream {' '.join(args)}: {done.returncode}\n{done.stdout}\n{done.stderr}")
        return done

    def start(self, wait=True):
        self.starts += 1
        log = open(self.log_path(), "w", encoding="utf-8")
        self.process = subprocess.Popen([API_BIN, "serve"], env=self.env, stdout=log, stderr=log)
        if wait:
            self.wait_ready()

    def wait_ready(self, seconds=60):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if request(self.base, "GET", "/readyz", timeout=3).status == 200:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        sys.exit(f"{self.name} never became ready; see {self.log_path()}")

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.kill()

    def logs(self):
        text = ""
        for start in range(1, self.starts + 1):
            path = os.path.join(WORK, f"api-{self.name}.{start}.log")
            if os.path.exists(path):
                with open(path, encoding="utf-8", errors="replace") as f:
                    text += f.read()
        return text

    def server_errors(self):
        """Requests the log says were answered 5xx other than 503, and
        panics."""
        errors = []
        for line in self.logs().splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            fields = entry.get("fields", entry)
            status = fields.get("status")
            if (isinstance(status, int) and status >= 500 and status != 503) or "panick" in line:
                errors.append(line[:200])
        return errors

    def admin(self, username="admin"):
        self.env["OUTAGE_ADMIN_PASSWORD"] = PASSWORD
        self.cli("admin", "create", "--username", username, "--email", f"{username}@example.com",
                 "--password-env", "OUTAGE_ADMIN_PASSWORD")

    def login(self, username):
        return expect(request(self.base, "POST", "/api/v1/auth/login",
                              {"login": username, "password": PASSWORD}), 200)["access_token"]

    def register(self, username):
        tokens = expect(request(self.base, "POST", "/api/v1/auth/register",
                                {"username": username, "email": f"{username}@example.com",
                                 "password": PASSWORD}), 201)
        return tokens["access_token"]

    def upload_ticket(self, token, audio, name):
        return expect(request(self.base, "POST", "/api/v1/uploads",
                              {"kind": "audio", "content_type": "audio/wav", "size": len(audio),
                               "filename": f"{name}.wav"}, token=token), 201)

    def upload_song(self, token, audio, name):
        ticket = self.upload_ticket(token, audio, name)
        sent = send_ticket(ticket, audio)
        if sent.status not in (200, 201, 204):
            sys.exit(f"upload PUT: {sent.status} {sent.body[:200]!r}")
        expect(request(self.base, "POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=token), 200)
        return expect(request(self.base, "POST", "/api/v1/songs",
                              {"upload_id": ticket["id"], "title": name, "artist": "Outage Test"},
                              token=token), 201)


def send_ticket(ticket, data, base=None):
    url = urllib.parse.urlsplit(ticket["url"])
    origin = base or f"{url.scheme}://{url.netloc}"
    path = url.path + ("?" + url.query if url.query else "")
    return request(origin, ticket["method"], path, raw=data, headers=dict(ticket["headers"]))


class Load:
    """Threads sending a steady mix of requests, every answer recorded with
    its time (relative to the start) and latency."""

    def __init__(self, api, token, song_ids, threads=4, pause=0.05):
        self.api, self.token, self.song_ids = api, token, song_ids
        self.threads, self.pause = threads, pause
        self.records = []
        self.created = []
        self.lock = threading.Lock()
        self.stop_event = threading.Event()
        self.started = time.monotonic()

    def worker(self, index):
        rng = random.Random(index)
        while not self.stop_event.is_set():
            choice = rng.random()
            if choice < 0.4:
                what, response = "list", request(self.api.base, "GET", "/api/v1/songs?limit=20",
                                                 token=self.token, timeout=15)
            elif choice < 0.6:
                what, response = "playlists", request(self.api.base, "GET", "/api/v1/playlists",
                                                      token=self.token, timeout=15)
            elif choice < 0.8 and self.song_ids:
                what, response = "favourite", request(
                    self.api.base, "PUT", f"/api/v1/me/favorites/{rng.choice(self.song_ids)}",
                    token=self.token, timeout=15)
            else:
                name = f"load {index}-{rng.random():.9f}"
                what, response = "create", request(self.api.base, "POST", "/api/v1/playlists",
                                                   {"name": name}, token=self.token, timeout=15)
                if response.status == 201:
                    with self.lock:
                        self.created.append(response.json()["id"])
            with self.lock:
                self.records.append((time.monotonic() - self.started, what, response))
            time.sleep(self.pause)

    def __enter__(self):
        self.pool = [threading.Thread(target=self.worker, args=(i,), daemon=True)
                     for i in range(self.threads)]
        for thread in self.pool:
            thread.start()
        return self

    def __exit__(self, *_):
        self.stop_event.set()
        for thread in self.pool:
            thread.join(timeout=30)

    def now(self):
        return time.monotonic() - self.started

    def between(self, start, end):
        with self.lock:
            return [r for r in self.records if start <= r[0] < end]


def claim_clean_log(api):
    logged = api.logs()
    finished = logged.count("request finished")
    errors = api.server_errors()
    claim("the log has no 5xx but 503 and no panic", finished > 0 and not errors,
          f"{finished} requests logged, {len(errors)} faults {errors[:3]}")


def watch_readiness(api, stop_event, samples):
    started = time.monotonic()
    while not stop_event.is_set():
        response = request(api.base, "GET", "/readyz", timeout=5)
        samples.append((time.monotonic() - started, response.status, response.seconds,
                        (response.json() or {}).get("detail", "")))
        time.sleep(0.2)


def summarise(records):
    statuses = {}
    for _, what, response in records:
        key = f"{what} {response.status}"
        statuses[key] = statuses.get(key, 0) + 1
    return dict(sorted(statuses.items()))


def pg_ctl(*args):
    subprocess.run([*PG_RUN_AS, PG_CTL, "-D", PG_DATA, *args], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=60)


def pg_start_again():
    """Starts the stopped server with the options it ran with (port, socket
    directory, settings), which `pg_ctl stop` kept in postmaster.opts."""
    with open(os.path.join(PG_DATA, "postmaster.opts"), encoding="utf-8") as f:
        words = shlex.split(f.read())[1:]
    if "-D" in words:
        at = words.index("-D")
        del words[at:at + 2]
    pg_ctl("-w", "-l", os.path.join(PG_DATA, "restarted.log"), "-o", shlex.join(words), "start")


# --- scenarios ----------------------------------------------------------------


def database(_args):
    """PostgreSQL stopped for 10 s under a small steady load."""
    if not (PG_URL and PG_CTL and PG_DATA):
        sys.exit("database: needs the throwaway PostgreSQL (run through scripts/test-outages)")
    api = Api("database", {"DATABASE_URL": PG_URL, "SOUNDSTREAM_DATA_DIR": os.path.join(WORK, "pg-data")})
    api.admin()
    api.start()
    try:
        token = api.login("admin")
        songs = [api.upload_song(token, tone_wav(300 + i * 7), f"before {i}")["id"] for i in range(3)]
        before = [expect(request(api.base, "POST", "/api/v1/playlists", {"name": f"kept {i}"}, token=token), 201)["id"]
                  for i in range(5)]
        samples, stop_readiness = [], threading.Event()
        watcher = threading.Thread(target=watch_readiness, args=(api, stop_readiness, samples), daemon=True)
        with Load(api, token, songs) as load:
            watcher.start()
            time.sleep(3)
            outage_start = load.now()
            pg_ctl("-m", "fast", "stop")
            time.sleep(10)
            pg_start_again()
            outage_end = load.now()
            # Recovery: the first answered write after the database is back.
            recovered_at = None
            deadline = time.monotonic() + 15
            while time.monotonic() < deadline:
                probe = request(api.base, "POST", "/api/v1/playlists", {"name": "after"}, token=token, timeout=10)
                if probe.status == 201:
                    recovered_at = load.now()
                    break
                time.sleep(0.1)
            # A few seconds of load on the recovered database.
            time.sleep(max(0.0, outage_end + 8 - load.now()))
            after_end = load.now()
        stop_readiness.set()
        watcher.join()

        during = load.between(outage_start, outage_end)
        bad = [(what, r.status, r.body[:120]) for _, what, r in during
               if not (200 <= r.status < 300 or (r.status == 503 and r.is_problem))]
        slowest = max((r.seconds for _, _, r in during), default=0)
        refused = sum(1 for _, _, r in during if r.status == 503)
        claim("during the outage every answer is a 503 problem (or served)",
              not bad and refused > 0,
              f"{len(during)} requests: {summarise(during)}; unexpected {bad[:5]}")
        claim("nothing hangs: the slowest answer during the outage", slowest < 3.0, f"{slowest:.2f} s (bound 3 s)")
        readiness = [s for s in samples if outage_start + 0.5 < s[0] < outage_end - 0.5]
        first_unready = next((s[0] - outage_start for s in samples if s[0] >= outage_start and s[1] == 503), None)
        claim("/readyz turns 503 during the outage",
              bool(readiness) and all(s[1] == 503 for s in readiness) and first_unready is not None,
              f"{len(readiness)} checks, all 503 ({readiness[-1][3] if readiness else ''!r}); "
              f"first 503 {first_unready if first_unready is None else round(first_unready, 2)} s after the stop")
        recovery = None if recovered_at is None else recovered_at - outage_end
        ready_again = next((s[0] - outage_end for s in samples if s[0] >= outage_end and s[1] == 200), None)
        claim("everything recovers by itself within 5 s of the database's return",
              recovery is not None and recovery < 5 and ready_again is not None and ready_again < 5,
              f"first write {recovery if recovery is None else round(recovery, 2)} s, "
              f"/readyz 200 {ready_again if ready_again is None else round(ready_again, 2)} s after the start")
        after = load.between(outage_end + 5, after_end)
        after_bad = [(what, r.status) for _, what, r in after if not 200 <= r.status < 300]
        claim("after recovery every request is served", after and not after_bad,
              f"{len(after)} requests: {summarise(after)}")
        listed, cursor = set(), None
        while True:
            page = expect(request(api.base, "GET", "/api/v1/playlists?limit=100"
                                  + (f"&cursor={urllib.parse.quote(cursor)}" if cursor else ""), token=token), 200)
            listed.update(p["id"] for p in page["items"])
            cursor = page.get("next_cursor")
            if not cursor:
                break
        missing = [p for p in before + load.created if p not in listed]
        total = len(before) + len(load.created)
        claim("nothing written is lost (every playlist answered 201 is there)",
              not missing and total > len(before), f"{total} playlists, {len(missing)} missing")
        claim_clean_log(api)
    finally:
        api.stop()


def writers(_args):
    """SQLite under many concurrent writers: never a 500."""
    api = Api("writers", {"SOUNDSTREAM_DATA_DIR": os.path.join(WORK, "writers-data")})
    api.admin()
    api.start()
    try:
        admin = api.login("admin")
        songs = [api.upload_song(admin, tone_wav(500 + i * 11), f"writers {i}")["id"] for i in range(6)]
        tokens = [api.register(f"writer{i}") for i in range(8)]
        records, created, lock = [], [], threading.Lock()
        stop = time.monotonic() + 10

        def writer(index):
            rng = random.Random(index)
            token = tokens[index % len(tokens)]
            playlist = expect(request(api.base, "POST", "/api/v1/playlists", {"name": f"w{index}"}, token=token), 201)["id"]
            with lock:
                created.append((token, playlist))
            while time.monotonic() < stop:
                action = rng.random()
                if action < 0.3:
                    r = request(api.base, "POST", f"/api/v1/playlists/{playlist}/songs",
                                {"song_ids": rng.sample(songs, 2)}, token=token)
                elif action < 0.5:
                    r = request(api.base, "PUT", f"/api/v1/me/favorites/{rng.choice(songs)}", token=token)
                elif action < 0.7:
                    r = request(api.base, "DELETE", f"/api/v1/me/favorites/{rng.choice(songs)}", token=token)
                elif action < 0.85:
                    r = request(api.base, "PATCH", f"/api/v1/playlists/{playlist}",
                                {"name": f"w{index} {rng.random():.6f}"}, token=token)
                else:
                    r = request(api.base, "POST", "/api/v1/playlists", {"name": f"extra {index}"}, token=token)
                    if r.status == 201:
                        with lock:
                            created.append((token, r.json()["id"]))
                with lock:
                    records.append(("write", r))

        threads = [threading.Thread(target=writer, args=(i,)) for i in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        statuses = {}
        for _, r in records:
            statuses[r.status] = statuses.get(r.status, 0) + 1
        server_errors = [r for _, r in records if r.status >= 500 and not (r.status == 503 and r.is_problem)]
        locked = [r for _, r in records if b"locked" in r.body]
        claim("32 concurrent writers on SQLite: no 500, never 'database is locked'",
              not server_errors and not locked and statuses.get(503, 0) == 0,
              f"{len(records)} writes in 10 s: {dict(sorted(statuses.items()))}")
        missing = 0
        for token, playlist in created:
            if request(api.base, "GET", f"/api/v1/playlists/{playlist}", token=token).status != 200:
                missing += 1
        claim("every playlist answered 201 is there", missing == 0, f"{len(created)} playlists, {missing} missing")
        claim("no 'database is locked' in the log", "database is locked" not in api.logs(), "checked the API's log")
        claim_clean_log(api)
    finally:
        api.stop()


def storage(_args):
    """The S3 protocol server stopped and restarted under the API."""
    s3_port, s3_dir = free_port(), os.path.join(WORK, "s3")
    bucket = "soundstream-media"

    def start_s3():
        log = open(os.path.join(WORK, "s3.log"), "a", encoding="utf-8")
        process = subprocess.Popen([S3_BIN, f"127.0.0.1:{s3_port}", s3_dir, bucket], stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while request(f"http://127.0.0.1:{s3_port}", "GET", "/", timeout=2).status == 0:
            if time.monotonic() > deadline:
                sys.exit("the S3 server never answered")
            time.sleep(0.1)
        return process

    s3 = start_s3()
    api = Api("storage", {
        "SOUNDSTREAM_DATA_DIR": os.path.join(WORK, "storage-data"),
        "SOUNDSTREAM_STORAGE": "s3", "SOUNDSTREAM_S3_BUCKET": bucket,
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}", "AWS_REGION": "us-east-1",
        "AWS_ACCESS_KEY_ID": "soundstream-test-access-key",
        "AWS_SECRET_ACCESS_KEY": "soundstream-test-secret-key-0123456789",
    })
    api.admin()
    api.start()
    try:
        token = api.login("admin")
        song = api.upload_song(token, tone_wav(700), "stored")
        audio = tone_wav(710)
        pending = api.upload_ticket(token, audio, "during")
        s3.send_signal(signal.SIGKILL)
        s3.wait()
        time.sleep(0.5)

        ready = request(api.base, "GET", "/readyz")
        detail = (ready.json() or {}).get("detail", "")
        claim("/readyz says storage is why", ready.status == 503 and "storage" in detail.lower(),
              f"{ready.status} {detail!r}")
        complete = request(api.base, "POST", f"/api/v1/uploads/{pending['id']}/complete", {}, token=token)
        claim("completing an upload answers a 503 problem", complete.status == 503 and complete.is_problem,
              f"{complete.status} in {complete.seconds:.2f} s")
        playback = request(api.base, "GET", f"/api/v1/songs/{song['id']}/stream", token=token)
        claim("playback URLs, signed without storage, are still given",
              playback.status == 200 and "url" in (playback.json() or {}), f"{playback.status}")
        working = {
            "songs": request(api.base, "GET", "/api/v1/songs?limit=10", token=token).status,
            "song": request(api.base, "GET", f"/api/v1/songs/{song['id']}", token=token).status,
            "search": request(api.base, "GET", "/api/v1/search?q=stored", token=token).status,
            "playlist": request(api.base, "POST", "/api/v1/playlists", {"name": "during"}, token=token).status,
            "me": request(api.base, "GET", "/api/v1/me", token=token).status,
        }
        claim("the rest of the API keeps working", all(s in (200, 201) for s in working.values()), working)

        s3 = start_s3()
        deadline, ready_after = time.monotonic() + 15, None
        restarted = time.monotonic()
        while time.monotonic() < deadline:
            if request(api.base, "GET", "/readyz").status == 200:
                ready_after = time.monotonic() - restarted
                break
            time.sleep(0.1)
        resent = send_ticket(pending, audio)
        complete = request(api.base, "POST", f"/api/v1/uploads/{pending['id']}/complete", {}, token=token)
        claim("it recovers when storage returns",
              ready_after is not None and resent.status in (200, 201, 204) and complete.status == 200,
              f"/readyz 200 after {ready_after if ready_after is None else round(ready_after, 2)} s; "
              f"the same upload sent {resent.status} and completed {complete.status}")
        claim_clean_log(api)
    finally:
        api.stop()
        s3.kill()
        s3.wait()


def full_disk(_args):
    """Local storage and SQLite on a small filesystem that fills up."""
    mount_point = os.path.join(WORK, "small-disk")
    os.makedirs(mount_point, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", mount_point],
                             capture_output=True, text=True)
    if mounted.returncode != 0:
        print(f"  [SKIP] full disk: cannot mount a small tmpfs here ({mounted.stderr.strip()}); "
              "this check did NOT run", flush=True)
        return
    api = Api("full-disk", {"SOUNDSTREAM_DATA_DIR": mount_point})
    try:
        api.admin()
        api.start()
        token = api.login("admin")
        api.upload_song(token, tone_wav(900), "fits")
        media = os.path.join(mount_point, "media")
        statvfs = os.statvfs(mount_point)
        free = statvfs.f_bavail * statvfs.f_frsize
        # Bigger than the space left, smaller than the upload limit.
        audio = tone_wav(910, frames=(free + 2 * 1024 * 1024) // 2)
        ticket = api.upload_ticket(token, audio, "too big")
        sent = send_ticket(ticket, audio)
        partials = os.listdir(os.path.join(media, ".partial"))
        claim("an upload that fills the disk answers a 503 problem saying so",
              sent.status in (503, 507) and sent.is_problem and b"full" in sent.body,
              f"{sent.status} {(sent.json() or {}).get('detail', '')!r} for {len(audio) >> 20} MiB with {free >> 20} MiB free")
        claim("it leaves no partial file", not partials, f".partial holds {partials}")
        complete = request(api.base, "POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=token)
        claim("and no completed upload", complete.status in (409, 422), f"complete answers {complete.status}")

        # Now the database's disk: fill what is left, then write.
        with open(os.path.join(mount_point, "filler"), "wb") as filler:
            try:
                while True:
                    filler.write(b"\0" * 65536)
                    filler.flush()
            except OSError:
                pass
        statuses = []
        for i in range(30):
            statuses.append(request(api.base, "POST", "/api/v1/playlists", {"name": f"full {i} " + "x" * 60},
                                    token=token))
        refused = [r for r in statuses if r.status != 201]
        claim("writes on a full disk answer 503 problems, never 500",
              all(r.status == 201 or (r.status in (503, 507) and r.is_problem) for r in statuses) and refused,
              f"{len(statuses)} writes: {sorted({r.status for r in statuses})}; "
              f"{(refused[0].json() or {}).get('detail', '') if refused else ''!r}")
        os.remove(os.path.join(mount_point, "filler"))
        after = request(api.base, "POST", "/api/v1/playlists", {"name": "room again"}, token=token)
        claim("writes work again once there is room", after.status == 201, f"{after.status}")
        claim_clean_log(api)
        api.stop()
        check = sqlite3.connect(os.path.join(mount_point, "soundstream.db"))
        integrity = check.execute("PRAGMA integrity_check").fetchone()[0]
        names = [row[0] for row in check.execute("SELECT name FROM playlists")]
        check.close()
        half = [n for n in names if n.startswith("full ")]
        claim("no half-written row; the database is intact",
              integrity == "ok" and len(half) == sum(1 for r in statuses if r.status == 201),
              f"integrity_check {integrity!r}; {len(half)} 'full' playlists for "
              f"{sum(1 for r in statuses if r.status == 201)} answered 201")
    finally:
        api.stop()
        subprocess.run(["umount", "-l", mount_point], check=False)


TRACKS = 400


def count_rows(db_path, query):
    """A COUNT(*) read while other processes write (0 if the file is busy)."""
    try:
        with sqlite3.connect(db_path, timeout=1) as conn:
            return conn.execute(query).fetchone()[0]
    except sqlite3.Error:
        return 0


SONGS = "SELECT COUNT(*) FROM songs"
PENDING_UPLOADS = "SELECT COUNT(*) FROM uploads WHERE status = 'pending'"


def crashes(_args):
    """kill -9 during an upload, an import and playlist reorders."""
    data = os.path.join(WORK, "crash-data")
    api = Api("crashes", {"SOUNDSTREAM_DATA_DIR": data})
    api.admin()
    api.start()
    db_path = os.path.join(data, "soundstream.db")
    try:
        token = api.login("admin")
        songs = [api.upload_song(token, tone_wav(1000 + i * 3, frames=800), f"crash {i}")["id"] for i in range(40)]
        playlist = expect(request(api.base, "POST", "/api/v1/playlists", {"name": "reordered"}, token=token), 201)["id"]
        for _ in range(5):
            expect(request(api.base, "POST", f"/api/v1/playlists/{playlist}/songs",
                           {"song_ids": songs}, token=token), 200, 201)
        entries = expect(request(api.base, "GET", f"/api/v1/playlists/{playlist}/entries?limit=200", token=token), 200)["items"]
        entry_ids = [e["id"] for e in entries]

        # An upload half sent when the server dies.
        audio = tone_wav(1500, frames=400_000)
        ticket = api.upload_ticket(token, audio, "half sent")
        url = urllib.parse.urlsplit(ticket["url"])
        upload = socket.create_connection(("127.0.0.1", api.port))
        head = f"PUT {url.path}?{url.query} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: {len(audio)}\r\n"
        head += "".join(f"{k}: {v}\r\n" for k, v in dict(ticket["headers"]).items() if k.lower() != "content-length")
        upload.sendall((head + "\r\n").encode() + audio[: len(audio) // 2])

        # An import of 300 files under way.
        folder = os.path.join(WORK, "to-import")
        os.makedirs(folder, exist_ok=True)
        # One tone, each copy's last sample changed: distinct content, made fast.
        base = bytearray(tone_wav(2000, frames=100_000))
        for i in range(TRACKS):
            base[-2:] = struct.pack("<h", i)
            with open(os.path.join(folder, f"track {i:03}.wav"), "wb") as f:
                f.write(base)
        env = dict(api.env)
        importer = subprocess.Popen([API_BIN, "import", folder, "--jobs", "2"], env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

        # Reorders in flight.
        stop = threading.Event()
        moves = []

        def reorder(seed):
            rng = random.Random(seed)
            while not stop.is_set():
                entry, after = rng.sample(entry_ids, 2)
                moves.append(request(api.base, "PUT", f"/api/v1/playlists/{playlist}/order",
                                     {"entry_id": entry, "after_entry_id": after}, token=token, timeout=5).status)

        movers = [threading.Thread(target=reorder, args=(i,), daemon=True) for i in range(4)]
        for mover in movers:
            mover.start()
        # Killed while the import is half done and moves are in flight.
        deadline = time.monotonic() + 60
        # (the half-sent upload is one pending upload; more are the import's
        # batch in flight)
        while time.monotonic() < deadline and not (
                count_rows(db_path, SONGS) - len(songs) >= TRACKS // 4 and count_rows(db_path, PENDING_UPLOADS) > 1):
            time.sleep(0.01)
        importer.send_signal(signal.SIGKILL)
        api.kill()
        importer.wait()
        stop.set()
        for mover in movers:
            mover.join()
        upload.close()
        killed_at = time.monotonic()
        partials_at_kill = os.listdir(os.path.join(data, "media", ".partial"))

        conn = sqlite3.connect(db_path)
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        foreign = conn.execute("PRAGMA foreign_key_check").fetchall()
        positions = conn.execute(
            "SELECT COUNT(*), COUNT(DISTINCT id) FROM playlist_entries WHERE playlist_id = ?", (playlist,)).fetchone()
        imported = conn.execute("SELECT COUNT(*) FROM songs").fetchone()[0] - len(songs)
        pending = conn.execute("SELECT COUNT(*) FROM uploads WHERE status = 'pending'").fetchone()[0]
        missing_objects = [key for (key,) in conn.execute("SELECT audio_object_key FROM songs")
                           if not os.path.exists(os.path.join(data, "media", key))]
        conn.close()
        claim("the kill came in the middle of the import", 0 < imported < TRACKS and pending > 1,
              f"{imported} of {TRACKS} files filed, {pending - 1} held for a batch in flight")
        claim("after kill -9 the database is consistent",
              integrity == "ok" and not foreign and positions == (len(entry_ids), len(entry_ids)) and not missing_objects,
              f"integrity {integrity!r}, {len(foreign)} foreign-key faults, playlist {positions[0]} entries "
              f"(was {len(entry_ids)}), {len(missing_objects)} songs without their file; "
              f"{len([m for m in moves if m == 204])} moves applied, {imported} songs imported, "
              f"{pending} uploads pending, partial files {len(partials_at_kill)}")

        api.start()
        order = [e["id"] for e in expect(request(api.base, "GET", f"/api/v1/playlists/{playlist}/entries?limit=200",
                                                  token=token), 200)["items"]]
        claim("the playlist's order is whole (each entry once, none lost)",
              sorted(order) == sorted(entry_ids), f"{len(order)} entries read back")

        # The dead import's hold lapses and the partial files go stale.
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            left = os.listdir(os.path.join(data, "media", ".partial"))
            if not left and time.monotonic() - killed_at > 31:
                break
            time.sleep(1)
        claim("the restarted server removes the partial files the crash left",
              not left, f"{len(partials_at_kill)} at the kill, {len(left)} after {time.monotonic() - killed_at:.0f} s")
        rerun = subprocess.run([API_BIN, "import", folder], env=env, capture_output=True, text=True, timeout=300)
        conn = sqlite3.connect(db_path)
        total = conn.execute("SELECT COUNT(*) FROM songs").fetchone()[0] - len(songs)
        pending_after = conn.execute("SELECT COUNT(*) FROM uploads WHERE status = 'pending'").fetchone()[0]
        keys = {key for (key,) in conn.execute("SELECT object_key FROM uploads")}
        conn.close()
        files = set()
        for root, _, names in os.walk(os.path.join(data, "media", "audio")):
            files.update(os.path.relpath(os.path.join(root, n), os.path.join(data, "media")) for n in names)
        orphans = files - keys
        claim("the next import cleans up and files every track once",
              rerun.returncode == 0 and total == TRACKS and pending_after <= 1 and not orphans,
              f"{' '.join(rerun.stdout.strip().splitlines()[:2]) if rerun.stdout.strip() else rerun.stderr[-200:]!r}; "
              f"{total} of {TRACKS} filed, {pending_after} uploads pending (the half-sent one), "
              f"{len(orphans)} audio files no row knows")

        resent = send_ticket(ticket, audio, base=api.base)
        completed = request(api.base, "POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=token)
        claim("the interrupted upload can be sent again and completed",
              resent.status in (200, 201, 204) and completed.status == 200, f"PUT {resent.status}, complete {completed.status}")
        claim_clean_log(api)
    finally:
        api.stop()


def slow(_args):
    """200 clients trickling headers and bodies; a normal client is served."""
    api = Api("slow", {"SOUNDSTREAM_DATA_DIR": os.path.join(WORK, "slow-data")})
    api.admin()
    api.start()
    sockets, stop = [], threading.Event()
    try:
        for i in range(200):
            s = socket.create_connection(("127.0.0.1", api.port))
            if i % 2:
                s.sendall(b"GET /api/v1/songs HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            else:
                s.sendall(b"POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          b"Content-Type: application/json\r\nContent-Length: 4000\r\n\r\n{")
            sockets.append(s)

        closed = []

        def trickle():
            while not stop.is_set():
                for s in list(sockets):
                    try:
                        s.sendall(b"X" if s.fileno() % 2 else b" ")
                    except OSError:
                        sockets.remove(s)
                        closed.append(s)
                time.sleep(1)

        trickler = threading.Thread(target=trickle, daemon=True)
        trickler.start()
        time.sleep(1)
        latencies, statuses = [], []
        token = None
        for i in range(40):
            if token is None:
                r = request(api.base, "POST", "/api/v1/auth/login", {"login": "admin", "password": PASSWORD}, timeout=10)
                if r.status == 200:
                    token = r.json()["access_token"]
            else:
                r = request(api.base, "GET", "/api/v1/songs?limit=20", token=token, timeout=10)
            latencies.append(r.seconds)
            statuses.append(r.status)
            time.sleep(0.1)
        latencies.sort()
        claim("a normal client is served while 200 clients trickle",
              all(s == 200 for s in statuses) and latencies[-1] < 2,
              f"{len(statuses)} requests, statuses {sorted(set(statuses))}, p50 {latencies[len(latencies) // 2] * 1000:.0f} ms, "
              f"max {latencies[-1] * 1000:.0f} ms")
        time.sleep(14)
        stop.set()
        trickler.join()
        claim("the server drops the tricklers on its own", len(closed) >= 190,
              f"{len(closed)} of 200 connections closed by the server within 15 s")
        claim_clean_log(api)
    finally:
        stop.set()
        for s in sockets:
            s.close()
        api.stop()


SCENARIOS = {"database": database, "writers": writers, "storage": storage,
             "full-disk": full_disk, "crashes": crashes, "slow": slow}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    args = parser.parse_args()
    started = time.monotonic()
    print(f"== {args.scenario}", flush=True)
    SCENARIOS[args.scenario](args)
    print(f"   ({time.monotonic() - started:.0f} s)", flush=True)
    sys.exit(1 if FAILED else 0)


if __name__ == "__main__":
    main()
