/** A rectangle in picture coordinates (pixels, y down). */
export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Whether two boxes share any area (touching edges do not count).
 *
 * @example
 * boxesOverlap({ x: 0, y: 0, width: 10, height: 10 }, { x: 10, y: 0, width: 5, height: 5 }); // false
 */
export function boxesOverlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * The SVG path of an arrow from one box to another: a straight line between
 * neighbours on one row, an arc over the row for a longer jump forward, under
 * it for a jump back, and a vertical S-curve between rows.
 *
 * @example
 * arrowPath({ x: 0, y: 0, width: 10, height: 10 }, { x: 30, y: 0, width: 10, height: 10 }, 20); // 'M 10 5 L 30 5'
 */
export function arrowPath(from: Box, to: Box, gap: number): string {
  const sameRow = Math.abs(from.y - to.y) < 1;
  if (sameRow) {
    const y1 = from.y + from.height / 2;
    const y2 = to.y + to.height / 2;
    if (to.x >= from.x + from.width && to.x - (from.x + from.width) <= gap + 1) return `M ${round(from.x + from.width)} ${round(y1)} L ${round(to.x)} ${round(y2)}`;
    const forward = to.x > from.x;
    const startX = from.x + from.width / 2 + (forward ? 12 : -12);
    const endX = to.x + to.width / 2 + (forward ? -12 : 12);
    const startY = forward ? from.y : from.y + from.height;
    const endY = forward ? to.y : to.y + to.height;
    const lift = Math.min(gap * 0.9, 14 + Math.abs(endX - startX) / 20) * (forward ? -1 : 1);
    return `M ${round(startX)} ${round(startY)} C ${round(startX)} ${round(startY + lift)} ${round(endX)} ${round(endY + lift)} ${round(endX)} ${round(endY)}`;
  }
  const down = to.y > from.y;
  const startX = from.x + from.width / 2;
  const endX = to.x + to.width / 2;
  const startY = down ? from.y + from.height : from.y;
  const endY = down ? to.y : to.y + to.height;
  const middle = (startY + endY) / 2;
  return `M ${round(startX)} ${round(startY)} C ${round(startX)} ${round(middle)} ${round(endX)} ${round(middle)} ${round(endX)} ${round(endY)}`;
}

/**
 * The SVG path of a loop on a box's top edge: a cyclic outcome that keeps the
 * deal in its stage (S10).
 *
 * @example
 * loopPath({ x: 0, y: 20, width: 100, height: 40 }); // 'M 72 20 C 72 4 92 4 92 20'
 */
export function loopPath(box: Box): string {
  const right = box.x + box.width - 8;
  const left = right - 20;
  const top = box.y - 16;
  return `M ${round(left)} ${round(box.y)} C ${round(left)} ${round(top)} ${round(right)} ${round(top)} ${round(right)} ${round(box.y)}`;
}
