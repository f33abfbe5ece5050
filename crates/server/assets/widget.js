/*!
 * Atende web-chat widget, v1.
 *
 * Embed with:
 *   <script src="https://HOST/widget/v1/widget.js" data-inbox="INBOX_ID" async></script>
 *
 * Self-contained (no dependencies, no build step). Everything renders inside an
 * open shadow root on an <atende-widget> element; the only global it touches is
 * window.AtendeWidget. Server and visitor data only ever reach the DOM through
 * textContent / attributes, never innerHTML.
 */
(() => {
  'use strict';
  if (window.AtendeWidget) return; // included twice

  /* ------------------------------------------------------------------ *
   * Configuration from the <script> tag
   * ------------------------------------------------------------------ */
  const SRC_RE = /\/widget\/v1\/widget\.js(?:[?#].*)?$/;
  const script = document.currentScript ||
    [...document.querySelectorAll('script[src]')].reverse().find((s) => SRC_RE.test(s.src));
  const ds = (script && script.dataset) || {};
  if (!ds.inbox) {
    console.warn('[Atende] widget: the data-inbox attribute is missing.');
    return;
  }
  const INBOX = ds.inbox;
  const API = new URL(script.src, location.href).origin + '/widget/v1';
  const PAGE = ds.mode === 'page';
  const LANG = /^pt/i.test(ds.lang || navigator.language || '') ? 'pt-BR' : 'en';
  const KEY = 'atende:widget:' + INBOX;

  /* ------------------------------------------------------------------ *
   * Strings (every visible text lives here)
   * ------------------------------------------------------------------ */
  const STRINGS = {
    'pt-BR': {
      chat: 'Conversar', placeholder: 'Envie uma mensagem…', send: 'Enviar',
      attach: 'Anexar arquivo', close: 'Fechar', start: 'Iniciar conversa',
      intro: 'Conte um pouco sobre você para começarmos.',
      name: 'Nome', email: 'E-mail', phone: 'Telefone', required: 'obrigatório',
      fieldRequired: 'Preencha este campo.', badEmail: 'Informe um e-mail válido.',
      badPhone: 'Informe um telefone válido, com DDD.',
      typing: 'digitando…', retry: 'Falha ao enviar. Tentar de novo',
      closed: 'Estamos fora do horário de atendimento', next: 'Próximo atendimento: ',
      newMessage: 'Nova mensagem', connecting: 'Conectando…',
      tooBig: (mb) => `Arquivo muito grande (máx. ${mb} MB)`,
      badType: 'Este tipo de arquivo não é aceito.',
      uploading: 'Enviando arquivo…', sending: 'Enviando…',
      unavailable: 'Arquivo indisponível', file: 'Arquivo', image: 'Imagem',
      loadEarlier: 'Carregar anteriores', sent: 'Enviada', delivered: 'Entregue',
      read: 'Lida', failed: 'Não entregue',
      unread: (n) => (n === 1 ? '1 nova mensagem' : `${n} novas mensagens`),
      network: 'Sem conexão. Verifique sua internet e tente de novo.',
      generic: 'Algo deu errado. Tente de novo.',
      kinds: { location: 'Localização', contacts: 'Contato', sticker: 'Figurinha' },
      unsupported: 'Mensagem',
      codes: {},
    },
    en: {
      chat: 'Chat', placeholder: 'Send a message…', send: 'Send',
      attach: 'Attach a file', close: 'Close', start: 'Start conversation',
      intro: 'Tell us a little about yourself to get started.',
      name: 'Name', email: 'Email', phone: 'Phone', required: 'required',
      fieldRequired: 'Please fill in this field.', badEmail: 'Please enter a valid email.',
      badPhone: 'Please enter a valid phone number.',
      typing: 'typing…', retry: 'Failed to send. Try again',
      closed: "We're currently closed", next: 'Next opening: ',
      newMessage: 'New message', connecting: 'Connecting…',
      tooBig: (mb) => `File too large (max. ${mb} MB)`,
      badType: 'This file type is not accepted.',
      uploading: 'Uploading file…', sending: 'Sending…',
      unavailable: 'File unavailable', file: 'File', image: 'Image',
      loadEarlier: 'Load earlier', sent: 'Sent', delivered: 'Delivered',
      read: 'Read', failed: 'Not delivered',
      unread: (n) => (n === 1 ? '1 new message' : `${n} new messages`),
      network: 'No connection. Check your internet and try again.',
      generic: 'Something went wrong. Please try again.',
      kinds: { location: 'Location', contacts: 'Contact', sticker: 'Sticker' },
      unsupported: 'Message',
      codes: {
        rate_limited: 'Too many messages in a short time. Please wait a moment.',
        media_not_accepted: 'This file type is not accepted.',
        payload_too_large: 'This file is too large.',
        bad_origin: 'This site may not use this chat.',
        forbidden: 'Messages cannot be sent in this conversation.',
        unauthorized: 'Your chat session expired. Please start again.',
        invalid: 'Please check what you entered.',
        internal: 'Something went wrong. Please try again.',
      },
    },
  };
  const T = STRINGS[LANG];

  /* ------------------------------------------------------------------ *
   * Styles
   * ------------------------------------------------------------------ */
  const CSS = `
:host{all:initial}
*,*::before,*::after{box-sizing:border-box}
[hidden]{display:none!important}
.root{--accent:#1f6feb;--on:#fff;--ink:#1f6feb;--line:#e6e8ec;--muted:#6b7280;--danger:#d1242f;
 font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 color:#1c2026;-webkit-font-smoothing:antialiased;text-align:left}
button,input,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus{outline:none}
:focus-visible{outline:2px solid var(--ink);outline-offset:2px}
svg{display:block;width:20px;height:20px}

.launcher{position:fixed;right:20px;bottom:20px;z-index:2147483000;width:60px;height:60px;padding:0;border:0;
 border-radius:50%;background:var(--accent);color:var(--on);display:grid;place-items:center;
 box-shadow:0 4px 14px rgba(0,0,0,.2),0 1px 3px rgba(0,0,0,.12);transition:transform .15s ease}
.launcher:hover{transform:scale(1.05)}
.launcher:focus-visible{outline-offset:3px}
.launcher .ic{grid-area:1/1;transition:transform .2s ease,opacity .2s ease}
.launcher svg{width:28px;height:28px}
.launcher .i-down,.is-open .launcher .i-chat{opacity:0;transform:rotate(-45deg) scale(.5)}
.is-open .launcher .i-down{opacity:1;transform:none}
.badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;
 background:#e5484d;color:#fff;font-size:12px;font-weight:600;line-height:22px;text-align:center;box-shadow:0 0 0 2px #fff}

.panel{position:fixed;right:20px;bottom:92px;z-index:2147483000;width:370px;height:560px;max-height:calc(100vh - 112px);
 display:flex;flex-direction:column;background:#fff;border-radius:16px;overflow:hidden;
 box-shadow:0 12px 48px rgba(0,0,0,.18),0 2px 8px rgba(0,0,0,.08);
 opacity:0;visibility:hidden;transform:translateY(12px) scale(.98);transform-origin:bottom right;
 transition:opacity .2s ease,transform .2s ease,visibility 0s linear .2s}
.panel.open{opacity:1;visibility:visible;transform:none;transition:opacity .2s ease,transform .2s ease}
.page .panel{inset:0;width:auto;height:auto;max-height:none;border-radius:0;box-shadow:none}
.page .close{display:none}

header{flex:none;display:flex;align-items:center;gap:8px;padding:14px 10px 14px 20px;background:var(--accent);color:var(--on)}
header h2{flex:1;margin:0;font-size:16px;font-weight:600;line-height:1.3;overflow-wrap:anywhere}
header :focus-visible{outline-color:var(--on)}
.icon-btn{flex:none;width:36px;height:36px;padding:0;border:0;border-radius:10px;background:none;color:inherit;display:grid;place-items:center}
.icon-btn:hover{background:rgba(127,127,127,.16)}
.banner{flex:none;padding:8px 20px;font-size:13px;background:#fff7e0;color:#5c4400;border-bottom:1px solid #f1e0ad}
.banner small{display:block;opacity:.85}
.conn{flex:none;padding:3px;font-size:12px;text-align:center;color:var(--muted);background:#f1f3f5}

.body{position:relative;flex:1;min-height:0;display:flex}
.scroll{flex:1;overflow-y:auto;overscroll-behavior:contain;padding:12px 16px 16px;background:#f7f8fa}
.page .scroll,.page .composer,.page .alert{padding-left:max(16px,calc(50% - 380px));padding-right:max(16px,calc(50% - 380px))}
.log{display:flex;flex-direction:column}
.more{display:block;margin:0 auto 4px;padding:4px 10px;border:0;border-radius:12px;background:none;color:var(--muted);font-size:12px;text-decoration:underline}
.pill{position:absolute;left:50%;bottom:10px;transform:translateX(-50%);padding:5px 12px;border:0;border-radius:14px;
 background:var(--accent);color:var(--on);font-size:12px;box-shadow:0 2px 8px rgba(0,0,0,.18)}

.msg{display:flex;flex-direction:column;align-items:flex-start;max-width:82%;margin-top:12px}
.msg.cont{margin-top:3px}
.msg.me{align-self:flex-end;align-items:flex-end}
.name{margin:0 0 3px 10px;font-size:12px;color:var(--muted)}
.cont .name{display:none}
.bubble{padding:8px 12px;border-radius:16px;border-bottom-left-radius:4px;background:#fff;border:1px solid var(--line);
 white-space:pre-wrap;overflow-wrap:anywhere}
.me .bubble{background:var(--accent);color:var(--on);border-color:transparent;border-radius:16px;border-bottom-right-radius:4px}
.bubble a{color:inherit;text-decoration:underline}
.bubble.muted{font-style:italic;color:var(--muted)}
.att{display:block;max-width:100%;margin-bottom:4px}
.att img,.att video{display:block;max-width:100%;max-height:240px;border-radius:12px;background:#eceef1}
audio.att{width:250px}
.file{display:flex;align-items:center;gap:8px;max-width:100%;margin-bottom:4px;padding:8px 12px;border-radius:12px;background:#fff;
 border:1px solid var(--line);color:inherit;text-decoration:none}
a.file:hover{border-color:#c9ced6}
.file span{min-width:0;overflow-wrap:anywhere}
.file small{display:block;color:var(--muted);font-size:12px}
.file.off{color:var(--muted)}
.meta{margin:3px 4px 0;font-size:11px;color:#8a919c}
.tick{margin-left:4px;letter-spacing:-3px}
.tick.read{color:var(--ink)}
.pending .bubble,.pending .file{opacity:.65}
.failed .bubble,.failed .file{box-shadow:0 0 0 1.5px var(--danger)}
.err{display:block;color:var(--danger)}
.retry{padding:0;border:0;background:none;color:var(--danger);font-size:12px;text-decoration:underline}
.choices{display:flex;flex-wrap:wrap;gap:6px;margin-top:6px}
.choice{padding:6px 12px;border:1px solid var(--ink);border-radius:16px;background:#fff;color:var(--ink);text-align:left}
.choice:hover:not(:disabled){background:var(--accent);border-color:var(--accent);color:var(--on)}
.choice:disabled{opacity:.45;cursor:default}
.choice small{display:block;font-size:12px;opacity:.8}

.typing{display:inline-flex;align-items:center;gap:8px;margin-top:12px;padding:8px 12px;border-radius:16px;border-bottom-left-radius:4px;
 background:#fff;border:1px solid var(--line);color:var(--muted);font-size:12px}
.dots{display:flex;gap:3px}
.dots i{width:6px;height:6px;border-radius:50%;background:currentColor;animation:blink 1.2s infinite ease-in-out}
.dots i:nth-child(2){animation-delay:.15s}.dots i:nth-child(3){animation-delay:.3s}
@keyframes blink{0%,80%,100%{opacity:.25}40%{opacity:1}}

.prechat{display:grid;gap:12px;margin-top:12px;padding:16px;border-radius:12px;background:#fff;border:1px solid var(--line)}
.prechat p{margin:0;color:#3d4450}
.field{display:grid;gap:4px}
label{font-size:13px;font-weight:600}
.req{font-weight:400;color:var(--muted)}
input{width:100%;height:38px;padding:0 10px;border:1px solid #cfd4db;border-radius:8px;background:#fff}
input:focus-visible{outline-offset:0;border-color:var(--ink)}
input[aria-invalid=true]{border-color:var(--danger)}
.ferr{font-size:12px;color:var(--danger)}
.primary{height:40px;border:0;border-radius:8px;background:var(--accent);color:var(--on);font-weight:600}
.primary:disabled{opacity:.6;cursor:default}

.alert{flex:none;margin:0;padding:8px 16px;font-size:13px;background:#fdecec;color:#9f1c24}
.composer{flex:none;display:flex;align-items:flex-end;gap:2px;padding:8px;border-top:1px solid #eceef1;background:#fff}
textarea{flex:1;min-width:0;height:40px;max-height:120px;padding:9px 12px;border:0;border-radius:20px;background:#f1f3f5;line-height:22px;resize:none}
textarea:focus-visible{outline-offset:0;background:#fff}
textarea::placeholder{color:#8a919c}
.composer .icon-btn{width:40px;height:40px;border-radius:50%;color:#5b6270}
.composer .send{color:var(--ink)}

@media (max-width:480px){
 .panel{inset:0;width:100%;height:100%;max-height:none;border-radius:0}
 .is-open .launcher{display:none}
 input,textarea{font-size:16px}
}
@media (prefers-reduced-motion:reduce){*{transition:none!important;animation:none!important}}
`;

  /* Constant inline SVG icons (the only innerHTML in this file). */
  const SVG = (body, fill) =>
    `<svg viewBox="0 0 24 24" fill="${fill ? 'currentColor' : 'none'}" stroke="${fill ? 'none' : 'currentColor'}" ` +
    `stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">${body}</svg>`;
  const ICONS = {
    chat: SVG('<path d="M12 3C6.48 3 2 6.92 2 11.75c0 2.48 1.18 4.72 3.08 6.31l-.7 3.2c-.1.48.4.87.85.65l3.7-1.83c.97.28 2 .42 3.07.42 5.52 0 10-3.92 10-8.75S17.52 3 12 3z"/>', true),
    down: SVG('<path d="M6 9l6 6 6-6"/>'),
    close: SVG('<path d="M6 6l12 12M18 6L6 18"/>'),
    clip: SVG('<path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48"/>'),
    send: SVG('<path d="M3.4 20.4l17.45-7.48a1 1 0 0 0 0-1.84L3.4 3.6a1 1 0 0 0-1.39.91L2 9.12c0 .5.37.93.87.99L17 12 2.87 13.88c-.5.07-.87.5-.87 1l.01 4.61c0 .71.73 1.2 1.39.91z"/>', true),
    file: SVG('<path d="M14 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V8z"/><path d="M14 2v6h6"/>'),
  };

  /* ------------------------------------------------------------------ *
   * Small helpers
   * ------------------------------------------------------------------ */

  /** Builds an element. Strings in `kids` become text nodes (XSS-safe). */
  function h(tag, props, ...kids) {
    const el = document.createElement(tag);
    for (const k in props || {}) {
      const v = props[k];
      if (v == null || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
      else el.setAttribute(k, v === true ? '' : v);
    }
    for (const c of kids.flat()) if (c != null && c !== false && c !== '') el.append(c);
    return el;
  }
  function icon(name, cls) {
    const s = h('span', { class: 'ic ' + (cls || ''), 'aria-hidden': 'true' });
    s.innerHTML = ICONS[name]; // constant markup only
    return s;
  }
  const enc = encodeURIComponent;
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const pad = (n) => String(n).padStart(2, '0');
  const clean = (o) => {
    for (const k in o) if (o[k] == null || o[k] === '') delete o[k];
    return o;
  };
  function uuid() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const b = new Uint8Array(16);
    if (crypto.getRandomValues) crypto.getRandomValues(b);
    else for (let i = 0; i < 16; i++) b[i] = (Math.random() * 256) | 0;
    b[6] = (b[6] & 15) | 64; // version 4
    b[8] = (b[8] & 63) | 128; // variant
    const x = [...b].map((v) => v.toString(16).padStart(2, '0')).join('');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }
  const ms = (t) => Date.parse(String(t || '').replace(/(\.\d{3})\d+/, '$1')) || 0;
  const hhmm = (t) => {
    const d = new Date(ms(t));
    return isNaN(d) || !ms(t) ? '' : `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const num = (n, digits) => n.toLocaleString(LANG, { maximumFractionDigits: digits });
  function fmtSize(n) {
    if (typeof n !== 'number') return '';
    if (n < 1024) return n + ' B';
    if (n < 1048576) return num(n / 1024, 0) + ' KB';
    return num(n / 1048576, 1) + ' MB';
  }
  /** Only http(s)/blob URLs reach href/src; relative ones resolve against the API. */
  function safeUrl(u) {
    try {
      const x = new URL(u, API);
      return u && /^(https?|blob):$/.test(x.protocol) ? x.href : null;
    } catch (_) {
      return null;
    }
  }
  /** Text with http(s) URLs turned into safe links (array of nodes/strings). */
  function linkify(text) {
    const out = [];
    let last = 0;
    for (const m of text.matchAll(/\bhttps?:\/\/[^\s<>"]+/gi)) {
      const url = m[0].replace(/[.,;:!?)\]}'"]+$/, ''); // trailing punctuation stays text
      out.push(text.slice(last, m.index), h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, url));
      last = m.index + url.length;
    }
    out.push(text.slice(last));
    return out;
  }
  /** Readable colours for a hex accent: text on it, and an "ink" usable on white. */
  function palette(hex) {
    let c = hex.slice(1);
    if (c.length < 6) c = [...c.slice(0, 3)].map((x) => x + x).join('');
    const lin = (i) => {
      const v = parseInt(c.slice(i, i + 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    };
    const L = 0.2126 * lin(0) + 0.7152 * lin(2) + 0.0722 * lin(4);
    const onWhite = 1.05 / (L + 0.05);
    return { on: onWhite >= (L + 0.05) / 0.05 ? '#fff' : '#111', ink: onWhite >= 3 ? '#' + c.slice(0, 6) : '#1c2026' };
  }

  /* localStorage with an in-memory fallback (private mode, blocked storage). */
  let memory = null;
  const store = {
    get() {
      try {
        const v = localStorage.getItem(KEY);
        return v ? JSON.parse(v) : null;
      } catch (_) {
        return memory;
      }
    },
    set(v) {
      memory = v;
      try {
        if (v) localStorage.setItem(KEY, JSON.stringify(v));
        else localStorage.removeItem(KEY);
      } catch (_) { /* memory only */ }
    },
  };
  const validSession = (s) => (s && typeof s.session_token === 'string' && s.conversation_id ? s : null);

  /* ------------------------------------------------------------------ *
   * HTTP
   * ------------------------------------------------------------------ */
  class ApiError extends Error {
    constructor(status, body) {
      const e = (body && body.error) || {};
      // The server words its errors in pt-BR: other languages get their
      // own words for the ones a visitor meets.
      const own = LANG === 'pt-BR' ? null : T.codes[e.code];
      super(own || e.message || (status ? T.generic : T.network));
      this.status = status;
      this.code = e.code;
    }
  }
  async function api(method, path, body, token) {
    const headers = {};
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = 'Bearer ' + token;
    let res;
    try {
      res = await fetch(API + path, {
        method, headers, credentials: 'omit', body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (_) {
      throw new ApiError(0);
    }
    let data = null;
    try {
      data = await res.json();
    } catch (_) { /* empty or non-JSON body */ }
    if (!res.ok) throw new ApiError(res.status, data);
    return data;
  }
  /** Authenticated call; a 401 adopts a token refreshed by another tab or drops the session. */
  async function authed(method, path, body, retried) {
    const s = S.session;
    if (!s) throw new ApiError(401);
    try {
      return await api(method, path, body, s.session_token);
    } catch (e) {
      if (e.status !== 401) throw e;
      if (!retried && adoptStored()) return authed(method, path, body, true);
      resetSession();
      throw e;
    }
  }
  /** Raw upload with progress (XHR: fetch has no upload progress). */
  function uploadFile(file, onProgress) {
    return new Promise((resolve, reject) => {
      const x = new XMLHttpRequest();
      x.open('POST', `${API}/conversations/${enc(S.session.conversation_id)}/uploads?filename=${enc(file.name)}`);
      x.setRequestHeader('Authorization', 'Bearer ' + S.session.session_token);
      x.setRequestHeader('Content-Type', file.type || 'application/octet-stream');
      x.upload.onprogress = (e) => e.lengthComputable && onProgress(e.loaded / e.total);
      x.onload = () => {
        let d = null;
        try {
          d = JSON.parse(x.responseText);
        } catch (_) { /* ignore */ }
        if (x.status >= 200 && x.status < 300 && d) return resolve(d);
        if (x.status === 401) resetSession();
        reject(new ApiError(x.status, d));
      };
      x.onerror = () => reject(new ApiError(0));
      x.send(file);
    });
  }

  /* ------------------------------------------------------------------ *
   * State
   * ------------------------------------------------------------------ */
  const S = {
    settings: null,
    session: null, // {session_token, conversation_id, contact_id}
    ready: Promise.resolve(), // pending session refresh
    creating: null, // pending lazy contact creation
    identity: { identifier: ds.userId, identifier_hash: ds.userHash, name: ds.name, email: ds.email },
    msgs: [], // server messages + local (unsent) ones, sorted by sortCmp
    hasMore: false,
    historyLoaded: false,
    loading: null,
    wantOpen: ds.open === 'true' || PAGE,
    open: false,
    unread: 0,
    stick: true, // scrolled to the bottom
    ws: null,
    wsUp: false,
    wsTries: 0,
    wsTimer: 0,
    pingTimer: 0,
    connTimer: 0,
    lastSeen: 0,
    lastRead: null,
    typingOn: false,
    typingAt: 0,
    typingIdle: 0,
    agentTyping: 0,
  };
  const U = {}; // DOM references
  const nodes = new Map(); // message key -> {m, v, el}
  const conv = () => enc(S.session.conversation_id);

  /* ------------------------------------------------------------------ *
   * Session
   * ------------------------------------------------------------------ */
  const contactBody = (extra) => {
    const i = S.identity;
    return clean({ name: i.name, email: i.email, identifier: i.identifier, identifier_hash: i.identifier_hash, ...extra });
  };
  const prechatFields = () => {
    const p = (S.settings && S.settings.prechat) || {};
    return ['name', 'email', 'phone'].filter((k) => p[k] && p[k] !== 'off');
  };
  const needsPrechat = () => !S.session && prechatFields().length > 0;

  function setSession(d) {
    const next = { session_token: d.session_token, conversation_id: d.conversation_id, contact_id: d.contact_id };
    const prevConv = S.session && S.session.conversation_id;
    S.session = next;
    store.set(next);
    if (prevConv !== next.conversation_id) {
      // A new conversation: keep only unsent local messages.
      disconnect();
      S.msgs = S.msgs.filter((m) => !m.id);
      S.historyLoaded = S.hasMore = false;
      S.lastRead = null;
      if (S.open) loadHistory();
    }
    connect();
    updateMode();
  }
  /** Session invalid (401 / close 4401): forget it and start over. */
  function resetSession() {
    disconnect();
    S.session = null;
    store.set(null);
    S.msgs = S.msgs.filter((m) => !m.id);
    S.historyLoaded = S.hasMore = false;
    if (U.panel) {
      updateMode();
      render();
    }
  }
  /** Another tab may have refreshed the token; use it if so. */
  function adoptStored() {
    const st = validSession(store.get());
    if (!st || !S.session || st.session_token === S.session.session_token) return false;
    setSession(st);
    return true;
  }
  function refreshSession() {
    S.ready = (async () => {
      try {
        setSession(await api('POST', `/inboxes/${enc(INBOX)}/contacts`,
          contactBody({ session_token: S.session.session_token })));
      } catch (e) {
        if (e.status === 401) resetSession();
        else connect(); // keep the stored token; it may still be valid
      }
    })();
  }
  async function createContact(fields) {
    setSession(await api('POST', `/inboxes/${enc(INBOX)}/contacts`, contactBody(fields)));
  }
  /** Makes sure a session exists, creating the contact lazily when there is no pre-chat form. */
  async function ensureSession() {
    await S.ready;
    if (S.session) return;
    if (needsPrechat()) throw new ApiError(401);
    await (S.creating = S.creating || createContact({}).finally(() => (S.creating = null)));
  }

  /* ------------------------------------------------------------------ *
   * Messages: merge, history, sending
   * ------------------------------------------------------------------ */
  const RANK = { queued: 0, sent: 1, delivered: 2, read: 3 };
  const keyOf = (m) => (m.client_message_id ? 'c:' + m.client_message_id : 'i:' + m.id);
  /** Order: server messages by created_at then id; unsent local ones last. */
  function sortCmp(a, b) {
    return (!a.id - !b.id) || (ms(a.created_at) - ms(b.created_at)) ||
      (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  }
  /** Inserts or replaces a server message (dedupe by id and client_message_id). Returns true if new. */
  function upsert(m) {
    if (!m || !m.id) return false;
    if (m.conversation_id && S.session && m.conversation_id !== S.session.conversation_id) return false;
    const i = S.msgs.findIndex((x) => x.id === m.id || (m.client_message_id && x.client_message_id === m.client_message_id));
    if (i < 0) {
      S.msgs.push(m);
      return true;
    }
    const old = S.msgs[i];
    if ((RANK[old.status] || 0) > (RANK[m.status] || 0)) m = { ...m, status: old.status };
    S.msgs[i] = m;
    return false;
  }
  const touch = (m) => (m._v = (m._v || 0) + 1);

  function loadHistory(before) {
    if (S.loading) return S.loading;
    S.loading = (async () => {
      try {
        await S.ready;
        if (!S.session) return;
        const d = await authed('GET', `/conversations/${conv()}/messages?limit=50` + (before ? '&before=' + enc(before) : ''));
        (d.messages || []).forEach(upsert);
        if (before || !S.historyLoaded) S.hasMore = !!d.has_more;
        S.historyLoaded = true;
        render(before ? { keepPos: true } : {});
      } catch (e) {
        showError(e.message);
      } finally {
        S.loading = null;
      }
    })();
    return S.loading;
  }
  function loadEarlier() {
    const oldest = S.msgs.find((m) => m.id);
    if (oldest) loadHistory(oldest.id);
  }

  /** Sends a new visitor message, shown optimistically. */
  function sendNew({ text, reply, file }) {
    stopTyping();
    hideError();
    const m = {
      id: null, _local: true, client_message_id: uuid(), sender: 'contact',
      kind: file ? (file.type.split('/')[0] || 'document') : 'text', text: text || null,
      attachments: file ? [{ name: file.name, mime: file.type, size: file.size }] : [],
      buttons: [], status: 'queued', created_at: new Date().toISOString(), _reply: reply, _file: file,
    };
    S.msgs.push(m);
    S.stick = true;
    deliver(m);
  }
  /** (Re)posts a local message; retries reuse the same client_message_id. */
  async function deliver(m) {
    m._state = 'pending';
    m._error = null;
    touch(m);
    render();
    try {
      await ensureSession();
      if (m._file && !m._upload) {
        m._progress = 0;
        const up = await uploadFile(m._file, (p) => {
          m._progress = p;
          touch(m);
          render();
        });
        m._upload = up.upload_id;
      }
      const body = { client_message_id: m.client_message_id, text: m.text || '' };
      if (m._reply) body.reply_id = m._reply;
      if (m._upload) body.attachments = [{ upload_id: m._upload }];
      upsert(await authed('POST', `/conversations/${conv()}/messages`, body));
    } catch (e) {
      if (!S.msgs.includes(m)) return; // already replaced by the server's copy
      m._state = 'failed';
      m._error = e.message;
      m._progress = null;
      touch(m);
    }
    render();
  }
  function choose(m, b) {
    m._answered = true;
    sendNew({ text: b.title, reply: b.id });
  }

  /* ------------------------------------------------------------------ *
   * WebSocket
   * ------------------------------------------------------------------ */
  function connect() {
    clearTimeout(S.wsTimer);
    if (!S.session || S.ws) return;
    const ws = new WebSocket(API.replace(/^http/, 'ws') + `/conversations/${conv()}/stream`);
    const token = S.session.session_token;
    S.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({ type: 'auth', token }));
    ws.onmessage = (e) => S.ws === ws && onFrame(e.data);
    ws.onclose = (e) => lost(ws, e.code);
  }
  /** Socket gone: 4401 drops the session, anything else reconnects with backoff + jitter. */
  function lost(ws, code) {
    if (S.ws !== ws) return; // superseded
    S.ws = null;
    clearInterval(S.pingTimer);
    setUp(false);
    if (code === 4401) return adoptStored() || resetSession();
    const base = Math.min(30000, 1000 * 2 ** S.wsTries++);
    S.wsTimer = setTimeout(connect, base / 2 + Math.random() * base / 2);
  }
  function disconnect() {
    const ws = S.ws;
    S.ws = null;
    clearTimeout(S.wsTimer);
    clearInterval(S.pingTimer);
    setUp(false);
    if (ws) ws.close(1000);
  }
  function wsSend(o) {
    if (!S.wsUp || !S.ws || S.ws.readyState !== 1) return false;
    S.ws.send(JSON.stringify(o));
    return true;
  }
  function onFrame(data) {
    let f;
    try {
      f = JSON.parse(data);
    } catch (_) {
      return;
    }
    S.lastSeen = Date.now();
    if (f.type === 'hello') {
      S.wsTries = 0;
      setUp(true);
      clearInterval(S.pingTimer);
      const ws = S.ws;
      S.pingTimer = setInterval(() => {
        if (Date.now() - S.lastSeen > 50000) { // no pong for too long: treat as dead
          ws.close();
          lost(ws);
        } else wsSend({ type: 'ping' });
      }, 20000);
      if (S.historyLoaded) loadHistory(); // catch up on anything missed while away
      markRead();
    } else if (f.type === 'message.created' && f.message) {
      const m = f.message;
      const isNew = upsert(m);
      const them = m.sender !== 'contact';
      if (them) showTyping(false);
      if (isNew && them && !S.open) setUnread(S.unread + 1);
      render({ incoming: isNew && them });
    } else if (f.type === 'message.status') {
      const i = S.msgs.findIndex((m) => m.id === f.id);
      const old = S.msgs[i];
      if (old && (f.status === 'failed' || (RANK[f.status] || 0) > (RANK[old.status] || 0))) {
        S.msgs[i] = { ...old, status: f.status };
        // Read covers every earlier message of the same side.
        if (f.status === 'read') {
          S.msgs.forEach((m, j) => {
            if (m.id && m.sender === old.sender && m.status !== 'failed' && (RANK[m.status] || 0) < RANK.read &&
                ms(m.created_at) <= ms(old.created_at)) S.msgs[j] = { ...m, status: 'read' };
          });
        }
        render();
      }
    } else if (f.type === 'typing' && f.sender !== 'contact') {
      showTyping(!!f.on);
    }
  }
  /** Connection state; "Connecting…" only shows after a short grace period. */
  function setUp(up) {
    S.wsUp = up;
    clearTimeout(S.connTimer);
    if (!U.conn) return;
    if (up) U.conn.hidden = true;
    else S.connTimer = setTimeout(() => (U.conn.hidden = !S.session || S.wsUp), 1500);
  }

  /* Visitor typing: on:true at most every 3 s, on:false after 4 s idle or on send. */
  function onTyping() {
    if (!U.input.value.trim()) return stopTyping();
    const now = Date.now();
    if (now - S.typingAt > 3000 && wsSend({ type: 'typing', on: true })) {
      S.typingAt = now;
      S.typingOn = true;
    }
    clearTimeout(S.typingIdle);
    S.typingIdle = setTimeout(stopTyping, 4000);
  }
  function stopTyping() {
    clearTimeout(S.typingIdle);
    if (S.typingOn) wsSend({ type: 'typing', on: false });
    S.typingOn = false;
    S.typingAt = 0;
  }
  function showTyping(on) {
    clearTimeout(S.agentTyping);
    if (!U.typing) return;
    U.typing.hidden = !on;
    if (on) {
      S.agentTyping = setTimeout(() => showTyping(false), 6000);
      if (S.stick) toBottom();
    }
  }
  /** Tells the server what the visitor has seen (panel open and page visible). */
  function markRead() {
    if (!S.open || document.visibilityState !== 'visible' || !S.wsUp) return;
    for (let i = S.msgs.length - 1; i >= 0; i--) {
      const m = S.msgs[i];
      if (m.id && m.sender !== 'contact') {
        if (m.id !== S.lastRead && wsSend({ type: 'read', up_to: m.id })) S.lastRead = m.id;
        return;
      }
    }
  }

  /* ------------------------------------------------------------------ *
   * Rendering
   * ------------------------------------------------------------------ */
  function attNode(a, m) {
    const name = a.name || T.file;
    const mime = a.mime || '';
    const url = safeUrl(a.url);
    const size = fmtSize(a.size);
    if (m._local || !url) {
      return h('div', { class: 'file' + (m._local ? '' : ' off') }, icon('file'),
        h('span', {}, name, h('small', {}, m._local ? size : T.unavailable)));
    }
    const link = { href: url, target: '_blank', rel: 'noopener noreferrer' };
    if (/^image\//.test(mime) || (!mime && /^(image|sticker)$/.test(m.kind))) {
      const img = h('img', { src: url, alt: a.name || T.image, loading: 'lazy' });
      img.onload = () => S.stick && toBottom();
      return h('a', { class: 'att', ...link }, img);
    }
    if (/^audio\//.test(mime)) return h('audio', { class: 'att', controls: true, preload: 'metadata', src: url });
    if (/^video\//.test(mime)) {
      return h('span', { class: 'att' }, h('video', { controls: true, playsinline: true, preload: 'metadata', src: url }));
    }
    return h('a', { class: 'file', ...link }, icon('file'), h('span', {}, name, size && h('small', {}, size)));
  }
  function metaNode(m) {
    if (m._state === 'failed') {
      return h('div', { class: 'meta' },
        m._error && m._error !== T.generic && h('span', { class: 'err' }, m._error),
        h('button', { type: 'button', class: 'retry', 'data-testid': 'atende-retry', onclick: () => deliver(m) }, T.retry));
    }
    if (m._state === 'pending') {
      const p = m._progress;
      return h('div', { class: 'meta' }, p != null ? `${T.uploading} ${Math.round(p * 100)}%` : T.sending);
    }
    let tick = null;
    if (m.sender === 'contact' && m.status in RANK && m.status !== 'queued') {
      const read = m.status === 'read';
      tick = h('span', { class: 'tick' + (read ? ' read' : ''), title: T[m.status], 'aria-label': T[m.status] }, read ? '✓✓' : '✓');
    } else if (m.sender === 'contact' && m.status === 'failed') {
      tick = h('span', { class: 'err' }, T.failed);
    }
    return h('div', { class: 'meta' }, hhmm(m.created_at), tick);
  }
  function msgNode(m) {
    const me = m.sender === 'contact';
    const atts = m.attachments || [];
    const buttons = m.buttons || [];
    return h('div', {
      class: `msg ${me ? 'me' : 'them'} ${m._state || ''}`, 'data-testid': 'atende-message',
      'data-sender': m.sender, 'data-id': m.id || '', 'data-client-id': m.client_message_id,
    },
    !me && m.author_name && h('div', { class: 'name' }, m.author_name),
    atts.map((a) => attNode(a, m)),
    m.text ? h('div', { class: 'bubble' }, linkify(m.text))
      : !atts.length && h('div', { class: 'bubble muted' }, T.kinds[m.kind] || T.unsupported),
    buttons.length > 0 && h('div', { class: 'choices', role: 'group' }, buttons.map((b) =>
      h('button', { type: 'button', class: 'choice', 'data-testid': 'atende-choice', 'data-id': b.id, onclick: () => choose(m, b) },
        b.title, b.description && h('small', {}, b.description)))),
    metaNode(m));
  }
  /** Syncs the log with S.msgs, reusing unchanged nodes. */
  function render(opt = {}) {
    if (!U.log) return;
    const sc = U.scroll;
    const prevH = sc.scrollHeight;
    const prevTop = sc.scrollTop;
    S.msgs.sort(sortCmp);
    const keys = new Set(S.msgs.map(keyOf));
    for (const [k, c] of nodes) {
      if (!keys.has(k)) {
        c.el.remove();
        nodes.delete(k);
      }
    }
    const last = S.msgs.length - 1;
    S.msgs.forEach((m, i) => {
      const k = keyOf(m);
      let c = nodes.get(k);
      if (!c || c.m !== m || c.v !== m._v) {
        const el = msgNode(m);
        if (c) c.el.replaceWith(el);
        nodes.set(k, (c = { m, v: m._v, el }));
      }
      const el = c.el;
      if (U.log.children[i] !== el) U.log.insertBefore(el, U.log.children[i] || null);
      const prev = S.msgs[i - 1];
      el.classList.toggle('cont', !!prev && prev.sender === m.sender && prev.author_name === m.author_name);
      // Flow buttons are live only on the latest message of the thread.
      for (const b of el.querySelectorAll('.choice')) b.disabled = i !== last || !!m._answered;
    });
    U.more.hidden = !S.hasMore;
    if (opt.keepPos) sc.scrollTop = sc.scrollHeight - prevH + prevTop;
    else if (S.stick) toBottom();
    else if (opt.incoming) U.pill.hidden = false;
    markRead();
  }
  function toBottom() {
    U.scroll.scrollTop = U.scroll.scrollHeight;
    U.pill.hidden = true;
  }
  function setUnread(n) {
    S.unread = n;
    if (!U.launcher) return;
    const title = S.settings.title || T.chat;
    U.badge.hidden = !n;
    U.badge.textContent = n > 9 ? '9+' : String(n);
    U.badge.setAttribute('aria-label', T.unread(n));
    U.launcher.setAttribute('aria-label', n ? `${title} (${T.unread(n)})` : title);
    if (n) U.launcher.title = T.unread(n);
    else U.launcher.removeAttribute('title');
  }
  let errTimer = 0;
  function showError(msg) {
    if (!U.alert) return;
    U.alert.textContent = msg;
    U.alert.hidden = false;
    clearTimeout(errTimer);
    errTimer = setTimeout(hideError, 8000);
  }
  function hideError() {
    if (U.alert) U.alert.hidden = true;
  }
  /** Pre-chat form or composer, depending on the session. */
  function updateMode() {
    if (!U.panel) return;
    const pre = needsPrechat();
    if (pre && !U.form) buildPrechat();
    if (U.form) U.form.hidden = !pre;
    U.composer.hidden = pre;
  }
  function focusFirst() {
    const el = needsPrechat() ? U.form.querySelector('input') : U.input;
    if (el) el.focus({ preventScroll: true });
  }

  /* ------------------------------------------------------------------ *
   * Open / close
   * ------------------------------------------------------------------ */
  function open(focus = true) {
    S.wantOpen = true;
    if (!U.panel || S.open) return;
    S.open = true;
    U.root.classList.add('is-open');
    U.panel.classList.add('open');
    U.launcher.setAttribute('aria-expanded', 'true');
    setUnread(0);
    updateMode();
    if (S.session && !S.historyLoaded) loadHistory();
    toBottom();
    if (focus) focusFirst();
    markRead();
  }
  function close(refocus) {
    S.wantOpen = false;
    if (!U.panel || !S.open || PAGE) return;
    const hadFocus = U.panel.contains(U.shadow.activeElement);
    S.open = false;
    U.root.classList.remove('is-open');
    U.panel.classList.remove('open');
    U.launcher.setAttribute('aria-expanded', 'false');
    stopTyping();
    if (refocus || hadFocus) U.launcher.focus();
  }
  const toggle = () => (S.open ? close(true) : open());

  /* ------------------------------------------------------------------ *
   * Building the UI
   * ------------------------------------------------------------------ */
  function buildPrechat() {
    const pc = S.settings.prechat;
    const types = { name: ['text', 'name'], email: ['email', 'email'], phone: ['tel', 'tel'] };
    const prefill = { name: S.identity.name, email: S.identity.email };
    U.form = h('form', { class: 'prechat', 'data-testid': 'atende-prechat', novalidate: true, onsubmit: submitPrechat },
      h('p', {}, T.intro),
      prechatFields().map((k) => {
        const req = pc[k] === 'required';
        const input = h('input', {
          id: 'f-' + k, name: k, type: types[k][0], autocomplete: types[k][1], required: req,
          'aria-describedby': 'e-' + k, 'data-testid': 'atende-prechat-' + k,
        });
        input.value = prefill[k] || '';
        input.oninput = () => fieldError(input, null);
        return h('div', { class: 'field' },
          h('label', { for: 'f-' + k }, T[k], req && h('span', { class: 'req' }, ` (${T.required})`)),
          input, h('div', { class: 'ferr', id: 'e-' + k, hidden: true }));
      }),
      h('button', { type: 'submit', class: 'primary', 'data-testid': 'atende-prechat-submit' }, T.start));
    U.log.after(U.form);
  }
  function fieldError(input, msg) {
    const box = U.form.querySelector('#e-' + input.name);
    box.textContent = msg || '';
    box.hidden = !msg;
    if (msg) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  async function submitPrechat(e) {
    e.preventDefault();
    const values = {};
    let firstBad = null;
    for (const input of U.form.querySelectorAll('input')) {
      const v = input.value.trim();
      let err = null;
      if (!v) err = input.required ? T.fieldRequired : null;
      else if (input.name === 'email' && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v)) err = T.badEmail;
      else if (input.name === 'phone' && v.replace(/\D/g, '').length < 8) err = T.badPhone;
      fieldError(input, err);
      if (err && !firstBad) firstBad = input;
      values[input.name] = v;
    }
    if (firstBad) return firstBad.focus();
    const btn = U.form.querySelector('button');
    btn.disabled = true;
    hideError();
    try {
      await createContact(values); // also loads any existing history (verified contacts)
      U.input.focus();
    } catch (err) {
      showError(err.message);
    } finally {
      btn.disabled = false;
    }
  }
  function onFile() {
    const f = U.file.files[0];
    U.file.value = '';
    if (!f) return;
    const max = S.settings.max_file_bytes;
    if (max && f.size > max) return showError(T.tooBig(num(max / 1048576, 1)));
    if (!accepts(f)) return showError(T.badType);
    const text = U.input.value.trim();
    U.input.value = '';
    autosize();
    sendNew({ text, file: f });
  }
  /** Client-side check against accepted_files ("image/*", "application/pdf", ".docx"). */
  function accepts(f) {
    const list = S.settings.accepted_files;
    const type = (f.type || '').toLowerCase();
    if (!list.length || !type) return true; // unknown type: let the server decide
    return list.some((p) => {
      p = p.toLowerCase();
      if (p[0] === '.') return f.name.toLowerCase().endsWith(p);
      return p.endsWith('/*') ? type.startsWith(p.slice(0, -1)) : type === p;
    });
  }
  function autosize() {
    const ta = U.input;
    ta.style.height = '';
    ta.style.height = Math.min(ta.scrollHeight, 120) + 'px';
  }
  function submitComposer(e) {
    e.preventDefault();
    const text = U.input.value.trim();
    if (!text) return;
    U.input.value = '';
    autosize();
    sendNew({ text });
    U.input.focus();
  }
  function fmtOpening(s) {
    const t = /^\d{4}-\d\d-\d\dT/.test(s) && ms(s);
    return t ? new Date(t).toLocaleString(LANG, { weekday: 'long', hour: '2-digit', minute: '2-digit' }) : s;
  }

  function build() {
    const st = S.settings;
    const host = document.createElement('atende-widget');
    const shadow = (U.shadow = host.attachShadow({ mode: 'open' }));
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      shadow.adoptedStyleSheets = [sheet];
    } catch (_) {
      shadow.append(h('style', {}, CSS));
    }
    const pal = palette(st.color);
    const title = st.title || T.chat;

    U.launcher = h('button', {
      type: 'button', class: 'launcher', 'data-testid': 'atende-launcher', 'aria-label': title,
      'aria-expanded': 'false', 'aria-controls': 'panel', onclick: toggle,
    }, icon('chat', 'i-chat'), icon('down', 'i-down'),
    (U.badge = h('span', { class: 'badge', 'data-testid': 'atende-unread', hidden: true })));

    U.more = h('button', { type: 'button', class: 'more', hidden: true, onclick: loadEarlier }, T.loadEarlier);
    U.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-label': title, 'data-testid': 'atende-messages' });
    U.typing = h('div', { class: 'typing', 'data-testid': 'atende-typing', hidden: true },
      h('span', { class: 'dots', 'aria-hidden': 'true' }, h('i'), h('i'), h('i')), T.typing);
    U.scroll = h('div', {
      class: 'scroll',
      onscroll: () => {
        const sc = U.scroll;
        S.stick = sc.scrollHeight - sc.scrollTop - sc.clientHeight < 80;
        if (S.stick) U.pill.hidden = true;
      },
    }, U.more,
    st.greeting && h('div', { class: 'msg them', 'data-testid': 'atende-greeting' }, h('div', { class: 'bubble' }, linkify(st.greeting))),
    U.log, U.typing);
    U.pill = h('button', { type: 'button', class: 'pill', hidden: true, onclick: toBottom }, T.newMessage + ' ↓');

    U.file = h('input', {
      type: 'file', hidden: true, tabindex: '-1', 'aria-hidden': 'true', 'data-testid': 'atende-file',
      accept: st.accepted_files.join(',') || null, onchange: onFile,
    });
    U.input = h('textarea', {
      rows: '1', placeholder: T.placeholder, 'aria-label': T.placeholder, 'data-testid': 'atende-composer',
      oninput: () => (autosize(), onTyping()),
      onkeydown: (e) => {
        if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) submitComposer(e);
      },
    });
    U.composer = h('form', { class: 'composer', onsubmit: submitComposer },
      h('button', {
        type: 'button', class: 'icon-btn', 'aria-label': T.attach, title: T.attach, 'data-testid': 'atende-attach',
        onclick: () => U.file.click(),
      }, icon('clip')),
      U.input,
      h('button', { type: 'submit', class: 'icon-btn send', 'aria-label': T.send, title: T.send, 'data-testid': 'atende-send' }, icon('send')),
      U.file);

    U.conn = h('div', { class: 'conn', role: 'status', hidden: true }, T.connecting);
    U.alert = h('div', { class: 'alert', role: 'alert', hidden: true });
    U.panel = h('div', {
      id: 'panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-label': title, 'data-testid': 'atende-panel',
    },
    h('header', {}, h('h2', {}, title),
      h('button', { type: 'button', class: 'icon-btn close', 'aria-label': T.close, title: T.close, 'data-testid': 'atende-close', onclick: () => close(true) },
        icon('close'))),
    !st.open && h('div', { class: 'banner', role: 'status', 'data-testid': 'atende-closed' },
      st.closed_message || T.closed, st.next_opening && h('small', {}, T.next + fmtOpening(st.next_opening))),
    U.conn,
    h('div', { class: 'body' }, U.scroll, U.pill),
    U.alert,
    U.composer);

    U.root = h('div', { class: 'root' + (PAGE ? ' page' : ''), lang: LANG }, PAGE ? null : U.launcher, U.panel);
    U.root.style.setProperty('--accent', st.color);
    U.root.style.setProperty('--on', pal.on);
    U.root.style.setProperty('--ink', pal.ink);
    U.root.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && S.open && !PAGE) {
        e.stopPropagation();
        close(true);
      }
    });
    shadow.append(U.root);
    document.body.append(host);
  }

  /* ------------------------------------------------------------------ *
   * Boot
   * ------------------------------------------------------------------ */
  async function loadSettings() {
    for (let i = 0; ; i++) {
      try {
        return await api('GET', `/inboxes/${enc(INBOX)}/settings`);
      } catch (e) {
        if ((e.status >= 400 && e.status < 500) || i >= 4) throw e;
        await sleep(1000 * 2 ** i);
      }
    }
  }
  async function boot() {
    let s;
    let failure = null;
    try {
      s = await loadSettings();
    } catch (e) {
      if (!PAGE) return console.warn('[Atende] widget disabled:', e.message);
      failure = e; // the standalone page shows the error instead
      s = {};
    }
    S.settings = {
      ...s,
      color: /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(s.color || '') ? s.color : '#1f6feb',
      prechat: s.prechat || {},
      open: s.open !== false,
      accepted_files: Array.isArray(s.accepted_files) ? s.accepted_files : [],
    };
    if (document.readyState === 'loading') await new Promise((r) => document.addEventListener('DOMContentLoaded', r));
    build();
    if (failure) {
      U.composer.hidden = true;
      U.alert.textContent = failure.message;
      U.alert.hidden = false;
      return;
    }
    S.session = validSession(store.get());
    if (S.session) refreshSession();
    updateMode();
    if (S.wantOpen) open(PAGE);

    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState !== 'visible') return;
      markRead();
      if (S.session && !S.ws) connect();
    });
    window.addEventListener('online', () => S.session && !S.ws && connect());
    // Another tab refreshed the token: follow it.
    window.addEventListener('storage', (e) => {
      if (e.key === KEY && S.session) adoptStored();
    });
  }

  /* ------------------------------------------------------------------ *
   * Public API
   * ------------------------------------------------------------------ */
  window.AtendeWidget = Object.freeze({
    open: () => open(),
    close: () => close(),
    toggle: () => (U.panel ? toggle() : open()),
    /** Values used at the next contact creation / session refresh. */
    identify(o) {
      o = o || {};
      for (const k of ['identifier', 'identifier_hash', 'name', 'email']) if (o[k] !== undefined) S.identity[k] = o[k];
    },
  });

  boot();
})();
