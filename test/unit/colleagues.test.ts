import { describe, expect, it } from 'vitest';
import { directMessageLink, fillFromColleague, readColleague } from '../../src/domain/contacts/colleagues.js';
import { blankDraft, type ContactDraft } from '../../src/domain/contacts/contact-rules.js';

const blank: ContactDraft = { ...blankDraft(), slackUserId: 'U0001' };

describe('colleagues', () => {
  it('links a DM with the documented slack://user deep link', () => {
    expect(directMessageLink('T0001', 'W0GRID001')).toBe('slack://user?team=T0001&id=W0GRID001');
  });

  it('fills only what is empty and cuts to the form limits', () => {
    const read = readColleague(
      { team_id: 'T1', tz: 'Europe/Oslo', profile: { real_name: `  ${'N'.repeat(120)} `, title: 'Lead' } },
      'T1',
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.facts.name).toHaveLength(100);
    expect(fillFromColleague({ ...blank, title: '  Mine ' }, read.facts)).toMatchObject({
      title: '  Mine ',
      timeZone: 'Europe/Oslo',
      pronunciation: '',
    });
  });

  it('refuses Slackbot and users without a team', () => {
    expect(readColleague({ id: 'USLACKBOT', team_id: 'T1' }, 'T1').ok).toBe(false);
    expect(readColleague({ id: 'U1' }, 'T1').ok).toBe(false);
  });
});
