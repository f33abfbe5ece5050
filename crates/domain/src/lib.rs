//! Atende's domain: the pure types and rules that every other crate relies on.
//!
//! - Identifiers ([`OrgId`], [`ConversationId`], …) and formatted values that
//!   are valid by construction: [`PhoneE164`], [`Cpf`], [`Cnpj`],
//!   [`Document`], [`Email`], [`Protocol`].
//! - Rules as pure functions with table tests: chat views and visibility
//!   (LC-1, [`views_of`]), assignment transitions (LC-9, [`apply`]), the
//!   WhatsApp session window (CH-5, [`session_window`]), permissions (AD-1,
//!   [`Permissions`]), delivery receipts ([`ReceiptStatus::advance`]),
//!   business hours per inbox (LC-22, [`BusinessHours`]).
//!
//! No I/O, no async, no SQL. User-facing texts (errors, labels) are pt-BR.
//! Everything is re-exported at the crate root.

mod macros;

pub mod assignment;
pub mod document;
pub mod email;
pub mod error;
pub mod hours;
pub mod ids;
pub mod message;
pub mod monitoring;
pub mod permissions;
pub mod phone;
pub mod protocol;
pub mod routing;
pub mod views;
pub mod window;

pub use assignment::*;
pub use document::*;
pub use email::*;
pub use error::*;
pub use hours::*;
pub use ids::*;
pub use message::*;
pub use permissions::*;
pub use phone::*;
pub use protocol::*;
pub use views::*;
pub use window::*;
