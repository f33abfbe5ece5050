use std::collections::BTreeMap;

use serde_json::json;

use crate::{
    Advance, Content, Effect, Flow, Input, Need, RunError, RunState, Target, advance, fill, parse,
};

fn welcome() -> Flow {
    parse(include_str!("welcome.json")).unwrap()
}

/// The state of a run that goes on, failing the test if it ended.
fn going(a: &Advance) -> RunState {
    assert!(!a.finished, "the run goes on: {a:?}");
    a.state.clone()
}

fn texts(a: &Advance) -> Vec<String> {
    a.effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send(Content::Text { text }) | Effect::Send(Content::Buttons { text, .. }) => {
                Some(text.clone())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn the_welcome_flow_asks_routes_and_hands_over() {
    let flow = welcome();
    let a = advance(&flow, None, Input::Start(Default::default())).unwrap();
    assert!(a.effects.is_empty());
    let s = going(&a);
    assert_eq!(s.waiting, Some(Need::Hours));

    let a = advance(&flow, Some(s), Input::Hours(true)).unwrap();
    assert_eq!(texts(&a).len(), 1, "the menu: {:?}", a.effects);
    assert!(matches!(
        &a.effects[0],
        Effect::Send(Content::Buttons { buttons, .. }) if buttons.len() == 3
    ));
    let s = going(&a);
    assert_eq!(
        (s.step.as_str(), s.waiting.clone()),
        ("escolha", Some(Need::Answer))
    );

    let a = advance(&flow, Some(s), Input::Message(" Suporte".into())).unwrap();
    assert!(a.finished, "handed over");
    assert_eq!(
        a.state.trail,
        [
            "horario",
            "menu",
            "escolha",
            "rota",
            "rota_suporte",
            "para_suporte"
        ]
    );
    assert_eq!(a.state.fields["setor"], "suporte");
    let [Effect::OpenAttendance(Target::LastAgent { .. })] = a.effects.as_slice() else {
        panic!("opens an attendance: {:?}", a.effects);
    };
}

#[test]
fn wrong_answers_are_asked_again_then_take_the_invalid_path() {
    let flow = welcome();
    let s = going(&advance(&flow, None, Input::Start(Default::default())).unwrap());
    let s = going(&advance(&flow, Some(s), Input::Hours(true)).unwrap());
    let mut s = s;
    for attempt in 1..=2 {
        let a = advance(&flow, Some(s), Input::Message("banana".into())).unwrap();
        assert_eq!(
            texts(&a),
            ["Não entendi. Escolha uma das opções, por favor."]
        );
        s = going(&a);
        assert_eq!((s.step.as_str(), s.attempts), ("escolha", attempt));
    }
    let a = advance(&flow, Some(s), Input::Message("banana".into())).unwrap();
    assert!(a.finished);
    assert_eq!(a.effects, [Effect::OpenAttendance(Target::Unassigned)]);
}

#[test]
fn out_of_hours_the_flow_says_so_and_ends() {
    let flow = welcome();
    let s = going(&advance(&flow, None, Input::Start(Default::default())).unwrap());
    let a = advance(&flow, Some(s), Input::Hours(false)).unwrap();
    assert!(a.finished);
    let t = texts(&a);
    assert_eq!(t.len(), 1);
    // `{nome}` is the caller's to fill.
    assert!(
        t[0].starts_with("Olá, {nome}! Nosso atendimento funciona"),
        "{t:?}"
    );
}

fn http_flow() -> Flow {
    parse(
        &json!({
            "schema": 1, "name": "CRM", "start": "cpf",
            "steps": {
                "cpf": {"type": "ask", "field": "cpf", "answer": {"kind": "document"}, "next": "crm"},
                "crm": {"type": "http", "method": "GET", "url": "https://crm.test/clientes/{cpf}",
                        "headers": {"x-cpf": "{cpf}"}, "map": {"codigo": "/data/id", "plano": "/data/plano"},
                        "next": "ok", "error": "falhou"},
                "ok": {"type": "set", "fields": {"origem": "crm {plano}"}, "tags": ["cliente"], "next": "diz"},
                "diz": {"type": "send", "content": {"kind": "text", "text": "Código {codigo}, {origem}."}},
                "falhou": {"type": "jump", "flow": "Recado"}
            }
        })
        .to_string(),
    )
    .unwrap()
}

#[test]
fn an_http_step_asks_for_the_call_then_maps_the_answer() {
    let flow = http_flow();
    let s = going(&advance(&flow, None, Input::Start(Default::default())).unwrap());
    let a = advance(&flow, Some(s), Input::Message("529.982.247-25".into())).unwrap();
    let s = going(&a);
    let Some(Need::Http { url, headers, .. }) = &s.waiting else {
        panic!("waits for the call: {s:?}");
    };
    assert_eq!(url, "https://crm.test/clientes/52998224725");
    assert_eq!(headers["x-cpf"], "52998224725");

    let body = json!({"data": {"id": 42, "plano": "ouro"}});
    let a = advance(&flow, Some(s.clone()), Input::Http(Ok(body))).unwrap();
    assert!(a.finished);
    assert_eq!(
        a.effects,
        [
            Effect::Tag {
                tags: vec!["cliente".into()],
                info: BTreeMap::new()
            },
            Effect::Send(Content::Text {
                text: "Código 42, crm ouro.".into()
            }),
        ]
    );
    assert_eq!(
        s.trail,
        ["cpf", "crm"],
        "the trail records the steps reached"
    );

    let a = advance(&flow, Some(s), Input::Http(Err("timeout".into()))).unwrap();
    let [Effect::Jump { flow, fields }] = a.effects.as_slice() else {
        panic!("the error path: {:?}", a.effects);
    };
    assert_eq!(flow, "Recado");
    assert_eq!(fields["cpf"], "52998224725");
    assert_eq!(
        fields["erro"], "timeout",
        "the failure is kept for the author"
    );
}

#[test]
fn outcomes_the_run_is_not_waiting_for_are_refused() {
    let flow = welcome();
    assert!(matches!(
        advance(&flow, None, Input::Message("oi".into())),
        Err(RunError::Unexpected(_))
    ));
    let s = going(&advance(&flow, None, Input::Start(Default::default())).unwrap());
    assert!(matches!(
        advance(&flow, Some(s.clone()), Input::Message("oi".into())),
        Err(RunError::Unexpected(_))
    ));
    assert!(matches!(
        advance(&flow, Some(s), Input::Start(Default::default())),
        Err(RunError::Unexpected(_))
    ));
}

#[test]
fn fill_replaces_the_runs_fields_and_leaves_other_braces() {
    let fields: BTreeMap<String, String> = [("setor".to_string(), "vendas".to_string())].into();
    assert_eq!(
        fill("{nome}, setor {setor} {x} {", &fields),
        "{nome}, setor vendas {x} {"
    );
}
