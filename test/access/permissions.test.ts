import { describe, expect, it } from 'vitest';
import { canEditTopic, isApprover } from '../../src/index.js';

describe('access (S2, S25)', () => {
  it('S2: the administrator, the director role or full Clients/CRM access may edit topics; nobody else', () => {
    expect(canEditTopic({ id: 'a', administrator: true })).toBe(true);
    expect(canEditTopic({ id: 'd', roles: ['manager', 'director'] })).toBe(true);
    expect(canEditTopic({ id: 'f', crmAccess: 'full' })).toBe(true);
    expect(canEditTopic({ id: 'r', crmAccess: 'read' })).toBe(false);
    expect(canEditTopic({ id: 'm', roles: ['manager'], administrator: false })).toBe(false);
    expect(canEditTopic({ id: 'n' })).toBe(false);
  });

  it('S25: approvers are named by role or by user id', () => {
    const approvers = [{ role: 'head-of-sales' }, { userId: 'ceo' }];
    expect(isApprover({ id: 'x', roles: ['head-of-sales'] }, approvers)).toBe(true);
    expect(isApprover({ id: 'ceo' }, approvers)).toBe(true);
    expect(isApprover({ id: 'y', roles: ['director'] }, approvers)).toBe(false);
    expect(isApprover({ id: 'ceo' }, [])).toBe(false);
  });
});
