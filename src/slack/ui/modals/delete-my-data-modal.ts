import type { ModalView } from '@slack/types';
import { mrkdwn, plain } from '../text.js';

export const DELETE_MY_DATA_MODAL = { callbackId: 'delete_my_data' } as const;

/** Asks before deleting everything, saying what goes and that it cannot be undone. */
export function buildDeleteMyDataModal(counts: { contacts: number; meetings: number; adviceItems: number }): ModalView {
  return {
    type: 'modal',
    callback_id: DELETE_MY_DATA_MODAL.callbackId,
    title: plain('Delete my data'),
    submit: plain('Delete everything'),
    close: plain('Keep my data'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          `This deletes everything infoview holds about you: *${counts.contacts} contact${counts.contacts === 1 ? '' : 's'}*, *${counts.meetings} meeting${counts.meetings === 1 ? '' : 's'}* with their debriefs and notes, *${counts.adviceItems} advice item${counts.adviceItems === 1 ? '' : 's'}*, your saved questions, your settings, every reminder not yet sent, and your calendar feed (its address stops working).`,
        ),
      },
      {
        type: 'section',
        text: mrkdwn('*This cannot be undone.* If you may want it later, run `/infoview export` first.'),
      },
    ],
  };
}

export function buildDataDeletedModal(): ModalView {
  return {
    type: 'modal',
    title: plain('Data deleted'),
    close: plain('Done'),
    blocks: [
      {
        type: 'section',
        text: mrkdwn(
          'Everything infoview held about you is deleted, and no reminder will come. You can start afresh any time.',
        ),
      },
    ],
  };
}
