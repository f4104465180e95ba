//! `auth enable|disable|status` (`status` is etcdctl 3.5+'s), and the password prompts of
//! `user add|passwd` (`--user NAME` asks with oxcd-client's [`ask_password`] alone).

use std::io::BufRead;

use oxcd_client::ask_password;

use super::{emit, no_args, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS, EXIT_ERROR};

/// etcd's answer to `AuthEnable` while `root` lacks the `root` role.
const ROOT_ROLE_NOT_EXIST: &str = "etcdserver: root user does not have root role";

/// etcdctl's `authEnableCommandFunc`: when `root` lacks the `root` role, it adds the role (which
/// may exist already: then that error ends the command), grants it and tries again.
pub async fn enable(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "auth enable command does not accept any arguments")?;
    let (mut client, _) = ctx.client()?;
    loop {
        match client.auth_enable().await {
            Ok(_) => break,
            Err(e) if e.message() == ROOT_ROLE_NOT_EXIST => {
                client.role_add("root").await?;
                client.user_grant_role("root", "root").await?;
            }
            Err(e) => return Err(e.into()),
        }
    }
    println!("Authentication Enabled");
    Ok(())
}

pub async fn disable(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "auth disable command does not accept any arguments")?;
    let (mut client, _) = ctx.client()?;
    client.auth_disable().await?;
    println!("Authentication Disabled");
    Ok(())
}

pub async fn status(ctx: &mut Ctx) -> CtlResult<()> {
    no_args(ctx, "auth status command does not accept any arguments")?;
    let (mut client, printer) = ctx.client()?;
    let r = client.auth_status().await?;
    emit(printer.auth_status(&r)?);
    Ok(())
}

/// etcdctl's `readPasswordInteractive`: the password of `name`, typed twice.
pub fn read_password_interactive(name: &str) -> CtlResult<String> {
    let ask = |prompt: String| {
        ask_password(&prompt)
            .map_err(|e| CtlError::new(EXIT_BAD_ARGS, format!("failed to ask password: {e}")))
    };
    let first = ask(format!("Password of {name}: "))?;
    if first.is_empty() {
        return Err(CtlError::new(EXIT_BAD_ARGS, "empty password"));
    }
    let second = ask(format!("Type password of {name} again for confirmation: "))?;
    if first != second {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "given passwords are different",
        ));
    }
    Ok(first)
}

/// Go's `fmt.Scanf("%s", &password)` on stdin, as `--interactive=false` reads a password: the
/// first word of the first line (spaces before it skipped), or nothing when the line has none.
pub fn scan_word() -> CtlResult<String> {
    let mut line = Vec::new();
    std::io::stdin()
        .lock()
        .read_until(b'\n', &mut line)
        .map_err(|e| CtlError::new(EXIT_ERROR, e))?;
    Ok(first_word(&line))
}

/// The word `%s` scans from `line`: after spaces and tabs, up to the next white space.
fn first_word(line: &[u8]) -> String {
    let word: Vec<u8> = line
        .iter()
        .skip_while(|&&b| b == b' ' || b == b'\t')
        .take_while(|b| !b.is_ascii_whitespace())
        .copied()
        .collect();
    String::from_utf8_lossy(&word).into_owned()
}

#[cfg(test)]
mod tests {
    use super::first_word;

    #[test]
    fn scanned_password_is_the_first_word_of_the_line() {
        assert_eq!(first_word(b"  first second\n"), "first");
        assert_eq!(first_word(b"pw\r\n"), "pw");
        assert_eq!(first_word(b"\n"), "");
        assert_eq!(first_word(b""), "");
    }
}
