//! Playlists: ordered entries with duplicates, insertion, removal and
//! reordering that stay whole under concurrent edits, and who may see or
//! change what.

use reqwest::Method;
use serde_json::json;
use soundstream_types::{CompletedUpload, Page, Playlist, PlaylistDetail, Song};

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

async fn detail(app: &TestApp, token: &str, playlist: &str) -> PlaylistDetail {
    let response = app
        .authed(Method::GET, &format!("/api/v1/playlists/{playlist}"), token)
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status().as_u16(), 200);
    response.json().await.expect("detail")
}

fn titles(detail: &PlaylistDetail) -> Vec<&str> {
    detail
        .entries
        .iter()
        .map(|entry| entry.song.title.as_str())
        .collect()
}

#[tokio::test]
async fn entries_keep_their_order_through_inserts_removals_and_reorders() {
    let app = spawn_app().await;
    let [a, b, c, d] = <[Song; 4]>::try_from(songs(&app, &["A", "B", "C", "D"]).await).expect("4");
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Mix"})).await;
    let id = &playlist.id;

    let appended: PlaylistDetail = add(&app, token, id, &[&a.id, &b.id, &a.id], None)
        .await
        .json()
        .await
        .expect("detail");
    assert_eq!(titles(&appended), ["A", "B", "A"], "the same song twice");
    let inserted = add(&app, token, id, &[&c.id, &d.id], Some(1)).await;
    assert_eq!(inserted.status().as_u16(), 201);
    let past_end = add(&app, token, id, &[&d.id], Some(99)).await;
    assert_eq!(past_end.status().as_u16(), 201);
    let now = detail(&app, token, id).await;
    assert_eq!(titles(&now), ["A", "C", "D", "B", "A", "D"]);
    let positions: Vec<u32> = now.entries.iter().map(|e| e.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4, 5]);
    assert_eq!(now.playlist.song_count, 6);

    let second_a = &now.entries[4].id;
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

    let now = detail(&app, token, id).await;
    assert_eq!(titles(&now), ["A", "C", "D", "B", "D"]);
    let mut order: Vec<String> = now.entries.iter().map(|e| e.id.clone()).collect();
    order.reverse();
    let reordered: PlaylistDetail = app
        .authed(Method::PUT, &format!("/api/v1/playlists/{id}/order"), token)
        .json(&json!({ "entry_ids": order }))
        .send()
        .await
        .expect("sent")
        .json()
        .await
        .expect("detail");
    assert_eq!(titles(&reordered), ["D", "B", "D", "C", "A"]);

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
    let now = detail(&app, token, id).await;
    assert_eq!(titles(&now), ["D", "A", "D", "C", "A"]);
    let positions: Vec<u32> = now.entries.iter().map(|e| e.position).collect();
    assert_eq!(positions, [0, 1, 2, 3, 4]);
}

#[tokio::test]
async fn a_stale_reorder_is_refused_and_changes_nothing() {
    let app = spawn_app().await;
    let [a, b] = <[Song; 2]>::try_from(songs(&app, &["A", "B"]).await).expect("2");
    let ana = app.register("ana").await;
    let token = &ana.access_token;
    let playlist = create_playlist(&app, token, json!({"name": "Mix"})).await;
    add(&app, token, &playlist.id, &[&a.id, &b.id], None).await;
    let read = detail(&app, token, &playlist.id).await;
    // Meanwhile, another tab adds a song.
    add(&app, token, &playlist.id, &[&a.id], None).await;

    let stale: Vec<String> = read.entries.iter().rev().map(|e| e.id.clone()).collect();
    let mut duplicated = stale.clone();
    duplicated.push(stale[0].clone());
    for entry_ids in [stale, duplicated, vec![]] {
        let response = app
            .authed(
                Method::PUT,
                &format!("/api/v1/playlists/{}/order", playlist.id),
                token,
            )
            .json(&json!({ "entry_ids": entry_ids }))
            .send()
            .await
            .expect("sent");
        let problem = assert_problem(response, 409).await;
        assert_eq!(problem.errors[0].field, "entry_ids");
    }
    assert_eq!(
        titles(&detail(&app, token, &playlist.id).await),
        ["A", "B", "A"]
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
    // each adding two songs, plus reorders of whatever they last read.
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
            let read = detail(&app, &token, &id).await;
            let mut order: Vec<String> = read.entries.iter().map(|e| e.id.clone()).collect();
            order.rotate_left(1);
            let reorder = app
                .authed(
                    Method::PUT,
                    &format!("/api/v1/playlists/{id}/order"),
                    &token,
                )
                .json(&json!({ "entry_ids": order }))
                .send()
                .await
                .expect("sent");
            assert!(
                matches!(reorder.status().as_u16(), 200 | 409),
                "reorder: {}",
                reorder.status()
            );
        }));
    }
    for task in tasks {
        task.await.expect("writer");
    }

    let end = detail(&app, &token, &playlist.id).await;
    assert_eq!(end.entries.len(), 1 + 24 * 2, "no entry lost");
    let positions: Vec<u32> = end.entries.iter().map(|e| e.position).collect();
    assert_eq!(positions, (0..49).collect::<Vec<u32>>());
    let mut ids: Vec<&str> = end.entries.iter().map(|e| e.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 49, "no entry twice");
    // Each insert's two songs stay next to each other: no request tore
    // another apart. Pairs are (k, k+3 mod 8) for the round's k.
    assert_eq!(end.playlist.song_count, 49);
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
    let entry = detail(&app, &ana.access_token, &private.id).await.entries[0]
        .id
        .clone();

    // (method, path suffix, body) for every playlist operation.
    let operations = |id: &str| {
        vec![
            (Method::GET, format!("/api/v1/playlists/{id}"), None),
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
                Some(json!({"entry_ids": [entry]})),
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
