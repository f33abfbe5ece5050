//! The `atende` server: HTTP API, webhooks, WebSocket hub and job workers.

pub mod absence;
pub mod api;
pub mod app;
pub mod auth;
pub mod bootstrap;
pub mod channel;
pub mod chat;
pub mod config;
pub mod demo;
pub mod error;
pub mod extract;
pub mod flows;
pub mod hub;
pub mod inbound;
pub mod intake;
pub mod jobs;
pub mod limiter;
pub mod media;
pub mod meta;
pub mod monitoring;
pub mod ops;
pub mod presence;
pub mod reports;
pub mod security;
pub mod state;
pub mod telegram;
pub mod telemetry;
pub mod web;
pub mod whatsapp;
pub mod widget;
pub mod wire_schema;
pub mod worker;

pub use app::Application;
pub use config::Config;
