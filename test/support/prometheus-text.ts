/**
 * A strict parser of the Prometheus text exposition format (version 0.0.4), enough to read a
 * scrape in tests: `# HELP` and `# TYPE` lines, samples with escaped label values, and special
 * values (`+Inf`, `-Inf`, `NaN`, in any case). It throws on any line it cannot read, on a sample whose family
 * has no `# TYPE`, and on a repeated series, so a test also checks that the output is well-formed.
 * (The maintained npm parsers for this format are abandoned; this is small enough to own.)
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface Scrape {
  readonly samples: readonly Sample[];
  /** Family name -> counter, gauge, histogram, summary or untyped. */
  readonly types: ReadonlyMap<string, string>;
  /** The value of the one series with exactly these labels (all of them), or undefined. */
  value(name: string, labels?: Record<string, string>): number | undefined;
  /** Every series of a metric whose labels include these. */
  series(name: string, labels?: Record<string, string>): Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
/** Sample names that belong to a family of another name. */
const SUFFIXES = ['_bucket', '_sum', '_count', '_total', '_created'];

export function parsePrometheusText(text: string): Scrape {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const seen = new Set<string>();
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    const fail = (why: string): never => {
      throw new Error(`line ${index + 1}: ${why}: ${JSON.stringify(line)}`);
    };
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const comment = /^# (HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*)(?: (.*))?$/.exec(line);
      if (!comment) return; // Other comments are allowed and carry nothing.
      if (comment[1] === 'TYPE') {
        if (!TYPES.has(comment[3] ?? '')) fail('unknown metric type');
        if (types.has(comment[2]!)) fail('a second TYPE line for one family');
        types.set(comment[2]!, comment[3]!);
      }
      return;
    }
    const name = NAME.exec(line)?.[0] ?? fail('no metric name');
    let rest = line.slice(name.length);
    const labels: Record<string, string> = {};
    if (rest.startsWith('{')) {
      rest = rest.slice(1);
      while (!rest.startsWith('}')) {
        const label = LABEL_NAME.exec(rest)?.[0] ?? fail('bad label name');
        rest = rest.slice(label.length);
        if (!rest.startsWith('="')) fail('expected ="');
        rest = rest.slice(2);
        let value = '';
        for (;;) {
          const char = rest[0] ?? fail('unterminated label value');
          rest = rest.slice(1);
          if (char === '"') break;
          if (char === '\\') {
            const escaped = rest[0] ?? fail('unterminated escape');
            rest = rest.slice(1);
            value +=
              escaped === 'n'
                ? '\n'
                : escaped === '\\' || escaped === '"'
                  ? escaped
                  : fail('bad escape');
          } else {
            value += char;
          }
        }
        if (label in labels) fail(`label ${label} twice`);
        labels[label] = value;
        if (rest.startsWith(',')) rest = rest.slice(1);
        else if (!rest.startsWith('}')) fail('expected , or }');
      }
      rest = rest.slice(1);
    }
    const fields = /^ (\S+)(?: (-?\d+))?$/.exec(rest) ?? fail('expected " value [timestamp]"');
    const value = parseValue(fields[1]!) ?? fail('bad value');
    const family = familyOf(name, types) ?? fail('sample without a # TYPE line for its family');
    if (family !== name && types.get(family) === 'gauge')
      fail('a gauge sample with a suffixed name');
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) fail('the same series twice');
    seen.add(key);
    samples.push({ name, labels, value });
  });

  const matches = (sample: Sample, name: string, labels: Record<string, string>) =>
    sample.name === name &&
    Object.entries(labels).every(([label, value]) => sample.labels[label] === value);
  return {
    samples,
    types,
    value(name, labels = {}) {
      return samples.find(
        (sample) =>
          matches(sample, name, labels) &&
          Object.keys(sample.labels).length === Object.keys(labels).length,
      )?.value;
    },
    series(name, labels = {}) {
      return samples.filter((sample) => matches(sample, name, labels));
    },
  };
}

/** As Prometheus reads values (Go's ParseFloat): Inf and NaN in any case; prom-client writes `Nan`. */
function parseValue(text: string): number | undefined {
  const special = text.toLowerCase();
  if (special === '+inf' || special === 'inf') return Number.POSITIVE_INFINITY;
  if (special === '-inf') return Number.NEGATIVE_INFINITY;
  if (special === 'nan') return Number.NaN;
  const value = Number(text);
  return text !== '' && !Number.isNaN(value) ? value : undefined;
}

function familyOf(name: string, types: ReadonlyMap<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of SUFFIXES) {
    if (name.endsWith(suffix) && types.has(name.slice(0, -suffix.length)))
      return name.slice(0, -suffix.length);
  }
  return undefined;
}
