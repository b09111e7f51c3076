//! Jeton's memory holds the keys while it runs. On Linux a process of the same
//! user may otherwise read it (`/proc/<pid>/mem`, ptrace) and the kernel may
//! write it to a core dump: the app and the CLI call [`forbid_memory_reading`]
//! first thing. (Malware running as the user can still read the keychain: this
//! closes the easier door, not every door.)

/// Makes this process non-dumpable: no core dumps, and no same-user ptrace or
/// reading of its memory, environment or file descriptors through `/proc`.
pub fn forbid_memory_reading() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        rustix::process::set_dumpable_behavior(rustix::process::DumpableBehavior::NotDumpable)
            .map_err(std::io::Error::from)
    }
    #[cfg(not(target_os = "linux"))]
    {
        Ok(())
    }
}
