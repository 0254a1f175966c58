/** A node of a drawn topic as read back from the SVG text. */
export interface DrawnNode {
  readonly kind: string;
  readonly key: string;
  readonly box: { x: number; y: number; width: number; height: number };
  readonly lines: readonly { x: number; y: number; size: number; text: string }[];
}

const unescape = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
const number = (attributes: string, name: string) => Number(new RegExp(`\\b${name}="([-\\d.]+)"`).exec(attributes)?.[1] ?? Number.NaN);

/** Reads the nodes (their rect and text lines) back out of a topic SVG. */
export function drawnNodes(svg: string): DrawnNode[] {
  const nodes: DrawnNode[] = [];
  for (const match of svg.matchAll(/<g class="node (\w+)" data-key="([^"]*)">\n<rect ([^>]*)\/>\n((?:<text [^>]*>[^<]*<\/text>\n)*)<\/g>/g)) {
    const [, kind, key, rect, texts] = match as unknown as [string, string, string, string, string];
    const lines = [...texts.matchAll(/<text ([^>]*)>([^<]*)<\/text>/g)].map(([, attributes, text]) => ({
      x: number(attributes as string, 'x'),
      y: number(attributes as string, 'y'),
      size: number(attributes as string, 'font-size'),
      text: unescape(text as string),
    }));
    nodes.push({ kind, key: unescape(key), box: { x: number(rect, 'x'), y: number(rect, 'y'), width: number(rect, 'width'), height: number(rect, 'height') }, lines });
  }
  return nodes;
}

/** The arrows (from, to, class) of a topic SVG. */
export function drawnArrows(svg: string): { kind: string; from: string; to: string }[] {
  return [...svg.matchAll(/<path class="(move|loop)" data-from="([^"]*)" data-to="([^"]*)"/g)].map(([, kind, from, to]) => ({ kind: kind as string, from: unescape(from as string), to: unescape(to as string) }));
}
