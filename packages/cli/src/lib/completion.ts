/** One command of the CLI, as completion needs it: read from commander's definitions (`commandTree`). */
export interface CompletionNode {
  readonly name: string;
  readonly description: string;
  readonly options: readonly { readonly flag: string; readonly description: string }[];
  readonly commands: readonly CompletionNode[];
}

interface CommanderLike {
  name(): string;
  description(): string;
  readonly commands: readonly CommanderLike[];
  readonly options: readonly { long?: string | undefined; short?: string | undefined; description: string }[];
}

/** The tree of commands and their long options (plus --help, which commander adds to every command). */
export function commandTree(cmd: CommanderLike): CompletionNode {
  return {
    name: cmd.name(),
    description: cmd.description(),
    options: [
      ...cmd.options.flatMap((o) => (o.long ? [{ flag: o.long, description: o.description }] : [])),
      { flag: '--help', description: 'show help' },
    ],
    commands: cmd.commands.map(commandTree),
  };
}

/** Every command path with its node: '' is the root, 'cron history' a subcommand. */
function paths(root: CompletionNode): [string, CompletionNode][] {
  const out: [string, CompletionNode][] = [];
  const walk = (node: CompletionNode, path: string) => {
    out.push([path, node]);
    for (const c of node.commands) walk(c, path === '' ? c.name : `${path} ${c.name}`);
  };
  walk(root, '');
  return out;
}

/** Single-quoted for a shell, whatever it holds. */
function sq(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Bash: the words typed so far that name commands select the path (values of options are skipped because they
 * name no command), and the path's subcommands and options are offered.
 */
export function bashCompletion(root: CompletionNode): string {
  const cases = paths(root).map(([path, node]) => {
    const subs = node.commands.map((c) => c.name).join(' ');
    const words = [subs, ...node.options.map((o) => o.flag)].filter((w) => w !== '').join(' ');
    return `    ${sq(path)}) subs=${sq(subs)}; words=${sq(words)} ;;`;
  });
  return `# bash completion for nightshift, generated from its command definitions (nightshift completion bash).
# Load it: source <(nightshift completion bash)   or save it in /etc/bash_completion.d/nightshift
_nightshift_at() {
  case "$1" in
${cases.join('\n')}
    *) subs=''; words='' ;;
  esac
}
_nightshift() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="" w i subs words
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ $w == -* ]] && continue
    _nightshift_at "$cmdpath"
    [[ " $subs " == *" $w "* ]] && cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  _nightshift_at "$cmdpath"
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -F _nightshift nightshift
`;
}

/** Zsh: the same walk, each candidate with its description. */
export function zshCompletion(root: CompletionNode): string {
  const cases = paths(root).map(([path, node]) => {
    const items = [
      ...node.commands.map((c) => `${c.name}:${c.description}`),
      ...node.options.map((o) => `${o.flag}:${o.description}`),
    ].map((item) => sq(item.replace(/\n.*/s, '')));
    const subs = node.commands.map((c) => c.name).join(' ');
    return `    ${sq(path)}) subs=(${subs}); items=(${items.join(' ')}) ;;`;
  });
  return `#compdef nightshift
# zsh completion for nightshift, generated from its command definitions (nightshift completion zsh).
# Load it: source <(nightshift completion zsh)   or save it as _nightshift in a folder of $fpath
_nightshift_at() {
  case "$1" in
${cases.join('\n')}
    *) subs=(); items=() ;;
  esac
}
_nightshift() {
  local cmdpath="" w i
  local -a subs items
  for ((i = 2; i < CURRENT; i++)); do
    w=\${words[i]}
    [[ $w == -* ]] && continue
    _nightshift_at "$cmdpath"
    (( \${subs[(Ie)$w]} )) && cmdpath="\${cmdpath:+$cmdpath }$w"
  done
  _nightshift_at "$cmdpath"
  _describe 'nightshift' items
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _nightshift "$@"; else compdef _nightshift nightshift; fi
`;
}
