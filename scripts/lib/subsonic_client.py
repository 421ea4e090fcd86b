"""The Subsonic side of scripts/test-subsonic-client: a real client library
(PyPI py-opensonic, the one Python apps use) against a running API.

  subsonic_client.py BASE ADMIN PASSWORD

Fills the library through the JSON API (three tones with genres), makes a
listener and an app password, then drives the OpenSubsonic methods through
py-opensonic with each way of signing in (salted token, the password itself,
an API key): the library parses every answer into its typed objects, so an
answer missing a field the specification requires fails here.
"""

import sys
import urllib.parse

from libopensonic import Connection
from libopensonic import errors as sonic_errors

from backup_roundtrip import Api, tone_wav

PASSWORD = "subsonic-client-Pa55word!"


def check(condition, what):
    if not condition:
        raise AssertionError(what)
    print(f"ok: {what}")


def upload(api, token, frequency, fields):
    audio = tone_wav(frequency)
    _, ticket = api.call(
        "POST", "/api/v1/uploads",
        {"kind": "audio", "content_type": "audio/wav", "size": len(audio)},
        token=token,
    )
    api.call(ticket["method"], ticket["url"], raw=audio, headers=ticket["headers"], expect=(200, 201, 204))
    api.call("POST", f"/api/v1/uploads/{ticket['id']}/complete", {}, token=token)
    _, song = api.call("POST", "/api/v1/songs", dict(fields, upload_id=ticket["id"]), token=token)
    return song


def connect(base, **credentials):
    url = urllib.parse.urlsplit(base)
    return Connection(f"{url.scheme}://{url.hostname}", port=url.port, app_name="py-opensonic-check", **credentials)


def drive(sonic, songs, how):
    """Every method py-opensonic offers that SoundStream implements."""
    alpha, beta, gamma = songs
    album = alpha["album"]["id"]
    artist = alpha["artist"]["id"]
    check(sonic.ping(), f"{how}: ping")
    check(sonic.get_license()["license"]["valid"], f"{how}: getLicense")
    names = {ext.name for ext in sonic.get_open_subsonic_extensions()}
    check({"apiKeyAuthentication", "formPost", "songLyrics"} <= names, f"{how}: getOpenSubsonicExtensions")
    check(sonic.get_user("listener").username == "listener", f"{how}: getUser")
    check(sonic.get_scan_status().count == 3, f"{how}: getScanStatus")
    # get_music_folders is left out: py-opensonic 10.4.1 iterates the
    # `musicFolders` object instead of its `musicFolder` list (the shape the
    # specification gives, which the Rust tests check against its schema).
    artists = sonic.get_artists()
    check(sum(len(index.artist or []) for index in artists.index) == 2, f"{how}: getArtists")
    check(sonic.get_indexes().index, f"{how}: getIndexes")
    check({a.id for a in sonic.get_artist(artist).album} == {album}, f"{how}: getArtist")
    check([s.title for s in sonic.get_album(album).song] == ["Alpha", "Beta"], f"{how}: getAlbum")
    check(sonic.get_song(gamma["id"]).genre == "Pop", f"{how}: getSong carries the genre")
    check(len(sonic.get_music_directory(album).child) == 2, f"{how}: getMusicDirectory")
    genres = {g.value: g.song_count for g in sonic.get_genres()}
    check(genres == {"Rock": 2, "Pop": 1}, f"{how}: getGenres")
    check([s.title for s in sonic.get_songs_by_genre("Rock")] == ["Alpha", "Beta"], f"{how}: getSongsByGenre")
    for ltype in ["random", "newest", "highest", "frequent", "recent", "alphabeticalByName",
                  "alphabeticalByArtist", "starred"]:
        sonic.get_album_list2(ltype)
        sonic.get_album_list(ltype)
    check(len(sonic.get_album_list2("byYear", from_year=1990, to_year=2000)) == 1, f"{how}: getAlbumList2 byYear")
    check(len(sonic.get_album_list2("byGenre", genre="Pop")) == 1, f"{how}: getAlbumList2 byGenre")
    check(len(sonic.get_random_songs(size=5)) == 3, f"{how}: getRandomSongs")
    whole = sonic.search3("", song_count=500)
    check(len(whole.song) == 3, f"{how}: search3 with an empty query lists the library")
    check([s.title for s in sonic.search3("gamma").song] == ["Gamma"], f"{how}: search3")
    check(sonic.search2("gamma").song, f"{how}: search2")
    check([s.title for s in sonic.get_top_songs("Zed")][:2] == ["Beta", "Alpha"], f"{how}: getTopSongs")
    check(len(sonic.get_similar_songs2(artist)) == 2, f"{how}: getSimilarSongs2")
    sonic.get_artist_info2(artist)
    sonic.get_album_info2(album)

    sonic.star(sids=[alpha["id"]], album_ids=[album], artist_ids=[artist])
    starred = sonic.get_starred2()
    check(len(starred.song) == 1 and len(starred.album) == 1 and len(starred.artist) == 1, f"{how}: star, getStarred2")
    sonic.unstar(sids=[alpha["id"]], album_ids=[album], artist_ids=[artist])
    check(not sonic.get_starred2().song, f"{how}: unstar")
    sonic.set_rating(album, 5)
    check([a.id for a in sonic.get_album_list2("highest")] == [album], f"{how}: setRating, highest")
    sonic.set_rating(album, 0)

    sonic.scrobble(gamma["id"], submission=False)
    check([e.id for e in sonic.get_now_playing()] == [gamma["id"]], f"{how}: scrobble (now playing), getNowPlaying")
    sonic.scrobble(beta["id"])
    check(sonic.get_album_list2("recent")[0].id == album, f"{how}: scrobble (a play)")

    sonic.create_bookmark(beta["id"], 1200, comment="here")
    marks = sonic.get_bookmarks()
    check(len(marks) == 1 and marks[0].position == 1200, f"{how}: createBookmark, getBookmarks")
    sonic.delete_bookmark(beta["id"])
    check(not sonic.get_bookmarks(), f"{how}: deleteBookmark")
    sonic.save_play_queue([gamma["id"], alpha["id"]], current=alpha["id"], position=300)
    queue = sonic.get_play_queue()
    check([s.id for s in queue.entry] == [gamma["id"], alpha["id"]] and queue.current == alpha["id"],
          f"{how}: savePlayQueue, getPlayQueue")

    sonic.create_playlist(name=f"Mix {how}", song_ids=[alpha["id"], beta["id"]])
    playlist = next(p for p in sonic.get_playlists() if p.name == f"Mix {how}")
    check(playlist.song_count == 2, f"{how}: createPlaylist, getPlaylists")
    sonic.update_playlist(playlist.id, name=f"Renamed {how}", song_ids_to_add=[gamma["id"]], song_indices_to_remove=[0])
    check([s.title for s in sonic.get_playlist(playlist.id).entry] == ["Beta", "Gamma"], f"{how}: updatePlaylist")
    sonic.delete_playlist(playlist.id)
    check(all(p.id != playlist.id for p in sonic.get_playlists()), f"{how}: deletePlaylist")

    lyrics = sonic.get_lyrics(artist="Abba", title="Gamma")
    check(lyrics.value == "la la la", f"{how}: getLyrics")
    structured = sonic.get_lyrics_by_song_id(gamma["id"])
    check(structured[0].line[0].value == "la la la", f"{how}: getLyricsBySongId")
    try:
        sonic.get_podcasts()
        raise AssertionError(f"{how}: getPodcasts should be refused")
    except sonic_errors.SonicError as error:
        check("getPodcasts" in str(error), f"{how}: unimplemented methods answer a clean error")


def main():
    base, admin, password = sys.argv[1:4]
    api = Api(base)
    _, tokens = api.call("POST", "/api/v1/auth/login", {"login": admin, "password": password})
    token = tokens["access_token"]
    songs = [
        upload(api, token, 440, {"title": "Alpha", "artist": "Zed", "album": "First", "year": 1999,
                                 "track_number": 1, "genre": "Rock"}),
        upload(api, token, 550, {"title": "Beta", "artist": "Zed", "album": "First", "year": 1999,
                                 "track_number": 2, "genre": "Rock"}),
        upload(api, token, 660, {"title": "Gamma", "artist": "Abba", "album": "Second", "year": 2005,
                                 "genre": "Pop", "lyrics": "la la la", "lyrics_language": "en"}),
    ]
    _, listener = api.call(
        "POST", "/api/v1/auth/register",
        {"username": "listener", "email": "listener@example.com", "password": PASSWORD},
    )
    _, key = api.call("POST", "/api/v1/me/app-passwords", {"name": "py-opensonic"},
                      token=listener["access_token"])
    secret = key["secret"]

    ways = [
        ("salted token", {"username": "listener", "password": secret}),
        ("password", {"username": "listener", "password": secret, "legacy_auth": True}),
        ("API key", {"api_key": secret}),
    ]
    for how, credentials in ways:
        sonic = connect(base, **credentials)
        try:
            drive(sonic, songs, how)
        finally:
            sonic.cleanup()
    # The account password never opens /rest.
    sonic = connect(base, username="listener", password=PASSWORD)
    try:
        sonic.ping()
        raise AssertionError("the account password was accepted on /rest")
    except sonic_errors.SonicError:
        print("ok: the account password is refused")
    finally:
        sonic.cleanup()


if __name__ == "__main__":
    main()
