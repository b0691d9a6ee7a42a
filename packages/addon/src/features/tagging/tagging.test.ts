import { describe, expect, it } from 'vitest';
import { candidate } from '../../../test/fake-api.js';
import { fakeMessage } from '../../../test/fake-messenger.js';
import { setup } from '../../../test/setup.js';
import { tagKeyFor, tagPermissions, tagsToSet } from './tagging.js';

async function taggingWorld(enabled: boolean, granted: boolean) {
  const world = await setup();
  world.messenger.store.settings = { ...(world.messenger.store.settings as object), tagMessages: enabled };
  if (granted) for (const permission of tagPermissions) world.messenger.granted.permissions.add(permission);
  world.api.on('POST /v1/match', () => ({
    status: 200,
    body: { candidates: [candidate(1, '#AB-1001', 'high'), candidate(2, '77', 'low')] },
  }));
  world.messenger.addMessage(fakeMessage(10, {}));
  return world;
}

describe('optional tagging', () => {
  it('tags a matched message with its claimed order numbers, creating the tag once', async () => {
    const { messenger } = await taggingWorld(true, true);
    await messenger.display(1, 10);
    expect(messenger.messagesById.get(10)?.header.tags).toEqual(['orderpost_ab_1001']);
    expect(messenger.tagList).toEqual([{ key: 'orderpost_ab_1001', tag: '#AB-1001', color: '#2f6fdf' }]);
  });

  it.each([
    [false, true],
    [true, false],
  ])('option %s, permission %s: no tags', async (enabled, granted) => {
    const { messenger } = await taggingWorld(enabled, granted);
    await messenger.display(1, 10);
    expect(messenger.messagesById.get(10)?.header.tags).toEqual([]);
    expect(messenger.tagList).toEqual([]);
  });

  it('keys are Thunderbird-safe; existing tags are kept; suggestions are not tagged', () => {
    expect(tagKeyFor('Zam. 12/2026')).toBe('orderpost_zam_12_2026');
    expect(tagKeyFor('###')).toBe('orderpost_order');
    expect(tagsToSet(['$label1'], { state: 'matched', claims: [candidate(1, '5', 'medium')], suggestions: [] })).toEqual([
      '$label1',
      'orderpost_5',
    ]);
    expect(tagsToSet(['orderpost_5'], { state: 'matched', claims: [candidate(1, '5', 'medium')], suggestions: [] })).toBeNull();
    expect(tagsToSet([], { state: 'matched', claims: [], suggestions: [candidate(1, '5', 'low')] })).toBeNull();
  });
});
