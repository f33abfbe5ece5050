use super::*;
use crate::macros::assert_names;

use ReceiptStatus::{Delivered, Failed, Queued, Read, Sent};

/// Seed 004 l. 132.
const SEED_CHECKS: &str = "Se o símbolo de verificação estiver cinza, a mensagem foi apenas recebida pelo contato; se estiver verde, foi recebida e visualizada.";
/// Seed 004 l. 133.
const SEED_FAILED: &str =
    "Na tela de Chat, ao enviar uma mensagem para o contato, um ícone com um x vermelho aparece";
/// Seed 004 l. 102.
const SEED_IMAGE: &str =
    "Também é possível enviar uma imagem utilizando um Campo Customizável do tipo imagem.";
/// FL-1 lists the validated answer types; the seeds give no sentence per type.
const FL1: &str =
    "FL-1 (validated: e-mail, phone, CPF/CNPJ, date, number, option), sem frase no seed";

#[test]
fn receipts_only_move_forward() {
    // (from, report, result); every pair of the 5×5 grid.
    let cases = [
        (Queued, Queued, None),
        (Queued, Sent, Some(Sent)),
        (Queued, Delivered, Some(Delivered)),
        (Queued, Read, Some(Read)),
        (Queued, Failed, Some(Failed)),
        (Sent, Queued, None),
        (Sent, Sent, None),
        (Sent, Delivered, Some(Delivered)),
        (Sent, Read, Some(Read)),
        (Sent, Failed, Some(Failed)),
        (Delivered, Queued, None),
        (Delivered, Sent, None),
        (Delivered, Delivered, None),
        (Delivered, Read, Some(Read)),
        (Delivered, Failed, None),
        (Read, Queued, None),
        (Read, Sent, None),
        (Read, Delivered, None),
        (Read, Read, None),
        (Read, Failed, None),
        (Failed, Queued, None),
        (Failed, Sent, None),
        (Failed, Delivered, Some(Delivered)),
        (Failed, Read, Some(Read)),
        (Failed, Failed, None),
    ];
    for (from, report, expected) in cases {
        let seed = if report == Failed || from == Failed {
            SEED_FAILED
        } else {
            SEED_CHECKS
        };
        assert_eq!(from.advance(report), expected, "{from} + {report}: {seed}");
    }
}

#[test]
fn receipt_ranks() {
    let ranks: Vec<u8> = [Queued, Sent, Delivered, Read]
        .iter()
        .map(|s| s.rank())
        .collect();
    assert_eq!(ranks, [0, 1, 2, 3], "{SEED_CHECKS}");
    assert_eq!(Failed.rank(), Sent.rank());
}

#[test]
fn custom_field_values() {
    use CustomFieldType as T;
    let ok_cases: [(T, &str, &str); 16] = [
        (T::Text, "", FL1),
        (T::Text, "qualquer coisa 😀", FL1),
        (T::Number, "42", FL1),
        (T::Number, "-3.75", FL1),
        (T::Date, "2025-10-07", FL1),
        (T::Date, "2024-02-29", FL1),
        (T::Boolean, "true", FL1),
        (T::Boolean, "false", FL1),
        (T::Email, "Ana@Exemplo.com", FL1),
        (T::Phone, "(11) 98765-4321", FL1),
        (T::Phone, "+351 912 345 678", FL1),
        (T::Cpf, "123.456.789-09", FL1),
        (T::Cnpj, "12.345.678/0001-95", FL1),
        (T::Image, "https://cdn.exemplo.com/foto.jpg", SEED_IMAGE),
        (T::Image, "media/2025/10/foto.jpg", SEED_IMAGE),
        (T::Option, "Ouro", FL1),
    ];
    for (kind, value, seed) in ok_cases {
        assert_eq!(kind.validate(value), Ok(()), "{kind} {value:?}: {seed}");
    }
    let bad_cases: [(T, &str, DomainError); 14] = [
        (
            T::Number,
            "3,14",
            bad(
                T::Number,
                "não é um número (use ponto como separador decimal)",
            ),
        ),
        (
            T::Number,
            "NaN",
            bad(
                T::Number,
                "não é um número (use ponto como separador decimal)",
            ),
        ),
        (
            T::Number,
            "inf",
            bad(
                T::Number,
                "não é um número (use ponto como separador decimal)",
            ),
        ),
        (
            T::Number,
            "",
            bad(
                T::Number,
                "não é um número (use ponto como separador decimal)",
            ),
        ),
        (
            T::Date,
            "07/10/2025",
            bad(T::Date, "use uma data válida no formato AAAA-MM-DD"),
        ),
        (
            T::Date,
            "2025-1-5",
            bad(T::Date, "use uma data válida no formato AAAA-MM-DD"),
        ),
        (
            T::Date,
            "2025-02-29",
            bad(T::Date, "use uma data válida no formato AAAA-MM-DD"),
        ),
        (T::Boolean, "sim", bad(T::Boolean, "use true ou false")),
        (T::Email, "ana@", DomainError::InvalidEmail),
        (
            T::Phone,
            "98765-4321",
            DomainError::InvalidPhone("informe o DDD e o número".into()),
        ),
        (T::Cpf, "111.111.111-11", DomainError::InvalidCpf),
        (T::Cnpj, "12.345.678/0001-00", DomainError::InvalidCnpj),
        (T::Image, "  ", bad(T::Image, "não pode ficar vazio")),
        (T::Option, "", bad(T::Option, "não pode ficar vazio")),
    ];
    for (kind, value, error) in bad_cases {
        let seed = if kind == T::Image { SEED_IMAGE } else { FL1 };
        assert_eq!(kind.validate(value), Err(error), "{kind} {value:?}: {seed}");
    }
}

fn bad(kind: CustomFieldType, reason: &str) -> DomainError {
    DomainError::invalid_value(kind.label_pt(), reason)
}

#[test]
fn names() {
    assert_names!(Direction, ["in", "out"]);
    assert_names!(AuthorKind, ["contact", "bot", "agent", "system"]);
    assert_names!(
        ContentKind,
        [
            "text",
            "image",
            "audio",
            "video",
            "document",
            "sticker",
            "location",
            "contacts",
            "template",
            "interactive",
            "reaction",
            "story_mention",
            "unsupported",
        ]
    );
    assert_names!(
        ReceiptStatus,
        ["queued", "sent", "delivered", "read", "failed"]
    );
    assert_names!(
        ChannelKind,
        ["whatsapp", "instagram", "messenger", "telegram", "widget"]
    );
    assert_names!(
        CustomFieldType,
        [
            "text", "number", "date", "boolean", "email", "phone", "cpf", "cnpj", "image",
            "option",
        ]
    );
}
