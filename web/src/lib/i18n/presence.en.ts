import type { presencePtBR } from './presence.pt-BR';

/** English texts of the user's own status (LC-19) and of the organization's presence and ticket settings. */
export const presenceEn: Record<keyof typeof presencePtBR, string> = {
  'status.online': 'Online',
  'status.paused': 'Paused',
  'status.pausedWith': 'Paused: {reason}',
  'status.invisible': 'Invisible',
  'status.button': 'Your status: {status}',
  'status.menu': 'Change your status',
  'status.pauseGroup': 'Pause',
  'status.onlineHint': 'Gets chats and shows online',
  'status.pausedHint': 'Gets no new chats',
  'status.invisibleHint': 'Works as usual, but shows offline to colleagues',
  'status.saving': 'Changing the status…',
  'status.error': 'Status not changed: {message}',

  'settings.intro': "Agents' presence and ticket expiry, for the whole organization.",
  'settings.presence': 'Presence',
  'settings.pauseReasons': 'Pause reasons',
  'settings.pauseReasonsHint':
    'An agent who pauses picks one of these reasons. With none, a pause has no reason. Up to 20 reasons of 1 to 60 characters.',
  'settings.noReasons': 'No pause reasons.',
  'settings.newReason': 'New pause reason',
  'settings.addReason': 'Add',
  'settings.removeReason': 'Remove the reason {reason}',
  'settings.reasonAdded': 'Reason {reason} added. Save to apply.',
  'settings.reasonRemoved': 'Reason {reason} removed. Save to apply.',
  'settings.reasonEmpty': 'Type the reason.',
  'settings.reasonTooLong': 'Each reason has at most 60 characters.',
  'settings.reasonDuplicate': 'This reason is already listed.',
  'settings.reasonsFull': 'At most 20 pause reasons.',
  'settings.awayMinutes': 'Minutes before an agent counts as away',
  'settings.awayMinutesHint':
    'With the console closed this long, the agent counts as offline for routing and monitoring (1 to 1440).',
  'settings.awayInvalid': 'Use 1 to 1440 minutes.',
  'settings.tickets': 'Tickets',
  'settings.expiryHours': "Hours before a customer's session expires",
  'settings.expiryHint':
    'With no message from the customer this long, the open ticket ends as session expired: lost before an agent took it, abandoned after. 0 = never (up to 720).',
  'settings.expiryInvalid': 'Use 0 (never) to 720 hours.',
  'settings.saved': 'Settings saved.',
  'settings.saveError': 'Settings not saved: {message}',
};
