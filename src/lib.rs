//! `ccv-moneybird`: books CCV Online Payments onto their open Moneybird invoices, exactly
//! once. The binary is a thin layer over this library; the sandbox that imitates both APIs
//! ships inside it, for `demo`, the tests and the benchmark.

pub mod ccv;
pub mod cli;
pub mod clock;
pub mod cmd;
pub mod codes;
pub mod config;
pub mod credentials;
pub mod error;
pub mod http;
pub mod lock;
pub mod money;
pub mod moneybird;
pub mod sandbox;
pub mod store;
pub mod sync;
