//! Schemas of the API document that the derive cannot say on its own: a
//! closed set of strings, and "a day or an instant". Fields and parameters
//! (of the API's types and of the reports' filters) name them with
//! `schema_with`, so the document states what the handler accepts and a
//! client made from it sends nothing the server refuses for its shape.

use serde_json::{Value, json};
use utoipa::openapi::schema::{
    KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Object, Schema};

fn strings(values: &[&str], nullable: bool) -> Object {
    let mut all: Vec<Value> = values.iter().map(|v| json!(v)).collect();
    let ty = if nullable {
        all.push(Value::Null);
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::Type(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(ty)
        .enum_values(Some(all))
        .build()
}

fn string_format(format: KnownFormat) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .build()
}

/// A date (`2026-03-01`, the whole day in Brasília time) or an RFC 3339 instant.
pub fn day_or_instant() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(string_format(KnownFormat::Date))
            .item(string_format(KnownFormat::DateTime))
            .build(),
    )
}

/// [`day_or_instant`], or nothing.
pub fn opt_day_or_instant() -> Schema {
    Schema::OneOf(
        OneOfBuilder::new()
            .item(string_format(KnownFormat::Date))
            .item(string_format(KnownFormat::DateTime))
            .item(ObjectBuilder::new().schema_type(Type::Null).build())
            .build(),
    )
}

/// A user's role.
pub fn role() -> Object {
    strings(&["admin", "manager", "agent"], false)
}
pub fn opt_role() -> Object {
    strings(&["admin", "manager", "agent"], true)
}
/// An agent's own status (LC-19).
pub fn presence() -> Object {
    strings(&["online", "paused", "invisible"], false)
}
pub fn opt_presence() -> Object {
    strings(&["online", "paused", "invisible"], true)
}
/// How a department hands out its chats.
pub fn opt_distribution() -> Object {
    strings(&["manual", "auto"], true)
}
/// A kind of channel.
pub fn opt_channel() -> Object {
    strings(
        &["whatsapp", "instagram", "messenger", "telegram", "widget"],
        true,
    )
}
/// An LC-1 view of the chat list.
pub fn opt_view() -> Object {
    strings(&["all", "open", "mine", "in_service"], true)
}
/// A chat list order (LC-3).
pub fn opt_order() -> Object {
    strings(
        &["newest", "oldest", "newest_opening", "oldest_opening"],
        true,
    )
}
/// A custom field's type.
pub fn opt_field_type() -> Object {
    strings(
        &[
            "text", "number", "date", "boolean", "email", "phone", "cpf", "cnpj", "image", "option",
        ],
        true,
    )
}
/// A file's kind when sent.
pub fn media_kind() -> Object {
    strings(&["image", "video", "audio", "document", "sticker"], false)
}
/// A flow run's state (FL-3).
pub fn opt_run_status() -> Object {
    strings(&["active", "finished", "failed", "stopped"], true)
}
/// The channels an inbox can be created for today.
pub fn inbox_channel() -> Object {
    strings(
        &["whatsapp", "telegram", "messenger", "instagram", "widget"],
        false,
    )
}
/// A custom-field filter's operation (RP-2).
pub fn opt_filter_op() -> Object {
    strings(
        &["contains", "not_contains", "equals", "not_equals", "exists"],
        true,
    )
}
/// Whose custom field it is.
pub fn opt_field_target() -> Object {
    strings(&["contact", "attendance"], true)
}

/// [`day_or_instant`] as a type, for parameters: `schema_with` would drop
/// a parameter's `required` flag and description.
pub struct DayOrInstant;

impl utoipa::PartialSchema for DayOrInstant {
    fn schema() -> utoipa::openapi::RefOr<Schema> {
        day_or_instant().into()
    }
}

impl utoipa::ToSchema for DayOrInstant {}
