import type { absencePtBR } from './absence.pt-BR';

/** English texts of the agent absence (LC-19). */
export const absenceEn: Record<keyof typeof absencePtBR, string> = {
  'absence.menu': 'Absence',
  'absence.title': 'Absence',
  'absence.titleOf': 'Absence of {name}',
  'absence.introSelf':
    'Let your customers and leads know when you are unavailable for a while, such as on vacation or after leaving. While the absence is on, whoever writes to a chat you serve in the chosen inbox gets the message below, once per attendance. The message keeps being sent until the absence is turned off.',
  'absence.introOther':
    "Let {name}'s customers and leads know this agent is unavailable for a while, such as on vacation or after leaving. While the absence is on, whoever writes to a chat {name} serves in the chosen inbox gets the message below, once per attendance. The message keeps being sent until the absence is turned off.",
  'absence.inbox': 'Inbox',
  'absence.inboxOnly': 'Inbox: {name}',
  'absence.noInboxes': 'No inboxes yet.',
  'absence.onSince': 'Absence on since {when}',
  'absence.off': 'Absence off in this inbox',
  'absence.message': 'Absence message',
  'absence.placeholder': "Hi! I'm on vacation until July 20 and can't answer right now.",
  'absence.counter': '{count}/{max} characters',
  'absence.tooLong': 'The message is over {max} characters.',
  'absence.suggest': 'Suggest another agent',
  'absence.none': 'None',
  'absence.suggestHint': 'The contact gets the message with a "{button}" button; tapping it hands the chat to {name}.',
  'absence.noSuggestHint': 'Without a suggestion, the contact gets the message only.',
  'absence.activate': 'Turn absence on',
  'absence.save': 'Save',
  'absence.deactivate': 'Turn absence off',
  'absence.deactivating': 'Turning off…',
  'absence.activated': 'Absence turned on in {inbox}.',
  'absence.saved': 'Absence saved in {inbox}.',
  'absence.deactivated': 'Absence turned off in {inbox}.',
  'absence.loadError': 'Could not load the absence: {message}',
  'absence.saveError': 'Absence not saved: {message}',
  'absence.clearError': 'Absence not turned off: {message}',
  'absence.activeIn': 'Absence on in {inboxes}',
  'absence.activeShort': 'Away',
  'absence.reminderHint': 'Open the absence settings',
  'absence.absentIn': 'Away · {inboxes}',
};
