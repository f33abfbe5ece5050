//! Roles and permissions per module (AD-1): each module is not visible,
//! visible, or visible and editable; a few capabilities cut across modules.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::macros::named_enum;

named_enum! {
    /// A user's role; it only chooses the default [`Permissions`], which an
    /// admin may then change module by module.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Role ("papel") {
        /// Configures the organization.
        Admin = "admin",
        /// Runs a team: chats, contacts, flows, reports.
        Manager = "manager",
        /// Serves contacts in the chat.
        Agent = "agent",
    }
}

named_enum! {
    /// An area of the product that permissions are given for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Module ("módulo") {
        /// The chat screen.
        Chat = "chat",
        /// Contacts.
        Contacts = "contacts",
        /// Departments.
        Departments = "departments",
        /// Users and their permissions.
        Users = "users",
        /// Inboxes (connected channels).
        Inboxes = "inboxes",
        /// Tags.
        Tags = "tags",
        /// Custom contact fields.
        CustomFields = "custom_fields",
        /// Ready responses (LC-20): everyone who chats inserts them, editing
        /// is this module's edit level.
        ReadyResponses = "ready_responses",
        /// Campaigns (LC-2): every chatting user lists them for the chat list
        /// filter and marks a chat's campaign; this module's view shows the
        /// management page, edit creates, renames and deletes them.
        Campaigns = "campaigns",
        /// Bot flows.
        Flows = "flows",
        /// Reports.
        Reports = "reports",
        /// Organization settings.
        Settings = "settings",
        /// Child organizations (resellers and agencies).
        Organizations = "organizations",
    }
}

named_enum! {
    /// How far a user may go in a module. Ordered: `None < View < ViewEdit`.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Access ("acesso") {
        /// The module is hidden.
        None = "none",
        /// "Visualizar".
        View = "view",
        /// "Visualizar e editar".
        ViewEdit = "view_edit",
    }
}

named_enum! {
    /// A permission that is not tied to one module.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
    #[serde(rename_all = "snake_case")]
    pub enum Capability ("permissão") {
        /// "Permissão 6": see chats of departments the user is not in (LC-1).
        SeeAllChats = "see_all_chats",
        /// "Observações do contato": view, add, edit and delete observations.
        ContactObservations = "contact_observations",
        /// See the support code.
        SupportCode = "support_code",
        /// Analytics and reports that need it (e.g. full history, RP-1).
        Analytics = "analytics",
    }
}

/// A user's permissions: an [`Access`] for every [`Module`] and a set of
/// [`Capability`]. Every module is always present in `modules` (missing ones
/// read from JSON become [`Access::None`]), so the JSON lists them all.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "RawPermissions")]
pub struct Permissions {
    modules: BTreeMap<Module, Access>,
    capabilities: BTreeSet<Capability>,
}

/// The JSON shape, before missing modules are filled in.
#[derive(Deserialize)]
struct RawPermissions {
    #[serde(default)]
    modules: BTreeMap<Module, Access>,
    #[serde(default)]
    capabilities: BTreeSet<Capability>,
}

impl From<RawPermissions> for Permissions {
    fn from(raw: RawPermissions) -> Self {
        let mut permissions = Self::default();
        permissions.modules.extend(raw.modules);
        permissions.capabilities = raw.capabilities;
        permissions
    }
}

impl Default for Permissions {
    /// Nothing: every module hidden, no capability.
    fn default() -> Self {
        Self {
            modules: Module::ALL.iter().map(|&m| (m, Access::None)).collect(),
            capabilities: BTreeSet::new(),
        }
    }
}

impl Permissions {
    /// The defaults of a role.
    ///
    /// - Admin: view and edit everything, every capability.
    /// - Manager: view and edit chat, contacts, departments, tags, custom
    ///   fields, ready responses, campaigns, flows and reports; view users and inboxes; no settings nor
    ///   organizations; see all chats, contact observations, analytics.
    /// - Agent: view and edit chat; view contacts, tags, departments,
    ///   custom fields, ready responses and campaigns; contact observations.
    pub fn for_role(role: Role) -> Self {
        use Access::{View, ViewEdit};
        use Module::*;
        let (modules, capabilities): (&[(Module, Access)], &[Capability]) = match role {
            Role::Admin => return Self::all(),
            Role::Manager => (
                &[
                    (Chat, ViewEdit),
                    (Contacts, ViewEdit),
                    (Departments, ViewEdit),
                    (Tags, ViewEdit),
                    (CustomFields, ViewEdit),
                    (ReadyResponses, ViewEdit),
                    (Campaigns, ViewEdit),
                    (Flows, ViewEdit),
                    (Reports, ViewEdit),
                    (Users, View),
                    (Inboxes, View),
                ],
                &[
                    Capability::SeeAllChats,
                    Capability::ContactObservations,
                    Capability::Analytics,
                ],
            ),
            Role::Agent => (
                &[
                    (Chat, ViewEdit),
                    (Contacts, View),
                    (Tags, View),
                    (Departments, View),
                    (CustomFields, View),
                    (ReadyResponses, View),
                    (Campaigns, View),
                ],
                &[Capability::ContactObservations],
            ),
        };
        let mut permissions = Self::default();
        permissions.modules.extend(modules.iter().copied());
        permissions
            .capabilities
            .extend(capabilities.iter().copied());
        permissions
    }

    /// Everything: view and edit on every module, every capability.
    pub fn all() -> Self {
        Self {
            modules: Module::ALL.iter().map(|&m| (m, Access::ViewEdit)).collect(),
            capabilities: Capability::ALL.iter().copied().collect(),
        }
    }

    /// The access to `module`.
    pub fn access(&self, module: Module) -> Access {
        self.modules.get(&module).copied().unwrap_or(Access::None)
    }

    /// Whether `module` is visible.
    pub fn can_view(&self, module: Module) -> bool {
        self.access(module) >= Access::View
    }

    /// Whether `module` is editable.
    pub fn can_edit(&self, module: Module) -> bool {
        self.access(module) == Access::ViewEdit
    }

    /// Whether the capability is granted.
    pub fn has(&self, capability: Capability) -> bool {
        self.capabilities.contains(&capability)
    }

    /// Sets the access to `module`.
    pub fn set_access(&mut self, module: Module, access: Access) {
        self.modules.insert(module, access);
    }

    /// Grants a capability.
    pub fn grant(&mut self, capability: Capability) {
        self.capabilities.insert(capability);
    }

    /// Revokes a capability.
    pub fn revoke(&mut self, capability: Capability) {
        self.capabilities.remove(&capability);
    }

    /// Every module with its access, in [`Module::ALL`] order.
    pub fn modules(&self) -> impl Iterator<Item = (Module, Access)> + '_ {
        self.modules.iter().map(|(&m, &a)| (m, a))
    }

    /// The granted capabilities.
    pub fn capabilities(&self) -> impl Iterator<Item = Capability> + '_ {
        self.capabilities.iter().copied()
    }
}

#[cfg(test)]
mod tests;
