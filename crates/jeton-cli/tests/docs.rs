//! The manual pages and shell completions the package installs, checked as a user
//! meets them: `man` shows every command, and each shell accepts its script and
//! completes the commands with it. Needs man-db, zsh and fish (`scripts/install-deps
//! --test` installs them).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn jeton(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_jeton"))
        .args(args)
        .output()
        .expect("run jeton");
    assert!(
        out.status.success(),
        "jeton {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("UTF-8 output")
}

/// The commands `jeton [COMMAND] --help` lists, without `help` itself.
fn commands(of: &[&str]) -> Vec<String> {
    let mut args = of.to_vec();
    args.push("--help");
    let help = jeton(&args);
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no command list in jeton {of:?} --help:\n{help}"));
    let names: Vec<String> = listed
        .lines()
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect();
    assert!(!names.is_empty(), "jeton {of:?} --help lists no command");
    names
}

fn tool(program: &str, package: &str) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::piped());
    let probe = Command::new(program).arg("--version").output();
    assert!(
        probe.is_ok(),
        "{program} is needed (Debian package {package}; scripts/install-deps --test installs it)"
    );
    command
}

fn run_with_stdin(command: &mut Command, input: &str) -> Output {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command.spawn().expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

/// What `man` shows of a page, and its warnings (which must be none).
fn rendered(page: &Path) -> String {
    let out = tool("man", "man-db")
        .args(["--warnings", "-l", "-P", "cat"])
        .arg(page)
        .env("MANWIDTH", "100")
        .stdin(Stdio::null())
        .output()
        .expect("run man");
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && warnings.trim().is_empty(),
        "man -l {}: {warnings}",
        page.display()
    );
    String::from_utf8(out.stdout).expect("UTF-8 page")
}

#[test]
fn the_man_page_names_every_command_and_each_has_its_page() {
    let top = commands(&[]);
    for expected in ["add", "list", "code", "backup", "scan", "completions"] {
        assert!(top.iter().any(|c| c == expected), "{top:?}");
    }
    assert!(!top.iter().any(|c| c == "man"), "`man` is hidden");

    let dir = tempfile::tempdir().expect("temp dir");
    let main_page = dir.path().join("jeton.1");
    std::fs::write(&main_page, jeton(&["man"])).expect("write jeton.1");
    let shown = rendered(&main_page);
    assert!(shown.contains("jeton - Jeton: two-factor codes"), "{shown}");
    assert!(shown.contains("JETON_DATA_DIR"), "{shown}");
    assert!(shown.contains(env!("CARGO_PKG_VERSION")), "{shown}");
    for command in &top {
        assert!(
            shown.contains(&format!("jeton-{command}(1)")),
            "jeton(1) does not name `{command}`:\n{shown}"
        );
    }

    // `jeton man --dir`: the same jeton.1 plus the page each entry refers to.
    let pages = dir.path().join("man1");
    jeton(&["man", "--dir", pages.to_str().expect("UTF-8 path")]);
    assert_eq!(
        std::fs::read(pages.join("jeton.1")).expect("jeton.1"),
        std::fs::read(&main_page).expect("jeton.1")
    );
    let mut expected = vec!["jeton.1".to_string()];
    for command in &top {
        expected.push(format!("jeton-{command}.1"));
    }
    for command in commands(&["backup"]) {
        expected.push(format!("jeton-backup-{command}.1"));
    }
    let mut written: Vec<String> = std::fs::read_dir(&pages)
        .expect("man1")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .into_string()
                .expect("name")
        })
        .collect();
    written.sort();
    expected.sort();
    assert_eq!(written, expected, "one page per command, no `help` pages");

    let add = rendered(&pages.join("jeton-add.1"));
    for option in ["--secret", "--image", "--hotp", "--steam"] {
        assert!(add.contains(option), "jeton-add(1) lacks {option}:\n{add}");
    }
    let configure = rendered(&pages.join("jeton-backup-configure.1"));
    assert!(configure.contains("--password-file"), "{configure}");
}

#[test]
fn each_shell_accepts_its_completion_script() {
    // Each shell parses its script without running it.
    for (shell, parse_only) in [("bash", "-n"), ("zsh", "-n"), ("fish", "--no-execute")] {
        let script = jeton(&["completions", shell]);
        let out = run_with_stdin(tool(shell, shell).arg(parse_only), &script);
        assert!(
            out.status.success(),
            "{shell} {parse_only}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let zsh = jeton(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef jeton"), "{zsh}");

    let refused = Command::new(env!("CARGO_BIN_EXE_jeton"))
        .args(["completions", "tcsh"])
        .output()
        .expect("run jeton");
    assert!(!refused.status.success());
    assert!(
        String::from_utf8_lossy(&refused.stderr).contains("possible values: bash"),
        "{}",
        String::from_utf8_lossy(&refused.stderr)
    );
}

/// What bash offers after `jeton WORDS<Tab>` with the completion script loaded.
fn bash_completes(script: &str, words: &[&str]) -> Vec<String> {
    let words_array: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "{script}\nCOMP_WORDS=({})\nCOMP_CWORD={}\n_jeton jeton '{}' '{}'\nprintf '%s\\n' \"${{COMPREPLY[@]}}\"\n",
        words_array.join(" "),
        words.len() - 1,
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = run_with_stdin(tool("bash", "bash").arg("-s"), &program);
    assert!(
        out.status.success(),
        "bash: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .expect("UTF-8")
        .lines()
        .map(str::to_string)
        .collect()
}

#[test]
fn bash_completes_commands_flags_and_shells() {
    let script = jeton(&["completions", "bash"]);
    assert_eq!(bash_completes(&script, &["jeton", "ad"]), ["add"]);
    let all = bash_completes(&script, &["jeton", ""]);
    for command in commands(&[]) {
        assert!(all.contains(&command), "{command} not offered: {all:?}");
    }
    // clap_complete's bash script also offers the hidden `man`: harmless.
    assert_eq!(
        bash_completes(&script, &["jeton", "backup", "con"]),
        ["configure"]
    );
    assert_eq!(
        bash_completes(&script, &["jeton", "add", "--ste"]),
        ["--steam"]
    );
    let shells = bash_completes(&script, &["jeton", "completions", ""]);
    for shell in ["bash", "zsh", "fish"] {
        assert!(shells.iter().any(|s| s == shell), "{shells:?}");
    }
}
