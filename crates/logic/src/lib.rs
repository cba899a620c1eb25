//! Policies as logic: the `Formula` over the variables of a request, the exact encoding of every
//! policy construct into it, and its export as SMT-LIB 2 and in the notation of the Zelkova papers.
