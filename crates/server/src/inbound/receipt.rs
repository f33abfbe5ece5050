//! What became of what we sent: receipts of our messages and the status
//! of our message templates.

use atende_channels::inbound::{Delivery, Receipt, TemplateStatus, Watermark};
use atende_domain::ReceiptStatus;
use atende_store::events::{ChatEvent, TemplateUpdated};
use atende_store::ingest::InboxRoute;
use atende_store::{StoreError, Tx};

/// What became of a message we sent, by its provider id (or, for a send
/// whose answer never came, by our id echoed back).
pub(super) async fn receipt(tx: &mut Tx, route: &InboxRoute, s: Receipt) -> Result<(), StoreError> {
    let next = match s.state {
        Delivery::Sent => ReceiptStatus::Sent,
        Delivery::Delivered => ReceiptStatus::Delivered,
        Delivery::Read => ReceiptStatus::Read,
        Delivery::Failed => ReceiptStatus::Failed,
    };
    let err = s.errors.first().map(|e| {
        (
            e.code.to_string(),
            e.text(&format!(
                "Erro do {}",
                route.kind().map_or("canal", |k| k.label())
            )),
        )
    });
    let err_ref = err.as_ref().map(|(c, t)| (c.as_str(), t.as_str()));
    if let Some(msg) = tx.message_by_provider_id(route.id, &s.id).await? {
        tx.update_receipt(route.org_id, msg.id, next, None, err_ref)
            .await?;
        return Ok(());
    }
    // Our message id rides with the send (WhatsApp's
    // `biz_opaque_callback_data`): the status proves
    // that a send whose answer we never got (a timeout, a crash) did go,
    // and gives it its provider id, so it is not sent again.
    if let Some(msg) = unanswered_send(tx, route, s.callback.as_deref()).await?
        && let Some(updated) = tx
            .update_receipt(route.org_id, msg.id, next, Some(&s.id), err_ref)
            .await?
    {
        tx.apply_pending_statuses(&updated).await?;
        return Ok(());
    }
    // The status raced our send's answer, or is for a message we did not
    // send (or for a second copy): keep it until a message with that id
    // exists.
    tx.save_pending_status(route.org_id, route.id, &s.id, next, err_ref)
        .await
}

/// Every message we sent the customer up to the watermark reached its
/// state (Messenger): each moves forward only, as a receipt of its own
/// would move it.
pub(super) async fn watermark(
    tx: &mut Tx,
    route: &InboxRoute,
    w: Watermark,
) -> Result<(), StoreError> {
    let (next, below) = match w.state {
        Delivery::Delivered => (ReceiptStatus::Delivered, ["sent", "sent"]),
        Delivery::Read => (ReceiptStatus::Read, ["sent", "delivered"]),
        Delivery::Sent | Delivery::Failed => return Ok(()),
    };
    let chats = tx
        .known_chats(route.org_id, route.id, std::slice::from_ref(&w.recipient))
        .await?;
    let Some(conversation) = chats.get(&w.recipient).and_then(|k| k.conversation_id) else {
        return Ok(());
    };
    for id in tx
        .outbound_before(route.org_id, conversation, w.up_to, below)
        .await?
    {
        tx.update_receipt(route.org_id, id, next, None, None)
            .await?;
    }
    Ok(())
}

/// Our outbound message named by a receipt's callback, when it is still
/// waiting for the provider id of its send.
async fn unanswered_send(
    tx: &mut Tx,
    route: &InboxRoute,
    callback: Option<&str>,
) -> Result<Option<atende_store::chats::Message>, StoreError> {
    let Some(id) = callback.and_then(|c| c.parse::<atende_domain::MessageId>().ok()) else {
        return Ok(None);
    };
    let Some(msg) = tx.message(route.org_id, id).await? else {
        return Ok(None);
    };
    let ours = msg.inbox_id == route.id && msg.direction == "out" && msg.provider_id.is_none();
    Ok(ours.then_some(msg))
}

/// A template of the routed inbox's account changed status.
pub(super) async fn template_status(
    tx: &mut Tx,
    route: &InboxRoute,
    t: TemplateStatus,
) -> Result<(), StoreError> {
    let Some(status) = t.status.as_deref() else {
        return Ok(());
    };
    let n = tx
        .set_template_status(
            route.org_id,
            route.id,
            t.template_id.as_deref(),
            t.name.as_deref(),
            t.language.as_deref(),
            status,
        )
        .await?;
    if n > 0 {
        tx.emit(atende_store::NewEvent::org(
            route.org_id,
            ChatEvent::TemplateUpdated(TemplateUpdated {
                inbox_id: route.id,
                name: t.name,
                language: t.language,
                status: status.to_string(),
                reason: t.reason,
            }),
        ));
    }
    Ok(())
}
