//! Tests that run the real `atende` binary as a separate process: start-up
//! on a fresh directory, `bootstrap`, and `kill -9` in the middle of work.

mod cli;
mod kill9;
mod kill9_ingest;
mod kill9_send;
mod server;
