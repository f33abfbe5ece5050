use super::*;
use crate::macros::assert_names;

/// Seed 000: a view level is enough to use a module, edit is the level above.
const SEED_LEVELS: &str =
    "você precisa ter o nível de permissão de Visualizar ou Ver e editar no módulo de Análise.";
/// Seed 004 l. 9.
const SEED_P6: &str = "Obs.: quem possui a permissão 6 de chat poderá ver o contato, mesmo que o usuário com tal permissão não esteja naquele departamento.";
/// Seed 004 l. 302.
const SEED_OBS: &str = "Para visualizar, inserir, editar ou deletar uma observação é preciso estar com a permissão \"Observações do contato\" ativa";
/// Seed 004 l. 270.
const SEED_SUPPORT: &str =
    "Para visualizar os códigos de suporte é necessário que haja a permissão configurada.";
/// The per-role defaults are a product choice (AD-1), not a seed sentence.
const DEFAULTS: &str = "padrão por papel (AD-1), sem frase no seed";

#[test]
fn role_defaults_per_module() {
    use Access::{None as No, View as V, ViewEdit as VE};
    // Columns follow Module::ALL: chat, contacts, departments, users,
    // inboxes, tags, custom_fields, ready_responses, campaigns, flows,
    // reports, settings, organizations.
    let cases: [(Role, [Access; 13]); 3] = [
        (
            Role::Admin,
            [VE, VE, VE, VE, VE, VE, VE, VE, VE, VE, VE, VE, VE],
        ),
        (
            Role::Manager,
            [VE, VE, VE, V, V, VE, VE, VE, VE, VE, VE, No, No],
        ),
        (Role::Agent, [VE, V, V, No, No, V, V, V, V, No, No, No, No]),
    ];
    for (role, accesses) in cases {
        let permissions = Permissions::for_role(role);
        for (&module, expected) in Module::ALL.iter().zip(accesses) {
            assert_eq!(
                permissions.access(module),
                expected,
                "{role} {module} ({DEFAULTS})"
            );
        }
        assert_eq!(permissions.modules().count(), Module::ALL.len());
    }
}

#[test]
fn role_defaults_capabilities() {
    use Capability::*;
    let cases: [(Role, &[Capability], &str); 3] = [
        (
            Role::Admin,
            &[SeeAllChats, ContactObservations, SupportCode, Analytics],
            DEFAULTS,
        ),
        (
            Role::Manager,
            &[SeeAllChats, ContactObservations, Analytics],
            SEED_P6,
        ),
        (Role::Agent, &[ContactObservations], SEED_OBS),
    ];
    for (role, expected, seed) in cases {
        let permissions = Permissions::for_role(role);
        let granted: Vec<Capability> = permissions.capabilities().collect();
        assert_eq!(granted, expected, "{role} ({seed})");
        for capability in Capability::ALL {
            assert_eq!(
                permissions.has(*capability),
                expected.contains(capability),
                "{role} {capability}"
            );
        }
    }
}

#[test]
fn view_and_edit_levels() {
    let cases = [
        (Access::None, false, false),
        (Access::View, true, false),
        (Access::ViewEdit, true, true),
    ];
    for (access, view, edit) in cases {
        let mut permissions = Permissions::default();
        permissions.set_access(Module::Reports, access);
        assert_eq!(permissions.access(Module::Reports), access);
        assert_eq!(
            permissions.can_view(Module::Reports),
            view,
            "{access} ({SEED_LEVELS})"
        );
        assert_eq!(
            permissions.can_edit(Module::Reports),
            edit,
            "{access} ({SEED_LEVELS})"
        );
        assert!(
            !permissions.can_view(Module::Chat),
            "other modules untouched"
        );
    }
    assert!(Access::None < Access::View && Access::View < Access::ViewEdit);
}

#[test]
fn grant_and_revoke() {
    let mut permissions = Permissions::for_role(Role::Agent);
    assert!(!permissions.has(Capability::SupportCode), "{SEED_SUPPORT}");
    permissions.grant(Capability::SupportCode);
    assert!(permissions.has(Capability::SupportCode), "{SEED_SUPPORT}");
    permissions.revoke(Capability::ContactObservations);
    assert!(
        !permissions.has(Capability::ContactObservations),
        "{SEED_OBS}"
    );
    permissions.grant(Capability::SeeAllChats);
    assert!(permissions.has(Capability::SeeAllChats), "{SEED_P6}");
}

#[test]
fn json_shape_and_missing_modules() {
    let permissions = Permissions::for_role(Role::Agent);
    let json = serde_json::to_value(&permissions).expect("serializes");
    assert_eq!(json["modules"]["chat"], "view_edit");
    assert_eq!(json["modules"]["contacts"], "view");
    assert_eq!(json["modules"]["settings"], "none");
    assert_eq!(
        json["capabilities"],
        serde_json::json!(["contact_observations"])
    );
    let back: Permissions = serde_json::from_value(json).expect("parses");
    assert_eq!(back, permissions);

    let partial: Permissions =
        serde_json::from_str(r#"{"modules":{"reports":"view"},"capabilities":["analytics"]}"#)
            .expect("parses");
    assert_eq!(partial.access(Module::Reports), Access::View);
    assert_eq!(partial.access(Module::Chat), Access::None);
    assert!(partial.has(Capability::Analytics));
    assert_eq!(partial.modules().count(), Module::ALL.len());
    assert!(serde_json::from_str::<Permissions>(r#"{"modules":{"reports":"admin"}}"#).is_err());
}

#[test]
fn names() {
    assert_names!(Role, ["admin", "manager", "agent"]);
    assert_names!(
        Module,
        [
            "chat",
            "contacts",
            "departments",
            "users",
            "inboxes",
            "tags",
            "custom_fields",
            "ready_responses",
            "campaigns",
            "flows",
            "reports",
            "settings",
            "organizations",
        ]
    );
    assert_names!(Access, ["none", "view", "view_edit"]);
    assert_names!(
        Capability,
        [
            "see_all_chats",
            "contact_observations",
            "support_code",
            "analytics"
        ]
    );
}
