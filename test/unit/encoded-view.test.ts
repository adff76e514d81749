import type { ModalView } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { encodedOnce, encodedView } from '../../src/slack/web-api/encoded-view.js';
import { buildScheduleModal } from '../../src/slack/ui/modals/schedule-modal.js';

describe('encoded views', () => {
  it('a view is handed to the WebClient as its JSON text', () => {
    const view = buildScheduleModal({ name: 'Ada', startsAt: null });
    expect(JSON.parse(encodedView(view) as unknown as string)).toEqual(view);
  });

  it('a view that never changes is built and encoded on first use only', () => {
    let builds = 0;
    const blank = encodedOnce(() => {
      builds += 1;
      return buildScheduleModal({ name: null, startsAt: null }) as ModalView;
    });
    expect(builds).toBe(0);
    const first = blank();
    expect(blank()).toBe(first);
    expect(builds).toBe(1);
    expect(JSON.parse(first as unknown as string)).toEqual(buildScheduleModal({ name: null, startsAt: null }));
  });
});
