//! The role table: for every documented operation, whether an agent, a
//! manager and an administrator (each with their role's default
//! permissions) may call it. A new operation needs its line here.

/// Who may call an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// No sign-in needed (login).
    Public,
    /// Per role, agent / manager / admin: allowed or 403.
    Roles([bool; 3]),
}

impl Rule {
    /// Whether role `i` (0 agent, 1 manager, 2 admin) is refused.
    pub fn denies(self, i: usize) -> bool {
        match self {
            Rule::Public => false,
            Rule::Roles(r) => !r[i],
        }
    }
}

/// `"AAD"`: agent allowed, manager allowed, admin denied.
const fn r(s: &str) -> Rule {
    let b = s.as_bytes();
    Rule::Roles([b[0] == b'A', b[1] == b'A', b[2] == b'A'])
}

/// The rule of an operation (panics for one missing from the table: the
/// first test names those).
pub fn rule(key: &str) -> Rule {
    find(key).unwrap_or_else(|| panic!("{key} has no line in the role table"))
}

pub fn find(key: &str) -> Option<Rule> {
    TABLE.iter().find(|(k, _)| *k == key).map(|(_, r)| *r)
}

/// Read from the handlers (`auth.require`) and `Permissions::for_role`:
/// agents chat (and read what chatting needs: tags, inboxes, flows to
/// forward to, their own organization); managers also run departments,
/// tags, custom fields, ready responses, campaigns, flows and reports, and
/// view users and inboxes; administrators do everything. Calls on another
/// user's account (`users/{id}`) need the users module.
pub const TABLE: &[(&str, Rule)] = &[
    ("POST /api/v1/auth/login", Rule::Public),
    ("DELETE /api/v1/campaigns/{id}", r("DAA")),
    ("DELETE /api/v1/contacts/{id}/block", r("AAA")),
    ("DELETE /api/v1/conversations/{id}/close", r("AAA")),
    ("DELETE /api/v1/custom-fields/{id}", r("DAA")),
    ("DELETE /api/v1/departments/{id}", r("DAA")),
    (
        "DELETE /api/v1/departments/{id}/members/{user_id}",
        r("DAA"),
    ),
    ("DELETE /api/v1/flows/{id}", r("DAA")),
    ("DELETE /api/v1/inboxes/{id}", r("DDA")),
    (
        "DELETE /api/v1/ready-responses/{category_id}/responses/{id}",
        r("DAA"),
    ),
    ("DELETE /api/v1/ready-responses/{id}", r("DAA")),
    ("DELETE /api/v1/tags/{id}", r("DAA")),
    ("DELETE /api/v1/tokens/{id}", r("AAA")),
    ("DELETE /api/v1/users/{id}/absences/{inbox_id}", r("DDA")),
    ("GET /api/v1/absences", r("AAA")),
    ("GET /api/v1/agents", r("AAA")),
    ("GET /api/v1/campaigns", r("AAA")),
    ("GET /api/v1/contacts/{id}", r("AAA")),
    ("GET /api/v1/conversations", r("AAA")),
    ("GET /api/v1/conversations/counts", r("AAA")),
    ("GET /api/v1/conversations/{id}", r("AAA")),
    ("GET /api/v1/conversations/{id}/closing-fields", r("AAA")),
    ("GET /api/v1/conversations/{id}/messages", r("AAA")),
    ("GET /api/v1/conversations/{id}/messages/search", r("AAA")),
    ("GET /api/v1/custom-fields", r("AAA")),
    ("GET /api/v1/departments", r("AAA")),
    ("GET /api/v1/departments/{id}/members", r("AAA")),
    ("GET /api/v1/events", r("AAA")),
    ("GET /api/v1/flows", r("AAA")),
    ("GET /api/v1/flows/{id}", r("DAA")),
    ("GET /api/v1/flows/{id}/export", r("DAA")),
    ("GET /api/v1/flows/{id}/runs", r("DAA")),
    ("GET /api/v1/flows/{id}/steps", r("DAA")),
    ("GET /api/v1/flows/{id}/versions", r("DAA")),
    ("GET /api/v1/inboxes", r("AAA")),
    ("GET /api/v1/inboxes/{id}", r("DAA")),
    ("GET /api/v1/inboxes/{id}/business-hours", r("DAA")),
    ("GET /api/v1/inboxes/{id}/templates", r("AAA")),
    ("GET /api/v1/me", r("AAA")),
    ("GET /api/v1/monitoring", r("DAA")),
    ("GET /api/v1/monitoring/export", r("DAA")),
    ("GET /api/v1/orgs", r("AAA")),
    ("GET /api/v1/orgs/{id}", r("AAA")),
    ("GET /api/v1/out-of-hours", r("AAA")),
    ("GET /api/v1/ready-responses", r("AAA")),
    ("GET /api/v1/reports", r("DAA")),
    ("GET /api/v1/reports/agile", r("DAA")),
    ("GET /api/v1/reports/agile/messages", r("DAA")),
    ("GET /api/v1/reports/agile/options", r("DAA")),
    ("GET /api/v1/reports/conversations", r("DAA")),
    ("GET /api/v1/reports/conversations/{id}", r("DAA")),
    ("GET /api/v1/reports/conversations/{id}/messages", r("DAA")),
    ("GET /api/v1/reports/history/candidates", r("DAA")),
    ("GET /api/v1/reports/tickets", r("DAA")),
    ("GET /api/v1/reports/{id}", r("DAA")),
    ("GET /api/v1/reports/{id}/download", r("DAA")),
    ("GET /api/v1/settings", r("AAA")),
    ("GET /api/v1/tags", r("AAA")),
    ("GET /api/v1/tokens", r("AAA")),
    ("GET /api/v1/users", r("DAA")),
    ("GET /api/v1/users/{id}", r("DAA")),
    ("PATCH /api/v1/campaigns/{id}", r("DAA")),
    ("PATCH /api/v1/contacts/{id}", r("AAA")),
    ("PATCH /api/v1/custom-fields/{id}", r("DAA")),
    ("PATCH /api/v1/departments/{id}", r("DAA")),
    ("PATCH /api/v1/inboxes/{id}", r("DDA")),
    ("PATCH /api/v1/orgs/{id}", r("DDA")),
    (
        "PATCH /api/v1/ready-responses/{category_id}/responses/{id}",
        r("DAA"),
    ),
    ("PATCH /api/v1/ready-responses/{id}", r("DAA")),
    ("PATCH /api/v1/settings", r("DDA")),
    ("PATCH /api/v1/tags/{id}", r("DAA")),
    ("PATCH /api/v1/users/{id}", r("DDA")),
    ("POST /api/v1/auth/logout", r("AAA")),
    ("POST /api/v1/campaigns", r("DAA")),
    ("POST /api/v1/chats", r("AAA")),
    ("POST /api/v1/contacts/{id}/block", r("AAA")),
    ("POST /api/v1/conversations/{id}/assign", r("AAA")),
    ("POST /api/v1/conversations/{id}/close", r("AAA")),
    ("POST /api/v1/conversations/{id}/flow", r("AAA")),
    ("POST /api/v1/conversations/{id}/messages", r("AAA")),
    ("POST /api/v1/conversations/{id}/read", r("AAA")),
    ("POST /api/v1/conversations/{id}/transfer-request", r("AAA")),
    ("POST /api/v1/conversations/{id}/unread", r("AAA")),
    ("POST /api/v1/custom-fields", r("DAA")),
    ("POST /api/v1/departments", r("DAA")),
    ("POST /api/v1/departments/{id}/members", r("DAA")),
    ("POST /api/v1/flows", r("DAA")),
    ("POST /api/v1/flows/import", r("DAA")),
    ("POST /api/v1/flows/{id}/publish", r("DAA")),
    ("POST /api/v1/flows/{id}/start", r("DAA")),
    ("POST /api/v1/inboxes", r("DDA")),
    ("POST /api/v1/inboxes/{id}/media", r("AAA")),
    ("POST /api/v1/inboxes/{id}/templates/sync", r("AAA")),
    ("POST /api/v1/orgs", r("DDA")),
    ("POST /api/v1/out-of-hours/{id}/active-message", r("AAA")),
    ("POST /api/v1/ready-responses", r("DAA")),
    ("POST /api/v1/ready-responses/{id}/responses", r("DAA")),
    ("POST /api/v1/reports/agile/export", r("DAA")),
    ("POST /api/v1/reports/conversations/export", r("DAA")),
    ("POST /api/v1/reports/conversations/{id}/pdf", r("DAA")),
    ("POST /api/v1/reports/history", r("DAA")),
    ("POST /api/v1/reports/tickets/{id}", r("DAA")),
    ("POST /api/v1/tags", r("DAA")),
    ("POST /api/v1/tokens", r("AAA")),
    ("POST /api/v1/users", r("DDA")),
    ("PUT /api/v1/conversations/{id}/campaign", r("AAA")),
    ("PUT /api/v1/conversations/{id}/tags", r("AAA")),
    ("PUT /api/v1/flows/{id}", r("DAA")),
    ("PUT /api/v1/inboxes/{id}/business-hours", r("DDA")),
    ("PUT /api/v1/inboxes/{id}/entry-flow", r("DAA")),
    ("PUT /api/v1/me/status", r("AAA")),
    ("PUT /api/v1/users/{id}/absences/{inbox_id}", r("DDA")),
];
