//! A flow's menu as every channel stores it (WhatsApp's `interactive`
//! object: `action.buttons[].reply` or `action.sections[].rows[]`), read
//! once for every channel that renders it its own way (Telegram's inline
//! keyboard, Meta's quick replies or numbered text, the widget's buttons),
//! and for the flow that reads a number typed in answer.

use serde_json::Value;

/// One option of a menu, in the order shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MenuOption {
    /// What the flow reads when it is chosen (the title when no id).
    pub id: String,
    pub title: String,
    pub description: Option<String>,
}

/// A menu's options: its buttons, then its list's rows, in order.
pub fn options(interactive: &Value) -> Vec<MenuOption> {
    let s = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .filter(|t| !t.is_empty())
    };
    let buttons = interactive
        .pointer("/action/buttons")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|b| b.get("reply").unwrap_or(b));
    let rows = interactive
        .pointer("/action/sections")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| s.get("rows").and_then(Value::as_array))
        .flatten();
    buttons
        .chain(rows)
        .filter_map(|o| {
            let title = s(o, "title")?;
            Some(MenuOption {
                id: s(o, "id").unwrap_or_else(|| title.clone()),
                title,
                description: s(o, "description"),
            })
        })
        .collect()
}

/// The option a number typed in answer names (`2`, `2.`, `2)`), counting
/// from 1 in the order shown.
pub fn numbered<'a>(options: &'a [MenuOption], typed: &str) -> Option<&'a MenuOption> {
    let n: usize = typed
        .trim()
        .trim_end_matches(['.', ')', 'º'])
        .trim()
        .parse()
        .ok()?;
    options.get(n.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn buttons_then_rows_in_order_whatever_the_shape() {
        let buttons = json!({"action": {"buttons": [
            {"type": "reply", "reply": {"id": "1", "title": "Vendas"}},
            {"type": "reply", "reply": {"title": "Suporte"}}]}});
        let o = options(&buttons);
        assert_eq!(o.len(), 2);
        assert_eq!(
            (o[1].id.as_str(), o[1].title.as_str()),
            ("Suporte", "Suporte")
        );
        let list = json!({"action": {"button": "Ver", "sections": [
            {"title": "A", "rows": [{"id": "r1", "title": "Boleto", "description": "2ª via"}]},
            {"title": "B", "rows": [{"id": "r2", "title": "Pix", "description": ""}, {"id": "r3"}]}]}});
        let o = options(&list);
        assert_eq!(
            o.iter().map(|o| o.id.as_str()).collect::<Vec<_>>(),
            ["r1", "r2"]
        );
        assert_eq!(o[0].description.as_deref(), Some("2ª via"));
        assert_eq!(o[1].description, None);
        assert!(options(&json!({"body": {"text": "oi"}})).is_empty());
    }

    #[test]
    fn a_typed_number_names_an_option_from_one() {
        let o = options(&json!({"action": {"buttons": [
            {"reply": {"id": "a", "title": "A"}}, {"reply": {"id": "b", "title": "B"}}]}}));
        assert_eq!(numbered(&o, "2").map(|o| o.id.as_str()), Some("b"));
        assert_eq!(numbered(&o, " 1. ").map(|o| o.id.as_str()), Some("a"));
        assert_eq!(numbered(&o, "1)").map(|o| o.id.as_str()), Some("a"));
        for no in ["0", "3", "-1", "um", "1,5", ""] {
            assert_eq!(numbered(&o, no), None, "{no}");
        }
    }
}
