import type { Locale } from '../definition/issue.js';
import { countOf } from '../util/plural.js';

/** The parameters of a rejection: plain data, rendered into its message in either language. */
export type ErrorParams = Readonly<Record<string, string | number>>;

type Template = (p: ErrorParams) => string;

/** One code: the rule it enforces and its message in English and Russian. */
interface Entry {
  readonly rule: string;
  readonly en: Template;
  readonly ru: Template;
}

/** The detail of a malformed input in the language asked for, when it was given in both. */
const detail = (p: ErrorParams, locale: Locale): string => String((locale === 'ru' ? p.detailRu : undefined) ?? p.detail ?? '');

/** What a field expects (`invalid_field_value`), by `expected`. */
const expectedEn: Readonly<Record<string, Template>> = {
  text: () => 'text',
  maxLength: (p) => `text of at most ${countOf('en', p.limit, { one: 'character', other: 'characters' })}`,
  number: () => 'a finite number',
  min: (p) => `a number of at least ${p.limit}`,
  max: (p) => `a number of at most ${p.limit}`,
  date: () => 'a date as YYYY-MM-DD',
  boolean: () => 'true or false',
  option: (p) => `one of ${p.limit}`,
};
const expectedRu: Readonly<Record<string, Template>> = {
  text: () => 'текст',
  maxLength: (p) => `текст не длиннее ${countOf('ru', p.limit, { one: 'символа', few: 'символов', many: 'символов', other: 'символа' })}`,
  number: () => 'конечное число',
  min: (p) => `число не меньше ${p.limit}`,
  max: (p) => `число не больше ${p.limit}`,
  date: () => 'дату в формате ГГГГ-ММ-ДД',
  boolean: () => 'true или false',
  option: (p) => `одно из значений: ${p.limit}`,
};
const expected = (table: Readonly<Record<string, Template>>, p: ErrorParams): string => {
  const key = String(p.expected);
  return Object.hasOwn(table, key) ? (table[key] as Template)(p) : key;
};

/** Whom a kind belongs to (`kind_required`, `kind_not_allowed`): an outcome, or an audit's answer (S37). */
const ownerEn = (p: ErrorParams): string => (p.answer !== undefined ? `the answer "${p.answer}"` : `outcome "${p.id}"`);
const ownerRu = (p: ErrorParams): string => (p.answer !== undefined ? `ответа «${p.answer}»` : `итога «${p.id}»`);
/** What needs a comment (`comment_required`): an outcome kind, or the outcome itself. */
const commentedEn = (p: ErrorParams): string => (p.kind !== undefined ? `outcome kind "${p.kind}"` : `outcome "${p.id}"`);
const commentedRu = (p: ErrorParams): string => (p.kind !== undefined ? `вида итога «${p.kind}»` : `итога «${p.id}»`);

/**
 * Every code a rejection of a deal, a new deal or an audit/service event may
 * carry: its rule (an S-number, or the peer practice it follows) and its
 * message in English and Russian, made from the error's `params`.
 */
export const catalogue = {
  invalid_event: {
    rule: 'input',
    en: (p) => `The event is malformed at ${p.path}: ${detail(p, 'en')}`,
    ru: (p) => `Событие задано неверно в ${p.path}: ${detail(p, 'ru')}`,
  },
  invalid_deal: {
    rule: 'input',
    en: (p) => `The deal is malformed at ${p.path}: ${detail(p, 'en')}`,
    ru: (p) => `Сделка задана неверно в ${p.path}: ${detail(p, 'ru')}`,
  },
  invalid_log_entry: {
    rule: 'log',
    en: (p) => `The log entry is malformed at ${p.path}: ${detail(p, 'en')}`,
    ru: (p) => `Запись журнала задана неверно в ${p.path}: ${detail(p, 'ru')}`,
  },
  replay_mismatch: {
    rule: 'log',
    en: (p) => `Replaying the log gives ${p.field} ${p.replayed}, but the entry says ${p.logged}: the log was changed, or the topic now decides differently.`,
    ru: (p) => `При воспроизведении журнала ${p.field} получается ${p.replayed}, а в записи указано ${p.logged}: журнал изменён или тема теперь решает иначе.`,
  },
  invalid_input: {
    rule: 'input',
    en: (p) => `The new deal is malformed at ${p.path}: ${detail(p, 'en')}`,
    ru: (p) => `Новая сделка задана неверно в ${p.path}: ${detail(p, 'ru')}`,
  },
  invalid_topic_event: {
    rule: 'input',
    en: (p) => `The stored audit or service event is malformed at ${p.path}: ${detail(p, 'en')}`,
    ru: (p) => `Сохранённое событие аудита или сервиса задано неверно в ${p.path}: ${detail(p, 'ru')}`,
  },
  unreadable_input: {
    rule: 'input',
    en: (p) => `The deal or the event could not be read (${p.detail}): pass plain data, such as parsed JSON.`,
    ru: (p) => `Не удалось прочитать сделку или событие (${p.detail}): передайте простые данные, например разобранный JSON.`,
  },
  invalid_topic: {
    rule: 'input',
    en: () => 'Expected a topic returned by compileTopic.',
    ru: () => 'Ожидалась тема, которую вернула функция compileTopic.',
  },
  topic_mismatch: {
    rule: 'versioning',
    en: (p) => `The deal belongs to topic ${p.deal}, not ${p.topic}.`,
    ru: (p) => `Сделка относится к теме ${p.deal}, а не ${p.topic}.`,
  },
  unknown_stage: {
    rule: 'S7',
    en: (p) => `Stage "${p.id}" does not exist in this topic.`,
    ru: (p) => `Стадии «${p.id}» в этой теме нет.`,
  },
  deadline_mismatch: {
    rule: 'S6',
    en: (p) => `The deal's ${p.field} is ${p.actual}, but its topic implies ${p.expected}: the stored deal was changed outside this library.`,
    ru: (p) => `Поле сделки ${p.field} равно ${p.actual}, а по теме должно быть ${p.expected}: сохранённую сделку изменили в обход библиотеки.`,
  },
  stale_revision: {
    rule: 'compare-and-set',
    en: (p) => `The deal is at revision ${p.actual}, not ${p.expected}: reload it and try again.`,
    ru: (p) => `Сделка уже в ревизии ${p.actual}, а не ${p.expected}: загрузите её заново и повторите.`,
  },
  event_before_open: {
    rule: 'time',
    en: (p) => `The event time ${p.at} is before the deal was opened (${p.openedAt}).`,
    ru: (p) => `Время события ${p.at} раньше открытия сделки (${p.openedAt}).`,
  },
  event_out_of_order: {
    rule: 'time',
    en: (p) => `The event time ${p.at} is before the deal's last change (${p.last}).`,
    ru: (p) => `Время события ${p.at} раньше последнего изменения сделки (${p.last}).`,
  },
  event_before_planned: {
    rule: 'time',
    en: (p) => `The time ${p.at} is before the event was planned (${p.plannedAt}).`,
    ru: (p) => `Время ${p.at} раньше, чем событие было запланировано (${p.plannedAt}).`,
  },
  deal_closed: {
    rule: 'S34',
    en: (p) => `The deal is closed: "${p.type}" is not allowed after close.`,
    ru: (p) => `Сделка закрыта: «${p.type}» после закрытия недопустимо.`,
  },
  deal_finished: {
    rule: 'S12',
    en: (p) => `The deal is already finished: "${p.type}" needs an open deal.`,
    ru: (p) => `Сделка уже завершена: для «${p.type}» нужна открытая сделка.`,
  },
  unknown_outcome: {
    rule: 'S8',
    en: (p) => `Outcome "${p.id}" is not offered in stage "${p.stage}".`,
    ru: (p) => `На стадии «${p.stage}» нет итога «${p.id}».`,
  },
  kind_required: {
    rule: 'S27',
    en: (p) => `${p.answer !== undefined ? `The answer "${p.answer}"` : `Outcome "${p.id}"`} needs an outcome kind (a reason).`,
    ru: (p) => `Для ${ownerRu(p)} нужно указать вид итога (причину).`,
  },
  kind_not_allowed: {
    rule: 'S27',
    en: (p) => `Outcome kind "${p.kind}" does not fit ${ownerEn(p)}.`,
    ru: (p) => `Вид итога «${p.kind}» не подходит для ${ownerRu(p)}.`,
  },
  comment_required: {
    rule: 'S27',
    en: (p) => `A comment is required for ${commentedEn(p)}.`,
    ru: (p) => `Для ${commentedRu(p)} нужен комментарий.`,
  },
  planning_required: {
    rule: 'S33',
    en: () => 'Planning is mandatory: plan the next call or meeting (after this moment) before recording the outcome.',
    ru: () => 'Планирование обязательно: прежде чем записать итог, запланируйте следующий звонок или встречу (позже этого момента).',
  },
  required_fields_missing: {
    rule: 'required fields',
    en: (p) => `Stage "${p.stage}" requires the fields: ${p.fields}.`,
    ru: (p) => `Для стадии «${p.stage}» нужно заполнить поля: ${p.fields}.`,
  },
  outcome_fields_missing: {
    rule: 'outcome requirements',
    en: (p) => `Outcome "${p.id}" requires the fields: ${p.fields}.`,
    ru: (p) => `Для итога «${p.id}» нужно заполнить поля: ${p.fields}.`,
  },
  amount_required: {
    rule: 'outcome requirements',
    en: (p) => `Outcome "${p.id}" requires the deal's amount: set it with the outcome (amount) or before it (setAmount).`,
    ru: (p) => `Для итога «${p.id}» нужна сумма сделки: укажите её вместе с итогом (поле «amount») или заранее (событие «setAmount»).`,
  },
  unknown_field: {
    rule: 'S29',
    en: (p) => `Field "${p.id}" is not defined by the topic.`,
    ru: (p) => `Поля «${p.id}» в теме нет.`,
  },
  invalid_field_value: {
    rule: 'S29',
    en: (p) => `Field "${p.id}" expects ${expected(expectedEn, p)}.`,
    ru: (p) => `Поле «${p.id}» ожидает ${expected(expectedRu, p)}.`,
  },
  unknown_activity: {
    rule: 'S36',
    en: (p) => `No planned activity "${p.id}" on this deal.`,
    ru: (p) => `В этой сделке нет запланированного дела «${p.id}».`,
  },
  duplicate_activity: {
    rule: 'S36',
    en: (p) => `An activity "${p.id}" is already planned on this deal.`,
    ru: (p) => `Дело «${p.id}» в этой сделке уже запланировано.`,
  },
  not_activity_author: {
    rule: 'S4',
    en: (p) => `Only the author (${p.author}) may close planned contact "${p.id}": the topic forbids closing other employees' contacts.`,
    ru: (p) => `Закрыть запланированный контакт «${p.id}» может только его автор (${p.author}): тема запрещает закрывать контакты других сотрудников.`,
  },
  activity_in_past: {
    rule: 'S33',
    en: (p) => `The activity is planned for ${p.plannedFor}, before the event time ${p.at}.`,
    ru: (p) => `Дело запланировано на ${p.plannedFor}, раньше времени события ${p.at}.`,
  },
  deadline_change_pending: {
    rule: 'S25',
    en: () => 'A deadline change is already waiting for approval.',
    ru: () => 'Изменение срока уже ждёт согласования.',
  },
  no_pending_deadline_change: {
    rule: 'S25',
    en: () => 'There is no deadline change waiting for approval.',
    ru: () => 'Нет изменения срока, ожидающего согласования.',
  },
  topic_access_denied: {
    rule: 'access',
    en: (p) => `User ${p.actor} may not work on topic "${p.topic}": it is open only to the roles, teams and users its access lists.`,
    ru: (p) => `Пользователь ${p.actor} не может работать с темой «${p.topic}»: она открыта только ролям, командам и пользователям из её списка доступа.`,
  },
  self_approval: {
    rule: 'S25',
    en: (p) => `User ${p.actor} asked for this deadline change and may not approve it too: another approver must (the topic does not allow self-approval).`,
    ru: (p) => `Пользователь ${p.actor} сам запросил это изменение срока и не может его согласовать: согласовать должен другой согласующий (тема не разрешает согласовывать свои запросы).`,
  },
  not_an_approver: {
    rule: 'S25',
    en: (p) => `User ${p.actor} is not an approver of deadline changes for this topic.`,
    ru: (p) => `Пользователь ${p.actor} не согласует изменения сроков в этой теме.`,
  },
  invalid_deadline: {
    rule: 'S25',
    en: (p) => `The new deadline ${p.dueAt} must be after the event time ${p.at}.`,
    ru: (p) => `Новый срок ${p.dueAt} должен быть позже времени события ${p.at}.`,
  },
  unexpected_business_event: {
    rule: 'S34',
    en: (p) => `Business event "${p.name}" does not close deals of this topic${p.open === 1 ? ' while the deal is open' : ''}.`,
    ru: (p) => `Бизнес-событие «${p.name}» не закрывает сделки этой темы${p.open === 1 ? ', пока сделка открыта' : ''}.`,
  },
  not_permitted: {
    rule: 'S2',
    en: (p) => `User ${p.actor} may not move a deal past the pipeline rules: it needs the administrator, the director role or full Clients/CRM access.`,
    ru: (p) => `Пользователь ${p.actor} не может переводить сделку в обход правил воронки: это могут администратор, роль «Директор» или полный доступ к зоне «Клиенты/CRM».`,
  },
  concurrent_deal: {
    rule: 'S32',
    en: (p) => `Client ${p.client} already has an open deal on this topic (${p.deal}), and the topic forbids concurrent deals.`,
    ru: (p) => `У клиента ${p.client} уже есть открытая сделка по этой теме (${p.deal}), а тема запрещает параллельные сделки.`,
  },
  not_a_sales_topic: {
    rule: 'S23',
    en: (p) => `Topic "${p.id}" is a ${p.kind} topic: deals exist on sales topics only (S36–S38).`,
    ru: (p) => `Тема «${p.id}» имеет тип ${p.kind}: сделки бывают только в темах продаж (S36–S38).`,
  },
  not_an_event_topic: {
    rule: 'S23',
    en: (p) => `Topic "${p.id}" is a sales topic: plan events on deals there, or use an audit or service topic.`,
    ru: (p) => `Тема «${p.id}» — тема продаж: планируйте там дела в сделках или используйте тему аудита или сервиса.`,
  },
  answer_required: {
    rule: 'S37',
    en: () => 'An audit event is recorded with an answer: "yes" or "no".',
    ru: () => 'Событие аудита записывается с ответом: «yes» (да) или «no» (нет).',
  },
  event_not_planned: {
    rule: 'S37',
    en: (p) => `The event is ${p.status}: only a planned event can be recorded or cancelled.`,
    ru: (p) => `Событие уже в статусе ${p.status}: записать или отменить можно только запланированное.`,
  },
} satisfies Record<string, Entry>;

/** Every code a rejection may carry. */
export type DealErrorCode = keyof typeof catalogue;

/**
 * The message of a rejection's code with its parameters, in English or Russian.
 *
 * @example
 * renderDealMessage('unknown_stage', { id: 'offer' }, 'ru'); // 'Стадии «offer» в этой теме нет.'
 */
export function renderDealMessage(code: DealErrorCode, params: ErrorParams, locale: Locale): string {
  const entry: Entry = catalogue[code];
  return (locale === 'ru' ? entry.ru : entry.en)(params);
}

/** The rule a code enforces. */
export function ruleOf(code: DealErrorCode): string {
  return catalogue[code].rule;
}
