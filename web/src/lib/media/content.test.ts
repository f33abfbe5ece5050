import { describe, expect, it } from 'vitest';
import type { Message } from '../../api/types';
import { contactCardsOf, locationOf, mapLink, mediaFileName, storyOf, telLink } from './content';

function msg(kind: string, payload: unknown, extra: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    conversation_id: 'c1',
    direction: 'in',
    author_kind: 'contact',
    internal: false,
    kind,
    payload: payload as Message['payload'],
    status: 'delivered',
    created_at: '2026-01-01T12:00:00Z',
    ...extra,
  };
}

const WA_CARD = {
  name: { formatted_name: 'João Silva', first_name: 'João' },
  phones: [{ phone: '+55 11 98765-4321', wa_id: '5511987654321', type: 'CELL' }],
  emails: [{ email: 'joao@exemplo.com', type: 'WORK' }],
  org: { company: 'Loja' },
};

describe('message content readers', () => {
  it('reads an inbound location from payload.raw', () => {
    const m = msg('location', {
      raw: { type: 'location', location: { latitude: -23.55, longitude: -46.63, name: 'Loja', address: 'Av. Paulista' } },
    });
    expect(locationOf(m)).toEqual({ latitude: -23.55, longitude: -46.63, name: 'Loja', address: 'Av. Paulista', url: null });
  });

  it('reads an outbound location and ignores broken ones', () => {
    expect(locationOf(msg('location', { location: { latitude: 1, longitude: 2 } }))?.latitude).toBe(1);
    expect(locationOf(msg('location', { location: { latitude: 'x', longitude: 2 } }))).toBeNull();
    expect(locationOf(msg('location', {}))).toBeNull();
  });

  it('links a map of the point', () => {
    expect(mapLink({ latitude: -23.55, longitude: -46.63 })).toBe(
      'https://www.openstreetmap.org/?mlat=-23.550000&mlon=-46.630000#map=17/-23.550000/-46.630000',
    );
  });

  it('reads contact cards, inbound (raw) and outbound', () => {
    const expected = [{ name: 'João Silva', phones: ['+55 11 98765-4321'], emails: ['joao@exemplo.com'], organization: 'Loja' }];
    expect(contactCardsOf(msg('contacts', { raw: { type: 'contacts', contacts: [WA_CARD] } }))).toEqual(expected);
    expect(contactCardsOf(msg('contacts', { contacts: [WA_CARD] }))).toEqual(expected);
  });

  it('names a card without formatted_name from its parts or its phone', () => {
    expect(contactCardsOf(msg('contacts', { contacts: [{ name: { first_name: 'Ana', last_name: 'Lima' } }] }))[0]?.name).toBe(
      'Ana Lima',
    );
    expect(contactCardsOf(msg('contacts', { contacts: [{ phones: [{ phone: '+5511' }] }] }))[0]?.name).toBe('+5511');
    expect(contactCardsOf(msg('contacts', { contacts: [{}, 3, null] }))).toEqual([]);
  });

  it('finds a media file name: stored file, sent payload, inbound raw', () => {
    expect(
      mediaFileName(msg('document', {}, { media: { id: 'x', status: 'stored', filename: 'nota.pdf' } })),
    ).toBe('nota.pdf');
    expect(mediaFileName(msg('document', { media: { id: '123', filename: 'boleto.pdf' } }))).toBe('boleto.pdf');
    expect(mediaFileName(msg('document', { raw: { type: 'document', document: { filename: 'r.pdf' } } }))).toBe('r.pdf');
    expect(mediaFileName(msg('image', {}))).toBeNull();
  });

  it('builds tel: links', () => {
    expect(telLink('+55 (11) 98765-4321')).toBe('tel:+5511987654321');
  });
});

describe('an Instagram story mention', () => {
  const at = Date.parse('2026-01-02T12:00:00Z');
  it('keeps its link until the story expires', () => {
    const m = msg('story_mention', { story: { url: 'https://lookaside.fbsbx.com/s?asset_id=1', expires_at: at } });
    expect(storyOf(m, at - 1)).toEqual({
      url: 'https://lookaside.fbsbx.com/s?asset_id=1',
      expiresAt: '2026-01-02T12:00:00.000Z',
      expired: false,
    });
    expect(storyOf(m, at)?.expired).toBe(true);
  });
  it('drops a link that is not http(s), and reads nothing from other messages', () => {
    const m = msg('story_mention', { story: { url: 'javascript:alert(1)', expires_at: at } });
    expect(storyOf(m, at)?.url).toBeNull();
    expect(storyOf(msg('text', {}))).toBeNull();
  });
});
