//! The "code box": runs the JavaScript of a `script` step over a run's
//! fields, in a QuickJS sandbox that sees nothing but those fields and is
//! bounded in memory, stack and time.
//!
//! Every call builds a fresh runtime and context and drops them at the
//! end, so nothing leaks from one script (or one contact) to the next and
//! a script that broke a limit leaves nothing half-done behind.

use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rquickjs::context::{EvalOptions, intrinsic};
use rquickjs::function::This;
use rquickjs::{
    Coerced, Context, Ctx, Error as JsError, FromJs, Function, Object, Runtime, Type, Value,
};

use crate::validate::is_field_name;

/// What a script may use. The defaults suit a code box that computes a
/// few fields: generous for that, small enough that a broken script
/// cannot hurt the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptLimits {
    /// The heap of the script's runtime, context included (QuickJS's own
    /// accounting). 0 is not "unlimited": it fails every script.
    pub memory_bytes: usize,
    /// The native stack the interpreter may use, which bounds recursion.
    /// The calling thread needs a larger stack than this (tokio's blocking
    /// threads and Rust's test threads have 2 MiB). 0 is not "unlimited".
    pub stack_bytes: usize,
    /// Wall-clock time from the start of the call, parsing included.
    pub time: Duration,
}

impl Default for ScriptLimits {
    fn default() -> Self {
        ScriptLimits {
            memory_bytes: 16 * 1024 * 1024,
            stack_bytes: 512 * 1024,
            time: Duration::from_secs(1),
        }
    }
}

/// Why a script produced no fields. The run goes to the step's `error`
/// either way; the message is for the flow's author.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScriptError {
    #[error("o script passou do tempo limite")]
    Timeout,
    #[error("o script passou do limite de memória")]
    Memory,
    #[error("o script passou do limite da pilha (recursão profunda demais)")]
    Stack,
    /// The script threw (or did not parse): the exception's text.
    #[error("erro no script: {0}")]
    Exception(String),
    /// What the script left in `fields` cannot be stored as fields.
    #[error("o script deixou campos inválidos: {0}")]
    BadFields(String),
}

/// The built-in objects a script gets on top of QuickJS's base objects
/// (Object, Array, String, Number, Boolean, Math, BigInt, Symbol, Reflect,
/// Iterator, the errors). No `Proxy`, typed arrays, `WeakRef` or
/// `performance`: nothing a code box needs. `Promise` is not optional:
/// without it QuickJS aborts the process (a C assertion) when it frees an
/// `async` function.
type Intrinsics = (
    intrinsic::Date,
    intrinsic::Eval,
    intrinsic::RegExpCompiler,
    intrinsic::RegExp,
    intrinsic::Json,
    intrinsic::MapSet,
    intrinsic::Promise,
);

/// Defines the global `fields` before the script runs: non-configurable,
/// so the script can reassign it but neither delete it nor declare it
/// again with `let` (a syntax error), which would hide the result.
const DEFINE_FIELDS: &str = "(o) => Object.defineProperty(globalThis, 'fields', \
    { value: o, writable: true, enumerable: true, configurable: false })";

/// Wraps the array built-ins whose C loops ignore the time limit; see the
/// file's own comment.
const GUARD: &str = include_str!("script_guard.js");

/// The longest exception text kept (a script can throw a huge string).
const MAX_MESSAGE_CHARS: usize = 500;

/// Runs `code` over `fields` and returns the fields it leaves.
///
/// The script sees the fields as a global object `fields` of strings and
/// may change, add or delete its keys, or assign `fields` a new object.
/// Whatever `fields` holds at the end is the result, each value turned
/// into text: strings as they are, numbers and BigInts as JavaScript's
/// `String(v)`, booleans as `"true"`/`"false"`, objects and arrays as
/// `JSON.stringify(v)`; `null` and `undefined` remove the key. A key that
/// is not a field name (letters, digits and `_`, not starting with a
/// digit), a value that is a function or a symbol, or a `fields` that is
/// no longer an object (an array, a function, a number...) gives
/// [`ScriptError::BadFields`].
///
/// The sandbox has ECMAScript's built-ins (with `Date`, `RegExp`, `JSON`,
/// `Map`/`Set`, `Promise` and `eval`) and nothing of the world: no
/// `require`, modules, `process`, `std`/`os`, `fetch`, timers nor
/// `console`. The code runs as a plain (non-strict) script. Promise jobs
/// run to completion before the fields are read, so `async` helpers
/// work; a rejection nobody handles is ignored.
///
/// Limits: past [`ScriptLimits::time`] the interpreter is interrupted
/// ([`ScriptError::Timeout`]); an allocation over the memory limit makes
/// QuickJS throw "out of memory" ([`ScriptError::Memory`]); too deep a
/// recursion throws a stack overflow ([`ScriptError::Stack`]). A script
/// can catch the last two itself and carry on, as in a browser; it cannot
/// catch the timeout. When QuickJS cannot even allocate the error it
/// throws `null`, so a thrown `null` counts as `Memory` (a script's own
/// `throw null` too).
///
/// QuickJS looks at the clock between instructions, not inside its C
/// built-ins. The array built-ins whose C loops run over `length` refuse
/// a length no array within the memory limit could have (a `RangeError`,
/// see script_guard.js), so their work is bounded by the memory limit;
/// one case remains: turning a BigInt near QuickJS's 1 Mbit cap into
/// decimal text is quadratic and can overrun the limit by seconds.
///
/// Synchronous and CPU-bound for about the time limit: the server calls
/// it inside `tokio::task::spawn_blocking`, on a thread whose stack is
/// larger than [`ScriptLimits::stack_bytes`]. It does not panic; a panic
/// of the bindings themselves would come back as an `Exception`.
pub fn run_script(
    code: &str,
    fields: &BTreeMap<String, String>,
    limits: &ScriptLimits,
) -> Result<BTreeMap<String, String>, ScriptError> {
    // Everything given is read-only and the sandbox is dropped on the way
    // out, so nothing is left inconsistent by an unwind.
    panic::catch_unwind(AssertUnwindSafe(|| Sandbox::new(limits)?.run(code, fields)))
        .unwrap_or_else(|_| {
            Err(ScriptError::Exception(
                "falha interna do interpretador".into(),
            ))
        })
}

/// A failure inside the context, explained once the context is at hand.
enum Fail {
    /// QuickJS failed; with `Error::Exception`, the exception is pending.
    Js(JsError),
    /// The result is not a set of fields.
    Bad(String),
}

impl From<JsError> for Fail {
    fn from(e: JsError) -> Self {
        Fail::Js(e)
    }
}

/// One fresh QuickJS runtime and context with the limits set.
struct Sandbox {
    // Declared before `rt` so the context is dropped first.
    ctx: Context,
    rt: Runtime,
    /// Set by the interrupt handler when it stops the script.
    timed_out: Arc<AtomicBool>,
    /// `None` when the time limit is too large to be a date.
    deadline: Option<Instant>,
    /// The longest array the guarded built-ins accept: no array of
    /// values (16 bytes each) this long fits in the memory limit.
    max_length: usize,
}

impl Sandbox {
    fn new(limits: &ScriptLimits) -> Result<Self, ScriptError> {
        let deadline = Instant::now().checked_add(limits.time);
        let rt = Runtime::new().map_err(|_| ScriptError::Memory)?;
        // 0 would mean "no limit" to QuickJS.
        rt.set_memory_limit(limits.memory_bytes.max(1));
        rt.set_max_stack_size(limits.stack_bytes.max(1));
        let timed_out = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&timed_out);
        // Called every few thousand instructions (and by the regex
        // engine while it backtracks); `true` raises an exception the
        // script cannot catch.
        rt.set_interrupt_handler(Some(Box::new(move || {
            let late = deadline.is_some_and(|d| Instant::now() >= d);
            if late {
                flag.store(true, Ordering::Relaxed);
            }
            late
        })));
        let ctx = Context::custom::<Intrinsics>(&rt).map_err(|e| match e {
            JsError::Allocation => ScriptError::Memory,
            other => ScriptError::Exception(other.to_string()),
        })?;
        Ok(Sandbox {
            ctx,
            rt,
            timed_out,
            deadline,
            max_length: limits.memory_bytes / 8,
        })
    }

    fn run(
        &self,
        code: &str,
        fields: &BTreeMap<String, String>,
    ) -> Result<BTreeMap<String, String>, ScriptError> {
        self.within(|ctx| {
            install_guard(ctx, self.max_length)?;
            install_fields(ctx, fields)?;
            eval::<Value>(ctx, code, SCRIPT_FILE)?;
            Ok(())
        })?;
        self.settle_promises()?;
        let fields = self.within(collect_fields)?;
        // Reading `fields` runs getters: they are bound by the time too.
        if self.timed_out.load(Ordering::Relaxed) {
            return Err(ScriptError::Timeout);
        }
        Ok(fields)
    }

    /// Runs `f` in the context, explaining its failure while the pending
    /// exception can still be read.
    fn within<T>(
        &self,
        f: impl for<'js> FnOnce(&Ctx<'js>) -> Result<T, Fail>,
    ) -> Result<T, ScriptError> {
        self.ctx
            .with(|ctx| f(&ctx).map_err(|fail| self.explain(&ctx, fail)))
    }

    /// Runs the promise jobs the script queued (`then` callbacks, the rest
    /// of `async` functions). There are no timers or I/O, so the queue
    /// only empties or runs out of time.
    fn settle_promises(&self) -> Result<(), ScriptError> {
        loop {
            if self.timed_out.load(Ordering::Relaxed) || self.past_deadline() {
                return Err(ScriptError::Timeout);
            }
            match self.rt.execute_pending_job() {
                Ok(true) => {}
                Ok(false) => return Ok(()),
                Err(job) => {
                    let fail = Fail::Js(JsError::Exception);
                    return Err(job.0.with(|ctx| self.explain(&ctx, fail)));
                }
            }
        }
    }

    fn past_deadline(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// What a failure means for the flow's author. The timeout wins:
    /// once interrupted, whatever surfaced is its consequence, and reading
    /// the exception (a `message` getter, a `toString`) can itself run
    /// out of time.
    fn explain(&self, ctx: &Ctx<'_>, fail: Fail) -> ScriptError {
        let error = match fail {
            Fail::Bad(message) => ScriptError::BadFields(message),
            Fail::Js(JsError::Exception) => classify(ctx, ctx.catch()),
            Fail::Js(JsError::Allocation) => ScriptError::Memory,
            Fail::Js(JsError::InvalidString(_)) => {
                ScriptError::Exception("o código contém o caractere nulo (\\0)".into())
            }
            Fail::Js(other) => ScriptError::Exception(other.to_string()),
        };
        if self.timed_out.load(Ordering::Relaxed) {
            ScriptError::Timeout
        } else {
            error
        }
    }
}

/// The file name of the author's code in stack traces, which
/// [`location`] looks for.
const SCRIPT_FILE: &str = "script";

/// The file name of the sandbox's own code, so an error thrown there is
/// located in the author's code that called it.
const SANDBOX_FILE: &str = "atende";

/// Evaluates `code` as a global, non-strict script: what a code-box
/// author expects from "a bit of JavaScript".
fn eval<'js, V: FromJs<'js>>(ctx: &Ctx<'js>, code: &str, file: &str) -> rquickjs::Result<V> {
    let mut options = EvalOptions::default();
    options.strict = false;
    options.filename = Some(file.to_string());
    ctx.eval_with_options(code, options)
}

/// Guards the built-ins that would outlast the time limit.
fn install_guard(ctx: &Ctx<'_>, max_length: usize) -> Result<(), Fail> {
    let guard: Function = eval(ctx, GUARD, SANDBOX_FILE)?;
    // An f64 holds every length that matters here exactly enough.
    guard.call::<_, Value>((max_length as f64,))?;
    Ok(())
}

/// Defines the global `fields` from the run's fields. Built by
/// `JSON.parse` so every key is an own data property (even `__proto__`).
fn install_fields(ctx: &Ctx<'_>, fields: &BTreeMap<String, String>) -> Result<(), Fail> {
    let json = serde_json::to_string(fields).map_err(|e| Fail::Bad(e.to_string()))?;
    let object = ctx.json_parse(json)?;
    let define: Function = eval(ctx, DEFINE_FIELDS, SANDBOX_FILE)?;
    define.call::<_, Value>((object,))?;
    Ok(())
}

/// The fields the script left: `fields` read as the script would read it.
fn collect_fields(ctx: &Ctx<'_>) -> Result<BTreeMap<String, String>, Fail> {
    let value: Value = eval(ctx, "fields", SANDBOX_FILE)?;
    let kind = value.type_of();
    let object = match value.into_object() {
        Some(object) if kind == Type::Object => object,
        _ => {
            return Err(Fail::Bad(format!(
                "`fields` precisa ser um objeto, mas é {}",
                kind_name(kind)
            )));
        }
    };
    let mut out = BTreeMap::new();
    for key in object.keys::<rquickjs::String>() {
        let key = key?;
        let name = text(ctx, &key)?;
        if !is_field_name(&name) {
            return Err(Fail::Bad(format!(
                "campo \"{name}\" inválido: use letras, números e _"
            )));
        }
        let value: Value = object.get(key)?;
        if let Some(text) = field_text(ctx, &name, value)? {
            out.insert(name, text);
        }
    }
    Ok(out)
}

/// A field's value as text, or `None` to drop the field.
fn field_text<'js>(ctx: &Ctx<'js>, name: &str, value: Value<'js>) -> Result<Option<String>, Fail> {
    let kind = value.type_of();
    match kind {
        Type::Uninitialized | Type::Undefined | Type::Null => Ok(None),
        Type::Bool => Ok(value.as_bool().map(|b| b.to_string())),
        Type::String | Type::Int | Type::Float | Type::BigInt => {
            // JavaScript's own ToString: "1e+21", "0.30000000000000004".
            let Coerced(s) = Coerced::<rquickjs::String>::from_js(ctx, value)?;
            text(ctx, &s).map(Some)
        }
        Type::Object | Type::Array | Type::Exception | Type::Promise | Type::Proxy => {
            match ctx.json_stringify(value)? {
                Some(json) => text(ctx, &json).map(Some),
                None => Ok(None),
            }
        }
        Type::Function | Type::Constructor | Type::Symbol | Type::Module | Type::Unknown => {
            Err(Fail::Bad(format!(
                "o campo \"{name}\" guarda {}, que não vira texto",
                kind_name(kind)
            )))
        }
    }
}

/// A JavaScript string as Rust text. JavaScript strings may hold a lone
/// half of a surrogate pair (a `slice` through an emoji); those become
/// U+FFFD through `toWellFormed` instead of failing the script.
fn text<'js>(ctx: &Ctx<'js>, s: &rquickjs::String<'js>) -> Result<String, Fail> {
    match s.to_string() {
        Err(JsError::Utf8(_)) => match well_formed(ctx, s) {
            // An exception (out of time or memory) is explained as such.
            Err(JsError::Exception) => Err(Fail::Js(JsError::Exception)),
            // The script replaced `toWellFormed` with something else.
            Err(_) => Err(Fail::Bad("um texto não é Unicode válido".into())),
            Ok(text) => Ok(text),
        },
        other => Ok(other?),
    }
}

/// `s.toWellFormed()`, through the current `String.prototype`.
fn well_formed<'js>(ctx: &Ctx<'js>, s: &rquickjs::String<'js>) -> rquickjs::Result<String> {
    let fixed: rquickjs::String = ctx
        .globals()
        .get::<_, Object>("String")?
        .get::<_, Object>("prototype")?
        .get::<_, Function>("toWellFormed")?
        .call((This(s.clone()),))?;
    fixed.to_string()
}

/// An exception, sorted by what caused it.
fn classify<'js>(ctx: &Ctx<'js>, exception: Value<'js>) -> ScriptError {
    if exception.is_null() {
        return ScriptError::Memory;
    }
    let Some(error) = exception
        .as_object()
        .and_then(|o| rquickjs::Exception::from_object(o.clone()))
    else {
        return ScriptError::Exception(thrown_text(ctx, exception));
    };
    let name: String = error.get("name").unwrap_or_default();
    let message = error.message().unwrap_or_default();
    if message == "out of memory" {
        return ScriptError::Memory;
    }
    if message.contains("stack size exceeded") || message.contains("stack overflow") {
        return ScriptError::Stack;
    }
    let at = error
        .stack()
        .as_deref()
        .and_then(location)
        .unwrap_or_default();
    ScriptError::Exception(clip(&format!("{name}: {message}{at}")))
}

/// A thrown value that is not an `Error` (`throw "x"`), as text.
fn thrown_text<'js>(ctx: &Ctx<'js>, value: Value<'js>) -> String {
    let text = Coerced::<rquickjs::String>::from_js(ctx, value)
        .ok()
        .and_then(|Coerced(s)| s.to_string().ok());
    // A `toString` that throws leaves a new exception pending: drop it.
    if text.is_none() {
        ctx.catch();
    }
    clip(&text.unwrap_or_else(|| "exceção sem texto".into()))
}

/// " (linha L, coluna C)" from the innermost frame of the author's code
/// in a QuickJS stack ("    at f (script:3:11)", "    at script:1:9").
fn location(stack: &str) -> Option<String> {
    let rest = stack.lines().find_map(|frame| {
        let frame = frame.trim_start().strip_prefix("at ")?;
        let frame = frame.rsplit_once(" (").map_or(frame, |(_, f)| f);
        frame.strip_prefix(SCRIPT_FILE)?.strip_prefix(':')
    })?;
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':'))
        .unwrap_or(rest.len());
    let (line, column) = rest[..end].split_once(':')?;
    Some(format!(" (linha {line}, coluna {column})"))
}

fn clip(s: &str) -> String {
    match s.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

/// A JavaScript type as the flow's author would name it.
fn kind_name(kind: Type) -> &'static str {
    match kind {
        Type::Uninitialized | Type::Undefined => "undefined",
        Type::Null => "null",
        Type::Bool => "um booleano",
        Type::Int | Type::Float => "um número",
        Type::BigInt => "um BigInt",
        Type::String => "um texto",
        Type::Symbol => "um símbolo",
        Type::Array => "uma lista",
        Type::Function | Type::Constructor => "uma função",
        Type::Promise => "uma Promise",
        Type::Exception => "um erro",
        Type::Object | Type::Proxy => "um objeto",
        Type::Module | Type::Unknown => "um valor desconhecido",
    }
}
