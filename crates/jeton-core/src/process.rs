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

/// Marks every open file descriptor but the standard three close-on-exec, so a
/// program this process `exec`s into (Jeton restarting itself in the tray)
/// inherits none of its connections, and a helper at the other end of one
/// (WebKit's network process) sees it close and exits.
pub fn close_files_on_exec() -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use rustix::io::{fcntl_getfd, fcntl_setfd, FdFlags};
        let open: Vec<i32> = std::fs::read_dir("/proc/self/fd")?
            .filter_map(|entry| entry.ok()?.file_name().to_str()?.parse().ok())
            .filter(|&fd| fd > 2)
            .collect();
        for fd in open {
            // SAFETY: the descriptor is only borrowed for two fcntl calls; one
            // closed since it was listed makes them fail (EBADF), which is ignored.
            let fd = unsafe { rustix::fd::BorrowedFd::borrow_raw(fd) };
            if let Ok(flags) = fcntl_getfd(fd) {
                let _ = fcntl_setfd(fd, flags | FdFlags::CLOEXEC);
            }
        }
    }
    Ok(())
}

/// Ends this process's children (SIGTERM) and reaps them, waiting up to `grace`:
/// before an `exec` (Jeton restarting itself in the tray), because the new
/// program knows nothing of them and would leave each one a zombie for good.
pub fn end_children(grace: std::time::Duration) {
    #[cfg(target_os = "linux")]
    {
        use rustix::process::{kill_process, waitpid, Pid, Signal, WaitOptions};
        let me = std::process::id().to_string();
        let mut children: Vec<Pid> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|entry| {
                let pid: i32 = entry.file_name().to_str()?.parse().ok()?;
                let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
                // "pid (name) state ppid ...": the name may hold spaces and parentheses.
                let parent = stat[stat.rfind(')')? + 1..].split_whitespace().nth(1)?;
                (parent == me).then(|| Pid::from_raw(pid)).flatten()
            })
            .collect();
        for &child in &children {
            let _ = kill_process(child, Signal::TERM);
        }
        let deadline = std::time::Instant::now() + grace;
        while !children.is_empty() && std::time::Instant::now() < deadline {
            // Reaped here, or already by whoever watched it (ECHILD): gone either way.
            children.retain(|&child| matches!(waitpid(Some(child), WaitOptions::NOHANG), Ok(None)));
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        // One that ignored SIGTERM is killed, and reaped.
        for child in children {
            let _ = kill_process(child, Signal::KILL);
            let _ = waitpid(Some(child), WaitOptions::empty());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = grace;
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
