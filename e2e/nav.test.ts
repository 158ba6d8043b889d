import { expect, test } from 'vitest';
import { ROLES } from '../src/policies/actor.ts';
import { navFor, sectionKey } from '../web/src/shell/nav.ts';

test('each section of the navigation has its own key, whatever the roles (two sections without a heading once shared one)', () => {
  for (const roles of [...ROLES.map((r) => [r]), [...ROLES]]) {
    const keys = navFor({ roles }).map(sectionKey);
    expect(keys.every(Boolean)).toBe(true);
    expect(new Set(keys).size).toBe(keys.length);
  }
});
