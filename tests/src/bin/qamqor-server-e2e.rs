//! The sync server for the end-to-end tests and load benchmarks: exactly `qamqor-server`
//! (`qamqor_server::cli::run`), built by this package so that `cargo test -p qamqor-e2e`
//! always runs the current server code.

fn main() -> std::process::ExitCode {
    qamqor_server::cli::run()
}
