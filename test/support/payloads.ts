import type { KnownBlock, ModalView } from '@slack/types';
import { must } from './must.js';

export const TEAM_ID = 'T0001';
export const USER_ID = 'U0001';
export const OTHER_USER_ID = 'U0002';

let counter = 0;
const nextId = () => `${Date.now()}${++counter}`;

/** Fields of a slash command request, as Slack posts them (docs example shape). */
export function slashCommand(options: {
  text: string;
  responseUrl: string;
  userId?: string;
  teamId?: string;
  triggerId?: string;
}) {
  return {
    token: 'deprecated-verification-token',
    team_id: options.teamId ?? TEAM_ID,
    team_domain: 'example',
    channel_id: 'C2147483705',
    channel_name: 'directmessage',
    user_id: options.userId ?? USER_ID,
    user_name: 'jobseeker',
    command: '/infoview',
    text: options.text,
    api_app_id: 'A0001',
    is_enterprise_install: 'false',
    response_url: options.responseUrl,
    trigger_id: options.triggerId ?? `13345224609.738474920.${nextId()}`,
  };
}

/** What the user does to one input: type text, pick a date-time (Date), choose an option value, or clear it (null). */
export type UserInput = string | string[] | Date | null;

/**
 * Builds Slack's `state.values` for a modal the app produced, the way Slack would: every input block reports its
 * element under block_id/action_id, with the user's input, else the initial value, else null.
 */
export function stateFor(view: ModalView, inputs: Record<string, UserInput>): Record<string, Record<string, unknown>> {
  const values: Record<string, Record<string, unknown>> = {};
  for (const block of view.blocks as KnownBlock[]) {
    if (block.type !== 'input' || !block.block_id) continue;
    const element = block.element;
    const given = inputs[block.block_id];
    const has = block.block_id in inputs;
    let state: Record<string, unknown>;
    switch (element.type) {
      case 'plain_text_input':
        state = { type: element.type, value: has ? given : (element.initial_value ?? null) };
        break;
      case 'datetimepicker':
        state = {
          type: element.type,
          selected_date_time: has
            ? given instanceof Date
              ? Math.floor(given.getTime() / 1000)
              : null
            : (element.initial_date_time ?? null),
        };
        break;
      case 'static_select': {
        const chosen = has
          ? (element.options?.find((o) => o.value === given) ?? null)
          : (element.initial_option ?? null);
        state = { type: element.type, selected_option: chosen };
        break;
      }
      case 'checkboxes': {
        // The values the user left ticked.
        const ticked = has ? (Array.isArray(given) ? given : []) : (element.initial_options ?? []).map((o) => o.value);
        state = {
          type: element.type,
          selected_options: element.options.filter((o) => o.value !== undefined && ticked.includes(o.value)),
        };
        break;
      }
      case 'multi_static_select': {
        const all = [...(element.options ?? []), ...(element.option_groups ?? []).flatMap((g) => g.options)];
        const chosen = has
          ? all.filter((o) => Array.isArray(given) && o.value !== undefined && given.includes(o.value))
          : (element.initial_options ?? []);
        state = { type: element.type, selected_options: chosen };
        break;
      }
      case 'datepicker':
        state = { type: element.type, selected_date: has ? given : (element.initial_date ?? null) };
        break;
      case 'timepicker':
        state = { type: element.type, selected_time: has ? given : (element.initial_time ?? null) };
        break;
      case 'users_select':
        state = { type: element.type, selected_user: has ? given : (element.initial_user ?? null) };
        break;
      case 'multi_users_select':
        // The users picked ([] when none).
        state = {
          type: element.type,
          selected_users: has ? (Array.isArray(given) ? given : []) : (element.initial_users ?? []),
        };
        break;
      case 'number_input':
        // Slack sends the number as typed, a string.
        state = { type: element.type, value: has ? given : (element.initial_value ?? null) };
        break;
      case 'external_select': {
        // The user picked an option the options handler offered; its label does not matter to the app.
        const chosen = has
          ? typeof given === 'string'
            ? { text: { type: 'plain_text', text: given, emoji: true }, value: given }
            : null
          : (element.initial_option ?? null);
        state = { type: element.type, selected_option: chosen };
        break;
      }
      case 'file_input': {
        // The ids of the files the user uploaded (Slack sends each as a file object; the app reads the id).
        const ids = has && Array.isArray(given) ? given : [];
        state = { type: element.type, files: ids.map((id) => ({ id, name: `${id}.csv`, mode: 'hosted' })) };
        break;
      }
      default:
        throw new Error(`stateFor: no rule for ${element.type}`);
    }
    values[block.block_id] = { [must(element.action_id, `the action_id in ${block.block_id}`)]: state };
  }
  return values;
}

/** A view_submission payload for a modal the app opened (as recorded by the fake views.open). */
export function viewSubmission(
  view: ModalView,
  inputs: Record<string, UserInput>,
  options: { userId?: string; teamId?: string; viewId?: string; previousViewId?: string } = {},
) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  return {
    type: 'view_submission',
    team: { id: teamId, domain: 'example' },
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    trigger_id: `768915595217.771150964790.${nextId()}`,
    view: {
      id: options.viewId ?? `V${nextId()}`,
      team_id: teamId,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id,
      state: { values: stateFor(view, inputs) },
      hash: '1569562184.10297bc3',
      title: view.title,
      clear_on_close: false,
      notify_on_close: false,
      close: view.close ?? null,
      submit: view.submit ?? null,
      previous_view_id: options.previousViewId ?? null,
      root_view_id: options.viewId ?? 'V0001',
      app_id: 'A0001',
      external_id: '',
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** A block_actions payload for a button pressed on a DM message from the app. */
export function buttonPress(options: {
  actionId: string;
  value: string;
  responseUrl: string;
  userId?: string;
  teamId?: string;
  channel?: string;
  messageTs?: string;
  ephemeral?: boolean;
}) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  const channel = options.channel ?? 'D0001';
  const ts = options.messageTs ?? '1693635296.000500';
  return {
    type: 'block_actions',
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'message', message_ts: ts, channel_id: channel, is_ephemeral: options.ephemeral ?? false },
    trigger_id: `111.222.${nextId()}`,
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channel, name: 'directmessage' },
    message: { type: 'message', ts, bot_id: 'BBOT', text: '…', blocks: [] },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: 'meeting_actions',
        type: 'button',
        value: options.value,
        text: { type: 'plain_text', text: 'button', emoji: true },
        action_ts: '1606455407.603639',
      },
    ],
  };
}

/** A block_suggestion payload: the user typed `value` into an external select of a modal the app opened. */
export function optionsRequest(options: {
  actionId: string;
  blockId: string;
  value: string;
  userId?: string;
  teamId?: string;
}) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  return {
    type: 'block_suggestion',
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    container: { type: 'view', view_id: 'V0001' },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    action_id: options.actionId,
    block_id: options.blockId,
    value: options.value,
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: 'V0001',
      team_id: teamId,
      type: 'modal',
      private_metadata: '',
      callback_id: 'any',
      state: { values: {} },
      hash: '1.a',
    },
  };
}

/** A block_actions payload for a button pressed inside a modal (container type view, no response_url). */
export function buttonPressInModal(options: {
  actionId: string;
  value: string;
  viewId: string;
  userId?: string;
  teamId?: string;
}) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  return {
    type: 'block_actions',
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: options.viewId },
    trigger_id: `111.222.${nextId()}`,
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: options.viewId,
      team_id: teamId,
      type: 'modal',
      private_metadata: '',
      callback_id: '',
      state: { values: {} },
      hash: '1700000000.abcd',
      blocks: [],
    },
    actions: [
      {
        action_id: options.actionId,
        block_id: 'any',
        type: 'button',
        value: options.value,
        text: { type: 'plain_text', text: 'button', emoji: true },
        action_ts: '1606455407.603639',
      },
    ],
  };
}

/**
 * A block_actions payload for a users_select with dispatch_action in a modal the app opened: the user picked
 * `selectedUser` after typing `inputs` (Slack sends the whole view with its state and hash).
 */
export function userPickInModal(
  view: ModalView,
  options: {
    actionId: string;
    blockId: string;
    selectedUser: string | null;
    inputs?: Record<string, UserInput>;
    viewId?: string;
    hash?: string;
    userId?: string;
    teamId?: string;
  },
) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  const viewId = options.viewId ?? 'VFORM';
  return {
    type: 'block_actions',
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    api_app_id: 'A0001',
    token: 'deprecated-verification-token',
    container: { type: 'view', view_id: viewId },
    trigger_id: `111.222.${nextId()}`,
    team: { id: teamId, domain: 'example' },
    enterprise: null,
    is_enterprise_install: false,
    view: {
      id: viewId,
      team_id: teamId,
      type: 'modal',
      blocks: view.blocks,
      private_metadata: view.private_metadata ?? '',
      callback_id: view.callback_id,
      state: { values: stateFor(view, { ...options.inputs, [options.blockId]: options.selectedUser }) },
      hash: options.hash ?? '1700000001.pick',
      title: view.title,
      previous_view_id: null,
      root_view_id: viewId,
      app_id: 'A0001',
      app_installed_team_id: teamId,
      bot_id: 'BBOT',
    },
    actions: [
      {
        type: 'users_select',
        action_id: options.actionId,
        block_id: options.blockId,
        selected_user: options.selectedUser,
        action_ts: '1606455407.603639',
      },
    ],
  };
}

/** The app_home_opened event Slack sends when the user opens the app's Home tab. */
export function homeOpenedEvent(userId = USER_ID, teamId = TEAM_ID) {
  return {
    token: 'x',
    team_id: teamId,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${nextId()}`,
    event_time: 1_793_282_400,
    event: { type: 'app_home_opened', user: userId, channel: 'D0001', tab: 'home', event_ts: '1793282400.000100' },
  };
}

/**
 * A message_action payload (the message shortcut), shaped as Slack sends it (bolt-js MessageShortcut; java-slack-sdk
 * json-logs MessageShortcutPayload.json): the message as it was posted, its channel (one the app need not be in)
 * and the workspace with its domain (absent from the team object in Enterprise Grid's org-wide installs).
 */
export function messageShortcut(options: {
  callbackId: string;
  responseUrl: string;
  message: {
    text: string;
    user?: string;
    ts?: string;
    threadTs?: string;
    botId?: string;
    /** The author's workspace (another one for a Slack Connect author). */
    team?: string;
  };
  channel?: { id: string; name: string };
  userId?: string;
  teamId?: string;
  /** The workspace's domain; null for a payload without one. */
  domain?: string | null;
  enterpriseId?: string;
}) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  const m = options.message;
  const ts = m.ts ?? '1795600000.000100';
  return {
    type: 'message_action',
    token: 'deprecated-verification-token',
    action_ts: '1795600100.123456',
    team: {
      id: teamId,
      ...(options.domain === null ? {} : { domain: options.domain ?? 'example' }),
      ...(options.enterpriseId ? { enterprise_id: options.enterpriseId, enterprise_name: 'Example Org' } : {}),
    },
    user: { id: userId, username: 'jobseeker', name: 'jobseeker', team_id: teamId },
    channel: options.channel ?? { id: 'C0NOTJOINED', name: 'data-careers' },
    is_enterprise_install: false,
    enterprise: options.enterpriseId ? { id: options.enterpriseId, name: 'Example Org' } : null,
    callback_id: options.callbackId,
    trigger_id: `13345224609.738474920.${nextId()}`,
    response_url: options.responseUrl,
    message_ts: ts,
    message: {
      type: 'message',
      ...(m.botId ? { subtype: 'bot_message', bot_id: m.botId, username: 'Standup Bot' } : {}),
      ...(m.user ? { user: m.user } : {}),
      team: m.team ?? teamId,
      text: m.text,
      ts,
      ...(m.threadTs ? { thread_ts: m.threadTs } : {}),
      blocks: [],
    },
  };
}

/** A global shortcut payload (type `shortcut`): no channel, no message, no response_url. */
export function globalShortcut(options: { callbackId: string; userId?: string; teamId?: string }) {
  const teamId = options.teamId ?? TEAM_ID;
  const userId = options.userId ?? USER_ID;
  return {
    type: 'shortcut',
    token: 'deprecated-verification-token',
    action_ts: '1795600100.123456',
    team: { id: teamId, domain: 'example' },
    user: { id: userId, username: 'jobseeker', team_id: teamId },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: options.callbackId,
    trigger_id: `13345224609.738474920.${nextId()}`,
  };
}

/** A file shared in the app's DM: a message event of subtype file_share, as the Events API sends it (message.im). */
export function fileSharedInDm(fileId: string, name: string, userId = USER_ID, teamId = TEAM_ID) {
  return {
    token: 'x',
    team_id: teamId,
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${nextId()}`,
    event_time: 1_793_282_400,
    event: {
      type: 'message',
      subtype: 'file_share',
      text: '',
      user: userId,
      upload: true,
      display_as_bot: false,
      files: [{ id: fileId, name, title: name, mimetype: 'text/csv', filetype: 'csv', user: userId, mode: 'hosted' }],
      ts: '1793282400.000200',
      channel: 'D0001',
      channel_type: 'im',
      event_ts: '1793282400.000200',
    },
  };
}
