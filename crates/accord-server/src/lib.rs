//! Accord's consent service (SPEC §11): receipts kept as evidence in the insurer's own
//! database, the notice texts they prove archived by hash, and the record cookie set by
//! the server. `evidence` is pure (what a receipt must be); `store` is the database;
//! `http` is the HTTP face; `main.rs` the command line.

pub mod evidence;
pub mod export;
pub mod http;
pub mod store;
