// The benchmarks' command line: `--name value` options.

/** The value after `name` on the command line, `def` without it; exit 2 when it has none. */
export function arg(name, def) {
  const i = process.argv.indexOf(name);
  if (i === -1) return def;
  const v = process.argv[i + 1];
  if (v === undefined || v.startsWith("--")) {
    console.error(`${name} needs a value`);
    process.exit(2);
  }
  return v;
}
