//! Checks on formatted text (`parse_mode`) and inline keyboards, with
//! Telegram's error texts.

use super::errors::TgError;
use serde_json::Value;

/// Tags Telegram's HTML parse mode supports.
const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Characters MarkdownV2 reserves that are never markup by themselves.
const MDV2_RESERVED: &str = "#+-={}.!";

/// The length in characters of `text` once `parse_mode` markup is parsed
/// out; 400 `can't parse entities: …` when the markup is invalid.
///
/// HTML: tags must be supported and balanced; `&…;` counts as one character.
/// MarkdownV2: `#+-={}.!` must be escaped outside code and link URLs. Other
/// markup is counted as text (an approximation).
pub(crate) fn visible_len(text: &str, parse_mode: Option<&str>) -> Result<usize, TgError> {
    match parse_mode.map(str::trim) {
        None | Some("") => Ok(text.chars().count()),
        Some(m) if m.eq_ignore_ascii_case("html") => html(text),
        Some("MarkdownV2") => markdown_v2(text),
        Some("Markdown") => Ok(text.chars().filter(|c| !"*_`".contains(*c)).count()),
        Some(_) => Err(TgError::bad_request("unsupported parse_mode")),
    }
}

fn entities_error(what: &str) -> TgError {
    TgError::bad_request(&format!("can't parse entities: {what}"))
}

fn html(text: &str) -> Result<usize, TgError> {
    let mut stack: Vec<String> = Vec::new();
    let mut len = 0;
    let mut rest = text;
    let mut offset = 0;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let Some(end) = rest.find('>') else {
                return Err(entities_error(&format!(
                    "Unclosed start tag at byte offset {offset}"
                )));
            };
            let tag = &rest[1..end];
            let (closing, body) = match tag.strip_prefix('/') {
                Some(b) => (true, b),
                None => (false, tag),
            };
            let name = body
                .split(|c: char| c.is_whitespace() || c == '/')
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            if closing {
                match stack.pop() {
                    Some(open) if open == name => {}
                    Some(open) => {
                        return Err(entities_error(&format!(
                            "Unmatched end tag at byte offset {offset}, expected \"</{open}>\", found \"</{name}>\""
                        )));
                    }
                    None => {
                        return Err(entities_error(&format!(
                            "Unexpected end tag at byte offset {offset}"
                        )));
                    }
                }
            } else if HTML_TAGS.contains(&name.as_str()) {
                stack.push(name);
            } else {
                return Err(entities_error(&format!(
                    "Unsupported start tag \"{name}\" at byte offset {offset}"
                )));
            }
            offset += end + 1;
            rest = &rest[end + 1..];
            continue;
        }
        let entity = (c == '&')
            .then(|| rest.find(';').filter(|&e| e > 1 && e <= 10))
            .flatten();
        let step = entity.map_or(c.len_utf8(), |e| e + 1);
        len += 1;
        offset += step;
        rest = &rest[step..];
    }
    match stack.pop() {
        Some(open) => Err(entities_error(&format!(
            "Can't find end tag corresponding to start tag \"{open}\""
        ))),
        None => Ok(len),
    }
}

fn markdown_v2(text: &str) -> Result<usize, TgError> {
    #[derive(PartialEq)]
    enum In {
        Text,
        Code,
        Pre,
        Url,
    }
    let mut state = In::Text;
    let mut len = 0;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\\' {
            if chars.next().is_some() {
                len += 1;
            }
            continue;
        }
        match state {
            In::Pre if text[i..].starts_with("```") => {
                chars.next();
                chars.next();
                state = In::Text;
            }
            In::Code if c == '`' => state = In::Text,
            In::Url if c == ')' => state = In::Text,
            In::Pre | In::Code => len += 1,
            In::Url => {}
            In::Text => {
                if text[i..].starts_with("```") {
                    chars.next();
                    chars.next();
                    state = In::Pre;
                } else if c == '`' {
                    state = In::Code;
                } else if c == ']' && chars.peek().is_some_and(|(_, n)| *n == '(') {
                    chars.next();
                    state = In::Url;
                } else if MDV2_RESERVED.contains(c) {
                    return Err(entities_error(&format!(
                        "Character '{c}' is reserved and must be escaped with the preceding '\\'"
                    )));
                } else if !"*_~|[>".contains(c) {
                    len += 1;
                }
            }
        }
    }
    Ok(len)
}

/// Checks `reply_markup`: an object; inline keyboard buttons need text and
/// one action, `callback_data` of 1–64 bytes, URLs of http(s) or tg.
pub(crate) fn check_reply_markup(markup: Option<&Value>) -> Result<(), TgError> {
    let Some(markup) = markup else {
        return Ok(());
    };
    let Some(object) = markup.as_object() else {
        return Err(TgError::bad_request(
            "can't parse reply keyboard markup JSON object",
        ));
    };
    let Some(rows) = object.get("inline_keyboard") else {
        return Ok(());
    };
    let bad_keyboard = || {
        TgError::bad_request(
            "can't parse inline keyboard button: InlineKeyboardButton must be an Object",
        )
    };
    for row in rows.as_array().ok_or_else(bad_keyboard)? {
        for button in row.as_array().ok_or_else(bad_keyboard)? {
            let button = button.as_object().ok_or_else(bad_keyboard)?;
            if button.get("text").and_then(Value::as_str).is_none() {
                return Err(TgError::bad_request(
                    "can't parse inline keyboard button: Field \"text\" must be of type String",
                ));
            }
            if let Some(data) = button.get("callback_data") {
                let len = data.as_str().map_or(0, str::len);
                if !(1..=64).contains(&len) {
                    return Err(TgError::bad_request("BUTTON_DATA_INVALID"));
                }
            } else if let Some(url) = button.get("url") {
                let url = url.as_str().unwrap_or("");
                let ok = ["http://", "https://", "tg://"]
                    .iter()
                    .any(|s| url.len() > s.len() && url.starts_with(s));
                if !ok {
                    return Err(TgError::bad_request("BUTTON_URL_INVALID"));
                }
            } else if !ACTIONS.iter().any(|a| button.contains_key(*a)) {
                return Err(TgError::bad_request(
                    "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                ));
            }
        }
    }
    Ok(())
}

/// Button fields besides `callback_data` and `url` that make a button act.
const ACTIONS: &[&str] = &[
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(r: Result<usize, TgError>) -> String {
        r.err().map(|e| e.description).unwrap_or_default()
    }

    #[test]
    fn html_is_counted_and_checked() {
        assert_eq!(
            visible_len("<b>Olá</b> &amp; tchau", Some("HTML")).ok(),
            Some(11)
        );
        assert!(err(visible_len("a<br>b", Some("HTML"))).contains("Unsupported start tag \"br\""));
        assert!(err(visible_len("<b>x", Some("HTML"))).contains("start tag \"b\""));
        assert!(err(visible_len("<b><i>x</b></i>", Some("HTML"))).contains("Unmatched end tag"));
        assert!(err(visible_len("<b", Some("HTML"))).contains("Unclosed start tag"));
        assert!(err(visible_len("x", Some("Foo"))).contains("unsupported parse_mode"));
    }

    #[test]
    fn markdown_v2_needs_escapes_outside_code_and_urls() {
        assert_eq!(
            visible_len(r"*Pedido* 4521\.", Some("MarkdownV2")).ok(),
            Some(12)
        );
        assert_eq!(
            visible_len("`a.b` [x](https://a.b/c)", Some("MarkdownV2")).ok(),
            Some(5)
        );
        assert_eq!(
            err(visible_len("Obrigado!", Some("MarkdownV2"))),
            r"Bad Request: can't parse entities: Character '!' is reserved and must be escaped with the preceding '\'"
        );
        assert_eq!(visible_len("Obrigado!", None).ok(), Some(9));
    }

    #[test]
    fn inline_keyboards_are_checked() {
        let ok = json!({"inline_keyboard": [[{"text": "Sim", "callback_data": "csat:yes"},
                                             {"text": "Site", "url": "https://acme.test"}]]});
        assert!(check_reply_markup(Some(&ok)).is_ok());
        let long = json!({"inline_keyboard": [[{"text": "x", "callback_data": "x".repeat(65)}]]});
        assert_eq!(
            check_reply_markup(Some(&long)).err().map(|e| e.description),
            Some("Bad Request: BUTTON_DATA_INVALID".to_owned())
        );
        let empty = json!({"inline_keyboard": [[{"text": "x", "callback_data": ""}]]});
        assert!(check_reply_markup(Some(&empty)).is_err());
        let bare = json!({"inline_keyboard": [[{"text": "x"}]]});
        assert!(check_reply_markup(Some(&bare)).is_err());
        assert!(check_reply_markup(Some(&json!("{"))).is_err());
        assert!(check_reply_markup(Some(&json!({"remove_keyboard": true}))).is_ok());
    }
}
