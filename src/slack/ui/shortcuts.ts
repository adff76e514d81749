/**
 * The callback ids of the app's shortcuts, as manifest.yml declares them under `features.shortcuts` (a test checks
 * that the app registers exactly these, of these types).
 */
export const SHORTCUTS = {
  /** Message shortcut *Log as contact*: the contact form filled in from a message. */
  logMessageAsContact: { callbackId: 'log_message_as_contact', type: 'message' },
  /** Global shortcut *Plan an interview*: the schedule form, as `/infoview schedule`. */
  planInterview: { callbackId: 'plan_interview', type: 'global' },
  /** Global shortcut *Log a contact*: the contact form, as `/infoview contact`. */
  logContact: { callbackId: 'log_contact', type: 'global' },
  /** Global shortcut *Ask for a conversation*: the ask form, as `/infoview ask`. */
  askForConversation: { callbackId: 'ask_for_conversation', type: 'global' },
} as const;
