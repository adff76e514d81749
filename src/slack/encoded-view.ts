import type { ModalView } from '@slack/types';

/**
 * The view as the JSON text the Web API takes for `view`, typed as the view for the WebClient's arguments. The
 * client walks every object argument to redact tokens and stringifies it again for a debug line, at any log level:
 * for a modal of a hundred objects that costs more than sending it. Handed over as text, it is encoded once.
 */
export function encodedView(view: ModalView): ModalView {
  return JSON.stringify(view) as unknown as ModalView;
}
