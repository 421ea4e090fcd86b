//! Playlists: ordered entries with duplicates, insertion, removal and
//! moves that stay whole under concurrent edits, entries paged like every
//! other list (also for a big playlist, whose changes write and answer
//! only what they touch), and who may see or change what.

use std::collections::HashMap;

use reqwest::Method;
use serde_json::json;
use soundstream_types::{
    AddedPlaylistEntries, CompletedUpload, Page, Playlist, PlaylistEntry, Song,
};

use crate::helpers::{TestApp, assert_problem, spawn_app};
use crate::search::create_playlist;
use crate::songs::create_song;
use crate::uploads::{fixture, upload};

async fn songs(app: &TestApp, titles: &[&str]) -> Vec<Song> {
    let admin = app.admin("boss").await;
    let mut songs = Vec::new();
    for title in titles {
        songs.push(
            create_song(
                app,
                &admin.access_token,
                "tone.ogg",
                "audio/ogg",
                json!({"title": title}),
            )
            .await,
        );
    }
    songs
}

async fn add(
    app: &TestApp,
    token: &str,
    playlist: &str,
    song_ids: &[&str],
    position: Option<u32>,
) -> reqwest::Response {
    let mut body = json!({ "song_ids": song_ids });
    if let Some(position) = position {
        body["position"] = json!(position);
    }
    app.authed(
        Method::POST,
        &format!("/api/v1/playlists/{playlist}/songs"),
        token,
    )
    .json(&body)
    .send()
    .await
    .expect("sent")
}

async fn move_entry(
    app: &TestApp,
    token: &str,
    playlist: &str,
    entry_id: &str,
    after: Option<&str>,
) -> reqwest::Response {
    app.authed(
        Method::PUT,
        &format!("/api/v1/playlists/{playlist}/order"),
        token,
    )
    .json(&json!({ "entry_id": entry_id, "after_entry_id": after }))
    .send()
    .await
    .expect("sent")
}

async fn summary(app: &TestApp, token: &str, playlist: &str) -> Playlist {
    let response = app
        .authed(Method::GET, &format!("/api/v1/playlists/{playlist}"), token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("playlist")
}

async fn entries_page(
    app: &TestApp,
    token: &str,
    playlist: &str,
    query: &str,
) -> Page<PlaylistEntry> {
    let response = app
        .authed(
            Method::GET,
            &format!("/api/v1/playlists/{playlist}/entries{query}"),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("page")
}

/// Every entry, following `next_cursor` a page of `limit` at a time.
async fn all_entries(app: &TestApp, token: &str, playlist: &str) -> Vec<PlaylistEntry> {
    let mut entries = Vec::new();
    let mut query = "?limit=200".to_owned();
    loop {
        let page = entries_page(app, token, playlist, &query).await;
        entries.extend(page.items);
        match page.next_cursor {
            Some(cursor) => query = format!("?limit=200&cursor={cursor}"),
            None => return entries,
        }
    }
}

fn titles(entries: &[PlaylistEntry]) -> Vec<&str> {
    entries
        .iter()
        .map(|entry| entry.song.title.as_str())
        .collect()
}

fn places(entries: &[PlaylistEntry]) -> Vec<u32> {
    entries.iter().map(|entry| entry.position).collect()
}

/// The stored sort key of every entry of the playlist, by entry id.
async fn stored_keys(app: &TestApp, playlist: &str) -> HashMap<String, i64> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT id, position FROM playlist_entries WHERE playlist_id = $1")
            .bind(playlist)
            .fetch_all(app.state.db.pool())
            .await
            .expect("keys");
    rows.into_iter().collect()
}

#[tokio::test]
async fn entries_keep_their_order_through_inserts_removals_and_moves() {
    let app = spawn_app().await;
    let [a, b, c, d] = <[Song; 4]>::try_from(songs(&app, &["A", "B", "C", "D"]).await).expect("4");
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Mix"})).await;
    let id = &playlist.id;

    let appended: AddedPlaylistEntries = add(&app, token, id, &[&a.id, &b.id, &a.id], None)
        .await
        .json()
        .await
        .expect("added");
    assert_eq!(appended.entry_ids.len(), 3);
    assert_eq!(appended.playlist.song_count, 3, "the same song twice");
    let inserted = add(&app, token, id, &[&c.id, &d.id], Some(1)).await;
    assert_eq!(inserted.status().as_u16(), 201);
    let past_end = add(&app, token, id, &[&d.id], Some(99)).await;
    assert_eq!(past_end.status().as_u16(), 201);
    let front = add(&app, token, id, &[&b.id], Some(0)).await;
    assert_eq!(front.status().as_u16(), 201);
    let now = all_entries(&app, token, id).await;
    assert_eq!(titles(&now), ["B", "A", "C", "D", "B", "A", "D"]);
    assert_eq!(places(&now), [0, 1, 2, 3, 4, 5, 6]);
    assert_eq!(summary(&app, token, id).await.song_count, 7);

    let second_a = &now[5].id;
    let removed = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/playlists/{id}/songs/{second_a}"),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(removed.status().as_u16(), 204);
    let gone_again = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/playlists/{id}/songs/{second_a}"),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_problem(gone_again, 404).await;

    let now = all_entries(&app, token, id).await;
    assert_eq!(titles(&now), ["B", "A", "C", "D", "B", "D"]);
    // Last to the top, the top after the (new) third, the second to the end.
    let to_top = move_entry(&app, token, id, &now[5].id, None).await;
    assert_eq!(to_top.status().as_u16(), 204);
    assert!(to_top.bytes().await.expect("body").is_empty());
    move_entry(&app, token, id, &now[5].id, Some(&now[5].id)).await;
    move_entry(&app, token, id, &now[5].id, Some(&now[1].id)).await;
    move_entry(&app, token, id, &now[0].id, Some(&now[4].id)).await;
    let now = all_entries(&app, token, id).await;
    assert_eq!(titles(&now), ["A", "D", "C", "D", "B", "B"]);
    assert_eq!(places(&now), [0, 1, 2, 3, 4, 5]);

    // A song deleted from the catalogue leaves every playlist; the order
    // of the rest, and inserting among them, still work.
    let admin = app.login("boss", crate::helpers::GOOD_PASSWORD).await;
    let admin: soundstream_types::TokenResponse = admin.json().await.expect("tokens");
    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/songs/{}", b.id),
            &admin.access_token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    add(&app, token, id, &[&a.id], Some(1)).await;
    let now = all_entries(&app, token, id).await;
    assert_eq!(titles(&now), ["A", "A", "D", "C", "D"]);
    assert_eq!(places(&now), [0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn a_playlists_count_and_length_follow_its_entries_and_their_songs() {
    let app = spawn_app().await;
    let [a, b] = <[Song; 2]>::try_from(songs(&app, &["A", "B"]).await).expect("2");
    let chief = app.admin("chief").await;
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Mix"})).await;
    let id = &playlist.id;
    assert_eq!((playlist.song_count, playlist.duration_ms), (0, 0));

    let added: AddedPlaylistEntries = add(&app, token, id, &[&a.id, &b.id, &a.id], None)
        .await
        .json()
        .await
        .expect("added");
    let both = summary(&app, token, id).await;
    assert_eq!(both.song_count, 3);
    assert_eq!(both.duration_ms, 2 * a.duration_ms + b.duration_ms);
    assert!(a.duration_ms > 0);

    let removed = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/playlists/{id}/songs/{}", added.entry_ids[1]),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(removed.status().as_u16(), 204);
    let without_b = summary(&app, token, id).await;
    assert_eq!(
        (without_b.song_count, without_b.duration_ms),
        (2, 2 * a.duration_ms)
    );

    // Deleting a song from the library takes its entries, and their length, along.
    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/songs/{}", a.id),
            &chief.access_token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    let emptied = summary(&app, token, id).await;
    assert_eq!((emptied.song_count, emptied.duration_ms), (0, 0));
}

#[tokio::test]
async fn entries_are_paged_in_order_with_their_places() {
    let app = spawn_app().await;
    let catalogue = songs(&app, &["A", "B", "C", "D", "E"]).await;
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Five"})).await;
    let ids: Vec<&str> = catalogue.iter().map(|song| song.id.as_str()).collect();
    add(&app, token, &playlist.id, &ids, None).await;

    let first = entries_page(&app, token, &playlist.id, "?limit=2").await;
    let cursor = first.next_cursor.clone().expect("more");
    let second = entries_page(
        &app,
        token,
        &playlist.id,
        &format!("?limit=2&cursor={cursor}"),
    )
    .await;
    let cursor = second.next_cursor.clone().expect("more");
    let last = entries_page(
        &app,
        token,
        &playlist.id,
        &format!("?limit=2&cursor={cursor}"),
    )
    .await;

    assert_eq!(titles(&first.items), ["A", "B"]);
    assert_eq!(places(&first.items), [0, 1]);
    assert_eq!(titles(&second.items), ["C", "D"]);
    assert_eq!(places(&second.items), [2, 3]);
    assert_eq!(titles(&last.items), ["E"]);
    assert_eq!(places(&last.items), [4]);
    assert_eq!(last.next_cursor, None);

    for query in [
        "?limit=0",
        "?limit=201",
        "?cursor=garbage",
        "?cursor=azE6eA",
    ] {
        let response = app
            .authed(
                Method::GET,
                &format!("/api/v1/playlists/{}/entries{query}", playlist.id),
                token,
            )
            .send()
            .await
            .expect("sent");
        assert_problem(response, 422).await;
    }
}

#[tokio::test]
async fn a_big_playlist_is_read_a_page_at_a_time_and_changed_row_by_row() {
    let app = spawn_app().await;
    let catalogue = songs(&app, &["First", "Filler", "Inserted"]).await;
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Everything"})).await;
    let id = &playlist.id;
    add(&app, token, id, &[&catalogue[0].id], None).await;
    let filler = vec![catalogue[1].id.as_str(); 500];
    for _ in 0..3 {
        assert_eq!(
            add(&app, token, id, &filler, None).await.status().as_u16(),
            201
        );
    }

    // Reading: the playlist alone, then bounded pages.
    let detail = app
        .authed(Method::GET, &format!("/api/v1/playlists/{id}"), token)
        .send()
        .await
        .expect("sent");
    let detail_body = detail.text().await.expect("body");
    let read: Playlist = serde_json::from_str(&detail_body).expect("playlist");
    assert_eq!(read.song_count, 1501);
    assert!(
        detail_body.len() < 2_000,
        "no entries: {} bytes",
        detail_body.len()
    );
    let default_page = entries_page(&app, token, id, "").await;
    assert_eq!(default_page.items.len(), 50);
    assert!(default_page.next_cursor.is_some());
    let everything = all_entries(&app, token, id).await;
    assert_eq!(everything.len(), 1501);
    assert_eq!(places(&everything), (0..1501).collect::<Vec<u32>>());

    // Adding in the middle writes only the new row and answers ids, not entries.
    let before = stored_keys(&app, id).await;
    let added = add(&app, token, id, &[&catalogue[2].id], Some(700)).await;
    assert_eq!(added.status().as_u16(), 201);
    let added_body = added.text().await.expect("body");
    assert!(added_body.len() < 2_000, "{} bytes", added_body.len());
    assert!(
        !added_body.contains("/media/"),
        "nothing signed but the cover"
    );
    let added: AddedPlaylistEntries = serde_json::from_str(&added_body).expect("added");
    assert_eq!(added.playlist.song_count, 1502);
    let after = stored_keys(&app, id).await;
    let changed = after
        .iter()
        .filter(|(entry, key)| before.get(*entry) != Some(key))
        .count();
    assert_eq!(changed, 1, "only the new entry is written");
    let page = all_entries(&app, token, id).await;
    let inserted = page
        .iter()
        .find(|entry| entry.id == added.entry_ids[0])
        .expect("in the pages");
    assert_eq!(inserted.position, 700);
    assert_eq!(inserted.song.title, "Inserted");

    // Moving the last entry to the top writes one row and answers nothing.
    let last = everything.last().expect("entries");
    let before = stored_keys(&app, id).await;
    let moved = move_entry(&app, token, id, &last.id, None).await;
    assert_eq!(moved.status().as_u16(), 204);
    let after = stored_keys(&app, id).await;
    let changed: Vec<&String> = after
        .iter()
        .filter(|(entry, key)| before.get(*entry) != Some(key))
        .map(|(entry, _)| entry)
        .collect();
    assert_eq!(changed, [&last.id]);
    let top = entries_page(&app, token, id, "?limit=2").await;
    assert_eq!(top.items[0].id, last.id);
    assert_eq!(top.items[1].song.title, "First");
}

#[tokio::test]
async fn moves_into_the_same_gap_again_and_again_keep_the_order() {
    let app = spawn_app().await;
    let catalogue = songs(&app, &["A", "B", "C", "D"]).await;
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Tight"})).await;
    let ids: Vec<&str> = catalogue.iter().map(|song| song.id.as_str()).collect();
    add(&app, token, &playlist.id, &ids, None).await;
    let mut model: Vec<String> = all_entries(&app, token, &playlist.id)
        .await
        .into_iter()
        .map(|entry| entry.id)
        .collect();

    // Always the last one to just after the first: the gap behind the
    // first entry halves each time until the playlist is respaced.
    for round in 0..40 {
        let last = model.pop().expect("entries");
        let first = model[0].clone();
        let response = move_entry(&app, token, &playlist.id, &last, Some(&first)).await;
        assert_eq!(response.status().as_u16(), 204, "round {round}");
        model.insert(1, last);
        let stored: Vec<String> = all_entries(&app, token, &playlist.id)
            .await
            .into_iter()
            .map(|entry| entry.id)
            .collect();
        assert_eq!(stored, model, "round {round}");
    }
    // And inserting into a tight spot works the same way.
    for _ in 0..20 {
        add(&app, token, &playlist.id, &[ids[0]], Some(1)).await;
    }
    let entries = all_entries(&app, token, &playlist.id).await;
    assert_eq!(entries.len(), 24);
    assert_eq!(entries[0].id, model[0]);
    assert_eq!(
        &entries[21..]
            .iter()
            .map(|e| e.id.clone())
            .collect::<Vec<_>>(),
        &model[1..]
    );
}

#[tokio::test]
async fn a_move_naming_an_entry_no_longer_there_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let [a, b] = <[Song; 2]>::try_from(songs(&app, &["A", "B"]).await).expect("2");
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Mix"})).await;
    add(&app, token, &playlist.id, &[&a.id, &b.id, &a.id], None).await;
    let read = all_entries(&app, token, &playlist.id).await;
    // Meanwhile, another tab removes the second entry.
    app.authed(
        Method::DELETE,
        &format!("/api/v1/playlists/{}/songs/{}", playlist.id, read[1].id),
        token,
    )
    .send()
    .await
    .expect("sent");

    let gone_anchor = move_entry(&app, token, &playlist.id, &read[0].id, Some(&read[1].id)).await;
    let gone_entry = move_entry(&app, token, &playlist.id, &read[1].id, None).await;
    let old_contract = app
        .authed(
            Method::PUT,
            &format!("/api/v1/playlists/{}/order", playlist.id),
            token,
        )
        .json(&json!({ "entry_ids": [read[2].id, read[0].id] }))
        .send()
        .await
        .expect("sent");

    let problem = assert_problem(gone_anchor, 409).await;
    assert_eq!(problem.errors[0].field, "after_entry_id");
    let problem = assert_problem(gone_entry, 409).await;
    assert_eq!(problem.errors[0].field, "entry_id");
    assert_problem(old_contract, 422).await;
    assert_eq!(
        titles(&all_entries(&app, token, &playlist.id).await),
        ["A", "A"]
    );
}

#[tokio::test]
async fn concurrent_edits_never_lose_or_tear_entries() {
    let app = spawn_app().await;
    let catalogue = songs(&app, &["S0", "S1", "S2", "S3", "S4", "S5", "S6", "S7"]).await;
    let ana = app.register("ana").await;
    let token = ana.access_token.clone();
    let playlist = create_playlist(&app, &token, json!({"name": "Busy"})).await;
    let first = add(&app, &token, &playlist.id, &[&catalogue[0].id], None).await;
    assert_eq!(first.status().as_u16(), 201);

    // 24 writers at once: appends, inserts at the top and in the middle,
    // each adding two songs, then moving the first of them to the top.
    let mut tasks = Vec::new();
    for round in 0..24_u32 {
        let (app, token, id) = (app.clone(), token.clone(), playlist.id.clone());
        let pair = [
            catalogue[(round % 8) as usize].id.clone(),
            catalogue[((round + 3) % 8) as usize].id.clone(),
        ];
        tasks.push(tokio::spawn(async move {
            let position = match round % 3 {
                0 => None,
                1 => Some(0),
                _ => Some(round / 2),
            };
            let added = add(&app, &token, &id, &[&pair[0], &pair[1]], position).await;
            assert_eq!(added.status().as_u16(), 201);
            let added: AddedPlaylistEntries = added.json().await.expect("added");
            let moved = move_entry(&app, &token, &id, &added.entry_ids[1], None).await;
            assert_eq!(moved.status().as_u16(), 204);
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }

    let end = all_entries(&app, &token, &playlist.id).await;
    assert_eq!(end.len(), 1 + 24 * 2, "no entry lost");
    assert_eq!(places(&end), (0..49).collect::<Vec<u32>>());
    let mut ids: Vec<&str> = end.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 49, "no entry twice");
    assert_eq!(summary(&app, &token, &playlist.id).await.song_count, 49);
}

#[tokio::test]
async fn private_playlists_are_invisible_and_others_cannot_change_any() {
    let app = spawn_app().await;
    let [a] = <[Song; 1]>::try_from(songs(&app, &["A"]).await).expect("1");
    let admin = app.login("boss", crate::helpers::GOOD_PASSWORD).await;
    let admin: soundstream_types::TokenResponse = admin.json().await.expect("tokens");
    let ana = app.register("ana").await;
    let bob = app.register("bob").await;
    let private = create_playlist(&app, &ana.access_token, json!({"name": "Mine"})).await;
    let public = create_playlist(
        &app,
        &ana.access_token,
        json!({"name": "Ours", "is_public": true}),
    )
    .await;
    add(&app, &ana.access_token, &private.id, &[&a.id], None).await;
    let entry = all_entries(&app, &ana.access_token, &private.id).await[0]
        .id
        .clone();

    // (method, path suffix, body) for every playlist operation.
    let operations = |id: &str| {
        vec![
            (Method::GET, format!("/api/v1/playlists/{id}"), None),
            (Method::GET, format!("/api/v1/playlists/{id}/entries"), None),
            (
                Method::PATCH,
                format!("/api/v1/playlists/{id}"),
                Some(json!({"name": "x"})),
            ),
            (
                Method::POST,
                format!("/api/v1/playlists/{id}/songs"),
                Some(json!({"song_ids": [a.id]})),
            ),
            (
                Method::DELETE,
                format!("/api/v1/playlists/{id}/songs/{entry}"),
                None,
            ),
            (
                Method::PUT,
                format!("/api/v1/playlists/{id}/order"),
                Some(json!({"entry_id": entry})),
            ),
            (Method::DELETE, format!("/api/v1/playlists/{id}"), None),
        ]
    };
    let send = |method: Method, path: String, body: Option<serde_json::Value>, token: String| {
        let app = app.clone();
        async move {
            let request = app.authed(method, &path, &token);
            let request = match body {
                Some(body) => request.json(&body),
                None => request,
            };
            request.send().await.expect("sent")
        }
    };
    for (method, path, body) in operations(&private.id) {
        let response = send(method.clone(), path.clone(), body, bob.access_token.clone()).await;
        assert_problem(response, 404).await;
    }
    for (method, path, body) in operations(&public.id) {
        let response = send(method.clone(), path.clone(), body, bob.access_token.clone()).await;
        let expected = if method == Method::GET { 200 } else { 403 };
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
    }
    for (method, path, body) in operations(&private.id) {
        let response = send(
            method.clone(),
            path.clone(),
            body,
            admin.access_token.clone(),
        )
        .await;
        let expected = match method {
            Method::GET => 200,
            Method::DELETE if !path.contains("/songs/") => 204,
            _ => 403,
        };
        assert_eq!(
            response.status().as_u16(),
            expected,
            "admin: {method} {path}"
        );
    }
    for (method, path, body) in operations(&public.id) {
        let response = app.request(method.clone(), &path).await;
        drop(body);
        assert_problem(response, 401).await;
    }

    let bobs_list: Page<Playlist> = app
        .authed(Method::GET, "/api/v1/playlists", &bob.access_token)
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    let names: Vec<&str> = bobs_list.items.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["Ours"]);
    let bobs_own: Page<Playlist> = app
        .authed(
            Method::GET,
            "/api/v1/playlists?mine=true",
            &bob.access_token,
        )
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("page");
    assert!(bobs_own.items.is_empty());
}

#[tokio::test]
async fn owners_name_describe_publish_and_cover_their_playlists() {
    let app = spawn_app().await;
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let cover: CompletedUpload = upload(&app, token, "image", "image/png", fixture("cover.png"))
        .await
        .json()
        .await
        .expect("cover");
    let created = create_playlist(
        &app,
        token,
        json!({"name": "  Late   night ", "description": "Quiet songs", "cover_upload_id": cover.id}),
    )
    .await;
    assert_eq!(created.name, "Late night");
    assert!(!created.is_public, "private unless asked");
    assert!(created.cover_url.is_some());
    assert_eq!(created.owner.username, "ana");

    let updated: Playlist = app
        .authed(Method::PATCH, &format!("/api/v1/playlists/{}", created.id), token)
        .json(&json!({"name": "Late", "description": null, "is_public": true, "cover_upload_id": null}))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("playlist");
    assert_eq!(updated.name, "Late");
    assert_eq!(updated.description, None);
    assert!(updated.is_public);
    assert_eq!(updated.cover_url, None);

    for body in [
        json!({"name": ""}),
        json!({"name": "x".repeat(201)}),
        json!({"description": "x".repeat(2001)}),
        json!({"cover_upload_id": "nope"}),
        json!({"is_public": "yes"}),
    ] {
        let response = app
            .authed(
                Method::PATCH,
                &format!("/api/v1/playlists/{}", created.id),
                token,
            )
            .json(&body)
            .send()
            .await
            .expect("sent");
        assert!(
            matches!(response.status().as_u16(), 400 | 422),
            "{body}: {}",
            response.status()
        );
    }
    for body in [
        json!({"song_ids": []}),
        json!({"song_ids": ["no-such-song"]}),
        json!({"song_ids": vec!["x"; 501]}),
    ] {
        let response = app
            .authed(
                Method::POST,
                &format!("/api/v1/playlists/{}/songs", created.id),
                token,
            )
            .json(&body)
            .send()
            .await
            .expect("sent");
        assert_problem(response, 422).await;
    }

    let deleted = app
        .authed(
            Method::DELETE,
            &format!("/api/v1/playlists/{}", created.id),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_eq!(deleted.status().as_u16(), 204);
    let gone = app
        .authed(
            Method::GET,
            &format!("/api/v1/playlists/{}", created.id),
            token,
        )
        .send()
        .await
        .expect("sent");
    assert_problem(gone, 404).await;
}
