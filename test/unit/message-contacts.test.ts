import { describe, expect, it } from 'vitest';
import { blankDraft } from '../../src/domain/contacts/contact-rules.js';
import {
  howMetFromMessage,
  isProfileLink,
  MAX_MESSAGE_PEOPLE,
  messageDay,
  messageLink,
  peopleInMessage,
} from '../../src/domain/contacts/message-contacts.js';
import { buildContactModal } from '../../src/slack/ui/modals/contact-modal.js';

const person = (fields: Partial<{ slackUserId: string; name: string; email: string; profileUrl: string }>) => ({
  slackUserId: '',
  name: '',
  email: '',
  profileUrl: '',
  ...fields,
});

describe('the people a Slack message names', () => {
  it.each([
    ['a mention', 'ask <@U0ALAN001> about it', [person({ slackUserId: 'U0ALAN001' })]],
    ['an old-style mention with a name', 'ask <@W0ALAN001|alan>', [person({ slackUserId: 'W0ALAN001' })]],
    [
      'a name before a mailto link',
      'talk to Grace Hopper (<mailto:grace@navy.mil|grace@navy.mil>), she runs data',
      [person({ name: 'Grace Hopper', email: 'grace@navy.mil' })],
    ],
    [
      'a plain email after a name',
      'Reach out to Ada Lovelace at ada@example.com please',
      [person({ email: 'ada@example.com' })],
    ],
    [
      'a plain email after a name and a colon',
      'Ada Lovelace: ada@example.com',
      [person({ name: 'Ada Lovelace', email: 'ada@example.com' })],
    ],
    ['no name taken from a sentence start', 'Email: ada@example.com', [person({ email: 'ada@example.com' })]],
    [
      'a labelled profile link',
      'see <https://www.linkedin.com/in/katherine-johnson|Katherine Johnson>',
      [person({ name: 'Katherine Johnson', profileUrl: 'https://www.linkedin.com/in/katherine-johnson' })],
    ],
    [
      'one person with an email and a profile link',
      'Grace Hopper <mailto:g@navy.mil|g@navy.mil> Grace Hopper <https://github.com/ghopper>',
      [person({ name: 'Grace Hopper', email: 'g@navy.mil', profileUrl: 'https://github.com/ghopper' })],
    ],
    ['a web page that is not a profile', 'read <https://example.com/blog|this post>', []],
    ['channels and here', '<#C0123|general> <!here> hello', []],
    ['escaped text', 'Tom &amp; Jerry &lt;tj@example.com&gt;', [person({ email: 'tj@example.com' })]],
  ])('%s', (_what, text, expected) => {
    expect(peopleInMessage(text, [])).toEqual(expected);
  });

  it('leaves out the author and the user, and offers at most five', () => {
    const mentions = Array.from({ length: 8 }, (_, i) => `<@U0PERSON${i}>`).join(' ');
    const people = peopleInMessage(`<@U0AUTHOR1> <@U0ME00001> ${mentions}`, ['U0AUTHOR1', 'U0ME00001']);
    expect(people).toHaveLength(MAX_MESSAGE_PEOPLE);
    expect(people.map((p) => p.slackUserId)).not.toContain('U0AUTHOR1');
  });

  it("cuts a name to the form's limit, and keeps what the view carries within its private_metadata", () => {
    const long = `A${'a'.repeat(300)}`;
    const names = Array.from(
      { length: 8 },
      (_, i) => `Ask ${long}${'bcdefghi'[i]} <mailto:${'x'.repeat(200)}${i}@example.com|${long}>`,
    );
    const people = peopleInMessage(names.join(' '), []);
    expect(people.length).toBeGreaterThan(0);
    for (const p of people) expect([...p.name].length).toBe(100);
    const source = {
      author: 'H'.repeat(100),
      day: 'Wed 25 Nov 2026',
      link: `https://example.slack.com/archives/C0123/p1795534200000300?thread_ts=1795534100.000100&cid=C0123`,
      people,
      referrerId: 123456789,
      isAuthor: true,
    };
    const view = buildContactModal({
      form: {
        draft: { ...blankDraft(), name: 'x' },
        context: { fromMessage: source, fill: 999, refusedSlackUserId: 'U0123456789' },
      },
      now: new Date('2026-11-25T12:00:00Z'),
    });
    expect((view.private_metadata ?? '').length).toBeLessThanOrEqual(3000);
  });

  it('reads a long message without failing', () => {
    expect(peopleInMessage(`${'<'.repeat(50_000)}${'>'.repeat(50_000)}`, [])).toEqual([]);
  });
});

describe('the link to a message', () => {
  it('is built from the domain, channel and ts, with the thread for a reply', () => {
    expect(messageLink({ domain: 'example', channelId: 'C0123', ts: '1795534200.000300' })).toBe(
      'https://example.slack.com/archives/C0123/p1795534200000300',
    );
    expect(
      messageLink({ domain: 'example', channelId: 'C0123', ts: '1795534200.000300', threadTs: '1795534100.000100' }),
    ).toBe('https://example.slack.com/archives/C0123/p1795534200000300?thread_ts=1795534100.000100&cid=C0123');
  });

  it.each([
    [undefined, 'C0123', '1.2'],
    ['bad domain!', 'C0123', '1.2'],
    ['example', 'not-a-channel', '1.2'],
    ['example', 'C0123', 'x'],
  ])('is null for domain %s, channel %s, ts %s', (domain, channelId, ts) => {
    expect(messageLink({ domain, channelId, ts })).toBeNull();
  });
});

describe('How you met, from a message', () => {
  it("names the author, the day in the reader's zone and the link", () => {
    const day = messageDay('1795534200.000300', 'Pacific/Auckland');
    expect(day).toBe('Wed 25 Nov 2026');
    expect(howMetFromMessage({ author: 'Hanna Berg', day, link: 'https://x.slack.com/archives/C1/p1' }, false)).toBe(
      'Slack message from Hanna Berg on Wed 25 Nov 2026: https://x.slack.com/archives/C1/p1',
    );
    expect(howMetFromMessage({ author: '', day, link: null }, true)).toBe(
      'Mentioned in a Slack message on Wed 25 Nov 2026',
    );
  });

  it('leaves the link out rather than go over the field', () => {
    const text = howMetFromMessage(
      { author: 'A'.repeat(100), day: 'Wed 25 Nov 2026', link: `https://x/${'p'.repeat(450)}` },
      false,
    );
    expect(text).toBe(`Slack message from ${'A'.repeat(100)} on Wed 25 Nov 2026`);
  });

  it('knows a profile link from a page', () => {
    expect(isProfileLink('https://www.linkedin.com/in/ada/')).toBe(true);
    expect(isProfileLink('https://www.linkedin.com/company/acme')).toBe(false);
    expect(isProfileLink('javascript:alert(1)')).toBe(false);
  });
});
