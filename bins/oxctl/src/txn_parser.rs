//! etcdctl's txn input: compares, a blank line, success ops, a blank line, failure ops, a blank
//! line. A compare is `TARGET("key") OP "value"` (Go's `Sscanf(rest, "%q) %s %q")`); an op is a
//! `put`, `get` or `del` command line with that command's flags.

use std::io::BufRead;

use oxcd_proto::etcdserverpb::{
    compare::{CompareResult, CompareTarget, TargetUnion},
    request_op::Request,
    Compare, RequestOp, TxnRequest,
};

use crate::args;
use crate::commands::kv;
use crate::error::{CtlError, CtlResult, EXIT_INVALID_INPUT};
use crate::goformat::{self, quote_bytes};

/// Reads a whole txn from `input`, printing etcdctl's prompts to `prompts` when interactive.
pub fn read_txn(input: &mut dyn BufRead, mut prompt: impl FnMut(&str)) -> CtlResult<TxnRequest> {
    prompt("compares:");
    let compare = read_section(input, parse_compare)?;
    prompt("success requests (get, put, del):");
    let success = read_section(input, parse_op)?;
    prompt("failure requests (get, put, del):");
    let failure = read_section(input, parse_op)?;
    Ok(TxnRequest {
        compare,
        success,
        failure,
    })
}

/// Parses lines until a blank one. Input that ends before the blank line is `EOF` (etcdctl reads
/// with `ReadString('\n')` and fails on any error, a final unterminated line included).
fn read_section<T>(
    input: &mut dyn BufRead,
    mut parse: impl FnMut(&[u8]) -> CtlResult<T>,
) -> CtlResult<Vec<T>> {
    let mut items = Vec::new();
    loop {
        let mut raw = Vec::new();
        let read = input
            .read_until(b'\n', &mut raw)
            .map_err(|e| CtlError::new(EXIT_INVALID_INPUT, e))?;
        if read == 0 || raw.last() != Some(&b'\n') {
            return Err(CtlError::new(EXIT_INVALID_INPUT, "EOF"));
        }
        let line = raw.trim_ascii();
        if line.is_empty() {
            return Ok(items);
        }
        items.push(parse(line)?);
    }
}

fn invalid_input(message: String) -> CtlError {
    CtlError::new(EXIT_INVALID_INPUT, message)
}

/// One compare line, e.g. `mod("k") > "5"` or `value("k") = "v"`.
pub fn parse_compare(raw_line: &[u8]) -> CtlResult<Compare> {
    let line = String::from_utf8_lossy(raw_line);
    let Some(paren) = raw_line.iter().position(|&b| b == b'(') else {
        return Err(invalid_input(format!("malformed comparison: {line}")));
    };
    let target = String::from_utf8_lossy(&raw_line[..paren]);
    let mut scanner = Scanner {
        rest: &raw_line[paren + 1..],
    };
    let (mut key, mut op, mut value) = (Vec::new(), Vec::new(), Vec::new());
    let complete = (|| {
        key = scanner.quoted()?;
        scanner.literal(b')')?;
        scanner.required_space()?;
        op = scanner.token()?;
        scanner.required_space()?;
        value = scanner.quoted()?;
        Some(())
    })()
    .is_some();
    if !complete {
        return Err(invalid_input(format!(
            "malformed comparison: {line}; got {target}({}) {} {}",
            quote_bytes(&key),
            String::from_utf8_lossy(&op),
            quote_bytes(&value)
        )));
    }
    let value_text = String::from_utf8_lossy(&value).into_owned();
    let invalid = || invalid_input(format!("invalid txn compare request: {line}"));
    let (target, union) = match target.as_ref() {
        "ver" | "version" => {
            let v = goformat::parse_int_base(&value_text, 10, "ParseInt").map_err(|_| invalid())?;
            (CompareTarget::Version, TargetUnion::Version(v))
        }
        "c" | "create" => {
            let v = goformat::parse_int_base(&value_text, 10, "ParseInt").map_err(|_| invalid())?;
            (CompareTarget::Create, TargetUnion::CreateRevision(v))
        }
        "m" | "mod" => {
            let v = goformat::parse_int_base(&value_text, 10, "ParseInt").map_err(|_| invalid())?;
            (CompareTarget::Mod, TargetUnion::ModRevision(v))
        }
        "val" | "value" => (CompareTarget::Value, TargetUnion::Value(value)),
        "lease" => {
            let v = goformat::parse_int_base(&value_text, 16, "ParseInt").map_err(|_| invalid())?;
            (CompareTarget::Lease, TargetUnion::Lease(v))
        }
        other => {
            return Err(invalid_input(format!(
                "malformed comparison: {line} (unknown target {other})"
            )))
        }
    };
    let result = match op.as_slice() {
        b"=" | b"==" => CompareResult::Equal,
        b"!=" => CompareResult::NotEqual,
        b"<" => CompareResult::Less,
        b">" => CompareResult::Greater,
        // clientv3.Compare panics on any other operator; etcdctl dies with it.
        _ => return Err(CtlError::panic("Unknown result op")),
    };
    Ok(Compare {
        result: result as i32,
        target: target as i32,
        key,
        range_end: Vec::new(),
        target_union: Some(union),
    })
}

/// The part of Go's `fmt` scanner the compare grammar uses.
struct Scanner<'a> {
    rest: &'a [u8],
}

impl Scanner<'_> {
    fn skip_spaces(&mut self) {
        while let Some(b' ' | b'\t' | b'\r') = self.rest.first() {
            self.rest = &self.rest[1..];
        }
    }

    /// A space in a Go scan format needs at least one space in the input (or its end).
    fn required_space(&mut self) -> Option<()> {
        match self.rest.first() {
            None => Some(()),
            Some(b' ' | b'\t' | b'\r') => {
                self.skip_spaces();
                Some(())
            }
            Some(_) => None,
        }
    }

    fn literal(&mut self, expected: u8) -> Option<()> {
        if self.rest.first() == Some(&expected) {
            self.rest = &self.rest[1..];
            Some(())
        } else {
            None
        }
    }

    /// `%s`: a run of non-space bytes after optional spaces.
    fn token(&mut self) -> Option<Vec<u8>> {
        self.skip_spaces();
        let len = self
            .rest
            .iter()
            .take_while(|b| !b.is_ascii_whitespace())
            .count();
        if len == 0 {
            return None;
        }
        let token = self.rest[..len].to_vec();
        self.rest = &self.rest[len..];
        Some(token)
    }

    /// `%q`: a Go double-quoted string (with escapes) or a back-quoted raw string.
    fn quoted(&mut self) -> Option<Vec<u8>> {
        self.skip_spaces();
        match self.rest.first()? {
            b'`' => {
                let end = self.rest[1..].iter().position(|&b| b == b'`')?;
                let raw = self.rest[1..1 + end].to_vec();
                self.rest = &self.rest[end + 2..];
                Some(raw)
            }
            b'"' => {
                let mut index = 1;
                loop {
                    match self.rest.get(index)? {
                        b'\\' => index += 2,
                        b'"' => break,
                        _ => index += 1,
                    }
                }
                let literal = &self.rest[..=index];
                self.rest = &self.rest[index + 1..];
                unquote(literal).ok()
            }
            _ => None,
        }
    }
}

/// Go's `strconv.Unquote` of a double-quoted literal, returning raw bytes (`\x` escapes need not
/// form UTF-8).
pub fn unquote(literal: &[u8]) -> Result<Vec<u8>, String> {
    let syntax = || "invalid syntax".to_string();
    let inner = literal
        .strip_prefix(b"\"")
        .and_then(|s| s.strip_suffix(b"\""))
        .ok_or_else(syntax)?;
    let mut out = Vec::with_capacity(inner.len());
    let mut i = 0;
    let hex = |digits: &[u8]| -> Result<u32, String> {
        let text = std::str::from_utf8(digits).map_err(|_| syntax())?;
        u32::from_str_radix(text, 16).map_err(|_| syntax())
    };
    while i < inner.len() {
        let b = inner[i];
        if b == b'"' || b == b'\n' {
            return Err(syntax());
        }
        if b != b'\\' {
            out.push(b);
            i += 1;
            continue;
        }
        let escape = *inner.get(i + 1).ok_or_else(syntax)?;
        i += 2;
        match escape {
            b'a' => out.push(7),
            b'b' => out.push(8),
            b'f' => out.push(12),
            b'n' => out.push(b'\n'),
            b'r' => out.push(b'\r'),
            b't' => out.push(b'\t'),
            b'v' => out.push(11),
            b'\\' => out.push(b'\\'),
            b'"' => out.push(b'"'),
            b'x' => {
                let digits = inner.get(i..i + 2).ok_or_else(syntax)?;
                out.push(hex(digits)? as u8);
                i += 2;
            }
            b'0'..=b'7' => {
                let digits = inner.get(i - 1..i + 2).ok_or_else(syntax)?;
                let text = std::str::from_utf8(digits).map_err(|_| syntax())?;
                let value = u32::from_str_radix(text, 8).map_err(|_| syntax())?;
                out.push(u8::try_from(value).map_err(|_| syntax())?);
                i += 2;
            }
            b'u' | b'U' => {
                let width = if escape == b'u' { 4 } else { 8 };
                let digits = inner.get(i..i + width).ok_or_else(syntax)?;
                let c = char::from_u32(hex(digits)?).ok_or_else(syntax)?;
                let mut buf = [0u8; 4];
                out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                i += width;
            }
            _ => return Err(syntax()),
        }
    }
    Ok(out)
}

/// etcdctl's `argify`: words, "double-quoted" (Go escapes) or 'single-quoted' strings.
pub fn argify(bytes: &[u8]) -> CtlResult<Vec<Vec<u8>>> {
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c);
    let mut args = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        match bytes[i] {
            b'"' => {
                let mut j = i + 1;
                let mut closed = false;
                while j < bytes.len() {
                    match bytes[j] {
                        b'\\' if j + 1 < bytes.len() && bytes[j + 1] != b'\n' => j += 2,
                        b'\\' => break,
                        b'"' => {
                            closed = true;
                            break;
                        }
                        _ => j += 1,
                    }
                }
                if closed {
                    let unquoted = unquote(&bytes[start..=j])
                        .map_err(|e| CtlError::new(EXIT_INVALID_INPUT, e))?;
                    args.push(unquoted);
                    i = j + 1;
                } else {
                    i += 1;
                }
            }
            b'\'' => match bytes[i + 1..].iter().position(|&b| b == b'\'') {
                Some(end) => {
                    // etcdctl 3.4 strips the quotes with a wrong length here; we strip them.
                    args.push(bytes[i + 1..i + 1 + end].to_vec());
                    i += end + 2;
                }
                None => i += 1,
            },
            b if is_space(b) => i += 1,
            _ => {
                let len = bytes[i..].iter().take_while(|&&b| !is_space(b)).count();
                args.push(bytes[i..i + len].to_vec());
                i += len;
            }
        }
    }
    Ok(args)
}

/// One op line: `put k v [--lease=..]`, `get k [--prefix ..]`, `del k [..]`.
pub fn parse_op(raw_line: &[u8]) -> CtlResult<RequestOp> {
    let line = String::from_utf8_lossy(raw_line);
    let words = argify(raw_line)?;
    if words.len() < 2 {
        return Err(invalid_input(format!(
            "invalid txn compare request: {line}"
        )));
    }
    let invalid = || invalid_input(format!("invalid txn request: {line}"));
    let command_word = String::from_utf8_lossy(&words[0]);
    let command = command_word.as_ref();
    if !matches!(command, "put" | "get" | "del") {
        return Err(invalid());
    }
    let (flags, op_args) = args::parse_local(command, &words[1..]).map_err(|_| {
        // cobra prints the command's usage when its flags do not parse.
        let mut err = invalid();
        err.stderr = format!("{}{}", args::cobra_usage(command), err.stderr);
        err
    })?;
    let request = match command {
        "put" => Request::RequestPut(kv::put_request(&flags, &op_args, None)?),
        "get" => Request::RequestRange(kv::range_request(&flags, &op_args)?),
        _ => Request::RequestDeleteRange(kv::delete_request(&flags, &op_args)?),
    };
    Ok(RequestOp {
        request: Some(request),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(result: CtlResult<impl std::fmt::Debug>) -> (i32, String) {
        let e = result.expect_err("should fail");
        (e.code, e.stderr)
    }

    #[test]
    fn compares() {
        let c = parse_compare(r#"mod("k1") > "5""#.as_bytes()).unwrap();
        assert_eq!(c.key, b"k1");
        assert_eq!(c.result, CompareResult::Greater as i32);
        assert_eq!(c.target_union, Some(TargetUnion::ModRevision(5)));
        let c = parse_compare(r#"value("k\x41")   !=   `raw"v`"#.as_bytes()).unwrap();
        assert_eq!(c.key, b"kA");
        assert_eq!(c.target_union, Some(TargetUnion::Value(b"raw\"v".to_vec())));
        let c = parse_compare(r#"lease("k") = "1f""#.as_bytes()).unwrap();
        assert_eq!(c.target_union, Some(TargetUnion::Lease(31)));
        let c = parse_compare(r#"ver("k") == "2" trailing"#.as_bytes()).unwrap();
        assert_eq!(c.result, CompareResult::Equal as i32);
    }

    #[test]
    fn compare_errors_match_etcdctl() {
        assert_eq!(
            err(parse_compare(r#"bad("k1") = "0""#.as_bytes())),
            (
                3,
                "Error: malformed comparison: bad(\"k1\") = \"0\" (unknown target bad)\n".into()
            )
        );
        assert_eq!(
            err(parse_compare(r#"mod("k1")>"0""#.as_bytes())),
            (
                3,
                "Error: malformed comparison: mod(\"k1\")>\"0\"; got mod(\"k1\")  \"\"\n".into()
            )
        );
        assert_eq!(
            err(parse_compare(r#"val("k2") = "v2"#.as_bytes())),
            (
                3,
                "Error: malformed comparison: val(\"k2\") = \"v2; got val(\"k2\") = \"\"\n".into()
            )
        );
        assert_eq!(
            err(parse_compare(r#"mod("k1") > "x""#.as_bytes())),
            (
                3,
                "Error: invalid txn compare request: mod(\"k1\") > \"x\"\n".into()
            )
        );
        assert_eq!(
            err(parse_compare(r#"mod "k1" > "x""#.as_bytes())).1,
            "Error: malformed comparison: mod \"k1\" > \"x\"\n"
        );
        assert_eq!(
            err(parse_compare(r#"mod("k1") ~ "0""#.as_bytes())),
            (2, "panic: Unknown result op\n".into())
        );
    }

    #[test]
    fn ops() {
        let op = parse_op(r#"put "a b" "c\td" --prev-kv"#.as_bytes()).unwrap();
        match op.request {
            Some(Request::RequestPut(p)) => {
                assert_eq!(p.key, b"a b");
                assert_eq!(p.value, b"c\td");
                assert!(p.prev_kv);
            }
            other => panic!("{other:?}"),
        }
        match parse_op("get k --prefix --limit=1".as_bytes())
            .unwrap()
            .request
        {
            Some(Request::RequestRange(r)) => {
                assert_eq!(r.range_end, b"l");
                assert_eq!(r.limit, 1);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            err(parse_op("get".as_bytes())).1,
            "Error: invalid txn compare request: get\n"
        );
        assert_eq!(
            err(parse_op("foo x".as_bytes())).1,
            "Error: invalid txn request: foo x\n"
        );
        assert!(err(parse_op("get k -w json".as_bytes()))
            .1
            .ends_with("\n\nError: invalid txn request: get k -w json\n"));
        assert_eq!(
            argify(b"put \"\\xff\" '\xfe q'  raw\x01").unwrap(),
            vec![
                b"put".to_vec(),
                vec![0xff],
                b"\xfe q".to_vec(),
                b"raw\x01".to_vec()
            ]
        );
        assert_eq!(err(parse_op("put x".as_bytes())).0, 128);
        assert_eq!(err(parse_op("del a b c".as_bytes())).0, 128);
    }

    #[test]
    fn whole_txn_and_eof() {
        let input = "mod(\"k\") = \"0\"\n\nput a b\n\nget a\n\n";
        let txn = read_txn(&mut input.as_bytes(), |_| {}).unwrap();
        assert_eq!(
            (txn.compare.len(), txn.success.len(), txn.failure.len()),
            (1, 1, 1)
        );
        let mut prompts = Vec::new();
        let result = read_txn(&mut "\n\nput a b\n".as_bytes(), |p| {
            prompts.push(p.to_string())
        });
        assert_eq!(err(result), (3, "Error: EOF\n".into()));
        assert_eq!(prompts.len(), 3);
    }
}
