//! More formats Aegis reads.
