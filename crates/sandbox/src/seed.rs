//! Filling the sandbox: an empty shop to build test scenarios on, and the generated demo
//! shop that shows every outcome at once.

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, TimeZone as _, Utc};

use super::World;
use super::moneybird::touch;
use super::world::{
    Administration, CcvTransaction, InvoiceRecord, InvoiceType, LedgerAccount, PaymentRecord,
};
use crate::money::Cents;

/// What a client needs to talk to the shop.
#[derive(Clone, Debug)]
pub struct Shop {
    pub administration_id: String,
    pub ccv_api_key: String,
    pub moneybird_token: String,
    /// CCV payment method → the tussenrekening created for it.
    pub ledger_accounts: BTreeMap<String, String>,
}

/// An invoice to add; start from [`NewInvoice::sales`] or [`NewInvoice::external`].
#[derive(Clone, Debug)]
pub struct NewInvoice {
    pub kind: InvoiceType,
    pub number: Option<String>,
    pub reference: Option<String>,
    pub total: Cents,
    pub state: String,
    pub date: Option<NaiveDate>,
    pub currency: String,
}

impl NewInvoice {
    pub fn sales(number: &str, total: Cents) -> NewInvoice {
        NewInvoice {
            kind: InvoiceType::Sales,
            number: Some(number.into()),
            reference: None,
            total,
            state: "open".into(),
            date: None,
            currency: "EUR".into(),
        }
    }

    pub fn external(reference: &str, total: Cents) -> NewInvoice {
        NewInvoice {
            kind: InvoiceType::External,
            number: None,
            reference: Some(reference.into()),
            total,
            state: "open".into(),
            date: None,
            currency: "EUR".into(),
        }
    }

    pub fn reference(mut self, reference: &str) -> NewInvoice {
        self.reference = Some(reference.into());
        self
    }

    pub fn state(mut self, state: &str) -> NewInvoice {
        self.state = state.into();
        self
    }

    pub fn currency(mut self, currency: &str) -> NewInvoice {
        self.currency = currency.into();
        self
    }

    pub fn dated(mut self, date: NaiveDate) -> NewInvoice {
        self.date = Some(date);
        self
    }
}

impl World {
    /// One administration, a CCV API key, a Moneybird token and a tussenrekening for the
    /// common methods. Call once, before anything else.
    pub fn open_shop(&mut self) -> Shop {
        let administration_id = "178732006918727798".to_string();
        self.moneybird.administrations.push(Administration {
            id: administration_id.clone(),
            name: "Parkietje B.V.".into(),
            period_locked_until: None,
        });
        let ccv_api_key = "t_sandbox0b1c2d3e4f5a6b7c8d9e".to_string();
        let moneybird_token =
            "sandbox-moneybird-token-6f1e2d3c4b5a69788796a5b4c3d2e1f0".to_string();
        self.ccv.api_keys.push(ccv_api_key.clone());
        self.moneybird.tokens.push(moneybird_token.clone());
        self.moneybird.user_id = self.moneybird.new_id();
        for method in [
            "ideal",
            "card",
            "banktransfer",
            "sdd",
            "paypal",
            "landingpage",
        ] {
            self.ccv.methods.push(method.into());
        }
        let mut ledger_accounts = BTreeMap::new();
        for (method, name) in [
            ("ideal", "iDEAL"),
            ("card", "creditcard"),
            ("banktransfer", "overboeking"),
        ] {
            let id = self.moneybird.new_id();
            self.moneybird.ledger_accounts.push(LedgerAccount {
                id: id.clone(),
                name: format!("Tussenrekening CCV {name}"),
                account_type: "current_assets".into(),
                account_id: format!("1451{}", ledger_accounts.len() + 1),
                rgs_code: "BVorTusTbt".into(),
                active: true,
            });
            ledger_accounts.insert(method.to_string(), id);
        }
        let bank_account = self.moneybird.new_id();
        self.moneybird.financial_accounts.push((
            bank_account,
            "BankAccount".into(),
            "ING Zakelijk".into(),
        ));
        Shop {
            administration_id,
            ccv_api_key,
            moneybird_token,
            ledger_accounts,
        }
    }

    /// Adds an invoice and returns its Moneybird id.
    pub fn add_invoice(&mut self, new: NewInvoice) -> String {
        let id = self.moneybird.new_id();
        let today = self.today();
        let tail = &id[id.len() - 12..];
        let check = id.parse::<u64>().unwrap_or_default() % 97;
        let mut invoice = InvoiceRecord {
            kind: new.kind,
            contact_id: self.moneybird.user_id.clone(),
            number: new.number,
            reference: new.reference,
            payment_reference: Some(format!("RF{check:02}{tail}")),
            state: new.state,
            date: new.date.unwrap_or(today - Days::new(7)),
            due_date: Some(new.date.unwrap_or(today) + Days::new(14)),
            currency: new.currency,
            total: new.total,
            payments: Vec::new(),
            version: 0,
            updated_ms: 0,
            wire_overrides: Vec::new(),
            id: id.clone(),
        };
        touch(&mut invoice, self.now_ms());
        self.moneybird.push_invoice(invoice);
        id
    }

    /// A payment somebody else registered by hand, e.g. the bookkeeper.
    pub fn add_manual_payment(
        &mut self,
        kind: InvoiceType,
        invoice_id: &str,
        transaction_identifier: Option<&str>,
        price: Cents,
        payment_date: NaiveDate,
    ) -> String {
        let id = self.moneybird.new_id();
        let today = self.today();
        let now_ms = self.now_ms();
        let user_id = self.moneybird.user_id.clone();
        // Registered on the day it is dated, as a bookkeeper typing it in that day does.
        let created_at = format!("{payment_date}T12:00:00.000Z");
        let invoice = self
            .moneybird
            .invoice_mut(kind, invoice_id)
            .expect("the invoice exists");
        invoice.payments.push(PaymentRecord {
            id: id.clone(),
            transaction_identifier: transaction_identifier.map(str::to_string),
            price,
            payment_date: payment_date.to_string(),
            ledger_account_id: None,
            manual_payment_action: None,
            financial_account_id: None,
            user_id,
            created_at,
            wire_overrides: Vec::new(),
        });
        invoice.settle_state(today);
        touch(invoice, now_ms);
        id
    }

    pub fn add_transaction(&mut self, transaction: CcvTransaction) {
        self.ccv.add(transaction);
    }

    /// CCV finishes a payment: its status changes at `at_ms`.
    pub fn settle_transaction(&mut self, reference: &str, status: &str, at_ms: i64) {
        let transaction = self
            .ccv
            .transaction_mut(reference)
            .expect("the transaction exists");
        transaction.status = status.into();
        transaction.last_update_ms = at_ms;
        transaction.status_final_ms = matches!(status, "success" | "failed").then_some(at_ms);
    }

    pub fn lock_period_until(&mut self, date: Option<NaiveDate>) {
        if let Some(administration) = self.moneybird.administrations.first_mut() {
            administration.period_locked_until = date;
        }
    }
}

/// A CCV-style reference: creation time in Amsterdam, a random part, a suffix letter.
fn ccv_reference(rng: &mut fastrand::Rng, at: DateTime<Utc>, prefix: char) -> String {
    let local = at.with_timezone(&chrono_tz::Europe::Amsterdam);
    format!(
        "{prefix}{}{:08X}.{}",
        local.format("%y%m%d%H%M%S%3f"),
        rng.u32(..),
        rng.alphabetic().to_ascii_uppercase()
    )
}

/// How many of each kind of case the demo shop holds; each stands for an outcome a user
/// meets in real life.
struct Mix;

impl Mix {
    const PLAIN: usize = 170;
    const BY_ORDER_REFERENCE: usize = 15;
    const EXTERNAL: usize = 15;
    const PARTIAL: usize = 8;
    const OVERPAID: usize = 4;
    const AMBIGUOUS: usize = 3;
    const NO_OPEN_POST: usize = 5;
    const CURRENCY: usize = 2;
    const PENDING: usize = 10;
    const MANUAL_INTERVENTION: usize = 3;
    const FAILED: usize = 15;
    const REFUNDS: usize = 5;
    const PAYMENT_LINKS: usize = 3;
    const BOOKED_BY_SOMEONE_ELSE: usize = 2;
    const INVOICE_PAID: usize = 2;
    const LOCKED_PERIOD: usize = 2;
    const UNPAID_EXTRA_POSTS: usize = 30;
}

/// The demo shop: over 200 open posts and 250 CCV transactions covering every outcome.
pub fn demo_shop(world: &mut World, seed: u64) -> Shop {
    let shop = world.open_shop();
    fill_demo_shop(world, seed);
    shop
}

/// Adds the demo shop's invoices and transactions to an opened shop.
pub fn fill_demo_shop(world: &mut World, seed: u64) {
    let mut rng = fastrand::Rng::with_seed(seed);
    let now = world.options.clock.now();
    let today = world.today();
    let mut serial = 0;
    let mut next_number = || {
        serial += 1;
        format!("{}-{serial:04}", today.format("%Y"))
    };
    let random_amount = |rng: &mut fastrand::Rng| Cents(rng.i64(1_000..150_000));
    // Payments from the last three weeks, at random moments.
    let moment = |rng: &mut fastrand::Rng, max_days: u64| {
        now - chrono::TimeDelta::seconds(rng.i64(3_600..(max_days as i64 * 86_400)))
    };
    let sale = |world: &mut World,
                rng: &mut fastrand::Rng,
                status: &str,
                amount: Cents,
                method: &str,
                at: DateTime<Utc>| {
        let reference = ccv_reference(rng, at, 'C');
        let transaction =
            CcvTransaction::sale(&reference, status, amount, method, at.timestamp_millis());
        world.add_transaction(transaction);
        reference
    };
    let methods = ["ideal", "ideal", "ideal", "card", "card", "paypal"];
    let describe =
        |world: &mut World, reference: &str, order: Option<String>, description: Option<String>| {
            let transaction = world.ccv.transaction_mut(reference).expect("just added");
            transaction.merchant_order_reference = order;
            transaction.description = description;
        };

    for _ in 0..Mix::PLAIN {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount));
        let method = methods[rng.usize(..methods.len())];
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, method, at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    for index in 0..Mix::BY_ORDER_REFERENCE {
        let order = format!("ORDER-{}", 10_000 + index);
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&next_number(), amount).reference(&order));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(
            world,
            &reference,
            Some(order.clone()),
            Some(format!("Bestelling {order}")),
        );
    }
    for index in 0..Mix::EXTERNAL {
        let order = format!("WEB-{}-{}", today.format("%Y"), 1_100 + index);
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::external(&order, amount));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "card", at);
        describe(world, &reference, Some(order), None);
    }
    for _ in 0..Mix::PARTIAL {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, Cents(amount.0 * 2)));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "banktransfer", at);
        describe(
            world,
            &reference,
            None,
            Some(format!("Termijn 1 factuur {number}")),
        );
    }
    for _ in 0..Mix::OVERPAID {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, Cents(amount.0 - 500)));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    for index in 0..Mix::AMBIGUOUS {
        let order = format!("ORDER-DUP-{index}");
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&next_number(), amount).reference(&order));
        world.add_invoice(NewInvoice::sales(&next_number(), amount).reference(&order));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(world, &reference, Some(order), None);
    }
    for index in 0..Mix::NO_OPEN_POST {
        let amount = random_amount(&mut rng);
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(
            world,
            &reference,
            None,
            Some(format!("Factuur 2019-{:04}", 9_000 + index)),
        );
    }
    for _ in 0..Mix::CURRENCY {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "card", at);
        world
            .ccv
            .transaction_mut(&reference)
            .expect("just added")
            .currency = "gbp".into();
        describe(world, &reference, None, Some(format!("Invoice {number}")));
    }
    for index in 0..Mix::PENDING + Mix::MANUAL_INTERVENTION {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount));
        let at = moment(&mut rng, 20);
        let (status, method) = if index < Mix::PENDING {
            (
                "pending",
                if index % 2 == 0 {
                    "banktransfer"
                } else {
                    "sdd"
                },
            )
        } else {
            ("manualintervention", "paypal")
        };
        let reference = sale(world, &mut rng, status, amount, method, at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    for index in 0..Mix::FAILED {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "failed", amount, "ideal", at);
        let transaction = world.ccv.transaction_mut(&reference).expect("just added");
        transaction.failure_code = Some(
            if index % 3 == 0 {
                "expired"
            } else {
                "cancelled"
            }
            .into(),
        );
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    let paid_references: Vec<(String, Cents, i64)> = world
        .ccv
        .transactions()
        .iter()
        .filter(|transaction| transaction.status == "success" && transaction.method == "card")
        .take(Mix::REFUNDS)
        .map(|transaction| {
            (
                transaction.reference.clone(),
                transaction.amount,
                transaction.created_ms,
            )
        })
        .collect();
    for (original, amount, created_ms) in paid_references {
        let at = Utc
            .timestamp_millis_opt(created_ms + 3_600_000)
            .single()
            .unwrap_or(now);
        let mut refund = CcvTransaction::sale(
            &ccv_reference(&mut rng, at, 'P'),
            "success",
            Cents(amount.0 / 2),
            "card",
            at.timestamp_millis(),
        );
        refund.kind = "refund".into();
        refund.original_reference = Some(original);
        refund.description = Some("Retour".into());
        world.add_transaction(refund);
    }
    for _ in 0..Mix::PAYMENT_LINKS {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount));
        let at = moment(&mut rng, 20);
        let child_at = at + chrono::TimeDelta::minutes(rng.i64(5..600));
        let parent = ccv_reference(&mut rng, at, 'C');
        let child = ccv_reference(&mut rng, child_at, 'C');
        let mut link = CcvTransaction::sale(
            &parent,
            "success",
            amount,
            "landingpage",
            at.timestamp_millis(),
        );
        link.child_reference = Some(child.clone());
        link.last_update_ms = child_at.timestamp_millis();
        link.status_final_ms = Some(child_at.timestamp_millis());
        link.description = Some(format!("Betaallink factuur {number}"));
        let mut paid = CcvTransaction::sale(
            &child,
            "success",
            amount,
            "ideal",
            child_at.timestamp_millis(),
        );
        paid.description = Some(format!("Betaallink factuur {number}"));
        world.add_transaction(link);
        world.add_transaction(paid);
    }
    for _ in 0..Mix::BOOKED_BY_SOMEONE_ELSE {
        let number = next_number();
        let amount = random_amount(&mut rng);
        let invoice = world.add_invoice(NewInvoice::sales(&number, Cents(amount.0 * 3)));
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
        // The bookkeeper typed it in a day later, with the CCV reference.
        let typed_on = at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive() + Days::new(1);
        world.add_manual_payment(
            InvoiceType::Sales,
            &invoice,
            Some(&reference),
            amount,
            typed_on,
        );
    }
    for _ in 0..Mix::INVOICE_PAID {
        let number = next_number();
        let amount = random_amount(&mut rng);
        let invoice = world.add_invoice(NewInvoice::sales(&number, amount));
        world.add_manual_payment(
            InvoiceType::Sales,
            &invoice,
            None,
            amount,
            today - Days::new(2),
        );
        let at = moment(&mut rng, 20);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    // The bookkeeper closed the books up to 24 days ago; two payments are older than that.
    world.lock_period_until(Some(today - Days::new(24)));
    for _ in 0..Mix::LOCKED_PERIOD {
        let number = next_number();
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&number, amount).dated(today - Days::new(40)));
        let at = now - chrono::TimeDelta::days(26);
        let reference = sale(world, &mut rng, "success", amount, "ideal", at);
        describe(world, &reference, None, Some(format!("Factuur {number}")));
    }
    for _ in 0..Mix::UNPAID_EXTRA_POSTS {
        let amount = random_amount(&mut rng);
        world.add_invoice(NewInvoice::sales(&next_number(), amount));
    }
}
