//! Validation of a flow document: every problem at once, each naming the
//! step it is in, so the editor can point at it.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::model::{Answer, Content, Flow, Op, SCHEMA_VERSION, Step, StepId, Target};

/// WhatsApp's limits on interactive messages (Cloud API).
const MAX_BUTTONS: usize = 3;
const MAX_BUTTON_TITLE: usize = 20;
const MAX_LIST_ROWS: usize = 10;
const MAX_ROW_TITLE: usize = 24;
const MAX_ROW_DESCRIPTION: usize = 72;
const MAX_INTERACTIVE_TEXT: usize = 1024;
const MAX_TEXT: usize = 4096;
const MAX_HTTP_TIMEOUT_MS: u32 = 30_000;
const MAX_WAIT_SECONDS: u32 = 30 * 24 * 3600;
const MAX_RETRIES: u8 = 10;

/// One problem of a flow: the step it is in (none for the flow itself) and
/// what is wrong, in Portuguese for the editor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FlowError {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<StepId>,
    pub message: String,
}

impl std::fmt::Display for FlowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.step {
            Some(s) => write!(f, "etapa \"{s}\": {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// A flow read from JSON and validated.
pub fn parse(json: &str) -> Result<Flow, Vec<FlowError>> {
    let flow: Flow = serde_json::from_str(json).map_err(|e| {
        vec![FlowError {
            step: None,
            message: format!("JSON de fluxo inválido: {e}"),
        }]
    })?;
    validate(&flow)?;
    Ok(flow)
}

/// Every problem of `flow`, in a stable order (flow first, then steps by
/// name), or `Ok` when it can run.
pub fn validate(flow: &Flow) -> Result<(), Vec<FlowError>> {
    let mut v = Errors::default();
    if flow.schema != SCHEMA_VERSION {
        v.flow(format!(
            "versão de esquema {} desconhecida (esperada {SCHEMA_VERSION})",
            flow.schema
        ));
    }
    if flow.name.trim().is_empty() {
        v.flow("o fluxo precisa de um nome".into());
    }
    if flow.steps.is_empty() {
        v.flow("o fluxo não tem etapas".into());
    } else if !flow.steps.contains_key(&flow.start) {
        v.flow(format!("a etapa inicial \"{}\" não existe", flow.start));
    }
    for (id, step) in &flow.steps {
        if id.trim().is_empty() {
            v.at(id, "o nome da etapa está vazio".into());
        }
        for next in step.successors() {
            if !flow.steps.contains_key(next) {
                v.at(
                    id,
                    format!("aponta para a etapa \"{next}\", que não existe"),
                );
            }
        }
        check_step(id, step, &mut v);
    }
    if flow.steps.contains_key(&flow.start) {
        check_graph(flow, &mut v);
    }
    v.done()
}

#[derive(Default)]
struct Errors(Vec<FlowError>);

impl Errors {
    fn flow(&mut self, message: String) {
        self.0.push(FlowError {
            step: None,
            message,
        });
    }

    fn at(&mut self, step: &str, message: String) {
        self.0.push(FlowError {
            step: Some(step.to_string()),
            message,
        });
    }

    fn done(self) -> Result<(), Vec<FlowError>> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(self.0)
        }
    }
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// A name usable as `{name}` in texts: letters, digits and `_`, not
/// starting with a digit.
pub(crate) fn is_field_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next().is_some_and(|f| f.is_alphabetic() || f == '_')
        && c.all(|ch| ch.is_alphanumeric() || ch == '_')
}

fn is_web_url(s: &str) -> bool {
    s.starts_with("https://") || s.starts_with("http://")
}

fn check_step(id: &str, step: &Step, v: &mut Errors) {
    match step {
        Step::Send { content, .. } => check_content(id, content, v),
        Step::Ask {
            field,
            answer,
            retries,
            ..
        } => {
            check_field(id, field, v);
            if *retries > MAX_RETRIES {
                v.at(id, format!("no máximo {MAX_RETRIES} novas tentativas"));
            }
            match answer {
                Answer::Number {
                    min: Some(min),
                    max: Some(max),
                } if min > max => v.at(id, "o mínimo é maior que o máximo".into()),
                Answer::Option { options } if options.is_empty() => {
                    v.at(id, "a pergunta de opção precisa de opções".into())
                }
                Answer::Option { options } if options.iter().any(|o| o.trim().is_empty()) => {
                    v.at(id, "há uma opção vazia".into())
                }
                _ => {}
            }
        }
        Step::Condition { rules, .. } => {
            if rules.is_empty() {
                v.at(id, "a condição precisa de ao menos uma regra".into());
            }
            for (n, rule) in rules.iter().enumerate() {
                let n = n + 1;
                if !is_field_name(&rule.field) {
                    v.at(id, format!("regra {n}: campo \"{}\" inválido", rule.field));
                }
                match rule.op {
                    Op::Regex => {
                        if let Err(e) = regex::Regex::new(&rule.value) {
                            v.at(id, format!("regra {n}: expressão regular inválida: {e}"));
                        }
                    }
                    Op::Greater | Op::Less => {
                        if rule.value.trim().replace(',', ".").parse::<f64>().is_err() {
                            v.at(id, format!("regra {n}: \"{}\" não é um número", rule.value));
                        }
                    }
                    Op::Equals | Op::Contains | Op::StartsWith | Op::Empty => {}
                }
            }
        }
        Step::Set {
            fields, tags, info, ..
        } => {
            if fields.is_empty() && tags.is_empty() && info.is_empty() {
                v.at(id, "nada a definir".into());
            }
            for f in fields.keys().chain(info.keys()) {
                check_field(id, f, v);
            }
            if tags.iter().any(|t| t.trim().is_empty()) {
                v.at(id, "há uma etiqueta vazia".into());
            }
        }
        Step::Http {
            url,
            timeout_ms,
            map,
            ..
        } => {
            if !is_web_url(url) {
                v.at(
                    id,
                    format!("a URL \"{url}\" deve começar com http:// ou https://"),
                );
            }
            if *timeout_ms == 0 || *timeout_ms > MAX_HTTP_TIMEOUT_MS {
                v.at(
                    id,
                    format!("o tempo limite deve ser de 1 a {MAX_HTTP_TIMEOUT_MS} ms"),
                );
            }
            for (field, pointer) in map {
                check_field(id, field, v);
                if !(pointer.is_empty() || pointer.starts_with('/')) {
                    v.at(
                        id,
                        format!("\"{pointer}\" não é um caminho JSON (comece com /)"),
                    );
                }
            }
        }
        Step::Script { code, .. } => {
            if code.trim().is_empty() {
                v.at(id, "o código está vazio".into());
            }
        }
        Step::Jump { flow } => {
            if flow.trim().is_empty() {
                v.at(id, "indique o fluxo de destino".into());
            }
        }
        Step::Wait { seconds, .. } => {
            if *seconds == 0 || *seconds > MAX_WAIT_SECONDS {
                v.at(id, "a espera deve ser de 1 segundo a 30 dias".into());
            }
        }
        // Their targets are typed ids; whether they exist in the
        // organization is checked when the flow is saved.
        Step::Hours { callback_field, .. } => {
            if let Some(f) = callback_field {
                check_field(id, f, v);
            }
        }
        Step::AgentsOnline { department, .. } => {
            if department.as_deref().is_some_and(|d| d.trim().is_empty()) {
                v.at(id, "o departamento está em branco".into());
            }
        }
        Step::OpenAttendance { target } => {
            let named = match target {
                Target::Department { department }
                | Target::Random { department }
                | Target::LastAgent { department }
                | Target::Sequence { department } => Some(("o departamento", department)),
                Target::Agent { agent } => Some(("o agente", agent)),
                Target::Unassigned => None,
            };
            if let Some((what, r)) = named
                && r.trim().is_empty()
            {
                v.at(id, format!("{what} do atendimento está em branco"));
            }
        }
    }
}

fn check_field(id: &str, field: &str, v: &mut Errors) {
    if !is_field_name(field) {
        v.at(
            id,
            format!("campo \"{field}\" inválido: use letras, números e _"),
        );
    }
}

fn check_content(id: &str, content: &Content, v: &mut Errors) {
    match content {
        Content::Text { text } => {
            if text.trim().is_empty() {
                v.at(id, "o texto está vazio".into());
            } else if chars(text) > MAX_TEXT {
                v.at(id, format!("o texto passa de {MAX_TEXT} caracteres"));
            }
        }
        Content::Media { url, .. } => {
            if !is_web_url(url) {
                v.at(
                    id,
                    format!("a URL \"{url}\" deve começar com http:// ou https://"),
                );
            }
        }
        Content::Buttons { text, buttons } => {
            check_interactive_text(id, text, v);
            if buttons.is_empty() || buttons.len() > MAX_BUTTONS {
                v.at(id, format!("de 1 a {MAX_BUTTONS} botões"));
            }
            check_choices(id, "botão", buttons, MAX_BUTTON_TITLE, v);
        }
        Content::List {
            text,
            button,
            sections,
        } => {
            check_interactive_text(id, text, v);
            if button.trim().is_empty() || chars(button) > MAX_BUTTON_TITLE {
                v.at(
                    id,
                    format!("o botão da lista deve ter de 1 a {MAX_BUTTON_TITLE} caracteres"),
                );
            }
            let rows: Vec<_> = sections
                .iter()
                .flat_map(|s| s.rows.iter().cloned())
                .collect();
            if rows.is_empty() || rows.len() > MAX_LIST_ROWS {
                v.at(id, format!("a lista deve ter de 1 a {MAX_LIST_ROWS} itens"));
            }
            if sections.len() > 1 && sections.iter().any(|s| s.title.trim().is_empty()) {
                v.at(
                    id,
                    "com mais de uma seção, cada uma precisa de título".into(),
                );
            }
            if sections.iter().any(|s| chars(&s.title) > MAX_ROW_TITLE) {
                v.at(
                    id,
                    format!("título de seção com mais de {MAX_ROW_TITLE} caracteres"),
                );
            }
            check_choices(id, "item", &rows, MAX_ROW_TITLE, v);
            if rows.iter().any(|r| {
                r.description
                    .as_deref()
                    .is_some_and(|d| chars(d) > MAX_ROW_DESCRIPTION)
            }) {
                v.at(
                    id,
                    format!("descrição de item com mais de {MAX_ROW_DESCRIPTION} caracteres"),
                );
            }
        }
        Content::Template { name, language, .. } => {
            if name.trim().is_empty() || language.trim().is_empty() {
                v.at(id, "indique o nome e o idioma do template".into());
            }
        }
    }
}

fn check_interactive_text(id: &str, text: &str, v: &mut Errors) {
    if text.trim().is_empty() {
        v.at(id, "o texto da mensagem está vazio".into());
    } else if chars(text) > MAX_INTERACTIVE_TEXT {
        v.at(
            id,
            format!("o texto passa de {MAX_INTERACTIVE_TEXT} caracteres"),
        );
    }
}

fn check_choices(
    id: &str,
    what: &str,
    choices: &[crate::model::Choice],
    max_title: usize,
    v: &mut Errors,
) {
    let mut seen = BTreeSet::new();
    for c in choices {
        if c.title.trim().is_empty() || chars(&c.title) > max_title {
            v.at(
                id,
                format!(
                    "{what} \"{}\": o título deve ter de 1 a {max_title} caracteres",
                    c.title
                ),
            );
        }
        if c.id.trim().is_empty() {
            v.at(id, format!("{what} \"{}\" sem identificador", c.title));
        } else if !seen.insert(c.id.as_str()) {
            v.at(id, format!("identificador \"{}\" repetido", c.id));
        }
    }
}

/// Steps the start cannot reach, and loops the run could go round without
/// ever waiting for the contact (or the clock).
fn check_graph(flow: &Flow, v: &mut Errors) {
    let known = |id: &StepId| flow.steps.contains_key(id);
    let mut reached = BTreeSet::new();
    let mut todo = vec![&flow.start];
    while let Some(id) = todo.pop() {
        if reached.insert(id) {
            todo.extend(flow.steps[id].successors().into_iter().filter(|n| known(n)));
        }
    }
    for id in flow.steps.keys() {
        if !reached.contains(id) {
            v.at(id, "nenhum caminho leva a esta etapa".into());
        }
    }
    // A cycle among steps that never wait would run forever: depth-first
    // search of the graph without the waiting steps.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    let mut marks: BTreeMap<&StepId, Mark> = BTreeMap::new();
    let mut looped = BTreeSet::new();
    for root in flow.steps.keys() {
        if marks.contains_key(root) || flow.steps[root].waits() {
            continue;
        }
        // (step, index of its next successor to visit)
        let mut stack: Vec<(&StepId, usize)> = vec![(root, 0)];
        marks.insert(root, Mark::Open);
        while let Some((id, i)) = stack.pop() {
            let nexts: Vec<&StepId> = flow.steps[id]
                .successors()
                .into_iter()
                .filter(|n| known(n) && !flow.steps[*n].waits())
                .collect();
            match nexts.get(i) {
                Some(&n) => {
                    stack.push((id, i + 1));
                    match marks.get(n) {
                        Some(Mark::Open) => {
                            looped.insert(n);
                        }
                        Some(Mark::Done) => {}
                        None => {
                            marks.insert(n, Mark::Open);
                            stack.push((n, 0));
                        }
                    }
                }
                None => {
                    marks.insert(id, Mark::Done);
                }
            }
        }
    }
    for id in looped {
        v.at(
            id,
            "esta etapa volta a si mesma sem nenhuma pergunta ou espera no caminho: o fluxo não pararia"
                .into(),
        );
    }
}
