//! What a bookkeeper does in Moneybird's own screens, for the tests of a person in the
//! loop: register a payment by hand (the screen sets no transaction id unless one is typed),
//! delete a payment, change one. Each goes through the same rules as the API and bumps the
//! invoice's version, so the tool sees it through its synchronization reads as it would see
//! the real thing.

use chrono::NaiveDate;

use super::World;
use super::moneybird::touch;
use super::world::{InvoiceRecord, InvoiceType, PaymentRecord};
use crate::money::Cents;

impl World {
    /// Registers a payment on the invoice with this number (or external reference), as
    /// Moneybird's "Betaling registreren" screen does. Refused as the API refuses it: a
    /// draft or uncollectible invoice, more than is open.
    pub fn book_by_hand(
        &mut self,
        invoice: &str,
        price: Cents,
        date: NaiveDate,
    ) -> Result<String, String> {
        self.book_by_hand_with_identifier(invoice, price, date, None)
    }

    /// The same, with a transaction id typed into the screen's field.
    pub fn book_by_hand_with_identifier(
        &mut self,
        invoice: &str,
        price: Cents,
        date: NaiveDate,
        transaction_identifier: Option<&str>,
    ) -> Result<String, String> {
        let id = self.moneybird.new_id();
        let today = self.today();
        let now_ms = self.now_ms();
        let created_at = self.moneybird_time();
        let user_id = self.moneybird.user_id.clone();
        let record = self
            .invoice_by_label_mut(invoice)
            .ok_or_else(|| format!("no invoice {invoice}"))?;
        if !record.accepts_payments() {
            return Err(format!("invoice {invoice} is {}", record.state));
        }
        if let Some((field, message, _)) = record.refuses(price) {
            return Err(format!("{field} {message}"));
        }
        record.payments.push(PaymentRecord::by_hand(
            id.clone(),
            transaction_identifier,
            price,
            date,
            user_id,
            created_at,
        ));
        record.settle_state(today);
        touch(record, now_ms);
        Ok(id)
    }

    /// Deletes a payment, wherever it is; the invoice opens again. Whether it was there.
    pub fn delete_payment(&mut self, payment_id: &str) -> bool {
        self.change_payment_with(payment_id, |payments, at| {
            payments.remove(at);
        })
    }

    /// Changes a payment's price or date, as the payment's edit screen does.
    pub fn change_payment(
        &mut self,
        payment_id: &str,
        price: Option<Cents>,
        date: Option<NaiveDate>,
    ) -> bool {
        self.change_payment_with(payment_id, |payments, at| {
            if let Some(price) = price {
                payments[at].price = price;
            }
            if let Some(date) = date {
                payments[at].payment_date = date.to_string();
            }
        })
    }

    fn change_payment_with(
        &mut self,
        payment_id: &str,
        change: impl FnOnce(&mut Vec<PaymentRecord>, usize),
    ) -> bool {
        let today = self.today();
        let now_ms = self.now_ms();
        let found = self.moneybird.invoices.iter_mut().find_map(|invoice| {
            let at = invoice
                .payments
                .iter()
                .position(|payment| payment.id == payment_id)?;
            Some((invoice, at))
        });
        let Some((invoice, at)) = found else {
            return false;
        };
        change(&mut invoice.payments, at);
        invoice.settle_state(today);
        touch(invoice, now_ms);
        true
    }

    fn invoice_by_label_mut(&mut self, label: &str) -> Option<&mut InvoiceRecord> {
        self.moneybird
            .invoices
            .iter_mut()
            .find(|invoice| match invoice.kind {
                InvoiceType::Sales => invoice.number.as_deref() == Some(label),
                InvoiceType::External => invoice.reference.as_deref() == Some(label),
            })
    }
}
