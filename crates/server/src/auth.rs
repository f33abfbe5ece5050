//! Authentication: Argon2id passwords, opaque session cookies (only their
//! SHA-256 is stored), CSRF tokens for cookie-authenticated writes, API
//! tokens for integrations (failed logins are counted in `crate::limiter`).

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use atende_domain::{Access, Capability, DepartmentId, Module, Permissions, Role, Viewer};
use atende_store::accounts::User;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{Method, header};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, Code};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "atende_session";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Hashes a password with Argon2id (CPU-heavy: call from `spawn_blocking`).
pub fn hash_password(password: &str) -> Result<String, ApiError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(ApiError::internal)
}

/// Checks a password against a stored PHC hash (CPU-heavy).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Rules for a new password; the message is shown to the user.
pub fn check_password_rules(password: &str) -> Result<(), ApiError> {
    if password.chars().count() < 8 {
        return Err(ApiError::invalid(
            "A senha deve ter pelo menos 8 caracteres.",
        ));
    }
    if password.chars().count() > 256 {
        return Err(ApiError::invalid(
            "A senha deve ter no máximo 256 caracteres.",
        ));
    }
    Ok(())
}

/// A random token (256 bits, URL-safe base64).
pub fn random_token() -> String {
    URL_SAFE_NO_PAD.encode(rand::random::<[u8; 32]>())
}

/// SHA-256 of a token: what the database keeps.
pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.as_bytes()).to_vec()
}

/// How the request was authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthVia {
    Session,
    ApiToken,
}

/// The authenticated user of a request, with their departments.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: User,
    pub departments: Vec<DepartmentId>,
    pub via: AuthVia,
    /// The session's cookie token hash (for logout).
    pub session_hash: Option<Vec<u8>>,
    /// The API token's hash, for a request made with one.
    pub api_token_hash: Option<Vec<u8>>,
    pub csrf_token: Option<String>,
}

impl Auth {
    pub fn org(&self) -> atende_domain::OrgId {
        self.user.org_id
    }

    pub fn permissions(&self) -> &Permissions {
        &self.user.permissions.0
    }

    pub fn role(&self) -> Role {
        self.user.role()
    }

    /// Fails with 403 unless the user has at least `access` on `module`.
    pub fn require(&self, module: Module, access: Access) -> Result<(), ApiError> {
        if self.permissions().access(module) >= access {
            Ok(())
        } else {
            Err(ApiError::forbidden())
        }
    }

    pub fn has(&self, cap: Capability) -> bool {
        self.permissions().has(cap)
    }

    /// This user as the author of a message (`replies`: an answer in the
    /// chat, which takes it under LC-9).
    /// This user as the acting person of a chat action.
    pub fn actor(&self) -> crate::chat::actions::Actor<'_> {
        crate::chat::actions::Actor {
            org: self.user.org_id,
            id: self.user.id,
            name: &self.user.name,
        }
    }

    pub fn author(&self, replies: bool) -> crate::chat::send::Author<'_> {
        crate::chat::send::Author::Agent {
            id: self.user.id,
            name: &self.user.name,
            replies,
        }
    }

    /// The LC-1 viewer this user is.
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            user_id: self.user.id,
            departments: &self.departments,
            see_all_chats: self.has(Capability::SeeAllChats),
        }
    }
}

fn cookie_value<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|raw| {
            raw.split(';')
                .map(str::trim)
                .find_map(|kv| kv.strip_prefix(name)?.strip_prefix('='))
        })
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        let store = &state.store;
        let (user, via, session_hash, csrf_token) = if let Some(token) = bearer {
            let hash = token_hash(token);
            let user = store
                .user_by_api_token(&hash)
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            (user, AuthVia::ApiToken, Some(hash), None)
        } else {
            let token = cookie_value(parts, SESSION_COOKIE).ok_or_else(ApiError::unauthorized)?;
            let hash = token_hash(token);
            let session = store
                .session(&hash)
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            let user = store.user(session.org_id, session.user_id).await?;
            if !user.active {
                return Err(ApiError::unauthorized());
            }
            // Cookie-authenticated writes must echo the session's CSRF token.
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            if !safe {
                let sent = parts
                    .headers
                    .get(CSRF_HEADER)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("");
                if !constant_time_eq(sent.as_bytes(), session.csrf_token.as_bytes()) {
                    return Err(ApiError::new(
                        Code::Csrf,
                        "Token CSRF ausente ou inválido: envie o cabeçalho X-CSRF-Token.",
                    ));
                }
            }
            (user, AuthVia::Session, Some(hash), Some(session.csrf_token))
        };
        let departments = store.user_departments(user.org_id, user.id).await?;
        let (session_hash, api_token_hash) = match via {
            AuthVia::Session => (session_hash, None),
            AuthVia::ApiToken => (None, session_hash),
        };
        Ok(Auth {
            user,
            departments,
            via,
            session_hash,
            api_token_hash,
            csrf_token,
        })
    }
}

impl Auth {
    /// The same credentials read again, as they are now: None once the
    /// session ended (logout, expiry), the token was revoked or the user was
    /// deactivated. A long-lived connection (the WebSocket) calls this so it
    /// never outlives its right to see (DESIGN §8).
    pub async fn reload(&self, st: &AppState) -> Result<Option<Auth>, atende_store::StoreError> {
        let user = match (&self.session_hash, &self.api_token_hash) {
            (Some(hash), _) => match st.store.session(hash).await? {
                Some(s) if s.user_id == self.user.id => st.store.user(s.org_id, s.user_id).await?,
                _ => return Ok(None),
            },
            (None, Some(hash)) => match st.store.user_by_api_token(hash).await? {
                Some(u) if u.id == self.user.id => u,
                _ => return Ok(None),
            },
            (None, None) => return Ok(None),
        };
        if !user.active {
            return Ok(None);
        }
        let departments = st.store.user_departments(user.org_id, user.id).await?;
        Ok(Some(Auth {
            user,
            departments,
            ..self.clone()
        }))
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong horse", &h));
        assert!(!verify_password("x", "not a hash"));
    }
}
