//! resume-lint: a linter for resumes and interview intro scripts of engineers moving into ML.
//!
//! The data flow, one module per stage:
//! input formats ([`source`]) → document model ([`document`]) → rules ([`rule`], matcher kinds in
//! [`kind`]) → findings ([`lint`]) → diagnostics ([`diagnostic`]) → output formats ([`render`]).
//! [`cli`] wires them to the command line; only the binary prints.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod fix;
pub mod kind;
pub mod lint;
pub mod render;
pub mod rule;
pub mod source;
pub mod suppress;
