use super::*;

/// Seed 003 l. 31: the report column that holds either document.
const SEED_DOC: &str = "CPF/CNPJDocumento fornecido durante a conversa, se identificado.";
/// Check digits follow the Receita Federal's mod-11 rule (not in the seeds).
const RFB: &str = "regra de dígitos verificadores da Receita Federal (fora dos seeds)";

/// (base digits, sum for the 1st digit, 1st digit, sum for the 2nd, 2nd digit),
/// computed by hand: CPF weights 10..2 then 11..2, digit = sum*10 mod 11
/// (10 → 0). E.g. 123456789: 1·10+2·9+3·8+4·7+5·6+6·5+7·4+8·3+9·2 = 210,
/// 2100 mod 11 = 10 → 0; then 1·11+…+9·3+0·2 = 255, 2550 mod 11 = 9.
const CPF_HAND: [(&str, u32, u8, u32, u8); 4] = [
    ("123456789", 210, 0, 255, 9),
    ("111444777", 162, 3, 204, 5),
    ("529982247", 295, 2, 347, 5),
    ("987654321", 330, 0, 375, 0),
];

/// CNPJ weights 5,4,3,2,9,8,7,6,5,4,3,2 then 6,5,…; r = sum mod 11, digit
/// 0 when r < 2 else 11 - r. E.g. 123456780001: sum 222, r 2 → 9; then 237,
/// r 6 → 5.
const CNPJ_HAND: [(&str, u32, u8, u32, u8); 5] = [
    ("123456780001", 222, 9, 237, 5),
    ("112223330001", 102, 8, 120, 1),
    ("987654320001", 222, 9, 245, 8),
    ("191000000000", 44, 0, 55, 0),
    // 111 mod 11 = 1 (< 2) → 0; 117 mod 11 = 7 → 4.
    ("112223330014", 111, 0, 117, 4),
];

/// (input, expected (digits, formatted) or refusal, seed sentence).
type ParseCase = (
    &'static str,
    Option<(&'static str, &'static str)>,
    &'static str,
);

fn digits(text: &str) -> Vec<u8> {
    digits_of(text).expect("digits")
}

#[test]
fn cpf_check_digits_match_hand_computation() {
    for (base, sum1, dv1, sum2, dv2) in CPF_HAND {
        let mut d = digits(base);
        assert_eq!(weighted_sum(&d, (2..=10).rev()), sum1, "{base} ({RFB})");
        assert_eq!(cpf_check_digit(&d), dv1, "{base}");
        d.push(dv1);
        assert_eq!(weighted_sum(&d, (2..=11).rev()), sum2, "{base}");
        assert_eq!(cpf_check_digit(&d), dv2, "{base}");
        let full = format!("{base}{dv1}{dv2}");
        assert_eq!(Cpf::parse(&full).expect("valid").as_str(), full);
    }
}

#[test]
fn cnpj_check_digits_match_hand_computation() {
    for (base, sum1, dv1, sum2, dv2) in CNPJ_HAND {
        let mut d = digits(base);
        assert_eq!(
            weighted_sum(&d, CNPJ_WEIGHTS[1..].iter().copied()),
            sum1,
            "{base} ({RFB})"
        );
        assert_eq!(cnpj_check_digit(&d), dv1, "{base}");
        d.push(dv1);
        assert_eq!(
            weighted_sum(&d, CNPJ_WEIGHTS.iter().copied()),
            sum2,
            "{base}"
        );
        assert_eq!(cnpj_check_digit(&d), dv2, "{base}");
        let full = format!("{base}{dv1}{dv2}");
        assert_eq!(Cnpj::parse(&full).expect("valid").as_str(), full);
    }
}

#[test]
fn cpf_parse_table() {
    let cases: [ParseCase; 9] = [
        (
            "123.456.789-09",
            Some(("12345678909", "123.456.789-09")),
            SEED_DOC,
        ),
        (
            "12345678909",
            Some(("12345678909", "123.456.789-09")),
            SEED_DOC,
        ),
        (
            " 111.444.777-35 ",
            Some(("11144477735", "111.444.777-35")),
            SEED_DOC,
        ),
        ("123.456.789-08", None, RFB),  // wrong 2nd digit
        ("123.456.789-19", None, RFB),  // wrong 1st digit
        ("111.111.111-11", None, RFB),  // passes mod 11, all digits equal
        ("000.000.000-00", None, RFB),  // same
        ("1234567890", None, SEED_DOC), // 10 digits
        ("123.456.789-0X", None, SEED_DOC),
    ];
    for (input, expected, seed) in cases {
        let result = Cpf::parse(input);
        match expected {
            Some((digits, formatted)) => {
                let cpf = result.unwrap_or_else(|e| panic!("{input:?}: {e} ({seed})"));
                assert_eq!(cpf.as_str(), digits);
                assert_eq!(cpf.formatted(), formatted);
                assert_eq!(cpf.to_string(), formatted);
            }
            None => assert_eq!(result, Err(DomainError::InvalidCpf), "{input:?} ({seed})"),
        }
    }
}

#[test]
fn cnpj_parse_table() {
    let cases: [ParseCase; 8] = [
        (
            "12.345.678/0001-95",
            Some(("12345678000195", "12.345.678/0001-95")),
            SEED_DOC,
        ),
        (
            "12345678000195",
            Some(("12345678000195", "12.345.678/0001-95")),
            SEED_DOC,
        ),
        (
            "11.222.333/0001-81",
            Some(("11222333000181", "11.222.333/0001-81")),
            SEED_DOC,
        ),
        ("12.345.678/0001-94", None, RFB),
        ("12.345.678/0001-05", None, RFB),
        ("00.000.000/0000-00", None, RFB), // passes mod 11, all digits equal
        ("12.345.678/001-95", None, SEED_DOC), // 13 digits
        ("12.345.678|0001-95", None, SEED_DOC),
    ];
    for (input, expected, seed) in cases {
        let result = Cnpj::parse(input);
        match expected {
            Some((digits, formatted)) => {
                let cnpj = result.unwrap_or_else(|e| panic!("{input:?}: {e} ({seed})"));
                assert_eq!(cnpj.as_str(), digits);
                assert_eq!(cnpj.formatted(), formatted);
                assert_eq!(cnpj.to_string(), formatted);
            }
            None => assert_eq!(result, Err(DomainError::InvalidCnpj), "{input:?} ({seed})"),
        }
    }
}

#[test]
fn document_decides_by_length() {
    let cases: [(&str, Result<&str>); 5] = [
        ("123.456.789-09", Ok("cpf")),
        ("12.345.678/0001-95", Ok("cnpj")),
        ("123.456.789-00", Err(DomainError::InvalidCpf)),
        ("12.345.678/0001-00", Err(DomainError::InvalidCnpj)),
        ("1234567890123", Err(DomainError::InvalidDocument)),
    ];
    for (input, expected) in cases {
        let kind = Document::parse(input).map(|doc| match doc {
            Document::Cpf(_) => "cpf",
            Document::Cnpj(_) => "cnpj",
        });
        assert_eq!(kind, expected, "{input:?} ({SEED_DOC})");
    }
}

#[test]
fn serde_uses_bare_digits() {
    let doc = Document::parse("12.345.678/0001-95").expect("valid");
    assert_eq!(doc.as_str(), "12345678000195");
    assert_eq!(doc.formatted(), "12.345.678/0001-95");
    let json = serde_json::to_string(&doc).expect("serializes");
    assert_eq!(json, "\"12345678000195\"");
    assert_eq!(
        serde_json::from_str::<Document>(&json).expect("parses"),
        doc
    );
    assert!(serde_json::from_str::<Cpf>("\"11111111111\"").is_err());
    let cpf: Cpf = "123.456.789-09".parse().expect("valid");
    assert_eq!(
        serde_json::to_string(&cpf).expect("serializes"),
        "\"12345678909\""
    );
}
