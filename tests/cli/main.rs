//! One integration-test binary: every test drives the real `ccv-moneybird` executable
//! against the sandbox over HTTP on loopback.

mod after_booking;
mod bank;
mod common;
mod connect;
mod contract;
mod dashboard;
mod doctor;
mod errors;
mod exactly_once;
mod export;
mod first_contact;
mod language;
mod matching;
mod outside_text;
mod parsers;
mod payouts;
mod person;
mod person_property;
mod reliability;
mod schedule;
mod shops;
mod state;
