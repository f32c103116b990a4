//! The DOCX reader past its zip check. Mutated zip bytes almost never pass the CRC check, so
//! `read_docx` rarely reaches the XML reader; here the input, cut at `0x01` bytes, is
//! `word/document.xml`, `word/styles.xml` and `word/header1.xml` of a package built around it
//! (stored, with the right CRCs), then read as `read_docx` reads a file.
#![no_main]

use std::io::{Cursor, Write};

use libfuzzer_sys::fuzz_target;
use resume_lint::source::InputFormat;

const PACKAGE_RELS: &str = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

/// The styles part, and the header under the ids Word gives it (rId2 to rId12): a seed's
/// `w:headerReference` then finds it.
fn document_rels() -> String {
    let rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let mut out = format!(
        r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdS" Type="{rel}/styles" Target="styles.xml"/>"#
    );
    for id in 2..=12 {
        out += &format!(r#"<Relationship Id="rId{id}" Type="{rel}/header" Target="header1.xml"/>"#);
    }
    out + "</Relationships>"
}

fuzz_target!(|data: &[u8]| {
    let mut parts = data.splitn(3, |&b| b == 1);
    let rels = document_rels();
    let mut files: Vec<(&str, &[u8])> = vec![("_rels/.rels", PACKAGE_RELS.as_bytes()), ("word/_rels/document.xml.rels", rels.as_bytes())];
    for name in ["word/document.xml", "word/styles.xml", "word/header1.xml"] {
        if let Some(part) = parts.next() {
            files.push((name, part));
        }
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in files {
        if zip.start_file(name, stored).is_err() || zip.write_all(bytes).is_err() {
            return;
        }
    }
    let Ok(package) = zip.finish() else { return };
    resume_lint::fuzzing::read(InputFormat::Docx, &package.into_inner());
});
