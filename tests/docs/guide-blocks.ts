// Code blocks of a Markdown guide: every ```ts (or ```typescript) fence, with its line in the file
// and the heading it sits under; a fence whose previous line is `<!-- not run -->` is marked skipped.

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The nearest heading above the block, without its #s ('(top)' before the first heading). */
  readonly heading: string;
  /** The code between the fences. Its line i (1-based) is line `line + i` of the file. */
  readonly code: string;
  /** True when the line before the fence is `<!-- not run -->`. */
  readonly skip: boolean;
}

const NOT_RUN = '<!-- not run -->';

export function extractTsBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  let heading = '(top)';
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i]!;
    const fence = /^(\s*)(`{3,}|~{3,})\s*([\w-]*)/.exec(text);
    if (fence === null) {
      const h = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text);
      if (h !== null) heading = h[1]!;
      continue;
    }
    // Any fenced block: find its end, so headings and fences inside it are not read as such.
    const marker = fence[2]!;
    const lang = fence[3]!.toLowerCase();
    let end = i + 1;
    while (end < lines.length && !lines[end]!.trimStart().startsWith(marker)) end++;
    if (end >= lines.length) throw new Error(`line ${i + 1}: unclosed code fence ${marker}`);
    if (lang === 'ts' || lang === 'typescript') {
      blocks.push({
        line: i + 1,
        heading,
        code: lines.slice(i + 1, end).join('\n'),
        skip: i > 0 && lines[i - 1]!.trim() === NOT_RUN,
      });
    }
    i = end;
  }
  return blocks;
}
