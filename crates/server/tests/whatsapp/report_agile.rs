//! The Fluxo Ágil report (RP-3, seed 003): flow runs started for a batch,
//! client and campaign, one row per batch, contact and flow with the
//! conversations and messages with the bot; the filters and their lists;
//! a row's history with the bot; the export.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::assert_error;
use crate::reports::finished;
use crate::support::Wa;

const ANA: &str = "5511987660001";
const BETO: &str = "5511987660002";

fn today() -> String {
    chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Sao_Paulo)
        .date_naive()
        .to_string()
}

fn billing() -> Value {
    json!({
        "schema": 1,
        "name": "Cobrança",
        "start": "aviso",
        "steps": {
            "aviso": {"type": "send", "content": {"kind": "text",
                "text": "Olá, {nome}! Sua fatura vence amanhã. Responda 1 para receber o boleto."}, "next": "opcao"},
            "opcao": {"type": "ask", "field": "opcao", "answer": {"kind": "option", "options": ["1"]}, "next": "boleto"},
            "boleto": {"type": "send", "content": {"kind": "text", "text": "Segue o boleto. Obrigado!"}}
        }
    })
}

async fn bot_said(wa: &Wa, conv: &str, text: &str) {
    wa.until(async || {
        let m = wa.messages(conv).await;
        m.iter()
            .any(|m| m["author_kind"] == "bot" && m["text"] == text)
            .then_some(())
    })
    .await;
}

struct World {
    wa: Wa,
    flow_id: String,
    campaign_id: String,
}

/// Ana and Beto talked to the welcome bot; the billing flow then ran for
/// both in batch "Lote 7" of client "Loja Centro" — Ana's chat in the
/// campaign "Fatura Maio" — and Ana answered it.
async fn world() -> World {
    let wa = Wa::start().await;
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"entry_inbox": wa.inbox_id, "document": {"schema": 1, "name": "Recepção", "start": "oi",
                "steps": {"oi": {"type": "send", "content": {"kind": "text", "text": "Olá! Já te respondemos."}}}}}),
        )
        .await;
    assert_eq!(r.status(), 201);
    let r = wa
        .admin
        .post("/api/v1/flows/import", json!({"document": billing()}))
        .await;
    assert_eq!(r.status(), 201);
    let flow_id = r.json::<Value>().await.unwrap()["flow"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let campaign = wa
        .admin
        .post_json("/api/v1/campaigns", json!({"name": "Fatura Maio"}))
        .await;
    let campaign_id = campaign["id"].as_str().unwrap().to_string();

    let ana = wa.customer_writes(ANA, "Ana Souza", "oi").await;
    bot_said(&wa, &ana, "Olá! Já te respondemos.").await;
    let beto = wa.customer_writes(BETO, "Beto Lima", "bom dia").await;
    bot_said(&wa, &beto, "Olá! Já te respondemos.").await;
    let r = wa
        .admin
        .send(
            reqwest::Method::PUT,
            &format!("/api/v1/conversations/{ana}/campaign"),
            Some(json!({"campaign_id": campaign_id})),
        )
        .await;
    assert!(r.status().is_success(), "{}", r.status());

    for conv in [&ana, &beto] {
        let r = wa
            .admin
            .post(
                &format!("/api/v1/flows/{flow_id}/start"),
                json!({"conversation_id": conv, "batch": "Lote 7", "client": "Loja Centro"}),
            )
            .await;
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
    bot_said(
        &wa,
        &ana,
        "Olá, Ana Souza! Sua fatura vence amanhã. Responda 1 para receber o boleto.",
    )
    .await;
    bot_said(
        &wa,
        &beto,
        "Olá, Beto Lima! Sua fatura vence amanhã. Responda 1 para receber o boleto.",
    )
    .await;
    let (_, m) = wa.sim.text_payload(ANA, "Ana Souza", "1");
    assert_eq!(wa.sim.post(&wa.http, &m).await.status, 200);
    bot_said(&wa, &ana, "Segue o boleto. Obrigado!").await;
    World {
        wa,
        flow_id,
        campaign_id,
    }
}

fn rows(p: &Value) -> Vec<(String, String, i64, i64)> {
    p["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_string(),
                r["flow_name"].as_str().unwrap().to_string(),
                r["conversations"].as_i64().unwrap(),
                r["messages"].as_i64().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn runs_group_by_batch_contact_and_flow_with_filters_history_and_export() {
    let w = world().await;
    let a = &w.wa.admin;
    let t = today();

    // Every run of the period: the batch's and the welcome bot's.
    let all = a.get_json("/api/v1/reports/agile").await;
    assert_eq!(all["total"], 4, "{all}");

    // The batch, the latest runs first: Ana answered (the bot's two
    // messages and hers), Beto has only the bot's notice.
    let lote = a
        .get_json(&format!(
            "/api/v1/reports/agile?from={t}&to={t}&batch=Lote%207"
        ))
        .await;
    assert_eq!(
        rows(&lote),
        [
            ("Beto Lima".to_string(), "Cobrança".to_string(), 1, 1),
            ("Ana Souza".to_string(), "Cobrança".to_string(), 1, 3),
        ],
        "{lote}"
    );
    let ana_row = &lote["items"][1];
    assert_eq!(ana_row["batch"], "Lote 7");
    assert_eq!(ana_row["client"], "Loja Centro");
    assert_eq!(ana_row["phone_display"], "+55 11 98766-0001");
    assert_eq!(ana_row["flow_id"], w.flow_id);

    // Client and campaign.
    let p = a
        .get_json("/api/v1/reports/agile?client=Loja%20Centro")
        .await;
    assert_eq!(p["total"], 2);
    let p = a
        .get_json(&format!(
            "/api/v1/reports/agile?campaign_id={}",
            w.campaign_id
        ))
        .await;
    assert_eq!(rows(&p).len(), 1);
    assert_eq!(p["items"][0]["name"], "Ana Souza");
    let p = a.get_json("/api/v1/reports/agile?client=Outra").await;
    assert_eq!(p["total"], 0);

    // The filters' lists for the period.
    let o = a.get_json("/api/v1/reports/agile/options").await;
    assert_eq!(o["clients"], json!(["Loja Centro"]));
    assert_eq!(o["batches"], json!(["Lote 7"]));
    assert_eq!(
        o["campaigns"],
        json!([{"id": w.campaign_id, "name": "Fatura Maio"}])
    );

    // The period: 31 days at most.
    let r = a
        .get("/api/v1/reports/agile?from=2025-05-01&to=2025-06-01")
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "range_too_long").await;
    let p = a
        .get_json("/api/v1/reports/agile?from=2025-05-01&to=2025-05-31")
        .await;
    assert_eq!(p["total"], 0);

    // A row's history with the bot: the run's messages, not the welcome's.
    let contact = ana_row["contact_id"].as_str().unwrap();
    let h = a
        .get_json(&format!(
            "/api/v1/reports/agile/messages?batch=Lote%207&contact_id={contact}&flow_id={}",
            w.flow_id
        ))
        .await;
    let texts: Vec<&str> = h
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["text"].as_str().unwrap())
        .collect();
    assert_eq!(
        texts,
        [
            "Olá, Ana Souza! Sua fatura vence amanhã. Responda 1 para receber o boleto.",
            "1",
            "Segue o boleto. Obrigado!"
        ]
    );

    // Export ("EXPORTAR") of the batch, both formats.
    for format in ["csv", "xlsx"] {
        let r = a
            .post(
                "/api/v1/reports/agile/export",
                json!({"batch": "Lote 7", "format": format}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::ACCEPTED);
        let started: Value = r.json().await.unwrap();
        assert_eq!(started["kind"], "agile");
        let done = finished(&w.wa, started["id"].as_str().unwrap()).await;
        assert_eq!(done["status"], "ready", "{done}");
        let bytes = a
            .get(done["download_url"].as_str().unwrap())
            .await
            .bytes()
            .await
            .unwrap();
        if format == "csv" {
            assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
            let text = std::str::from_utf8(&bytes[3..]).unwrap();
            let lines: Vec<&str> = text.lines().collect();
            assert_eq!(
                lines,
                [
                    "Lote;Nome;CPF/CNPJ;Telefone;Email;Fluxo;Conversas;Mensagens",
                    "Lote 7;Beto Lima;;+55 11 98766-0002;;Cobrança;1;1",
                    "Lote 7;Ana Souza;;+55 11 98766-0001;;Cobrança;1;3",
                ]
            );
        } else {
            let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes.to_vec())).unwrap();
            let range = book.worksheet_range("Fluxo Ágil").unwrap();
            let got: Vec<&[Data]> = range.rows().collect();
            assert_eq!(got.len(), 3);
            assert_eq!(got[2][1], Data::String("Ana Souza".into()));
            assert_eq!(got[2][7], Data::Float(3.0));
        }
    }
    let r = a
        .post(
            "/api/v1/reports/agile/export",
            json!({"from": "2025-05-01", "to": "2025-06-01", "format": "xlsx"}),
        )
        .await;
    assert_error(r, StatusCode::UNPROCESSABLE_ENTITY, "range_too_long").await;

    let agent = w.wa.app.named_user(&w.wa.admin, "agent", "Bruno").await;
    let r = agent.get("/api/v1/reports/agile").await;
    assert_error(r, StatusCode::FORBIDDEN, "forbidden").await;
}
