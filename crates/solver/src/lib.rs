//! Deciding formulas: the native decision procedure (IAM wildcard automata under a propositional
//! search) and z3/cvc5 run as external processes.

pub mod automata;
