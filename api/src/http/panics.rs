//! A panic in a request handler is a bug, but it must not take the
//! connection (or the worker) down with it: it is caught here, answered
//! with a 500 problem like any other server fault, logged inside the
//! request's span (so with its request id: the access log's `request
//! failed` line) and counted in `soundstream_handler_panics_total`.

use std::panic::AssertUnwindSafe;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use futures_util::FutureExt;
use prometheus::IntCounter;

use crate::http::error::ApiError;

/// Middleware, the innermost layer. The answer is an error (a 500 problem
/// document) rather than a response: the request it would need was moved
/// into the handler, and cloning it first would break routing.
pub async fn catch_panics(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let counter = req.app_data::<IntCounter>().cloned();
    match AssertUnwindSafe(next.call(req)).catch_unwind().await {
        Ok(answered) => answered.map(ServiceResponse::map_into_boxed_body),
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|text| (*text).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "a panic without a message".to_owned());
            if let Some(counter) = counter {
                counter.inc();
            }
            Err(ApiError::Panicked(message).into())
        }
    }
}

/// `soundstream_handler_panics_total`.
pub fn panic_counter() -> Result<IntCounter, prometheus::Error> {
    IntCounter::new(
        "soundstream_handler_panics_total",
        "Request handlers that panicked (answered 500)",
    )
}

#[cfg(test)]
mod tests {
    use actix_web::middleware::from_fn;
    use actix_web::{App, HttpResponse, test, web};

    use super::*;

    #[actix_web::test]
    async fn a_panicking_handler_answers_a_500_problem_and_is_counted() {
        let counter = panic_counter().expect("counter");
        let app = test::init_service(
            App::new()
                .app_data(counter.clone())
                .wrap(from_fn(catch_panics))
                .route(
                    "/boom",
                    web::get().to(|| async {
                        if std::hint::black_box(true) {
                            panic!("a bug");
                        }
                        HttpResponse::Ok().finish()
                    }),
                )
                .route(
                    "/fine",
                    web::get().to(|| async { HttpResponse::Ok().finish() }),
                ),
        )
        .await;
        let error =
            test::try_call_service(&app, test::TestRequest::get().uri("/boom").to_request())
                .await
                .expect_err("a 500");
        let response = actix_web::ResponseError::error_response(error.as_response_error());
        assert_eq!(response.status().as_u16(), 500);
        assert_eq!(
            response
                .headers()
                .get("content-type")
                .and_then(|value| value.to_str().ok()),
            Some(soundstream_types::PROBLEM_CONTENT_TYPE)
        );
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .expect("body");
        let body: soundstream_types::Problem = serde_json::from_slice(&body).expect("problem");
        assert_eq!(body.status, 500);
        assert!(!body.detail.contains("a bug"), "the panic stays in the log");
        assert_eq!(counter.get(), 1);
        // The worker lives on.
        let response =
            test::call_service(&app, test::TestRequest::get().uri("/fine").to_request()).await;
        assert_eq!(response.status().as_u16(), 200);
        assert_eq!(counter.get(), 1);
    }
}
