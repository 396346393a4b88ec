//! The centre: a payment, where it stands, and the rules of what may happen to it next.
//! No I/O here; the store keeps these types and the job and the commands act on them.

mod change;
mod evidence;
mod outcome;
mod payment;
mod rules;

pub use change::{Change, ChangeKind};
pub use evidence::{CandidateEvidence, Evidence, ForeignPayment, Rule};
pub use outcome::{Before, Failure, InvoiceRef, Outcome, Resolution};
pub use payment::{BookingState, CcvFacts, CcvJson, Payment, Tab};
pub use rules::{NotAllowed, Transition, UNDONE};
