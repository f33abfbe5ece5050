//! Ready responses (LC-20): categories and responses, their limits, and who
//! may read and edit them.

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn a_manager_keeps_ready_responses_and_agents_read_them() {
    let app = TestApp::spawn().await;
    let admin = app.admin().await;
    let manager = app.named_user(&admin, "manager", "Gerente").await;
    let ana = app.named_user(&admin, "agent", "Ana").await;

    let cat = manager
        .post_json("/api/v1/ready-responses", json!({"name": "Saudações"}))
        .await;
    let cat_id = cat["id"].as_str().unwrap().to_string();
    assert_eq!(cat["responses"], json!([]));
    let responses = format!("/api/v1/ready-responses/{cat_id}/responses");
    let r = manager
        .post(
            &responses,
            json!({"title": "Bom dia", "text": "Bom dia, {nome}! Como posso ajudar?"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let bom_dia: Value = r.json().await.unwrap();
    manager
        .post_json(
            &responses,
            json!({"title": "Até logo", "text": "Obrigado pelo contato."}),
        )
        .await;

    // Limits: category name ≤ 60, title ≤ 30, text required; nothing saved.
    let long_name = "c".repeat(61);
    assert_error(
        manager
            .post("/api/v1/ready-responses", json!({"name": long_name}))
            .await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "invalid",
    )
    .await;
    let ok_name = "c".repeat(60);
    let r = manager
        .post("/api/v1/ready-responses", json!({"name": ok_name}))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let long_cat: Value = r.json().await.unwrap();
    let long_title = "t".repeat(31);
    for body in [
        json!({"title": long_title, "text": "x"}),
        json!({"title": "Vazio", "text": "  "}),
        json!({"title": "", "text": "x"}),
    ] {
        assert_error(
            manager.post(&responses, body).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid",
        )
        .await;
    }
    assert_error(
        manager
            .post(&responses, json!({"title": "Bom dia", "text": "de novo"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_error(
        manager
            .post("/api/v1/ready-responses", json!({"name": "Saudações"}))
            .await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // An agent reads them (by category name, responses by title) but may
    // not change them.
    let list = ana.get_json("/api/v1/ready-responses").await;
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec![ok_name.as_str(), "Saudações"]);
    let titles: Vec<&str> = list[1]["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, vec!["Até logo", "Bom dia"]);
    assert_error(
        ana.post(&responses, json!({"title": "Oi", "text": "Oi"}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // Edit, move to another category, delete.
    let one = format!("{responses}/{}", bom_dia["id"].as_str().unwrap());
    let r = manager
        .send(Method::PATCH, &one, Some(json!({"text": "Olá, {nome}!"})))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = manager
        .send(
            Method::PATCH,
            &one,
            Some(json!({"category_id": long_cat["id"]})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Its old path is gone now.
    assert_error(
        manager.delete(&one).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let list = ana.get_json("/api/v1/ready-responses").await;
    assert_eq!(list[0]["responses"][0]["text"], "Olá, {nome}!");
    assert_eq!(list[1]["responses"].as_array().unwrap().len(), 1);

    // Deleting a category deletes its responses.
    let r = manager
        .delete(&format!(
            "/api/v1/ready-responses/{}",
            long_cat["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let list = ana.get_json("/api/v1/ready-responses").await;
    assert_eq!(list.as_array().unwrap().len(), 1);

    // Another organization sees none of it.
    let other = app.other_org().await;
    assert_eq!(other.get_json("/api/v1/ready-responses").await, json!([]));
    assert_error(
        other
            .post(&responses, json!({"title": "X", "text": "Y"}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
}
