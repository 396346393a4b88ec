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
    /// An expenses account for CCV's costs on a payout.
    pub costs_ledger_account: String,
    /// The financial account of the merchant's bank, where payouts arrive.
    pub bank_account: String,
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
    /// The invoice's rate to the euro, in millionths.
    pub rate_millionths: i64,
    pub customer: Option<String>,
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
            rate_millionths: 1_000_000,
            customer: None,
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
            rate_millionths: 1_000_000,
            customer: None,
        }
    }

    /// For this customer (the contact's company name).
    pub fn customer(mut self, name: &str) -> NewInvoice {
        self.customer = Some(name.into());
        self
    }

    pub fn reference(mut self, reference: &str) -> NewInvoice {
        self.reference = Some(reference.into());
        self
    }

    pub fn state(mut self, state: &str) -> NewInvoice {
        self.state = state.into();
        self
    }

    /// In another currency, at a plausible rate to the euro of the day it was made.
    pub fn currency(mut self, currency: &str) -> NewInvoice {
        self.rate_millionths = match currency.to_ascii_uppercase().as_str() {
            "GBP" => 1_170_000,
            "USD" => 921_500,
            "CHF" => 1_063_000,
            _ => 1_000_000,
        };
        self.currency = currency.into();
        self
    }

    pub fn rate_millionths(mut self, rate: i64) -> NewInvoice {
        self.rate_millionths = rate;
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
        // Where CCV's transaction costs go when a payout is linked.
        let costs_ledger_account = self.moneybird.new_id();
        self.moneybird.ledger_accounts.push(LedgerAccount {
            id: costs_ledger_account.clone(),
            name: "Transactiekosten".into(),
            account_type: "expenses".into(),
            account_id: "4410".into(),
            rgs_code: "WBedAlkBan".into(),
            active: true,
        });
        // The debtors' account every administration has: current assets too, but no
        // tussenrekening. A fixed id, so the ids after it stay as they were.
        self.moneybird.ledger_accounts.push(LedgerAccount {
            id: "496081600000000001".into(),
            name: "Debiteuren".into(),
            account_type: "current_assets".into(),
            account_id: "1300".into(),
            rgs_code: "BVorDebHad".into(),
            active: true,
        });
        let bank_account = self.moneybird.new_id();
        self.moneybird.financial_accounts.push((
            bank_account.clone(),
            "BankAccount".into(),
            "ING Zakelijk".into(),
        ));
        Shop {
            administration_id,
            ccv_api_key,
            moneybird_token,
            ledger_accounts,
            costs_ledger_account,
            bank_account,
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
            customer: new.customer.unwrap_or_else(|| {
                // A customer a person can tell apart from the next one.
                const NAMES: [&str; 6] = [
                    "Bakkerij De Korenaar",
                    "Fietsenmaker Van Dam",
                    "Studio Noordlicht",
                    "Tuincentrum De Linde",
                    "Kaashandel Gouda",
                    "Boekhandel Het Anker",
                ];
                NAMES[(id.parse::<u64>().unwrap_or(0) % NAMES.len() as u64) as usize].to_string()
            }),
            currency: new.currency,
            rate_millionths: new.rate_millionths,
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
        invoice.payments.push(PaymentRecord::by_hand(
            id.clone(),
            transaction_identifier,
            price,
            payment_date,
            user_id,
            created_at,
        ));
        invoice.settle_state(today);
        touch(invoice, now_ms);
        id
    }

    pub fn add_transaction(&mut self, transaction: CcvTransaction) {
        self.ccv.add(transaction);
    }

    /// A transaction as CCV holds it now.
    pub fn transaction(&mut self, reference: &str) -> Option<CcvTransaction> {
        self.ccv
            .transaction_mut(reference)
            .map(|found| found.clone())
    }

    /// CCV pays out: these transactions' money (refunds taken off) leaves in one bank
    /// transfer on `date`, with its reference and remittance text. What CCV sends, before
    /// its costs: the sum of the transactions, refunds negative.
    pub fn pay_out(
        &mut self,
        references: &[&str],
        reference: &str,
        remittance: &str,
        date: chrono::NaiveDate,
        at_ms: i64,
    ) -> Cents {
        let mut gross = 0;
        for wanted in references {
            let transaction = self
                .ccv
                .transaction_mut(wanted)
                .expect("the transaction exists");
            transaction.payout = Some(crate::world::PayoutMark {
                reference: reference.into(),
                remittance: remittance.into(),
                date,
                at_ms,
            });
            gross += match transaction.kind.as_str() {
                "sale" | "capture" => transaction.amount.0,
                _ => -transaction.amount.0,
            };
        }
        Cents(gross)
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
    let now = world.options.clock.now();
    let today = world.today();
    let mut seeder = Seeder {
        world,
        rng: fastrand::Rng::with_seed(seed),
        now,
        today,
        serial: 0,
    };
    seeder.plain_sales();
    seeder.by_order_reference();
    seeder.external();
    seeder.partial_and_overpaid();
    seeder.ambiguous_and_unmatched();
    seeder.in_another_currency();
    seeder.not_paid_yet();
    seeder.refunds();
    seeder.payment_links();
    seeder.handled_by_the_bookkeeper();
    seeder.in_a_locked_period();
    for _ in 0..Mix::UNPAID_EXTRA_POSTS {
        let amount = seeder.amount();
        let number = seeder.next_number();
        seeder.world.add_invoice(NewInvoice::sales(&number, amount));
    }
}

/// Writes the demo shop, one kind of payment at a time, from one seeded generator.
struct Seeder<'a> {
    world: &'a mut World,
    rng: fastrand::Rng,
    now: DateTime<Utc>,
    today: NaiveDate,
    serial: usize,
}

const METHODS: [&str; 6] = ["ideal", "ideal", "ideal", "card", "card", "paypal"];

impl Seeder<'_> {
    fn next_number(&mut self) -> String {
        self.serial += 1;
        format!("{}-{:04}", self.today.format("%Y"), self.serial)
    }

    fn amount(&mut self) -> Cents {
        Cents(self.rng.i64(1_000..150_000))
    }

    /// A moment in the last three weeks.
    fn moment(&mut self) -> DateTime<Utc> {
        self.now - chrono::TimeDelta::seconds(self.rng.i64(3_600..(20 * 86_400)))
    }

    /// A sale at `at`, with the order reference and description given; its reference.
    fn sale(
        &mut self,
        status: &str,
        amount: Cents,
        method: &str,
        at: DateTime<Utc>,
        order: Option<String>,
        description: Option<String>,
    ) -> String {
        let reference = ccv_reference(&mut self.rng, at, 'C');
        let mut transaction =
            CcvTransaction::sale(&reference, status, amount, method, at.timestamp_millis());
        transaction.merchant_order_reference = order;
        transaction.description = description;
        self.world.add_transaction(transaction);
        reference
    }

    /// An invoice of `total`, and a paid CCV payment of `amount` whose description names it.
    fn paid_for_invoice(&mut self, total: Cents, amount: Cents, method: &str, words: &str) {
        let number = self.next_number();
        self.world.add_invoice(NewInvoice::sales(&number, total));
        let at = self.moment();
        let description = Some(format!("{words} {number}"));
        self.sale("success", amount, method, at, None, description);
    }

    fn plain_sales(&mut self) {
        for _ in 0..Mix::PLAIN {
            let number = self.next_number();
            let amount = self.amount();
            self.world.add_invoice(NewInvoice::sales(&number, amount));
            let method = METHODS[self.rng.usize(..METHODS.len())];
            let at = self.moment();
            self.sale(
                "success",
                amount,
                method,
                at,
                None,
                Some(format!("Factuur {number}")),
            );
        }
    }

    fn by_order_reference(&mut self) {
        for index in 0..Mix::BY_ORDER_REFERENCE {
            let order = format!("ORDER-{}", 10_000 + index);
            let amount = self.amount();
            let number = self.next_number();
            self.world
                .add_invoice(NewInvoice::sales(&number, amount).reference(&order));
            let at = self.moment();
            let description = Some(format!("Bestelling {order}"));
            self.sale("success", amount, "ideal", at, Some(order), description);
        }
    }

    fn external(&mut self) {
        for index in 0..Mix::EXTERNAL {
            let order = format!("WEB-{}-{}", self.today.format("%Y"), 1_100 + index);
            let amount = self.amount();
            self.world.add_invoice(NewInvoice::external(&order, amount));
            let at = self.moment();
            self.sale("success", amount, "card", at, Some(order), None);
        }
    }

    fn partial_and_overpaid(&mut self) {
        for _ in 0..Mix::PARTIAL {
            let amount = self.amount();
            let total = Cents(amount.0 * 2);
            self.paid_for_invoice(total, amount, "banktransfer", "Termijn 1 factuur");
        }
        for _ in 0..Mix::OVERPAID {
            let amount = self.amount();
            self.paid_for_invoice(Cents(amount.0 - 500), amount, "ideal", "Factuur");
        }
    }

    fn ambiguous_and_unmatched(&mut self) {
        for index in 0..Mix::AMBIGUOUS {
            let order = format!("ORDER-DUP-{index}");
            let amount = self.amount();
            for _ in 0..2 {
                let number = self.next_number();
                self.world
                    .add_invoice(NewInvoice::sales(&number, amount).reference(&order));
            }
            let at = self.moment();
            self.sale("success", amount, "ideal", at, Some(order), None);
        }
        for index in 0..Mix::NO_OPEN_POST {
            let amount = self.amount();
            let at = self.moment();
            let description = Some(format!("Factuur 2019-{:04}", 9_000 + index));
            self.sale("success", amount, "ideal", at, None, description);
        }
    }

    /// An open invoice, and a CCV payment of its amount whose description names it.
    fn invoiced_sale(&mut self, status: &str, method: &str, words: &str) -> String {
        let number = self.next_number();
        let amount = self.amount();
        self.world.add_invoice(NewInvoice::sales(&number, amount));
        let at = self.moment();
        let description = Some(format!("{words} {number}"));
        self.sale(status, amount, method, at, None, description)
    }

    fn in_another_currency(&mut self) {
        for _ in 0..Mix::CURRENCY {
            let reference = self.invoiced_sale("success", "card", "Invoice");
            let transaction = self.world.ccv.transaction_mut(&reference);
            transaction.expect("just added").currency = "gbp".into();
        }
    }

    fn not_paid_yet(&mut self) {
        for index in 0..Mix::PENDING + Mix::MANUAL_INTERVENTION {
            let (status, method) = match index {
                index if index >= Mix::PENDING => ("manualintervention", "paypal"),
                index if index % 2 == 0 => ("pending", "banktransfer"),
                _ => ("pending", "sdd"),
            };
            self.invoiced_sale(status, method, "Factuur");
        }
        for index in 0..Mix::FAILED {
            let reference = self.invoiced_sale("failed", "ideal", "Factuur");
            let why = if index % 3 == 0 {
                "expired"
            } else {
                "cancelled"
            };
            let transaction = self.world.ccv.transaction_mut(&reference);
            transaction.expect("just added").failure_code = Some(why.into());
        }
    }

    /// Half of a few card payments refunded an hour later: never payments themselves; a
    /// refunded payment, once booked, comes back as `changed_after_booking`.
    fn refunds(&mut self) {
        let paid: Vec<(String, Cents, i64)> = self
            .world
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
        for (original, amount, created_ms) in paid {
            let at = Utc
                .timestamp_millis_opt(created_ms + 3_600_000)
                .single()
                .unwrap_or(self.now);
            let original = self
                .world
                .transaction(&original)
                .expect("the refunded payment exists");
            let mut refund = CcvTransaction::taken_back(
                &original,
                "refund",
                &ccv_reference(&mut self.rng, at, 'P'),
                Cents(amount.0 / 2),
                "success",
                at.timestamp_millis(),
            );
            refund.description = Some("Retour".into());
            self.world.add_transaction(refund);
        }
    }

    /// A payment link (parent) and the iDEAL payment that paid it (child).
    fn payment_links(&mut self) {
        for _ in 0..Mix::PAYMENT_LINKS {
            let number = self.next_number();
            let amount = self.amount();
            self.world.add_invoice(NewInvoice::sales(&number, amount));
            let at = self.moment();
            let child_at = at + chrono::TimeDelta::minutes(self.rng.i64(5..600));
            let parent = ccv_reference(&mut self.rng, at, 'C');
            let child = ccv_reference(&mut self.rng, child_at, 'C');
            let description = Some(format!("Betaallink factuur {number}"));
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
            link.description = description.clone();
            let mut paid = CcvTransaction::sale(
                &child,
                "success",
                amount,
                "ideal",
                child_at.timestamp_millis(),
            );
            paid.description = description;
            self.world.add_transaction(link);
            self.world.add_transaction(paid);
        }
    }

    fn handled_by_the_bookkeeper(&mut self) {
        for _ in 0..Mix::BOOKED_BY_SOMEONE_ELSE {
            let number = self.next_number();
            let amount = self.amount();
            let invoice = self
                .world
                .add_invoice(NewInvoice::sales(&number, Cents(amount.0 * 3)));
            let at = self.moment();
            let description = Some(format!("Factuur {number}"));
            let reference = self.sale("success", amount, "ideal", at, None, description);
            // Typed in a day later, with the CCV reference.
            let typed_on =
                at.with_timezone(&chrono_tz::Europe::Amsterdam).date_naive() + Days::new(1);
            self.world.add_manual_payment(
                InvoiceType::Sales,
                &invoice,
                Some(&reference),
                amount,
                typed_on,
            );
        }
        for _ in 0..Mix::INVOICE_PAID {
            let number = self.next_number();
            let amount = self.amount();
            let invoice = self.world.add_invoice(NewInvoice::sales(&number, amount));
            let paid_on = self.today - Days::new(2);
            self.world
                .add_manual_payment(InvoiceType::Sales, &invoice, None, amount, paid_on);
            let at = self.moment();
            self.sale(
                "success",
                amount,
                "ideal",
                at,
                None,
                Some(format!("Factuur {number}")),
            );
        }
    }

    /// The bookkeeper closed the books up to 24 days ago; two payments are older than that.
    fn in_a_locked_period(&mut self) {
        let today = self.today;
        self.world.lock_period_until(Some(today - Days::new(24)));
        for _ in 0..Mix::LOCKED_PERIOD {
            let number = self.next_number();
            let amount = self.amount();
            self.world
                .add_invoice(NewInvoice::sales(&number, amount).dated(today - Days::new(40)));
            let at = self.now - chrono::TimeDelta::days(26);
            self.sale(
                "success",
                amount,
                "ideal",
                at,
                None,
                Some(format!("Factuur {number}")),
            );
        }
    }
}
