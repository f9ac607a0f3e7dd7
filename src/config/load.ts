/**
 * Builds the running configuration: embedded defaults <- config file (YAML) <- WHISPERD_* environment
 * <- command line. Validated once against schema.ts and deep-frozen. Any unknown key, env variable or
 * option, or any bad value, is a ConfigError naming it.
 *
 *   file:  ng: { listen: "127.0.0.1:22222" }
 *   env:   WHISPERD_NG_LISTEN=127.0.0.1:22222      (WHISPERD_<SECTION>_<KEY in SNAKE_CASE>)
 *   argv:  --ng.listen=127.0.0.1:22222  or  --ng.listen 127.0.0.1:22222
 *          --config /etc/whisperd.yaml, --help
 */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { ZodError } from 'zod';
import { ConfigError } from '../errors';
import { configSchema, type Config } from './schema';

type Tree = Record<string, unknown>;

/** WHISPERD_* variables that are not configuration keys: the config file path, the log level before
 *  the config is read, and the Opus backend override (diagnostics: force the opusscript fallback). */
const NON_CONFIG_ENV = new Set(['WHISPERD_CONFIG', 'WHISPERD_LOG_LEVEL', 'WHISPERD_OPUS_BACKEND']);

/** Every leaf key of the schema as "section.key", with its zod type name. */
function leafKeys(): Map<string, string> {
  const out = new Map<string, string>();
  const defaults = configSchema.parse({}) as Tree;
  for (const [section, value] of Object.entries(defaults)) {
    for (const [key, v] of Object.entries(value as Tree)) {
      out.set(`${section}.${key}`, Array.isArray(v) ? 'array' : typeof v);
    }
  }
  return out;
}

function snake(s: string): string {
  return s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
}

export function envName(path: string): string {
  const [section, key] = path.split('.') as [string, string];
  return `WHISPERD_${snake(section)}_${snake(key)}`;
}

function coerce(path: string, raw: string, kind: string, origin: string): unknown {
  if (kind === 'number') {
    const n = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(n)) throw new ConfigError(`${origin}: ${path} must be a number, got "${raw}"`);
    return n;
  }
  if (kind === 'boolean') {
    if (/^(1|true|yes|on)$/i.test(raw)) return true;
    if (/^(0|false|no|off)$/i.test(raw)) return false;
    throw new ConfigError(`${origin}: ${path} must be true or false, got "${raw}"`);
  }
  if (kind === 'array' || kind === 'object') {
    try {
      return JSON.parse(raw);
    } catch {
      throw new ConfigError(`${origin}: ${path} must be JSON, got "${raw}"`);
    }
  }
  return raw;
}

function setPath(tree: Tree, path: string, value: unknown): void {
  const [section, key] = path.split('.') as [string, string];
  const sec = (tree[section] ??= {}) as Tree;
  if (typeof sec !== 'object' || sec === null || Array.isArray(sec)) {
    throw new ConfigError(`config: ${section} must be a mapping`);
  }
  sec[key] = value;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}

function formatZod(err: ZodError, origin: string): string {
  return err.issues
    .map((i) => {
      const path = i.path.join('.');
      if (i.code === 'unrecognized_keys') {
        const keys = i.keys.map((k) => (path ? `${path}.${k}` : k));
        return `${origin}: unknown key ${keys.map((k) => `"${k}"`).join(', ')}`;
      }
      return `${origin}: ${path || '(root)'}: ${i.message}`;
    })
    .join('; ');
}

export interface LoadOptions {
  argv?: string[];
  env?: NodeJS.ProcessEnv;
  /** Configuration object merged over the file (tests use this instead of a file). */
  overrides?: Record<string, Record<string, unknown>>;
}

export interface LoadedConfig {
  config: Config;
  help: boolean;
  file: string | null;
}

export const HELP_TEXT = (): string => {
  const lines = ['usage: whisperd [--config FILE] [--section.key=value ...]', '', 'options (also WHISPERD_* env):'];
  for (const [path] of leafKeys()) lines.push(`  --${path.padEnd(28)} ${envName(path)}`);
  return lines.join('\n');
};

/** Validate a config tree (file contents, merged overrides) into a frozen Config. */
export function validateConfig(tree: unknown, origin = 'config'): Config {
  const res = configSchema.safeParse(tree ?? {});
  if (!res.success) throw new ConfigError(formatZod(res.error, origin));
  return deepFreeze(res.data);
}

export function loadConfig(opts: LoadOptions = {}): LoadedConfig {
  const argv = opts.argv ?? [];
  const env = opts.env ?? {};
  const leaves = leafKeys();
  let file: string | null = env.WHISPERD_CONFIG ?? null;
  let help = false;
  const cli: Array<[string, string]> = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (!arg.startsWith('--')) throw new ConfigError(`command line: unexpected argument "${arg}"`);
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(2, eq) : arg.slice(2);
    let value: string | undefined = eq >= 0 ? arg.slice(eq + 1) : undefined;
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined) throw new ConfigError(`command line: --${name} needs a value`);
      i++;
    }
    if (name === 'config') {
      file = value;
      continue;
    }
    if (!leaves.has(name)) throw new ConfigError(`command line: unknown option "--${name}"`);
    cli.push([name, value]);
  }

  let tree: Tree = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (e) {
      throw new ConfigError(`config file ${file}: ${(e as Error).message}`);
    }
    if (parsed !== null && parsed !== undefined && (typeof parsed !== 'object' || Array.isArray(parsed))) {
      throw new ConfigError(`config file ${file}: top level must be a mapping`);
    }
    tree = (parsed ?? {}) as Tree;
    // Validate the file alone first so its errors name the file.
    validateConfig(tree, `config file ${file}`);
  }
  if (opts.overrides) {
    for (const [section, values] of Object.entries(opts.overrides)) {
      for (const [key, v] of Object.entries(values)) setPath(tree, `${section}.${key}`, v);
    }
  }

  const envByName = new Map<string, string>();
  for (const path of leaves.keys()) envByName.set(envName(path), path);
  for (const [name, raw] of Object.entries(env)) {
    if (!name.startsWith('WHISPERD_') || NON_CONFIG_ENV.has(name) || raw === undefined) continue;
    const path = envByName.get(name);
    if (!path) throw new ConfigError(`environment: unknown variable ${name}`);
    setPath(tree, path, coerce(path, raw, leaves.get(path)!, `environment ${name}`));
  }
  for (const [path, raw] of cli) setPath(tree, path, coerce(path, raw, leaves.get(path)!, `command line --${path}`));

  const config = validateConfig(tree);
  if (config.media.portMin > config.media.portMax) {
    throw new ConfigError('config: media.portMin must not be greater than media.portMax');
  }
  return { config, help, file };
}
