//! `accordctl`'s library half: what only the native command line needs, kept out of the
//! widget's WebAssembly. [`policy`]: the browser-enforced layer (the CSP,
//! `Connection-Allowlist-Report-Only` and `Permissions-Policy` headers, and the nginx
//! snippet that computes them from the record cookie).

pub mod policy;
