//! Where the third-party conformance material is: shared by the core's and the
//! CLI's tests (the CLI includes this file by path).

use std::path::PathBuf;

/// `../shared/<sub>` next to the checkout (or `JETON_SHARED_DIR/<sub>`), if present.
/// Prints a clear note when it is absent so a skipped check is never silent.
pub fn shared(sub: &str) -> Option<PathBuf> {
    let found = std::env::var_os("JETON_SHARED_DIR")
        .map(|d| PathBuf::from(d).join(sub))
        .into_iter()
        .chain(
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .ancestors()
                .map(|dir| dir.join("shared").join(sub)),
        )
        .find(|p| p.exists());
    if found.is_none() {
        assert!(
            std::env::var_os("JETON_REQUIRE_SHARED").is_none_or(|v| v != "1"),
            "../shared/{sub} is absent and JETON_REQUIRE_SHARED=1: this check may not be skipped"
        );
        eprintln!("NOTE: ../shared/{sub} is absent: this conformance check was SKIPPED");
    }
    found
}
