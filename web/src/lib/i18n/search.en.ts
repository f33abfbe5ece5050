import type { searchPtBR } from './search.pt-BR';

/** English texts of the search inside the conversation (LC-5). */
export const searchEn: Record<keyof typeof searchPtBR, string> = {
  'search.open': 'Search messages',
  'search.label': 'Search messages in this conversation',
  'search.placeholder': 'Type part of the message',
  'search.submit': 'Search',
  'search.close': 'Close search',
  'search.minChars': 'Type at least 2 characters to search.',
  'search.loading': 'Searching…',
  'search.error': 'Could not search: {message}',
  'search.none': 'No messages found.',
  'search.countOne': '1 message found',
  'search.count': '{count} messages found',
  'search.countMax': 'The {count} most recent messages found (there may be older ones)',
  'search.position': '{index} of {count}',
  'search.results': 'Search results',
  'search.previous': 'Previous result',
  'search.next': 'Next result',
  'search.keys': 'Use ↑ and ↓ to go from one result to another.',
  'search.jumping': 'Looking for the message in the conversation…',
  'search.shown': 'Message from {time} shown in the conversation.',
  'search.tooOld': 'The message from {time} is too old to show in the conversation.',
  'search.notFound': 'The message from {time} is no longer in the conversation.',
  'search.jumpError': 'Could not load the message: {message}',
};
