import { ErrorCode } from '@slack/web-api';
import { NotInstalledError } from '../installs/team-clients.js';
import { platformErrorCode } from './web-api-errors.js';

/**
 * What a failed Web API call did, as far as the caller can know: `not_done` (nothing happened; `retry` says whether
 * trying again can help), `done` (what the call asked for is already so), `maybe_done` (it may have taken effect:
 * a non-idempotent call looks before it tries again; an idempotent one, views.publish or chat.update, may retry).
 */
export type SlackCallOutcome =
  | { outcome: 'not_done'; retry: 'never' | 'backoff' | 'after'; code: string; retryAfterMs?: number }
  | { outcome: 'done'; code: string }
  | { outcome: 'maybe_done'; code: string };

/**
 * Maybe done. Slack's docs for `internal_error` and `fatal_error` (every method): "It's possible some aspect of the
 * operation succeeded before the error was raised". `request_timeout` ("POST data was either missing or truncated")
 * is Slack giving up on a request it was reading: counted as maybe, a look costs less than a doubled DM.
 * `update_failed` (chat.update), `file_update_failed` (files.completeUploadExternal), `failed_to_update_user_ids`
 * (canvases.access.set) and `unable_to_share_files` (chat.update) are internal failures partway through.
 */
const MAYBE_DONE = new Set([
  'internal_error',
  'fatal_error',
  'request_timeout',
  'update_failed',
  'file_update_failed',
  'failed_to_update_user_ids',
  'unable_to_share_files',
]);

/**
 * Done: what the call asked for is already so. Of the methods infoview calls, only chat.postMessage documents one
 * (`draft_already_sent`, for drafts, which infoview does not post); the others are Slack's "already" answers of other
 * methods, kept here so a new call is classified right.
 */
const DONE = new Set([
  'draft_already_sent',
  'already_in_channel',
  'already_reacted',
  'already_pinned',
  'already_archived',
]);

/**
 * Not done, worth trying again later: Slack refused the call before doing anything (down, or the workspace is
 * migrating). 429 and `ratelimited` / `rate_limited` are not done too, retried after Retry-After (below).
 */
const NOT_DONE_LATER = new Set([
  'service_unavailable',
  'team_added_to_org',
  'org_login_required',
  'external_channel_migrating',
  'message_limit_exceeded',
  'streaming_state_conflict',
  'canvas_creation_failed',
]);

/**
 * Not done, and trying again cannot help: the request itself (validation), the token (auth, scopes, plan), the
 * target (user, channel, message, view, file gone or refused) or a workspace setting. Every other documented error
 * of the methods above; anything not listed anywhere is maybe done (Slack adds codes; a look is the safe side).
 */
const NOT_DONE_NEVER = new Set([
  // The token and the app: auth, scopes, plan, admin settings.
  'access_denied',
  'accesslimited',
  'account_inactive',
  'app_access_restricted',
  'canvas_disabled_user_team',
  'deprecated_endpoint',
  'ekm_access_denied',
  'enterprise_is_restricted',
  'free_team_canvas_tab_already_exists',
  'free_teams_cannot_create_non_tabbed_canvases',
  'free_teams_cannot_create_standalone_canvases',
  'invalid_auth',
  'is_bot',
  'method_deprecated',
  'missing_scope',
  'no_permission',
  'not_allowed_token_type',
  'not_authed',
  'not_enabled',
  'not_implemented',
  'restricted_action',
  'token_expired',
  'token_revoked',
  'two_factor_setup_required',
  'unknown_method',
  'file_uploads_disabled',
  'file_uploads_except_images_disabled',
  'storage_limit_reached',
  'posting_to_channel_denied',
  'send_on_behalf_not_allowed',
  // The request: its form and its content.
  'invalid_arg_name',
  'invalid_array_arg',
  'invalid_arguments',
  'invalid_charset',
  'invalid_form_data',
  'invalid_post_type',
  'missing_post_type',
  'missing_argument',
  'invalid_parameters',
  'invalid_blocks',
  'invalid_blocks_format',
  'invalid_attachments',
  'invalid_metadata_format',
  'invalid_metadata_schema',
  'metadata_must_be_sent_from_app',
  'metadata_too_large',
  'markdown_text_conflict',
  'msg_blocks_too_long',
  'msg_too_long',
  'no_text',
  'too_many_attachments',
  'too_many_contact_cards',
  'attachment_payload_limit_exceeded',
  'as_user_not_supported',
  'block_mismatch',
  'no_dual_broadcast_content_update',
  'view_too_large',
  'missing_profile_id',
  'duplicate_external_id',
  'hash_conflict',
  'alt_txt_too_large',
  'snippet_too_large',
  'unknown_snippet_type',
  'unknown_subtype',
  'file_type_not_allowed',
  'file_upload_size_restricted',
  'blocked_file_type',
  'missing_file_data',
  'max_file_sharing_exceeded',
  'file_share_limit_reached',
  'not_enough_users',
  'too_many_users',
  'users_list_not_supplied',
  'draft_already_deleted',
  'draft_has_conflict',
  'draft_not_found',
  'duplicate_channel_not_found',
  'duplicate_message_not_found',
  'expired_trigger_id',
  'exchanged_trigger_id',
  'invalid_trigger_id',
  // The target: user, channel, message, file, canvas.
  'user_not_found',
  'user_not_visible',
  'user_disabled',
  'invalid_user_combination',
  'channel_not_found',
  'invalid_channel',
  'channels_limit_exceeded',
  'method_not_supported_for_channel_type',
  'is_archived',
  'is_inactive',
  'messages_tab_disabled',
  'not_in_channel',
  'team_not_found',
  'cannot_reply_to_message',
  'cant_update_message',
  'cant_broadcast_message',
  'edit_window_closed',
  'message_not_found',
  'file_not_found',
  'file_deleted',
  'file_is_deleted',
  'canvas_not_found',
  'restricted_action_non_threadable_channel',
  'restricted_action_read_only_channel',
  'restricted_action_thread_locked',
  'restricted_action_thread_only_channel',
  'slack_connect_canvas_sharing_blocked',
  'slack_connect_file_link_sharing_blocked',
  'slack_connect_lists_sharing_blocked',
  'slack_connect_blocked_file_type',
  'slack_connect_clip_sharing_blocked',
  'slack_connect_file_upload_sharing_blocked',
]);

/** Network failures before the request left: Slack cannot have seen it. Any other (a reset, a timeout) may have. */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

function causeCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
    current = (current as { original?: unknown; cause?: unknown }).original ?? (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The one table of what a Web API failure means for the call that got it. Never throws. */
export function classifySlackError(error: unknown): SlackCallOutcome {
  // No installation for the workspace: no call was made.
  if (error instanceof NotInstalledError) return { outcome: 'not_done', retry: 'never', code: 'not_installed' };
  const code = (error as { code?: unknown })?.code;
  if (code === ErrorCode.RateLimitedError) {
    const seconds = Number((error as { retryAfter?: unknown }).retryAfter);
    return {
      outcome: 'not_done',
      retry: 'after',
      code: 'ratelimited',
      retryAfterMs: (Number.isFinite(seconds) ? seconds : 30) * 1000,
    };
  }
  const platform = platformErrorCode(error);
  if (platform !== undefined) {
    if (platform === 'ratelimited' || platform === 'rate_limited')
      return { outcome: 'not_done', retry: 'after', code: platform, retryAfterMs: 30_000 };
    if (NOT_DONE_NEVER.has(platform)) return { outcome: 'not_done', retry: 'never', code: platform };
    if (NOT_DONE_LATER.has(platform)) return { outcome: 'not_done', retry: 'backoff', code: platform };
    if (DONE.has(platform)) return { outcome: 'done', code: platform };
    // MAYBE_DONE, and any code Slack adds that this table does not know yet.
    return { outcome: 'maybe_done', code: platform };
  }
  if (code === ErrorCode.HTTPError) {
    // A 5xx comes from a proxy or a server that may have done the work; a 4xx (other than 429) refused it.
    const status = (error as { statusCode?: number }).statusCode ?? 0;
    return status >= 500
      ? { outcome: 'maybe_done', code: `http ${status}` }
      : { outcome: 'not_done', retry: 'backoff', code: `http ${status}` };
  }
  if (code === ErrorCode.RequestError) {
    // A connection refused or a name not found: nothing left. A reset, a dropped connection or the client's timeout:
    // the request may have arrived and been carried out.
    const cause = causeCode(error) ?? 'request error';
    return NOT_SENT.has(cause)
      ? { outcome: 'not_done', retry: 'backoff', code: cause }
      : { outcome: 'maybe_done', code: cause };
  }
  return { outcome: 'maybe_done', code: error instanceof Error ? error.message : String(error) };
}

/** Every code the table names, by class: for the table in docs/reminders.md and its test. */
export const SLACK_ERROR_CLASSES = {
  maybeDone: MAYBE_DONE,
  done: DONE,
  notDoneLater: NOT_DONE_LATER,
  notDoneNever: NOT_DONE_NEVER,
} as const;
