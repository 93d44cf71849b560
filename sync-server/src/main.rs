//! `qamqor-server`: the sync server and its administration commands (see [`qamqor_server::cli`]).

fn main() -> std::process::ExitCode {
    qamqor_server::cli::run()
}
