import type { ModalView } from '@slack/types';

declare const encoded: unique symbol;
/** A view already encoded as JSON text (typed as a view for the WebClient's arguments; never encode it again). */
export type EncodedView = ModalView & { readonly [encoded]: true };

/**
 * The view as the JSON text the Web API takes for `view`, typed as the view for the WebClient's arguments. The
 * client walks every object argument to redact tokens and stringifies it again for a debug line, at any log level:
 * for a modal of a hundred objects that costs more than sending it. Handed over as text, it is encoded once.
 */
export function encodedView(view: ModalView): EncodedView {
  return JSON.stringify(view) as unknown as EncodedView;
}

/**
 * A view that is the same every time it is opened (a blank form), built and encoded on first use only: on the
 * slash-command path, building and encoding a form costs more than the rest of the app's own work for it.
 */
export function encodedOnce(build: () => ModalView): () => EncodedView {
  let text: EncodedView | undefined;
  return () => {
    text ??= encodedView(build());
    return text;
  };
}
