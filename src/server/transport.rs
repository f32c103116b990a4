//! The server's own stdio transport: `lsp-server`'s framing, without its panics.
//!
//! `lsp_server::Connection::stdio()` allocates a message's whole `Content-Length` before
//! reading it (a client claiming 10^15 bytes aborts the process, one claiming 2^64 - 1 panics
//! the reader thread, and joining that thread panics the main one), and once a write to
//! standard output has failed, the library's own `send(..).unwrap()` in `initialize_start`
//! panics. Here a message grows only as its bytes arrive, up to [`MAX_MESSAGE_BYTES`]; the
//! writer keeps draining after a failed write, so a send cannot fail while the server runs;
//! and a broken stream or a failed write becomes an [`Error`] naming the reason. A client that
//! vanished mid-message is not an error: it has nobody left to tell.

use std::io::{self, BufRead, Read};
use std::sync::{Arc, OnceLock};
use std::thread::{self, JoinHandle};

use crossbeam_channel::{Sender, bounded};
use lsp_server::{Connection, Message};

use crate::error::Error;

/// The largest message read: 32 times the default `file-bytes` limit, which leaves room for a
/// raised limit and for JSON escaping (at most six bytes a character) of a default-sized text.
const MAX_MESSAGE_BYTES: usize = 256 << 20;

/// The longest header line read; a real one (`Content-Length: 123`) is a few dozen bytes.
const MAX_HEADER_BYTES: u64 = 1 << 10;

/// The threads behind a [`Connection`] over standard input and output.
pub struct Transport {
    /// Ends with why writing to standard output failed, if it did.
    writer: JoinHandle<Option<String>>,
    /// Why reading stopped early, when the stream was broken. Set before the reader drops its
    /// sender, so whoever saw the channel close can read it.
    broken: Arc<OnceLock<String>>,
}

/// A connection over standard input and output, as `Connection::stdio()` makes it: each side
/// a rendezvous channel, so a client that sends faster than the server lints waits in its pipe.
pub fn stdio() -> Result<(Connection, Transport), Error> {
    let cannot_start = |e: io::Error| Error::usage(format!("language server: cannot start its threads: {e}"));
    let (to_writer, from_server) = bounded::<Message>(0);
    let writer = thread::Builder::new()
        .name("LspServerWriter".into())
        .spawn(move || {
            let mut stdout = io::stdout().lock();
            let mut failed = None;
            // After a failed write keep receiving, so that no send fails; the session ends
            // when the client's input does, and the failure is told then.
            for message in from_server {
                if failed.is_none() {
                    failed = message.write(&mut stdout).err().map(|e| crate::source::io_reason(&e));
                }
            }
            failed
        })
        .map_err(cannot_start)?;
    let (to_server, from_client) = bounded::<Message>(0);
    let broken = Arc::new(OnceLock::new());
    let noted = Arc::clone(&broken);
    thread::Builder::new()
        .name("LspServerReader".into())
        .spawn(move || {
            if let Err(reason) = forward(&mut io::stdin().lock(), &to_server) {
                let _ = noted.set(reason);
            }
            // `to_server` drops only now, after the reason is noted.
        })
        .map_err(cannot_start)?;
    Ok((Connection { sender: to_writer, receiver: from_client }, Transport { writer, broken }))
}

impl Transport {
    /// Wait for the writer to send what the server queued (call after dropping the
    /// connection), then say why the session could not go on: a broken stream from the
    /// client first (the cause of anything after it), else a failed write. The reader is not
    /// joined: after a protocol error it may still wait on an open input.
    pub fn finish(self) -> Result<(), Error> {
        // A writer that panicked (it has nothing that should) counts as one that wrote.
        let failed = self.writer.join().ok().flatten();
        if let Some(reason) = self.broken.get() {
            return Err(Error::usage(format!("language server protocol: {reason}")));
        }
        match failed {
            Some(reason) => Err(Error::usage(format!("language server: cannot write to standard output: {reason}"))),
            None => Ok(()),
        }
    }
}

/// Pass each message from `input` to `to_server` until `exit`, the end of the input, or the
/// server's end closing. `Err` is a broken stream; a client that vanished mid-message is not
/// one (it has nobody left to tell).
fn forward(input: &mut impl BufRead, to_server: &Sender<Message>) -> Result<(), String> {
    while let Some(body) = read_body(input)? {
        let message: Message = serde_json::from_slice(&body).map_err(|e| format!("malformed message: {e}"))?;
        let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
        if to_server.send(message).is_err() || exit {
            break;
        }
    }
    Ok(())
}

/// The next message's body; `None` at the end of the input (or inside a message).
fn read_body(input: &mut impl BufRead) -> Result<Option<Vec<u8>>, String> {
    let mut length = None;
    let mut line = String::new();
    loop {
        line.clear();
        match input.by_ref().take(MAX_HEADER_BYTES).read_line(&mut line) {
            Ok(0) => return Ok(None),
            // The input ended inside the line.
            Ok(n) if !line.ends_with('\n') && (n as u64) < MAX_HEADER_BYTES => return Ok(None),
            Ok(_) => {}
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Err("a header is not UTF-8".into()),
            // Standard input failed under us: the client is gone.
            Err(_) => return Ok(None),
        }
        let Some(header) = line.strip_suffix("\r\n") else {
            return Err(format!("malformed header {:?}", clipped(line.trim_end())));
        };
        if header.is_empty() {
            break;
        }
        let Some((name, value)) = header.split_once(": ") else {
            return Err(format!("malformed header {:?}", clipped(header)));
        };
        if name.eq_ignore_ascii_case("Content-Length") {
            let bytes: u64 = value.parse().map_err(|_| format!("Content-Length {:?} is not a number", clipped(value)))?;
            if bytes > MAX_MESSAGE_BYTES as u64 {
                return Err(format!("a message of {bytes} bytes is over the {MAX_MESSAGE_BYTES} bytes the server reads"));
            }
            length = Some(bytes);
        }
    }
    let length = length.ok_or("a message without Content-Length")?;
    // Grown as the bytes arrive, never allocated up front from what the header claims.
    let mut body = Vec::new();
    match input.take(length).read_to_end(&mut body) {
        Ok(n) if n as u64 == length => Ok(Some(body)),
        _ => Ok(None),
    }
}

/// A header as quoted in an error: its first 40 characters.
fn clipped(header: &str) -> String {
    match header.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", &header[..end]),
        None => header.to_string(),
    }
}
