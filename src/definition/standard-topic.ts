import { deepFreeze } from '../util/deep-freeze.js';
import type { SalesTopic } from './schema.js';

/**
 * The standard sales topic of Saby CRM (S21): "Новый", "Знакомство",
 * "Коммерческое предложение", "Оплата", "Отгрузка". Use it when a company has
 * one sales direction. Every stage can move forward or stay (cyclic outcomes,
 * S9–S10); shipment finishes positively; a refusal with a reason (S27) finishes
 * negatively from any stage.
 *
 * The outcome `weight`s only steer simulations (`simulate`): with them about
 * half of the simulated deals are won, and most losses come early.
 *
 * It is deeply frozen and written out in full, with every default, so it is a valid
 * `TopicDefinition` as it stands: `parseTopic(standardTopic)` returns an equal object.
 *
 * @example
 * const compiled = compileTopic(standardTopic);
 * standardTopic.stages.map((stage) => stage.id); // ['new', 'acquaintance', 'offer', 'payment', 'shipment']
 */
export const standardTopic: SalesTopic = deepFreeze({
  id: 'standard',
  name: 'Стандартная тема',
  version: 1,
  kind: 'sales',
  instruction: 'Проведите клиента от первого контакта до отгрузки. На каждой стадии фиксируйте итог и планируйте следующий звонок или встречу.',
  maxDuration: 'P30D',
  deadlineChange: { approval: 'required', approvers: [{ role: 'director' }], selfApproval: false },
  stages: [
    {
      id: 'new',
      name: 'Новый',
      comment: 'Обработайте входящий интерес: кто клиент и что ему нужно.',
      maxDuration: 'P1D',
      probability: 10,
      requiredFields: [],
      outcomes: [
        { id: 'qualified', weight: 8, name: 'Взят в работу', to: 'acquaintance', kindRequired: false, commentRequired: false, restartsStageClock: false },
      ],
    },
    {
      id: 'acquaintance',
      name: 'Знакомство',
      comment: 'Свяжитесь с клиентом, выясните потребность и лицо, принимающее решение.',
      maxDuration: 'P2D',
      idleLimit: 'P1D',
      probability: 20,
      requiredFields: [],
      outcomes: [
        { id: 'interested', weight: 5, name: 'Клиент заинтересовался', to: 'offer', kindRequired: false, commentRequired: false, restartsStageClock: false },
        { id: 'no-answer', weight: 3, name: 'Не удалось связаться с клиентом', to: 'acquaintance', kindRequired: false, commentRequired: false, restartsStageClock: false },
      ],
    },
    {
      id: 'offer',
      name: 'Коммерческое предложение',
      comment: 'Подготовьте и отправьте коммерческое предложение, обсудите условия.',
      maxDuration: 'P3D',
      idleLimit: 'P2D',
      probability: 40,
      requiredFields: [],
      outcomes: [
        { id: 'accepted', weight: 5, name: 'Предложение принято', to: 'payment', kindRequired: false, commentRequired: false, restartsStageClock: false },
        { id: 'revise', weight: 2, name: 'Нужно доработать предложение', to: 'offer', kindRequired: false, commentRequired: true, restartsStageClock: true },
      ],
    },
    {
      id: 'payment',
      name: 'Оплата',
      comment: 'Выставьте счёт и проконтролируйте оплату.',
      maxDuration: 'P5D',
      probability: 70,
      requiredFields: [],
      outcomes: [
        { id: 'paid', weight: 7, name: 'Счёт оплачен', to: 'shipment', kindRequired: false, commentRequired: false, restartsStageClock: false },
        { id: 'awaiting-payment', weight: 2, name: 'Ждём оплату', to: 'payment', kindRequired: false, commentRequired: false, restartsStageClock: false },
      ],
    },
    {
      id: 'shipment',
      name: 'Отгрузка',
      comment: 'Согласуйте доставку и отгрузите товар.',
      maxDuration: 'P3D',
      probability: 90,
      requiredFields: [],
      outcomes: [{ id: 'shipped', weight: 9, name: 'Товар отгружен', finish: 'positive', kindRequired: false, commentRequired: false }],
    },
  ],
  globalOutcomes: [{ id: 'refused', weight: 1, name: 'Отказ', finish: 'negative', kindRequired: true, commentRequired: false }],
  outcomeKinds: [
    { id: 'too-expensive', name: 'Дорого', polarity: 'negative', commentRequired: false },
    { id: 'competitor', name: 'Выбрал конкурента', polarity: 'negative', commentRequired: true },
    { id: 'no-need', name: 'Нет потребности', polarity: 'negative', commentRequired: false },
    { id: 'unreachable', name: 'Не выходит на связь', polarity: 'negative', commentRequired: false },
    { id: 'other', name: 'Другое', polarity: 'neutral', commentRequired: true },
  ],
  fields: [
    { id: 'delivery-date', name: 'Желаемая дата поставки', type: 'date' },
    { id: 'carrier', name: 'Транспортная компания', type: 'text', maxLength: 200 },
  ],
  documents: [
    { id: 'offer-template', name: 'Коммерческое предложение', template: 'commercial-offer', stages: ['offer'] },
    { id: 'invoice-template', name: 'Счёт на оплату', template: 'invoice', stages: ['payment'] },
  ],
  parameters: {
    concurrentDeals: 'forbidden',
    planning: 'optional',
    closeOn: { on: 'finish' },
    afterClose: { plannedActivities: 'cancel', unpaidInvoices: 'cancel' },
    plannedContacts: 'anyone',
    sharedAssignmentOnFinish: false,
  },
});
