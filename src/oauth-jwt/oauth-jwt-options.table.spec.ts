import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeOption, OPTIONS_TABLE, type OptionRow } from './oauth-jwt-options.table';

const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
const optionsInterface = readFileSync(join(__dirname, 'oauth-jwt-options.interface.ts'), 'utf8');

const ROWS = Object.entries(OPTIONS_TABLE) as [string, OptionRow][];

/** The README table the options table says: | option | type | default | bounds | meaning | */
function expectedReadmeRows(): string[][] {
  return ROWS.map(([name, row]) => {
    const { type, shown, bounds } = describeOption(row);
    return [`\`${name}\``, type, shown, bounds, row.description];
  });
}

function readmeRows(): string[][] {
  const section = readme.slice(readme.indexOf('\n## Options\n'), readme.indexOf('\n## Errors\n'));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** The `@default` of each property of an interface in oauth-jwt-options.interface.ts. */
function interfaceDefaults(interfaceName: string): Map<string, string> {
  const start = optionsInterface.indexOf(`export interface ${interfaceName} {`);
  const body = optionsInterface.slice(start, optionsInterface.indexOf('\n}', start));
  const defaults = new Map<string, string>();
  for (const match of body.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*(\w+)\??:/g)) {
    const doc = match[1] ?? '';
    const tag = /@default (.+?)\s*(?:\*\/|\n|$)/.exec(doc.replace(/\n\s*\* ?/g, '\n'));
    if (tag?.[1] && match[2]) defaults.set(match[2], tag[1].trim());
  }
  return defaults;
}

const GROUP_INTERFACES: Record<string, string> = {
  keySet: 'KeySetOptions',
  tokenCache: 'TokenCacheOptions',
  clientCache: 'ClientCacheOptions',
  resourceMetadata: 'ResourceMetadataOptions',
};

describe('the options table', () => {
  it('is what README.md says in its options table, row for row', () => {
    expect(readmeRows()).toEqual(expectedReadmeRows());
  });

  it.each(ROWS.filter(([, row]) => row.kind !== 'group'))(
    "%s: the interface's @default is the table's default",
    (name, row) => {
      const [group, property] = name.includes('.') ? name.split('.') : [undefined, name];
      const interfaceName = group ? GROUP_INTERFACES[group] : 'OAuthJwtModuleOptions';
      const documented = interfaceDefaults(interfaceName ?? '').get(property);
      const shown = describeOption(row).shown.replace(/`/g, '');
      // A required option has no @default; a parenthesis after the value only explains it.
      expect(documented?.replace(/ \(.*\)$/, '')).toBe(shown === 'required' ? undefined : shown);
    },
  );
});
