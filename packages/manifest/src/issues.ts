import type * as z from 'zod';
import { isManifestCode } from './codes.js';
import { finding } from './finding.js';
import type { Finding } from './finding.js';
import { keysAt, typeHintAt } from './schema-walk.js';
import { formatPath } from './source.js';
import type { ManifestPath } from './source.js';
import { didYouMean } from './suggest.js';

// Turns zod issues into catalogued findings with messages written for people editing YAML.

type Issue = z.core.$ZodIssue;

const EXPECTED: Readonly<Record<string, string>> = {
  string: 'text',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
};

/** What a value is, in words: `the text "two"`, `a list`, `nothing (an empty value)`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing (an empty value)';
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (typeof value === 'string')
    return `the text ${JSON.stringify(value.length > 40 ? value.slice(0, 37) + '…' : value)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  if (typeof value === 'object') return 'a mapping';
  return typeof value;
}

function subject(path: ManifestPath): string {
  return path.length === 0 ? 'the manifest' : formatPath(path);
}

const GENERIC_HINTS: Readonly<Record<string, string>> = {
  array: 'write a list: one `- item` per line, or `[a, b]`',
  object: 'write a mapping: `key: value` lines, indented under this key',
  record: 'write a mapping: `NAME: value` lines, indented under this key',
  string: 'quote the value to make it text',
  number: 'write a number without quotes',
  int: 'write a whole number without quotes',
  boolean: 'write true or false',
};

function missing(path: ManifestPath): Finding {
  if (path.length === 0) return finding('NS_MANIFEST_EMPTY', path, 'the manifest is empty');
  const key = String(path.at(-1));
  return finding(
    'NS_MANIFEST_MISSING_KEY',
    path,
    `${subject(path.slice(0, -1))}: the required key "${key}" is missing`,
    {
      hint: `add \`${key}:\``,
      bare: true,
    },
  );
}

function wrongType(schema: z.ZodType, path: ManifestPath, expected: string[], input: unknown): Finding {
  if (input === undefined || (input === null && path.length === 0)) return missing(path);
  const wanted = [...new Set(expected.map((e) => EXPECTED[e] ?? e))];
  const list =
    wanted.length > 1
      ? `${wanted.slice(0, -1).join(', ')} or ${wanted.at(-1)}`.replace('true or false', 'true/false')
      : (wanted[0] ?? 'a value');
  let hint = typeHintAt(schema, path) ?? GENERIC_HINTS[expected[0] ?? ''];
  if (input === null) hint = 'the key has no value: give it one, or remove the key';
  else if (typeof input === 'string' && expected.includes('boolean')) {
    if (/^(true|false)$/i.test(input)) hint = `remove the quotes: write ${input.toLowerCase()}`;
    else if (/^(yes|no|on|off)$/i.test(input))
      hint = 'write true or false (YAML 1.2 reads yes/no/on/off as text)';
  }
  // An empty value has no position of its own, so point at its key.
  const at = input === null ? 'key' : 'value';
  return finding('NS_MANIFEST_WRONG_TYPE', path, `expected ${list}, got ${describeValue(input)}`, {
    hint,
    at,
  });
}

function invalidType(
  schema: z.ZodType,
  issue: Issue & { code: 'invalid_type' },
  path: ManifestPath,
): Finding {
  return wrongType(schema, path, [issue.expected], issue.input);
}

function unknownKeys(
  schema: z.ZodType,
  issue: Issue & { code: 'unrecognized_keys' },
  path: ManifestPath,
): Finding[] {
  const allowed = keysAt(schema, path);
  return issue.keys.map((key) => {
    const guess = didYouMean(key, allowed);
    const where = path.length === 0 ? 'at the top level' : `in ${formatPath(path)}`;
    const hint = guess ? `did you mean "${guess}"?` : `allowed ${where}: ${allowed.join(', ')}`;
    return finding('NS_MANIFEST_UNKNOWN_KEY', [...path, key], `unknown key "${key}" ${where}`, {
      hint,
      at: 'key',
      bare: true,
    });
  });
}

function union(schema: z.ZodType, issue: Issue & { code: 'invalid_union' }, path: ManifestPath): Finding[] {
  // A branch whose complaints are not all "wrong type at the root" matched the value's type: report its issues.
  const matched = issue.errors.find((branch) =>
    branch.some((i) => i.code !== 'invalid_type' || i.path.length > 0),
  );
  if (matched)
    return matched.flatMap((inner) => toFindings(schema, { ...inner, path: [...path, ...inner.path] }));
  const expected = issue.errors.flatMap((branch) =>
    branch.map((i) => (i.code === 'invalid_type' ? i.expected : 'a value')),
  );
  return [wrongType(schema, path, expected, issue.input)];
}

function bound(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const small = issue.code === 'too_small';
  if (issue.origin === 'array') {
    const got = Array.isArray(issue.input) ? `, got ${issue.input.length}` : '';
    return small
      ? `must have at least ${limit} item${limit === 1 ? '' : 's'}${got}`
      : `must have at most ${limit} items${got}`;
  }
  if (issue.origin === 'string') return small ? 'must not be empty' : `must have at most ${limit} characters`;
  return small ? `must be at least ${limit}` : `must be at most ${limit}`;
}

/** The fix for a value out of range (the code's generic hint speaks of allowed values, which a range has not). */
function boundHint(issue: Issue & { code: 'too_small' | 'too_big' }): string {
  const limit = Number(issue.code === 'too_small' ? issue.minimum : issue.maximum);
  const small = issue.code === 'too_small';
  if (issue.origin === 'array')
    return small ? `list at least ${limit}` : `list at most ${limit} (one manifest describes one app)`;
  if (issue.origin === 'string') return small ? 'give it a value' : `shorten it to ${limit} characters`;
  return small ? `use ${limit} or more` : `use ${limit} or less`;
}

/** One zod issue → one or more findings (an unrecognized_keys issue names several keys). */
export function toFindings(schema: z.ZodType, issue: Issue): Finding[] {
  const path = issue.path as ManifestPath;
  switch (issue.code) {
    case 'invalid_type':
      return [invalidType(schema, issue, path)];
    case 'unrecognized_keys':
      return unknownKeys(schema, issue, path);
    case 'invalid_union':
      return union(schema, issue, path);
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof issue.input === 'string' ? didYouMean(issue.input, values) : undefined;
      return [
        finding(
          'NS_MANIFEST_INVALID_VALUE',
          path,
          `${describeValue(issue.input)} is not one of ${values.join(', ')}`,
          {
            hint: guess ? `did you mean "${guess}"?` : `use one of ${values.join(', ')}`,
          },
        ),
      ];
    }
    case 'too_small':
    case 'too_big':
      return [
        finding(
          'NS_MANIFEST_INVALID_VALUE',
          path,
          issue.origin === 'array'
            ? `${subject(path)} ${bound(issue)}`
            : `${subject(path)} ${bound(issue)}, got ${describeValue(issue.input)}`,
          { bare: true, hint: boundHint(issue) },
        ),
      ];
    case 'custom': {
      const params = (issue.params ?? {}) as { code?: string; hint?: string };
      const code = params.code && isManifestCode(params.code) ? params.code : 'NS_MANIFEST_INVALID_VALUE';
      return [finding(code, path, issue.message, { hint: params.hint })];
    }
    default:
      return [finding('NS_MANIFEST_INVALID_VALUE', path, issue.message)];
  }
}
