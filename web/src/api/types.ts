/** Short names for the API's schemas (generated from openapi.json). */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Conversation = Schemas['ConversationOut'];
/** What a chat-list row previews of the chat's newest message (not a system line). */
export type LastMessage = Schemas['LastMessageOut'];
export type ConversationPage = Schemas['ConversationPage'];
export type Message = Schemas['MessageOut'];
export type MessagePage = Schemas['MessagePage'];
/** LC-5: hits of a search inside one conversation, newest first. */
export type MessageHits = Schemas['MessageHits'];
export type ApiEvent = Schemas['EventOut'];
export type EventPage = Schemas['EventPage'];
export type Session = Schemas['SessionOut'];
export type User = Schemas['UserOut'];
/** A colleague as any signed-in user sees them (`GET /agents`: no e-mail). */
export type Agent = Schemas['AgentOut'];
export type Department = Schemas['DepartmentOut'];
export type Tag = Schemas['TagOut'];
export type Campaign = Schemas['CampaignOut'];
export type SendRequest = Schemas['SendRequest'];
export type ErrorBody = Schemas['ErrorBody'];
/** A contact's data (CT-1) with the inboxes it wrote to. */
export type Contact = Schemas['ContactOut'];
export type ContactUpdate = Schemas['ContactUpdate'];
export type ContactIdentity = Schemas['IdentityOut'];
export type CustomFieldDef = Schemas['FieldOut'];

/** LC-1 views, as the `view` query parameter names them. */
export const VIEWS = ['all', 'open', 'mine', 'in_service'] as const;
export type View = (typeof VIEWS)[number];

/** LC-3 orderings, as the `order` query parameter names them. */
export const ORDERS = ['newest', 'oldest', 'newest_opening', 'oldest_opening'] as const;
export type Order = (typeof ORDERS)[number];

/** The `channel` filter's values. */
export const CHANNELS = ['whatsapp', 'instagram', 'messenger', 'telegram', 'widget'] as const;
export type Channel = (typeof CHANNELS)[number];
