//! `getInternetRadioStations`: the stations, each with a stream URL an
//! app can play as is (signed for listeners-only stations, since apps
//! cannot send the app password to a stream). Stations are made in the
//! web player; the create/update/delete methods, which describe external
//! stream URLs, are not implemented.

use serde_json::{Value, json};

use super::call::Call;
use super::wire::{Payload, SubsonicError};
use crate::services::browsing::every_page;
use crate::services::stations;

/// Stations answered at most.
const MAX_STATIONS: usize = 1_000;

pub async fn list(call: &Call<'_>) -> Result<Payload, SubsonicError> {
    let found = every_page(MAX_STATIONS, |page| async move {
        stations::list_stations(call.state, &call.urls, Some(call.user), &page).await
    })
    .await?;
    let mut listed: Vec<Value> = Vec::with_capacity(found.len());
    for station in found {
        let stream_url = if station.is_public {
            format!("{}{}", call.state.public_origin, station.stream_path)
        } else {
            stations::stream_urls(call.state, call.user, &station.id)
                .await?
                .stream
        };
        listed.push(json!({
            "id": station.id,
            "name": station.name,
            "streamUrl": stream_url,
        }));
    }
    Ok(vec![(
        "internetRadioStations",
        json!({"internetRadioStation": listed}),
    )])
}
