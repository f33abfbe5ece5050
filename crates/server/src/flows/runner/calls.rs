//! The calls a run waits for, made outside any transaction: an `http`
//! step's request and a `script` step's code.

use std::collections::BTreeMap;
use std::time::Duration;

use atende_flows::{Input, Need, RunState};
use atende_store::flows::FlowRun;
use serde_json::Value;

use crate::state::AppState;

/// Makes the call the run waits for: the HTTP request, or the script in a
/// blocking thread with its limits. The outcome is the run's next input.
pub(super) async fn call(st: &AppState, run: &FlowRun) -> Option<Input> {
    let state: RunState = serde_json::from_value(run.state.as_ref()?.0.clone()).ok()?;
    match state.waiting? {
        Need::Http {
            method,
            url,
            headers,
            body,
            timeout_ms,
        } => Some(Input::Http(
            http(st, method, &url, &headers, body, timeout_ms).await,
        )),
        Need::Script { code } => {
            let fields = state.fields.clone();
            let out = tokio::task::spawn_blocking(move || {
                atende_flows::run_script(&code, &fields, &atende_flows::ScriptLimits::default())
            })
            .await;
            Some(Input::Script(match out {
                Ok(Ok(fields)) => Ok(fields),
                Ok(Err(e)) => Err(e.to_string()),
                Err(e) => Err(format!("o script parou: {e}")),
            }))
        }
        _ => None,
    }
}

/// An `http` step's request: a JSON answer (or `null` for an empty or
/// non-JSON body) on 2xx, else the failure.
async fn http(
    st: &AppState,
    method: atende_flows::HttpMethod,
    url: &str,
    headers: &BTreeMap<String, String>,
    body: Option<String>,
    timeout_ms: u32,
) -> Result<Value, String> {
    use atende_flows::HttpMethod as M;
    let method = match method {
        M::Get => reqwest::Method::GET,
        M::Post => reqwest::Method::POST,
        M::Put => reqwest::Method::PUT,
        M::Patch => reqwest::Method::PATCH,
        M::Delete => reqwest::Method::DELETE,
    };
    if !st.flows.allow_internal
        && let Some(why) = reqwest::Url::parse(url)
            .ok()
            .as_ref()
            .and_then(crate::flows::egress::refused_host)
    {
        return Err(why);
    }
    let mut req = st
        .flows
        .http
        .request(method, url)
        .timeout(Duration::from_millis(u64::from(timeout_ms)));
    for (k, v) in headers {
        req = req.header(k, v);
    }
    if let Some(b) = body {
        if !headers
            .keys()
            .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            req = req.header("content-type", "application/json");
        }
        req = req.body(b);
    }
    let resp = req.send().await.map_err(|e| {
        if e.is_timeout() {
            format!("tempo esgotado ({timeout_ms} ms)")
        } else {
            // The cause says more than reqwest's "error sending request"
            // (e.g. a name that resolves to internal addresses only).
            let mut why = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                why = s.to_string();
                source = s.source();
            }
            format!("falha na requisição: {why}")
        }
    })?;
    let status = resp.status();
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| format!("resposta interrompida: {e}"))?;
    if !status.is_success() {
        return Err(format!("o serviço respondeu {}", status.as_u16()));
    }
    Ok(serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}
