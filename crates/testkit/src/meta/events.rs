//! Delivery builders (channels.md §2.2–2.3). Each returns a whole delivery,
//! `{"object","entry":[{"id","time","messaging":[event]}]}` with one event,
//! as Meta sends them; [`MetaSimulator::batch`] puts several in one POST.
//! Timestamps are Unix ms from the simulator's clock; `entry[].time` is a
//! little later than the event's `timestamp`, as in the fixtures.

use super::{MetaPlatform, MetaSimulator};
use rand::Rng;
use serde_json::{Map, Value, json};

/// The thumbs-up sticker, the one Messenger users send most.
const THUMBS_UP_STICKER: i64 = 369_239_263_222_822;

impl MetaSimulator {
    /// A text from `user_id`; returns the delivery and the message's new mid.
    pub fn text(&self, user_id: &str, text: &str) -> (Value, String) {
        self.message(user_id, |m| m["text"] = json!(text))
    }

    /// A text quoting message `reply_to_mid` (`reply_to {mid}`).
    pub fn reply(&self, user_id: &str, text: &str, reply_to_mid: &str) -> (Value, String) {
        self.message(user_id, |m| {
            m["text"] = json!(text);
            m["reply_to"] = json!({"mid": reply_to_mid});
        })
    }

    /// A tap on one of our quick replies: its title as `text` and its
    /// `quick_reply.payload` (MI-1).
    pub fn quick_reply(&self, user_id: &str, text: &str, payload: &str) -> (Value, String) {
        self.message(user_id, |m| {
            m["text"] = json!(text);
            m["quick_reply"] = json!({"payload": payload});
        })
    }

    /// A tap on a button, Get Started or a menu item: `postback {mid,
    /// title, payload}` (MI-1); returns the delivery and the postback's mid.
    pub fn postback(&self, user_id: &str, title: &str, payload: &str) -> (Value, String) {
        let mid = self.new_mid();
        let postback = json!({"mid": mid, "title": title, "payload": payload});
        let event = self.event(user_id, true, true, "postback", postback);
        (self.delivery_of(event), mid)
    }

    /// An attachment of `kind` at `url` (a CDN link in real life):
    /// `image`, `video`, `audio`, `file` and `share` carry `payload.url`;
    /// `ig_reel` adds `title` and `reel_video_id`; `fallback` adds `title`;
    /// `sticker` carries the thumbs-up `sticker_id` and, on Messenger, comes
    /// both as a `sticker` and as the legacy `image` attachment (Meta sends
    /// both until August 2026). Other kinds get `payload.url` only.
    pub fn attachment(&self, user_id: &str, kind: &str, url: &str) -> (Value, String) {
        let messenger = self.is_messenger();
        self.message(user_id, |m| {
            let payload = match kind {
                "ig_reel" => json!({"url": url, "title": "", "reel_video_id": numeric_id()}),
                "fallback" => json!({"url": url, "title": url}),
                "sticker" => json!({"url": url, "sticker_id": THUMBS_UP_STICKER}),
                _ => json!({"url": url}),
            };
            let attachment = json!({"type": kind, "payload": payload});
            m["attachments"] = if kind == "sticker" && messenger {
                m["sticker_id"] = json!(THUMBS_UP_STICKER);
                let legacy = json!({"type": "image", "payload": attachment["payload"].clone()});
                json!([legacy, attachment])
            } else {
                json!([attachment])
            };
        })
    }

    /// A mention of our account in the user's story (MI-2): a
    /// `story_mention` attachment whose URL expires with the story.
    ///
    /// # Panics
    /// On Messenger (Instagram only).
    pub fn story_mention(&self, user_id: &str, url: &str) -> (Value, String) {
        self.only(MetaPlatform::Instagram, "story_mention");
        self.message(user_id, |m| {
            m["attachments"] = json!([{"type": "story_mention", "payload": {"url": url}}]);
        })
    }

    /// A text answering one of our stories: `reply_to {story {url, id}}`.
    ///
    /// # Panics
    /// On Messenger (Instagram only).
    pub fn story_reply(&self, user_id: &str, text: &str, story_url: &str) -> (Value, String) {
        self.only(MetaPlatform::Instagram, "story_reply");
        self.message(user_id, |m| {
            m["text"] = json!(text);
            m["reply_to"] = json!({"story": {"url": story_url, "id": numeric_id()}});
        })
    }

    /// The user reacting to message `mid` with `emoji`
    /// (`reaction {mid, action: "react", reaction, emoji}`), or taking a
    /// reaction away (`action: "unreact"`; `reaction` and `emoji` only when
    /// `emoji` isn't empty). `reaction` names the emoji (`love`, `smile`,
    /// `wow`, `sad`, `angry`, `like`, `dislike`) or is `other`.
    pub fn reaction(&self, user_id: &str, mid: &str, emoji: &str, unreact: bool) -> Value {
        let action = if unreact { "unreact" } else { "react" };
        let mut reaction = json!({"mid": mid, "action": action});
        if !emoji.is_empty() {
            reaction["reaction"] = json!(reaction_name(emoji));
            reaction["emoji"] = json!(emoji);
        }
        self.delivery_of(self.event(user_id, true, true, "reaction", reaction))
    }

    /// The user editing their message `mid` (Messenger `message_edit
    /// {mid, text, num_edit}`; `num_edit` counts edits so far, from 1).
    pub fn edit(&self, user_id: &str, mid: &str, new_text: &str, num_edit: u32) -> Value {
        let edit = json!({"mid": mid, "text": new_text, "num_edit": num_edit});
        self.delivery_of(self.event(user_id, true, true, "message_edit", edit))
    }

    /// The user unsending their message `mid` (`message {mid, is_deleted}`).
    ///
    /// # Panics
    /// On Messenger (Instagram only).
    pub fn unsend(&self, user_id: &str, mid: &str) -> Value {
        self.only(MetaPlatform::Instagram, "unsend");
        let message = json!({"mid": mid, "is_deleted": true});
        self.delivery_of(self.event(user_id, true, true, "message", message))
    }

    /// The echo of a text our account sent to `user_id` as message `mid`:
    /// sender is the page or account, recipient the user, `is_echo: true`
    /// (Messenger echoes also carry `app_id`) (MI-2).
    pub fn echo(&self, user_id: &str, mid: &str, text: &str) -> Value {
        self.echo_of_send(user_id, mid, &json!({"text": text}))
    }

    /// Messenger's delivery receipt: every message up to `watermark_ms` was
    /// delivered; `mids` lists some of them (omitted when empty). Carries no
    /// `timestamp`, as in MI-3.
    ///
    /// # Panics
    /// On Instagram (Messenger only).
    pub fn delivery(&self, user_id: &str, mids: &[&str], watermark_ms: i64) -> Value {
        self.only(MetaPlatform::Messenger, "delivery");
        let mut delivery = json!({"watermark": watermark_ms});
        if !mids.is_empty() {
            delivery["mids"] = json!(mids);
        }
        self.delivery_of(self.event(user_id, true, false, "delivery", delivery))
    }

    /// Messenger's read receipt: every message up to `watermark_ms` was
    /// read (`read {watermark}`, MI-3).
    ///
    /// # Panics
    /// On Instagram (Messenger only).
    pub fn read_watermark(&self, user_id: &str, watermark_ms: i64) -> Value {
        self.only(MetaPlatform::Messenger, "read_watermark");
        let read = json!({"watermark": watermark_ms});
        self.delivery_of(self.event(user_id, true, true, "read", read))
    }

    /// Instagram's `messaging_seen`: the user saw message `mid` (`read {mid}`).
    ///
    /// # Panics
    /// On Messenger (Instagram only).
    pub fn seen(&self, user_id: &str, mid: &str) -> Value {
        self.only(MetaPlatform::Instagram, "seen");
        let read = json!({"mid": mid});
        self.delivery_of(self.event(user_id, true, true, "read", read))
    }

    /// Puts the entries of several deliveries, in order, into one POST (MI-1):
    /// still one event per entry. Deliveries of other pages or accounts of
    /// the same platform may be mixed in.
    ///
    /// # Panics
    /// If a delivery is of the other platform.
    pub fn batch(&self, deliveries: &[Value]) -> Value {
        let object = self.platform.object();
        let mut entries = Vec::new();
        for delivery in deliveries {
            assert_eq!(
                delivery["object"].as_str(),
                Some(object),
                "batch() merges only {object} deliveries",
            );
            entries.extend(delivery["entry"].as_array().cloned().unwrap_or_default());
        }
        json!({"object": object, "entry": entries})
    }

    /// The echo of a Send API `message` (text, attachment, quick replies,
    /// metadata) our account sent to `user_id` as `mid`.
    pub(crate) fn echo_of_send(&self, user_id: &str, mid: &str, sent: &Value) -> Value {
        let mut message = json!({"mid": mid, "is_echo": true});
        if self.is_messenger() {
            let app_id = self
                .app_id
                .parse::<i64>()
                .map_or(json!(self.app_id), |n| json!(n));
            message["app_id"] = app_id;
        }
        if let Some(text) = sent.get("text").and_then(Value::as_str) {
            message["text"] = json!(text);
        }
        if let Some(a) = sent.get("attachment").filter(|a| a.is_object()) {
            let url = a["payload"].get("url").cloned().unwrap_or(Value::Null);
            message["attachments"] = json!([{"type": a["type"], "payload": {"url": url}}]);
        }
        for key in ["quick_replies", "metadata"] {
            if let Some(v) = sent.get(key).filter(|v| !v.is_null()) {
                message[key] = v.clone();
            }
        }
        self.delivery_of(self.event(user_id, false, true, "message", message))
    }

    /// A customer message with a new mid, shaped by `fill`.
    fn message(&self, user_id: &str, fill: impl FnOnce(&mut Value)) -> (Value, String) {
        let mid = self.new_mid();
        let mut message = json!({"mid": mid});
        fill(&mut message);
        let event = self.event(user_id, true, true, "message", message);
        (self.delivery_of(event), mid)
    }

    /// One `messaging[]` event: from the user (or, for echoes, to them),
    /// with a timestamp unless `timestamped` is false, and `key: body`.
    fn event(
        &self,
        user_id: &str,
        from_user: bool,
        timestamped: bool,
        key: &str,
        body: Value,
    ) -> Value {
        let (sender, recipient) = if from_user {
            (user_id, self.account_id.as_str())
        } else {
            (self.account_id.as_str(), user_id)
        };
        let mut event = Map::new();
        event.insert("sender".to_owned(), json!({"id": sender}));
        event.insert("recipient".to_owned(), json!({"id": recipient}));
        if timestamped {
            event.insert("timestamp".to_owned(), json!(self.next_timestamp()));
        }
        event.insert(key.to_owned(), body);
        Value::Object(event)
    }

    /// The delivery of one event, `entry.time` a little after its timestamp.
    fn delivery_of(&self, event: Value) -> Value {
        let time = match event.get("timestamp").and_then(Value::as_i64) {
            Some(ts) => ts + rand::rng().random_range(50..600),
            None => self.next_timestamp(),
        };
        json!({
            "object": self.platform.object(),
            "entry": [{"id": self.account_id, "time": time, "messaging": [event]}],
        })
    }

    /// A new mid shaped like this platform's.
    fn new_mid(&self) -> String {
        match self.platform {
            MetaPlatform::Messenger => crate::ids::messenger_mid(),
            MetaPlatform::Instagram => crate::ids::instagram_mid(&self.account_id),
        }
    }

    fn only(&self, platform: MetaPlatform, what: &str) {
        assert_eq!(
            self.platform, platform,
            "{what} is a {platform:?}-only event"
        );
    }
}

/// The `reaction` name Meta gives an emoji.
fn reaction_name(emoji: &str) -> &'static str {
    match emoji.trim_end_matches('\u{fe0f}') {
        "❤" | "😍" => "love",
        "😆" | "😄" | "😂" => "smile",
        "😮" => "wow",
        "😢" => "sad",
        "😠" | "😡" => "angry",
        "👍" => "like",
        "👎" => "dislike",
        _ => "other",
    }
}

/// A random 17-digit id, the shape of story and reel ids.
fn numeric_id() -> String {
    rand::rng()
        .random_range(10_000_000_000_000_000u64..100_000_000_000_000_000)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn messenger() -> MetaSimulator {
        MetaSimulator::messenger("http://127.0.0.1:9/webhook", "s", "104729158213345")
    }

    #[test]
    fn one_event_per_entry_with_increasing_ms_timestamps() {
        let sim = messenger();
        let (a, mid) = sim.text("6754893210987654", "Oi");
        let (b, _) = sim.text("6754893210987654", "Tudo bem?");
        let ev = &a["entry"][0]["messaging"][0];
        assert_eq!(a["entry"][0]["messaging"].as_array().map(Vec::len), Some(1));
        assert_eq!(ev["message"]["mid"], mid.as_str());
        let (ta, tb) = (
            ev["timestamp"].as_i64().unwrap_or_default(),
            b["entry"][0]["messaging"][0]["timestamp"]
                .as_i64()
                .unwrap_or_default(),
        );
        assert!(ta > 1_700_000_000_000 && tb > ta, "{ta} {tb}");
        assert!(a["entry"][0]["time"].as_i64().unwrap_or_default() > ta);
    }

    #[test]
    fn reactions_name_their_emoji() {
        assert_eq!(reaction_name("❤️"), "love");
        assert_eq!(reaction_name("👍"), "like");
        assert_eq!(reaction_name("🦀"), "other");
        let un = messenger().reaction("1", "m_x", "", true);
        let r = &un["entry"][0]["messaging"][0]["reaction"];
        assert_eq!(r, &json!({"mid": "m_x", "action": "unreact"}));
    }

    #[test]
    fn messenger_stickers_come_twice_instagram_ones_once() {
        let (m, _) = messenger().attachment("1", "sticker", "https://cdn/s.png");
        let msg = &m["entry"][0]["messaging"][0]["message"];
        assert_eq!(msg["attachments"][0]["type"], "image");
        assert_eq!(msg["attachments"][1]["type"], "sticker");
        assert_eq!(msg["sticker_id"], THUMBS_UP_STICKER);
        let ig = MetaSimulator::instagram("http://x/w", "s", "17841405822304914");
        let (i, _) = ig.attachment("1", "sticker", "https://cdn/s.png");
        let msg = &i["entry"][0]["messaging"][0]["message"];
        assert_eq!(msg["attachments"].as_array().map(Vec::len), Some(1));
    }

    #[test]
    #[should_panic(expected = "Instagram-only")]
    fn instagram_events_refuse_messenger() {
        messenger().story_mention("1", "https://x");
    }
}
