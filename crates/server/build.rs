//! Rebuilds the server when the web app's build output changes, so a
//! release binary always embeds the current `web/dist` (its file names
//! change with every build, which `include_bytes!` alone would not notice).

fn main() {
    println!("cargo:rerun-if-changed=../../web/dist");
}
