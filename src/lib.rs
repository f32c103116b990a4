//! resume-lint: a linter for resumes and interview intro scripts of engineers moving into ML.
//!
//! The data flow, one module per stage:
//! input formats ([`source`]) → document model ([`document`]) → rules ([`rule`], matcher kinds in
//! [`kind`]) → findings ([`lint`]) → diagnostics ([`diagnostic`]) → output formats ([`render`]).
//! [`linter`] is the one entry point over them; [`cli`] and [`server`] are thin front ends over it, and only
//! the binary prints.

pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod document;
pub mod error;
pub mod fix;
pub mod fuzzing;
pub mod kind;
pub mod limits;
pub mod lint;
pub mod linter;
pub mod names;
pub mod position;
pub mod render;
pub mod rule;
pub mod source;
pub mod suppress;
pub mod server;
