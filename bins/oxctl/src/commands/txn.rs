//! `txn [-i]`: a transaction read from stdin in etcdctl's grammar (see `txn_parser`).

use std::io::Write;

use super::{emit, Ctx};
use crate::error::{CtlError, CtlResult, EXIT_BAD_ARGS};
use crate::txn_parser;

pub async fn txn(ctx: &mut Ctx) -> CtlResult<()> {
    if !ctx.inv.args.is_empty() {
        return Err(CtlError::new(
            EXIT_BAD_ARGS,
            "txn command does not accept argument",
        ));
    }
    let interactive = ctx.inv.flags.bool("interactive");
    let (mut client, printer) = ctx.client()?;
    let request = {
        let mut stdin = std::io::stdin().lock();
        txn_parser::read_txn(&mut stdin, |prompt| {
            if interactive {
                let mut stdout = std::io::stdout().lock();
                let _ = writeln!(stdout, "{prompt}");
                let _ = stdout.flush();
            }
        })?
    };
    let response = client.txn(request).await?;
    emit(printer.txn(&response)?);
    Ok(())
}
