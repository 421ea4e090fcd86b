"""The HTTP side of scripts/test-backup: fills a running API with users,
songs (real audio uploaded the way the player does) and playlists, keeps
writing while a backup runs, and after the restore finds every user, song
(with the same bytes), playlist and playlist entry that existed when the
backup began.

  populate BASE STATE       write the first batch, record it in STATE (JSON)
  write BASE STATE STOP     keep writing until the file STOP exists; append
                            what it wrote to STATE.during (not required back)
  verify BASE STATE         everything in STATE is there, through the API

Standard library only. Passwords are in STATE (a throwaway server's).
"""

import hashlib
import io
import json
import math
import os
import struct
import sys
import urllib.error
import urllib.request
import wave

PASSWORD = "backup-roundtrip-Pa55word!"


class Api:
    def __init__(self, base):
        self.base = base.rstrip("/")

    def call(self, method, path, body=None, token=None, raw=None, headers=None, expect=(200, 201)):
        url = path if path.startswith("http") else self.base + path
        data, hdrs = None, dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if raw is not None:
            data = raw
        if token:
            hdrs["Authorization"] = f"Bearer {token}"
        request = urllib.request.Request(url, data=data, method=method, headers=hdrs)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if status not in expect:
            raise RuntimeError(f"{method} {path}: {status} {payload[:300]!r}")
        ctype = ""
        if payload[:1] in (b"{", b"["):
            ctype = "json"
        return status, (json.loads(payload) if ctype == "json" else payload)

    def login(self, username):
        _, tokens = self.call("POST", "/api/v1/auth/login", {"login": username, "password": PASSWORD})
        return tokens["access_token"]


def tone_wav(frequency):
    """A short mono WAV, different bytes for each frequency (the library
    refuses a second copy of the same content)."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        frames = b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * frequency * i / 8000))) for i in range(4000)
        )
        out.writeframes(frames)
    return buffer.getvalue()


def upload_song(api, token, tag):
    audio = tone_wav(200 + (int(hashlib.sha256(tag.encode()).hexdigest()[:6], 16) % 50000) / 10)
    _, ticket = api.call(
        "POST", "/api/v1/uploads",
        {"kind": "audio", "content_type": "audio/wav", "size": len(audio), "filename": f"{tag}.wav"},
        token=token,
    )
    api.call(ticket["method"], ticket["url"], raw=audio, headers=ticket["headers"], expect=(200, 201, 204))
    api.call("POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=token)
    _, song = api.call("POST", "/api/v1/songs", {"upload_id": ticket["id"], "title": f"Tone {tag}", "artist": "Backup Test"}, token=token)
    return {"id": song["id"], "title": song["title"], "sha256": hashlib.sha256(audio).hexdigest()}


def register(api, username):
    _, tokens = api.call(
        "POST", "/api/v1/auth/register",
        {"username": username, "email": f"{username}@example.com", "password": PASSWORD},
    )
    return {"id": tokens["user"]["id"], "username": username}, tokens["access_token"]


def new_playlist(api, token, name, song_ids):
    _, playlist = api.call("POST", "/api/v1/playlists", {"name": name}, token=token)
    _, added = api.call("POST", f"/api/v1/playlists/{playlist['id']}/songs", {"song_ids": song_ids}, token=token)
    return {"id": playlist["id"], "name": name, "entries": added["entry_ids"]}


def populate(base, state_path):
    api = Api(base)
    admin = os.environ["SOUNDSTREAM_BACKUP_TEST_ADMIN"]
    admin_token = api.login(admin)
    state = {"admin": admin, "users": [], "songs": [], "playlists": []}
    for i in range(6):
        state["songs"].append(upload_song(api, admin_token, f"before-{i}"))
    for i in range(4):
        user, token = register(api, f"listener{i}")
        user["playlists"] = []
        for j in range(2):
            songs = [s["id"] for s in state["songs"][j:j + 3]]
            playlist = new_playlist(api, token, f"{user['username']} mix {j}", songs)
            playlist["owner"] = user["username"]
            state["playlists"].append(playlist)
        state["users"].append(user)
    json.dump(state, open(state_path, "w"), indent=1)
    print(f"before the backup: {len(state['users'])} listeners, {len(state['songs'])} songs, "
          f"{len(state['playlists'])} playlists, "
          f"{sum(len(p['entries']) for p in state['playlists'])} playlist entries")


def write_during(base, state_path, stop_path):
    """Writes until told to stop: new songs, users and playlists, so the
    backup runs against a service under writes."""
    api = Api(base)
    state = json.load(open(state_path))
    admin_token = api.login(state["admin"])
    token = api.login(state["users"][0]["username"])
    written, i = {"songs": [], "playlists": [], "users": []}, 0
    while not os.path.exists(stop_path) and i < 500:
        song = upload_song(api, admin_token, f"during-{i}")
        written["songs"].append(song["id"])
        written["playlists"].append(new_playlist(api, token, f"during {i}", [song["id"]])["id"])
        if i % 3 == 0:
            written["users"].append(register(api, f"during{i}")[0]["id"])
        i += 1
    json.dump(written, open(state_path + ".during", "w"))
    print(f"written while the backup ran: {len(written['songs'])} songs, "
          f"{len(written['playlists'])} playlists, {len(written['users'])} listeners")


def verify(base, state_path):
    api = Api(base)
    state = json.load(open(state_path))
    missing = []
    admin_token = api.login(state["admin"])
    for song in state["songs"]:
        status, body = api.call("GET", f"/api/v1/songs/{song['id']}", token=admin_token, expect=(200, 404))
        if status != 200:
            missing.append(f"song {song['id']}")
            continue
        _, playback = api.call("GET", f"/api/v1/songs/{song['id']}/stream", token=admin_token)
        status, audio = api.call("GET", playback["url"], expect=(200, 404))
        if status != 200 or hashlib.sha256(audio).hexdigest() != song["sha256"]:
            missing.append(f"the audio of song {song['id']} (status {status})")
    for user in state["users"]:
        try:
            token = api.login(user["username"])
        except RuntimeError as error:
            missing.append(f"user {user['username']}: {error}")
            continue
        _, me = api.call("GET", "/api/v1/me", token=token)
        if me["id"] != user["id"]:
            missing.append(f"user {user['username']} has id {me['id']}, not {user['id']}")
        for playlist in (p for p in state["playlists"] if p["owner"] == user["username"]):
            status, body = api.call("GET", f"/api/v1/playlists/{playlist['id']}", token=token, expect=(200, 404))
            if status != 200:
                missing.append(f"playlist {playlist['id']}")
                continue
            _, entries = api.call("GET", f"/api/v1/playlists/{playlist['id']}/entries?limit=200", token=token)
            found = {e["id"] for e in entries["items"]}
            missing += [f"playlist entry {e}" for e in playlist["entries"] if e not in found]
    # The snapshot is consistent with the media copy: every song the restored
    # database has, including those written while the backup ran, plays.
    restored, cursor = [], None
    while True:
        query = "?limit=200" + (f"&cursor={cursor}" if cursor else "")
        _, page = api.call("GET", f"/api/v1/songs{query}", token=admin_token)
        restored += [song["id"] for song in page["items"]]
        cursor = page.get("next_cursor")
        if not cursor:
            break
    for song_id in restored:
        _, playback = api.call("GET", f"/api/v1/songs/{song_id}/stream", token=admin_token)
        status, _ = api.call("GET", playback["url"], expect=(200, 404))
        if status != 200:
            missing.append(f"the audio of song {song_id}, in the restored database (status {status})")
    during = set(json.load(open(state_path + ".during"))["songs"]) if os.path.exists(state_path + ".during") else set()
    print(f"the restored library has {len(restored)} songs, all playable; "
          f"{len(during & set(restored))} of the {len(during)} written while the backup ran made it in")
    counted = (len(state["songs"]) * 2 + len(state["users"]) + len(state["playlists"])
               + sum(len(p["entries"]) for p in state["playlists"]))
    if missing:
        print(f"MISSING after the restore ({len(missing)} of {counted}):")
        for item in missing:
            print(f"  {item}")
        sys.exit(1)
    print(f"after the restore: all {counted} rows and objects that existed before the backup are there "
          f"({len(state['users'])} listeners, {len(state['songs'])} songs with identical audio, "
          f"{len(state['playlists'])} playlists, {sum(len(p['entries']) for p in state['playlists'])} entries)")


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"populate": populate, "write": write_during, "verify": verify}[command](*args)
