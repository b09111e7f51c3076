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

/// Runs `task` with the process identifiable by the desktop portal, then forbids
/// memory reading again. xdg-desktop-portal tells a sandboxed caller from a host
/// one by opening `/proc/<pid>/root`, which a non-dumpable process refuses it; it
/// then refuses the request ("Portal operation not allowed"). So the portal calls
/// (the screenshot, typing, the shortcut) open that door for their own duration
/// only. Calls may overlap: the process stays identifiable until the last ends.
pub fn while_identifiable<T>(task: impl FnOnce() -> T) -> T {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{set_dumpable_behavior, DumpableBehavior};
        use std::sync::{Mutex, MutexGuard, PoisonError};
        /// How many calls have the process identifiable now.
        static OPEN: Mutex<usize> = Mutex::new(0);
        fn open_calls() -> MutexGuard<'static, usize> {
            OPEN.lock().unwrap_or_else(PoisonError::into_inner)
        }
        /// Ends one call's opening, however the task ends.
        struct Opened;
        impl Drop for Opened {
            fn drop(&mut self) {
                let mut open = open_calls();
                *open -= 1;
                if *open == 0 {
                    let _ = set_dumpable_behavior(DumpableBehavior::NotDumpable);
                }
            }
        }
        let mut open = open_calls();
        if *open == 0 {
            let _ = set_dumpable_behavior(DumpableBehavior::Dumpable);
        }
        *open += 1;
        drop(open);
        let _opened = Opened;
        task()
    }
    #[cfg(not(target_os = "linux"))]
    {
        task()
    }
}
