import { describe, expect, it } from 'vitest';
import { commandFromLine, commandFromList } from '../src/index.js';
import { commandLineProblem } from '../src/command.js';

describe('commandFromLine', () => {
  it.each([
    ['python -m app.worker', ['python', '-m', 'app.worker']],
    ['node dist/worker.js --queue "big jobs"', ['node', 'dist/worker.js', '--queue', 'big jobs']],
    ["echo 'it''s'", ['echo', 'its']],
    ['node a\\ b.js', ['node', 'a b.js']],
    ["echo '$HOME'", ['echo', '$HOME']],
  ])('splits %j into argv without a shell', (source, argv) => {
    expect(commandFromLine(source)).toEqual({ argv, shell: false, source });
  });

  it.each([
    'npm run migrate && node server.js',
    'node worker.js | tee out.log',
    'node worker.js > out.log',
    'node worker.js; echo done',
    'exec node $ENTRY',
    'echo "${HOME}"',
    'echo $(date)',
    'echo `date`',
    'ls *.js',
    'FOO=1 node x.js',
    'node ~/x.js',
    'node x.js # a comment',
    'node x.js &',
  ])('runs %j with /bin/sh -c', (source) => {
    expect(commandFromLine(source)).toEqual({ argv: ['/bin/sh', '-c', source], shell: true, source });
  });
});

describe('commandLineProblem', () => {
  it.each([
    ['node "unterminated', 'double'],
    ["echo 'open", 'single'],
    ['echo "a \\" b', 'double'],
  ])('finds the unclosed quote in %j', (source, kind) => {
    expect(commandLineProblem(source)).toContain(kind);
  });

  it.each(['node "a b"', "echo 'a \" b'", 'echo "it\'s"', 'echo \\"'])('accepts %j', (source) => {
    expect(commandLineProblem(source)).toBeNull();
  });

  it('refuses an empty command', () => {
    expect(commandLineProblem('   ')).toBe('the command is empty');
  });
});

describe('commandFromList', () => {
  it('never uses a shell and quotes only where needed for display', () => {
    expect(commandFromList(['node', 'dist/worker.js', '--greeting', "it's a b", '$HOME'])).toEqual({
      argv: ['node', 'dist/worker.js', '--greeting', "it's a b", '$HOME'],
      shell: false,
      source: `node dist/worker.js --greeting 'it'\\''s a b' '$HOME'`,
    });
  });
});
