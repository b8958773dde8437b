//! `accordctl`'s library half: what only the native command line needs, kept out of the
//! widget's WebAssembly. [`policy`]: the browser-enforced layer (the CSP,
//! `Connection-Allowlist-Report-Only` and `Permissions-Policy` headers, and the nginx
//! snippet that computes them from the record cookie). [`scan`] and [`cdp`]:
//! `accordctl scan`, what a real browser sees on a site, judged against the config.

#[cfg(not(target_arch = "wasm32"))]
pub mod cdp;
pub mod policy;
pub mod scan;
