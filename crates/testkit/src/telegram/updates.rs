//! `Update` builders (channels.md §3.2, fixtures TG-1–TG-3). Each takes a
//! new `update_id` and returns the update without posting it, so tests can
//! post it twice, reorder or batch it.

use super::simulator::TelegramSimulator;
use super::state::BOT_MESSAGE_BASE;
use rand::Rng;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

impl TelegramSimulator {
    /// A text message; returns the update and its `message_id`.
    pub fn text(&self, chat_id: i64, first_name: &str, text: &str) -> (Value, i64) {
        self.message(chat_id, first_name, |m| m["text"] = json!(text))
    }

    /// A text that replies to message `reply_to_message_id` of the chat (TG-1).
    /// `reply_to_message` is the message as the linked fake knows it, else a
    /// stub (from the bot when the id is in the bot's range).
    pub fn reply(
        &self,
        chat_id: i64,
        first_name: &str,
        text: &str,
        reply_to_message_id: i64,
    ) -> (Value, i64) {
        let quoted = self
            .known_message(chat_id, reply_to_message_id)
            .unwrap_or_else(|| {
                let from = if reply_to_message_id >= BOT_MESSAGE_BASE {
                    self.bot_user()
                } else {
                    user(chat_id, first_name)
                };
                json!({
                    "message_id": reply_to_message_id,
                    "from": from,
                    "chat": chat(chat_id, first_name),
                    "date": now() - 60,
                })
            });
        self.message(chat_id, first_name, |m| {
            m["text"] = json!(text);
            m["reply_to_message"] = quoted;
        })
    }

    /// A photo in three sizes, smallest first; the largest has `file_id` (TG-2).
    pub fn photo(
        &self,
        chat_id: i64,
        first_name: &str,
        file_id: &str,
        caption: Option<&str>,
    ) -> (Value, i64) {
        let sizes = self.photo_sizes(file_id);
        self.message(chat_id, first_name, |m| {
            m["photo"] = sizes;
            if let Some(c) = caption {
                m["caption"] = json!(c);
            }
        })
    }

    /// A document with its original name and MIME type.
    pub fn document(
        &self,
        chat_id: i64,
        first_name: &str,
        file_id: &str,
        file_name: &str,
        mime_type: &str,
    ) -> (Value, i64) {
        let mut doc = self.file(file_id, 48_213);
        doc["file_name"] = json!(file_name);
        doc["mime_type"] = json!(mime_type);
        self.message(chat_id, first_name, |m| m["document"] = doc)
    }

    /// A voice note (`audio/ogg`, 4 s) (TG-2).
    pub fn voice(&self, chat_id: i64, first_name: &str, file_id: &str) -> (Value, i64) {
        let mut voice = self.file(file_id, 11_833);
        voice["duration"] = json!(4);
        voice["mime_type"] = json!("audio/ogg");
        self.message(chat_id, first_name, |m| m["voice"] = voice)
    }

    /// A music file of `mime_type` (e.g. `audio/mpeg`), 3 min long.
    pub fn audio(
        &self,
        chat_id: i64,
        first_name: &str,
        file_id: &str,
        mime_type: &str,
    ) -> (Value, i64) {
        let ext = super::files::extension(mime_type, None, super::files::kind("audio"));
        let mut audio = self.file(file_id, 2_874_112);
        audio["duration"] = json!(180);
        audio["mime_type"] = json!(mime_type);
        audio["file_name"] = json!(format!("audio.{ext}"));
        audio["title"] = json!("Gravação");
        self.message(chat_id, first_name, |m| m["audio"] = audio)
    }

    /// A video (`video/mp4`, 1280×720, 12 s).
    pub fn video(
        &self,
        chat_id: i64,
        first_name: &str,
        file_id: &str,
        caption: Option<&str>,
    ) -> (Value, i64) {
        let mut video = self.file(file_id, 3_145_728);
        video["width"] = json!(1280);
        video["height"] = json!(720);
        video["duration"] = json!(12);
        video["mime_type"] = json!("video/mp4");
        self.message(chat_id, first_name, |m| {
            m["video"] = video;
            if let Some(c) = caption {
                m["caption"] = json!(c);
            }
        })
    }

    /// A static sticker (512×512 WebP, emoji 👍).
    pub fn sticker(&self, chat_id: i64, first_name: &str, file_id: &str) -> (Value, i64) {
        let mut sticker = self.file(file_id, 23_844);
        sticker["type"] = json!("regular");
        sticker["width"] = json!(512);
        sticker["height"] = json!(512);
        sticker["is_animated"] = json!(false);
        sticker["is_video"] = json!(false);
        sticker["emoji"] = json!("👍");
        sticker["set_name"] = json!("AcmeBasics");
        self.message(chat_id, first_name, |m| m["sticker"] = sticker)
    }

    /// A shared location.
    pub fn location(
        &self,
        chat_id: i64,
        first_name: &str,
        latitude: f64,
        longitude: f64,
    ) -> (Value, i64) {
        self.message(chat_id, first_name, |m| {
            m["location"] = json!({"latitude": latitude, "longitude": longitude});
        })
    }

    /// A venue; as in Telegram, the message carries `location` too.
    pub fn venue(
        &self,
        chat_id: i64,
        first_name: &str,
        latitude: f64,
        longitude: f64,
        title: &str,
        address: &str,
    ) -> (Value, i64) {
        let location = json!({"latitude": latitude, "longitude": longitude});
        self.message(chat_id, first_name, |m| {
            m["venue"] = json!({"location": location, "title": title, "address": address});
            m["location"] = location;
        })
    }

    /// A shared contact card.
    pub fn contact(
        &self,
        chat_id: i64,
        first_name: &str,
        phone_number: &str,
        contact_first_name: &str,
        contact_last_name: Option<&str>,
    ) -> (Value, i64) {
        let mut contact = json!({"phone_number": phone_number, "first_name": contact_first_name});
        if let Some(last) = contact_last_name {
            contact["last_name"] = json!(last);
        }
        self.message(chat_id, first_name, |m| m["contact"] = contact)
    }

    /// An album: one photo update per file id, sharing a `media_group_id`;
    /// only the first carries `caption`.
    pub fn album(
        &self,
        chat_id: i64,
        first_name: &str,
        file_ids: &[&str],
        caption: Option<&str>,
    ) -> Vec<Value> {
        let group = rand::rng()
            .random_range(10_000_000_000_000_000u64..99_999_999_999_999_999)
            .to_string();
        file_ids
            .iter()
            .enumerate()
            .map(|(i, file_id)| {
                let sizes = self.photo_sizes(file_id);
                let (update, _) = self.message(chat_id, first_name, |m| {
                    m["photo"] = sizes;
                    m["media_group_id"] = json!(group);
                    if let Some(c) = caption.filter(|_| i == 0) {
                        m["caption"] = json!(c);
                    }
                });
                update
            })
            .collect()
    }

    /// An `edited_message`: message `message_id` of the chat now reads
    /// `new_text` (`edit_date` now, `date` a minute ago).
    pub fn edited(&self, chat_id: i64, first_name: &str, message_id: i64, new_text: &str) -> Value {
        let now = now();
        let message = json!({
            "message_id": message_id,
            "from": user(chat_id, first_name),
            "chat": chat(chat_id, first_name),
            "date": now - 60,
            "edit_date": now,
            "text": new_text,
        });
        self.note(chat_id, &message);
        json!({"update_id": self.next_update_id(), "edited_message": message})
    }

    /// A tap on inline button `button_text` (`callback_data` = `data`) of the
    /// bot's message `shown_message_id` (TG-3); returns the update and the
    /// callback query id to answer. The message is the one the linked fake
    /// sent when it has that button, else one built around the button.
    pub fn callback(
        &self,
        chat_id: i64,
        first_name: &str,
        shown_message_id: i64,
        data: &str,
        button_text: &str,
    ) -> (Value, String) {
        let has_button = |m: &Value| {
            m["reply_markup"]["inline_keyboard"]
                .as_array()
                .into_iter()
                .flatten()
                .flat_map(|row| row.as_array().into_iter().flatten())
                .any(|b| b["callback_data"] == json!(data))
        };
        let message = self
            .known_message(chat_id, shown_message_id)
            .filter(has_button)
            .unwrap_or_else(|| {
                json!({
                    "message_id": shown_message_id,
                    "from": self.bot_user(),
                    "chat": chat(chat_id, first_name),
                    "date": now() - 30,
                    "text": "Escolha uma opção:",
                    "reply_markup": {"inline_keyboard": [[{"text": button_text, "callback_data": data}]]},
                })
            });
        let id = rand::rng()
            .random_range(1_000_000_000_000_000_000u64..9_999_999_999_999_999_999)
            .to_string();
        let update = json!({
            "update_id": self.next_update_id(),
            "callback_query": {
                "id": id,
                "from": user(chat_id, first_name),
                "message": message,
                "chat_instance": self.chat_instance(chat_id),
                "data": data,
            },
        });
        (update, id)
    }

    /// `my_chat_member`: the customer blocked the bot (member → kicked).
    pub fn blocked(&self, chat_id: i64, first_name: &str) -> Value {
        self.member_change(chat_id, first_name, "member", "kicked")
    }

    /// `my_chat_member`: the customer unblocked the bot (kicked → member).
    pub fn unblocked(&self, chat_id: i64, first_name: &str) -> Value {
        self.member_change(chat_id, first_name, "kicked", "member")
    }

    /// A poll message, a type support desks usually don't handle.
    pub fn poll(
        &self,
        chat_id: i64,
        first_name: &str,
        question: &str,
        options: &[&str],
    ) -> (Value, i64) {
        let poll_id = rand::rng()
            .random_range(1_000_000_000_000_000_000u64..9_999_999_999_999_999_999)
            .to_string();
        let options: Vec<Value> = options
            .iter()
            .map(|o| json!({"text": o, "voter_count": 0}))
            .collect();
        self.message(chat_id, first_name, |m| {
            m["poll"] = json!({
                "id": poll_id,
                "question": question,
                "options": options,
                "total_voter_count": 0,
                "is_closed": false,
                "is_anonymous": true,
                "type": "regular",
                "allows_multiple_answers": false,
            });
        })
    }

    /// A `message_reaction` update: the customer reacted to `message_id`
    /// with `emoji` (an empty `emoji` removes their reaction).
    pub fn reaction(&self, chat_id: i64, first_name: &str, message_id: i64, emoji: &str) -> Value {
        let new: Vec<Value> = (!emoji.is_empty())
            .then(|| json!({"type": "emoji", "emoji": emoji}))
            .into_iter()
            .collect();
        json!({
            "update_id": self.next_update_id(),
            "message_reaction": {
                "chat": chat(chat_id, first_name),
                "message_id": message_id,
                "user": user(chat_id, first_name),
                "date": now(),
                "old_reaction": [],
                "new_reaction": new,
            },
        })
    }

    /// A message with content no adapter is likely to know (a 🎲 `dice`).
    pub fn unknown(&self, chat_id: i64, first_name: &str) -> (Value, i64) {
        let value = rand::rng().random_range(1..=6);
        self.message(chat_id, first_name, |m| {
            m["dice"] = json!({"emoji": "🎲", "value": value});
        })
    }

    /// A new customer message of the chat, filled in by `fill`, wrapped in
    /// an update; the linked fake learns it.
    fn message(
        &self,
        chat_id: i64,
        first_name: &str,
        fill: impl FnOnce(&mut Value),
    ) -> (Value, i64) {
        let message_id = self.next_message_id(chat_id);
        let mut message = json!({
            "message_id": message_id,
            "from": user(chat_id, first_name),
            "chat": chat(chat_id, first_name),
            "date": now(),
        });
        fill(&mut message);
        self.note(chat_id, &message);
        let update = json!({"update_id": self.next_update_id(), "message": message});
        (update, message_id)
    }

    fn member_change(&self, chat_id: i64, first_name: &str, old: &str, new: &str) -> Value {
        let mut new_member = json!({"user": self.bot_user(), "status": new});
        if new == "kicked" {
            new_member["until_date"] = json!(0);
        }
        json!({
            "update_id": self.next_update_id(),
            "my_chat_member": {
                "chat": chat(chat_id, first_name),
                "from": user(chat_id, first_name),
                "date": now(),
                "old_chat_member": {"user": self.bot_user(), "status": old},
                "new_chat_member": new_member,
            },
        })
    }

    /// `{file_id, file_unique_id, file_size}`, the size from the linked fake
    /// when it has the file.
    fn file(&self, file_id: &str, default_size: usize) -> Value {
        json!({
            "file_id": file_id,
            "file_unique_id": super::files::unique_id(file_id),
            "file_size": self.file_size(file_id).unwrap_or(default_size),
        })
    }

    /// 90×67, 320×240 and 1280×960 sizes; the largest is `file_id`.
    fn photo_sizes(&self, file_id: &str) -> Value {
        let mut sizes = Vec::new();
        for (suffix, w, h, size) in [("-s", 90, 67, 1_583), ("-m", 320, 240, 21_032)] {
            let id = format!("{file_id}{suffix}");
            let mut s = self.file(&id, size);
            s["width"] = json!(w);
            s["height"] = json!(h);
            sizes.push(s);
        }
        let mut largest = self.file(file_id, 84_211);
        largest["width"] = json!(1280);
        largest["height"] = json!(960);
        sizes.push(largest);
        Value::Array(sizes)
    }

    /// A stable, chat-specific `chat_instance` (a negative number as a string).
    fn chat_instance(&self, chat_id: i64) -> String {
        let digest = Sha256::digest(format!("{}:{chat_id}", self.bot_id()).as_bytes());
        let mut n = [0u8; 8];
        n.copy_from_slice(&digest[..8]);
        let n = u64::from_be_bytes(n) % 9_000_000_000_000_000_000;
        format!("-{}", n + 1)
    }
}

/// The customer of a chat as a `User` (a group member's id for groups).
fn user(chat_id: i64, first_name: &str) -> Value {
    json!({
        "id": chat_id.unsigned_abs(),
        "is_bot": false,
        "first_name": first_name,
        "language_code": "pt-br",
    })
}

/// A private chat with the customer, or a group for negative ids.
fn chat(chat_id: i64, first_name: &str) -> Value {
    if chat_id > 0 {
        json!({"id": chat_id, "first_name": first_name, "type": "private"})
    } else {
        let kind = if chat_id <= -1_000_000_000_000 {
            "supergroup"
        } else {
            "group"
        };
        json!({"id": chat_id, "title": "Grupo", "type": kind})
    }
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}
