import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { ListenerDeps } from '../../src/deps.js';
import { BOT_SCOPES } from '../../src/slack/installs/scopes.js';
import { registerShortcuts } from '../../src/slack/listeners/shortcuts/index.js';

const text = readFileSync(new URL('../../manifest.yml', import.meta.url), 'utf8');
const manifest = parse(text);

describe('manifest.yml', () => {
  it('declares /infoview, interactivity, Home and Messages tabs, and Socket Mode', () => {
    expect(manifest.display_information.name.length).toBeLessThanOrEqual(35);
    expect(manifest.display_information.description.length).toBeLessThanOrEqual(140);
    const long = manifest.display_information.long_description.length;
    expect(long >= 175 && long <= 4000).toBe(true);
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: '/infoview', should_escape: false }),
    ]);
    expect(manifest.features.app_home).toMatchObject({ home_tab_enabled: true, messages_tab_enabled: true });
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
  });

  it('asks for exactly the bot scopes the code uses, each with a comment saying why', () => {
    const scopes: string[] = manifest.oauth_config.scopes.bot;
    expect([...scopes].sort()).toEqual([
      'canvases:write',
      'chat:write',
      'commands',
      'files:read',
      'files:write',
      'im:history',
      'im:write',
      'users:read',
      'users:read.email',
    ]);
    // An OAuth install asks Slack for the same scopes, in the manifest's order.
    expect([...BOT_SCOPES]).toEqual(scopes);
    const lines = text.split('\n');
    for (const scope of scopes) {
      const at = lines.findIndex((line) => line.trim() === `- ${scope}`);
      expect(lines[at - 1]?.trim(), scope).toMatch(/^# .{10,}/);
    }
  });

  it("declares each shortcut the app registers, with the same callback id and type, within Slack's limits", () => {
    const shortcuts: { name: string; type: string; callback_id: string; description: string }[] =
      manifest.features.shortcuts;
    // What the app registers: its shortcut listeners, recorded by a stand-in for the listener registry.
    const registered: { callback_id: string; type: string }[] = [];
    registerShortcuts(
      {
        shortcut: ((constraint: { callback_id: string; type: string }) => void registered.push(constraint)) as never,
        action: (() => undefined) as never,
      },
      {} as ListenerDeps,
    );
    const asSlackSends = (type: string) => (type === 'message' ? 'message_action' : 'shortcut');
    expect(
      shortcuts
        .map((s) => ({ callback_id: s.callback_id, type: asSlackSends(s.type) }))
        .sort((a, b) => a.callback_id.localeCompare(b.callback_id)),
    ).toEqual([...registered].sort((a, b) => a.callback_id.localeCompare(b.callback_id)));
    expect(shortcuts.map((s) => s.name)).toEqual([
      'Log as contact',
      'Plan an interview',
      'Log a contact',
      'Ask for a conversation',
    ]);
    expect(shortcuts.length).toBeLessThanOrEqual(10);
    for (const shortcut of shortcuts) {
      expect(shortcut.name.length, shortcut.name).toBeLessThanOrEqual(24);
      expect(shortcut.description.length, shortcut.name).toBeLessThanOrEqual(150);
      expect(shortcut.callback_id).toMatch(/^[a-z_]{1,255}$/);
    }
  });
});
