"""The client side of scripts/test-scale: seeds listeners, checks the claims
that need more than one instance (tokens, lockout, refresh rotation, rate
limits), and drives a steady, bounded load of mixed authenticated requests
through the load balancer, counting what was sent, served and failed.

Standard library only (threads and http.client). Each subcommand reads and
writes one JSON state file; every figure it asserts is printed and written
to a JSON result for the summary table.

  scale_load.py seed STATE BALANCER --listeners N
  scale_load.py proofs STATE URL_A URL_B URL_C --registrations-per-hour N
  scale_load.py refresh-reuse STATE URL_C
  scale_load.py abandon STATE BALANCER --count N
  scale_load.py load STATE BALANCER --workers W --stop-file F --max-seconds S --out F
  scale_load.py haproxy SOCKET COMMAND
"""

import argparse
import http.client
import json
import os
import random
import socket
import sys
import threading
import time
import urllib.parse

FIXTURE = os.path.join(
    os.path.dirname(__file__), "..", "..", "crates", "media", "tests", "fixtures", "cover.jpg"
)
PASSWORD = "scale-out-password-1"
WORDS = ["love", "night", "blue", "fire", "river", "golden", "storm", "echo", "silver", "dream"]


class Client:
    """One keep-alive connection to one base URL (a thread's own)."""

    def __init__(self, base, xff=None, timeout=30):
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.xff = xff
        self.timeout = timeout
        self.conn = None

    def request(self, method, path, body=None, token=None, headers=None):
        """(status, parsed JSON or None, response headers); status 0 is a
        connection error (nothing usable came back)."""
        all_headers = {"Accept": "application/json"}
        if self.xff:
            all_headers["X-Forwarded-For"] = self.xff
        if token:
            all_headers["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            all_headers["Content-Type"] = "application/json"
        all_headers.update(headers or {})
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=payload, headers=all_headers)
            response = self.conn.getresponse()
            raw = response.read()
            if response.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as error:
            self.close()
            return 0, {"error": f"{type(error).__name__}: {error}"}, {}
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = None
        return response.status, data, {k.lower(): v for k, v in response.getheaders()}

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def send_bytes(ticket, data):
    """The presigned request to storage, as a browser would send it."""
    url = urllib.parse.urlsplit(ticket["url"])
    path = url.path + ("?" + url.query if url.query else "")
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request(ticket["method"], path, body=data, headers=dict(ticket["headers"]))
        response = conn.getresponse()
        response.read()
        return response.status
    except (OSError, http.client.HTTPException):
        return 0
    finally:
        conn.close()


def load_state(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save_state(path, state):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump(state, f, indent=1)
    os.replace(path + ".tmp", path)


def listener_address(i):
    # Each listener registers and signs in from its own address (a
    # documentation range), as separate people would: the per-address
    # registration limit and sign-in lockout then count them apart.
    return f"198.18.{i // 250}.{i % 250 + 1}"


class Checks:
    """Named claims with their figures, printed as they are decided."""

    def __init__(self):
        self.results = []

    def claim(self, name, ok, figures):
        self.results.append({"claim": name, "ok": bool(ok), "figures": figures})
        mark = "ok  " if ok else "FAIL"
        print(f"  [{mark}] {name}: {figures}", flush=True)

    def write(self, path):
        existing = []
        if os.path.exists(path):
            with open(path, encoding="utf-8") as f:
                existing = json.load(f)
        with open(path, "w", encoding="utf-8") as f:
            json.dump(existing + self.results, f, indent=1)
        return all(r["ok"] for r in self.results)


# --- seed -------------------------------------------------------------------


def seed(args):
    state = load_state(args.state)
    admin = Client(args.balancer, xff="198.19.0.1")
    status, tokens, _ = admin.request(
        "POST", "/api/v1/auth/login",
        {"login": state["admin"]["username"], "password": state["admin"]["password"]},
    )
    if status != 200:
        sys.exit(f"admin login: {status} {tokens}")
    status, page, _ = admin.request("GET", "/api/v1/songs?limit=100", token=tokens["access_token"])
    if status != 200 or not page["items"]:
        sys.exit(f"songs: {status} {page}")
    state["song_ids"] = [song["id"] for song in page["items"]]
    listeners = []
    for i in range(args.listeners):
        client = Client(args.balancer, xff=listener_address(i))
        username = f"scale{i}"
        status, body, _ = client.request(
            "POST", "/api/v1/auth/register",
            {"username": username, "email": f"{username}@example.com", "password": PASSWORD},
        )
        if status != 201:
            sys.exit(f"register {username}: {status} {body}")
        token = body["access_token"]
        status, playlist, _ = client.request(
            "POST", "/api/v1/playlists", {"name": f"{username}'s mix"}, token=token
        )
        if status != 201:
            sys.exit(f"playlist for {username}: {status} {playlist}")
        listeners.append({"username": username, "address": listener_address(i),
                          "playlist_id": playlist["id"]})
    state["listeners"] = listeners
    save_state(args.state, state)
    print(f"  {len(listeners)} listeners registered, {len(state['song_ids'])} song ids kept")


# --- claims across instances ------------------------------------------------


def proofs(args):
    state = load_state(args.state)
    checks = Checks()
    urls = args.instances
    names = ["A", "B", "C"]

    # A token issued by one instance works on every other (one signing
    # secret, sessions in the database).
    issuer = Client(urls[0], xff="198.19.1.1")
    status, tokens, _ = issuer.request(
        "POST", "/api/v1/auth/login", {"login": "scale0", "password": PASSWORD}
    )
    answers = {}
    for name, url in zip(names, urls):
        code, me, _ = Client(url).request("GET", "/api/v1/me", token=tokens["access_token"])
        answers[name] = code if code != 200 else f"200 {me['username']}"
    checks.claim(
        "token issued by A accepted by A, B and C",
        status == 200 and all(v == "200 scale0" for v in answers.values()),
        f"login on A {status}; GET /me " + ", ".join(f"{k} {v}" for k, v in answers.items()),
    )

    # Login lockout: failures from one address spread over the instances
    # count together; past the free allowance the account is locked there,
    # even for the right password, whichever instance is asked.
    attacker_address = "203.0.113.66"
    codes = []
    for i in range(8):
        client = Client(urls[i % 3], xff=attacker_address)
        code, _, headers = client.request(
            "POST", "/api/v1/auth/login", {"login": "scale1", "password": f"wrong-{i}"}
        )
        codes.append(code)
    right = []
    for url in urls:
        code, _, headers = Client(url, xff=attacker_address).request(
            "POST", "/api/v1/auth/login", {"login": "scale1", "password": PASSWORD}
        )
        right.append((code, headers.get("retry-after")))
    elsewhere, _, _ = Client(urls[1], xff="198.19.1.2").request(
        "POST", "/api/v1/auth/login", {"login": "scale1", "password": PASSWORD}
    )
    # The allowance is 5 failures of one account from one address: were
    # they counted per instance, none of the three would have seen more
    # than 3 by the eighth attempt.
    checks.claim(
        "login lockout counted across instances",
        codes == [401] * 5 + [429] * 3
        and all(code == 429 and retry for code, retry in right) and elsewhere == 200,
        f"wrong passwords round-robin over A,B,C: {codes}; right password from that address "
        f"on A,B,C: {[c for c, _ in right]} (Retry-After {[r for _, r in right]}); "
        f"from another address on B: {elsewhere}",
    )

    # Refresh rotation: refreshed on A; the old token presented again on B
    # at once is the grace replay (same new pair); presented after the
    # grace (refresh-reuse, later) it must end the family.
    code1, first, _ = issuer.request(
        "POST", "/api/v1/auth/login", {"login": "scale2", "password": PASSWORD}
    )
    code2, rotated, _ = Client(urls[0]).request(
        "POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}
    )
    code3, replay, _ = Client(urls[1]).request(
        "POST", "/api/v1/auth/refresh", {"refresh_token": first["refresh_token"]}
    )
    same = code3 == 200 and replay["refresh_token"] == rotated["refresh_token"]
    checks.claim(
        "refresh rotated on A, replayed within grace on B gives the same pair",
        code1 == 200 and code2 == 200 and rotated["refresh_token"] != first["refresh_token"] and same,
        f"login {code1}, refresh on A {code2} (new token), replay on B {code3} "
        f"({'same pair' if same else 'different pair'})",
    )
    state["refresh"] = {"old": first["refresh_token"], "rotated": rotated["refresh_token"],
                        "access": rotated["access_token"], "rotated_at": time.time()}

    # Registrations per client address per hour, counted across instances.
    limit = args.registrations_per_hour
    codes = []
    for i in range(limit + 2):
        client = Client(urls[i % 3], xff="203.0.113.77")
        code, _, _ = client.request(
            "POST", "/api/v1/auth/register",
            {"username": f"burst{i}", "email": f"burst{i}@example.com", "password": PASSWORD},
        )
        codes.append(code)
    checks.claim(
        f"registration limit ({limit}/hour per address) counted across instances",
        codes == [201] * limit + [429, 429],
        f"registrations round-robin over A,B,C from one address: {codes}",
    )
    save_state(args.state, state)
    sys.exit(0 if checks.write(args.results) else 1)


def refresh_reuse(args):
    state = load_state(args.state)
    checks = Checks()
    refresh = state["refresh"]
    waited = time.time() - refresh["rotated_at"]
    client = Client(args.instance)
    reuse, _, _ = client.request("POST", "/api/v1/auth/refresh", {"refresh_token": refresh["old"]})
    after, _, _ = client.request("POST", "/api/v1/auth/refresh", {"refresh_token": refresh["rotated"]})
    access, _, _ = client.request("GET", "/api/v1/me", token=refresh["access"])
    checks.claim(
        "refresh token reused on C after the grace revokes the family",
        waited > 20 and reuse == 401 and after == 401,
        f"{waited:.0f} s after the rotation on A: old token on C {reuse}, "
        f"the rotated one then {after} (access token until it expires: {access})",
    )
    sys.exit(0 if checks.write(args.results) else 1)


# --- the sweeper's work ------------------------------------------------------


def abandon(args):
    """Starts uploads and sends their bytes, but never completes them."""
    state = load_state(args.state)
    data = open(FIXTURE, "rb").read()
    listeners = state["listeners"]
    tokens = {}
    lock = threading.Lock()
    ids, errors = [], []

    def token_for(client, listener):
        with lock:
            if listener["username"] in tokens:
                return tokens[listener["username"]]
        code, body, _ = client.request(
            "POST", "/api/v1/auth/login", {"login": listener["username"], "password": PASSWORD}
        )
        if code != 200:
            raise RuntimeError(f"login {code}")
        with lock:
            tokens[listener["username"]] = body["access_token"]
        return body["access_token"]

    def work(worker):
        listener = listeners[worker % len(listeners)]
        client = Client(args.balancer, xff=listener["address"])
        token = token_for(client, listener)
        for _ in range(worker, args.count, 8):
            code, ticket, _ = client.request(
                "POST", "/api/v1/uploads",
                {"kind": "image", "content_type": "image/jpeg", "size": len(data)}, token=token,
            )
            if code != 201 or send_bytes(ticket, data) != 200:
                with lock:
                    errors.append(code)
                continue
            with lock:
                ids.append(ticket["id"])

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors or len(ids) != args.count:
        sys.exit(f"abandoned uploads: {len(ids)} made, errors {errors[:10]}")
    print(f"  {len(ids)} uploads started and sent, never completed")


# --- load --------------------------------------------------------------------


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent = 0
        self.ok = 0
        self.failed = 0
        self.by_status = {}
        self.by_action = {}
        self.by_server = {}
        # When each server last answered: after a SIGTERM, how soon the
        # balancer stopped sending to it.
        self.last_answer = {}
        self.failures = []
        # Sign-ins answered 503 with Retry-After: the instance's password
        # hashing is at capacity (deliberate load shedding, not a lost
        # request); the client waits as told and tries once more.
        self.shed = 0

    def record(self, action, method, status, expected, server, detail=None):
        ok = status in expected
        with self.lock:
            self.sent += 1
            self.by_status[str(status)] = self.by_status.get(str(status), 0) + 1
            per = self.by_action.setdefault(action, {"sent": 0, "ok": 0, "failed": 0})
            per["sent"] += 1
            if server:
                self.by_server[server] = self.by_server.get(server, 0) + 1
                self.last_answer[server] = round(time.time(), 3)
            if ok:
                self.ok += 1
                per["ok"] += 1
            else:
                self.failed += 1
                per["failed"] += 1
                self.failures.append({"t": round(time.time(), 3), "action": action,
                                      "method": method, "status": status, "server": server,
                                      "detail": str(detail)[:200]})
        return ok


def run_worker(worker, args, state, tally, stop):
    rng = random.Random(worker)
    listener = state["listeners"][worker % len(state["listeners"])]
    client = Client(args.balancer, xff=listener["address"])
    songs = state["song_ids"]
    image = open(FIXTURE, "rb").read()
    token = None

    def call(action, method, path, body=None, expected=(200,)):
        code, data, headers = client.request(method, path, body, token=token)
        if action == "login" and code == 503 and headers.get("retry-after"):
            with tally.lock:
                tally.shed += 1
            time.sleep(min(float(headers["retry-after"]), 2.0))
            code, data, headers = client.request(method, path, body, token=token)
        server = headers.get("x-served-by")
        detail = data if code not in expected else None
        return tally.record(action, method, code, expected, server, detail), code, data

    while not stop.is_set():
        if token is None or rng.random() < 0.015:
            ok, _, data = call("login", "POST", "/api/v1/auth/login",
                               {"login": listener["username"], "password": PASSWORD})
            if ok:
                token = data["access_token"]
            elif token is None:
                time.sleep(0.2)
                continue
        roll = rng.random()
        if roll < 0.25:
            call("songs list", "GET", f"/api/v1/songs?limit=20&sort={rng.choice(['title', 'artist', 'added'])}")
        elif roll < 0.40:
            call("search", "GET", f"/api/v1/search?q={rng.choice(WORDS)}&limit=10")
        elif roll < 0.55:
            call("song detail", "GET", f"/api/v1/songs/{rng.choice(songs)}")
        elif roll < 0.65:
            call("playlists", "GET", "/api/v1/playlists")
            call("playlist entries", "GET",
                 f"/api/v1/playlists/{listener['playlist_id']}/entries?limit=50")
        elif roll < 0.80:
            call("playlist add", "POST", f"/api/v1/playlists/{listener['playlist_id']}/songs",
                 {"song_ids": [rng.choice(songs)]}, expected=(200, 201))
        elif roll < 0.85:
            call("playlist create", "POST", "/api/v1/playlists",
                 {"name": f"load {worker} {rng.randrange(10**9)}"}, expected=(201,))
        elif roll < 0.90:
            call("favourite", "PUT", f"/api/v1/me/favorites/{rng.choice(songs)}",
                 expected=(200, 201, 204))
        else:
            ok, _, ticket = call("upload start", "POST", "/api/v1/uploads",
                                 {"kind": "image", "content_type": "image/jpeg",
                                  "size": len(image)}, expected=(201,))
            if ok:
                stored = send_bytes(ticket, image)
                tally.record("upload bytes (storage)", "PUT", stored, (200,), "s3")
                if stored == 200:
                    call("upload complete", "POST", f"/api/v1/uploads/{ticket['id']}/complete")
        time.sleep(args.think)


def load(args):
    state = load_state(args.state)
    tally = Tally()
    stop = threading.Event()
    threads = [threading.Thread(target=run_worker, args=(w, args, state, tally, stop), daemon=True)
               for w in range(args.workers)]
    started = time.time()
    for t in threads:
        t.start()
    deadline = started + args.max_seconds
    while time.time() < deadline and not os.path.exists(args.stop_file):
        time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=40)
    result = {
        "seconds": round(time.time() - started, 1),
        "workers": args.workers,
        "sent": tally.sent,
        "ok": tally.ok,
        "failed": tally.failed,
        "by_status": tally.by_status,
        "by_action": tally.by_action,
        "by_server": tally.by_server,
        "last_answer": tally.last_answer,
        "failures": tally.failures,
        "shed_sign_ins": tally.shed,
        "stopped_by": "stop file" if os.path.exists(args.stop_file) else "max seconds",
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=1)


# --- haproxy's admin socket --------------------------------------------------


def haproxy(args):
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(args.socket)
        s.sendall((args.command + "\n").encode())
        chunks = []
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            chunks.append(chunk)
    sys.stdout.write(b"".join(chunks).decode())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("seed")
    p.add_argument("state")
    p.add_argument("balancer")
    p.add_argument("--listeners", type=int, default=12)
    p.set_defaults(func=seed)
    p = sub.add_parser("proofs")
    p.add_argument("state")
    p.add_argument("instances", nargs=3)
    p.add_argument("--registrations-per-hour", type=int, required=True)
    p.add_argument("--results", required=True)
    p.set_defaults(func=proofs)
    p = sub.add_parser("refresh-reuse")
    p.add_argument("state")
    p.add_argument("instance")
    p.add_argument("--results", required=True)
    p.set_defaults(func=refresh_reuse)
    p = sub.add_parser("abandon")
    p.add_argument("state")
    p.add_argument("balancer")
    p.add_argument("--count", type=int, required=True)
    p.set_defaults(func=abandon)
    p = sub.add_parser("load")
    p.add_argument("state")
    p.add_argument("balancer")
    p.add_argument("--workers", type=int, default=12)
    p.add_argument("--think", type=float, default=0.02)
    p.add_argument("--stop-file", required=True)
    p.add_argument("--max-seconds", type=float, required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=load)
    p = sub.add_parser("haproxy")
    p.add_argument("socket")
    p.add_argument("command")
    p.set_defaults(func=haproxy)
    args = parser.parse_args()
    args.func(args)


if __name__ == "__main__":
    main()
