import type { inboxWidgetPtBR } from './inboxWidget.pt-BR';

/** English texts of a web-chat widget inbox's form. */
export const inboxWidgetEn: Record<keyof typeof inboxWidgetPtBR, string> = {
  'admin.inboxes.widget.legend': 'Web chat settings',
  'admin.inboxes.widget.origins': 'Allowed sites',
  'admin.inboxes.widget.originsHint':
    'One address per line, the site only, no path (e.g. https://www.shop.com). Only these sites can show the chat; use * to allow any site.',
  'admin.inboxes.widget.title': 'Title',
  'admin.inboxes.widget.titleHint': "Shown at the top of the chat. Blank: the inbox's name.",
  'admin.inboxes.widget.greeting': 'Greeting',
  'admin.inboxes.widget.greetingHint': 'The first words a visitor reads on opening the chat.',
  'admin.inboxes.widget.color': 'Accent colour',
  'admin.inboxes.widget.colorHex': 'Accent colour in hexadecimal (#rrggbb)',
  'admin.inboxes.widget.prechat': 'Pre-chat form',
  'admin.inboxes.widget.prechatHint': 'What a visitor gives before writing their first message.',
  'admin.inboxes.widget.prechat.name': 'Name',
  'admin.inboxes.widget.prechat.email': 'E-mail',
  'admin.inboxes.widget.prechat.phone': 'Phone',
  'admin.inboxes.widget.ask.off': 'Off',
  'admin.inboxes.widget.ask.optional': 'Optional',
  'admin.inboxes.widget.ask.required': 'Required',
  'admin.inboxes.widget.closedMessage': 'Message outside business hours',
  'admin.inboxes.widget.closedMessageHint':
    'Shown to visitors while the inbox is closed. The hours are set with the "Business hours" button on this inbox\'s card.',
  'admin.inboxes.widget.identity': "Verify visitors' identity",
  'admin.inboxes.widget.identityHint':
    'For sites with a login: a visitor the site identifies is the same contact on every device.',
  'admin.inboxes.widget.secretSet': 'Identity secret: set',
  'admin.inboxes.widget.generate': 'Generate secret',
  'admin.inboxes.widget.regenerate': 'Generate a new secret',
  'admin.inboxes.widget.secret': 'Identity secret',
  'admin.inboxes.widget.secretNote':
    "Copy this secret and keep it on your site's server: it is not shown again after saving. For each signed-in user, the site must send identifier_hash = HMAC-SHA256(secret, user id), in hex.",
  'admin.inboxes.widget.copySecret': 'Copy the secret',
  'admin.inboxes.widget.embed': 'Code for the site',
  'admin.inboxes.widget.embedHint': "Paste this code before </body> in the allowed sites' pages.",
  'admin.inboxes.widget.copyEmbed': 'Copy the code for the site',
  'admin.inboxes.widget.embedLater': 'Once the inbox is created, the code to paste into the site shows when you edit it.',
  'admin.inboxes.widget.chatLink': 'Direct chat link',
  'admin.inboxes.widget.chatLinkHint': 'A page with just the chat, to share by e-mail, social media or QR code.',
  'admin.inboxes.widget.copyChatLink': 'Copy the direct chat link',
  'admin.inboxes.widget.copied': 'Copied.',
  'admin.inboxes.widget.copyFailed': 'Could not copy: select the text and copy it with Ctrl+C.',
  'admin.inboxes.widget.noOrigins': 'Give at least one allowed site (e.g. https://www.shop.com).',
  'admin.inboxes.widget.badOrigins':
    'Invalid address in "Allowed sites": {lines}. Use just the site\'s address, like https://www.shop.com, or *.',
  'admin.inboxes.widget.tooManyOrigins': 'Give at most {max} allowed sites.',
  'admin.inboxes.widget.badColor': 'The accent colour must be #rrggbb.',
  'admin.inboxes.widget.noSecret': 'To verify visitors\' identity, click "Generate secret" (or untick the option).',
  'admin.inboxes.widget.sites': 'Sites',
  'admin.inboxes.widget.anySite': 'Any site',
  'admin.inboxes.widget.identityShort': 'Verified identity',
};
