//! afl.rs entry point of [`iamproof_fuzz::differential`].

fn main() {
    afl::fuzz!(|data: &[u8]| {
        iamproof_fuzz::differential(data);
    });
}
