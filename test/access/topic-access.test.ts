import { describe, expect, it } from 'vitest';
import { applyEvent, canUseTopic, compileTopic, diffTopics, formatDealError, openDeal, standardTopic } from '../../src/index.js';
import { accepted, HOUR, manager, MONDAY, rejected } from '../support.js';

// Pipelines per team, as EspoCRM and Odoo users ask for: the topic names who may work on it.
const moscow = compileTopic({ ...standardTopic, access: { teams: ['moscow-sales'], roles: ['head-of-sales'], users: ['u-auditor'] } });
const member = { id: 'u-7', teams: ['moscow-sales'] };
const outsider = { id: 'u-8', teams: ['kazan-sales'], roles: ['manager'] };
const request = { id: 'd-1', clientId: 'c-1', ownerId: 'u-7', at: MONDAY };

describe('who may work on a topic', () => {
  it('lets in the listed teams, roles and users and administrators, and nobody else', () => {
    expect(canUseTopic(moscow, member)).toBe(true);
    expect(canUseTopic(moscow, { id: 'u-9', roles: ['head-of-sales'] })).toBe(true);
    expect(canUseTopic(moscow, { id: 'u-auditor' })).toBe(true);
    expect(canUseTopic(moscow, { id: 'root', administrator: true })).toBe(true);
    expect(canUseTopic(moscow, outsider)).toBe(false);
    expect(canUseTopic(compileTopic(standardTopic), outsider)).toBe(true);
  });

  it('answers false for malformed actors and topics instead of throwing', () => {
    for (const actor of [null, 'u-7', { id: 'u-7', teams: 'moscow-sales' }, { id: '' }, { id: 'u-7', teams: ['moscow-sales'], extra: 1 }]) expect(canUseTopic(moscow, actor as never)).toBe(false);
    expect(canUseTopic(null as never, member)).toBe(false);
    expect(canUseTopic({ definition: { access: 'all' } } as never, member)).toBe(false);
  });

  it('refuses to open or work a deal for others, with its own code, in English and Russian', () => {
    const refusedOpen = openDeal(moscow, { ...request, actor: outsider });
    expect(refusedOpen.ok || refusedOpen.error).toMatchObject({ code: 'topic_access_denied', rule: 'access', path: 'actor', params: { actor: 'u-8', topic: 'standard' } });
    // Without an actor the owner opens it, known by id only.
    expect(openDeal(moscow, { ...request, ownerId: 'u-auditor' }).ok).toBe(true);
    expect(openDeal(moscow, request)).toMatchObject({ ok: false, error: { code: 'topic_access_denied', path: 'ownerId' } });
    const { deal } = accepted(openDeal(moscow, { ...request, actor: member }));
    const outcome = { type: 'recordOutcome', outcomeId: 'qualified', at: MONDAY + HOUR } as const;
    const refused = rejected(applyEvent(moscow, deal, { ...outcome, actor: manager }));
    expect(refused).toMatchObject({ code: 'topic_access_denied', path: 'actor' });
    expect(formatDealError(refused, 'ru')).toContain('не может работать с темой «standard»');
    expect(accepted(applyEvent(moscow, deal, { ...outcome, actor: member })).deal.stageId).toBe('acquaintance');
  });

  it('shows a changed access list in the diff of two versions', () => {
    expect(diffTopics(compileTopic(standardTopic).definition, moscow.definition)).toEqual([expect.objectContaining({ type: 'topic-changed', path: 'access', rule: 'access' })]);
  });

  it('keeps the access list in the topic: unknown keys and blank names are refused', () => {
    expect(() => compileTopic({ ...standardTopic, access: { groups: ['x'] } } as never)).toThrow(/access/);
    expect(() => compileTopic({ ...standardTopic, access: { teams: [' '] } })).toThrow(/access\.teams/);
  });
});
