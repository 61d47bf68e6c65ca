fn main() {
    // Rebuild when a migration is added or changed: `sqlx::migrate!` embeds them.
    println!("cargo:rerun-if-changed=migrations");

    // The binary is position-independent, so the loader fixes up every pointer in its
    // tables at start: with classic relocations it reads 24 bytes per pointer (1.2 MB),
    // which stay resident for the life of the process. Packed relative relocations
    // (DT_RELR, glibc 2.36+) say the same in a few kilobytes. The linker falls back to
    // classic relocations when the C library lacks them, and older linkers ignore the
    // flag with a warning.
    let target = |key: &str| std::env::var(key).unwrap_or_default();
    if target("CARGO_CFG_TARGET_OS") == "linux" && target("CARGO_CFG_TARGET_ENV") == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
}
