# English. Every id here is in ../nl/main.ftl too, with the same values (a test checks).
# Terms a Dutch bookkeeper knows stay as they are: Fouten, Rapportage, open post, tussenrekening.

verbatim = { $text }
see-info = see `ccv-moneybird info { $id }`

## resolve
resolve-refused = payment #{ $id } ({ $reference }) is not resolved: { $why }
resolve-already = it is resolved already ({ $note })
resolve-booked-as = this tool booked it as Moneybird payment { $payment }; nothing is left to settle
resolve-booked = this tool booked it; nothing is left to settle
resolve-settling = its booking is being settled: the next sync reads the invoice to learn whether it arrived
resolve-never-paid = CCV reports it { $status }: it was never paid, and nothing needs settling
resolve-empty-note = the note is empty
resolve-empty-note-hint = say what was done, e.g. `--note "booked by hand on 2026-02-02"`
resolve-done = resolved: it is in Rapportage now, and never touched again (`ccv-moneybird resolve --undo { $id }` puts it back)
resolve-undo-nothing = payment #{ $id } ({ $reference }) is not resolved; nothing to undo
resolve-undone = is back in { $tab }
event-resolved = resolved outside this tool: { $note }
event-resolution-undone = resolution undone ({ $note })
see-fouten = see `ccv-moneybird status --tab fouten`
not-a-day = `{ $text }` is not a day: use YYYY-MM-DD or DD-MM-YYYY, e.g. 2026-11-26 or 26-11-2026

## tabs and tables
tab-open = Open
tab-rapportage = Rapportage
tab-fouten = Fouten
tab-closed = Closed
column-id = id
column-tab = tab
column-date = date
column-amount = amount
column-method = method
column-reference = CCV reference
column-invoice = invoice
column-reason = reason
under-invoice = invoice { $invoice }
reason-pending = pending at CCV
reason-manual-intervention = manual intervention at CCV: contact CCV support
reason-paid-not-booked = paid; booked by the next run
reason-ccv-status = CCV status { $status }
reason-resolved = resolved: { $note }
reason-difference = booked { $booked }; { $difference } stays on the tussenrekening
reason-rounding = { $rounding } closed as a rounding difference

## why a payment is not booked (the Fouten reason)
rule-invoice-number = invoice number
rule-invoice-reference = invoice reference
rule-payment-reference = payment reference
refused-ambiguous = { $count } open posts match by { $rule } ({ $matched }): { $invoices }; nothing was booked
refused-still-ambiguous = { $candidates }; nothing is booked until a person names the invoice
candidates-none-open = none of the candidates ({ $all }) is open any more
candidates-one-open = of the candidates ({ $all }) only { $open } is still open
candidates-several-open = { $count } open posts match: { $all }
refused-booked-by-hand = invoice { $invoice } was paid by hand with { $amount } on { $date } (Moneybird payment { $payment }) after this payment came in; nothing was booked
refused-nothing-to-match-by = the payment carries no order reference or description to find its invoice by
refused-no-open-post = no open invoice matches { $said }
refused-no-open-post-either = no open invoice matches { $said } or { $other }
refused-already-booked = invoice { $invoice } already holds Moneybird payment { $payment } with this transaction id for { $amount }, not made by this tool
refused-already-booked-unknown-amount = invoice { $invoice } already holds Moneybird payment { $payment } with this transaction id for an unknown amount, not made by this tool
refused-invoice-gone = invoice { $invoice } no longer exists in Moneybird
refused-not-open = invoice { $invoice } is { $state } and takes no payment
refused-currency = the payment is in { $currency } but invoice { $invoice } is in { $invoice_currency }
refused-exceeds-open = the payment of { $amount } is more than the { $open } still open on invoice { $invoice }
refused-partial = the payment of { $amount } is less than the { $open } open on invoice { $invoice }, and partial payments are off (booking.allow_partial)
refused-period-locked = the booking date { $date } lies in the period locked until { $locked }
refused-ledger-unknown = payment method { $method } is mapped to `{ $id }` under [ledger_accounts], which is no ledger account in Moneybird; nothing was posted
refused-ledger-inactive = payment method { $method } is mapped to ledger account { $id } (“{ $name }”), which is not active in Moneybird; nothing was posted
refused-unreadable = CCV's transaction cannot be read: { $reason }
resolution-booked-elsewhere = booked outside this tool: Moneybird payment { $payment } on invoice { $invoice }, dated { $date }

## a payment's history (info)
event-not-booked = not booked: { $why } ({ $code })
event-already-ours = already booked in Moneybird as payment { $payment } on invoice { $invoice }; recorded, not booked again
event-booked-elsewhere = Moneybird already holds it, booked outside this tool for the same amount (payment { $payment } on invoice { $invoice }); accounted for, not booked again
event-booking = booking on invoice { $invoice }
event-answer-without-reference = Moneybird's answer does not carry the transaction id { $reference } (it says { $said }); check payment { $payment } in Moneybird
event-booked = booked: Moneybird payment { $payment }
event-outcome-unclear = outcome unclear ({ $error }); the next run reads the invoice before doing anything
event-refused-by-moneybird = Moneybird refused the booking: { $why } ({ $code })
event-rounding-closed = closed the rest of invoice { $invoice } with a rounding payment of { $amount } (Moneybird payment { $payment })
event-rounding-refused = the rounding payment of { $amount } was refused ({ $error }); invoice { $invoice } keeps that much open
event-latest-unreadable = CCV's latest answer about it could not be read: { $reason }
event-fetched-unreadable = fetched from CCV, but not readable: { $reason }
event-belongs-to-link = belongs to payment link { $link }
event-fetched = fetched from CCV, status { $status }
event-ccv-status = CCV status { $from } → { $to }
event-interrupted-not-there = not in Moneybird after an interrupted run; it will be matched and booked again
event-interrupted-found = found booked in Moneybird (payment { $payment }) after an interrupted run

## runs
progress-fetching = fetching payments from CCV
progress-open-posts = reading the open posts from Moneybird
progress-matching = matching
progress-booking = booking
stop-unclear-booking = Moneybird did not answer clearly while booking { $reference }: { $error }
stop-unclear-rounding = Moneybird did not answer clearly while closing invoice { $invoice } with a rounding payment: { $error }
skipped-moneybird = Moneybird { $what }
skipped-ccv-nameless = CCV transaction without a reference: { $what }
sync-booked = booked { $reference } { $amount } on invoice { $invoice }
sync-booked-more = … and { $count } more; `ccv-moneybird status --tab rapportage` lists them all.
sync-not-booked = { $count ->
        [one] { $count } payment could not be booked (tab Fouten):
       *[other] { $count } payments could not be booked (tab Fouten):
    }
sync-back-in-fouten = { $count ->
        [one] { $count } booked payment is back in Fouten (its booking stands or was changed in Moneybird):
       *[other] { $count } booked payments are back in Fouten (their bookings stand or were changed in Moneybird):
    }
log-cannot-open = cannot open the log { $path }: { $error }
log-cannot-open-hint = give --log a file in a folder you can write to (or leave --log out)
schedule-nothing-to-remove = No schedule of this config is installed; nothing was changed.
schedule-removed-cron = Removed { $count } line(s) of this config from your crontab; the other lines are as they were.
schedule-removed-systemd = Stopped the timers and removed { $count } unit file(s) from { $dir }.
doctor-schedule-elsewhere = the installed cron lines run another binary, config, state or log than this shell would
doctor-schedule-elsewhere-fix = run `ccv-moneybird schedule --install` again from the shell you set up (see `ccv-moneybird schedule` for the lines it would install)
sync-first-window = First run: looked at CCV payments created since { $day } ([booking] first_sync_days). Older ones: `ccv-moneybird sync --since { $earlier }`.
warning-prefix = warning:
credentials-readable = { $path } can be read by others (mode { $mode }) and holds secrets: run `chmod 600 { $path }`
sync-see-fouten = Run `ccv-moneybird status --tab fouten` for the list.
amount-unreadable = { $amount } (unreadable, as CCV sent it)
sync-payout-needs-a-look = Payout { $reference } needs a look: { $why } (see `ccv-moneybird payouts`)
light-payouts-ok = { $waiting ->
    [0] every payout is linked
    [one] 1 payout waiting for its bank line
   *[other] { $waiting } payouts waiting for their bank lines
    }
light-payouts-attention = { $look } need a look, { $late } waiting over 3 days for the bank line
light-payouts-fix = run `ccv-moneybird payouts` to see which and why
light-payouts-name = Payouts
sync-left-out = left out, cannot be read: { $what }
dry-would-book = would book { $reference } { $amount } on invoice { $invoice } dated { $date }
dry-would-not-book = would not book { $reference } { $amount }: { $code }: { $message }
dry-nothing = Nothing to book.
dry-totals = Totals (dry run: nothing was written, here or in Moneybird):
dry-outcome-book = would book
dry-outcome-already = already in Moneybird

## errors of a run
error-no-administration = the Moneybird token has no access to administration { $id }
error-no-administration-hint = check `administration_id` under [moneybird], or run `ccv-moneybird connect moneybird` again
error-moneybird-token = Moneybird refused the token: { $message }
error-moneybird-token-hint = run `ccv-moneybird connect moneybird` again (or check MONEYBIRD_TOKEN); nothing was lost
error-ccv-key = CCV refused the API key (401)
error-ccv-key-hint = run `ccv-moneybird connect ccv` again with a valid key (or check CCV_API_KEY)
error-ccv-blocked = CCV blocked the request (403): { $body }
error-ccv-blocked-hint = CCV blocks unknown IP addresses; ask CCV support to allow this machine
error-ccv-fetch = cannot fetch payments from CCV
error-moneybird-request = the request to Moneybird failed

## retry
retry-refused = payment #{ $id } ({ $reference }) is not retried: { $why }
retry-resolved = it was resolved outside this tool ({ $note }); `ccv-moneybird resolve --undo { $id }` puts it back
retry-booked-as = it is already booked as Moneybird payment { $payment } on invoice { $invoice }
retry-booking-gone = its Moneybird payment { $payment } is no longer there (checked just now); `ccv-moneybird recheck` puts it in Fouten as drift, after which `ccv-moneybird retry` books it again
retry-booked = it is already booked
retry-never-paid = CCV reports it { $status }: it was never paid
retry-booked-by-hand = a candidate invoice was paid by hand with this amount since this payment came in; if that is this payment run `ccv-moneybird resolve { $id } --note "…"`
retry-already-booked = Moneybird already holds a payment with this transaction id that this tool did not make; run `ccv-moneybird resolve { $id } --note "…"`, or delete that payment in Moneybird and run `ccv-moneybird retry { $id } --invoice NUMBER`
retry-nothing = Nothing in Fouten that a retry can help.
retry-no-such-invoice = no open invoice is named `{ $label }`; nothing was booked
retry-open-candidates = the open candidates are: { $candidates }
retry-name-an-open-invoice = give the invoice number, or an external invoice's reference, of an open invoice in Moneybird
pick-invoice = invoice { $invoice }: { $customer }, { $amount } open, dated { $date }
pick-none = none of these: leave it in Fouten
pick-prompt = Payment #{ $id } ({ $reference }, { $amount }) fits several open invoices. Book it on
retry-was-in-moneybird = #{ $id } { $reference } was already in Moneybird: { $note }
retry-booked-on = #{ $id } { $reference } booked on invoice { $invoice }
retry-not-paid-yet = CCV reports it { $status }; it is booked once CCV reports it paid
retry-waiting = it is waiting for the next run
retry-name-the-invoice = name the invoice: `ccv-moneybird retry { $id } --invoice NUMBER`
retry-name-the-invoice-of = name the invoice: `ccv-moneybird retry { $id } --invoice NUMBER` (open candidates: { $candidates })
retry-still-not-booked = payment #{ $id } ({ $reference }) is still not booked: { $why }
retry-several-not-booked = { $count } of { $total } payments are still not booked

## what to do about a Fouten row ("Meer info"); each ends in a retry or resolve
advice-no-open-post = Make sure the invoice exists in Moneybird and is sent (not a draft), and that the CCV order reference or description names its number or reference; then run `ccv-moneybird retry { $id }`. To book it on an invoice of your choice: `ccv-moneybird retry { $id } --invoice NUMBER`. Not for an invoice at all? Run `ccv-moneybird resolve { $id } --note "…"`.
advice-ambiguous-match = Several open invoices fit, so nothing is booked until you choose: `ccv-moneybird retry { $id } --invoice NUMBER` (at a terminal, `ccv-moneybird retry { $id }` lets you pick). Booked it by hand already? Run `ccv-moneybird resolve { $id } --note "…"`.
advice-amount-exceeds-open = The customer paid more than is open. Correct the invoice in Moneybird and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`. A small difference can be allowed with booking.rounding_tolerance.
advice-currency-mismatch = The payment and the invoice are in different currencies. Correct the invoice's currency and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-invoice-not-open = The invoice is paid, a draft, or uncollectible. Sent or reopened it in Moneybird? Run `ccv-moneybird retry { $id }`. The customer paid twice? Refund one payment in CCV, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-period-locked = The payment date lies in a period closed in Moneybird. Reopen the period and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-already-booked = Moneybird already holds a payment with this transaction id for another amount, not made by this tool. If it is right, run `ccv-moneybird resolve { $id } --note "…"`. If it is wrong, delete it in Moneybird and run `ccv-moneybird retry { $id } --invoice NUMBER`.
advice-moneybird-rejected = Moneybird refused the booking; its message says why. Fix the cause in Moneybird (e.g. the tussenrekening of this method) and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-partial-payment = The payment is less than the open amount, and partial payments are off (booking.allow_partial). Allow them and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-booked-by-hand = A candidate invoice was paid by hand with this amount after this payment came in, so nothing was booked. If that is this payment, run `ccv-moneybird resolve { $id } --note "…"`. If it is another payment, book this one by hand on its own invoice (typing { $reference } in the transaction-id field) and run `ccv-moneybird resolve { $id } --note "…"`. If the customer paid twice, refund one payment in CCV and run `ccv-moneybird resolve { $id } --note "…"`.
advice-unreadable = CCV sent this transaction in a form that cannot be read (see the raw data in `ccv-moneybird report { $id }`). Ask CCV support to correct it and run `ccv-moneybird retry { $id }`; or book it by hand in Moneybird, typing { $reference } in the transaction-id field, then run `ccv-moneybird resolve { $id } --note "…"`.
advice-ledger-account-unknown = Map this payment method to an existing, active ledger account, e.g. `ccv-moneybird connect moneybird --ledger-account METHOD=ID` (or METHOD=new, or METHOD=none), then run `ccv-moneybird retry { $id }` or `ccv-moneybird retry --all-fouten`.

## info ("Meer info")
info-title = Payment #{ $id } · { $reference }
info-tab = Tab
info-reason = Reason
info-what-to-do = What to do
info-resolved = Resolved
info-resolved-undo = Never touched again; `ccv-moneybird resolve --undo { $id }` puts it back.
info-booked = Booked
info-booked-as = Moneybird payment { $payment } on invoice { $invoice }, dated { $date }, for { $amount }
info-difference = Difference
info-difference-text = { $amount } more than was open, within booking.rounding_tolerance; it stays on the tussenrekening
info-rounding = Rounding
info-rounding-text = { $amount } closed as a rounding difference (a `rounding_error` payment), so the invoice is paid
info-status-paid = { $status } at { $at }
info-field-status = status
info-field-amount = amount
info-field-method = method
info-field-created = created
info-field-order = order ref
info-field-description = description
info-paid-through = paid through { $child } (payment link)
info-matching = Matching
info-not-matched = not matched yet
info-field-rule = rule
info-field-found-by = found by
info-no-rule = none matched: no invoice number, reference or payment reference of an open invoice appears in the order reference or description
info-field-by-hand = by hand
info-by-hand = Moneybird payment { $payment } on invoice { $invoice }: { $amount } on { $date }, no transaction id
info-candidates = candidates
info-open = open
info-moneybird = Moneybird
info-not-asked = could not be asked just now ({ $why }); what follows is as last seen
info-booking-gone = no longer holds payment { $payment } (checked just now): someone deleted it or its invoice; the nightly recheck puts it in Fouten as drift
info-by-hand-gone = payment { $payment } on invoice { $invoice } is no longer in Moneybird (checked just now); `ccv-moneybird retry` looks again
info-invoice-gone = gone
info-history = History
info-last-request = Last Moneybird request
info-no-request = none: nothing was sent to Moneybird for this payment
info-sent = sent
info-answer = answer
info-no-answer = none (no answer came)
info-as-ccv-reported = As CCV reported it

## status
status-filter-without-tab = --since and --limit choose rows of a tab, and the dashboard lists none
status-filter-without-tab-hint = add `--tab all` (or a tab's name), or `--json`
status-no-state = No state at { $path } yet: run `ccv-moneybird sync`.
status-no-payments = No payments here.
status-config = Config
status-state = State
status-no-state-yet = No state yet: run `ccv-moneybird sync`.
status-no-run-yet = No sync has run yet: run `ccv-moneybird sync`.
status-last-run = Last successful run: { $pass } at { $at }: { $booked } booked, { $errors } new in Fouten
status-last-run-stopped = Last successful run: { $pass } at { $at }: { $booked } booked, { $errors } new in Fouten; stopped early: { $why }
light-not-connected = not connected: no credential
light-connect = run `ccv-moneybird connect { $service }`
light-not-contacted = not contacted yet
light-connected = connected (last answer { $at })
light-refused = refused the credential at { $at }: { $why }
light-refused-fix = run `ccv-moneybird connect { $service }` again (or check { $variable })
light-failing = failing since { $at }: { $why }
light-failing-fix = check this machine's connection to { $name }; the next run tries again, nothing is lost
credentials-test-key = test API key
credentials-live-key = live API key
credentials-key = API key
credentials-personal-token = personal API token
credentials-oauth = OAuth grant

## config
config-bad-language = [ui] language `{ $value }` is not a language this tool speaks
config-bad-language-hint = write "nl" (Nederlands) or "en" (English), or leave it out to follow the locale (LANG)

## errors
error-prefix = error:
error-caused-by = Caused by:
error-hint = hint:
source-env = from { $variable }
source-stored = stored by `connect`

## doctor
doctor-check-config = config
doctor-check-ccv_key = CCV API key
doctor-check-moneybird_credential = Moneybird credential
doctor-check-administration = administration
doctor-check-scopes = Moneybird scopes
doctor-check-ledger_accounts = tussenrekening
doctor-check-timezone = time zone
doctor-check-clock = clock
doctor-check-state = state database
doctor-check-ccv_dialect = CCV's answers
doctor-ccv-time-form = CCV takes its time filters as { $form } (learnt from its answers)
doctor-ccv-time-form-unknown = not learnt yet: the first sync asks in epoch milliseconds, and in ISO 8601 if CCV refuses that
doctor-time-form-epoch = epoch milliseconds
doctor-time-form-iso = ISO 8601
doctor-check-schedule = schedule
doctor-check-last_run = last successful run
doctor-config-fix = compare the config with config.example.toml, which lists every key
doctor-no-credential = no credential
doctor-ccv-ok = { $source }; methods: { $methods }
doctor-no-administration = no administration is configured
doctor-scope-fix = give the token the scopes sales_invoices and settings (and bank for [payouts]): run `ccv-moneybird connect moneybird` again (a personal token: tick the boxes in Moneybird)
doctor-no-ledger-accounts = no payment method is mapped to a tussenrekening: payments are booked without one
doctor-ledger-fix = run `ccv-moneybird connect moneybird`, or set [ledger_accounts] in the config (METHOD = "ID")
doctor-timezone = { $zone } (now UTC{ $offset }): booking dates are calendar days there
doctor-clock-unknown = no service answered, so the clock could not be compared
doctor-clock-unknown-fix = fix the connections above and run `ccv-moneybird doctor` again
doctor-clock-ok = within { $seconds } s of the servers' clock
doctor-clock-off = this machine's clock is { $seconds } s off the servers' ({ $server }): payments near midnight could get the wrong booking date
doctor-clock-fix = let the clock follow the network time, e.g. `timedatectl set-ntp true`
doctor-state-fix = restore the state file from a backup, or move it aside and run `ccv-moneybird sync` (a lost state file books nothing twice)
doctor-run-sync = run `ccv-moneybird sync`
doctor-scheduled = installed ({ $how })
doctor-not-scheduled = no hourly sync or nightly recheck is scheduled for this config
doctor-schedule-fix = run `ccv-moneybird schedule --install` (or `--systemd --install`)
doctor-last-run = { $pass } at { $at }
doctor-last-run-old = { $pass } at { $at }, longer ago than an hourly schedule allows
doctor-last-run-fix = see what the scheduled runs said in { $log } (or `journalctl --user -u ccv-moneybird-sync`)
doctor-summary = { $failed ->
        [0] Everything checked is in order.
        [one] One check failed.
       *[other] { $failed } checks failed.
    }

## schedule
schedule-no-binary = cannot tell where this program is installed
schedule-crontab-failed = cannot run `crontab`
schedule-crontab-unreadable = `crontab -l` failed: { $said }
schedule-crontab-refused = `crontab -` refused the new crontab; nothing was changed
schedule-crontab-hint = check that cron is installed and that you may use it (/etc/cron.allow), or use `--systemd`
schedule-no-crontab = there is no `crontab` command on this machine
schedule-no-crontab-hint = install cron, or use systemd timers: `ccv-moneybird schedule --systemd --install`
schedule-already = The crontab already holds these entries; nothing changed.
schedule-installed-cron = Added to your crontab (what the runs say goes to { $log }, and cron mails it to you):
schedule-no-home = cannot tell where your systemd user units go
schedule-no-home-hint = set HOME or XDG_CONFIG_HOME
schedule-cannot-write = cannot write { $path }
schedule-installed-systemd = Wrote the units to { $dir } and started the timers; `systemctl --user list-timers 'ccv-moneybird*'` shows them.
schedule-systemctl-failed = cannot run `systemctl`
schedule-systemctl-refused = `systemctl { $args }` failed
schedule-systemctl-hint = is a systemd user session running? (`loginctl enable-linger $USER` keeps the timers running while you are logged out)
kind-sales-invoice = sales invoice
kind-external = external sales invoice

## files and paths
file-cannot-read = cannot read { $path }
file-cannot-create = cannot create { $path }
lock-cannot-open = cannot open the lock file { $path }
lock-cannot-lock = cannot lock { $path }
lock-held = another ccv-moneybird run holds the lock { $path }; nothing was done
lock-held-hint = this is normal when a sync overlaps the previous one; the next run picks up what is left
no-such-payment = no payment `{ $wanted }` is known
no-such-payment-hint = use the id from `ccv-moneybird status --tab all`, or a CCV reference
store-none = no state at { $path } yet
store-none-hint = run `ccv-moneybird sync` first (or check `path` under [state] in the config)
store-empty-file = { $path } is an empty file, not a state database of this tool
store-other-database = { $path } is an SQLite database of something else, not a state database of this tool
store-post-unreadable = a cached open post is unreadable
store-cannot-open = cannot open the state database { $path }
store-newer = the state database { $path } was written by a newer version of ccv-moneybird (schema { $version }, this one knows { $known })
store-newer-hint = install the newer version again; this one will not touch its data
store-cannot-create-dir = cannot create the directory { $path }: { $error }
store-cannot-create-dir-hint = point `path` under [state] in the config at a place this user can write to
config-cannot-read = cannot read the config file { $path }
config-cannot-write = cannot write the config file { $path }
config-bad-timezone = booking.timezone `{ $value }` is not a time zone
config-bad-timezone-hint = use an IANA name such as "Europe/Amsterdam"
config-bad-tolerance = booking.rounding_tolerance `{ $value }` is not an amount in euros
config-bad-tolerance-hint = write it as a string with at most two decimals, e.g. "0.01"
config-tolerance-too-large = booking.rounding_tolerance `{ $value }` is more than 1.00: a tolerance that large writes off real money without anyone seeing it
config-tolerance-too-large-hint = set [booking] rounding_tolerance to at most "1.00" (e.g. "0.01"), and book larger differences by hand
report-exists = { $path } exists already; a report never overwrites a file
report-exists-hint = name a new file with --output, or leave it out for a name of its own
config-no-administration = no Moneybird administration is configured in { $path }
config-no-administration-hint = run `ccv-moneybird connect moneybird`, or set `administration_id` under [moneybird]
config-invalid = the config file { $path } is not valid{ $place }: { $error }
config-place = { " " }at line { $line }, column { $column }
config-edit-invalid-hint = fix it by hand first; compare it with config.example.toml
config-bad-url = { $key } `{ $value }` is not a URL: { $error }
config-bad-url-hint = write it as e.g. "https://{ $host }"
config-not-https = { $key } `{ $value }` must use https
config-not-https-hint = plain http is allowed only for loopback hosts (127.0.0.1, ::1, localhost), where the sandbox runs
config-no-home = neither XDG_CONFIG_HOME/XDG_DATA_HOME nor HOME is set
credentials-damaged = the credentials file { $path } is damaged: { $error }
credentials-damaged-hint = run `ccv-moneybird connect ccv` and `ccv-moneybird connect moneybird` again
credentials-cannot-save = cannot save the credentials in { $path }
credentials-unchanged = the credentials were not changed
credentials-no-ccv-key = no CCV API key is set
credentials-no-moneybird-token = no Moneybird token is set
credentials-set-hint = run `ccv-moneybird connect { $service }`, or set { $variable }
oauth-invalid-grant = the access token expired and the refresh token was refused (invalid_grant)
oauth-invalid-client = the access token expired and the OAuth client was refused (invalid_client)
oauth-renewal-failed = renewing the access token failed: { $message }
oauth-cannot-lock = the lock beside the credentials cannot be taken ({ $error })
error-oauth-not-stored-hint = nothing was booked with it; make room on the disk or make the credentials folder writable, then run again (if Moneybird then refuses the old token, run `ccv-moneybird connect moneybird` once)
oauth-not-saved = the renewed access token could not be saved: { $error }
oauth-error-grant = Moneybird refused the grant (invalid_grant): { $message }
oauth-error-client = Moneybird refused the OAuth client (invalid_client): check client_id and the client secret
oauth-error-other = the OAuth exchange with Moneybird failed: { $message }
oauth-no-answer = no answer: { $message }
oauth-unreadable-answer = unreadable answer: { $message }
oauth-browser-timeout = no answer came from the browser within { $minutes } minutes
oauth-not-granted = Moneybird did not grant access: { $error }
oauth-answer-no-code = the answer from Moneybird held no code
oauth-pasted-other-login = the pasted address belongs to another login (its `state` differs)
oauth-pasted-no-code = the pasted address holds no code
oauth-not-a-code = that is not an authorization code
oauth-page-not-found = Not found
oauth-page-other-login = This answer does not belong to this login. You can close this tab.
oauth-page-not-granted = Access was not granted. You can close this tab.
oauth-page-no-code = No code came with this answer.
oauth-page-connected = ccv-moneybird is connected to Moneybird. You can close this tab.
progress-rate-limit = waiting { $seconds }s for Moneybird's rate limit

## connect
connect-stdin-empty = no { $what } came on standard input
connect-stdin-empty-hint = pipe the { $what } in, e.g. `… < file`
connect-pipe-or-set = pipe it into `{ $flag }`, or set { $variable }
connect-set = set { $variable }
connect-no-terminal = there is no terminal to ask for the { $what }
connect-what-ccv-key = CCV API key
connect-what-moneybird-token = Moneybird token
connect-what-client-secret = OAuth client secret
connect-prompt-ccv-key = CCV API key (CCV dashboard › Configuratie › API sleutels)
connect-prompt-moneybird-token = Moneybird personal API token (Instellingen › Externe applicaties › Nieuwe API-token)
connect-prompt-client-secret = Client secret of your Moneybird OAuth application
connect-ccv-empty = the API key is empty; nothing was stored
connect-ccv-empty-hint = copy it again from the CCV dashboard
connect-ccv-refused = CCV refused this API key (401); nothing was stored
connect-ccv-refused-hint = copy the key again from the CCV dashboard: Configuratie › API sleutels
connect-ccv-blocked = CCV blocked the request (403); nothing was stored
connect-unreachable = cannot reach { $service } at { $url }: { $message }; nothing was stored
connect-unreachable-hint = check the network connection, and `base_url` under [{ $section }]
connect-ccv-not-understood = CCV's answer to the key check was not understood; nothing was stored
connect-ccv-test-key = a test key (t_…): payments are simulated
connect-ccv-live-key = a live key (l_…)
connect-ccv-unknown-key = a key of unknown kind (neither t_ nor l_)
connect-ccv-connected = Connected to CCV with { $kind }.
connect-ccv-no-methods = No payment methods are active for this key.
connect-ccv-methods = Active payment methods: { $methods }.
connect-ccv-stored = The key is stored in { $path } (owner only).
connect-moneybird-refused = Moneybird refused this token: { $message }; nothing was stored
connect-moneybird-refused-hint = make a new personal API token in Moneybird (scopes sales_invoices and settings) and try again
connect-nothing-stored = nothing was stored
connect-moneybird-connected = Connected to Moneybird administration “{ $name }” ({ $id }).
connect-moneybird-stored = The token is stored in { $path } (owner only); the administration in { $config }.
connect-no-such-administration = this token has no access to administration { $id }; nothing was stored
connect-it-sees = it sees: { $administrations }
connect-no-administration = this token sees no administration; nothing was stored
connect-no-administration-hint = make the token in the administration the payments belong to
connect-pick-administration = Which administration do the CCV payments belong to?
connect-several-administrations = this token sees { $count } administrations; nothing was stored
connect-several-administrations-hint = pick one with `--administration ID`: { $administrations }
connect-cannot-listen = Cannot listen on { $address } for Moneybird's answer ({ $error }); paste it instead.
connect-open-address = Open this address in a browser, log in to Moneybird and allow access:
connect-paste-code = Then paste the code Moneybird shows, or the whole address the browser ends on:
connect-waiting = Waiting for Moneybird to send the browser back to { $address }…
connect-no-answer = no answer came from Moneybird
connect-client-refused = Moneybird refused the OAuth client; nothing was stored
connect-client-refused-hint = check client_id under [moneybird.oauth] and { $variable }
connect-code-not-exchanged = the code could not be exchanged for a token; nothing was stored
connect-cannot-read-ledgers = cannot read the ledger accounts
connect-ledgers-unchanged = Tussenrekeningen not changed: map them with `--ledger-account METHOD=ID` (methods: { $methods }).
connect-no-tussenrekening = no tussenrekening
connect-bad-pair = `--ledger-account { $pair }` is not METHOD=ID
connect-bad-pair-hint = write it as e.g. `--ledger-account ideal=4960817000000000001` (or `ideal=new`, `ideal=none`)
connect-no-such-method = CCV offers no payment method `{ $method }` on this account; the mapping was not changed
connect-methods-offered = the methods CCV offers are: { $methods }
connect-no-such-ledger = Moneybird has no ledger account { $id }; the mapping was not changed
connect-pick-one-of = pick one of: { $ledgers }
connect-ledger-existing = Using the existing ledger account “{ $name }” ({ $id }).
connect-cannot-create-ledger = cannot create the ledger account “{ $name }”
connect-ledger-wrong-type = Moneybird made “{ $name }” ({ $id }) as a { $kind } account, not an active current-assets account; the mapping was not changed
connect-ledger-wrong-type-hint = pick an existing tussenrekening with `--ledger-account METHOD=ID`, or fix the account in Moneybird
connect-ledger-created = Created the ledger account “{ $name }” ({ $id }).
connect-using-stored = Using the Moneybird credential stored before (pipe a new token in with --token-stdin to replace it).
connect-not-a-tussenrekening = { $ledger } cannot be a tussenrekening: only an active current-assets account that is not the debtors' or a bank's can
connect-stored-refused = Moneybird no longer takes the stored credential; a new one is needed.
connect-keep = keep { $current }
connect-create = create “Tussenrekening CCV { $method }”
connect-pick-tussenrekening = Tussenrekening for CCV payments by { $method }

## report and demo
report-cannot-write = cannot write the report to { $path }: { $error }
report-wrote = Wrote { $path }
report-mail-body = The problem report is attached: { $path }
demo-shop = Demo shop: { $transactions } CCV transactions, { $open_posts } open invoices in Moneybird (sandbox at { $url }).
demo-rate-limit = Its rate limit is Moneybird's 150 requests, per { $seconds } s instead of 5 minutes.
demo-running = Running `ccv-moneybird sync` against it…
demo-kept = The demo's state is kept in { $dir }. Look further with:
demo-keep-hint = Run `ccv-moneybird demo --dir DIR` to keep the state and look around with `status`.
demo-summary = Fetched { $fetched } payments, booked { $booked }, { $errors } need a look.
demo-requests = Moneybird requests: { $requests } ({ $per_payment } per booked payment).
demo-tab = { $tab } ({ $count }):
demo-tab-newest = { $tab } ({ $count }), newest 5:
demo-tab-open = Open: waiting for CCV
demo-tab-rapportage = Rapportage: booked or settled
demo-tab-fouten = Fouten: need a look
demo-tab-closed = Closed: never paid

## the services' answers
moneybird-unauthorized = Moneybird refused the token (401): { $message }
moneybird-not-found = Moneybird does not know it (404): { $message }
moneybird-rejected = Moneybird refused the request ({ $status }): { $message }
moneybird-rate-limited = Moneybird's rate limit asks to wait { $seconds }s, longer than this run may wait
moneybird-server = Moneybird answered { $status }: { $message }
moneybird-transport = no answer from Moneybird at { $url }: { $message }
moneybird-malformed = Moneybird's answer could not be read: { $message }
ccv-status = CCV answered { $status }: { $body }
ccv-transport = no answer from CCV at { $url }: { $message }
ccv-not-an-object = a transaction is not a JSON object
ccv-no-reference = a transaction has no `reference`
ccv-no-field = transaction { $reference } has no `{ $field }`
ccv-unknown-type = transaction { $reference } has an unknown `type` `{ $kind }`
ccv-amount-not-a-number = transaction { $reference }: amount `{ $amount }` is not an amount
ccv-amount-sub-cent = transaction { $reference }: amount `{ $amount }` has more than two decimals
ccv-amount-too-large = transaction { $reference }: amount `{ $amount }` is too large
ccv-amount-implausible = transaction { $reference }: amount { $amount } lies above 1,000,000,000
ccv-no-payment = transaction { $reference }: a { $kind } of { $amount } is no payment
ccv-no-created = transaction { $reference } has no readable `created` time
ccv-before-2000 = transaction { $reference }: `created` { $created } lies before 2000
ccv-future = transaction { $reference }: `created` { $created } lies more than 24 hours after this run's clock
ccv-state-pending = pending
ccv-state-success = paid
ccv-state-failed = failed
ccv-state-manual-intervention = manual intervention
ccv-malformed = CCV's answer could not be read: { $message }
ccv-rate-limited = CCV refused the same request for its rate limit { $times } times in a row, each time after waiting as asked
ccv-time-filter-refused = CCV refused the time filter both as epoch milliseconds ({ $epoch }) and as ISO 8601 ({ $iso }); the assumption that its list filters on creation time failed
ccv-stuck-now = now
ccv-stuck-outside = asked for transactions created after { $after } and before { $before }, it answered one created at { $at }
ccv-stuck-repeated = asked for transactions created after { $after } and before { $before }, it answered only transactions it had sent before
ccv-stuck = CCV's list makes no progress: { $what }; the assumption that it filters on createdAfter/createdBefore failed, so nothing was booked
answer-too-large = { $service } sent an answer of { $size } or more, over the limit of { $limit }; it was not read
moneybird-throttled = Moneybird refused the same request for its rate limit { $times } times in a row, each time after waiting as asked
error-ccv-rate-limited-hint = another program may be using the same CCV key heavily; nothing was booked twice; wait a few minutes and run `ccv-moneybird sync` again
error-ccv-too-large-hint = this is no normal CCV answer (a proxy or a fault at CCV); nothing was booked from it; if it persists, contact CCV support
error-ccv-unreadable-hint = nothing was booked from this answer; run `ccv-moneybird doctor` and, if it persists, contact CCV support
error-moneybird-throttled-hint = another program may be using the same Moneybird token; nothing was booked twice; wait a few minutes and run `ccv-moneybird sync` again
rule-named-by-person = named by a person
rule-transaction-identifier = transaction identifier
error-internal = internal error (a bug in ccv-moneybird): { $message }{ $at }
error-internal-hint = nothing is booked twice because of it; please report it with `ccv-moneybird --version` and what you ran
advice-changed-after-booking = CCV reports a refund, chargeback or reversal of this payment after it was booked; the booking still stands in Moneybird. A refund of goods: make a credit invoice in Moneybird for what was refunded, then run `ccv-moneybird resolve { $id } --note "…"`. A chargeback or reversal (the money went back): `ccv-moneybird retry { $id } --undo-booking` deletes this tool's payment, so the invoice is open again. Handled it otherwise? Run `ccv-moneybird resolve { $id } --note "…"`.
advice-drift = Someone deleted or changed this tool's payment in Moneybird, so the books no longer show it as it was; nothing was booked again by itself. Deleted by mistake? `ccv-moneybird retry { $id }` books it again. On purpose (e.g. booked elsewhere)? Run `ccv-moneybird resolve { $id } --note "…"`.

## after booking
change-refund = refund
change-chargeback = chargeback
change-reversal = reversal
change-chargeback-reversal = chargeback reversal
event-change = { $kind } { $reference } of { $amount } at CCV, status { $status }
event-change-never-booked = this tool never booked the payment, so nothing changes in Moneybird
changed-undone = { $amount } went back through a chargeback or reversal; the booking of { $booked } on invoice { $invoice } still stands in Moneybird
changed-refunded = refunded in full ({ $amount }); the booking of { $booked } on invoice { $invoice } still stands in Moneybird
changed-partly-refunded = partly refunded: { $amount } of { $paid }; the booking of { $booked } on invoice { $invoice } stands
retry-changed-after-booking = its booking still stands in Moneybird and CCV reports money taken back since; `ccv-moneybird retry { $id } --undo-booking` deletes this tool's payment, or run `ccv-moneybird resolve { $id } --note "…"` once you handled it
resolve-undo-undone = payment #{ $id } ({ $reference }): its booking was deleted in Moneybird with `--undo-booking`, so there is nothing to put back
undo-not-changed = only a booking that CCV reports undone since (`changed_after_booking`) can be undone here
undo-partial-refund = only { $amount } of { $paid } was refunded, so the rest of the booking is right: make a credit invoice for the refunded part in Moneybird and run `resolve`
undo-not-ours = Moneybird payment { $payment } on invoice { $invoice } is no longer as this tool booked it (someone changed it), so it is left alone
undo-not-ours-hint = set it right in Moneybird yourself, then run `ccv-moneybird resolve { $id } --note "…"`
undo-unclear = Moneybird did not answer clearly while deleting the payment: { $error }
undo-unclear-hint = run `ccv-moneybird retry { $id } --undo-booking` again: it reads the invoice first, so nothing is deleted twice
resolution-booking-undone = booking undone: this tool's Moneybird payment { $payment } was deleted from invoice { $invoice }, which is open again
resolution-booking-gone = booking undone: Moneybird payment { $payment } was no longer on invoice { $invoice }
retry-undone = #{ $id } { $reference }: { $what }
info-after-payment = After payment
proposal-nothing-yet = nothing to do yet: no money has gone back so far
proposal-settled = settled: see the resolution above
proposal-undo = proposed: the money went back, so undo the booking: `ccv-moneybird retry { $id } --undo-booking` deletes this tool's Moneybird payment { $payment } and invoice { $invoice } is open again
proposal-credit-invoice = proposed: make a credit invoice in Moneybird for the { $amount } refunded (the goods came back) and book the refund on it, then `ccv-moneybird resolve { $id } --note "…"`; if the sale is undone altogether, `ccv-moneybird retry { $id } --undo-booking` deletes the booking instead
proposal-credit-invoice-partial = proposed: make a credit invoice in Moneybird for the { $amount } refunded; the booking of { $booked } stays as it is; then `ccv-moneybird resolve { $id } --note "…"`

## drift
drift-invoice-gone = invoice { $invoice } is no longer in Moneybird, nor this tool's payment on it; nothing was booked again
drift-deleted = this tool's Moneybird payment { $payment } was deleted from invoice { $invoice } by someone; nothing was booked again
drift-changed = this tool's Moneybird payment { $payment } on invoice { $invoice } was changed by someone: booked { $booked } on { $date }, now { $price_now } on { $date_now }

## export
export-backwards = --from { $from } lies after --to { $to }
export-backwards-hint = give the first day with --from and the last with --to, e.g. `--from 2026-10-01 --to 2026-12-31`
export-same-file = --output and --totals both name { $path }; one would overwrite the other
export-same-file-hint = give the totals a file of their own, e.g. `--totals totals.csv`
export-written = { $count ->
        [one] Wrote 1 payment.
       *[other] Wrote { $count } payments.
    }
export-cannot-write = cannot write the export to { $path }; nothing was written there

## several shops
config-bad-shop-name = `[[ccv.shops]]` needs a name of its own for each shop; `{ $name }` is empty or taken
config-bad-shop-name-hint = give each `[[ccv.shops]]` entry a different `name`, e.g. name = "fietsen"
credentials-no-shop-key = no CCV API key is set for shop { $shop }
store-read-only = the state database { $path } is read-only: nothing can be recorded, so nothing was booked
store-read-only-hint = give it back to the user the runs run as, writable: `chmod u+w { $path }` (and `chown` if another user owns it)
store-folder-read-only = the folder of the state database, { $folder }, is read-only: SQLite keeps its journal files there, so nothing could be recorded and nothing was booked
store-folder-read-only-hint = make the folder writable for the user the runs run as: `chmod u+w { $folder }`
store-journal-read-only = the state database's journal files cannot be written: { $files }; nothing was booked
store-journal-read-only-hint = make them writable again (`chmod u+w { $files }`), or, if no run is going on, move them away; SQLite recreates them
store-disk-full = the disk holding the state database { $path } is full: nothing more could be recorded; what was booked before stays recorded
store-disk-full-hint = free space on the disk of { $folder } (`df -h` shows it) and run again; nothing is booked twice
store-locked = the state database { $path } is locked by another program
store-locked-hint = close whatever has it open (an SQLite browser, a backup holding it) and run again
store-not-ours = { $path } is not a state database of this tool: { $error }
store-not-ours-hint = point [state] path in the config at another file, or move this one away; the next sync rebuilds the state from CCV and Moneybird without booking anything twice
shop-not-configured = shop `{ $shop }` is not under [[ccv.shops]] in the config any more
shop-health = shop { $shop }: { $why }
several-with-reference = more than one shop has a payment `{ $reference }`
several-with-reference-hint = name it by its id: { $ids }
connect-which-shop = this config has several CCV shops: say which one the key is for
connect-which-shop-hint = add `--shop NAME`; the shops are: { $shops }
shops-failed = { $count ->
        [one] one shop could not be read from CCV; the others were
       *[other] { $count } shops could not be read from CCV; the others were
    }
shop-failed = shop { $shop }: { $error }
column-shop = shop
info-shop = Shop
invoice-state-draft = a draft
invoice-state-open = open
invoice-state-scheduled = scheduled
invoice-state-pending-payment = pending payment
invoice-state-late = late
invoice-state-reminded = reminded
invoice-state-paid = paid
invoice-state-uncollectible = uncollectible
invoice-state-new = new
event-back-in-fouten = back in Fouten: { $why } ({ $code })
event-change-not-booked-yet = this tool has not booked the payment, so nothing changes in Moneybird; should it be booked later, it comes back in Fouten

## payouts
payout-held = payment { $reference } in it is not booked yet
payout-no-tussenrekening = method { $method } has no tussenrekening under [ledger_accounts]
payout-no-bank-line = its bank line has not arrived yet
payout-several-lines = { $count } bank lines fit ({ $lines }); link the right one by hand in Moneybird
payout-line-booked-otherwise = bank line { $line } is booked otherwise already
payout-booking-description = CCV payout { $reference }
stop-unclear-link = Moneybird did not answer clearly while linking bank line { $line }: { $error }
payouts-none = No payouts known yet (set up [payouts] in the config, then run `ccv-moneybird sync`).
payouts-column-reference = payout
payouts-column-payments = payments
payouts-column-gross = gross
payouts-column-received = received
payouts-column-costs = costs
payouts-line-under = bank line { $line }
payouts-column-line = bank line
payouts-column-state = state
payout-state-linked = linked
payout-state-waiting = waiting
payout-state-needs-a-look = needs a look
info-payout = Payout
doctor-check-payouts = payouts
doctor-payouts-bank = bank account { $id }
doctor-payouts-no-bank = [payouts] financial_account_id { $id } is no financial account of this administration
doctor-payouts-costs = costs account { $id }
doctor-payouts-no-costs = [payouts] costs_ledger_account_id { $id } is no active ledger account of this administration
doctor-payouts-fix = set the ids under [payouts] to the bank account (Moneybird › Bank) and an expenses ledger account for CCV's costs
demo-payouts = Then CCV pays out two days of payments, and their bank lines arrive; the nightly recheck links them:
demo-payouts-open = Left open on the payouts' bank lines: { $amount }: the tussenrekeningen are back at zero.
