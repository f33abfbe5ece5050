//! Business actions on a chat shared by the API, the job handlers, the flow
//! runner and the absence replies: sending (one place for every outbound
//! message) and closing.

pub mod close;
pub mod send;
