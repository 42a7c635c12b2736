fn main() {
    // refinery embeds the migrations at compile time; without this a new file is silently missed.
    println!("cargo:rerun-if-changed=../../migrations");
}
