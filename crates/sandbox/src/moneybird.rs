//! The imitated Moneybird API v2: administrations, sales and external sales invoices with
//! their filters, paging and synchronization endpoints, payments, and ledger and financial
//! accounts (docs/moneybird-api.md; bodies and errors as Moneybird's OpenAPI description shows).

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};
use serde_json::{Map, Value, json};

use super::world::{
    Administration, InvoiceRecord, InvoiceType, LedgerAccount, PaymentRecord, payment_json,
};
use super::{Incoming, Reply, World};
use crate::money::Cents;

#[derive(Default)]
pub struct MoneybirdState {
    pub tokens: Vec<String>,
    /// Tokens granted only some scopes (docs/moneybird-api.md §1.4); any other token has all.
    pub scopes: HashMap<String, Vec<String>>,
    pub administrations: Vec<Administration>,
    pub invoices: Vec<InvoiceRecord>,
    pub ledger_accounts: Vec<LedgerAccount>,
    pub financial_accounts: Vec<(String, String, String)>,
    /// Bank statement lines, of every financial account.
    pub financial_mutations: Vec<crate::bank::FinancialMutation>,
    pub user_id: String,
    next_id: u64,
    /// Where each invoice sits in `invoices`; invoices are never removed.
    by_id: HashMap<(InvoiceType, String), usize>,
}

impl MoneybirdState {
    /// From now on this token carries only these scopes, as if its owner had ticked only
    /// these boxes in Moneybird.
    pub fn limit_scopes(&mut self, token: &str, scopes: &[&str]) {
        self.scopes.insert(
            token.to_string(),
            scopes.iter().map(|scope| scope.to_string()).collect(),
        );
    }

    /// Moneybird ids are 18-digit integers.
    pub fn new_id(&mut self) -> String {
        self.next_id += 1;
        (496_081_700_000_000_000 + self.next_id).to_string()
    }

    pub fn push_invoice(&mut self, invoice: InvoiceRecord) {
        self.by_id
            .insert((invoice.kind, invoice.id.clone()), self.invoices.len());
        self.invoices.push(invoice);
    }

    pub fn invoice(&self, kind: InvoiceType, id: &str) -> Option<&InvoiceRecord> {
        let at = *self.by_id.get(&(kind, id.to_string()))?;
        self.invoices.get(at)
    }

    pub fn invoice_mut(&mut self, kind: InvoiceType, id: &str) -> Option<&mut InvoiceRecord> {
        let at = *self.by_id.get(&(kind, id.to_string()))?;
        self.invoices.get_mut(at)
    }

    /// The invoice with this number, or this external reference.
    pub fn invoice_by_label(&self, label: &str) -> Option<&InvoiceRecord> {
        self.invoices.iter().find(|invoice| match invoice.kind {
            InvoiceType::Sales => invoice.number.as_deref() == Some(label),
            InvoiceType::External => invoice.reference.as_deref() == Some(label),
        })
    }

    /// Every payment that carries this transaction identifier, with its invoice.
    pub fn payments_with_identifier(
        &self,
        identifier: &str,
    ) -> Vec<(&InvoiceRecord, &PaymentRecord)> {
        self.invoices
            .iter()
            .flat_map(|invoice| {
                invoice
                    .payments
                    .iter()
                    .map(move |payment| (invoice, payment))
            })
            .filter(|(_, payment)| payment.transaction_identifier.as_deref() == Some(identifier))
            .collect()
    }

    pub(crate) fn administration_id(&self) -> &str {
        self.administrations
            .first()
            .map_or("", |administration| administration.id.as_str())
    }
}

pub(crate) fn error(status: u16, message: &str) -> Reply {
    Reply::json(status, &json!({ "error": message }))
}

pub(crate) fn symbolic(status: u16, message: &str, key: &str, code: &str) -> Reply {
    Reply::json(
        status,
        &json!({ "error": message, "symbolic": { key: code } }),
    )
}

fn not_found() -> Reply {
    symbolic(404, "record not found", "id", "not_found")
}

/// A validation failure in the non-symbolic 422 shape.
fn invalid(field: &str, message: &str, code: &str) -> Reply {
    Reply::json(
        422,
        &json!({ "error": { field: [message] }, "details": { field: [{ "error": code }] } }),
    )
}

pub(super) fn handle(world: &mut World, request: &Incoming, rest: &str) -> Reply {
    let token = request
        .header("authorization")
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim);
    if !token.is_some_and(|token| world.moneybird.tokens.iter().any(|known| known == token)) {
        // Moneybird's 401 bodies are plain errors (OAS); the wording for a bad token is ours.
        return error(401, "Token is invalid or has been revoked");
    }
    let mut segments: Vec<&str> = rest
        .split('/')
        .filter(|segment| !segment.is_empty())
        .collect();
    // Every path may end in a format suffix: `.json`, or nothing for the default format.
    if let Some(last) = segments.last_mut() {
        if let Some(stem) = last.strip_suffix(".json") {
            *last = stem;
        } else if last.ends_with(".xml") {
            return error(406, "Only the JSON format is served here");
        }
    }
    let method = request.method.as_str();
    if let Some(granted) = token.and_then(|token| world.moneybird.scopes.get(token))
        && let Some(wanted) = scopes_needed(method, &segments)
        && !wanted
            .iter()
            .any(|scope| granted.iter().any(|have| have == scope))
    {
        // A missing scope is a 401 naming it (docs/moneybird-api.md §1.4, OAS 401 examples).
        return error(401, &format!("No access to {}", wanted[0]));
    }
    if segments == ["administrations"] && method == "GET" {
        return administrations(world);
    }
    let Some((&administration, resource)) = segments.split_first() else {
        return error(404, "Not Found");
    };
    if administration != world.moneybird.administration_id() {
        return not_found();
    }
    route(world, request, method, resource)
}

/// The scopes of which a request needs one (docs/moneybird-api.md §1.4, from the OpenAPI
/// description's `security` blocks); `None` when any token may ask.
fn scopes_needed(method: &str, segments: &[&str]) -> Option<&'static [&'static str]> {
    match (method, segments.get(1).copied()) {
        (_, Some("sales_invoices" | "external_sales_invoices")) => Some(&["sales_invoices"]),
        ("GET", Some("ledger_accounts")) => {
            Some(&["settings", "sales_invoices", "documents", "estimates"])
        }
        (_, Some("ledger_accounts" | "financial_accounts")) => Some(&["settings"]),
        (_, Some("financial_mutations" | "financial_statements")) => Some(&["bank"]),
        _ => None,
    }
}

/// The administration's resources: one arm per endpoint the sandbox serves.
fn route(world: &mut World, request: &Incoming, method: &str, resource: &[&str]) -> Reply {
    let kind_of = |name: &str| match name {
        "sales_invoices" => Some(InvoiceType::Sales),
        "external_sales_invoices" => Some(InvoiceType::External),
        _ => None,
    };
    match (method, resource) {
        ("GET", [name]) if kind_of(name).is_some() => list(world, request, kind_of(name).unwrap()),
        ("GET", [name, "synchronization"]) if kind_of(name).is_some() => {
            sync_versions(world, request, kind_of(name).unwrap())
        }
        ("POST", [name, "synchronization"]) if kind_of(name).is_some() => {
            sync_fetch(world, request, kind_of(name).unwrap())
        }
        ("GET", ["sales_invoices", "find_by_invoice_id", number]) => find(world, |invoice| {
            invoice.kind == InvoiceType::Sales && invoice.number.as_deref() == Some(*number)
        })
        .unwrap_or_else(|| {
            symbolic(
                404,
                &format!("Sales invoice with invoice_id: {number} was not found"),
                "invoice_id",
                "not_found",
            )
        }),
        ("GET", ["sales_invoices", "find_by_reference", reference]) => find(world, |invoice| {
            invoice.kind == InvoiceType::Sales && invoice.reference.as_deref() == Some(*reference)
        })
        .unwrap_or_else(|| {
            symbolic(
                404,
                &format!("Sales invoice with reference: {reference} was not found"),
                "reference",
                "not_found",
            )
        }),
        ("GET", [name, id]) if kind_of(name).is_some() => {
            let kind = kind_of(name).unwrap();
            find(world, |invoice| invoice.kind == kind && invoice.id == *id)
                .unwrap_or_else(not_found)
        }
        ("POST", [name, id, "payments"]) if kind_of(name).is_some() => {
            create_payment(world, request, kind_of(name).unwrap(), id)
        }
        ("DELETE", [name, id, "payments", payment_id]) if kind_of(name).is_some() => {
            delete_payment(world, kind_of(name).unwrap(), id, payment_id)
        }
        ("GET", ["payments", id]) => payment(world, id),
        ("GET", ["ledger_accounts"]) => ledger_accounts(world),
        ("POST", ["ledger_accounts"]) => create_ledger_account(world, request),
        ("GET", ["financial_accounts"]) => financial_accounts(world),
        _ => crate::bank::route(world, request, method, resource)
            .unwrap_or_else(|| error(404, "Not Found")),
    }
}

/// One payment, wherever it is: there is no list of payments (docs/moneybird-api.md §4.5).
fn payment(world: &World, id: &str) -> Reply {
    let administration_id = world.moneybird.administration_id();
    world
        .moneybird
        .invoices
        .iter()
        .find_map(|invoice| {
            invoice
                .payments
                .iter()
                .find(|payment| payment.id == id)
                .map(|payment| Reply::json(200, &payment_json(payment, invoice, administration_id)))
        })
        .unwrap_or_else(not_found)
}

fn administrations(world: &World) -> Reply {
    let list: Vec<Value> = world
        .moneybird
        .administrations
        .iter()
        .map(|administration| {
            json!({
                "id": administration.id,
                "name": administration.name,
                "language": "nl",
                "currency": "EUR",
                "country": "NL",
                "time_zone": "Europe/Amsterdam",
                "access": "user",
                "suspended": false,
                "period_locked_until": administration.period_locked_until.map(|date| date.to_string()),
                "period_start_date": "2020-01-01",
            })
        })
        .collect();
    Reply::json(200, &Value::Array(list))
}

fn find(world: &World, wanted: impl Fn(&InvoiceRecord) -> bool) -> Option<Reply> {
    let administration_id = world.moneybird.administration_id();
    world
        .moneybird
        .invoices
        .iter()
        .find(|invoice| wanted(invoice))
        .map(|invoice| Reply::json(200, &invoice.to_json(administration_id)))
}

/// A parsed `filter` query parameter.
struct Filter {
    states: Option<Vec<String>>,
    period: (NaiveDate, NaiveDate),
    references: Option<Vec<String>>,
    updated_after_ms: Option<i64>,
}

impl Filter {
    fn admits(&self, invoice: &InvoiceRecord) -> bool {
        let state_ok = self.states.as_ref().is_none_or(|states| {
            states
                .iter()
                .any(|state| state == "all" || *state == invoice.state)
        });
        let reference_ok = self.references.as_ref().is_none_or(|references| {
            invoice
                .reference
                .as_ref()
                .is_some_and(|reference| references.contains(reference))
        });
        let period_ok = invoice.date >= self.period.0 && invoice.date <= self.period.1;
        let updated_ok = self
            .updated_after_ms
            .is_none_or(|after| invoice.updated_ms > after);
        state_ok && reference_ok && period_ok && updated_ok
    }
}

fn parse_filter(
    text: Option<&String>,
    kind: InvoiceType,
    today: NaiveDate,
) -> Result<Filter, Reply> {
    let allowed: &[&str] = match kind {
        InvoiceType::Sales => &[
            "state",
            "period",
            "reference",
            "contact_id",
            "recurring_sales_invoice_id",
            "workflow_id",
            "created_after",
            "updated_after",
        ],
        InvoiceType::External => &["state", "period", "contact_id"],
    };
    let states_known: &[&str] = match kind {
        InvoiceType::Sales => &[
            "all",
            "draft",
            "open",
            "scheduled",
            "pending_payment",
            "late",
            "reminded",
            "paid",
            "uncollectible",
        ],
        InvoiceType::External => &["all", "new", "open", "late", "paid"],
    };
    // Without an explicit period the default financial year applies: the stricter reading
    // of "any filter you pass replaces the defaults" (docs/moneybird-api.md §11, Unknown 9).
    let mut filter = Filter {
        states: None,
        period: named_period("this_year", today).expect("known period"),
        references: None,
        updated_after_ms: None,
    };
    let invalid_filter = || symbolic(400, "Filter is invalid", "filter", "invalid");
    for term in text
        .map(String::as_str)
        .unwrap_or("")
        .split(',')
        .filter(|term| !term.is_empty())
    {
        let (key, value) = term.split_once(':').ok_or_else(invalid_filter)?;
        if !allowed.contains(&key) {
            return Err(invalid_filter());
        }
        match key {
            "state" => {
                let states: Vec<String> = value.split('|').map(str::to_string).collect();
                if states
                    .iter()
                    .any(|state| !states_known.contains(&state.as_str()))
                {
                    return Err(symbolic(
                        400,
                        "Status is not included in the list",
                        "filter",
                        "invalid",
                    ));
                }
                filter.states = Some(states);
            }
            "period" => filter.period = parse_period(value, today)?,
            "reference" => filter.references = Some(value.split('|').map(str::to_string).collect()),
            "updated_after" => {
                let at =
                    chrono::DateTime::parse_from_rfc3339(value).map_err(|_| invalid_filter())?;
                filter.updated_after_ms = Some(at.timestamp_millis());
            }
            _ => {}
        }
    }
    Ok(filter)
}

pub(crate) fn parse_period(value: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), Reply> {
    if let Some(period) = named_period(value, today) {
        return Ok(period);
    }
    let Some((from, to)) = value.split_once("..") else {
        return Err(symbolic(
            400,
            "Period must have both a start and end date",
            "period",
            "invalid",
        ));
    };
    let parse = |text: &str, end: bool| -> Option<NaiveDate> {
        match text.len() {
            8 => NaiveDate::parse_from_str(text, "%Y%m%d").ok(),
            6 => {
                let first = NaiveDate::parse_from_str(&format!("{text}01"), "%Y%m%d").ok()?;
                Some(if end { last_of_month(first) } else { first })
            }
            _ => None,
        }
    };
    match (parse(from, false), parse(to, true)) {
        (Some(from), Some(to)) if from <= to => Ok((from, to)),
        _ => Err(symbolic(400, "Period is invalid", "period", "invalid")),
    }
}

fn last_of_month(first: NaiveDate) -> NaiveDate {
    let next = if first.month() == 12 {
        NaiveDate::from_ymd_opt(first.year() + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(first.year(), first.month() + 1, 1)
    };
    next.expect("valid month")
        .pred_opt()
        .expect("has a previous day")
}

fn named_period(name: &str, today: NaiveDate) -> Option<(NaiveDate, NaiveDate)> {
    let year = |offset: i32| {
        (
            NaiveDate::from_ymd_opt(today.year() + offset, 1, 1)?,
            NaiveDate::from_ymd_opt(today.year() + offset, 12, 31)?,
        )
            .into()
    };
    let month = |offset: i32| -> Option<(NaiveDate, NaiveDate)> {
        let index = today.year() * 12 + today.month0() as i32 + offset;
        let first =
            NaiveDate::from_ymd_opt(index.div_euclid(12), index.rem_euclid(12) as u32 + 1, 1)?;
        Some((first, last_of_month(first)))
    };
    match name {
        "this_year" => year(0),
        "prev_year" => year(-1),
        "next_year" => year(1),
        "this_month" => month(0),
        "prev_month" => month(-1),
        "next_month" => month(1),
        "this_week" | "prev_week" | "next_week" | "this_quarter" | "prev_quarter"
        | "next_quarter" => {
            let (span, offset): (i64, i64) = match name {
                "this_week" => (7, 0),
                "prev_week" => (7, -7),
                "next_week" => (7, 7),
                "this_quarter" => (91, 0),
                "prev_quarter" => (91, -91),
                _ => (91, 91),
            };
            let start = if span == 7 {
                today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()))
            } else {
                NaiveDate::from_ymd_opt(today.year(), today.month0() / 3 * 3 + 1, 1)?
            };
            let start = start.checked_add_signed(chrono::TimeDelta::days(offset))?;
            let end = if span == 7 {
                start + chrono::Days::new(6)
            } else {
                last_of_month(start + chrono::Days::new(62))
            };
            Some((start, end))
        }
        _ => None,
    }
}

fn list(world: &World, request: &Incoming, kind: InvoiceType) -> Reply {
    let filter = match parse_filter(request.query.get("filter"), kind, world.today()) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    // The default page size is undocumented; 100 is the one claim found (docs/moneybird-api.md §2.2).
    let per_page = match request
        .query
        .get("per_page")
        .map(|text| text.parse::<usize>())
    {
        None => 100,
        Some(Ok(size)) if (1..=100).contains(&size) => size,
        Some(_) => return symbolic(400, "Per Page is too big", "per_page", "max"),
    };
    let page = match request.query.get("page").map(|text| text.parse::<usize>()) {
        None => 1,
        Some(Ok(page)) if page >= 1 => page,
        Some(_) => return symbolic(400, "Page is invalid", "page", "invalid"),
    };
    let administration_id = world.moneybird.administration_id();
    let matching: Vec<&InvoiceRecord> = world
        .moneybird
        .invoices
        .iter()
        .filter(|invoice| invoice.kind == kind && filter.admits(invoice))
        .collect();
    let items: Vec<Value> = matching
        .iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .map(|invoice| invoice.to_json(administration_id))
        .collect();
    let mut reply = Reply::json(200, &Value::Array(items));
    let link = |page: usize, rel: &str| {
        let mut query: Vec<(String, String)> = request
            .query
            .iter()
            .filter(|(key, _)| key.as_str() != "page")
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        query.sort();
        query.push(("page".into(), page.to_string()));
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(query)
            .finish();
        format!("<{}?{encoded}>; rel=\"{rel}\"", request.path)
    };
    let mut links = Vec::new();
    if page * per_page < matching.len() {
        links.push(link(page + 1, "next"));
    }
    if page > 1 {
        links.push(link(page - 1, "prev"));
    }
    if !links.is_empty() {
        reply.headers.push(("Link".into(), links.join(", ")));
    }
    reply
}

fn sync_versions(world: &World, request: &Incoming, kind: InvoiceType) -> Reply {
    let filter = match parse_filter(request.query.get("filter"), kind, world.today()) {
        Ok(filter) => filter,
        Err(reply) => return reply,
    };
    let items: Vec<Value> = world
        .moneybird
        .invoices
        .iter()
        .filter(|invoice| invoice.kind == kind && filter.admits(invoice))
        .map(|invoice| json!({ "id": invoice.id, "version": invoice.version }))
        .collect();
    Reply::json(200, &Value::Array(items))
}

fn sync_fetch(world: &World, request: &Incoming, kind: InvoiceType) -> Reply {
    let body: Value = match serde_json::from_str(&request.body) {
        Ok(body) => body,
        Err(_) => return symbolic(400, "Ids is required", "ids", "required"),
    };
    let Some(object) = body.as_object() else {
        return symbolic(400, "Ids is required", "ids", "required");
    };
    if let Some(extra) = object.keys().find(|key| key.as_str() != "ids") {
        return symbolic(
            400,
            &format!("Unpermitted parameter: {extra}"),
            extra,
            "unpermitted",
        );
    }
    let Some(ids) = object.get("ids").and_then(Value::as_array) else {
        return symbolic(400, "Ids is required", "ids", "required");
    };
    let administration_id = world.moneybird.administration_id();
    // At most 100 records per call, however many ids are sent.
    let items: Vec<Value> = ids
        .iter()
        .take(100)
        .filter_map(crate::world::id_string)
        .filter_map(|id| world.moneybird.invoice(kind, &id))
        .map(|invoice| invoice.to_json(administration_id))
        .collect();
    Reply::json(200, &Value::Array(items))
}

const PAYMENT_KEYS: &[&str] = &[
    "payment_date",
    "price",
    "price_base",
    "financial_account_id",
    "financial_mutation_id",
    "transaction_identifier",
    "manual_payment_action",
    "ledger_account_id",
    "invoice_id",
];

const PAYMENT_ACTIONS: &[&str] = &[
    "private_payment",
    "payment_without_proof",
    "cash_payment",
    "rounding_error",
    "bank_transfer",
    "balance_settlement",
    "invoices_settlement",
];

/// The `payment` object of a request body, with no key the schema does not allow.
fn payment_object(body: &str) -> Result<Map<String, Value>, Reply> {
    let Ok(Value::Object(mut body)) = serde_json::from_str::<Value>(body) else {
        return Err(symbolic(400, "Payment is required", "payment", "required"));
    };
    let unpermitted = |extra: &str| {
        symbolic(
            400,
            &format!("Unpermitted parameter: {extra}"),
            extra,
            "unpermitted",
        )
    };
    // The request schema allows no other keys (`unevaluatedProperties: false`). Whether the
    // live service rejects them is unknown (docs/moneybird-api.md §11, 14); the sandbox does.
    if let Some(extra) = body.keys().find(|key| key.as_str() != "payment") {
        return Err(unpermitted(extra));
    }
    let Some(Value::Object(payment)) = body.remove("payment") else {
        return Err(symbolic(400, "Payment is required", "payment", "required"));
    };
    if let Some(extra) = payment
        .keys()
        .find(|key| !PAYMENT_KEYS.contains(&key.as_str()))
    {
        return Err(unpermitted(extra));
    }
    Ok(payment)
}

fn create_payment(
    world: &mut World,
    request: &Incoming,
    kind: InvoiceType,
    invoice_id: &str,
) -> Reply {
    let payment = match payment_object(&request.body) {
        Ok(payment) => payment,
        Err(reply) => return reply,
    };
    let payment = &payment;
    let today = world.today();
    let locked_until = world
        .moneybird
        .administrations
        .first()
        .and_then(|administration| administration.period_locked_until);
    let ledger_known = |id: &str| {
        world
            .moneybird
            .ledger_accounts
            .iter()
            .any(|ledger| ledger.id == id && ledger.active)
    };
    let fields = match validate_payment(payment, &ledger_known, locked_until) {
        Ok(fields) => fields,
        Err(reply) => return reply,
    };
    let id = world.moneybird.new_id();
    let user_id = world.moneybird.user_id.clone();
    let created_at = world.moneybird_time();
    let now_ms = world.now_ms();
    let administration_id = world.moneybird.administration_id().to_string();
    let Some(invoice) = world.moneybird.invoice_mut(kind, invoice_id) else {
        return not_found();
    };
    if !invoice.accepts_payments() {
        return invalid(
            "base",
            "Payments can only be registered on sent invoices",
            "not_sent",
        );
    }
    if invoice.currency != "EUR" && payment.get("price_base").is_none() {
        return invalid("price_base", "can't be blank", "blank");
    }
    if let Some((field, message, code)) = invoice.refuses(fields.price) {
        return invalid(field, &message, code);
    }
    let record = PaymentRecord {
        id,
        transaction_identifier: fields.transaction_identifier,
        price: fields.price,
        price_base: payment.get("price_base").and_then(Cents::from_request),
        payment_date: fields.payment_date,
        ledger_account_id: fields.ledger_account_id,
        manual_payment_action: fields.manual_payment_action,
        financial_account_id: fields.financial_account_id,
        user_id,
        created_at,
        wire_overrides: Vec::new(),
    };
    invoice.payments.push(record.clone());
    invoice.settle_state(today);
    touch(invoice, now_ms);
    let reply = Reply::json(201, &payment_json(&record, invoice, &administration_id));
    #[cfg(feature = "testing")]
    if world.faults.lose_payment_answers > 0 {
        world.faults.lose_payment_answers -= 1;
        return Reply::html(502, "<html><body><h1>502 Bad Gateway</h1></body></html>");
    }
    reply
}

struct PaymentFields {
    payment_date: String,
    price: Cents,
    transaction_identifier: Option<String>,
    manual_payment_action: Option<String>,
    ledger_account_id: Option<String>,
    financial_account_id: Option<String>,
}

fn validate_payment(
    payment: &Map<String, Value>,
    ledger_known: &dyn Fn(&str) -> bool,
    locked_until: Option<NaiveDate>,
) -> Result<PaymentFields, Reply> {
    let text = |key: &str| payment.get(key).and_then(Value::as_str).map(str::to_string);
    let id = |key: &str| payment.get(key).and_then(crate::world::id_string);
    let date_text = text("payment_date").filter(|date| !date.trim().is_empty());
    let Some(date_text) = date_text else {
        return Err(invalid("payment_date", "can't be blank", "blank"));
    };
    // The OAS example sends a full timestamp; the answer always holds the plain date.
    let date = NaiveDate::parse_from_str(date_text.get(..10).unwrap_or(""), "%Y-%m-%d")
        .map_err(|_| invalid("payment_date", "is not a valid date", "invalid"))?;
    let price = match payment.get("price") {
        None | Some(Value::Null) => return Err(invalid("price", "can't be blank", "blank")),
        Some(value) => Cents::from_request(value)
            .ok_or_else(|| invalid("price", "is not a number", "not_a_number"))?,
    };
    if let Some(locked) = locked_until
        && date <= locked
    {
        return Err(invalid(
            "payment_date",
            "is in a locked period",
            "period_locked",
        ));
    }
    let action = text("manual_payment_action");
    if let Some(action) = &action {
        if !PAYMENT_ACTIONS.contains(&action.as_str()) {
            return Err(invalid(
                "manual_payment_action",
                "is not included in the list",
                "inclusion",
            ));
        }
        if action == "balance_settlement" && id("ledger_account_id").is_none() {
            return Err(invalid("ledger_account_id", "can't be blank", "blank"));
        }
    }
    let ledger = id("ledger_account_id");
    if let Some(ledger) = &ledger
        && !ledger_known(ledger)
    {
        return Err(invalid("ledger_account_id", "is invalid", "invalid"));
    }
    Ok(PaymentFields {
        payment_date: date.to_string(),
        price,
        transaction_identifier: text("transaction_identifier"),
        manual_payment_action: action,
        ledger_account_id: ledger,
        financial_account_id: id("financial_account_id"),
    })
}

fn delete_payment(
    world: &mut World,
    kind: InvoiceType,
    invoice_id: &str,
    payment_id: &str,
) -> Reply {
    let today = world.today();
    let now_ms = world.now_ms();
    let Some(invoice) = world.moneybird.invoice_mut(kind, invoice_id) else {
        return not_found();
    };
    let before = invoice.payments.len();
    invoice.payments.retain(|payment| payment.id != payment_id);
    if invoice.payments.len() == before {
        return not_found();
    }
    invoice.settle_state(today);
    touch(invoice, now_ms);
    Reply::empty(204)
}

/// Every change bumps the version the synchronization endpoints report.
pub fn touch(invoice: &mut InvoiceRecord, now_ms: i64) {
    touch_version(&mut invoice.version, &mut invoice.updated_ms, now_ms);
}

pub(crate) fn touch_version(version: &mut i64, updated_ms: &mut i64, now_ms: i64) {
    *version = (*version + 1).max(now_ms / 1000);
    *updated_ms = now_ms;
}

/// RGS 3.5 codes the sandbox knows; Moneybird knows them all.
const RGS_CODES: &[&str] = &[
    "BVorTusTbt",
    "BLimKasKas",
    "BLimBanRba",
    "WAfsAmv",
    "WOmzAovEie",
    "WMfoBelMfo",
];

const ACCOUNT_TYPES: &[&str] = &[
    "non_current_assets",
    "current_assets",
    "equity",
    "provisions",
    "non_current_liabilities",
    "current_liabilities",
    "revenue",
    "direct_costs",
    "expenses",
    "other_income_expenses",
];

fn create_ledger_account(world: &mut World, request: &Incoming) -> Reply {
    let Ok(Value::Object(body)) = serde_json::from_str::<Value>(&request.body) else {
        return symbolic(
            400,
            "Ledger account is required",
            "ledger_account",
            "required",
        );
    };
    if let Some(extra) = body
        .keys()
        .find(|key| !["ledger_account", "rgs_code"].contains(&key.as_str()))
    {
        return symbolic(
            400,
            &format!("Unpermitted parameter: {extra}"),
            extra,
            "unpermitted",
        );
    }
    let ledger = body.get("ledger_account").and_then(Value::as_object);
    let name = ledger
        .and_then(|ledger| ledger.get("name"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if ledger.is_none_or(|ledger| ledger.get("name").is_none()) {
        return Reply::json(
            400,
            &json!({ "error": "Name is required", "symbolic": { "ledger_account": { "name": "required" } } }),
        );
    }
    if name.trim().is_empty() {
        return invalid("name", "can't be blank", "blank");
    }
    let account_type = ledger
        .and_then(|ledger| ledger.get("account_type"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !ACCOUNT_TYPES.contains(&account_type) {
        return invalid("account_type", "is not included in the list", "inclusion");
    }
    let rgs_code = body.get("rgs_code").and_then(Value::as_str).unwrap_or("");
    if !RGS_CODES.contains(&rgs_code) {
        return symbolic(
            404,
            "Given RGS code does not belong to a taxonomy item of version 3.5",
            "rgs_code",
            "not_found",
        );
    }
    let id = world.moneybird.new_id();
    let account_id = ledger
        .and_then(|ledger| ledger.get("account_id"))
        .and_then(crate::world::id_string)
        .unwrap_or_default();
    world.moneybird.ledger_accounts.push(LedgerAccount {
        id: id.clone(),
        name: name.to_string(),
        account_type: account_type.to_string(),
        account_id,
        rgs_code: rgs_code.to_string(),
        active: true,
    });
    let created = world
        .moneybird
        .ledger_accounts
        .last()
        .expect("just added")
        .clone();
    Reply::json(
        201,
        &ledger_account_json(&created, world.moneybird.administration_id()),
    )
}

fn ledger_account_json(ledger: &LedgerAccount, administration_id: &str) -> Value {
    json!({
        "id": ledger.id,
        "administration_id": administration_id,
        "name": ledger.name,
        "account_type": ledger.account_type,
        "account_id": ledger.account_id,
        "parent_id": null,
        "active": ledger.active,
        "allowed_document_types": ["financial_mutation", "general_journal_document", "payment"],
        "taxonomy_item": { "taxonomy_version": "3.5", "code": ledger.rgs_code },
        "financial_account_id": null,
    })
}

fn ledger_accounts(world: &World) -> Reply {
    let administration_id = world.moneybird.administration_id();
    let items: Vec<Value> = world
        .moneybird
        .ledger_accounts
        .iter()
        .map(|ledger| ledger_account_json(ledger, administration_id))
        .collect();
    Reply::json(200, &Value::Array(items))
}

fn financial_accounts(world: &World) -> Reply {
    let administration_id = world.moneybird.administration_id();
    let items: Vec<Value> = world
        .moneybird
        .financial_accounts
        .iter()
        .map(|(id, kind, name)| {
            json!({
                "id": id, "administration_id": administration_id, "type": kind, "name": name,
                "identifier": null, "currency": "EUR", "provider": null,
                "moneybird_account": false, "active": true,
            })
        })
        .collect();
    Reply::json(200, &Value::Array(items))
}
