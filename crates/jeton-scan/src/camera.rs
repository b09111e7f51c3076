//! Live camera frames (placeholder until the nokhwa source lands).
