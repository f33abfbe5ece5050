//! The API error: a status plus `{"error": {"code", "message"}}`, and the
//! one table of error codes with their statuses ([`Code`]). The
//! application's own errors (a store error, a refused send…) become codes
//! here and nowhere else.

use atende_store::StoreError;
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// Declares [`Code`] from `Variant = "code" => STATUS` lines.
macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal => $status:ident,)*) => {
        /// Every error code the API answers (stable, snake_case), each
        /// with its one HTTP status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum Code {
            $($(#[$doc])* $variant,)*
        }

        impl Code {
            /// Every code, in the table's order.
            pub const ALL: &[Code] = &[$(Code::$variant,)*];

            /// The code as clients read it in `error.code`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)*
                }
            }

            /// The status every answer with this code has.
            pub const fn status(self) -> StatusCode {
                match self {
                    $(Code::$variant => StatusCode::$status,)*
                }
            }
        }
    };
}

codes! {
    /// A parameter or header could not be read.
    BadRequest = "bad_request" => BAD_REQUEST,
    /// The body is not a JSON object.
    BadJson = "bad_json" => BAD_REQUEST,
    /// The JSON body does not have the shape the operation takes.
    InvalidBody = "invalid_body" => BAD_REQUEST,
    /// A file upload that is not a readable multipart form.
    BadUpload = "bad_upload" => BAD_REQUEST,
    Unauthorized = "unauthorized" => UNAUTHORIZED,
    InvalidCredentials = "invalid_credentials" => UNAUTHORIZED,
    /// A webhook's signature does not match.
    BadSignature = "bad_signature" => UNAUTHORIZED,
    Forbidden = "forbidden" => FORBIDDEN,
    Csrf = "csrf" => FORBIDDEN,
    BadOrigin = "bad_origin" => FORBIDDEN,
    /// A signed media link that does not verify.
    BadLink = "bad_link" => FORBIDDEN,
    NotReseller = "not_reseller" => FORBIDDEN,
    NotFound = "not_found" => NOT_FOUND,
    ContactNotFound = "contact_not_found" => NOT_FOUND,
    NoContactFound = "no_contact_found" => NOT_FOUND,
    NoScheduledClose = "no_scheduled_close" => NOT_FOUND,
    MediaUnavailable = "media_unavailable" => NOT_FOUND,
    Conflict = "conflict" => CONFLICT,
    AttendanceOpen = "attendance_open" => CONFLICT,
    ConfirmAgentChange = "confirm_agent_change" => CONFLICT,
    ConversationExists = "conversation_exists" => CONFLICT,
    FlowRunning = "flow_running" => CONFLICT,
    LastAdmin = "last_admin" => CONFLICT,
    NotReady = "not_ready" => CONFLICT,
    NotServedByAnotherAgent = "not_served_by_another_agent" => CONFLICT,
    Expired = "expired" => GONE,
    LinkExpired = "link_expired" => GONE,
    PayloadTooLarge = "payload_too_large" => PAYLOAD_TOO_LARGE,
    UnsupportedMediaType = "unsupported_media_type" => UNSUPPORTED_MEDIA_TYPE,
    /// A write refused by a rule; the message says which.
    Invalid = "invalid" => UNPROCESSABLE_ENTITY,
    ActiveRuns = "active_runs" => UNPROCESSABLE_ENTITY,
    /// Blocking needs a message from the contact in the last 24 h.
    BlockNeedsRecentMessage = "block_needs_recent_message" => UNPROCESSABLE_ENTITY,
    ClosingFieldRequired = "closing_field_required" => UNPROCESSABLE_ENTITY,
    /// CT-4: nothing reaches a blocked contact.
    ContactBlocked = "contact_blocked" => UNPROCESSABLE_ENTITY,
    EntryFlow = "entry_flow" => UNPROCESSABLE_ENTITY,
    /// LC-8: templates, menus and reactions cannot be internal notes.
    InternalNotAllowed = "internal_not_allowed" => UNPROCESSABLE_ENTITY,
    InvalidFlow = "invalid_flow" => UNPROCESSABLE_ENTITY,
    InvalidProtocol = "invalid_protocol" => UNPROCESSABLE_ENTITY,
    InvalidSession = "invalid_session" => UNPROCESSABLE_ENTITY,
    MediaNotAccepted = "media_not_accepted" => UNPROCESSABLE_ENTITY,
    NoConversationFound = "no_conversation_found" => UNPROCESSABLE_ENTITY,
    NotOpen = "not_open" => UNPROCESSABLE_ENTITY,
    NotPublished = "not_published" => UNPROCESSABLE_ENTITY,
    RangeTooLong = "range_too_long" => UNPROCESSABLE_ENTITY,
    /// CH-5: outside the session window only templates leave.
    SessionExpired = "session_expired" => UNPROCESSABLE_ENTITY,
    TemplateNotApproved = "template_not_approved" => UNPROCESSABLE_ENTITY,
    TemplateNotFound = "template_not_found" => UNPROCESSABLE_ENTITY,
    TemplateParameters = "template_parameters" => UNPROCESSABLE_ENTITY,
    TooManyResults = "too_many_results" => UNPROCESSABLE_ENTITY,
    UnknownTag = "unknown_tag" => UNPROCESSABLE_ENTITY,
    TooManyAttempts = "too_many_attempts" => TOO_MANY_REQUESTS,
    /// Too many requests from one widget visitor or client address.
    RateLimited = "rate_limited" => TOO_MANY_REQUESTS,
    Internal = "internal" => INTERNAL_SERVER_ERROR,
    /// The channel's provider could not be reached.
    ProviderUnreachable = "provider_unreachable" => BAD_GATEWAY,
    /// The channel's provider refused a file.
    UploadRefused = "upload_refused" => BAD_GATEWAY,
    /// The channel's provider refused the credentials given (a bot token
    /// it does not know, a webhook it would not set).
    ProviderRefused = "provider_refused" => UNPROCESSABLE_ENTITY,
}

/// `ErrorDetail.code` in the document: the table's codes.
fn code_schema() -> utoipa::openapi::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(Code::ALL.iter().map(|c| c.as_str())))
        .build()
}

impl From<crate::chat::send::Refusal> for Code {
    fn from(r: crate::chat::send::Refusal) -> Self {
        use crate::chat::send::Refusal;
        match r {
            Refusal::ContactBlocked => Code::ContactBlocked,
            Refusal::SessionExpired => Code::SessionExpired,
            Refusal::NotForInternalNote => Code::InternalNotAllowed,
        }
    }
}

/// An error answered to a client.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub message: String,
    /// Machine-readable facts about the error (e.g. which record conflicts).
    pub details: Option<serde_json::Value>,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case; each code always comes with the same status.
    #[schema(schema_with = code_schema)]
    pub code: String,
    /// Human text (pt-BR where users see it).
    pub message: String,
    /// Facts a client can act on, when the code documents them (e.g.
    /// `conversation_exists` gives the existing `conversation_id`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    pub details: Option<serde_json::Value>,
}

pub type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    /// An error with `code`, answered with the code's status.
    pub fn new(code: Code, message: impl Into<String>) -> ApiError {
        ApiError {
            status: code.status(),
            code,
            message: message.into(),
            details: None,
        }
    }

    /// The same error with `details` for the client.
    pub fn with_details(mut self, details: serde_json::Value) -> ApiError {
        self.details = Some(details);
        self
    }
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::BadRequest, message)
    }
    pub fn invalid(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::Invalid, message)
    }
    pub fn not_found() -> ApiError {
        ApiError::new(Code::NotFound, "Não encontrado.")
    }
    pub fn forbidden() -> ApiError {
        ApiError::new(Code::Forbidden, "Você não tem permissão para esta ação.")
    }
    pub fn unauthorized() -> ApiError {
        ApiError::new(Code::Unauthorized, "Faça login para continuar.")
    }
    pub fn conflict(message: impl Into<String>) -> ApiError {
        ApiError::new(Code::Conflict, message)
    }
    pub fn internal(cause: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(Code::Internal, "Erro interno. Tente novamente.")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_string(),
                message: self.message,
                details: self.details,
            },
        };
        (self.status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Conflict(what) => {
                ApiError::conflict(format!("Já existe um registro com estes dados ({what})."))
            }
            StoreError::Invalid(why) => ApiError::invalid(why),
            other => ApiError::internal(other),
        }
    }
}

impl From<crate::chat::send::SendError> for ApiError {
    fn from(e: crate::chat::send::SendError) -> Self {
        match e {
            crate::chat::send::SendError::Refused(r) => ApiError::new(r.into(), r.message()),
            crate::chat::send::SendError::Store(e) => e.into(),
        }
    }
}

impl From<atende_domain::DomainError> for ApiError {
    fn from(e: atende_domain::DomainError) -> Self {
        ApiError::invalid(e.to_string())
    }
}

impl From<JsonRejection> for ApiError {
    fn from(r: JsonRejection) -> Self {
        // Data errors (a missing field, a wrong type) are still malformed
        // requests for an API client: 400 naming the problem.
        let code = match r.status() {
            StatusCode::PAYLOAD_TOO_LARGE => Code::PayloadTooLarge,
            StatusCode::UNSUPPORTED_MEDIA_TYPE => Code::UnsupportedMediaType,
            StatusCode::UNPROCESSABLE_ENTITY => Code::InvalidBody,
            _ => Code::BadJson,
        };
        ApiError::new(code, r.body_text())
    }
}

impl From<PathRejection> for ApiError {
    fn from(r: PathRejection) -> Self {
        // A malformed id can name nothing that exists.
        ApiError::new(Code::NotFound, r.body_text())
    }
}

impl From<QueryRejection> for ApiError {
    fn from(r: QueryRejection) -> Self {
        ApiError::bad_request(r.body_text())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn codes_are_unique_snake_case_and_each_has_an_error_status() {
        let mut seen = HashSet::new();
        for c in Code::ALL {
            let s = c.as_str();
            assert!(seen.insert(s), "{s} twice");
            assert!(
                s.chars().all(|ch| ch.is_ascii_lowercase() || ch == '_'),
                "{s}"
            );
            assert!(
                c.status().is_client_error() || c.status().is_server_error(),
                "{s}"
            );
        }
    }

    #[test]
    fn an_error_answers_with_its_codes_status() {
        let e = ApiError::new(Code::LastAdmin, "x");
        assert_eq!(
            (e.status, e.code.as_str()),
            (StatusCode::CONFLICT, "last_admin")
        );
        let refused = ApiError::from(crate::chat::send::SendError::Refused(
            crate::chat::send::Refusal::SessionExpired,
        ));
        assert_eq!(
            (refused.status, refused.code.as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "session_expired")
        );
    }
}
