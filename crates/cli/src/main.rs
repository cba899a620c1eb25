//! `iamproof`: prove facts about AWS IAM policies, offline.

fn main() {
    println!("iamproof");
}
