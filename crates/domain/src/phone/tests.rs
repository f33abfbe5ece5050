use super::*;

/// Seed 004 l. 273 (deep link and new chat take a Brazilian number as
/// "DDD + número"): "seguido do DDD e número de telefone do contato."
const SEED_DDD: &str = "seguido do DDD e número de telefone do contato.";
/// Seed 004 l. 56 (foreign numbers carry their country prefix):
const SEED_FOREIGN: &str =
    "Se for telefone estrangeiro, insira o prefixo do país de origem antes do número.";
/// The DDD list and the ninth digit are not in the seeds: they come from
/// Anatel's numbering plan (ninth digit on every mobile since 2016).
const ANATEL: &str = "plano de numeração da Anatel (fora dos seeds)";

#[test]
fn parse_br_accepts_common_spellings() {
    let cases: [(&str, &str, &str); 17] = [
        ("(11) 98765-4321", "+5511987654321", SEED_DDD),
        ("11987654321", "+5511987654321", SEED_DDD),
        ("+55 11 98765-4321", "+5511987654321", SEED_DDD),
        ("5511987654321", "+5511987654321", SEED_DDD),
        ("011 98765 4321", "+5511987654321", SEED_DDD),
        ("0055 11 98765-4321", "+5511987654321", SEED_DDD),
        ("(21) 3265.4321", "+552132654321", SEED_DDD),
        ("55 21 3265-4321", "+552132654321", SEED_DDD),
        // Trunk 0 + carrier code 21 (Embratel) + DDD 11: the carrier is dropped.
        ("0 21 11 98765-4321", "+5511987654321", ANATEL),
        ("0 15 21 3265-4321", "+552132654321", ANATEL),
        // Old 8-digit mobile (starts 6–9): the ninth digit is added.
        ("(11) 8765-4321", "+5511987654321", ANATEL),
        ("551187654321", "+5511987654321", ANATEL),
        ("(11) 6765-4321", "+5511967654321", ANATEL),
        // Landlines start with 2–5 and keep their 8 digits.
        ("(11) 2345-6789", "+551123456789", ANATEL),
        ("(11) 5555-1234", "+551155551234", ANATEL),
        // DDD 55 (Santa Maria, RS) is not confused with the country code.
        ("(55) 99876-5432", "+5555998765432", ANATEL),
        ("+351 912 345 678", "+351912345678", SEED_FOREIGN),
    ];
    for (input, expected, seed) in cases {
        let phone =
            PhoneE164::parse_br(input).unwrap_or_else(|e| panic!("{input:?}: {e} ({seed})"));
        assert_eq!(phone.as_str(), expected, "{input:?} ({seed})");
    }
}

#[test]
fn parse_br_refuses_what_is_not_a_brazilian_number() {
    let cases: [(&str, &str, &str); 10] = [
        ("98765-4321", "informe o DDD e o número", SEED_DDD),
        ("(20) 98765-4321", "DDD 20 não existe", ANATEL),
        ("(23) 3265-4321", "DDD 23 não existe", ANATEL),
        ("(90) 98765-4321", "DDD 90 não existe", ANATEL),
        (
            "(11) 88765-4321",
            "celular com 9 dígitos começa com 9",
            ANATEL,
        ),
        (
            "(11) 1765-4321",
            "o número local não pode começar com 0 ou 1",
            ANATEL,
        ),
        (
            "(11) 98765-43210",
            "número brasileiro longo demais",
            SEED_DDD,
        ),
        (
            "(11) 9876-ABCD",
            "use apenas números, espaços, traços e parênteses",
            SEED_DDD,
        ),
        ("  ", "nenhum número informado", SEED_DDD),
        (
            "+1 234 567",
            "com o código do país são de 8 a 15 dígitos",
            SEED_FOREIGN,
        ),
    ];
    for (input, reason, seed) in cases {
        assert_eq!(
            PhoneE164::parse_br(input),
            Err(DomainError::InvalidPhone(reason.to_owned())),
            "{input:?} ({seed})"
        );
    }
}

#[test]
fn every_area_code_in_the_list_parses_and_no_other() {
    // ANATEL: the 67 DDDs in use; every other two-digit code is refused.
    let mut accepted = 0;
    for code in 10..=99u8 {
        let result = PhoneE164::parse_br(&format!("({code}) 3265-4321"));
        assert_eq!(result.is_ok(), BR_AREA_CODES.contains(&code), "DDD {code}");
        accepted += usize::from(result.is_ok());
    }
    assert_eq!(accepted, 67);
    for missing in [
        20, 23, 25, 26, 29, 30, 36, 39, 40, 50, 52, 56, 57, 58, 59, 60, 70, 72, 76, 78, 80, 90,
    ] {
        assert!(
            !BR_AREA_CODES.contains(&missing),
            "DDD {missing} does not exist"
        );
    }
}

#[test]
fn parse_international() {
    let ok: [(&str, &str, &str); 6] = [
        ("+351 912 345 678", "+351912345678", SEED_FOREIGN),
        ("0044 20 7946 0958", "+442079460958", SEED_FOREIGN),
        ("1 (415) 555-2671", "+14155552671", SEED_FOREIGN),
        // WhatsApp wa_id for a Brazilian mobile without the ninth digit.
        ("551187654321", "+5511987654321", ANATEL),
        ("5511987654321", "+5511987654321", ANATEL),
        ("+55 (21) 3265-4321", "+552132654321", ANATEL),
    ];
    for (input, expected, seed) in ok {
        let phone =
            PhoneE164::parse_international(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(phone.as_str(), expected, "{input:?} ({seed})");
    }
    let bad: [(&str, &str); 6] = [
        ("1234567", SEED_FOREIGN),          // 7 digits
        ("1234567890123456", SEED_FOREIGN), // 16 digits
        ("0351912345678", SEED_FOREIGN),    // country code cannot start with 0
        ("+0 11 98765", SEED_FOREIGN),      // same, after the '+'
        ("552012345678", ANATEL),           // country 55, DDD 20
        ("+55 11 8765", ANATEL),            // country 55 without a full number
    ];
    for (input, seed) in bad {
        assert!(
            matches!(
                PhoneE164::parse_international(input),
                Err(DomainError::InvalidPhone(_))
            ),
            "{input:?} ({seed})"
        );
    }
}

#[test]
fn accessors_and_display() {
    let phone = PhoneE164::parse_br("(11) 98765-4321").expect("valid");
    assert_eq!(phone.as_str(), "+5511987654321");
    assert_eq!(phone.digits(), "5511987654321");
    assert_eq!(phone.to_string(), "+5511987654321");
    assert_eq!("+5511987654321".parse::<PhoneE164>(), Ok(phone.clone()));
    let json = serde_json::to_string(&phone).expect("serializes");
    assert_eq!(json, "\"+5511987654321\"");
    assert_eq!(
        serde_json::from_str::<PhoneE164>(&json).expect("parses"),
        phone
    );
    assert!(serde_json::from_str::<PhoneE164>("\"+5520987654321\"").is_err());
}

#[test]
fn wa_id_variants() {
    let cases: [(&str, &[&str], bool); 4] = [
        // ANATEL: a mobile is known with and without its ninth digit.
        ("+5511987654321", &["5511987654321", "551187654321"], true),
        // Landlines never had a ninth digit.
        ("+552132654321", &["552132654321"], false),
        // Foreign numbers are never rewritten.
        ("+351912345678", &["351912345678"], false),
        // A 9-digit mobile whose 8-digit rest starts 2–5 would read as a
        // landline without the 9, so there is no second spelling.
        ("+5511932654321", &["5511932654321"], true),
    ];
    for (e164, expected, mobile) in cases {
        let phone = PhoneE164::parse_international(e164).expect("valid");
        assert_eq!(phone.wa_id_variants(), expected, "{e164} ({ANATEL})");
        assert_eq!(phone.is_br_mobile(), mobile, "{e164}");
        for variant in phone.wa_id_variants() {
            assert_eq!(
                PhoneE164::parse_international(&variant),
                Ok(phone.clone()),
                "{variant}"
            );
        }
    }
}

#[test]
fn numbers_display_the_brazilian_way() {
    let mobile = PhoneE164::parse_br("(11) 98765-4321").unwrap();
    assert_eq!(mobile.display(), "+55 11 98765-4321");
    let landline = PhoneE164::parse_br("11 3456-7890").unwrap();
    assert_eq!(landline.display(), "+55 11 3456-7890");
    let abroad = PhoneE164::parse_international("14155552671").unwrap();
    assert_eq!(abroad.display(), "+14155552671");
}
