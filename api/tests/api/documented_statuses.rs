//! Every answer is one the OpenAPI document lists for its operation: the
//! served `/openapi.json` is probed operation by operation with what a
//! generator sends (no token, malformed JSON, another content type, JSON of
//! the wrong shape, a page size out of range), as a listener and as an
//! admin, and each answer's status must be documented there (what
//! scripts/test-schemathesis checks at scale).

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{TestApp, spawn_app};

/// One documented operation: its method, a concrete path (every path
/// parameter filled in) and what it takes.
struct Operation {
    method: Method,
    path: String,
    label: String,
    documented: Vec<u16>,
    takes_a_token: bool,
    takes_json: bool,
    takes_a_page: bool,
}

fn operations(document: &Value) -> Vec<Operation> {
    let mut operations = Vec::new();
    let paths = document["paths"].as_object().expect("paths");
    for (template, item) in paths {
        let item = item.as_object().expect("path item");
        for (method, operation) in item {
            let Ok(method) = method.to_uppercase().parse::<Method>() else {
                continue;
            };
            let documented = operation["responses"]
                .as_object()
                .expect("responses")
                .keys()
                .map(|status| status.parse().expect("numeric status"))
                .collect();
            let takes_a_token = operation["security"]
                .as_array()
                .is_some_and(|security| security.iter().any(|r| r.get("bearer").is_some()));
            let takes_json = operation["requestBody"]["content"]
                .get("application/json")
                .is_some();
            let takes_a_page = operation["parameters"].as_array().is_some_and(|ps| {
                ps.iter()
                    .any(|p| p["name"] == "limit" && p["in"] == "query")
            });
            // A path that names nothing: the probes must not touch real rows.
            let path = template
                .split('/')
                .map(|segment| {
                    if segment.starts_with('{') {
                        "no-such-id"
                    } else {
                        segment
                    }
                })
                .collect::<Vec<_>>()
                .join("/");
            operations.push(Operation {
                label: format!("{method} {template}"),
                method,
                path,
                documented,
                takes_a_token,
                takes_json,
                takes_a_page,
            });
        }
    }
    operations
}

async fn served_operations(app: &TestApp) -> Vec<Operation> {
    let document: Value = app
        .get("/openapi.json")
        .await
        .json()
        .await
        .expect("the OpenAPI document");
    operations(&document)
}

/// Sends `request` and returns an error line unless its status is documented.
async fn undocumented(
    operation: &Operation,
    probe: &str,
    request: reqwest::RequestBuilder,
) -> Option<String> {
    let status = request
        .send()
        .await
        .expect("request sent")
        .status()
        .as_u16();
    (!operation.documented.contains(&status)).then(|| {
        format!(
            "{} ({probe}) answered {status}; documented: {:?}",
            operation.label, operation.documented
        )
    })
}

/// The probes that change nothing, with `token` when one is given.
async fn probe(app: &TestApp, operation: &Operation, token: Option<&str>) -> Vec<String> {
    let request = || {
        let builder = app
            .client
            .request(operation.method.clone(), app.url(&operation.path));
        match token {
            Some(token) => builder.bearer_auth(token),
            None => builder,
        }
    };
    let mut errors = Vec::new();
    if operation.takes_json {
        let probes = [
            ("malformed JSON", "application/json", "{\"a\": "),
            ("not JSON", "text/plain", "hello"),
            ("the wrong shape", "application/json", "[]"),
        ];
        for (name, content_type, body) in probes {
            let request = request().header("content-type", content_type).body(body);
            errors.extend(undocumented(operation, name, request).await);
        }
    }
    if operation.takes_a_page {
        for limit in ["0", "100000", "-1"] {
            let request = request().query(&[("limit", limit)]);
            errors.extend(undocumented(operation, &format!("limit={limit}"), request).await);
        }
    }
    errors
}

#[tokio::test]
async fn every_operation_documents_what_a_caller_without_a_token_gets() {
    let app = spawn_app().await;
    let mut errors = Vec::new();

    for operation in served_operations(&app).await {
        if operation.takes_a_token {
            let request = app
                .client
                .request(operation.method.clone(), app.url(&operation.path));
            errors.extend(undocumented(&operation, "no token", request).await);
        }
    }

    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[tokio::test]
async fn every_operation_documents_what_malformed_input_gets_from_a_listener() {
    let app = spawn_app().await;
    let listener = app.register("prober").await;
    let mut errors = Vec::new();

    for operation in served_operations(&app).await {
        errors.extend(probe(&app, &operation, Some(&listener.access_token)).await);
    }

    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[tokio::test]
async fn every_operation_documents_what_malformed_input_gets_from_an_admin() {
    let app = spawn_app().await;
    let admin = app.admin("boss").await;
    let mut errors = Vec::new();

    for operation in served_operations(&app).await {
        errors.extend(probe(&app, &operation, Some(&admin.access_token)).await);
    }

    assert!(errors.is_empty(), "{}", errors.join("\n"));
}

#[tokio::test]
async fn every_operation_documents_what_malformed_input_gets_anonymously() {
    let app = spawn_app().await;
    let mut errors = Vec::new();

    for operation in served_operations(&app).await {
        errors.extend(probe(&app, &operation, None).await);
    }

    assert!(errors.is_empty(), "{}", errors.join("\n"));
}
