//! Every committed seed through every target, with the ordinary test harness (no
//! instrumentation): the seeds are valid inputs and the targets accept them.

use std::path::Path;

fn seeds(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| {
            let bytes = std::fs::read(e.path()).expect("read seed");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds for {target}");
    out
}

#[test]
fn every_seed_runs_through_its_target() {
    for (name, data) in seeds("parse") {
        println!("parse {name}");
        iamproof_fuzz::parse(&data);
    }
    for (name, data) in seeds("differential") {
        println!("differential {name}");
        iamproof_fuzz::differential(&data);
    }
    for (name, data) in seeds("engine") {
        println!("engine {name}");
        iamproof_fuzz::engine(&data);
    }
}
