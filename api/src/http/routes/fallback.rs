//! What answers when no route matched: 405 with `Allow` for a known path
//! used with the wrong method, the web player for browser paths, otherwise
//! a 404 problem.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse};
use utoipa::openapi::OpenApi;

use crate::http::error::ApiError;
use crate::http::web_player::WebPlayer;

/// Every documented path with the methods it accepts. Actix tries
/// method-guarded routes in turn and falls through to the default service
/// when none accepts the method, so 405 is decided here.
#[derive(Debug)]
pub struct RouteTable {
    routes: Vec<(ResourceDef, Vec<Method>)>,
}

impl RouteTable {
    pub fn from_openapi(document: &OpenApi) -> Self {
        let mut routes: Vec<(ResourceDef, Vec<Method>)> = document
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    (Method::GET, item.get.is_some()),
                    (Method::PUT, item.put.is_some()),
                    (Method::POST, item.post.is_some()),
                    (Method::DELETE, item.delete.is_some()),
                    (Method::PATCH, item.patch.is_some()),
                    (Method::HEAD, item.head.is_some()),
                    (Method::OPTIONS, item.options.is_some()),
                ]
                .into_iter()
                .filter_map(|(method, present)| present.then_some(method))
                .collect();
                (ResourceDef::new(path.as_str()), methods)
            })
            .collect();
        // Served outside the documented API but still GET-only.
        for path in ["/metrics", "/openapi.json"] {
            routes.push((ResourceDef::new(path), vec![Method::GET]));
        }
        Self { routes }
    }

    /// The methods `path` accepts, if it is a known route.
    pub fn allowed_methods(&self, path: &str) -> Option<&[Method]> {
        self.routes
            .iter()
            .find(|(resource, _)| resource.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

/// What the default service answers from: the documented routes and,
/// when one is configured, the web player.
pub struct Fallback {
    pub routes: RouteTable,
    pub web_player: Option<WebPlayer>,
}

/// The app's default service.
pub async fn fallback(req: HttpRequest, state: Data<Fallback>) -> Result<HttpResponse, ApiError> {
    if let Some(allowed) = state.routes.allowed_methods(req.path()) {
        return Err(ApiError::MethodNotAllowed {
            method: req.method().clone(),
            allowed: allowed.to_vec(),
        });
    }
    if let Some(web_player) = &state.web_player
        && let Some(response) = web_player.serve(&req).await
    {
        return Ok(response);
    }
    Err(ApiError::NotFound(format!(
        "No route matches {} {}.",
        req.method(),
        req.path()
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_paths_and_their_methods_are_known() {
        let table = RouteTable::from_openapi(&crate::http::openapi::document());
        assert_eq!(
            table.allowed_methods("/api/v1/config"),
            Some([Method::GET].as_slice())
        );
        assert_eq!(
            table.allowed_methods("/metrics"),
            Some([Method::GET].as_slice())
        );
        assert_eq!(table.allowed_methods("/api/v1/nothing-here"), None);
    }
}
