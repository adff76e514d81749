import { ErrorCode, type WebAPIPlatformError } from '@slack/web-api';

/** The `error` string of a Web API `ok: false` answer (e.g. "expired_trigger_id"); undefined for anything else. */
export function platformErrorCode(error: unknown): string | undefined {
  if (!(error instanceof Error) || (error as { code?: unknown }).code !== ErrorCode.PlatformError) return undefined;
  return (error as WebAPIPlatformError).data.error;
}

/** A trigger_id that can no longer open a view: the user must act again. */
export function isTriggerProblem(error: unknown): boolean {
  const code = platformErrorCode(error);
  return code === 'expired_trigger_id' || code === 'exchanged_trigger_id' || code === 'invalid_trigger_id';
}

export const TRIGGER_EXPIRED_TEXT = 'Slack took too long to open the form. Please try again.';

/** A short note to the user as a DM, for buttons with no response_url (Home, a modal). Plain text: nothing to escape. */
export function noteMessage(text: string) {
  return { text, blocks: [{ type: 'section' as const, text: { type: 'plain_text' as const, text } }] };
}
