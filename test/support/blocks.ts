import type { Option } from '@slack/types';

// Block Kit as tests read it. A view or message the app built is a list of many kinds of block (Slack's KnownBlock
// union); a test that looks into one by block_id reads it through these shapes: the fields tests look at, each
// undefined on a block or element that lacks it.

export interface TextObject {
  type: string;
  text: string;
}

export interface BlockElement {
  type: string;
  action_id?: string;
  value?: string;
  url?: string;
  text?: TextObject;
  initial_value?: string;
  initial_date?: string;
  initial_date_time?: number;
  initial_user?: string;
  initial_option?: Option;
  initial_options?: Option[];
  options?: Option[];
  option_groups?: { options: Option[] }[];
}

export interface Block {
  type: string;
  block_id?: string;
  text?: TextObject;
  element?: BlockElement;
  elements?: BlockElement[];
  accessory?: BlockElement;
}

/** The blocks of a view or a message body; a clear failure when it has none or one is not a block. */
export function blocksOf(surface: { blocks?: unknown } | undefined): readonly Block[] {
  const blocks = surface?.blocks;
  if (!Array.isArray(blocks)) throw new Error(`expected blocks, got ${JSON.stringify(surface)}`);
  for (const [index, block] of blocks.entries()) {
    if (typeof block !== 'object' || block === null || typeof block.type !== 'string')
      throw new Error(`blocks/${index} is not a block: ${JSON.stringify(block)}`);
  }
  return blocks;
}

/** The block with this block_id; a clear failure when there is none. */
export function blockOf(surface: { blocks?: unknown } | undefined, blockId: string): Block {
  const block = blocksOf(surface).find((b) => b.block_id === blockId);
  if (block === undefined) throw new Error(`no block ${blockId}`);
  return block;
}

/** The element of the input block with this block_id; a clear failure when there is none. */
export function elementOf(surface: { blocks?: unknown } | undefined, blockId: string): BlockElement {
  const element = blockOf(surface, blockId).element;
  if (element === undefined) throw new Error(`block ${blockId} has no element`);
  return element;
}
