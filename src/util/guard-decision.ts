/**
 * A machine's guard and the action after it must agree: the guard decides,
 * and the action of the same send commits that very decision, even if the
 * event object changed in between. Nothing is kept across sends: a changed
 * event sent again is decided afresh, by its content, never its identity.
 *
 * @example
 * const { decide, decided } = guardDecision((deal: Deal, event: DealEvent) => applyEvent(topic, deal, event));
 * // guard:  ({ context, event }) => decide(context.deal, event).ok
 * // action: ({ context, event }) => decided(context.deal, event)
 */
export function guardDecision<State, Event, Result>(
  judge: (state: State, event: Event) => Result,
): { readonly decide: (state: State, event: Event) => Result; readonly decided: (state: State, event: Event) => Result } {
  let last: { state: State; event: Event; result: Result } | undefined;
  return {
    decide: (state, event) => {
      const result = judge(state, event);
      last = { state, event, result };
      return result;
    },
    decided: (state, event) => {
      const made = last;
      last = undefined;
      return made !== undefined && made.event === event && made.state === state ? made.result : judge(state, event);
    },
  };
}
