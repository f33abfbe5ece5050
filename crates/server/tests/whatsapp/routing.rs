//! Routing handovers from a bot flow (issue #5): capacity is never
//! exceeded under concurrent handovers, the rest wait first in first out
//! and are handed out as chats close; the random, sequence and last-agent
//! targets.

use serde_json::{Value, json};
use std::collections::HashMap;

use crate::helpers::Session;
use crate::support::Wa;

/// A department (with `distribution`) and `n` agents of capacity `max`.
async fn team(
    wa: &Wa,
    name: &str,
    distribution: &str,
    n: usize,
    max: i64,
) -> (String, Vec<Session>) {
    let d = wa
        .admin
        .post_json(
            "/api/v1/departments",
            json!({"name": name, "distribution": distribution}),
        )
        .await;
    assert_eq!(d["distribution"], distribution);
    let id = d["id"].as_str().unwrap().to_string();
    let mut agents = Vec::new();
    for i in 0..n {
        let a = wa
            .app
            .named_user(&wa.admin, "agent", &format!("{name} {i}"))
            .await;
        let r = wa
            .admin
            .post(
                &format!("/api/v1/departments/{id}/members"),
                json!({"user_id": a.user_id}),
            )
            .await;
        assert!(r.status().is_success());
        let r = wa
            .admin
            .patch(
                &format!("/api/v1/users/{}", a.user_id),
                json!({"max_chats": max}),
            )
            .await;
        assert_eq!(r.status(), 200);
        agents.push(a);
    }
    (id, agents)
}

async fn handover_flow(wa: &Wa, target: Value) {
    let r = wa
        .admin
        .post(
            "/api/v1/flows/import",
            json!({"entry_inbox": wa.inbox_id, "document": {"schema": 1, "name": "Triagem", "start": "passa",
                "steps": {"passa": {"type": "open_attendance", "target": target}}}}),
        )
        .await;
    assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
}

/// Every conversation by id, once `n` have an attendance.
async fn handed(wa: &Wa, n: usize) -> Vec<Value> {
    wa.until(async || {
        let list: Vec<Value> = wa
            .admin
            .get_json("/api/v1/conversations?view=all&limit=500")
            .await["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["protocol"].is_string() && c["flow_running"] == false)
            .cloned()
            .collect();
        (list.len() >= n).then_some(list)
    })
    .await
}

fn load(list: &[Value]) -> HashMap<String, usize> {
    let mut by: HashMap<String, usize> = HashMap::new();
    for c in list {
        if let Some(a) = c["agent_id"].as_str() {
            *by.entry(a.to_string()).or_default() += 1;
        }
    }
    by
}

#[tokio::test]
async fn two_hundred_concurrent_handovers_never_exceed_capacity_and_queue_fifo() {
    let wa = Wa::start().await;
    let (dept, agents) = team(&wa, "Vendas", "auto", 5, 3).await;
    handover_flow(&wa, json!({"to": "department", "department": "Vendas"})).await;
    let posts = (0..200).map(|i| {
        let (_, p) = wa
            .sim
            .text_payload(&format!("55119{i:08}"), &format!("Cliente {i}"), "oi");
        let (sim, http) = (&wa.sim, &wa.http);
        async move { sim.post(http, &p).await.status }
    });
    for status in futures::future::join_all(posts).await {
        assert_eq!(status, 200);
    }
    let all = handed(&wa, 200).await;
    assert_eq!(all.len(), 200);
    let by = load(&all);
    assert_eq!(by.len(), 5, "every agent got chats: {by:?}");
    assert!(by.values().all(|n| *n == 3), "3 each, never more: {by:?}");
    let queued: Vec<&Value> = all.iter().filter(|c| c["agent_id"].is_null()).collect();
    assert_eq!(queued.len(), 185);
    assert!(queued.iter().all(|c| c["department_id"] == dept.as_str()));

    // As chats close, the one that waited longest goes to the freed agent.
    let mut waiting: Vec<(String, String)> = queued
        .iter()
        .map(|c| {
            (
                c["opened_at"].as_str().unwrap().to_string(),
                c["id"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    waiting.sort();
    for round in 0..5 {
        let agent = &agents[round % agents.len()];
        let mine = agent.get_json("/api/v1/conversations?view=mine").await;
        let chat = mine["items"][0]["id"].as_str().unwrap().to_string();
        let r = agent
            .post(&format!("/api/v1/conversations/{chat}/close"), json!({}))
            .await;
        assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        let next = &waiting[round].1;
        let c = agent.conversation(next).await;
        assert_eq!(
            c["agent_id"],
            agent.user_id.as_str(),
            "round {round}: the oldest queued chat went to the agent who freed a slot"
        );
        let mine = agent.get_json("/api/v1/conversations?view=mine").await;
        assert_eq!(mine["items"].as_array().unwrap().len(), 3);
    }
}

#[tokio::test]
async fn the_sequence_target_goes_round_the_department() {
    let wa = Wa::start().await;
    let (_, agents) = team(&wa, "Suporte", "manual", 3, 10).await;
    handover_flow(&wa, json!({"to": "sequence", "department": "Suporte"})).await;
    let mut got = Vec::new();
    for i in 0..6 {
        let conv = wa
            .customer_writes(&format!("551197{i:07}"), "Cliente", "oi")
            .await;
        let c = wa
            .until(async || {
                let c = wa.admin.conversation(&conv).await;
                c["agent_id"].as_str().map(str::to_string)
            })
            .await;
        got.push(c);
    }
    let mut ids: Vec<String> = agents.iter().map(|a| a.user_id.clone()).collect();
    ids.sort();
    let expected: Vec<String> = ids.iter().chain(ids.iter()).cloned().collect();
    assert_eq!(got, expected, "in turn, wrapping round");
}

#[tokio::test]
async fn the_random_target_picks_available_agents_only() {
    let wa = Wa::start().await;
    let (_, agents) = team(&wa, "Suporte", "manual", 3, 10).await;
    // The third agent is paused: they get nothing (LC-19).
    let r = agents[2]
        .patch(
            &format!("/api/v1/users/{}", agents[2].user_id),
            json!({"status": "paused"}),
        )
        .await;
    assert_eq!(r.status(), 200);
    handover_flow(&wa, json!({"to": "random", "department": "Suporte"})).await;
    let posts = (0..20).map(|i| {
        let (_, p) = wa.sim.text_payload(&format!("55117{i:08}"), "C", "oi");
        let (sim, http) = (&wa.sim, &wa.http);
        async move { sim.post(http, &p).await.status }
    });
    futures::future::join_all(posts).await;
    let all = handed(&wa, 20).await;
    let by = load(&all);
    assert!(!by.contains_key(&agents[2].user_id), "paused: {by:?}");
    assert_eq!(by.values().sum::<usize>(), 20);
    assert_eq!(by.len(), 2, "both available agents drawn: {by:?}");
}

#[tokio::test]
async fn the_last_agent_target_returns_the_contact_to_who_served_them() {
    let wa = Wa::start().await;
    let (_, agents) = team(&wa, "Suporte", "auto", 2, 10).await;
    handover_flow(&wa, json!({"to": "last_agent", "department": "Suporte"})).await;
    // First contact: the department's rule (least busy, then longest idle).
    let conv = wa.customer_writes("5511966660000", "Gil", "oi").await;
    let first = wa
        .until(async || {
            wa.admin.conversation(&conv).await["agent_id"]
                .as_str()
                .map(str::to_string)
        })
        .await;
    let r = wa
        .admin
        .post(&format!("/api/v1/conversations/{conv}/close"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    // The other agent is now the longest idle, but Gil returns to his agent.
    let other = agents.iter().find(|a| a.user_id != first).unwrap();
    let (_, p) = wa.sim.text_payload("5511966660000", "Gil", "voltei");
    assert_eq!(wa.sim.post(&wa.http, &p).await.status, 200);
    let again = wa
        .until(async || {
            let c = wa.admin.conversation(&conv).await;
            c["protocol"]
                .is_string()
                .then(|| c["agent_id"].as_str().map(str::to_string))
                .flatten()
        })
        .await;
    assert_eq!(again, first);
    // A new contact goes by the rule: the other agent, idle the longest.
    let conv = wa.customer_writes("5511966661111", "Hugo", "oi").await;
    let new = wa
        .until(async || {
            wa.admin.conversation(&conv).await["agent_id"]
                .as_str()
                .map(str::to_string)
        })
        .await;
    assert_eq!(new, other.user_id);
}

#[tokio::test]
async fn a_person_forwarding_to_an_auto_department_distributes_or_queues() {
    let wa = Wa::start().await;
    let (dept, agents) = team(&wa, "Vendas", "auto", 1, 1).await;
    let a = wa.customer_writes("5511922220001", "Ana", "oi").await;
    let b = wa.customer_writes("5511922220002", "Bia", "oi").await;
    let forward = |c: String| {
        let body = json!({"department_id": dept});
        let admin = &wa.admin;
        async move {
            let r = admin
                .post(&format!("/api/v1/conversations/{c}/assign"), body)
                .await;
            assert_eq!(r.status(), 200, "{}", r.text().await.unwrap());
        }
    };
    forward(a.clone()).await;
    assert_eq!(
        wa.admin.conversation(&a).await["agent_id"],
        agents[0].user_id.as_str(),
        "the free member got it"
    );
    forward(b.clone()).await;
    let queued = wa.admin.conversation(&b).await;
    assert!(queued["agent_id"].is_null(), "full: it waits");
    assert_eq!(queued["department_id"], dept.as_str());
    let r = agents[0]
        .post(&format!("/api/v1/conversations/{a}/close"), json!({}))
        .await;
    assert_eq!(r.status(), 200);
    assert_eq!(
        wa.admin.conversation(&b).await["agent_id"],
        agents[0].user_id.as_str(),
        "the freed slot takes the waiting chat"
    );
}

#[tokio::test]
async fn a_users_capacity_is_set_at_creation_within_its_bounds() {
    let wa = Wa::start().await;
    let user = |email: &str, max: i64| json!({"email": email, "name": "Lia", "password": crate::helpers::PASSWORD, "role": "agent", "max_chats": max});
    let r = wa
        .admin
        .post("/api/v1/users", user("lia@example.com", 101))
        .await;
    assert_eq!(r.status(), 422);
    let users = wa.admin.get_json("/api/v1/users").await;
    assert!(
        users
            .as_array()
            .unwrap()
            .iter()
            .all(|u| u["email"] != "lia@example.com"),
        "nothing was created"
    );
    let created = wa
        .admin
        .post_json("/api/v1/users", user("lia@example.com", 7))
        .await;
    assert_eq!(created["max_chats"], 7);
    let read = wa
        .admin
        .get_json(&format!(
            "/api/v1/users/{}",
            created["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(read["max_chats"], 7);
}
