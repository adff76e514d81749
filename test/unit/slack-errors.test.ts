import type { WebAPIPlatformError } from '@slack/web-api';
import { describe, expect, it } from 'vitest';
import { NotInstalledError } from '../../src/slack/installs/team-clients.js';
import { toDeliveryError } from '../../src/slack/reminder-sender.js';
import { classifySlackError, SLACK_ERROR_CLASSES } from '../../src/slack/web-api/slack-errors.js';

/** An `ok: false` answer as web-api 8 throws it. */
const platform = (error: string) =>
  Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  }) as unknown as WebAPIPlatformError;
const http = (statusCode: number) =>
  Object.assign(new Error(`http ${statusCode}`), { code: 'slack_webapi_http_error', statusCode });
const network = (cause: string) =>
  Object.assign(new Error('request failed'), {
    code: 'slack_webapi_request_error',
    original: Object.assign(new Error(cause), { code: cause }),
  });

// Every error Slack documents (docs.slack.dev method pages, as mirrored in slack-ruby/slack-api-ref) for the methods
// the engine and the listeners call: chat.postMessage, chat.update, views.publish, files.getUploadURLExternal,
// files.completeUploadExternal (files.uploadV2), canvases.create, canvases.access.set, conversations.open.
const DOCUMENTED = `
  access_denied accesslimited account_inactive alt_txt_too_large app_access_restricted as_user_not_supported
  attachment_payload_limit_exceeded block_mismatch blocked_file_type cannot_reply_to_message
  cant_broadcast_message cant_update_message canvas_creation_failed canvas_disabled_user_team canvas_not_found
  channel_not_found channels_limit_exceeded deprecated_endpoint draft_already_deleted draft_already_sent
  draft_has_conflict draft_not_found duplicate_channel_not_found duplicate_external_id
  duplicate_message_not_found edit_window_closed ekm_access_denied enterprise_is_restricted
  external_channel_migrating failed_to_update_user_ids fatal_error file_deleted file_is_deleted file_not_found
  file_share_limit_reached file_type_not_allowed file_update_failed file_upload_size_restricted
  file_uploads_disabled file_uploads_except_images_disabled free_team_canvas_tab_already_exists
  free_teams_cannot_create_non_tabbed_canvases free_teams_cannot_create_standalone_canvases hash_conflict
  invalid_arg_name invalid_array_arg invalid_attachments invalid_blocks invalid_blocks_format invalid_channel
  invalid_charset invalid_form_data invalid_metadata_format invalid_metadata_schema invalid_parameters
  invalid_post_type invalid_user_combination is_archived is_bot is_inactive markdown_text_conflict
  max_file_sharing_exceeded message_limit_exceeded message_not_found messages_tab_disabled
  metadata_must_be_sent_from_app metadata_too_large method_deprecated method_not_supported_for_channel_type
  missing_argument missing_file_data missing_post_type missing_profile_id missing_scope msg_blocks_too_long
  msg_too_long no_dual_broadcast_content_update no_permission no_text not_allowed_token_type not_authed
  not_enabled not_enough_users not_implemented not_in_channel org_login_required posting_to_channel_denied
  rate_limited ratelimited request_timeout restricted_action restricted_action_non_threadable_channel
  restricted_action_read_only_channel restricted_action_thread_locked restricted_action_thread_only_channel
  send_on_behalf_not_allowed service_unavailable slack_connect_blocked_file_type
  slack_connect_canvas_sharing_blocked slack_connect_clip_sharing_blocked
  slack_connect_file_link_sharing_blocked slack_connect_file_upload_sharing_blocked
  slack_connect_lists_sharing_blocked snippet_too_large storage_limit_reached streaming_state_conflict
  team_added_to_org team_not_found token_expired token_revoked too_many_attachments too_many_contact_cards
  too_many_users two_factor_setup_required unable_to_share_files unknown_method unknown_snippet_type
  unknown_subtype update_failed user_disabled user_not_found user_not_visible users_list_not_supplied
  view_too_large
`
  .trim()
  .split(/\s+/);

describe('what a failed Slack call did', () => {
  it('every documented error of the methods infoview calls has a class of its own, and only one', () => {
    const classes = Object.values(SLACK_ERROR_CLASSES);
    const unclassified = DOCUMENTED.filter(
      (code) => code !== 'ratelimited' && code !== 'rate_limited' && !classes.some((set) => set.has(code)),
    );
    expect(unclassified).toEqual([]);
    for (const code of DOCUMENTED) expect(classes.filter((set) => set.has(code)).length).toBeLessThanOrEqual(1);
  });

  it.each([
    ['internal_error', 'maybe_done'],
    ['fatal_error', 'maybe_done'],
    ['request_timeout', 'maybe_done'],
    ['update_failed', 'maybe_done'],
    ['a_code_slack_adds_later', 'maybe_done'],
    ['draft_already_sent', 'done'],
    ['already_in_channel', 'done'],
    ['service_unavailable', 'not_done'],
    ['channel_not_found', 'not_done'],
    ['invalid_blocks', 'not_done'],
    ['token_revoked', 'not_done'],
    ['ratelimited', 'not_done'],
  ])('%s: %s', (code, outcome) => {
    expect(classifySlackError(platform(code)).outcome).toBe(outcome);
  });

  it('sorts what is not done into never, later, and after Retry-After', () => {
    expect(classifySlackError(platform('missing_scope'))).toMatchObject({ retry: 'never' });
    expect(classifySlackError(platform('service_unavailable'))).toMatchObject({ retry: 'backoff' });
    expect(classifySlackError(platform('rate_limited'))).toMatchObject({ retry: 'after', retryAfterMs: 30_000 });
    expect(classifySlackError(new NotInstalledError('gone'))).toMatchObject({ outcome: 'not_done', retry: 'never' });
  });

  it('a 5xx, a reset or a timeout may have been carried out; a refused connection or a 4xx was not', () => {
    expect(classifySlackError(http(502)).outcome).toBe('maybe_done');
    expect(classifySlackError(http(400)).outcome).toBe('not_done');
    expect(classifySlackError(network('ECONNRESET')).outcome).toBe('maybe_done');
    expect(classifySlackError(network('ETIMEDOUT')).outcome).toBe('maybe_done');
    expect(classifySlackError(network('ECONNREFUSED')).outcome).toBe('not_done');
    expect(classifySlackError(new Error('anything else')).outcome).toBe('maybe_done');
  });

  it('the engine looks in the DM before posting again after every maybe: internal_error is an unknown outcome', () => {
    expect(toDeliveryError(platform('internal_error')).kind).toBe('unknown_outcome');
    expect(toDeliveryError(platform('fatal_error')).kind).toBe('unknown_outcome');
    expect(toDeliveryError(platform('service_unavailable')).kind).toBe('transient');
    expect(toDeliveryError(platform('user_not_found')).kind).toBe('permanent');
  });
});
