//! The password prompt that etcdctl's `--user NAME` and etcd's benchmark `--user NAME` show.

use std::io::{BufRead, Write};
use std::os::unix::process::CommandExt;
use std::process::Command;

/// speakeasy's `Ask`, which etcdctl prompts with: the prompt on stdout, the terminal's echo
/// turned off by `stty -echo` while one line is read from stdin, then a newline and `stty echo`.
/// On a stdin that is no terminal, stty complains on stderr (twice) and the line is read all the
/// same, as etcdctl's is. The line ends at `\n` or the end of input; one trailing `\r` goes.
pub fn ask_password(prompt: &str) -> std::io::Result<String> {
    print!("{prompt}");
    let _ = std::io::stdout().flush();
    stty("-echo");
    let mut line = Vec::new();
    let read = std::io::stdin().lock().read_until(b'\n', &mut line);
    if read.is_ok() {
        println!();
    }
    stty("echo");
    read?;
    if line.last() == Some(&b'\n') {
        line.pop();
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(String::from_utf8_lossy(&line).into_owned())
}

/// Runs `/bin/stty` (named `stty`, as speakeasy names it) on the process's own stdin, stdout and
/// stderr; its failure is only its message.
fn stty(arg: &str) {
    let _ = Command::new("/bin/stty").arg0("stty").arg(arg).status();
}
