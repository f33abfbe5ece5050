use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atende_store::testing::TestDb;
use atende_store::{NewJob, now_ms};
use serde_json::json;

#[tokio::test]
async fn idempotency_key_enqueues_once() {
    let db = TestDb::new().await;
    let job = NewJob {
        idempotency_key: Some("k1".into()),
        ..NewJob::now(None, "t", json!({}))
    };
    assert!(db.store.enqueue(job.clone()).await.unwrap());
    assert!(!db.store.enqueue(job).await.unwrap());
    assert_eq!(db.store.job_counts().await.unwrap().pending, 1);
}

/// Several workers claim at once: no job is ever held by two of them.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_workers_never_run_a_job_twice() {
    let db = TestDb::new().await;
    let store = db.store.clone();
    const JOBS: usize = 120;
    for i in 0..JOBS {
        store
            .enqueue(NewJob::now(None, "t", json!({"i": i})))
            .await
            .unwrap();
    }
    let runs: Arc<Mutex<HashMap<uuid::Uuid, usize>>> = Arc::default();
    let mut workers = Vec::new();
    for _ in 0..6 {
        let store = store.clone();
        let runs = runs.clone();
        workers.push(tokio::spawn(async move {
            loop {
                let jobs = store.claim_jobs(3, 30_000).await.unwrap();
                if jobs.is_empty() {
                    if store.job_counts().await.unwrap().pending == 0 {
                        return;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                }
                for job in jobs {
                    *runs.lock().unwrap().entry(job.id).or_default() += 1;
                    let mut tx = store.begin().await.unwrap();
                    assert!(tx.complete_job(&job).await.unwrap());
                    tx.commit().await.unwrap();
                }
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let runs = runs.lock().unwrap().clone();
    assert_eq!(runs.len(), JOBS);
    assert!(runs.values().all(|n| *n == 1), "a job ran twice");
    assert_eq!(store.job_counts().await.unwrap().done, JOBS as i64);
}

/// A worker that dies mid-job never completes it: after the lease the job is
/// claimed again, and the dead worker's late completion is refused.
#[tokio::test]
async fn expired_lease_is_retried_and_the_old_owner_is_fenced_off() {
    let db = TestDb::new().await;
    let store = &db.store;
    store
        .enqueue(NewJob::now(None, "t", json!({})))
        .await
        .unwrap();
    let first = store.claim_jobs(10, 150).await.unwrap();
    assert_eq!(first.len(), 1);
    assert!(
        store.claim_jobs(10, 150).await.unwrap().is_empty(),
        "leased job claimed twice"
    );
    tokio::time::sleep(Duration::from_millis(250)).await;
    let second = store.claim_jobs(10, 10_000).await.unwrap();
    assert_eq!(second.len(), 1);
    assert_eq!(second[0].id, first[0].id);
    assert_eq!(second[0].attempts, 2);
    let mut tx = store.begin().await.unwrap();
    assert!(
        !tx.complete_job(&first[0]).await.unwrap(),
        "stale lease completed the job"
    );
    drop(tx);
    let mut tx = store.begin().await.unwrap();
    assert!(tx.complete_job(&second[0]).await.unwrap());
    tx.commit().await.unwrap();
    assert_eq!(store.job_counts().await.unwrap().done, 1);
}

#[tokio::test]
async fn failures_back_off_and_die_after_max_attempts() {
    let db = TestDb::new().await;
    let store = &db.store;
    store
        .enqueue(NewJob {
            max_attempts: 2,
            ..NewJob::now(None, "t", json!({}))
        })
        .await
        .unwrap();
    let j = store.claim_jobs(1, 10_000).await.unwrap().remove(0);
    store.fail_job(&j, "boom", now_ms() + 60_000).await.unwrap();
    assert!(
        store.claim_jobs(1, 10_000).await.unwrap().is_empty(),
        "retried before its backoff"
    );
    assert!(store.next_job_at().await.unwrap().unwrap() > now_ms() + 50_000);
    store.fail_job(&j, "stale", now_ms()).await.unwrap(); // same lease token, still pending: allowed
    let j2 = store.claim_jobs(1, 10_000).await.unwrap().remove(0);
    assert_eq!(j2.attempts, 2);
    store.fail_job(&j2, "boom again", now_ms()).await.unwrap();
    let c = store.job_counts().await.unwrap();
    assert_eq!((c.pending, c.dead), (0, 1));
}

#[tokio::test]
async fn a_postponed_run_is_not_counted_as_an_attempt() {
    let db = TestDb::new().await;
    let store = &db.store;
    store
        .enqueue(NewJob {
            max_attempts: 1,
            ..NewJob::now(None, "t", json!({}))
        })
        .await
        .unwrap();
    let j = store.claim_jobs(1, 10_000).await.unwrap().remove(0);
    assert_eq!(j.attempts, 1);
    store.postpone_job(&j, now_ms() + 400).await.unwrap();
    assert!(
        store.claim_jobs(1, 10_000).await.unwrap().is_empty(),
        "ran before the time it was put off to"
    );
    tokio::time::sleep(std::time::Duration::from_millis(450)).await;
    let again = store.claim_jobs(1, 10_000).await.unwrap().remove(0);
    assert_eq!(again.attempts, 1, "the waits were counted as attempts");
    let c = store.job_counts().await.unwrap();
    assert_eq!((c.pending, c.dead), (1, 0));
}

#[tokio::test]
async fn a_job_enqueued_in_a_rolled_back_transaction_does_not_exist() {
    let db = TestDb::new().await;
    let mut tx = db.store.begin().await.unwrap();
    tx.enqueue(NewJob::now(None, "t", json!({}))).await.unwrap();
    drop(tx);
    assert_eq!(db.store.job_counts().await.unwrap().pending, 0);
}
