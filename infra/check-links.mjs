#!/usr/bin/env node
// Checks every link between the project's Markdown files: a relative link must name a file or folder
// that exists inside the repository, and a #fragment must name a heading (or an <a id>) of its page, with
// headings turned into anchors as GitHub does. Links to other sites (https:, mailto:) are not fetched.
// `npm run lint` runs it; a broken link prints `file:line: target: why` and exits 1.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const SKIPPED_DIRECTORIES = new Set([
  'node_modules',
  'dist',
  'coverage',
  'reports',
  'test-artifacts',
  '.data',
  '.git',
  '.stryker-tmp',
]);

/** Every `.md` file under `root`, skipping dependencies and what builds and tests write. */
export function markdownFiles(root) {
  const found = [];
  const walk = (directory) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name)) walk(join(directory, entry.name));
      } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.md')) {
        found.push(join(directory, entry.name));
      }
    }
  };
  walk(root);
  return found.sort();
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const HEADING = /^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const HTML_ANCHOR = /<a\s[^>]*\b(?:id|name)\s*=\s*["']([^"']+)["']/gi;
// `](target)` or `](target "title")`; the target may hold one level of balanced parentheses.
const INLINE_LINK = /\]\(\s*(<[^>]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:"[^"]*"|'[^']*'|\([^)]*\)))?\s*\)/g;
const REFERENCE_DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** The lines of a page outside fenced code blocks, with their numbers. */
function proseLines(text) {
  const lines = [];
  let fence;
  text.split(/\r?\n/).forEach((line, index) => {
    const match = FENCE.exec(line);
    if (fence) {
      if (
        match &&
        match[1][0] === fence[0] &&
        match[1].length >= fence.length &&
        !line.slice(match[0].length).trim()
      ) {
        fence = undefined;
      }
    } else if (match) {
      fence = match[1];
    } else {
      lines.push({ number: index + 1, line });
    }
  });
  return lines;
}

/** A line with its code spans blanked out (same length, no backticks), so links inside code are not links. */
function withoutCodeSpans(line) {
  return line.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, (span) => ' '.repeat(span.length));
}

/** The anchor GitHub gives a heading: its text lower-cased, punctuation dropped, spaces turned to hyphens. */
export function slug(heading) {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, '')
    .replace(/`/g, '')
    .replace(/(\*{1,3}|\b_{1,3})(\S(?:.*?\S)?)\1/g, '$2');
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors a page offers: one per heading (repeats numbered -1, -2, ... as GitHub does) and each <a id>. */
export function anchorsOf(text) {
  const anchors = new Set();
  const seen = new Map();
  for (const { line } of proseLines(text)) {
    const heading = HEADING.exec(line);
    if (heading) {
      const base = slug(heading[2]);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const [, id] of line.matchAll(HTML_ANCHOR)) anchors.add(id);
  }
  return anchors;
}

/** Every link target on a page, with its line: inline links and images, and reference definitions. */
export function linksOf(text) {
  const links = [];
  for (const { number, line } of proseLines(text)) {
    const prose = withoutCodeSpans(line);
    for (const match of prose.matchAll(INLINE_LINK)) links.push({ line: number, target: match[1] });
    const definition = REFERENCE_DEFINITION.exec(prose);
    if (definition) links.push({ line: number, target: definition[1] });
  }
  return links.map(({ line, target }) => ({ line, target: target.replace(/^<(.*)>$/, '$1') }));
}

/** The broken links of every Markdown file under `root`, as `{ file, line, target, reason }`. */
export function brokenLinks(root) {
  const rootPath = resolve(root);
  const anchorCache = new Map();
  const anchors = (file) => {
    if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(file, 'utf8')));
    return anchorCache.get(file);
  };
  const problems = [];
  let checked = 0;
  const files = markdownFiles(rootPath);
  for (const file of files) {
    for (const { line, target } of linksOf(readFileSync(file, 'utf8'))) {
      checked++;
      const problem = (reason) =>
        problems.push({ file: relative(rootPath, file).split(sep).join('/'), line, target, reason });
      if (target === '') {
        problem('the link has no target');
        continue;
      }
      if (SCHEME.test(target)) continue;
      const hashAt = target.indexOf('#');
      const pathPart = hashAt === -1 ? target : target.slice(0, hashAt);
      const fragment = hashAt === -1 ? undefined : decodeURIComponent(target.slice(hashAt + 1));
      let path;
      try {
        path = decodeURI(pathPart.split('?')[0]);
      } catch {
        problem('the path is not valid percent-encoding');
        continue;
      }
      const destination =
        path === '' ? file : path.startsWith('/') ? join(rootPath, path) : resolve(dirname(file), path);
      const inside = relative(rootPath, destination);
      if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
        problem('it leaves the repository, so a clone does not have it');
        continue;
      }
      if (!existsSync(destination)) {
        problem('no such file or folder');
        continue;
      }
      if (fragment === undefined || fragment === '') continue;
      if (statSync(destination).isDirectory() || !destination.toLowerCase().endsWith('.md')) {
        problem('only Markdown pages have anchors to check');
        continue;
      }
      if (!anchors(destination).has(fragment)) {
        problem(
          `no heading or anchor #${fragment} in ${relative(rootPath, destination).split(sep).join('/')}`,
        );
      }
    }
  }
  return { problems, files: files.length, links: checked };
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [argument] = process.argv.slice(2);
  if (argument === '--help' || argument === '-h') {
    console.log(
      'usage: node infra/check-links.mjs [directory]\n\nChecks every relative link and #anchor between the Markdown files under the directory\n(the repository by default); exits 1 naming each broken one.',
    );
    process.exit(0);
  }
  const root = argument ?? join(dirname(fileURLToPath(import.meta.url)), '..');
  const { problems, files, links } = brokenLinks(root);
  for (const p of problems) console.error(`${p.file}:${p.line}: ${p.target}: ${p.reason}`);
  if (problems.length > 0) {
    console.error(`${problems.length} broken link(s) in ${files} Markdown files`);
    process.exit(1);
  }
  console.log(`links: ${links} links in ${files} Markdown files, none broken`);
}
