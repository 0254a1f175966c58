import { countOf } from '../util/plural.js';
import type { Locale } from './issue.js';

type Params = Readonly<Record<string, string | number>>;
type Template = (p: Params) => string;

// Counts after «не более» and «до» take the genitive: до 21 календарного дня, до 5 календарных дней.
const OUTCOMES_EN = { one: 'outcome', other: 'outcomes' };
const OUTCOMES_GENITIVE_RU = { one: 'итога', few: 'итогов', many: 'итогов', other: 'итога' };
const DAYS_EN = { one: 'day', other: 'days' };
const CALENDAR_DAYS_GENITIVE_RU = { one: 'календарного дня', few: 'календарных дней', many: 'календарных дней', other: 'календарного дня' };

/*
 * Messages for the codes this library defines (schema refinements and lint
 * findings), in English and Russian. The codes zod itself reports keep zod's
 * own localised messages.
 */
const templates: Record<string, { en: Template; ru: Template }> = {
  unreadable_input: {
    en: () => 'The topic could not be read: a property getter or proxy threw. Pass plain data, such as parsed JSON.',
    ru: () => 'Не удалось прочитать тему: геттер свойства или прокси выбросил исключение. Передайте простые данные, например разобранный JSON.',
  },
  invalid_id: {
    en: () => 'Expected an identifier: a letter or digit first (any script), then letters, digits, "_" or "-" (at most 64); no ".", "#" or spaces.',
    ru: () => 'Ожидался идентификатор: сначала буква или цифра (любого алфавита), затем буквы, цифры, «_» или «-» (не более 64); без «.», «#» и пробелов.',
  },
  id_not_nfc: {
    en: () => 'The identifier is not normalised to NFC: a letter is written as a base letter plus a separate accent (such as "е" + U+0308 instead of "ё"). Save it in NFC (text.normalize("NFC")): identifiers are compared as exact strings, so two spellings that look the same would be two different ids.',
    ru: () => 'Идентификатор не приведён к NFC: буква записана как основная буква и отдельный диакритический знак (например, «е» + U+0308 вместо «ё»). Сохраните его в NFC (text.normalize("NFC")): идентификаторы сравниваются как точные строки, и два одинаковых на вид написания оказались бы разными идентификаторами.',
  },
  invalid_duration: {
    en: () => 'Expected an ISO 8601 duration in weeks, days or time (e.g. "P2D", "PT4H", "P1W"), longer than zero and at most 10 years; years and months are not accepted.',
    ru: () => 'Ожидалась длительность ISO 8601 в неделях, днях или времени (например «P2D», «PT4H», «P1W»), больше нуля и не более 10 лет; годы и месяцы не допускаются.',
  },
  invalid_date: {
    en: () => 'Expected a calendar date as YYYY-MM-DD.',
    ru: () => 'Ожидалась дата в формате ГГГГ-ММ-ДД.',
  },
  invalid_time: {
    en: () => 'Expected a time of day as HH:MM (00:00–24:00).',
    ru: () => 'Ожидалось время суток в формате ЧЧ:ММ (00:00–24:00).',
  },
  invalid_time_zone: {
    en: () => 'Expected an IANA time zone name such as "Europe/Moscow".',
    ru: () => 'Ожидалось имя часового пояса IANA, например «Europe/Moscow».',
  },
  // Text rules (text.ts), for every string of topics, events and deals.
  unstorable_text: {
    en: (p) => `The text cannot be stored: it contains ${p.char} at position ${p.index}, which PostgreSQL jsonb refuses (U+0000 and unpaired UTF-16 surrogates are not allowed).`,
    ru: (p) => `Текст нельзя сохранить: в нём ${p.char} в позиции ${p.index}, а PostgreSQL jsonb такое не принимает (U+0000 и непарные суррогаты UTF-16 не допускаются).`,
  },
  control_character: {
    en: (p) => `The name contains the control character ${p.char} at position ${p.index}: names are one line of visible text (no tabs, line breaks, escapes or other C0/C1 controls).`,
    ru: (p) => `Имя содержит управляющий символ ${p.char} в позиции ${p.index}: имя — одна строка видимого текста (без табуляций, переводов строк, escape-последовательностей и других управляющих символов C0/C1).`,
  },
  blank_name: {
    en: () => 'The name is blank: nothing is left once spaces and invisible characters (such as zero-width spaces or soft hyphens) are removed.',
    ru: () => 'Имя пустое: после удаления пробелов и невидимых символов (например, пробелов нулевой ширины или мягких переносов) ничего не остаётся.',
  },
  bidi_control: {
    en: (p) => `The name contains the bidirectional control ${p.char} at position ${p.index}: embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) can make it display as another name.`,
    ru: (p) => `Имя содержит управляющий символ направления текста ${p.char} в позиции ${p.index}: встраивания, переопределения и изоляты (U+202A–U+202E, U+2066–U+2069) позволяют показать его как другое имя.`,
  },
  invalid_kind: {
    en: () => 'Expected the topic kind: "sales", "audit" or "service" (S23).',
    ru: () => 'Ожидался тип темы: «sales», «audit» или «service» (S23).',
  },
  required: {
    en: (p) => `Required: expected ${p.options === undefined ? p.expected : `one of ${p.options}`}.`,
    ru: (p) => `Обязательное поле: нужно указать ${p.options === undefined ? russianType(p.expected) : `одно из значений ${p.options}`}.`,
  },
  invalid_value: {
    en: (p) => `Invalid option: expected one of ${p.options}.`,
    ru: (p) => `Неверный вариант: ожидалось одно из ${p.options}.`,
  },
  duplicate_key: {
    en: (p) => `Duplicate key "${p.key}" at ${p.at}: it is also at ${p.previous}, and JSON keeps only the last value. Remove one of them.`,
    ru: (p) => `Ключ «${p.key}» повторяется в ${p.at}: он уже есть в ${p.previous}, а JSON сохраняет только последнее значение. Удалите один из них.`,
  },
  unknown_key: {
    en: (p) => `Unknown property "${p.key}": the topic format does not define it.`,
    ru: (p) => `Неизвестное свойство «${p.key}»: формат темы его не предусматривает.`,
  },
  too_many_outcomes: {
    en: (p) => `Too many outcomes: the stages have ${p.count} together; at most ${countOf('en', p.max, OUTCOMES_EN)} are allowed.`,
    ru: (p) => `Слишком много итогов: у стадий их ${p.count} в сумме; допускается не более ${countOf('ru', p.max, OUTCOMES_GENITIVE_RU)}.`,
  },
  too_many_listed_kinds: {
    en: (p) => `Too many listed outcome kinds: the outcomes list ${p.count} together; at most ${p.max} are allowed.`,
    ru: (p) => `Слишком много перечисленных видов итогов: итоги перечисляют их ${p.count} в сумме; допускается не более ${p.max}.`,
  },
  duplicate_id: {
    en: (p) => `Duplicate ${p.what} id "${p.id}": it is already used at ${p.first}.`,
    ru: (p) => `Идентификатор ${russianWhat(p.what)} «${p.id}» повторяется: он уже занят в ${p.first}.`,
  },
  unknown_stage: {
    en: (p) => `Stage "${p.id}" does not exist in this topic; expected one of the stage ids.`,
    ru: (p) => `Стадии «${p.id}» нет в этой теме; ожидался идентификатор одной из стадий.`,
  },
  unknown_kind: {
    en: (p) => `Outcome kind "${p.id}" is not defined in outcomeKinds.`,
    ru: (p) => `Вид итога «${p.id}» не определён в outcomeKinds.`,
  },
  unknown_field: {
    en: (p) => `Field "${p.id}" is not defined in fields.`,
    ru: (p) => `Поле «${p.id}» не определено в fields.`,
  },
  unreachable_stage: {
    en: (p) => `Stage "${p.id}" cannot be reached from the first stage by any outcome.`,
    ru: (p) => `В стадию «${p.id}» нельзя попасть из первой стадии ни по одному итогу.`,
  },
  no_finish_reachable: {
    en: (p) => `From stage "${p.id}" no finishing outcome can ever be reached: a deal there could never end.`,
    ru: (p) => `Из стадии «${p.id}» недостижим ни один завершающий итог: сделка в ней никогда не завершится.`,
  },
  global_win_only: {
    en: (p) =>
      `Stage "${p.id}" has no outcomes of its own, so its deals are marked "negotiations ongoing" and left out of reports (S11), although the global outcome "${p.outcome}" finishes them positively. Give the stage its own finishing outcome (for example one like "${p.outcome}") so that its deals are counted.`,
    ru: (p) =>
      `У стадии «${p.id}» нет собственных итогов, поэтому её сделки помечаются «Идут переговоры» и не попадают в отчёты (S11), хотя общий итог «${p.outcome}» завершает их успешно. Добавьте стадии собственный завершающий итог (например, такой же, как «${p.outcome}»), чтобы её сделки учитывались.`,
  },
  negotiations_ongoing: {
    en: (p) => `Stage "${p.id}" has no outcomes: its deals are marked "negotiations ongoing" and left out of reports.`,
    ru: (p) => `У стадии «${p.id}» нет итогов: её сделки помечаются «Идут переговоры» и не попадают в отчёты.`,
  },
  stage_limit_exceeds_deal_limit: {
    en: (p) => `The stage limit ${p.stage} is longer than the whole deal's limit ${p.deal}.`,
    ru: (p) => `Срок стадии ${p.stage} больше срока всей сделки ${p.deal}.`,
  },
  idle_limit_exceeds_stage_limit: {
    en: (p) => `The idle limit ${p.idle} is longer than the stage limit ${p.stage}, so it can never trigger first.`,
    ru: (p) => `Срок бездействия ${p.idle} больше срока стадии ${p.stage} и не сработает раньше него.`,
  },
  probability_out_of_range: {
    en: (p) => `Probability ${p.value} is outside 0–100 percent.`,
    ru: (p) => `Вероятность ${p.value} вне диапазона 0–100 процентов.`,
  },
  probability_decreasing: {
    en: (p) => `Probability ${p.value}% is lower than ${p.previous}% of the stage before it on the main path.`,
    ru: (p) => `Вероятность ${p.value}% ниже, чем ${p.previous}% у предыдущей стадии основного пути.`,
  },
  audit_kind_without_comment: {
    en: (p) => `Audit outcome kind "${p.id}" must require a comment (commentRequired: true) in addition to Yes/No.`,
    ru: (p) => `Вид итога аудита «${p.id}» должен требовать комментарий (commentRequired: true) помимо «Да/Нет».`,
  },
  approvers_missing: {
    en: () => 'Deadline changes need approval, but no approver is named; expected at least one role or user.',
    ru: () => 'Изменение срока требует согласования, но согласующие не указаны; ожидалась хотя бы одна роль или пользователь.',
  },
  approvers_unused: {
    en: () => 'Approvers are listed, but deadline changes need no approval, so they are never asked.',
    ru: () => 'Согласующие указаны, но изменение срока не требует согласования, и их не спросят.',
  },
  kind_polarity_mismatch: {
    en: (p) => `Outcome kind "${p.id}" is ${p.polarity}, but this outcome finishes ${p.finish}ly.`,
    ru: (p) => `Вид итога «${p.id}» имеет полярность «${p.polarity}», а итог завершает сделку как «${p.finish}».`,
  },
  no_kinds_available: {
    en: () => 'The outcome requires an outcome kind, but no kind of a fitting polarity is available.',
    ru: () => 'Итог требует вид итога, но подходящих по полярности видов нет.',
  },
  invalid_range: {
    en: (p) => `The lower bound ${p.low} is not below the upper bound ${p.high}.`,
    ru: (p) => `Нижняя граница ${p.low} не меньше верхней ${p.high}.`,
  },
  conflicting_dates: {
    en: (p) => `Date ${p.date} is listed both as a holiday and as a working day.`,
    ru: (p) => `Дата ${p.date} указана и как праздник, и как рабочий день.`,
  },
  no_working_time: {
    en: () => 'The working calendar has no working time: no work days or empty working hours, so no time limit could ever run out.',
    ru: () => 'В рабочем календаре нет рабочего времени: нет рабочих дней или рабочие часы пусты, и ни один срок не истечёт.',
  },
  limit_too_long: {
    en: (p) => `The limit ${p.limit} takes up to ${countOf('en', p.days, DAYS_EN)} of calendar time on this working calendar; a limit may take at most ${countOf('en', p.max, DAYS_EN)} (ten years).`,
    ru: (p) => `Срок ${p.limit} по этому рабочему календарю длится до ${countOf('ru', p.days, CALENDAR_DAYS_GENITIVE_RU)}, а допустимо не более ${countOf('ru', p.max, CALENDAR_DAYS_GENITIVE_RU)} (десять лет).`,
  },
  // Topic editing (edit.ts).
  not_permitted: {
    en: (p) => `User ${p.actor} may not edit topics: it takes the system administrator, the "director" role or full access to the Clients/CRM zone.`,
    ru: (p) => `Пользователь ${p.actor} не может редактировать темы: это могут системный администратор, роль «Директор» или полный доступ к зоне «Клиенты/CRM».`,
  },
  invalid_actor: {
    en: () => 'The actor is not valid: expected a plain object with its own "id" (text), and optionally "roles" (a list of texts), "administrator" (true or false) and "crmAccess" ("none", "read" or "full"), nothing else.',
    ru: () => 'Неверно задан пользователь: ожидался простой объект со своим полем «id» (текст) и, по желанию, «roles» (список текстов), «administrator» (true или false) и «crmAccess» («none», «read» или «full»), без других полей.',
  },
  wrong_topic_kind: {
    en: (p) => `"${p.op}" needs a ${p.expected} topic; this is a ${p.kind} topic.`,
    ru: (p) => `Для «${p.op}» нужна тема типа ${p.expected}; эта тема имеет тип ${p.kind}.`,
  },
  stage_in_use: {
    en: (p) => `Outcome "${p.outcome}" (${p.where}) moves to stage "${p.stage}", which is being removed: redirect it (redirect, redirectTo) or change it first.`,
    ru: (p) => `Итог «${p.outcome}» (${p.where}) ведёт в удаляемую стадию «${p.stage}»: перенаправьте его (redirect, redirectTo) или сначала измените.`,
  },
  kind_in_use: {
    en: (p) => `Outcome "${p.outcome}" (${p.where}) lists outcome kind "${p.kind}", which is being removed: change the outcome first.`,
    ru: (p) => `Итог «${p.outcome}» (${p.where}) использует удаляемый вид итога «${p.kind}»: сначала измените итог.`,
  },
  field_required_by_outcome: {
    en: (p) => `Outcome "${p.outcome}" requires field "${p.field}", which is being removed: change the outcome first.`,
    ru: (p) => `Итог «${p.outcome}» требует удаляемое поле «${p.field}»: сначала измените итог.`,
  },
  field_in_use: {
    en: (p) => `Stage "${p.stage}" requires field "${p.field}", which is being removed: change the stage first.`,
    ru: (p) => `Стадия «${p.stage}» требует удаляемое поле «${p.field}»: сначала измените стадию.`,
  },
  unknown_outcome: {
    en: (p) => `Outcome "${p.id}" does not exist there.`,
    ru: (p) => `Итога «${p.id}» там нет.`,
  },
  unknown_document: {
    en: (p) => `Document template "${p.id}" does not exist in this topic.`,
    ru: (p) => `Шаблона документа «${p.id}» в этой теме нет.`,
  },
  invalid_position: {
    en: (p) => `Position ${p.index} is not a whole number from 0 to ${p.max}.`,
    ru: (p) => `Позиция ${p.index} не является целым числом от 0 до ${p.max}.`,
  },
  invalid_redirect: {
    en: (p) => `Invalid redirect: ${p.detail}.`,
    ru: (p) => `Неверное перенаправление: ${p.detail}.`,
  },
  invalid_edit: {
    en: (p) => `The edit is malformed: ${p.detail}.`,
    ru: (p) => `Правка задана неверно: ${p.detail}.`,
  },
};

/** The zod type names a `required` issue expects, in Russian (accusative: "нужно указать строку"). */
const russianTypes: Readonly<Record<string, string>> = {
  string: 'строку',
  number: 'число',
  int: 'целое число',
  boolean: 'логическое значение (true или false)',
  array: 'массив',
  object: 'объект',
};

function russianType(expected: string | number | undefined): string {
  const name = String(expected);
  return Object.hasOwn(russianTypes, name) ? (russianTypes[name] ?? name) : `значение типа ${name}`;
}

/** What a duplicate id belongs to (the `what` of `duplicate_id`), in Russian (genitive: "идентификатор стадии"). */
const russianWhats: Readonly<Record<string, string>> = {
  stage: 'стадии',
  outcome: 'итога',
  'outcome kind': 'вида итога',
  field: 'поля',
  document: 'документа',
  option: 'варианта',
  'planned activity': 'запланированного дела',
};

function russianWhat(what: string | number | undefined): string {
  const name = String(what);
  return Object.hasOwn(russianWhats, name) ? (russianWhats[name] ?? name) : `(${name})`;
}

/**
 * The message of one of this library's codes in the given language, or
 * `undefined` for a code it does not define.
 */
export function message(code: string, locale: Locale, params: Params = {}): string | undefined {
  const entry = Object.hasOwn(templates, code) ? templates[code] : undefined;
  // Any locale but Russian reads English: a locale from untyped callers ("de", "constructor") must not throw.
  return entry === undefined ? undefined : (locale === 'ru' ? entry.ru : entry.en)(params);
}
