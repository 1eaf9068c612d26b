//! Rebuild when anything under themes/default changes, including added files: the default
//! theme is embedded in the binary.

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}
