/** Short names for the schemas the admin pages use (generated from openapi.json). */
import type { components } from './schema';

type Schemas = components['schemas'];

export type Inbox = Schemas['InboxOut'];
export type Template = Schemas['TemplateOut'];
export type CustomField = Schemas['FieldOut'];
export type FieldRequest = Schemas['FieldRequest'];
export type WhatsappConfig = Schemas['WhatsappConfig'];
export type UserUpdate = Schemas['UserUpdate'];
