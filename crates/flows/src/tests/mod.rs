mod eval;
mod run;
mod script;

use serde_json::{Value, json};

use crate::{Content, Flow, FlowError, Step, Target, parse, validate};

const WELCOME: &str = include_str!("welcome.json");

/// The welcome flow with `edit` applied to its JSON.
fn welcome_with(edit: impl FnOnce(&mut Value)) -> Result<Flow, Vec<FlowError>> {
    let mut v: Value = serde_json::from_str(WELCOME).unwrap();
    edit(&mut v);
    parse(&v.to_string())
}

/// The errors of the welcome flow with `edit` applied, as "step: message".
fn errors(edit: impl FnOnce(&mut Value)) -> Vec<String> {
    welcome_with(edit)
        .expect_err("the edited flow should be refused")
        .iter()
        .map(|e| format!("{}: {}", e.step.as_deref().unwrap_or("-"), e.message))
        .collect()
}

fn has(errs: &[String], step: &str, part: &str) -> bool {
    errs.iter()
        .any(|e| e.starts_with(&format!("{step}: ")) && e.contains(part))
}

#[test]
fn the_welcome_flow_is_valid_and_round_trips() {
    let flow = parse(WELCOME).unwrap();
    assert_eq!(flow.start, "horario");
    assert_eq!(flow.steps.len(), 9);
    let Step::Send {
        content: Content::Buttons { buttons, .. },
        next,
    } = &flow.steps["menu"]
    else {
        panic!("menu is a buttons message: {:?}", flow.steps["menu"]);
    };
    assert_eq!(buttons.len(), 3);
    assert_eq!(next.as_deref(), Some("escolha"));
    assert!(matches!(
        flow.steps["para_suporte"],
        Step::OpenAttendance {
            target: Target::LastAgent { .. }
        }
    ));
    let again: Flow = serde_json::from_str(&serde_json::to_string(&flow).unwrap()).unwrap();
    assert_eq!(again, flow);
}

#[test]
fn every_step_kind_reads_and_validates() {
    let flow = json!({
        "schema": 1, "name": "Todas", "start": "a",
        "steps": {
            "a": {"type": "send", "content": {"kind": "text", "text": "Oi"}, "next": "b"},
            "b": {"type": "send", "content": {"kind": "media", "media": "image", "url": "https://x.test/a.png", "caption": "Foto"}, "next": "c"},
            "c": {"type": "send", "content": {"kind": "list", "text": "Escolha", "button": "Ver opções",
                  "sections": [{"title": "Produtos", "rows": [{"id": "1", "title": "Camisa", "description": "Algodão"}]}]}, "next": "d"},
            "d": {"type": "ask", "field": "cpf", "answer": {"kind": "document"}, "next": "e"},
            "e": {"type": "set", "fields": {"origem": "bot"}, "tags": ["novo"], "info": {"canal": "whatsapp"}, "next": "f"},
            "f": {"type": "http", "method": "POST", "url": "https://crm.test/clientes", "body": "{\"cpf\": \"{cpf}\"}",
                  "timeout_ms": 5000, "map": {"codigo": "/data/id"}, "next": "g", "error": "g"},
            "g": {"type": "script", "code": "fields.total = Number(fields.codigo) * 2;", "next": "h", "error": "h"},
            "h": {"type": "wait", "seconds": 60, "next": "i"},
            "i": {"type": "agents_online", "department": "00000000-0000-7000-8000-000000000001", "yes": "j", "no": "k"},
            "j": {"type": "send", "content": {"kind": "template", "name": "boas_vindas", "language": "pt_BR", "params": ["{nome}"]}, "next": "l"},
            "k": {"type": "jump", "flow": "Recado"},
            "l": {"type": "condition", "match": "all", "rules": [
                    {"field": "total", "op": "greater", "value": "10"},
                    {"field": "email", "op": "empty"},
                    {"field": "cpf", "op": "regex", "value": "^[0-9]{11}$"}],
                  "then": "m", "else": "n"},
            "m": {"type": "open_attendance", "target": {"to": "sequence", "department": "00000000-0000-7000-8000-000000000001"}},
            "n": {"type": "open_attendance", "target": {"to": "agent", "agent": "00000000-0000-7000-8000-000000000009"}}
        }
    });
    let flow = parse(&flow.to_string()).unwrap();
    assert_eq!(flow.steps.len(), 14);
    validate(&flow).unwrap();
}

#[test]
fn the_flow_itself_is_checked() {
    let errs = errors(|v| {
        v["schema"] = json!(2);
        v["name"] = json!(" ");
        v["start"] = json!("nada");
    });
    assert!(has(&errs, "-", "versão de esquema 2"), "{errs:?}");
    assert!(has(&errs, "-", "precisa de um nome"), "{errs:?}");
    assert!(has(&errs, "-", "\"nada\" não existe"), "{errs:?}");
    let errs = errors(|v| v["steps"] = json!({}));
    assert!(has(&errs, "-", "não tem etapas"), "{errs:?}");
}

#[test]
fn unknown_fields_and_step_types_are_refused() {
    let errs = errors(|v| v["steps"]["menu"]["proxima"] = json!("escolha"));
    assert!(errs[0].contains("JSON de fluxo inválido"), "{errs:?}");
    let errs = errors(|v| v["steps"]["menu"]["type"] = json!("teleport"));
    assert!(errs[0].contains("teleport"), "{errs:?}");
}

#[test]
fn a_missing_next_step_is_named() {
    let errs = errors(|v| v["steps"]["escolha"]["next"] = json!("roteamento"));
    assert!(
        has(&errs, "escolha", "\"roteamento\", que não existe"),
        "{errs:?}"
    );
}

#[test]
fn buttons_follow_whatsapp_limits() {
    let errs = errors(|v| {
        let b = &mut v["steps"]["menu"]["content"]["buttons"];
        b.as_array_mut()
            .unwrap()
            .push(json!({"id": "quarto", "title": "Quarto"}));
        b[0]["title"] = json!("Um título longo demais p/ botão");
        b[1]["id"] = json!("vendas");
    });
    assert!(has(&errs, "menu", "de 1 a 3 botões"), "{errs:?}");
    assert!(has(&errs, "menu", "de 1 a 20 caracteres"), "{errs:?}");
    assert!(has(&errs, "menu", "\"vendas\" repetido"), "{errs:?}");
}

#[test]
fn lists_follow_whatsapp_limits() {
    let rows: Vec<Value> = (0..11)
        .map(|i| json!({"id": format!("r{i}"), "title": format!("Item {i}")}))
        .collect();
    let errs = errors(|v| {
        v["steps"]["menu"]["content"] = json!({
            "kind": "list", "text": "Escolha", "button": "Abrir a lista de opções agora",
            "sections": [{"title": "", "rows": rows}, {"title": "B", "rows": []}]
        });
    });
    assert!(has(&errs, "menu", "de 1 a 10 itens"), "{errs:?}");
    assert!(has(&errs, "menu", "botão da lista"), "{errs:?}");
    assert!(has(&errs, "menu", "cada uma precisa de título"), "{errs:?}");
}

#[test]
fn questions_conditions_and_calls_are_checked() {
    let errs = errors(|v| {
        v["steps"]["escolha"]["field"] = json!("meu campo");
        v["steps"]["escolha"]["answer"] = json!({"kind": "option", "options": []});
        v["steps"]["rota"]["rules"] = json!([
            {"field": "setor", "op": "regex", "value": "(aberto"},
            {"field": "idade", "op": "greater", "value": "dez"}
        ]);
        v["steps"]["rota_suporte"]["rules"] = json!([]);
        v["steps"]["fora_do_horario"] = json!({
            "type": "http", "method": "GET", "url": "ftp://x", "timeout_ms": 60000,
            "map": {"x": "data.id"}
        });
    });
    assert!(
        has(&errs, "escolha", "campo \"meu campo\" inválido"),
        "{errs:?}"
    );
    assert!(has(&errs, "escolha", "precisa de opções"), "{errs:?}");
    assert!(
        has(&errs, "rota", "regra 1: expressão regular inválida"),
        "{errs:?}"
    );
    assert!(
        has(&errs, "rota", "regra 2: \"dez\" não é um número"),
        "{errs:?}"
    );
    assert!(has(&errs, "rota_suporte", "ao menos uma regra"), "{errs:?}");
    assert!(
        has(&errs, "fora_do_horario", "http:// ou https://"),
        "{errs:?}"
    );
    assert!(has(&errs, "fora_do_horario", "tempo limite"), "{errs:?}");
    assert!(has(&errs, "fora_do_horario", "caminho JSON"), "{errs:?}");
}

#[test]
fn steps_out_of_every_path_are_named() {
    let errs = errors(|v| {
        v["steps"]["esquecida"] = json!({"type": "send", "content": {"kind": "text", "text": "?"}});
    });
    assert_eq!(errs, ["esquecida: nenhum caminho leva a esta etapa"]);
}

#[test]
fn a_loop_without_a_question_is_refused_and_one_with_a_question_is_not() {
    // "rota_suporte" sends "else" back to "rota": both conditions would
    // bounce forever.
    let errs = errors(|v| v["steps"]["rota_suporte"]["else"] = json!("rota"));
    assert!(
        errs.iter().any(|e| e.contains("volta a si mesma")),
        "{errs:?}"
    );
    // Back to the menu is fine: the question in between waits for the
    // contact.
    welcome_with(|v| v["steps"]["rota_suporte"]["else"] = json!("menu")).unwrap();
}
