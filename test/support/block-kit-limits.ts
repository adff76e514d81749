/**
 * Block Kit limit checker for tests. A view or message Slack would reject (invalid_blocks, invalid_arguments,
 * view_too_large) is a bug, so every builder's output can be run through `assertWithinBlockKitLimits`.
 *
 * Limits follow the Block Kit table in slack-platform.md §2 (python-slack-sdk validators, @slack/types JSDoc,
 * docs.slack.dev).
 * Where the sources disagree we take the stricter value: a payload that passes here should pass Slack.
 * Pure and dependency-free: the payload is `unknown` and narrowed field by field; nothing is mutated.
 */

import { dateTokenProblems } from './slack-dates.js';

export type Surface = 'modal' | 'home' | 'message';

type Json = Record<string, unknown>;

/** What one run collects while walking a payload. */
interface Check {
  readonly problems: string[];
  /** block_id -> path of its first use: block_ids must be unique within one surface. */
  readonly blockIds: Map<string, string>;
  /** Paths of elements with `focus_on_load: true`: Slack allows one per view. */
  readonly focused: string[];
}

const LIMITS = {
  blocksPerMessage: 50,
  blocksPerView: 100,
  id: 255,
  sectionText: 3000,
  sectionFields: 10,
  sectionField: 2000,
  headerText: 150,
  markdownText: 12000,
  contextElements: 10,
  actionsElements: 25,
  label: 2000,
  hint: 2000,
  imageAltText: 2000,
  imageTitle: 2000,
  url: 3000,
  buttonText: 75,
  buttonValue: 2000,
  accessibilityLabel: 75,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  viewTitle: 24,
  privateMetadata: 3000,
  optionText: 75,
  // python-slack-sdk and docs say 150, @slack/types says 75: keep to the stricter one.
  optionValue: 75,
  optionDescription: 75,
  optionGroupLabel: 75,
  selectOptions: 100,
  optionGroups: 100,
  choiceOptions: 10,
  overflowMin: 2,
  overflowMax: 5,
  textInputLength: 3000,
  messageText: 40000,
  // views.open answers view_too_large above "250kb"; count bytes and read kb as 1000 to stay on the safe side.
  viewBytes: 250_000,
  dateTimeMax: 9_999_999_999,
  fileInputMaxFiles: 10,
} as const;

const BLOCK_KEYS: Readonly<Record<string, readonly string[]>> = {
  section: ['text', 'fields', 'accessory', 'expand'],
  header: ['text'],
  divider: [],
  context: ['elements'],
  actions: ['elements'],
  input: ['label', 'element', 'hint', 'optional', 'dispatch_action'],
  image: ['image_url', 'slack_file', 'alt_text', 'title'],
  rich_text: ['elements'],
  markdown: ['text'],
};

const SINGLE_SELECTS = ['static_select', 'external_select', 'users_select', 'conversations_select', 'channels_select'];
const MULTI_SELECTS = SINGLE_SELECTS.map((type) => `multi_${type}`);
const TEXT_INPUTS = ['plain_text_input', 'email_text_input', 'url_text_input', 'number_input'];
const CHOICES = ['checkboxes', 'radio_buttons', 'datepicker', 'timepicker'];

/** Which element types each container accepts (docs: "Works with block types"). */
const ELEMENTS_IN: Readonly<Record<'actions' | 'accessory' | 'input', ReadonlySet<string>>> = {
  actions: new Set([
    'button',
    'overflow',
    'datetimepicker',
    'workflow_button',
    ...CHOICES,
    ...SINGLE_SELECTS,
    ...MULTI_SELECTS,
    ...TEXT_INPUTS,
  ]),
  accessory: new Set([
    'button',
    'overflow',
    'image',
    'workflow_button',
    ...CHOICES,
    ...SINGLE_SELECTS,
    ...MULTI_SELECTS,
  ]),
  input: new Set([
    'datetimepicker',
    'rich_text_input',
    'file_input',
    ...CHOICES,
    ...SINGLE_SELECTS,
    ...MULTI_SELECTS,
    ...TEXT_INPUTS,
  ]),
};

const RICH_TEXT_CONTAINERS = new Set([
  'rich_text_section',
  'rich_text_list',
  'rich_text_preformatted',
  'rich_text_quote',
]);
const RICH_TEXT_LEAVES = new Set([
  'text',
  'link',
  'emoji',
  'user',
  'channel',
  'usergroup',
  'broadcast',
  'date',
  'color',
  'team',
]);

/** Returns a list of human-readable violations with a JSON-pointer-like path, empty when valid. */
export function blockKitViolations(surface: Surface, payload: unknown): string[] {
  const check: Check = { problems: [], blockIds: new Map(), focused: [] };
  if (!isRecord(payload)) {
    report(check, '', `payload must be an object, got ${kindOf(payload)}`);
    return check.problems;
  }
  if (surface === 'message') checkMessage(check, payload);
  else checkView(check, surface, payload);
  if (check.focused.length > 1) {
    report(
      check,
      '',
      `only one element may set focus_on_load, found ${check.focused.length}: ${check.focused.join(', ')}`,
    );
  }
  return check.problems;
}

/** Throws an Error listing every violation; for use as expect-free assertion in tests. */
export function assertWithinBlockKitLimits(surface: Surface, payload: unknown): void {
  const problems = blockKitViolations(surface, payload);
  if (problems.length > 0) {
    throw new Error(`${surface} breaks Block Kit limits (${problems.length}):\n  - ${problems.join('\n  - ')}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Surfaces

function checkView(check: Check, surface: 'modal' | 'home', view: Json): void {
  if (view.type !== surface) report(check, '/type', `must be "${surface}", got ${show(view.type)}`);

  if (surface === 'modal') {
    textObject(check, '/title', view.title, LIMITS.viewTitle, 'plain_text');
    optionalText(check, '/submit', view.submit, LIMITS.viewTitle, 'plain_text');
    optionalText(check, '/close', view.close, LIMITS.viewTitle, 'plain_text');
  } else {
    // Home tabs have no buttons of their own (python `_validate_home_tab_structure`).
    if (view.submit !== undefined) report(check, '/submit', 'a home view must not have submit');
    if (view.close !== undefined) report(check, '/close', 'a home view must not have close');
  }
  stringField(check, '/private_metadata', view.private_metadata, { max: LIMITS.privateMetadata });
  stringField(check, '/callback_id', view.callback_id, { max: LIMITS.id });
  stringField(check, '/external_id', view.external_id, { min: 1, max: LIMITS.id });
  for (const key of ['clear_on_close', 'notify_on_close', 'submit_disabled']) {
    booleanField(check, `/${key}`, view[key]);
  }

  if (!Array.isArray(view.blocks)) {
    report(check, '/blocks', `is required and must be an array, got ${kindOf(view.blocks)}`);
  } else {
    checkBlocks(check, surface, view.blocks, LIMITS.blocksPerView);
    // Slack: "[ERROR] must define submit to use input block".
    const firstInput = view.blocks.findIndex((block) => isRecord(block) && block.type === 'input');
    if (surface === 'modal' && firstInput >= 0 && view.submit === undefined) {
      report(check, '/submit', `is required because /blocks/${firstInput} is an input block`);
    }
  }

  const bytes = new TextEncoder().encode(JSON.stringify(view)).length;
  if (bytes > LIMITS.viewBytes)
    report(check, '', `serialized view is ${bytes} bytes, max ${LIMITS.viewBytes} (view_too_large)`);
}

function checkMessage(check: Check, message: Json): void {
  // Every message needs a fallback for notifications and screen readers; Slack truncates beyond 40,000.
  const text = stringField(check, '/text', message.text, { max: LIMITS.messageText, required: true });
  if (text !== undefined && text.trim() === '') report(check, '/text', 'fallback text must not be blank');
  if (text !== undefined) dateTokens(check, '/text', text, true);

  let blocks = message.blocks;
  if (blocks === undefined) return;
  // Form-encoded Web API calls carry blocks as a JSON string.
  if (typeof blocks === 'string') {
    try {
      blocks = JSON.parse(blocks) as unknown;
    } catch {
      report(check, '/blocks', 'is a string but not valid JSON');
      return;
    }
  }
  if (!Array.isArray(blocks)) {
    report(check, '/blocks', `must be an array, got ${kindOf(blocks)}`);
    return;
  }
  checkBlocks(check, 'message', blocks, LIMITS.blocksPerMessage);
}

// ---------------------------------------------------------------------------------------------------------------
// Blocks

function checkBlocks(check: Check, surface: Surface, blocks: readonly unknown[], max: number): void {
  if (blocks.length > max) report(check, '/blocks', `has ${blocks.length} blocks, max ${max} for a ${surface}`);
  for (const [index, block] of blocks.entries()) checkBlock(check, `/blocks/${index}`, block);
}

function checkBlock(check: Check, path: string, block: unknown): void {
  if (!isRecord(block)) {
    report(check, path, `block must be an object, got ${kindOf(block)}`);
    return;
  }
  const type = block.type;
  const keys = typeof type === 'string' ? BLOCK_KEYS[type] : undefined;
  if (keys === undefined) {
    report(check, `${path}/type`, `unknown block type ${show(type)}`);
    return;
  }
  // Slack answers "invalid additional property" for fields a block does not define.
  onlyKeys(check, path, block, ['type', 'block_id', ...keys]);

  const blockId = stringField(check, `${path}/block_id`, block.block_id, { min: 1, max: LIMITS.id });
  if (blockId !== undefined) {
    const first = check.blockIds.get(blockId);
    if (first !== undefined)
      report(check, `${path}/block_id`, `duplicate block_id ${show(blockId)} (first used at ${first})`);
    else check.blockIds.set(blockId, path);
  }

  // action_ids must be unique within a block.
  const actionIds = new Map<string, string>();
  switch (type) {
    case 'section':
      checkSection(check, path, block, actionIds);
      break;
    case 'header':
      textObject(check, `${path}/text`, block.text, LIMITS.headerText, 'plain_text');
      break;
    case 'context':
      checkList(check, `${path}/elements`, block.elements, 1, LIMITS.contextElements, (item, itemPath) =>
        contextElement(check, itemPath, item),
      );
      break;
    case 'actions':
      checkList(check, `${path}/elements`, block.elements, 1, LIMITS.actionsElements, (item, itemPath) =>
        checkElement(check, itemPath, item, 'actions', actionIds),
      );
      break;
    case 'input':
      textObject(check, `${path}/label`, block.label, LIMITS.label, 'plain_text');
      optionalText(check, `${path}/hint`, block.hint, LIMITS.hint, 'plain_text');
      booleanField(check, `${path}/optional`, block.optional);
      booleanField(check, `${path}/dispatch_action`, block.dispatch_action);
      if (block.element === undefined) report(check, `${path}/element`, 'an input block must have an element');
      else checkElement(check, `${path}/element`, block.element, 'input', actionIds);
      break;
    case 'image':
      imageSource(check, path, block);
      stringField(check, `${path}/alt_text`, block.alt_text, { min: 1, max: LIMITS.imageAltText, required: true });
      optionalText(check, `${path}/title`, block.title, LIMITS.imageTitle, 'plain_text');
      break;
    case 'rich_text':
      checkList(check, `${path}/elements`, block.elements, 1, Infinity, (item, itemPath) =>
        richTextContainer(check, itemPath, item),
      );
      break;
    case 'markdown':
      stringField(check, `${path}/text`, block.text, { min: 1, max: LIMITS.markdownText, required: true });
      break;
    default:
      // divider: nothing beyond type and block_id.
      break;
  }
}

function checkSection(check: Check, path: string, block: Json, actionIds: Map<string, string>): void {
  if (block.text === undefined && block.fields === undefined) {
    report(check, path, 'a section needs text or fields');
  }
  optionalText(check, `${path}/text`, block.text, LIMITS.sectionText, 'any');
  if (block.fields !== undefined) {
    checkList(check, `${path}/fields`, block.fields, 1, LIMITS.sectionFields, (item, itemPath) =>
      textObject(check, itemPath, item, LIMITS.sectionField, 'any'),
    );
  }
  if (block.accessory !== undefined) checkElement(check, `${path}/accessory`, block.accessory, 'accessory', actionIds);
  booleanField(check, `${path}/expand`, block.expand);
}

function contextElement(check: Check, path: string, item: unknown): void {
  if (isRecord(item) && item.type === 'image') {
    imageElement(check, path, item);
    return;
  }
  textObject(check, path, item, LIMITS.sectionText, 'any');
}

function richTextContainer(check: Check, path: string, item: unknown): void {
  if (!isRecord(item) || typeof item.type !== 'string' || !RICH_TEXT_CONTAINERS.has(item.type)) {
    report(check, `${path}/type`, `unknown rich_text element ${show(isRecord(item) ? item.type : item)}`);
    return;
  }
  if (item.type === 'rich_text_list') {
    if (item.style !== 'bullet' && item.style !== 'ordered') {
      report(check, `${path}/style`, `must be "bullet" or "ordered", got ${show(item.style)}`);
    }
    checkList(check, `${path}/elements`, item.elements, 1, Infinity, (child, childPath) => {
      if (!isRecord(child) || child.type !== 'rich_text_section') {
        report(check, childPath, 'list items must be rich_text_section');
      } else {
        richTextContainer(check, childPath, child);
      }
    });
    return;
  }
  checkList(check, `${path}/elements`, item.elements, 0, Infinity, (leaf, leafPath) => {
    if (!isRecord(leaf) || typeof leaf.type !== 'string' || !RICH_TEXT_LEAVES.has(leaf.type)) {
      report(check, `${leafPath}/type`, `unknown rich_text leaf ${show(isRecord(leaf) ? leaf.type : leaf)}`);
      return;
    }
    if (leaf.type === 'text')
      stringField(check, `${leafPath}/text`, leaf.text, { min: 1, max: Infinity, required: true });
    if (leaf.type === 'link') urlField(check, `${leafPath}/url`, leaf.url, LIMITS.url, true);
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Elements

function checkElement(
  check: Check,
  path: string,
  element: unknown,
  place: keyof typeof ELEMENTS_IN,
  actionIds: Map<string, string>,
): void {
  if (!isRecord(element)) {
    report(check, path, `element must be an object, got ${kindOf(element)}`);
    return;
  }
  const type = element.type;
  if (typeof type !== 'string' || !ELEMENTS_IN[place].has(type)) {
    const where = place === 'accessory' ? 'a section accessory' : `an ${place} block`;
    report(check, `${path}/type`, `element type ${show(type)} is not allowed in ${where}`);
    return;
  }
  if (type === 'image') {
    imageElement(check, path, element);
    return;
  }

  const actionId = stringField(check, `${path}/action_id`, element.action_id, { min: 1, max: LIMITS.id });
  if (actionId !== undefined) {
    const first = actionIds.get(actionId);
    if (first === undefined) actionIds.set(actionId, path);
    else
      report(
        check,
        `${path}/action_id`,
        `duplicate action_id ${show(actionId)} in this block (first used at ${first})`,
      );
  }
  if (booleanField(check, `${path}/focus_on_load`, element.focus_on_load) === true) check.focused.push(path);
  optionalText(check, `${path}/placeholder`, element.placeholder, LIMITS.placeholder, 'plain_text');
  if (element.confirm !== undefined) confirmObject(check, `${path}/confirm`, element.confirm);

  switch (type) {
    case 'button':
    case 'workflow_button':
      textObject(check, `${path}/text`, element.text, LIMITS.buttonText, 'plain_text');
      stringField(check, `${path}/value`, element.value, { max: LIMITS.buttonValue });
      urlField(check, `${path}/url`, element.url, LIMITS.url, false);
      stringField(check, `${path}/accessibility_label`, element.accessibility_label, {
        min: 1,
        max: LIMITS.accessibilityLabel,
      });
      if (element.style !== undefined && element.style !== 'primary' && element.style !== 'danger') {
        report(check, `${path}/style`, `must be "primary" or "danger", got ${show(element.style)}`);
      }
      if (type === 'workflow_button' && !isRecord(element.workflow)) report(check, `${path}/workflow`, 'is required');
      break;
    case 'static_select':
    case 'multi_static_select':
      staticSelect(check, path, element, type === 'multi_static_select');
      break;
    case 'external_select':
    case 'multi_external_select':
      if (element.min_query_length !== undefined && !isWhole(element.min_query_length, 0, Infinity)) {
        report(check, `${path}/min_query_length`, `must be a whole number >= 0, got ${show(element.min_query_length)}`);
      }
      initialChoices(check, path, element, type === 'multi_external_select', 'plain_text', undefined);
      break;
    case 'checkboxes':
    case 'radio_buttons': {
      const options = optionList(check, `${path}/options`, element.options, 1, LIMITS.choiceOptions, 'any', false);
      initialChoices(check, path, element, type === 'checkboxes', 'any', options);
      break;
    }
    case 'overflow':
      optionList(check, `${path}/options`, element.options, LIMITS.overflowMin, LIMITS.overflowMax, 'plain_text', true);
      break;
    case 'plain_text_input':
      plainTextInput(check, path, element);
      break;
    case 'number_input':
      if (typeof element.is_decimal_allowed !== 'boolean') {
        report(check, `${path}/is_decimal_allowed`, 'is required and must be a boolean');
      }
      break;
    case 'datepicker':
      if (element.initial_date !== undefined && !isCalendarDate(element.initial_date)) {
        report(check, `${path}/initial_date`, `must be a real date as YYYY-MM-DD, got ${show(element.initial_date)}`);
      }
      break;
    case 'timepicker':
      if (element.initial_time !== undefined && !isClockTime(element.initial_time)) {
        report(check, `${path}/initial_time`, `must be HH:mm (24h), got ${show(element.initial_time)}`);
      }
      stringField(check, `${path}/timezone`, element.timezone, { min: 1, max: Infinity });
      break;
    case 'datetimepicker':
      // UNIX seconds, not milliseconds: Slack caps it at ten digits.
      if (element.initial_date_time !== undefined && !isWhole(element.initial_date_time, 0, LIMITS.dateTimeMax)) {
        const got = show(element.initial_date_time);
        report(
          check,
          `${path}/initial_date_time`,
          `must be whole UNIX seconds in 0..${LIMITS.dateTimeMax}, got ${got}`,
        );
      }
      break;
    case 'file_input':
      if (element.max_files !== undefined && !isWhole(element.max_files, 1, LIMITS.fileInputMaxFiles)) {
        const got = show(element.max_files);
        report(check, `${path}/max_files`, `must be a whole number in 1..${LIMITS.fileInputMaxFiles}, got ${got}`);
      }
      break;
    default:
      break;
  }
  const maxItems = element.max_selected_items;
  if (MULTI_SELECTS.includes(type) && maxItems !== undefined && !isWhole(maxItems, 1, Infinity)) {
    report(check, `${path}/max_selected_items`, `must be a whole number >= 1, got ${show(maxItems)}`);
  }
}

function staticSelect(check: Check, path: string, element: Json, multi: boolean): void {
  const hasOptions = element.options !== undefined;
  const hasGroups = element.option_groups !== undefined;
  if (hasOptions === hasGroups) {
    report(check, path, 'a static select needs exactly one of options or option_groups');
  }
  let options: Json[] = [];
  if (hasOptions) {
    options = optionList(check, `${path}/options`, element.options, 1, LIMITS.selectOptions, 'plain_text', false);
  }
  if (hasGroups) {
    checkList(check, `${path}/option_groups`, element.option_groups, 1, LIMITS.optionGroups, (group, groupPath) => {
      if (!isRecord(group)) {
        report(check, groupPath, `option group must be an object, got ${kindOf(group)}`);
        return;
      }
      onlyKeys(check, groupPath, group, ['label', 'options']);
      textObject(check, `${groupPath}/label`, group.label, LIMITS.optionGroupLabel, 'plain_text');
      options.push(
        ...optionList(check, `${groupPath}/options`, group.options, 1, LIMITS.selectOptions, 'plain_text', false),
      );
    });
  }
  initialChoices(check, path, element, multi, 'plain_text', options);
}

/**
 * initial_option (single) or initial_options (multi) must be well-formed and, when the choices are known,
 * exactly match one of them: Slack rejects an initial option it cannot find.
 */
function initialChoices(
  check: Check,
  path: string,
  element: Json,
  multi: boolean,
  kind: TextKind,
  known: readonly Json[] | undefined,
): void {
  const wrongKey = multi ? 'initial_option' : 'initial_options';
  if (element[wrongKey] !== undefined) report(check, `${path}/${wrongKey}`, `is not valid on ${show(element.type)}`);

  const key = multi ? 'initial_options' : 'initial_option';
  const value = element[key];
  if (value === undefined) return;
  let initial: Array<[unknown, string]>;
  if (!multi) {
    initial = [[value, `${path}/${key}`]];
  } else if (Array.isArray(value)) {
    initial = value.map((item: unknown, index): [unknown, string] => [item, `${path}/${key}/${index}`]);
  } else {
    report(check, `${path}/${key}`, `must be an array, got ${kindOf(value)}`);
    return;
  }
  const knownKeys = known === undefined ? undefined : new Set(known.map(optionIdentity));
  for (const [item, itemPath] of initial) {
    if (!option(check, itemPath, item, kind, false)) continue;
    if (knownKeys !== undefined && isRecord(item) && !knownKeys.has(optionIdentity(item))) {
      report(check, itemPath, `initial option ${show(item.value)} is not one of the element's options`);
    }
  }
}

function plainTextInput(check: Check, path: string, element: Json): void {
  const min = element.min_length;
  const max = element.max_length;
  if (min !== undefined && !isWhole(min, 0, LIMITS.textInputLength)) {
    report(check, `${path}/min_length`, `must be a whole number in 0..${LIMITS.textInputLength}, got ${show(min)}`);
  }
  if (max !== undefined && !isWhole(max, 1, LIMITS.textInputLength)) {
    report(check, `${path}/max_length`, `must be a whole number in 1..${LIMITS.textInputLength}, got ${show(max)}`);
  }
  if (typeof min === 'number' && typeof max === 'number' && min > max) {
    report(check, `${path}/min_length`, `${min} is greater than max_length ${max}`);
  }
  const cap = typeof max === 'number' && isWhole(max, 1, LIMITS.textInputLength) ? max : LIMITS.textInputLength;
  stringField(check, `${path}/initial_value`, element.initial_value, { max: cap });
  booleanField(check, `${path}/multiline`, element.multiline);
}

function imageElement(check: Check, path: string, element: Json): void {
  imageSource(check, path, element);
  stringField(check, `${path}/alt_text`, element.alt_text, { min: 1, max: LIMITS.imageAltText, required: true });
}

/** Images take exactly one of image_url or slack_file. */
function imageSource(check: Check, path: string, image: Json): void {
  if ((image.image_url === undefined) === (image.slack_file === undefined)) {
    report(check, path, 'an image needs exactly one of image_url or slack_file');
  }
  urlField(check, `${path}/image_url`, image.image_url, LIMITS.url, false);
  const file = image.slack_file;
  if (file !== undefined && !(isRecord(file) && (typeof file.url === 'string' || typeof file.id === 'string'))) {
    report(check, `${path}/slack_file`, 'must be an object with url or id');
  }
}

function confirmObject(check: Check, path: string, confirm: unknown): void {
  if (!isRecord(confirm)) {
    report(check, path, `confirm must be an object, got ${kindOf(confirm)}`);
    return;
  }
  onlyKeys(check, path, confirm, ['title', 'text', 'confirm', 'deny', 'style']);
  optionalText(check, `${path}/title`, confirm.title, LIMITS.confirmTitle, 'plain_text');
  textObject(check, `${path}/text`, confirm.text, LIMITS.confirmText, 'any');
  optionalText(check, `${path}/confirm`, confirm.confirm, LIMITS.confirmButton, 'plain_text');
  optionalText(check, `${path}/deny`, confirm.deny, LIMITS.confirmButton, 'plain_text');
  if (confirm.style !== undefined && confirm.style !== 'primary' && confirm.style !== 'danger') {
    report(check, `${path}/style`, `must be "primary" or "danger", got ${show(confirm.style)}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Composition objects

/** 'plain_text' where Slack insists on it (headers, labels, titles, button and select option text); else either. */
type TextKind = 'plain_text' | 'any';

function optionalText(check: Check, path: string, value: unknown, max: number, kind: TextKind): void {
  if (value !== undefined) textObject(check, path, value, max, kind);
}

function textObject(check: Check, path: string, value: unknown, max: number, kind: TextKind): void {
  if (value === undefined) {
    report(check, path, 'is required');
    return;
  }
  if (!isRecord(value)) {
    report(check, path, `must be a text object, got ${kindOf(value)}`);
    return;
  }
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') {
    report(check, `${path}/type`, `must be plain_text or mrkdwn, got ${show(value.type)}`);
  } else if (kind === 'plain_text' && value.type !== 'plain_text') {
    report(check, `${path}/type`, 'must be plain_text here');
  }
  // Slack rejects `emoji` on mrkdwn and `verbatim` on plain_text as additional properties.
  onlyKeys(check, path, value, value.type === 'mrkdwn' ? ['type', 'text', 'verbatim'] : ['type', 'text', 'emoji']);
  booleanField(check, `${path}/emoji`, value.emoji);
  booleanField(check, `${path}/verbatim`, value.verbatim);
  // Slack rejects empty text ("must be more than 0 characters").
  const text = stringField(check, `${path}/text`, value.text, { min: 1, max, required: true });
  if (text !== undefined) dateTokens(check, `${path}/text`, text, value.type === 'mrkdwn');
}

/**
 * Slack's date formatting (`<!date^seconds^tokens[^link]|fallback>`) works in mrkdwn only: there every token must be
 * well formed, with a fallback; in plain_text any token would show as typed.
 */
function dateTokens(check: Check, path: string, text: string, mrkdwn: boolean): void {
  if (!mrkdwn) {
    if (text.includes('<!date')) report(check, path, 'a date token in plain_text shows as typed; use mrkdwn');
    return;
  }
  for (const problem of dateTokenProblems(text)) report(check, path, problem);
}

/** Checks a list of option objects and returns the well-formed ones (for initial_option matching). */
function optionList(
  check: Check,
  path: string,
  value: unknown,
  min: number,
  max: number,
  kind: TextKind,
  allowUrl: boolean,
): Json[] {
  const valid: Json[] = [];
  checkList(check, path, value, min, max, (item, itemPath) => {
    if (option(check, itemPath, item, kind, allowUrl) && isRecord(item)) valid.push(item);
  });
  return valid;
}

/** Returns whether the option is well-formed. */
function option(check: Check, path: string, value: unknown, kind: TextKind, allowUrl: boolean): boolean {
  if (!isRecord(value)) {
    report(check, path, `option must be an object, got ${kindOf(value)}`);
    return false;
  }
  const before = check.problems.length;
  // url is only defined on overflow options.
  onlyKeys(check, path, value, allowUrl ? ['text', 'value', 'description', 'url'] : ['text', 'value', 'description']);
  textObject(check, `${path}/text`, value.text, LIMITS.optionText, kind);
  stringField(check, `${path}/value`, value.value, { min: 1, max: LIMITS.optionValue, required: true });
  optionalText(check, `${path}/description`, value.description, LIMITS.optionDescription, kind);
  if (allowUrl) urlField(check, `${path}/url`, value.url, LIMITS.url, false);
  return check.problems.length === before;
}

/** Two options are the same when their text and value match. */
function optionIdentity(option: Json): string {
  const text = isRecord(option.text) ? [option.text.type, option.text.text] : [];
  return JSON.stringify([...text, option.value]);
}

// ---------------------------------------------------------------------------------------------------------------
// Primitive fields

function checkList(
  check: Check,
  path: string,
  value: unknown,
  min: number,
  max: number,
  each: (item: unknown, itemPath: string) => void,
): void {
  if (!Array.isArray(value)) {
    report(check, path, `must be an array, got ${kindOf(value)}`);
    return;
  }
  if (value.length < min) report(check, path, `has ${value.length} items, min ${min}`);
  if (value.length > max) report(check, path, `has ${value.length} items, max ${max}`);
  for (const [index, item] of value.entries()) each(item, `${path}/${index}`);
}

/** A string field; `undefined` passes unless required. Lengths are UTF-16 units, which never undercount Slack's. */
function stringField(
  check: Check,
  path: string,
  value: unknown,
  rule: { readonly min?: number; readonly max: number; readonly required?: boolean },
): string | undefined {
  if (value === undefined) {
    if (rule.required === true) report(check, path, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') {
    report(check, path, `must be a string, got ${kindOf(value)}`);
    return undefined;
  }
  const min = rule.min ?? 0;
  if (value.length < min)
    report(check, path, min === 1 ? 'must not be empty' : `is ${value.length} characters, min ${min}`);
  if (value.length > rule.max) report(check, path, `is ${value.length} characters, max ${rule.max}`);
  return value;
}

function urlField(check: Check, path: string, value: unknown, max: number, required: boolean): void {
  const url = stringField(check, path, value, { min: 1, max, required });
  if (url !== undefined && url !== '' && !isHttpUrl(url))
    report(check, path, `must be an http(s) URL, got ${show(url)}`);
}

function booleanField(check: Check, path: string, value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'boolean') {
    report(check, path, `must be a boolean, got ${kindOf(value)}`);
    return undefined;
  }
  return value;
}

function onlyKeys(check: Check, path: string, value: Json, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) report(check, `${path}/${key}`, 'is not a property Slack accepts here');
  }
}

function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/\S+$/i.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** HH:mm on a 24-hour clock, two digits each. */
function isClockTime(value: unknown): boolean {
  return typeof value === 'string' && /^([01]\d|2[0-3]):[0-5]\d$/.test(value);
}

/** YYYY-MM-DD naming a day that exists (no 2024-02-30). */
function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (match === null) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

function isWhole(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

function report(check: Check, path: string, message: string): void {
  check.problems.push(`${path === '' ? '/' : path}: ${message}`);
}
