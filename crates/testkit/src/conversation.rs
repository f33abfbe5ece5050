//! Realistic pt-BR customer material for `atende demo` and load tests:
//! names, opening lines, follow-ups and Brazilian mobile numbers.

use rand::Rng;

/// Brazil's area codes (DDD) in use.
const DDDS: &[u8] = &[
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 24, 27, 28, 31, 32, 33, 34, 35, 37, 38, 41, 42, 43,
    44, 45, 46, 47, 48, 49, 51, 53, 54, 55, 61, 62, 63, 64, 65, 66, 67, 68, 69, 71, 73, 74, 75, 77,
    79, 81, 82, 83, 84, 85, 86, 87, 88, 89, 91, 92, 93, 94, 95, 96, 97, 98, 99,
];

const NAMES: &[&str] = &[
    "Ana Beatriz Souza",
    "João Pedro Oliveira",
    "Maria Eduarda Santos",
    "Lucas Ferreira",
    "Júlia Rodrigues",
    "Gabriel Almeida",
    "Larissa Costa",
    "Rafael Lima",
    "Camila Pereira",
    "Thiago Carvalho",
    "Fernanda Gomes",
    "Bruno Ribeiro",
    "Patrícia Martins",
    "Felipe Araújo",
    "Letícia Barbosa",
    "Matheus Rocha",
    "Aline Dias",
    "Gustavo Nascimento",
    "Vitória Moreira",
    "Rodrigo Cardoso",
    "Sônia Teixeira",
    "Antônio Mendes",
    "Cláudia Freitas",
    "Diego Correia",
    "Bianca Nunes",
    "Marcelo Pinto",
    "Renata Vieira",
    "Eduardo Monteiro",
    "Tainá Cavalcanti",
    "José Carlos da Silva",
    "Luana Batista",
    "Caio Fernandes",
    "Dona Cida",
    "Vinícius Moura",
];

const OPENING_LINES: &[&str] = &[
    "Oi, boa tarde! Vocês entregam em Campinas?",
    "Meu pedido 4521 ainda não chegou",
    "Bom dia! Gostaria de saber o prazo de entrega para Belo Horizonte.",
    "Olá, comprei um tênis e veio no tamanho errado. Como faço a troca?",
    "Boa noite, vocês aceitam Pix?",
    "Oi! Vi o anúncio no Instagram, ainda tem a promoção? 😍",
    "Preciso da segunda via do boleto, por favor",
    "O código de rastreio que vocês mandaram não funciona",
    "Quero cancelar minha compra, como faço?",
    "Olá, a nota fiscal do pedido 7788 não veio no e-mail",
    "Vocês têm loja física em Curitiba?",
    "Bom dia, o produto chegou quebrado 😞",
    "Oi, tudo bem? Qual o horário de atendimento de vocês?",
    "Dá pra parcelar em 10x sem juros?",
    "Recebi uma cobrança em duplicidade no cartão",
    "Boa tarde! Vocês fazem entrega no mesmo dia em São Paulo?",
    "Oi, quero mudar o endereço de entrega do meu pedido",
    "Esse produto tem garantia de quanto tempo?",
    "Minha encomenda aparece como entregue mas não recebi nada",
    "Olá! Tem o modelo azul no tamanho M?",
    "Boa noite, o cupom BEMVINDO10 não está funcionando",
    "Oi, preciso falar com um atendente, por favor",
    "Vocês emitem nota fiscal com CNPJ?",
    "Bom dia! Quando volta o estoque da cafeteira elétrica?",
    "O site está dando erro na hora de finalizar a compra",
    "Oi, quanto fica o frete para Recife?",
    "Comprei ontem e ainda não recebi a confirmação do pagamento",
    "Olá, meu reembolso ainda não caiu na conta",
    "Boa tarde, vocês trocam produto de presente sem nota?",
    "Oi! Queria elogiar o atendimento da Juliana, foi ótimo 👏",
    "Vocês entregam no interior da Bahia?",
    "Olá, esqueci minha senha e não consigo acessar minha conta",
    "O motoboy veio e não tinha ninguém em casa, e agora?",
    "Bom dia, gostaria de um orçamento para 50 unidades",
];

const FOLLOW_UPS: &[&str] = &[
    "Obrigado!",
    "Ok, fico no aguardo",
    "Consegue verificar pra mim, por favor?",
    "Já faz uma semana 😕",
    "Pode ser pelo Pix mesmo",
    "Meu CPF é o mesmo do cadastro",
    "Certo, e quanto tempo demora?",
    "Perfeito, muito obrigada! 🙏",
    "Ainda não recebi resposta…",
    "Mandei a foto agora há pouco",
    "Pode ser amanhã de manhã?",
    "Não entendi, pode explicar de novo?",
    "É o pedido 4521",
    "Moro em Campinas, bairro Cambuí",
    "Tá bom, vou aguardar então",
    "Preciso disso com urgência",
    "Vocês podem me ligar?",
    "Beleza, resolvido! Valeu 👍",
    "O número do protocolo é qual?",
    "Prefiro o reembolso em vez da troca",
    "Pode mandar o link de pagamento",
    "Boa tarde, alguma novidade?",
];

/// 30+ Brazilian customer names (profile names as WhatsApp shows them).
pub fn customer_names() -> &'static [&'static str] {
    NAMES
}

/// 30+ first messages customers send, in pt-BR, some with emoji.
pub fn opening_lines() -> &'static [&'static str] {
    OPENING_LINES
}

/// 20+ later messages in a conversation.
pub fn follow_ups() -> &'static [&'static str] {
    FOLLOW_UPS
}

/// A valid Brazilian mobile wa_id: `55` + a real DDD + `9` + 8 digits (the
/// first of them 6–9, as mobile numbers are), e.g. `5519987654321`.
pub fn random_wa_id(rng: &mut impl Rng) -> String {
    let ddd = DDDS[rng.random_range(0..DDDS.len())];
    let first = rng.random_range(6..=9u8);
    let rest: String = (0..7)
        .map(|_| char::from(b'0' + rng.random_range(0..10u8)))
        .collect();
    format!("55{ddd}9{first}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn material_is_plentiful_and_distinct() {
        for (list, min) in [
            (customer_names(), 30),
            (opening_lines(), 30),
            (follow_ups(), 20),
        ] {
            assert!(list.len() >= min);
            let mut sorted = list.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), list.len(), "duplicates in {list:?}");
        }
        assert!(opening_lines().iter().any(|l| !l.is_ascii()));
    }

    #[test]
    fn wa_ids_are_brazilian_mobiles() {
        let mut rng = rand::rng();
        for _ in 0..200 {
            let id = random_wa_id(&mut rng);
            assert_eq!(id.len(), 13, "{id}");
            assert!(id.bytes().all(|b| b.is_ascii_digit()));
            assert!(id.starts_with("55"));
            let ddd: u8 = id[2..4].parse().unwrap_or(0);
            assert!(DDDS.contains(&ddd), "{id}");
            assert_eq!(&id[4..5], "9");
            assert!(matches!(&id[5..6], "6" | "7" | "8" | "9"));
        }
    }
}
