// Progress for long jobs: a redrawn bar on a terminal, a line every few seconds otherwise.
export interface Progress {
  tick(label?: string): void;
  done(summary: string): void;
}

export function progressBar(opts: { total: number; title: string; stream?: NodeJS.WriteStream }): Progress {
  const stream = opts.stream ?? process.stderr;
  const isTty = Boolean(stream.isTTY);
  const started = Date.now();
  let count = 0;
  let lastLine = 0;
  const width = 28;
  const draw = (label: string) => {
    const ratio = opts.total ? count / opts.total : 1;
    const filled = Math.round(ratio * width);
    const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
    const text = `${opts.title} ${bar} ${count}/${opts.total} ${label}`.slice(0, (stream.columns || 100) - 1);
    stream.write(`\r\x1b[2K${text}`);
  };
  return {
    tick(label = '') {
      count += 1;
      if (isTty) draw(label);
      else if (Date.now() - lastLine > 2000 || count === opts.total) {
        lastLine = Date.now();
        stream.write(`${opts.title}: ${count}/${opts.total}\n`);
      }
    },
    done(summary) {
      if (isTty) stream.write('\r\x1b[2K');
      stream.write(`${summary} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
    },
  };
}
