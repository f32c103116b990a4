//! Input formats: bytes of a file in, one [`Document`] out. One file per format.

#[cfg(feature = "docx")]
pub mod docx;
#[cfg(not(all(feature = "pdf", feature = "docx")))]
mod feature_off;
#[cfg(not(feature = "docx"))]
pub use feature_off::docx;
#[cfg(not(feature = "pdf"))]
pub use feature_off::pdf;
mod inline_markdown;
pub mod json_resume;
pub mod latex;
mod lines;
mod markdown;
pub mod pages;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod rendercv;
mod text;

use std::io::Read;
use std::path::Path;

use crate::document::{DocKind, Document};
use crate::error::{Error, ErrorKind};
use crate::limits::{Budget, Exceeded, Limits};

/// Largest file resume-lint reads; a resume is a few kilobytes, so anything near this is a mistake.
pub const MAX_FILE_BYTES: u64 = 8 * 1024 * 1024;

/// A supported input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum InputFormat {
    /// CommonMark, read with pulldown-cmark.
    Markdown,
    /// Plain text, read with line rules.
    Text,
    /// LaTeX (Jake's resume, Awesome-CV, moderncv, AltaCV and the like).
    Latex,
    /// JSON Resume (jsonresume.org).
    JsonResume,
    /// RenderCV YAML.
    Rendercv,
    /// PDF, through its text layer (lopdf).
    Pdf,
    /// Word .docx (its XML streamed with quick-xml).
    Docx,
}

impl InputFormat {
    /// The format a file name's extension names, if supported.
    pub fn from_path(path: &Path) -> Option<InputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "md" | "markdown" | "mdown" | "mkd" => Some(InputFormat::Markdown),
            "txt" | "text" => Some(InputFormat::Text),
            "tex" | "latex" => Some(InputFormat::Latex),
            "json" => Some(InputFormat::JsonResume),
            "yaml" | "yml" => Some(InputFormat::Rendercv),
            "pdf" => Some(InputFormat::Pdf),
            "docx" => Some(InputFormat::Docx),
            _ => None,
        }
    }

    /// The extensions walked in directories, for messages.
    pub const EXTENSIONS: &'static str = ".md, .markdown, .txt, .tex, .json, .yaml, .yml, .pdf, .docx";

    /// Whether the document's source is the file's own text, so fixes can be written back.
    /// Binary formats are linted through text extracted from them.
    pub fn is_text(self) -> bool {
        !matches!(self, InputFormat::Pdf | InputFormat::Docx)
    }
}

/// Read a file with a size cap, so a huge or endless file cannot exhaust memory.
pub fn read_capped(path: &Path, reader: impl Read) -> Result<Vec<u8>, Error> {
    read_capped_to(path, reader, MAX_FILE_BYTES)
}

/// Read at most `max` bytes; more is a [`ErrorKind::TooLarge`] error naming the `file-bytes`
/// limit.
pub fn read_capped_to(path: &Path, reader: impl Read, max: u64) -> Result<Vec<u8>, Error> {
    read_capped_sized(path, reader, max, 0)
}

/// [`read_capped_to`] with room for `expected` bytes made first (a file's size as its metadata
/// says): the text then comes in one read, not in reads that double a small buffer.
fn read_capped_sized(path: &Path, reader: impl Read, max: u64, expected: u64) -> Result<Vec<u8>, Error> {
    // One byte more than the cap, as `take` allows; a size past it is not trusted further.
    let mut bytes = Vec::with_capacity(expected.min(max.saturating_add(1)).min(1 << 26) as usize);
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(ErrorKind::Io, path, io_reason(&e)))?;
    if bytes.len() as u64 > max {
        let shown = if max >= 1 << 20 && max % (1 << 20) == 0 { format!("{} MiB", max >> 20) } else { format!("{max} bytes") };
        return Err(Error::new(
            ErrorKind::TooLarge,
            path,
            format!(
                "file is larger than {shown}; is it really a resume? (the file-bytes limit: raise it with `--limit file-bytes=N` or under [limits] in resume-lint.toml)"
            ),
        ));
    }
    Ok(bytes)
}

/// Open and read a regular file from disk, capped at [`MAX_FILE_BYTES`]. A FIFO, socket or
/// device is refused before it is opened, so it can neither block the run nor be read forever.
pub fn read_path(path: &Path) -> Result<Vec<u8>, Error> {
    read_path_to(path, MAX_FILE_BYTES)
}

/// Open and read a regular file from disk, capped at `max` bytes. A FIFO, socket or device is
/// refused before it is opened, so it can neither block the run nor be read forever.
pub fn read_path_to(path: &Path, max: u64) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io, path, io_reason(&e));
    not_regular(path, &std::fs::metadata(path).map_err(io)?.file_type()).map_or(Ok(()), Err)?;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Non-blocking open: if a FIFO replaced the file since the check, opening it returns at once
    // instead of waiting for a writer; the check on the open handle below then refuses it.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(io)?;
    let metadata = file.metadata().map_err(io)?;
    not_regular(path, &metadata.file_type()).map_or(Ok(()), Err)?;
    read_capped_sized(path, file, max, metadata.len())
}

/// The error for a path that is not a regular file (nor a directory, which callers walk), or
/// `None` when it is one.
pub fn not_regular(path: &Path, file_type: &std::fs::FileType) -> Option<Error> {
    if file_type.is_file() {
        return None;
    }
    if file_type.is_dir() {
        return Some(Error::new(ErrorKind::Io, path, "is a directory"));
    }
    Some(Error::new(ErrorKind::NotRegular, path, special_file_reason(file_type)))
}

/// Why a special file is refused, in words.
fn special_file_reason(file_type: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "is a named pipe, not a regular file (use `-` to lint standard input)";
        }
        if file_type.is_socket() {
            return "is a socket, not a regular file";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "is a device, not a regular file";
        }
    }
    "is not a regular file"
}

/// A short, lowercase reason for an I/O error.
pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let s = e.to_string();
            let s = s.split(" (os error").next().unwrap_or(&s).to_string();
            let mut c = s.chars();
            c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
        }
    }
}

/// Bytes to text: refuse binary data and invalid UTF-8, naming where it goes wrong.
pub fn decode_text(path: &Path, bytes: Vec<u8>) -> Result<String, Error> {
    let head = &bytes[..bytes.len().min(8192)];
    if head.contains(&0) {
        return Err(Error::new(ErrorKind::Binary, path, "binary data (NUL bytes), not a text file"));
    }
    String::from_utf8(bytes).map_err(|e| {
        let offset = e.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&e.as_bytes()[..offset]).into_owned();
        Error::new(ErrorKind::Encoding, path, format!("invalid UTF-8 at byte {offset}"))
            .at_offset(&valid, offset)
    })
}

/// Parse file contents into a document. `kind` forces the document kind; otherwise front
/// matter or the structure decides.
pub fn parse(
    path: &Path,
    format: InputFormat,
    bytes: Vec<u8>,
    kind: Option<DocKind>,
) -> Result<Document, Error> {
    parse_limited(path, format, bytes, kind, &Limits::default())
}

/// [`parse`] under `limits`, with the time budget starting now.
pub fn parse_limited(
    path: &Path,
    format: InputFormat,
    bytes: Vec<u8>,
    kind: Option<DocKind>,
    limits: &Limits,
) -> Result<Document, Error> {
    parse_within(path, format, bytes, kind, Budget::starting_now(limits))
}

/// [`parse`] under `budget`: the container and page limits apply inside the readers, and the
/// block limits and the time budget inside the document builder, so a file past one stops while
/// it is read, with that limit's error.
pub fn parse_within(
    path: &Path,
    format: InputFormat,
    bytes: Vec<u8>,
    kind: Option<DocKind>,
    budget: Budget,
) -> Result<Document, Error> {
    let exceeded = |e: Exceeded| e.error(path);
    match format {
        InputFormat::Latex => latex::read_within(path, bytes, kind, budget),
        InputFormat::JsonResume => json_resume::read_within(path, bytes, kind, budget),
        InputFormat::Rendercv => rendercv::read_within(path, bytes, kind, budget),
        InputFormat::Pdf => pdf::read_within(path, bytes, kind, budget),
        InputFormat::Docx => docx::read_within(path, bytes, kind, budget),
        InputFormat::Markdown => markdown::read_within(decode_text(path, bytes)?, kind, budget).map_err(exceeded),
        InputFormat::Text => text::read_within(decode_text(path, bytes)?, kind, budget).map_err(exceeded),
    }
}

/// Parse Markdown or plain text already in memory (rule examples are Markdown).
pub fn parse_text(format: InputFormat, text: String, kind: Option<DocKind>) -> Document {
    match format {
        InputFormat::Text => text::read(text, kind),
        _ => markdown::read(text, kind),
    }
}
