//! afl.rs entry point of [`iamproof_fuzz::parse`].

fn main() {
    afl::fuzz!(|data: &[u8]| {
        iamproof_fuzz::parse(data);
    });
}
