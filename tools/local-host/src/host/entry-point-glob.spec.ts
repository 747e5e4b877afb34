import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { globFiles } from './entry-point-glob';
import { resolveApp } from './resolve-app';

function appDir(files: string[], main: string | undefined): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'local-host-main-'));
  for (const file of files) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), '');
  }
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify(main === undefined ? { name: 'x' } : { name: 'x', main }));
  return dir;
}

describe('package.json main (the Node worker loads every file its glob matches)', () => {
  const layout = ['functions/a.js', 'functions/b.js', 'functions/readme.md', 'functions/sub/c.js', 'dist/src/functions/x.js', 'dist/src/functions/y.js', 'dist/src/index.js', 'index.js'];

  it('resolves the templates\' globs to every matching file, in a stable order', () => {
    const dir = appDir(layout, 'functions/*.js');
    expect(resolveApp(dir).entries).toEqual([path.join(dir, 'functions/a.js'), path.join(dir, 'functions/b.js')]);
    const ts = appDir(layout, 'dist/src/functions/*.js');
    expect(resolveApp(ts).entries.map((e) => path.relative(ts, e))).toEqual(['dist/src/functions/x.js', 'dist/src/functions/y.js']);
  });

  it('keeps a plain file main, defaults to index.js and refuses a glob with no match as the worker does', () => {
    expect(resolveApp(appDir(layout, 'dist/src/index.js')).entries.map((e) => path.basename(e))).toEqual(['index.js']);
    expect(resolveApp(appDir(layout, undefined)).entries.map((e) => path.basename(e))).toEqual(['index.js']);
    expect(() => resolveApp(appDir(layout, 'lib/*.js'))).toThrow(/Found zero files matching the supplied pattern/);
    expect(() => resolveApp(appDir(layout, 'main.js'))).toThrow(/File does not exist/);
  });

  it('supports **, ?, braces and classes', () => {
    const dir = appDir(layout, 'index.js');
    expect(globFiles('functions/**/*.js', dir)).toEqual(['functions/a.js', 'functions/b.js', 'functions/sub/c.js']);
    expect(globFiles('dist/src/{index.js,functions/*.js}', dir)).toEqual(['dist/src/functions/x.js', 'dist/src/functions/y.js', 'dist/src/index.js']);
    expect(globFiles('functions/?.js', dir)).toEqual(['functions/a.js', 'functions/b.js']);
    expect(globFiles('./functions/[b-z].js', dir)).toEqual(['functions/b.js']);
  });
});
