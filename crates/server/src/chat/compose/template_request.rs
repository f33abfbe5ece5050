//! What an agent, a flow or an integrator gives to send a template
//! (CH-6): its name and language, the values of its placeholders and a
//! header's file. The channel that has templates checks them against the
//! synced template and builds what its provider takes
//! (`Channel::build_template`).

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

/// A template to send (the only thing allowed outside the 24 h window).
/// Give the values of its placeholders and, for an image, video or document
/// header, the file; the server builds the Cloud API components. `{nome}`
/// and custom-field variables inside any value are filled too (CH-10).
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct TemplateSend {
    pub name: String,
    /// e.g. `pt_BR`; default: the first synced language of that name.
    pub language: Option<String>,
    /// Values of the body's `{{1}}`, `{{2}}`…, in order.
    #[serde(default)]
    pub variables: Vec<String>,
    /// Values of a text header's `{{1}}`… (numbered apart from the body's).
    #[serde(default)]
    pub header_variables: Vec<String>,
    /// Values of named placeholders (`{{pedido}}`) in the header or body.
    #[serde(default)]
    pub named_variables: BTreeMap<String, String>,
    /// The file of an image, video or document header.
    pub header_media: Option<HeaderMedia>,
    /// Full Cloud API components (e.g. button parameters), sent as given
    /// instead of the fields above; variables in their texts are filled.
    #[schema(value_type = Option<Vec<Object>>)]
    pub components: Option<Vec<Value>>,
}

/// A template header's file: an upload id or a public link.
#[derive(Deserialize, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct HeaderMedia {
    pub id: Option<String>,
    pub link: Option<String>,
    /// Documents only: the name the contact sees.
    pub filename: Option<String>,
}
