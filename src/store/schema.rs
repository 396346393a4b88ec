//! Append-only migrations, applied in order and recorded in SQLite's `user_version`.
//! Never edit a released step: add a new one.

pub const MIGRATIONS: &[&str] = &[
    // 1: payments, their history, the last Moneybird exchange, and the open-post cache.
    r#"
    CREATE TABLE payments (
        id                       INTEGER PRIMARY KEY,
        -- The booking identity: the CCV reference, or a payment link's parent reference.
        reference                TEXT NOT NULL UNIQUE,
        child_reference          TEXT UNIQUE,
        ccv_type                 TEXT NOT NULL,
        ccv_status               TEXT NOT NULL,
        failure_code             TEXT,
        method                   TEXT,
        amount_cents             INTEGER NOT NULL,
        currency                 TEXT NOT NULL,
        created_ms               INTEGER NOT NULL,
        paid_ms                  INTEGER,
        description              TEXT,
        merchant_order_reference TEXT,
        raw_json                 TEXT NOT NULL,
        child_raw_json           TEXT,
        tab                      TEXT NOT NULL CHECK (tab IN ('open', 'rapportage', 'fouten', 'closed')),
        -- none → booking (committed before the POST) → booked
        booking_state            TEXT NOT NULL DEFAULT 'none' CHECK (booking_state IN ('none', 'booking', 'booked')),
        error_code               TEXT,
        error_message            TEXT,
        invoice_kind             TEXT,
        invoice_id               TEXT,
        invoice_label            TEXT,
        payment_date             TEXT,
        moneybird_payment_id     TEXT,
        evidence_json            TEXT,
        first_seen_ms            INTEGER NOT NULL,
        updated_ms               INTEGER NOT NULL
    ) STRICT;
    CREATE INDEX payments_by_tab ON payments (tab, created_ms);

    CREATE TABLE events (
        id          INTEGER PRIMARY KEY,
        payment_id  INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
        at_ms       INTEGER NOT NULL,
        what        TEXT NOT NULL
    ) STRICT;
    CREATE INDEX events_by_payment ON events (payment_id, id);

    CREATE TABLE exchanges (
        id             INTEGER PRIMARY KEY,
        payment_id     INTEGER NOT NULL REFERENCES payments (id) ON DELETE CASCADE,
        at_ms          INTEGER NOT NULL,
        method         TEXT NOT NULL,
        path           TEXT NOT NULL,
        request_body   TEXT,
        status         INTEGER,
        response_body  TEXT
    ) STRICT;
    CREATE INDEX exchanges_by_payment ON exchanges (payment_id, id);

    CREATE TABLE open_posts (
        kind     TEXT NOT NULL,
        id       TEXT NOT NULL,
        version  INTEGER NOT NULL,
        invoice  TEXT NOT NULL,
        PRIMARY KEY (kind, id)
    ) STRICT;

    CREATE TABLE meta (
        key    TEXT PRIMARY KEY,
        value  TEXT NOT NULL
    ) STRICT;
    "#,
    // 2: what the bookkeeper settled by hand, and what was posted when it differs from
    // what CCV paid (the rounding tolerance).
    r#"
    -- {"note", "at", "moneybird_payment_id", "before": {"tab", "error_code", "error_message"}}
    ALTER TABLE payments ADD COLUMN resolution_json TEXT;
    -- The price of the booking posted; NULL means the CCV amount.
    ALTER TABLE payments ADD COLUMN booked_cents INTEGER;
    -- A `rounding_error` payment that closes the rest of the invoice, when one is due.
    ALTER TABLE payments ADD COLUMN rounding_cents INTEGER;
    "#,
    // 3: the words of an error and of a history line, by message id and values, so that each
    // is said in the reader's language; `error_message` and `what` keep the English that
    // `--json` and old readers read.
    r#"
    -- {"id": "...", "args": {"name": {"text": "..."}}}, see i18n::Message
    ALTER TABLE payments ADD COLUMN error_words_json TEXT;
    ALTER TABLE events ADD COLUMN words_json TEXT;
    "#,
    // 4: what happened after booking. Refunds, chargebacks and reversals of known payments
    // (never payments themselves), and for the drift audit the version of each invoice
    // holding a booking when it was last read.
    r#"
    CREATE TABLE changes (
        id            INTEGER PRIMARY KEY,
        reference     TEXT NOT NULL UNIQUE,
        payment_id    INTEGER NOT NULL REFERENCES payments(id),
        kind          TEXT NOT NULL,
        status        TEXT NOT NULL,
        amount_cents  INTEGER NOT NULL,
        currency      TEXT NOT NULL,
        created_ms    INTEGER NOT NULL,
        raw_json      TEXT NOT NULL,
        -- Set once it has been put in front of the bookkeeper (or noted as changing nothing).
        raised        INTEGER NOT NULL DEFAULT 0
    ) STRICT;
    CREATE INDEX changes_by_payment ON changes (payment_id);

    CREATE TABLE audited_invoices (
        kind     TEXT NOT NULL,
        id       TEXT NOT NULL,
        version  INTEGER NOT NULL,
        PRIMARY KEY (kind, id)
    ) STRICT;
    "#,
    // 5: several CCV shops in one administration. A reference is one shop's: the table is
    // rebuilt with the shop in its keys (SQLite cannot drop a column's UNIQUE), the
    // documented way: with foreign keys off, which `Store::prepare` turns on only after
    // the migrations. '' is the single `[ccv]` shop; NULL would make UNIQUE let twins in.
    r#"
    CREATE TABLE payments_by_shop (
        id                       INTEGER PRIMARY KEY,
        shop                     TEXT NOT NULL DEFAULT '',
        reference                TEXT NOT NULL,
        child_reference          TEXT,
        ccv_type                 TEXT NOT NULL,
        ccv_status               TEXT NOT NULL,
        failure_code             TEXT,
        method                   TEXT,
        amount_cents             INTEGER NOT NULL,
        currency                 TEXT NOT NULL,
        created_ms               INTEGER NOT NULL,
        paid_ms                  INTEGER,
        description              TEXT,
        merchant_order_reference TEXT,
        raw_json                 TEXT NOT NULL,
        child_raw_json           TEXT,
        tab                      TEXT NOT NULL CHECK (tab IN ('open', 'rapportage', 'fouten', 'closed')),
        booking_state            TEXT NOT NULL DEFAULT 'none' CHECK (booking_state IN ('none', 'booking', 'booked')),
        error_code               TEXT,
        error_message            TEXT,
        invoice_kind             TEXT,
        invoice_id               TEXT,
        invoice_label            TEXT,
        payment_date             TEXT,
        moneybird_payment_id     TEXT,
        evidence_json            TEXT,
        first_seen_ms            INTEGER NOT NULL,
        updated_ms               INTEGER NOT NULL,
        resolution_json          TEXT,
        booked_cents             INTEGER,
        rounding_cents           INTEGER,
        error_words_json         TEXT,
        UNIQUE (shop, reference),
        UNIQUE (shop, child_reference)
    ) STRICT;
    INSERT INTO payments_by_shop (id, reference, child_reference, ccv_type, ccv_status, failure_code, method, amount_cents, currency, created_ms, paid_ms, description, merchant_order_reference, raw_json, child_raw_json, tab, booking_state, error_code, error_message, invoice_kind, invoice_id, invoice_label, payment_date, moneybird_payment_id, evidence_json, first_seen_ms, updated_ms, resolution_json, booked_cents, rounding_cents, error_words_json) SELECT id, reference, child_reference, ccv_type, ccv_status, failure_code, method, amount_cents, currency, created_ms, paid_ms, description, merchant_order_reference, raw_json, child_raw_json, tab, booking_state, error_code, error_message, invoice_kind, invoice_id, invoice_label, payment_date, moneybird_payment_id, evidence_json, first_seen_ms, updated_ms, resolution_json, booked_cents, rounding_cents, error_words_json FROM payments;
    DROP TABLE payments;
    ALTER TABLE payments_by_shop RENAME TO payments;
    CREATE INDEX payments_by_tab ON payments (tab, created_ms);
    "#,
    // 6: CCV's payouts and the bank lines they arrive as (the tussenrekening clears itself).
    r#"
    ALTER TABLE payments ADD COLUMN payout_reference TEXT;
    ALTER TABLE changes ADD COLUMN payout_reference TEXT;
    CREATE TABLE payouts (
        shop          TEXT NOT NULL DEFAULT '',
        reference     TEXT NOT NULL,
        remittance    TEXT,
        -- ISO day CCV paid it out.
        date          TEXT,
        -- waiting | linked | needs_a_look
        state         TEXT NOT NULL DEFAULT 'waiting',
        -- Why it waits or needs a look: an i18n::Message.
        reason_json   TEXT,
        mutation_id   TEXT,
        received_cents INTEGER,
        PRIMARY KEY (shop, reference)
    ) STRICT;
    -- The bank account's statement lines, as last read.
    CREATE TABLE bank_lines (
        id       TEXT PRIMARY KEY,
        version  INTEGER NOT NULL,
        json     TEXT NOT NULL
    ) STRICT;
    "#,
    // 7: an amount CCV sent that could not be read, kept as it came (shown, never as 0.00).
    r#"
    ALTER TABLE payments ADD COLUMN amount_as_sent TEXT;
    "#,
];
