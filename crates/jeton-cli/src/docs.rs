//! The manual pages and shell completions, generated from the same clap definition
//! as the commands themselves so they never drift from them: `jeton man` and
//! `jeton completions SHELL`, which `scripts/package` runs to fill the package.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::{text, Cli, CliResult};

/// What `jeton.1` adds to the commands' own help: where the data is, what the
/// environment changes, and how errors are reported.
const EXTRA_SECTIONS: &str = r#".SH ENVIRONMENT
.TP
\fBJETON_DATA_DIR\fR
The data folder holding the vault (default: \fI$XDG_DATA_HOME/jeton\fR, that is
\fI~/.local/share/jeton\fR).
.SH FILES
.TP
\fI~/.local/share/jeton/vault.jeton\fR
The vault, shared with the Jeton app: every account, encrypted under a key kept in
the keychain (the Secret Service: GNOME Keyring, KeePassXC...), under the entry
\fBJeton / vault-\fR\fIID\fR.
.TP
\fI~/.local/share/jeton/vault.jeton.prev\fR
The vault as it was before its last write.
.SH SECURITY
Passwords are never read from arguments: \fB\-\-password\-file\fR holds the password
on its first line, or Jeton asks on the terminal with echo off. Keys and otpauth://
links, which carry the secret, are best given on standard input (\fBjeton add \-\fR,
\fB\-\-secret \-\fR, \fB\-\-uri \-\fR): an argument is readable by other users in
\fI/proc\fR and stays in the shell history.
.SH EXIT STATUS
0 on success. On failure, one line on standard error and a non-zero status; the
vault is changed only by a complete, atomic write.
"#;

/// The first paragraphs of jeton(1).
const DESCRIPTION: &str = "Jeton is a two-factor authenticator: it keeps TOTP, HOTP and \
Steam accounts in an encrypted vault and prints their codes. The jeton command and the \
Jeton app (jeton-app) use the same vault and can run at the same time.

Its commands, flags and JSON output are a stable interface for scripts. `jeton COMMAND \
--help` and jeton-COMMAND(1) describe each command.";

/// The `jeton` command as the pages and completions describe it (`help` is not
/// a command of its own there).
fn command() -> clap::Command {
    fn without_help(command: clap::Command) -> clap::Command {
        command
            .disable_help_subcommand(true)
            .mut_subcommands(without_help)
    }
    let mut command = without_help(Cli::command().long_about(DESCRIPTION));
    command.build();
    command
}

/// A page of the package's version ("jeton 0.1.0" in its footer).
fn page(command: clap::Command) -> clap_mangen::Man {
    clap_mangen::Man::new(command).source(concat!("jeton ", env!("CARGO_PKG_VERSION")))
}

/// `jeton completions SHELL`: the script on standard output.
pub(crate) fn completions(shell: clap_complete::Shell) -> CliResult {
    let mut out = std::io::stdout().lock();
    clap_complete::generate(shell, &mut command(), "jeton", &mut out);
    out.flush().map_err(text)
}

/// `jeton man`: jeton(1) on standard output.
pub(crate) fn man_page() -> CliResult {
    let mut out = std::io::stdout().lock();
    render_main_page(&mut out)
        .and_then(|()| out.flush())
        .map_err(text)
}

/// `jeton man --dir DIR`: jeton.1 and one jeton-COMMAND.1 per (sub)command, as
/// `jeton.1` refers to them.
pub(crate) fn man_pages(dir: &Path) -> CliResult {
    std::fs::create_dir_all(dir).map_err(|error| format!("{}: {error}", dir.display()))?;
    write_subcommand_pages(&command(), dir)?;
    let path = dir.join("jeton.1");
    let mut file = std::fs::File::create(&path).map_err(text)?;
    render_main_page(&mut file)
        .and_then(|()| file.flush())
        .map_err(|error| format!("{}: {error}", path.display()))
}

fn write_subcommand_pages(command: &clap::Command, dir: &Path) -> CliResult {
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        write_subcommand_pages(sub, dir)?;
        page(sub.clone())
            .generate_to(dir)
            .map_err(|error| format!("{}: {error}", dir.display()))?;
    }
    Ok(())
}

fn render_main_page(out: &mut dyn Write) -> std::io::Result<()> {
    let man = page(command());
    man.render_title(out)?;
    man.render_name_section(out)?;
    man.render_synopsis_section(out)?;
    man.render_description_section(out)?;
    man.render_options_section(out)?;
    man.render_subcommands_section(out)?;
    out.write_all(EXTRA_SECTIONS.as_bytes())?;
    man.render_version_section(out)
}
