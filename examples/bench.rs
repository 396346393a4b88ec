//! The benchmark: Moneybird requests per booked payment, time and memory, against the
//! sandbox, for this tool and for a naive strategy side by side.
//!
//! ```sh
//! cargo run --release --example bench                       # every scenario
//! cargo run --release --example bench -- hourly backfill   # some of them
//! cargo run --release --example bench -- --no-naive        # only this tool
//! ```
//!
//! The sandbox runs in a child process (this program, started again with `--sandbox`), so
//! the CPU time and peak memory printed are the client's alone.

use std::io::{BufRead as _, BufReader, Write as _};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ccv_moneybird::ccv::CcvClient;
use ccv_moneybird::clock::Clock;
use ccv_moneybird::config::Settings;
use ccv_moneybird::credentials::Secrets;
use ccv_moneybird::domain::{CcvFacts, CcvJson, InvoiceRef, Outcome, Tab};
use ccv_moneybird::money::Cents;
use ccv_moneybird::ops::Context;
use ccv_moneybird::store::Store;
use ccv_moneybird::sync::{self, Job, Pass, RunOptions};
use ccv_moneybird_sandbox::seed::NewInvoice;
use ccv_moneybird_sandbox::{CcvTransaction, Options, Sandbox};
use comfy_table::{CellAlignment, Table, presets};

/// The benchmark's "now": payments are spread over the 25 days before it.
const NOW: &str = "2026-11-20T12:00:00Z";
/// Moneybird's limit is 150 per 5 minutes; `ratelimited` keeps the 150 and shortens the
/// window so the run takes about a minute instead of five and a half hours.
const LIMITED_WINDOW: Duration = Duration::from_secs(1);

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Scenario {
    Hourly,
    Backfill,
    Scale,
    RateLimited,
}

impl Scenario {
    const ALL: [Scenario; 4] = [
        Scenario::Hourly,
        Scenario::Backfill,
        Scenario::Scale,
        Scenario::RateLimited,
    ];

    fn name(self) -> &'static str {
        match self {
            Scenario::Hourly => "hourly",
            Scenario::Backfill => "backfill",
            Scenario::Scale => "scale",
            Scenario::RateLimited => "ratelimited",
        }
    }

    fn parse(text: &str) -> Option<Scenario> {
        Scenario::ALL
            .into_iter()
            .find(|scenario| scenario.name() == text)
    }

    /// Open posts, and paid payments for the measured run.
    fn size(self) -> (usize, usize) {
        match self {
            Scenario::Hourly => (5_000, 20),
            Scenario::Backfill | Scenario::RateLimited => (10_000, 10_000),
            Scenario::Scale => (100_000, 100_000),
        }
    }

    fn rate_limited(self) -> bool {
        self == Scenario::RateLimited
    }
}

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--sandbox") {
        let scenario = Scenario::parse(&args[1]).expect("a scenario");
        return serve_sandbox(scenario);
    }
    if args.first().map(String::as_str) == Some("--measure") {
        let scenario = Scenario::parse(&args[1]).expect("a scenario");
        let row = if args[2] == "naive" {
            run_naive(scenario)?
        } else {
            run_ours(scenario)?
        };
        println!("{}", row.to_json());
        return Ok(());
    }
    // BENCH_LOG=ccv_moneybird=debug shows where a run spends its time.
    if let Ok(filter) = std::env::var("BENCH_LOG") {
        use tracing_subscriber::prelude::*;
        let targets: tracing_subscriber::filter::Targets =
            filter.parse().expect("BENCH_LOG is target=level,…");
        tracing_subscriber::registry()
            .with(
                tracing_subscriber::fmt::layer()
                    .with_writer(std::io::stderr)
                    .with_filter(targets),
            )
            .init();
    }
    let naive = !args.iter().any(|arg| arg == "--no-naive");
    let mut chosen: Vec<Scenario> = args.iter().filter_map(|arg| Scenario::parse(arg)).collect();
    if chosen.is_empty() {
        chosen = Scenario::ALL.to_vec();
    }
    println!("{}", machine());
    let mut rows = Vec::new();
    // Each measurement runs in a process of its own, so no run's memory or CPU time
    // shows in another's figures.
    for scenario in chosen {
        let strategies: &[&str] = if naive { &["ours", "naive"] } else { &["ours"] };
        for strategy in strategies {
            eprintln!("running {} ({strategy}) …", scenario.name());
            let output = Command::new(std::env::current_exe()?)
                .args(["--measure", scenario.name(), strategy])
                .stderr(Stdio::inherit())
                .output()?;
            anyhow::ensure!(
                output.status.success(),
                "the {} run failed",
                scenario.name()
            );
            let line = String::from_utf8(output.stdout)?;
            rows.push(Row::from_json(
                scenario,
                line.lines().last().unwrap_or_default(),
            )?);
        }
    }
    print_table(&rows);
    for row in &rows {
        if let Some([ccv, look_back, moneybird, in_payouts]) = row.nightly {
            println!(
                "nightly recheck after the {} scenario ({}), every payout flagged up to 25 days late: \
                 {ccv} CCV requests ({look_back} of them the payout look-back, {in_payouts} payments found in a payout), \
                 {moneybird} Moneybird requests",
                row.scenario.name(),
                row.strategy
            );
        }
    }
    let status = time_status(100_000)?;
    println!(
        "status --tab rapportage --limit 50 on 100,000 payments: {:.1} ms (median of 21 runs, in-process)",
        status.as_secs_f64() * 1000.0
    );
    Ok(())
}

struct Row {
    scenario: Scenario,
    strategy: String,
    booked: usize,
    note: String,
    moneybird_requests: u64,
    ccv_requests: u64,
    throttled: u64,
    in_fouten: usize,
    wall: Duration,
    cpu: Duration,
    peak_bytes: u64,
    least: Option<Duration>,
    /// The nightly recheck after a backfill whose payouts CCV flagged late: its CCV
    /// requests, those of them that looked back for payouts, its Moneybird requests, and
    /// how many payments it found in a payout.
    nightly: Option<[u64; 4]>,
}

impl Row {
    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "strategy": self.strategy,
            "booked": self.booked,
            "note": self.note,
            "moneybird_requests": self.moneybird_requests,
            "ccv_requests": self.ccv_requests,
            "throttled": self.throttled,
            "in_fouten": self.in_fouten,
            "wall_ms": self.wall.as_millis() as u64,
            "cpu_ms": self.cpu.as_millis() as u64,
            "peak_bytes": self.peak_bytes,
            "least_ms": self.least.map(|least| least.as_millis() as u64),
            "nightly": self.nightly,
        })
    }

    fn from_json(scenario: Scenario, line: &str) -> anyhow::Result<Row> {
        let value: serde_json::Value = serde_json::from_str(line)?;
        let number = |key: &str| value[key].as_u64().unwrap_or_default();
        Ok(Row {
            scenario,
            strategy: value["strategy"].as_str().unwrap_or_default().to_string(),
            booked: number("booked") as usize,
            note: value["note"].as_str().unwrap_or_default().to_string(),
            moneybird_requests: number("moneybird_requests"),
            ccv_requests: number("ccv_requests"),
            throttled: number("throttled"),
            in_fouten: number("in_fouten") as usize,
            wall: Duration::from_millis(number("wall_ms")),
            cpu: Duration::from_millis(number("cpu_ms")),
            peak_bytes: number("peak_bytes"),
            least: value["least_ms"].as_u64().map(Duration::from_millis),
            nightly: serde_json::from_value(value["nightly"].clone()).ok(),
        })
    }
}

// ---------------------------------------------------------------------------------------
// The sandbox, in its own process.

fn invoice_number(index: usize) -> String {
    format!("B-{index:06}")
}

fn at_ms(now_ms: i64, index: usize, count: usize) -> i64 {
    // Spread over the 25 days before now, a millisecond apart at the least.
    let span = 25 * 86_400_000_i64;
    now_ms - span + (index as i64 * span / count.max(1) as i64)
}

fn sale(
    index: usize,
    count: usize,
    now_ms: i64,
    rng: &mut fastrand::Rng,
    amount: ccv_moneybird_sandbox::Cents,
) -> CcvTransaction {
    let reference = format!("C{index:09}{:08X}.A", rng.u32(..));
    let method = if index.is_multiple_of(3) {
        "card"
    } else {
        "ideal"
    };
    let mut transaction = CcvTransaction::sale(
        &reference,
        "success",
        amount,
        method,
        at_ms(now_ms, index, count),
    );
    transaction.description = Some(format!("Factuur {}", invoice_number(index)));
    transaction
}

fn serve_sandbox(scenario: Scenario) -> anyhow::Result<()> {
    let now: chrono::DateTime<chrono::Utc> = NOW.parse()?;
    let sandbox = Sandbox::start(Options {
        rate_limit_requests: if scenario.rate_limited() {
            150
        } else {
            u32::MAX
        },
        rate_limit_window: if scenario.rate_limited() {
            LIMITED_WINDOW
        } else {
            Duration::from_secs(300)
        },
        clock: ccv_moneybird_sandbox::Clock::fixed(now),
        ..Options::default()
    })?;
    let (posts, payments) = scenario.size();
    let mut rng = fastrand::Rng::with_seed(7);
    let amounts: Vec<ccv_moneybird_sandbox::Cents> = (0..posts)
        .map(|_| ccv_moneybird_sandbox::Cents(rng.i64(1_000..100_000)))
        .collect();
    {
        let mut world = sandbox.world();
        world.open_shop();
        for (index, amount) in amounts.iter().enumerate() {
            world.add_invoice(NewInvoice::sales(&invoice_number(index), *amount));
        }
        // The hourly scenario books one payment first, to fill the cache; its twenty come later.
        let first = if scenario == Scenario::Hourly {
            1
        } else {
            payments
        };
        for (index, amount) in amounts.iter().enumerate().take(first) {
            world.add_transaction(sale(
                index,
                posts,
                now.timestamp_millis(),
                &mut rng,
                *amount,
            ));
        }
    }
    println!("{}", sandbox.url());
    std::io::stdout().flush()?;
    for line in std::io::stdin().lock().lines() {
        match line?.as_str() {
            "step" => {
                let mut world = sandbox.world();
                for (index, amount) in amounts.iter().enumerate().skip(1).take(payments) {
                    let later = now.timestamp_millis() + index as i64 * 60_000;
                    let mut transaction =
                        sale(index, posts, now.timestamp_millis(), &mut rng, *amount);
                    transaction.created_ms = later;
                    transaction.last_update_ms = later;
                    transaction.status_final_ms = Some(later);
                    world.add_transaction(transaction);
                }
                println!("ok");
            }
            "payout" => {
                pay_out_late(&mut sandbox.world(), now);
                println!("ok");
            }
            "quit" => break,
            other => anyhow::bail!("unknown command {other}"),
        }
        std::io::stdout().flush()?;
    }
    Ok(())
}

/// CCV pays out every paid payment older than two days, a payout a day dated two days after
/// the payments, and flags them all only now: up to weeks late, the worst case the nightly
/// look-back must reach.
fn pay_out_late(world: &mut ccv_moneybird_sandbox::World, now: chrono::DateTime<chrono::Utc>) {
    use std::collections::BTreeMap;
    let cutoff = now.timestamp_millis() - 2 * 86_400_000;
    let mut by_day: BTreeMap<chrono::NaiveDate, Vec<String>> = BTreeMap::new();
    for transaction in world.ccv.transactions() {
        if transaction.status == "success" && transaction.created_ms < cutoff {
            let day = chrono::DateTime::from_timestamp_millis(transaction.created_ms)
                .expect("a time")
                .date_naive();
            by_day
                .entry(day)
                .or_default()
                .push(transaction.reference.clone());
        }
    }
    for (day, references) in by_day {
        let refs: Vec<&str> = references.iter().map(String::as_str).collect();
        let reference = format!("PO-{}", day.format("%Y%m%d"));
        world.pay_out(
            &refs,
            &reference,
            &format!("CCV PAYOUT {reference}"),
            day + chrono::Days::new(2),
            now.timestamp_millis(),
        );
    }
}

struct SandboxProcess {
    child: Child,
    input: ChildStdin,
    output: BufReader<ChildStdout>,
    url: String,
}

impl SandboxProcess {
    fn start(scenario: Scenario) -> anyhow::Result<SandboxProcess> {
        let mut child = Command::new(std::env::current_exe()?)
            .args(["--sandbox", scenario.name()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()?;
        let input = child.stdin.take().expect("piped");
        let mut output = BufReader::new(child.stdout.take().expect("piped"));
        let mut url = String::new();
        output.read_line(&mut url)?;
        Ok(SandboxProcess {
            child,
            input,
            output,
            url: url.trim().to_string(),
        })
    }

    fn command(&mut self, command: &str) -> anyhow::Result<()> {
        writeln!(self.input, "{command}")?;
        let mut answer = String::new();
        self.output.read_line(&mut answer)?;
        anyhow::ensure!(answer.trim() == "ok", "the sandbox answered {answer}");
        Ok(())
    }
}

impl Drop for SandboxProcess {
    fn drop(&mut self) {
        let _ = writeln!(self.input, "quit");
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------
// Measuring.

fn cpu_time() -> Duration {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: getrusage only writes the struct it is given.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut usage) };
    let time =
        |value: libc::timeval| Duration::new(value.tv_sec as u64, value.tv_usec as u32 * 1000);
    time(usage.ru_utime) + time(usage.ru_stime)
}

/// Starts a new peak: the kernel resets VmHWM to the current RSS.
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn peak_memory() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

fn context_for(url: &str, dir: &Path) -> anyhow::Result<Context> {
    let config = dir.join("config.toml");
    let shop = {
        // The shop's identifiers are fixed; a throwaway world hands them out.
        let sandbox = Sandbox::start(Options::default())?;
        sandbox.world().open_shop()
    };
    std::fs::write(
        &config,
        format!(
            "[ccv]\nbase_url = \"{url}\"\n[moneybird]\nbase_url = \"{url}\"\nadministration_id = \"{}\"\n\
             [state]\npath = \"{}\"\n[ledger_accounts]\nideal = \"{}\"\ncard = \"{}\"\n",
            shop.administration_id,
            dir.join("state.sqlite3").display(),
            shop.ledger_accounts["ideal"],
            shop.ledger_accounts["card"],
        ),
    )?;
    Ok(Context {
        settings: Settings::load(Some(&config))?,
        secrets: Secrets::given(&shop.ccv_api_key, &shop.moneybird_token),
        clock: Clock::fixed(NOW.parse()?),
        interactive: false,
        colour: false,
    })
}

fn run_ours(scenario: Scenario) -> anyhow::Result<Row> {
    let mut sandbox = SandboxProcess::start(scenario)?;
    let dir = tempfile::tempdir()?;
    let context = context_for(&sandbox.url, dir.path())?;
    let mut store = Store::open(&context.settings.state_path)?;
    let http = ccv_moneybird::http::client()?;
    let dry_run = scenario == Scenario::Scale;
    let options = RunOptions {
        pass: Pass::Sync,
        dry_run,
        ..RunOptions::default()
    };
    if scenario == Scenario::Hourly {
        sync_pass(&context, &mut store, &http, &options)?;
        sandbox.command("step")?;
    }
    reset_peak_memory();
    let cpu_before = cpu_time();
    let started = Instant::now();
    let started_epoch = SystemTime::now().duration_since(UNIX_EPOCH)?;
    let report = sync_pass(&context, &mut store, &http, &options)?;
    let wall = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    let peak_bytes = peak_memory();
    let in_fouten = store.tab_counts()?.get(&Tab::Fouten).copied().unwrap_or(0) as usize;
    let least = scenario.rate_limited().then(|| {
        least_time(
            report.moneybird_requests - report.throttled_answers,
            started_epoch,
        )
    });
    let nightly = if scenario == Scenario::Backfill {
        sandbox.command("payout")?;
        Some(nightly_look_back(&context, &mut store, &http)?)
    } else {
        None
    };
    Ok(Row {
        scenario,
        strategy: "this tool".into(),
        booked: if dry_run {
            report.planned.len()
        } else {
            report.booked.len()
        },
        note: if dry_run {
            "matched, dry run".into()
        } else {
            String::new()
        },
        moneybird_requests: report.moneybird_requests,
        ccv_requests: report.ccv_requests,
        throttled: report.throttled_answers,
        in_fouten,
        wall,
        cpu,
        peak_bytes,
        least,
        nightly,
    })
}

/// The nightly recheck after CCV flagged every payout late, with [payouts] set up.
fn nightly_look_back(
    context: &Context,
    store: &mut Store,
    http: &reqwest::blocking::Client,
) -> anyhow::Result<[u64; 4]> {
    let shop = {
        let sandbox = Sandbox::start(Options::default())?;
        sandbox.world().open_shop()
    };
    let mut settings = Settings::load(Some(&context.settings.config_path))?;
    settings.payouts = Some(ccv_moneybird::config::PayoutsSection {
        financial_account_id: shop.bank_account.clone(),
        costs_ledger_account_id: shop.costs_ledger_account.clone(),
    });
    let nightly = Context {
        settings,
        secrets: Secrets::given(&shop.ccv_api_key, &shop.moneybird_token),
        clock: Clock::fixed("2026-11-21T03:17:00Z".parse()?),
        interactive: false,
        colour: false,
    };
    let options = RunOptions {
        pass: Pass::Recheck,
        ..RunOptions::default()
    };
    let report = sync_pass(&nightly, store, http, &options)?;
    let in_payouts = store
        .payouts()?
        .iter()
        .map(|payout| store.payout_payments(payout.shop.as_deref(), &payout.reference))
        .collect::<anyhow::Result<Vec<_>>>()?
        .iter()
        .map(Vec::len)
        .sum::<usize>();
    Ok([
        report.ccv_requests,
        report.payout_ccv_requests,
        report.moneybird_requests,
        in_payouts as u64,
    ])
}

/// One pass of the real sync code, with fresh clients so their counters hold this pass alone.
fn sync_pass(
    context: &Context,
    store: &mut Store,
    http: &reqwest::blocking::Client,
    options: &RunOptions,
) -> anyhow::Result<sync::RunReport> {
    let ccv = ccv_moneybird::ops::ccv_clients(context, http)?;
    let administration = context.settings.administration_id.clone();
    let moneybird = ccv_moneybird::ops::moneybird_client(context, http, administration)?;
    let mut job = Job {
        store,
        ccv: &ccv,
        moneybird: &moneybird,
        settings: &context.settings,
        clock: context.clock,
        progress: indicatif::ProgressBar::hidden(),
    };
    sync::run(&mut job, options)
}

/// The least time the limit allows for `requests` admitted ones (a refused 429 uses no
/// place in a window), from a start within an aligned window:
/// all of each window's 150 at its very start, the last window's at its opening.
fn least_time(requests: u64, started: Duration) -> Duration {
    let window = LIMITED_WINDOW.as_millis() as u64;
    let start = started.as_millis() as u64;
    let windows_after_first = requests.div_ceil(150).saturating_sub(1);
    let last_opens = (start / window + windows_after_first) * window;
    Duration::from_millis(last_opens.saturating_sub(start))
}

// ---------------------------------------------------------------------------------------
// The naive strategy: per paid payment, find the invoice by number, post the payment, and
// read the invoice again to confirm (docs/moneybird-api.md §9, done one payment at a time).

struct Naive {
    http: reqwest::blocking::Client,
    api: String,
    token: String,
    requests: u64,
    throttled: u64,
}

impl Naive {
    fn send(
        &mut self,
        method: reqwest::Method,
        path: &str,
        body: Option<&serde_json::Value>,
    ) -> anyhow::Result<(u16, serde_json::Value)> {
        loop {
            self.requests += 1;
            let mut request = self
                .http
                .request(method.clone(), format!("{}/{path}", self.api))
                .bearer_auth(&self.token);
            if let Some(body) = body {
                request = request.json(body);
            }
            let response = request.send()?;
            let status = response.status().as_u16();
            if status == 429 {
                self.throttled += 1;
                let reset: u64 = response
                    .headers()
                    .get("retry-after")
                    .and_then(|value| value.to_str().ok())
                    .and_then(|value| value.parse().ok())
                    .unwrap_or(0);
                let now = SystemTime::now().duration_since(UNIX_EPOCH)?.as_secs_f64();
                std::thread::sleep(Duration::from_secs_f64((reset as f64 - now).max(0.05)));
                continue;
            }
            let text = response.text()?;
            return Ok((
                status,
                serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
            ));
        }
    }
}

fn run_naive(scenario: Scenario) -> anyhow::Result<Row> {
    let mut sandbox = SandboxProcess::start(scenario)?;
    let dir = tempfile::tempdir()?;
    let context = context_for(&sandbox.url, dir.path())?;
    let http = ccv_moneybird::http::client()?;
    let administration = context
        .settings
        .administration_id
        .clone()
        .unwrap_or_default();
    let mut naive = Naive {
        http: http.clone(),
        api: format!("{}/api/v2/{administration}", sandbox.url),
        token: context.secrets.moneybird()?.bearer().to_string(),
        requests: 0,
        throttled: 0,
    };
    let after = chrono::DateTime::parse_from_rfc3339(NOW)?.timestamp_millis() - 30 * 86_400_000;
    let mut seen = std::collections::HashSet::new();
    if scenario == Scenario::Hourly {
        // The one payment before the hour, as in the tool's own run.
        naive_run(&mut naive, &context, &http, after, &mut seen, false)?;
        sandbox.command("step")?;
        naive.requests = 0;
        naive.throttled = 0;
    }
    reset_peak_memory();
    let cpu_before = cpu_time();
    let started = Instant::now();
    let started_epoch = SystemTime::now().duration_since(UNIX_EPOCH)?;
    // At scale a fifth is enough to show how the cost grows; the rest is extrapolated.
    let sample = scenario == Scenario::Scale;
    let (booked, ccv_requests) = naive_run(&mut naive, &context, &http, after, &mut seen, sample)?;
    let wall = started.elapsed();
    let cpu = cpu_time() - cpu_before;
    let least = scenario
        .rate_limited()
        .then(|| least_time(naive.requests - naive.throttled, started_epoch));
    Ok(Row {
        scenario,
        strategy: "naive".into(),
        booked,
        note: if sample {
            "sampled: 1 in 5".into()
        } else {
            String::new()
        },
        moneybird_requests: naive.requests,
        ccv_requests,
        throttled: naive.throttled,
        in_fouten: 0,
        wall,
        cpu,
        peak_bytes: peak_memory(),
        least,
        nightly: None,
    })
}

fn naive_run(
    naive: &mut Naive,
    context: &Context,
    http: &reqwest::blocking::Client,
    after: i64,
    seen: &mut std::collections::HashSet<String>,
    sample: bool,
) -> anyhow::Result<(usize, u64)> {
    let ccv = CcvClient::new(
        http.clone(),
        &context.settings.ccv_base_url,
        context.secrets.ccv_api_key()?,
    );
    let mut paid = Vec::new();
    ccv.transactions_created_after(after, |page| -> Result<(), ccv_moneybird::ccv::CcvError> {
        paid.extend(
            page.into_iter()
                .flatten()
                .filter(|transaction| seen.insert(transaction.reference.clone())),
        );
        Ok(())
    })?;
    let mut booked = 0;
    for (index, transaction) in paid.iter().enumerate() {
        if sample && index % 5 != 0 {
            continue;
        }
        let Some(number) = transaction
            .description
            .as_deref()
            .and_then(|text| text.split_whitespace().last())
        else {
            continue;
        };
        let (status, invoice) = naive.send(
            reqwest::Method::GET,
            &format!("sales_invoices/find_by_invoice_id/{number}.json"),
            None,
        )?;
        if status != 200 {
            continue;
        }
        let id = invoice["id"].as_str().unwrap_or_default().to_string();
        let date = chrono::DateTime::from_timestamp_millis(
            transaction.paid_ms().unwrap_or(transaction.created_ms),
        )
        .unwrap_or_default()
        .with_timezone(&chrono_tz::Europe::Amsterdam)
        .date_naive();
        let body = serde_json::json!({ "payment": {
            "payment_date": date.to_string(),
            "price": transaction.amount.to_decimal_string(),
            "transaction_identifier": transaction.reference,
        }});
        let (status, _) = naive.send(
            reqwest::Method::POST,
            &format!("sales_invoices/{id}/payments.json"),
            Some(&body),
        )?;
        if status == 201 {
            booked += 1;
        }
        naive.send(
            reqwest::Method::GET,
            &format!("sales_invoices/{id}.json"),
            None,
        )?;
    }
    Ok((booked, ccv.requests_made()))
}

// ---------------------------------------------------------------------------------------
// The status listing on a large state.

fn time_status(payments: usize) -> anyhow::Result<Duration> {
    let dir = tempfile::tempdir()?;
    let context = context_for("http://127.0.0.1:9", dir.path())?;
    let store = Store::open(&context.settings.state_path)?;
    let now_ms = context.clock.now_ms();
    store.atomically(|store| {
        for index in 0..payments {
            let facts = CcvFacts {
                reference: format!("C{index:09}"),
                child_reference: None,
                ccv_type: "sale".into(),
                ccv_status: "success".into(),
                failure_code: None,
                method: Some("ideal".into()),
                amount: Cents(1_000 + index as i64),
                amount_as_sent: None,
                currency: "EUR".into(),
                created_ms: at_ms(now_ms, index, payments),
                paid_ms: Some(at_ms(now_ms, index, payments)),
                description: Some(format!("Factuur {}", invoice_number(index))),
                merchant_order_reference: None,
            };
            let json = CcvJson {
                own: Some("{}".into()),
                child: None,
            };
            let id = store.insert_payment(None, &facts, &json, Tab::Open, now_ms)?;
            let outcome = Outcome::booked(
                InvoiceRef {
                    kind: ccv_moneybird::moneybird::InvoiceKind::SalesInvoice,
                    id: index.to_string(),
                    label: invoice_number(index),
                },
                "2026-11-01".into(),
                index.to_string(),
            );
            store.set_outcome(id, &outcome, now_ms)?;
        }
        Ok(())
    })?;
    drop(store);
    let mut times: Vec<Duration> = (0..21)
        .map(|_| {
            // What `status --tab rapportage --limit 50` does: open the state, read, render.
            let started = Instant::now();
            let store = context.open_store().expect("the state opens");
            let rows = store
                .payments(&[Tab::Rapportage], None, Some(50))
                .expect("the rows are read");
            let text = ccv_moneybird::view::table(&rows, context.settings.timezone, None, false);
            assert!(text.lines().count() > 50);
            started.elapsed()
        })
        .collect();
    times.sort();
    Ok(times[times.len() / 2])
}

// ---------------------------------------------------------------------------------------

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
    format!(
        "machine: {cpu}, {cores} cores; ccv-moneybird {}",
        env!("CARGO_PKG_VERSION")
    )
}

fn print_table(rows: &[Row]) {
    let mut table = Table::new();
    table.load_style(presets::ASCII_MARKDOWN).set_header([
        "scenario",
        "strategy",
        "payments booked",
        "Moneybird requests",
        "per booked payment",
        "CCV requests",
        "429s",
        "in Fouten",
        "wall time",
        "vs least",
        "CPU time",
        "peak memory",
    ]);
    for row in rows {
        let per_payment = if row.booked > 0 {
            format!("{:.3}", row.moneybird_requests as f64 / row.booked as f64)
        } else {
            "–".into()
        };
        let booked = if row.note.is_empty() {
            row.booked.to_string()
        } else {
            format!("{} ({})", row.booked, row.note)
        };
        let least = row.least.map_or_else(
            || "–".into(),
            |least| {
                format!(
                    "{:.1}% over {:.1} s",
                    (row.wall.as_secs_f64() / least.as_secs_f64() - 1.0) * 100.0,
                    least.as_secs_f64()
                )
            },
        );
        table.add_row(vec![
            row.scenario.name().to_string(),
            row.strategy.to_string(),
            booked,
            row.moneybird_requests.to_string(),
            per_payment,
            row.ccv_requests.to_string(),
            row.throttled.to_string(),
            row.in_fouten.to_string(),
            format!("{:.2} s", row.wall.as_secs_f64()),
            least,
            format!("{:.2} s", row.cpu.as_secs_f64()),
            format!("{:.0} MB", row.peak_bytes as f64 / 1_000_000.0),
        ]);
    }
    for index in 2..12 {
        if let Some(column) = table.column_mut(index) {
            column.set_cell_alignment(CellAlignment::Right);
        }
    }
    println!("{table}");
}
