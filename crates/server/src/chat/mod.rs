//! Business actions on a chat shared by the API, the job handlers, the flow
//! runner and the absence replies: composing what an agent, a flow or an
//! integrator asks to send (`compose`), sending (one place for every
//! outbound message), closing, and who is typing.

pub mod actions;
pub mod close;
pub mod compose;
pub mod delivery;
pub mod menu;
pub mod send;
pub mod typing;
