/**
 * Flag values in the docker CLI's own syntax, with the docker CLI's own error wording, so that a
 * scenario line that docker would refuse is refused here with the message a learner would see.
 *
 * Each parser returns the value or throws ValueError with the bare reason; the grammar wraps it as
 * docker's flag library (spf13/pflag) does: `invalid argument "V" for "--flag" flag: REASON`.
 */
import type { PortConfig, Protocol, SecretRef } from '../model/spec.ts';

export class ValueError extends Error {}

/** Go's strconv.ParseUint error text (docker's Uint64 flags: --replicas, --update-parallelism, …). */
export function parseUint(v: string): number {
  if (!/^[0-9]+$/.test(v)) throw new ValueError(`strconv.ParseUint: parsing "${v}": invalid syntax`);
  const n = Number(v);
  if (!Number.isSafeInteger(n)) throw new ValueError(`strconv.ParseUint: parsing "${v}": value out of range`);
  return n;
}

/** Go's strconv.ParseFloat (docker's --update-max-failure-ratio is a float32). */
export function parseGoFloat(v: string): number {
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(v))
    throw new ValueError(`strconv.ParseFloat: parsing "${v}": invalid syntax`);
  return Number(v);
}

const DURATION_UNITS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  μs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/**
 * Go's time.ParseDuration ("500ms", "1m30s", "24h", "1.5h"), which docker uses for every duration
 * flag, returning integer milliseconds (the model's clock unit). Error texts are Go's. Negative
 * durations are refused (docker's DurationOpt: "duration cannot be negative"), and so are durations
 * that are not a whole number of milliseconds: the model's clock has no finer grain.
 */
export function parseDuration(v: string): number {
  const orig = v;
  const invalid = () => new ValueError(`time: invalid duration "${orig}"`);
  let s = v;
  let neg = false;
  if (s.startsWith('-') || s.startsWith('+')) {
    neg = s[0] === '-';
    s = s.slice(1);
  }
  if (s === '0') return 0;
  if (s === '') throw invalid();
  let total = 0;
  while (s !== '') {
    const num = /^([0-9]*)(\.[0-9]*)?/.exec(s)!;
    if (num[0] === '' || num[0] === '.') throw invalid();
    s = s.slice(num[0].length);
    const unit = /^[^0-9.]*/.exec(s)![0];
    if (unit === '') throw new ValueError(`time: missing unit in duration "${orig}"`);
    const mult = DURATION_UNITS[unit];
    if (mult === undefined) throw new ValueError(`time: unknown unit "${unit}" in duration "${orig}"`);
    s = s.slice(unit.length);
    total += Number(num[0]) * mult;
  }
  if (neg && total !== 0) throw new ValueError('duration cannot be negative');
  const ms = Math.round(total * 1e6) / 1e6;
  if (!Number.isInteger(ms))
    throw new ValueError(`the model's clock counts whole milliseconds, "${orig}" is not one`);
  if (!Number.isSafeInteger(ms)) throw new ValueError(`time: invalid duration "${orig}"`);
  return ms;
}

/** Renders milliseconds back in Go's style, shortest form: 90000 → "1m30s", 500 → "500ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  if (ms < 1000) return `${ms}ms`;
  let rest = ms;
  let out = '';
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  if (h) out += `${h}h`;
  if (h || m) out += `${m}m`;
  const s = rest / 1000;
  out += `${s}s`;
  return out;
}

const SIZE_UNITS: Record<string, number> = {
  '': 1,
  k: 2 ** 10,
  m: 2 ** 20,
  g: 2 ** 30,
  t: 2 ** 40,
  p: 2 ** 50,
};

/**
 * docker's memory sizes (go-units RAMInBytes, used by --reserve-memory): binary multiples,
 * "512M" = 512 MiB, "4G", "1.5g", "100" bytes, optional "i"/"b" suffixes.
 */
export function parseBytes(v: string): number {
  const m = /^(\d+(?:\.\d+)*) ?([kKmMgGtTpP])?[iI]?[bB]?$/.exec(v);
  if (!m) throw new ValueError(`invalid size: '${v}'`);
  const num = Number(m[1]);
  if (Number.isNaN(num)) throw new ValueError(`invalid size: '${v}'`);
  const bytes = Math.floor(num * SIZE_UNITS[(m[2] ?? '').toLowerCase()]);
  if (!Number.isSafeInteger(bytes)) throw new ValueError(`invalid size: '${v}'`);
  return bytes;
}

/**
 * docker's CPU counts (opts.ParseCPUs, --reserve-cpu): a rational number ("0.5", "2", "1/4") turned
 * into integer nano-CPUs; finer than 1e-9 is "value is too precise".
 */
export function parseNanoCpus(v: string): number {
  const dec = /^([0-9]+)(?:\.([0-9]*))?$/.exec(v) ?? /^\.([0-9]+)$/.exec(v);
  if (dec) {
    const [whole, frac] = dec.length === 3 && v[0] !== '.' ? [dec[1], dec[2] ?? ''] : ['0', dec[1]];
    if (frac.replace(/0+$/, '').length > 9) throw new ValueError('value is too precise');
    const nano = Number(whole) * 1e9 + Number(`${frac}000000000`.slice(0, 9));
    if (!Number.isSafeInteger(nano)) throw new ValueError(`failed to parse ${v} as a rational number`);
    return nano;
  }
  const rat = /^([0-9]+)\/([0-9]+)$/.exec(v);
  if (rat && Number(rat[2]) !== 0) {
    const nano = (Number(rat[1]) * 1e9) / Number(rat[2]);
    if (!Number.isInteger(nano)) throw new ValueError('value is too precise');
    if (!Number.isSafeInteger(nano)) throw new ValueError(`failed to parse ${v} as a rational number`);
    return nano;
  }
  throw new ValueError(`failed to parse ${v} as a rational number`);
}

/** `key=value` or a bare `key` (empty value), as docker's --label / --label-add take them. */
export function parseLabel(v: string): [string, string] {
  const eq = v.indexOf('=');
  const key = eq < 0 ? v : v.slice(0, eq);
  if (key === '') throw new ValueError(`invalid label '${v}': empty name`);
  return [key, eq < 0 ? '' : v.slice(eq + 1)];
}

function parsePortNumber(v: string, what: string): number {
  if (!/^[0-9]+$/.test(v))
    throw new ValueError(`invalid ${what} (${v}): value must be an integer: invalid syntax`);
  const n = Number(v);
  if (n > 65535) throw new ValueError(`invalid ${what} (${v}): value must be an integer: value out of range`);
  return n;
}

const PROTOCOLS: readonly Protocol[] = ['tcp', 'udp', 'sctp'];

/**
 * docker's --publish (docker/cli:opts/swarmopts/port.go (PortOpt.Set)): the long CSV form
 * `published=8080,target=80,protocol=udp,mode=host` or the short form `[published:]target[/proto]`
 * (always ingress). Port ranges in the short form are not modelled.
 */
export function parsePort(v: string): PortConfig {
  if (/\w+=\w+(,\w+=\w+)*/.test(v)) {
    const p: PortConfig = { protocol: 'tcp', targetPort: 0, publishedPort: 0, mode: 'ingress' };
    for (const field of v.split(',')) {
      const eq = field.indexOf('=');
      const key = eq < 0 ? '' : field.slice(0, eq).toLowerCase();
      const val = eq < 0 ? '' : field.slice(eq + 1).toLowerCase();
      if (key === '') throw new ValueError(`invalid field: ${field}`);
      switch (key) {
        case 'protocol':
          if (!PROTOCOLS.includes(val as Protocol)) throw new ValueError(`invalid protocol value '${val}'`);
          p.protocol = val as Protocol;
          break;
        case 'mode':
          if (val !== 'ingress' && val !== 'host')
            throw new ValueError(`invalid publish mode value (${val}): must be either 'ingress' or 'host'`);
          p.mode = val;
          break;
        case 'target':
          p.targetPort = parsePortNumber(val, 'target port');
          break;
        case 'published':
          p.publishedPort = parsePortNumber(val, 'published port');
          break;
        default:
          throw new ValueError(`invalid field key: ${key}`);
      }
    }
    if (p.targetPort === 0) throw new ValueError("missing mandatory field 'target'");
    return p;
  }
  const m = /^(?:([0-9]+):)?([0-9]+)(?:\/([a-z]+))?$/.exec(v);
  if (!m) throw new ValueError(`invalid port specification: "${v}"`);
  const protocol = (m[3] ?? 'tcp') as Protocol;
  if (!PROTOCOLS.includes(protocol)) throw new ValueError(`invalid proto: ${m[3]}`);
  const target = Number(m[2]);
  if (target < 1 || target > 65535) throw new ValueError(`invalid containerPort: ${m[2]}`);
  const published = m[1] === undefined ? 0 : Number(m[1]);
  if (published > 65535) throw new ValueError(`invalid hostPort: ${m[1]}`);
  return { protocol, targetPort: target, publishedPort: published, mode: 'ingress' };
}

/**
 * docker's --secret / --config (docker/cli:opts/swarmopts/secret.go (SecretOpt.Set)): a bare name,
 * or CSV `source=NAME,target=FILE[,uid=,gid=,mode=]` (uid/gid/mode are accepted and not modelled).
 */
export function parseSecretRef(v: string): SecretRef {
  const fields = v.split(',');
  if (fields.length === 1 && !fields[0].includes('=')) return { name: fields[0], target: fields[0] };
  let name = '';
  let target = '';
  for (const field of fields) {
    const eq = field.indexOf('=');
    if (eq <= 0) throw new ValueError(`invalid field '${field}' must be a key=value pair`);
    const key = field.slice(0, eq).toLowerCase();
    const val = field.slice(eq + 1);
    switch (key) {
      case 'source':
      case 'src':
        name = val;
        break;
      case 'target':
        target = val;
        break;
      case 'uid':
      case 'gid':
        break;
      case 'mode':
        if (!/^(0[0-7]*|[1-9][0-9]*|0x[0-9a-fA-F]+)$/.test(val))
          throw new ValueError(`invalid mode specified: strconv.ParseUint: parsing "${val}": invalid syntax`);
        break;
      default:
        throw new ValueError(`invalid field in secret request: ${key}`);
    }
  }
  if (name === '') throw new ValueError('source is required');
  return { name, target: target || name };
}
