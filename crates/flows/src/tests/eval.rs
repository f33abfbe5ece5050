use std::collections::BTreeMap;

use crate::{Answer, AnswerError, Match, Op, Rule, check_answer, rules_hold};

#[test]
fn answers_are_checked_and_stored_in_their_normal_form() {
    let number = Answer::Number {
        min: Some(1.0),
        max: Some(10.0),
    };
    assert_eq!(check_answer(&Answer::Text, "  Olá  ").unwrap(), "Olá");
    assert_eq!(check_answer(&Answer::Text, "   "), Err(AnswerError::Empty));
    assert_eq!(check_answer(&number, "2,5").unwrap(), "2.5");
    assert_eq!(check_answer(&number, "11"), Err(AnswerError::OutOfRange));
    assert_eq!(check_answer(&number, "dez"), Err(AnswerError::NotANumber));
    assert_eq!(check_answer(&number, "NaN"), Err(AnswerError::NotANumber));
    assert_eq!(
        check_answer(&Answer::Email, "Ana@Loja.COM.br").unwrap(),
        "ana@loja.com.br"
    );
    assert_eq!(
        check_answer(&Answer::Email, "ana@"),
        Err(AnswerError::Email)
    );
    assert_eq!(
        check_answer(&Answer::Phone, "(11) 98765-4321").unwrap(),
        "+5511987654321"
    );
    assert_eq!(
        check_answer(&Answer::Phone, "4321"),
        Err(AnswerError::Phone)
    );
    assert_eq!(
        check_answer(&Answer::Document, "529.982.247-25").unwrap(),
        "52998224725"
    );
    assert_eq!(
        check_answer(&Answer::Document, "529.982.247-26"),
        Err(AnswerError::Document)
    );
    assert_eq!(
        check_answer(&Answer::Date, "31/12/2026").unwrap(),
        "2026-12-31"
    );
    assert_eq!(
        check_answer(&Answer::Date, "2026-02-01").unwrap(),
        "2026-02-01"
    );
    assert_eq!(
        check_answer(&Answer::Date, "31/02/2026"),
        Err(AnswerError::Date)
    );
    let options = Answer::Option {
        options: vec!["vendas".into(), "suporte".into()],
    };
    assert_eq!(check_answer(&options, " Suporte ").unwrap(), "suporte");
    assert_eq!(
        check_answer(&options, "financeiro"),
        Err(AnswerError::NotAnOption)
    );
}

fn rule(field: &str, op: Op, value: &str) -> Rule {
    Rule {
        field: field.into(),
        op,
        value: value.into(),
    }
}

#[test]
fn rules_compare_texts_numbers_patterns_and_emptiness() {
    let fields: BTreeMap<String, String> = [
        ("setor", " Vendas "),
        ("total", "12,5"),
        ("cpf", "52998224725"),
        ("email", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let holds = |r: Rule| rules_hold(Match::All, &[r], &fields);
    assert!(holds(rule("setor", Op::Equals, "vendas")));
    assert!(!holds(rule("setor", Op::Equals, "venda")));
    assert!(holds(rule("setor", Op::Contains, "END")));
    assert!(holds(rule("setor", Op::StartsWith, "ven")));
    assert!(holds(rule("cpf", Op::Regex, "^[0-9]{11}$")));
    assert!(!holds(rule("cpf", Op::Regex, "^[0-9]{14}$")));
    assert!(holds(rule("total", Op::Greater, "12")));
    assert!(!holds(rule("total", Op::Less, "12")));
    assert!(
        !holds(rule("setor", Op::Greater, "1")),
        "a text is no number"
    );
    assert!(holds(rule("email", Op::Empty, "")));
    assert!(holds(rule("ausente", Op::Empty, "")));
    assert!(!holds(rule("setor", Op::Empty, "")));

    let yes = rule("setor", Op::Equals, "vendas");
    let no = rule("setor", Op::Equals, "suporte");
    assert!(!rules_hold(Match::All, &[yes.clone(), no.clone()], &fields));
    assert!(rules_hold(Match::Any, &[yes, no.clone()], &fields));
    assert!(!rules_hold(Match::Any, &[no], &fields));
}
