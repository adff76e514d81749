import { describe, expect, it } from 'vitest';
import { holdAt, pausePoint } from '../../src/lib/pause-points.js';

describe('pause points', () => {
  it('pass at once when nothing holds them', () => {
    expect(pausePoint('nobody:holds')).toBeUndefined();
  });

  it('hold the first matching arrival until released, and let the others pass', async () => {
    const order: string[] = [];
    const held = holdAt('work:middle', (detail) => detail === 'a');
    const task = async (name: string) => {
      order.push(`${name} start`);
      await pausePoint('work:middle', name);
      order.push(`${name} end`);
    };
    const first = task('a');
    expect(await held.reached).toBe('a');
    await task('b');
    expect(order).toEqual(['a start', 'b start', 'b end']);
    held.release();
    await first;
    expect(order).toEqual(['a start', 'b start', 'b end', 'a end']);
    // Once used, the hold is gone: the next arrival passes.
    expect(pausePoint('work:middle', 'a')).toBeUndefined();
  });

  it('a hold released before anyone arrives lets the next arrival pass', () => {
    holdAt('work:never').release();
    expect(pausePoint('work:never')).toBeUndefined();
  });
});
