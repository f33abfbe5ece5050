//! The code box: what a script sees, what it returns, and how each broken
//! limit is told apart.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::{ScriptError, ScriptLimits, run_script};

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Runs `code` with the default limits.
fn run(code: &str, given: &[(&str, &str)]) -> Result<BTreeMap<String, String>, ScriptError> {
    run_script(code, &fields(given), &ScriptLimits::default())
}

/// Limits with a short time, so a runaway script ends quickly.
fn quick() -> ScriptLimits {
    ScriptLimits {
        time: Duration::from_millis(50),
        ..ScriptLimits::default()
    }
}

/// Runs `code` with time to spare, so a loaded machine cannot turn the
/// memory or stack failure being tested into a timeout.
fn run_roomy(code: &str) -> Result<BTreeMap<String, String>, ScriptError> {
    let limits = ScriptLimits {
        time: Duration::from_secs(60),
        ..ScriptLimits::default()
    };
    run_script(code, &fields(&[]), &limits)
}

#[test]
fn fields_are_read_and_changed() {
    let out = run(
        "fields.total = Number(fields.preco) * Number(fields.quantidade);\n\
         fields.nome = fields.nome.toUpperCase();",
        &[("preco", "2.5"), ("quantidade", "4"), ("nome", "ana")],
    )
    .unwrap();
    assert_eq!(
        out,
        fields(&[
            ("preco", "2.5"),
            ("quantidade", "4"),
            ("nome", "ANA"),
            ("total", "10")
        ])
    );
}

#[test]
fn a_key_can_be_deleted_and_fields_replaced() {
    let out = run(
        "delete fields.cpf; fields.ok = 'sim';",
        &[("cpf", "1"), ("a", "b")],
    )
    .unwrap();
    assert_eq!(out, fields(&[("a", "b"), ("ok", "sim")]));
    let out = run("fields = { novo: 'x' };", &[("velho", "y")]).unwrap();
    assert_eq!(out, fields(&[("novo", "x")]));
    // `fields` is given: deleting it does nothing, declaring it again is
    // a syntax error, as for any non-configurable global.
    let out = run("delete globalThis.fields; var fields;", &[("a", "b")]).unwrap();
    assert_eq!(out, fields(&[("a", "b")]));
    let err = run("let fields = { visto: 1 };", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::Exception(m) if m.contains("'fields'")),
        "{err:?}"
    );
}

#[test]
fn values_that_are_not_strings_become_text() {
    let out = run(
        "fields.inteiro = 42; fields.decimal = 0.1 + 0.2; fields.grande = 1e21;\n\
         fields.nan = NaN; fields.big = 10n ** 20n; fields.sim = true; fields.nao = false;\n\
         fields.lista = [1, 'a', null]; fields.objeto = { a: { b: 2 } };\n\
         fields.vazio = ''; fields.nulo = null; fields.indefinido = undefined;",
        &[("nulo", "apagado"), ("indefinido", "apagado")],
    )
    .unwrap();
    assert_eq!(
        out,
        fields(&[
            ("inteiro", "42"),
            ("decimal", "0.30000000000000004"),
            ("grande", "1e+21"),
            ("nan", "NaN"),
            ("big", "100000000000000000000"),
            ("sim", "true"),
            ("nao", "false"),
            ("lista", r#"[1,"a",null]"#),
            ("objeto", r#"{"a":{"b":2}}"#),
            ("vazio", ""),
        ])
    );
}

#[test]
fn text_survives_the_round_trip() {
    let odd = "aspas \" ' \\ quebra\nlinha, emoji 😀, nulo \0, __proto__";
    let out = run(
        "fields.igual = String(fields.texto === fields.texto.normalize());\n\
         fields.metade = '😀'.slice(0, 1) + 'x';",
        &[("texto", odd), ("__proto__", "próprio")],
    )
    .unwrap();
    assert_eq!(out["texto"], odd);
    assert_eq!(out["__proto__"], "próprio");
    assert_eq!(out["igual"], "true");
    // Half an emoji (a lone surrogate) is replaced, not an error.
    assert_eq!(out["metade"], "\u{FFFD}x");
}

#[test]
fn keys_that_are_not_field_names_are_refused() {
    let err = run("fields['meu campo'] = 'x';", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::BadFields(m) if m.contains("\"meu campo\"")),
        "{err:?}"
    );
    let err = run("fields = ['a'];", &[]).unwrap_err();
    assert!(matches!(&err, ScriptError::BadFields(_)), "{err:?}");
    for code in ["fields = 5;", "fields = null;", "fields = 'texto';"] {
        let err = run(code, &[]).unwrap_err();
        assert!(
            matches!(&err, ScriptError::BadFields(m) if m.contains("objeto")),
            "{code}: {err:?}"
        );
    }
    let err = run("fields.f = () => 1;", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::BadFields(m) if m.contains("\"f\"") && m.contains("função")),
        "{err:?}"
    );
}

#[test]
fn an_endless_loop_times_out() {
    assert_eq!(
        run_script("while (true) {}", &fields(&[]), &quick()),
        Err(ScriptError::Timeout)
    );
    // The script cannot catch the interruption.
    let code = "try { while (true) {} } catch (e) { fields.pego = 'sim' }";
    assert_eq!(
        run_script(code, &fields(&[]), &quick()),
        Err(ScriptError::Timeout)
    );
    // Nor hide in a promise job or a backtracking regular expression.
    let code = "(async () => { while (true) await null })();";
    assert_eq!(
        run_script(code, &fields(&[]), &quick()),
        Err(ScriptError::Timeout)
    );
    let code = "/(a+)+$/.test('a'.repeat(40) + 'b');";
    assert_eq!(
        run_script(code, &fields(&[]), &quick()),
        Err(ScriptError::Timeout)
    );
}

#[test]
fn a_call_after_a_timeout_starts_afresh() {
    let code = "globalThis.sujo = 1; while (true) {}";
    assert_eq!(
        run_script(code, &fields(&[]), &quick()),
        Err(ScriptError::Timeout)
    );
    let out = run("fields.sujo = typeof sujo; fields.n = 1 + 1;", &[]).unwrap();
    assert_eq!(out, fields(&[("sujo", "undefined"), ("n", "2")]));
}

#[test]
fn too_much_memory_is_reported_as_memory() {
    let code = "let a = []; while (true) a.push(new Array(1e6).fill(1));";
    assert_eq!(run_roomy(code), Err(ScriptError::Memory));
    // Many small objects: QuickJS may be unable to allocate even the
    // error and throw `null`.
    let code = "let a = []; while (true) a.push({ n: a.length });";
    assert_eq!(run_roomy(code), Err(ScriptError::Memory));
}

#[test]
fn built_ins_that_ignore_the_clock_refuse_huge_lengths() {
    // Each loops in C over `length` without checking the time: unguarded,
    // these would hold the thread for minutes.
    for code in [
        "Array(2 ** 32 - 1).join('x')",
        "String(Array(2 ** 32 - 1))",
        "Array.prototype.reverse.call({ length: 2 ** 53 - 1 })",
        "Array.prototype.copyWithin.call({ length: 2 ** 53 - 1 }, 0, 1)",
        "Array(2 ** 32 - 1).splice(0)",
        "[].concat(Array(2 ** 32 - 1))",
        "const x = Array(1e6); [].concat(x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x)",
        "[Array(2 ** 32 - 1)].flat()",
        "String.raw({ raw: { length: 2 ** 53 - 1 } })",
    ] {
        let err = run(code, &[]).unwrap_err();
        assert!(
            matches!(&err, ScriptError::Exception(m) if m.contains("longa demais") && m.contains("linha 1")),
            "{code}: {err:?}"
        );
    }
    // The built-ins themselves still work.
    let out = run(
        "fields.j = [3, 1, 2].sort().join('-') + String([4, 5]) + [1].concat([2], 3) \
         + [[6], [7]].flatMap(x => x) + [1, [2, [3]]].flat(Infinity) + String.raw`a${1}`;",
        &[],
    )
    .unwrap();
    assert_eq!(out["j"], "1-2-34,51,2,36,71,2,3a1");
}

#[test]
fn deep_recursion_is_reported_as_stack() {
    assert_eq!(
        run_roomy("function f() { return f() + 1 } f();"),
        Err(ScriptError::Stack)
    );
    // Deep nesting in the parser is the same limit.
    let code = format!("{}1{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(run_roomy(&code), Err(ScriptError::Stack));
}

#[test]
fn a_script_may_recover_from_its_own_errors() {
    let out = run(
        "function f() { return f() + 1 }\n\
         try { f() } catch (e) { fields.pilha = e.name }\n\
         try { null.x } catch (e) { fields.erro = e.name }",
        &[],
    )
    .unwrap();
    assert_eq!(
        out,
        fields(&[("pilha", "RangeError"), ("erro", "TypeError")])
    );
}

#[test]
fn exceptions_carry_their_message() {
    let err = run("throw new Error('x')", &[]).unwrap_err();
    assert_eq!(
        err,
        ScriptError::Exception("Error: x (linha 1, coluna 11)".into())
    );
    let err = run("\nfields.a.b.c = 1;", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::Exception(m) if m.starts_with("TypeError: ") && m.contains("linha 2")),
        "{err:?}"
    );
    let err = run("throw 'só texto'", &[]).unwrap_err();
    assert_eq!(err, ScriptError::Exception("só texto".into()));
    let err = run("throw 'x'.repeat(10000)", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::Exception(m) if m.chars().count() <= 501),
        "{err:?}"
    );
    assert_eq!(
        err.to_string().split(':').next(),
        Some("erro no script"),
        "Display is for the author"
    );
}

#[test]
fn a_syntax_error_is_an_exception() {
    let err = run("let x = ;", &[]).unwrap_err();
    assert!(
        matches!(&err, ScriptError::Exception(m) if m.starts_with("SyntaxError: ")),
        "{err:?}"
    );
    let err = run("fields.a = '\0';", &[]).unwrap_err();
    assert!(matches!(&err, ScriptError::Exception(_)), "{err:?}");
}

#[test]
fn the_world_is_out_of_reach() {
    let names = [
        "require",
        "process",
        "fetch",
        "setTimeout",
        "setInterval",
        "std",
        "os",
        "console",
        "print",
        "performance",
        "XMLHttpRequest",
        "WebAssembly",
        "Proxy",
        "module",
        "exports",
    ];
    let code: String = names
        .iter()
        .map(|n| format!("fields.{n} = typeof {n};\n"))
        .collect();
    let out = run(&code, &[]).unwrap();
    for n in names {
        assert_eq!(out[n], "undefined", "{n}");
    }
    // No module loader: a dynamic import is rejected.
    let out = run(
        "import('fs').then(() => { fields.carregou = 'sim' }, e => { fields.erro = e.name })",
        &[],
    )
    .unwrap();
    assert!(
        !out.contains_key("carregou") && out.contains_key("erro"),
        "{out:?}"
    );
}

#[test]
fn promises_settle_before_the_fields_are_read() {
    let out = run(
        "(async () => { fields.a = await Promise.resolve('depois') })();\n\
         Promise.resolve(2).then(n => { fields.b = n * 2 });",
        &[],
    )
    .unwrap();
    assert_eq!(out, fields(&[("a", "depois"), ("b", "4")]));
}

#[test]
fn limits_of_zero_fail_instead_of_lifting_the_limit() {
    let none = ScriptLimits {
        memory_bytes: 0,
        ..ScriptLimits::default()
    };
    assert_eq!(
        run_script("1", &fields(&[]), &none),
        Err(ScriptError::Memory)
    );
    let none = ScriptLimits {
        stack_bytes: 0,
        ..ScriptLimits::default()
    };
    assert!(run_script("function f() { return f() } f()", &fields(&[]), &none).is_err());
    let forever = ScriptLimits {
        time: Duration::MAX,
        ..ScriptLimits::default()
    };
    assert_eq!(
        run_script("fields.a = 1", &fields(&[]), &forever),
        Ok(fields(&[("a", "1")]))
    );
}
