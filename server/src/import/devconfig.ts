// The device configuration file (devconfig) of a storage agent or server: `SET STANAME name` and
// `DEFINE SERVER name … HLADDRESS=… LLADDRESS=… [SSL=YES|NO]` lines (facts §3.3, S-DOC31). It also
// holds passwords (SET STAKEYDBPW, SERVERPASSWORD=): only names and addresses are taken from it.

export interface DevconfigFacts {
  staName?: { name: string; line: number };
  servers: { name: string; hlAddress?: string; llAddress?: string; ssl?: boolean; line: number }[];
}

/** Parameter names with their minimum abbreviation (upper-case part). */
const PARAMS: [string, string][] = [['HLADDRESS', 'HLA'], ['LLADDRESS', 'LLA'], ['SSL', 'SSL']];

function param(key: string): string | undefined {
  const k = key.toUpperCase();
  return PARAMS.find(([full, min]) => k.startsWith(min) && full.startsWith(k))?.[0];
}

export function parseDevconfig(text: string): DevconfigFacts | undefined {
  const facts: DevconfigFacts = { servers: [] };
  let recognised = false;
  text.split(/\r?\n/).forEach((raw, i) => {
    const words = raw.trim().split(/\s+/);
    const [verb, object, name] = [words[0]?.toUpperCase(), words[1]?.toUpperCase(), words[2]];
    if (verb === 'SET' && object === 'STANAME' && name) { facts.staName = { name, line: i + 1 }; recognised = true; return; }
    if (verb === 'SET' && object?.startsWith('STA')) { recognised = true; return; }
    if (!(verb?.startsWith('DEF') && 'DEFINE'.startsWith(verb) && object === 'SERVER' && name)) return;
    recognised = true;
    const entry: DevconfigFacts['servers'][number] = { name, line: i + 1 };
    for (const w of words.slice(3)) {
      const m = /^([A-Za-z]+)=(.*)$/.exec(w);
      const p = m && param(m[1]!);
      if (p === 'HLADDRESS') entry.hlAddress = m![2];
      else if (p === 'LLADDRESS') entry.llAddress = m![2];
      else if (p === 'SSL' && /^(yes|no)$/i.test(m![2]!)) entry.ssl = /^yes$/i.test(m![2]!);
    }
    facts.servers.push(entry);
  });
  return recognised ? facts : undefined;
}
