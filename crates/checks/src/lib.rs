//! The custom policy checks: no new access, access not granted, no public access, no external
//! access; each gives PASS (a proof) or FAIL with the statements responsible and a request.
