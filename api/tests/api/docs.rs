//! The OpenAPI document and the interactive docs, served with no internet.

use crate::helpers::spawn_app;

#[tokio::test]
async fn openapi_json_lists_the_service_routes() {
    let app = spawn_app().await;

    let response = app.get("/openapi.json").await;

    assert_eq!(response.status().as_u16(), 200);
    let document: serde_json::Value = response.json().await.expect("JSON");
    assert!(
        document["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    for path in ["/healthz", "/readyz", "/api/v1/config"] {
        assert!(
            document["paths"][path]["get"].is_object(),
            "{path} documented"
        );
    }
    assert!(document["components"]["schemas"]["Problem"].is_object());
}

#[tokio::test]
async fn docs_page_and_its_assets_come_from_the_api_itself() {
    let app = spawn_app().await;

    let page = app.get("/docs/").await;
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(!html.contains("https://"), "no external assets: {html}");

    // Every script and stylesheet the page references is served locally.
    let assets: Vec<String> = html
        .split(['"', '\''])
        .filter(|part| part.ends_with(".js") || part.ends_with(".css"))
        .map(|part| part.trim_start_matches("./").to_owned())
        .collect();
    assert!(!assets.is_empty(), "the page loads scripts: {html}");
    for asset in assets {
        let response = app.get(&format!("/docs/{asset}")).await;
        assert_eq!(response.status().as_u16(), 200, "{asset}");
    }
    let initializer = app.get("/docs/swagger-initializer.js").await;
    let script = initializer.text().await.expect("script");
    assert!(script.contains("/openapi.json"), "{script}");
}

#[tokio::test]
async fn docs_without_trailing_slash_leads_to_the_docs() {
    let app = spawn_app().await;

    let response = app.get("/docs").await;

    assert!(response.status().is_redirection(), "{}", response.status());
    assert_eq!(response.headers()["location"], "/docs/");
}

#[test]
fn committed_openapi_yaml_matches_the_code() {
    let committed_path = concat!(env!("CARGO_MANIFEST_DIR"), "/../openapi.yaml");
    let committed = std::fs::read_to_string(committed_path).unwrap_or_default();
    let generated = soundstream_api::http::openapi::yaml();

    assert!(
        committed == generated,
        "openapi.yaml is out of date; regenerate it with:\n  \
         cargo run -q -p soundstream-api -- openapi > openapi.yaml"
    );
}

/// The links schemathesis's stateful phase follows (create → read →
/// update → delete): utoipa does not check them, so a renamed operation or
/// parameter would silently leave the chain.
#[test]
fn every_link_names_an_operation_and_exactly_its_path_parameters() {
    let document = serde_json::to_value(soundstream_api::http::openapi::document())
        .expect("the document serialises");
    let mut path_parameters = std::collections::HashMap::new();
    for (path, item) in document["paths"].as_object().expect("paths") {
        for operation in item.as_object().expect("path item").values() {
            if let Some(id) = operation["operationId"].as_str() {
                let mut names: Vec<String> = path
                    .split('/')
                    .filter_map(|s| s.strip_prefix('{')?.strip_suffix('}'))
                    .map(str::to_owned)
                    .collect();
                names.sort();
                path_parameters.insert(id.to_owned(), names);
            }
        }
    }
    let mut links = 0;
    for item in document["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            let Some(responses) = operation["responses"].as_object() else {
                continue;
            };
            for response in responses.values() {
                let Some(response_links) = response["links"].as_object() else {
                    continue;
                };
                for (name, link) in response_links {
                    links += 1;
                    let target = link["operationId"].as_str().expect("operationId");
                    let wanted = path_parameters
                        .get(target)
                        .unwrap_or_else(|| panic!("link {name} names no operation: {target}"));
                    let mut given: Vec<String> = link["parameters"]
                        .as_object()
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    given.sort();
                    assert_eq!(&given, wanted, "link {name} to {target}");
                }
            }
        }
    }
    assert!(links >= 20, "only {links} links");
}
