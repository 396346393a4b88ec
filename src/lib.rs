//! `ccv-moneybird`: books CCV Online Payments onto their open Moneybird invoices, exactly
//! once. The binary is a thin layer over this library. Commands (`cmd`, private) show
//! through `view` what the operations (`ops`) and the job (`sync`) do; below them are the
//! store and the two clients, and at the centre the `domain`: the payment and its rules.
//! The README's "Architecture" draws it. The imitation of both APIs is a crate of its own,
//! `crates/sandbox`.

/// A run over 100,000 payments makes tens of millions of small allocations (JSON values,
/// strings); glibc's allocator spent a sixth of its CPU time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

// First, so that `t!` and `msg!` are in scope in every module after it.
#[macro_use]
pub mod i18n;
pub mod ccv;
pub mod cli;
pub mod clock;
mod cmd;
pub mod codes;
pub mod config;
pub mod credentials;
pub mod domain;
pub mod error;
pub mod export;
pub mod http;
pub mod lock;
pub mod logfile;
pub mod money;
pub mod moneybird;
pub mod ops;
mod retry;
pub mod schedule;
pub mod store;
pub mod sync;
pub mod text;
pub mod view;
