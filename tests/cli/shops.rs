//! Two CCV webshops, one Moneybird administration: each shop read with its own key, every
//! payment on its own invoice though the shops' order numbers overlap, and one shop's
//! refused key never stopping the other.

use std::process::Command;

use ccv_moneybird_sandbox::Cents;
use ccv_moneybird_sandbox::seed::NewInvoice;

use crate::common::{Env, Sale};

const NOW: &str = "2026-11-26T12:00:00Z";
const FIETSEN: &str = "t_fietsen0a1b2c3d4e5f6a7b8c9d";
const ONDERDELEN: &str = "t_onderdelen9f8e7d6c5b4a3f2e1d";

/// Both shops' keys known to CCV, and configured as `[[ccv.shops]]`.
fn two_shops() -> Env {
    let env = Env::new(NOW);
    env.keep_secret(FIETSEN);
    env.keep_secret(ONDERDELEN);
    {
        let mut world = env.world();
        world.ccv.api_keys.push(FIETSEN.into());
        world.ccv.api_keys.push(ONDERDELEN.into());
    }
    let config = std::fs::read_to_string(env.config_path()).unwrap();
    std::fs::write(
        env.config_path(),
        format!(
            "{config}\n[[ccv.shops]]\nname = \"fietsen\"\n\n[[ccv.shops]]\nname = \"onderdelen\"\n"
        ),
    )
    .unwrap();
    env
}

/// A sale in one shop (`key` is its CCV account) on its own invoice, the order number
/// in both.
struct ShopSale<'a> {
    key: &'a str,
    reference: &'a str,
    order: &'a str,
    number: &'a str,
    cents: i64,
    at: &'a str,
}

impl ShopSale<'_> {
    fn add(self, env: &Env) {
        let mut world = env.world();
        world.add_invoice(NewInvoice::sales(self.number, Cents(self.cents)).reference(self.order));
        let mut sale = Sale::new(self.reference, self.cents)
            .at(self.at)
            .described(&format!("Factuur {}", self.number))
            .build();
        sale.merchant_order_reference = Some(self.order.into());
        sale.account = Some(self.key.into());
        world.add_transaction(sale);
    }
}

fn with_keys(env: &Env, args: &[&str], fietsen: &str) -> Command {
    let mut command = env.command(args);
    command
        .env_remove("CCV_API_KEY")
        .env("CCV_API_KEY_FIETSEN", fietsen)
        .env("CCV_API_KEY_ONDERDELEN", ONDERDELEN);
    command
}

#[test]
fn overlapping_order_numbers_land_on_the_right_invoices() {
    let env = two_shops();
    ShopSale {
        key: FIETSEN,
        reference: "F1",
        order: "1001",
        number: "2026-0010",
        cents: 1000,
        at: "2026-11-25T10:00:00Z",
    }
    .add(&env);
    ShopSale {
        key: FIETSEN,
        reference: "F2",
        order: "1002",
        number: "2026-0011",
        cents: 1100,
        at: "2026-11-25T10:05:00Z",
    }
    .add(&env);
    ShopSale {
        key: ONDERDELEN,
        reference: "O1",
        order: "1001",
        number: "2026-0020",
        cents: 2000,
        at: "2026-11-25T10:10:00Z",
    }
    .add(&env);
    ShopSale {
        key: ONDERDELEN,
        reference: "O2",
        order: "1002",
        number: "2026-0021",
        cents: 2100,
        at: "2026-11-25T10:15:00Z",
    }
    .add(&env);
    env.ok_by(with_keys(&env, &["sync"], FIETSEN));

    for (reference, shop, invoice, cents) in [
        ("F1", "fietsen", "2026-0010", 1000),
        ("F2", "fietsen", "2026-0011", 1100),
        ("O1", "onderdelen", "2026-0020", 2000),
        ("O2", "onderdelen", "2026-0021", 2100),
    ] {
        let booked = env.booked(reference);
        assert_eq!(booked.len(), 1, "{reference}");
        assert_eq!(
            (booked[0].invoice.as_str(), booked[0].price),
            (invoice, Cents(cents))
        );
        let row = env.row(reference);
        assert_eq!(row["shop"], shop, "{reference}");
        assert_eq!(row["tab"], "rapportage");
    }
    // Each shop's key sees its own payments only: no row came in twice.
    assert_eq!(env.rows().len(), 4);
    let table = env.ok_by(with_keys(&env, &["status", "--tab", "rapportage"], FIETSEN));
    assert!(table.contains("shop"), "{table}");
    assert!(table.contains("onderdelen"), "{table}");
    let export = env.ok(&["export", "--from", "2026-11-25", "--to", "2026-11-25"]);
    assert!(
        export.lines().any(|line| line.contains(",O1,onderdelen,")),
        "{export}"
    );
}

#[test]
fn one_shops_refused_key_leaves_the_other_booked() {
    let env = two_shops();
    ShopSale {
        key: FIETSEN,
        reference: "F1",
        order: "1001",
        number: "2026-0010",
        cents: 1000,
        at: "2026-11-25T10:00:00Z",
    }
    .add(&env);
    ShopSale {
        key: ONDERDELEN,
        reference: "O1",
        order: "1001",
        number: "2026-0020",
        cents: 2000,
        at: "2026-11-25T10:10:00Z",
    }
    .add(&env);
    env.keep_secret("t_revoked");
    let said = env.said_by(with_keys(&env, &["sync"], "t_revoked"));
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(
        said.contains("shop fietsen: CCV refused the API key (401)"),
        "{said}"
    );
    assert!(said.contains("connect ccv --shop fietsen"), "{said}");
    assert!(said.contains("CCV_API_KEY_FIETSEN"), "{said}");
    assert_eq!(env.booked("O1").len(), 1, "the other shop was booked");
    assert!(env.booked("F1").is_empty());

    // With the right key the next run books the first shop too; nothing twice.
    env.ok_by(with_keys(&env, &["sync"], FIETSEN));
    assert_eq!(env.booked("F1").len(), 1);
    assert_eq!(env.booked("O1").len(), 1);
}

#[test]
fn the_single_ccv_form_keeps_working_and_a_key_is_stored_per_shop() {
    let env = two_shops();
    // `connect ccv` must name the shop once there are several.
    let said = env.said_by(with_keys(
        &env,
        &["connect", "ccv", "--api-key-stdin"],
        FIETSEN,
    ));
    assert!(said.starts_with("exit: 1"), "{said}");
    assert!(said.contains("--shop"), "{said}");
    let mut connect = env.command(&["connect", "ccv", "--shop", "fietsen", "--api-key-stdin"]);
    connect
        .env_remove("CCV_API_KEY")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = connect.spawn().unwrap();
    use std::io::Write as _;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{FIETSEN}\n").as_bytes())
        .unwrap();
    let output = env.checked(child.wait_with_output().unwrap());
    assert!(output.status.success(), "{output:?}");
    let stored = std::fs::read_to_string(env.credentials_path()).unwrap();
    assert!(stored.contains("[ccv_shops]"), "stored per shop");
    assert!(stored.contains("fietsen"), "stored per shop");
}
