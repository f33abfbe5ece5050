import { describe, expect, it } from 'vitest';
import { msg } from '../../test/fixtures';
import { updateMessage } from '../realtime/payloads';
import { editOf, hasReceipt, isInternalNote, isInternalText, isSystemLine, mergeMessages } from './messages';

describe('conversation messages', () => {
  it('keeps oldest first and each message once', () => {
    const a = msg('a', { created_at: '2026-03-10T10:00:00.000Z' });
    const b = msg('b', { created_at: '2026-03-10T10:05:00.000Z' });
    const c = msg('c', { created_at: '2026-03-10T09:00:00.000Z' });
    expect(mergeMessages([a, b], [c, b]).map((m) => m.id)).toEqual(['c', 'a', 'b']);
  });

  it('never moves a receipt backwards when a response and an event cross', () => {
    const delivered = msg('a', { direction: 'out', author_kind: 'agent', status: 'delivered' });
    const queued = { ...delivered, status: 'queued' };
    expect(mergeMessages([delivered], [queued])[0]?.status).toBe('delivered');
    expect(mergeMessages([queued], [delivered])[0]?.status).toBe('delivered');
    const failed = { ...delivered, status: 'failed', error_code: '190', error_text: 'Error validating access token' };
    expect(mergeMessages([queued], [failed])[0]).toMatchObject({ status: 'failed', error_code: '190' });
  });

  it('tells notes, system lines and receipts apart', () => {
    const note = msg('n', { direction: 'out', author_kind: 'agent', internal: true, status: 'read' });
    const system = msg('s', { direction: 'out', author_kind: 'system', internal: true });
    const reply = msg('r', { direction: 'out', author_kind: 'agent' });
    expect(isInternalNote(note)).toBe(true);
    expect(hasReceipt(note)).toBe(false);
    expect(isSystemLine(system)).toBe(true);
    expect(isInternalNote(system)).toBe(false);
    expect(hasReceipt(reply)).toBe(true);
    expect(hasReceipt(msg('i'))).toBe(false);
  });

  it('spots the /interna prefix as the server does', () => {
    expect(isInternalText('/interna ligar amanhã')).toBe(true);
    expect(isInternalText('   /interna')).toBe(true);
    expect(isInternalText('veja /interna')).toBe(false);
    expect(isInternalText('/Interna x')).toBe(false);
  });
});

describe('a message the contact edited', () => {
  it('shows its new text and keeps the first one', () => {
    const m = msg('m1', { text: 'Pedido 123' });
    expect(editOf(m)).toBeNull();
    const edited = updateMessage(m, {
      message_id: 'm1',
      conversation_id: m.conversation_id,
      text: 'Pedido 124',
      // The payload is an open object in the document.
      payload: { edited: { at: 2000 }, original_text: 'Pedido 123' } as never,
    });
    expect(edited.text).toBe('Pedido 124');
    expect(editOf(edited)).toEqual({ original: 'Pedido 123' });
    // A receipt leaves the text alone.
    const sent = updateMessage(edited, { message_id: 'm1', conversation_id: m.conversation_id, status: 'read' });
    expect(sent.text).toBe('Pedido 124');
  });
});
