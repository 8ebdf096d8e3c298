// What a reader of an 80-column terminal would trip over: a line wider than the terminal, or a
// line that starts with punctuation that must stay with the text before it (kinsoku).
import { displayWidth } from '../../src/ui/textWidth.js';

const LINE_START_FORBIDDEN = /^\s*[、。，．)）」』】]/;

export function screenFaults(text: string, width = 80): string[] {
  return text
    .replace(/\x1b\[[0-9;]*[A-Za-z]/g, '')
    .split('\n')
    .flatMap((line, i) => [
      // A command to copy (an indented "xen-net-wizard …" line) is never broken, whatever its width:
      // split, its last options (--root DIR --live) would be lost when pasted.
      ...(displayWidth(line) > width && !/^ +xen-net-wizard /.test(line) ? [`line ${i + 1} is ${displayWidth(line)} columns: ${line}`] : []),
      ...(LINE_START_FORBIDDEN.test(line) ? [`line ${i + 1} starts with ${line.trim()[0]}: ${line}`] : []),
    ]);
}
