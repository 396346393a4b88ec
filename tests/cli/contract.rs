//! The outside contract: JSON rows, request bodies that validate against Moneybird's own
//! OpenAPI description, the request budget, and CCV answers of any page size and shape.

use std::time::Duration;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::{NewInvoice, fill_demo_shop};
use ccv_moneybird_sandbox::{Api, Options};
use serde_json::Value;

use crate::common::{Env, InvoicePaid, Sale};

const NOW: &str = "2025-03-10T12:00:00Z";

#[test]
fn status_json_rows_follow_the_contract() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-0042", 12100)
        .paid_by("C250304101512345CB87E192.A")
        .at("2025-03-04T10:15:12.345Z")
        .add(&env);
    env.world().add_transaction(
        Sale::new("C2", 100)
            .method("card")
            .at("2025-03-04T11:00:00Z")
            .described("Factuur 2025-0099")
            .build(),
    );
    env.sync();

    let rows = env.rows();
    let booked = rows
        .iter()
        .find(|row| row["reference"] == "C250304101512345CB87E192.A")
        .unwrap();
    let expected_keys = [
        "id",
        "reference",
        "tab",
        "ccv_status",
        "method",
        "amount",
        "currency",
        "created",
        "description",
        "invoice",
        "moneybird_payment_id",
        "error",
        "resolution",
        "booked",
        "difference",
        "shop",
    ];
    let keys: Vec<&str> = booked
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), expected_keys.len(), "{keys:?}");
    for key in expected_keys {
        assert!(keys.contains(&key), "missing {key}");
    }
    assert!(booked["shop"].is_null(), "null for a single shop");
    assert!(booked["id"].is_i64());
    assert_eq!(booked["ccv_status"], "success");
    assert_eq!(booked["currency"], "EUR");
    assert_eq!(booked["created"], "2025-03-04T10:15:12.345Z");
    assert_eq!(booked["description"], "Factuur 2025-0042");

    let failed = rows.iter().find(|row| row["reference"] == "C2").unwrap();
    assert_eq!(failed["tab"], "fouten");
    assert_eq!(failed["moneybird_payment_id"], Value::Null);
    assert!(
        failed["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2025-0099")
    );

    let fouten: Vec<Value> =
        serde_json::from_str(&env.ok(&["status", "--tab", "errors", "--json"])).unwrap();
    assert_eq!(fouten.len(), 1);
    assert_eq!(fouten[0]["reference"], "C2");
}

/// Moneybird's OpenAPI description (moneybird/openapi, commit ff5b679, 2026-08-21).
fn openapi() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/moneybird-openapi.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The OpenAPI path template a request path falls under, e.g.
/// `/{administration_id}/sales_invoices/{sales_invoice_id}/payments{format}`.
fn template_for(
    paths: &serde_json::Map<String, Value>,
    method: &str,
    path: &str,
) -> Option<String> {
    let actual: Vec<&str> = path.trim_start_matches("/api/v2/").split('/').collect();
    paths.keys().find_map(|template| {
        let pattern: Vec<&str> = template.trim_start_matches('/').split('/').collect();
        let fits = pattern.len() == actual.len()
            && pattern.iter().zip(&actual).all(|(pattern, actual)| {
                let pattern = pattern.trim_end_matches("{format}");
                let actual = actual.trim_end_matches(".json");
                (pattern.starts_with('{') && pattern.ends_with('}')) || pattern == actual
            });
        (fits && paths[template].get(method).is_some()).then(|| template.clone())
    })
}

#[test]
fn every_request_body_validates_against_moneybirds_openapi() {
    let env = Env::with_options(
        NOW,
        Options {
            rate_limit_window: Duration::from_secs(2),
            ..Options::default()
        },
    );
    fill_demo_shop(&mut env.world(), 11);
    env.sync();
    // A second shop day: new payments on invoices the first run touched.
    env.sync();

    let log: Vec<_> = env.world().requests(Api::Moneybird).cloned().collect();
    let (validated, payments) = validate_bodies(&log);
    assert!(
        payments >= 200,
        "the demo shop books over 200 payments, saw {payments}"
    );
    assert!(
        validated > payments,
        "synchronization bodies are checked too"
    );

    // The check itself can fail: a body with a key the schema does not allow.
    let (_, registry) = openapi_registry();
    let template = "/{administration_id}/sales_invoices/{sales_invoice_id}/payments{format}";
    let pointer = format!(
        "/paths/{}/post/requestBody/content/application~1*/schema",
        escape(template)
    );
    let schema =
        serde_json::json!({ "$ref": format!("urn:moneybird-openapi#{}", encode(&pointer)) });
    let validator = jsonschema::options()
        .with_registry(&registry)
        .build(&schema)
        .unwrap();
    let wrong = serde_json::json!({ "payment": { "payment_date": "2025-03-04", "price": "1.00", "amount": "1.00" } });
    assert!(!validator.is_valid(&wrong));
}

/// The description's paths, and a registry to resolve its schemas in.
fn openapi_registry() -> (
    serde_json::Map<String, Value>,
    jsonschema::Registry<'static>,
) {
    let document = openapi();
    let paths = document["paths"].as_object().unwrap().clone();
    let registry = jsonschema::Registry::new()
        .draft(jsonschema::Draft::Draft202012)
        .add("urn:moneybird-openapi", document)
        .unwrap()
        .prepare()
        .unwrap();
    (paths, registry)
}

/// JSON pointer escaping of one reference token.
fn escape(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// A pointer in a URI fragment: braces, `*` and the like percent-encoded.
fn encode(pointer: &str) -> String {
    const FRAGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'/')
        .remove(b'~')
        .remove(b'_')
        .remove(b'-')
        .remove(b'.');
    percent_encoding::utf8_percent_encode(pointer, FRAGMENT).to_string()
}

#[test]
fn a_sync_costs_one_request_per_booking_plus_the_bulk_reads() {
    let env = Env::new(NOW);
    let (sales, external): (usize, usize) = (200, 60);
    for index in 0..sales {
        env.world()
            .add_invoice(NewInvoice::sales(&format!("2025-{index:04}"), Cents(10000)));
    }
    for index in 0..external {
        env.world().add_invoice(NewInvoice::external(
            &format!("WEB-{index:04}"),
            Cents(10000),
        ));
    }
    let book = |first: usize, count: usize, day: u32| {
        for index in first..first + count {
            let at = format!("2025-03-{day:02}T10:{:02}:00Z", index % 60);
            let mut transaction = Sale::new(&format!("C{index}"), 10000).at(&at).build();
            if index % 4 == 0 {
                transaction.merchant_order_reference = Some(format!("WEB-{:04}", index / 4));
            } else {
                transaction.description = Some(format!("Factuur 2025-{index:04}"));
            }
            env.world().add_transaction(transaction);
        }
    };
    book(0, 40, 8);

    env.sync();

    let booked = env.payment_count();
    assert_eq!(booked, 40);
    let open_posts = sales + external;
    let requests = env.moneybird_requests();
    // The day's first run: administration + ledger accounts (each read once a day) + two
    // synchronization GETs + ⌈200/100⌉ + ⌈60/100⌉ POSTs + 40 bookings.
    assert_eq!(requests, 4 + 2 + 1 + 40);
    assert!(requests <= booked + sales.div_ceil(100) + external.div_ceil(100) + 4);

    // The next hour: ten new payments. The administration is known for the day.
    book(40, 10, 9);
    env.sync();

    let hourly = env.moneybird_requests() - requests;
    assert_eq!(env.payment_count(), 50);
    assert!(
        hourly <= 10 + (open_posts - 40).div_ceil(100) + 3,
        "{hourly} requests"
    );
    assert_eq!(hourly, 2 + 10, "two synchronization GETs and ten bookings");
}

#[test]
fn nothing_to_book_costs_no_moneybird_request_and_prints_nothing() {
    let env = Env::new(NOW);
    env.world().add_transaction(
        Sale::new("C1", 1000)
            .status("pending")
            .method("banktransfer")
            .at("2025-03-09T10:00:00Z")
            .build(),
    );

    let output = env.run(&["sync"]);

    assert!(output.status.success());
    assert!(
        output.stdout.is_empty() && output.stderr.is_empty(),
        "{output:?}"
    );
    assert_eq!(env.moneybird_requests(), 0);
    assert_eq!(env.row("C1")["tab"], "open");
}

#[test]
fn ccv_lists_of_any_page_size_order_and_shape_are_read_to_the_end() {
    for (page_size, newest_first, wrapped) in [
        (7, false, false),
        (7, true, true),
        (1000, false, true),
        (3, true, false),
    ] {
        let env = Env::with_options(
            NOW,
            Options {
                ccv: ccv_moneybird_sandbox::CcvDialect {
                    page_size,
                    newest_first,
                    wrapped_lists: wrapped,
                    ..Default::default()
                },
                ..Options::default()
            },
        );
        for index in 0..40 {
            // Pairs share a millisecond, to catch a cursor that skips equal timestamps.
            let at = chrono::DateTime::parse_from_rfc3339("2025-03-01T00:00:00Z").unwrap()
                + chrono::TimeDelta::minutes(index / 2 * 37);
            let mut transaction = Sale::new(&format!("C{index:02}"), 1000)
                .status("pending")
                .method("sdd")
                .at(&at.to_rfc3339())
                .build();
            transaction.description = Some(format!("Order {index}"));
            env.world().add_transaction(transaction);
        }

        env.sync();

        let rows = env.rows();
        assert_eq!(
            rows.len(),
            40,
            "page size {page_size}, newest first {newest_first}, wrapped {wrapped}"
        );
    }
}

#[test]
fn a_wrong_ccv_key_fails_clearly_and_changes_nothing() {
    let env = Env::new(NOW);
    env.world().add_transaction(
        Sale::new("C1", 1000)
            .at("2025-03-09T10:00:00Z")
            .described("Factuur 1")
            .build(),
    );

    env.keep_secret("t_wrong");
    let output = env.checked(
        env.command(&["sync"])
            .env("CCV_API_KEY", "t_wrong")
            .output()
            .unwrap(),
    );

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("CCV refused the API key (401)"), "{stderr}");
    assert!(
        stderr.contains("hint: run `ccv-moneybird connect ccv` again"),
        "{stderr}"
    );
    assert!(!stderr.contains("t_wrong"), "no secret in the output");
    assert!(env.rows().is_empty());
}

#[test]
fn a_revoked_moneybird_token_fails_clearly_and_keeps_the_payments() {
    let env = Env::new(NOW);
    InvoicePaid::new("2025-0001", 1000)
        .at("2025-03-09T10:00:00Z")
        .add(&env);
    env.world().moneybird.tokens.clear();

    let output = env.run(&["sync"]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("Moneybird refused the token"), "{stderr}");
    assert!(stderr.contains("connect moneybird"), "{stderr}");
    assert_eq!(
        env.row("C1")["tab"],
        "open",
        "fetched, kept, and booked next time"
    );
}

#[test]
fn a_broken_config_names_line_and_column() {
    let env = Env::new(NOW);
    std::fs::write(
        env.config_path(),
        "[booking]\ntimezone = \"Europe/Amsterdam\"\nallow_partial = maybe\n",
    )
    .unwrap();

    let output = env.run(&["sync"]);

    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("line 3, column 17"), "{stderr}");
}

/// Checks every request body of the log against Moneybird's OpenAPI description; every path
/// must be in it. Returns how many bodies were checked, and how many were payments.
pub fn validate_bodies(log: &[ccv_moneybird_sandbox::LoggedRequest]) -> (usize, usize) {
    let (paths, registry) = openapi_registry();
    let mut validated = 0;
    let mut payments = 0;
    for request in log {
        let method = request.method.to_lowercase();
        let template = template_for(&paths, &method, &request.path).unwrap_or_else(|| {
            panic!(
                "{} {} is not in the OpenAPI description",
                request.method, request.path
            )
        });
        let Some(body) = &request.body else {
            continue;
        };
        let content = &paths[&template][&method]["requestBody"]["content"];
        let media = content.as_object().unwrap().keys().next().unwrap().clone();
        let pointer = format!(
            "/paths/{}/{method}/requestBody/content/{}/schema",
            escape(&template),
            escape(&media)
        );
        let schema =
            serde_json::json!({ "$ref": format!("urn:moneybird-openapi#{}", encode(&pointer)) });
        let validator = jsonschema::options()
            .with_registry(&registry)
            .build(&schema)
            .unwrap();
        let instance: Value = serde_json::from_str(body).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&instance)
            .map(|error| error.to_string())
            .collect();
        assert!(
            errors.is_empty(),
            "{} {}: {body}\n{errors:?}",
            request.method,
            request.path
        );
        validated += 1;
        payments += usize::from(request.path.ends_with("/payments.json"));
    }
    (validated, payments)
}
