import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  COHORT_WEEKS,
  effectiveK,
  type FrozenWeek,
  freezeCells,
  publishCohortTable,
} from '../../src/domain/centre/cohort-table.js';
import {
  addDays,
  PROGRESS_METRICS,
  type ProgressEvent,
  type ProgressMetric,
} from '../../src/domain/centre/progress-facts.js';

// A model of the centre (people, advisors, shares, activity, frozen weeks) driven by random steps; after each step
// every advisor's table is published, and an attacker holding every table tries to single someone out.
//
// What an advisor knows of one person: the figures of their sharers, seen each time their Home was published while
// the person shared with them, from the day the share began (the advisor's view covers sharing time only), so a
// person is known in a week when the advisor looked at them during a share that began before that week ended. The
// attacker remembers people whose data was deleted too.

const PEOPLE = 40;
const MAX_ADVISORS = 3;
const FIRST_MONDAY = '2026-01-05';

type Step =
  | { kind: 'share'; person: number; advisor: number }
  | { kind: 'stop'; person: number; advisor: number }
  | { kind: 'delete'; person: number }
  | { kind: 'log'; people: number[]; metric: ProgressMetric; weeksBack: number; count: number }
  | { kind: 'busy'; metric: ProgressMetric }
  | { kind: 'week'; busy: boolean }
  | { kind: 'k'; k: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  // Each person mostly shares with "their" advisor (advisor -1 stands for that one), sometimes with another.
  {
    weight: 5,
    arbitrary: fc.record({
      kind: fc.constant('share' as const),
      person: fc.nat(PEOPLE - 1),
      advisor: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, fc.nat(MAX_ADVISORS - 1)),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('stop' as const),
      person: fc.nat(PEOPLE - 1),
      advisor: fc.oneof({ weight: 4, arbitrary: fc.constant(-1) }, fc.nat(MAX_ADVISORS - 1)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), person: fc.nat(PEOPLE - 1) }) },
  {
    weight: 8,
    arbitrary: fc.record({
      kind: fc.constant('log' as const),
      // One person, or several logging the same thing in the same week (so that cells reach k).
      people: fc.oneof(
        fc.nat(PEOPLE - 1).map((person) => [person]),
        fc.subarray(
          Array.from({ length: PEOPLE }, (_, i) => i),
          { minLength: 3 },
        ),
      ),
      metric: fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom<ProgressMetric>('asks', 'replies') },
        { weight: 1, arbitrary: fc.constantFrom(...PROGRESS_METRICS) },
      ),
      // 0: this week; more: late, dated in a week that has ended (maybe frozen already).
      weeksBack: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.nat(9) }),
      count: fc.integer({ min: 1, max: 3 }),
    }),
  },
  // Everyone in the cohort logs one of a kind this week (so that whole columns, and their totals, show).
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('busy' as const),
      metric: fc.constantFrom<ProgressMetric>('asks', 'replies'),
    }),
  },
  // A week passes; in a busy one everyone in the cohort sent an ask in it.
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('week' as const),
      busy: fc.oneof({ weight: 9, arbitrary: fc.constant(true) }, fc.constant(false)),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('k' as const), k: fc.integer({ min: 5, max: 7 }) }) },
);

function weekDay(index: number): string {
  return addDays(FIRST_MONDAY, index * 7);
}

/** The rule under test: the real one unless a test breaks it on purpose. */
type Publish = typeof publishCohortTable;

interface Published {
  advisor: number;
  at: number;
  firstWeek: number;
  table: ReturnType<Publish>;
}

interface Leak {
  attack: string;
  detail: string;
}

/** How often the runs reached what the attacks need (a test that never shows a figure proves nothing). */
const reached = { shownCells: 0, shownTotals: 0, shownWithKnownContributors: 0 };

function runModel(steps: Step[], minCohort: number, advisors: number, publish: Publish): Leak[] {
  const ADVISORS = advisors;
  const advisorOf = (person: number, advisor: number) => (advisor < 0 ? person : advisor) % ADVISORS;
  let now = 0;
  let week = 20;
  let k = minCohort;
  // person -> advisor -> the step the share began
  const shares = new Map<number, Map<number, number>>();
  const events = new Map<number, ProgressEvent[]>();
  // The app's record of looks (deleted with the person's data), and per advisor how many people they had seen were
  // deleted since (a count, kept so that a deletion never makes an advisor look as if they knew fewer people).
  const viewed = new Map<number, Set<number>>();
  const departed = new Map<number, number>();
  // What the attacker knows: advisor -> person -> the earliest week end they know the person from (remembered).
  const known = new Map<number, Map<number, number>>();
  const frozen = new Map<number, { week: FrozenWeek; contributors: Record<ProgressMetric, Set<number>> }>();
  const published: Published[] = [];
  const seen = new Map<string, number>();
  const leaks: Leak[] = [];

  const cohort = () => [...shares].filter(([, with_]) => with_.size > 0).map(([person]) => person);
  const sharersOf = (advisor: number) => [...shares].filter(([, with_]) => with_.has(advisor)).map(([p]) => p);

  const freeze = (index: number) => {
    const existing = frozen.get(index);
    if (existing) return existing.week;
    const members = cohort();
    const weekStart = weekDay(index);
    const cells = freezeCells(
      weekStart,
      members.map((person) => events.get(person) ?? []),
    );
    const contributors = Object.fromEntries(PROGRESS_METRICS.map((m) => [m, new Set<number>()])) as Record<
      ProgressMetric,
      Set<number>
    >;
    for (const person of members)
      for (const metric of PROGRESS_METRICS)
        if ((events.get(person) ?? []).some((e) => e.metric === metric && e.day === weekStart))
          contributors[metric].add(person);
    const frozenWeek: FrozenWeek = {
      weekStart,
      frozenAt: String(now).padStart(8, '0'),
      members: members.length,
      cells,
    };
    frozen.set(index, { week: frozenWeek, contributors });
    return frozenWeek;
  };

  const unknownIn = (advisor: number, index: number, metric: ProgressMetric) => {
    const entry = frozen.get(index);
    if (!entry) throw new Error('not frozen');
    const knows = known.get(advisor) ?? new Map<number, number>();
    // Known in week `index` when a share that began before the week ended was looked at.
    return [...entry.contributors[metric]].filter((person) => (knows.get(person) ?? Infinity) > index).length;
  };

  const publishAll = () => {
    const members = cohort();
    for (let advisor = 0; advisor < ADVISORS; advisor += 1) {
      const firstWeek = week - COHORT_WEEKS;
      const weeks = Array.from({ length: COHORT_WEEKS }, (_, i) => freeze(firstWeek + i));
      const current = sharersOf(advisor);
      const looked = viewed.get(advisor) ?? new Set<number>();
      const knownPeople = new Set([...current, ...looked]).size + (departed.get(advisor) ?? 0);
      const table = publish(weeks, members.length, k, {
        knownPeople,
        sharersBeforeFreeze: (frozenWeek) =>
          current.filter(
            (person) => String(shares.get(person)?.get(advisor) ?? Infinity).padStart(8, '0') < frozenWeek.frozenAt,
          ).length,
      });
      // The advisor's Home shows their sharers one by one: a look at each, and what the attacker learns.
      const knows = known.get(advisor) ?? new Map<number, number>();
      known.set(advisor, knows);
      viewed.set(advisor, looked);
      for (const person of current) {
        looked.add(person);
        const since = shares.get(person)?.get(advisor) ?? now;
        // The share began in week `sinceWeek`: the advisor sees this person in that week and later ones.
        const sinceWeek = shareWeek.get(`${person}:${advisor}:${since}`) ?? week;
        knows.set(person, Math.min(knows.get(person) ?? Infinity, sinceWeek));
      }
      const entry = { advisor, at: now, firstWeek, table };
      published.push(entry);
      const key = `${advisor}:${firstWeek}`;
      byWindow.set(key, [...(byWindow.get(key) ?? []), entry]);
    }
  };

  const shareWeek = new Map<string, number>();

  const byWindow = new Map<string, Published[]>();
  const check = (tables: readonly Published[]) => {
    const kNow = effectiveK(k);
    const size = cohort().length;
    for (const { advisor, at, firstWeek, table } of tables) {
      const current = at === now;
      if (current && size < kNow && table.weeks.some((row) => PROGRESS_METRICS.some((m) => row.values[m] !== null)))
        leaks.push({ attack: 'cohort under k', detail: `${size} < ${kNow}` });
      table.weeks.forEach((row, i) => {
        for (const metric of PROGRESS_METRICS) {
          const value = row.values[metric];
          if (value === null) continue;
          const index = firstWeek + i;
          const cell = frozen.get(index)?.week.cells[metric];
          if (value % 5 !== 0) leaks.push({ attack: 'rounding', detail: `${value}` });
          if (cell === undefined || cell.contributors < table.k)
            leaks.push({ attack: 'too few contributors', detail: `${cell?.contributors} < ${table.k}` });
          // The same cell across tables: a difference would be one person's change.
          const key = `${index}:${metric}`;
          const before = seen.get(key);
          if (before !== undefined && before !== value)
            leaks.push({ attack: 'difference across tables', detail: `${key} ${before} then ${value}` });
          seen.set(key, value);
          // Subtracting the people this advisor knows (now) from every cell they were ever shown.
          const unknown = unknownIn(advisor, index, metric);
          reached.shownCells += 1;
          if (unknown < (frozen.get(index)?.contributors[metric].size ?? 0)) reached.shownWithKnownContributors += 1;
          if (unknown > 0 && unknown < table.k)
            leaks.push({ attack: 'subtracting known people', detail: `advisor ${advisor} ${key}: ${unknown} unknown` });
        }
      });
      for (const metric of PROGRESS_METRICS) {
        if (table.totals[metric] === null) continue;
        reached.shownTotals += 1;
        if (table.totals[metric] % 5 !== 0) leaks.push({ attack: 'rounding', detail: 'total' });
        // A total minus the shown cells is the hidden one.
        if (table.weeks.some((row) => row.values[metric] === null))
          leaks.push({ attack: 'total minus shown cells', detail: `advisor ${advisor} ${metric}` });
      }
    }
    // Two totals over windows a week apart: their difference is the week that entered less the week that left.
    for (const later of tables)
      for (const earlier of byWindow.get(`${later.advisor}:${later.firstWeek - 1}`) ?? []) {
        for (const metric of PROGRESS_METRICS) {
          if (earlier.table.totals[metric] === null || later.table.totals[metric] === null) continue;
          // Each judged by the k of the table it was shown in (raising k later does not unpublish anything).
          for (const [index, tableK] of [
            [earlier.firstWeek, earlier.table.k],
            [later.firstWeek + COHORT_WEEKS - 1, later.table.k],
          ] as const) {
            const entry = frozen.get(index);
            const unknown = unknownIn(later.advisor, index, metric);
            if (
              entry === undefined ||
              entry.week.cells[metric].contributors < tableK ||
              (unknown > 0 && unknown < tableK)
            )
              leaks.push({ attack: 'two totals a week apart', detail: `${index}:${metric}` });
          }
        }
      }
  };

  publishAll();
  for (const s of steps) {
    now += 1;
    switch (s.kind) {
      case 'share': {
        const advisor = advisorOf(s.person, s.advisor);
        const with_ = shares.get(s.person) ?? new Map<number, number>();
        if (!with_.has(advisor)) {
          with_.set(advisor, now);
          shareWeek.set(`${s.person}:${advisor}:${now}`, week);
        }
        shares.set(s.person, with_);
        break;
      }
      case 'stop':
        shares.get(s.person)?.delete(advisorOf(s.person, s.advisor));
        break;
      case 'delete':
        for (let advisor = 0; advisor < ADVISORS; advisor += 1)
          if (viewed.get(advisor)?.has(s.person) || shares.get(s.person)?.has(advisor))
            departed.set(advisor, (departed.get(advisor) ?? 0) + 1);
        shares.delete(s.person);
        events.delete(s.person);
        for (const looked of viewed.values()) looked.delete(s.person);
        break;
      case 'log':
        for (const person of s.people) {
          const list = events.get(person) ?? [];
          for (let i = 0; i < s.count; i += 1) list.push({ metric: s.metric, day: weekDay(week - s.weeksBack) });
          events.set(person, list);
        }
        break;
      case 'busy':
        for (const person of cohort())
          events.set(person, [...(events.get(person) ?? []), { metric: s.metric, day: weekDay(week) }]);
        break;
      case 'week':
        if (s.busy)
          for (const person of cohort())
            events.set(person, [...(events.get(person) ?? []), { metric: 'asks', day: weekDay(week) }]);
        week += 1;
        break;
      case 'k':
        k = s.k;
        break;
    }
    const from = published.length;
    publishAll();
    // What is new is checked at once (what an advisor knows of an ended week never grows: see above)...
    check(published.slice(from));
    if (leaks.length > 0) return leaks;
  }
  // ...and every table again at the end, with everything the attacker learnt.
  seen.clear();
  check(published);
  return leaks;
}

const runs = { numRuns: 300 };

describe('no published cohort table singles anyone out', () => {
  it('holds for random people, advisors, shares, late logs, deletions, weeks passing and k changing', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 60, maxLength: 200, size: 'max' }),
        fc.integer({ min: 5, max: 7 }),
        fc.integer({ min: 1, max: MAX_ADVISORS }),
        (steps, k, advisors) => {
          expect(runModel(steps, k, advisors, publishCohortTable)).toEqual([]);
        },
      ),
      runs,
    );
    expect(reached.shownCells).toBeGreaterThan(1000);
    expect(reached.shownTotals).toBeGreaterThan(100);
    expect(reached.shownWithKnownContributors).toBeGreaterThan(100);
  });

  it('catches a rule that always shows the totals', () => {
    const leaky: Publish = (weeks, size, minCohort, viewer) => {
      const table = publishCohortTable(weeks, size, minCohort, viewer);
      if (!table.shown) return table;
      const totals = { ...table.totals };
      for (const metric of PROGRESS_METRICS)
        totals[metric] = Math.round(weeks.reduce((sum, w) => sum + w.cells[metric].value, 0) / 5) * 5;
      return { ...table, totals };
    };
    const found = fc.check(
      fc.property(
        fc.array(step, { minLength: 60, maxLength: 200, size: 'max' }),
        fc.integer({ min: 5, max: 7 }),
        fc.integer({ min: 1, max: MAX_ADVISORS }),
        (steps, k, advisors) =>
          runModel(steps, k, advisors, leaky).every((leak) => leak.attack !== 'total minus shown cells'),
      ),
      runs,
    );
    expect(found.failed).toBe(true);
  });

  it('catches a rule that trusts an advisor who knows nobody outside the contributors', () => {
    // The naive per-viewer rule: hidden only when contributors less the viewer's contributing sharers are 1..k-1.
    const naive: Publish = (weeks, size, minCohort, viewer) =>
      publishCohortTable(weeks, size, minCohort, { ...viewer, knownPeople: 0, sharersBeforeFreeze: () => Infinity });
    const found = fc.check(
      fc.property(
        fc.array(step, { minLength: 60, maxLength: 200, size: 'max' }),
        fc.integer({ min: 5, max: 7 }),
        fc.integer({ min: 1, max: MAX_ADVISORS }),
        (steps, k, advisors) =>
          runModel(steps, k, advisors, naive).every((leak) => leak.attack !== 'subtracting known people'),
      ),
      runs,
    );
    expect(found.failed).toBe(true);
  });
});
