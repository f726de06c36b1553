// `--out` must never reach a log. Path strings cannot tell: a symlinked folder, /proc/self/cwd, `..` and hard links
// all name the same file differently. So the check is by file identity (device + inode, after resolving links)
// against the input file and every file under an input folder, plus a containment check on real paths: nothing is
// written inside an input folder at all (a scored copy there would be read back as part of the run). An --out that
// is itself a symbolic link is refused too (the rename would replace the link, which the user may not expect).
import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';

export class OutRefused extends Error {}

function identity(st: Stats): string {
  return `${st.dev}:${st.ino}`;
}

/** Device:inode of every file under a folder (links followed; loops and unreadable entries skipped). */
function folderIdentities(root: string, into: Set<string>, depth = 0, seen = new Set<string>()): void {
  let st: Stats;
  try {
    st = statSync(root);
  } catch {
    return;
  }
  const id = identity(st);
  if (seen.has(id) || depth > 32) return; // a symlink loop, or absurd depth
  seen.add(id);
  let names: string[];
  try {
    names = readdirSync(root);
  } catch {
    return;
  }
  for (const n of names) {
    const p = join(root, n);
    let s: Stats;
    try {
      s = statSync(p);
    } catch {
      continue;
    }
    if (s.isDirectory()) folderIdentities(p, into, depth + 1, seen);
    else into.add(identity(s));
  }
}

function realOrNull(p: string): string | null {
  try {
    return realpathSync(p);
  } catch {
    return null;
  }
}

function inside(child: string, folder: string): boolean {
  return child === folder || child.startsWith(folder.endsWith(sep) ? folder : folder + sep);
}

/**
 * Throws OutRefused when writing `out` could change `input` (a file or folder). `out` is the user's path as
 * typed; messages name it as typed.
 */
export function checkOutTarget(out: string, input: string): void {
  const refuse = (why: string): never => {
    throw new OutRefused(`--out ${out}: ${why}; the log is never modified`);
  };
  let inSt: Stats;
  try {
    inSt = statSync(input);
  } catch {
    return; // the input cannot be read: the reader reports that
  }
  const inputIds = new Set<string>();
  const inputReal = realOrNull(input) ?? resolve(input);
  if (inSt.isDirectory()) folderIdentities(input, inputIds);
  else inputIds.add(identity(inSt));

  let outL: Stats | null = null;
  try {
    outL = lstatSync(out);
  } catch {
    outL = null;
  }
  if (outL?.isSymbolicLink()) {
    const target = realOrNull(out);
    let tSt: Stats | null = null;
    try {
      tSt = statSync(out);
    } catch {
      tSt = null;
    }
    if (tSt && inputIds.has(identity(tSt))) refuse('is a symbolic link to the input');
    if (target && inSt.isDirectory() && inside(target, inputReal)) refuse('is a symbolic link into the input folder');
    refuse('is a symbolic link; name the file itself');
  }
  if (outL) {
    if (outL.isDirectory()) refuse('is a folder');
    if (inputIds.has(identity(outL))) refuse(outL.nlink > 1 ? 'is the input file (a hard link to it)' : 'is the input file');
  }
  // Where the file will be created: the real folder it lands in.
  const parentReal = realOrNull(dirname(resolve(out)));
  if (parentReal === null) return; // the folder does not exist: the write fails with "cannot write"
  const target = join(parentReal, basename(resolve(out)));
  if (inSt.isDirectory() && inside(target, inputReal)) refuse('is inside the input folder');
  if (!inSt.isDirectory() && target === inputReal) refuse('is the input file');
}
