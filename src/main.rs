//! The widget's entry point: boots Accord in the page. Nothing else.

#[cfg(target_arch = "wasm32")]
fn main() {
    accord::boot::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("accord_widget runs in the browser (trunk build); the native tool is accordctl");
    std::process::exit(2);
}
