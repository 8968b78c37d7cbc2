// A small model of how cmd.exe runs a batch file, for testing the create-keydb.cmd scripts
// on a machine without Windows. It follows the documented parsing phases of a batch line:
//   1. percent expansion: %% is %, %NAME% an environment variable (empty when unset), %1 and
//      %~1 the script's arguments; a %~ not followed by modifiers and a digit aborts the batch;
//   2. special characters: outside quotes ^ escapes the next character and & && | || < >
//      split commands; a " toggles quote mode, inside which everything is literal;
//   5. delayed expansion (when on): the program token and the arguments are each scanned again
//      only if they contain a !: then ^ escapes the next character and !NAME! expands;
// and then the C runtime's rules (CommandLineToArgvW) that split the program's command line.
// It runs the few internal commands the scripts use and records every external program's argv.

export class BatchAborted extends Error {}

export interface CmdRun {
  /** argv of each external program run, in order (argv[0] the program as written). */
  commands: string[][];
  /** Commands joined by an operator the script did not write (&, |, <, >): an injection. */
  unexpectedOperators: string[];
  exitCode: number;
}

/** Phase 1 for one batch line. */
export function expandPercent(line: string, env: Map<string, string>, args: string[]): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (c !== '%') { out += c; continue; }
    const next = line[i + 1];
    if (next === '%') { out += '%'; i++; continue; }
    if (next === '~') {
      const m = /^~[fdpnxsatz]*([0-9])/.exec(line.slice(i + 1));
      if (!m) throw new BatchAborted('The following usage of the path operator in batch-parameter substitution is invalid');
      out += (args[Number(m[1])] ?? '').replace(/^"(.*)"$/, '$1');
      i += m[0].length;
      continue;
    }
    if (next !== undefined && /[0-9]/.test(next)) { out += args[Number(next)] ?? ''; i++; continue; }
    const close = line.indexOf('%', i + 1);
    if (close < 0) continue; // a lone % is dropped
    out += env.get(line.slice(i + 1, close).toUpperCase()) ?? '';
    i = close;
  }
  return out;
}

/** Phase 2: the commands of a line with the operators between them; carets outside quotes removed. */
export function splitCommands(line: string): { commands: string[]; operators: string[] } {
  const commands: string[] = [];
  const operators: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) { cur += c; if (c === '"') quoted = false; continue; }
    if (c === '^') { i++; if (i < line.length) cur += line[i]; continue; }
    if (c === '"') { quoted = true; cur += c; continue; }
    if ('&|<>'.includes(c)) {
      const op = line[i + 1] === c && c !== '<' ? c + c : c;
      operators.push(op);
      commands.push(cur.trim());
      cur = '';
      i += op.length - 1;
      continue;
    }
    cur += c;
  }
  commands.push(cur.trim());
  return { commands, operators };
}

/** Phase 5 for one token: only when it holds a `!`. */
export function delayedToken(token: string, env: Map<string, string>): string {
  if (!token.includes('!')) return token;
  let out = '';
  for (let i = 0; i < token.length; i++) {
    const c = token[i]!;
    if (c === '^') { i++; if (i < token.length) out += token[i]; continue; }
    if (c !== '!') { out += c; continue; }
    const close = token.indexOf('!', i + 1);
    if (close < 0) continue; // a lone ! is dropped
    out += env.get(token.slice(i + 1, close).toUpperCase()) ?? '';
    i = close;
  }
  return out;
}

/** The program token (up to the first blank outside quotes) and the arguments token. */
function programAndArguments(command: string): [string, string] {
  let quoted = false;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === ' ' || c === '\t')) return [command.slice(0, i), command.slice(i)];
  }
  return [command, ''];
}

/** The C runtime's split of a command line into argv (backslash and quote rules). */
export function crtArgv(line: string): string[] {
  const argv: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (line[i] === ' ' || line[i] === '\t') i++;
    if (i >= line.length) break;
    let cur = '';
    let quoted = false;
    for (; i < line.length; i++) {
      const c = line[i]!;
      if (c === '\\') {
        let n = 0;
        while (line[i + n] === '\\') n++;
        if (line[i + n] === '"') {
          cur += '\\'.repeat(Math.floor(n / 2));
          if (n % 2 === 1) { cur += '"'; i += n; } else i += n - 1;
        } else { cur += '\\'.repeat(n); i += n - 1; }
        continue;
      }
      if (c === '"') {
        if (quoted && line[i + 1] === '"') { cur += '"'; i++; } else quoted = !quoted;
        continue;
      }
      if (!quoted && (c === ' ' || c === '\t')) break;
      cur += c;
    }
    argv.push(cur);
  }
  return argv;
}

/**
 * Runs `script` (CRLF lines) as cmd.exe would, with `env` and the script arguments `args`;
 * `readFirstLine(file)` serves `set /p VAR=<"file"`. External programs "succeed".
 */
export function runBatch(script: string, env: Record<string, string>, args: string[], readFirstLine: (file: string) => string): CmdRun {
  const vars = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), v]));
  const lines = script.split('\r\n');
  const run: CmdRun = { commands: [], unexpectedOperators: [], exitCode: 0 };
  let delayed = false;
  const expandDelayed = (command: string) => {
    if (!delayed) return command;
    const [program, rest] = programAndArguments(command);
    return delayedToken(program, vars) + delayedToken(rest, vars);
  };
  for (let pc = 0; pc < lines.length; pc++) {
    const raw = lines[pc]!;
    if (raw.startsWith(':')) continue;
    if (/^rem(\s|$)/i.test(raw)) {
      expandPercent(raw, vars, ['script.cmd', ...args]); // rem lines are %-expanded too
      if (/\^$/.test(raw)) throw new BatchAborted(`a rem line ends in ^ and swallows the next line: ${raw}`);
      continue;
    }
    const expanded = expandPercent(raw, vars, ['script.cmd', ...args]);
    // `set /p VAR=<"file"`: the one input redirection the scripts write.
    const setP = /^set \/p ([A-Za-z_0-9]+)=<"([^"]+)"$/i.exec(expanded);
    if (setP) { vars.set(setP[1]!.toUpperCase(), readFirstLine(setP[2]!)); continue; }
    // `if not defined VAR (echo …& exit /b N)`: the scripts' guard for a missing variable.
    const guard = /^if not defined ([A-Za-z_0-9]+) \(echo [^&|<>()]*& exit \/b (\d+)\)$/i.exec(expanded);
    if (guard) {
      if (!vars.has(guard[1]!.toUpperCase())) { run.exitCode = Number(guard[2]); return run; }
      continue;
    }
    const { commands, operators } = splitCommands(expanded);
    const allowed = operators.every((op) => op === '||') && (operators.length === 0 || /^exit \/b \d$/.test(commands[commands.length - 1]!));
    if (!allowed) run.unexpectedOperators.push(raw);
    const command = expandDelayed(commands[0]!);
    if (command === '' || /^@echo off$/i.test(command) || /^cd \/d /i.test(command)) continue;
    let m: RegExpExecArray | null;
    if ((m = /^setlocal(.*)$/i.exec(command))) {
      if (/EnableDelayedExpansion/i.test(m[1]!)) delayed = true;
      if (/DisableDelayedExpansion/i.test(m[1]!)) delayed = false;
      continue;
    }
    if ((m = /^if not defined (\S+) set "([^=]+)=(.*)"$/i.exec(command))) {
      if (!vars.has(m[1]!.toUpperCase())) vars.set(m[2]!.toUpperCase(), m[3]!);
      continue;
    }
    if ((m = /^set "([^=]+)=(.*)"$/is.exec(command))) { vars.set(m[1]!.toUpperCase(), m[2]!); continue; }
    if ((m = /^if \/i "(.*)"=="(.*)" goto (\S+)$/i.exec(command))) {
      if (m[1]!.toLowerCase() === m[2]!.toLowerCase()) pc = lines.indexOf(`:${m[3]}`);
      continue;
    }
    if ((m = /^exit \/b (\d+)$/i.exec(command))) { run.exitCode = Number(m[1]); return run; }
    run.commands.push(crtArgv(command));
  }
  return run;
}
