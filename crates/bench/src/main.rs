//! `iamproof-bench`: runs the benchmark workloads and agreement reports.

fn main() {
    println!("iamproof-bench");
}
