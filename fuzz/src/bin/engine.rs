//! afl.rs entry point of [`iamproof_fuzz::engine`].

fn main() {
    afl::fuzz!(|data: &[u8]| {
        iamproof_fuzz::engine(data);
    });
}
