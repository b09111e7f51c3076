//! Exports: the whole vault written in a format another app (or Jeton) reads.
