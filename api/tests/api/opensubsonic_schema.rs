//! The OpenSubsonic OpenAPI description, vendored in `api/tests/opensubsonic`
//! (Apache-2.0, see its SOURCE.md): every JSON answer the `/rest` tests read
//! is validated against the schema it gives for the method.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};

use serde_json::Value;

/// Where the vendored description lives.
fn openapi_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/opensubsonic/openapi");
    dir.canonicalize().unwrap_or_else(|error| {
        panic!(
            "the vendored OpenSubsonic description {}: {error}",
            dir.display()
        )
    })
}

fn read_json(path: &Path) -> Value {
    let text =
        std::fs::read_to_string(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// The JSON schema of a method's successful-or-failed answer, with its
/// `$id` set to its file so relative references resolve; `None` for
/// methods that answer bytes.
fn response_schema(dir: &Path, method: &str) -> Option<Value> {
    let endpoint = dir.join("endpoints").join(format!("{method}.json"));
    let mut file = endpoint.clone();
    let mut response = read_json(&endpoint)["get"]["responses"]["200"].clone();
    // A shared response object (`../responses/…`) is followed to its file.
    while let Some(reference) = response["$ref"].as_str() {
        file = file
            .parent()
            .expect("a file in a directory")
            .join(reference)
            .canonicalize()
            .unwrap_or_else(|error| panic!("{reference} from {}: {error}", file.display()));
        response = read_json(&file);
    }
    let schema = response["content"]["application/json"]["schema"].clone();
    if schema.is_null() {
        return None;
    }
    let mut wrapper = serde_json::json!({"allOf": [schema]});
    wrapper["$id"] = Value::from(format!("file://{}", file.display()));
    Some(wrapper)
}

type Validators = HashMap<String, Option<Arc<jsonschema::Validator>>>;

static VALIDATORS: LazyLock<Mutex<Validators>> = LazyLock::new(|| Mutex::new(HashMap::new()));

/// Asserts that `body` (the whole JSON document) is what the specification
/// says `method` answers.
pub fn assert_answer_matches_spec(method: &str, body: &Value) {
    let dir = openapi_dir();
    let method = method.strip_suffix(".view").unwrap_or(method);
    if !dir
        .join("endpoints")
        .join(format!("{method}.json"))
        .is_file()
    {
        // Not a method of the specification (the tests ask for some).
        return;
    }
    let validator = VALIDATORS
        .lock()
        .expect("no test panicked holding the validators")
        .entry(method.to_owned())
        .or_insert_with(|| {
            response_schema(&dir, method).map(|schema| {
                Arc::new(
                    jsonschema::options()
                        .build(&schema)
                        .unwrap_or_else(|error| panic!("the schema of {method}: {error}")),
                )
            })
        })
        .clone();
    let Some(validator) = validator else {
        return;
    };
    let errors: Vec<String> = validator
        .iter_errors(body)
        .map(|error| format!("{} at {}", error, error.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "{method} answered what the OpenSubsonic schema does not allow:\n{}\n{body}",
        errors.join("\n")
    );
}
