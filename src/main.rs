fn main() -> std::process::ExitCode {
    ccv_moneybird::cli::main()
}
