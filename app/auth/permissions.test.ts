import { describe, expect, it } from 'vitest';
import { can, PERMISSIONS, type Permission } from './permissions';

describe('permission matrix', () => {
  it('never grants anything to the public (no account)', () => {
    for (const permission of Object.keys(PERMISSIONS) as Permission[]) expect(can('public', permission)).toBe(false);
    expect(can(null, 'account:manage')).toBe(false);
  });
  it('keeps user management, audit and outbox to admins', () => {
    for (const permission of ['user:manage', 'audit:read', 'outbox:read'] as const) {
      expect(can('admin', permission)).toBe(true);
      for (const role of ['officer', 'contractor', 'vcse'] as const) expect(can(role, permission)).toBe(false);
    }
  });
  it('lets officers and admins, and nobody else, verify organisations and invite contractors', () => {
    for (const permission of ['organisation:verify', 'invitation:create'] as const) {
      expect(['officer', 'admin'].filter((r) => can(r as 'officer', permission))).toEqual(['officer', 'admin']);
      expect(can('contractor', permission) || can('vcse', permission)).toBe(false);
    }
  });
});
